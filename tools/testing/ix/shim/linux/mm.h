/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: pages and mappings as net/ixdp/app_mem.c uses them.
 * The harness has one address space, so the application's memory is the
 * kernel's: a pinned page is its user address, and vmap() of pages that
 * follow each other gives the first one back.  Pins are counted
 * (ix_pinned_pages) so that the harness can see them all unpinned.
 */
#ifndef _IX_SHIM_LINUX_MM_H
#define _IX_SHIM_LINUX_MM_H

#include <errno.h>
#include <stdlib.h>
#include <linux/align.h>
#include <linux/overflow.h>
#include <linux/types.h>
#include <linux/gfp.h>	/* before GFP_KERNEL_ACCOUNT is redefined */

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)

#define FOLL_LONGTERM		0x100

/* The memory cgroup is the kernel's business: accounted is plain here. */
#undef GFP_KERNEL_ACCOUNT
#define GFP_KERNEL_ACCOUNT	GFP_KERNEL

#define VM_EXEC			0x00000004UL
#define VM_WRITE		0x00000002UL
#define VM_MAYEXEC		0x00000040UL
#define VM_DONTCOPY		0x00020000UL
#define VM_IO			0x00004000UL
#define VM_MAYWRITE		0x00000020UL
#define VM_DONTEXPAND		0x00040000UL
#define VM_DONTDUMP		0x04000000UL

/* A page is its bytes: page arithmetic is address arithmetic. */
struct page {
	char	bytes[PAGE_SIZE];
};

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

typedef unsigned int vm_fault_t;
#define VM_FAULT_SIGBUS		0x0002

struct vm_area_struct;
struct mm_struct;

struct vm_fault {
	struct vm_area_struct	*vma;
};

struct vm_operations_struct {
	vm_fault_t	(*fault)(struct vm_fault *vmf);
};

struct vm_area_struct {
	unsigned long	vm_start;
	unsigned long	vm_end;
	unsigned long	vm_pgoff;
	unsigned long	vm_flags;
	const struct vm_operations_struct *vm_ops;
	void		*vm_private_data;
};

/*
 * The harness maps nothing into a process (mmget_not_zero() says no), so
 * a walk of a process's mappings finds none.
 */
struct vma_iterator {
	struct mm_struct	*mm;
};

#define for_each_vma(vmi, vma)		for ((void)(vmi), (vma) = NULL; (vma); )

static inline void vma_iter_init(struct vma_iterator *vmi, struct mm_struct *mm,
				 unsigned long addr)
{
	vmi->mm = mm;
}

static inline void mmap_read_lock(struct mm_struct *mm)
{
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
}

static inline void zap_vma_pages(struct vm_area_struct *vma)
{
}

extern long ix_pinned_pages;

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline void vm_flags_set(struct vm_area_struct *vma, unsigned long f)
{
	vma->vm_flags |= f;
}

static inline void vm_flags_mod(struct vm_area_struct *vma, unsigned long set,
				unsigned long clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, unsigned long f)
{
	vma->vm_flags &= ~f;
}

static inline int vm_insert_pages(struct vm_area_struct *vma,
				  unsigned long addr, struct page **pages,
				  unsigned long *num)
{
	*num = 0;
	return 0;
}

static inline int remap_vmalloc_range(struct vm_area_struct *vma, void *addr,
				      unsigned long pgoff)
{
	return 0;
}

static inline long pin_user_pages_fast(unsigned long start, int nr_pages,
				       unsigned int gup_flags,
				       struct page **pages)
{
	int i;

	if (!start || start & ~PAGE_MASK)
		return -EFAULT;
	for (i = 0; i < nr_pages; i++)
		pages[i] = (struct page *)(start + i * PAGE_SIZE);
	ix_pinned_pages += nr_pages;
	return nr_pages;
}

static inline void unpin_user_pages(struct page **pages, unsigned long npages)
{
	ix_pinned_pages -= npages;
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return malloc(bytes ? bytes : 1);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return calloc(1, size ? size : 1);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return calloc(n ? n : 1, size ? size : 1);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

#endif /* _IX_SHIM_LINUX_MM_H */
