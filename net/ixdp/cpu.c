// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: reserving CPUs for the dataplane.
 *
 * A reserved CPU runs its dataplane thread and the per-CPU kernel threads
 * (ksoftirqd, kworker/N, migration...), nothing else.  Reserving a CPU
 *  - publishes it, so the scheduler hooks (include/linux/ixdp.h) trim it
 *    out of every later affinity change and every new task;
 *  - excludes it from unbound workqueues;
 *  - moves every IRQ whose affinity can be set off it, and takes it out
 *    of the default affinity of new IRQs;
 *  - moves every task that may run there elsewhere.
 * Releasing it undoes each step: workqueues and IRQs get their previous
 * affinity back (unless the admin changed it meanwhile), and tasks whose
 * affinity was "everywhere", or who asked for the CPU themselves, get it
 * back.
 *
 * CPU 0 and the last online CPU that is not reserved are never reserved
 * (EPERM), nor are offline or nonexistent CPUs (ENODEV).  A CPU serving
 * attached queues cannot be released (EBUSY).  A refused write changes
 * nothing.
 */

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/ixdp.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "app.h"
#include "ixdp.h"

DEFINE_STATIC_KEY_FALSE(ixdp_cpus_reserved_key);

/* Written under ixdp_cpus_mutex, read by the scheduler hooks. */
static struct cpumask ixdp_reserved;
static DEFINE_MUTEX(ixdp_cpus_mutex);
/* Per CPU, the attached devices it serves queues of. */
static unsigned int ixdp_cpu_users[NR_CPUS];
/* Per CPU, the application thread bound to it (/dev/ix), or NULL. */
static struct task_struct *ixdp_cpu_owner[NR_CPUS];

/* Per IRQ we moved: its affinity before, and the one we gave it. */
struct ixdp_irq_saved {
	struct cpumask	orig;
	struct cpumask	ours;
};

static DEFINE_XARRAY(ixdp_irqs);
static struct cpumask ixdp_default_irq_orig;

#define IXDP_SWEEP_BATCH	64
#define IXDP_SWEEP_PASSES	16
#define IXDP_IRQ_TRIES		100

bool __ixdp_trim_cpus(struct task_struct *p, const struct cpumask *in,
		      struct cpumask *out)
{
	unsigned int cpu, own = nr_cpu_ids;

	if (!cpumask_intersects(in, &ixdp_reserved))
		return false;
	/* The dataplane thread of a CPU keeps it. */
	for_each_cpu_and(cpu, in, &ixdp_reserved)
		if (READ_ONCE(ixdp_cpu_owner[cpu]) == p)
			own = cpu;
	if (!cpumask_andnot(out, in, &ixdp_reserved) && own == nr_cpu_ids &&
	    (p->flags & PF_KTHREAD))
		return false;
	if (own < nr_cpu_ids)
		cpumask_set_cpu(own, out);
	return true;
}

void __ixdp_sched_fork(struct task_struct *p)
{
	if (!cpumask_intersects(&p->cpus_mask, &ixdp_reserved))
		return;
	if (!cpumask_andnot(&p->cpus_mask, &p->cpus_mask, &ixdp_reserved))
		cpumask_andnot(&p->cpus_mask, cpu_possible_mask, &ixdp_reserved);
	p->nr_cpus_allowed = cpumask_weight(&p->cpus_mask);
}

/*
 * Only a user thread in IX_IOC_SETUP becomes a CPU's owner: a kernel
 * thread (the core's own, stopped under RTNL at detach) never takes RTNL
 * here.  The reserved set is read without its mutex: an owner's CPU
 * stays reserved while it is bound.
 */
void __ixdp_task_exit(struct task_struct *p)
{
	unsigned int cpu;

	if (p->flags & PF_KTHREAD)
		return;
	for_each_cpu(cpu, &ixdp_reserved)
		if (READ_ONCE(ixdp_cpu_owner[cpu]) == p)
			ixdp_app_task_exit(cpu, p);
}

/**
 * ixdp_cpus_show() - print the reserved CPU list
 * @buf: a sysfs page
 *
 * Return: the number of bytes written.
 */
ssize_t ixdp_cpus_show(char *buf)
{
	ssize_t n;

	mutex_lock(&ixdp_cpus_mutex);
	n = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&ixdp_reserved));
	mutex_unlock(&ixdp_cpus_mutex);
	return n;
}

static int ixdp_cpus_check(const struct cpumask *want)
{
	unsigned int cpu;

	if (!cpumask_subset(want, cpu_online_mask))
		return -ENODEV;
	if (cpumask_test_cpu(0, want) || cpumask_subset(cpu_online_mask, want))
		return -EPERM;
	for_each_cpu_andnot(cpu, &ixdp_reserved, want)
		if (ixdp_cpu_users[cpu])
			return -EBUSY;
	return 0;
}

/**
 * ixdp_cpu_get() - claim a reserved CPU for serving queues
 * @cpu: the CPU
 *
 * Return: 0, or -EINVAL if @cpu is not reserved.
 */
int ixdp_cpu_get(unsigned int cpu)
{
	int err = -EINVAL;

	mutex_lock(&ixdp_cpus_mutex);
	if (cpu < nr_cpu_ids && cpumask_test_cpu(cpu, &ixdp_reserved)) {
		ixdp_cpu_users[cpu]++;
		err = 0;
	}
	mutex_unlock(&ixdp_cpus_mutex);
	return err;
}

/**
 * ixdp_cpu_put() - undo ixdp_cpu_get()
 * @cpu: the CPU
 */
void ixdp_cpu_put(unsigned int cpu)
{
	mutex_lock(&ixdp_cpus_mutex);
	if (!WARN_ON_ONCE(!ixdp_cpu_users[cpu]))
		ixdp_cpu_users[cpu]--;
	mutex_unlock(&ixdp_cpus_mutex);
}

/**
 * ixdp_cpu_bind() - make @task the dataplane thread of @cpu
 * @cpu: a reserved CPU serving queues
 * @task: the thread; the scheduler lets it onto @cpu from now on
 *
 * Return: 0, -ENODEV if @cpu serves no queues, -EBUSY if it has a
 * dataplane thread, -EALREADY if @task is one already, -ESRCH if @task
 * is exiting.
 */
int ixdp_cpu_bind(unsigned int cpu, struct task_struct *task)
{
	unsigned int c;
	int err = 0;

	mutex_lock(&ixdp_cpus_mutex);
	for_each_cpu(c, &ixdp_reserved)
		if (ixdp_cpu_owner[c] == task)
			err = -EALREADY;
	if (err)
		goto out;
	if (cpu >= nr_cpu_ids || !cpumask_test_cpu(cpu, &ixdp_reserved) ||
	    !ixdp_cpu_users[cpu])
		err = -ENODEV;
	else if (ixdp_cpu_owner[cpu])
		err = -EBUSY;
	else
		WRITE_ONCE(ixdp_cpu_owner[cpu], task);
	/*
	 * A scale binds an elastic thread, not the thread itself: one that
	 * exits meanwhile must not be given a CPU.  (One between its exit
	 * hook and PF_EXITING still can: the next scale finds it gone.)
	 */
	if (!err && task->flags & PF_EXITING) {
		WRITE_ONCE(ixdp_cpu_owner[cpu], NULL);
		err = -ESRCH;
	}
out:
	mutex_unlock(&ixdp_cpus_mutex);
	return err;
}

/**
 * ixdp_cpu_unbind() - undo ixdp_cpu_bind()
 * @cpu: the CPU
 * @task: its dataplane thread, which loses the CPU at its next
 *	affinity change
 */
void ixdp_cpu_unbind(unsigned int cpu, struct task_struct *task)
{
	mutex_lock(&ixdp_cpus_mutex);
	if (!WARN_ON_ONCE(ixdp_cpu_owner[cpu] != task))
		WRITE_ONCE(ixdp_cpu_owner[cpu], NULL);
	mutex_unlock(&ixdp_cpus_mutex);
}

/*
 * Copy @p's own affinity request (sched_setaffinity()) into @mask; false
 * if it made none.  The request is freed on change: read it under pi_lock.
 */
static bool ixdp_task_user_mask(struct task_struct *p, struct cpumask *mask)
{
	unsigned long flags;
	bool has;

	raw_spin_lock_irqsave(&p->pi_lock, flags);
	has = p->user_cpus_ptr;
	if (has)
		cpumask_copy(mask, p->user_cpus_ptr);
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	return has;
}

/* Does @p need its affinity redone after the reserved set changed? */
static bool ixdp_task_stale(struct task_struct *p, const struct cpumask *old,
			    const struct cpumask *released, struct cpumask *tmp)
{
	if (p->flags & (PF_NO_SETAFFINITY | PF_EXITING) || kthread_is_per_cpu(p))
		return false;
	if (cpumask_intersects(&p->cpus_mask, &ixdp_reserved))
		return true;
	if (cpumask_empty(released) || cpumask_intersects(&p->cpus_mask, released))
		return false;
	/* It lost a released CPU: asked for it, or ran everywhere before. */
	if (ixdp_task_user_mask(p, tmp))
		return cpumask_intersects(tmp, released);
	return cpumask_subset(cpu_possible_mask, old) ||
	       cpumask_equal(&p->cpus_mask, old);
}

static void ixdp_task_move(struct task_struct *p, struct cpumask *tmp)
{
	pid_t pid;

	/* The scheduler hook trims whatever is still reserved. */
	if (cpumask_intersects(&p->cpus_mask, &ixdp_reserved))
		cpumask_copy(tmp, &p->cpus_mask);
	else if (!ixdp_task_user_mask(p, tmp))
		cpumask_copy(tmp, cpu_possible_mask);
	if (!set_cpus_allowed_ptr(p, tmp))
		return;

	/*
	 * Its own request named reserved CPUs only: replace the request,
	 * as a sched_setaffinity() by the admin writing the reservation.
	 */
	pid = task_pid_vnr(p);
	if (pid)
		sched_setaffinity(pid, cpu_possible_mask);
}

/*
 * Redo the affinity of every task that may run on a reserved CPU, or
 * that lost a released one.  @old is the mask a task that ran everywhere
 * had while the old reservation held.  Tasks are taken in batches under
 * RCU and moved outside it; tasks forked meanwhile are trimmed by the
 * fork hook, and a bounded number of passes catches the rest.
 */
static void ixdp_tasks_sweep(const struct cpumask *old,
			     const struct cpumask *released)
{
	struct task_struct *batch[IXDP_SWEEP_BATCH];
	struct task_struct *g, *t;
	cpumask_var_t tmp;
	unsigned int pass, n, i;

	if (!alloc_cpumask_var(&tmp, GFP_KERNEL))
		return;
	for (pass = 0; pass < IXDP_SWEEP_PASSES; pass++) {
		n = 0;
		rcu_read_lock();
		for_each_process_thread(g, t) {
			if (!ixdp_task_stale(t, old, released, tmp))
				continue;
			get_task_struct(t);
			batch[n++] = t;
			if (n == IXDP_SWEEP_BATCH)
				goto full;
		}
full:
		rcu_read_unlock();
		for (i = 0; i < n; i++) {
			ixdp_task_move(batch[i], tmp);
			put_task_struct(batch[i]);
		}
		if (!n)
			break;
	}
	free_cpumask_var(tmp);
}

/* x86 refuses a new affinity while the previous move is being cleaned up. */
static void ixdp_irq_set(unsigned int irq, const struct cpumask *want)
{
	unsigned int tries;
	int err;

	for (tries = 0; tries < IXDP_IRQ_TRIES; tries++) {
		err = irq_set_affinity(irq, want);
		if (err != -EBUSY)
			break;
		usleep_range(1000, 2000);
	}
	if (err)
		pr_warn("ixdp: irq %u keeps its affinity: %d\n", irq, err);
}

/*
 * The affinity @irq was last given.  x86 moves IO-APIC and non-remapped
 * MSI IRQs at their next interrupt; until then the new affinity is kept
 * as the pending one, which is what /proc/irq/N/smp_affinity shows too.
 */
static const struct cpumask *ixdp_irq_requested(unsigned int irq,
						struct irq_data *d)
{
#ifdef CONFIG_GENERIC_PENDING_IRQ
	if (irqd_is_setaffinity_pending(d))
		return irq_to_desc(irq)->pending_mask;
#endif
	return irq_get_affinity_mask(irq);
}

/*
 * Give @irq the affinity it should have under the current reservation.
 * If its affinity is no longer the one we gave it, the admin moved it:
 * theirs becomes the affinity to restore.
 */
static void ixdp_irq_apply(unsigned int irq, struct irq_data *d,
			   struct cpumask *want)
{
	const struct cpumask *cur = ixdp_irq_requested(irq, d);
	struct ixdp_irq_saved *s = xa_load(&ixdp_irqs, irq);

	if (s && !cpumask_equal(cur, &s->ours))
		cpumask_copy(&s->orig, cur);
	if (!cpumask_andnot(want, s ? &s->orig : cur, &ixdp_reserved))
		cpumask_andnot(want, cpu_online_mask, &ixdp_reserved);
	if (!s) {
		if (cpumask_equal(want, cur))
			return;
		s = kzalloc(sizeof(*s), GFP_KERNEL);
		if (!s || xa_err(xa_store(&ixdp_irqs, irq, s, GFP_KERNEL))) {
			kfree(s);
			return;
		}
		cpumask_copy(&s->orig, cur);
	}
	ixdp_irq_set(irq, want);
	cpumask_copy(&s->ours, want);
	if (cpumask_empty(&ixdp_reserved)) {
		xa_erase(&ixdp_irqs, irq);
		kfree(s);
	}
}

static void ixdp_irqs_update(bool was_reserved)
{
	struct irq_data *d;
	cpumask_var_t want;
	unsigned int irq;

	if (!alloc_cpumask_var(&want, GFP_KERNEL))
		return;
	if (!was_reserved)
		cpumask_copy(&ixdp_default_irq_orig, irq_default_affinity);
	if (!cpumask_andnot(irq_default_affinity, &ixdp_default_irq_orig,
			    &ixdp_reserved))
		cpumask_andnot(irq_default_affinity, cpu_online_mask,
			       &ixdp_reserved);

	/* IRQ descriptors stay while the sparse lock is held. */
	irq_lock_sparse();
	for (irq = 0; irq < nr_irqs; irq++) {
		d = irq_get_irq_data(irq);
		if (!d || !irq_can_set_affinity(irq) || irqd_is_per_cpu(d) ||
		    irqd_affinity_is_managed(d))
			continue;
		ixdp_irq_apply(irq, d, want);
	}
	irq_unlock_sparse();
	/* Nothing reserved: forget IRQs that went away or became unmovable. */
	if (cpumask_empty(&ixdp_reserved)) {
		struct ixdp_irq_saved *s;
		unsigned long i;

		xa_for_each(&ixdp_irqs, i, s) {
			xa_erase(&ixdp_irqs, i);
			kfree(s);
		}
	}
	free_cpumask_var(want);
}

/**
 * ixdp_cpus_set() - make @want the set of reserved CPUs
 * @want: the new set; empty releases every CPU
 *
 * Return: 0, or -ENODEV (a CPU offline), -EPERM (CPU 0, or no CPU left
 * for everything else), -EBUSY (a released CPU still serves attached
 * queues) with nothing changed.
 */
int ixdp_cpus_set(const struct cpumask *want)
{
	cpumask_var_t old, released;
	bool was_reserved;
	int err;

	if (!alloc_cpumask_var(&old, GFP_KERNEL))
		return -ENOMEM;
	if (!alloc_cpumask_var(&released, GFP_KERNEL)) {
		err = -ENOMEM;
		goto out_old;
	}

	mutex_lock(&ixdp_cpus_mutex);
	err = ixdp_cpus_check(want);
	if (err || cpumask_equal(want, &ixdp_reserved))
		goto out_unlock;

	was_reserved = !cpumask_empty(&ixdp_reserved);
	cpumask_andnot(old, cpu_possible_mask, &ixdp_reserved);
	cpumask_andnot(released, &ixdp_reserved, want);
	cpumask_copy(&ixdp_reserved, want);
	if (!was_reserved)
		static_branch_enable(&ixdp_cpus_reserved_key);

	err = workqueue_unbound_exclude_cpumask(&ixdp_reserved);
	if (err)
		pr_warn("ixdp: unbound workqueues not moved: %d\n", err);
	ixdp_irqs_update(was_reserved);
	ixdp_tasks_sweep(old, released);

	if (cpumask_empty(&ixdp_reserved))
		static_branch_disable(&ixdp_cpus_reserved_key);
	err = 0;
out_unlock:
	mutex_unlock(&ixdp_cpus_mutex);
	free_cpumask_var(released);
out_old:
	free_cpumask_var(old);
	return err;
}

/*
 * ixdp.cpus=LIST on the kernel command line: the same reservation as
 * writing LIST to /sys/kernel/ixdp/cpus, made at core_initcall.  That is
 * the earliest point where every step above can run: the other CPUs are
 * online (smp_init()) and unbound workqueues take a new cpumask
 * (workqueue_init_topology()).  Only kernel threads and a few IRQs exist
 * then; the sweep moves them as a runtime write would, and every device
 * driver, and init, start later, off the reserved CPUs.
 */
static char *ixdp_boot_cpus;
module_param_named(cpus, ixdp_boot_cpus, charp, 0);
MODULE_PARM_DESC(cpus, "CPUs to reserve at boot, a CPU list");

static const char * __init ixdp_cpus_reason(int err)
{
	switch (err) {
	case -EINVAL:
		return "not a list of CPUs";
	case -ERANGE:
	case -ENODEV:
		return "a CPU is offline or does not exist";
	case -EPERM:
		return "CPU 0 is never reserved, nor every online CPU";
	default:
		return "could not reserve";
	}
}

static int __init ixdp_cpus_boot(void)
{
	cpumask_var_t want;
	int err;

	if (!ixdp_boot_cpus)
		return 0;
	if (!zalloc_cpumask_var(&want, GFP_KERNEL))
		err = -ENOMEM;
	else
		err = cpulist_parse(ixdp_boot_cpus, want);
	if (!err)
		err = ixdp_cpus_set(want);
	if (err)
		pr_warn("ixdp: ixdp.cpus=%s ignored, nothing reserved: %s (%d)\n",
			ixdp_boot_cpus, ixdp_cpus_reason(err), err);
	else if (!cpumask_empty(want))
		pr_info("ixdp: reserved CPUs %*pbl (ixdp.cpus=)\n",
			cpumask_pr_args(want));
	free_cpumask_var(want);
	return 0;
}
core_initcall(ixdp_cpus_boot);
