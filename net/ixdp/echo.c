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

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "dp.h"
#include "tcp.h"

/* Buffers of one connection waiting for their echo to be acknowledged. */
#define ECHO_FIFO	64

/* How long a move waits for the device to read what was sent (ms). */
#define IXDP_ECHO_TX_SETTLE_MS	200

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

/*
 * Moving the service's connections to another core of the device, for
 * ix scale (scale.c), both cores' loops parked.  A connection moves with
 * the buffers it holds for their echo: they are copied into the new
 * core's pool, and the send queue's references into them follow the
 * copies.
 */

/* Where the bytes at @base (@len of them) are in the copies @copy of @c. */
static const void *echo_translate(struct ixdp_echo_conn *c,
				  struct ixdp_buf **copy, const void *base,
				  u32 len)
{
	const u8 *p = base, *d;
	struct ixdp_buf *b;
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		b = echo_buf(c, i);
		d = ixdp_buf_data(b);
		if (p >= d && len <= b->len && p - d <= b->len - len)
			return (const u8 *)ixdp_buf_data(copy[i]) + (p - d);
	}
	return NULL;
}

/*
 * Put a connection whose move failed back on @s, from @back (the record
 * as it left), into the slot of its new handle.
 */
static void echo_move_back(struct ixdp_stack *s, struct ixdp_echo_conn *c,
			   const struct ixdp_tcp_mig *back)
{
	struct ixdp_echo_conn *nc;
	u32 h;

	if (ixdp_tcp_migrate_in(s, back, NULL, &h)) {
		/* Cannot happen: its own slot was just freed. */
		WARN_ONCE(1, "ixdp: an echoed connection lost in a move\n");
		echo_release(c);
		return;
	}
	nc = echo_conn(s, h);
	if (nc != c) {
		*nc = *c;
		memset(c, 0, sizeof(*c));
	}
	nc->handle = h;
}

static int echo_move_one(struct ixdp_core *from, struct ixdp_core *to,
			 struct ixdp_echo_conn *c, struct ixdp_tcp_mig *rec)
{
	struct ixdp_buf *copy[ECHO_FIFO], *b;
	struct ixdp_tcp_mig *back = rec + 1;
	struct ixdp_echo_conn *nc;
	unsigned int i, n;
	const void *base;
	int err = -ENOMEM;
	u32 h;

	for (n = 0; n < c->n; n++) {
		b = echo_buf(c, n);
		copy[n] = ixdp_buf_get(&to->pool);
		if (!copy[n])
			goto out_put;
		ixdp_buf_reset(copy[n], ixdp_buf_headroom(b));
		memcpy(ixdp_buf_put_tail(copy[n], b->len), ixdp_buf_data(b),
		       b->len);
	}
	err = ixdp_tcp_migrate_out_held(&from->stack, c->handle, rec);
	if (err)
		goto out_put;
	*back = *rec;
	for (i = 0; i < rec->sq_n; i++) {
		base = echo_translate(c, copy, rec->sq[i].base, rec->sq[i].len);
		if (!base) {
			err = -EFAULT;
			goto out_back;
		}
		rec->sq[i].base = base;
	}
	err = ixdp_tcp_migrate_in(&to->stack, rec, NULL, &h);
	if (err)
		goto out_back;
	nc = echo_conn(&to->stack, h);
	WARN_ON_ONCE(nc->handle);
	*nc = *c;
	nc->handle = h;
	nc->head = 0;
	for (i = 0; i < n; i++)
		nc->fifo[i] = copy[i];
	/* The originals go back to the old core's pool. */
	echo_release(c);
	return 0;

out_back:
	echo_move_back(&from->stack, c, back);
out_put:
	while (n)
		ixdp_buf_put(copy[--n]);
	return err;
}

/* Whether @c may move now: 0, or what ixdp_echo_can_move() refuses. */
static int echo_can_move_one(struct ixdp_core *from, struct ixdp_echo_conn *c)
{
	unsigned int j;
	int err;

	err = ixdp_tcp_migrate_check(&from->stack, c->handle, true);
	if (err)
		return err == -EINPROGRESS ? -EAGAIN : err;
	for (j = 0; j < c->n; j++)
		if (echo_buf(c, j)->frag_len)
			return -EBUSY;
	return 0;
}

/**
 * ixdp_echo_can_move() - whether every connection of @from may move now
 * @from: a core whose loop is parked
 * @to: the core of the same device they would move to, its loop parked
 *	or not started
 *
 * Return: 0; -EBUSY if an application drives either core or a
 * connection cannot move (a buffer in pieces); -EAGAIN if a connection
 * is in its handshake (it lasts a round trip: try again); -ENOSPC if @to
 * lacks connection slots or buffers for them.
 */
int ixdp_echo_can_move(struct ixdp_core *from, struct ixdp_core *to)
{
	const struct ixdp_tcp *t = from->stack.tcp, *tt = to->stack.tcp;
	struct ixdp_echo *e = from->echo;
	unsigned int i, conns = 0, bufs = 0;
	struct ixdp_echo_conn *c;
	int err;

	if (!e || !to->echo)
		return t && t->nused > t->ntw ? -EBUSY : 0;
	for (i = 0; i < e->tcp->npcbs; i++) {
		c = &e->conns[i];
		if (!c->handle)
			continue;
		err = echo_can_move_one(from, c);
		if (err)
			return err;
		bufs += c->n;
		conns++;
	}
	/* One the service has not taken yet: in its handshake. */
	if (t->nused - t->ntw > conns)
		return -EAGAIN;
	if (tt->npcbs - tt->nused < conns ||
	    to->pool.avail < bufs + IXDP_RX_TARGET)
		return -ENOSPC;
	return 0;
}

/*
 * A connection moves with copies of the buffers it holds, and the
 * originals go back to @from's pool, cleared, perhaps to be posted for
 * receive at once: not while frames sent zero copy from them wait for
 * the device to read them, or the peer would get (and acknowledge) what
 * the buffers hold by then.  So the device finishes sending first, for
 * IXDP_ECHO_TX_SETTLE_MS at most (the cores are parked meanwhile).
 */
static void echo_tx_settle(struct ixdp_core *from)
{
	unsigned int left = ixdp_core_tx_settle(from, IXDP_ECHO_TX_SETTLE_MS);

	if (left)
		pr_warn_ratelimited("ixdp: cpu %u: %u frames still sending as its echo connections move\n",
				    from->cpu, left);
}

/**
 * ixdp_echo_move() - move every connection of @from to @to
 * @from: a core about to leave its device, its loop parked
 * @to: a core that stays, its loop parked or not started
 *
 * Call ixdp_echo_can_move() first.  Nothing is sent: the peer sees
 * segments late by the time the move took, and the device steers them
 * to the queue @to sends on once @to has sent for them (the handoff
 * passes @to those that still reach another core).
 *
 * Return: the connections that could not move, left on @from.
 */
unsigned int ixdp_echo_move(struct ixdp_core *from, struct ixdp_core *to)
{
	struct ixdp_echo *e = from->echo;
	struct ixdp_tcp_mig *rec;
	unsigned int i, left = 0;

	if (!e)
		return 0;
	echo_tx_settle(from);
	/* The record and its copy to put it back: too large for the stack. */
	rec = kvmalloc_array(2, sizeof(*rec), GFP_KERNEL);
	for (i = 0; i < e->tcp->npcbs; i++) {
		if (!e->conns[i].handle)
			continue;
		if (!rec || echo_move_one(from, to, &e->conns[i], rec))
			left++;
	}
	kvfree(rec);
	return left;
}

/**
 * ixdp_echo_movable() - the connections of a core's echo service that may
 *	move now
 * @core: the core, its loop parked or not started
 *
 * Return: how many ixdp_echo_share() could move, room allowing: not those
 * in their handshake, nor one holding a buffer in pieces.
 */
unsigned int ixdp_echo_movable(struct ixdp_core *core)
{
	struct ixdp_echo *e = core->echo;
	unsigned int i, n = 0;

	if (!e)
		return 0;
	for (i = 0; i < e->tcp->npcbs; i++)
		if (e->conns[i].handle &&
		    !echo_can_move_one(core, &e->conns[i]))
			n++;
	return n;
}

/**
 * ixdp_echo_share() - move up to @n connections of @from to @to
 * @from: a core that stays on its device, its loop parked
 * @to: another core of it, its loop parked or not started
 * @n: how many to move, at most
 * @sel: only those it selects (the flow groups of @to), or NULL for any
 *
 * For ix scale, so that a joining core takes its share of the service's
 * connections at once, not only of those opened after it joined (a
 * tap-backed virtio_net keeps a flow on the queue the guest last sent
 * it on), and, on a device that hashes, so that each connection is on
 * the core its flow group leads to.  A connection that may not move now
 * (in its handshake, a buffer in pieces) stays; so does the rest once
 * @to lacks a connection slot, or buffers beyond those its receive rings
 * take.
 *
 * Return: the connections moved.
 */
unsigned int ixdp_echo_share(struct ixdp_core *from, struct ixdp_core *to,
			     unsigned int n, const struct ixdp_flow_sel *sel)
{
	const struct ixdp_tcp *tt = to->stack.tcp;
	struct ixdp_echo *e = from->echo;
	struct ixdp_tcp_mig *rec;
	unsigned int reserve = max(to->nqueues, 1U) * IXDP_RX_TARGET;
	struct ixdp_echo_conn *c;
	unsigned int i, moved = 0;
	bool settled = false;

	if (!e || !to->echo || !n)
		return 0;
	rec = kvmalloc_array(2, sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return 0;
	for (i = 0; i < e->tcp->npcbs && moved < n; i++) {
		c = &e->conns[i];
		if (!c->handle || !ixdp_flow_sel_has(sel, i) ||
		    echo_can_move_one(from, c))
			continue;
		if (tt->nused >= tt->npcbs ||
		    to->pool.avail < c->n + reserve)
			break;
		if (!settled) {
			echo_tx_settle(from);
			settled = true;
		}
		if (!echo_move_one(from, to, c, rec))
			moved++;
	}
	kvfree(rec);
	return moved;
}
