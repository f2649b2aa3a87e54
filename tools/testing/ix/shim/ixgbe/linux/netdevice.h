/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the harness's net_device, plus what ixgbe_ixdp.c asks
 * of one: its private area (the adapter), whether it is up, its transmit
 * queues and its warnings, which are counted (ix_netdev_warnings).
 */
#ifndef _IX_SHIM_IXGBE_LINUX_NETDEVICE_H
#define _IX_SHIM_IXGBE_LINUX_NETDEVICE_H
#include_next <linux/netdevice.h>
#include <stdio.h>

extern unsigned int ix_netdev_warnings;

struct netdev_queue {
	bool	stopped;
};

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

static inline bool netif_running(const struct net_device *dev)
{
	return dev->up;
}

static inline struct netdev_queue *
netdev_get_tx_queue(const struct net_device *dev, unsigned int i)
{
	return &dev->txq[i];
}

static inline void netif_tx_wake_queue(struct netdev_queue *txq)
{
	txq->stopped = false;
}

/* One thread: the queue's lock has nobody to wait for. */
static inline void __netif_tx_lock_bh(struct netdev_queue *txq)
{
}

static inline void __netif_tx_unlock_bh(struct netdev_queue *txq)
{
}

/* Linux's frames on an owned ring (ixgbe_ixdp_xmit()): none here. */
static inline void dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
}

static inline void dev_kfree_skb_any(struct sk_buff *skb)
{
}

#undef netdev_warn
#define netdev_warn(dev, fmt, ...)					\
	do {								\
		ix_netdev_warnings++;					\
		printf("# netdev %d: " fmt, (dev)->ifindex, ##__VA_ARGS__); \
	} while (0)
#define netdev_warn_once	netdev_warn

#endif /* _IX_SHIM_IXGBE_LINUX_NETDEVICE_H */
