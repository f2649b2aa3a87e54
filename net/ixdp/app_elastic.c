// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: elastic application threads (IX_SETUP_F_ELASTIC), which follow
 * the cores of their device as ix scale adds and removes them.
 *
 * A thread set up elastic drives a core of its device that had none, or
 * stands by on the device's list until a core joins (ixdp_app_join()).
 * A scale parks every thread that drives a core of the device before it
 * touches one:
 *
 *  1. the scale writes a new request number into each thread's
 *     @park_req (no lock: the thread may be in a run that holds its
 *     lock) and wakes it;
 *  2. a run that sees the request stops polling the device and returns
 *     after executing its commands; a run that starts with the thread
 *     quiet (ixdp_app_quiet(): nothing published unexecuted, nothing
 *     unread) sets @parked to the request, wakes the scale and sleeps
 *     with its lock dropped, so that the scale can take it;
 *  3. the scale waits IXDP_PARK_TIMEOUT for every thread, else clears
 *     the requests and fails with -EAGAIN, nothing changed;
 *  4. it moves connections, retires threads (%IX_EV_CORE_DOWN, standby)
 *     and binds standby threads to joining cores (%IX_EV_CORE_UP), which
 *     it marks parked for the same request: their runs wait too;
 *  5. it clears every request: the parked runs return 0 and their
 *     threads read what the scale wrote.
 *
 * A parked run sleeps killable: a thread killed while parked exits
 * once the scale lets RTNL go (ixdp_app_task_exit()).
 */

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "app.h"
#include "dp.h"

/* How long a scale waits for every thread of the device to park. */
#define IXDP_PARK_TIMEOUT	(HZ / 4)

/* Parked and standby runs wait here; so does a scale for them. */
static DECLARE_WAIT_QUEUE_HEAD(ixdp_park_wq);
/* The last park request's number, never 0 (RTNL). */
static u32 ixdp_park_seq;

/**
 * ixdp_app_free_core() - a core of @idev no application thread drives
 * @idev: an attached device; RTNL held
 *
 * Return: the core, or NULL if every core has one.
 */
struct ixdp_core *ixdp_app_free_core(struct ixdp_dev *idev)
{
	unsigned int i;

	for (i = 0; i < idev->ncores; i++)
		if (!idev->cores[i]->app)
			return idev->cores[i];
	return NULL;
}

/**
 * ixdp_app_stand_by() - put an elastic thread on its device's list
 * @app: the thread, driving no core; RTNL held
 * @idev: its device
 */
void ixdp_app_stand_by(struct ixdp_app *app, struct ixdp_dev *idev)
{
	ASSERT_RTNL();
	list_add_tail(&app->standby, &idev->standby);
}

/**
 * ixdp_app_stand_down() - take a thread off its device's standby list,
 *	if it is on it
 * @app: the thread; RTNL held
 */
void ixdp_app_stand_down(struct ixdp_app *app)
{
	ASSERT_RTNL();
	list_del_init(&app->standby);
}

/**
 * ixdp_dev_standby_revoke() - the device is detached: its standby
 *	threads' runs return -ENODEV from now on
 * @idev: the device; RTNL held
 */
void ixdp_dev_standby_revoke(struct ixdp_dev *idev)
{
	struct ixdp_app *app, *next;

	ASSERT_RTNL();
	list_for_each_entry_safe(app, next, &idev->standby, standby) {
		WRITE_ONCE(app->revoked, true);
		ixdp_app_stand_down(app);
	}
	wake_up_all(&ixdp_park_wq);
}

/**
 * ixdp_app_gone() - whether an elastic thread's task exits or has exec'd
 *	another program: it can never drive a core again
 * @app: the thread's application
 *
 * Its file may live on (a child holds it).  A standby thread so is
 * revoked and taken off the list, so that it blocks no scale and no
 * other process; a bound one whose exit hook ran before a scale bound it
 * is revoked by the next scale.
 *
 * Return: true if gone.
 */
bool ixdp_app_gone(const struct ixdp_app *app)
{
	return app->task->flags & PF_EXITING ||
	       READ_ONCE(app->task->mm) != app->mm;
}

/**
 * ixdp_dev_standby_prune() - revoke the standby threads that are gone
 * @idev: the device; RTNL held
 */
void ixdp_dev_standby_prune(struct ixdp_dev *idev)
{
	struct ixdp_app *app, *next;
	bool woke = false;

	ASSERT_RTNL();
	list_for_each_entry_safe(app, next, &idev->standby, standby) {
		if (!ixdp_app_gone(app))
			continue;
		WRITE_ONCE(app->revoked, true);
		ixdp_app_stand_down(app);
		woke = true;
	}
	if (woke)
		wake_up_all(&ixdp_park_wq);
}

/**
 * ixdp_dev_standby_count() - standby threads a joining core can take
 * @idev: the device; RTNL held
 *
 * Return: those whose thread can still drive one, the others pruned.
 */
unsigned int ixdp_dev_standby_count(struct ixdp_dev *idev)
{
	ixdp_dev_standby_prune(idev);
	return list_count_nodes(&idev->standby);
}

/**
 * ixdp_dev_standby_take() - a standby thread for a joining core
 * @idev: the device; RTNL held
 *
 * Return: the oldest thread that can drive a core, still on the list,
 * or NULL.
 */
struct ixdp_app *ixdp_dev_standby_take(struct ixdp_dev *idev)
{
	struct ixdp_app *app;

	list_for_each_entry(app, &idev->standby, standby)
		if (!ixdp_app_gone(app))
			return app;
	return NULL;
}

static bool ixdp_apps_parked(struct ixdp_dev *idev, u32 req)
{
	struct ixdp_app *app;
	unsigned int i;

	for (i = 0; i < idev->ncores; i++) {
		app = idev->cores[i]->app;
		if (app && READ_ONCE(app->parked) != req)
			return false;
	}
	return true;
}

/**
 * ixdp_apps_park() - park every application thread of @idev (steps 1-3)
 * @idev: the device; RTNL held
 *
 * Return: the request's number, for threads bound under it, or 0 if
 * the threads did not all park in time (the requests are cleared).
 */
u32 ixdp_apps_park(struct ixdp_dev *idev)
{
	struct ixdp_app *app;
	unsigned int i;
	u32 req;

	ASSERT_RTNL();
	req = ++ixdp_park_seq ?: ++ixdp_park_seq;
	for (i = 0; i < idev->ncores; i++) {
		app = idev->cores[i]->app;
		if (!app)
			continue;
		WRITE_ONCE(app->park_req, req);
		/* Out of a sleep on the queue interrupt. */
		wake_up_process(app->task);
	}
	if (wait_event_timeout(ixdp_park_wq, ixdp_apps_parked(idev, req),
			       IXDP_PARK_TIMEOUT))
		return req;
	ixdp_apps_unpark(idev);
	return 0;
}

/**
 * ixdp_apps_unpark() - let every thread of @idev go (step 5)
 * @idev: the device; RTNL held
 */
void ixdp_apps_unpark(struct ixdp_dev *idev)
{
	struct ixdp_app *app;
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < idev->ncores; i++)
		if (idev->cores[i]->app)
			WRITE_ONCE(idev->cores[i]->app->park_req, 0);
	list_for_each_entry(app, &idev->standby, standby)
		WRITE_ONCE(app->park_req, 0);
	wake_up_all(&ixdp_park_wq);
}

/**
 * ixdp_app_tell_down() - send %IX_EV_CORE_DOWN of the core that left, if
 *	the thread has not been told and its ring has room
 * @app: the thread, standing by; @app->lock held
 */
void ixdp_app_tell_down(struct ixdp_app *app)
{
	if (!app->down_cpu ||
	    !ixdp_app_ev_ring(app, IX_EV_CORE_DOWN, app->down_cpu - 1, 0))
		return;
	ixdp_app_ev_publish(app);
	app->down_cpu = 0;
}

/* A standby run ends: a core to drive and no scale holding it. */
static bool ixdp_app_called(struct ixdp_app *app)
{
	return READ_ONCE(app->revoked) ||
	       (READ_ONCE(app->core) && !READ_ONCE(app->park_req));
}

/**
 * ixdp_app_gate() - the start of an elastic thread's run
 * @app: the thread's application; @app->lock held, dropped and taken
 *	again while the run waits
 * @r: the run
 *
 * Return: 1 to go on with the run; else the run ends with this: 0 after
 * a wait (parked until the scale was done, or standing by until a core
 * came or the run's timeout passed) or for a standby run without a
 * timeout, -EINTR (a signal), -ENODEV (revoked meanwhile).
 */
int ixdp_app_gate(struct ixdp_app *app, struct ix_run *r)
{
	u32 req = READ_ONCE(app->park_req);
	bool bound = app->core;
	long t;

	if (app->core && !req)
		return 1;
	if (!app->core && app->down_cpu) {
		/* Its ring has room now, if it read its events. */
		ixdp_app_tell_down(app);
		return 0;
	}
	if (app->core && app->parked != req) {
		if (!ixdp_app_quiet(app))
			return 1;
		WRITE_ONCE(app->parked, req);
		wake_up_all(&ixdp_park_wq);
	}
	mutex_unlock(&app->lock);
	if (bound) {
		t = wait_event_killable(ixdp_park_wq,
					READ_ONCE(app->park_req) != req ||
					READ_ONCE(app->revoked));
	} else if (r->timeout_us) {
		t = wait_event_interruptible_timeout(ixdp_park_wq,
						     ixdp_app_called(app),
						     usecs_to_jiffies(r->timeout_us));
		t = min(t, 0L);
	} else {
		t = 0;
	}
	mutex_lock(&app->lock);
	/* Waiting is not the application's work (the core's busy time). */
	app->acct_ns = 0;
	if (t)
		return -EINTR;
	return READ_ONCE(app->revoked) ? -ENODEV : 0;
}
