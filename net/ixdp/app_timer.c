// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: application timers on the core's timer wheel.
 *
 * IX_CMD_TIMER_SET arms one of the timers the application asked for at
 * setup (struct ix_setup @timers, allocated at bind) and answers with
 * its handle (slot and generation, as connection handles are); when it
 * fires, an IX_EV_TIMER event carries the command's cookie and the
 * handle, which is then free.  IX_CMD_TIMER_CANCEL disarms it; a stale
 * handle gets -ESTALE.  When an elastic thread's core leaves, its armed
 * timers move to the thread that takes its connections
 * (ixdp_app_timers_move()).  A timer fires whether or not the event ring has
 * room: its event then waits in the late queue, which has room for every
 * timer's; should other late events have filled it anyway, the timer
 * fires again a tick later rather than lose its event, and nothing is
 * counted as dropped.  Free timers wait in a FIFO of their indices:
 * taking one costs O(1), and a slot just freed is reused last, so that a
 * stale handle's generation is far from coming round again.
 */

#include <linux/bug.h>
#include <linux/nospec.h>
#include <linux/slab.h>

#include "app.h"
#include "dp.h"

/* The longest delay: a day, in microseconds. */
#define IXDP_APP_TIMER_MAX_US	(86400ULL * USEC_PER_SEC)

static u32 app_timer_handle(struct ixdp_app *app, struct ixdp_app_timer *t)
{
	return (u32)t->gen << 16 | (u32)(t - app->timers);
}

/* Disarm @t and queue it behind the other free timers. */
static void app_timer_free(struct ixdp_app *app, struct ixdp_app_timer *t)
{
	t->armed = false;
	t->gen++;
	app->timer_free[app->timer_tail++ & (app->ntimers - 1)] =
		t - app->timers;
}

/*
 * The clock a timer counts from: the stack's, or the core's if it is
 * ahead (the stack's may lag behind a poll).
 */
static u64 app_timer_now(const struct ixdp_stack *s)
{
	return max(s->now, ixdp_core_now());
}

/* Arm the free timer that waited longest for @cookie; one is free. */
static struct ixdp_app_timer *app_timer_take(struct ixdp_app *app,
					     u64 cookie)
{
	struct ixdp_app_timer *t;

	t = &app->timers[app->timer_free[app->timer_head++ &
					 (app->ntimers - 1)]];
	t->cookie = cookie;
	t->armed = true;
	return t;
}

static void app_timer_fire(struct ixdp_timer *wt)
{
	struct ixdp_app_timer *t = container_of(wt, struct ixdp_app_timer,
						timer);
	struct ixdp_app *app = t->app;
	struct ixdp_stack *s = &app->core->stack;

	/* No room even late: not lost, the timer fires again next tick. */
	if (!ixdp_app_ev_try(app, IX_EV_TIMER, 0,
			     (void *)(uintptr_t)t->cookie,
			     app_timer_handle(app, t), 0, 0)) {
		ixdp_timer_arm(&s->wheel, wt, s->now + 1);
		return;
	}
	app_timer_free(app, t);
}

/**
 * ixdp_app_timers_alloc() - make the application's timers, every one free
 * @app: the application, being bound; @ntimers set
 *
 * Charged to the caller's memory cgroup.
 *
 * Return: 0 or -ENOMEM.
 */
int ixdp_app_timers_alloc(struct ixdp_app *app)
{
	unsigned int i;

	app->timers = kvcalloc(app->ntimers, sizeof(*app->timers),
			       GFP_KERNEL_ACCOUNT);
	app->timer_free = kvcalloc(app->ntimers, sizeof(*app->timer_free),
				   GFP_KERNEL_ACCOUNT);
	if (!app->timers || !app->timer_free) {
		ixdp_app_timers_free(app);
		return -ENOMEM;
	}
	for (i = 0; i < app->ntimers; i++) {
		app->timers[i].app = app;
		app->timers[i].armed = false;
		ixdp_timer_init(&app->timers[i].timer, app_timer_fire);
		app->timer_free[i] = i;
	}
	app->timer_head = 0;
	app->timer_tail = app->ntimers;
	return 0;
}

/**
 * ixdp_app_timers_free() - free what ixdp_app_timers_alloc() made
 * @app: the application, its timers disarmed (ixdp_app_timers_release())
 */
void ixdp_app_timers_free(struct ixdp_app *app)
{
	kvfree(app->timer_free);
	app->timer_free = NULL;
	kvfree(app->timers);
	app->timers = NULL;
}

/**
 * ixdp_app_timers_release() - disarm every timer
 * @app: the application, being unbound
 */
void ixdp_app_timers_release(struct ixdp_app *app)
{
	struct ixdp_wheel *w = &app->core->stack.wheel;
	unsigned int i;

	for (i = 0; i < app->ntimers; i++)
		if (app->timers[i].armed)
			ixdp_timer_cancel(w, &app->timers[i].timer);
}

/**
 * ixdp_cmd_timer_set() - IX_CMD_TIMER_SET
 * @app: the application
 * @c: the command, copied: arg0 the delay in microseconds
 *
 * Return: the timer's handle, -EINVAL, or -ENOSPC if every timer is armed.
 */
s64 ixdp_cmd_timer_set(struct ixdp_app *app, const struct ix_cmd *c)
{
	struct ixdp_stack *s = &app->core->stack;
	struct ixdp_app_timer *t;
	u64 ticks;

	if (c->arg0 > IXDP_APP_TIMER_MAX_US || c->arg1 || c->handle)
		return -EINVAL;
	if (app->timer_head == app->timer_tail)
		return -ENOSPC;
	t = app_timer_take(app, c->cookie);
	/*
	 * Never early: round up to the wheel's ticks, and count from the
	 * clock now, one tick on, since part of the current tick is gone
	 * (and the stack's clock may be behind it).
	 */
	ticks = DIV_ROUND_UP_ULL(c->arg0 * IXDP_HZ, USEC_PER_SEC);
	ixdp_timer_arm(&s->wheel, &t->timer, app_timer_now(s) + ticks + 1);
	return app_timer_handle(app, t);
}

/**
 * ixdp_cmd_timer_cancel() - IX_CMD_TIMER_CANCEL
 * @app: the application
 * @c: the command, copied: handle the timer
 *
 * Return: 0, -EINVAL for a bad index, -ESTALE for a timer that fired or
 * was cancelled.
 */
s64 ixdp_cmd_timer_cancel(struct ixdp_app *app, const struct ix_cmd *c)
{
	u32 idx = c->handle & 0xffff;
	struct ixdp_app_timer *t;

	if (c->arg0 || c->arg1 || idx >= app->ntimers)
		return -EINVAL;
	t = &app->timers[array_index_nospec(idx, app->ntimers)];
	if (!t->armed || t->gen != c->handle >> 16)
		return -ESTALE;
	ixdp_timer_cancel(&app->core->stack.wheel, &t->timer);
	app_timer_free(app, t);
	return 0;
}

/**
 * ixdp_app_timers_armed() - the application's timers armed now
 * @app: the application, bound
 *
 * Return: how many.
 */
unsigned int ixdp_app_timers_armed(const struct ixdp_app *app)
{
	return app->ntimers - (app->timer_tail - app->timer_head);
}

/* The ticks @t has left on @s's wheel, by the clock it was set by. */
static u64 app_timer_left(const struct ixdp_stack *s,
			  const struct ixdp_app_timer *t)
{
	u64 now = app_timer_now(s);

	return t->timer.expires > now ? t->timer.expires - now : 0;
}

/**
 * ixdp_app_timers_move() - move every armed timer of @from to @to
 * @from: an application whose core leaves its device, still (see
 *	ixdp_app_move())
 * @to: the application of a core that stays, still, with at least as
 *	many timers free as @from has armed (ixdp_app_can_move_more())
 *
 * Each goes on with the ticks it had left, under a handle of @to, which
 * is told (%IX_EV_TIMER_MOVED: the cookie, the new handle; the old one
 * and @from's CPU in data).  @from's handles of them go stale.  One that
 * finds no free timer on @to, which the check rules out, is cancelled
 * with a warning.
 */
void ixdp_app_timers_move(struct ixdp_app *from, struct ixdp_app *to)
{
	struct ixdp_stack *fs = &from->core->stack, *ts = &to->core->stack;
	struct ixdp_app_timer *t, *nt;
	unsigned int i;
	u64 left, old;

	for (i = 0; i < from->ntimers; i++) {
		t = &from->timers[i];
		if (!t->armed)
			continue;
		left = app_timer_left(fs, t);
		old = app_timer_handle(from, t) | (u64)from->cpu << 32;
		ixdp_timer_cancel(&fs->wheel, &t->timer);
		app_timer_free(from, t);
		if (WARN_ON_ONCE(to->timer_head == to->timer_tail))
			continue;
		nt = app_timer_take(to, t->cookie);
		ixdp_timer_arm(&ts->wheel, &nt->timer, app_timer_now(ts) + left);
		ixdp_app_ev(to, IX_EV_TIMER_MOVED, 0,
			    (void *)(uintptr_t)nt->cookie,
			    app_timer_handle(to, nt), 0, old);
	}
}
