/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the uapi's ethtool structures, and of struct
 * ethtool_ops what steer.c calls (the n-tuple operations).
 */
#ifndef _IX_SHIM_LINUX_ETHTOOL_H
#define _IX_SHIM_LINUX_ETHTOOL_H

#include_next <linux/ethtool.h>

struct net_device;

struct ethtool_ops {
	int	(*get_rxnfc)(struct net_device *dev, struct ethtool_rxnfc *nfc,
			     u32 *rule_locs);
	int	(*set_rxnfc)(struct net_device *dev, struct ethtool_rxnfc *nfc);
};

#endif /* _IX_SHIM_LINUX_ETHTOOL_H */
