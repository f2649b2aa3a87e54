// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixgbe queue ops for ixdp (82599, X540, X550).
 *
 * Taking pair qid follows the AF_XDP zero-copy binding: stop the pair with
 * ixgbe_txrx_ring_disable(), mark it owned in adapter->ixdp_qps, and start
 * it again with ixgbe_txrx_ring_enable(), which programs both rings (head
 * and tail 0) but, the pair being owned, posts no buffers of the driver's.
 * From then on NAPI, the transmit path and buffer allocation skip the
 * pair, and the dataplane CPU drives it with the ops below, keeping its
 * own ring indices (the ring's next_to_use/next_to_clean stay 0, so the
 * driver's cleanup and hang checks find nothing to do).
 *
 * Descriptors (82599 datasheet):
 * - receive: advanced one-buffer descriptors (7.1.6.1, SRRCTL.DESCTYPE as
 *   the driver programs it): the read format gets the packet buffer
 *   address and a zero header address, which also clears DD; the
 *   write-back format is read once DD is set (7.1.6.2): a frame is
 *   returned only if its descriptor has EOP and no frame error and no
 *   stripped VLAN tag, otherwise the buffer comes back as an empty frame,
 *   as do all the buffers of a frame that spans several;
 * - transmit: one advanced data descriptor per frame (7.2.3.2.4), DTYP
 *   data, DEXT, IFCS, EOP and RS, PAYLEN the frame length, no context
 *   descriptor (no offloads); a descriptor is reclaimed when the device
 *   has written DD back into its status (7.2.3.5);
 * - the tail registers RDT and TDT are written once per burst.
 *
 * DMA: as with an AF_XDP pool, the core's buffer memory is mapped once,
 * bidirectionally, when the core announces it (pool_map, after the take),
 * and unmapped when the pair is given back, once the rings are stopped.
 * A buffer's bus address is found from its virtual one in a table of the
 * chunks sorted by address; per buffer there is only a sync, for the
 * device when posted or queued, for the CPU when received.  A per-ring
 * array of slots remembers the address (Rx) or token (Tx) of every
 * descriptor.  Frames in pieces (IXDP_DRV_F_SG) are not offered: their
 * pieces may be an application's pages, outside the pool, and would need
 * mapping per frame.
 *
 * Buffer size: the device writes up to SRRCTL.BSIZEPACKET (2 KiB or more)
 * into one buffer, more than an ixdp buffer holds.  It never writes more
 * than the frame, and it drops frames longer than MAXFRS.MFS (plus one
 * or two VLAN tags), so receive buffers shorter than that are refused, MTU
 * changes are refused while pairs are owned, and a pair is not taken with
 * LRO (RSC) on, since RSC fills whole buffers.
 *
 * Device resets: a reset (Tx hang, feature change, self-test, suspend, PCI
 * error) empties the rings under the dataplane.  The driver calls
 * ixgbe_ixdp_ring_lost() from its Rx ring cleanup, before the rings are
 * reprogrammed: the pair is marked lost, and once no CPU is in an op
 * (synchronize_rcu(); the ops run inside rcu_read_lock()) the ops do
 * nothing.  The hardware rings come back empty; the pair stays out of
 * service, its buffers still held here, until ixdp gives it back.
 */

#include <linux/dma-mapping.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/ixdp_drv.h>

#include "ixgbe.h"
#include "ixgbe_txrx_common.h"
#include "ixgbe_ixdp.h"

/* The device cannot send a shorter frame (see __ixgbe_xmit_frame()). */
#define IXGBE_IXDP_TX_MIN	17

/* An advanced data descriptor holding a whole frame, CRC added. */
#define IXGBE_IXDP_TX_CMD	(IXGBE_ADVTXD_DTYP_DATA |		\
				 IXGBE_ADVTXD_DCMD_DEXT |		\
				 IXGBE_ADVTXD_DCMD_IFCS |		\
				 IXGBE_ADVTXD_DCMD_EOP |		\
				 IXGBE_ADVTXD_DCMD_RS)

/**
 * struct ixgbe_ixdp_slot - what a descriptor holds for ixdp
 * @addr: the buffer's kernel virtual address (Rx) or the frame's token (Tx)
 * @dma: the buffer's bus address (Rx)
 * @len: its length (Rx)
 */
struct ixgbe_ixdp_slot {
	void		*addr;
	dma_addr_t	dma;
	u32		len;
};

/**
 * struct ixgbe_ixdp_chunk - a chunk of the core's pool, mapped
 * @va: its kernel virtual address
 * @len: its length
 * @dma: its bus address
 */
struct ixgbe_ixdp_chunk {
	unsigned long	va;
	size_t		len;
	dma_addr_t	dma;
};

/**
 * struct ixgbe_ixdp_pair - a ring pair ixdp owns
 * @q: the core's side of it
 * @adapter: the adapter
 * @rx_ring: its Rx ring; used only while not @lost
 * @tx_ring: its Tx ring; used only while not @lost
 * @dma_dev: the device the buffers are mapped for
 * @lost: a device reset emptied the rings, or the pair is being given
 *	back: the ops do nothing, and Linux's frames are dropped
 * @rx_frag: the frame being received spans buffers: drop up to its end
 * @rx_min: shortest receive buffer accepted: the longest frame the device
 *	may write
 * @rx_count: Rx descriptors in the ring
 * @rx_ntu: next Rx descriptor to post
 * @rx_ntc: next Rx descriptor to complete
 * @rx_posted: Rx descriptors holding a buffer of ixdp's
 * @tx_count: Tx descriptors in the ring
 * @tx_ntu: next Tx descriptor to fill
 * @tx_ntc: next Tx descriptor to reclaim
 * @tx_queued: Tx descriptors holding a frame of ixdp's
 * @rx: one slot per Rx descriptor
 * @tx: one slot per Tx descriptor
 * @nchunks: entries of @chunks
 * @chunks: the pool's chunks as mapped, by increasing @va
 */
struct ixgbe_ixdp_pair {
	struct ixdp_drv_queue	*q;
	struct ixgbe_adapter	*adapter;
	struct ixgbe_ring	*rx_ring;
	struct ixgbe_ring	*tx_ring;
	struct device		*dma_dev;
	bool			lost;
	bool			rx_frag;
	u32			rx_min;
	u16			rx_count;
	u16			rx_ntu;
	u16			rx_ntc;
	u16			rx_posted;
	u16			tx_count;
	u16			tx_ntu;
	u16			tx_ntc;
	u16			tx_queued;
	struct ixgbe_ixdp_slot	*rx;
	struct ixgbe_ixdp_slot	*tx;
	unsigned int		nchunks;
	struct ixgbe_ixdp_chunk	*chunks;
};

static u16 ixgbe_ixdp_next(u16 i, u16 count)
{
	return ++i == count ? 0 : i;
}

/* Can pair @qid of @dev be taken?  Returns 0 or -errno. */
static int ixgbe_ixdp_check(struct net_device *dev, u16 qid)
{
	struct ixgbe_adapter *adapter = netdev_priv(dev);
	struct ixgbe_ring *rx_ring, *tx_ring;

	if (dev->netdev_ops != ixgbe_ixdp_netdev_ops())
		return -EOPNOTSUPP;
	if (!netif_running(dev) || test_bit(__IXGBE_DOWN, &adapter->state) ||
	    test_bit(__IXGBE_RESETTING, &adapter->state))
		return -ENETDOWN;
	/* The 82598's descriptors and interrupts differ; not done. */
	if (adapter->hw.mac.type == ixgbe_mac_82598EB)
		return -EOPNOTSUPP;
	/* Pools and FCoE give queues another meaning than RSS. */
	if (adapter->flags & (IXGBE_FLAG_SRIOV_ENABLED |
			      IXGBE_FLAG_VMDQ_ENABLED |
			      IXGBE_FLAG_FCOE_ENABLED))
		return -EOPNOTSUPP;
	/* RSC fills whole buffers, larger than ixdp's. */
	if (adapter->flags2 & IXGBE_FLAG2_RSC_ENABLED)
		return -EOPNOTSUPP;
	if (qid >= adapter->num_rx_queues || qid >= adapter->num_tx_queues)
		return -EINVAL;
	rx_ring = adapter->rx_ring[qid];
	tx_ring = adapter->tx_ring[qid];
	/* ixgbe_txrx_ring_disable() wants vector qid to serve pair qid. */
	if (!(adapter->flags & IXGBE_FLAG_MSIX_ENABLED) ||
	    rx_ring->q_vector != tx_ring->q_vector ||
	    rx_ring->q_vector->v_idx != qid)
		return -EOPNOTSUPP;
	if (test_bit(qid, adapter->ixdp_qps))
		return -EBUSY;
	if (READ_ONCE(adapter->xdp_prog) || rx_ring->xsk_pool ||
	    test_bit(qid, adapter->af_xdp_zc_qps))
		return -EBUSY;
	return 0;
}

static void ixgbe_ixdp_free(struct ixgbe_ixdp_pair *p)
{
	kvfree(p->rx);
	kvfree(p->tx);
	kfree(p);
}

static struct ixgbe_ixdp_pair *
ixgbe_ixdp_alloc(struct ixgbe_adapter *adapter, u16 qid)
{
	struct ixgbe_ring *rx_ring = adapter->rx_ring[qid];
	struct ixgbe_ring *tx_ring = adapter->tx_ring[qid];
	struct ixgbe_ixdp_pair *p;
	u32 mfs;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->rx = kvcalloc(rx_ring->count, sizeof(*p->rx), GFP_KERNEL);
	p->tx = kvcalloc(tx_ring->count, sizeof(*p->tx), GFP_KERNEL);
	if (!p->rx || !p->tx) {
		ixgbe_ixdp_free(p);
		return NULL;
	}
	p->adapter = adapter;
	p->rx_ring = rx_ring;
	p->tx_ring = tx_ring;
	p->dma_dev = rx_ring->dev;
	p->rx_count = rx_ring->count;
	p->tx_count = tx_ring->count;
	/* MFS counts the CRC; up to two VLAN tags come on top (8.2.3.22.13). */
	mfs = IXGBE_READ_REG(&adapter->hw, IXGBE_MAXFRS);
	p->rx_min = (mfs >> IXGBE_MHADD_MFS_SHIFT) + 2 * VLAN_HLEN;
	return p;
}

static int ixgbe_ixdp_take(struct ixdp_drv_queue *q)
{
	struct ixgbe_adapter *adapter = netdev_priv(q->dev);
	struct ixgbe_ixdp_pair *p;
	int err;

	ASSERT_RTNL();
	err = ixgbe_ixdp_check(q->dev, q->qid);
	if (err)
		return err;
	p = ixgbe_ixdp_alloc(adapter, q->qid);
	if (!p)
		return -ENOMEM;

	ixgbe_txrx_ring_disable(adapter, q->qid);
	set_bit(q->qid, adapter->ixdp_qps);
	WRITE_ONCE(adapter->ixdp_pairs, adapter->ixdp_pairs + 1);
	p->rx_ring->ixdp = p;
	/* Programs both rings empty: the pair is owned, nothing is posted. */
	ixgbe_txrx_ring_enable(adapter, q->qid);
	/* NAPI no longer wakes the queue: a queue stopped now would stay
	 * stopped until the watchdog resets the device.  Awake, what the
	 * stack sends on it is dropped.
	 */
	netif_tx_wake_queue(netdev_get_tx_queue(q->dev, q->qid));
	p->q = q;
	q->priv = p;
	return 0;
}

/**
 * ixgbe_ixdp_xmit() - Linux sends on the Tx ring of a pair ixdp owns
 * @adapter: the adapter
 * @tx_ring: the ring
 * @skb: what Linux sends; taken
 *
 * Called from __ixgbe_xmit_frame() with the ring's transmit queue
 * locked, which ixgbe_ixdp_give() takes before it lets the pair go: the
 * core sends the frame (&struct ixdp_drv_queue.xmit_linux), or it is
 * dropped while the pair is lost or being given back.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t ixgbe_ixdp_xmit(struct ixgbe_adapter *adapter,
			    struct ixgbe_ring *tx_ring, struct sk_buff *skb)
{
	struct ixgbe_ring *rx_ring = adapter->rx_ring[tx_ring->queue_index];
	struct ixgbe_ixdp_pair *p = rx_ring ? rx_ring->ixdp : NULL;

	if (p && !READ_ONCE(p->lost) && p->q->xmit_linux)
		return p->q->xmit_linux(p->q, skb);
	dev_core_stats_tx_dropped_inc(adapter->netdev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Hand every buffer still on the rings back to the core. */
static void ixgbe_ixdp_release(struct ixdp_drv_queue *q,
			       struct ixgbe_ixdp_pair *p)
{
	struct ixgbe_ixdp_slot *s;

	for (; p->rx_posted; p->rx_posted--) {
		s = &p->rx[p->rx_ntc];
		q->release_rx(q, s->addr);
		p->rx_ntc = ixgbe_ixdp_next(p->rx_ntc, p->rx_count);
	}
	for (; p->tx_queued; p->tx_queued--) {
		s = &p->tx[p->tx_ntc];
		q->release_tx(q, s->addr);
		p->tx_ntc = ixgbe_ixdp_next(p->tx_ntc, p->tx_count);
	}
}

/* Unmap the first @n chunks of @p's table and drop it. */
static void ixgbe_ixdp_pool_unmap(struct ixgbe_ixdp_pair *p, unsigned int n)
{
	struct ixgbe_ixdp_chunk *c;

	for (c = p->chunks; c < p->chunks + n; c++)
		dma_unmap_page_attrs(p->dma_dev, c->dma, c->len,
				     DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
	kfree(p->chunks);
	p->chunks = NULL;
	p->nchunks = 0;
}

static int ixgbe_ixdp_pool_map(struct ixdp_drv_queue *q,
			       struct page *const *chunks, const u8 *orders,
			       unsigned int n)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	struct ixgbe_ixdp_chunk c;
	unsigned int i, j;

	ASSERT_RTNL();
	if (p->chunks)
		return -EBUSY;
	p->chunks = kcalloc(n, sizeof(*p->chunks), GFP_KERNEL);
	if (!p->chunks)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		c.va = (unsigned long)page_address(chunks[i]);
		c.len = PAGE_SIZE << orders[i];
		/* Each buffer is synced when posted or sent, not here. */
		c.dma = dma_map_page_attrs(p->dma_dev, chunks[i], 0, c.len,
					   DMA_BIDIRECTIONAL,
					   DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(p->dma_dev, c.dma)) {
			ixgbe_ixdp_pool_unmap(p, i);
			return -ENOMEM;
		}
		/* Kept sorted for ixgbe_ixdp_dma(); a few dozen at most. */
		for (j = i; j && p->chunks[j - 1].va > c.va; j--)
			p->chunks[j] = p->chunks[j - 1];
		p->chunks[j] = c;
	}
	p->nchunks = n;
	return 0;
}

/*
 * The bus address of the @len bytes at @addr, within one chunk of the
 * pool, or DMA_MAPPING_ERROR.
 */
static dma_addr_t ixgbe_ixdp_dma(const struct ixgbe_ixdp_pair *p,
				 const void *addr, u32 len)
{
	unsigned long va = (unsigned long)addr;
	unsigned int lo = 0, hi = p->nchunks, mid;
	const struct ixgbe_ixdp_chunk *c;

	/* The last chunk starting at or below @va. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->chunks[mid].va <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return DMA_MAPPING_ERROR;
	c = &p->chunks[lo - 1];
	if (va - c->va >= c->len || len > c->len - (va - c->va))
		return DMA_MAPPING_ERROR;
	return c->dma + (va - c->va);
}

/* @addr is not in the pool: refuse it, and say so once. */
static void ixgbe_ixdp_stray(struct ixdp_drv_queue *q, const void *addr)
{
	netdev_warn_once(q->dev, "ixdp: buffer %p is not in the pool mapped\n",
			 addr);
}

static void ixgbe_ixdp_give(struct ixdp_drv_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->dev, q->qid);
	struct ixgbe_ixdp_pair *p = q->priv;
	struct ixgbe_adapter *adapter = p->adapter;
	struct ixgbe_ring *rx_ring;
	bool up;

	ASSERT_RTNL();
	/*
	 * The core has stopped calling the ops: no grace period needed.
	 * Linux's senders hold the queue's lock in ixgbe_ixdp_xmit(): none
	 * reaches the core once this is seen.
	 */
	__netif_tx_lock_bh(txq);
	WRITE_ONCE(p->lost, true);
	__netif_tx_unlock_bh(txq);
	up = netif_running(q->dev) && !test_bit(__IXGBE_DOWN, &adapter->state);
	/* Stop both queues before their buffers go back (a down device
	 * has stopped them already).
	 */
	if (up)
		ixgbe_txrx_ring_disable(adapter, q->qid);
	ixgbe_ixdp_release(q, p);
	/* The device no longer reaches the buffers. */
	ixgbe_ixdp_pool_unmap(p, p->nchunks);

	/* A reset may have reallocated the rings. */
	rx_ring = adapter->rx_ring[q->qid];
	if (rx_ring && rx_ring->ixdp == p)
		rx_ring->ixdp = NULL;
	clear_bit(q->qid, adapter->ixdp_qps);
	WRITE_ONCE(adapter->ixdp_pairs, adapter->ixdp_pairs - 1);
	if (up)
		ixgbe_txrx_ring_enable(adapter, q->qid);
	/* A sender that found @p before it was cleared is done with it. */
	__netif_tx_lock_bh(txq);
	__netif_tx_unlock_bh(txq);
	ixgbe_ixdp_free(p);
	q->priv = NULL;
}

/**
 * ixgbe_ixdp_ring_lost() - a device reset is emptying an owned pair
 * @rx_ring: its Rx ring, being cleaned by ixgbe_down() or a ring disable
 *
 * Marks the pair lost and waits until no CPU is in one of its ops, so
 * that the dataplane no longer writes descriptors or tail registers when
 * the rings are reprogrammed.  Sleeps.
 */
void ixgbe_ixdp_ring_lost(struct ixgbe_ring *rx_ring)
{
	struct ixgbe_ixdp_pair *p = rx_ring->ixdp;

	if (READ_ONCE(p->lost))
		return;
	WRITE_ONCE(p->lost, true);
	synchronize_rcu();
	netdev_warn(rx_ring->netdev,
		    "ixdp: queue %u stopped by a reset; detach to recover it\n",
		    rx_ring->queue_index);
}

static unsigned int ixgbe_ixdp_rx_post(struct ixdp_drv_queue *q,
				       struct ixdp_drv_frame *f,
				       unsigned int n)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	union ixgbe_adv_rx_desc *desc;
	struct ixgbe_ixdp_slot *s;
	unsigned int i = 0;
	dma_addr_t dma;

	rcu_read_lock();
	if (READ_ONCE(p->lost))
		goto out;
	/* One descriptor stays empty: RDT == RDH means an empty ring. */
	for (; i < n && p->rx_posted < p->rx_count - 1; i++) {
		if (unlikely(f[i].len < p->rx_min)) {
			netdev_warn_once(q->dev,
					 "ixdp: a %u-byte buffer cannot take a %u-byte frame\n",
					 f[i].len, p->rx_min);
			break;
		}
		dma = ixgbe_ixdp_dma(p, f[i].addr, f[i].len);
		if (unlikely(dma == DMA_MAPPING_ERROR)) {
			ixgbe_ixdp_stray(q, f[i].addr);
			break;
		}
		dma_sync_single_for_device(p->dma_dev, dma, f[i].len,
					   DMA_BIDIRECTIONAL);
		s = &p->rx[p->rx_ntu];
		s->addr = f[i].addr;
		s->dma = dma;
		s->len = f[i].len;
		desc = IXGBE_RX_DESC(p->rx_ring, p->rx_ntu);
		desc->read.pkt_addr = cpu_to_le64(dma);
		desc->read.hdr_addr = 0;
		p->rx_ntu = ixgbe_ixdp_next(p->rx_ntu, p->rx_count);
		p->rx_posted++;
	}
	/* writel() orders the descriptor writes before the tail bump. */
	if (i) {
		writel(p->rx_ntu, p->rx_ring->tail);
		q->doorbells++;
	}
out:
	rcu_read_unlock();
	return i;
}

/* The frame length a completed Rx descriptor gives ixdp, 0 to drop it. */
static u32 ixgbe_ixdp_rx_len(struct ixgbe_ixdp_pair *p,
			     const union ixgbe_adv_rx_desc *desc)
{
	u32 staterr = le32_to_cpu(desc->wb.upper.status_error);
	bool frag = p->rx_frag;

	p->rx_frag = !(staterr & IXGBE_RXD_STAT_EOP);
	if (frag || p->rx_frag)
		return 0;
	if (staterr & (IXGBE_RXDADV_ERR_FRAME_ERR_MASK | IXGBE_RXD_STAT_VP))
		return 0;
	return le16_to_cpu(desc->wb.upper.length);
}

/*
 * The TCP or UDP checksum, as ixgbe_rx_checksum() reads it: checked
 * (L4CS) and not in error (TCPE).  An error is left to the core's own
 * check, which also passes a UDP datagram without a checksum that the
 * 82599 reports in error.
 */
static u16 ixgbe_ixdp_rx_csum(const union ixgbe_adv_rx_desc *desc)
{
	u32 staterr = le32_to_cpu(desc->wb.upper.status_error);

	if (!(staterr & IXGBE_RXD_STAT_L4CS) ||
	    staterr & IXGBE_RXDADV_ERR_TCPE)
		return 0;
	return IXDP_DRV_RX_CSUM_OK;
}

static unsigned int ixgbe_ixdp_rx_burst(struct ixdp_drv_queue *q,
					struct ixdp_drv_frame *f,
					unsigned int max)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	union ixgbe_adv_rx_desc *desc;
	struct ixgbe_ixdp_slot *s;
	unsigned int i = 0;

	rcu_read_lock();
	if (READ_ONCE(p->lost))
		goto out;
	for (; i < max && p->rx_posted; i++) {
		desc = IXGBE_RX_DESC(p->rx_ring, p->rx_ntc);
		if (!(READ_ONCE(desc->wb.upper.status_error) &
		      cpu_to_le32(IXGBE_RXD_STAT_DD)))
			break;
		/* Read the rest of the descriptor only after DD. */
		dma_rmb();
		s = &p->rx[p->rx_ntc];
		dma_sync_single_for_cpu(p->dma_dev, s->dma, s->len,
					DMA_BIDIRECTIONAL);
		f[i].addr = s->addr;
		f[i].off = 0;
		f[i].len = ixgbe_ixdp_rx_len(p, desc);
		f[i].rx_csum = f[i].len ? ixgbe_ixdp_rx_csum(desc) : 0;
		p->rx_ntc = ixgbe_ixdp_next(p->rx_ntc, p->rx_count);
		p->rx_posted--;
	}
out:
	rcu_read_unlock();
	return i;
}

static unsigned int ixgbe_ixdp_tx_burst(struct ixdp_drv_queue *q,
					struct ixdp_drv_frame *f,
					unsigned int n)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	union ixgbe_adv_tx_desc *desc;
	struct ixgbe_ixdp_slot *s;
	unsigned int i = 0;
	dma_addr_t dma;
	u32 len;

	rcu_read_lock();
	if (READ_ONCE(p->lost))
		goto out;
	/* One descriptor stays empty: TDT == TDH means nothing to send. */
	for (; i < n && p->tx_queued < p->tx_count - 1; i++) {
		len = f[i].len;
		if (len < IXGBE_IXDP_TX_MIN || len >= IXGBE_MAX_DATA_PER_TXD)
			break;
		dma = ixgbe_ixdp_dma(p, f[i].addr, len);
		if (unlikely(dma == DMA_MAPPING_ERROR)) {
			ixgbe_ixdp_stray(q, f[i].addr);
			break;
		}
		dma_sync_single_for_device(p->dma_dev, dma, len,
					   DMA_BIDIRECTIONAL);
		s = &p->tx[p->tx_ntu];
		s->addr = f[i].token;
		desc = IXGBE_TX_DESC(p->tx_ring, p->tx_ntu);
		desc->read.buffer_addr = cpu_to_le64(dma);
		desc->read.cmd_type_len = cpu_to_le32(IXGBE_IXDP_TX_CMD | len);
		/* Also clears DD, which the device writes back here. */
		desc->read.olinfo_status =
			cpu_to_le32(len << IXGBE_ADVTXD_PAYLEN_SHIFT);
		p->tx_ntu = ixgbe_ixdp_next(p->tx_ntu, p->tx_count);
		p->tx_queued++;
	}
	/* writel() orders the descriptor writes before the tail bump. */
	if (i) {
		writel(p->tx_ntu, p->tx_ring->tail);
		q->doorbells++;
	}
out:
	rcu_read_unlock();
	return i;
}

static unsigned int ixgbe_ixdp_tx_reclaim(struct ixdp_drv_queue *q,
					  void **tokens, unsigned int max)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	union ixgbe_adv_tx_desc *desc;
	struct ixgbe_ixdp_slot *s;
	unsigned int i = 0;

	rcu_read_lock();
	if (READ_ONCE(p->lost))
		goto out;
	for (; i < max && p->tx_queued; i++) {
		desc = IXGBE_TX_DESC(p->tx_ring, p->tx_ntc);
		if (!(READ_ONCE(desc->wb.status) &
		      cpu_to_le32(IXGBE_TXD_STAT_DD)))
			break;
		s = &p->tx[p->tx_ntc];
		tokens[i] = s->addr;
		p->tx_ntc = ixgbe_ixdp_next(p->tx_ntc, p->tx_count);
		p->tx_queued--;
	}
out:
	rcu_read_unlock();
	return i;
}

/*
 * The hash ixgbe_setup_mrqc() enables for TCP/IPv4 (datasheet 7.1.2.8):
 * Toeplitz over addresses and ports with the RSSRK key, whose low 7 bits
 * (9 on the X550) index the RETA.  The key and table are the driver's
 * copies of what it wrote to the device, as ethtool reads them.
 */
static int ixgbe_ixdp_rss_get(struct net_device *dev, u8 *key, u16 *indir,
			      unsigned int max)
{
	struct ixgbe_adapter *adapter = netdev_priv(dev);
	u32 i, n = ixgbe_rss_indir_tbl_entries(adapter);
	u16 mask = adapter->ring_feature[RING_F_RSS].mask;

	/* With DCB, traffic classes come before the table. */
	if (adapter->ring_feature[RING_F_RSS].indices < 2 || !adapter->rss_key ||
	    adapter->flags & IXGBE_FLAG_DCB_ENABLED)
		return -EOPNOTSUPP;
	if (n > max || !is_power_of_2(n))
		return -E2BIG;
	memcpy(key, adapter->rss_key,
	       min_t(u32, IXDP_DRV_RSS_KEY, IXGBE_RSS_KEY_SIZE));
	for (i = 0; i < n; i++)
		indir[i] = adapter->rss_indir_tbl[i] & mask;
	return n;
}

/*
 * The RETA (82599 and X540: 128 entries of 4 bits, 8.2.3.7.13; X550: 512
 * of 6 bits with the ERETA), written as ethtool's set_rxfh writes it:
 * the driver's copy first, then ixgbe_store_reta().  Under RTNL, as
 * ethtool.  A reset of the device (ixgbe_setup_reta()) writes the
 * default table again, as it does over ethtool's; it stops the pairs
 * ixdp holds too (ixgbe_ixdp_ring_lost()), so the device is attached
 * again.
 */
static int ixgbe_ixdp_rss_set(struct net_device *dev, const u16 *indir,
			      unsigned int n)
{
	struct ixgbe_adapter *adapter = netdev_priv(dev);
	u16 queues = adapter->ring_feature[RING_F_RSS].indices;
	unsigned int i;

	if (queues < 2 || !adapter->rss_key ||
	    adapter->flags & IXGBE_FLAG_DCB_ENABLED)
		return -EOPNOTSUPP;
	if (n != ixgbe_rss_indir_tbl_entries(adapter))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (indir[i] >= queues)
			return -EINVAL;
	for (i = 0; i < n; i++)
		adapter->rss_indir_tbl[i] = indir[i];
	ixgbe_store_reta(adapter);
	return 0;
}

/* Linux's frames the pair carried, in the ring's own counters. */
static void ixgbe_ixdp_count_linux(struct ixdp_drv_queue *q, bool tx,
				   unsigned int packets, u64 bytes)
{
	struct ixgbe_ixdp_pair *p = q->priv;
	struct ixgbe_ring *ring;

	if (!p)
		return;
	/* As the other ops: a reset's grace period fences the rings. */
	rcu_read_lock();
	if (!READ_ONCE(p->lost)) {
		ring = tx ? p->tx_ring : p->rx_ring;
		u64_stats_update_begin(&ring->syncp);
		ring->stats.packets += packets;
		ring->stats.bytes += bytes;
		u64_stats_update_end(&ring->syncp);
	}
	rcu_read_unlock();
}

static const struct ixdp_drv_ops ixgbe_ixdp_ops = {
	.queue_take	= ixgbe_ixdp_take,
	.queue_give	= ixgbe_ixdp_give,
	.rx_post	= ixgbe_ixdp_rx_post,
	.rx_burst	= ixgbe_ixdp_rx_burst,
	.tx_burst	= ixgbe_ixdp_tx_burst,
	.tx_reclaim	= ixgbe_ixdp_tx_reclaim,
	.pool_map	= ixgbe_ixdp_pool_map,
	.rss_get	= ixgbe_ixdp_rss_get,
	.rss_set	= ixgbe_ixdp_rss_set,
	.count_linux	= ixgbe_ixdp_count_linux,
};

/**
 * ixgbe_ixdp_init() - let ixdp attach ixgbe devices
 *
 * Called at module init, before the PCI driver registers.  A failure only
 * leaves ixgbe devices out of ixdp's reach.
 */
void ixgbe_ixdp_init(void)
{
	int err;

	err = ixdp_drv_register(ixgbe_ixdp_netdev_ops(), &ixgbe_ixdp_ops);
	if (err)
		pr_warn("ixgbe: ixdp queue ops not registered: %d\n", err);
}

/**
 * ixgbe_ixdp_exit() - undo ixgbe_ixdp_init()
 *
 * Called at module exit, once the PCI driver (and every netdev) is gone.
 */
void ixgbe_ixdp_exit(void)
{
	ixdp_drv_unregister(ixgbe_ixdp_netdev_ops());
}
