// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the command ring of an application, its dispatch, and the event
 * ring.  The commands of each protocol are in app_tcp.c, app_udp.c and
 * app_timer.c.
 *
 * Everything in the command ring is hostile: each entry is copied once
 * into kernel memory and only the copy is looked at; indices are clamped
 * to the ring; opcodes index the dispatch table through
 * array_index_nospec(); offsets and lengths into the TX memory are
 * checked with overflow-safe arithmetic; handles carry a generation, so
 * a stale or forged one gets -ESTALE or -EINVAL.  Bad input is answered
 * with an errno in its slot, never with a warning.
 *
 * The loop polls for frames and takes commands only while the event ring
 * has room for what they can cause, but timers fire regardless: an event
 * that finds the ring full waits in the application's late queue, as do
 * all events after it, so that order is kept, until the application
 * drains the ring.  The late queue holds one event per connection and per
 * timer and more besides; only an event beyond that is dropped (counted
 * in the ring's dropped), but for an application timer's, which
 * ixdp_app_ev_try() lets its timer send again a tick later (app_timer.c).
 */

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/nospec.h>

#include "app.h"
#include "dp.h"
#include "ixdp.h"

/**
 * ixdp_app_ev_count() - events produced so far
 * @app: the application
 *
 * Return: the events written to the ring and waiting to go in, as a
 * free-running count comparable with the ring's indices.
 */
u32 ixdp_app_ev_count(const struct ixdp_app *app)
{
	return app->ev.local + (app->late_tail - app->late_head);
}

/**
 * ixdp_app_quiet() - whether the application may be parked for a scale
 * @app: the application, bound; @app->lock held
 *
 * Quiet: no command published and not executed, every event written
 * consumed, none waiting late.  Its connections can then move, and its
 * core go, without an event or a command naming what it had.
 *
 * Return: true if quiet.
 */
bool ixdp_app_quiet(struct ixdp_app *app)
{
	u32 prod, cons;

	/* (C): pairs with the application's (B), its producer index. */
	prod = smp_load_acquire(app->cmd.producer);
	/* (A): pairs with the application's (D), its consumer index. */
	cons = smp_load_acquire(app->ev.consumer);
	return prod == app->cmd.local && cons == app->ev.local &&
	       app->late_head == app->late_tail;
}

/*
 * Free entries of the event ring.  A consumer index the application
 * moved somewhere impossible counts as a full ring: it only hurts itself.
 */
/*
 * Free entries of the event ring by the consumer index read last, with
 * the events written since counted: no more than it has now, as long as
 * the application only moves its index on.  One that moves it back
 * hurts only itself: its unread events are overwritten, never anything
 * outside the ring (the kernel writes at local & mask).
 */
static u32 app_ev_free(const struct ixdp_ring *r)
{
	u32 used = r->local - r->peer;

	return used > r->mask + 1 ? 0 : r->mask + 1 - used;
}

static u32 app_ev_ring_room(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;

	/* (A): pairs with the application's (D), its consumer index. */
	r->peer = smp_load_acquire(r->consumer);
	return app_ev_free(r);
}

/* A free entry of the event ring as the consumer index read last says. */
static bool app_ev_known_free(const struct ixdp_ring *r)
{
	return r->local - r->peer <= r->mask;
}

/* A free entry of the event ring, known or read afresh. */
static bool app_ev_ring_free(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;

	return app_ev_known_free(r) || app_ev_ring_room(app);
}

static bool app_late_empty(const struct ixdp_app *app)
{
	return app->late_head == app->late_tail;
}

/* Free entries known without reading the consumer index; 0 while late. */
static u32 app_ev_room_known(const struct ixdp_app *app)
{
	return app_late_empty(app) ? app_ev_free(&app->ev) : 0;
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

	/* No call for no grave, the usual case. */
	if (app->grave_head != app->grave_tail)
		ixdp_app_graves_reap(app, false);
	return room;
}

/**
 * ixdp_app_ev_space() - events that can be written now, beyond what the
 *	late queue keeps for the connections and timers
 * @app: the application, bound
 *
 * The late queue holds an event per connection and per timer, so that
 * what they send while the ring is full waits rather than drops: that
 * much of it is not counted.
 *
 * Return: the free entries of the event ring (none while late events
 * wait) and of the late queue, less that reserve.
 */
u32 ixdp_app_ev_space(struct ixdp_app *app)
{
	u32 late = app->late_mask + 1 - (app->late_tail - app->late_head);
	u32 reserve = app->tcp->npcbs + app->ntimers;

	return ixdp_app_ev_room(app) + (late > reserve ? late - reserve : 0);
}

/* The event ring's next entry, taken. */
static struct ix_event *app_ev_slot(struct ixdp_app *app)
{
	struct ixdp_ring *r = &app->ev;

	app->run_events++;
	return (struct ix_event *)r->entries + (r->local++ & r->mask);
}

/**
 * __ixdp_app_ev_flush() - move late events to the event ring while it has
 *	room
 * @app: the application
 *
 * For ixdp_app_ev_flush(), which calls it only with events late.
 */
void __ixdp_app_ev_flush(struct ixdp_app *app)
{
	while (!app_late_empty(app) && app_ev_ring_free(app)) {
		*app_ev_slot(app) = app->late[app->late_head & app->late_mask];
		app->late_head++;
	}
}

/* Fill in the event at @e. */
static void app_ev_fill(struct ix_event *e, u16 type, int status,
			void *cookie, u32 handle, u32 len, u64 data)
{
	*e = (struct ix_event){
		.type	= type,
		.status	= status,
		.cookie	= (u64)(uintptr_t)cookie,
		.handle	= handle,
		.len	= len,
		.data	= data,
	};
}

/*
 * Whether the next event goes into the ring at once, known without
 * reading the consumer index: nothing late, a free entry as last read.
 * The usual case, written without a call; app_ev_put() does the rest.
 */
static bool app_ev_fast(const struct ixdp_app *app)
{
	return app_late_empty(app) && app_ev_known_free(&app->ev);
}

/* ixdp_app_ev_try(), every case: the consumer index read afresh if need be. */
static noinline bool app_ev_put(struct ixdp_app *app, u16 type, int status,
				void *cookie, u32 handle, u32 len, u64 data)
{
	struct ix_event *e;

	if (app_late_empty(app) && app_ev_ring_free(app))
		e = app_ev_slot(app);
	else if (app->late_tail - app->late_head <= app->late_mask)
		e = &app->late[app->late_tail++ & app->late_mask];
	else
		return false;
	app_ev_fill(e, type, status, cookie, handle, len, data);
	return true;
}

/**
 * ixdp_app_ev_try() - write an event for the application, if it fits
 * @app: the application
 * @type: IX_EV_*
 * @status: its fields, as struct ix_event has them
 * @cookie: the cookie, given as a pointer by the stack
 * @handle: the handle
 * @len: the length
 * @data: the data
 *
 * Published at the end of the run's iteration.  With the ring full, or
 * late events waiting, it waits in the late queue.  For a caller that
 * tries again later: an event that does not fit is not counted as lost.
 *
 * Return: true, or false if the late queue is full too.
 */
bool ixdp_app_ev_try(struct ixdp_app *app, u16 type, int status,
		     void *cookie, u32 handle, u32 len, u64 data)
{
	if (unlikely(!app_ev_fast(app)))
		return app_ev_put(app, type, status, cookie, handle, len, data);
	app_ev_fill(app_ev_slot(app), type, status, cookie, handle, len, data);
	return true;
}

/**
 * ixdp_app_ev_ring() - write an event of no connection straight into the
 *	ring, if it has room
 * @app: the application, bound or not (no late queue is used)
 * @type: IX_EV_*
 * @status: its status
 * @data: its data
 *
 * Return: true if written (published with the next publish).
 */
bool ixdp_app_ev_ring(struct ixdp_app *app, u16 type, int status, u64 data)
{
	if (!app_ev_ring_free(app))
		return false;
	*app_ev_slot(app) = (struct ix_event){
		.type	= type,
		.status	= status,
		.data	= data,
	};
	return true;
}

/**
 * ixdp_app_ev_drop_late() - lose the events waiting late, counted as
 *	dropped: the binding they belong to ends
 * @app: the application
 */
void ixdp_app_ev_drop_late(struct ixdp_app *app)
{
	u32 n = app->late_tail - app->late_head;

	if (!n)
		return;
	WRITE_ONCE(*app->ev.dropped, READ_ONCE(*app->ev.dropped) + n);
	app->late_head = app->late_tail;
}

/* ixdp_app_ev() when the ring may be full: a lost event is counted. */
static noinline bool app_ev_put_counted(struct ixdp_app *app, u16 type,
					int status, void *cookie, u32 handle,
					u32 len, u64 data)
{
	u32 *dropped = app->ev.dropped;

	if (app_ev_put(app, type, status, cookie, handle, len, data))
		return true;
	WRITE_ONCE(*dropped, READ_ONCE(*dropped) + 1);
	return false;
}

/**
 * ixdp_app_ev() - write an event for the application, or lose it
 * @app: the application
 * @type: IX_EV_*
 * @status: its fields, as struct ix_event has them
 * @cookie: the cookie, given as a pointer by the stack
 * @handle: the handle
 * @len: the length
 * @data: the data
 *
 * As ixdp_app_ev_try(), for an event that is not sent again.
 *
 * Return: true, or false if the late queue is full too: the event is
 * lost, counted in the ring's dropped.
 */
bool ixdp_app_ev(struct ixdp_app *app, u16 type, int status, void *cookie,
		 u32 handle, u32 len, u64 data)
{
	if (unlikely(!app_ev_fast(app)))
		return app_ev_put_counted(app, type, status, cookie, handle,
					  len, data);
	app_ev_fill(app_ev_slot(app), type, status, cookie, handle, len, data);
	return true;
}

static s64 ixdp_cmd_nop(struct ixdp_app *app, const struct ix_cmd *c)
{
	return c->handle || c->arg0 || c->arg1 ? -EINVAL : 0;
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

/*
 * Run the @n commands from the command ring's consumer index on, fewer if
 * the event ring runs short; out of line, so that a run with none saves
 * no registers for them.
 */
static noinline unsigned int app_cmds_run(struct ixdp_app *app,
					  unsigned int n)
{
	struct ixdp_ring *r = &app->cmd;
	struct ix_cmd c, *slot;
	unsigned int i;
	u32 need;

	for (i = 0; i < n; i++) {
		slot = (struct ix_cmd *)r->entries + ((r->local + i) & r->mask);
		memcpy(&c, slot, sizeof(c));
		/*
		 * The consumer index as last read says enough, most often;
		 * else read it afresh (and reap the graves it frees).
		 */
		need = app_cmd_events(&c);
		if (app_ev_room_known(app) < need &&
		    ixdp_app_ev_room(app) < need)
			break;
		WRITE_ONCE(slot->result, app_cmd_exec(app, &c));
	}
	if (!i)
		return 0;
	r->local += i;
	/* (D): the results before the index; pairs with the app's (A). */
	smp_store_release(r->consumer, r->local);
	return i;
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
	u32 prod;

	/* (C): pairs with the application's (B), its producer index. */
	prod = smp_load_acquire(r->producer);
	/* None queued, as in every other run of a request-response. */
	if (prod == r->local)
		return 0;
	return app_cmds_run(app, min3(prod - r->local, r->mask + 1, budget));
}
