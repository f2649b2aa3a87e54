// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp per-core hierarchical timer wheel.
 *
 * IXDP_WHEEL_LEVELS levels of IXDP_WHEEL_SLOTS slots.  A slot of level L
 * spans 64^L ticks.  A timer due within 64 ticks of the clock sits in
 * level 0 at the slot of its exact tick; a timer due later sits in the
 * level whose span covers the distance, at the slot of its expiry's
 * digit in that level.  When the clock enters a new span of level L, that
 * span's slot is emptied and its timers are filed again, one level down
 * or more.  So a timer moves at most IXDP_WHEEL_LEVELS - 1 times and
 * fires exactly at its tick.
 *
 * A slot of level L >= 1 is filed again when the clock's digits below L
 * are all zero and its digit in L equals the slot.  A timer filed at
 * level L has expires >> 6L in (clk >> 6L, (clk >> 6L) + 64], so its slot
 * comes round exactly when the clock reaches its span, even when that
 * digit equals the clock's own (a full turn ahead).
 */

#include <linux/minmax.h>

#include "timer.h"

#define WHEEL_MASK	(IXDP_WHEEL_SLOTS - 1)

static unsigned int wheel_level(u64 delta)
{
	unsigned int level = 0;

	while (level < IXDP_WHEEL_LEVELS - 1 &&
	       delta >= 1ULL << (IXDP_WHEEL_BITS * (level + 1)))
		level++;
	return level;
}

static void wheel_file(struct ixdp_wheel *w, struct ixdp_timer *t)
{
	u64 at = t->expires, delta;
	unsigned int level, idx;

	if (at < w->clk)
		at = w->clk;
	delta = at - w->clk;
	if (delta >= IXDP_WHEEL_RANGE) {
		/* Park it at the far end of the wheel; it is filed again there. */
		delta = IXDP_WHEEL_RANGE - 1;
		at = w->clk + delta;
	}
	level = wheel_level(delta);
	idx = (at >> (IXDP_WHEEL_BITS * level)) & WHEEL_MASK;
	t->slot = level * IXDP_WHEEL_SLOTS + idx;
	hlist_add_head(&t->node, &w->slots[t->slot]);
	w->occupied[level] |= 1ULL << idx;
}

static void wheel_unfile(struct ixdp_wheel *w, struct ixdp_timer *t)
{
	unsigned int level = t->slot / IXDP_WHEEL_SLOTS;
	unsigned int idx = t->slot % IXDP_WHEEL_SLOTS;

	hlist_del_init(&t->node);
	if (hlist_empty(&w->slots[t->slot]))
		w->occupied[level] &= ~(1ULL << idx);
}

/**
 * ixdp_wheel_init() - start an empty wheel
 * @w: the wheel
 * @now: the current tick; timers due at or before it fire at the next advance
 */
void ixdp_wheel_init(struct ixdp_wheel *w, u64 now)
{
	unsigned int i;

	w->clk = now;
	w->pending = 0;
	for (i = 0; i < IXDP_WHEEL_LEVELS; i++)
		w->occupied[i] = 0;
	for (i = 0; i < IXDP_WHEEL_LEVELS * IXDP_WHEEL_SLOTS; i++)
		INIT_HLIST_HEAD(&w->slots[i]);
}

/**
 * ixdp_timer_init() - prepare a timer that is not pending
 * @t: the timer
 * @fn: its callback
 */
void ixdp_timer_init(struct ixdp_timer *t, ixdp_timer_fn fn)
{
	INIT_HLIST_NODE(&t->node);
	t->expires = 0;
	t->fn = fn;
	t->slot = 0;
}

/**
 * ixdp_timer_arm() - arm or re-arm a timer
 * @w: the wheel of the calling core
 * @t: the timer; if pending, it is moved
 * @expires: the tick to fire at; a tick already past fires at the next advance
 */
void ixdp_timer_arm(struct ixdp_wheel *w, struct ixdp_timer *t, u64 expires)
{
	if (ixdp_timer_pending(t))
		wheel_unfile(w, t);
	else
		w->pending++;
	t->expires = expires;
	wheel_file(w, t);
}

/**
 * ixdp_timer_cancel() - disarm a timer; nothing happens if it is not pending
 * @w: the wheel it was armed on
 * @t: the timer
 */
void ixdp_timer_cancel(struct ixdp_wheel *w, struct ixdp_timer *t)
{
	if (!ixdp_timer_pending(t))
		return;
	wheel_unfile(w, t);
	w->pending--;
}

/* Empty slot @idx of @level and file its timers again from the clock. */
static void wheel_cascade(struct ixdp_wheel *w, unsigned int level,
			  unsigned int idx)
{
	struct hlist_head *head = &w->slots[level * IXDP_WHEEL_SLOTS + idx];
	struct hlist_node *tmp;
	struct ixdp_timer *t;
	HLIST_HEAD(moving);

	hlist_move_list(head, &moving);
	w->occupied[level] &= ~(1ULL << idx);
	hlist_for_each_entry_safe(t, tmp, &moving, node) {
		hlist_del_init(&t->node);
		wheel_file(w, t);
	}
}

/* Process tick w->clk: file down the spans it opens, fire its timers. */
static unsigned int wheel_tick(struct ixdp_wheel *w)
{
	unsigned int level, idx, fired = 0;
	struct ixdp_timer *t;
	HLIST_HEAD(due);

	for (level = 1; level < IXDP_WHEEL_LEVELS; level++) {
		if (w->clk & ((1ULL << (IXDP_WHEEL_BITS * level)) - 1))
			break;
		idx = (w->clk >> (IXDP_WHEEL_BITS * level)) & WHEEL_MASK;
		if (w->occupied[level] & (1ULL << idx))
			wheel_cascade(w, level, idx);
	}

	/*
	 * Take the slot's timers off the wheel and move the clock on before
	 * running any: a callback that arms a timer lands in a later slot,
	 * never in the batch being run.  A callback may cancel a timer still
	 * in @due; that only unlinks it from @due.
	 */
	idx = w->clk & WHEEL_MASK;
	hlist_move_list(&w->slots[idx], &due);
	w->occupied[0] &= ~(1ULL << idx);
	w->clk++;
	while (!hlist_empty(&due)) {
		t = hlist_entry(due.first, struct ixdp_timer, node);
		hlist_del_init(&t->node);
		w->pending--;
		fired++;
		t->fn(t);
	}
	return fired;
}

/**
 * __ixdp_wheel_advance() - ixdp_wheel_advance() past its fast path
 * @w: the wheel
 * @now: the current tick; going backwards is a no-op
 *
 * Spans of level-0 slots with nothing in them are skipped, and an empty
 * wheel jumps straight to @now.
 *
 * Return: the number of timers fired.
 */
unsigned int __ixdp_wheel_advance(struct ixdp_wheel *w, u64 now)
{
	unsigned int fired = 0, idx;

	while (w->clk <= now) {
		if (!w->pending) {
			w->clk = now + 1;
			break;
		}
		idx = w->clk & WHEEL_MASK;
		if (idx && !(w->occupied[0] >> idx)) {
			/* Nothing left in this turn of level 0. */
			w->clk = min(w->clk | WHEEL_MASK, now) + 1;
			if (w->clk > now)
				break;
			continue;
		}
		fired += wheel_tick(w);
	}
	return fired;
}
