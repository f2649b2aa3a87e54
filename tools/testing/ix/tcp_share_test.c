// SPDX-License-Identifier: GPL-2.0
/*
 * What a connection may hold of its core's buffer pool (issue 16): no
 * more buffers than its window is worth, however small its segments, and
 * once the pool is down to its reserve, a share of the reserve only, so
 * that a fresh connection is served while others hoard and the receive
 * rings are always stocked.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;
static u8 sdata[1024];

/*
 * A window of 32 KiB filled with one-byte segments, none given back: 32
 * buffers held (each charged 1 KiB), not one a byte; the rest dropped and
 * counted.  Given back, the connection takes data again.
 */
IX_TEST(tcp_share, one_byte_segments_hold_a_window_of_buffers)
{
	struct ixdp_tcp_config cfg = { .rcv_buf = 32768 };
	struct tpeer *p = &tp;
	struct tseg sg;
	unsigned int i;

	CHECK(!tp_init(p, &cfg));
	CHECK(tp_open_passive(p, NULL, 100, false));
	p->srv[0].keep_bufs = true;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	sg.data = sdata;
	sg.len = 1;
	for (i = 0; i < 100; i++) {
		pat_fill(sdata, 1, p->app.srv_seed, i);
		sg.seq = 101 + i;
		tp_send(p, &sg);
		ts_flush(&p->t);
	}
	CHECK_EQ(p->srv[0].nheld, 32);
	CHECK_EQ(p->srv[0].rx_len, 32);
	CHECK_EQ(p->tcp->stats->held_drops, 68);
	CHECK(!ixdp_tcp_recv_done(&p->t.s, p->srv[0].h, 32, 32));
	conn_release(&p->srv[0]);
	p->srv[0].keep_bufs = false;
	sg.seq = 101 + 32;
	pat_fill(sdata, 1, p->app.srv_seed, 32);
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].rx_len, 33);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	CHECK(tp_fini(p));
}

#define NCONNS	16

/*
 * @n segments of @len bytes in order on connection @i, from byte @off,
 * offering window @win.
 */
static void many_send(struct tpeer *p, const u16 *lport, const u32 *iss,
		      unsigned int i, u32 off, unsigned int n, unsigned int len,
		      u16 win)
{
	struct tseg sg;

	memset(&sg, 0, sizeof(sg));
	sg.sport = 2000 + i;
	sg.dport = lport[i];
	sg.ack = iss[i] + 1;
	sg.flags = TH_ACK;
	sg.win = win;
	sg.data = sdata;
	sg.len = len;
	while (n--) {
		sg.seq = 101 + off;
		tp_send(p, &sg);
		ts_flush(&p->t);
		off += len;
	}
}

/*
 * Two connections hoard until the pool is down to its reserve; a third,
 * fresh, is still served, the hoarders are not; then thirteen more each
 * take what the reserve lets them: the last thirty-second of the pool is
 * never given to anyone, so the receive side always has buffers.
 */
IX_TEST(tcp_share, fresh_connection_served_while_others_hoard)
{
	static struct conn c[NCONNS];
	u16 lport[NCONNS];
	u32 iss[NCONNS];
	struct tpeer *p = &tp;
	struct ixdp_pool *pool = &p->t.pool;
	unsigned int i;

	memset(c, 0, sizeof(c));
	tp_nbufs = 128;
	CHECK(!tp_init(p, NULL));
	tp_nbufs = 256;
	CHECK(tp_open_many(p, c, lport, iss, NCONNS));
	c[0].keep_bufs = true;
	c[1].keep_bufs = true;
	many_send(p, lport, iss, 0, 0, 64, 500, 65535);
	many_send(p, lport, iss, 1, 0, 64, 500, 65535);
	CHECK(pool->avail <= pool->total / 8 + 1);
	CHECK(c[0].nheld + c[1].nheld >= pool->total - pool->total / 8 - 2);
	CHECK(p->tcp->stats->pool_low_drops > 0);
	/* The fresh one gets through, again and again. */
	many_send(p, lport, iss, 2, 0, 20, 500, 65535);
	CHECK_EQ(c[2].rx_len, 20 * 500);
	/* The hoarders do not. */
	i = c[1].nheld;
	many_send(p, lport, iss, 1, i * 500, 1, 500, 65535);
	CHECK_EQ(c[1].nheld, i);
	for (i = 3; i < NCONNS; i++) {
		c[i].keep_bufs = true;
		many_send(p, lport, iss, i, 0, 10, 500, 65535);
		CHECK(c[i].nheld <= IXDP_TCP_RESERVE_SHARE);
		CHECK(pool->avail >= pool->total / 32 - 1);
	}
	for (i = 0; i < NCONNS; i++)
		conn_release(&c[i]);
	CHECK(tp_fini(p));
}

/*
 * @pool_bufs buffers; the peer closes its window, we have data for it
 * (probing), and @wait ms later it sends 60 segments the application
 * keeps.
 */
static void hoard_at_zero_window(struct tpeer *p, unsigned int pool_bufs,
				 unsigned int wait)
{
	static u8 tx[1000];
	struct tseg sg;
	unsigned int i;

	tp_nbufs = pool_bufs;
	CHECK(!tp_init(p, NULL));
	tp_nbufs = 256;
	CHECK(tp_open_passive(p, NULL, 100, false));
	p->srv[0].keep_bufs = true;
	seg_init(p, &sg, 101, p->iss + 1, TH_ACK);
	sg.win = 0;
	tp_send(p, &sg);
	p->srv[0].tx = tx;
	p->srv[0].tx_len = sizeof(tx);
	conn_push(&p->srv[0]);
	CHECK_EQ(tp_ntx(p), 0);
	tp_arp(p);
	tp_advance(p, wait);
	ts_flush(&p->t);
	sg.data = sdata;
	sg.len = 500;
	for (i = 0; i < 60; i++) {
		pat_fill(sdata, 500, p->app.srv_seed, i * 500);
		sg.seq = 101 + i * 500;
		tp_send(p, &sg);
		ts_flush(&p->t);
	}
}

/*
 * It holds its share of the reserve and its peer reads nothing: reset at
 * the next tick once its data is refused for it, counted, its buffers
 * the consumer's to give back.
 */
IX_TEST(tcp_share, hoarder_at_zero_window_reset_when_pool_is_low)
{
	struct tpeer *p = &tp;

	hoard_at_zero_window(p, 64, 1000);
	CHECK(!p->srv[0].dead);
	CHECK(p->tcp->stats->pool_low_drops > 0);
	tp_advance(p, 1001);
	CHECK(p->srv[0].dead);
	CHECK_EQ(p->srv[0].dead_reason, -ENOBUFS);
	CHECK_EQ(p->tcp->stats->pressure_drops, 1);
	conn_release(&p->srv[0]);
	CHECK(tp_fini(p));
}

/*
 * A peer whose window closed a moment ago (it writes before it reads) is
 * spared; still closed a second later, it is not.
 */
IX_TEST(tcp_share, zero_window_of_a_moment_spared)
{
	struct tpeer *p = &tp;
	unsigned int i;

	hoard_at_zero_window(p, 64, 0);
	for (i = 1; i < 1000; i += 100) {
		tp_advance(p, i);
		CHECK(!p->srv[0].dead);
	}
	tp_arp(p);
	tp_advance(p, 3000);
	CHECK(p->srv[0].dead);
	CHECK_EQ(p->tcp->stats->pressure_drops, 1);
	conn_release(&p->srv[0]);
	CHECK(tp_fini(p));
}

/* The same with buffers to spare: probed for 10 s, kept. */
IX_TEST(tcp_share, hoarder_at_zero_window_kept_while_pool_lasts)
{
	struct tpeer *p = &tp;
	unsigned int i;

	hoard_at_zero_window(p, 256, 0);
	for (i = 1; i <= 10; i++) {
		tp_arp(p);
		tp_advance(p, i * 1000);
		ts_flush(&p->t);
	}
	CHECK(!p->srv[0].dead);
	CHECK(p->tcp->stats->probes > 0);
	CHECK_EQ(p->tcp->stats->pressure_drops, 0);
	conn_release(&p->srv[0]);
	CHECK(tp_fini(p));
}

/*
 * Two connections hoard at a zero window, their peers silent since; the
 * data of a third that meets the reserve has them reset at the next
 * tick, before their persist timers would.
 */
IX_TEST(tcp_share, hoarders_at_zero_window_reclaimed_by_others_data)
{
	static struct conn c[NCONNS];
	static u8 tx[1000];
	u16 lport[NCONNS];
	u32 iss[NCONNS];
	struct tpeer *p = &tp;
	unsigned int i;

	memset(c, 0, sizeof(c));
	tp_nbufs = 128;
	CHECK(!tp_init(p, NULL));
	tp_nbufs = 256;
	CHECK(tp_open_many(p, c, lport, iss, NCONNS));
	for (i = 0; i < 2; i++) {
		c[i].keep_bufs = true;
		many_send(p, lport, iss, i, 0, 56, 500, 0);
	}
	tp_arp(p);
	tp_advance(p, 500);
	ts_flush(&p->t);
	for (i = 0; i < 2; i++) {
		c[i].tx = tx;
		c[i].tx_len = sizeof(tx);
		conn_push(&c[i]);		/* persist due at 1500 */
	}
	CHECK_EQ(tp_ntx(p), 0);
	tp_advance(p, 1200);
	CHECK(!c[0].dead && !c[1].dead);
	many_send(p, lport, iss, 2, 0, 1, 500, 65535);
	CHECK_EQ(c[2].rx_len, 500);
	tp_arp(p);
	tp_advance(p, 1201);
	CHECK(c[0].dead && c[1].dead);
	CHECK_EQ(c[0].dead_reason, -ENOBUFS);
	CHECK_EQ(p->tcp->stats->pressure_drops, 2);
	for (i = 0; i < NCONNS; i++)
		conn_release(&c[i]);
	CHECK(tp_fini(p));
}
