// SPDX-License-Identifier: GPL-2.0
/*
 * ix_echo: a TCP echo server on libix.
 *
 *	ix_echo CPU PORT [STREAM_KIB [MAX_CONNS]]
 *
 * Binds to the dataplane of reserved CPU CPU, listens on PORT and sends
 * back every byte it receives on a connection, in order.  Received data
 * is read in place from the RX pool and copied into a per-connection
 * send ring in the TX memory (struct ix_stream), then given back with
 * recv_done; data the ring cannot take waits, unconsumed, in the RX pool
 * until the peer acknowledges enough of the echo (explicit flow
 * control).  The peer's FIN is answered once the echo is out.  MAX_CONNS
 * (512) should match the device's max_conns; each connection takes
 * STREAM_KIB (128) of TX memory.  It sleeps on the queue interrupt when
 * idle (IX_RUN_SLEEP), or polls without sleeping if IX_POLL is set in the
 * environment.  SIGINT or
 * SIGTERM ends it; it prints its counters then.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/ix/libix.h"

#define PENDING_MAX	256

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

struct conn {
	int		live;
	int		fin;
	int		closed;
	struct ix_stream st;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

static struct conn *conns;
static uint32_t stream_size = 128 * 1024;
static unsigned int max_conns = 512;
static uint8_t *stream_mem;
static volatile sig_atomic_t stop;
static unsigned long long n_conns, n_bytes, n_overflow;

static struct conn *conn_of(uint32_t handle)
{
	return &conns[(handle & 0xffff) % max_conns];
}

/* Copy what waits into the send ring; give it back to the kernel. */
static void drain(struct ix_ctx *ctx, struct conn *c)
{
	struct pending *p;
	uint32_t n;

	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = ix_stream_write(&c->st, p->data, p->len);
		if (n)
			ix_tcp_recv_done(ctx, c->st.handle, n);
		n_bytes += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
	ix_stream_flush(&c->st);
	if (c->fin && !c->npend && c->st.queued == c->st.written &&
	    !c->closed) {
		ix_tcp_close(ctx, c->st.handle);
		c->closed = 1;
	}
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = conn_of(handle);

	if (c->live) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->live = 1;
	ix_stream_init(&c->st, ctx, handle,
		       stream_mem + (size_t)(c - conns) * stream_size,
		       stream_size);
	ix_tcp_accept(ctx, handle, handle);
	n_conns++;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_of(handle);

	if (!c->live)
		return;
	if (!len) {
		c->fin = 1;
	} else if (c->npend == PENDING_MAX) {
		/* More pieces than we track: give up on the connection. */
		n_overflow++;
		ix_tcp_abort(ctx, handle);
		c->live = 0;
		return;
	} else {
		c->pend[(c->pend_head + c->npend++) % PENDING_MAX] =
			(struct pending){ data, len };
	}
	drain(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_of(handle);

	if (!c->live)
		return;
	ix_stream_acked(&c->st, acked);
	drain(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_of(cmd->handle);
	if (!c->live || &c->st != (struct ix_stream *)(uintptr_t)cmd->cookie)
		return;
	ix_stream_done(&c->st, cmd);
	drain(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	conn_of(handle)->live = 0;
}

static const struct ix_ops echo_ops = {
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
	struct ix_ctx ctx;
	size_t len;
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: ix_echo CPU PORT [STREAM_KIB [MAX_CONNS]]\n");
		return 2;
	}
	if (argc > 3)
		stream_size = strtoul(argv[3], NULL, 0) * 1024;
	if (argc > 4)
		max_conns = strtoul(argv[4], NULL, 0);
	if (stream_size < 4096 || !max_conns || max_conns > 65535) {
		fprintf(stderr, "ix_echo: STREAM_KIB at least 4, MAX_CONNS 1 to 65535\n");
		return 2;
	}
	conns = calloc(max_conns, sizeof(*conns));
	if (!conns)
		return 2;
	err = ix_open(&ctx, strtoul(argv[1], NULL, 0),
		      (size_t)max_conns * stream_size, &echo_ops, NULL);
	if (err) {
		fprintf(stderr, "ix_echo: ix_open: %s\n", strerror(-err));
		return 1;
	}
	stream_mem = ix_tx_mem(&ctx, &len);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ix_tcp_listen(&ctx, strtoul(argv[2], NULL, 0), 4096, 0);
	printf("ix_echo: cpu %s port %s\n", argv[1], argv[2]);
	fflush(stdout);
	while (!stop) {
		err = ix_run(&ctx, 100000, run_flags);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "ix_echo: run: %s\n", strerror(-err));
			break;
		}
	}
	printf("ix_echo: %llu connections, %llu bytes echoed, %llu overflows, %u events dropped\n",
	       n_conns, n_bytes, n_overflow, *ctx.ev.dropped);
	ix_close(&ctx);
	return err < 0 && err != -EINTR;
}
