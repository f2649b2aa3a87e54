/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the task, credentials and scheduler calls of
 * net/ixdp/app*.c.  The harness is one thread on one CPU: `current' is
 * the task the harness says (ix_current), set_cpus_allowed_ptr() only
 * records the mask, and nothing ever sleeps or has a signal pending.
 */
#ifndef _IX_SHIM_LINUX_SCHED_H
#define _IX_SHIM_LINUX_SCHED_H

#include <stdbool.h>
#include <linux/cpumask.h>
#include <linux/random.h>
#include <linux/types.h>

struct mm_struct {
	int	count;
};

struct user_struct {
	atomic_long_t	locked_vm;
};

struct task_struct {
	struct mm_struct	*mm;
	const struct cpumask	*cpus_ptr;
	struct cpumask		cpus_mask;
	int			usage;
	bool			sigpending;
};

extern struct task_struct *ix_current;
#define current		ix_current

#define RLIMIT_MEMLOCK	8
#define CAP_IPC_LOCK	14

static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	t->usage++;
	return t;
}

static inline void put_task_struct(struct task_struct *t)
{
	if (t->usage-- <= 0)
		__builtin_trap();
}

static inline void mmgrab(struct mm_struct *mm)
{
	mm->count++;
}

/* No process's address space is reachable here: see linux/mm.h. */
static inline bool mmget_not_zero(struct mm_struct *mm)
{
	return false;
}

static inline void mmput_async(struct mm_struct *mm)
{
}

static inline void mmdrop(struct mm_struct *mm)
{
	if (mm->count-- <= 0)
		__builtin_trap();
}

static inline int set_cpus_allowed_ptr(struct task_struct *t,
				       const struct cpumask *mask)
{
	t->cpus_mask = *mask;
	t->cpus_ptr = &t->cpus_mask;
	return 0;
}

static inline unsigned int raw_smp_processor_id(void)
{
	return __builtin_ctzl(current->cpus_ptr->bits[0] | 1UL << 63);
}

static inline bool signal_pending(struct task_struct *t)
{
	return t->sigpending;
}

static inline int wake_up_process(struct task_struct *t)
{
	return 1;
}

static inline void cond_resched(void)
{
}

static inline void synchronize_rcu(void)
{
}

static inline bool capable(int cap)
{
	return true;
}

static inline unsigned long rlimit(unsigned int limit)
{
	return ~0UL;
}

static inline struct user_struct *current_user(void)
{
	static struct user_struct user;

	return &user;
}

static inline struct user_struct *get_uid(struct user_struct *u)
{
	return u;
}

static inline void free_uid(struct user_struct *u)
{
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	return v->counter;
}

static inline long atomic_long_cmpxchg(atomic_long_t *v, long old, long new)
{
	long cur = v->counter;

	if (cur == old)
		v->counter = new;
	return cur;
}

static inline void atomic_long_sub(long i, atomic_long_t *v)
{
	v->counter -= i;
}

#endif /* _IX_SHIM_LINUX_SCHED_H */
