/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: cpumasks of one word, as cpumask_var_t off-stack is not. */
#ifndef _IX_SHIM_LINUX_CPUMASK_H
#define _IX_SHIM_LINUX_CPUMASK_H

#include <linux/types.h>

struct cpumask {
	unsigned long	bits[1];
};

typedef struct cpumask cpumask_var_t[1];

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}

static inline const struct cpumask *cpumask_of(unsigned int cpu)
{
	static struct cpumask masks[sizeof(long) * 8];

	masks[cpu % (sizeof(long) * 8)].bits[0] = 1UL << cpu % (sizeof(long) * 8);
	return &masks[cpu % (sizeof(long) * 8)];
}

#endif /* _IX_SHIM_LINUX_CPUMASK_H */
