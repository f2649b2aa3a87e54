// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of moving an application's connections from one core to another
 * (net/ixdp/app_move.c), with two cores of one device and an
 * application of one process on each (app_env.h, ncores 2).  Side 0 is
 * the core that leaves, side 1 the one that stays.
 */

#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "app_env.h"
#include "ixdp.h"
#include "test.h"

static const struct env_cfg move_cfg = {
	/* The staying core keeps IXDP_RX_TARGET buffers besides the copies. */
	.nbufs = IXDP_RX_TARGET + 64,
	.max_conns = 8,
	.cmd_entries = 64,
	.ev_entries = 64,
	.tx_pages = 4,
	.ncores = 2,
};

/* The peer's byte @i of what it sends: each send starts the pattern over. */
static u8 move_pattern(unsigned int i)
{
	return i * 7 + i / 251;
}

/*
 * ixdp_app_move() as ix scale calls it: under RTNL, with both threads'
 * locks (checked by the move).
 */
static unsigned int move_all(struct ixdp_app *from, struct ixdp_app *to)
{
	unsigned int left;

	rtnl_lock();
	mutex_lock(&from->lock);
	mutex_lock(&to->lock);
	left = ixdp_app_move(from, to);
	mutex_unlock(&to->lock);
	mutex_unlock(&from->lock);
	rtnl_unlock();
	return left;
}

/* A command of the application in use; run at once, its result. */
static s64 move_cmd(struct env *e, u16 op, u32 handle, u64 arg0, u64 arg1)
{
	struct ix_cmd *c = env_cmd(e);

	c->op = op;
	c->handle = handle;
	c->arg0 = arg0;
	c->arg1 = arg1;
	if (env_run(e, NULL))
		return ENV_RESULT_UNSET;
	return c->result;
}

/*
 * Side 0 accepts the peer (cookie 42), which sends @len bytes; side 0
 * reads every recv event, consumes @consumed bytes, and queues @send
 * bytes the peer does not acknowledge yet.  The handle, or 0.
 */
static u32 move_setup(struct env *e, unsigned int len, unsigned int consumed,
		      unsigned int send)
{
	const struct ix_event *ev;
	unsigned int got = 0, i;
	struct ix_iov *v;
	u32 h;

	h = env_accept_peer(e, 42);
	if (!h)
		return 0;
	env_pump(e);
	if (env_peer_send(e, e->peer_conn[0], len) != len)
		return 0;
	for (i = 0; i < 20 && got < len; i++) {
		if (env_run(e, NULL))
			return 0;
		env_pump(e);
		while ((ev = env_event(e)))
			if (ev->type == IX_EV_TCP_RECV && ev->handle == h)
				got += ev->len;
	}
	if (got != len)
		return 0;
	if (consumed && move_cmd(e, IX_CMD_TCP_RECV_DONE, h, consumed, 0))
		return 0;
	if (!send)
		return h;
	memset(e->tx + 1024, 'x', send);
	v = (struct ix_iov *)e->tx;
	v->off = 1024;
	v->len = send;
	/* Sent, and left on the link: the peer has not acknowledged it. */
	return move_cmd(e, IX_CMD_TCP_SENDV, h, 0, 1) == send ? h : 0;
}

/* The connection's on @core, or NULL. */
static struct ixdp_tcp_pcb *move_pcb(struct ixdp_core *core)
{
	struct ixdp_tcp *t = core->stack.tcp;
	unsigned int i;

	for (i = 0; i < t->npcbs; i++)
		if (t->pcbs[i].state >= IXDP_TCP_ESTABLISHED &&
		    t->pcbs[i].state <= IXDP_TCP_LAST_ACK)
			return &t->pcbs[i];
	return NULL;
}

/* Whether the send queue of @core's connection is in @app's TX mapping. */
static bool move_sq_in(struct ixdp_core *core, struct ixdp_app *app)
{
	struct ixdp_tcp_pcb *pcb = move_pcb(core);
	const struct ixdp_tcp_sref *r;
	unsigned int i;

	if (!pcb || !pcb->sq_n)
		return false;
	for (i = 0; i < pcb->sq_n; i++) {
		r = &pcb->sq[(pcb->sq_head + i) % IXDP_TCP_SQ];
		if (r->base < app->tx_kva ||
		    r->base + r->len > app->tx_kva + app->tx_len)
			return false;
	}
	return true;
}

/*
 * 3,000 bytes received on side 0, 100 of them consumed, 2,000 sent and
 * not acknowledged: the connection moves to side 1 with the 2,900 bytes
 * it has not consumed and its send queue, without a reset; the old handle
 * is stale, the new one carries on both ways.
 */
IX_TEST(app_move, stream_moves_with_its_unconsumed_bytes)
{
	static struct env e;
	struct ixdp_core *from, *to;
	const struct ix_event *ev;
	unsigned int got = 0, i;
	u32 h, nh;
	bool ok = true;

	CHECK(!env_init(&e, &move_cfg));
	from = env_core(&e, 0);
	to = env_core(&e, 1);
	CHECK(h = move_setup(&e, 3000, 100, 2000));
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK_EQ(from->stack.stats.tcp.migrated_out, 1);
	CHECK_EQ(to->stack.stats.tcp.migrated_in, 1);
	/* The send queue points into side 1's mapping of the TX memory. */
	CHECK(move_sq_in(to, env_app(&e, 1)));
	CHECK(env_app(&e, 0)->tx_kva != env_app(&e, 1)->tx_kva);

	/* The old handle is stale on side 0. */
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h, 1, 0), -ESTALE);

	/* Side 1: moved first, then the 2,900 bytes at offsets of its pool. */
	env_use(&e, 1);
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_MOVED && ev->cookie == 42);
	CHECK_EQ(ev->len, 2900);
	CHECK_EQ(ev->data, h);		/* the old handle; CPU 0 */
	nh = ev->handle;
	while ((ev = env_event(&e))) {
		CHECK(ev->type == IX_EV_TCP_RECV && ev->handle == nh &&
		      ev->cookie == 42 && ev->len);
		CHECK(ev->data + ev->len <= e.setup.rx_pool_size);
		for (i = 0; i < ev->len; i++)
			ok &= ((u8 *)e.pool_mem)[ev->data + i] ==
			      move_pattern(100 + got + i);
		got += ev->len;
	}
	CHECK(ok);
	CHECK_EQ(got, 2900);

	/* The peer's frames reach side 1 now; what side 0 sent arrives. */
	env_route(&e, 1);
	for (i = 0; i < 50 && e.peer_rx < 2000; i++) {
		CHECK(!env_run(&e, NULL));
		env_pump(&e);
		while ((ev = env_event(&e)))
			CHECK(ev->type == IX_EV_TCP_SENT && ev->handle == nh);
		env_advance(&e, 50);
	}
	CHECK_EQ(e.peer_rx, 2000);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, nh, 2900, 0), 0);

	/* And more comes, to the new handle. */
	CHECK(env_peer_send(&e, e.peer_conn[0], 500) == 500);
	ev = env_wait(&e, IX_EV_TCP_RECV, 10);
	CHECK(ev && ev->handle == nh && ev->cookie == 42 && ev->len == 500);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, nh, 500, 0), 0);
	CHECK_EQ(e.peer.stats.tcp.resets_in + to->stack.stats.tcp.resets_out +
		 from->stack.stats.tcp.resets_out, 0);
	CHECK(env_fini(&e));
}

/* Every refusal leaves the connection where it was, usable. */
IX_TEST(app_move, refusals_change_nothing)
{
	struct ixdp_buf *taken[IXDP_RX_TARGET + 64];
	struct ixdp_app *a, *b;
	struct ixdp_pool *pool;
	static struct env e;
	unsigned int n = 0;
	u32 h, cons;

	CHECK(!env_init(&e, &move_cfg));
	a = env_app(&e, 0);
	b = env_app(&e, 1);
	CHECK(h = move_setup(&e, 1000, 0, 0));
	CHECK_EQ(ixdp_app_can_move(a, a), -EINVAL);

	/* Side 1's pool one short of the copy (1) and its reserve. */
	pool = &env_core(&e, 1)->pool;
	while (pool->avail > IXDP_RX_TARGET)
		taken[n++] = ixdp_buf_get(pool);
	CHECK_EQ(ixdp_app_can_move(a, b), -ENOSPC);
	ixdp_buf_put(taken[--n]);
	CHECK_EQ(ixdp_app_can_move(a, b), 0);
	while (n)
		ixdp_buf_put(taken[--n]);

	/*
	 * Side 1 forged its consumer index: its ring counts as full, and
	 * its late queue keeps an entry for each connection and timer, so
	 * a move (3 events) must wait for it to read; with its index back,
	 * the move may go.
	 */
	env_use(&e, 1);
	cons = *env_ev_consumer(&e);
	*env_ev_consumer(&e) = cons + 0x10000;
	b->late_tail = b->late_head + b->late_mask + 1 - b->tcp->npcbs -
		       b->ntimers - 2;
	CHECK_EQ(ixdp_app_can_move(a, b), -EAGAIN);
	b->late_tail = b->late_head;
	CHECK_EQ(ixdp_app_can_move(a, b), 0);
	b->late_tail = b->late_head + b->late_mask + 1 - b->tcp->npcbs -
		       b->ntimers - 3;
	CHECK_EQ(ixdp_app_can_move(a, b), 0);
	b->late_tail = b->late_head;
	*env_ev_consumer(&e) = cons;
	env_use(&e, 0);

	/* A second connection on side 0, in its handshake: try again. */
	CHECK(!env_peer_connect(&e, 80));
	CHECK(env_wait(&e, IX_EV_TCP_KNOCK, 10));
	CHECK_EQ(ixdp_app_can_move(a, b), -EAGAIN);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h, 1000, 0), 0);
	CHECK_EQ(env_core(&e, 0)->stack.stats.tcp.migrated_out, 0);
	CHECK(env_fini(&e));

	/* TX memory of its own on side 1: the send queue cannot follow. */
	{
		struct env_cfg cfg = move_cfg;

		cfg.tx_apart = true;
		CHECK(!env_init(&e, &cfg));
		CHECK(h = move_setup(&e, 1000, 0, 700));
		CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)),
			 -EXDEV);
		CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 1);
		CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h, 1000, 0), 0);
		CHECK(env_fini(&e));
	}
}

/*
 * The peer closed its direction before the move: side 1 is told again
 * (a recv of length 0 after the data), closes, and the connection ends
 * cleanly there.
 */
IX_TEST(app_move, close_wait_moves_and_closes_on_the_new_core)
{
	const struct ix_event *ev;
	static struct env e;
	u32 h, nh;

	CHECK(!env_init(&e, &move_cfg));
	CHECK(h = move_setup(&e, 800, 0, 0));
	CHECK(!ixdp_tcp_close(&e.peer, e.peer_conn[0]));
	env_pump(&e);
	ev = env_wait(&e, IX_EV_TCP_RECV, 10);
	CHECK(ev && ev->handle == h && ev->len == 0);
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	env_use(&e, 1);
	env_route(&e, 1);
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_MOVED && ev->len == 800);
	nh = ev->handle;
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_RECV && ev->len == 800);
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_RECV && ev->len == 0 &&
	      ev->handle == nh);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, nh, 800, 0), 0);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_CLOSE, nh, 0, 0), 0);
	ev = env_wait(&e, IX_EV_TCP_DEAD, 20);
	CHECK(ev && ev->handle == nh && ev->status == 0);
	CHECK(env_fini(&e));
}

/*
 * Side 1 has no free connection slot (its own connects fill them): the
 * move fails after side 0 let the connection go.  Side 0's thread is
 * leaving its core, so the connection is not given back to it: it is
 * reset (the peer gets our RST) and side 0 is told under the handle it
 * knew, with nothing that names its pool.
 */
IX_TEST(app_move, failed_move_resets_and_tells)
{
	const struct ix_event *ev;
	static struct env e;
	unsigned int i;
	u64 resets;
	u32 h;

	CHECK(!env_init(&e, &move_cfg));
	CHECK(h = move_setup(&e, 600, 0, 0));
	env_use(&e, 1);
	for (i = 0; i < move_cfg.max_conns; i++)
		CHECK(move_cmd(&e, IX_CMD_TCP_CONNECT, 0, 0xc6120003, 80) > 0);
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), -ENOSPC);
	resets = e.peer.stats.tcp.resets_in;
	/* Past the check, as a caller racing a new connection would. */
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 1);
	CHECK(!env_event(&e));
	env_use(&e, 0);
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_DEAD && ev->cookie == 42 &&
	      ev->handle == h && ev->status == -ECONNRESET);
	CHECK(!env_event(&e));
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h, 600, 0), -ESTALE);
	env_pump(&e);
	CHECK_EQ(e.peer.stats.tcp.resets_in, resets + 1);
	CHECK_EQ(env_core(&e, 0)->stack.stats.tcp.migrated_out, 1);
	CHECK_EQ(env_core(&e, 0)->stack.stats.tcp.migrated_in, 1);
	CHECK(env_fini(&e));
}

/*
 * An armed timer moves with the core's connections: the staying side is
 * told (TIMER_MOVED: the new handle; the old one and CPU in data), and
 * the timer fires there when it would have, under the new handle, not
 * a tick early; the old handle is stale.  With no free timer on the
 * staying side the move is refused before anything changes.
 */
IX_TEST(app_move, armed_timer_moves_and_fires_on_time)
{
	struct env_cfg cfg = move_cfg;
	const struct ix_event *ev;
	static struct env e;
	struct ix_cmd *c;
	u32 th, nth;
	u64 old;

	cfg.timers = 1;
	CHECK(!env_init(&e, &cfg));
	CHECK(move_setup(&e, 100, 100, 0));
	c = env_cmd(&e);
	c->op = IX_CMD_TIMER_SET;
	c->arg0 = 50000;
	c->cookie = 99;
	CHECK(!env_run(&e, NULL));
	CHECK(c->result >= 0);
	th = c->result;
	old = th | (u64)env_app(&e, 0)->cpu << 32;
	/* The staying side's only timer armed: no room for this one. */
	env_use(&e, 1);
	c = env_cmd(&e);
	c->op = IX_CMD_TIMER_SET;
	c->arg0 = 1000000;
	CHECK(!env_run(&e, NULL));
	CHECK(c->result >= 0);
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), -ENOSPC);
	CHECK_EQ(move_cmd(&e, IX_CMD_TIMER_CANCEL, c->result, 0, 0), 0);
	env_advance(&e, 20);
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	do {
		ev = env_event(&e);
	} while (ev && ev->type != IX_EV_TIMER_MOVED);
	CHECK(ev && ev->cookie == 99 && ev->data == old && !ev->len);
	nth = ev->handle;
	/* Set 20 ms ago for 50 (a tick more, counted from then): not yet. */
	env_advance(&e, 30);
	CHECK(!env_run(&e, NULL));
	while ((ev = env_event(&e)))
		CHECK(ev->type != IX_EV_TIMER);
	env_advance(&e, 1);
	CHECK(!env_run(&e, NULL));
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TIMER && ev->cookie == 99 &&
	      ev->handle == nth);
	/* Gone from the side it left: stale there, and never fires. */
	env_use(&e, 0);
	CHECK_EQ(move_cmd(&e, IX_CMD_TIMER_CANCEL, th, 0, 0), -ESTALE);
	env_advance(&e, 100);
	CHECK(!env_run(&e, NULL));
	while ((ev = env_event(&e)))
		CHECK(ev->type != IX_EV_TIMER);
	CHECK(env_fini(&e));
}

/*
 * Side 0 accepts four connections (cookies 100 to 103, handles in @h,
 * the peer's in @peer), and the peer sends 200, 400, 600 and 800 bytes
 * on them, every event read and nothing consumed.
 */
static bool move_four(struct env *e, u32 *peer, u32 *h)
{
	const struct ix_event *ev;
	struct ix_cmd *c;
	unsigned int i;

	h[0] = env_accept_peer(e, 100);
	if (!h[0])
		return false;
	peer[0] = e->peer_conn[0];
	for (i = 1; i < 4; i++) {
		if (env_peer_connect(e, 80))
			return false;
		peer[i] = e->peer_conn[0];
		ev = env_wait(e, IX_EV_TCP_KNOCK, 10);
		if (!ev)
			return false;
		h[i] = ev->handle;
		c = env_cmd(e);
		c->op = IX_CMD_TCP_ACCEPT;
		c->handle = h[i];
		c->cookie = 100 + i;
		if (env_run(e, NULL) || c->result)
			return false;
	}
	for (i = 0; i < 4; i++) {
		env_pump(e);
		if (env_peer_send(e, peer[i], 200 * (i + 1)) != 200 * (i + 1))
			return false;
	}
	for (i = 0; i < 10; i++) {
		if (env_run(e, NULL))
			return false;
		env_pump(e);
		while (env_event(e))
			;
	}
	return true;
}

/* Four connections, each with bytes of its own, all move. */
IX_TEST(app_move, every_connection_moves)
{
	unsigned int i, moved = 0, bytes[4] = { 0 };
	const struct ix_event *ev;
	static struct env e;
	u32 peer[4], h[4];

	CHECK(!env_init(&e, &move_cfg));
	CHECK(move_four(&e, peer, h));
	CHECK_EQ(ixdp_app_can_move(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	env_use(&e, 1);
	while ((ev = env_event(&e))) {
		moved += ev->type == IX_EV_TCP_MOVED;
		if (ev->type == IX_EV_TCP_RECV && ev->cookie >= 100 &&
		    ev->cookie < 104)
			bytes[ev->cookie - 100] += ev->len;
	}
	CHECK_EQ(moved, 4);
	for (i = 0; i < 4; i++)
		CHECK_EQ(bytes[i], 200 * (i + 1));
	CHECK_EQ(env_core(&e, 1)->stack.tcp->nused, 4);
	CHECK(env_fini(&e));
}

/* ixdp_app_share() as ix scale calls it: under RTNL and both locks. */
static unsigned int move_share_sel(struct ixdp_app *from, struct ixdp_app *to,
				   unsigned int max,
				   const struct ixdp_flow_sel *sel)
{
	unsigned int moved;

	rtnl_lock();
	mutex_lock(&from->lock);
	mutex_lock(&to->lock);
	moved = ixdp_app_share(from, to, max, sel);
	mutex_unlock(&to->lock);
	mutex_unlock(&from->lock);
	rtnl_unlock();
	return moved;
}

static unsigned int move_share(struct ixdp_app *from, struct ixdp_app *to,
			       unsigned int max)
{
	return move_share_sel(from, to, max, NULL);
}

/* ixdp_app_movable() under the thread's lock. */
static unsigned int move_movable(struct ixdp_app *app)
{
	unsigned int n;

	mutex_lock(&app->lock);
	n = ixdp_app_movable(app);
	mutex_unlock(&app->lock);
	return n;
}

/*
 * A core joins, both threads stay: of side 0's four connections, with
 * bytes unconsumed, two go to side 1 with those bytes; side 0 is sent
 * nothing, its handles of the two go stale, and its other two carry on.
 * Both sides then echo on each connection, the peer's segments handed
 * over from side 0's queue for the moved ones, without a reset.
 */
IX_TEST(app_move, a_joining_thread_takes_its_share)
{
	unsigned int i, moved = 0, bytes[4] = { 0 }, peer_rx;
	u32 peer[4], h[4], nh[4] = { 0 };
	const struct ix_event *ev;
	static struct env e;

	CHECK(!env_init(&e, &move_cfg));
	CHECK(move_four(&e, peer, h));
	CHECK_EQ(move_movable(env_app(&e, 0)), 4);
	CHECK_EQ(move_movable(env_app(&e, 1)), 0);
	CHECK_EQ(move_share(env_app(&e, 0), env_app(&e, 1), 0), 0);
	CHECK_EQ(move_share(env_app(&e, 0), env_app(&e, 1), 2), 2);
	CHECK_EQ(move_movable(env_app(&e, 0)), 2);
	CHECK_EQ(move_movable(env_app(&e, 1)), 2);
	/* Side 0: no event; the first two handles stale, the rest its own. */
	CHECK(!env_event(&e));
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[0], 1, 0), -ESTALE);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[1], 1, 0), -ESTALE);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[2], 600, 0), 0);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[3], 800, 0), 0);
	/* Side 1: the two, each with what side 0 had not consumed. */
	env_use(&e, 1);
	while ((ev = env_event(&e))) {
		CHECK(ev->cookie == 100 || ev->cookie == 101);
		if (ev->type == IX_EV_TCP_MOVED) {
			moved++;
			CHECK_EQ(ev->data, h[ev->cookie - 100]);
			nh[ev->cookie - 100] = ev->handle;
		} else if (ev->type == IX_EV_TCP_RECV) {
			bytes[ev->cookie - 100] += ev->len;
		}
	}
	CHECK_EQ(moved, 2);
	CHECK_EQ(bytes[0], 200);
	CHECK_EQ(bytes[1], 400);
	for (i = 0; i < 2; i++)
		CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, nh[i], 200 * (i + 1),
				  0), 0);
	/*
	 * The peer sends on all four; every segment reaches side 0 (the
	 * device has not followed), and each side takes its own.
	 */
	memset(bytes, 0, sizeof(bytes));
	for (i = 0; i < 4; i++) {
		env_pump(&e);
		CHECK(env_peer_send(&e, peer[i], 100) == 100);
	}
	peer_rx = e.peer_rx;
	for (i = 0; i < 20; i++) {
		env_use(&e, 0);
		CHECK(!env_run(&e, NULL));
		while ((ev = env_event(&e))) {
			CHECK(ev->cookie == 102 || ev->cookie == 103);
			if (ev->type == IX_EV_TCP_RECV)
				bytes[ev->cookie - 100] += ev->len;
		}
		env_use(&e, 1);
		CHECK(!env_run(&e, NULL));
		while ((ev = env_event(&e))) {
			CHECK(ev->cookie == 100 || ev->cookie == 101);
			if (ev->type == IX_EV_TCP_RECV)
				bytes[ev->cookie - 100] += ev->len;
		}
		env_pump(&e);
		env_advance(&e, 50);
	}
	for (i = 0; i < 4; i++)
		CHECK_EQ(bytes[i], 100);
	CHECK_EQ(e.peer_rx, peer_rx);
	CHECK(env_core(&e, 0)->stack.stats.handoff_out > 0);
	CHECK_EQ(env_core(&e, 0)->stack.tcp->nused, 2);
	CHECK_EQ(env_core(&e, 1)->stack.tcp->nused, 2);
	CHECK_EQ(e.peer.stats.tcp.resets_in, 0);
	CHECK(env_fini(&e));
}

/*
 * A staying thread that asked (IX_SETUP_F_MOVED_OUT) is told of each
 * connection it gives: its old handle, and the new handle and CPU that
 * the other thread's moved event names.  A leaving thread is not, even
 * if it asked: its core's end tells it.
 */
IX_TEST(app_move, a_giving_thread_is_told_if_it_asked)
{
	u32 peer[4], h[4], nh[4] = { 0 }, out = 0;
	unsigned int i, moved = 0;
	const struct ix_event *ev;
	static struct env e;

	CHECK(!env_init(&e, &move_cfg));
	CHECK(move_four(&e, peer, h));
	env_app(&e, 0)->moved_out = true;
	CHECK_EQ(move_share(env_app(&e, 0), env_app(&e, 1), 2), 2);
	env_use(&e, 1);
	while ((ev = env_event(&e))) {
		if (ev->type != IX_EV_TCP_MOVED)
			continue;
		moved++;
		nh[ev->cookie - 100] = ev->handle;
	}
	CHECK_EQ(moved, 2);
	env_use(&e, 0);
	while ((ev = env_event(&e))) {
		CHECK_EQ(ev->type, IX_EV_TCP_MOVED_OUT);
		CHECK(ev->cookie == 100 || ev->cookie == 101);
		i = ev->cookie - 100;
		CHECK_EQ(ev->handle, h[i]);
		CHECK_EQ(ev->data, nh[i] | (u64)env_app(&e, 1)->cpu << 32);
		out++;
	}
	CHECK_EQ(out, 2);
	/* The other two leave with side 0's core: no moved-out event. */
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	while ((ev = env_event(&e)))
		CHECK(ev->type != IX_EV_TCP_MOVED_OUT);
	CHECK_EQ(env_core(&e, 1)->stack.tcp->nused, 4);
	CHECK(env_fini(&e));
}

/*
 * On a device that hashes, a share moves the connections whose flow
 * groups lead to the other core, and only those: of four, the two whose
 * slots say core 1, with their bytes; the others stay.  Then, in the
 * same scale (both threads parked under one request), the two do not
 * move back: side 1 has not read of their coming; under the next
 * scale's request they may.
 */
IX_TEST(app_move, a_share_moves_its_flow_groups)
{
	unsigned int i, moved = 0, bytes[4] = { 0 };
	struct ixdp_flow_sel sel = { .core = 1 };
	const struct ix_event *ev;
	static u8 slot_core[256];
	static struct env e;
	u32 peer[4], h[4];

	CHECK(!env_init(&e, &move_cfg));
	CHECK(move_four(&e, peer, h));
	CHECK(env_core(&e, 0)->stack.tcp->npcbs <= sizeof(slot_core));
	memset(slot_core, 0, sizeof(slot_core));
	slot_core[h[1] & 0xffff] = 1;
	slot_core[h[3] & 0xffff] = 1;
	sel.slot_core = slot_core;
	env_app(&e, 0)->parked = 7;
	env_app(&e, 1)->parked = 7;
	CHECK_EQ(move_share_sel(env_app(&e, 0), env_app(&e, 1), UINT_MAX, &sel),
		 2);
	/* None of core 1's is left on side 0. */
	CHECK_EQ(move_share_sel(env_app(&e, 0), env_app(&e, 1), UINT_MAX, &sel),
		 0);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[0], 200, 0), 0);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[1], 1, 0), -ESTALE);
	CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, h[3], 1, 0), -ESTALE);
	CHECK_EQ(move_movable(env_app(&e, 1)), 0);
	CHECK_EQ(move_share(env_app(&e, 1), env_app(&e, 0), UINT_MAX), 0);
	env_use(&e, 1);
	while ((ev = env_event(&e))) {
		CHECK(ev->cookie == 101 || ev->cookie == 103);
		moved += ev->type == IX_EV_TCP_MOVED;
		if (ev->type == IX_EV_TCP_RECV)
			bytes[ev->cookie - 100] += ev->len;
	}
	CHECK_EQ(moved, 2);
	CHECK_EQ(bytes[1], 400);
	CHECK_EQ(bytes[3], 800);
	CHECK_EQ(env_core(&e, 0)->stack.tcp->nused, 2);
	CHECK_EQ(env_core(&e, 1)->stack.tcp->nused, 2);
	/* The next scale. */
	env_app(&e, 0)->parked = 8;
	env_app(&e, 1)->parked = 8;
	CHECK_EQ(move_movable(env_app(&e, 1)), 2);
	for (i = 0; i < 2; i++)
		CHECK_EQ(env_core(&e, i)->stack.tcp->nused, 2);
	CHECK(env_fini(&e));
}

/*
 * A share moves only what may move now: of an accepted connection and
 * one not accepted yet (its knock read), the first goes; the second
 * stays, and side 0 accepts it afterwards as if nothing happened.
 */
IX_TEST(app_move, a_share_leaves_what_may_not_move)
{
	const struct ix_event *ev;
	static struct env e;
	struct ix_cmd *c;
	u32 h;

	CHECK(!env_init(&e, &move_cfg));
	CHECK(env_accept_peer(&e, 100));
	CHECK(!env_peer_connect(&e, 80));
	ev = env_wait(&e, IX_EV_TCP_KNOCK, 10);
	CHECK(ev);
	h = ev->handle;
	CHECK_EQ(move_movable(env_app(&e, 0)), 1);
	CHECK_EQ(move_share(env_app(&e, 0), env_app(&e, 1), 4), 1);
	CHECK_EQ(env_core(&e, 1)->stack.tcp->nused, 1);
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_ACCEPT;
	c->handle = h;
	c->cookie = 101;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	CHECK_EQ(move_movable(env_app(&e, 0)), 1);
	CHECK(env_fini(&e));
}

/*
 * The device still steers the connection to the old core after the
 * move: its segments are handed to the new one, never reset, both ways.
 */
IX_TEST(app_move, late_segments_at_the_old_core_are_handed_over)
{
	struct ixdp_core *from, *to;
	const struct ix_event *ev;
	static struct env e;
	unsigned int i;
	u32 nh = 0;

	CHECK(!env_init(&e, &move_cfg));
	from = env_core(&e, 0);
	to = env_core(&e, 1);
	CHECK(move_setup(&e, 500, 500, 1500));
	CHECK_EQ(move_all(env_app(&e, 0), env_app(&e, 1)), 0);
	CHECK(env_peer_send(&e, e.peer_conn[0], 900) == 900);
	for (i = 0; i < 40 && (!nh || e.peer_rx < 1500); i++) {
		env_use(&e, 0);
		CHECK(!env_run(&e, NULL));
		env_use(&e, 1);
		CHECK(!env_run(&e, NULL));
		while ((ev = env_event(&e))) {
			if (ev->type == IX_EV_TCP_MOVED)
				nh = ev->handle;
			else if (ev->type == IX_EV_TCP_RECV && ev->len == 900)
				CHECK_EQ(move_cmd(&e, IX_CMD_TCP_RECV_DONE, nh,
						  900, 0), 0);
		}
		env_pump(&e);
		env_advance(&e, 50);
	}
	CHECK(nh);
	CHECK_EQ(e.peer_rx, 1500);
	CHECK_EQ(to->stack.tcp->pcbs[nh & 0xffff].rcv_unread, 0);
	CHECK(from->stack.stats.handoff_out > 0);
	CHECK_EQ(e.peer.stats.tcp.resets_in + to->stack.stats.tcp.resets_out +
		 from->stack.stats.tcp.resets_out, 0);
	CHECK(env_fini(&e));
}

/*
 * Random interleavings: the connection moves back and forth between the
 * cores while the peer sends, the application consumes and sends at
 * random, events wait unread across moves, and the device steers the
 * peer's segments to either core.  Every byte arrives in order, every
 * move's replay gives exactly what was unconsumed, nothing is reset.
 */
#define MOVE_SEEDS	50
#define MOVE_STEPS	300
#define MOVE_SEND	1000	/* the peer's sends: the pattern each time */

struct move_app {
	unsigned int	side;		/* the core the connection is on */
	u32		h;
	u64		consumed;	/* bytes given back with recv_done */
	u32		held;		/* bytes of recv events not given back */
	u32		unread;		/* TCP's count of them at the last move */
	u64		sent;		/* bytes sendv queued */
	unsigned int	moves;
	bool		ok;
};

static u32 move_rand(u32 *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

/* Read the events of @side: the connection's, on the side it is on. */
static void move_events(struct env *e, struct move_app *a, unsigned int side)
{
	const struct ix_event *ev;
	unsigned int i;
	u64 at;

	env_use(e, side);
	while ((ev = env_event(e))) {
		if (ev->type == IX_EV_TCP_MOVED && side == a->side) {
			/* Unread recvs of the old handle were void. */
			a->ok &= ev->len >= a->held && ev->len == a->unread &&
				 ev->cookie == 42;
			a->h = ev->handle;
			a->held = 0;
			continue;
		}
		if (side != a->side || ev->handle != a->h)
			continue;
		a->ok &= ev->type == IX_EV_TCP_RECV || ev->type == IX_EV_TCP_SENT;
		if (ev->type != IX_EV_TCP_RECV)
			continue;
		at = a->consumed + a->held;
		for (i = 0; i < ev->len; i++)
			a->ok &= ((u8 *)e->pool_mem)[ev->data + i] ==
				 move_pattern((at + i) % MOVE_SEND);
		a->held += ev->len;
	}
}

static void move_consume(struct env *e, struct move_app *a, u32 bytes)
{
	env_use(e, a->side);
	if (!bytes)
		return;
	a->ok &= !move_cmd(e, IX_CMD_TCP_RECV_DONE, a->h, bytes, 0);
	a->consumed += bytes;
	a->held -= bytes;
}

static void move_send(struct env *e, struct move_app *a, u32 bytes)
{
	struct ix_iov *v = (struct ix_iov *)e->tx;
	s64 n;

	env_use(e, a->side);
	v->off = 1024;
	v->len = bytes;
	n = move_cmd(e, IX_CMD_TCP_SENDV, a->h, 0, 1);
	a->ok &= n >= 0 || n == -EAGAIN;
	if (n > 0)
		a->sent += n;
}

/* Both cores poll, the connection's last; both threads read events. */
static void move_poll(struct env *e, struct move_app *a)
{
	env_use(e, !a->side);
	a->ok &= !env_run(e, NULL);
	env_use(e, a->side);
	a->ok &= !env_run(e, NULL);
	move_events(e, a, 0);
	move_events(e, a, 1);
}

static bool move_round(const u32 seed0)
{
	u32 seed = seed0;
	struct move_app a = { .ok = true };
	struct ixdp_tcp_pcb *pcb;
	u64 peer_sent = 0;
	static struct env e;
	unsigned int step;
	u32 r;

	if (env_init(&e, &move_cfg) || !(a.h = move_setup(&e, MOVE_SEND, 0, 0)))
		return false;
	peer_sent = MOVE_SEND;
	a.held = MOVE_SEND;
	memset(e.tx + 1024, 'y', 3000);
	for (step = 0; step < MOVE_STEPS && a.ok; step++) {
		r = move_rand(&seed);
		if (r % 4 == 0 && peer_sent - a.consumed < 8 * MOVE_SEND &&
		    env_peer_send(&e, e.peer_conn[0], MOVE_SEND) == MOVE_SEND)
			peer_sent += MOVE_SEND;
		if (r / 4 % 3 == 0)
			move_consume(&e, &a, move_rand(&seed) % (a.held + 1));
		if (r / 12 % 5 == 0)
			move_send(&e, &a, 1 + move_rand(&seed) % 3000);
		if (r / 60 % 7 == 0)
			env_route(&e, move_rand(&seed) % 2);
		/* Read the events before the move or not: both happen. */
		if (r / 420 % 2)
			move_events(&e, &a, a.side);
		if (r / 840 % 6 == 0 &&
		    !ixdp_app_can_move(env_app(&e, a.side),
				       env_app(&e, !a.side))) {
			a.ok &= !move_all(env_app(&e, a.side),
					       env_app(&e, !a.side));
			a.side = !a.side;
			a.moves++;
			pcb = move_pcb(env_core(&e, a.side));
			a.unread = pcb ? pcb->rcv_unread : U32_MAX;
		}
		move_poll(&e, &a);
		env_pump(&e);
		env_advance(&e, 1 + move_rand(&seed) % 40);
	}
	/* The device settles on the connection's core; all is delivered. */
	env_route(&e, a.side);
	for (step = 0; step < 400 && a.ok &&
	     (a.consumed < peer_sent || e.peer_rx < a.sent); step++) {
		move_poll(&e, &a);
		move_consume(&e, &a, a.held);
		env_pump(&e);
		env_advance(&e, 50);
	}
	if (!a.ok || a.consumed != peer_sent || e.peer_rx != a.sent ||
	    a.moves < 3 || e.peer.stats.tcp.resets_in ||
	    env_core(&e, 0)->stack.stats.tcp.resets_out ||
	    env_core(&e, 1)->stack.stats.tcp.resets_out) {
		fprintf(stderr, "# seed %u: ok %d, consumed %llu of %llu, peer got %llu of %llu, %u moves\n",
			seed0, a.ok, (unsigned long long)a.consumed,
			(unsigned long long)peer_sent,
			(unsigned long long)e.peer_rx,
			(unsigned long long)a.sent, a.moves);
		env_fini(&e);
		return false;
	}
	return env_fini(&e);
}

IX_TEST(app_move, random_interleavings_lose_nothing)
{
	unsigned int seed;

	for (seed = 1; seed <= MOVE_SEEDS; seed++)
		CHECK(move_round(seed));
}
