// SPDX-License-Identifier: GPL-2.0
/*
 * What ixgbe_ixdp.c calls in the rest of the kernel and of ixgbe, for the
 * host harness: the ring disable and enable of ixgbe_main.c (programming
 * the 82599 model's queue registers as the datasheet asks, 8.2.3.8 and
 * 8.2.3.9, with no buffers: the harness has no Linux receive path), the
 * size of the RSS table, the netdev ops the queue ops register for, and
 * kmalloc().  Written for the harness, not taken from ixgbe_main.c.
 */

#include <stdlib.h>
#include <string.h>
#include <linux/slab.h>
#include <net/ixdp_drv.h>

#include "ixgbe.h"
#include "ixgbe_txrx_common.h"
#include "ixgbe_ixdp.h"
#include "ixgbe_port.h"

int ix_rcu_depth;
unsigned int ix_netdev_warnings;
const struct ixdp_drv_ops *ixp_ops;

static const struct net_device_ops ixgbe_shim_netdev_ops;

void *kmalloc(size_t size, gfp_t gfp)
{
	return gfp & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

void kfree(void *p)
{
	free(p);
}

const struct net_device_ops *ixgbe_ixdp_netdev_ops(void)
{
	return &ixgbe_shim_netdev_ops;
}

int ixdp_drv_register(const struct net_device_ops *ndo,
		      const struct ixdp_drv_ops *ops)
{
	ixp_ops = ops;
	return 0;
}

void ixdp_drv_unregister(const struct net_device_ops *ndo)
{
	ixp_ops = NULL;
}

/* 128 RETA entries on the 82599 (8.2.3.7.13), 512 on the X550. */
u32 ixgbe_rss_indir_tbl_entries(struct ixgbe_adapter *adapter)
{
	return adapter->hw.mac.type < ixgbe_mac_X550 ? 128 : 512;
}

/* The 82599's RETA (8.2.3.7.13): 128 entries, a byte each, 4 a register. */
void ixgbe_store_reta(struct ixgbe_adapter *adapter)
{
	struct ixgbe_hw *hw = &adapter->hw;
	unsigned int i;
	u32 reta = 0;

	for (i = 0; i < 128; i++) {
		reta |= (u32)adapter->rss_indir_tbl[i] << (i % 4) * 8;
		if (i % 4 == 3) {
			IXGBE_WRITE_REG(hw, IXGBE_RETA(i / 4), reta);
			reta = 0;
		}
	}
}

void ixgbe_txrx_ring_disable(struct ixgbe_adapter *adapter, int ring)
{
	struct ixgbe_hw *hw = &adapter->hw;
	u8 rx = adapter->rx_ring[ring]->reg_idx;
	u8 tx = adapter->tx_ring[ring]->reg_idx;

	IXGBE_WRITE_REG(hw, IXGBE_RXDCTL(rx), 0);
	IXGBE_WRITE_REG(hw, IXGBE_TXDCTL(tx), 0);
}

/* The registers of one ring: base, length, head, tail, control. */
struct ixgbe_shim_regs {
	u32	bal, bah, len, head, tail, ctl, enable;
};

/* Base, length, head and tail 0, then ENABLE. */
static void ixgbe_shim_ring(struct ixgbe_adapter *adapter,
			    struct ixgbe_ring *ring,
			    const struct ixgbe_shim_regs *r)
{
	struct ixgbe_hw *hw = &adapter->hw;

	IXGBE_WRITE_REG(hw, r->bal, lower_32_bits(ring->dma));
	IXGBE_WRITE_REG(hw, r->bah, ring->dma >> 32);
	IXGBE_WRITE_REG(hw, r->len, ring->size);
	IXGBE_WRITE_REG(hw, r->head, 0);
	IXGBE_WRITE_REG(hw, r->tail, 0);
	ring->tail = hw->hw_addr + r->tail;
	IXGBE_WRITE_REG(hw, r->ctl, r->enable);
}

/*
 * The transmit ring, then the receive ring, SRRCTL first: 2 KiB buffers,
 * advanced one-buffer descriptors, and DROP_EN if the port asks for it.
 */
void ixgbe_txrx_ring_enable(struct ixgbe_adapter *adapter, int ring)
{
	struct ixp *p = container_of(adapter, struct ixp, ad);
	u8 rx = adapter->rx_ring[ring]->reg_idx;
	u8 tx = adapter->tx_ring[ring]->reg_idx;
	const struct ixgbe_shim_regs rxr = {
		IXGBE_RDBAL(rx), IXGBE_RDBAH(rx), IXGBE_RDLEN(rx),
		IXGBE_RDH(rx), IXGBE_RDT(rx), IXGBE_RXDCTL(rx),
		IXGBE_RXDCTL_ENABLE,
	};
	const struct ixgbe_shim_regs txr = {
		IXGBE_TDBAL(tx), IXGBE_TDBAH(tx), IXGBE_TDLEN(tx),
		IXGBE_TDH(tx), IXGBE_TDT(tx), IXGBE_TXDCTL(tx),
		IXGBE_TXDCTL_ENABLE,
	};

	ixgbe_shim_ring(adapter, adapter->tx_ring[ring], &txr);
	IXGBE_WRITE_REG(&adapter->hw, IXGBE_SRRCTL(rx),
			2048 >> IXGBE_SRRCTL_BSIZEPKT_SHIFT |
			IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF |
			(p->drop_en ? IXGBE_SRRCTL_DROP_EN : 0));
	ixgbe_shim_ring(adapter, adapter->rx_ring[ring], &rxr);
}
