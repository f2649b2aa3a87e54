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
 * flow control reaches the client.  Replies are copied from the engine
 * into a send ring per connection in the TX memory (struct ix_stream)
 * and sent from there with sendv as acknowledgements make room.  A quit,
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
#define STREAM_SIZE	(64 * 1024)
#define IOV_BATCH	16

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

/**
 * struct conn - one connection
 * @state: FREE, KNOCKED (accept not queued yet), LIVE
 * @fin: the peer closed its direction
 * @closed: our close is queued
 * @retry: a command found the ring full; pump again after the run
 * @handle: the kernel's
 * @kv: the protocol engine
 * @st: the send ring
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
	uint32_t	handle;
	struct kv_conn	*kv;
	struct ix_stream st;
	uint32_t	owed;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

enum { FREE, KNOCKED, LIVE };

static struct conn *conns;
static struct kv_store store;
static uint8_t *stream_mem;
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

/* A sendv's cookie is its stream: the connection around it. */
static struct conn *conn_of_stream(uint64_t cookie, uint32_t handle)
{
	uintptr_t base = (uintptr_t)conns;
	struct conn *c;

	if (cookie < base || cookie >= base + MAX_CONNS * sizeof(*conns))
		return NULL;
	c = conn_of((cookie - base) / sizeof(*conns), handle);
	return c && (uintptr_t)&c->st == cookie ? c : NULL;
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

/* Copy the engine's output into the send ring; return bytes moved. */
static size_t to_stream(struct conn *c)
{
	struct iovec iov[IOV_BATCH];
	unsigned int i, n;
	size_t moved = 0;
	uint32_t k;

	while (ix_stream_room(&c->st) &&
	       (n = kv_conn_peek(c->kv, iov, IOV_BATCH))) {
		for (i = 0; i < n; i++) {
			k = ix_stream_write(&c->st, iov[i].iov_base,
					    iov[i].iov_len);
			kv_conn_consume(c->kv, k);
			moved += k;
			if (k < iov[i].iov_len)
				return moved;
		}
	}
	return moved;
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
		moved = to_stream(c);
		pending = c->kv->pending;
		moved += from_rx(c);
		/* Output made without input taken (a get going on) moves too. */
		moved += c->kv->pending != pending;
	} while (moved);
	if (c->owed && !ix_tcp_recv_done(ctx, c->handle, c->owed))
		c->owed = 0;
	ix_stream_flush(&c->st);
	if (c->owed || (c->st.written != c->st.queued && !c->st.inflight))
		want_retry(c);
	if ((c->fin || kv_conn_done(c->kv)) && !c->kv->pending &&
	    c->st.queued == c->st.written && !c->closed) {
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
	ix_stream_init(&c->st, ctx, handle,
		       stream_mem + (size_t)(c - conns) * STREAM_SIZE,
		       STREAM_SIZE);
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
	ix_stream_acked(&c->st, acked);
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
	c = conn_of_stream(cmd->cookie, cmd->handle);
	if (!c)
		return;
	ix_stream_done(&c->st, cmd);
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
	size_t len;
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
	err = ix_open(&ctx, strtoul(argv[1], NULL, 0),
		      (size_t)MAX_CONNS * STREAM_SIZE, &kv_ops, NULL);
	if (err) {
		fprintf(stderr, "ix_kv: ix_open: %s\n", strerror(-err));
		return 1;
	}
	stream_mem = ix_tx_mem(&ctx, &len);
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
	printf("ix_kv: %llu connections, %llu refused, %llu overflows, %llu items, %u events dropped\n",
	       n_conns, n_refused, n_overflow,
	       (unsigned long long)store.count, *ctx.ev.dropped);
	ix_close(&ctx);
	for (i = 0; i < MAX_CONNS; i++)
		conn_free(&conns[i]);
	kv_store_destroy(&store);
	free(conns);
	return err < 0 && err != -EINTR;
}
