// SPDX-License-Identifier: GPL-2.0
/*
 * The flow groups of a device that hashes: net/ixdp/flow_group.c's
 * balance of a table's entries over cores, and attach_rss.c writing it
 * through ixgbe_ixdp.c's rss_get and rss_set over the 82599 model, where
 * a flow's frames then land on the queue of the core the stack expects
 * (ixdp_rss_flow_core()), until the detach puts the table back.
 */

#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "test.h"
#include "dp.h"
#include "net_util.h"
#include "ixgbe_core.h"

#define FG_N	128	/* the 82599's table, and the tests' */

/* @n entries naming queues 0..@nq-1 in turn, as a driver fills them. */
static void fg_round_robin(u16 *indir, unsigned int n, unsigned int nq)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		indir[i] = i % nq;
}

/* Entries of @indir leading to each core (by @qcore) into @per. */
static void fg_count(const u16 *indir, unsigned int n, const u8 *qcore,
		     unsigned int *per, unsigned int ncores)
{
	unsigned int i;

	memset(per, 0, ncores * sizeof(*per));
	for (i = 0; i < n; i++)
		if (qcore[indir[i]] < ncores)
			per[qcore[indir[i]]]++;
}

/* qcore for queues 0..3 as @a @b @c @d, the rest no core's. */
static void fg_qcore(u8 *qcore, u8 a, u8 b, u8 c, u8 d)
{
	memset(qcore, IXDP_RSS_NO_CORE, IXDP_RSS_QUEUES);
	qcore[0] = a;
	qcore[1] = b;
	qcore[2] = c;
	qcore[3] = d;
}

/*
 * Four queues on three cores (two on core 0): 64/32/32 entries become
 * 43/43/42, the two left over going to the cores that had the most; only
 * core 0 gives (21 entries, from both its queues), and a second balance
 * changes nothing.
 */
IX_TEST(flow_groups, balance_evens_and_moves_fewest)
{
	u16 indir[FG_N], before[FG_N];
	unsigned int per[3], i, q0 = 0, q1 = 0;
	u8 qcore[IXDP_RSS_QUEUES];

	fg_round_robin(indir, FG_N, 4);
	memcpy(before, indir, sizeof(indir));
	fg_qcore(qcore, 0, 0, 1, 2);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 3), 21);
	fg_count(indir, FG_N, qcore, per, 3);
	CHECK_EQ(per[0], 43);
	CHECK_EQ(per[1], 43);
	CHECK_EQ(per[2], 42);
	for (i = 0; i < FG_N; i++) {
		if (indir[i] != before[i])
			CHECK_EQ(qcore[before[i]], 0);
		q0 += indir[i] == 0;
		q1 += indir[i] == 1;
	}
	/* The giver's queues gave alike. */
	CHECK(q0 + q1 == 43 && (q0 == 22 || q1 == 22));
	memcpy(before, indir, sizeof(indir));
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 3), 0);
	CHECK(!memcmp(before, indir, sizeof(indir)));
}

/*
 * Queue 0 is Linux's (no core): its entries stay; cores 0 (queue 1) and
 * 1 (queues 2, 3) even out the other 96, 48 each; a core with no queue
 * (2) takes none.
 */
IX_TEST(flow_groups, linux_queues_stay)
{
	u16 indir[FG_N], before[FG_N];
	u8 qcore[IXDP_RSS_QUEUES];
	unsigned int per[3], i;

	fg_round_robin(indir, FG_N, 4);
	memcpy(before, indir, sizeof(indir));
	fg_qcore(qcore, IXDP_RSS_NO_CORE, 0, 1, 1);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 3), 16);
	fg_count(indir, FG_N, qcore, per, 3);
	CHECK_EQ(per[0], 48);
	CHECK_EQ(per[1], 48);
	CHECK_EQ(per[2], 0);
	for (i = 0; i < FG_N; i++)
		CHECK_EQ(indir[i] == 0, before[i] == 0);
}

/*
 * A queue the table leaves out (queue 3, of core 1) stays out: core 1
 * takes its share on queue 2 alone.
 */
IX_TEST(flow_groups, a_queue_left_out_stays_out)
{
	u8 qcore[IXDP_RSS_QUEUES];
	unsigned int per[2], i;
	u16 indir[FG_N];

	fg_round_robin(indir, FG_N, 3);
	fg_qcore(qcore, 0, 0, 1, 1);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 2), 22);
	fg_count(indir, FG_N, qcore, per, 2);
	CHECK_EQ(per[0], 64);
	CHECK_EQ(per[1], 64);
	for (i = 0; i < FG_N; i++)
		CHECK(indir[i] != 3);
}

/*
 * Nothing to do: one core; a table naming no core's queue; an entry
 * naming a queue beyond those placed.  Too many cores: refused.
 */
IX_TEST(flow_groups, nothing_to_balance)
{
	u16 indir[FG_N], before[FG_N];
	u8 qcore[IXDP_RSS_QUEUES];

	fg_round_robin(indir, FG_N, 4);
	memcpy(before, indir, sizeof(indir));
	fg_qcore(qcore, 0, 0, 0, 0);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 1), 0);
	fg_qcore(qcore, IXDP_RSS_NO_CORE, IXDP_RSS_NO_CORE, IXDP_RSS_NO_CORE,
		 IXDP_RSS_NO_CORE);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 2), 0);
	/* 64 and 63 entries: within one. */
	fg_qcore(qcore, 0, 1, 0, 1);
	indir[5] = IXDP_RSS_QUEUES + 3;
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore, 2), 0);
	CHECK_EQ(indir[5], IXDP_RSS_QUEUES + 3);
	CHECK_EQ(ixdp_flow_groups_balance(indir, FG_N, qcore,
					  IXDP_HANDOFF_CORES + 1), -EINVAL);
	indir[5] = before[5];
	CHECK(!memcmp(before, indir, sizeof(indir)));
}

/* A device of @p's, its @ncores cores serving the queues @qcore says. */
struct fg_dev {
	struct ixdp_dev		idev;
	struct ixdp_core	*core[3];
	struct ixdp_queue	queue[4];
};

static struct fg_dev *fg_dev_new(struct ixp *p, const struct ixdp_drv_ops *ops,
				 const u8 *qcore, unsigned int ncores)
{
	struct fg_dev *d = calloc(1, sizeof(*d));
	struct ixdp_core *core;
	unsigned int c, q;

	if (!d)
		return NULL;
	d->idev.dev = &p->dev;
	d->idev.ops = ops;
	for (c = 0; c < ncores; c++)
		d->core[c] = calloc(1, sizeof(*d->core[c]));
	for (q = 0; q < 4; q++) {
		d->queue[q].drv.qid = q;
		if (qcore[q] >= ncores)
			continue;
		core = d->core[qcore[q]];
		core->queues[core->nqueues++] = &d->queue[q];
	}
	return d;
}

static void fg_dev_free(struct fg_dev *d, unsigned int ncores)
{
	while (ncores)
		free(d->core[--ncores]);
	free(d);
}

/*
 * The 82599 with four pairs on three cores (0: pairs 0, 1; 1: pair 2;
 * 2: pair 3): the balance writes the RETA through rss_set, rss_get reads
 * 43/43/42 back, every one of 200 flows lands on a pair of the core
 * ixdp_rss_flow_core() names, and the detach's restore puts the table
 * back, the flows landing where they did.
 */
IX_TEST(ixgbe, flow_groups_balanced_through_the_reta)
{
	u16 found[IXDP_DRV_RSS_MAX], indir[IXDP_DRV_RSS_MAX];
	struct ixp *p = ixp_new(4, 64, true);
	u8 key[IXDP_DRV_RSS_KEY], qcore[IXDP_RSS_QUEUES];
	unsigned int per[3], i, moved = 0;
	struct ixdp_rss rss;
	struct fg_dev *d;
	struct ixc c[4];
	int at, n;

	fg_qcore(qcore, 0, 0, 1, 2);
	CHECK(p && ixc_take_four(p, c));
	d = fg_dev_new(p, ixp_ops, qcore, 3);
	CHECK(d);
	rtnl_lock();
	n = ixp_ops->rss_get(&p->dev, key, found, IXDP_DRV_RSS_MAX);
	CHECK_EQ(n, FG_N);
	CHECK(ixdp_dev_rss_balance(&d->idev, d->core, 3, &rss));
	CHECK_EQ(ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX), n);
	fg_count(indir, n, qcore, per, 3);
	CHECK(per[0] == 43 && per[1] == 43 && per[2] == 42);
	CHECK_EQ(rss.nindir, n);
	CHECK(!memcmp(rss.key, key, sizeof(key)));
	for (i = 0; i < n; i++)
		CHECK_EQ(rss.core[i], qcore[indir[i]]);
	CHECK(d->idev.rss_found);
	for (i = 0; i < 200; i++) {
		at = ixc_landed(p, c, 0xc6120100 + i, 1024 + 7 * i, i);
		CHECK(at >= 0);
		CHECK_EQ(qcore[at],
			 ixdp_rss_flow_core(&rss, cpu_to_be32(0xc6120100 + i),
					    cpu_to_be32(IXC_DADDR),
					    cpu_to_be16(1024 + 7 * i),
					    cpu_to_be16(IXC_DPORT)));
		moved += qcore[at] != qcore[found[ixdp_rss_hash(key,
			cpu_to_be32(0xc6120100 + i), cpu_to_be32(IXC_DADDR),
			cpu_to_be16(1024 + 7 * i), cpu_to_be16(IXC_DPORT)) &
			(n - 1)]];
	}
	/* About a sixth of the flows changed core (21 of 128 groups). */
	CHECK(moved > 10 && moved < 70);

	ixdp_dev_rss_restore(&d->idev);
	CHECK(!d->idev.rss_found);
	CHECK_EQ(ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX), n);
	CHECK(!memcmp(indir, found, n * sizeof(indir[0])));
	rtnl_unlock();
	for (i = 0; i < 50; i++)
		CHECK_EQ(ixc_landed(p, c, 0xc6120100 + i, 1024 + 7 * i, 300 + i),
			 found[ixdp_rss_hash(key, cpu_to_be32(0xc6120100 + i),
					     cpu_to_be32(IXC_DADDR),
					     cpu_to_be16(1024 + 7 * i),
					     cpu_to_be16(IXC_DPORT)) & (n - 1)]);
	fg_dev_free(d, 3);
	for (i = 0; i < 4; i++)
		ixc_give(&c[i]);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}

static int fg_refuse(struct net_device *dev, const u16 *indir, unsigned int n)
{
	return -EIO;
}

/*
 * A table the driver refuses: the balance says so and reports the table
 * in force, nothing kept to put back; under steering (which puts back
 * its own), a balance keeps nothing either.
 */
IX_TEST(ixgbe, flow_groups_refused_or_steered)
{
	u16 found[IXDP_DRV_RSS_MAX], indir[IXDP_DRV_RSS_MAX];
	struct ixp *p = ixp_new(4, 64, true);
	u8 key[IXDP_DRV_RSS_KEY], qcore[IXDP_RSS_QUEUES];
	struct ixdp_drv_ops refusing;
	struct ixdp_rss rss;
	unsigned int per[3], i;
	struct fg_dev *d;
	struct ixc c[4];
	int n;

	fg_qcore(qcore, 0, 0, 1, 2);
	CHECK(p && ixc_take_four(p, c));
	refusing = *ixp_ops;
	refusing.rss_set = fg_refuse;
	d = fg_dev_new(p, &refusing, qcore, 3);
	CHECK(d);
	rtnl_lock();
	n = ixp_ops->rss_get(&p->dev, key, found, IXDP_DRV_RSS_MAX);
	CHECK(ixdp_dev_rss_balance(&d->idev, d->core, 3, &rss));
	for (i = 0; i < n; i++)
		CHECK_EQ(rss.core[i], qcore[found[i]]);
	CHECK(!d->idev.rss_found);

	d->idev.ops = ixp_ops;
	d->idev.steer.active = true;
	CHECK(ixdp_dev_rss_balance(&d->idev, d->core, 3, &rss));
	CHECK(!d->idev.rss_found);
	CHECK_EQ(ixp_ops->rss_get(&p->dev, key, indir, IXDP_DRV_RSS_MAX), n);
	fg_count(indir, n, qcore, per, 3);
	CHECK(per[0] == 43 && per[1] == 43 && per[2] == 42);
	/* As steering would at its stop. */
	CHECK_EQ(ixp_ops->rss_set(&p->dev, found, n), 0);
	rtnl_unlock();
	fg_dev_free(d, 3);
	for (i = 0; i < 4; i++)
		ixc_give(&c[i]);
	CHECK_EQ(p->m.errors, 0);
	ixp_free(p);
}
