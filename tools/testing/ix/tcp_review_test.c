// SPDX-License-Identifier: GPL-2.0
/*
 * The smaller TCP findings of the hostile-peer review (issue 16): what a
 * peer can make of an out-of-order queue, of the acceptability test, of
 * the send window, of the RTT estimator, of PAWS and of Karn's rule.
 * Each test fails without its fix unless it says it proves a behaviour
 * that was already right.  Times are in ticks of 1 ms.
 */

#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;
static uint8_t rdata[8192];

static struct ixdp_tcp_pcb *pcb_of(struct tpeer *p, u32 h)
{
	return &p->tcp->pcbs[h & 0xffff];
}

/* Peer data: [@off, @off + @len) of the server's pattern, in stream. */
static void rseg(struct tpeer *p, struct tseg *sg, u32 off, u32 len)
{
	seg_init(p, sg, p->piss + 1 + off, p->iss + 1, TH_ACK);
	pat_fill(rdata, len, p->app.srv_seed, off);
	sg->data = rdata;
	sg->len = len;
}

static void drain(struct tpeer *p)
{
	struct tseg in;

	while (tp_pop(p, &in))
		;
}

/*
 * A segment that bridges two adjacent queued segments brings nothing:
 * it must not take a slot of the queue as a zero-length buffer.
 */
IX_TEST(tcp_review, ooo_bridge_of_neighbours_not_queued)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg sg;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	rseg(p, &sg, 1000, 100);
	tp_send(p, &sg);
	rseg(p, &sg, 1100, 100);
	tp_send(p, &sg);
	CHECK_EQ(pcb->ooo_n, 2);
	rseg(p, &sg, 1050, 100);
	tp_send(p, &sg);
	CHECK_EQ(pcb->ooo_n, 2);
	CHECK_EQ(p->tcp->stats->ooo_queued, 2);
	CHECK_EQ(p->tcp->stats->ooo_dropped, 1);
	/* Filling the hole delivers the stream whole. */
	rseg(p, &sg, 0, 1000);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 1200);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK_EQ(pcb->ooo_n, 0);
	drain(p);
	CHECK(tp_fini(p));
}

/*
 * A segment starting before rcv_nxt and ending beyond the window holds
 * the next byte expected: it is taken, trimmed to the window.
 */
IX_TEST(tcp_review, segment_covering_the_window_accepted)
{
	struct ixdp_tcp_config cfg = { .rcv_buf = 100 };
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg sg, in;

	CHECK(!tp_init(p, &cfg));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK_EQ(pcb->rcv_adv - pcb->rcv_nxt, 100);
	/* [-10, 190): old bytes, the window [0, 100), and beyond. */
	seg_init(p, &sg, p->piss + 1 - 10, p->iss + 1, TH_ACK);
	memset(rdata, 0, 10);
	pat_fill(rdata + 10, 190, p->app.srv_seed, 0);
	sg.data = rdata;
	sg.len = 200;
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 100);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK_EQ(pcb->rcv_nxt, p->piss + 1 + 100);
	CHECK(tp_pop(p, &in) && in.ack == p->piss + 1 + 100);
	drain(p);
	CHECK(tp_fini(p));
}

/* An ACK below snd_una is old: its window is no news (RFC 9293 3.10.7.4). */
IX_TEST(tcp_review, old_ack_does_not_update_the_window)
{
	struct ixdp_iov iov = { rdata, 1000 };
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg sg;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	drain(p);
	rseg(p, &sg, 0, 10);
	sg.ack = p->iss + 1 + 1000;
	tp_send(p, &sg);
	CHECK_EQ(pcb->snd_una, p->iss + 1 + 1000);
	CHECK_EQ(pcb->snd_wnd, 65535);
	/* Newer data, an ACK from before: the window stays. */
	rseg(p, &sg, 10, 10);
	sg.ack = p->iss + 1;
	sg.win = 0;
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 20);
	CHECK_EQ(pcb->snd_wnd, 65535);
	CHECK_EQ(pcb->snd_wl2, p->iss + 1 + 1000);
	drain(p);
	CHECK(tp_fini(p));
}

/* The app sends @len bytes; the peer ACKs them with TSecr @tsecr. */
static bool ack_with_tsecr(struct tpeer *p, u32 len, u32 tsecr)
{
	struct ixdp_iov iov = { rdata, len };
	struct ixdp_tcp_pcb *pcb = pcb_of(p, p->srv[0].h);
	u32 una = pcb->snd_una;
	struct tseg sg;

	if (ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) != len)
		return false;
	drain(p);
	seg_init(p, &sg, pcb->rcv_nxt, una + len, TH_ACK);
	sg.win = 512;
	sg.has_ts = true;
	sg.tsval = 1000;
	sg.tsecr = tsecr;
	tp_send(p, &sg);
	drain(p);
	return pcb->snd_una == una + len;
}

/*
 * A TSecr far in the past is no round trip of ours (tcp_rtt_tsopt_us());
 * one ahead of our clock was already ignored.
 */
IX_TEST(tcp_review, rtt_from_a_wild_tsecr_ignored)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	u32 srtt, rto;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	tp_advance(p, 5000);
	srtt = pcb->srtt_x8;
	rto = pcb->rto;
	/* Ahead of our clock (right before the fix too). */
	CHECK(ack_with_tsecr(p, 100, 5000 + 100));
	CHECK_EQ(pcb->srtt_x8, srtt);
	/* 2^30 ticks ago: 12 days. */
	CHECK(ack_with_tsecr(p, 100, 5000 - (1u << 30)));
	CHECK_EQ(pcb->srtt_x8, srtt);
	CHECK_EQ(pcb->rto, rto);
	/* A true one is taken. */
	CHECK(ack_with_tsecr(p, 100, 5000 - 40));
	CHECK_EQ(pcb->srtt_x8, 40 * 8);
	CHECK(tp_fini(p));
}

/* The estimator's sums do not wrap, whatever the samples. */
IX_TEST(tcp_review, rtt_estimator_does_not_wrap)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	u32 srtt;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	ixdp_tcp_rtt_sample(pcb, U32_MAX);
	srtt = pcb->srtt_x8;
	ixdp_tcp_rtt_sample(pcb, U32_MAX);
	CHECK_EQ(pcb->srtt_x8, srtt);
	CHECK(pcb->rttvar_x8 <= srtt);
	CHECK_EQ(pcb->rto, p->tcp->cfg.rto_max);
	ixdp_tcp_rtt_sample(pcb, 1);
	CHECK(pcb->srtt_x8 < srtt && pcb->srtt_x8 > srtt / 2);
	CHECK(tp_fini(p));
}

/*
 * RTO = SRTT + max(200 ms, 4 RTTVAR), at least rto_min: the first sample
 * as RFC 6298 has it; a steady delay leaves 200 ms of margin above SRTT,
 * however long the delay, where G alone would leave a tick.
 */
IX_TEST(tcp_review, rto_keeps_200ms_above_a_steady_rtt)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	u32 min, var, r, i;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	min = p->tcp->cfg.rto_min;
	var = p->t.s.cfg.hz / 5;
	r = 8 * min;
	CHECK(var > 1 && 4 * (r / 2) > var);
	pcb->srtt_x8 = 0;
	pcb->rttvar_x8 = 0;
	ixdp_tcp_rtt_sample(pcb, r);
	CHECK_EQ(pcb->rto, r + 4 * (r / 2));
	for (i = 0; i < 64; i++)
		ixdp_tcp_rtt_sample(pcb, r);
	CHECK_EQ(pcb->srtt_x8, 8 * r);
	CHECK(4 * pcb->rttvar_x8 < 8 * var);
	CHECK_EQ(pcb->rto, r + var);
	/* A short RTT: rto_min is the floor, as before. */
	pcb->srtt_x8 = 0;
	pcb->rttvar_x8 = 0;
	for (i = 0; i < 64; i++)
		ixdp_tcp_rtt_sample(pcb, 1);
	CHECK(1 + var < min);
	CHECK_EQ(pcb->rto, min);
	CHECK(tp_fini(p));
}

/* Peer data at @off with TSval @tsval; true if the stack took it. */
static bool data_ts(struct tpeer *p, u32 off, u32 tsval)
{
	u64 before = p->srv[0].rx_len;
	struct tseg sg;

	rseg(p, &sg, off, 10);
	sg.win = 512;
	sg.has_ts = true;
	sg.tsval = tsval;
	tp_send(p, &sg);
	drain(p);
	return p->srv[0].rx_len == before + 10;
}

/* RFC 7323 5.5: TS.Recent idle 24 days is invalid, PAWS lets it in. */
IX_TEST(tcp_review, paws_after_24_idle_days)
{
	const u64 day = 24ull * 3600 * TS_HZ;
	struct tpeer *p = &tp;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	CHECK(data_ts(p, 0, 0x70000000));
	/* A day later, an older timestamp is still a duplicate. */
	tp_advance(p, day);
	tp_arp(p);
	CHECK(!data_ts(p, 10, 0x6fffffff));
	CHECK_EQ(p->tcp->stats->paws_drops, 1);
	CHECK(data_ts(p, 10, 0x70000001));
	/* 25 idle days on: the peer's clock may have wrapped. */
	tp_advance(p, 26 * day);
	tp_arp(p);
	CHECK(data_ts(p, 20, 5));
	CHECK_EQ(p->tcp->stats->paws_drops, 1);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->ts_recent, 5);
	/* And PAWS holds again from the new TS.Recent. */
	CHECK(!data_ts(p, 30, 4));
	CHECK_EQ(p->tcp->stats->paws_drops, 2);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK(tp_fini(p));
}

/* The app sends one segment; timing starts on it (no timestamps). */
static struct ixdp_tcp_pcb *send_timed(struct tpeer *p)
{
	struct ixdp_iov iov = { rdata, 500 };
	struct ixdp_tcp_pcb *pcb = pcb_of(p, p->srv[0].h);

	if (ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) != 500)
		return NULL;
	drain(p);
	return pcb->flags & TCPF_TIMING ? pcb : NULL;
}

static void ack_all(struct tpeer *p, struct ixdp_tcp_pcb *pcb)
{
	struct tseg sg;

	seg_init(p, &sg, pcb->rcv_nxt, pcb->snd_max, TH_ACK);
	tp_send(p, &sg);
	drain(p);
}

/*
 * Karn without timestamps: the ACK of a segment sent again (by SACK
 * recovery or a NewReno partial ACK, ixdp_tcp_retransmit()) is no RTT
 * sample.
 */
IX_TEST(tcp_review, karn_no_sample_after_retransmit)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	CHECK_EQ(pcb_of(p, p->srv[0].h)->srtt_x8, 0);
	pcb = send_timed(p);
	CHECK(pcb);
	tp_advance(p, 300);
	CHECK_EQ(ixdp_tcp_retransmit(pcb, pcb->snd_una), 500);
	drain(p);
	tp_advance(p, 310);
	ack_all(p, pcb);
	CHECK_EQ(pcb->snd_una, pcb->snd_max);
	CHECK_EQ(pcb->srtt_x8, 0);
	/* The next segment, sent once, is timed. */
	pcb = send_timed(p);
	CHECK(pcb);
	tp_advance(p, 350);
	ack_all(p, pcb);
	CHECK_EQ(pcb->srtt_x8, 40 * 8);
	CHECK(tp_fini(p));
}

/* The same after an RTO: right before the fix too. */
IX_TEST(tcp_review, karn_no_sample_after_rto)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = send_timed(p);
	CHECK(pcb);
	tp_advance(p, 1500);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	drain(p);
	tp_advance(p, 1510);
	ack_all(p, pcb);
	CHECK_EQ(pcb->snd_una, pcb->snd_max);
	CHECK_EQ(pcb->srtt_x8, 0);
	CHECK(tp_fini(p));
}

/* A passive open offering SACK but no timestamps: MSS 536. */
static bool open_sack_only(struct tpeer *p)
{
	struct tseg sg, in;

	if (ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 4, &p->app))
		return false;
	memset(&sg, 0, sizeof(sg));
	sg.sack_ok = true;
	sg.seq = 100;
	sg.flags = TH_SYN;
	sg.win = 65535;
	tp_send(p, &sg);
	if (!tp_pop(p, &in) || in.flags != (TH_SYN | TH_ACK) || !in.sack_ok ||
	    in.has_ts)
		return false;
	p->iss = in.seq;
	p->piss = 100;
	p->lport = SRV_PORT;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	tp_send(p, &sg);
	return p->app.naccepted == 1 && !tp_ntx(p);
}

/* A duplicate ACK from the peer SACKing segments [@a, @b) of 536. */
static void sack_dup(struct tpeer *p, unsigned int a, unsigned int b,
		     unsigned int c, unsigned int d)
{
	struct tseg sg;

	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	sg.nsack = c < d ? 2 : 1;
	sg.sack[0][0] = p->iss + 1 + a * 536;
	sg.sack[0][1] = p->iss + 1 + b * 536;
	sg.sack[1][0] = p->iss + 1 + c * 536;
	sg.sack[1][1] = p->iss + 1 + d * 536;
	tp_send(p, &sg);
}

/*
 * Karn in SACK recovery: a segment first sent in recovery is timed, lost
 * and sent again from the scoreboard; the ACK that covers it at last is
 * no RTT sample.
 */
IX_TEST(tcp_review, karn_no_sample_after_sack_recovery)
{
	struct ixdp_iov iov = { rdata, 8 * 536 };
	u32 seg6 = 6 * 536, n6 = 0;
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg in, sg;

	CHECK(!tp_init(p, NULL));
	CHECK(open_sack_only(p));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK(pcb->flags & TCPF_SACK && !(pcb->flags & TCPF_TS));
	pcb->cwnd = 4 * 536;
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 8 * 536);
	drain(p);
	/*
	 * Segment 0 is lost: three duplicates SACK 1..3 (limited transmit
	 * sends 4 and 5), recovery sends 0 again; 4 and 5 arrive.
	 */
	tp_advance(p, 10);
	sack_dup(p, 1, 2, 0, 0);
	sack_dup(p, 1, 3, 0, 0);
	sack_dup(p, 1, 4, 0, 0);
	CHECK(pcb->flags & TCPF_RECOVERY);
	drain(p);
	/* New data sent in recovery, segment 6, is timed; 7 follows. */
	sack_dup(p, 1, 6, 0, 0);
	CHECK(pcb->flags & TCPF_TIMING);
	CHECK_EQ(pcb->rtt_seq, p->iss + 1 + seg6);
	sack_dup(p, 1, 6, 0, 0);
	drain(p);
	/* 6 is lost, 7 arrives: the scoreboard sends 6 again. */
	tp_advance(p, 20);
	sack_dup(p, 1, 6, 7, 8);
	while (tp_pop(p, &in))
		n6 += in.seq == p->iss + 1 + seg6;
	CHECK_EQ(n6, 1);
	tp_advance(p, 30);
	seg_init(p, &sg, 101, pcb->snd_max, TH_ACK);
	tp_send(p, &sg);
	drain(p);
	CHECK_EQ(pcb->snd_una, pcb->snd_max);
	CHECK(!(pcb->flags & TCPF_RECOVERY));
	CHECK_EQ(pcb->srtt_x8, 0);
	CHECK(tp_fini(p));
}

/*
 * After an RTO moved snd_nxt back to snd_una, an ACK carries the highest
 * sequence number sent, not snd_nxt: a peer that has more than we know
 * would take snd_nxt for an old segment and drop the ACK with it (two
 * stacks retransmitting to each other so stalled until both gave up).
 */
IX_TEST(tcp_review, ack_after_rto_carries_snd_max)
{
	struct ixdp_iov iov = { rdata, 500 };
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg sg, in;
	unsigned int i;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	for (i = 0; i < 3; i++)
		CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 500);
	drain(p);
	CHECK_EQ(pcb->snd_max, p->iss + 1 + 1500);
	tp_advance(p, 1500);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 && in.len);
	drain(p);
	/* Data from the peer, acknowledging none of ours: ACKed at once. */
	rseg(p, &sg, 0, 100);
	sg.flags |= TH_PSH;
	tp_send(p, &sg);
	pcb->flags |= TCPF_ACK_NOW;
	ixdp_tcp_output(pcb);
	CHECK(tp_pop(p, &in) && in.len == 0 && in.ack == p->piss + 1 + 100);
	CHECK_EQ(in.seq, p->iss + 1 + 1500);
	/* And a peer's ACK at the right edge of our window is taken. */
	seg_init(p, &sg, pcb->rcv_adv, p->iss + 1 + 1500, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(pcb->snd_una, p->iss + 1 + 1500);
	CHECK(tp_fini(p));
}
