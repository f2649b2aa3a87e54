// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp scale: adding and removing the cores of an attached device.
 *
 * Writing a new CPU set to /sys/class/net/<dev>/ixdp/cpus while the
 * device is attached (ix scale) changes the cores that serve it, under
 * RTNL, in one step:
 *
 *  1. a core is built for each CPU that joins, with its loop thread, idle
 *     (in step 3 it gets the neighbours a running core resolved);
 *  2. every running core's thread is parked: it sends what it queued and
 *     stops between two iterations, its stack as it was;
 *  3. the connections of a core that leaves move to a core that stays
 *     (echo.c: ixdp_echo_move(), with the buffers they hold; -EAGAIN if
 *     one is in its handshake, and the device resumes as it was); the
 *     core stops and gives its queues back;
 *  4. queue pairs move to the cores with the fewest, those of the cores
 *     that left first, then from the cores with the most, until the
 *     counts are within one of each other; a core keeps the queue it
 *     sends on;
 *  5. the handoff group is made again for the new set, with the rings
 *     allocated before step 2 so that nothing fails here (the frames in the
 *     old rings are dropped and counted);
 *  6. the new cores start and the parked ones resume.
 *
 * Between 2 and 6 the device's frames wait in its rings; a queue pair
 * between its give and its take is Linux's, which drops the dataplane's
 * frames as not its own.  TCP covers the gap by sending again.  Nothing
 * on the cores' fast path takes a lock: they are parked.
 *
 * On a tap-backed virtio_net the host steers a flow to the queue the
 * guest last sent it on, and a core sends on its first queue, so a
 * connection stays where it is when queues move: a core that joins gets
 * the flows the host has not seen yet, and the handoff passes it strays.
 * Where the echo service serves, a joining core also takes connections
 * from the cores with the most until it holds the average (after step 4):
 * the host follows once the new core has sent for them, and the segments
 * it sends to the old queue meanwhile are handed over.
 *
 * On a device that hashes (RSS: ixgbe) a flow's core is the one its
 * indirection entry leads to: after step 4 the entries, the flow groups,
 * are spread evenly over the new set (attach_rss.c) and every connection
 * goes to its group's core (ixdp_scale_regroup()), in place of the share.
 *
 * A connection moves while both cores are parked, so no ring carries it:
 * the control path packs it on one stack and unpacks it on the other
 * (tcp_migrate.c).  The peer sees its segments late by the time the
 * change took.
 *
 * Where application threads drive the cores, they must all be elastic
 * (IX_SETUP_F_ELASTIC, app_elastic.c), else -EBUSY.  They are parked
 * before step 2 (-EAGAIN if one does not park in time); in step 3 a
 * leaving thread's connections move to the thread of a core that stays
 * (app_move.c) and it stands by; after step 4 each joining core takes a
 * standby thread, which then takes its share of the connections of the
 * threads that stay, as the echo service's cores do (ixdp_app_share()),
 * or, on a device that hashes, every thread takes the connections of its
 * flow groups; a connection that came to a thread in this scale does not
 * move again in it (app_move.c); in step 6 the threads go on.
 */

#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/sched/mm.h>

#include "app.h"
#include "dp.h"
#include "tcp.h"

/**
 * struct ixdp_scale - a change of a device's cores being made
 * @next: the cores of the new set, by CPU
 * @n: their count
 * @join: the cores built for it
 * @njoin: their count
 * @leave: the cores that leave it
 * @nleave: their count
 * @freed: queue pairs of leaving cores, to be taken again
 * @handoff: the handoff group of the new set, made before any core is
 *	parked (NULL for a single core)
 * @apps: elastic application threads drive the device's cores
 *	(app_elastic.c): connections move between them, threads join
 *	and leave with the cores
 * @park: the park request the threads are parked under
 * @need: what the moves checked so far need of each staying core's
 *	thread, by its place among the staying cores
 * @rss: on a device that hashes, its table as the new set sees it
 */
struct ixdp_scale {
	struct ixdp_core	*next[IXDP_MAX_QUEUES];
	unsigned int		n;
	struct ixdp_core	*join[IXDP_MAX_QUEUES];
	unsigned int		njoin;
	struct ixdp_core	*leave[IXDP_MAX_QUEUES];
	unsigned int		nleave;
	DECLARE_BITMAP(freed, IXDP_MAX_QUEUES);
	struct ixdp_dev_handoff	*handoff;
	bool			apps;
	u32			park;
	struct ixdp_app_move_need need[IXDP_MAX_QUEUES];
	struct ixdp_rss		rss;
};

/*
 * Where the connections of the @i-th leaving core go: a core of the new
 * set, each leaving core to another while there are enough.
 */
static struct ixdp_core *ixdp_scale_dest(struct ixdp_scale *sc,
					 unsigned int i)
{
	return sc->next[i % sc->n];
}

static bool ixdp_scale_joins(const struct ixdp_scale *sc,
			     const struct ixdp_core *core)
{
	unsigned int i;

	for (i = 0; i < sc->njoin; i++)
		if (sc->join[i] == core)
			return true;
	return false;
}

/* The @i-th leaving core's place among the staying cores. */
static unsigned int ixdp_scale_stay_at(const struct ixdp_scale *sc,
				       unsigned int i)
{
	return i % (sc->n - sc->njoin);
}

/*
 * Where an application's connections of the @i-th leaving core go: a
 * core that stays, whose thread is parked (a joining core's thread is
 * bound only once queues have moved).
 */
static struct ixdp_core *ixdp_scale_stay(struct ixdp_scale *sc,
					 unsigned int i)
{
	unsigned int k, seen = 0;

	i = ixdp_scale_stay_at(sc, i);
	for (k = 0; k < sc->n; k++) {
		if (ixdp_scale_joins(sc, sc->next[k]))
			continue;
		if (seen++ == i)
			return sc->next[k];
	}
	return NULL;
}

/*
 * A device whose cores applications drive scales only if every thread
 * is elastic, a core stays and a thread stands by, or will once its core
 * leaves, for each core that joins (-EBUSY otherwise).
 */
static int ixdp_scale_apps(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	unsigned int i, napps = 0;
	struct ixdp_app *app;

	for (i = 0; i < idev->ncores; i++) {
		app = idev->cores[i]->app;
		if (app && !app->elastic)
			return -EBUSY;
		/* It would never park: the core goes back to the kernel. */
		if (app && ixdp_app_gone(app)) {
			ixdp_app_revoke(idev->cores[i]);
			app = NULL;
		}
		napps += !!app;
	}
	if (!napps)
		return 0;
	if (napps < idev->ncores || sc->n == sc->njoin ||
	    ixdp_dev_standby_count(idev) + sc->nleave < sc->njoin)
		return -EBUSY;
	sc->apps = true;
	return 0;
}

/*
 * Whether a leaving thread's connections may move to @to's thread,
 * besides those @need holds for it already.
 */
static int ixdp_scale_check_app(struct ixdp_app *from, struct ixdp_app *to,
				struct ixdp_app_move_need *need)
{
	int err;

	mutex_lock(&from->lock);
	mutex_lock_nested(&to->lock, SINGLE_DEPTH_NESTING);
	err = ixdp_app_can_move_more(from, to, need);
	mutex_unlock(&to->lock);
	mutex_unlock(&from->lock);
	return err;
}

/* Whether every leaving core's connections may move (step 3). */
static int ixdp_scale_check(struct ixdp_scale *sc)
{
	unsigned int i;
	int err;

	for (i = 0; i < sc->nleave; i++) {
		if (sc->apps)
			err = ixdp_scale_check_app(sc->leave[i]->app,
						   ixdp_scale_stay(sc, i)->app,
						   &sc->need[ixdp_scale_stay_at(sc, i)]);
		else
			err = ixdp_echo_can_move(sc->leave[i],
						 ixdp_scale_dest(sc, i));
		if (err)
			return err;
	}
	return 0;
}

static void ixdp_scale_unjoin(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	while (sc->njoin)
		ixdp_core_stop(idev, sc->join[--sc->njoin]);
}

/* Step 1: the new set, its new cores built with their threads. */
static int ixdp_scale_plan(struct ixdp_dev *idev, struct ixdp_scale *sc,
			   const struct cpumask *want)
{
	unsigned int nq = bitmap_weight(idev->queues, IXDP_MAX_QUEUES);
	struct ixdp_core *core;
	unsigned int cpu, i;
	int err;

	for_each_cpu(cpu, want) {
		core = ixdp_core_of_cpu(cpu);
		if (!core || core->idev != idev) {
			core = ixdp_core_new(idev, cpu, nq);
			if (IS_ERR(core)) {
				err = PTR_ERR(core);
				goto out_unjoin;
			}
			sc->join[sc->njoin++] = core;
			err = ixdp_core_thread(core);
			if (err)
				goto out_unjoin;
		}
		sc->next[sc->n++] = core;
	}
	for (i = 0; i < idev->ncores; i++) {
		core = idev->cores[i];
		if (!cpumask_test_cpu(core->cpu, want))
			sc->leave[sc->nleave++] = core;
	}
	return 0;

out_unjoin:
	ixdp_scale_unjoin(idev, sc);
	return err;
}

/* Step 4's order: the cores with the fewest queues and with the most. */
static void ixdp_scale_extremes(struct ixdp_scale *sc, struct ixdp_core **min,
				struct ixdp_core **max)
{
	unsigned int i;

	*min = sc->next[0];
	*max = sc->next[0];
	for (i = 1; i < sc->n; i++) {
		if (sc->next[i]->nqueues < (*min)->nqueues)
			*min = sc->next[i];
		if (sc->next[i]->nqueues > (*max)->nqueues)
			*max = sc->next[i];
	}
}

/*
 * Step 4.  A queue that cannot be taken again stays Linux's and leaves
 * the configuration, as do those not placed yet: no more move after a
 * failure.
 */
static int ixdp_scale_queues(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	struct ixdp_core *min, *max;
	unsigned int qid;
	int err;

	for (;;) {
		ixdp_scale_extremes(sc, &min, &max);
		qid = find_first_bit(sc->freed, IXDP_MAX_QUEUES);
		if (qid < IXDP_MAX_QUEUES)
			clear_bit(qid, sc->freed);
		else if (max->nqueues > min->nqueues + 1)
			qid = ixdp_queue_give(idev, max);
		else
			return 0;
		err = ixdp_queue_take(idev, min, qid);
		if (err)
			break;
	}
	set_bit(qid, sc->freed);
	for_each_set_bit(qid, sc->freed, IXDP_MAX_QUEUES) {
		netdev_err(idev->dev, "ixdp: queue %u not taken again (%d), left to Linux\n",
			   qid, err);
		clear_bit(qid, idev->queues);
	}
	return err;
}

/*
 * Step 3 for an application: the leaving thread's connections go to the
 * thread of @dest, and it stands by.  Return: connections not moved,
 * reset.
 */
static unsigned int ixdp_scale_retire(struct ixdp_core *core,
				      struct ixdp_core *dest)
{
	struct ixdp_app *from = core->app, *to = dest->app;
	unsigned int left;

	mutex_lock(&from->lock);
	mutex_lock_nested(&to->lock, SINGLE_DEPTH_NESTING);
	left = ixdp_app_move(from, to);
	mutex_unlock(&to->lock);
	ixdp_app_retire(from);
	mutex_unlock(&from->lock);
	/* No new mapping of the pool: the thread drives no core now. */
	ixdp_app_unmap_pool(from);
	return left;
}

/*
 * After step 4: each joining core with queues takes a standby thread,
 * parked under the scale's request until step 6.  One that cannot (no
 * memory) serves as the kernel's loop does, with the echo service.
 */
static void ixdp_scale_join_apps(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	struct mem_cgroup *memcg, *old;
	struct ixdp_app *app;
	unsigned int i;
	int err;

	for (i = 0; i < sc->njoin; i++) {
		if (!sc->join[i]->nqueues)
			continue;
		app = ixdp_dev_standby_take(idev);
		if (!app)
			break;
		mutex_lock(&app->lock);
		WRITE_ONCE(app->park_req, sc->park);
		WRITE_ONCE(app->parked, sc->park);
		/* Charged to the application, not to whoever scales. */
		memcg = get_mem_cgroup_from_mm(app->mm);
		old = set_active_memcg(memcg);
		err = ixdp_app_join(app, sc->join[i]);
		set_active_memcg(old);
		mem_cgroup_put(memcg);
		if (err) {
			WRITE_ONCE(app->park_req, 0);
			/* Another thread, if any, for the next core. */
			list_move_tail(&app->standby, &idev->standby);
		}
		mutex_unlock(&app->lock);
		if (err)
			netdev_err(idev->dev, "ixdp: cpu %u: no application thread bound (%d): the kernel serves it\n",
				   sc->join[i]->cpu, err);
	}
}

/* Connections ixdp_scale_share() moves in one scale at most: cores wait. */
#define IXDP_SCALE_SHARE_MAX	1024

/*
 * The place in @sc->next of the staying core with the most connections
 * that may move (@movable, by place), above @floor; -1 if none.
 */
static int ixdp_scale_fullest(const struct ixdp_scale *sc,
			      const unsigned int *movable, unsigned int floor)
{
	unsigned int k;
	int most = -1;

	for (k = 0; k < sc->n; k++) {
		if (ixdp_scale_joins(sc, sc->next[k]) || movable[k] <= floor)
			continue;
		floor = movable[k];
		most = k;
	}
	return most;
}

/*
 * The connections of @core that may move now: its application thread's,
 * or the echo service's.
 */
static unsigned int ixdp_scale_movable(const struct ixdp_scale *sc,
				       struct ixdp_core *core)
{
	unsigned int n;

	if (!sc->apps)
		return ixdp_echo_movable(core);
	if (!core->app)
		return 0;
	mutex_lock(&core->app->lock);
	n = ixdp_app_movable(core->app);
	mutex_unlock(&core->app->lock);
	return n;
}

/*
 * Up to @n connections of @from to @to, those @sel selects (NULL: any);
 * those moved.
 */
static unsigned int ixdp_scale_give(const struct ixdp_scale *sc,
				    struct ixdp_core *from,
				    struct ixdp_core *to, unsigned int n,
				    const struct ixdp_flow_sel *sel)
{
	unsigned int moved;

	if (!sc->apps)
		return ixdp_echo_share(from, to, n, sel);
	/* A core whose thread was not bound: the kernel serves it. */
	if (!from->app || !to->app)
		return 0;
	mutex_lock(&from->app->lock);
	mutex_lock_nested(&to->app->lock, SINGLE_DEPTH_NESTING);
	moved = ixdp_app_share(from->app, to->app, n, sel);
	mutex_unlock(&to->app->lock);
	mutex_unlock(&from->app->lock);
	return moved;
}

/*
 * After step 4: each joining core with queues (and, where application
 * threads serve, with a thread) takes connections from the staying cores
 * with the most, until it holds the average of those that may move,
 * IXDP_SCALE_SHARE_MAX in all at most.  Otherwise it would get only
 * connections opened from now on, as a tap keeps a flow on the queue the
 * guest last sent it on.  Not where the device hashes (RSS): there a
 * flow's core is its hash's (ixdp_scale_regroup()).
 */
static void ixdp_scale_share(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	unsigned int movable[IXDP_MAX_QUEUES], budget = IXDP_SCALE_SHARE_MAX;
	unsigned int i, k, total = 0, want, have, n;
	struct ixdp_core *join;
	int from;

	for (k = 0; k < sc->n; k++) {
		movable[k] = ixdp_scale_movable(sc, sc->next[k]);
		total += movable[k];
	}
	want = total / sc->n;
	for (i = 0; i < sc->njoin && budget; i++) {
		join = sc->join[i];
		if (!join->nqueues || (sc->apps && !join->app))
			continue;
		have = ixdp_scale_movable(sc, join);
		while (have < want && budget) {
			from = ixdp_scale_fullest(sc, movable, want);
			if (from < 0)
				break;
			n = ixdp_scale_give(sc, sc->next[from], join,
					    min3(movable[from] - want,
						 want - have, budget), NULL);
			/* One that gave nothing is not asked again. */
			movable[from] = n ? movable[from] - n : 0;
			have += n;
			budget -= n;
		}
	}
}

/*
 * The core of @rss that each connection of @core's TCP leads to, by PCB
 * slot (IXDP_RSS_NO_CORE for a free one); NULL without TCP or memory.
 */
static u8 *ixdp_scale_flow_cores(const struct ixdp_rss *rss,
				 struct ixdp_core *core)
{
	const struct ixdp_tcp *t = core->stack.tcp;
	const struct ixdp_tcp_pcb *pcb;
	unsigned int i;
	u8 *slot_core;

	if (!t)
		return NULL;
	slot_core = kvmalloc(t->npcbs, GFP_KERNEL);
	if (!slot_core)
		return NULL;
	for (i = 0; i < t->npcbs; i++) {
		pcb = &t->pcbs[i];
		slot_core[i] = pcb->state == IXDP_TCP_CLOSED ? IXDP_RSS_NO_CORE :
			ixdp_rss_flow_core(rss, pcb->raddr, core->stack.cfg.addr,
					   pcb->rport, pcb->lport);
	}
	return slot_core;
}

/*
 * After step 4, on a device that hashes (RSS): its table's entries, the
 * flow groups, are spread over the new set (attach_rss.c), and every
 * connection goes to the core its group leads to, as many as may move,
 * with no bound on their number (a leaving core's connections all move
 * too, the cores parked meanwhile).  One that may not (in its
 * handshake, a buffer in pieces, no room: slots, buffers, event room of
 * either thread that is told; or, for an application thread, come from
 * a leaving core in this scale) stays where it is: the handoff passes
 * it the segments its group's core gets, until a later scale moves it.
 */
static void ixdp_scale_regroup(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	struct ixdp_flow_sel sel;
	unsigned int from, to, moved = 0;
	u8 *slot_core;

	if (!ixdp_dev_rss_balance(idev, sc->next, sc->n, &sc->rss))
		return;
	for (from = 0; from < sc->n; from++) {
		/* Each flow hashed once: the cores wait meanwhile. */
		slot_core = ixdp_scale_flow_cores(&sc->rss, sc->next[from]);
		if (!slot_core)
			continue;
		sel.slot_core = slot_core;
		for (to = 0; to < sc->n; to++) {
			if (to == from)
				continue;
			sel.core = to;
			moved += ixdp_scale_give(sc, sc->next[from],
						 sc->next[to], UINT_MAX, &sel);
		}
		kvfree(slot_core);
	}
	netdev_dbg(idev->dev, "ixdp: %u connections to their flow groups' cores\n",
		   moved);
}

/* Steps 3 to 6, the running cores parked and none leaving busy. */
static int ixdp_scale_apply(struct ixdp_dev *idev, struct ixdp_scale *sc)
{
	unsigned int i, j, left;
	struct ixdp_core *core;
	int err, ret;

	/* A joining core knows at once the neighbours the cores know. */
	for (i = 0; i < sc->njoin; i++)
		ixdp_arp_inherit(&sc->join[i]->stack, &idev->cores[0]->stack);
	for (i = 0; i < sc->nleave; i++) {
		core = sc->leave[i];
		/*
		 * Checked movable, so none stays but for a failure to
		 * allocate; such a connection goes with its core (TIME_WAIT
		 * ones do too, as beyond tcp_max_tw_buckets).
		 */
		if (sc->apps)
			left = ixdp_scale_retire(core, ixdp_scale_stay(sc, i));
		else
			left = ixdp_echo_move(core, ixdp_scale_dest(sc, i));
		if (left)
			netdev_warn(idev->dev, "ixdp: cpu %u: %u connections not moved, dropped\n",
				    core->cpu, left);
		for (j = 0; j < core->nqueues; j++)
			set_bit(core->queues[j]->drv.qid, sc->freed);
		ixdp_core_stop(idev, core);
	}
	ret = ixdp_scale_queues(idev, sc);
	if (sc->apps)
		ixdp_scale_join_apps(idev, sc);
	if (idev->ops->rss_get)
		ixdp_scale_regroup(idev, sc);
	else
		ixdp_scale_share(idev, sc);
	/* Only a failed take leaves a core without queues: it goes too. */
	cpumask_clear(&idev->cpus);
	idev->ncores = 0;
	for (i = 0; i < sc->n; i++) {
		core = sc->next[i];
		if (!core->nqueues) {
			ixdp_core_stop(idev, core);
			continue;
		}
		idev->cores[idev->ncores++] = core;
		cpumask_set_cpu(core->cpu, &idev->cpus);
	}
	err = ixdp_dev_handoff_rebuild(idev, sc->handoff);
	sc->handoff = NULL;
	if (err) {
		netdev_err(idev->dev, "ixdp: cores not joined (%d): strays are not handed over\n",
			   err);
		ret = ret ?: err;
	}
	for (i = 0; i < idev->ncores; i++) {
		core = idev->cores[i];
		err = ixdp_core_sysfs_add(core);
		ret = ret ?: err;
		if (core->waker && !ixdp_scale_joins(sc, core)) {
			/* Parked: the rings of the queues it took. */
			ixdp_core_fill(core);
			continue;
		}
		ixdp_core_offload(idev, core);
		if (core->app)
			ixdp_core_serve(core);
		else
			ixdp_core_run(core);
	}
	return ret;
}

/**
 * ixdp_dev_scale() - serve an attached device with the cores of @want
 * @idev: an attached device
 * @want: the new CPU set: reserved CPUs, no more than the queues attached
 *
 * Called with RTNL held.  See the top of this file.
 *
 * Return: 0, or -errno: -EINVAL (@want empty, larger than the queues, or
 * with a CPU that is not reserved), -EBUSY (an application thread that
 * is not elastic drives a core of the device, or no core would stay, or
 * no thread stands by for a joining core; a leaving thread has a timer
 * armed or a UDP port bound), -EAGAIN (a leaving core's connection is
 * in its handshake, or an application thread did not park: try again),
 * -ENOSPC (no room for the connections that would move), -EXDEV
 * (application threads with different TX memory), -ENOMEM; with the
 * device as it was.  An error once the cores
 * are parked (a queue the driver did not take again) leaves the device
 * serving with what it has, and is logged.
 */
int ixdp_dev_scale(struct ixdp_dev *idev, const struct cpumask *want)
{
	struct ixdp_scale *sc;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	if (cpumask_empty(want) ||
	    cpumask_weight(want) > bitmap_weight(idev->queues, IXDP_MAX_QUEUES))
		return -EINVAL;
	if (cpumask_equal(want, &idev->cpus))
		return 0;
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return -ENOMEM;
	err = ixdp_scale_plan(idev, sc, want);
	if (err)
		goto out_free;
	err = ixdp_scale_apps(idev, sc);
	if (err)
		goto out_unjoin;
	/* Allocated now, so that the cores are not parked for nothing. */
	sc->handoff = ixdp_dev_handoff_alloc(sc->n, sc->next);
	if (IS_ERR(sc->handoff)) {
		err = PTR_ERR(sc->handoff);
		sc->handoff = NULL;
		goto out_unjoin;
	}
	if (sc->apps) {
		sc->park = ixdp_apps_park(idev);
		err = -EAGAIN;
		if (!sc->park)
			goto out_unjoin;
	}

	/* An application's core's loop thread is parked already. */
	for (i = 0; i < idev->ncores; i++)
		if (!idev->cores[i]->app)
			kthread_park(idev->cores[i]->task);
	err = ixdp_scale_check(sc);
	if (err) {
		ixdp_scale_unjoin(idev, sc);
	} else {
		/* Its rx_handler reads the cores: none while they change. */
		ixdp_intake_stop(idev);
		err = ixdp_scale_apply(idev, sc);
	}
	/* Every queue failed to be taken again: nothing serves it. */
	if (!idev->ncores) {
		ixdp_dev_detach(idev);
		goto out_free;
	}
	if (ixdp_dev_split(idev) && !idev->intake && ixdp_intake_start(idev))
		netdev_err(idev->dev, "ixdp: intake not restarted\n");
	/* A core that never parked (one that joined) is left as it is. */
	for (i = 0; i < idev->ncores; i++)
		if (!idev->cores[i]->app)
			kthread_unpark(idev->cores[i]->task);
	if (sc->apps)
		ixdp_apps_unpark(idev);
	goto out_free;

out_unjoin:
	ixdp_scale_unjoin(idev, sc);
out_free:
	ixdp_dev_handoff_discard(sc->handoff);
	kfree(sc);
	return err;
}
