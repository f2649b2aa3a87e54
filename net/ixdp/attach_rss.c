// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the flow groups of a device that hashes (RSS), balanced over its
 * cores at attach and at each ix scale (flow_group.c has the rule), and
 * its indirection table put back at detach.
 *
 * The table is read with the driver's rss_get and written with its
 * rss_set, under RTNL, while no core runs; the cores read it back into
 * their handoff group after (attach_handoff.c), and a scale moves each
 * connection to the core its entry leads to (scale.c).  Where steering
 * rewrote the table at attach (steer.c), the balance works on steering's
 * table: it moves entries only between queues the cores serve, so what
 * steering gave Linux stays Linux's, and steering puts back the table it
 * found.  Otherwise the table the first balance found is kept here and
 * put back at detach (or when the attach fails).  A device without the
 * two operations (virtio_net) has no table: a tap steers a flow to the
 * queue the guest last sent it on.
 */

#include <linux/bug.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dp.h"
#include "handoff.h"

/* The core (index in @cores) serving each queue, by queue. */
static void ixdp_rss_qcore(u8 *qcore, struct ixdp_core *const *cores,
			   unsigned int n)
{
	unsigned int c, i, qid;

	memset(qcore, IXDP_RSS_NO_CORE, IXDP_RSS_QUEUES);
	for (c = 0; c < n; c++) {
		for (i = 0; i < cores[c]->nqueues; i++) {
			qid = cores[c]->queues[i]->drv.qid;
			if (qid < IXDP_RSS_QUEUES)
				qcore[qid] = c;
		}
	}
}

/**
 * ixdp_rss_map() - a device's table as its cores see it
 * @rss: its core[] and nindir are filled, not its key
 * @indir: the table, @n entries, a power of 2 up to IXDP_RSS_MAX_INDIR
 * @n: its entries
 * @cores: the cores, @ncores of them; an entry leads to the index here of
 *	the core serving its queue, or to IXDP_RSS_NO_CORE (Linux's queue,
 *	or a queue id past IXDP_RSS_QUEUES, which no device hashes to)
 * @ncores: their count
 */
void ixdp_rss_map(struct ixdp_rss *rss, const u16 *indir, unsigned int n,
		  struct ixdp_core *const *cores, unsigned int ncores)
{
	u8 qcore[IXDP_RSS_QUEUES];
	unsigned int i;

	ixdp_rss_qcore(qcore, cores, ncores);
	for (i = 0; i < n; i++)
		rss->core[i] = indir[i] < IXDP_RSS_QUEUES ?
			       qcore[indir[i]] : IXDP_RSS_NO_CORE;
	rss->nindir = n;
}

/* Write @indir, keeping @found as the table to put back; 0 or -errno. */
static int ixdp_rss_write(struct ixdp_dev *idev, const u16 *indir,
			  u16 **found, unsigned int n)
{
	int err;

	err = idev->ops->rss_set(idev->dev, indir, n);
	if (err)
		return err;
	/* Steering puts back what it found; else the first found is kept. */
	if (!idev->steer.active && !idev->rss_found) {
		idev->rss_found = *found;
		idev->rss_nfound = n;
		*found = NULL;
	}
	return 0;
}

/**
 * ixdp_dev_rss_balance() - spread the flow groups of @idev over its cores
 * @idev: the device, attaching or scaling: its cores' queues placed, none
 *	running
 * @cores: the cores, @n of them, in the order of @rss's core indices
 * @n: their count
 * @rss: if not NULL, filled with the table as @cores see it after
 *
 * Rewrites the device's indirection table so that each core's queues take
 * as many entries as any other core's, within one (flow_group.c).  A
 * table the driver refuses is left as it was, and said.  Called with
 * RTNL held.
 *
 * Return: true if the device hashes and @rss was filled.
 */
bool ixdp_dev_rss_balance(struct ixdp_dev *idev, struct ixdp_core *const *cores,
			  unsigned int n, struct ixdp_rss *rss)
{
	const struct ixdp_drv_ops *ops = idev->ops;
	u8 key[IXDP_RSS_KEY_LEN], qcore[IXDP_RSS_QUEUES];
	u16 *indir, *found = NULL;
	int got, moved, err;
	bool ok = false;

	ASSERT_RTNL();
	if (!ops->rss_get || !ops->rss_set || !n)
		return false;
	indir = kcalloc(IXDP_DRV_RSS_MAX, sizeof(*indir), GFP_KERNEL);
	if (!indir)
		return false;
	got = ops->rss_get(idev->dev, key, indir, IXDP_DRV_RSS_MAX);
	if (got <= 0 || !is_power_of_2(got) || got > IXDP_DRV_RSS_MAX)
		goto out;
	found = kmemdup(indir, got * sizeof(*indir), GFP_KERNEL);
	if (!found)
		goto out;
	ixdp_rss_qcore(qcore, cores, n);
	moved = ixdp_flow_groups_balance(indir, got, qcore, n);
	if (moved > 0) {
		err = ixdp_rss_write(idev, indir, &found, got);
		if (err) {
			netdev_warn(idev->dev, "ixdp: flow groups not balanced: the driver refused the table (%d)\n",
				    err);
			memcpy(indir, found, got * sizeof(*indir));
		} else {
			netdev_dbg(idev->dev, "ixdp: flow groups: %d of %d table entries to other cores\n",
				   moved, got);
		}
	}
	if (rss) {
		memcpy(rss->key, key, sizeof(rss->key));
		ixdp_rss_map(rss, indir, got, cores, n);
		ok = true;
	}
out:
	kfree(found);
	kfree(indir);
	return ok;
}

/**
 * ixdp_dev_rss_restore() - put back the table the first balance found
 * @idev: the device, detaching or failing to attach
 *
 * Only if a balance changed it and steering will not put it back.
 * Called with RTNL held.
 */
void ixdp_dev_rss_restore(struct ixdp_dev *idev)
{
	ASSERT_RTNL();
	if (!idev->rss_found)
		return;
	/* Steering keeps its own table: one of the two puts it back. */
	WARN_ON_ONCE(idev->steer.active);
	if (!netif_device_present(idev->dev))
		netdev_warn(idev->dev, "ixdp: device not present: the indirection table not put back\n");
	else if (idev->ops->rss_set(idev->dev, idev->rss_found,
				    idev->rss_nfound))
		netdev_warn(idev->dev, "ixdp: the indirection table not put back\n");
	kfree(idev->rss_found);
	idev->rss_found = NULL;
	idev->rss_nfound = 0;
}
