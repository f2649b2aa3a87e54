/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: <linux/random.h>.  A splitmix64 generator, not random
 * at all: the fuzzers want to replay an input exactly, so they restart
 * it (ix_shim_random_seed()) before each; the tests get a sequence that
 * varies from call to call, as the kernel's does.  The state is one
 * weak definition, shared by every file that includes this.
 */
#ifndef _IX_SHIM_LINUX_RANDOM_H
#define _IX_SHIM_LINUX_RANDOM_H

#include <stddef.h>
#include <linux/types.h>

__attribute__((weak)) u64 ix_shim_random_state = 0x12345678;

static inline void ix_shim_random_seed(u64 seed)
{
	ix_shim_random_state = seed;
}

static inline u64 ix_shim_random_next(void)
{
	u64 z = (ix_shim_random_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u32 get_random_u32(void)
{
	return ix_shim_random_next();
}

/* Below @ceil, not 0; biased a little, which the harness does not mind. */
static inline u32 get_random_u32_below(u32 ceil)
{
	return ceil ? get_random_u32() % ceil : 0;
}

static inline void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = ix_shim_random_next();
}

#endif /* _IX_SHIM_LINUX_RANDOM_H */
