// SPDX-License-Identifier: GPL-2.0
/*
 * A modelled 82599 port: the adapter as ixgbe_probe() and ixgbe_open()
 * would leave it for ixgbe_ixdp.c; see ixgbe_port.h.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>

#include "ixgbe_port.h"
#include "ixgbe_ixdp.h"
#include "ixgbe_txrx_common.h"

/* ixgbe_setup_mrqc() and ixgbe_setup_reta() as the harness does them. */
static void ixp_rss(struct ixp *p)
{
	struct ixgbe_hw *hw = &p->ad.hw;
	unsigned int i;
	u32 reta = 0;

	for (i = 0; i < IXGBE_RSS_KEY_SIZE / 4; i++) {
		p->key[i] = 0x9e3779b9u * (i + 1) ^ 0x6d5a56da;
		IXGBE_WRITE_REG(hw, IXGBE_RSSRK(i), p->key[i]);
	}
	p->ad.rss_key = p->key;
	for (i = 0; i < 128; i++) {
		p->ad.rss_indir_tbl[i] = (i * 5 + i / 16) % p->nq;
		reta |= (u32)p->ad.rss_indir_tbl[i] << (i % 4) * 8;
		if (i % 4 == 3) {
			IXGBE_WRITE_REG(hw, IXGBE_RETA(i / 4), reta);
			reta = 0;
		}
	}
	p->ad.ring_feature[RING_F_RSS].indices = p->nq;
	p->ad.ring_feature[RING_F_RSS].mask = 0xf;
	IXGBE_WRITE_REG(hw, IXGBE_MRQC, IXGBE_MRQC_RSSEN |
			IXGBE_MRQC_RSS_FIELD_IPV4_TCP |
			IXGBE_MRQC_RSS_FIELD_IPV4);
}

static int ixp_ring(struct ixgbe_ring *r, struct ixp *p, unsigned int q,
		    unsigned int count)
{
	r->size = count * sizeof(union ixgbe_adv_rx_desc);
	r->desc = aligned_alloc(128, r->size);
	if (!r->desc)
		return -ENOMEM;
	memset(r->desc, 0, r->size);
	r->dma = ixm_dma_map(r->desc, r->size, DMA_BIDIRECTIONAL);
	r->count = count;
	r->queue_index = q;
	r->reg_idx = q;
	r->q_vector = &p->qv[q];
	r->netdev = &p->dev;
	return 0;
}

struct ixp *ixp_new(unsigned int nq, unsigned int count, bool drop_en)
{
	struct ixp *p = calloc(1, sizeof(*p));
	unsigned int q;

	if (!p)
		return NULL;
	ixm_init(&p->m);
	p->nq = nq;
	p->drop_en = drop_en;
	p->dev.ifindex = 1;
	p->dev.netdev_ops = ixgbe_ixdp_netdev_ops();
	p->dev.priv = &p->ad;
	p->dev.txq = p->txq;
	p->dev.up = true;
	p->ad.netdev = &p->dev;
	p->ad.hw.hw_addr = (u8 *)p->m.regs;
	p->ad.hw.mac.type = ixgbe_mac_82599EB;
	p->ad.flags = IXGBE_FLAG_MSIX_ENABLED;
	p->ad.af_xdp_zc_qps = p->zc_qps;
	p->ad.num_rx_queues = nq;
	p->ad.num_tx_queues = nq;
	for (q = 0; q < nq; q++) {
		p->qv[q].v_idx = q;
		p->ad.rx_ring[q] = &p->rx[q];
		p->ad.tx_ring[q] = &p->tx[q];
		if (ixp_ring(&p->rx[q], p, q, count) ||
		    ixp_ring(&p->tx[q], p, q, count)) {
			ixp_free(p);
			return NULL;
		}
		ixgbe_txrx_ring_enable(&p->ad, q);
	}
	ixp_rss(p);
	if (!ixp_ops)
		ixgbe_ixdp_init();
	return p;
}

void ixp_free(struct ixp *p)
{
	unsigned int q;

	for (q = 0; q < p->nq; q++)
		if (p->rx[q].desc && p->tx[q].desc)
			ixgbe_txrx_ring_disable(&p->ad, q);
	for (q = 0; q < p->nq; q++) {
		if (p->rx[q].desc)
			ixm_dma_unmap(p->rx[q].dma, p->rx[q].size,
				      DMA_BIDIRECTIONAL);
		if (p->tx[q].desc)
			ixm_dma_unmap(p->tx[q].dma, p->tx[q].size,
				      DMA_BIDIRECTIONAL);
		free(p->rx[q].desc);
		free(p->tx[q].desc);
	}
	ixm_fini(&p->m);
	free(p);
}

int ixp_take(struct ixp *p, unsigned int q,
	     void (*release_rx)(struct ixdp_drv_queue *, void *),
	     void (*release_tx)(struct ixdp_drv_queue *, void *))
{
	struct ixdp_drv_queue *dq = &p->dq[q];
	int err;

	memset(dq, 0, sizeof(*dq));
	dq->dev = &p->dev;
	dq->qid = q;
	dq->release_rx = release_rx;
	dq->release_tx = release_tx;
	rtnl_lock();
	err = ixp_ops->queue_take(dq);
	rtnl_unlock();
	return err;
}

/* Chunks of at most 2 MiB, as net/ixdp/attach.c asks for. */
#define IXP_CHUNK_ORDER	9
#define IXP_CHUNKS	64

int ixp_pool_map(struct ixp *p, unsigned int q, void *mem, size_t len)
{
	size_t pages = PAGE_ALIGN(len) >> PAGE_SHIFT;
	struct page *chunks[IXP_CHUNKS];
	unsigned int i = IXP_CHUNKS;
	u8 orders[IXP_CHUNKS];
	int err;

	if (!ixp_ops->pool_map)
		return 0;
	/* Largest first, so the addresses rise; stored backwards. */
	while (pages && i) {
		orders[--i] = min_t(unsigned int, ilog2(pages), IXP_CHUNK_ORDER);
		chunks[i] = mem;
		mem = (char *)mem + (PAGE_SIZE << orders[i]);
		pages -= 1UL << orders[i];
	}
	if (pages)
		return -E2BIG;
	rtnl_lock();
	err = ixp_ops->pool_map(&p->dq[q], chunks + i, orders + i,
				IXP_CHUNKS - i);
	rtnl_unlock();
	return err;
}

struct ixp *ixp_of(struct ixdp_drv_queue *dq)
{
	return (void *)((char *)(dq - dq->qid) - offsetof(struct ixp, dq));
}

void ixp_give(struct ixp *p, unsigned int q)
{
	rtnl_lock();
	ixp_ops->queue_give(&p->dq[q]);
	rtnl_unlock();
}
