/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp hooks for the scheduler: a CPU reserved for the dataplane runs its
 * dataplane thread and per-CPU kernel threads, nothing else.
 */
#ifndef _LINUX_IXDP_H
#define _LINUX_IXDP_H

#include <linux/cpumask.h>
#include <linux/jump_label.h>

struct task_struct;

#ifdef CONFIG_IXDP
DECLARE_STATIC_KEY_FALSE(ixdp_cpus_reserved_key);

bool __ixdp_trim_cpus(struct task_struct *p, const struct cpumask *in,
		      struct cpumask *out);
void __ixdp_sched_fork(struct task_struct *p);
void __ixdp_task_exit(struct task_struct *p);

/**
 * ixdp_trim_cpus() - keep a new affinity of @p off reserved CPUs
 * @p: the task whose affinity is being set
 * @in: the requested mask
 * @out: where to put the trimmed mask (may be @in)
 *
 * Called by __set_cpus_allowed_ptr() under the task's rq lock.  A task
 * that is not the dataplane thread of a reserved CPU loses that CPU from
 * its mask.  A user task left with no CPU gets an empty mask, so the
 * caller fails with -EINVAL; a kernel thread keeps @in instead.
 *
 * Return: true if @out holds the mask to use instead of @in.
 */
static inline bool ixdp_trim_cpus(struct task_struct *p,
				  const struct cpumask *in,
				  struct cpumask *out)
{
	if (!static_branch_unlikely(&ixdp_cpus_reserved_key))
		return false;
	return __ixdp_trim_cpus(p, in, out);
}

/**
 * ixdp_sched_fork() - keep a new task off reserved CPUs
 * @p: the child, not yet visible to the scheduler
 *
 * A child inherits its parent's mask; the child of a dataplane thread is
 * not a dataplane thread, so reserved CPUs are taken out of its mask.
 */
static inline void ixdp_sched_fork(struct task_struct *p)
{
	if (static_branch_unlikely(&ixdp_cpus_reserved_key))
		__ixdp_sched_fork(p);
}

/**
 * ixdp_task_exit() - a task is exiting or exec'ing: end its binding
 * @p: the task, current, in do_exit() before PF_EXITING is set or in
 *	begin_new_exec()
 *
 * If @p is the dataplane thread of a reserved CPU, its binding is revoked
 * now: the CPU goes back to the kernel's loop and the connections of the
 * binding are reset, whoever still holds its file.  May sleep.
 */
static inline void ixdp_task_exit(struct task_struct *p)
{
	if (static_branch_unlikely(&ixdp_cpus_reserved_key))
		__ixdp_task_exit(p);
}
#else
static inline bool ixdp_trim_cpus(struct task_struct *p,
				  const struct cpumask *in,
				  struct cpumask *out)
{
	return false;
}

static inline void ixdp_sched_fork(struct task_struct *p)
{
}

static inline void ixdp_task_exit(struct task_struct *p)
{
}
#endif /* CONFIG_IXDP */

#endif /* _LINUX_IXDP_H */
