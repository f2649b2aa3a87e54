// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: binding an application thread to a core, running the dataplane
 * in it, and unbinding it.
 *
 * Setup (under RTNL): the calling thread becomes the dataplane thread of
 * a reserved CPU that serves an attached device.  The scheduler hook lets
 * it, and only it, onto that CPU; it is moved there.  The core's kernel
 * thread parks, the echo service stops, and TCP of the core now reports
 * to the application (app_tcp.c).  From then on the core's state is
 * touched by the bound thread alone, inside the run ioctl.
 *
 * Unbind (file release, the bound thread's exit or exec, a setup whose
 * answer could not be written, or a detach of the device, under RTNL):
 * every connection is reset, every RX buffer the application held goes
 * back to the pool, the echo service comes back and the kernel thread is
 * unparked.  A detach first makes a run in progress return (@revoked,
 * then @lock).  TX memory and the rings go with the file.
 *
 * Lock order: app->setup_lock, then RTNL, then mmap_lock, then
 * app->lock.  Setup pins the TX memory (mmap_lock) before it takes RTNL
 * and drops mmap_lock first: never RTNL under mmap_lock, as the kernel
 * takes mmap_lock under RTNL (page faults; a revoke unmapping the RX
 * pool).  mmap() comes with mmap_lock held and takes app->lock
 * (ixdp_app_mmap()), so nothing under app->lock may take mmap_lock or
 * fault: a run touches no user memory while holding it.
 */

#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "app.h"
#include "dp.h"
#include "ixdp.h"

/* Idle iterations of a sleeping run before it waits for an interrupt. */
#define IXDP_APP_IDLE_SPINS	64
/*
 * Events a received frame causes at most, as a rule: a recv for its data,
 * another for a FIN, a sent for its ACK, a dead.  One that fills a hole in
 * the out-of-order queue causes a recv per segment it releases: those
 * beyond the room wait in the late queue.
 */
#define IXDP_APP_EV_PER_FRAME	4
#define IXDP_TX_MAX		SZ_1G

static int ixdp_ring_entries(u32 *n)
{
	if (!*n)
		*n = IX_RING_DEFAULT;
	if (*n < IX_RING_MIN || *n > IX_RING_MAX || !is_power_of_2(*n))
		return -EINVAL;
	return 0;
}

static int ixdp_setup_check(struct ix_setup *p)
{
	if (p->flags & ~(IX_SETUP_F_ELASTIC | IX_SETUP_F_MOVED_OUT) ||
	    (p->flags & IX_SETUP_F_MOVED_OUT &&
	     !(p->flags & IX_SETUP_F_ELASTIC)) ||
	    memchr_inv(p->resv, 0, sizeof(p->resv)) ||
	    p->rx_pool_size || p->ifindex || p->addr || p->features ||
	    memchr_inv(&p->cmd_off, 0, sizeof(p->cmd_off)) ||
	    memchr_inv(&p->event_off, 0, sizeof(p->event_off)))
		return -EINVAL;
	if (ixdp_ring_entries(&p->cmd_entries) ||
	    ixdp_ring_entries(&p->event_entries))
		return -EINVAL;
	if (!p->timers)
		p->timers = IX_TIMERS_DEFAULT;
	if (p->timers > IX_TIMERS_MAX || !is_power_of_2(p->timers))
		return -EINVAL;
	if (!p->tx_addr != !p->tx_len || !PAGE_ALIGNED(p->tx_addr) ||
	    !PAGE_ALIGNED(p->tx_len) || p->tx_len > IXDP_TX_MAX)
		return -EINVAL;
	return 0;
}

static void ixdp_app_tcp_free(struct ixdp_app *app)
{
	ixdp_app_timers_free(app);
	kvfree(app->late);
	app->late = NULL;
	kvfree(app->conns);
	app->conns = NULL;
	kvfree(app->tcp);
	app->tcp = NULL;
}

/* Make @core the application's: park its thread, hand TCP over. */
static int ixdp_app_bind(struct ixdp_app *app, struct ixdp_core *core)
{
	struct ixdp_tcp_config cfg = {
		.syn_retries	= core->idev->syn_retries,
	};
	unsigned int n = core->idev->max_conns;
	/* An event for each connection and each timer, at least. */
	u32 late = roundup_pow_of_two(n + app->ntimers);
	/* A core that joins has a loop thread that never ran. */
	bool ran = core->waker;
	int err = -ENOMEM;

	/* Charged to the caller's memory cgroup, as all it makes us keep. */
	app->tcp = kvzalloc(ixdp_tcp_size(n), GFP_KERNEL_ACCOUNT);
	app->conns = kvcalloc(n, sizeof(*app->conns), GFP_KERNEL_ACCOUNT);
	app->late = kvcalloc(late, sizeof(*app->late), GFP_KERNEL_ACCOUNT);
	if (!app->tcp || !app->conns || !app->late ||
	    ixdp_app_timers_alloc(app))
		goto out_free;
	app->late_head = 0;
	app->late_tail = 0;
	app->late_mask = late - 1;
	kthread_park(core->task);
	ixdp_echo_stop(core);
	/* Nothing of the echo service or an earlier binding is left. */
	ixdp_arp_forget_pending(&core->stack);
	if (ixdp_core_quiesce(core))
		pr_warn_ratelimited("ixdp: cpu %u: frames still being sent at bind\n",
				    core->cpu);
	core->app = app;
	app->core = core;
	app->acct_ns = 0;
	err = ixdp_tcp_init(&core->stack, app->tcp, n, &cfg, &ixdp_app_tcp_ops);
	if (err)
		goto out_unpark;
	err = ixdp_app_udp_init(app);
	if (err)
		goto out_tcp;
	WRITE_ONCE(core->waker, app->task);
	return 0;

out_tcp:
	ixdp_tcp_teardown(&core->stack);
out_unpark:
	core->app = NULL;
	app->core = NULL;
	if (ixdp_echo_start(core, core->idev->echo_port))
		pr_warn("ixdp: cpu %u: echo service not restarted\n", core->cpu);
	/* Else it stays parked: the scale starts it once the core is set. */
	if (ran)
		kthread_unpark(core->task);
out_free:
	ixdp_app_tcp_free(app);
	return err;
}

/*
 * Give the core's TCP back: every connection the application can still
 * name is reset, which for a retire is only one whose move failed.
 * TIME_WAIT has no handle and goes with the stack.
 */
static void ixdp_app_release_core(struct ixdp_app *app)
{
	struct ixdp_core *core = app->core;
	struct ixdp_stack *s = &core->stack;
	struct ixdp_tcp_pcb *pcb;
	unsigned int i;

	ixdp_app_timers_release(app);
	ixdp_app_udp_release(app);
	for (i = 0; i < app->tcp->npcbs; i++) {
		pcb = &app->tcp->pcbs[i];
		if (pcb->state != IXDP_TCP_CLOSED)
			ixdp_tcp_abort(s, tcp_pcb_handle(pcb));
	}
	ixdp_tcp_teardown(s);
	ixdp_app_conns_release(app);
}

/* Undo ixdp_app_take_cpu(): the thread may run where it could before. */
static void ixdp_app_give_cpu(struct ixdp_app *app, unsigned int cpu)
{
	ixdp_cpu_unbind(cpu, app->task);
	set_cpus_allowed_ptr(app->task, app->saved_mask);
}

/* The thread leaves its CPU, which only it could run on. */
static void ixdp_app_leave_cpu(struct ixdp_app *app)
{
	app->core->app = NULL;
	app->core = NULL;
	ixdp_app_give_cpu(app, app->cpu);
}

static void ixdp_app_unbind(struct ixdp_app *app)
{
	struct ixdp_core *core = app->core;

	ASSERT_RTNL();
	ixdp_app_release_core(app);
	ixdp_app_tcp_free(app);
	WRITE_ONCE(core->waker, core->task);
	/* No interrupt wakes the application's thread from here on. */
	synchronize_rcu();
	if (ixdp_echo_start(core, core->idev->echo_port))
		pr_warn("ixdp: cpu %u: echo service not restarted\n", core->cpu);
	ixdp_app_leave_cpu(app);
	kthread_unpark(core->task);
}

/**
 * ixdp_app_retire() - an elastic thread's core leaves the device
 * @app: the thread, parked, its connections moved (ixdp_app_move());
 *	RTNL and @app->lock held, the core parked
 *
 * The thread is told (%IX_EV_CORE_DOWN) and stands by.  Its core's loop
 * thread stays parked: the core is stopped next.  The caller takes the
 * RX pool out of the process once @app->lock is dropped.
 */
void ixdp_app_retire(struct ixdp_app *app)
{
	struct ixdp_core *core = app->core;

	ASSERT_RTNL();
	lockdep_assert_held(&app->lock);
	ixdp_app_release_core(app);
	/*
	 * The late queue goes with the binding: what the ring cannot take
	 * now (events of moves that failed, only) is lost, and counted.
	 */
	ixdp_app_ev_flush(app);
	ixdp_app_ev_drop_late(app);
	ixdp_app_tcp_free(app);
	/* Told now, or at its next run if the ring is full. */
	app->down_cpu = core->cpu + 1;
	ixdp_app_tell_down(app);
	WRITE_ONCE(core->waker, core->task);
	synchronize_rcu();
	ixdp_app_leave_cpu(app);
	ixdp_app_stand_by(app, core->idev);
}

/* Take @cpu for the thread: only it may run there from now on. */
static int ixdp_app_take_cpu(struct ixdp_app *app, unsigned int cpu)
{
	int err;

	err = ixdp_cpu_bind(cpu, app->task);
	if (err)
		return err;
	err = set_cpus_allowed_ptr(app->task, cpumask_of(cpu));
	if (err) {
		ixdp_cpu_unbind(cpu, app->task);
		return err;
	}
	app->cpu = cpu;
	return 0;
}

/* An elastic thread's binding starts: it learns its CPU and pool. */
static void ixdp_app_core_up(struct ixdp_app *app)
{
	struct ixdp_core *core = app->core;

	ixdp_app_ev(app, IX_EV_CORE_UP, core->cpu, NULL, 0, 0,
		    ixdp_rx_pool_size(core));
	ixdp_app_ev_publish(app);
}

/**
 * ixdp_app_join() - a standby elastic thread drives a core that joins
 * @app: the thread, on its device's standby list; RTNL and @app->lock
 *	held
 * @core: the core, with its queues, not running, its loop thread made
 *
 * The thread is sent %IX_EV_CORE_UP; it stays parked (the scale's
 * request) until the scale lets every thread go.
 *
 * Return: 0 or -errno, the thread still standing by.
 */
int ixdp_app_join(struct ixdp_app *app, struct ixdp_core *core)
{
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&app->lock);
	/* CORE_DOWN of a core it left, first, or not this time. */
	ixdp_app_tell_down(app);
	if (app->down_cpu)
		return -EBUSY;
	err = ixdp_app_take_cpu(app, core->cpu);
	if (err)
		return err;
	err = ixdp_app_bind(app, core);
	if (err) {
		ixdp_app_give_cpu(app, core->cpu);
		return err;
	}
	ixdp_app_stand_down(app);
	ixdp_app_core_up(app);
	return 0;
}

/* Build what the file holds whatever the core: rings and TX memory. */
static int ixdp_app_mem(struct ixdp_app *app, struct ix_setup *p)
{
	int err;

	err = ixdp_ring_alloc(&app->cmd, p->cmd_entries, sizeof(struct ix_cmd),
			      &p->cmd_off);
	if (err)
		return err;
	err = ixdp_ring_alloc(&app->ev, p->event_entries,
			      sizeof(struct ix_event), &p->event_off);
	if (err)
		goto out_cmd;
	ixdp_ring_pair(&app->cmd, &app->ev, &p->event_off);
	if (!p->tx_len)
		return 0;
	err = ixdp_tx_pin(app, p->tx_addr, p->tx_len);
	if (err)
		goto out_ev;
	return 0;

out_ev:
	ixdp_ring_free(&app->ev);
out_cmd:
	ixdp_ring_free(&app->cmd);
	return err;
}

static void ixdp_app_mem_free(struct ixdp_app *app)
{
	ixdp_tx_unpin(app);
	ixdp_ring_free(&app->ev);
	ixdp_ring_free(&app->cmd);
}

/* One process drives a device: every thread of its application. */
static int ixdp_app_same_mm(struct ixdp_dev *idev)
{
	struct ixdp_app *other;
	unsigned int i;

	ixdp_dev_standby_prune(idev);
	for (i = 0; i < idev->ncores; i++) {
		other = idev->cores[i]->app;
		if (other && other->mm != current->mm)
			return -EPERM;
	}
	list_for_each_entry(other, &idev->standby, standby)
		if (other->mm != current->mm)
			return -EPERM;
	return 0;
}

static int ixdp_app_attach(struct ixdp_app *app, struct ix_setup *p)
{
	struct ixdp_core *core;
	int err;

	core = ixdp_core_of_cpu(p->cpu);
	if (!core)
		return -ENODEV;
	err = ixdp_app_permit(core->idev);
	if (err)
		return err;
	if (core->app && !(p->flags & IX_SETUP_F_ELASTIC))
		return -EBUSY;
	err = ixdp_app_same_mm(core->idev);
	if (err)
		return err;
	p->rx_pool_size = ixdp_rx_pool_size(core);
	p->ifindex = core->idev->dev->ifindex;
	p->addr = (__force u32)core->idev->addr;
	p->features = IXDP_FEATURES;
	app->elastic = p->flags & IX_SETUP_F_ELASTIC;
	app->moved_out = p->flags & IX_SETUP_F_MOVED_OUT;
	if (app->elastic)
		core = ixdp_app_free_core(core->idev) ?: core;
	app->task = get_task_struct(current);
	app->ntimers = p->timers;
	cpumask_copy(app->saved_mask, current->cpus_ptr);
	if (app->elastic && core->app) {
		/* Every core is driven: wait for one to join. */
		ixdp_app_stand_by(app, core->idev);
		goto out_mm;
	}
	err = ixdp_app_take_cpu(app, core->cpu);
	if (err)
		goto out_task;
	err = ixdp_app_bind(app, core);
	if (err)
		goto out_cpu;
	if (app->elastic)
		ixdp_app_core_up(app);
out_mm:
	app->mm = current->mm;
	mmgrab(app->mm);
	return 0;

out_cpu:
	ixdp_app_give_cpu(app, core->cpu);
out_task:
	put_task_struct(app->task);
	app->task = NULL;
	return err;
}

/**
 * ixdp_app_setup() - the setup ioctl: bind the calling thread
 * @app: the file's application
 * @p: the request, copied in; the answer is written back into it
 *
 * Return: 0 or -errno as documented for IX_IOC_SETUP.
 */
int ixdp_app_setup(struct ixdp_app *app, struct ix_setup *p)
{
	int err;

	err = ixdp_setup_check(p);
	if (err)
		return err;
	/* One setup at a time: the loser must not free the winner's rings. */
	mutex_lock(&app->setup_lock);
	err = -EBUSY;
	if (app->cmd.mem || READ_ONCE(app->revoked))
		goto out;
	/* Pinning takes mmap_lock: before RTNL and app->lock. */
	err = ixdp_app_mem(app, p);
	if (err)
		goto out;
	rtnl_lock();
	mutex_lock(&app->lock);
	err = ixdp_app_attach(app, p);
	mutex_unlock(&app->lock);
	rtnl_unlock();
	if (err)
		ixdp_app_mem_free(app);
out:
	mutex_unlock(&app->setup_lock);
	return err;
}

/**
 * ixdp_app_unsetup() - undo a setup whose answer could not be written
 * @app: the application, set up
 *
 * The binding goes at once; the rings and TX memory stay until the file
 * is released (another thread may have mapped them already), and the
 * file can no longer be set up.
 */
void ixdp_app_unsetup(struct ixdp_app *app)
{
	mutex_lock(&app->setup_lock);
	WRITE_ONCE(app->revoked, true);
	ixdp_app_unmap_pool(app);
	rtnl_lock();
	ixdp_app_stand_down(app);
	mutex_lock(&app->lock);
	if (app->core)
		ixdp_app_unbind(app);
	mutex_unlock(&app->lock);
	rtnl_unlock();
	mutex_unlock(&app->setup_lock);
}

/**
 * ixdp_app_revoke() - unbind the application of a core: the device is
 *	being detached, or the bound thread is exiting or exec'ing
 * @core: the core; RTNL held
 *
 * A run in progress returns -ENODEV first; so do later ioctls.
 */
void ixdp_app_revoke(struct ixdp_core *core)
{
	struct ixdp_app *app = core->app;

	ASSERT_RTNL();
	if (!app)
		return;
	WRITE_ONCE(app->revoked, true);
	wake_up_process(app->task);
	ixdp_app_unmap_pool(app);
	mutex_lock(&app->lock);
	ixdp_app_unbind(app);
	mutex_unlock(&app->lock);
}

/**
 * ixdp_app_task_exit() - the dataplane thread of @cpu is exiting
 * @cpu: the CPU it is bound to
 * @task: the thread, current
 *
 * Revoke its binding now, not when its file goes: a child or another
 * process may hold the file for ever.
 */
void ixdp_app_task_exit(unsigned int cpu, struct task_struct *task)
{
	struct ixdp_core *core;

	rtnl_lock();
	core = ixdp_core_of_cpu(cpu);
	if (core && core->app && core->app->task == task)
		ixdp_app_revoke(core);
	rtnl_unlock();
}

/**
 * ixdp_app_release() - the file is closed: unbind, free everything
 * @app: the application
 */
void ixdp_app_release(struct ixdp_app *app)
{
	rtnl_lock();
	ixdp_app_stand_down(app);
	mutex_lock(&app->lock);
	if (app->core)
		ixdp_app_unbind(app);
	mutex_unlock(&app->lock);
	rtnl_unlock();
	ixdp_app_mem_free(app);
	if (app->task)
		put_task_struct(app->task);
	if (app->mm)
		mmdrop(app->mm);
}

/* Sleep until a frame, a timer tick, a detach, a signal or @until. */
static void ixdp_app_sleep(struct ixdp_app *app, u64 until)
{
	u64 now = ktime_get_ns();
	long t;

	if (now >= until)
		return;
	t = nsecs_to_jiffies(until - now) + 1;
	if (app->core->stack.wheel.pending)
		t = 1;
	ixdp_core_sleep(app->core, t);
}

/*
 * The core's busy and idle time, the load ixcp reads, while a thread
 * drives it: the thread's time between runs is the application's work,
 * busy (none after a binding's start or a park: @app->acct_ns 0); in a
 * run, the iterations that executed a command or received a frame are
 * busy, the others idle, and so are its sleeps.  Time is counted up to
 * the start of the iteration that changed state, read where the run
 * reads its clock anyway, and at its end.
 */
static void ixdp_app_account(struct ixdp_app *app, u64 *mark, u64 now,
			     bool busy)
{
	struct ixdp_core_stats *st = &app->core->stats;

	if (now > *mark)
		*(busy ? &st->busy_ns : &st->idle_ns) += now - *mark;
	*mark = now;
}

static int ixdp_app_loop(struct ixdp_app *app, struct ix_run *r)
{
	struct ixdp_core *core = app->core;
	unsigned int idle = 0, room, n, got;
	u64 until, start, mark = app->acct_ns;
	bool working = true;
	int err = 0;
	u32 park;

	/* The iteration's start: where a change of state is counted from. */
	start = ktime_get_ns();
	if (mark)
		ixdp_app_account(app, &mark, start, true);
	mark = start;
	until = start + (u64)r->timeout_us * NSEC_PER_USEC;
	app->run_events = 0;
	for (;;) {
		ixdp_app_ev_flush(app);
		/* Commands arm timers from now, not from the last poll. */
		ixdp_stack_advance(&core->stack, ixdp_core_now());
		n = ixdp_app_commands(app, IXDP_APP_RUN_CMDS - r->commands);
		r->commands += n;
		room = ixdp_app_ev_room(app) / IXDP_APP_EV_PER_FRAME;
		/* A scale waits for this thread to park: no new frame. */
		park = READ_ONCE(app->park_req);
		got = 0;
		if (room && !park) {
			got = ixdp_core_poll(core, min(room, core->batch));
			idle = got ? 0 : idle + 1;
		}
		ixdp_app_ev_publish(app);
		if (!!(n || got) != working) {
			ixdp_app_account(app, &mark, start, working);
			working = !working;
		}
		/* A full budget ends the run: the rest is the next run's. */
		if (app->run_events || !room || !r->timeout_us || park ||
		    r->commands == IXDP_APP_RUN_CMDS)
			break;
		start = ktime_get_ns();
		if (start >= until)
			break;
		if (READ_ONCE(app->revoked)) {
			err = -ENODEV;
			break;
		}
		if (signal_pending(current)) {
			err = r->commands ? 0 : -EINTR;
			break;
		}
		if (r->flags & IX_RUN_SLEEP && idle >= IXDP_APP_IDLE_SPINS) {
			ixdp_app_account(app, &mark, start, working);
			ixdp_app_sleep(app, until);
			start = ktime_get_ns();
			ixdp_app_account(app, &mark, start, false);
			working = false;
			idle = 0;
		}
		cond_resched();
	}
	ixdp_app_account(app, &mark, ktime_get_ns(), working);
	app->acct_ns = mark;
	r->events = app->run_events;
	return err;
}

/**
 * ixdp_app_run() - the run ioctl
 * @app: the application
 * @r: the request, copied in; counts are written back into it
 *
 * Return: 0 or -errno as documented for IX_IOC_RUN.
 */
int ixdp_app_run(struct ixdp_app *app, struct ix_run *r)
{
	int err;

	/*
	 * Every run: the reserved words one by one, not memchr_inv(), whose
	 * byte loop costs more than the rest of this check.
	 */
	BUILD_BUG_ON(ARRAY_SIZE(r->resv) != 4);
	if (r->flags & ~IX_RUN_SLEEP || r->commands || r->events ||
	    r->resv[0] | r->resv[1] | r->resv[2] | r->resv[3])
		return -EINVAL;
	mutex_lock(&app->lock);
	if (app->elastic && app->task == current && !app->revoked) {
		err = ixdp_app_gate(app, r);
		if (err <= 0)
			goto out;
	}
	if (!app->core) {
		err = app->revoked ? -ENODEV : -EINVAL;
		goto out;
	}
	err = -EPERM;
	if (app->task != current)
		goto out;
	/* Moved away by sched_setaffinity(): come back. */
	if (raw_smp_processor_id() != app->cpu)
		set_cpus_allowed_ptr(current, cpumask_of(app->cpu));
	err = ixdp_app_loop(app, r);
out:
	mutex_unlock(&app->lock);
	return err;
}
