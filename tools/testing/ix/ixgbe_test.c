// SPDX-License-Identifier: GPL-2.0
/*
 * ixgbe_ixdp.c's receive side, run unchanged over the 82599 model
 * (ixgbe_model.h): frames arrive whole with the hash the datasheet
 * defines, the ring wraps, a full ring drops and counts, a frame over
 * several buffers comes back as empty buffers, short buffers are
 * refused, and giving a pair back returns every buffer.  The model fails
 * a test on any broken descriptor rule.
 */

#include <string.h>
#include <linux/rtnetlink.h>

#include "test.h"
#include "handoff.h"
#include "ixgbe_core.h"
#include "ixgbe_ixdp.h"
#include "ixgbe_txrx_common.h"

#define IXT_SADDR	0xc6120002	/* 198.18.0.2 */
#define IXT_DADDR	0xc6120003

/* The frame of sequence number @seq: its length, and its bytes. */
static uint32_t ixt_len(uint32_t seq)
{
	return 60 + seq * 397 % (1514 - 60 + 1);
}

static void ixt_frame(uint8_t *f, uint32_t seq)
{
	ixc_frame(f, ixt_len(seq), IXT_SADDR, IXT_DADDR, 1000 + seq, 80, seq);
}

static int ixt_inject(struct ixp *p, uint32_t seq)
{
	uint8_t f[1514];

	ixt_frame(f, seq);
	return ixm_rx(&p->m, f, ixt_len(seq));
}

/* Does @f hold frame @seq? */
static bool ixt_got(const struct ixdp_drv_frame *f, uint32_t seq)
{
	uint8_t want[1514];

	ixt_frame(want, seq);
	return f->len == ixt_len(seq) && !f->off &&
	       !memcmp(f->addr, want, f->len);
}

IX_TEST(ixgbe, rx_frames_arrive_whole_with_their_hash)
{
	const union ixgbe_adv_rx_desc *d;
	unsigned int live = ixm_dma_live();
	struct ixdp_drv_frame f[16];
	struct ixp *p = ixp_new(1, 64, true);
	uint32_t seq;
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	CHECK_EQ(ixc_post(&c, 16), 16);
	for (seq = 0; seq < 7; seq++)
		CHECK_EQ(ixt_inject(p, seq), 1);
	CHECK_EQ(ixc_burst(&c, f, 16), 7);
	for (seq = 0; seq < 7; seq++) {
		CHECK(ixt_got(&f[seq], seq));
		/* What the stack's Toeplitz makes of the key ixgbe wrote. */
		d = IXGBE_RX_DESC(&p->rx[0], seq);
		CHECK_EQ(le32_to_cpu(d->wb.lower.hi_dword.rss),
			 ixdp_rss_hash((u8 *)p->key, cpu_to_be32(IXT_SADDR),
				       cpu_to_be32(IXT_DADDR),
				       cpu_to_be16(1000 + seq),
				       cpu_to_be16(80)));
		CHECK_EQ(le16_to_cpu(d->wb.lower.lo_dword.hs_rss.pkt_info) &
			 0xf, IXGBE_RXDADV_RSSTYPE_IPV4_TCP);
	}
	CHECK_EQ(ixc_burst(&c, f, 16), 0);
	ixc_give(&c);
	CHECK_EQ(c.released_rx, 16 - 7);
	CHECK_EQ(ixm_dma_live(), live + 2);	/* the rings */
	CHECK_EQ(p->m.errors, 0);
	CHECK_EQ(ix_rcu_depth, 0);
	ixp_free(p);
	CHECK_EQ(ixm_dma_live(), live);
}

IX_TEST(ixgbe, rx_ring_wraps_for_laps)
{
	struct ixdp_drv_frame f[16];
	struct ixp *p = ixp_new(1, 32, true);
	uint32_t seq = 0, got = 0, i, n;
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	while (seq < 8 * 32) {
		ixc_post(&c, 31);
		for (i = 0; i < 13; i++)
			CHECK_EQ(ixt_inject(p, seq++), 1);
		/* Bursts of 5: the frames of one post cross calls. */
		while ((n = ixc_burst(&c, f, 5)))
			for (i = 0; i < n; i++)
				CHECK(ixt_got(&f[i], got++));
	}
	CHECK_EQ(got, seq);
	CHECK_EQ(p->m.rxq[0].head, seq % 32);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/* More frames than buffers: the device drops the rest and counts them. */
static void ixt_full(bool drop_en)
{
	u32 counter = drop_en ? IXGBE_QPRDC(0) : IXGBE_MPC(0);
	struct ixdp_drv_frame f[64];
	struct ixp *p = ixp_new(1, 32, drop_en);
	uint32_t seq, i;
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	/* RDT == RDH means empty: one descriptor stays unposted. */
	CHECK_EQ(ixc_post(&c, 40), 31);
	CHECK_EQ(ixc_post(&c, 1), 0);
	for (seq = 0; seq < 40; seq++)
		CHECK_EQ(ixt_inject(p, seq), seq < 31 ? 1 : -1);
	CHECK_EQ(IXGBE_READ_REG(&p->ad.hw, counter), 9);
	CHECK_EQ(IXGBE_READ_REG(&p->ad.hw, counter), 0);
	CHECK_EQ(ixc_burst(&c, f, 64), 31);
	for (i = 0; i < 31; i++)
		CHECK(ixt_got(&f[i], i));
	CHECK_EQ(ixc_post(&c, 40), 31);
	CHECK_EQ(ixt_inject(p, 40), 1);
	CHECK_EQ(ixc_burst(&c, f, 64), 1);
	CHECK(ixt_got(&f[0], 40));
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, rx_ring_full_drops_count_in_qprdc)
{
	ixt_full(true);
}

IX_TEST(ixgbe, rx_ring_full_drops_count_in_mpc)
{
	ixt_full(false);
}

/*
 * With 1 KiB device buffers a 1514-byte frame takes two descriptors, the
 * first without EOP: both buffers come back empty (length 0), also when
 * the frame's descriptors are split between two bursts.
 */
IX_TEST(ixgbe, rx_frame_over_two_buffers_comes_back_empty)
{
	struct ixdp_drv_frame f[8];
	struct ixp *p = ixp_new(1, 32, true);
	uint8_t big[1514];
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	IXGBE_WRITE_REG(&p->ad.hw, IXGBE_SRRCTL(0),
			1 | IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF);
	CHECK_EQ(ixc_post(&c, 8), 8);
	CHECK_EQ(ixt_inject(p, 0), 1);
	ixc_frame(big, 1514, IXT_SADDR, IXT_DADDR, 7, 80, 7);
	CHECK_EQ(ixm_rx(&p->m, big, 1514), 2);
	CHECK_EQ(ixt_inject(p, 2), 1);
	CHECK_EQ(ixc_burst(&c, f, 2), 2);
	CHECK(ixt_got(&f[0], 0));
	CHECK_EQ(f[1].len, 0);
	CHECK_EQ(ixc_burst(&c, f, 8), 2);
	CHECK_EQ(f[0].len, 0);
	CHECK(ixt_got(&f[1], 2));
	/* Longer than MAXFRS.MFS: the device drops it. */
	CHECK_EQ(ixm_rx(&p->m, big, 1515), -1);
	CHECK_EQ(p->m.rx_oversize, 1);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * The status and errors of the last descriptor (7.1.6.2): a frame with a
 * MAC error (RXE) or whose VLAN tag the device stripped (VP) comes back
 * as an empty buffer; the frames around it are whole.
 */
IX_TEST(ixgbe, rx_frame_error_or_stripped_tag_comes_back_empty)
{
	struct ixdp_drv_frame f[8];
	struct ixp *p = ixp_new(1, 32, true);
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	CHECK_EQ(ixc_post(&c, 8), 8);
	CHECK_EQ(ixt_inject(p, 0), 1);
	p->m.rx_staterr = IXM_RXDERR_RXE;
	CHECK_EQ(ixt_inject(p, 1), 1);
	p->m.rx_staterr = IXM_RXD_VP;
	CHECK_EQ(ixt_inject(p, 2), 1);
	CHECK_EQ(ixt_inject(p, 3), 1);
	CHECK_EQ(ixc_burst(&c, f, 8), 4);
	CHECK(ixt_got(&f[0], 0));
	CHECK_EQ(f[1].len, 0);
	CHECK_EQ(f[2].len, 0);
	CHECK(ixt_got(&f[3], 3));
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * The TCP or UDP checksum the device checked (L4CS, 7.1.6.2) is valid
 * unless TCPE says otherwise; then, or unchecked, the core checks it.
 */
IX_TEST(ixgbe, rx_checksum_status)
{
	struct ixdp_drv_frame f[8];
	struct ixp *p = ixp_new(1, 32, true);
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	CHECK_EQ(ixc_post(&c, 8), 8);
	p->m.rx_staterr = IXM_RXD_L4CS;
	CHECK_EQ(ixt_inject(p, 0), 1);
	p->m.rx_staterr = IXM_RXD_L4CS | IXM_RXDERR_TCPE;
	CHECK_EQ(ixt_inject(p, 1), 1);
	CHECK_EQ(ixt_inject(p, 2), 1);
	p->m.rx_staterr = IXM_RXDERR_RXE | IXM_RXD_L4CS;
	CHECK_EQ(ixt_inject(p, 3), 1);
	CHECK_EQ(ixc_burst(&c, f, 8), 4);
	CHECK(ixt_got(&f[0], 0));
	CHECK_EQ(f[0].rx_csum, IXDP_DRV_RX_CSUM_OK);
	CHECK(ixt_got(&f[1], 1));
	CHECK_EQ(f[1].rx_csum, 0);
	CHECK(ixt_got(&f[2], 2));
	CHECK_EQ(f[2].rx_csum, 0);
	CHECK_EQ(f[3].len, 0);
	CHECK_EQ(f[3].rx_csum, 0);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, rx_short_buffer_refused)
{
	unsigned int warned = ix_netdev_warnings;
	struct ixp *p = ixp_new(1, 32, true);
	struct ixdp_drv_frame f = { 0 };
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	f.addr = c.mem[0];
	/* MFS 1518 and two VLAN tags: 1526 bytes at least. */
	f.len = 1525;
	CHECK_EQ(ixp_ops->rx_post(&p->dq[0], &f, 1), 0);
	CHECK_EQ(ix_netdev_warnings, warned + 1);
	f.len = 1526;
	CHECK_EQ(ixp_ops->rx_post(&p->dq[0], &f, 1), 1);
	c.held[0] = true;
	CHECK_EQ(p->m.rxq[0].tail, 1);
	ixc_give(&c);
	CHECK_EQ(c.released_rx, 1);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, take_again_after_give)
{
	struct ixp *p = ixp_new(2, 32, true);
	struct ixdp_drv_queue again = { 0 };
	struct ixdp_drv_frame f[8];
	uint8_t fr[60];
	struct ixc c;
	int err;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 1), 0);
	again.dev = &p->dev;
	again.qid = 1;
	rtnl_lock();
	err = ixp_ops->queue_take(&again);
	rtnl_unlock();
	CHECK_EQ(err, -EBUSY);
	CHECK_EQ(p->ad.ixdp_pairs, 1);
	CHECK_EQ(ixc_post(&c, 8), 8);
	ixc_give(&c);
	CHECK_EQ(p->ad.ixdp_pairs, 0);
	/* The ring still holds old descriptors; the driver rewrites them. */
	CHECK_EQ(ixc_take(&c, p, 1), 0);
	CHECK_EQ(ixc_post(&c, 8), 8);
	ixc_frame(fr, 60, IXT_SADDR, IXT_DADDR, 9, 80, 9);
	CHECK_EQ(ixm_rx_queue(&p->m, 1, fr, 60, 0, 0), 1);
	CHECK_EQ(ixc_burst(&c, f, 8), 1);
	CHECK_EQ(f[0].len, 60);
	ixc_give(&c);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * A device reset empties the rings under the dataplane: once
 * ixgbe_ixdp_ring_lost() ran, the ops touch neither descriptors nor
 * registers, and giving the pair back returns every buffer, those
 * holding frames too.
 */
IX_TEST(ixgbe, reset_takes_the_pair_out_of_service)
{
	struct ixp *p = ixp_new(1, 32, true);
	unsigned int warned = ix_netdev_warnings;
	struct ixdp_drv_frame f[8] = { 0 };
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	CHECK_EQ(ixc_post(&c, 8), 8);
	CHECK_EQ(ixt_inject(p, 0), 1);
	/* ixgbe_down(): rings stopped, the Rx ring cleaned. */
	ixgbe_txrx_ring_disable(&p->ad, 0);
	ixgbe_ixdp_ring_lost(&p->rx[0]);
	CHECK_EQ(ix_netdev_warnings, warned + 1);
	/* ixgbe_up(): the rings come back empty. */
	ixgbe_txrx_ring_enable(&p->ad, 0);
	CHECK_EQ(ixc_post(&c, 8), 0);
	CHECK_EQ(ixc_burst(&c, f, 8), 0);
	f[0].addr = c.mem[100];
	f[0].len = 60;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], f, 1), 0);
	CHECK_EQ(p->m.rxq[0].tail, 0);
	CHECK_EQ(p->m.txq[0].tail, 0);
	ixc_give(&c);
	CHECK_EQ(c.released_rx, 8);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}
