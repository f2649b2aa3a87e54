// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp steering: where the NIC can sort frames, the dataplane's reach its
 * queue and Linux's reach Linux's, and neither crosses in software.
 *
 * A device attached in part (queue split) leaves the sorting to software
 * otherwise: the device hashes every flow over every queue, the intake
 * (intake.c) takes the dataplane's frames from Linux's queues and the
 * cores hand Linux what reaches theirs (slow.c).  With sysfs steer on,
 * the attach asks the device, through its ethtool n-tuple operations as
 * `ethtool -N` would:
 *
 *  - one rule: IPv4 to the dataplane's address goes to the dataplane's
 *    queue (on ixgbe a Flow Director perfect filter, which the 82599
 *    applies before RSS; ntuple must be on, which resets the port, so it
 *    is the admin's step, before the attach);
 *  - the entries of the RSS indirection table that name the dataplane's
 *    queue are given to the other queues the table names, so that
 *    nothing else lands on the dataplane's (a queue the table left out
 *    stays out).
 *
 * ARP, and whatever the rule does not match, still reach Linux's queues
 * and the intake.  Only a dataplane of one queue is steered: one
 * rule names one queue, and several would need rules on port bits, whose
 * partial masks the 82599's documentation does not promise.
 *
 * Steering never fails an attach.  Whatever it cannot do, it undoes and
 * says why (sysfs steer_state); the software path serves as before.  The
 * rule takes a free location from the top of the device's table (or any,
 * where the driver picks), and is removed at detach; the table is put
 * back as it was found.  An `ethtool -X` meanwhile is overwritten then.
 * The driver's operations are called as the ethtool core calls them,
 * under RTNL, but for its runtime PM and begin/complete hooks, which the
 * drivers with ixdp operations do not have.
 */

#include <linux/errno.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "steer.h"

/* The device's n-tuple operation @cmd on @nfc. */
static int steer_get(struct net_device *dev, struct ethtool_rxnfc *nfc,
		     u32 cmd, u32 *locs)
{
	nfc->cmd = cmd;
	return dev->ethtool_ops->get_rxnfc(dev, nfc, locs);
}

/*
 * A free location for a rule, in @loc: the highest the table has free,
 * or RX_CLS_LOC_ANY where the driver picks one itself.
 */
static int steer_free_loc(struct net_device *dev, u32 *loc)
{
	struct ethtool_rxnfc nfc = {};
	u32 *locs, i, size, n;
	int err;

	err = steer_get(dev, &nfc, ETHTOOL_GRXCLSRLCNT, NULL);
	if (err)
		return err;
	if (nfc.data & RX_CLS_LOC_SPECIAL) {
		*loc = RX_CLS_LOC_ANY;
		return 0;
	}
	n = nfc.rule_cnt;
	locs = kcalloc(max(n, 1U), sizeof(*locs), GFP_KERNEL);
	if (!locs)
		return -ENOMEM;
	memset(&nfc, 0, sizeof(nfc));
	nfc.rule_cnt = n;
	err = steer_get(dev, &nfc, ETHTOOL_GRXCLSRLALL, locs);
	size = nfc.data;
	n = min(nfc.rule_cnt, n);
	if (!err && !size)
		err = -EOPNOTSUPP;
	if (err)
		goto out;
	err = -ENOSPC;
	while (size--) {
		for (i = 0; i < n && locs[i] != size; i++)
			;
		if (i == n) {
			*loc = size;
			err = 0;
			break;
		}
	}
out:
	kfree(locs);
	return err;
}

/* Put the rule: IPv4 to @addr goes to queue @queue. */
static int steer_rule_add(struct ixdp_steer *st, struct net_device *dev,
			  __be32 addr, unsigned int queue)
{
	struct ethtool_rxnfc nfc = {
		.cmd = ETHTOOL_SRXCLSRLINS,
		.fs = {
			.flow_type = IP_USER_FLOW,
			.h_u.usr_ip4_spec = {
				.ip4dst = addr,
				.ip_ver = ETH_RX_NFC_IP4,
			},
			.m_u.usr_ip4_spec.ip4dst = cpu_to_be32(0xffffffff),
			.ring_cookie = queue,
			.location = st->loc,
		},
	};
	int err;

	err = dev->ethtool_ops->set_rxnfc(dev, &nfc);
	if (!err)
		st->loc = nfc.fs.location;
	return err;
}

static int steer_rule_del(struct ixdp_steer *st, struct net_device *dev)
{
	struct ethtool_rxnfc nfc = {
		.cmd = ETHTOOL_SRXCLSRLDEL,
		.fs.location = st->loc,
	};

	return dev->ethtool_ops->set_rxnfc(dev, &nfc);
}

/*
 * The table as it was, but that each entry of @queue names instead the
 * next entry of another queue, round robin: Linux's queues keep their
 * shares among themselves, and a queue the table left out (the admin's,
 * or one the device does not hash to) stays out.  -ENOENT if every
 * entry is @queue's.
 */
static int steer_table_set(struct ixdp_steer *st, struct net_device *dev,
			   const struct ixdp_drv_ops *ops, unsigned int queue)
{
	unsigned int i, j = 0, k, n = st->nindir;
	u16 *indir;
	int err;

	indir = kcalloc(n, sizeof(*indir), GFP_KERNEL);
	if (!indir)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		indir[i] = st->indir[i];
		if (indir[i] != queue)
			continue;
		for (k = 0; k < n && st->indir[j] == queue; k++)
			j = (j + 1) % n;
		if (k == n) {
			err = -ENOENT;
			goto out;
		}
		indir[i] = st->indir[j];
		j = (j + 1) % n;
	}
	err = ops->rss_set(dev, indir, n);
out:
	kfree(indir);
	return err;
}

/* Whether the device can be steered so; else st->why says why not. */
static bool steer_can(struct ixdp_steer *st, struct net_device *dev,
		      const struct ixdp_drv_ops *ops, unsigned int nqueues,
		      unsigned int nrx)
{
	const struct ethtool_ops *eo = dev->ethtool_ops;

	if (nqueues >= nrx)
		st->why = "no queue left to Linux";
	else if (nqueues != 1)
		st->why = "several dataplane queues";
	else if (!eo || !eo->get_rxnfc || !eo->set_rxnfc)
		st->why = "no n-tuple rules";
	else if (!(dev->features & NETIF_F_NTUPLE))
		st->why = "ntuple off";
	else if (!netif_device_present(dev))
		st->why = "device not present";
	else if (!ops->rss_get || !ops->rss_set)
		st->why = "no indirection table";
	else
		return true;
	return false;
}

/**
 * ixdp_steer_start() - let the device sort the dataplane's frames
 * @st: the device's steering state, not active
 * @dev: the device
 * @ops: its driver's ixdp operations
 * @addr: the dataplane's address
 * @queue: the dataplane's first queue
 * @nqueues: the dataplane's queues; one alone is steered
 * @nrx: the device's receive queues
 *
 * Puts a rule sending IPv4 to @addr to @queue, then points the
 * indirection table at the other queues.  What fails is undone, and
 * @st->why tells why.  Called with RTNL held.
 *
 * Return: 0 if steering; -EOPNOTSUPP where the device cannot, -ENOSPC
 * if its rule table is full, or what the driver refused with.
 */
int ixdp_steer_start(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops, __be32 addr,
		     unsigned int queue, unsigned int nqueues, unsigned int nrx)
{
	u8 key[IXDP_DRV_RSS_KEY];
	int err, n;

	st->active = false;
	st->why = NULL;
	if (!steer_can(st, dev, ops, nqueues, nrx))
		return -EOPNOTSUPP;
	n = ops->rss_get(dev, key, st->indir, IXDP_DRV_RSS_MAX);
	if (n <= 0) {
		st->why = "no indirection table";
		return n ? n : -EOPNOTSUPP;
	}
	st->nindir = n;
	err = steer_free_loc(dev, &st->loc);
	if (err) {
		st->why = err == -ENOSPC ? "rule table full" :
					   "rule table unreadable";
		return err;
	}
	err = steer_rule_add(st, dev, addr, queue);
	if (err) {
		st->why = "rule refused";
		return err;
	}
	err = steer_table_set(st, dev, ops, queue);
	if (err) {
		st->why = err == -ENOENT ? "no queue of Linux's in the table" :
					   "indirection table refused";
		goto out_rule;
	}
	st->active = true;
	netdev_info(dev, "ixdp: steering: rule %u, %u table entries\n",
		    st->loc, st->nindir);
	return 0;

out_rule:
	if (steer_rule_del(st, dev))
		netdev_warn(dev, "ixdp: steering: rule %u not removed\n",
			    st->loc);
	return err;
}

/**
 * ixdp_steer_stop() - give the device's sorting back as it was
 * @st: the device's steering state
 * @dev: the device
 * @ops: its driver's ixdp operations
 *
 * Puts the table back and removes the rule; nothing if not active.
 * Called with RTNL held.
 */
void ixdp_steer_stop(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops)
{
	if (!st->active)
		return;
	st->active = false;
	/* Gone with a PCI error or surprise removal: nothing to undo. */
	if (!netif_device_present(dev))
		return;
	if (ops->rss_set(dev, st->indir, st->nindir))
		netdev_warn(dev, "ixdp: steering: the table not put back\n");
	if (steer_rule_del(st, dev))
		netdev_warn(dev, "ixdp: steering: rule %u not removed\n",
			    st->loc);
}
