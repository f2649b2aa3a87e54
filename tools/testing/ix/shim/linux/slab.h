/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kv*alloc() family is in <linux/mm.h> here, and
 * kcalloc() is one of them.
 */
#ifndef _IX_SHIM_LINUX_SLAB_H
#define _IX_SHIM_LINUX_SLAB_H
#include_next <linux/slab.h>
#include <linux/mm.h>
#include <string.h>

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvcalloc(n, size, flags);
}

static inline void *kmemdup(const void *src, size_t len, gfp_t flags)
{
	void *p = kvmalloc_array(1, len, flags);

	if (p)
		memcpy(p, src, len);
	return p;
}
#endif
