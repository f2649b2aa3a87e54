/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: RTNL, asserted where the kernel asserts it. */
#ifndef _IX_SHIM_LINUX_RTNETLINK_H
#define _IX_SHIM_LINUX_RTNETLINK_H

extern int ix_rtnl_held;

static inline void rtnl_lock(void)
{
	if (ix_rtnl_held++)
		__builtin_trap();
}

static inline void rtnl_unlock(void)
{
	if (ix_rtnl_held-- != 1)
		__builtin_trap();
}

#define ASSERT_RTNL()	do { if (!ix_rtnl_held) __builtin_trap(); } while (0)

#endif /* _IX_SHIM_LINUX_RTNETLINK_H */
