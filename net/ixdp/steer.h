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

/**
 * struct ixdp_steer - what steering changed on a device, to undo it
 * @active: the rule and the table are in place
 * @loc: the rule's location in the device's table
 * @nindir: entries of the indirection table
 * @indir: the table as it was, put back at ixdp_steer_stop()
 * @why: while not active, why not (a constant string), or NULL
 */
struct ixdp_steer {
	bool		active;
	u32		loc;
	unsigned int	nindir;
	u16		indir[IXDP_DRV_RSS_MAX];
	const char	*why;
};

int ixdp_steer_start(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops, __be32 addr,
		     unsigned int queue, unsigned int nqueues, unsigned int nrx);
void ixdp_steer_stop(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops);

#endif /* _NET_IXDP_STEER_H */
