/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp steering: the NIC sorts the dataplane's frames from Linux's; see
 * steer.c.
 */
#ifndef _NET_IXDP_STEER_H
#define _NET_IXDP_STEER_H

#include <linux/types.h>
#include <net/ixdp_drv.h>

struct net_device;

#define IXDP_STEER_RULES	8	/* Linux's addresses steered, at most */

/**
 * struct ixdp_steer_req - what the device is asked to sort
 * @addr: the dataplane's address
 * @queues: the dataplane's queues, a bit each (below 32)
 * @nrx: the device's receive queues
 * @linux_addrs: Linux's IPv4 addresses on the device, each once
 * @nlinux: their count
 * @linux_share: Linux keeps its traffic on the dataplane's queues (punted)
 */
struct ixdp_steer_req {
	__be32		addr;
	u32		queues;
	unsigned int	nrx;
	const __be32	*linux_addrs;
	unsigned int	nlinux;
	bool		linux_share;
};

/**
 * struct ixdp_steer - what steering changed on a device, to undo it
 * @active: the rules and the table are in place
 * @nrules: rules put
 * @loc: their locations in the device's table
 * @nindir: entries of the indirection table
 * @indir: the table as it was, put back at ixdp_steer_stop()
 * @why: while not active, why not (a constant string), or NULL
 */
struct ixdp_steer {
	bool		active;
	unsigned int	nrules;
	u32		loc[IXDP_STEER_RULES];
	unsigned int	nindir;
	u16		indir[IXDP_DRV_RSS_MAX];
	const char	*why;
};

int ixdp_steer_start(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops,
		     const struct ixdp_steer_req *req);
void ixdp_steer_stop(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops);

#endif /* _NET_IXDP_STEER_H */
