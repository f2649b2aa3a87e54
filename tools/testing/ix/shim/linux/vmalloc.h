/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: vmalloc_user() is zeroed, page-aligned heap (ASan sees
 * every byte past its end); vmap() maps pages only if they follow each
 * other, which pin_user_pages_fast() of the harness guarantees, and
 * gives shared memory an address of its own.
 */
#ifndef _IX_SHIM_LINUX_VMALLOC_H
#define _IX_SHIM_LINUX_VMALLOC_H

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/*
 * A second mapping of the same pages where they are shared memory, as
 * the kernel's vmap() is an alias of pinned user pages: code that keeps
 * an address of one file's mapping where another's is due is caught.
 * Private memory (the heap) is returned as it is.
 */
#define IX_VMAP_ALIASES	8
extern void *ix_vmap_alias[IX_VMAP_ALIASES];
extern size_t ix_vmap_len[IX_VMAP_ALIASES];

static inline void *vmap(struct page **pages, unsigned int count,
			 unsigned long flags, int prot)
{
	size_t len = (size_t)count * PAGE_SIZE;
	unsigned int i;
	void *alias;

	for (i = 1; i < count; i++)
		if ((char *)pages[i] != (char *)pages[0] + i * PAGE_SIZE)
			return NULL;
	alias = mremap(pages[0], 0, len, MREMAP_MAYMOVE);
	if (alias == MAP_FAILED)
		return pages[0];
	for (i = 0; i < IX_VMAP_ALIASES; i++) {
		if (!ix_vmap_alias[i]) {
			ix_vmap_alias[i] = alias;
			ix_vmap_len[i] = len;
			return alias;
		}
	}
	munmap(alias, len);
	return pages[0];
}

static inline void vunmap(const void *addr)
{
	unsigned int i;

	for (i = 0; i < IX_VMAP_ALIASES; i++) {
		if (ix_vmap_alias[i] == addr) {
			munmap(ix_vmap_alias[i], ix_vmap_len[i]);
			ix_vmap_alias[i] = NULL;
		}
	}
}

#endif /* _IX_SHIM_LINUX_VMALLOC_H */
