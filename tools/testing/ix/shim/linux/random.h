/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: get_random_bytes() as a fixed pattern, so the fuzzer
 * replays an input exactly (get_random_u32() is in sched.h).
 */
#ifndef _IX_SHIM_LINUX_RANDOM_H
#define _IX_SHIM_LINUX_RANDOM_H

#include <stddef.h>
#include <linux/types.h>

static inline void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = 0x5a ^ (u8)(i * 37);
}

#endif /* _IX_SHIM_LINUX_RANDOM_H */
