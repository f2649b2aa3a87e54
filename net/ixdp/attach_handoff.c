// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the handoff group of a device that several cores serve
 * (handoff.h): the rings between its cores, the device's receive hashing
 * as the cores see it, and waking a core that frames wait for.
 */

#include <linux/log2.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "dp.h"
#include "handoff.h"

static_assert(IXDP_MAX_QUEUES <= IXDP_HANDOFF_CORES);
static_assert(IXDP_DRV_RSS_KEY == IXDP_RSS_KEY_LEN);
static_assert(IXDP_DRV_RSS_MAX == IXDP_RSS_MAX_INDIR);

static void ixdp_handoff_kick(struct ixdp_handoff *h, unsigned int to)
{
	struct ixdp_dev_handoff *dh = h->priv;
	struct ixdp_core *core;

	rcu_read_lock();
	core = READ_ONCE(dh->core[to]);
	if (core)
		ixdp_core_wake(core);
	rcu_read_unlock();
}

static const struct ixdp_handoff_ops ixdp_handoff_ops = {
	.kick	= ixdp_handoff_kick,
};

/* Read the device's hashing into @dh; a device without any is fine. */
static void ixdp_handoff_rss(struct ixdp_dev *idev, struct ixdp_dev_handoff *dh)
{
	struct ixdp_rss *rss = &dh->rss;
	u16 *indir;
	int n;

	if (!idev->ops->rss_get)
		return;
	indir = kcalloc(IXDP_DRV_RSS_MAX, sizeof(*indir), GFP_KERNEL);
	if (!indir) {
		netdev_warn(idev->dev, "ixdp: RSS not read (no memory): steering taken to follow the sending queue\n");
		return;
	}
	n = idev->ops->rss_get(idev->dev, rss->key, indir, IXDP_DRV_RSS_MAX);
	if (n > 0 && is_power_of_2(n) && n <= IXDP_DRV_RSS_MAX) {
		ixdp_rss_map(rss, indir, n, idev->cores, idev->ncores);
		dh->h.rss = rss;
	} else if (n != -EOPNOTSUPP) {
		netdev_warn(idev->dev, "ixdp: RSS unreadable (%d): steering taken to follow the sending queue\n",
			    n);
	}
	kfree(indir);
}

/**
 * ixdp_dev_handoff_discard() - free a group and its rings
 * @dh: a group no stack joined, or NULL
 */
void ixdp_dev_handoff_discard(struct ixdp_dev_handoff *dh)
{
	unsigned int from, to;

	if (!dh)
		return;
	for (from = 0; from < IXDP_HANDOFF_CORES; from++)
		for (to = 0; to < IXDP_HANDOFF_CORES; to++)
			kvfree(dh->h.ring[from][to]);
	kfree(dh);
}

/**
 * ixdp_dev_handoff_alloc() - the rings of a group of @n cores
 * @n: the cores, 2 to IXDP_HANDOFF_CORES; below 2 there is no group
 * @cores: them, in the order they will have in their device; each ring
 *	on the node of the core that reads it
 *
 * Return: the group, not joined yet; NULL for fewer than 2 cores;
 * ERR_PTR(-ENOMEM).
 */
struct ixdp_dev_handoff *ixdp_dev_handoff_alloc(unsigned int n,
						struct ixdp_core *const *cores)
{
	struct ixdp_dev_handoff *dh;
	struct ixdp_handoff_ring *r;
	unsigned int from, to;

	if (n < 2)
		return NULL;
	dh = kzalloc(sizeof(*dh), GFP_KERNEL);
	if (!dh)
		return ERR_PTR(-ENOMEM);
	dh->h.ncores = n;
	dh->h.ops = &ixdp_handoff_ops;
	dh->h.priv = dh;
	for (from = 0; from < n; from++) {
		for (to = 0; to < n; to++) {
			if (from == to)
				continue;
			r = kvzalloc_node(sizeof(*r), GFP_KERNEL,
					  cpu_to_node(cores[to]->cpu));
			if (!r) {
				ixdp_dev_handoff_discard(dh);
				return ERR_PTR(-ENOMEM);
			}
			dh->h.ring[from][to] = r;
		}
	}
	return dh;
}

/* Join the cores of @idev in @dh, made for as many of them. */
static void ixdp_dev_handoff_install(struct ixdp_dev *idev,
				     struct ixdp_dev_handoff *dh)
{
	unsigned int to;

	idev->handoff = dh;
	ixdp_handoff_rss(idev, dh);
	for (to = 0; to < dh->h.ncores; to++) {
		/* Pairs with the READ_ONCE() in ixdp_handoff_kick(). */
		WRITE_ONCE(dh->core[to], idev->cores[to]);
		ixdp_handoff_join(&idev->cores[to]->stack, &dh->h, to);
	}
}

/**
 * ixdp_dev_handoff_new() - join the cores of @idev in a handoff group
 * @idev: a device being attached, its cores built and their queues
 *	taken, none running yet
 *
 * Return: 0 (also for a device served by one core: no group), or -ENOMEM.
 */
int ixdp_dev_handoff_new(struct ixdp_dev *idev)
{
	struct ixdp_dev_handoff *dh;

	dh = ixdp_dev_handoff_alloc(idev->ncores, idev->cores);
	if (IS_ERR(dh))
		return PTR_ERR(dh);
	if (dh)
		ixdp_dev_handoff_install(idev, dh);
	return 0;
}

/**
 * ixdp_dev_handoff_rebuild() - join the cores of @idev in a new group
 * @idev: a device whose set of cores changed (ix scale); none of them
 *	running, an RCU grace period past since a core left
 * @dh: the group ixdp_dev_handoff_alloc() made for the set planned, or
 *	NULL; taken over.  Used if the set has as many cores as planned
 *	(none left for want of a queue), else made again here.
 *
 * Frames still in the old group's rings are dropped, and counted as the
 * receiving core's handoff drops: TCP sends them again.
 *
 * Return: 0, or -ENOMEM with no group: each core then answers what
 * reaches it alone.
 */
int ixdp_dev_handoff_rebuild(struct ixdp_dev *idev, struct ixdp_dev_handoff *dh)
{
	struct ixdp_dev_handoff *old = idev->handoff;
	struct ixdp_handoff_ring *r;
	struct ixdp_core *core;
	unsigned int from, to;

	for (from = 0; old && from < old->h.ncores; from++) {
		for (to = 0; to < old->h.ncores; to++) {
			r = old->h.ring[from][to];
			core = old->core[to];
			if (r && core)
				core->stack.stats.handoff_drops +=
					r->head - r->tail;
		}
	}
	ixdp_dev_handoff_free(idev);
	for (to = 0; to < idev->ncores; to++) {
		idev->cores[to]->stack.handoff = NULL;
		idev->cores[to]->stack.core = 0;
	}
	if (dh && dh->h.ncores == idev->ncores) {
		ixdp_dev_handoff_install(idev, dh);
		return 0;
	}
	ixdp_dev_handoff_discard(dh);
	return ixdp_dev_handoff_new(idev);
}

/**
 * ixdp_dev_handoff_leave() - no frame wakes @core any more
 * @idev: its device
 * @core: a core about to stop; an RCU grace period must pass before it
 *	goes
 */
void ixdp_dev_handoff_leave(struct ixdp_dev *idev, struct ixdp_core *core)
{
	if (idev->handoff && core->stack.handoff)
		WRITE_ONCE(idev->handoff->core[core->stack.core], NULL);
}

/**
 * ixdp_dev_handoff_free() - free the group of @idev
 * @idev: a device whose cores are all gone
 */
void ixdp_dev_handoff_free(struct ixdp_dev *idev)
{
	ixdp_dev_handoff_discard(idev->handoff);
	idev->handoff = NULL;
}
