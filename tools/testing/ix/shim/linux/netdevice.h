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
