/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the harness's clock, which only it moves. */
#ifndef _IX_SHIM_LINUX_KTIME_H
#define _IX_SHIM_LINUX_KTIME_H

#include <linux/types.h>
#include <linux/time64.h>

#define HZ	1000

u64 ktime_get_ns(void);

static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return n / (NSEC_PER_SEC / HZ);
}

#endif /* _IX_SHIM_LINUX_KTIME_H */
