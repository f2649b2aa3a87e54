// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive (net/ixdp/tcp_keepalive.c, RFC 9293 3.8.4): off until the
 * application sets it on a connection; then, after idle seconds without
 * a segment from the peer, a probe (sequence number SND.UNA - 1, no
 * data) every interval, and after cnt unanswered ones the connection is
 * reset and dies with -ETIMEDOUT.  Times are in ticks of 1 ms.
 */

#include <errno.h>
#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

static struct ixdp_tcp_stats *ka_stats(struct tpeer *p)
{
	return p->tcp->stats;
}

/* Probes sent and connections ended, as the counters have them. */
static bool ka_counted(struct tpeer *p, u64 probes, u64 drops)
{
	return ka_stats(p)->keepalive_probes == probes &&
	       ka_stats(p)->keepalive_drops == drops;
}

/*
 * An open connection of ours (p->cli) that sent 100 bytes, acknowledged:
 * SND.UNA is iss + 101, what it returns.
 */
static u32 ka_open(struct tpeer *p, bool opts)
{
	static const uint8_t req[100];
	struct ixdp_iov v = { req, sizeof(req) };
	struct tseg sg, in;

	if (!tp_open_active(p, NULL, 100, opts) ||
	    ixdp_tcp_sendv(&p->t.s, p->cli.h, &v, 1) != 100 ||
	    !tp_pop(p, &in) || in.len != 100)
		return 0;
	seg_init(p, &sg, p->piss + 1, p->iss + 101, TH_ACK);
	tp_send(p, &sg);
	return tp_ntx(p) ? 0 : p->iss + 101;
}

/* Nothing sent, the connection alive, @probes sent and none ended it. */
static bool ka_quiet_alive(struct tpeer *p, u64 probes)
{
	return !tp_ntx(p) && !p->cli.dead && p->tcp->nused == 1 &&
	       ka_counted(p, probes, 0);
}

/*
 * tp_init(@cfg) and ka_open(), then keepalive @idle, @intvl, @cnt on
 * p->cli from *@t0, now: SND.UNA, or 0 if any of it failed.
 */
static u32 ka_start(struct tpeer *p, const struct ixdp_tcp_config *cfg,
		    bool opts, u32 idle, u32 intvl, u32 cnt, u64 *t0)
{
	u32 una;

	if (tp_init(p, cfg))
		return 0;
	una = ka_open(p, opts);
	*t0 = p->t.s.now;
	if (ixdp_tcp_keepalive(&p->t.s, p->cli.h, idle, intvl, cnt))
		return 0;
	return una;
}

/* The one segment we sent: a keepalive probe below @una, acking @ack. */
static bool ka_probe_out(struct tpeer *p, u32 una, u32 ack)
{
	struct tseg in;

	return tp_pop(p, &in) && in.flags == TH_ACK && in.seq == una - 1 &&
	       !in.len && in.ack == ack && !tp_ntx(p);
}

/* The one segment we sent: our RST, at @una (nothing was in flight). */
static bool ka_rst_out(struct tpeer *p, u32 una)
{
	struct tseg in;

	return tp_pop(p, &in) && in.flags & TH_RST && in.seq == una &&
	       !tp_ntx(p);
}

/* The peer sends @len bytes from @seq; we acknowledge them (delayed). */
static bool ka_peer_data(struct tpeer *p, u32 seq, u32 una, unsigned int len)
{
	static const uint8_t d[64];
	struct tseg sg, in;

	seg_init(p, &sg, seq, una, TH_ACK);
	sg.data = d;
	sg.len = len;
	tp_send(p, &sg);
	tp_advance(p, p->t.s.now + 40);
	return tp_pop(p, &in) && in.flags == TH_ACK && in.ack == seq + len &&
	       !tp_ntx(p);
}

/*
 * The first probe goes idle after the last segment, not a tick before,
 * an ACK with sequence number SND.UNA - 1 and no data; then one every
 * interval.  With timestamps it carries them, as every segment does.
 */
IX_TEST(tcp_keepalive, probe_after_idle)
{
	struct tpeer *p = &tp;
	struct tseg in;
	u32 una;
	u64 t0;

	CHECK(una = ka_start(p, NULL, true, 10, 2, 3, &t0));
	tp_advance(p, t0 + 9999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 10000);
	CHECK(tp_pop(p, &in));
	CHECK(in.flags == TH_ACK && in.seq == una - 1 && !in.len &&
	      in.ack == p->piss + 1 && in.has_ts);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(ka_counted(p, 1, 0));
	tp_advance(p, t0 + 11999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 12000);
	CHECK(ka_probe_out(p, una, p->piss + 1));
	CHECK(ka_counted(p, 2, 0));
	CHECK(!p->cli.dead);
	CHECK(tp_fini(p));
}

/*
 * A peer that answers every probe keeps its connection: each answer
 * starts the idle time again, so the next probe comes idle later, and
 * the count of unanswered probes never reaches cnt.
 */
IX_TEST(tcp_keepalive, answered_probes_keep_the_connection)
{
	struct tpeer *p = &tp;
	struct tseg sg;
	unsigned int i;
	u64 t0, t;
	u32 una;

	CHECK(una = ka_start(p, NULL, false, 10, 2, 3, &t0));
	for (i = 1; i <= 6; i++) {
		t = t0 + i * 10000;
		tp_advance(p, t - 1);
		CHECK_EQ(tp_ntx(p), 0);
		tp_advance(p, t);
		CHECK(ka_probe_out(p, una, p->piss + 1));
		/* The peer's ACK, at once: below our window, it answers. */
		seg_init(p, &sg, p->piss + 1, una, TH_ACK);
		tp_send(p, &sg);
		CHECK_EQ(tp_ntx(p), 0);
	}
	tp_advance(p, t0 + 69999);
	CHECK(ka_quiet_alive(p, 6));
	CHECK(tp_fini(p));
}

/*
 * A silent peer: cnt probes, interval apart, then at idle + cnt *
 * interval the RST, dead() with -ETIMEDOUT and the slot free.
 */
IX_TEST(tcp_keepalive, silent_peer_dies_after_idle_and_cnt_intervals)
{
	struct tpeer *p = &tp;
	unsigned int i;
	u64 t0;
	u32 una;

	CHECK(una = ka_start(p, NULL, false, 10, 2, 3, &t0));
	for (i = 0; i < 3; i++) {
		tp_advance(p, t0 + 10000 + i * 2000);
		CHECK(ka_probe_out(p, una, p->piss + 1));
	}
	tp_advance(p, t0 + 15999);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(!p->cli.dead);
	CHECK_EQ(p->tcp->nused, 1);
	tp_advance(p, t0 + 16000);
	CHECK(ka_rst_out(p, una));
	CHECK(p->cli.dead);
	CHECK_EQ(p->cli.ndead, 1);
	CHECK_EQ(p->cli.dead_reason, -ETIMEDOUT);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(ka_counted(p, 3, 1));
	CHECK(tp_fini(p));
}

/*
 * Data from the peer starts the idle time again; and after two
 * unanswered probes, it starts the count of probes again too.
 */
IX_TEST(tcp_keepalive, data_received_resets_the_clock)
{
	struct tpeer *p = &tp;
	u32 una, pseq;
	u64 t0;

	CHECK(una = ka_start(p, NULL, false, 10, 2, 3, &t0));
	pseq = p->piss + 1;
	tp_advance(p, t0 + 8000);
	CHECK(ka_peer_data(p, pseq, una, 10));
	pseq += 10;
	tp_advance(p, t0 + 17999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 18000);
	CHECK(ka_probe_out(p, una, pseq));
	tp_advance(p, t0 + 20000);
	CHECK(ka_probe_out(p, una, pseq));
	/* Two unanswered; then the peer speaks (not an answer: data). */
	tp_advance(p, t0 + 21000);
	CHECK(ka_peer_data(p, pseq, una, 10));
	pseq += 10;
	tp_advance(p, t0 + 30999);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(!p->cli.dead);
	tp_advance(p, t0 + 31000);
	CHECK(ka_probe_out(p, una, pseq));
	tp_advance(p, t0 + 33000);
	CHECK(ka_probe_out(p, una, pseq));
	tp_advance(p, t0 + 35000);
	CHECK(ka_probe_out(p, una, pseq));
	tp_advance(p, t0 + 36999);
	CHECK(!p->cli.dead);
	tp_advance(p, t0 + 37000);
	CHECK(ka_rst_out(p, una));
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	CHECK(ka_counted(p, 5, 1));
	CHECK(tp_fini(p));
}

/*
 * Off until set: an idle connection sends nothing for an hour.  Set, it
 * probes; set off again (idle 0), it stops, and lives on.
 */
IX_TEST(tcp_keepalive, off_until_set_and_off_again)
{
	struct tpeer *p = &tp;
	struct ixdp_stack *s = &p->t.s;
	u64 t0, hour = 3600 * 1000;
	u32 una;

	CHECK(!tp_init(p, NULL));
	CHECK(una = ka_open(p, false));
	t0 = s->now;
	tp_advance(p, t0 + hour);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(ixdp_tcp_keepalive(s, p->cli.h, 5, 1, 2), 0);
	tp_advance(p, t0 + hour + 5000);
	CHECK(ka_probe_out(p, una, p->piss + 1));
	CHECK_EQ(ixdp_tcp_keepalive(s, p->cli.h, 0, 0, 0), 0);
	tp_advance(p, t0 + 2 * hour);
	CHECK(ka_quiet_alive(p, 1));
	CHECK(tp_fini(p));
}

/*
 * With data unacknowledged the retransmission timer watches the peer,
 * not keepalive: no probe while it retransmits; once the peer
 * acknowledges it all, probing starts idle after that ACK, below the new
 * SND.UNA.
 */
IX_TEST(tcp_keepalive, waits_while_data_is_in_flight)
{
	static const uint8_t more[50];
	struct ixdp_iov v = { more, sizeof(more) };
	struct tpeer *p = &tp;
	struct ixdp_stack *s = &p->t.s;
	struct tseg sg, in;
	u64 t0, t;
	u32 una;

	CHECK(una = ka_start(p, NULL, false, 1, 1, 1, &t0));
	CHECK_EQ(ixdp_tcp_sendv(s, p->cli.h, &v, 1), 50);
	CHECK(tp_pop(p, &in) && in.len == 50);
	/* RTOs at +1, +3, +7 s: each a retransmission, never a probe. */
	for (t = t0; t < t0 + 10000; t += 100)
		tp_advance(p, t);
	tp_advance(p, t0 + 10000);
	CHECK_EQ(tp_ntx(p), 3);
	while (tp_ntx(p))
		CHECK(tp_pop(p, &in) && in.len == 50 && in.seq == una);
	CHECK(ka_counted(p, 0, 0));
	CHECK(!p->cli.dead);
	seg_init(p, &sg, p->piss + 1, una + 50, TH_ACK);
	tp_send(p, &sg);
	una += 50;
	tp_advance(p, t0 + 10999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 11000);
	CHECK(ka_probe_out(p, una, p->piss + 1));
	tp_advance(p, t0 + 12000);
	CHECK(ka_rst_out(p, una));
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	CHECK(tp_fini(p));
}

/*
 * The peer closed (CLOSE_WAIT): a silent peer is still probed and its
 * connection dies.  Once we close too, keepalive is done: FIN_WAIT_2 has
 * its own timeout, which probes answered would otherwise put off.
 */
IX_TEST(tcp_keepalive, close_wait_probed_fin_wait_2_not)
{
	struct tpeer *p = &tp;
	struct ixdp_stack *s = &p->t.s;
	struct tseg sg, in;
	u32 una;
	u64 t0;

	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .fin_timeout = 20000 }));
	CHECK(una = ka_open(p, false));
	/* The peer's FIN: CLOSE_WAIT; probed, and dies when silent. */
	seg_init(p, &sg, p->piss + 1, una, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.ack == p->piss + 2);
	CHECK(p->cli.fin);
	t0 = s->now;
	CHECK_EQ(ixdp_tcp_keepalive(s, p->cli.h, 3, 1, 1), 0);
	tp_advance(p, t0 + 3000);
	CHECK(ka_probe_out(p, una, p->piss + 2));
	tp_advance(p, t0 + 4000);
	CHECK(ka_rst_out(p, una));
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	CHECK(tp_fini(p));

	/* We close first: FIN_WAIT_2 sends no probe, fin_timeout ends it. */
	CHECK(una = ka_start(p, &(struct ixdp_tcp_config){ .fin_timeout = 20000 },
			     false, 3, 1, 1, &t0));
	tp_advance(p, t0 + 3000);
	CHECK(ka_probe_out(p, una, p->piss + 1));
	CHECK(!ixdp_tcp_close(s, p->cli.h));
	CHECK(tp_pop(p, &in) && in.flags & TH_FIN && in.seq == una);
	seg_init(p, &sg, p->piss + 1, una + 1, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->pcbs[p->cli.h & 0xffff].state, IXDP_TCP_FIN_WAIT_2);
	t0 = s->now;
	tp_advance(p, t0 + 19999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 20000);
	CHECK(tp_pop(p, &in) && in.flags & TH_RST);
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	CHECK(ka_counted(p, 1, 0));
	CHECK_EQ(ka_stats(p)->fin_wait2_timeouts, 1);
	CHECK(tp_fini(p));
}

/*
 * Every value is checked before anything changes: idle 1 to 32767 or 0
 * for off (then nothing else), interval 1 to 32767, count 1 to 127; a
 * stale or forged handle is refused.  A refused call leaves the
 * keepalive set before as it was.
 */
IX_TEST(tcp_keepalive, arguments_checked)
{
	static const u32 bad[][3] = {
		{ 32768, 1, 1 }, { 0xffffffff, 1, 1 }, { 1, 0, 1 },
		{ 1, 32768, 1 }, { 1, 1, 0 }, { 1, 1, 128 },
		{ 1, 0xffffffff, 0xffffffff }, { 0, 1, 0 }, { 0, 0, 1 },
		{ 0, 1, 1 },
	};
	struct tpeer *p = &tp;
	struct ixdp_stack *s = &p->t.s;
	unsigned int i;
	u32 una, h;
	u64 t0;

	CHECK(una = ka_start(p, NULL, false, 32767, 32767, 127, &t0));
	h = p->cli.h;
	CHECK_EQ(ixdp_tcp_keepalive(s, h, 0, 0, 0), 0);
	t0 = s->now;
	CHECK_EQ(ixdp_tcp_keepalive(s, h, 2, 1, 1), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_EQ(ixdp_tcp_keepalive(s, h, bad[i][0], bad[i][1],
					    bad[i][2]), (u64)-EINVAL);
	CHECK_EQ(ixdp_tcp_keepalive(s, h + 0x10000, 1, 1, 1), (u64)-ESTALE);
	CHECK_EQ(ixdp_tcp_keepalive(s, (h & ~0xffffU) | 0xffff, 1, 1, 1),
		 (u64)-EINVAL);
	/* Still idle 2, interval 1, count 1. */
	tp_advance(p, t0 + 1999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, t0 + 2000);
	CHECK(ka_probe_out(p, una, p->piss + 1));
	tp_advance(p, t0 + 3000);
	CHECK(ka_rst_out(p, una));
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	/* The handle is stale now. */
	CHECK_EQ(ixdp_tcp_keepalive(s, h, 1, 1, 1), (u64)-ESTALE);
	CHECK(tp_fini(p));
}
