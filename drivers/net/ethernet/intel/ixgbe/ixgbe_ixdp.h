/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What ixgbe's ixdp queue ops (ixgbe_ixdp.c) and the rest of the driver
 * share.  ixgbe_ixdp.o is linked into ixgbe.ko, so nothing is exported.
 */
#ifndef _IXGBE_IXDP_H_
#define _IXGBE_IXDP_H_

#include <linux/bitops.h>
#include <linux/netdevice.h>

#include "ixgbe.h"

/**
 * ixgbe_ixdp_owned() - is @ring part of a ring pair handed to ixdp?
 * @adapter: the adapter of @ring
 * @ring: an Rx or Tx ring of it
 *
 * The Linux paths (NAPI, transmit, buffer allocation) leave such a ring
 * alone: the ixdp dataplane drives it from its own CPU.
 *
 * Return: true if ixdp owns the pair.
 */
static inline bool ixgbe_ixdp_owned(const struct ixgbe_adapter *adapter,
				    const struct ixgbe_ring *ring)
{
	return test_bit(ring->queue_index, adapter->ixdp_qps);
}

#if IS_ENABLED(CONFIG_IXDP)
const struct net_device_ops *ixgbe_ixdp_netdev_ops(void);
void ixgbe_ixdp_init(void);
void ixgbe_ixdp_exit(void);
void ixgbe_ixdp_ring_lost(struct ixgbe_ring *rx_ring);
netdev_tx_t ixgbe_ixdp_xmit(struct ixgbe_adapter *adapter,
			    struct ixgbe_ring *tx_ring, struct sk_buff *skb);
#else
static inline void ixgbe_ixdp_init(void)
{
}

static inline void ixgbe_ixdp_exit(void)
{
}

static inline void ixgbe_ixdp_ring_lost(struct ixgbe_ring *rx_ring)
{
}

static inline netdev_tx_t ixgbe_ixdp_xmit(struct ixgbe_adapter *adapter,
					  struct ixgbe_ring *tx_ring,
					  struct sk_buff *skb)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
#endif

#endif /* _IXGBE_IXDP_H_ */
