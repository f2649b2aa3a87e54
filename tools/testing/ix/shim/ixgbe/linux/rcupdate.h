/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: RCU read sections are counted, so that a test can see
 * every op leave the section it entered; one thread, so a grace period
 * is immediate.
 */
#ifndef _IX_SHIM_LINUX_RCUPDATE_H
#define _IX_SHIM_LINUX_RCUPDATE_H

extern int ix_rcu_depth;

static inline void rcu_read_lock(void)
{
	ix_rcu_depth++;
}

static inline void rcu_read_unlock(void)
{
	ix_rcu_depth--;
}

static inline void synchronize_rcu(void)
{
	if (ix_rcu_depth)
		__builtin_trap();
}

#endif /* _IX_SHIM_LINUX_RCUPDATE_H */
