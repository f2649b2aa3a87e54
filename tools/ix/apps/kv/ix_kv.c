// SPDX-License-Identifier: GPL-2.0
/*
 * ix_kv: the key-value server on the ixdp dataplane, through libix.
 *
 *	ix_kv CPU PORT [MEGABYTES [THREADS]]
 *
 * Binds to the dataplane of reserved CPU CPU, listens on PORT and serves
 * the memcached text and binary protocols from a store of MEGABYTES
 * (64).  Received segments are parsed in place in the RX
 * pool and given back with recv_done as the engine takes them; only a
 * partial command line, header or key is copied, and values go straight
 * into their items.  A segment the engine refuses (its output is backed
 * up) stays in the RX pool, unconsumed, which closes the receive window:
 * flow control reaches the client.
 *
 * Replies go out zero copy where they can: the store keeps its items in
 * an arena in the TX memory (kv_arena.c), so a value is sent by sendv
 * straight from its item, which the engine holds referenced until the
 * peer acknowledged it.  The rest of a reply (headers, short answers,
 * values the arena could not place) is copied into the connection's send
 * ring in the TX memory, at the ring position of its stream position, so
 * the ring's room is simply what the peer has not acknowledged yet.  The
 * engine's output is consumed only as acknowledgements arrive.  A quit,
 * a fatal protocol error or the peer's FIN closes the connection once
 * the replies are out.  It sleeps on the queue interrupt when idle, or
 * polls if IX_POLL is set in the environment.  SIGINT or SIGTERM ends it.
 *
 * With THREADS above 1 it runs that many elastic threads (libix's
 * ix_open_elastic()) on the device CPU serves, as ix_http does: one per
 * core the device has, the others standing by for cores ix scale adds;
 * a thread listens on PORT when it gets a core.  The store, its arena
 * (in the TX memory the threads share) and the table of connections are
 * the process's; the engine runs under one lock, taken only with more
 * than one thread.  A connection that moves to another thread's core
 * goes on there, named by its cookie, with the bytes it had not
 * consumed given again.  Each thread prints its counters at the end.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../lib/ix/libix.h"
#include "kv.h"

#define MAX_CONNS	512
#define PENDING_MAX	256
#define STREAM_SIZE	(64 * 1024)	/* unacknowledged output at most */
#define RINGS_SIZE	((size_t)MAX_CONNS * STREAM_SIZE)
#define IOV_BATCH	16

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

/* Bytes of a sendv, from @at in it, that are an item's, not copied. */
struct zc_span {
	uint32_t	at;
	uint32_t	len;
};

/**
 * struct conn - one connection
 * @state: FREE, KNOCKED (accept not queued yet), LIVE
 * @fin: the peer closed its direction
 * @closed: our close is queued
 * @retry: a command found the ring full; pump again after the run
 * @inflight: a sendv awaits its result
 * @ctx: the thread whose core has it
 * @handle: its handle there
 * @kv: the protocol engine
 * @ring: the send ring in the TX memory, STREAM_SIZE bytes
 * @acked: output bytes the peer acknowledged (and the engine consumed)
 * @queued: output bytes sendv took; the engine's output from
 *	@queued - @acked bytes on is not sent yet
 * @nzc: entries of @zc
 * @zc: the spans of the sendv in flight sent zero copy (for counting)
 * @owed: bytes the engine took whose recv_done is not queued yet
 * @skip: bytes given again after a move that the engine had taken
 * @npend: segments waiting in the RX pool, from @pend_head
 * @pend_head: see @npend
 * @pend: them
 */
struct conn {
	uint8_t		state;
	bool		fin;
	bool		closed;
	bool		retry;
	bool		inflight;
	struct ix_ctx	*ctx;
	uint32_t	handle;
	struct kv_conn	*kv;
	uint8_t		*ring;
	uint64_t	acked;
	uint64_t	queued;
	unsigned int	nzc;
	struct zc_span	zc[IX_SENDV_MAX];
	uint32_t	owed;
	uint32_t	skip;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

enum { FREE, KNOCKED, LIVE };

/**
 * struct kv_thread - one thread: its context and its counters
 * @tid: its pthread
 * @index: its place in the group
 * @open: its context is open
 * @has_core: it drives a core (always, with one thread): after its core
 *	left, its connections are another thread's, or on their way
 * @retries: its connections may want a pump after the run
 * @ctx: its context
 */
struct kv_thread {
	pthread_t		tid;
	unsigned int		index;
	bool			open;
	bool			has_core;
	unsigned int		retries;
	struct ix_ctx		ctx;
	unsigned long long	conns, refused, overflow, moved_in, moved_out;
	unsigned long long	ups, downs;
	unsigned long long	zc_bytes, copied_bytes;
};

static struct conn *conns;
static struct kv_store store;
static struct kv_arena arena;
static uint8_t *stream_mem;
static volatile sig_atomic_t stop;
static unsigned int nthreads = 1, port, run_flags;
/* The store, the arena and the slots, with more than one thread. */
static pthread_mutex_t kv_mutex = PTHREAD_MUTEX_INITIALIZER;

static void kv_lock(void)
{
	if (nthreads > 1)
		pthread_mutex_lock(&kv_mutex);
}

static void kv_unlock(void)
{
	if (nthreads > 1)
		pthread_mutex_unlock(&kv_mutex);
}

static int64_t clock_now(void)
{
	return time(NULL);
}

static struct kv_thread *thread_of(struct ix_ctx *ctx)
{
	return ctx->user;
}

/* A connection's cookie: its slot + 1 (0 is the listener's). */
static uint64_t conn_cookie(const struct conn *c)
{
	return c - conns + 1;
}

/* The connection of @cookie, if it is @handle's on this thread. */
static struct conn *conn_here(struct ix_ctx *ctx, uint64_t cookie,
			      uint32_t handle)
{
	struct conn *c;

	if (!cookie || cookie > MAX_CONNS)
		return NULL;
	c = &conns[cookie - 1];
	return c->state == LIVE && c->ctx == ctx && c->handle == handle ?
	       c : NULL;
}

/* Called with kv_lock() held, or with one thread. */
static void conn_free_locked(struct conn *c)
{
	if (c->kv)
		kv_conn_free(c->kv);
	c->kv = NULL;
	c->retry = false;
	c->state = FREE;
}

static void conn_free(struct conn *c)
{
	kv_lock();
	conn_free_locked(c);
	kv_unlock();
}

static void want_retry(struct conn *c)
{
	if (!c->retry) {
		c->retry = true;
		thread_of(c->ctx)->retries++;
	}
}

/* Add @len bytes at @p of the TX memory to @iov, merging with the last. */
static void add_iov(struct ix_ctx *ctx, struct ix_iov *iov, unsigned int *n,
		    const void *p, uint32_t len)
{
	uint64_t off = ix_tx_off(ctx, p);

	if (*n && iov[*n - 1].off + iov[*n - 1].len == off) {
		iov[*n - 1].len += len;
		return;
	}
	iov[(*n)++] = (struct ix_iov){ .off = off, .len = len };
}

/* Copy @len bytes for stream position @pos into the ring; add them. */
static void add_copy(struct ix_ctx *ctx, struct conn *c, struct ix_iov *iov,
		     unsigned int *n, const void *p, uint32_t len, uint64_t pos)
{
	uint32_t at = pos % STREAM_SIZE;
	uint32_t first = STREAM_SIZE - at < len ? STREAM_SIZE - at : len;

	memcpy(c->ring + at, p, first);
	add_iov(ctx, iov, n, c->ring + at, first);
	if (len > first) {
		memcpy(c->ring, (const uint8_t *)p + first, len - first);
		add_iov(ctx, iov, n, c->ring, len - first);
	}
}

/*
 * Queue a sendv of the engine's output that sendv has not taken, as far
 * as the ring's window goes: values in the arena by reference, the rest
 * copied.  One sendv at a time; its result moves @queued on.
 */
static void send_output(struct ix_ctx *ctx, struct conn *c)
{
	uint64_t pos = c->queued, end = c->acked + STREAM_SIZE;
	struct ix_iov iov[IX_SENDV_MAX];
	struct iovec piece[IOV_BATCH];
	unsigned int i, n, niov = 0;
	uint32_t len;

	if (c->inflight || pos >= end)
		return;
	n = kv_conn_peek_at(c->kv, c->queued - c->acked, piece, IOV_BATCH);
	/* A copy that wraps takes two vectors. */
	for (i = 0; i < n && pos < end && niov < IX_SENDV_MAX - 1; i++) {
		len = piece[i].iov_len;
		if (len > end - pos)
			len = end - pos;
		if (kv_arena_owns(&arena, piece[i].iov_base)) {
			add_iov(ctx, iov, &niov, piece[i].iov_base, len);
			/* Counted as sent once sendv took it. */
			if (c->nzc < ARRAY_SIZE(c->zc))
				c->zc[c->nzc++] = (struct zc_span){
					pos - c->queued, len };
		} else {
			add_copy(ctx, c, iov, &niov, piece[i].iov_base, len,
				 pos);
		}
		pos += len;
	}
	if (!niov)
		return;
	if (ix_tcp_sendv(ctx, c->handle, iov, niov, conn_cookie(c)))
		want_retry(c);
	else
		c->inflight = true;
}

/* The result of the connection's sendv: @taken bytes of it went. */
static void sent_output(struct ix_ctx *ctx, struct conn *c, int64_t taken)
{
	unsigned int i;
	uint32_t zc = 0;

	c->inflight = false;
	if (taken <= 0)
		goto out;
	for (i = 0; i < c->nzc && c->zc[i].at < taken; i++)
		zc += taken - c->zc[i].at < c->zc[i].len ?
		      taken - c->zc[i].at : c->zc[i].len;
	thread_of(ctx)->zc_bytes += zc;
	thread_of(ctx)->copied_bytes += taken - zc;
	c->queued += taken;
out:
	c->nzc = 0;
}

/* Offer the waiting segments to the engine; return bytes it took. */
static size_t from_rx(struct conn *c)
{
	struct pending *p;
	size_t taken = 0;
	size_t n;

	if (!c->npend) {
		/* Work that waited for output room (a long get line). */
		kv_conn_input(c->kv, NULL, 0);
		return 0;
	}
	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = kv_conn_input(c->kv, p->data, p->len);
		taken += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
	c->owed += taken;
	return taken;
}

/* Move everything that can move; close when done. */
static void pump(struct ix_ctx *ctx, struct conn *c)
{
	size_t moved, pending;

	kv_lock();
	/* Gone to another thread, or on its way (on_moved_out()). */
	if (c->ctx != ctx) {
		kv_unlock();
		return;
	}
	do {
		pending = c->kv->pending;
		moved = from_rx(c);
		/* Output made without input taken (a get going on) moves too. */
		moved += c->kv->pending != pending;
	} while (moved);
	if (c->owed && !ix_tcp_recv_done(ctx, c->handle, c->owed))
		c->owed = 0;
	send_output(ctx, c);
	if (c->owed)
		want_retry(c);
	/* Everything acknowledged: nothing is left in the engine. */
	if ((c->fin || kv_conn_done(c->kv)) && !c->kv->pending &&
	    !c->closed) {
		if (!ix_tcp_close(ctx, c->handle))
			c->closed = true;
		else
			want_retry(c);
	}
	kv_unlock();
}

static void accept_conn(struct ix_ctx *ctx, struct conn *c)
{
	if (ix_tcp_accept(ctx, c->handle, conn_cookie(c))) {
		want_retry(c);
		return;
	}
	c->state = LIVE;
	thread_of(ctx)->conns++;
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = NULL;
	unsigned int i;

	kv_lock();
	for (i = 0; i < MAX_CONNS && !c; i++)
		if (conns[i].state == FREE)
			c = &conns[i];
	if (c) {
		memset(c, 0, offsetof(struct conn, pend));
		c->kv = kv_conn_new(&store);
		/* Taken: no other thread's knock picks it now. */
		if (c->kv)
			c->state = KNOCKED;
	}
	kv_unlock();
	if (!c || !c->kv) {
		thread_of(ctx)->refused++;
		ix_tcp_reject(ctx, handle);
		return;
	}
	c->ctx = ctx;
	c->handle = handle;
	c->ring = stream_mem + (size_t)(c - conns) * STREAM_SIZE;
	accept_conn(ctx, c);
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_here(ctx, cookie, handle);
	uint32_t n;

	if (!c)
		return;
	/* Given again after a move, but taken before it: taken. */
	n = len < c->skip ? len : c->skip;
	c->skip -= n;
	c->owed += n;
	data = (const uint8_t *)data + n;
	len -= n;
	if (n && !len) {
		pump(ctx, c);
		return;
	}
	if (len && c->npend == PENDING_MAX) {
		/*
		 * More pieces than we track: give up on the connection.  No
		 * dead event follows an abort, so end it here; if the command
		 * ring is full the connection lives on: keep the slot (its
		 * cookie is the kernel's still) until its dead event.
		 */
		thread_of(ctx)->overflow++;
		if (ix_tcp_abort(ctx, handle))
			c->closed = true;
		else
			conn_free(c);
		return;
	}
	if (len)
		c->pend[(c->pend_head + c->npend++) % PENDING_MAX] =
			(struct pending){ data, len };
	else
		c->fin = true;
	pump(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (!c)
		return;
	kv_lock();
	kv_conn_consume(c->kv, acked);
	kv_unlock();
	c->acked += acked;
	pump(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op == IX_CMD_TCP_LISTEN && cmd->result < 0) {
		fprintf(stderr, "ix_kv: listen: %s\n", strerror(-cmd->result));
		stop = 1;
		return;
	}
	if (cmd->op == IX_CMD_TCP_ACCEPT && cmd->result < 0) {
		/* The connection went before we took it. */
		c = conn_here(ctx, cmd->cookie, cmd->handle);
		if (c)
			conn_free(c);
		return;
	}
	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_here(ctx, cmd->cookie, cmd->handle);
	if (!c)
		return;
	sent_output(ctx, c, cmd->result);
	pump(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (c)
		conn_free(c);
}

static void on_core_up(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->has_core = true;
	thread_of(ctx)->ups++;
	ix_tcp_listen(ctx, port, 256, 0);
	printf("ix_kv: cpu %u port %u\n", cpu, port);
	fflush(stdout);
}

/*
 * The core left: its connections moved to other threads, whose moved
 * events may not have come yet.  No retry pass touches them from here
 * (the RX pool they pointed into is unmapped after this call).
 */
static void on_core_down(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->has_core = false;
	thread_of(ctx)->downs++;
}

/*
 * A connection came from another thread's core: it goes on here.  The
 * segments it had not consumed come again in recv events (those of the
 * old pool are void), the bytes the engine took without their recv_done
 * queued among them; its FIN, if it came, comes again too.  Its output
 * in flight moved with it: what the peer acknowledges comes in sent
 * events here.
 */
static void on_moved(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t old, uint32_t unread)
{
	struct conn *c;

	if (!cookie || cookie > MAX_CONNS)
		return;
	c = &conns[cookie - 1];
	kv_lock();
	if (c->state != LIVE || c->handle != old) {
		kv_unlock();
		return;
	}
	c->ctx = ctx;
	c->handle = handle;
	c->skip = c->owed;
	c->owed = 0;
	c->npend = 0;
	c->pend_head = 0;
	c->fin = false;
	/* A pump it wanted happens here now. */
	if (c->retry)
		thread_of(ctx)->retries++;
	kv_unlock();
	thread_of(ctx)->moved_in++;
}

/*
 * A connection of this thread went to another, whose moved event may not
 * have come yet: no pump here acts on it from now on.  Under the lock, so
 * that whichever of the two comes first, the connection ends with the
 * other thread.
 */
static void on_moved_out(struct ix_ctx *ctx, uint64_t cookie,
			 uint32_t handle, uint32_t to, unsigned int cpu)
{
	struct conn *c;

	if (!cookie || cookie > MAX_CONNS)
		return;
	c = &conns[cookie - 1];
	kv_lock();
	if (c->state == LIVE && c->ctx == ctx && c->handle == handle)
		c->ctx = NULL;
	kv_unlock();
	thread_of(ctx)->moved_out++;
}

static const struct ix_ops kv_ops = {
	.done		= on_done,
	.knock		= on_knock,
	.recv		= on_recv,
	.sent		= on_sent,
	.dead		= on_dead,
	.core_up	= on_core_up,
	.core_down	= on_core_down,
	.moved		= on_moved,
	.moved_out	= on_moved_out,
};

/*
 * Commands that found the ring full go again now that it was drained:
 * those of this thread's connections (one that moved in counts here).
 */
static void run_retries(struct ix_ctx *ctx)
{
	struct kv_thread *t = thread_of(ctx);
	struct conn *c;
	unsigned int i;

	if (!t->retries || !t->has_core)
		return;
	t->retries = 0;
	for (i = 0; i < MAX_CONNS; i++) {
		c = &conns[i];
		if (!c->retry || c->ctx != ctx)
			continue;
		c->retry = false;
		if (c->state == KNOCKED)
			accept_conn(ctx, c);
		else if (c->state == LIVE)
			pump(ctx, c);
	}
}

static void on_signal(int sig)
{
	stop = 1;
}

/*
 * The connections still open on @t at the end, freed; with @transit,
 * also those on their way to a thread that had not read of them
 * (on_moved_out()).
 */
static unsigned int close_left(struct kv_thread *t, bool transit)
{
	unsigned int i, open = 0;

	for (i = 0; i < MAX_CONNS; i++) {
		if (conns[i].state == FREE ||
		    (conns[i].ctx != &t->ctx && !(transit && !conns[i].ctx)))
			continue;
		open += conns[i].state == LIVE;
		conn_free(&conns[i]);
	}
	return open;
}

static void print_counters(struct kv_thread *t, unsigned int open)
{
	if (nthreads == 1) {
		printf("ix_kv: %llu connections, %llu refused, %llu overflows, %llu items (%llu heap placements), %llu bytes sent zero copy, %llu copied, %u events dropped\n",
		       t->conns, t->refused, t->overflow,
		       (unsigned long long)store.count,
		       (unsigned long long)arena.fails, t->zc_bytes,
		       t->copied_bytes, *t->ctx.ev.dropped);
		return;
	}
	printf("ix_kv: thread %u: %llu connections, %llu moved in, %llu moved out, %llu refused, %llu overflows, %llu bytes sent zero copy, %llu copied, %u events dropped, %llu cores up, %llu down, %u open\n",
	       t->index, t->conns, t->moved_in, t->moved_out, t->refused,
	       t->overflow,
	       t->zc_bytes, t->copied_bytes, *t->ctx.ev.dropped, t->ups,
	       t->downs, open);
}

static int serve(struct kv_thread *t)
{
	int err = 0;

	while (!stop && err >= 0) {
		err = ix_run(&t->ctx, 100000, run_flags);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			/* A thread that cannot run holds its core: all end. */
			fprintf(stderr, "ix_kv: run: %s\n", strerror(-err));
			stop = 1;
		}
		run_retries(&t->ctx);
	}
	return err < 0 ? err : 0;
}

static struct ix_group group;
static unsigned int dev_cpu;

static void *elastic_thread(void *arg)
{
	struct kv_thread *t = arg;
	int err;

	err = ix_open_elastic(&t->ctx, &group, t->index, dev_cpu, &kv_ops,
			      t);
	if (err) {
		fprintf(stderr, "ix_kv: thread %u: ix_open_elastic: %s\n",
			t->index, strerror(-err));
		stop = 1;
		return (void *)1;
	}
	t->open = true;
	return (void *)(uintptr_t)(serve(t) != 0);
}

/* THREADS elastic threads; 0, or 1 if any failed. */
static int run_elastic(struct kv_thread *t)
{
	unsigned int i, started;
	bool first;
	int bad = 0;
	void *ret;

	for (started = 0; started < nthreads; started++) {
		t[started].index = started;
		if (pthread_create(&t[started].tid, NULL, elastic_thread,
				   &t[started])) {
			stop = 1;
			bad = 1;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		pthread_join(t[i].tid, &ret);
		bad |= ret != NULL;
	}
	/* After every last run: no connection moves between threads now. */
	for (i = 0, first = true; i < started; i++) {
		if (!t[i].open)
			continue;
		print_counters(&t[i], close_left(&t[i], first));
		first = false;
	}
	printf("ix_kv: %llu items (%llu heap placements)\n",
	       (unsigned long long)store.count,
	       (unsigned long long)arena.fails);
	for (i = 0; i < started; i++)
		if (t[i].open)
			ix_close(&t[i].ctx);
	return bad;
}

/*
 * The largest arena: the TX memory is at most 1 GiB, and libix keeps
 * each thread's send vectors in it (2 MiB a thread is more than they
 * take).
 */
static size_t arena_max(void)
{
	return ((1UL << 30) - nthreads * (2UL << 20) - RINGS_SIZE) &
	       ~(size_t)(KV_ARENA_PAGE - 1);
}

/* The send rings, then the arena, in the application's TX memory. */
static void place(uint8_t *mem, size_t len)
{
	stream_mem = mem;
	kv_arena_init(&arena, stream_mem + RINGS_SIZE, len - RINGS_SIZE);
	store.arena = &arena;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long mb = KV_LIMIT_DEFAULT >> 20;
	size_t len, arena_size;
	struct kv_thread *t;
	uint8_t *mem;
	int err;

	run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: ix_kv CPU PORT [MEGABYTES [THREADS]]\n");
		return 2;
	}
	dev_cpu = strtoul(argv[1], NULL, 0);
	port = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		mb = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		nthreads = strtoul(argv[4], NULL, 0);
	if (!nthreads || nthreads > 64) {
		fprintf(stderr, "ix_kv: THREADS 1 to 64\n");
		return 2;
	}
	conns = calloc(MAX_CONNS, sizeof(*conns));
	t = calloc(nthreads, sizeof(*t));
	if (!conns || !t || !mb || mb > (1UL << 20) ||
	    kv_store_init(&store, mb << 20, KV_ITEM_MAX_DEFAULT, clock_now))
		return 2;
	/* Room for the class chunks' slack; past it, items go to the heap. */
	arena_size = (mb << 20) + (mb << 18) + 4 * KV_ARENA_PAGE;
	if (arena_size > arena_max())
		arena_size = arena_max();
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (nthreads > 1) {
		err = ix_group_init(&group, nthreads, RINGS_SIZE + arena_size);
		if (err) {
			fprintf(stderr, "ix_kv: TX memory: %s\n",
				strerror(-err));
			return 1;
		}
		place(group.tx + group.tx_user, group.tx_len - group.tx_user);
		printf("ix_kv: %u elastic threads, %lu MiB\n", nthreads, mb);
		fflush(stdout);
		err = run_elastic(t);
		/* The items live in the TX memory: free them before it. */
		kv_store_destroy(&store);
		ix_group_free(&group);
		free(conns);
		free(t);
		return err;
	}
	err = ix_open(&t->ctx, dev_cpu, RINGS_SIZE + arena_size, &kv_ops, t);
	if (err) {
		fprintf(stderr, "ix_kv: ix_open: %s\n", strerror(-err));
		return 1;
	}
	t->open = true;
	t->has_core = true;
	mem = ix_tx_mem(&t->ctx, &len);
	place(mem, len);
	ix_tcp_listen(&t->ctx, port, 256, 0);
	printf("ix_kv: cpu %u port %u, %lu MiB\n", dev_cpu, port, mb);
	fflush(stdout);
	err = serve(t);
	/* The items live in the TX memory: free them before unmapping it. */
	print_counters(t, close_left(t, true));
	kv_store_destroy(&store);
	ix_close(&t->ctx);
	free(conns);
	free(t);
	return err != 0;
}
