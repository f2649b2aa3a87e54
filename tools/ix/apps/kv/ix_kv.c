// SPDX-License-Identifier: GPL-2.0
/*
 * ix_kv: the key-value server on the ixdp dataplane, through libix.
 *
 *	ix_kv CPU PORT [MEGABYTES]
 *
 * Binds to the dataplane of reserved CPU CPU, listens on PORT and serves
 * the memcached text and binary protocols from a store of MEGABYTES (64)
 * that this core owns.  Received segments are parsed in place in the RX
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
 */

#include <errno.h>
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
/* The TX memory is at most 1 GiB; libix keeps 1 MiB of it for vectors. */
#define ARENA_MAX	((1UL << 30) - (2UL << 20) - RINGS_SIZE)
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
 * @handle: the kernel's
 * @kv: the protocol engine
 * @ring: the send ring in the TX memory, STREAM_SIZE bytes
 * @acked: output bytes the peer acknowledged (and the engine consumed)
 * @queued: output bytes sendv took; the engine's output from
 *	@queued - @acked bytes on is not sent yet
 * @nzc: entries of @zc
 * @zc: the spans of the sendv in flight sent zero copy (for counting)
 * @owed: bytes the engine took whose recv_done is not queued yet
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
	uint32_t	handle;
	struct kv_conn	*kv;
	uint8_t		*ring;
	uint64_t	acked;
	uint64_t	queued;
	unsigned int	nzc;
	struct zc_span	zc[IX_SENDV_MAX];
	uint32_t	owed;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

enum { FREE, KNOCKED, LIVE };

static struct conn *conns;
static struct kv_store store;
static struct kv_arena arena;
static uint8_t *stream_mem;
static unsigned long long n_zc_bytes, n_copied_bytes;
static unsigned int retries;
static volatile sig_atomic_t stop;
static unsigned long long n_conns, n_refused, n_overflow;

static int64_t clock_now(void)
{
	return time(NULL);
}

/* The connection an event is for: its cookie is the slot. */
static struct conn *conn_of(uint64_t cookie, uint32_t handle)
{
	struct conn *c;

	if (cookie >= MAX_CONNS)
		return NULL;
	c = &conns[cookie];
	return c->state == LIVE && c->handle == handle ? c : NULL;
}

static void conn_free(struct conn *c)
{
	if (c->kv)
		kv_conn_free(c->kv);
	c->kv = NULL;
	c->state = FREE;
}

static void want_retry(struct conn *c)
{
	if (!c->retry) {
		c->retry = true;
		retries++;
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
	if (ix_tcp_sendv(ctx, c->handle, iov, niov, c - conns))
		want_retry(c);
	else
		c->inflight = true;
}

/* The result of the connection's sendv: @taken bytes of it went. */
static void sent_output(struct conn *c, int64_t taken)
{
	unsigned int i;
	uint32_t zc = 0;

	c->inflight = false;
	if (taken <= 0)
		goto out;
	for (i = 0; i < c->nzc && c->zc[i].at < taken; i++)
		zc += taken - c->zc[i].at < c->zc[i].len ?
		      taken - c->zc[i].at : c->zc[i].len;
	n_zc_bytes += zc;
	n_copied_bytes += taken - zc;
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
}

static void accept_conn(struct ix_ctx *ctx, struct conn *c)
{
	uint64_t slot = c - conns;

	if (ix_tcp_accept(ctx, c->handle, slot)) {
		want_retry(c);
		return;
	}
	c->state = LIVE;
	n_conns++;
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = NULL;
	unsigned int i;

	for (i = 0; i < MAX_CONNS && !c; i++)
		if (conns[i].state == FREE)
			c = &conns[i];
	if (c) {
		memset(c, 0, offsetof(struct conn, pend));
		c->kv = kv_conn_new(&store);
	}
	if (!c || !c->kv) {
		n_refused++;
		ix_tcp_reject(ctx, handle);
		return;
	}
	c->state = KNOCKED;
	c->handle = handle;
	c->ring = stream_mem + (size_t)(c - conns) * STREAM_SIZE;
	accept_conn(ctx, c);
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_of(cookie, handle);

	if (!c)
		return;
	if (len && c->npend == PENDING_MAX) {
		/* More pieces than we track: give up on the connection. */
		n_overflow++;
		ix_tcp_abort(ctx, handle);
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
	struct conn *c = conn_of(cookie, handle);

	if (!c)
		return;
	kv_conn_consume(c->kv, acked);
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
		c = conn_of(cmd->cookie, cmd->handle);
		if (c)
			conn_free(c);
		return;
	}
	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_of(cmd->cookie, cmd->handle);
	if (!c)
		return;
	sent_output(c, cmd->result);
	pump(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_of(cookie, handle);

	if (c)
		conn_free(c);
}

static const struct ix_ops kv_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
};

/* Commands that found the ring full go again now that it was drained. */
static void run_retries(struct ix_ctx *ctx)
{
	struct conn *c;
	unsigned int i;

	for (i = 0; i < MAX_CONNS && retries; i++) {
		c = &conns[i];
		if (!c->retry)
			continue;
		c->retry = false;
		retries--;
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

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long mb = KV_LIMIT_DEFAULT >> 20;
	struct ix_ctx ctx;
	unsigned int i;
	unsigned int run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	size_t len, arena_size;
	int err;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ix_kv CPU PORT [MEGABYTES]\n");
		return 2;
	}
	if (argc > 3)
		mb = strtoul(argv[3], NULL, 0);
	conns = calloc(MAX_CONNS, sizeof(*conns));
	if (!conns || !mb || mb > (1UL << 20) ||
	    kv_store_init(&store, mb << 20, KV_ITEM_MAX_DEFAULT, clock_now))
		return 2;
	/* Room for the class chunks' slack; past it, items go to the heap. */
	arena_size = (mb << 20) + (mb << 18) + 4 * KV_ARENA_PAGE;
	if (arena_size > ARENA_MAX)
		arena_size = ARENA_MAX & ~(size_t)(KV_ARENA_PAGE - 1);
	err = ix_open(&ctx, strtoul(argv[1], NULL, 0), RINGS_SIZE + arena_size,
		      &kv_ops, NULL);
	if (err) {
		fprintf(stderr, "ix_kv: ix_open: %s\n", strerror(-err));
		return 1;
	}
	stream_mem = ix_tx_mem(&ctx, &len);
	kv_arena_init(&arena, stream_mem + RINGS_SIZE, len - RINGS_SIZE);
	store.arena = &arena;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ix_tcp_listen(&ctx, strtoul(argv[2], NULL, 0), 256, 0);
	printf("ix_kv: cpu %s port %s, %lu MiB\n", argv[1], argv[2], mb);
	fflush(stdout);
	while (!stop) {
		err = ix_run(&ctx, 100000, run_flags);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "ix_kv: run: %s\n", strerror(-err));
			break;
		}
		run_retries(&ctx);
	}
	printf("ix_kv: %llu connections, %llu refused, %llu overflows, %llu items (%llu heap placements), %llu bytes sent zero copy, %llu copied, %u events dropped\n",
	       n_conns, n_refused, n_overflow,
	       (unsigned long long)store.count,
	       (unsigned long long)arena.fails, n_zc_bytes, n_copied_bytes,
	       *ctx.ev.dropped);
	/* The items live in the TX memory: free them before unmapping it. */
	for (i = 0; i < MAX_CONNS; i++)
		conn_free(&conns[i]);
	kv_store_destroy(&store);
	ix_close(&ctx);
	free(conns);
	return err < 0 && err != -EINTR;
}
