// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the echo service of the always-alive loop (RFC 862).
 *
 * While no application drives a core, its loop can run an echo service
 * on a configured port, for TCP and UDP, so that the dataplane's TCP can
 * be exercised against real peers before applications exist: every byte
 * received on a connection is sent back on it, zero copy, from the
 * receive buffer itself.  A buffer is given back (and the receive window
 * reopened by its length) once the peer has acknowledged its echo, so a
 * sender is paced by the echo.  The peer's FIN is answered with ours once
 * everything is echoed.  The loop can also open connections on request
 * (ixdp_echo_connect()): they echo the same way.
 */

#include <linux/vmalloc.h>

#include "dp.h"
#include "tcp.h"

/* Buffers of one connection waiting for their echo to be acknowledged. */
#define ECHO_FIFO	64

/**
 * struct ixdp_echo_conn - one echoed connection
 * @handle: its TCP handle; 0 if the slot is free
 * @n: buffers in @fifo
 * @head: the oldest
 * @unsent: index (from @head) of the first buffer not wholly queued
 * @sent_off: bytes of that buffer already queued
 * @acked_off: bytes of the oldest buffer already acknowledged
 * @fin: the peer closed its direction
 * @fifo: the buffers, oldest first
 */
struct ixdp_echo_conn {
	u32		handle;
	u16		n;
	u16		head;
	u16		unsent;
	u32		sent_off;
	u32		acked_off;
	bool		fin;
	struct ixdp_buf	*fifo[ECHO_FIFO];
};

/**
 * struct ixdp_echo - a core's echo service
 * @port: the port it serves, 0 for none
 * @tcp: the core's TCP
 * @conns: connections, by PCB index; as many as @tcp has PCBs
 */
struct ixdp_echo {
	__be16			port;
	struct ixdp_tcp		*tcp;
	struct ixdp_echo_conn	conns[];
};

static struct ixdp_core *core_of(struct ixdp_stack *s)
{
	return container_of(s, struct ixdp_core, stack);
}

/* Connections are found by the PCB index in their handle. */
static struct ixdp_echo_conn *echo_conn(struct ixdp_stack *s, u32 handle)
{
	return &core_of(s)->echo->conns[handle & 0xffff];
}

static struct ixdp_buf *echo_buf(struct ixdp_echo_conn *c, unsigned int i)
{
	return c->fifo[(c->head + i) % ECHO_FIFO];
}

/* Queue as much of the unsent echo as TCP takes. */
static void echo_push(struct ixdp_stack *s, struct ixdp_echo_conn *c)
{
	struct ixdp_iov iov;
	struct ixdp_buf *b;
	int n;

	while (c->unsent < c->n) {
		b = echo_buf(c, c->unsent);
		iov.base = ixdp_buf_data(b) + c->sent_off;
		iov.len = b->len - c->sent_off;
		n = ixdp_tcp_sendv(s, c->handle, &iov, 1);
		if (n <= 0)
			return;
		c->sent_off += n;
		if (c->sent_off < b->len)
			return;
		c->unsent++;
		c->sent_off = 0;
	}
	if (c->fin && !c->n)
		ixdp_tcp_close(s, c->handle);
}

static void echo_release(struct ixdp_echo_conn *c)
{
	while (c->n) {
		ixdp_buf_put(echo_buf(c, 0));
		c->head = (c->head + 1) % ECHO_FIFO;
		c->n--;
	}
	memset(c, 0, sizeof(*c));
}

static void echo_knock(struct ixdp_stack *s, void *lcookie, u32 handle,
		       __be32 raddr, __be16 rport)
{
	struct ixdp_echo_conn *c = echo_conn(s, handle);

	if (c->handle) {
		ixdp_tcp_reject(s, handle);
		return;
	}
	c->handle = handle;
	ixdp_tcp_accept(s, handle, NULL);
	core_of(s)->stats.tcp_accepted++;
}

static void echo_connected(struct ixdp_stack *s, void *cookie, u32 handle,
			   int status)
{
	if (status) {
		echo_release(echo_conn(s, handle));
		core_of(s)->stats.tcp_connect_failed++;
		return;
	}
	core_of(s)->stats.tcp_connected++;
}

static void echo_recv(struct ixdp_stack *s, void *cookie, u32 handle,
		      struct ixdp_buf *b)
{
	struct ixdp_echo_conn *c = echo_conn(s, handle);

	if (!b) {
		c->fin = true;
		echo_push(s, c);
		return;
	}
	if (c->n == ECHO_FIFO || !b->len) {
		/* Cannot hold it for its echo: take it, echo nothing. */
		ixdp_tcp_recv_done(s, handle, b->len, 1);
		ixdp_buf_put(b);
		return;
	}
	c->fifo[(c->head + c->n++) % ECHO_FIFO] = b;
	core_of(s)->stats.echo_bytes += b->len;
	echo_push(s, c);
}

static void echo_sent(struct ixdp_stack *s, void *cookie, u32 handle,
		      u32 acked, u32 space)
{
	struct ixdp_echo_conn *c = echo_conn(s, handle);
	struct ixdp_buf *b;
	u32 left;

	while (acked && c->n) {
		b = echo_buf(c, 0);
		left = b->len - c->acked_off;
		if (acked < left) {
			c->acked_off += acked;
			break;
		}
		acked -= left;
		ixdp_tcp_recv_done(s, handle, b->len, 1);
		ixdp_buf_put(b);
		c->head = (c->head + 1) % ECHO_FIFO;
		c->n--;
		c->unsent--;
		c->acked_off = 0;
	}
	echo_push(s, c);
}

static void echo_dead(struct ixdp_stack *s, void *cookie, u32 handle,
		      int reason)
{
	echo_release(echo_conn(s, handle));
}

static const struct ixdp_tcp_ops echo_tcp_ops = {
	.knock		= echo_knock,
	.connected	= echo_connected,
	.recv		= echo_recv,
	.sent		= echo_sent,
	.dead		= echo_dead,
};

static void echo_udp_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
			__be32 saddr, __be16 sport)
{
	struct ixdp_echo *e = cookie;

	ixdp_udp_send(s, b, e->port, saddr, sport);
}

/**
 * ixdp_echo_start() - give @core its TCP and, if @port, the echo service
 * @core: a core being built
 * @port: the port, or 0
 *
 * Return: 0, -ENOMEM, or what TCP or UDP refuse.
 */
int ixdp_echo_start(struct ixdp_core *core, __be16 port)
{
	struct ixdp_tcp_config cfg = {
		.syn_retries	= core->idev->syn_retries,
	};
	unsigned int n = core->idev->max_conns;
	struct ixdp_echo *e;
	int err = -ENOMEM;

	e = vzalloc(struct_size(e, conns, n));
	if (!e)
		return -ENOMEM;
	e->tcp = vzalloc(ixdp_tcp_size(n));
	if (!e->tcp)
		goto out_free;
	e->port = port;
	core->echo = e;
	err = ixdp_tcp_init(&core->stack, e->tcp, n, &cfg, &echo_tcp_ops);
	if (err)
		goto out_free;
	if (!port)
		return 0;
	err = ixdp_tcp_listen(&core->stack, port, 64, e);
	if (err)
		goto out_tcp;
	err = ixdp_udp_bind(&core->stack, port, echo_udp_rx, e);
	if (err)
		goto out_tcp;
	return 0;

out_tcp:
	ixdp_tcp_teardown(&core->stack);
out_free:
	core->echo = NULL;
	vfree(e->tcp);
	vfree(e);
	return err;
}

/**
 * ixdp_echo_stop() - undo ixdp_echo_start(); connections are dropped
 * @core: a core whose loop has stopped or parked
 */
void ixdp_echo_stop(struct ixdp_core *core)
{
	struct ixdp_echo *e = core->echo;
	unsigned int i;

	if (!e)
		return;
	if (e->port)
		ixdp_udp_unbind(&core->stack, e->port);
	ixdp_tcp_teardown(&core->stack);
	for (i = 0; i < e->tcp->npcbs; i++)
		echo_release(&e->conns[i]);
	core->echo = NULL;
	vfree(e->tcp);
	vfree(e);
}

/**
 * ixdp_echo_connect() - open an echoed connection; on the core's CPU only
 * @core: the core
 * @daddr: the peer
 * @dport: its port
 *
 * Return: 0 or what ixdp_tcp_connect() refuses with.
 */
int ixdp_echo_connect(struct ixdp_core *core, __be32 daddr, __be16 dport)
{
	struct ixdp_echo_conn *c;
	u32 handle;
	int err;

	err = ixdp_tcp_connect(&core->stack, daddr, dport, NULL, &handle);
	if (err)
		return err;
	c = echo_conn(&core->stack, handle);
	if (c->handle) {
		ixdp_tcp_abort(&core->stack, handle);
		return -EBUSY;
	}
	c->handle = handle;
	return 0;
}
