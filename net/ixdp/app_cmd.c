// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the commands of an application and the events it is sent.
 *
 * Everything in the command ring is hostile: each entry is copied once
 * into kernel memory and only the copy is looked at; indices are clamped
 * to the ring; opcodes index the dispatch table through
 * array_index_nospec(); offsets and lengths into the TX memory are
 * checked with overflow-safe arithmetic; handles carry a generation, so
 * a stale or forged one gets -ESTALE or -EINVAL.  Bad input is answered
 * with an errno in its slot, never with a warning.
 *
 * Events come from TCP's callbacks, in the core's context.  The loop
 * polls for frames and takes commands only while the event ring has room
 * for what they can cause, but timers fire regardless: an event that
 * finds the ring full waits in the application's late queue, as do all
 * events after it, so that order is kept, until the application drains
 * the ring.  The late queue holds one event per connection and per timer
 * and more besides; only an event beyond that is dropped (counted in the
 * ring's dropped).  A recv event
 * hands the application a buffer of the RX pool by its offset; the
 * kernel keeps the buffer on the connection's list until the
 * application's recv_done consumes its bytes, or until the connection
 * goes.  Then (reset, timed out, closed, aborted) its recv events may
 * still wait unread in the event ring, so the buffers wait too, in a
 * grave, until the application's consumer index passes every event
 * produced up to then: only then are they reused.  A grave more than
 * IXDP_APP_GRAVES sends the oldest back unread.
 */

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "app.h"
#include "dp.h"
#include "ixdp.h"

static struct ixdp_app *app_of(struct ixdp_stack *s)
{
	return container_of(s, struct ixdp_core, stack)->app;
}

static struct ixdp_app_conn *app_conn(struct ixdp_app *app, u32 handle)
{
	return &app->conns[(handle & 0xffff) % app->tcp->npcbs];
}

static void app_bufs_put(struct ixdp_buf *b)
{
	struct ixdp_buf *next;

	for (; b; b = next) {
		next = b->next;
		ixdp_buf_put(b);
	}
}

/* Give back the RX buffers of @c not consumed yet. */
static void app_conn_release(struct ixdp_app_conn *c)
{
	app_bufs_put(c->rx_head);
	c->rx_head = NULL;
	c->rx_tail = NULL;
	c->rx_off = 0;
}

/* Events produced so far: in the ring, and waiting to go in. */
static u32 app_ev_count(const struct ixdp_app *app)
{
	return app->ev.cached + (app->late_tail - app->late_head);
}

/*
 * @c's connection is gone, with what the events produced until now say:
 * its RX buffers go to a grave, back to the pool once they are read.
 */
static void app_conn_bury(struct ixdp_app *app, struct ixdp_app_conn *c)
{
	struct ixdp_app_grave *g;

	if (!c->rx_head)
		return;
	if (app->grave_tail - app->grave_head == IXDP_APP_GRAVES)
		app_bufs_put(app->graves[app->grave_head++ %
					 IXDP_APP_GRAVES].head);
	g = &app->graves[app->grave_tail++ % IXDP_APP_GRAVES];
	g->head = c->rx_head;
	g->tag = app_ev_count(app);
	c->rx_head = NULL;
	c->rx_tail = NULL;
	c->rx_off = 0;
}

/*
 * Give the graves whose events the application has read (by the consumer
 * index read last) back to the pool; @all: every grave.  A consumer index
 * moved ahead of the truth only frees the application's own buffers early.
 */
static void app_graves_reap(struct ixdp_app *app, bool all)
{
	struct ixdp_app_grave *g;

	while (app->grave_head != app->grave_tail) {
		g = &app->graves[app->grave_head % IXDP_APP_GRAVES];
		if (!all && (s32)(app->ev.other - g->tag) < 0)
			break;
		app_bufs_put(g->head);
		g->head = NULL;
		app->grave_head++;
	}
}

/**
 * ixdp_app_conns_release() - give back every RX buffer the application
 *	holds
 * @app: the application, whose TCP is torn down
 */
void ixdp_app_conns_release(struct ixdp_app *app)
{
	unsigned int i;

	for (i = 0; i < app->tcp->npcbs; i++)
		app_conn_release(&app->conns[i]);
	app_graves_reap(app, true);
}

/*
 * Free entries of the event ring.  A consumer index the application
 * moved somewhere impossible counts as a full ring: it only hurts itself.
 */
static u32 app_ev_ring_room(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;
	u32 used;

	/* A: pairs with the application's release of its consumer index. */
	r->other = smp_load_acquire(r->consumer);
	used = r->cached - r->other;
	if (used > r->mask + 1)
		return 0;
	return r->mask + 1 - used;
}

/* A free entry of the event ring, known or read afresh. */
static bool app_ev_ring_free(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;

	return r->cached - r->other <= r->mask || app_ev_ring_room(app);
}

static bool app_late_empty(const struct ixdp_app *app)
{
	return app->late_head == app->late_tail;
}

/**
 * ixdp_app_ev_room() - events that can be written now
 * @app: the application
 *
 * Graves the application has read past on the way go back to the pool.
 *
 * Return: the free entries of the event ring, or 0 while late events
 * wait for them.
 */
u32 ixdp_app_ev_room(struct ixdp_app *app)
{
	u32 room = app_late_empty(app) ? app_ev_ring_room(app) : 0;

	app_graves_reap(app, false);
	return room;
}

/* The event ring's next entry, taken. */
static struct ix_event *app_ev_slot(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;

	app->run_events++;
	return (struct ix_event *)r->entries + (r->cached++ & r->mask);
}

/**
 * ixdp_app_ev_flush() - move late events to the event ring while it has
 *	room
 * @app: the application
 */
void ixdp_app_ev_flush(struct ixdp_app *app)
{
	while (!app_late_empty(app) && app_ev_ring_free(app)) {
		*app_ev_slot(app) = app->late[app->late_head & app->late_mask];
		app->late_head++;
	}
}

/**
 * ixdp_app_ev_publish() - let the application see the events written
 * @app: the application
 */
void ixdp_app_ev_publish(struct ixdp_app *app)
{
	/* B: the entries before the index; pairs with its acquire. */
	smp_store_release(app->ev.producer, app->ev.cached);
}

/**
 * ixdp_app_ev() - write an event for the application
 * @app: the application
 * @type: IX_EV_*
 * @status: its fields, as struct ix_event has them
 * @cookie: the cookie, given as a pointer by the stack
 * @handle: the handle
 * @len: the length
 * @data: the data
 *
 * Published at the end of the run's iteration.  With the ring full, or
 * late events waiting, it waits in the late queue.
 *
 * Return: true, or false if the late queue is full too (counted in the
 * ring's dropped).
 */
bool ixdp_app_ev(struct ixdp_app *app, u16 type, int status, void *cookie,
		 u32 handle, u32 len, u64 data)
{
	u32 *dropped = app->ev.dropped;
	struct ix_event *e;

	if (app_late_empty(app) && app_ev_ring_free(app)) {
		e = app_ev_slot(app);
	} else if (app->late_tail - app->late_head <= app->late_mask) {
		e = &app->late[app->late_tail++ & app->late_mask];
	} else {
		WRITE_ONCE(*dropped, READ_ONCE(*dropped) + 1);
		return false;
	}
	e->type = type;
	e->flags = 0;
	e->status = status;
	e->cookie = (u64)(uintptr_t)cookie;
	e->handle = handle;
	e->len = len;
	e->data = data;
	return true;
}

static void app_knock(struct ixdp_stack *s, void *lcookie, u32 handle,
		      __be32 raddr, __be16 rport)
{
	u64 data = (u64)(__force u16)rport << 32 | (__force u32)raddr;

	/* No room to tell the application: refuse rather than lose it. */
	if (!ixdp_app_ev(app_of(s), IX_EV_TCP_KNOCK, 0, lcookie, handle, 0, data))
		ixdp_tcp_reject(s, handle);
}

static void app_connected(struct ixdp_stack *s, void *cookie, u32 handle,
			  int status)
{
	struct ixdp_app *app = app_of(s);

	ixdp_app_ev(app, IX_EV_TCP_CONNECTED, status, cookie, handle, 0, 0);
	if (status)
		app_conn_bury(app, app_conn(app, handle));
}

static void app_recv(struct ixdp_stack *s, void *cookie, u32 handle,
		     struct ixdp_buf *b)
{
	struct ixdp_app *app = app_of(s);
	struct ixdp_app_conn *c;
	u64 off;

	if (!b) {
		ixdp_app_ev(app, IX_EV_TCP_RECV, 0, cookie, handle, 0, 0);
		return;
	}
	if (!b->len) {
		ixdp_buf_put(b);
		return;
	}
	c = app_conn(app, handle);
	b->next = NULL;
	if (c->rx_tail)
		c->rx_tail->next = b;
	else
		c->rx_head = b;
	c->rx_tail = b;
	off = ixdp_rx_pool_off(app->core, b);
	ixdp_app_ev(app, IX_EV_TCP_RECV, 0, cookie, handle, b->len, off);
}

static void app_sent(struct ixdp_stack *s, void *cookie, u32 handle,
		     u32 acked, u32 space)
{
	ixdp_app_ev(app_of(s), IX_EV_TCP_SENT, 0, cookie, handle, acked, space);
}

static void app_dead(struct ixdp_stack *s, void *cookie, u32 handle,
		     int reason)
{
	struct ixdp_app *app = app_of(s);

	ixdp_app_ev(app, IX_EV_TCP_DEAD, reason, cookie, handle, 0, 0);
	app_conn_bury(app, app_conn(app, handle));
}

const struct ixdp_tcp_ops ixdp_app_tcp_ops = {
	.knock		= app_knock,
	.connected	= app_connected,
	.recv		= app_recv,
	.sent		= app_sent,
	.dead		= app_dead,
};

static struct ixdp_stack *app_stack(struct ixdp_app *app)
{
	return &app->core->stack;
}

static s64 ixdp_cmd_nop(struct ixdp_app *app, const struct ix_cmd *c)
{
	return c->handle || c->arg0 || c->arg1 ? -EINVAL : 0;
}

static int app_tcp_port(const struct ix_cmd *c, __be16 *port)
{
	if (!c->arg0 || c->arg0 > U16_MAX)
		return -EINVAL;
	*port = cpu_to_be16(c->arg0);
	return 0;
}

static s64 ixdp_cmd_tcp_listen(struct ixdp_app *app, const struct ix_cmd *c)
{
	__be16 port;

	if (app_tcp_port(c, &port) || !c->arg1 || c->arg1 > U16_MAX || c->handle)
		return -EINVAL;
	if (!ixdp_app_port_ok(app, port))
		return -EACCES;
	return ixdp_tcp_listen(app_stack(app), port, c->arg1,
			       (void *)(uintptr_t)c->cookie);
}

static s64 ixdp_cmd_tcp_unlisten(struct ixdp_app *app, const struct ix_cmd *c)
{
	__be16 port;

	if (app_tcp_port(c, &port) || c->arg1 || c->handle)
		return -EINVAL;
	return ixdp_tcp_unlisten(app_stack(app), port);
}

static s64 ixdp_cmd_tcp_connect(struct ixdp_app *app, const struct ix_cmd *c)
{
	struct ixdp_stack *s = app_stack(app);
	u32 handle;
	int err;

	if (c->arg0 > U32_MAX || !c->arg1 || c->arg1 > U16_MAX || c->handle)
		return -EINVAL;
	err = ixdp_tcp_connect(s, cpu_to_be32(c->arg0), cpu_to_be16(c->arg1),
			       (void *)(uintptr_t)c->cookie, &handle);
	if (err)
		return err;
	app_conn_release(app_conn(app, handle));
	return handle;
}

static s64 ixdp_cmd_tcp_accept(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return ixdp_tcp_accept(app_stack(app), c->handle,
			       (void *)(uintptr_t)c->cookie);
}

/* reject and abort: the handle is dead at once, with no event. */
static s64 app_tcp_killed(struct ixdp_app *app, u32 handle, int err)
{
	if (!err)
		app_conn_bury(app, app_conn(app, handle));
	return err;
}

static s64 ixdp_cmd_tcp_reject(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return app_tcp_killed(app, c->handle,
			      ixdp_tcp_reject(app_stack(app), c->handle));
}

static s64 ixdp_cmd_tcp_abort(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return app_tcp_killed(app, c->handle,
			      ixdp_tcp_abort(app_stack(app), c->handle));
}

/* Turn the application's vector into kernel addresses of its TX memory. */
static int app_tcp_iov(struct ixdp_app *app, const struct ix_cmd *c,
		       struct ixdp_iov *iov)
{
	struct ix_iov v[IX_SENDV_MAX];
	unsigned int i, n = c->arg1;
	u64 end;

	if (!c->arg1 || c->arg1 > IX_SENDV_MAX)
		return -EINVAL;
	if (check_add_overflow(c->arg0, (u64)n * sizeof(v[0]), &end) ||
	    end > app->tx_len || c->arg0 % __alignof__(struct ix_iov))
		return -EFAULT;
	/* Once: the application may rewrite the vector meanwhile. */
	memcpy(v, app->tx_kva + c->arg0, n * sizeof(v[0]));
	for (i = 0; i < n; i++) {
		if (v[i].resv)
			return -EINVAL;
		if (check_add_overflow(v[i].off, (u64)v[i].len, &end) ||
		    end > app->tx_len)
			return -EFAULT;
		iov[i].base = app->tx_kva + v[i].off;
		iov[i].len = v[i].len;
	}
	return n;
}

static s64 ixdp_cmd_tcp_sendv(struct ixdp_app *app, const struct ix_cmd *c)
{
	struct ixdp_iov iov[IX_SENDV_MAX];
	int n;

	n = app_tcp_iov(app, c, iov);
	if (n < 0)
		return n;
	return ixdp_tcp_sendv(app_stack(app), c->handle, iov, n);
}

/* How many of @c's buffers consuming @bytes gives back to the pool. */
static u32 app_conn_bufs_done(const struct ixdp_app_conn *c, u32 bytes)
{
	const struct ixdp_buf *b;
	u32 off = c->rx_off, n = 0;

	for (b = c->rx_head; bytes && b; b = b->next, n++, off = 0) {
		if (bytes < b->len - off)
			break;
		bytes -= b->len - off;
	}
	return n;
}

/* Consume @bytes of @c's received data, oldest first. */
static void app_conn_consume(struct ixdp_app_conn *c, u32 bytes)
{
	struct ixdp_buf *b;
	u32 left;

	while (bytes && c->rx_head) {
		b = c->rx_head;
		left = b->len - c->rx_off;
		if (bytes < left) {
			c->rx_off += bytes;
			return;
		}
		bytes -= left;
		c->rx_head = b->next;
		if (!c->rx_head)
			c->rx_tail = NULL;
		c->rx_off = 0;
		ixdp_buf_put(b);
	}
}

static s64 ixdp_cmd_tcp_recv_done(struct ixdp_app *app, const struct ix_cmd *c)
{
	struct ixdp_app_conn *conn;
	int err;

	if (c->arg0 > U32_MAX || c->arg1)
		return -EINVAL;
	conn = app_conn(app, c->handle);
	err = ixdp_tcp_recv_done(app_stack(app), c->handle, c->arg0,
				 app_conn_bufs_done(conn, c->arg0));
	if (!err)
		app_conn_consume(conn, c->arg0);
	return err;
}

static s64 ixdp_cmd_tcp_close(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return ixdp_tcp_close(app_stack(app), c->handle);
}

static_assert(IX_KEEPALIVE_IDLE_MAX == IXDP_TCP_KEEPIDLE_MAX);
static_assert(IX_KEEPALIVE_INTVL_MAX == IXDP_TCP_KEEPINTVL_MAX);
static_assert(IX_KEEPALIVE_CNT_MAX == IXDP_TCP_KEEPCNT_MAX);

/* arg0 idle seconds (0: off); arg1 interval seconds | count << 32. */
static s64 ixdp_cmd_tcp_keepalive(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 > IX_KEEPALIVE_IDLE_MAX)
		return -EINVAL;
	return ixdp_tcp_keepalive(app_stack(app), c->handle, c->arg0,
				  lower_32_bits(c->arg1),
				  upper_32_bits(c->arg1));
}

/*
 * The handlers, by opcode, named after it.  Sized by its entries, so that
 * the assertion below fails to build when an opcode is added at the end
 * without its handler; a gap in the middle would be a NULL call on valid
 * input, which ixdp_app_cmds_check() refuses at init.
 */
static s64 (*const app_cmd_table[])(struct ixdp_app *app,
				    const struct ix_cmd *c) = {
	[IX_CMD_NOP]		= ixdp_cmd_nop,
	[IX_CMD_TCP_LISTEN]	= ixdp_cmd_tcp_listen,
	[IX_CMD_TCP_UNLISTEN]	= ixdp_cmd_tcp_unlisten,
	[IX_CMD_TCP_CONNECT]	= ixdp_cmd_tcp_connect,
	[IX_CMD_TCP_ACCEPT]	= ixdp_cmd_tcp_accept,
	[IX_CMD_TCP_REJECT]	= ixdp_cmd_tcp_reject,
	[IX_CMD_TCP_SENDV]	= ixdp_cmd_tcp_sendv,
	[IX_CMD_TCP_RECV_DONE]	= ixdp_cmd_tcp_recv_done,
	[IX_CMD_TCP_CLOSE]	= ixdp_cmd_tcp_close,
	[IX_CMD_TCP_ABORT]	= ixdp_cmd_tcp_abort,
	[IX_CMD_UDP_BIND]	= ixdp_cmd_udp_bind,
	[IX_CMD_UDP_UNBIND]	= ixdp_cmd_udp_unbind,
	[IX_CMD_UDP_SEND]	= ixdp_cmd_udp_send,
	[IX_CMD_UDP_RECV_DONE]	= ixdp_cmd_udp_recv_done,
	[IX_CMD_TIMER_SET]	= ixdp_cmd_timer_set,
	[IX_CMD_TIMER_CANCEL]	= ixdp_cmd_timer_cancel,
	[IX_CMD_TCP_KEEPALIVE]	= ixdp_cmd_tcp_keepalive,
};

/**
 * ixdp_app_cmds_check() - check that every opcode has a handler
 *
 * Called at init, before /dev/ix exists.
 *
 * Return: 0, or -EINVAL for a table with a gap.
 */
int __init ixdp_app_cmds_check(void)
{
	unsigned int op;

	BUILD_BUG_ON(ARRAY_SIZE(app_cmd_table) != IX_CMD_LAST);
	for (op = 0; op < ARRAY_SIZE(app_cmd_table); op++) {
		if (!app_cmd_table[op]) {
			pr_warn("ixdp: command %u has no handler\n", op);
			return -EINVAL;
		}
	}
	return 0;
}

static s64 app_cmd_exec(struct ixdp_app *app, const struct ix_cmd *c)
{
	unsigned int op = c->op;

	if (c->flags || c->resv[0] || c->resv[1] || c->resv[2] ||
	    op >= IX_CMD_LAST)
		return -EINVAL;
	op = array_index_nospec(op, IX_CMD_LAST);
	return app_cmd_table[op](app, c);
}

/*
 * Events a command may cause at most: one, but an accept hands over what
 * came before it, a recv event per held buffer and one for a FIN.
 */
static unsigned int app_cmd_events(const struct ix_cmd *c)
{
	return c->op == IX_CMD_TCP_ACCEPT ? IXDP_TCP_EARLY_MAX + 1 : 1;
}

/**
 * ixdp_app_commands() - run the commands the application queued
 * @app: the application, bound
 * @budget: commands to run at most
 *
 * At most @budget and one ring's worth, however far the application
 * moved its producer index, and only while the event ring has room for
 * the events a command may cause (app_cmd_events()); the rest wait for
 * the next call.  Each
 * command's result goes into its own slot before the consumer index
 * passes it.
 *
 * Return: the number of commands run.
 */
unsigned int ixdp_app_commands(struct ixdp_app *app, unsigned int budget)
{
	struct ixdp_ring *r = &app->cmd;
	struct ix_cmd c, *slot;
	unsigned int i, n;
	u32 prod;

	/* C: pairs with the application's release of its producer index. */
	prod = smp_load_acquire(r->producer);
	n = min3(prod - r->cached, r->mask + 1, budget);
	for (i = 0; i < n; i++) {
		slot = (struct ix_cmd *)r->entries + ((r->cached + i) & r->mask);
		memcpy(&c, slot, sizeof(c));
		if (ixdp_app_ev_room(app) < app_cmd_events(&c))
			break;
		WRITE_ONCE(slot->result, app_cmd_exec(app, &c));
	}
	if (!i)
		return 0;
	r->cached += i;
	/* D: the results before the index; pairs with its acquire. */
	smp_store_release(r->consumer, r->cached);
	return i;
}
