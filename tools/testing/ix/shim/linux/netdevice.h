/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: what net/ixdp reads of a net_device, and what the
 * kernel's <linux/netdevice.h> brings along for dp.h and app*.c.
 */
#ifndef _IX_SHIM_LINUX_NETDEVICE_H
#define _IX_SHIM_LINUX_NETDEVICE_H

#include_next <linux/netdevice.h>	/* the uapi one, as the kernel's has */
#include <errno.h>
#include <stdio.h>
#include <linux/kconfig.h>
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <asm/barrier.h>

/* The kernel's static_assert(): the message is optional. */
#undef static_assert
#define static_assert(expr, ...)	__ix_static_assert(expr, ##__VA_ARGS__, #expr)
#define __ix_static_assert(expr, msg, ...)	_Static_assert(expr, msg)

struct netdev_queue;
struct sk_buff;

/* <linux/atomic.h>, for dp.h's slow path (slow.c, not in the harness). */
typedef struct {
	s64	counter;
} atomic64_t;

/* What ndo_start_xmit returns (struct ixdp_drv_queue.xmit_linux). */
enum netdev_tx {
	NETDEV_TX_OK	= 0x00,
	NETDEV_TX_BUSY	= 0x10,
};

typedef enum netdev_tx netdev_tx_t;

/* NETIF_F_NTUPLE's bit: ethtool's n-tuple rules are on (steer.c). */
#define NETIF_F_NTUPLE			BIT_ULL(20)

/*
 * ifindex to txq and up: what drivers/net/.../ixgbe_ixdp.c reads
 * (shim/ixgbe/); features, ethtool_ops and absent (a device gone):
 * what steer.c reads.
 */
struct net_device {
	int				ifindex;
	const struct net_device_ops	*netdev_ops;
	void				*priv;
	struct netdev_queue		*txq;
	bool				up;
	u64				features;
	const struct ethtool_ops	*ethtool_ops;
	bool				absent;
};

static inline bool netif_device_present(const struct net_device *dev)
{
	return !dev->absent;
}

#define netdev_info(dev, fmt, ...)					\
	printf("# netdev %d: " fmt, (dev)->ifindex, ##__VA_ARGS__)
#ifndef netdev_warn
#define netdev_warn			netdev_info
#endif
#define netdev_dbg(dev, fmt, ...)	do { } while (0)

struct net_device_ops {
	int	unused;
};

#endif /* _IX_SHIM_LINUX_NETDEVICE_H */
