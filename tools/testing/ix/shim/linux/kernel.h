/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: tools/include's <linux/kernel.h>, plus the limits and
 * arithmetic helpers the kernel's has (or gets from what it includes).
 */
#ifndef _IX_SHIM_LINUX_KERNEL_H
#define _IX_SHIM_LINUX_KERNEL_H
#include_next <linux/kernel.h>
#include <stdio.h>

#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif
#ifndef clamp_t
#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)
#endif
#ifndef min3
#define min3(x, y, z)	min((typeof(x))min(x, y), z)
#endif
#ifndef DIV_ROUND_UP_ULL
#define DIV_ROUND_UP_ULL(ll, d)	(((unsigned long long)(ll) + (d) - 1) / (d))
#endif
#ifndef lower_32_bits
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#endif
#ifndef upper_32_bits
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#endif
#ifndef pr_warn
#define pr_warn(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#endif
#ifndef pr_warn_ratelimited
#define pr_warn_ratelimited	pr_warn
#endif

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif /* _IX_SHIM_LINUX_KERNEL_H */
