// SPDX-License-Identifier: GPL-2.0
/*
 * The sender against a hostile peer (issue 16): what it sends, and
 * when, as the peer's window and ACKs misbehave.  One ixdp stack with
 * TCP and a peer written in the test (tcp_util.c); times are in ticks of
 * 1 ms, the RTO starts at 1 s and backs off to at most 60 s.
 */

#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;
static uint8_t sdata[8192];

static struct ixdp_tcp_pcb *pcb_of(struct tpeer *p)
{
	return &p->tcp->pcbs[p->srv[0].h & 0xffff];
}

/* An ACK from the peer of our stream up to @ack, offering @win. */
static void peer_win(struct tpeer *p, u32 ack, u16 win)
{
	struct tseg sg;

	memset(&sg, 0, sizeof(sg));
	sg.sport = PEER_PORT;
	sg.dport = p->lport;
	sg.seq = 101;
	sg.ack = ack;
	sg.flags = TH_ACK;
	sg.win = win;
	tp_send(p, &sg);
}

/* Accept a connection from the peer: MSS 536, no options. */
static bool open_conn(struct tpeer *p)
{
	return !tp_init(p, NULL) && tp_open_passive(p, NULL, 100, false);
}

/* The application queues @len bytes of sdata from @off. */
static bool queue(struct tpeer *p, u32 off, u32 len)
{
	struct ixdp_iov iov = { sdata + off, len };

	return ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1) == (int)len;
}

/*
 * Let time run in steps of 100 ticks, the peer's ARP entry kept fresh,
 * until the stack sends something or @limit; false at @limit.
 */
static bool wait_tx(struct tpeer *p, u64 *now, u64 limit)
{
	while (*now < limit) {
		*now += 100;
		tp_arp(p);
		tp_advance(p, *now);
		if (tp_ntx(p))
			return true;
	}
	return false;
}

/*
 * The peer acknowledges all it is sent, @hi bytes of the stream at least,
 * until all @len are.
 */
static bool drain(struct tpeer *p, u32 hi, u32 len)
{
	unsigned int round;
	struct tseg in;

	for (round = 0; round < 100 && p->srv[0].tx_acked < len; round++) {
		while (tp_pop(p, &in))
			if (in.len && in.seq + in.len - p->iss - 1 > hi)
				hi = in.seq + in.len - p->iss - 1;
		peer_win(p, p->iss + 1 + hi, 65535);
	}
	return p->srv[0].tx_acked == len && !p->srv[0].dead;
}

/*
 * 8: the window closes with data in flight.  The RTO probes it, and the
 * persist timer goes on probing at backed-off intervals (at most 60 s)
 * for as long as the peer answers: 20 minutes here, past the 15
 * unanswered probes that would end it.  Then the window opens and the
 * rest flows.
 */
IX_TEST(tcp_send, rto_into_zero_window_probes_while_answered)
{
	u64 now = 0, last = 0, gap = 0;
	struct tpeer *p = &tp;
	unsigned int probes = 0;
	struct tseg in;
	u32 una;

	CHECK(open_conn(p) && queue(p, 0, 3000));
	CHECK_EQ(ts_flush(&p->t), 4);		/* the initial window */
	una = p->iss + 1 + 536;
	peer_win(p, una, 0);			/* the rest is dropped */
	CHECK_EQ(tp_ntx(p), 0);
	while (wait_tx(p, &now, 20 * 60 * 1000)) {
		CHECK(tp_pop(p, &in) && in.seq == una && in.len == 1);
		CHECK_EQ(tp_ntx(p), 0);
		CHECK(now - last >= gap && now - last <= 60000);
		gap = now - last;
		last = now;
		probes++;
		peer_win(p, una, 0);		/* still closed */
	}
	CHECK(!p->srv[0].dead);
	CHECK_EQ(gap, 60000);
	CHECK(probes > IXDP_TCP_MAX_RETRIES + 1);
	CHECK_EQ(p->tcp->stats->probes, probes);
	CHECK_EQ(p->tcp->stats->persist_drops, 0);
	peer_win(p, una, 65535);		/* opens */
	CHECK(tp_pop(p, &in) && in.seq == una && in.len == 536);
	CHECK(drain(p, 2 * 536, 3000));
	CHECK(tp_fini(p));
}

/*
 * 8: the window is smaller than a segment when the RTO fires: what fits
 * goes, at once and after each ACK.
 */
IX_TEST(tcp_send, rto_into_small_window_sends_what_fits)
{
	struct tpeer *p = &tp;
	struct tseg in;
	u64 now = 0;
	u32 una;

	CHECK(open_conn(p) && queue(p, 0, 3000));
	CHECK_EQ(ts_flush(&p->t), 4);
	una = p->iss + 1 + 536;
	peer_win(p, una, 100);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK(wait_tx(p, &now, 1000));
	CHECK_EQ(now, 1000);
	CHECK(tp_pop(p, &in) && in.seq == una && in.len == 100);
	CHECK_EQ(tp_ntx(p), 0);
	peer_win(p, una + 100, 100);
	CHECK(tp_pop(p, &in) && in.seq == una + 100 && in.len == 100);
	CHECK_EQ(tp_ntx(p), 0);
	peer_win(p, una + 200, 65535);
	CHECK(drain(p, 536 + 200, 3000));
	CHECK(tp_fini(p));
}

/* 8: an RTO with only the FIN outstanding resends it, window or not. */
IX_TEST(tcp_send, rto_of_fin_into_zero_window_resends_fin)
{
	struct tpeer *p = &tp;
	struct tseg in;
	u64 now = 0;

	CHECK(open_conn(p) && queue(p, 0, 100));
	CHECK(!ixdp_tcp_close(&p->t.s, p->srv[0].h));
	CHECK(tp_pop(p, &in) && in.len == 100);
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 100 && in.flags & TH_FIN);
	peer_win(p, p->iss + 1 + 100, 0);	/* the data, not the FIN */
	CHECK(wait_tx(p, &now, 1000));
	CHECK(tp_pop(p, &in) && in.seq == p->iss + 1 + 100 && !in.len);
	CHECK(in.flags & TH_FIN);
	peer_win(p, p->iss + 1 + 101, 0);
	CHECK(!p->srv[0].dead);
	CHECK(tp_fini(p));
}

/*
 * 8: a peer that closes its window and then answers nothing: after
 * IXDP_TCP_MAX_RETRIES probes the connection ends with -ETIMEDOUT, a RST
 * and a count, in about 11 minutes (60 s at most between probes).
 */
IX_TEST(tcp_send, persist_gives_up_on_unanswered_probes)
{
	struct tpeer *p = &tp;
	unsigned int probes = 0;
	struct tseg in;
	u64 now = 0;

	CHECK(open_conn(p));
	peer_win(p, p->iss + 1, 0);
	CHECK(queue(p, 0, 1000));
	CHECK_EQ(tp_ntx(p), 0);
	while (!p->srv[0].dead && wait_tx(p, &now, 30 * 60 * 1000)) {
		CHECK(tp_pop(p, &in) && in.seq == p->iss + 1);
		if (in.flags & TH_RST)
			break;
		CHECK_EQ(in.len, 1);
		probes++;
	}
	CHECK(p->srv[0].dead);
	CHECK_EQ(p->srv[0].dead_reason, -ETIMEDOUT);
	CHECK(in.flags & TH_RST);
	CHECK_EQ(probes, IXDP_TCP_MAX_RETRIES);
	CHECK(now > 10 * 60 * 1000 && now < 12 * 60 * 1000);
	CHECK_EQ(p->tcp->stats->persist_drops, 1);
	CHECK(tp_fini(p));
}

/*
 * 11: a partial ACK in recovery retransmits from the new snd_una.  The
 * data beyond snd_max was never sent, nor was the FIN, and the peer's
 * window has just shrunk: the retransmission stops at snd_max and at the
 * window, and carries no FIN.
 */
IX_TEST(tcp_send, retransmit_within_snd_max_and_window)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	unsigned int i;
	struct tseg in;
	u32 una;

	CHECK(open_conn(p));
	pcb = pcb_of(p);
	una = p->iss + 1;
	peer_win(p, una, 700);
	CHECK(queue(p, 0, 700));
	CHECK(tp_pop(p, &in) && in.seq == una && in.len == 536);
	CHECK(tp_pop(p, &in) && in.seq == una + 536 && in.len == 164);
	CHECK(queue(p, 700, 300));
	CHECK(!ixdp_tcp_close(&p->t.s, p->srv[0].h));
	CHECK_EQ(tp_ntx(p), 0);			/* the window is full */
	CHECK_EQ(pcb->snd_max, una + 700);
	for (i = 0; i < 3; i++)
		peer_win(p, una, 700);
	CHECK(tp_pop(p, &in) && in.seq == una && in.len == 536);
	CHECK_EQ(p->tcp->stats->fast_rexmits, 1);
	CHECK_EQ(tp_ntx(p), 0);
	peer_win(p, una + 536, 200);		/* partial, and shrinks */
	CHECK_EQ(p->tcp->stats->partial_acks, 1);
	CHECK(tp_pop(p, &in) && in.seq == una + 536);
	CHECK(in.seq + in.len - una <= 700);	/* snd_max */
	CHECK(in.seq + in.len - una <= 536 + 200);	/* the window */
	CHECK(!(in.flags & TH_FIN));
	CHECK_EQ(in.len, 164);
	CHECK_EQ(tp_ntx(p), 0);
	CHECK_EQ(pcb->snd_max, una + 700);
	CHECK(tp_fini(p));
}

/*
 * 10: after an idle period longer than the RTO the window restarts from
 * the initial window (RFC 5681 4.1); within the RTO it does not.
 */
IX_TEST(tcp_send, cwnd_restarts_after_idle)
{
	struct ixdp_tcp_pcb *pcb;
	struct tpeer *p = &tp;
	u32 acked = 0;
	u64 now;

	CHECK(open_conn(p));
	pcb = pcb_of(p);
	pcb->cwnd = 10 * 536;
	CHECK(queue(p, 0, 10 * 536));
	CHECK_EQ(ts_flush(&p->t), 10);
	acked += 10 * 536;
	peer_win(p, p->iss + 1 + acked, 65535);
	CHECK(pcb->cwnd >= 10 * 536);
	now = ixdp_tcp_rto(pcb);		/* idle for the RTO: no restart */
	tp_advance(p, now);
	CHECK(queue(p, 0, 10 * 536));
	CHECK_EQ(ts_flush(&p->t), 10);
	acked += 10 * 536;
	peer_win(p, p->iss + 1 + acked, 65535);
	CHECK_EQ(p->tcp->stats->cwnd_restarts, 0);
	now += ixdp_tcp_rto(pcb) + 1;		/* idle for longer */
	tp_advance(p, now);
	CHECK(queue(p, 0, 10 * 536));
	CHECK_EQ(pcb->cwnd, 4 * 536);		/* min(IW, cwnd) */
	CHECK_EQ(ts_flush(&p->t), 4);
	CHECK_EQ(p->tcp->stats->cwnd_restarts, 1);
	CHECK(tp_fini(p));
}
