// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/timer.c: every timer fires once, at its own tick,
 * never early; cancel and re-arm hold under callbacks; a random workload
 * agrees with a model.
 */

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "timer.h"

struct probe {
	struct ixdp_timer	timer;
	struct ixdp_wheel	*wheel;
	u64			fired_at;	/* tick being processed */
	u64			due;		/* tick it should fire at */
	unsigned int		fired;
	u64			period;		/* re-arm by this much if set */
	struct probe		*victim;	/* cancel it when fired */
	struct probe		*child;		/* arm it period ticks on */
};

static void probe_fn(struct ixdp_timer *t)
{
	struct probe *p = container_of(t, struct probe, timer);

	p->fired_at = p->wheel->clk - 1;
	p->fired++;
	if (p->victim)
		ixdp_timer_cancel(p->wheel, &p->victim->timer);
	if (p->child)
		ixdp_timer_arm(p->wheel, &p->child->timer,
			       p->fired_at + p->period);
	else if (p->period)
		ixdp_timer_arm(p->wheel, t, t->expires + p->period);
}

static void probe_init(struct probe *p, struct ixdp_wheel *w)
{
	memset(p, 0, sizeof(*p));
	p->wheel = w;
	ixdp_timer_init(&p->timer, probe_fn);
}

/* One timer per distance, at and around every level boundary. */
IX_TEST(timer, fires_at_its_tick_across_levels)
{
	static const u64 deltas[] = {
		0, 1, 2, 63, 64, 65, 127, 128, 4095, 4096, 4097, 262143,
		262144, 262145, IXDP_WHEEL_RANGE - 1, IXDP_WHEEL_RANGE,
		IXDP_WHEEL_RANGE + 5, 3 * IXDP_WHEEL_RANGE + 7,
	};
	const u64 start = 1000003;
	struct ixdp_wheel w;
	struct probe p;
	unsigned int i;

	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		u64 at = start + deltas[i];

		ixdp_wheel_init(&w, start);
		probe_init(&p, &w);
		ixdp_timer_arm(&w, &p.timer, at);
		CHECK(ixdp_timer_pending(&p.timer));
		if (at > start)
			CHECK_EQ(ixdp_wheel_advance(&w, at - 1), 0);
		CHECK_EQ(p.fired, 0);
		CHECK_EQ(ixdp_wheel_advance(&w, at), 1);
		CHECK_EQ(p.fired, 1);
		CHECK_EQ(p.fired_at, at);
		CHECK(!ixdp_timer_pending(&p.timer));
		CHECK_EQ(w.pending, 0);
	}
}

/* Thousands of timers, one advance per tick: each fires on its tick. */
IX_TEST(timer, tick_by_tick)
{
	enum { N = 5000 };
	struct probe *p = calloc(N, sizeof(*p));
	struct ixdp_wheel w;
	unsigned int i, fired = 0;
	u64 now;

	CHECK(p);
	ixdp_wheel_init(&w, 77);
	for (i = 0; i < N; i++) {
		probe_init(&p[i], &w);
		ixdp_timer_arm(&w, &p[i].timer, 77 + (i * 7919ULL) % N);
	}
	CHECK_EQ(w.pending, N);
	for (now = 77; now < 77 + N; now++)
		fired += ixdp_wheel_advance(&w, now);
	CHECK_EQ(fired, N);
	for (i = 0; i < N; i++) {
		if (p[i].fired != 1 || p[i].fired_at != p[i].timer.expires) {
			free(p);
			CHECK(!"timer fired off its tick");
		}
	}
	free(p);
	CHECK_EQ(w.pending, 0);
}

IX_TEST(timer, past_expiry_fires_at_next_advance)
{
	struct ixdp_wheel w;
	struct probe p;

	ixdp_wheel_init(&w, 500);
	probe_init(&p, &w);
	ixdp_timer_arm(&w, &p.timer, 10);
	CHECK_EQ(ixdp_wheel_advance(&w, 500), 1);
	CHECK_EQ(p.fired_at, 500);
}

IX_TEST(timer, going_backwards_is_a_noop)
{
	struct ixdp_wheel w;
	struct probe p;

	ixdp_wheel_init(&w, 1000);
	probe_init(&p, &w);
	ixdp_timer_arm(&w, &p.timer, 1000);
	CHECK_EQ(ixdp_wheel_advance(&w, 999), 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 5), 0);
	CHECK_EQ(p.fired, 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 1000), 1);
}

IX_TEST(timer, cancel)
{
	struct ixdp_wheel w;
	struct probe a, b;

	ixdp_wheel_init(&w, 0);
	probe_init(&a, &w);
	probe_init(&b, &w);
	ixdp_timer_cancel(&w, &a.timer);	/* never armed: no-op */
	CHECK_EQ(w.pending, 0);
	ixdp_timer_arm(&w, &a.timer, 100);
	ixdp_timer_arm(&w, &b.timer, 100000);
	CHECK_EQ(w.pending, 2);
	ixdp_timer_cancel(&w, &a.timer);
	ixdp_timer_cancel(&w, &a.timer);
	ixdp_timer_cancel(&w, &b.timer);
	CHECK_EQ(w.pending, 0);
	CHECK(!ixdp_timer_pending(&a.timer));
	CHECK_EQ(w.occupied[0] | w.occupied[1] | w.occupied[2] | w.occupied[3], 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 1000000), 0);
	CHECK_EQ(a.fired + b.fired, 0);
}

IX_TEST(timer, rearm_moves_the_timer)
{
	struct ixdp_wheel w;
	struct probe p;

	ixdp_wheel_init(&w, 0);
	probe_init(&p, &w);
	ixdp_timer_arm(&w, &p.timer, 100);
	ixdp_timer_arm(&w, &p.timer, 5000);
	CHECK_EQ(w.pending, 1);
	CHECK_EQ(ixdp_wheel_advance(&w, 4999), 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 5000), 1);
	CHECK_EQ(p.fired_at, 5000);
	/* And earlier again. */
	ixdp_timer_arm(&w, &p.timer, 90000);
	ixdp_timer_arm(&w, &p.timer, 5010);
	CHECK_EQ(ixdp_wheel_advance(&w, 6000), 1);
	CHECK_EQ(p.fired_at, 5010);
}

IX_TEST(timer, periodic_callback_rearms_itself)
{
	struct ixdp_wheel w;
	struct probe p;

	ixdp_wheel_init(&w, 0);
	probe_init(&p, &w);
	p.period = 7;
	ixdp_timer_arm(&w, &p.timer, 7);
	CHECK_EQ(ixdp_wheel_advance(&w, 700), 100);
	CHECK_EQ(p.fired_at, 700);
	CHECK(ixdp_timer_pending(&p.timer));
	CHECK_EQ(p.timer.expires, 707);
}

/* Two timers on one tick, each cancelling the other: one fires. */
IX_TEST(timer, callback_cancels_a_timer_of_its_batch)
{
	struct ixdp_wheel w;
	struct probe a, b;

	ixdp_wheel_init(&w, 0);
	probe_init(&a, &w);
	probe_init(&b, &w);
	a.victim = &b;
	b.victim = &a;
	ixdp_timer_arm(&w, &a.timer, 300);
	ixdp_timer_arm(&w, &b.timer, 300);
	CHECK_EQ(ixdp_wheel_advance(&w, 1000), 1);
	CHECK_EQ(a.fired + b.fired, 1);
	CHECK_EQ(w.pending, 0);
}

/* A timer armed from a callback one turn of level 0 later (same slot). */
IX_TEST(timer, callback_arms_into_the_running_slot)
{
	struct ixdp_wheel w;
	struct probe a, b;

	ixdp_wheel_init(&w, 0);
	probe_init(&a, &w);
	probe_init(&b, &w);
	a.child = &b;
	a.period = IXDP_WHEEL_SLOTS;
	ixdp_timer_arm(&w, &a.timer, 10);
	CHECK_EQ(ixdp_wheel_advance(&w, 10), 1);
	CHECK_EQ(b.fired, 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 10 + IXDP_WHEEL_SLOTS - 1), 0);
	CHECK_EQ(ixdp_wheel_advance(&w, 10 + IXDP_WHEEL_SLOTS), 1);
	CHECK_EQ(b.fired_at, 10 + IXDP_WHEEL_SLOTS);
}

static u64 rng_state;

static u64 rng(void)
{
	/* xorshift64*: deterministic across runs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Random arms, cancels and advances against a model of what is due. */
IX_TEST(timer, random_workload_matches_model)
{
	enum { N = 512, OPS = 200000 };
	struct probe *p = calloc(N, sizeof(*p));
	unsigned int i, op, fired = 0, expect = 0;
	struct ixdp_wheel w;
	u64 now = 123456789, dist;

	CHECK(p);
	rng_state = 0x9e3779b97f4a7c15ULL;
	ixdp_wheel_init(&w, now);
	for (i = 0; i < N; i++)
		probe_init(&p[i], &w);
	for (op = 0; op < OPS && !ix_test_failed(); op++) {
		struct probe *q = &p[rng() % N];
		u64 r = rng() % 100;

		if (r < 50) {
			/* Distances spread over every level and beyond. */
			dist = rng() % (1ULL << (rng() % 27));
			ixdp_timer_arm(&w, &q->timer, now + dist);
			/* A tick already processed fires at the next one. */
			q->due = max(now + dist, w.clk);
			q->fired = 0;
		} else if (r < 65) {
			ixdp_timer_cancel(&w, &q->timer);
		} else {
			now += (r < 99) ? rng() % 300 : rng() % (1ULL << 26);
			fired += ixdp_wheel_advance(&w, now);
			for (i = 0; i < N; i++) {
				if (p[i].fired) {
					if (p[i].fired != 1 ||
					    p[i].fired_at != p[i].due)
						ix_test_fail(__FILE__, __LINE__,
							     "timer %u fired %u times, at %llu for %llu",
							     i, p[i].fired,
							     (unsigned long long)p[i].fired_at,
							     (unsigned long long)p[i].due);
					expect++;
					p[i].fired = 0;
				} else if (ixdp_timer_pending(&p[i].timer) &&
					   p[i].due <= now) {
					ix_test_fail(__FILE__, __LINE__,
						     "timer %u due at %llu missed at %llu", i,
						     (unsigned long long)p[i].due,
						     (unsigned long long)now);
				}
			}
		}
	}
	free(p);
	CHECK(!ix_test_failed());
	CHECK_EQ(fired, expect);
	CHECK(fired > 10000);
}

IX_TEST(timer, empty_wheel_jumps_to_now)
{
	struct ixdp_wheel w;

	ixdp_wheel_init(&w, 5);
	CHECK_EQ(ixdp_wheel_advance(&w, 1ULL << 50), 0);
	CHECK_EQ(w.clk, (1ULL << 50) + 1);
}
