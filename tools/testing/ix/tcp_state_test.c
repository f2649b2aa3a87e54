// SPDX-License-Identifier: GPL-2.0
/*
 * TCP state machine tests: one ixdp stack with TCP, and a peer written
 * in the test (tcp_util.c) that crafts every segment and parses every
 * answer.  Times are in ticks of 1 ms.
 */

#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

static struct ixdp_tcp_pcb *pcb_of(struct tpeer *p, u32 h)
{
	return &p->tcp->pcbs[h & 0xffff];
}

static uint8_t pdata[8192];

/* Peer data: @len bytes of the server's pattern from stream offset @off. */
static void seg_data(struct tpeer *p, struct tseg *sg, u32 off, u32 len)
{
	pat_fill(pdata, len, p->app.srv_seed, off);
	sg->seq = p->piss + 1 + off;
	sg->data = pdata;
	sg->len = len;
}

IX_TEST(tcp_state, active_open_negotiates_options)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK(tp_pop(p, &in));
	CHECK(in.has_mss && in.mss == 1460 && in.has_ws && in.sack_ok &&
	      in.has_ts && in.flags == TH_SYN && in.sport >= 49152);
	CHECK_EQ(pcb_of(p, p->cli.h)->state, IXDP_TCP_SYN_SENT);
	CHECK(tp_fini(p));

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_active(p, NULL, 5000, true));
	pcb = pcb_of(p, p->cli.h);
	CHECK_EQ(pcb->state, IXDP_TCP_ESTABLISHED);
	CHECK_EQ(pcb->snd_wscale, 7);
	CHECK_EQ(pcb->mss, 1460 - 12);
	CHECK(pcb->flags & TCPF_SACK && pcb->flags & TCPF_TS);
	CHECK_EQ(p->cli.nconnected, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, active_open_without_peer_options)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_active(p, NULL, 0xfffffff0, false));
	pcb = pcb_of(p, p->cli.h);
	CHECK_EQ(pcb->mss, IXDP_TCP_DEFAULT_MSS);
	CHECK(!(pcb->flags & (TCPF_SACK | TCPF_TS | TCPF_WS)));
	CHECK_EQ(pcb->rcv_wscale, 0);
	CHECK_EQ(pcb->rcv_nxt, 0xfffffff1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, passive_open_knocks_and_accepts)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 777, true));
	CHECK_EQ(p->app.nknock, 1);
	pcb = pcb_of(p, p->srv[0].h);
	CHECK_EQ(pcb->state, IXDP_TCP_ESTABLISHED);
	CHECK_EQ(p->tcp->lsn[0].pending, 0);
	CHECK_EQ(pcb->snd_wnd, 512 << 7);
	CHECK_EQ(ixdp_tcp_accept(&p->t.s, p->srv[0].h, NULL), -EALREADY);
	CHECK_EQ(p->tcp->stats->passive, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, simultaneous_open)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 iss;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK(tp_pop(p, &in));
	iss = in.seq;
	p->lport = in.sport;
	/* The peer's SYN crosses ours. */
	seg_init(p, &sg, 9000, 0, TH_SYN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in));
	CHECK_EQ(in.flags, TH_SYN | TH_ACK);
	CHECK(in.seq == iss && in.ack == 9001);
	CHECK_EQ(pcb_of(p, p->cli.h)->state, IXDP_TCP_SYN_RCVD);
	CHECK_EQ(p->cli.nconnected, 0);
	/* Its SYN-ACK (RFC 9293 figure 8, line 6) establishes. */
	seg_init(p, &sg, 9000, iss + 1, TH_SYN | TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(pcb_of(p, p->cli.h)->state, IXDP_TCP_ESTABLISHED);
	CHECK_EQ(p->cli.connected, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, active_close_to_time_wait_expiry)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .time_wait = 500 }));
	CHECK(tp_open_active(p, NULL, 100, false));
	h = p->cli.h;
	CHECK(!ixdp_tcp_close(&p->t.s, h));
	CHECK_EQ(ixdp_tcp_close(&p->t.s, h), -EALREADY);
	CHECK(tp_pop(p, &in));
	CHECK(in.flags == (TH_FIN | TH_ACK) && in.seq == p->iss + 1);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_FIN_WAIT_1);
	seg_init(p, &sg, 101, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_FIN_WAIT_2);
	CHECK_EQ(tp_ntx(p), 0);
	seg_init(p, &sg, 101, p->iss + 2, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in));
	CHECK(in.flags == TH_ACK && in.ack == 102);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	CHECK(p->cli.fin && p->cli.dead && !p->cli.dead_reason);
	CHECK_EQ(ixdp_tcp_close(&p->t.s, h), -ESTALE);
	/* A retransmitted FIN is acknowledged again. */
	tp_advance(p, 400);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.ack == 102);
	tp_advance(p, 899);
	CHECK_EQ(p->tcp->nused, 1);
	tp_advance(p, 900);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, passive_close_close_wait_last_ack)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(p->srv[0].fin);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_CLOSE_WAIT);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK && in.ack == 102);
	CHECK(!ixdp_tcp_close(&p->t.s, h));
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN));
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_LAST_ACK);
	seg_init(p, &sg, 102, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK(p->srv[0].dead && !p->srv[0].dead_reason);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/*
 * An application that closes from inside the FIN's recv event, as the
 * echo service does, closes passively: CLOSE_WAIT then LAST_ACK, one
 * segment carrying the ACK of the peer's FIN and our FIN, and no
 * TIME_WAIT slot once the peer acknowledges it.
 */
IX_TEST(tcp_state, close_in_fin_event_is_last_ack)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	p->srv[0].close_on_fin = true;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(p->srv[0].fin);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_LAST_ACK);
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN) &&
	      in.ack == 102);
	CHECK(!tp_pop(p, &in));
	seg_init(p, &sg, 102, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK(p->srv[0].dead && !p->srv[0].dead_reason);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/* A FIN lost in LAST_ACK comes again on the RTO, and its ACK ends it. */
IX_TEST(tcp_state, lost_fin_is_retransmitted)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK);
	CHECK(!ixdp_tcp_close(&p->t.s, h));
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN));
	tp_advance(p, 999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1000);
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN) &&
	      in.seq == p->iss + 1 && in.len == 0);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_LAST_ACK);
	seg_init(p, &sg, 102, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK(p->srv[0].dead && !p->srv[0].dead_reason);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/*
 * A FIN sent again that was only late: the peer's ACK of the first ends
 * the connection, and its ACK of the second finds none, and is answered
 * with RST as Linux answers it, counted as an ACK-only reset.
 */
IX_TEST(tcp_state, late_ack_of_fin_sent_twice_is_reset)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	p->srv[0].close_on_fin = true;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN));
	tp_advance(p, 1000);
	CHECK(tp_pop(p, &in) && in.flags == (TH_ACK | TH_FIN));
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_LAST_ACK);
	seg_init(p, &sg, 102, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK(p->srv[0].dead && !p->srv[0].dead_reason);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK_EQ(p->t.s.stats.tcp_resets, 0);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_RST && in.seq == p->iss + 2);
	CHECK_EQ(p->t.s.stats.tcp_resets, 1);
	CHECK_EQ(p->t.s.stats.tcp_resets_ack_only, 1);
	CHECK_EQ(p->t.s.stats.tcp.resets_out, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, simultaneous_close_closing)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_active(p, NULL, 100, false));
	h = p->cli.h;
	CHECK(!ixdp_tcp_close(&p->t.s, h));
	CHECK(tp_pop(p, &in) && in.flags & TH_FIN);
	/* The peer's FIN crosses ours: it does not acknowledge ours. */
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_CLOSING);
	CHECK(tp_pop(p, &in) && in.ack == 102);
	seg_init(p, &sg, 102, p->iss + 2, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	CHECK(p->cli.dead && !p->cli.dead_reason);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, syn_sent_rst_refuses)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK(tp_pop(p, &in));
	p->lport = in.sport;
	/* An RST whose ACK is not of our SYN is ignored. */
	seg_init(p, &sg, 0, in.seq + 5, TH_RST | TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(p->cli.connected, 0);
	CHECK_EQ(tp_ntx(p), 0);
	/* An ACK of something else gets a RST: the connection's answer. */
	seg_init(p, &sg, 0, in.seq + 5, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(tp_ntx(p), 1);
	CHECK_EQ(p->t.s.stats.tcp_resets, 1);
	CHECK_EQ(p->t.s.stats.tcp_resets_ack_only, 0);
	ts_flush(&p->t);
	seg_init(p, &sg, 0, in.seq + 1, TH_RST | TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(p->cli.connected, -ECONNREFUSED);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, syn_retries_back_off_then_time_out)
{
	struct tpeer *p = &tp;
	u64 now = 0, at[IXDP_TCP_SYN_RETRIES];
	unsigned int n = 0;
	struct tseg in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK(tp_pop(p, &in));
	for (now = 1; now < 200000 && !p->cli.connected; now++) {
		if (now % 10000 == 0)
			tp_arp(p);
		tp_advance(p, now);
		while (tp_pop(p, &in)) {
			CHECK_EQ(in.flags, TH_SYN);
			CHECK(n < IXDP_TCP_SYN_RETRIES);
			at[n++] = now;
		}
	}
	CHECK_EQ(n, IXDP_TCP_SYN_RETRIES);
	CHECK(at[0] == 1000 && at[1] == 3000 && at[2] == 7000);
	CHECK_EQ(p->cli.connected, -ETIMEDOUT);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, rst_rfc5961_exact_resets_in_window_challenged)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 101 + 1000, 0, TH_RST);	/* in window */
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK && in.ack == 101);
	CHECK_EQ(p->tcp->stats->challenge_acks, 1);
	CHECK(!p->srv[0].dead);
	seg_init(p, &sg, 101 + 100000, 0, TH_RST);	/* outside */
	tp_send(p, &sg);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(!p->srv[0].dead);
	seg_init(p, &sg, 101, 0, TH_RST);		/* exact */
	tp_send(p, &sg);
	CHECK(p->srv[0].dead);
	CHECK_EQ(p->srv[0].dead_reason, -ECONNRESET);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, syn_on_established_gets_challenge_ack)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 105, 0, TH_SYN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK && in.ack == 101 &&
	      in.seq == p->iss + 1);
	CHECK_EQ(p->tcp->stats->challenge_acks, 1);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->state, IXDP_TCP_ESTABLISHED);
	CHECK(tp_fini(p));
}

/* What a connection does not answer, by its rate limit, is counted. */
IX_TEST(tcp_state, answers_held_back_counted)
{
	struct ixdp_tcp_config cfg = { .ack_ratelimit = 100 };
	struct ixdp_tcp_stats *st;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;

	CHECK(!tp_init(p, &cfg));
	CHECK(tp_open_passive(p, NULL, 100, false));
	st = p->tcp->stats;
	seg_init(p, &sg, 101 + 1000, 0, TH_RST);	/* in window */
	for (i = 0; i < 40; i++)
		tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK && in.ack == 101);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(st->challenge_acks, 1);
	CHECK_EQ(st->challenge_acks_limited, 39);
	/* The limit is the connection's, for every kind of answer. */
	seg_init(p, &sg, 101 + 500000, p->iss + 1, TH_ACK);
	for (i = 0; i < 25; i++)
		tp_send(p, &sg);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(st->oow_acks_limited, 25);
	tp_advance(p, 100);			/* cfg.ack_ratelimit later */
	for (i = 0; i < 25; i++)
		tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_ACK && in.ack == 101);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(st->oow_acks_limited, 49);
	CHECK_EQ(st->challenge_acks_limited, 39);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, ack_of_unsent_data_answered_and_ignored)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 101, p->iss + 5000, TH_ACK);
	seg_data(p, &sg, 0, 10);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.ack == 101 && in.seq == p->iss + 1);
	CHECK_EQ(p->srv[0].rx_len, 0);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->snd_una, p->iss + 1);
	CHECK(tp_fini(p));
}

/* With SYN cookies off (tcp_cookie_test.c has them on). */
IX_TEST(tcp_state, syn_backlog_full_refused_and_counted)
{
	struct ixdp_tcp_config cfg = { .flags = IXDP_TCP_NO_COOKIES };
	struct tpeer *p = &tp;
	struct tseg sg;
	unsigned int i;

	CHECK(!tp_init(p, &cfg));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, &p->app));
	CHECK_EQ(ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, NULL),
		 -EADDRINUSE);
	for (i = 0; i < 3; i++) {
		seg_init(p, &sg, 1000, 0, TH_SYN);
		sg.sport = 2000 + i;
		sg.dport = SRV_PORT;
		tp_send(p, &sg);
	}
	CHECK_EQ(tp_ntx(p), 2);
	CHECK_EQ(p->tcp->lsn[0].refused, 1);
	CHECK_EQ(p->tcp->stats->syn_refused, 1);
	CHECK_EQ(p->tcp->nused, 2);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, reject_answers_rst)
{
	struct tpeer *p = &tp;
	struct tseg in;

	CHECK(!tp_init(p, NULL));
	p->app.reject = true;
	CHECK(!tp_open_passive(p, NULL, 100, false));
	CHECK_EQ(p->app.nknock, 1);
	CHECK(tp_pop(p, &in) && in.flags & TH_RST);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK_EQ(p->tcp->lsn[0].pending, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, stale_and_bad_handles_rejected)
{
	struct ixdp_iov iov = { pdata, 10 };
	struct tpeer *p = &tp;
	struct tseg sg;
	u32 old;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	old = p->srv[0].h;
	seg_init(p, &sg, 101, 0, TH_RST);
	tp_send(p, &sg);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, old, &iov, 1), -ESTALE);
	CHECK_EQ(ixdp_tcp_recv_done(&p->t.s, old, 0, 0), -ESTALE);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, 0xffff, &iov, 1), -EINVAL);
	CHECK_EQ(ixdp_tcp_abort(&p->t.s, 0), -ESTALE);
	/* The slot is reused with a new generation. */
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK_EQ(p->cli.h & 0xffff, old & 0xffff);
	CHECK(p->cli.h != old);
	CHECK_EQ(ixdp_tcp_close(&p->t.s, old), -ESTALE);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, delayed_ack_timing)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	seg_data(p, &sg, 0, 100);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 100);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 39);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 40);			/* hz / 25 */
	CHECK(tp_pop(p, &in) && in.ack == 201);
	CHECK_EQ(p->tcp->stats->delacks, 1);
	/* Every second segment is acknowledged at once. */
	seg_data(p, &sg, 100, 536);
	tp_send(p, &sg);
	CHECK_EQ(tp_ntx(p), 0);
	seg_data(p, &sg, 636, 536);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.ack == 101 + 1172);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK(tp_fini(p));
}

/* The ACK timer is lazy: one left on the wheel must not fire it early. */
IX_TEST(tcp_state, delayed_ack_timed_from_its_own_segment)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	seg_data(p, &sg, 0, 100);
	tp_send(p, &sg);			/* delayed to 40 */
	tp_advance(p, 10);
	seg_data(p, &sg, 100, 536);
	tp_send(p, &sg);			/* the second: at once */
	CHECK(tp_pop(p, &in) && in.ack == 101 + 636);
	tp_advance(p, 20);
	seg_data(p, &sg, 636, 100);
	tp_send(p, &sg);			/* delayed to 60 */
	tp_advance(p, 40);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 59);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 60);
	CHECK(tp_pop(p, &in) && in.ack == 101 + 736);
	CHECK_EQ(p->tcp->stats->delacks, 1);
	tp_advance(p, 1000);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->delacks, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, zero_window_probes_back_off_then_flow)
{
	struct ixdp_iov iov = { pdata, 3000 };
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	sg.win = 0;
	tp_send(p, &sg);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, h, &iov, 1), 3000);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1000);
	CHECK(tp_pop(p, &in) && in.len == 1 && in.seq == p->iss + 1);
	tp_send(p, &sg);			/* still closed */
	tp_advance(p, 2999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 3000);			/* backed off: 2 s */
	CHECK(tp_pop(p, &in) && in.len == 1 && in.seq == p->iss + 1);
	CHECK_EQ(p->tcp->stats->probes, 2);
	CHECK_EQ(p->tcp->stats->fast_rexmits, 0);
	sg.win = 65535;				/* opens */
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.len == 536 && in.seq == p->iss + 1);
	CHECK(tp_ntx(p) >= 2);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, out_of_order_sacked_then_delivered)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 200;
	seg_data(p, &sg, 1000, 1000);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 0);
	CHECK(tp_pop(p, &in) && in.ack == 101 && in.nsack == 1);
	CHECK(in.sack[0][0] == 1101 && in.sack[0][1] == 2101);
	seg_data(p, &sg, 0, 1000);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 2000);
	CHECK_EQ(p->srv[0].nrecv, 2);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK(tp_pop(p, &in) && in.ack == 2101 && in.nsack == 0);
	CHECK_EQ(p->tcp->stats->ooo_queued, 1);
	CHECK(tp_fini(p));
}

/* The app of the passive side sends @n segments of 536 bytes. */
static bool send_segs(struct tpeer *p, unsigned int n, u32 cwnd)
{
	struct ixdp_iov iov = { pdata, n * 536 };
	struct tseg in;
	unsigned int i;

	pcb_of(p, p->srv[0].h)->cwnd = cwnd;
	if (ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) != n * 536)
		return false;
	for (i = 0; i < n; i++)
		if (!tp_pop(p, &in) || in.seq != p->iss + 1 + i * 536)
			return false;
	return !tp_ntx(p);
}

static void peer_ack(struct tpeer *p, u32 ack_off)
{
	struct tseg sg;

	seg_init(p, &sg, 101, p->iss + 1 + ack_off, TH_ACK);
	tp_send(p, &sg);
}

IX_TEST(tcp_state, fast_retransmit_and_newreno_partial_ack)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK(send_segs(p, 10, 10 * 536));
	peer_ack(p, 536);			/* segment 2 lost */
	ts_flush(&p->t);			/* new data it let go */
	peer_ack(p, 536);
	peer_ack(p, 536);
	CHECK_EQ(tp_ntx(p), 0);
	peer_ack(p, 536);			/* third duplicate */
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 536 && in.len == 536);
	CHECK_EQ(p->tcp->stats->fast_rexmits, 1);
	CHECK(pcb->flags & TCPF_RECOVERY);
	CHECK_EQ(pcb->ssthresh, pcb->recover - pcb->snd_una > 2 * 536 * 2 ?
		 (pcb->recover - pcb->snd_una) / 2 : 2 * 536);
	ts_flush(&p->t);
	peer_ack(p, 3 * 536);			/* partial: segment 4 lost too */
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 3 * 536);
	CHECK_EQ(p->tcp->stats->partial_acks, 1);
	CHECK(pcb->flags & TCPF_RECOVERY);
	ts_flush(&p->t);
	peer_ack(p, pcb->recover - p->iss - 1);	/* full */
	CHECK(!(pcb->flags & TCPF_RECOVERY));
	CHECK(pcb->cwnd <= pcb->ssthresh);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, sack_recovery_fills_every_hole)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;
	u32 base;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	pcb->mss = 536;
	CHECK(send_segs(p, 10, 10 * 536));
	base = p->iss + 1;
	/* Segments 0, 3 and 6 lost: dupacks SACK 1-2, 4-5, 7-9. */
	for (i = 0; i < 3; i++) {
		seg_init(p, &sg, 101, base, TH_ACK);
		sg.has_ts = true;
		sg.tsval = 300;
		sg.win = 512;
		sg.nsack = i + 1;
		sg.sack[0][0] = base + 536;
		sg.sack[0][1] = base + 3 * 536;
		sg.sack[1][0] = base + 4 * 536;
		sg.sack[1][1] = base + 6 * 536;
		sg.sack[2][0] = base + 7 * 536;
		sg.sack[2][1] = base + 10 * 536;
		tp_send(p, &sg);
	}
	CHECK_EQ(pcb->nsb, 3);
	CHECK(tp_pop(p, &in) && in.seq == base);
	CHECK(tp_pop(p, &in) && in.seq == base + 3 * 536);
	CHECK_EQ(tp_ntx(p), 0);
	tp_send(p, &sg);			/* fourth duplicate */
	CHECK(tp_pop(p, &in) && in.seq == base + 6 * 536);
	CHECK_EQ(p->tcp->stats->sack_rexmits, 2);
	CHECK(tp_fini(p));
}

/*
 * A peer that sends as it receives (an echo client) acknowledges with
 * data: RFC 6675 counts each of its ACKs that SACKs new bytes as a
 * duplicate, and the third starts fast retransmit; one that repeats the
 * scoreboard is not counted.
 */
IX_TEST(tcp_state, sack_dupacks_carrying_data_fast_retransmit)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;
	bool again = false;
	u32 base;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	pcb->mss = 536;
	CHECK(send_segs(p, 10, 10 * 536));
	base = p->iss + 1;
	/* Segment 0 lost; each ACK brings 100 bytes and SACKs one more. */
	for (i = 0; i < 4; i++) {
		seg_init(p, &sg, 101 + i * 100, base, TH_ACK);
		sg.has_ts = true;
		sg.tsval = 300 + i;
		sg.win = 512;
		sg.nsack = 1;
		sg.sack[0][0] = base + 536;
		sg.sack[0][1] = base + (2 + min(i, 2U)) * 536;
		sg.data = pdata;
		sg.len = 100;
		tp_send(p, &sg);
		if (i == 1)
			CHECK_EQ(p->tcp->stats->fast_rexmits, 0);
	}
	CHECK_EQ(pcb->rcv_nxt, 501);
	CHECK_EQ(pcb->dupacks, 3);		/* the fourth repeated */
	CHECK_EQ(p->tcp->stats->fast_rexmits, 1);
	CHECK_EQ(p->tcp->stats->timeouts, 0);
	while (tp_pop(p, &in))
		again |= in.seq == base && in.len == 536;
	CHECK(again);
	CHECK(tp_fini(p));
}

/*
 * A passive connection that has sent 1000 bytes, two segments, taken
 * off the wire; its PCB, or NULL.
 */
static struct ixdp_tcp_pcb *tp_sent_1000(struct tpeer *p)
{
	struct ixdp_iov iov = { pdata, 1000 };

	if (tp_init(p, NULL) || !tp_open_passive(p, NULL, 100, false))
		return NULL;
	if (ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) != 1000 ||
	    tp_ntx(p) != 2)
		return NULL;
	ts_flush(&p->t);
	return pcb_of(p, p->srv[0].h);
}

IX_TEST(tcp_state, rto_retransmits_backs_off_collapses_cwnd)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg in;

	pcb = tp_sent_1000(p);
	CHECK(pcb);
	tp_advance(p, 999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1000);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 && in.len == 536);
	CHECK_EQ(pcb->cwnd, 536);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 2999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 3000);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1);
	CHECK_EQ(p->tcp->stats->timeouts, 2);
	/* An ACK ends the backoff; the rest goes. */
	peer_ack(p, 536);
	CHECK_EQ(pcb->backoff, 0);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 536 && in.len == 464);
	CHECK(tp_fini(p));
}

/*
 * While the core's device has a backlog to send, a retransmission timeout
 * waits half a second, neither counted nor backed off, and is then taken as
 * usual; but not for longer than rto_max after data was last sent.
 */
IX_TEST(tcp_state, rto_waits_for_a_device_backlog)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg in;
	u32 half, max;
	u64 t;

	pcb = tp_sent_1000(p);
	CHECK(pcb);
	half = p->t.s.cfg.hz / 2;
	max = p->tcp->cfg.rto_max;
	CHECK(half > 1 && max > 4 * half);
	p->t.s.tx_backlog = true;
	tp_advance(p, 1000);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->timeouts, 0);
	CHECK_EQ(p->tcp->stats->rto_deferred, 1);
	CHECK_EQ(pcb->backoff, 0);
	tp_advance(p, 1000 + half - 1);
	CHECK_EQ(tp_ntx(p), 0);
	p->t.s.tx_backlog = false;
	tp_advance(p, 1000 + half);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 && in.len == 536);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK_EQ(pcb->backoff, 1);
	CHECK_EQ(p->tcp->stats->rto_deferred, 1);

	/* A backlog that never clears: rto_max after the last send, go. */
	p->t.s.tx_backlog = true;
	for (t = 1000 + half; !tp_ntx(p) && t < 1000 + 2 * max; t += half / 2)
		tp_advance(p, t);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1);
	CHECK(t >= 1000 + half + max);
	CHECK_EQ(p->tcp->stats->timeouts, 2);
	CHECK(p->tcp->stats->rto_deferred > 2);
	CHECK(tp_fini(p));
}

/*
 * Data the device's full queue refused is still to send: half a second
 * later it goes, as new data, not as a timeout, and its round trip is
 * timed from then; what the pool refused, where nothing else would ever
 * have sent it; and a FIN.
 */
IX_TEST(tcp_state, refused_data_goes_again)
{
	struct ixdp_iov iov = { pdata, 1000 };
	struct ixdp_buf *held[257];
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	unsigned int n = 0;
	struct tseg in;
	u32 half;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb = pcb_of(p, p->srv[0].h);
	half = p->t.s.cfg.hz / 2;
	p->t.xmit_ret = -ENOSPC;
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	/* Refused once: the ACK it carried is not tried alone. */
	CHECK_EQ(p->tcp->stats->tx_refused, 1);
	CHECK_EQ(pcb->snd_nxt, p->iss + 1);
	CHECK_EQ(pcb->snd_max, p->iss + 1);
	p->t.xmit_ret = 0;
	tp_advance(p, half - 1);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, half);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 && in.len == 536);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 537 && in.len == 464);
	CHECK_EQ(p->tcp->stats->timeouts, 0);
	CHECK_EQ(p->tcp->stats->rexmits, 0);
	CHECK_EQ(pcb->backoff, 0);
	CHECK(!(pcb->flags & (TCPF_RETRY | TCPF_RETRYING)));
	/* Acknowledged 100 ticks after it went: a sample of 100. */
	tp_advance(p, half + 100);
	seg_init(p, &in, p->piss + 1, p->iss + 1001, TH_ACK);
	tp_send(p, &in);
	CHECK_EQ(pcb->srtt_x8, 8 * 100);
	ts_flush(&p->t);

	/* The pool is empty as the next data waits. */
	while (n < ARRAY_SIZE(held) && (held[n] = ixdp_buf_get(&p->t.pool)))
		n++;
	CHECK(n < ARRAY_SIZE(held));
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	CHECK_EQ(tp_ntx(p), 0);
	while (n)
		ixdp_buf_put(held[--n]);
	tp_advance(p, 2 * half + 99);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 2 * half + 100);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1001);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1537);
	seg_init(p, &in, p->piss + 1, p->iss + 2001, TH_ACK);
	tp_send(p, &in);
	ts_flush(&p->t);

	/* A FIN alone. */
	p->t.xmit_ret = -ENOSPC;
	CHECK(!ixdp_tcp_close(&p->t.s, p->srv[0].h));
	p->t.xmit_ret = 0;
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 3 * half + 100);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 2001 && in.flags & TH_FIN);
	CHECK_EQ(p->tcp->stats->timeouts, 0);
	CHECK(tp_fini(p));
}

/*
 * Connections the device's full queue refused send as soon as it takes
 * segments again (ixdp_tcp_tx_resume()), not half a second later: in
 * the order they were refused, one still refused keeping its place; an
 * ACK refused is owed still; a reset and a connection gone leave no
 * trace in the line.
 */
IX_TEST(tcp_state, refused_connections_send_as_the_queue_drains)
{
	struct ixdp_iov iov = { pdata, 100 };
	struct ixdp_buf *held[257];
	struct ixdp_tcp_pcb *pcb[3];
	unsigned int i, nheld = 0;
	struct conn c[3] = { 0 };
	struct tpeer *p = &tp;
	u32 iss[3], half, h;
	struct tseg in;
	u16 lport[3];

	CHECK(!tp_init(p, NULL));
	/* A SYN refused waits for its timer, not in the line. */
	p->t.xmit_ret = -ENOSPC;
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(PEER_PORT), &p->cli, &h));
	CHECK_EQ(p->tcp->stats->tx_refused, 1);
	CHECK(list_empty(&p->tcp->txw));
	p->t.xmit_ret = 0;
	CHECK(tp_open_many(p, c, lport, iss, 3));
	half = p->t.s.cfg.hz / 2;
	for (i = 0; i < 3; i++)
		pcb[i] = pcb_of(p, c[i].h);
	p->t.xmit_ret = -ENOSPC;
	for (i = 0; i < 3; i++)
		CHECK_EQ(ixdp_tcp_sendv(&p->t.s, c[i].h, &iov, 1), 100);
	/* c[1] is aborted while it waits: its RST is refused too. */
	CHECK(!ixdp_tcp_abort(&p->t.s, c[1].h));
	CHECK_EQ(p->tcp->stats->tx_refused, 5);
	/* Still refused: nothing goes, and the order holds. */
	CHECK_EQ(ixdp_tcp_tx_resume(&p->t.s), 0);
	CHECK_EQ(p->tcp->stats->tx_refused, 6);
	p->t.xmit_ret = 0;
	/* An empty pool: nobody is served, nobody loses a place. */
	while (nheld < ARRAY_SIZE(held) &&
	       (held[nheld] = ixdp_buf_get(&p->t.pool)))
		nheld++;
	CHECK(nheld < ARRAY_SIZE(held));
	CHECK_EQ(ixdp_tcp_tx_resume(&p->t.s), 0);
	CHECK_EQ(p->tcp->stats->tx_resumed, 0);
	while (nheld)
		ixdp_buf_put(held[--nheld]);
	CHECK_EQ(ixdp_tcp_tx_resume(&p->t.s), 2);
	CHECK_EQ(p->tcp->stats->tx_resumed, 2);
	CHECK(tp_pop(p, &in) && in.sport == lport[0] && in.len == 100 &&
	      in.seq == iss[0] + 1);
	CHECK(tp_pop(p, &in) && in.sport == lport[2] && in.len == 100 &&
	      in.seq == iss[2] + 1);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(list_empty(&p->tcp->txw));
	CHECK_EQ(ixdp_tcp_tx_resume(&p->t.s), 0);
	/* Timed as sent now: no retry of them half a second on. */
	CHECK(!(pcb[0]->flags & (TCPF_RETRY | TCPF_RETRYING)));
	tp_advance(p, half);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->timeouts, 0);

	/* c[0]'s data is acknowledged; c[2]'s by a segment of the peer. */
	seg_init(p, &in, 101, iss[0] + 101, TH_ACK);
	in.sport = 2000;
	in.dport = lport[0];
	tp_send(p, &in);
	/* Its delayed ACK, refused, is owed. */
	seg_init(p, &in, 101, iss[2] + 101, TH_ACK);
	in.sport = 2002;
	in.dport = lport[2];
	in.data = pdata;
	in.len = 100;
	tp_send(p, &in);
	CHECK_EQ(pcb[2]->rcv_nxt, 201);
	CHECK_EQ(tp_ntx(p), 0);
	p->t.xmit_ret = -ENOSPC;
	tp_advance(p, 2 * half);
	CHECK_EQ(p->tcp->stats->delacks, 1);
	CHECK_EQ(p->tcp->stats->tx_refused, 7);
	p->t.xmit_ret = 0;
	tp_advance(p, 3 * half);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(ixdp_tcp_tx_resume(&p->t.s), 1);
	CHECK(tp_pop(p, &in) && in.sport == lport[2] && !in.len &&
	      in.flags == TH_ACK && in.ack == 201);
	CHECK_EQ(tp_ntx(p), 0);
	conn_release(&c[0]);
	conn_release(&c[2]);
	CHECK(tp_fini(p));
}

/*
 * A timeout whose first ACK echoes the TSval of a segment sent before it
 * was spurious (RFC 3522): the window it took comes back, and the RTT
 * estimate rises to the round trip that outlasted the RTO.  An ACK that
 * echoes the retransmission's TSval undoes nothing.
 */
IX_TEST(tcp_state, spurious_timeout_undone_by_timestamps)
{
	struct ixdp_iov iov = { pdata, 1000 }, iov3 = { pdata, 3000 };
	u32 cwnd, ssthresh, sent_ts, rto, first;
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u64 t;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK(pcb->flags & TCPF_TS);
	/*
	 * A round trip of 10 ticks sets the estimate (a TSecr of 0 is no
	 * echo, RFC 7323: the clock is moved past it first).
	 */
	tp_advance(p, 100);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	CHECK(tp_pop(p, &in) && in.has_ts && in.tsval);
	ts_flush(&p->t);
	tp_advance(p, 110);
	seg_init(p, &sg, 101, p->iss + 1001, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 200;
	sg.tsecr = in.tsval;
	tp_send(p, &sg);
	CHECK_EQ(pcb->srtt_x8, 8 * 10);
	ts_flush(&p->t);
	/* Three segments go; their ACK is late. */
	cwnd = pcb->cwnd;
	ssthresh = pcb->ssthresh;
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov3, 1), 3000);
	CHECK_EQ(tp_ntx(p), 3);
	CHECK(tp_pop(p, &in) && in.has_ts);
	sent_ts = in.tsval;
	first = in.len;
	ts_flush(&p->t);
	rto = pcb->rto;
	t = p->t.s.now + rto;
	tp_advance(p, t);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1001 && in.tsval > sent_ts);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(pcb->cwnd < cwnd);
	/* The first arrived: the peer echoes its TSval, 50 ticks on. */
	tp_advance(p, t + 50);
	seg_init(p, &sg, 101, p->iss + 1001 + first, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 300;
	sg.tsecr = sent_ts;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->spurious_rtos, 1);
	CHECK(!(pcb->flags & TCPF_UNDO));
	CHECK(pcb->cwnd >= cwnd);
	CHECK_EQ(pcb->ssthresh, ssthresh);
	/* Its echo is as old as the original's: no sample (Karn). */
	CHECK_EQ(pcb->srtt_x8, 8 * 10);
	CHECK_EQ(pcb->rto, rto);
	/* The other two were not lost: they are not sent again. */
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(pcb->snd_nxt, pcb->snd_max);
	seg_init(p, &sg, 101, p->iss + 4001, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 301;
	sg.tsecr = sent_ts;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->spurious_rtos, 1);
	CHECK_EQ(tp_ntx(p), 0);

	/* Lost: the ACK echoes the retransmission's TSval. */
	cwnd = pcb->cwnd;
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	ts_flush(&p->t);
	t = p->t.s.now + pcb->rto;
	tp_advance(p, t);
	CHECK_EQ(p->tcp->stats->timeouts, 2);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 4001);
	ts_flush(&p->t);
	tp_advance(p, t + 10);
	seg_init(p, &sg, 101, p->iss + 5001, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 400;
	sg.tsecr = in.tsval;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->spurious_rtos, 1);
	CHECK(!(pcb->flags & TCPF_UNDO));
	CHECK(pcb->cwnd < cwnd);
	CHECK(tp_fini(p));
}

/*
 * Three timeouts, each answered by an ACK that echoes the original's
 * TSval: spurious, the window given back each time.  The first answer
 * comes from a peer not known to send D-SACKs, the second carries one
 * (the peer got the retransmission twice: every ACK of the flight was
 * lost): neither moves the RTT estimate, as the echo's age is then the
 * RTO's own wait.  The third, from that peer and without a D-SACK, was
 * sent before the retransmission arrived: the path outlasted the RTO,
 * and the estimate is lifted to the round trip the timeout proves.  The
 * fourth echoes a TSval older than the timer (the first round's): it
 * is sampled as no longer than the timeout proves either.
 */
IX_TEST(tcp_state, spurious_timeout_lifts_only_without_a_dsack)
{
	struct ixdp_iov iov = { pdata, 1000 };
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 sent_ts, first_ts = 0, rto, srtt;
	unsigned int round;
	u64 t;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	CHECK(pcb->flags & TCPF_SACK);
	tp_advance(p, 100);
	for (round = 0; round < 5; round++) {
		CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
		CHECK(tp_pop(p, &in) && in.has_ts);
		sent_ts = in.tsval;
		ts_flush(&p->t);
		if (!round) {
			first_ts = sent_ts;
			/* A round trip of 10 ticks sets the estimate. */
			tp_advance(p, p->t.s.now + 10);
			seg_init(p, &sg, 101, in.seq + in.len, TH_ACK);
			sg.has_ts = true;
			sg.tsval = 200;
			sg.tsecr = sent_ts;
			tp_send(p, &sg);
			continue;
		}
		srtt = pcb->srtt_x8;
		rto = pcb->rto;
		t = p->t.s.now + rto;
		tp_advance(p, t);
		CHECK(tp_pop(p, &in) && in.tsval > sent_ts);
		ts_flush(&p->t);
		/* The answer, 10 ticks on, echoes the original. */
		tp_advance(p, t + 10);
		seg_init(p, &sg, 101, in.seq + in.len, TH_ACK);
		sg.has_ts = true;
		sg.tsval = 200 + round;
		sg.tsecr = round == 4 ? first_ts : sent_ts;
		if (round == 2) {
			sg.nsack = 1;
			sg.sack[0][0] = in.seq;
			sg.sack[0][1] = in.seq + in.len;
		}
		tp_send(p, &sg);
		CHECK_EQ(p->tcp->stats->spurious_rtos, round);
		CHECK_EQ(!!(pcb->flags & TCPF_PEER_DSACK), round >= 2);
		CHECK(tcp_seq_before(sg.tsecr + rto + 10, tcp_ts_now(pcb)) ==
		      (round == 4));
		if (round < 3) {
			CHECK_EQ(pcb->srtt_x8, srtt);
			CHECK_EQ(pcb->rto, rto);
			continue;
		}
		/* Lifted to rto + 10, then that sample: the same. */
		CHECK_EQ(pcb->srtt_x8, 8 * (rto + 10));
		CHECK(pcb->rto > 2 * (rto + 10));
	}
	CHECK_EQ(p->tcp->stats->timeouts, 4);
	CHECK(tp_fini(p));
}

enum late_dsack {
	LATE_DSACK_LIFTS, LATE_DSACK_ABOVE, LATE_DSACK_BELOW,
	LATE_DSACK_AFTER_RTO, LATE_DSACK_TWO_RTOS,
};

/*
 * A spurious timeout proved by a late ACK (it echoes the original's
 * TSval) from a peer not yet known to send D-SACKs: no lift then.  The
 * D-SACK of the retransmission comes 5 ticks after, while the next
 * segment is in flight.  LATE_DSACK_LIFTS: the estimate is lifted only
 * then (RFC 3708's finding), and that segment's timer runs on the new
 * RTO.  None lifts when the D-SACK reports data above the proving ACK
 * (LATE_DSACK_ABOVE; nor does a right one after it: the first decides)
 * or below what the timeout sent again (LATE_DSACK_BELOW), comes after
 * the next segment timed out (LATE_DSACK_AFTER_RTO), or when two
 * timeouts came before the proving ACK (LATE_DSACK_TWO_RTOS: the ACK
 * may answer the first retransmission, the D-SACK the second).
 */
static void late_dsack(enum late_dsack how)
{
	struct ixdp_iov iov = { pdata, 1000 };
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	u32 sent_ts, rto, srtt, first, una;
	struct tseg sg, in;
	u64 t;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	tp_advance(p, 100);
	/* A round trip of 10 ticks sets the estimate. */
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	CHECK(tp_pop(p, &in) && in.has_ts);
	ts_flush(&p->t);
	tp_advance(p, p->t.s.now + 10);
	seg_init(p, &sg, 101, in.seq + in.len, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 200;
	sg.tsecr = in.tsval;
	tp_send(p, &sg);
	/* The next segment times out... */
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	CHECK(tp_pop(p, &in) && in.has_ts);
	first = in.seq;
	sent_ts = in.tsval;
	ts_flush(&p->t);
	srtt = pcb->srtt_x8;
	rto = pcb->rto;
	t = p->t.s.now + rto;
	tp_advance(p, t);
	CHECK(tp_pop(p, &in) && in.seq == first);
	ts_flush(&p->t);
	if (how == LATE_DSACK_TWO_RTOS) {
		t += 2 * rto;
		tp_advance(p, t);
		CHECK(tp_pop(p, &in) && in.seq == first);
		ts_flush(&p->t);
	}
	/* ...and its late ACK, 10 ticks on, echoes the original. */
	tp_advance(p, t + 10);
	una = first + 1000;
	seg_init(p, &sg, 101, una, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 300;
	sg.tsecr = sent_ts;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->spurious_rtos, 1);
	CHECK(!(pcb->flags & TCPF_PEER_DSACK));
	CHECK_EQ(pcb->srtt_x8, srtt);
	CHECK_EQ(pcb->rto, rto);
	/* The next segment goes out on the old RTO. */
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 1000);
	CHECK(tp_pop(p, &in) && in.seq == una);
	ts_flush(&p->t);
	if (how == LATE_DSACK_AFTER_RTO) {
		tp_advance(p, p->t.s.now + rto);
		CHECK(tp_pop(p, &in) && in.seq == una);
		ts_flush(&p->t);
		CHECK_EQ(p->tcp->stats->timeouts, 2);
	}
	/* The D-SACK of the retransmission, 5 ticks on. */
	tp_advance(p, p->t.s.now + 5);
	seg_init(p, &sg, 101, una, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 310;
	sg.tsecr = sent_ts;
	sg.nsack = 1;
	sg.sack[0][0] = first;
	sg.sack[0][1] = una;
	if (how == LATE_DSACK_BELOW) {
		sg.sack[0][0] = first - 1000;
		sg.sack[0][1] = first;
	} else if (how == LATE_DSACK_ABOVE) {
		/* Above the ACK only as the first of two blocks (RFC 2883). */
		sg.nsack = 2;
		sg.sack[0][0] = una;
		sg.sack[0][1] = una + 1000;
		sg.sack[1][0] = una;
		sg.sack[1][1] = una + 1000;
	}
	tp_send(p, &sg);
	CHECK(pcb->flags & TCPF_PEER_DSACK);
	if (how == LATE_DSACK_ABOVE) {
		/* The right one, after: the first D-SACK decided. */
		sg.nsack = 1;
		sg.sack[0][0] = first;
		sg.sack[0][1] = una;
		tp_send(p, &sg);
	}
	if (how != LATE_DSACK_LIFTS) {
		CHECK_EQ(p->tcp->stats->late_lifts, 0);
		CHECK(how == LATE_DSACK_AFTER_RTO || pcb->srtt_x8 == srtt);
		CHECK(tp_fini(p));
		return;
	}
	CHECK_EQ(p->tcp->stats->late_lifts, 1);
	/* Lifted to rto + 10, then that sample: the same. */
	CHECK_EQ(pcb->srtt_x8, 8 * (rto + 10));
	CHECK(pcb->rto > 2 * (rto + 10));
	/* The old RTO passes with no timeout: the timer moved on. */
	tp_advance(p, p->t.s.now + rto);
	CHECK(!tp_pop(p, &in));
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, spurious_timeout_lifted_by_a_later_dsack)
{
	late_dsack(LATE_DSACK_LIFTS);
}

IX_TEST(tcp_state, late_dsack_above_the_proving_ack_lifts_nothing)
{
	late_dsack(LATE_DSACK_ABOVE);
}

IX_TEST(tcp_state, late_dsack_below_the_retransmission_lifts_nothing)
{
	late_dsack(LATE_DSACK_BELOW);
}

IX_TEST(tcp_state, late_dsack_after_a_new_timeout_lifts_nothing)
{
	late_dsack(LATE_DSACK_AFTER_RTO);
}

IX_TEST(tcp_state, late_dsack_after_two_timeouts_lifts_nothing)
{
	late_dsack(LATE_DSACK_TWO_RTOS);
}

/*
 * A timeout in fast recovery keeps nothing to undo: a loss was found, and
 * the window is inflated; an ACK that echoes an old TSval then gives
 * back no window.
 */
IX_TEST(tcp_state, timeout_in_recovery_is_not_undone)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;
	u32 base;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb = pcb_of(p, p->srv[0].h);
	pcb->mss = 536;
	tp_advance(p, 100);
	CHECK(send_segs(p, 10, 10 * 536));
	base = p->iss + 1;
	/* The first sets the window; three duplicates follow. */
	for (i = 0; i < 4; i++) {
		seg_init(p, &sg, 101, base, TH_ACK);
		sg.has_ts = true;
		sg.tsval = 300;
		sg.tsecr = 100;
		sg.win = 512;
		tp_send(p, &sg);
	}
	CHECK(pcb->flags & TCPF_RECOVERY);
	CHECK(tp_pop(p, &in) && in.seq == base);
	ts_flush(&p->t);
	tp_advance(p, p->t.s.now + pcb->rto);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK(!(pcb->flags & TCPF_UNDO));
	ts_flush(&p->t);
	seg_init(p, &sg, 101, base + 536, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 301;
	sg.tsecr = 100;
	sg.win = 512;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->spurious_rtos, 0);
	CHECK(pcb->cwnd <= 2 * 536);
	CHECK(tp_fini(p));
}

/*
 * An RTO whose retransmission the device refused is tried again half a
 * second later, not at the RTO doubled; and a device that refuses for
 * rto_max ends the connection as timeouts would.
 */
IX_TEST(tcp_state, refused_retransmission_goes_again)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg in;
	u32 half, max;
	u64 t;

	pcb = tp_sent_1000(p);
	CHECK(pcb);
	half = p->t.s.cfg.hz / 2;
	max = p->tcp->cfg.rto_max;
	p->t.xmit_ret = -ENOSPC;
	tp_advance(p, 1000);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK_EQ(pcb->backoff, 1);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1000 + half);
	CHECK_EQ(tp_ntx(p), 0);
	p->t.xmit_ret = 0;
	tp_advance(p, 1000 + 2 * half);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 && in.len == 536);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK_EQ(pcb->backoff, 1);
	/* Now the RTO, doubled once, from when it went. */
	tp_advance(p, 1000 + 2 * half + 1999);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1000 + 2 * half + 2000);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1);
	CHECK_EQ(p->tcp->stats->timeouts, 2);

	/* Refused from here on: the connection ends rto_max later. */
	p->t.xmit_ret = -ENOSPC;
	t = 1000 + 2 * half + 2000;
	while (!p->srv[0].dead && t < 10ULL * max) {
		tp_arp(p);
		ts_flush(&p->t);
		t += half / 2;
		tp_advance(p, t);
	}
	/* The RTO at 8000 (doubled twice) was the first refusal. */
	CHECK(p->srv[0].dead && p->srv[0].dead_reason == -ETIMEDOUT);
	CHECK(t >= 8000 + max && t <= 8000 + max + half);
	CHECK_EQ(p->tcp->stats->timeouts, 3);
	p->t.xmit_ret = 0;
	CHECK(tp_fini(p));
}

/*
 * The RTO restarts from each new ACK (RFC 6298 5.3) although the wheel
 * keeps the earlier timer, and once all is acknowledged nothing fires.
 */
IX_TEST(tcp_state, rto_restarts_from_each_new_ack)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	struct tseg in;
	u64 due;

	pcb = tp_sent_1000(p);
	CHECK(pcb);
	tp_advance(p, 500);
	peer_ack(p, 536);
	CHECK_EQ(tp_ntx(p), 0);
	due = 500 + ixdp_tcp_rto(pcb);
	CHECK(due > 1000);
	tp_advance(p, 1000);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, due - 1);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->timeouts, 0);
	tp_advance(p, due);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 536 && in.len == 464);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	peer_ack(p, 1000);
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, due + 60000);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(p->tcp->stats->timeouts, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, paws_drops_old_timestamps)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 50;				/* older than 101 */
	seg_data(p, &sg, 0, 100);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 0);
	CHECK_EQ(p->tcp->stats->paws_drops, 1);
	CHECK(tp_pop(p, &in) && in.ack == 101 && in.tsecr == 101);
	sg.tsval = 150;
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 100);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, malformed_segments_dropped_connection_lives)
{
	static const uint8_t bad[] = { 1, 1, 8, 0 };
	static const uint8_t past[] = { 1, 1, 5, 12 };
	struct tpeer *p = &tp;
	struct tseg sg;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	seg_data(p, &sg, 0, 10);
	sg.raw_opts = bad;
	sg.raw_olen = 4;
	tp_send(p, &sg);
	sg.raw_opts = past;
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->malformed, 2);
	CHECK_EQ(p->srv[0].rx_len, 0);
	sg.raw_opts = NULL;
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 10);
	CHECK_EQ(ts_drops(&p->t, IXDP_DROP_TCP_MALFORMED), 2);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, closed_port_still_reset_with_tcp_up)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, &p->app));
	seg_init(p, &sg, 1000, 0, TH_SYN);
	sg.dport = 81;
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == (TH_RST | TH_ACK) &&
	      in.ack == 1001);
	/* A stray ACK to the listener gets <SEQ=SEG.ACK><CTL=RST>. */
	seg_init(p, &sg, 1000, 4242, TH_ACK);
	sg.dport = SRV_PORT;
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == TH_RST && in.seq == 4242);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

static void ts_flush_one(struct tpeer *p)
{
	ixdp_buf_put(ts_pop(&p->t));
}

IX_TEST(tcp_state, window_closes_and_recv_done_reopens)
{
	struct ixdp_tcp_config cfg = { .rcv_buf = 2048 };
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;

	CHECK(!tp_init(p, &cfg));
	CHECK(tp_open_passive(p, NULL, 100, false));
	p->srv[0].keep_bufs = true;
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	for (i = 0; i < 2; i++) {
		seg_data(p, &sg, i * 1024, 1024);
		tp_send(p, &sg);
	}
	CHECK_EQ(p->srv[0].rx_len, 2048);
	while (tp_ntx(p) > 1)
		ts_flush_one(p);
	CHECK(tp_pop(p, &in) && in.ack == 101 + 2048 && in.win == 0);
	/* Beyond the window: not taken. */
	seg_data(p, &sg, 2048, 100);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 2048);
	CHECK(tp_pop(p, &in) && in.win == 0);
	CHECK(!ixdp_tcp_recv_done(&p->t.s, p->srv[0].h, 1024, 1));
	CHECK(tp_pop(p, &in) && in.win == 1024 && in.ack == 101 + 2048);
	CHECK_EQ(ixdp_tcp_recv_done(&p->t.s, p->srv[0].h, 4096, 0), -EINVAL);
	CHECK_EQ(ixdp_tcp_recv_done(&p->t.s, p->srv[0].h, 0, 2), -EINVAL);
	CHECK(tp_fini(p));
}

static void rx_flagged(struct tpeer *p, const uint8_t *f, size_t len)
{
	struct ixdp_buf *b = ixdp_buf_get(&p->t.pool);

	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, len), f, len);
	b->flags |= IXDP_BUF_CSUM_OK;
	ixdp_eth_rx(&p->t.s, b);
}

IX_TEST(tcp_state, checksum_offload_both_ways)
{
	struct tpeer *p = &tp;
	struct ixdp_buf *b;
	uint8_t f[128];
	const uint8_t *th;
	size_t len;

	CHECK(!tp_init_off(p, NULL, IXDP_OFFLOAD_TX_CSUM |
			   IXDP_OFFLOAD_RX_CSUM));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, &p->app));
	/* A bad checksum the device vouched for is taken. */
	len = mk_tcp(f, PEER_IP, PEER_PORT, SRV_PORT, 1000, 0, TH_SYN, 0);
	f[34 + 16] ^= 0x55;
	rx_flagged(p, f, len);
	CHECK_EQ(tp_ntx(p), 1);
	b = p->t.tx[0];
	CHECK(b->flags & IXDP_BUF_CSUM_PARTIAL);
	th = bdata(b) + 34;
	len = get16(bdata(b) + 16) - 20;
	/* The field holds the pseudo-header sum, for the device to finish. */
	CHECK_EQ(get16(th + 16), ref_sum((const uint8_t[]){ 0 }, 0,
					 ref_pseudo(US_IP, PEER_IP, 6, len)));
	ts_flush(&p->t);
	/* Without the flag, the same segment is dropped. */
	ts_rx(&p->t, f, 54);
	CHECK_EQ(p->tcp->stats->bad_csum, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, tiny_peer_mss_clamped)
{
	struct tpeer *p = &tp;
	struct ixdp_iov iov = { pdata, 1000 };
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h));
	CHECK(tp_pop(p, &in));
	p->lport = in.sport;
	p->iss = in.seq;
	seg_init(p, &sg, 500, in.seq + 1, TH_SYN | TH_ACK);
	sg.has_mss = true;
	sg.mss = 1;
	tp_send(p, &sg);
	CHECK_EQ(p->cli.connected, 1);
	CHECK_EQ(pcb_of(p, p->cli.h)->mss, IXDP_TCP_MIN_MSS);
	ts_flush(&p->t);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->cli.h, &iov, 1), 1000);
	CHECK(tp_pop(p, &in) && in.len == IXDP_TCP_MIN_MSS);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, ooo_queue_bounded)
{
	struct tpeer *p = &tp;
	struct tseg sg;
	unsigned int i;

	tp_nbufs = IXDP_TCP_OOO_MAX + 64;
	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .rcv_buf = 1 << 20 }));
	tp_nbufs = 256;
	CHECK(tp_open_passive(p, NULL, 100, false));
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK);
	/* Every other 10-byte piece from 20 on: all out of order. */
	for (i = 0; i < IXDP_TCP_OOO_MAX + 10 && p->t.pool.avail > 8; i++) {
		seg_data(p, &sg, 20 + 20 * i, 10);
		tp_send(p, &sg);
		ts_flush(&p->t);
	}
	CHECK_EQ(i, IXDP_TCP_OOO_MAX + 10);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->ooo_n, IXDP_TCP_OOO_MAX);
	CHECK_EQ(p->tcp->stats->ooo_dropped, 10);
	CHECK_EQ(p->srv[0].rx_len, 0);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, limited_transmit_on_first_dupacks)
{
	struct ixdp_iov iov = { pdata, 6 * 536 };
	struct tpeer *p = &tp;
	struct tseg in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	pcb_of(p, p->srv[0].h)->cwnd = 3 * 536;
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 6 * 536);
	CHECK_EQ(tp_ntx(p), 3);
	ts_flush(&p->t);
	peer_ack(p, 0);				/* first duplicate */
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 3 * 536);
	CHECK_EQ(tp_ntx(p), 0);
	peer_ack(p, 0);				/* second */
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 4 * 536);
	CHECK_EQ(tp_ntx(p), 0);
	peer_ack(p, 0);				/* third: fast retransmit */
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1);
	CHECK_EQ(p->tcp->stats->fast_rexmits, 1);
	CHECK(tp_fini(p));
}

/* A duplicate ACK of @base SACKing [base + 536, @end). */
static void peer_sack(struct tpeer *p, u32 base, u32 end)
{
	struct tseg sg;

	seg_init(p, &sg, 101, base, TH_ACK);
	sg.win = 512;
	sg.has_ts = true;
	sg.tsval = 300;
	sg.nsack = 1;
	sg.sack[0][0] = base + 536;
	sg.sack[0][1] = end;
	tp_send(p, &sg);
}

IX_TEST(tcp_state, sack_shows_retransmission_lost_again)
{
	struct ixdp_iov iov = { pdata, 10 * 536 };
	struct tpeer *p = &tp;
	unsigned int i, n;
	bool new_data = false;
	struct tseg in;
	u32 base;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	pcb_of(p, p->srv[0].h)->mss = 536;
	CHECK(send_segs(p, 10, 10 * 536));
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 10 * 536);
	CHECK_EQ(tp_ntx(p), 0);
	base = p->iss + 1;
	/* Limited transmit sends 10 and 11, the third dupack base again. */
	for (i = 0, n = 0; i < 3; i++)
		peer_sack(p, base, base + 10 * 536);
	while (tp_pop(p, &in))
		n += in.seq == base;
	CHECK_EQ(n, 1);
	/* Inflation lets new data go; the peer SACKs it, not base. */
	for (i = 0; i < 8 && !new_data; i++) {
		peer_sack(p, base, base + 10 * 536);
		while (tp_pop(p, &in))
			new_data |= in.seq == base + 12 * 536;
	}
	CHECK(new_data);
	CHECK_EQ(p->tcp->stats->lost_rexmits, 0);
	peer_sack(p, base, base + 13 * 536);
	for (n = 0; tp_pop(p, &in);)
		n += in.seq == base;
	CHECK_EQ(n, 1);
	CHECK_EQ(p->tcp->stats->lost_rexmits, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_state, unlisten_resets_unaccepted)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, &p->app));
	seg_init(p, &sg, 1000, 0, TH_SYN);
	sg.dport = SRV_PORT;
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == (TH_SYN | TH_ACK));
	CHECK_EQ(p->tcp->nused, 1);
	CHECK(!ixdp_tcp_unlisten(&p->t.s, cpu_to_be16(SRV_PORT)));
	CHECK_EQ(ixdp_tcp_unlisten(&p->t.s, cpu_to_be16(SRV_PORT)), -ENOENT);
	CHECK(tp_pop(p, &in) && in.flags & TH_RST);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/* Accept the knocked connection the way ev_knock() does. */
static void accept_late(struct tpeer *p)
{
	struct conn *c = &p->srv[0];

	memset(c, 0, sizeof(*c));
	c->s = &p->t.s;
	c->h = p->app.last_knock;
	c->connected = 1;
	c->seed = p->app.srv_seed;
	p->app.naccepted = 1;
	CHECK(!ixdp_tcp_accept(&p->t.s, c->h, c));
}

/*
 * A request that follows the handshake before the application accepts
 * is acknowledged and held, and so is the FIN; the accept hands both
 * over as recv events.  Before, both were dropped: the request waited
 * for a retransmission and the FIN left the connection in CLOSE_WAIT
 * with no event.
 */
IX_TEST(tcp_state, data_and_fin_before_accept_handed_over)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 ack = 0;

	CHECK(!tp_init(p, NULL));
	p->app.no_accept = true;
	tp_open_passive(p, NULL, 100, false);
	CHECK_EQ(p->app.nknock, 1);
	CHECK_EQ(p->app.naccepted, 0);
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK | TH_PSH);
	seg_data(p, &sg, 0, 300);
	tp_send(p, &sg);
	seg_init(p, &sg, 0, p->iss + 1, TH_ACK | TH_FIN);
	seg_data(p, &sg, 300, 200);
	tp_send(p, &sg);
	/* Both taken: the FIN's ACK covers all 500 bytes and the FIN. */
	while (tp_pop(p, &in))
		ack = in.ack;
	CHECK_EQ(ack, 100 + 1 + 500 + 1);
	CHECK_EQ(p->tcp->stats->early_held, 2);
	accept_late(p);
	CHECK_EQ(p->srv[0].rx_len, 500);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK(p->srv[0].fin);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->state, IXDP_TCP_CLOSE_WAIT);
	CHECK(tp_fini(p));
}

/*
 * Before the accept IXDP_TCP_EARLY_MAX buffers are held at most: a
 * fifth segment is dropped unacknowledged and counted; a reject puts
 * the held ones back (tp_fini() checks every buffer came home).
 */
IX_TEST(tcp_state, early_queue_bounded)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int i;
	u32 ack = 0;

	CHECK(!tp_init(p, NULL));
	p->app.no_accept = true;
	tp_open_passive(p, NULL, 100, false);
	for (i = 0; i < IXDP_TCP_EARLY_MAX + 1; i++) {
		seg_init(p, &sg, 0, p->iss + 1, TH_ACK | TH_PSH);
		seg_data(p, &sg, i * 10, 10);
		tp_send(p, &sg);
	}
	while (tp_pop(p, &in))
		ack = in.ack;
	CHECK_EQ(ack, 100 + 1 + IXDP_TCP_EARLY_MAX * 10);
	CHECK_EQ(p->tcp->stats->early_held, IXDP_TCP_EARLY_MAX);
	CHECK_EQ(p->tcp->stats->early_dropped, 1);
	CHECK(!ixdp_tcp_reject(&p->t.s, p->app.last_knock));
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/* A SYN from @sport to @dport; true if a SYN-ACK answered. */
static bool syn_to(struct tpeer *p, u16 sport, u16 dport)
{
	struct tseg sg, in;

	seg_init(p, &sg, 1000, 0, TH_SYN);
	sg.sport = sport;
	sg.dport = dport;
	tp_send(p, &sg);
	return tp_pop(p, &in) && in.flags == (TH_SYN | TH_ACK);
}

/*
 * UNLISTEN resets its own listener's connections and no other's, through
 * each listener's list of waiting PCBs; the slot is then free again.
 */
IX_TEST(tcp_state, unlisten_resets_only_its_own)
{
	struct tpeer *p = &tp;
	struct tseg in;
	unsigned int rst = 0;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 4, &p->app));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT + 1), 4,
			       &p->app));
	CHECK(syn_to(p, 1000, SRV_PORT));
	CHECK(syn_to(p, 1001, SRV_PORT + 1));
	CHECK(syn_to(p, 1002, SRV_PORT));
	CHECK_EQ(p->tcp->lsn[0].pending, 2);
	CHECK_EQ(p->tcp->lsn[1].pending, 1);
	CHECK_EQ(p->tcp->nused, 3);
	CHECK(!ixdp_tcp_unlisten(&p->t.s, cpu_to_be16(SRV_PORT)));
	while (tp_pop(p, &in))
		rst += !!(in.flags & TH_RST);
	CHECK_EQ(rst, 2);
	CHECK_EQ(p->tcp->nused, 1);
	CHECK_EQ(p->tcp->lsn[1].pending, 1);
	/* The slot is free: listen again, and the old list is empty. */
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT + 2), 4,
			       &p->app));
	CHECK(syn_to(p, 1003, SRV_PORT + 2));
	CHECK_EQ(p->tcp->lsn[0].pending, 1);
	CHECK(!ixdp_tcp_unlisten(&p->t.s, cpu_to_be16(SRV_PORT + 1)));
	CHECK_EQ(p->tcp->nused, 1);
	CHECK(!ixdp_tcp_unlisten(&p->t.s, cpu_to_be16(SRV_PORT + 2)));
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(tp_fini(p));
}

/* Send 100 bytes on the server connection; check the one frame sent. */
static bool tpl_send(struct tpeer *p, const uint8_t *mac, uint16_t *id)
{
	struct ixdp_iov iov = { pdata, 100 };
	struct ixdp_buf *b;
	bool ok;

	if (ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) != 100)
		return false;
	b = ts_pop(&p->t);
	ok = b && ip_frame_ok(b) && l4_csum_ok(b) &&
	     !memcmp(bdata(b), mac, 6) && !memcmp(bdata(b) + 6, us_mac, 6) &&
	     get16(bdata(b) + 12) == 0x0800 && tp_ntx(p) == 0;
	if (ok && id)
		*id = get16(bdata(b) + 18);
	ixdp_buf_put(b);
	return ok;
}

/*
 * Segments carry prebuilt headers (struct ixdp_ip_tpl): a new MAC for the
 * peer, from an ARP reply or a gratuitous ARP, takes effect at once, and
 * the IPv4 IDs run on as without the template.
 */
IX_TEST(tcp_state, headers_follow_peer_mac_changes)
{
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	static const uint8_t again[6] = { 0x02, 0, 0, 0, 0, 0x44 };
	static const uint8_t zero[6];
	struct tpeer *p = &tp;
	uint16_t id0, id1, id2;
	uint8_t f[64];

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	ts_flush(&p->t);
	CHECK(tpl_send(p, peer_mac, &id0));
	peer_ack(p, 100);
	/* A neighbour moves once a second at most (arp.c's locktime). */
	tp_advance(p, p->t.s.now + TS_HZ);
	mk_arp(f, bcast_mac, 1, moved, PEER_IP, zero, PEER_IP);
	ts_rx(&p->t, f, 42);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(tpl_send(p, moved, &id1));
	CHECK_EQ((uint16_t)(id0 + 1), id1);
	peer_ack(p, 200);
	tp_advance(p, p->t.s.now + TS_HZ);
	mk_arp(f, us_mac, 2, again, PEER_IP, us_mac, US_IP);
	ts_rx(&p->t, f, 42);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(tpl_send(p, again, &id2));
	CHECK_EQ((uint16_t)(id1 + 1), id2);
	CHECK(tp_fini(p));
}

/*
 * Once the peer's ARP entry is forgotten (its confirming requests went
 * unanswered), a segment waits for a new answer instead of going to the
 * MAC the headers were built with; an answer from a new MAC is used.
 */
IX_TEST(tcp_state, headers_stale_after_arp_expiry)
{
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	struct ixdp_iov iov = { pdata, 100 };
	struct tpeer *p = &tp;
	struct ixdp_buf *b;
	uint8_t f[64];
	u64 t;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	ts_flush(&p->t);
	CHECK(tpl_send(p, peer_mac, NULL));
	peer_ack(p, 100);
	/* Unanswered confirmations (no tp_advance(), which answers them). */
	t = IXDP_ARP_REACHABLE_S * TS_HZ;
	ixdp_stack_advance(&p->t.s, t);
	ixdp_stack_advance(&p->t.s, t + TS_HZ);
	ixdp_stack_advance(&p->t.s, t + 2 * TS_HZ);
	CHECK(ixdp_arp_lookup(&p->t.s, cpu_to_be32(PEER_IP)));
	ixdp_stack_advance(&p->t.s, t + 3 * TS_HZ);
	CHECK(!ixdp_arp_lookup(&p->t.s, cpu_to_be32(PEER_IP)));
	ts_flush(&p->t);
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 100);
	b = ts_pop(&p->t);
	CHECK(b && get16(bdata(b) + 12) == 0x0806);
	ixdp_buf_put(b);
	CHECK_EQ(tp_ntx(p), 0);
	mk_arp(f, us_mac, 2, moved, PEER_IP, us_mac, US_IP);
	ts_rx(&p->t, f, 42);
	b = ts_pop(&p->t);
	CHECK(b && ip_frame_ok(b) && !memcmp(bdata(b), moved, 6));
	ixdp_buf_put(b);
	peer_ack(p, 200);
	CHECK(tpl_send(p, moved, NULL));
	CHECK(tp_fini(p));
}

/*
 * The PCB found last is tried first: once freed, a segment of its 4-tuple
 * finds a closed port (RST), and a new SYN of it the listener.
 */
IX_TEST(tcp_state, freed_pcb_not_found_again)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	CHECK(!ixdp_tcp_abort(&p->t.s, p->srv[0].h));
	CHECK_EQ(p->tcp->nused, 0);
	ts_flush(&p->t);
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	tp_send(p, &sg);
	CHECK_EQ(ts_drops(&p->t, IXDP_DROP_TCP_CLOSED), 1);
	CHECK(tp_pop(p, &in) && in.flags == TH_RST && in.seq == p->iss + 1);
	seg_init(p, &sg, 5000, 0, TH_SYN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == (TH_SYN | TH_ACK) &&
	      in.ack == 5001);
	CHECK_EQ(p->tcp->nused, 1);
	CHECK(tp_fini(p));
}
