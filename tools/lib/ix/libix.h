/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libix: a small C library over the ixdp application ABI (linux/ix.h),
 * in the manner of liburing.
 *
 *	struct ix_ctx ctx;
 *
 *	ix_open(&ctx, cpu, tx_bytes, &my_ops, my_data);
 *	ix_tcp_listen(&ctx, 7, 64, 0);
 *	for (;;)
 *		ix_run(&ctx, 1000, 0);	// commands out, callbacks in
 *	ix_close(&ctx);
 *
 * Commands are queued in the command ring by the ix_tcp_*() helpers and
 * reach the kernel at the next ix_run(), which then calls ops->done for
 * every command the kernel answered and the event callbacks for every
 * event, in order.  The callbacks may queue more commands.
 *
 * Elastic threads (IX_FEAT_ELASTIC) follow the cores of a device as
 * ix scale adds and removes them: ix_group_init() makes the TX memory
 * they share, and each thread calls ix_open_elastic() and its own
 * ix_run() loop.  A thread is told when it gets a core (@core_up: listen
 * there), loses it (@core_down) and when a connection comes to it from
 * another core (@moved: the connection's cookie, its new handle; its
 * unconsumed bytes come again in @recv calls), as an armed timer does
 * (@timer_moved), and, if it wants, when one of its connections goes to
 * another thread while it stays (@moved_out).  Cookies, not handles,
 * name connections across threads.  Every result and event is handled
 * before the next ix_run(), as libix does, so that a scale can park the
 * thread.
 *
 * Zero copy: received data is read in place from the RX pool
 * (ix_rx_data()) and given back with ix_tcp_recv_done(); data to send is
 * placed in the TX memory (ix_tx_mem()) and sent by offset with
 * ix_tcp_sendv().  struct ix_stream is the copying convenience layer: a
 * byte ring in the TX memory per connection.
 */
#ifndef _LIBIX_H
#define _LIBIX_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ix.h>

struct ix_ctx;
struct ix_group;

/**
 * struct ix_ops - what the application is told; every member optional
 * @done: the kernel answered @cmd (its result in @cmd->result)
 * @knock: a connection @handle to the listener of @cookie, from
 *	@addr:@port (network order); answer with accept or reject
 * @connected: a connect with @cookie ended with @status (0 or -errno)
 * @recv: @len bytes at @data arrived; @len 0: the peer closed
 * @sent: @acked bytes acknowledged; @space may be queued now
 * @dead: the connection is gone (@status 0 or -errno)
 * @udp_recv: a datagram of @len bytes at @data to the port bound with
 *	@cookie, from @addr:@port (network order); give it back with
 *	ix_udp_recv_done() (libix does if this is not set)
 * @udp_sent: the payload of the send with @cookie was taken (@status)
 * @timer: the timer @handle set with @cookie fired
 * @core_up: an elastic thread drives @cpu's core now; its RX pool is
 *	mapped; listeners are per core: listen here
 * @core_down: an elastic thread's core (@cpu) left: its handles are
 *	stale, its connections and armed timers moved to other threads, its
 *	UDP ports unbound; the pool is unmapped after the call
 * @moved: the connection of @cookie came to this thread with @handle
 *	(@old: its handle on the other core, stale); @unread bytes not
 *	consumed there come again in @recv calls; recv data of the old
 *	handle not consumed is void
 * @timer_moved: the timer set with @cookie came to this thread with
 *	@handle (@old: its handle on the other core, stale); it fires here
 *	when it would have there
 * @moved_out: the connection of @cookie, @handle here (stale now), went
 *	to the thread of @cpu's core as @to; this thread stays.  Its recv
 *	data not consumed is void: do not give it back.  Optional: with
 *	it, ix_open_elastic() asks for these (IX_SETUP_F_MOVED_OUT) where
 *	the kernel has them (IX_FEAT_MOVED_OUT)
 */
struct ix_ops {
	void	(*done)(struct ix_ctx *ctx, const struct ix_cmd *cmd);
	void	(*knock)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			 uint32_t addr, uint16_t port);
	void	(*connected)(struct ix_ctx *ctx, uint64_t cookie,
			     uint32_t handle, int status);
	void	(*recv)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			const void *data, uint32_t len);
	void	(*sent)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			uint32_t acked, uint32_t space);
	void	(*dead)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			int status);
	void	(*udp_recv)(struct ix_ctx *ctx, uint64_t cookie,
			    const void *data, uint32_t len, uint32_t addr,
			    uint16_t port);
	void	(*udp_sent)(struct ix_ctx *ctx, uint64_t cookie, int status);
	void	(*timer)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle);
	void	(*core_up)(struct ix_ctx *ctx, unsigned int cpu);
	void	(*core_down)(struct ix_ctx *ctx, unsigned int cpu);
	void	(*moved)(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			 uint32_t old, uint32_t unread);
	void	(*timer_moved)(struct ix_ctx *ctx, uint64_t cookie,
			       uint32_t handle, uint32_t old);
	void	(*moved_out)(struct ix_ctx *ctx, uint64_t cookie,
			     uint32_t handle, uint32_t to, unsigned int cpu);
};

/**
 * struct ix_ring - one mapped ring, as libix sees it
 * @map: the mapping
 * @size: its length
 * @prod: the producer index
 * @cons: the consumer index
 * @dropped: the kernel's dropped counter
 * @entries: the first entry
 * @mask: entries - 1
 * @local: our own index: producer of the command ring (published by
 *	ix_run()), consumer of the event ring
 * @seen: command ring: the consumer index whose results were reaped
 */
struct ix_ring {
	void		*map;
	size_t		size;
	uint32_t	*prod;
	uint32_t	*cons;
	uint32_t	*dropped;
	void		*entries;
	uint32_t	mask;
	uint32_t	local;
	uint32_t	seen;
};

/**
 * struct ix_ctx - one thread's binding to a dataplane CPU
 * @fd: the open /dev/ix
 * @setup: what the kernel answered to the setup
 * @cmd: the command ring
 * @ev: the event ring
 * @rx_pool: the RX pool, read-only; NULL while an elastic thread
 *	stands by
 * @pool_len: its length
 * @cpu: the CPU whose core the thread drives, -1 while standing by
 * @tx: the TX memory; its first part holds the send vectors of
 *	ix_tcp_sendv(), one per command slot of each thread
 * @tx_len: its length
 * @tx_user: where the application's part of @tx starts
 * @vec_off: where this thread's send vectors start in @tx
 * @group: the elastic threads' shared TX memory, or NULL
 * @ops: the callbacks
 * @user: the application's
 * @err: an elastic thread's core it could not use (the RX pool not
 *	mapped: -errno); ix_run() returns it from then on
 */
struct ix_ctx {
	int		fd;
	struct ix_setup	setup;
	struct ix_ring	cmd;
	struct ix_ring	ev;
	const uint8_t	*rx_pool;
	size_t		pool_len;
	int		cpu;
	uint8_t		*tx;
	size_t		tx_len;
	size_t		tx_user;
	size_t		vec_off;
	struct ix_group	*group;
	const struct ix_ops *ops;
	void		*user;
	int		err;
};

/**
 * struct ix_group - the TX memory of an application's elastic threads
 * @tx: the memory, the same for every thread (the kernel requires it)
 * @tx_len: its length
 * @tx_user: where the application's part starts
 * @nthreads: threads it has send vectors for
 */
struct ix_group {
	uint8_t		*tx;
	size_t		tx_len;
	size_t		tx_user;
	unsigned int	nthreads;
};

int ix_open(struct ix_ctx *ctx, unsigned int cpu, size_t tx_bytes,
	    const struct ix_ops *ops, void *user);
int ix_group_init(struct ix_group *g, unsigned int nthreads,
		  size_t tx_bytes);
void ix_group_free(struct ix_group *g);
int ix_open_elastic(struct ix_ctx *ctx, struct ix_group *g,
		    unsigned int thread, unsigned int cpu,
		    const struct ix_ops *ops, void *user);
void ix_close(struct ix_ctx *ctx);
int ix_run(struct ix_ctx *ctx, unsigned int timeout_us, unsigned int flags);

struct ix_cmd *ix_cmd_get(struct ix_ctx *ctx);
int ix_tcp_listen(struct ix_ctx *ctx, uint16_t port, uint16_t backlog,
		  uint64_t cookie);
int ix_tcp_connect(struct ix_ctx *ctx, uint32_t addr, uint16_t port,
		   uint64_t cookie);
int ix_tcp_accept(struct ix_ctx *ctx, uint32_t handle, uint64_t cookie);
int ix_tcp_reject(struct ix_ctx *ctx, uint32_t handle);
int ix_tcp_sendv(struct ix_ctx *ctx, uint32_t handle,
		 const struct ix_iov *iov, unsigned int n, uint64_t cookie);
int ix_tcp_recv_done(struct ix_ctx *ctx, uint32_t handle, uint32_t bytes);
int ix_tcp_close(struct ix_ctx *ctx, uint32_t handle);
int ix_tcp_abort(struct ix_ctx *ctx, uint32_t handle);
int ix_tcp_keepalive(struct ix_ctx *ctx, uint32_t handle, uint16_t idle,
		     uint16_t intvl, uint8_t cnt);
int ix_udp_bind(struct ix_ctx *ctx, uint16_t port, uint64_t cookie);
int ix_udp_unbind(struct ix_ctx *ctx, uint16_t port);
int ix_udp_send(struct ix_ctx *ctx, uint32_t addr, uint16_t port,
		uint16_t sport, const void *data, uint32_t len,
		uint64_t cookie);
int ix_udp_recv_done(struct ix_ctx *ctx, const void *data);
int ix_timer_set(struct ix_ctx *ctx, uint64_t usecs, uint64_t cookie);
int ix_timer_cancel(struct ix_ctx *ctx, uint32_t handle);

/* The application's part of the TX memory: ix_tx_mem(ctx)[0 .. len). */
static inline uint8_t *ix_tx_mem(struct ix_ctx *ctx, size_t *len)
{
	*len = ctx->tx_len - ctx->tx_user;
	return ctx->tx + ctx->tx_user;
}

/*
 * A free command slot as the kernel left it, for a caller that writes
 * all of it (libix_cmd.c); ix_cmd_get() zeroes it first.  Slots whose
 * results are not reaped yet are not free.
 */
static inline struct ix_cmd *ix_cmd_take(struct ix_ctx *ctx)
{
	struct ix_ring *r = &ctx->cmd;

	if (r->local - r->seen > r->mask)
		return NULL;
	return (struct ix_cmd *)r->entries + (r->local++ & r->mask);
}

/* Offset in the TX memory of a byte of ix_tx_mem(). */
static inline uint64_t ix_tx_off(struct ix_ctx *ctx, const void *p)
{
	return (const uint8_t *)p - ctx->tx;
}

/**
 * struct ix_stream - copying send side of one connection: a byte ring
 *	in the TX memory
 * @ctx: the context
 * @handle: the connection
 * @base: the ring's memory, in ix_tx_mem()
 * @size: its bytes
 * @acked: bytes acknowledged by the peer, ever
 * @queued: bytes sendv queued, ever
 * @written: bytes written into the ring, ever
 * @inflight: a sendv of this stream awaits its result
 * @asked: bytes the last sendv offered
 * @full: the last sendv was not taken whole: the connection's send
 *	buffer is full, nothing is sent until the peer acknowledges
 */
struct ix_stream {
	struct ix_ctx	*ctx;
	uint32_t	handle;
	uint8_t		*base;
	uint32_t	size;
	uint64_t	acked;
	uint64_t	queued;
	uint64_t	written;
	int		inflight;
	int		full;
	uint32_t	asked;
};

void ix_stream_init(struct ix_stream *st, struct ix_ctx *ctx,
		    uint32_t handle, uint8_t *base, uint32_t size);
uint32_t ix_stream_write(struct ix_stream *st, const void *data,
			 uint32_t len);
void ix_stream_flush(struct ix_stream *st);
void ix_stream_done(struct ix_stream *st, const struct ix_cmd *cmd);
void ix_stream_acked(struct ix_stream *st, uint32_t acked);
void ix_stream_moved(struct ix_stream *st, struct ix_ctx *ctx,
		     uint32_t handle);

static inline uint32_t ix_stream_room(const struct ix_stream *st)
{
	return st->size - (uint32_t)(st->written - st->acked);
}

#endif /* _LIBIX_H */
