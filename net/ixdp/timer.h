/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp per-core hierarchical timer wheel.
 *
 * Each dataplane core owns one wheel and is the only one to touch it, so
 * there is no locking.  Time is counted in ticks chosen by the caller.
 * Arming and cancelling are O(1); a timer fires in the first
 * ixdp_wheel_advance() whose @now has reached its expiry, never before.
 */
#ifndef _NET_IXDP_TIMER_H
#define _NET_IXDP_TIMER_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>

#define IXDP_WHEEL_BITS		6
#define IXDP_WHEEL_SLOTS	BIT(IXDP_WHEEL_BITS)
#define IXDP_WHEEL_LEVELS	4
/* Timers further out than this are parked in the top level and re-filed. */
#define IXDP_WHEEL_RANGE	(1ULL << (IXDP_WHEEL_BITS * IXDP_WHEEL_LEVELS))

struct ixdp_timer;
typedef void (*ixdp_timer_fn)(struct ixdp_timer *t);

/**
 * struct ixdp_timer - one timer, embedded in its owner
 * @node: link in its wheel slot; unhashed while not pending
 * @expires: tick at which it fires
 * @fn: called from ixdp_wheel_advance(); may re-arm or cancel any timer
 * @slot: index of the slot holding it (level * IXDP_WHEEL_SLOTS + slot)
 */
struct ixdp_timer {
	struct hlist_node	node;
	u64			expires;
	ixdp_timer_fn		fn;
	unsigned int		slot;
};

/**
 * struct ixdp_wheel - a core's timers
 * @clk: the next tick to process; everything before it has fired
 * @pending: number of armed timers
 * @occupied: per level, a bit per non-empty slot
 * @slots: per level, the timer lists
 */
struct ixdp_wheel {
	u64			clk;
	unsigned int		pending;
	u64			occupied[IXDP_WHEEL_LEVELS];
	struct hlist_head	slots[IXDP_WHEEL_LEVELS * IXDP_WHEEL_SLOTS];
};

void ixdp_wheel_init(struct ixdp_wheel *w, u64 now);
void ixdp_timer_init(struct ixdp_timer *t, ixdp_timer_fn fn);
void ixdp_timer_arm(struct ixdp_wheel *w, struct ixdp_timer *t, u64 expires);
void ixdp_timer_cancel(struct ixdp_wheel *w, struct ixdp_timer *t);
unsigned int __ixdp_wheel_advance(struct ixdp_wheel *w, u64 now);

/**
 * ixdp_wheel_advance() - run every timer due at or before @now
 * @w: the wheel
 * @now: the current tick; going backwards is a no-op
 *
 * The core calls this several times a tick: inline, the common case of a
 * tick already processed costs a compare and no call.
 *
 * Return: the number of timers fired.
 */
static inline unsigned int ixdp_wheel_advance(struct ixdp_wheel *w, u64 now)
{
	if (now < w->clk)
		return 0;
	return __ixdp_wheel_advance(w, now);
}

static inline bool ixdp_timer_pending(const struct ixdp_timer *t)
{
	return !hlist_unhashed(&t->node);
}

#endif /* _NET_IXDP_TIMER_H */
