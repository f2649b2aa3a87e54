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
#define PAGE_KERNEL	0

static inline void *vmalloc_user(unsigned long size)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_ALIGN(size));

	if (p)
		memset(p, 0, PAGE_ALIGN(size));
	return p;
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
