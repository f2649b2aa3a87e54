// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp flow groups: the entries of a hashing device's indirection table,
 * spread evenly over the cores that serve it.
 *
 * A device that hashes (RSS: ixgbe) sends a flow to the queue that the
 * entry its hash indexes names, so each entry is a group of flows that
 * moves as one: IX's flow group.  The cores own queues; a core's share
 * of the flows is the share of entries that name its queues.  Queue
 * pairs are placed on cores whole (attach, ix scale's step 4), so three
 * queues on two cores give one core two thirds of the flows.  Rewriting
 * entries evens that out to within one entry, and is what a scale moves
 * with the connections: each goes to the core its entry leads to
 * (scale.c).
 *
 * Here only the table; the driver writes it (rss_set) and the cores read
 * it back into their handoff group (attach_handoff.c).
 */

#include <linux/errno.h>
#include <linux/string.h>

#include "handoff.h"

/**
 * struct ixdp_fg_count - what a balance counts
 * @core: entries that lead to each core
 * @target: entries each core ends with
 * @queue: entries that name each queue
 * @named: the queues the table named before the balance: the only ones
 *	it gives entries to (one left out, by the admin or because the
 *	device does not hash to it, stays out)
 */
struct ixdp_fg_count {
	unsigned int	core[IXDP_HANDOFF_CORES];
	unsigned int	target[IXDP_HANDOFF_CORES];
	unsigned int	queue[IXDP_RSS_QUEUES];
	bool		named[IXDP_RSS_QUEUES];
};

/* The core queue @q leads to, or IXDP_RSS_NO_CORE. */
static u8 fg_core(const u8 *qcore, u16 q)
{
	return q < IXDP_RSS_QUEUES ? qcore[q] : IXDP_RSS_NO_CORE;
}

/*
 * Targets: as many entries for each core with a queue the table names as
 * for any other, within one; the cores left one more are those that have
 * the most already, so that the fewest entries move.  Return: the cores
 * with such a queue.
 */
static unsigned int fg_targets(struct ixdp_fg_count *cnt, const u8 *qcore,
			       unsigned int ncores, unsigned int total)
{
	bool has[IXDP_HANDOFF_CORES] = { };
	unsigned int c, q, m = 0, extra;
	int best;

	for (q = 0; q < IXDP_RSS_QUEUES; q++)
		if (qcore[q] < ncores && cnt->named[q])
			has[qcore[q]] = true;
	for (c = 0; c < ncores; c++)
		m += has[c];
	if (!m)
		return 0;
	for (c = 0; c < ncores; c++)
		cnt->target[c] = has[c] ? total / m : 0;
	for (extra = total % m; extra; extra--) {
		best = -1;
		for (c = 0; c < ncores; c++)
			if (has[c] && cnt->target[c] == total / m &&
			    (best < 0 || cnt->core[c] > cnt->core[best]))
				best = c;
		cnt->target[best]++;
	}
	return m;
}

/*
 * The queue of core @c with the most entries (@most) or the fewest, of
 * those the table named.
 */
static u16 fg_queue(const struct ixdp_fg_count *cnt, const u8 *qcore, u8 c,
		    bool most)
{
	unsigned int q, pick = IXDP_RSS_QUEUES;

	for (q = 0; q < IXDP_RSS_QUEUES; q++) {
		if (qcore[q] != c || !cnt->named[q])
			continue;
		if (pick == IXDP_RSS_QUEUES ||
		    (most ? cnt->queue[q] > cnt->queue[pick] :
			    cnt->queue[q] < cnt->queue[pick]))
			pick = q;
	}
	return pick;
}

/* A core whose count is above its target (@above) or below; -1 if none. */
static int fg_find(const struct ixdp_fg_count *cnt, unsigned int ncores,
		   bool above)
{
	unsigned int c;

	for (c = 0; c < ncores; c++)
		if (above ? cnt->core[c] > cnt->target[c] :
			    cnt->core[c] < cnt->target[c])
			return c;
	return -1;
}

/**
 * ixdp_flow_groups_balance() - spread a table's entries over the cores
 * @indir: the indirection table, the queue of each entry; changed in place
 * @n: its entries
 * @qcore: the core (its index, below @ncores) that serves each queue,
 *	by queue, IXDP_RSS_QUEUES of them; IXDP_RSS_NO_CORE for a queue no
 *	core serves (Linux's)
 * @ncores: the cores, at most IXDP_HANDOFF_CORES
 *
 * Each core that serves a queue the table names ends with as many of
 * the entries that lead to a core as any other, within one; entries
 * that name a queue no core serves stay as they are, and no entry comes
 * to a queue the table did not name.  Only a core above its share gives
 * entries, those of its fullest queue first, and only a core below takes
 * them, on its emptiest queue: the fewest flows move.
 *
 * Return: the entries changed, or -EINVAL for more cores than a group
 * may have.
 */
int ixdp_flow_groups_balance(u16 *indir, unsigned int n, const u8 *qcore,
			     unsigned int ncores)
{
	struct ixdp_fg_count cnt;
	unsigned int i, total = 0;
	int giver, taker, moved = 0;
	u16 from, to;
	u8 c;

	if (ncores > IXDP_HANDOFF_CORES)
		return -EINVAL;
	memset(&cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		c = fg_core(qcore, indir[i]);
		if (c >= ncores)
			continue;
		cnt.core[c]++;
		cnt.queue[indir[i]]++;
		cnt.named[indir[i]] = true;
		total++;
	}
	if (!fg_targets(&cnt, qcore, ncores, total))
		return 0;
	while ((giver = fg_find(&cnt, ncores, true)) >= 0) {
		/* The counts add up to the targets': one is below. */
		taker = fg_find(&cnt, ncores, false);
		from = fg_queue(&cnt, qcore, giver, true);
		to = fg_queue(&cnt, qcore, taker, false);
		for (i = n; i-- > 0;)
			if (indir[i] == from)
				break;
		indir[i] = to;
		cnt.queue[from]--;
		cnt.queue[to]++;
		cnt.core[giver]--;
		cnt.core[taker]++;
		moved++;
	}
	return moved;
}
