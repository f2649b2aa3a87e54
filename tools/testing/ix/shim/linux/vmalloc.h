/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: vmalloc_user() is zeroed, page-aligned heap (ASan sees
 * every byte past its end); vmap() maps pages only if they follow each
 * other, which pin_user_pages_fast() of the harness guarantees.
 */
#ifndef _IX_SHIM_LINUX_VMALLOC_H
#define _IX_SHIM_LINUX_VMALLOC_H

#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>

#define VM_MAP		0x00000004UL
#define VM_USERMAP	0x00000008UL
#define PAGE_KERNEL	0
#define PAGE_KERNEL_RO	1
#define VMALLOC_START	0
#define VMALLOC_END	0
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE	(-1)
#endif

static inline void *vmalloc_user(unsigned long size)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_ALIGN(size));

	if (p)
		memset(p, 0, PAGE_ALIGN(size));
	return p;
}

/* vmalloc_user() with the caller's gfp flags: zeroed here always. */
static inline void *__vmalloc_node_range(unsigned long size,
					 unsigned long align,
					 unsigned long start,
					 unsigned long end, gfp_t gfp,
					 int prot, unsigned long vm_flags,
					 int node, const void *caller)
{
	return vmalloc_user(size);
}

static inline void vfree(const void *p)
{
	free((void *)p);
}

static inline void *vmap(struct page **pages, unsigned int count,
			 unsigned long flags, int prot)
{
	unsigned int i;

	for (i = 1; i < count; i++)
		if ((char *)pages[i] != (char *)pages[0] + i * PAGE_SIZE)
			return NULL;
	return pages[0];
}

static inline void vunmap(const void *addr)
{
}

#endif /* _IX_SHIM_LINUX_VMALLOC_H */
