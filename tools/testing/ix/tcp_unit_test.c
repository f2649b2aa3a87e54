// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of TCP pieces: sequence arithmetic, options (tcp_opt.c),
 * the RTO estimator against the RFC 6298 formulas (tcp_timer.c), the
 * congestion window (tcp_cc.c), the SACK scoreboard and the blocks we
 * report (tcp_sack.c), the out-of-order queue (tcp_ooo.c).
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tcp_util.h"

IX_TEST(tcp_seq, compare_across_wrap)
{
	CHECK(tcp_seq_before(0xfffffff0, 0x10));
	CHECK(tcp_seq_after(0x10, 0xfffffff0));
	CHECK(!tcp_seq_before(5, 5) && tcp_seq_leq(5, 5) && tcp_seq_geq(5, 5));
	CHECK(tcp_seq_in(0x2, 0xfffffffe, 0x5));
	CHECK(!tcp_seq_in(0x5, 0xfffffffe, 0x5));
	CHECK(!tcp_seq_in(0xfffffffd, 0xfffffffe, 0x5));
	CHECK_EQ(tcp_seq_max(0xffffffff, 3), 3);
}

static int parse(const uint8_t *p, unsigned int n, bool syn,
		 struct ixdp_tcp_opts *o)
{
	return ixdp_tcp_opt_parse(p, n, syn, o);
}

IX_TEST(tcp_opt, parses_syn_options)
{
	static const uint8_t o[] = {
		2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10,
		0, 0, 0, 9, 0, 0, 0, 0, 1, 0,
	};
	struct ixdp_tcp_opts r;

	CHECK_EQ(parse(o, sizeof(o), true, &r), 0);
	CHECK_EQ(r.flags, TCPOPT_F_MSS | TCPOPT_F_WS | TCPOPT_F_SACK_OK |
			  TCPOPT_F_TS);
	CHECK_EQ(r.mss, 1460);
	CHECK_EQ(r.wscale, 7);
	CHECK_EQ(r.tsval, 9);
	CHECK_EQ(r.tsecr, 0);
}

IX_TEST(tcp_opt, syn_only_options_ignored_later)
{
	static const uint8_t o[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0 };
	struct ixdp_tcp_opts r;

	CHECK_EQ(parse(o, sizeof(o), false, &r), 0);
	CHECK_EQ(r.flags, 0);
}

IX_TEST(tcp_opt, malformed_lengths_rejected)
{
	static const uint8_t zero[] = { 8, 0, 1, 1 };
	static const uint8_t one[] = { 2, 1, 1, 1 };
	static const uint8_t past[] = { 1, 8, 10, 0, 0, 0, 0, 0 };
	static const uint8_t lone[] = { 1, 1, 1, 2 };
	struct ixdp_tcp_opts r;

	CHECK_EQ(parse(zero, 4, true, &r), -EINVAL);
	CHECK_EQ(parse(one, 4, true, &r), -EINVAL);
	CHECK_EQ(parse(past, 8, false, &r), -EINVAL);
	CHECK_EQ(parse(lone, 4, true, &r), -EINVAL);
	/* An EOL ends the list before anything malformed. */
	CHECK_EQ(parse((const uint8_t[]){ 0, 8, 0, 0 }, 4, true, &r), 0);
}

IX_TEST(tcp_opt, unknown_skipped_wrong_length_ignored)
{
	static const uint8_t o[] = {
		99, 4, 0xaa, 0xbb,	/* unknown */
		2, 3, 5,		/* MSS with length 3 */
		3, 4, 9, 9,		/* WS with length 4 */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
		1,
	};
	struct ixdp_tcp_opts r;

	CHECK_EQ(parse(o, sizeof(o), true, &r), 0);
	CHECK_EQ(r.flags, TCPOPT_F_TS);
	CHECK_EQ(r.tsval, 1);
	CHECK_EQ(r.tsecr, 2);
}

IX_TEST(tcp_opt, wscale_capped_at_14)
{
	static const uint8_t o[] = { 3, 3, 200, 0 };
	struct ixdp_tcp_opts r;

	CHECK_EQ(parse(o, sizeof(o), true, &r), 0);
	CHECK_EQ(r.wscale, 14);
}

IX_TEST(tcp_opt, sack_blocks)
{
	uint8_t o[40] = { 1, 1, 5, 2 + 3 * 8 };
	struct ixdp_tcp_opts r;
	unsigned int i;

	for (i = 0; i < 6; i++)
		put32(o + 4 + 4 * i, 100 * (i + 1));
	CHECK_EQ(parse(o, 28, false, &r), 0);
	CHECK(r.flags & TCPOPT_F_SACK);
	CHECK_EQ(r.nsack, 3);
	CHECK_EQ(r.sack[0].start, 100);
	CHECK_EQ(r.sack[2].end, 600);
	/* A length not 2 + 8n is skipped, not trusted. */
	o[3] = 2 + 8 + 3;
	CHECK_EQ(parse(o, 2 + o[3], false, &r), 0);
	CHECK_EQ(r.nsack, 0);
	o[3] = 2;
	CHECK_EQ(parse(o, 4, false, &r), 0);
	CHECK_EQ(r.nsack, 0);
}

IX_TEST(tcp_opt, build_parses_back)
{
	struct ixdp_tcp_opts in = {
		.flags = TCPOPT_F_MSS | TCPOPT_F_WS | TCPOPT_F_SACK_OK |
			 TCPOPT_F_TS,
		.mss = 1460, .wscale = 5, .tsval = 7, .tsecr = 8,
	}, out;
	uint8_t p[IXDP_TCP_OPT_MAX];
	unsigned int n, i;

	n = ixdp_tcp_opt_build(p, &in);
	CHECK_EQ(n % 4, 0);
	CHECK_EQ(n, 20);
	CHECK_EQ(parse(p, n, true, &out), 0);
	CHECK_EQ(out.flags, in.flags);
	CHECK(out.mss == 1460 && out.wscale == 5 && out.tsval == 7 &&
	      out.tsecr == 8);
	memset(&in, 0, sizeof(in));
	in.flags = TCPOPT_F_TS | TCPOPT_F_SACK;
	in.nsack = 4;
	for (i = 0; i < 4; i++) {
		in.sack[i].start = i * 10;
		in.sack[i].end = i * 10 + 5;
	}
	n = ixdp_tcp_opt_build(p, &in);
	CHECK(n <= IXDP_TCP_OPT_MAX && n % 4 == 0);
	CHECK_EQ(parse(p, n, false, &out), 0);
	/* Timestamps leave room for three blocks only. */
	CHECK_EQ(out.nsack, 3);
	CHECK_EQ(out.sack[2].end, 25);
}

/* The timestamp-only shortcut writes what the general builder does. */
IX_TEST(tcp_opt, build_ts_matches_build)
{
	struct ixdp_tcp_opts in = {
		.flags = TCPOPT_F_TS, .tsval = 0x01020304, .tsecr = 0xfffefdfc,
	}, out;
	uint8_t p[IXDP_TCP_OPT_MAX], q[IXDP_TCP_OPT_MAX];

	CHECK_EQ(ixdp_tcp_opt_build(p, &in), IXDP_TCP_OPT_TS_LEN);
	CHECK_EQ(ixdp_tcp_opt_build_ts(q, in.tsval, in.tsecr),
		 IXDP_TCP_OPT_TS_LEN);
	CHECK(!memcmp(p, q, IXDP_TCP_OPT_TS_LEN));
	CHECK(q[0] == 1 && q[1] == 1 && q[2] == 8 && q[3] == 10 &&
	      q[4] == 1 && q[7] == 4 && q[8] == 0xff && q[11] == 0xfc);
	CHECK_EQ(parse(q, IXDP_TCP_OPT_TS_LEN, false, &out), 0);
	CHECK(out.flags == TCPOPT_F_TS && out.tsval == in.tsval &&
	      out.tsecr == in.tsecr && !out.mss && !out.nsack);
}

/* A bare PCB on a stack, for the pieces that need one. */
static struct tpeer up;

static struct ixdp_tcp_pcb *unit_pcb(const struct ixdp_tcp_config *cfg)
{
	struct ixdp_tcp_pcb *pcb;

	if (tp_init(&up, cfg))
		return NULL;
	pcb = ixdp_tcp_pcb_alloc(&up.t.s);
	if (!pcb)
		return NULL;
	pcb->mss = 1000;
	pcb->iss = 0;
	pcb->snd_una = 1000;
	pcb->snd_nxt = 10000;
	pcb->snd_max = 10000;
	pcb->flags |= TCPF_SACK;
	return pcb;
}

static bool unit_done(struct ixdp_tcp_pcb *pcb)
{
	ixdp_tcp_pcb_free(pcb);
	return tp_fini(&up);
}

/* RFC 6298 in floating point, the reference. */
struct ref_rto {
	double srtt, rttvar;
	bool first;
};

static double ref_sample(struct ref_rto *r, double rtt)
{
	if (r->first) {
		r->srtt = rtt;
		r->rttvar = rtt / 2;
		r->first = false;
	} else {
		r->rttvar = 0.75 * r->rttvar + 0.25 * fabs(r->srtt - rtt);
		r->srtt = 0.875 * r->srtt + 0.125 * rtt;
	}
	/* The variance term at least 200 ms (Linux's floor; hz is 1000). */
	return r->srtt + fmax(200, 4 * r->rttvar);
}

IX_TEST(tcp_rto, first_samples_match_rfc6298)
{
	struct ixdp_tcp_config cfg = { .rto_min = 1, .rto_max = 100000 };
	struct ixdp_tcp_pcb *pcb = unit_pcb(&cfg);

	CHECK(pcb);
	CHECK_EQ(pcb->rto, 1000);		/* rto_init: 1 s */
	ixdp_tcp_rtt_sample(pcb, 100);
	CHECK_EQ(pcb->srtt_x8, 800);
	CHECK_EQ(pcb->rttvar_x8, 400);
	CHECK_EQ(pcb->rto, 300);		/* 100 + 4 * 50 */
	ixdp_tcp_rtt_sample(pcb, 200);
	CHECK_EQ(pcb->rttvar_x8, 500);		/* 62.5 */
	CHECK_EQ(pcb->srtt_x8, 900);		/* 112.5 */
	CHECK_EQ(pcb->rto, 362);		/* 112.5 + 250 */
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_rto, tracks_reference_over_many_samples)
{
	struct ixdp_tcp_config cfg = { .rto_min = 1, .rto_max = 1000000 };
	struct ixdp_tcp_pcb *pcb = unit_pcb(&cfg);
	struct ref_rto ref = { .first = true };
	unsigned int i, rtt;
	double want;

	CHECK(pcb);
	srand(5);
	for (i = 0; i < 1000; i++) {
		rtt = 50 + rand() % 400;
		want = ref_sample(&ref, rtt);
		ixdp_tcp_rtt_sample(pcb, rtt);
		/* Eighths of a tick, truncated: within a few ticks. */
		CHECK(fabs(pcb->rto - want) <= 4.0);
		CHECK(fabs(pcb->srtt_x8 / 8.0 - ref.srtt) <= 1.0);
	}
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_rto, clamped_and_backed_off)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);

	CHECK(pcb);
	ixdp_tcp_rtt_sample(pcb, 0);
	CHECK_EQ(pcb->rto, 1000);		/* rto_min 1 s */
	pcb->backoff = 3;
	CHECK_EQ(ixdp_tcp_rto(pcb), 8000);
	pcb->backoff = 10;
	CHECK_EQ(ixdp_tcp_rto(pcb), 60000);	/* rto_max 60 s */
	pcb->backoff = 40;
	CHECK_EQ(ixdp_tcp_rto(pcb), 60000);
	ixdp_tcp_rtt_sample(pcb, 100000);
	CHECK_EQ(pcb->rto, 60000);
	CHECK(unit_done(pcb));
}

/*
 * Unless configured, the RTO's floor is Linux's TCP_RTO_MIN, 200 ms, not
 * RFC 6298's second; the first RTO stays a second (RFC 6298 2.1).
 */
IX_TEST(tcp_rto, default_floor_is_linux)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_tcp *tcp;
	u32 hz;

	CHECK(pcb);
	hz = up.t.s.cfg.hz;
	tcp = calloc(1, ixdp_tcp_size(4));
	CHECK(tcp);
	CHECK(!ixdp_tcp_init(&up.t.s, tcp, 4, NULL, up.tcp->ops));
	CHECK_EQ(tcp->cfg.rto_min, hz / 5);
	CHECK_EQ(tcp->cfg.rto_init, hz);
	up.t.s.tcp = up.tcp;
	free(tcp);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_cc, initial_window_rfc3390)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);

	CHECK(pcb);
	ixdp_tcp_cc_init(pcb);
	CHECK_EQ(pcb->cwnd, 4000);
	pcb->mss = 1460;
	ixdp_tcp_cc_init(pcb);
	CHECK_EQ(pcb->cwnd, 4380);
	pcb->mss = 536;
	ixdp_tcp_cc_init(pcb);
	CHECK_EQ(pcb->cwnd, 2144);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_cc, slow_start_then_congestion_avoidance)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	unsigned int i;

	CHECK(pcb);
	ixdp_tcp_cc_init(pcb);
	ixdp_tcp_cc_ack(pcb, 2000, 1000);
	CHECK_EQ(pcb->cwnd, 5000);
	ixdp_tcp_cc_ack(pcb, 5000, 3000);	/* one SMSS at most per ACK */
	CHECK_EQ(pcb->cwnd, 6000);
	pcb->ssthresh = 6000;
	for (i = 0; i < 5; i++)
		ixdp_tcp_cc_ack(pcb, 6000 + i * 1000, 1000);
	CHECK_EQ(pcb->cwnd, 6000);		/* less than a window acked */
	ixdp_tcp_cc_ack(pcb, 11000, 1000);
	CHECK_EQ(pcb->cwnd, 7000);		/* one SMSS per window */
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_cc, timeout_collapses_window)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);

	CHECK(pcb);
	ixdp_tcp_cc_init(pcb);
	pcb->cwnd = 20000;
	ixdp_tcp_cc_timeout(pcb);
	CHECK_EQ(pcb->cwnd, 1000);
	CHECK_EQ(pcb->ssthresh, 4500);		/* flight 9000 / 2 */
	CHECK_EQ(pcb->recover, 10000);
	/* A second timeout in a row keeps ssthresh (RFC 5681 (4) note). */
	pcb->backoff = 1;
	pcb->snd_una = 1000;
	ixdp_tcp_cc_timeout(pcb);
	CHECK_EQ(pcb->ssthresh, 4500);
	CHECK(unit_done(pcb));
}

/* @bytes acknowledged in steps of 64 KiB, two steps in flight, no loss. */
static void unit_transfer(struct ixdp_tcp_pcb *pcb, u64 bytes)
{
	u64 done;

	for (done = 0; done < bytes; done += 65536) {
		pcb->snd_max = pcb->snd_una + 2 * 65536;
		pcb->snd_nxt = pcb->snd_max;
		pcb->snd_una += 65536;
		ixdp_tcp_cc_ack(pcb, pcb->snd_una, 65536);
	}
}

/* Three duplicate ACKs; whether they started a fast retransmit. */
static bool unit_loss(struct ixdp_tcp_pcb *pcb)
{
	u64 before = up.tcp->stats->fast_rexmits;
	unsigned int i;

	for (i = 0; i < 3; i++)
		ixdp_tcp_cc_dupack(pcb);
	return pcb->flags & TCPF_RECOVERY &&
	       up.tcp->stats->fast_rexmits == before + 1;
}

/*
 * Hostile peers (issue 16, 9): a loss 2.5 GiB after the start, and
 * another 2.5 GiB after the first one's recovery, each start a fast
 * retransmit: @recover follows the ACKs, so it never seems ahead of
 * them.  The sequence numbers wrap on the way.  After a timeout, ACKs
 * below @recover still start none (RFC 6582 4.2).
 */
IX_TEST(tcp_cc, fast_retransmit_2_5_gib_after_a_loss)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	const u64 far = 5ULL << 29;

	CHECK(pcb);
	pcb->iss = 0xf0000000;
	pcb->snd_una = pcb->iss + 1;
	pcb->snd_nxt = pcb->snd_una;
	pcb->snd_max = pcb->snd_una;
	ixdp_tcp_cc_init(pcb);
	unit_transfer(pcb, far);
	CHECK(tcp_seq_after(pcb->iss, pcb->snd_una));	/* wrapped */
	CHECK(unit_loss(pcb));
	pcb->snd_una = pcb->recover;			/* a full ACK */
	ixdp_tcp_cc_ack(pcb, pcb->snd_una, 65536);
	CHECK(!(pcb->flags & TCPF_RECOVERY));
	unit_transfer(pcb, far);
	CHECK(unit_loss(pcb));
	CHECK_EQ(up.tcp->stats->fast_rexmits, 2);
	pcb->snd_una = pcb->recover;
	ixdp_tcp_cc_ack(pcb, pcb->snd_una, 65536);
	pcb->snd_max = pcb->snd_una + 65536;
	ixdp_tcp_cc_timeout(pcb);
	CHECK(!unit_loss(pcb));
	CHECK(unit_done(pcb));
}

/*
 * Hostile peers (issue 16, 10): cwnd grows to the send buffer and no
 * further, over 5 GB acknowledged without a loss (it wrapped at 4 GiB),
 * in congestion avoidance after, and under a storm of ten million
 * duplicate ACKs in recovery.
 */
IX_TEST(tcp_cc, cwnd_capped_never_wraps)
{
	struct ixdp_tcp_config cfg = { .snd_buf = 1 << 20 };
	struct ixdp_tcp_pcb *pcb = unit_pcb(&cfg);
	u32 prev, peak = 0, ack = 1000;
	unsigned int i;

	CHECK(pcb);
	ixdp_tcp_cc_init(pcb);
	for (i = 0; i < 5000000; i++) {
		prev = pcb->cwnd;
		ack += 1000;
		ixdp_tcp_cc_ack(pcb, ack, 1000);
		CHECK(pcb->cwnd >= prev);
		peak = max(peak, pcb->cwnd);
	}
	CHECK_EQ(peak, 1 << 20);
	CHECK_EQ(pcb->cwnd, 1 << 20);
	pcb->ssthresh = 2000;
	for (i = 0; i < 1000000; i++) {
		ack += 1 << 30;
		ixdp_tcp_cc_ack(pcb, ack, 1 << 30);
		CHECK(pcb->cwnd == 1 << 20 && pcb->ca_acked <= 1 << 20);
	}
	pcb->snd_una = ack;
	pcb->snd_max = ack + (1 << 20);
	CHECK(unit_loss(pcb));
	for (i = 0; i < 10000000; i++) {
		prev = pcb->cwnd;
		ixdp_tcp_cc_dupack(pcb);
		CHECK(pcb->cwnd >= prev && pcb->cwnd <= 1 << 20);
	}
	CHECK(unit_done(pcb));
}

static void sack_opt(struct ixdp_tcp_opts *o, u32 s1, u32 e1)
{
	memset(o, 0, sizeof(*o));
	o->flags = TCPOPT_F_SACK;
	o->nsack = 1;
	o->sack[0].start = s1;
	o->sack[0].end = e1;
}

IX_TEST(tcp_sack, scoreboard_merges_and_trims)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_tcp_opts o;
	u32 a, b;

	CHECK(pcb);
	memset(&o, 0, sizeof(o));
	o.flags = TCPOPT_F_SACK;
	o.nsack = 2;
	o.sack[0].start = 5000;
	o.sack[0].end = 6000;
	o.sack[1].start = 2000;
	o.sack[1].end = 3000;
	CHECK(ixdp_tcp_sb_update(pcb, &o));
	CHECK_EQ(pcb->nsb, 2);
	CHECK(pcb->sb[0].start == 2000 && pcb->sb[1].start == 5000);
	CHECK(!ixdp_tcp_sb_update(pcb, &o));	/* nothing new */
	sack_opt(&o, 5200, 5800);		/* held already */
	CHECK(!ixdp_tcp_sb_update(pcb, &o));
	sack_opt(&o, 3000, 4000);		/* adjacent: merged */
	CHECK(ixdp_tcp_sb_update(pcb, &o));
	sack_opt(&o, 1500, 2500);		/* overlapping: merged */
	CHECK(ixdp_tcp_sb_update(pcb, &o));
	CHECK_EQ(pcb->nsb, 2);
	CHECK(pcb->sb[0].start == 1500 && pcb->sb[0].end == 4000);
	CHECK(ixdp_tcp_sb_next_hole(pcb, 1000, &a, &b));
	CHECK(a == 1000 && b == 1500);
	CHECK(ixdp_tcp_sb_next_hole(pcb, 1500, &a, &b));
	CHECK(a == 4000 && b == 5000);
	CHECK(!ixdp_tcp_sb_next_hole(pcb, 5500, &a, &b));
	CHECK(ixdp_tcp_sb_sacked(pcb, 5500) && !ixdp_tcp_sb_sacked(pcb, 4500));
	pcb->snd_una = 4500;
	ixdp_tcp_sb_trim(pcb);
	CHECK_EQ(pcb->nsb, 1);
	CHECK_EQ(pcb->sb[0].start, 5000);
	pcb->snd_una = 5500;
	ixdp_tcp_sb_trim(pcb);
	CHECK(pcb->nsb == 1 && pcb->sb[0].start == 5500);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_sack, bad_blocks_ignored_and_table_bounded)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_tcp_opts o;
	unsigned int i;

	CHECK(pcb);
	sack_opt(&o, 500, 900);			/* below snd_una: D-SACK */
	ixdp_tcp_sb_update(pcb, &o);
	sack_opt(&o, 9000, 11000);		/* beyond snd_max */
	ixdp_tcp_sb_update(pcb, &o);
	sack_opt(&o, 3000, 2000);		/* reversed */
	ixdp_tcp_sb_update(pcb, &o);
	CHECK_EQ(pcb->nsb, 0);
	for (i = 0; i < IXDP_TCP_SB_MAX + 2; i++) {
		sack_opt(&o, 1100 + i * 200, 1200 + i * 200);
		ixdp_tcp_sb_update(pcb, &o);
	}
	CHECK_EQ(pcb->nsb, IXDP_TCP_SB_MAX);
	CHECK_EQ(pcb->sb[0].start, 1100);
	for (i = 1; i < pcb->nsb; i++)
		CHECK(tcp_seq_after(pcb->sb[i].start, pcb->sb[i - 1].end));
	/* Without SACK negotiated nothing is taken. */
	pcb->nsb = 0;
	pcb->flags &= ~TCPF_SACK;
	sack_opt(&o, 2000, 3000);
	ixdp_tcp_sb_update(pcb, &o);
	CHECK_EQ(pcb->nsb, 0);
	CHECK(unit_done(pcb));
}

/* A received-like buffer of @len payload bytes of pattern from @seq. */
static struct ixdp_buf *seg_buf(u32 seq, unsigned int len)
{
	struct ixdp_buf *b = ixdp_buf_get(&up.t.pool);

	if (!b)
		return NULL;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET + 54);
	pat_fill(ixdp_buf_put_tail(b, len), len, 7, seq);
	return b;
}

static bool ooo_add(struct ixdp_tcp_pcb *pcb, u32 seq, unsigned int len)
{
	return ixdp_tcp_ooo_insert(pcb, seg_buf(seq, len), seq);
}

/* The queue holds exactly the ranges @r (pairs), with right bytes. */
static bool ooo_is(struct ixdp_tcp_pcb *pcb, const u32 *r, unsigned int n)
{
	struct ixdp_buf *b = pcb->ooo;
	unsigned int i, k;

	for (i = 0; i < n; i++, b = b->next) {
		if (!b || tcp_cb(b)->seq != r[2 * i] ||
		    tcp_cb(b)->seq + b->len != r[2 * i + 1])
			return false;
		for (k = 0; k < b->len; k++)
			if (((uint8_t *)ixdp_buf_data(b))[k] !=
			    pat_byte(7, tcp_cb(b)->seq + k))
				return false;
	}
	return !b && pcb->ooo_n == n;
}

IX_TEST(tcp_ooo, sorted_trimmed_and_merged)
{
	static const u32 four[] = {
		2000, 2500, 2500, 2700, 2900, 3000, 3000, 3500,
	};
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_buf *b;

	CHECK(pcb);
	pcb->rcv_nxt = 1000;
	CHECK(ooo_add(pcb, 3000, 500));
	CHECK(ooo_add(pcb, 2000, 500));
	CHECK(ooo_is(pcb, (const u32[]){ 2000, 2500, 3000, 3500 }, 2));
	CHECK(ooo_add(pcb, 2200, 500));		/* front overlap trimmed */
	CHECK(ooo_is(pcb, (const u32[]){ 2000, 2500, 2500, 2700, 3000, 3500 },
		     3));
	CHECK(ooo_add(pcb, 2900, 200));		/* back overlap trimmed */
	CHECK(ooo_is(pcb, four, 4));
	CHECK(!ooo_add(pcb, 2100, 100));	/* duplicate */
	CHECK(ooo_add(pcb, 1900, 1700));	/* covers all: replaces */
	CHECK(ooo_is(pcb, (const u32[]){ 1900, 3600 }, 1));
	CHECK(!ixdp_tcp_ooo_pop(pcb));
	pcb->rcv_nxt = 2000;
	b = ixdp_tcp_ooo_pop(pcb);
	CHECK(b && b->len == 1600 &&
	      ((uint8_t *)ixdp_buf_data(b))[0] == pat_byte(7, 2000));
	ixdp_buf_put(b);
	CHECK_EQ(pcb->ooo_n, 0);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_ooo, stale_segments_dropped_on_pop_and_purge)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_buf *b;

	CHECK(pcb);
	pcb->rcv_nxt = 1000;
	CHECK(ooo_add(pcb, 1100, 100));
	CHECK(ooo_add(pcb, 1300, 100));
	CHECK(ooo_add(pcb, 1500, 100));
	pcb->rcv_nxt = 1350;
	b = ixdp_tcp_ooo_pop(pcb);
	CHECK(b && b->len == 50);
	ixdp_buf_put(b);
	CHECK_EQ(pcb->ooo_n, 1);
	CHECK_EQ(up.t.pool.avail, up.t.pool.total - 1);
	ixdp_tcp_ooo_purge(pcb);
	CHECK_EQ(up.t.pool.avail, up.t.pool.total);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_sack, receiver_blocks_latest_first)
{
	struct ixdp_tcp_pcb *pcb = unit_pcb(NULL);
	struct ixdp_tcp_sack_block blk[4];

	CHECK(pcb);
	pcb->rcv_nxt = 1000;
	CHECK(ooo_add(pcb, 3000, 500));
	CHECK(ooo_add(pcb, 5000, 500));
	CHECK(ooo_add(pcb, 3500, 500));		/* contiguous: one run */
	CHECK(ooo_add(pcb, 7000, 100));
	CHECK(ooo_add(pcb, 5500, 100));		/* latest */
	CHECK_EQ(ixdp_tcp_sack_blocks(pcb, blk, 4), 3);
	CHECK(blk[0].start == 5000 && blk[0].end == 5600);
	CHECK(blk[1].start == 3000 && blk[1].end == 4000);
	CHECK(blk[2].start == 7000 && blk[2].end == 7100);
	CHECK_EQ(ixdp_tcp_sack_blocks(pcb, blk, 2), 2);
	CHECK(blk[0].start == 5000 && blk[1].start == 3000);
	CHECK_EQ(ixdp_tcp_sack_blocks(pcb, blk, 1), 1);
	CHECK_EQ(blk[0].start, 5000);
	CHECK(unit_done(pcb));
}

IX_TEST(tcp_pcb, table_sized_at_init)
{
	struct ixdp_tcp *tcp = calloc(1, ixdp_tcp_size(3));
	struct ixdp_tcp_pcb *p[4];
	struct tstack t;
	unsigned int i;
	int err;

	CHECK(tcp);
	CHECK_EQ(ts_init(&t, 8), 0);
	CHECK_EQ(ixdp_tcp_init(&t.s, tcp, 0, NULL, &test_tcp_ops), -EINVAL);
	CHECK_EQ(ixdp_tcp_init(&t.s, tcp, IXDP_TCP_PCBS_MAX + 1, NULL,
			       &test_tcp_ops), -EINVAL);
	CHECK_EQ(ixdp_tcp_init(&t.s, tcp, 3, NULL, &test_tcp_ops), 0);
	CHECK_EQ(tcp->npcbs, 3);
	CHECK(tcp->hash_mask + 1 >= 3 && !(tcp->hash_mask & (tcp->hash_mask + 1)));
	for (i = 0; i < 3; i++) {
		p[i] = ixdp_tcp_pcb_alloc(&t.s);
		CHECK(p[i] && p[i]->idx < 3);
	}
	CHECK(!ixdp_tcp_pcb_alloc(&t.s));
	/* A handle past the table is refused, not read. */
	CHECK(!ixdp_tcp_pcb_get(&t.s, IXDP_TCP_HANDLE(3, 1), &err));
	CHECK_EQ(err, -EINVAL);
	ixdp_tcp_pcb_free(p[1]);
	p[3] = ixdp_tcp_pcb_alloc(&t.s);
	CHECK(p[3] == p[1]);
	ixdp_tcp_teardown(&t.s);
	CHECK(ts_fini(&t));
	free(tcp);
}
