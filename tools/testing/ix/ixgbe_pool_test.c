// SPDX-License-Identifier: GPL-2.0
/*
 * ixgbe_ixdp.c maps the core's buffer memory once, through pool_map, as
 * AF_XDP maps a pool: posting, receiving, sending and reclaiming only
 * sync buffers, giving the pair back unmaps everything, and buffers from
 * outside the pool are refused.  The shim counts the DMA calls
 * (shim/ixgbe/linux/dma-mapping.h); the model's IOMMU checks each one.
 */

#include <string.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>

#include "test.h"
#include "ixgbe_core.h"

#define IXT_POSTS	32
#define IXT_RX		8
#define IXT_TX		16
#define IXT_LEN		60

/* Where the frames sent come from: buffers never posted. */
#define IXT_TX_BUF	(IXC_BUFS - IXT_TX)

static unsigned int ixt_sent;

static void ixt_sink(void *arg, unsigned int q, const uint8_t *f,
		     uint32_t len)
{
	const struct ixc *c = arg;

	if (len == IXT_LEN && !memcmp(f, c->mem[IXT_TX_BUF + ixt_sent], len))
		ixt_sent++;
}

IX_TEST(ixgbe, pool_mapped_once_buffers_only_synced)
{
	struct ixp *p = ixp_new(1, 64, true);
	struct ixdp_drv_frame f[IXT_TX] = { 0 };
	struct ixm_dma_calls before, after;
	unsigned int live, i;
	void *tok[IXT_TX];
	uint8_t fr[IXT_LEN];
	struct ixc c;

	CHECK(p);
	live = ixm_dma_live();
	before = ixm_dma_calls;
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	/* The buffers' memory, one chunk. */
	CHECK_EQ(ixm_dma_calls.map_page - before.map_page, 1);
	CHECK_EQ(ixm_dma_live(), live + 1);

	before = ixm_dma_calls;
	CHECK_EQ(ixc_post(&c, IXT_POSTS), IXT_POSTS);
	for (i = 0; i < IXT_RX; i++) {
		ixc_frame(fr, IXT_LEN, 0xc6120002, 0xc6120003, i, 80, i);
		CHECK_EQ(ixm_rx_queue(&p->m, 0, fr, IXT_LEN, 0, 0), 1);
	}
	CHECK_EQ(ixc_burst(&c, f, IXT_TX), IXT_RX);
	for (i = 0; i < IXT_RX; i++) {
		ixc_frame(fr, IXT_LEN, 0xc6120002, 0xc6120003, i, 80, i);
		CHECK_EQ(f[i].len, IXT_LEN);
		CHECK(!memcmp(f[i].addr, fr, IXT_LEN));
	}

	memset(f, 0, sizeof(f));
	for (i = 0; i < IXT_TX; i++) {
		ixc_frame(c.mem[IXT_TX_BUF + i], IXT_LEN, 0xc6120003,
			  0xc6120002, 80, i, i);
		f[i].addr = c.mem[IXT_TX_BUF + i];
		f[i].len = IXT_LEN;
		f[i].token = f[i].addr;
	}
	ixt_sent = 0;
	p->m.sink = ixt_sink;
	p->m.sink_arg = &c;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], f, IXT_TX), IXT_TX);
	CHECK_EQ(ixm_tx(&p->m, 0, IXT_TX), IXT_TX);
	CHECK_EQ(ixt_sent, IXT_TX);
	CHECK_EQ(ixp_ops->tx_reclaim(&p->dq[0], tok, IXT_TX), IXT_TX);

	after = ixm_dma_calls;
	CHECK_EQ(after.map_single - before.map_single, 0);
	CHECK_EQ(after.map_page - before.map_page, 0);
	CHECK_EQ(after.unmap - before.unmap, 0);
	CHECK_EQ(after.sync_device - before.sync_device, IXT_POSTS + IXT_TX);
	CHECK_EQ(after.sync_cpu - before.sync_cpu, IXT_RX);

	/* The model fails the test if a chunk goes while a buffer is posted. */
	ixc_give(&c);
	CHECK_EQ(c.released_rx, IXT_POSTS - IXT_RX);
	CHECK_EQ(ixm_dma_calls.unmap - after.unmap, 1);
	CHECK_EQ(ixm_dma_live(), live);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

IX_TEST(ixgbe, pool_refuses_buffers_from_elsewhere)
{
	struct ixp *p = ixp_new(1, 32, true);
	static uint8_t stray[2][IXC_BUF_LEN];
	unsigned int warned = ix_netdev_warnings;
	struct ixdp_drv_frame f = { 0 };
	struct ixc c;

	CHECK(p);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	f.addr = stray[0];
	f.len = IXC_BUF_LEN;
	CHECK_EQ(ixp_ops->rx_post(&p->dq[0], &f, 1), 0);
	/* Straddling the pool's end. */
	f.addr = (uint8_t *)c.mem + IXC_MEM - 8;
	f.len = IXT_LEN;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 0);
	ixc_frame(stray[1], IXT_LEN, 0xc6120003, 0xc6120002, 80, 1, 1);
	f.addr = stray[1];
	f.len = IXT_LEN;
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 0);
	CHECK_EQ(ix_netdev_warnings, warned + 3);
	CHECK_EQ(p->m.rxq[0].tail, 0);
	CHECK_EQ(p->m.txq[0].tail, 0);
	f.addr = c.mem[IXC_BUFS - 1];
	CHECK_EQ(ixp_ops->tx_burst(&p->dq[0], &f, 1), 1);
	ixc_give(&c);
	CHECK_EQ(c.released_tx, 1);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/*
 * A chunk the IOMMU cannot map: what was mapped before it is undone; and
 * a pool is mapped once.
 */
IX_TEST(ixgbe, pool_map_failure_unmaps_what_it_mapped)
{
	static uint8_t mem[2 * 4096] __aligned(4096);
	struct ixp *p = ixp_new(1, 32, true);
	static const u8 orders[3] = { 0, 0, 10 };
	struct page *chunks[3];
	unsigned int live;
	int err;

	CHECK(p);
	CHECK(ixp_ops->pool_map);
	CHECK_EQ(ixp_take(p, 0, NULL, NULL), 0);
	live = ixm_dma_live();
	/* Order 10, 4 MiB: more than a model mapping spans; never touched. */
	chunks[0] = (struct page *)mem;
	chunks[1] = (struct page *)(mem + 4096);
	chunks[2] = (struct page *)mem;
	rtnl_lock();
	err = ixp_ops->pool_map(&p->dq[0], chunks, orders, 3);
	rtnl_unlock();
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(ixm_dma_live(), live);
	CHECK_EQ(ixp_pool_map(p, 0, mem, sizeof(mem)), 0);
	CHECK_EQ(ixm_dma_live(), live + 1);
	CHECK_EQ(ixp_pool_map(p, 0, mem, sizeof(mem)), -EBUSY);
	ixp_give(p, 0);
	CHECK_EQ(ixm_dma_live(), live);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

/* Linux's frames the pair carried count in the rings' own statistics. */
IX_TEST(ixgbe, linux_frames_count_in_the_ring_stats)
{
	struct ixp *p = ixp_new(1, 32, true);
	struct ixgbe_ring *rx, *tx;
	struct ixc c;

	CHECK(p);
	CHECK(ixp_ops->count_linux);
	CHECK_EQ(ixc_take(&c, p, 0), 0);
	rx = &p->rx[0];
	tx = &p->tx[0];
	ixp_ops->count_linux(&p->dq[0], false, 3, 180);
	ixp_ops->count_linux(&p->dq[0], true, 2, 3000);
	ixp_ops->count_linux(&p->dq[0], true, 1, 60);
	CHECK_EQ(rx->stats.packets, 3);
	CHECK_EQ(rx->stats.bytes, 180);
	CHECK_EQ(tx->stats.packets, 3);
	CHECK_EQ(tx->stats.bytes, 3060);
	/* Every update closed. */
	CHECK_EQ(rx->syncp.seq % 2, 0);
	CHECK_EQ(tx->syncp.seq % 2, 0);
	/* Given back: the driver's counters are its own again. */
	ixc_give(&c);
	ixp_ops->count_linux(&p->dq[0], true, 5, 300);
	CHECK_EQ(tx->stats.packets, 3);
	ixp_free(p);
}
