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
