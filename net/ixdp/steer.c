// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp steering: where the NIC can sort frames, the dataplane's reach its
 * queues and Linux's reach Linux's, and less crosses in software.
 *
 * A device attached in part (queue split) leaves the sorting to software
 * otherwise: the device hashes every flow over every queue, the intake
 * (intake.c) takes the dataplane's frames from Linux's queues and the
 * cores hand Linux what reaches theirs (slow.c).  With sysfs steer on,
 * the attach asks the device, through its ethtool n-tuple operations as
 * `ethtool -N` would, and its RSS indirection table (the driver's
 * rss_set), in one of two ways:
 *
 *  - one dataplane queue: a rule sends IPv4 to the dataplane's address to
 *    it, and the table's entries that name it are given to the other
 *    queues the table names.  Everything else stays Linux's.
 *  - several: the rule cannot spread the dataplane's flows, so the table
 *    does, and rules send Linux's own IPv4 addresses (IXDP_STEER_RULES at
 *    most) to Linux's queues the table names, round robin: the table's
 *    entries that name Linux's queues are given to the dataplane's queues
 *    it names.  What Linux gets besides (ARP, IPv6, broadcast and
 *    multicast, an address added later, a stacked device's) reaches the
 *    cores and is punted (slow.c), within punt_rate: so only while Linux
 *    shares the dataplane's queues (sysfs linux, on by default).
 *
 * Either way a queue the table left out (the admin's, or one the device
 * does not hash to) stays out, and what the rules do not match still
 * crosses in software.  On the 82599 the rules are Flow Director perfect
 * filters on the destination address alone (ntuple must be on, which
 * resets the port: the admin's step, before the attach), which the
 * device applies before RSS; one rule shape per port, so every rule
 * here has that one.
 *
 * Steering never fails an attach.  Whatever it cannot do, it undoes and
 * says why (sysfs steer_state); the software path serves as before.  The
 * rules take free locations from the top of the device's table (or the
 * driver picks, where it can), and are removed at detach; the table is
 * put back as it was found.  An `ethtool -X` meanwhile is overwritten
 * then.  The driver's operations are called as the ethtool core calls
 * them, under RTNL, but for its runtime PM and begin/complete hooks,
 * which the drivers with ixdp operations do not have.
 */

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "steer.h"

/* The device's n-tuple query @cmd into @nfc. */
static int steer_get(struct net_device *dev, struct ethtool_rxnfc *nfc,
		     u32 cmd, u32 *locs)
{
	nfc->cmd = cmd;
	return dev->ethtool_ops->get_rxnfc(dev, nfc, locs);
}

/* Whether location @loc is among the @n of @locs. */
static bool steer_loc_used(const u32 *locs, unsigned int n, u32 loc)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (locs[i] == loc)
			return true;
	return false;
}

/*
 * @want free locations for rules, in @loc: the highest the table has
 * free, or RX_CLS_LOC_ANY each where the driver picks them itself.
 */
static int steer_free_locs(struct net_device *dev, u32 *loc,
			   unsigned int want)
{
	struct ethtool_rxnfc nfc = {};
	unsigned int got = 0;
	u32 *locs, size, n;
	int err;

	err = steer_get(dev, &nfc, ETHTOOL_GRXCLSRLCNT, NULL);
	if (err)
		return err;
	if (nfc.data & RX_CLS_LOC_SPECIAL) {
		while (got < want)
			loc[got++] = RX_CLS_LOC_ANY;
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
	while (size-- && got < want)
		if (!steer_loc_used(locs, n, size))
			loc[got++] = size;
	err = got == want ? 0 : -ENOSPC;
out:
	kfree(locs);
	return err;
}

/* Put rule @i: IPv4 to @addr goes to queue @queue. */
static int steer_rule_add(struct ixdp_steer *st, struct net_device *dev,
			  unsigned int i, __be32 addr, unsigned int queue)
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
			.location = st->loc[i],
		},
	};
	int err;

	err = dev->ethtool_ops->set_rxnfc(dev, &nfc);
	if (err)
		return err;
	st->loc[i] = nfc.fs.location;
	st->nrules = i + 1;
	return 0;
}

/* Remove the rules put, last first; the first error, or 0. */
static int steer_rules_del(struct ixdp_steer *st, struct net_device *dev)
{
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_SRXCLSRLDEL };
	int err, ret = 0;

	while (st->nrules) {
		nfc.fs.location = st->loc[--st->nrules];
		err = dev->ethtool_ops->set_rxnfc(dev, &nfc);
		if (err) {
			netdev_warn(dev, "ixdp: steering: rule %u not removed (%d)\n",
				    nfc.fs.location, err);
			ret = ret ?: err;
		}
	}
	return ret;
}

/* Whether table entry @q is kept: the dataplane's alone, or Linux's. */
static bool steer_keeps(const struct ixdp_steer_req *req, bool many, u16 q)
{
	bool dp = q < 32 && req->queues & BIT(q);

	return many ? dp : !dp;
}

/*
 * The table as it was, but that each entry it does not keep names
 * instead the next entry it keeps, round robin: the kept queues share
 * the rest in their proportions, and a queue the table left out stays
 * out.  -ENOENT if it keeps none.
 */
static int steer_table_set(struct ixdp_steer *st, struct net_device *dev,
			   const struct ixdp_drv_ops *ops,
			   const struct ixdp_steer_req *req, bool many)
{
	unsigned int i, j = 0, k, n = st->nindir;
	u16 *indir;
	int err;

	indir = kcalloc(n, sizeof(*indir), GFP_KERNEL);
	if (!indir)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		indir[i] = st->indir[i];
		if (steer_keeps(req, many, indir[i]))
			continue;
		for (k = 0; k < n && !steer_keeps(req, many, st->indir[j]); k++)
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
		      const struct ixdp_drv_ops *ops,
		      const struct ixdp_steer_req *req)
{
	const struct ethtool_ops *eo = dev->ethtool_ops;
	unsigned int nq = hweight32(req->queues);

	if (!nq || nq >= req->nrx)
		st->why = "no queue left to Linux";
	else if (nq > 1 && !req->linux_share)
		st->why = "several dataplane queues and linux off";
	else if (nq > 1 && req->nlinux > IXDP_STEER_RULES)
		st->why = "too many Linux addresses";
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

/*
 * Linux's queues the table names, in @lq, each once, in table order (up
 * to 64, those below 64); or the lowest that is not the dataplane's.
 */
static unsigned int steer_linux_queues(const struct ixdp_steer *st,
				       const struct ixdp_steer_req *req,
				       u16 *lq)
{
	unsigned int i, n = 0;
	u64 seen = 0;
	u16 q;

	for (i = 0; i < st->nindir; i++) {
		q = st->indir[i];
		if (q >= 64 || seen & BIT_ULL(q) ||
		    steer_keeps(req, true, q))
			continue;
		seen |= BIT_ULL(q);
		lq[n++] = q;
	}
	if (!n)
		lq[n++] = ffz(req->queues);
	return n;
}

/* Put the rules of the request: see the top of the file. */
static int steer_rules_add(struct ixdp_steer *st, struct net_device *dev,
			   const struct ixdp_steer_req *req, bool many)
{
	unsigned int i, n;
	u16 lq[64];
	int err;

	if (!many)
		return steer_rule_add(st, dev, 0, req->addr,
				      __ffs(req->queues));
	n = steer_linux_queues(st, req, lq);
	for (i = 0; i < req->nlinux; i++) {
		err = steer_rule_add(st, dev, i, req->linux_addrs[i],
				     lq[i % n]);
		if (err)
			return err;
	}
	return 0;
}

/**
 * ixdp_steer_start() - let the device sort the dataplane's frames
 * @st: the device's steering state, not active
 * @dev: the device
 * @ops: its driver's ixdp operations
 * @req: what to sort
 *
 * Puts the rules, then rewrites the indirection table (see the top of
 * steer.c).  What fails is undone, and @st->why tells why.  Called with
 * RTNL held.
 *
 * Return: 0 if steering; -EOPNOTSUPP where the device cannot, -ENOSPC
 * if its rule table is full, -ENOENT if the table names no queue to
 * keep, or what the driver refused with.
 */
int ixdp_steer_start(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops,
		     const struct ixdp_steer_req *req)
{
	bool many = hweight32(req->queues) > 1;
	u8 key[IXDP_DRV_RSS_KEY];
	int err, n;

	st->active = false;
	st->nrules = 0;
	st->why = NULL;
	if (!steer_can(st, dev, ops, req))
		return -EOPNOTSUPP;
	n = ops->rss_get(dev, key, st->indir, IXDP_DRV_RSS_MAX);
	if (n <= 0) {
		st->why = "no indirection table";
		return n ? n : -EOPNOTSUPP;
	}
	st->nindir = n;
	err = steer_free_locs(dev, st->loc, many ? req->nlinux : 1);
	if (err) {
		st->why = err == -ENOSPC ? "rule table full" :
					   "rule table unreadable";
		return err;
	}
	err = steer_rules_add(st, dev, req, many);
	if (err) {
		st->why = "rule refused";
		goto out_rules;
	}
	err = steer_table_set(st, dev, ops, req, many);
	if (err) {
		st->why = err != -ENOENT ? "indirection table refused" :
			  many ? "no dataplane queue in the table" :
				 "no queue of Linux's in the table";
		goto out_rules;
	}
	st->active = true;
	netdev_info(dev, "ixdp: steering: %u rules, %u table entries\n",
		    st->nrules, st->nindir);
	return 0;

out_rules:
	steer_rules_del(st, dev);
	return err;
}

/**
 * ixdp_steer_stop() - give the device's sorting back as it was
 * @st: the device's steering state
 * @dev: the device
 * @ops: its driver's ixdp operations
 *
 * Puts the table back and removes the rules; nothing if not active, or
 * if the device is gone.  Called with RTNL held.
 */
void ixdp_steer_stop(struct ixdp_steer *st, struct net_device *dev,
		     const struct ixdp_drv_ops *ops)
{
	if (!st->active)
		return;
	st->active = false;
	/* Gone with a PCI error or suspended: left for the admin. */
	if (!netif_device_present(dev)) {
		if (st->nrules)
			netdev_warn(dev, "ixdp: steering: device not present, %u rules left from location %u (ethtool -N delete)\n",
				    st->nrules, st->loc[st->nrules - 1]);
		st->nrules = 0;
		return;
	}
	if (ops->rss_set(dev, st->indir, st->nindir))
		netdev_warn(dev, "ixdp: steering: the table not put back\n");
	steer_rules_del(st, dev);
}
