// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: TCP commands of an application and the events it is sent.
 *
 * Events come from TCP's callbacks, in the core's context.  A recv event
 * hands the application a buffer of the RX pool by its offset; the
 * kernel keeps the buffer on the connection's list until the
 * application's recv_done consumes its bytes, or until the connection
 * goes.  Then (reset, timed out, closed, aborted) its recv events may
 * still wait unread in the event ring, so the buffers wait too, in a
 * grave, until the application's consumer index passes every event
 * produced up to then: only then are they reused.  A grave more than
 * IXDP_APP_GRAVES sends the oldest back unread.
 */

#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "app.h"
#include "dp.h"

static struct ixdp_app *app_of(struct ixdp_stack *s)
{
	return container_of(s, struct ixdp_core, stack)->app;
}

/*
 * The handle's index, as ixdp_tcp_pcb_get() takes it; one out of range
 * (only a command's, refused by TCP before its slot is changed) gets
 * slot 0.  A clamp, not a modulo: no division twice a request, and no
 * speculative load past the array.
 */
static struct ixdp_app_conn *app_conn(struct ixdp_app *app, u32 handle)
{
	return &app->conns[array_index_nospec(handle & 0xffff,
					      app->tcp->npcbs)];
}

/**
 * ixdp_app_bufs_put() - give a list of RX buffers back to their pool
 * @b: the first, linked by ->next; NULL is fine
 */
void ixdp_app_bufs_put(struct ixdp_buf *b)
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
	ixdp_app_bufs_put(c->rx_head);
	c->rx_head = NULL;
	c->rx_tail = NULL;
	c->rx_off = 0;
}

/**
 * ixdp_app_conn_bury() - put a connection's RX buffers in a grave
 * @app: the application
 * @c: the connection, gone (or moved to another core)
 *
 * The events produced until now may name the buffers: they go back to
 * the pool once the application has read those events.
 */
void ixdp_app_conn_bury(struct ixdp_app *app, struct ixdp_app_conn *c)
{
	struct ixdp_app_grave *g;

	if (!c->rx_head)
		return;
	if (app->grave_tail - app->grave_head == IXDP_APP_GRAVES)
		ixdp_app_bufs_put(app->graves[app->grave_head++ %
					 IXDP_APP_GRAVES].head);
	g = &app->graves[app->grave_tail++ % IXDP_APP_GRAVES];
	g->head = c->rx_head;
	g->tag = ixdp_app_ev_count(app);
	c->rx_head = NULL;
	c->rx_tail = NULL;
	c->rx_off = 0;
}

/**
 * ixdp_app_graves_reap() - give buried RX buffers back to the pool
 * @app: the application
 * @all: every grave, read or not
 *
 * Else only the graves whose events the application has read, by the
 * consumer index read last.  A consumer index moved ahead of the truth
 * only frees the application's own buffers early.
 */
void ixdp_app_graves_reap(struct ixdp_app *app, bool all)
{
	struct ixdp_app_grave *g;

	while (app->grave_head != app->grave_tail) {
		g = &app->graves[app->grave_head % IXDP_APP_GRAVES];
		if (!all && (s32)(app->ev.peer - g->tag) < 0)
			break;
		ixdp_app_bufs_put(g->head);
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
	ixdp_app_graves_reap(app, true);
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
		ixdp_app_conn_bury(app, app_conn(app, handle));
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
	ixdp_app_conn_bury(app, app_conn(app, handle));
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

static int app_tcp_port(const struct ix_cmd *c, __be16 *port)
{
	if (!c->arg0 || c->arg0 > U16_MAX)
		return -EINVAL;
	*port = cpu_to_be16(c->arg0);
	return 0;
}

/**
 * ixdp_cmd_tcp_listen() - IX_CMD_TCP_LISTEN
 * @app: the application
 * @c: the command, copied: arg0 the port, arg1 the backlog
 *
 * Return: 0, -EINVAL, -EACCES for a port the application may not use, or
 * what ixdp_tcp_listen() returns.
 */
s64 ixdp_cmd_tcp_listen(struct ixdp_app *app, const struct ix_cmd *c)
{
	__be16 port;

	if (app_tcp_port(c, &port) || !c->arg1 || c->arg1 > U16_MAX || c->handle)
		return -EINVAL;
	if (!ixdp_app_port_ok(app, port))
		return -EACCES;
	return ixdp_tcp_listen(app_stack(app), port, c->arg1,
			       (void *)(uintptr_t)c->cookie);
}

/**
 * ixdp_cmd_tcp_unlisten() - IX_CMD_TCP_UNLISTEN
 * @app: the application
 * @c: the command, copied: arg0 the port
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_unlisten() returns.
 */
s64 ixdp_cmd_tcp_unlisten(struct ixdp_app *app, const struct ix_cmd *c)
{
	__be16 port;

	if (app_tcp_port(c, &port) || c->arg1 || c->handle)
		return -EINVAL;
	return ixdp_tcp_unlisten(app_stack(app), port);
}

/**
 * ixdp_cmd_tcp_connect() - IX_CMD_TCP_CONNECT
 * @app: the application
 * @c: the command, copied: arg0 the IPv4 address, arg1 the port, both
 *	host order
 *
 * Return: the new connection's handle, -EINVAL, or what
 * ixdp_tcp_connect() returns.
 */
s64 ixdp_cmd_tcp_connect(struct ixdp_app *app, const struct ix_cmd *c)
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

/**
 * ixdp_cmd_tcp_accept() - IX_CMD_TCP_ACCEPT
 * @app: the application
 * @c: the command, copied: handle the knock's
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_accept() returns.
 */
s64 ixdp_cmd_tcp_accept(struct ixdp_app *app, const struct ix_cmd *c)
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
		ixdp_app_conn_bury(app, app_conn(app, handle));
	return err;
}

/**
 * ixdp_cmd_tcp_reject() - IX_CMD_TCP_REJECT
 * @app: the application
 * @c: the command, copied: handle the knock's
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_reject() returns.
 */
s64 ixdp_cmd_tcp_reject(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return app_tcp_killed(app, c->handle,
			      ixdp_tcp_reject(app_stack(app), c->handle));
}

/**
 * ixdp_cmd_tcp_abort() - IX_CMD_TCP_ABORT
 * @app: the application
 * @c: the command, copied: handle the connection
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_abort() returns.
 */
s64 ixdp_cmd_tcp_abort(struct ixdp_app *app, const struct ix_cmd *c)
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

/**
 * ixdp_cmd_tcp_sendv() - IX_CMD_TCP_SENDV
 * @app: the application
 * @c: the command, copied: arg0 the offset of a vector of struct ix_iov in
 *	the TX memory, arg1 its entries
 *
 * Return: the bytes queued, -EINVAL, -EFAULT, or what ixdp_tcp_sendv()
 * returns.
 */
s64 ixdp_cmd_tcp_sendv(struct ixdp_app *app, const struct ix_cmd *c)
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

/**
 * ixdp_cmd_tcp_recv_done() - IX_CMD_TCP_RECV_DONE
 * @app: the application
 * @c: the command, copied: arg0 the bytes consumed
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_recv_done() returns.
 */
s64 ixdp_cmd_tcp_recv_done(struct ixdp_app *app, const struct ix_cmd *c)
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

/**
 * ixdp_cmd_tcp_close() - IX_CMD_TCP_CLOSE
 * @app: the application
 * @c: the command, copied: handle the connection
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_close() returns.
 */
s64 ixdp_cmd_tcp_close(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 || c->arg1)
		return -EINVAL;
	return ixdp_tcp_close(app_stack(app), c->handle);
}

static_assert(IX_KEEPALIVE_IDLE_MAX == IXDP_TCP_KEEPIDLE_MAX);
static_assert(IX_KEEPALIVE_INTVL_MAX == IXDP_TCP_KEEPINTVL_MAX);
static_assert(IX_KEEPALIVE_CNT_MAX == IXDP_TCP_KEEPCNT_MAX);

/**
 * ixdp_cmd_tcp_keepalive() - IX_CMD_TCP_KEEPALIVE
 * @app: the application
 * @c: the command, copied: arg0 idle seconds (0: off); arg1 interval
 *	seconds | count << 32
 *
 * Return: 0, -EINVAL, or what ixdp_tcp_keepalive() returns.
 */
s64 ixdp_cmd_tcp_keepalive(struct ixdp_app *app, const struct ix_cmd *c)
{
	if (c->arg0 > IX_KEEPALIVE_IDLE_MAX)
		return -EINVAL;
	return ixdp_tcp_keepalive(app_stack(app), c->handle, c->arg0,
				  lower_32_bits(c->arg1),
				  upper_32_bits(c->arg1));
}
