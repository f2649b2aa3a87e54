// SPDX-License-Identifier: GPL-2.0
/*
 * ix_http: the HTTP/1.1 server on the ixdp dataplane, through libix.
 *
 *	ix_http CPU PORT [DIR]
 *
 * Serves the regular files of DIR, or the built-in set (http_site.c),
 * with the engine of http_conn.c, which http_sock shares.
 *
 * Zero copy: the files are read once at start into the TX memory and
 * every response's body is sent by sendv straight from there.  A
 * response head is built per request (its Date changes) in a slot of
 * the connection's header ring, also in the TX memory; a slot is reused
 * only once the peer acknowledged its bytes (the sent event), since the
 * stack may send them again until then.  Received segments are parsed in
 * place in the RX pool when a head arrives whole (the engine copies a
 * head only when it comes in pieces) and given back with recv_done as
 * the engine takes them; a segment it refuses (HTTP_RESP_MAX responses
 * not acknowledged yet) stays in the RX pool, which closes the receive
 * window.  It sleeps on the queue interrupt when idle, or polls if
 * IX_POLL is set in the environment.  SIGINT or SIGTERM ends it.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../lib/ix/libix.h"
#include "http.h"

#define MAX_CONNS	512
#define PENDING_MAX	64

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

/**
 * struct conn - one connection
 * @live: accepted, not dead
 * @inflight: a sendv awaits its result
 * @fin: the peer closed its side
 * @closed: our close is queued
 * @handle: its handle
 * @owed: bytes taken whose recv_done is not queued yet
 * @npend: segments waiting in the RX pool, from @pend_head
 * @pend_head: see @npend
 * @pend: them
 * @http: the protocol
 */
struct conn {
	bool		live;
	bool		inflight;
	bool		fin;
	bool		closed;
	uint32_t	handle;
	uint32_t	owed;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
	struct http_conn http;
};

static struct conn *conns;
static struct http_site site;
static uint8_t *hrings;
static volatile sig_atomic_t stop;
static unsigned long long n_conns, n_overflow;
static unsigned long n_reqs, n_errs;

static struct conn *conn_of(uint32_t handle)
{
	struct conn *c = &conns[(handle & 0xffff) % MAX_CONNS];

	return c->live && c->handle == handle ? c : NULL;
}

/* Offer the waiting segments to the engine. */
static void from_rx(struct conn *c)
{
	struct pending *p;
	size_t n;

	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = http_conn_input(&c->http, p->data, p->len);
		c->owed += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
}

/* Queue one sendv of what the engine has, if none is in flight. */
static void to_tx(struct ix_ctx *ctx, struct conn *c)
{
	struct iovec v[IX_SENDV_MAX];
	struct ix_iov iov[IX_SENDV_MAX];
	unsigned int i, n;

	if (c->inflight || c->closed)
		return;
	n = http_conn_peek(&c->http, v, IX_SENDV_MAX);
	for (i = 0; i < n; i++)
		iov[i] = (struct ix_iov){ .off = ix_tx_off(ctx, v[i].iov_base),
					 .len = v[i].iov_len };
	if (n && !ix_tcp_sendv(ctx, c->handle, iov, n, c->handle))
		c->inflight = true;
}

/* Move everything that can move; close when done. */
static void pump(struct ix_ctx *ctx, struct conn *c)
{
	from_rx(c);
	if (c->owed && !ix_tcp_recv_done(ctx, c->handle, c->owed))
		c->owed = 0;
	to_tx(ctx, c);
	if (((c->fin && !c->npend) || c->http.closing) && !c->http.pending &&
	    !c->inflight && !c->closed && !ix_tcp_close(ctx, c->handle))
		c->closed = true;
}

/* The connection is over: count its requests and free its slot. */
static void conn_end(struct conn *c)
{
	n_reqs += c->http.nreq;
	n_errs += c->http.nerr;
	c->live = false;
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	unsigned int slot = (handle & 0xffff) % MAX_CONNS;
	struct conn *c = &conns[slot];

	if (c->live) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	memset(c, 0, offsetof(struct conn, pend));
	http_conn_init(&c->http, &site, hrings + (size_t)slot * HTTP_HRING);
	c->live = true;
	c->handle = handle;
	ix_tcp_accept(ctx, handle, handle);
	n_conns++;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_of(handle);

	if (!c)
		return;
	if (len && c->npend == PENDING_MAX) {
		/*
		 * More pieces than we track: give up on the connection.
		 * No dead event follows an abort, so end it here; any
		 * later event for the stale handle misses in conn_of().
		 * If the command ring is full the handle stays alive: keep
		 * the slot until its dead event.
		 */
		n_overflow++;
		if (ix_tcp_abort(ctx, handle))
			c->closed = true;
		else
			conn_end(c);
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
	struct conn *c = conn_of(handle);

	if (!c)
		return;
	http_conn_release(&c->http, acked);
	pump(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op == IX_CMD_TCP_LISTEN && cmd->result < 0) {
		fprintf(stderr, "ix_http: listen: %s\n",
			strerror(-cmd->result));
		stop = 1;
		return;
	}
	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_of(cmd->cookie);
	if (!c)
		return;
	c->inflight = false;
	if (cmd->result > 0)
		http_conn_consume(&c->http, cmd->result);
	/* 0: the window is full; the next sent event goes on. */
	if (cmd->result > 0)
		pump(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_of(handle);

	if (c)
		conn_end(c);
}

static const struct ix_ops http_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
};

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	const char *dir = argc > 3 ? argv[3] : NULL;
	size_t need, len;
	struct ix_ctx ctx;
	uint8_t *mem;
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: ix_http CPU PORT [DIR]\n");
		return 2;
	}
	conns = calloc(MAX_CONNS, sizeof(*conns));
	err = http_site_need(dir, &need);
	if (!conns || err) {
		fprintf(stderr, "ix_http: %s: %s\n", dir ? dir : "memory",
			strerror(err ? -err : ENOMEM));
		return 2;
	}
	err = ix_open(&ctx, strtoul(argv[1], NULL, 0),
		      need + (size_t)MAX_CONNS * HTTP_HRING + 4096,
		      &http_ops, NULL);
	if (err) {
		fprintf(stderr, "ix_http: ix_open: %s\n", strerror(-err));
		return 1;
	}
	/* The header rings first, then the files. */
	mem = ix_tx_mem(&ctx, &len);
	hrings = mem;
	err = -ENOSPC;
	if (len >= (size_t)MAX_CONNS * HTTP_HRING)
		err = http_site_load(&site, dir, mem + MAX_CONNS * HTTP_HRING,
				     len - (size_t)MAX_CONNS * HTTP_HRING);
	if (err) {
		fprintf(stderr, "ix_http: loading the files: %s\n",
			strerror(-err));
		ix_close(&ctx);
		return 1;
	}
	http_site_tick(&site, time(NULL));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = ix_tcp_listen(&ctx, strtoul(argv[2], NULL, 0), 256, 0);
	printf("ix_http: cpu %s port %s, %u files\n", argv[1], argv[2],
	       site.nfiles);
	fflush(stdout);
	while (!stop && err >= 0) {
		err = ix_run(&ctx, 100000, run_flags);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			fprintf(stderr, "ix_http: run: %s\n", strerror(-err));
		/* One time() per batch; the Date is formatted once a second. */
		http_site_tick(&site, time(NULL));
	}
	for (len = 0; len < MAX_CONNS; len++) {
		n_reqs += conns[len].live ? conns[len].http.nreq : 0;
		n_errs += conns[len].live ? conns[len].http.nerr : 0;
	}
	printf("ix_http: %llu connections, %lu requests, %lu errors, ",
	       n_conns, n_reqs, n_errs);
	printf("%llu overflows, %u events dropped\n", n_overflow,
	       *ctx.ev.dropped);
	ix_close(&ctx);
	return err < 0;
}
