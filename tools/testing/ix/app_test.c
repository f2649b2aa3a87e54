// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the application's side of /dev/ix (net/ixdp/app*.c) through
 * the command and event rings, in the environment of app_env.h.
 */

#include <string.h>

#include "app_env.h"
#include "ixdp.h"
#include "test.h"

static const struct env_cfg app_cfg = {
	.nbufs = 128,
	.max_conns = 8,
	.cmd_entries = 64,
	.ev_entries = 64,
	.tx_pages = 4,
};

IX_TEST(app, tcp_round_trip)
{
	static struct env e;
	const struct ix_event *ev;
	struct ix_cmd *c;
	struct ix_iov *v;
	u64 off;
	u32 h;

	CHECK(!env_init(&e, &app_cfg));
	CHECK(h = env_accept_peer(&e, 42));
	env_pump(&e);
	CHECK(env_peer_send(&e, e.peer_conn[0], 100) == 100);
	ev = env_wait(&e, IX_EV_TCP_RECV, 10);
	CHECK(ev && ev->handle == h && ev->cookie == 42 && ev->len == 100);
	off = ev->data;
	CHECK(off + 100 <= e.setup.rx_pool_size);
	CHECK(!memcmp((u8 *)e.pool_mem + off, "\0\7\16\25", 4));
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_RECV_DONE;
	c->handle = h;
	c->arg0 = 100;
	/* 300 bytes back, from the TX memory through a vector in it. */
	memset(e.tx + 1024, 'x', 300);
	v = (struct ix_iov *)e.tx;
	v->off = 1024;
	v->len = 300;
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_SENDV;
	c->handle = h;
	c->arg0 = 0;
	c->arg1 = 1;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(env_cmd_slot(&e, e.cmd_prod - 2)->result, 0);
	CHECK_EQ(c->result, 300);
	CHECK(env_wait(&e, IX_EV_TCP_SENT, 100));
	CHECK_EQ(e.peer_rx, 300);
	CHECK(env_fini(&e));
}

/* A producer index far ahead: one ring's worth is answered, no more. */
IX_TEST(app, cmd_producer_hostile)
{
	static struct env e;
	unsigned int i;

	CHECK(!env_init(&e, &app_cfg));
	for (i = 0; i < app_cfg.cmd_entries; i++)
		env_cmd(&e)->op = IX_CMD_NOP;
	e.cmd_prod = 0x80000000;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(*env_cmd_consumer(&e), app_cfg.cmd_entries);
	for (i = 0; i < app_cfg.cmd_entries; i++)
		CHECK_EQ(env_cmd_slot(&e, i)->result, 0);
	CHECK(env_fini(&e));
}

/*
 * Data received, then the peer resets the connection before the
 * application has read the recv event: the buffer the event names must
 * stay the application's, with its data, until the application has read
 * the dead event after it (the kernel used to put it back at once, to be
 * reused by the next frame while the event still pointed at it).
 */
IX_TEST(app, recv_buffer_outlives_dead_connection)
{
	static struct env e;
	const struct ix_event *ev;
	unsigned int avail, slot;
	struct ix_cmd *c;
	u64 off = 0;
	u32 h = 0;

	CHECK(!env_init(&e, &app_cfg));
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_LISTEN;
	c->arg0 = 80;
	c->arg1 = 4;
	CHECK(!env_peer_connect(&e, 80));
	ev = env_wait(&e, IX_EV_TCP_KNOCK, 10);
	CHECK(ev);
	h = ev->handle;
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_ACCEPT;
	c->handle = h;
	CHECK(!env_run(&e, NULL));
	env_pump(&e);
	while (env_event(&e))
		;
	/* Data, then a reset, both in before the application looks. */
	CHECK(env_peer_send(&e, e.peer_conn[0], 100) == 100);
	env_pump(&e);
	CHECK(!ixdp_tcp_abort(&e.peer, e.peer_conn[0]));
	avail = e.core->pool.avail;
	CHECK(!env_run(&e, NULL));
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_RECV && ev->handle == h &&
	      ev->len == 100);
	off = ev->data;
	slot = off / IXDP_BUF_SIZE;
	CHECK(!(e.core->pool.bufs[slot].flags & IXDP_BUF_FREE));
	/* Frames that come meanwhile must not land in it. */
	CHECK(!env_peer_udp(&e, 7, 9, 1000));
	CHECK(!env_run(&e, NULL));
	CHECK(!(e.core->pool.bufs[slot].flags & IXDP_BUF_FREE));
	CHECK(!memcmp((u8 *)e.pool_mem + off, "\0\7\16\25", 4));
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_DEAD && ev->handle == h);
	/* Read past the dead event: the buffer goes back at the next run. */
	CHECK(!env_run(&e, NULL));
	CHECK(e.core->pool.bufs[slot].flags & IXDP_BUF_FREE);
	CHECK(e.core->pool.avail >= avail);
	CHECK(env_fini(&e));
}

/* An empty datagram from an application without TX memory. */
IX_TEST(app, udp_send_empty_without_tx_memory)
{
	struct env_cfg cfg = app_cfg;
	static struct env e;
	struct ix_cmd *c;

	cfg.tx_pages = 0;
	CHECK(!env_init(&e, &cfg));
	c = env_cmd(&e);
	c->op = IX_CMD_UDP_SEND;
	c->arg0 = 0xc6120003 | 7ULL << 32 | 7000ULL << 48;
	c->arg1 = 0;
	c->handle = 0;
	CHECK(!env_run(&e, NULL));
	/* Only from a port the application bound. */
	CHECK_EQ(c->result, -EADDRNOTAVAIL);
	c = env_cmd(&e);
	c->op = IX_CMD_UDP_BIND;
	c->arg0 = 7000;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	c = env_cmd(&e);
	c->op = IX_CMD_UDP_SEND;
	c->arg0 = 0xc6120003 | 7ULL << 32 | 7000ULL << 48;
	c->arg1 = 0;
	c->handle = 0;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	c = env_cmd(&e);
	c->op = IX_CMD_UDP_SEND;
	c->arg0 = 0xc6120003 | 7ULL << 32 | 7000ULL << 48;
	c->handle = 1;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, -EFAULT);
	CHECK(env_fini(&e));
}

/*
 * A run executes 4,096 commands at most (IXDP_APP_RUN_CMDS): with 8,192
 * NOPs queued in a ring of 8,192, the first run answers 4,096 and leaves
 * the rest queued, untouched, for the second.
 */
IX_TEST(app, run_budget_leaves_the_rest_queued)
{
	static const struct env_cfg cfg = {
		.nbufs = 128, .max_conns = 8, .cmd_entries = 8192,
		.ev_entries = 64, .tx_pages = 4,
	};
	static struct env e;
	struct ix_run r = { 0 };
	unsigned int i;

	CHECK(!env_init(&e, &cfg));
	for (i = 0; i < 8192; i++)
		env_cmd(&e)->op = IX_CMD_NOP;
	CHECK(!env_run(&e, &r));
	CHECK_EQ(r.commands, 4096);
	CHECK_EQ(*env_cmd_consumer(&e), 4096);
	CHECK_EQ(env_cmd_slot(&e, 4095)->result, 0);
	CHECK_EQ(env_cmd_slot(&e, 4096)->result, ENV_RESULT_UNSET);
	memset(&r, 0, sizeof(r));
	CHECK(!env_run(&e, &r));
	CHECK_EQ(r.commands, 4096);
	CHECK_EQ(*env_cmd_consumer(&e), 8192);
	CHECK_EQ(env_cmd_slot(&e, 8191)->result, 0);
	CHECK(env_fini(&e));
}

/*
 * Setup flags: IX_SETUP_F_MOVED_OUT only with IX_SETUP_F_ELASTIC, and no
 * bit the ABI does not define.  The version announces the feature.
 */
IX_TEST(app, setup_flags_checked)
{
	static const u32 bad[] = { IX_SETUP_F_MOVED_OUT, 1U << 2, 1U << 31 };
	struct env_cfg cfg = app_cfg;
	static struct env e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&e, 0, sizeof(e));
		cfg.setup_flags = bad[i];
		CHECK_EQ(env_init(&e, &cfg), -EINVAL);
		CHECK(env_fini(&e));
	}
	CHECK(IXDP_FEATURES & IX_FEAT_MOVED_OUT);
}

/*
 * Timers are made at setup, as many as asked (a power of two up to
 * 65,536, 0 for 1,024): with 4, the fifth TIMER_SET finds none free, and
 * a cancelled one is free again.  Other counts are refused.
 */
IX_TEST(app, timers_sized_at_setup)
{
	static const u32 bad[] = { 3, 100, 65537, 131072 };
	struct env_cfg cfg = app_cfg;
	static struct env e;
	struct ix_cmd *c[6];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&e, 0, sizeof(e));
		cfg.timers = bad[i];
		CHECK_EQ(env_init(&e, &cfg), -EINVAL);
		CHECK(env_fini(&e));
	}
	memset(&e, 0, sizeof(e));
	cfg.timers = 4;
	CHECK(!env_init(&e, &cfg));
	CHECK_EQ(e.setup.timers, 4);
	for (i = 0; i < 5; i++) {
		c[i] = env_cmd(&e);
		c[i]->op = IX_CMD_TIMER_SET;
		c[i]->arg0 = 1000000;
	}
	CHECK(!env_run(&e, NULL));
	for (i = 0; i < 4; i++)
		CHECK(c[i]->result >= 0 && (c[i]->result & 0xffff) < 4);
	CHECK_EQ(c[4]->result, -ENOSPC);
	c[5] = env_cmd(&e);
	c[5]->op = IX_CMD_TIMER_CANCEL;
	c[5]->handle = c[0]->result;
	c[0] = env_cmd(&e);
	c[0]->op = IX_CMD_TIMER_SET;
	c[0]->arg0 = 1000000;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c[5]->result, 0);
	CHECK(c[0]->result >= 0);
	CHECK(env_fini(&e));
}

/*
 * Data that reaches a connection between its knock and the accept is
 * held, not dropped: the ACCEPT command hands it over as a recv event at
 * once, without waiting for the peer to send it again.
 */
IX_TEST(app, data_before_accept_comes_with_it)
{
	static struct env e;
	const struct ix_event *ev;
	struct ix_cmd *c;
	u32 h;

	CHECK(!env_init(&e, &app_cfg));
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_LISTEN;
	c->arg0 = 80;
	c->arg1 = 4;
	CHECK(!env_run(&e, NULL));
	CHECK(!env_peer_connect(&e, 80));
	ev = env_wait(&e, IX_EV_TCP_KNOCK, 10);
	CHECK(ev);
	h = ev->handle;
	/* The request arrives; the application has not accepted yet. */
	CHECK(env_peer_send(&e, e.peer_conn[0], 100) == 100);
	env_pump(&e);
	CHECK(!env_run(&e, NULL));
	CHECK(!env_event(&e));
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_ACCEPT;
	c->handle = h;
	c->cookie = 7;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	ev = env_event(&e);
	CHECK(ev && ev->type == IX_EV_TCP_RECV && ev->handle == h &&
	      ev->cookie == 7 && ev->len == 100);
	c = env_cmd(&e);
	c->op = IX_CMD_TCP_RECV_DONE;
	c->handle = h;
	c->arg0 = 100;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	CHECK(env_fini(&e));
}

/*
 * An application that never gives datagrams back cannot take the core's
 * pool: once an eighth is left, datagrams are dropped before they are
 * handed over, and the core keeps buffers to receive with.
 */
IX_TEST(app, udp_hoarder_leaves_the_reserve)
{
	static struct env e;
	const struct ix_event *ev;
	unsigned int i, got = 0;
	struct ix_cmd *c;

	CHECK(!env_init(&e, &app_cfg));
	c = env_cmd(&e);
	c->op = IX_CMD_UDP_BIND;
	c->arg0 = 9;
	CHECK(!env_run(&e, NULL));
	CHECK_EQ(c->result, 0);
	/* The peer's first datagram waits for ARP: let it resolve. */
	env_peer_udp(&e, 7, 9, 100);
	for (i = 0; i < 4; i++) {
		CHECK(!env_run(&e, NULL));
		env_pump(&e);
	}
	for (i = 0; i < 2 * app_cfg.nbufs; i++) {
		CHECK(!env_peer_udp(&e, 7, 9, 100));
		CHECK(!env_run(&e, NULL));
		while ((ev = env_event(&e)))
			got += ev->type == IX_EV_UDP_RECV;
		CHECK(e.core->pool.avail >= e.core->pool.total / 8 - 1);
	}
	CHECK(got > 0 && got < 2 * app_cfg.nbufs);
	CHECK(env_fini(&e));
}

/* A keepalive command on @h; its result once run. */
static s64 app_keepalive(struct env *e, u32 h, u64 arg0, u64 arg1, u16 flags,
			 u64 resv)
{
	struct ix_cmd *c = env_cmd(e);

	c->op = IX_CMD_TCP_KEEPALIVE;
	c->handle = h;
	c->arg0 = arg0;
	c->arg1 = arg1;
	c->flags = flags;
	c->resv[2] = resv;
	if (env_run(e, NULL))
		return ENV_RESULT_UNSET;
	return c->result;
}

/*
 * IX_CMD_TCP_KEEPALIVE: hostile fields get -EINVAL (an idle time that
 * would be valid once truncated to 32 bits among them), a stale handle
 * -ESTALE.  Set on a connection whose peer answers the probes, the
 * connection lives on; once the peer falls silent, the application gets
 * IX_EV_TCP_DEAD with -ETIMEDOUT idle + cnt * interval after the peer's
 * last segment, and the slot is free.
 */
IX_TEST(app, tcp_keepalive_command)
{
	static const u64 bad[][2] = {
		{ 32768, 1 | 1ULL << 32 },
		{ 1ULL << 32 | 1, 1 | 1ULL << 32 },
		{ ~0ULL, 1 | 1ULL << 32 },
		{ 1, 0 },
		{ 1, 1 },
		{ 1, 1ULL << 32 },
		{ 1, 32768 | 1ULL << 32 },
		{ 1, 1 | 128ULL << 32 },
		{ 1, 1 | 0xffffffffULL << 32 },
		{ 1, ~0ULL },
		{ 0, 1 | 1ULL << 32 },
		{ 0, 1ULL << 32 },
	};
	struct ixdp_tcp *tcp;
	static struct env e;
	const struct ix_event *ev;
	u64 last, dead_at = 0;
	unsigned int i;
	u32 h;

	CHECK(!env_init(&e, &app_cfg));
	CHECK(e.setup.features & IX_FEAT_TCP_KEEPALIVE);
	tcp = e.core->stack.tcp;
	CHECK(h = env_accept_peer(&e, 9));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_EQ(app_keepalive(&e, h, bad[i][0], bad[i][1], 0, 0),
			 -EINVAL);
	CHECK_EQ(app_keepalive(&e, h, 1, 1 | 2ULL << 32, 1, 0), -EINVAL);
	CHECK_EQ(app_keepalive(&e, h, 1, 1 | 2ULL << 32, 0, 1), -EINVAL);
	CHECK_EQ(app_keepalive(&e, h + 0x10000, 1, 1 | 2ULL << 32, 0, 0),
		 -ESTALE);
	CHECK_EQ(app_keepalive(&e, 0xffff, 1, 1 | 2ULL << 32, 0, 0), -EINVAL);
	CHECK_EQ(tcp->stats->keepalive_probes, 0);
	/* Idle 1 s, a probe a second, two unanswered end it. */
	CHECK_EQ(app_keepalive(&e, h, 1, 1 | 2ULL << 32, 0, 0), 0);
	/* The peer stack answers each probe: 10 s on, still alive. */
	for (i = 0; i < 100; i++) {
		env_advance(&e, 100);
		CHECK(!env_run(&e, NULL));
		env_pump(&e);
		while ((ev = env_event(&e)))
			CHECK(ev->type != IX_EV_TCP_DEAD);
	}
	CHECK(tcp->stats->keepalive_probes >= 8);
	CHECK_EQ(tcp->stats->keepalive_drops, 0);
	/* Silent: what the core sends the peer is lost from now on. */
	env_advance(&e, 100);
	CHECK(!env_run(&e, NULL));
	last = tcp->pcbs[h & 0xffff].rcv_last;
	for (i = 0; i < 100 && !dead_at; i++) {
		env_advance(&e, 100);
		CHECK(!env_run(&e, NULL));
		while ((ev = env_event(&e))) {
			if (ev->type != IX_EV_TCP_DEAD)
				continue;
			CHECK(ev->handle == h && ev->cookie == 9 &&
			      ev->status == -ETIMEDOUT);
			dead_at = e.now;
		}
	}
	CHECK(dead_at >= last + 3000 && dead_at < last + 3100);
	CHECK_EQ(tcp->stats->keepalive_drops, 1);
	CHECK_EQ(tcp->nused, 0);
	CHECK_EQ(app_keepalive(&e, h, 1, 1 | 2ULL << 32, 0, 0), -ESTALE);
	CHECK(env_fini(&e));
}

/*
 * Every opcode below IX_CMD_LAST reaches a handler: the init-time check
 * passes, and a command of each kind with nothing in it is answered in
 * its slot, however wrongly; the first opcode past the table is refused.
 */
IX_TEST(app, every_opcode_has_a_handler)
{
	static struct env e;
	struct ix_cmd *c[IX_CMD_LAST + 1];
	unsigned int op;

	CHECK_EQ(ixdp_app_cmds_check(), 0);
	CHECK(!env_init(&e, &app_cfg));
	for (op = 0; op <= IX_CMD_LAST; op++) {
		c[op] = env_cmd(&e);
		c[op]->op = op;
		c[op]->result = 1;
	}
	CHECK(!env_run(&e, NULL));
	for (op = 0; op < IX_CMD_LAST; op++)
		CHECK(c[op]->result != 1);
	CHECK_EQ(c[IX_CMD_LAST]->result, -EINVAL);
	CHECK(env_fini(&e));
}

/*
 * An application timer whose event finds the ring and the late queue
 * full fires again each tick until there is room: its event is late, not
 * lost, so the ring's dropped counter, which counts lost events, does
 * not move for it (it used to, once a tick).
 */
IX_TEST(app, timer_retry_is_not_a_dropped_event)
{
	struct env_cfg cfg = app_cfg;
	static struct env e;
	const struct ix_event *ev;
	unsigned int i, filled = 0;
	struct ix_cmd *c;
	const u32 *dropped;
	bool fired = false;

	cfg.timers = 4;
	CHECK(!env_init(&e, &cfg));
	dropped = (const u32 *)(e.ev + e.setup.event_off.dropped);
	c = env_cmd(&e);
	c->op = IX_CMD_TIMER_SET;
	c->arg0 = 5000;
	c->cookie = 77;
	CHECK(!env_run(&e, NULL));
	CHECK(c->result >= 0);
	/* Fill the ring and the late queue; the one after them is lost. */
	while (ixdp_app_ev(e.app, IX_EV_UDP_SENT, 0, NULL, 0, 0, 0))
		filled++;
	CHECK_EQ(filled, e.app->ev.mask + 1 + e.app->late_mask + 1);
	CHECK_EQ(*dropped, 1);
	for (i = 0; i < 20; i++) {
		env_advance(&e, 1);
		CHECK(!env_run(&e, NULL));
	}
	CHECK_EQ(*dropped, 1);
	for (i = 0; i < 10 && !fired; i++) {
		while ((ev = env_event(&e)))
			fired |= ev->type == IX_EV_TIMER && ev->cookie == 77 &&
				 ev->handle == (u32)c->result;
		env_advance(&e, 1);
		CHECK(!env_run(&e, NULL));
	}
	while ((ev = env_event(&e)))
		fired |= ev->type == IX_EV_TIMER && ev->cookie == 77;
	CHECK(fired);
	CHECK_EQ(*dropped, 1);
	CHECK(env_fini(&e));
}

/*
 * A scale parks an elastic thread only when it is quiet: no command
 * published and not executed, no event written and not consumed.
 */
IX_TEST(app, quiet_only_with_nothing_pending)
{
	static struct env e;
	struct ix_cmd *c;
	u32 h;

	CHECK(!env_init(&e, &app_cfg));
	CHECK(ixdp_app_quiet(e.app));
	CHECK(h = env_accept_peer(&e, 7));
	while (env_event(&e))
		;
	CHECK(ixdp_app_quiet(e.app));
	/* Published, not executed yet. */
	c = env_cmd(&e);
	c->op = IX_CMD_NOP;
	__atomic_store_n(env_cmd_producer(&e), e.cmd_prod, __ATOMIC_RELEASE);
	CHECK(!ixdp_app_quiet(e.app));
	CHECK(!env_run(&e, NULL));
	CHECK(ixdp_app_quiet(e.app));
	/* A recv event written, not consumed. */
	CHECK(env_peer_send(&e, e.peer_conn[0], 10) == 10);
	env_pump(&e);
	CHECK(!env_run(&e, NULL));
	CHECK(*env_ev_producer(&e) != e.ev_cons);
	CHECK(!ixdp_app_quiet(e.app));
	while (env_event(&e))
		;
	CHECK(ixdp_app_quiet(e.app));
	/* A consumer index the application moved past what was written. */
	*env_ev_consumer(&e) = e.ev_cons + 5;
	CHECK(!ixdp_app_quiet(e.app));
	*env_ev_consumer(&e) = e.ev_cons;
	CHECK(env_fini(&e));
}
