// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: moving an application's TCP connections from one core to another
 * core of the same device, with the data it has not consumed yet.
 *
 * The primitive elastic cores are built on (issue: add and remove cores
 * under load): the connections of a core that leaves go to one that
 * stays, each to the staying core's application thread, which is one of
 * the same process (ixdp_app_move()); and a core that joins takes its
 * share of the connections of the threads that stay (ixdp_app_share()).
 * For each connection:
 *
 *  - the bytes received and not yet consumed (those of recv events the
 *    application has not given back with recv_done) are copied into
 *    buffers of the new core's pool: the old pool leaves with its core;
 *  - tcp_migrate.c packs the connection on the old stack and unpacks it
 *    on the new one; the send queue's references into the TX memory are
 *    translated from the old file's kernel mapping to the new one's,
 *    which must map the same user memory (same process, same range:
 *    -EXDEV otherwise);
 *  - the new core's application is sent %IX_EV_TCP_MOVED (its new handle,
 *    with the old one and the old CPU in data, and the bytes unconsumed
 *    in len), then one %IX_EV_TCP_RECV per copy, at its offset in the
 *    new pool: the unconsumed bytes again, in order, and one of length 0
 *    if the peer's FIN came;
 *  - the originals, of every connection moved, go to one grave of the
 *    old application (app_tcp.c): recv events it has not read yet may
 *    still name them.
 *
 * Nothing is sent on the wire: the peer sees segments late by the time
 * the move took.  Its armed timers move too, with the time they had left
 * (app_timer.c).  What stays with the old application: its listeners,
 * its UDP ports and TIME_WAIT (which has no handle).  A
 * connection whose move fails is reset, and the old thread is told
 * (%IX_EV_TCP_DEAD, -ECONNRESET) under the handle it knew.
 *
 * Both applications must be still: neither runs (the caller holds RTNL
 * and both locks) and both cores' loops are parked, as ix scale parks
 * them, each thread quiet (no command unexecuted, every event read).
 * The old thread's handles and RX buffers of the connections moved are
 * void from then on.  A leaving thread is retired with its core, its
 * pool taken out of the process; a thread that stays is sent
 * %IX_EV_TCP_MOVED_OUT if it asked, else nothing: the process learns of
 * the move from the new thread's %IX_EV_TCP_MOVED (the old handle and
 * CPU in data), and the old thread's commands on the old handle get
 * -ESTALE.  ixdp_app_can_move() checks everything that
 * can be checked before anything changes; ixdp_app_move() may then
 * still fail to move a connection (no memory for its copies): it is
 * reset, never left to the old thread, which has no core to use it on.
 */

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "app.h"
#include "dp.h"

/*
 * Events a moved connection costs its new application: moved, a recv per
 * buffer, and one for the peer's FIN.
 */
static u32 app_move_events(const struct ixdp_tcp_pcb *pcb)
{
	return 2 + pcb->rcv_held;
}

/* The connection of PCB @pcb, if the application can name it. */
static bool app_move_named(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->state != IXDP_TCP_CLOSED &&
	       pcb->state != IXDP_TCP_TIME_WAIT;
}

/* Whether both files registered the same pages as TX memory. */
static bool app_move_same_tx(const struct ixdp_app *from,
			     const struct ixdp_app *to)
{
	unsigned long i;

	if (from->tx_addr != to->tx_addr || from->tx_len != to->tx_len ||
	    from->tx_npages != to->tx_npages)
		return false;
	for (i = 0; i < from->tx_npages; i++)
		if (from->tx_pages[i] != to->tx_pages[i])
			return false;
	return true;
}

/* Whether @from and @to are two cores of one device and one process. */
static int app_move_pair(const struct ixdp_app *from,
			 const struct ixdp_app *to)
{
	if (!from->core || !to->core || from->core == to->core)
		return -EINVAL;
	if (from->core->idev != to->core->idev || from->mm != to->mm ||
	    !app_move_same_tx(from, to))
		return -EXDEV;
	return 0;
}

/* Whether connection @pcb of @from may move, with @c its buffers. */
static int app_move_check_one(struct ixdp_app *from, struct ixdp_tcp_pcb *pcb,
			      const struct ixdp_app_conn *c)
{
	const struct ixdp_buf *b;
	unsigned int n = 0;
	int err;

	err = ixdp_tcp_migrate_check(&from->core->stack, tcp_pcb_handle(pcb),
				     true);
	if (err)
		return err == -EINPROGRESS ? -EAGAIN : err;
	for (b = c->rx_head; b; b = b->next, n++)
		if (b->frag_len)
			return -EBUSY;
	/* The list and TCP's count of what it holds must agree. */
	return n == pcb->rcv_held ? 0 : -EBUSY;
}

/**
 * ixdp_app_can_move_more() - whether every connection of @from may move
 *	to @to, besides what other moves to @to were promised
 * @from: an application whose core is leaving its device
 * @to: an application of the same process on another core of the same
 *	device
 * @need: in: connections, buffers and events earlier checks promised
 *	@to; out: with this move's added, if it may
 *
 * Both still: see the top of this file.  Nothing changes.
 *
 * Return: 0; -EINVAL if either is not bound, or both are the same core;
 * -EXDEV if they are of different devices, processes or TX memory;
 * -EAGAIN if a connection is in its handshake or not accepted yet (it
 * lasts a round trip), or either thread lacks room for the events a move
 * (or a move that fails) sends it, beyond what its late queue keeps for
 * its own connections and timers: it should read its events; -EBUSY if
 * a connection holds a buffer in pieces; -ENOSPC if @to lacks connection
 * slots, buffers or free timers for @from's armed ones.
 */
int ixdp_app_can_move_more(struct ixdp_app *from, struct ixdp_app *to,
			   struct ixdp_app_move_need *need)
{
	struct ixdp_app_move_need n = *need;
	struct ixdp_tcp *t = from->tcp;
	unsigned int i, armed;
	struct ixdp_tcp_pcb *pcb;
	int err;

	err = app_move_pair(from, to);
	if (err)
		return err;
	for (i = 0; i < t->npcbs; i++) {
		pcb = &t->pcbs[i];
		if (!app_move_named(pcb))
			continue;
		err = app_move_check_one(from, pcb, &from->conns[i]);
		if (err)
			return err;
		n.conns++;
		n.bufs += pcb->rcv_held;
		n.events += app_move_events(pcb);
	}
	armed = ixdp_app_timers_armed(from);
	n.timers += armed;
	n.events += armed;
	if (to->tcp->npcbs - to->tcp->nused < n.conns ||
	    to->core->pool.avail < n.bufs + IXDP_RX_TARGET ||
	    to->ntimers - ixdp_app_timers_armed(to) < n.timers)
		return -ENOSPC;
	/*
	 * @from is told of each connection whose move fails: one event, in
	 * its ring, since its late queue goes with its core.
	 */
	if (ixdp_app_ev_space(to) < n.events ||
	    ixdp_app_ev_room(from) < n.conns - need->conns)
		return -EAGAIN;
	*need = n;
	return 0;
}

/**
 * ixdp_app_can_move() - whether every connection of @from may move to @to
 * @from: an application whose core is leaving its device
 * @to: an application of the same process on another core of the same
 *	device
 *
 * As ixdp_app_can_move_more(), with nothing else promised to @to.
 *
 * Return: as ixdp_app_can_move_more().
 */
int ixdp_app_can_move(struct ixdp_app *from, struct ixdp_app *to)
{
	struct ixdp_app_move_need need = { 0 };

	return ixdp_app_can_move_more(from, to, &need);
}

/* Copy what @c holds unconsumed into buffers of @pool, linked. */
static int app_move_copy(const struct ixdp_app_conn *c, struct ixdp_pool *pool,
			 struct ixdp_buf **head)
{
	struct ixdp_buf *b, *copy, **tail = head;
	u32 off = c->rx_off;

	*head = NULL;
	for (b = c->rx_head; b; b = b->next, off = 0) {
		if (b->frag_len)
			return -EBUSY;
		copy = ixdp_buf_get(pool);
		if (!copy)
			return -ENOMEM;
		ixdp_buf_reset(copy, ixdp_buf_headroom(b) + off);
		memcpy(ixdp_buf_put_tail(copy, b->len - off),
		       (const u8 *)ixdp_buf_data(b) + off, b->len - off);
		copy->next = NULL;
		*tail = copy;
		tail = &copy->next;
	}
	return 0;
}

/*
 * Point the send queue of @rec at @to's mapping of the TX memory, from
 * @from's; -EFAULT for a reference outside it (made by the stack, so
 * never: but it is a kernel address about to be trusted).
 */
static int app_move_sq(struct ixdp_app *from, struct ixdp_app *to,
		       struct ixdp_tcp_mig *rec)
{
	const u8 *base;
	unsigned int i;
	u64 off;

	for (i = 0; i < rec->sq_n; i++) {
		base = rec->sq[i].base;
		if (!from->tx_kva || base < from->tx_kva)
			return -EFAULT;
		off = base - from->tx_kva;
		if (off > from->tx_len || rec->sq[i].len > from->tx_len - off)
			return -EFAULT;
		rec->sq[i].base = to->tx_kva + off;
	}
	return 0;
}

/*
 * Tell @app that connection @cookie is @handle now, and replay @c, and
 * the peer's FIN if @fin.  Room was checked.
 */
static void app_move_announce(struct ixdp_app *app, void *cookie, u32 handle,
			      u64 old, const struct ixdp_app_conn *c, bool fin)
{
	const struct ixdp_buf *b;
	u32 off = c->rx_off, bytes = 0;

	for (b = c->rx_head; b; b = b->next, off = 0)
		bytes += b->len - off;
	ixdp_app_ev(app, IX_EV_TCP_MOVED, 0, cookie, handle, bytes, old);
	for (b = c->rx_head, off = c->rx_off; b; b = b->next, off = 0)
		ixdp_app_ev(app, IX_EV_TCP_RECV, 0, cookie, handle, b->len - off,
			    ixdp_rx_pool_off(app->core, b) + off);
	if (fin)
		ixdp_app_ev(app, IX_EV_TCP_RECV, 0, cookie, handle, 0, 0);
}

/* Add the buffers of @c to @gone, for one grave; @c holds none after. */
static void app_move_gone(struct ixdp_app_conn *gone, struct ixdp_app_conn *c)
{
	if (!c->rx_head)
		return;
	if (gone->rx_tail)
		gone->rx_tail->next = c->rx_head;
	else
		gone->rx_head = c->rx_head;
	gone->rx_tail = c->rx_tail;
	c->rx_head = NULL;
	c->rx_tail = NULL;
	c->rx_off = 0;
}

/*
 * A connection whose move failed is reset: its thread is leaving its
 * core, where nothing of it could be used again, or (a share) it failed
 * past its leaving, which is not undone.  One that had left
 * @from already (@back, the record as it left) is put back first, so
 * that the peer gets our RST.  The thread is told under the handle it
 * knows; its buffers go to @gone.
 */
static void app_move_reset(struct ixdp_app *from, struct ixdp_app_conn *c,
			   const struct ixdp_tcp_mig *back, void *cookie,
			   u32 old, struct ixdp_app_conn *gone)
{
	struct ixdp_stack *s = &from->core->stack;
	u32 h = old;

	/* Cannot fail: its own slot was just freed. */
	if (!back || !WARN_ON_ONCE(ixdp_tcp_migrate_in(s, back, cookie, &h)))
		ixdp_tcp_abort(s, h);
	ixdp_app_ev(from, IX_EV_TCP_DEAD, -ECONNRESET, cookie, old, 0, 0);
	app_move_gone(gone, c);
}

/*
 * Move connection @pcb of @from to @to; a thread that stays (@stays) and
 * asked is told (%IX_EV_TCP_MOVED_OUT), room checked.  On failure it is
 * reset and @from told.  0 or -errno.
 */
static int app_move_one(struct ixdp_app *from, struct ixdp_app *to,
			struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_mig *rec,
			struct ixdp_app_conn *gone, bool stays)
{
	struct ixdp_app_conn *c = &from->conns[pcb->idx], *nc;
	u32 old = tcp_pcb_handle(pcb), h;
	struct ixdp_tcp_mig *back = NULL;
	void *cookie = pcb->cookie;
	struct ixdp_buf *copies;
	int err;

	err = app_move_copy(c, &to->core->pool, &copies);
	if (err)
		goto out_reset;
	err = ixdp_tcp_migrate_out_held(&from->core->stack, old, rec);
	if (err)
		goto out_reset;
	/* Gone from @from: if the rest fails, it is put back to be reset. */
	back = rec + 1;
	*back = *rec;
	err = app_move_sq(from, to, rec);
	if (err)
		goto out_reset;
	err = ixdp_tcp_migrate_in(&to->core->stack, rec, cookie, &h);
	if (err)
		goto out_reset;
	nc = &to->conns[h & 0xffff];
	if (WARN_ON_ONCE(nc->rx_head))
		ixdp_app_conn_bury(to, nc);
	nc->rx_head = copies;
	nc->rx_tail = NULL;
	for (; copies; copies = copies->next)
		nc->rx_tail = copies;
	nc->rx_off = 0;
	nc->moved_in = to->parked;
	/* The originals: recv events of @from may name them still. */
	app_move_gone(gone, c);
	/* Room was checked: a move is not undone for want of it. */
	app_move_announce(to, cookie, h, old | (u64)from->cpu << 32, nc,
			  rec->flags & TCPF_FIN_RCVD);
	if (stays && from->moved_out)
		ixdp_app_ev(from, IX_EV_TCP_MOVED_OUT, 0, cookie, old, 0,
			    h | (u64)to->cpu << 32);
	return 0;

out_reset:
	app_move_reset(from, c, back, cookie, old, gone);
	ixdp_app_bufs_put(copies);
	return err;
}

/**
 * ixdp_app_move() - move every connection and armed timer of @from to @to
 * @from: an application whose core is leaving its device
 * @to: an application of the same process on a core that stays
 *
 * Call ixdp_app_can_move() first; both still (see the top of this
 * file).  @to is sent the events of each move; @from's handles of the
 * connections and timers moved go stale.  The events are published: each thread
 * reads them at its next run.
 *
 * Return: the connections that could not move, each reset and told to
 * @from (%IX_EV_TCP_DEAD, -ECONNRESET, under its old handle); all of
 * them if there is no memory to start.  If the two cannot pair (checked
 * before), nothing changes and all are counted.
 */
unsigned int ixdp_app_move(struct ixdp_app *from, struct ixdp_app *to)
{
	struct ixdp_app_conn gone = { };
	struct ixdp_tcp *t = from->tcp;
	struct ixdp_tcp_pcb *pcb;
	struct ixdp_tcp_mig *rec;
	unsigned int i, left = 0;
	bool *moving;

	ASSERT_RTNL();
	lockdep_assert_held(&from->lock);
	lockdep_assert_held(&to->lock);
	if (app_move_pair(from, to))
		return t ? t->nused - t->ntw : 0;
	/* The record and its copy to put it back: too large for the stack. */
	rec = kvmalloc_array(2, sizeof(*rec), GFP_KERNEL);
	/* What was there before: a connection put back may take a free slot. */
	moving = kvcalloc(t->npcbs, sizeof(*moving), GFP_KERNEL);
	for (i = 0; i < t->npcbs; i++) {
		pcb = &t->pcbs[i];
		if (!app_move_named(pcb))
			continue;
		if (rec && moving) {
			moving[i] = true;
			continue;
		}
		app_move_reset(from, &from->conns[i], NULL, pcb->cookie,
			       tcp_pcb_handle(pcb), &gone);
		left++;
	}
	for (i = 0; moving && rec && i < t->npcbs; i++)
		if (moving[i] &&
		    app_move_one(from, to, &t->pcbs[i], rec, &gone, false))
			left++;
	/* One grave for them all: a move of many fills no more. */
	ixdp_app_conn_bury(from, &gone);
	ixdp_app_timers_move(from, to);
	ixdp_app_ev_publish(to);
	ixdp_app_ev_publish(from);
	kvfree(moving);
	kvfree(rec);
	return left;
}

/*
 * Whether connection @pcb of @app may move now: named, not in its
 * handshake, no buffer in pieces, and not come to @app in the scale at
 * hand (the thread has not read of its coming: were it to move on, the
 * two threads would read two moves of it in either order).
 */
static bool app_move_now(struct ixdp_app *app, struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_app_conn *c = &app->conns[pcb->idx];

	return app_move_named(pcb) &&
	       (!c->moved_in || c->moved_in != app->parked) &&
	       !app_move_check_one(app, pcb, c);
}

/*
 * Whether connection @pcb of @from may move to @to now (ixdp_app_share()):
 * of those @sel selects, and may move now; @to with a slot for it, its
 * buffers besides the pool's refill target and room for its events
 * beyond what its late queue keeps; @from with room to be told of the
 * move or of its failure (one event either way).
 */
static bool app_share_fits(struct ixdp_app *from, struct ixdp_app *to,
			   struct ixdp_tcp_pcb *pcb,
			   const struct ixdp_flow_sel *sel)
{
	return ixdp_flow_sel_has(sel, pcb->idx) && app_move_now(from, pcb) &&
	       to->tcp->nused < to->tcp->npcbs &&
	       to->core->pool.avail >= pcb->rcv_held + IXDP_RX_TARGET &&
	       ixdp_app_ev_space(to) >= app_move_events(pcb) &&
	       ixdp_app_ev_room(from);
}

/**
 * ixdp_app_movable() - the connections of @app that may move now
 * @app: an application, bound and still (see the top of this file);
 *	@app->lock held
 *
 * Return: its connections neither in their handshake, nor in TIME_WAIT,
 * nor holding a buffer in pieces.
 */
unsigned int ixdp_app_movable(struct ixdp_app *app)
{
	struct ixdp_tcp *t = app->tcp;
	unsigned int i, n = 0;

	lockdep_assert_held(&app->lock);
	for (i = 0; t && app->core && i < t->npcbs; i++)
		n += app_move_now(app, &t->pcbs[i]);
	return n;
}

/**
 * ixdp_app_share() - move some connections of @from to @to, both threads
 *	staying on their cores
 * @from: an application on a core of the device
 * @to: an application of the same process on another core of it
 * @max: connections to move at most
 * @sel: only those it selects (the flow groups of @to's core), or NULL
 *	for any
 *
 * Both still (see the top of this file).  Moves the first connections of
 * @from's table that may move now, each while @to has room for it
 * (app_share_fits()); its armed timers, UDP ports and listeners stay.
 * @to is sent the events of each move; @from's handles of the
 * connections moved go stale, and the buffers they held go to one grave
 * of @from; if it asked (%IX_SETUP_F_MOVED_OUT), @from is sent
 * %IX_EV_TCP_MOVED_OUT for each.  A move that fails once begun (no memory
 * for the copies) resets its connection, as ixdp_app_move() does, and
 * tells @from.
 *
 * Return: the connections moved.
 */
unsigned int ixdp_app_share(struct ixdp_app *from, struct ixdp_app *to,
			    unsigned int max, const struct ixdp_flow_sel *sel)
{
	struct ixdp_app_conn gone = { };
	struct ixdp_tcp *t = from->tcp;
	struct ixdp_tcp_pcb *pcb;
	struct ixdp_tcp_mig *rec;
	unsigned int i, moved = 0;

	ASSERT_RTNL();
	lockdep_assert_held(&from->lock);
	lockdep_assert_held(&to->lock);
	if (!max || !t || app_move_pair(from, to))
		return 0;
	/* The record and its copy to put it back: too large for the stack. */
	rec = kvmalloc_array(2, sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return 0;
	/* One put back to be reset is CLOSED: it is not visited again. */
	for (i = 0; i < t->npcbs && moved < max; i++) {
		pcb = &t->pcbs[i];
		if (app_share_fits(from, to, pcb, sel) &&
		    !app_move_one(from, to, pcb, rec, &gone, true))
			moved++;
	}
	ixdp_app_conn_bury(from, &gone);
	ixdp_app_ev_publish(to);
	ixdp_app_ev_publish(from);
	kvfree(rec);
	return moved;
}
