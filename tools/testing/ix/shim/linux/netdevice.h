/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: what net/ixdp reads of a net_device, and what the
 * kernel's <linux/netdevice.h> brings along for dp.h and app*.c.
 */
#ifndef _IX_SHIM_LINUX_NETDEVICE_H
#define _IX_SHIM_LINUX_NETDEVICE_H

#include_next <linux/netdevice.h>	/* the uapi one, as the kernel's has */
#include <errno.h>
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

/* What a driver's start_xmit returns. */
typedef int netdev_tx_t;
#define NETDEV_TX_OK	0

/* The slow path's counter of drops, written from several CPUs. */
typedef struct {
	long long	counter;
} atomic64_t;

/* The last four: what drivers/net/.../ixgbe_ixdp.c reads (shim/ixgbe/). */
struct net_device {
	int				ifindex;
	const struct net_device_ops	*netdev_ops;
	void				*priv;
	struct netdev_queue		*txq;
	bool				up;
};

struct net_device_ops {
	int	unused;
};

#endif /* _IX_SHIM_LINUX_NETDEVICE_H */
