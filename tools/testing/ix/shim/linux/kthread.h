/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a core's kernel thread, parked while an app drives it. */
#ifndef _IX_SHIM_LINUX_KTHREAD_H
#define _IX_SHIM_LINUX_KTHREAD_H

#include <linux/sched.h>

/* Parking a parked thread, or unparking a running one, is a bug. */
static inline void kthread_park(struct task_struct *t)
{
	if (t->usage & 0x10000)
		__builtin_trap();
	t->usage |= 0x10000;
}

static inline void kthread_unpark(struct task_struct *t)
{
	if (!(t->usage & 0x10000))
		__builtin_trap();
	t->usage &= ~0x10000;
}

#endif /* _IX_SHIM_LINUX_KTHREAD_H */
