// SPDX-License-Identifier: GPL-2.0
/*
 * How long a connection slot lives once the connection is closing: a
 * silent peer in FIN_WAIT_2 is given fin_timeout, TIME_WAIT ignores RSTs
 * (RFC 1337), gives way to a new incarnation's SYN (RFC 6191) and holds
 * half the table at most; what a connection or an application may hold
 * of the buffer pool is bounded.  Times are in ticks of 1 ms.
 */

#include <errno.h>
#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

static struct ixdp_tcp_pcb *pcb_of(struct tpeer *p, u32 h)
{
	return &p->tcp->pcbs[h & 0xffff];
}

/* Our side closes an open connection; the peer ACKs the FIN only. */
static bool to_fin_wait_2(struct tpeer *p, u32 h)
{
	struct tseg sg, in;

	if (ixdp_tcp_close(&p->t.s, h) || !tp_pop(p, &in) ||
	    !(in.flags & TH_FIN))
		return false;
	seg_init(p, &sg, p->piss + 1, in.seq + 1, TH_ACK);
	tp_send(p, &sg);
	return pcb_of(p, h)->state == IXDP_TCP_FIN_WAIT_2;
}

/* ... then sends its FIN: our side is in TIME_WAIT. */
static bool to_time_wait(struct tpeer *p, u32 h, u32 our_next)
{
	struct tseg sg, in;

	if (!to_fin_wait_2(p, h))
		return false;
	seg_init(p, &sg, p->piss + 1, our_next, TH_ACK | TH_FIN);
	tp_send(p, &sg);
	return tp_pop(p, &in) && in.flags == TH_ACK;
}

/*
 * The peer acknowledges our FIN and says nothing more: the slot is
 * reset after fin_timeout, and a peer that still sends data gets
 * fin_timeout more from its last segment.
 */
IX_TEST(tcp_life, fin_wait_2_ends_after_fin_timeout)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	unsigned int rst;
	u64 t0;
	u32 h;

	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .fin_timeout = 1000 }));
	CHECK(tp_open_active(p, NULL, 100, false));
	h = p->cli.h;
	t0 = p->t.s.now;
	CHECK(to_fin_wait_2(p, h));
	/* Data from the peer at +800 restarts the wait. */
	tp_advance(p, t0 + 800);
	seg_init(p, &sg, p->piss + 1, p->iss + 2, TH_ACK);
	sg.data = (const uint8_t *)"0123456789";
	sg.len = 10;
	tp_send(p, &sg);
	while (tp_pop(p, &in))
		;
	tp_advance(p, t0 + 1700);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_FIN_WAIT_2);
	CHECK_EQ(p->tcp->stats->fin_wait2_timeouts, 0);
	tp_advance(p, t0 + 1801);
	rst = 0;
	while (tp_pop(p, &in))
		rst += !!(in.flags & TH_RST);
	CHECK_EQ(rst, 1);
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(p->cli.dead && p->cli.dead_reason == -ETIMEDOUT);
	CHECK_EQ(p->tcp->stats->fin_wait2_timeouts, 1);
	CHECK(tp_fini(p));
}

/* RFC 1337: an RST, even at the exact sequence, does not end TIME_WAIT. */
IX_TEST(tcp_life, time_wait_ignores_rst)
{
	struct tpeer *p = &tp;
	struct tseg sg;
	u32 h;

	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .time_wait = 500 }));
	CHECK(tp_open_active(p, NULL, 100, false));
	h = p->cli.h;
	CHECK(to_time_wait(p, h, p->iss + 2));
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	seg_init(p, &sg, 102, 0, TH_RST);
	tp_send(p, &sg);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	CHECK_EQ(p->tcp->nused, 1);
	CHECK_EQ(p->tcp->stats->tw_rst_ignored, 1);
	CHECK(tp_fini(p));
}

/*
 * The server closed first and holds TIME_WAIT; the client comes back
 * from the same port.  A SYN beyond the old sequence space opens a new
 * connection at once (RFC 1122 4.2.2.13, RFC 6191); an old one does not.
 */
IX_TEST(tcp_life, time_wait_gives_way_to_a_new_syn)
{
	struct tpeer *p = &tp;
	struct tseg sg, in;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	h = p->srv[0].h;
	CHECK(to_time_wait(p, h, p->iss + 2));
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	/* An old SYN (below rcv_nxt 102) does not. */
	seg_init(p, &sg, 50, 0, TH_SYN);
	tp_send(p, &sg);
	while (tp_pop(p, &in))
		CHECK(in.flags != (TH_SYN | TH_ACK));
	CHECK_EQ(p->tcp->stats->tw_reused, 0);
	CHECK_EQ(pcb_of(p, h)->state, IXDP_TCP_TIME_WAIT);
	/* A new one does. */
	seg_init(p, &sg, 500000, 0, TH_SYN);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &in) && in.flags == (TH_SYN | TH_ACK) &&
	      in.ack == 500001);
	CHECK_EQ(p->tcp->stats->tw_reused, 1);
	CHECK_EQ(p->tcp->nused, 1);
	CHECK(tp_fini(p));
}

/*
 * With half the table in TIME_WAIT, a connection closing after the peer
 * goes straight away: the application hears of its end as usual, and
 * the slot is free for the next.
 */
IX_TEST(tcp_life, time_wait_holds_half_the_table_at_most)
{
	struct tpeer *p = &tp;
	u32 h;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_active(p, NULL, 100, false));
	h = p->cli.h;
	/* As if half the table were in TIME_WAIT already. */
	p->tcp->ntw = p->tcp->npcbs / 2;
	CHECK(to_time_wait(p, h, p->iss + 2));
	CHECK_EQ(p->tcp->nused, 0);
	CHECK(p->cli.dead && !p->cli.dead_reason);
	CHECK_EQ(p->tcp->stats->tw_overflow, 1);
	CHECK_EQ(p->tcp->ntw, p->tcp->npcbs / 2);
	p->tcp->ntw = 0;
	CHECK(tp_fini(p));
}

static uint8_t pdata[1024];

/* Peer data on the passive connection: @len bytes at offset @off. */
static void peer_data(struct tpeer *p, u32 off, u32 len)
{
	struct tseg sg;

	seg_init(p, &sg, p->piss + 1 + off, p->iss + 1, TH_ACK);
	pat_fill(pdata, len, p->app.srv_seed, off);
	sg.data = pdata;
	sg.len = len;
	tp_send(p, &sg);
	ts_flush(&p->t);
}

/*
 * One-byte segments out of order: a connection holds as many buffers as
 * its window (65,535 bytes) fills with whole 2 KiB buffers, 31, not 256.
 */
IX_TEST(tcp_life, ooo_share_follows_the_window)
{
	struct tpeer *p = &tp;
	unsigned int i;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	for (i = 0; i < 40; i++)
		peer_data(p, 10 + 2 * i, 1);
	CHECK_EQ(pcb_of(p, p->srv[0].h)->ooo_n, 31);
	CHECK_EQ(p->tcp->stats->ooo_dropped, 9);
	CHECK(tp_fini(p));
}

/*
 * An application that never gives buffers back cannot take the pool:
 * once an eighth is left, data is dropped (the peer sends it again), so
 * the receive side always has buffers; given back, they serve again.
 */
IX_TEST(tcp_life, pool_reserve_kept_from_a_hoarder)
{
	struct tpeer *p = &tp;
	unsigned int i;

	tp_nbufs = 64;
	CHECK(!tp_init(p, &(struct ixdp_tcp_config){ .rcv_buf = 1 << 20 }));
	tp_nbufs = 256;
	CHECK(tp_open_passive(p, NULL, 100, false));
	p->srv[0].keep_bufs = true;
	for (i = 0; i < 100; i++) {
		peer_data(p, i * 10, 10);
		CHECK(p->t.pool.avail >= p->t.pool.total / 8 - 1);
	}
	CHECK(p->tcp->stats->pool_low_drops > 0);
	CHECK(p->srv[0].nheld < 64);
	CHECK_EQ(p->srv[0].rx_len, p->srv[0].nheld * 10);
	/* The application gives its buffers back; data flows again. */
	i = p->srv[0].nheld;
	CHECK(!ixdp_tcp_recv_done(&p->t.s, p->srv[0].h, i * 10, i));
	conn_release(&p->srv[0]);
	p->srv[0].keep_bufs = false;
	peer_data(p, i * 10, 10);
	CHECK_EQ(p->srv[0].rx_len, i * 10 + 10);
	CHECK(tp_fini(p));
}
