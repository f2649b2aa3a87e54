// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: memory an application shares with its core.
 *
 * - The command and event rings: vmalloc_user() memory holding the
 *   indices (one cache line each) and then the entries; the application
 *   learns the layout from struct ix_ring_offsets, never from a struct.
 * - The RX buffer pool: the pages of the core's buffer pool, mapped
 *   read-only.  Its pages leave the process when the binding ends
 *   (ixdp_app_unmap_pool()); touching them then raises SIGBUS.  Every
 *   buffer is cleared when it goes back to the pool, so the mapping
 *   shows only what the binding itself received and sent.
 * - The TX memory: the application's own pages, pinned long-term,
 *   charged to RLIMIT_MEMLOCK and mapped into the kernel contiguously,
 *   so that a send vector is an offset into it.
 */

#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/shmparam.h>

#include "app.h"
#include "dp.h"

#define RING_PRODUCER	0
#define RING_CONSUMER	64
#define RING_FLAGS	128
#define RING_DROPPED	132
/* In the command ring's mapping: the event ring's consumer index. */
#define RING_EV_CONSUMER	192
#define RING_ENTRIES	256

/**
 * ixdp_ring_alloc() - make a ring of @entries entries of @esize bytes
 * @r: the ring
 * @entries: a power of two
 * @esize: bytes per entry
 * @off: filled with the layout for the application
 *
 * Return: 0 or -ENOMEM.
 */
int ixdp_ring_alloc(struct ixdp_ring *r, u32 entries, size_t esize,
		    struct ix_ring_offsets *off)
{
	r->size = PAGE_ALIGN(RING_ENTRIES + (size_t)entries * esize);
	/* vmalloc_user(), charged to the caller's memory cgroup. */
	r->mem = __vmalloc_node_range(r->size, SHMLBA, VMALLOC_START,
				      VMALLOC_END,
				      GFP_KERNEL_ACCOUNT | __GFP_ZERO,
				      PAGE_KERNEL, VM_USERMAP, NUMA_NO_NODE,
				      __builtin_return_address(0));
	if (!r->mem)
		return -ENOMEM;
	r->producer = r->mem + RING_PRODUCER;
	r->consumer = r->mem + RING_CONSUMER;
	r->dropped = r->mem + RING_DROPPED;
	r->entries = r->mem + RING_ENTRIES;
	r->mask = entries - 1;
	r->local = 0;
	r->peer = 0;
	off->producer = RING_PRODUCER;
	off->consumer = RING_CONSUMER;
	off->flags = RING_FLAGS;
	off->dropped = RING_DROPPED;
	off->entries = RING_ENTRIES;
	off->resv = 0;
	off->size = r->size;
	return 0;
}

/**
 * ixdp_ring_pair() - move the event ring's consumer index into the
 *	command ring, the one mapping the application may write
 * @cmd: the command ring
 * @ev: the event ring
 * @ev_off: its layout for the application
 */
void ixdp_ring_pair(struct ixdp_ring *cmd, struct ixdp_ring *ev,
		    struct ix_ring_offsets *ev_off)
{
	ev->consumer = cmd->mem + RING_EV_CONSUMER;
	ev_off->consumer = RING_EV_CONSUMER;
}

/**
 * ixdp_ring_free() - undo ixdp_ring_alloc(); a ring never made is fine
 * @r: the ring
 */
void ixdp_ring_free(struct ixdp_ring *r)
{
	vfree(r->mem);
	r->mem = NULL;
}

/* Charge @npages to the caller's RLIMIT_MEMLOCK, unless it may lock. */
static int ixdp_tx_account(struct ixdp_app *app, unsigned long npages)
{
	unsigned long limit, old, new;

	if (capable(CAP_IPC_LOCK))
		return 0;
	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	app->tx_user = get_uid(current_user());
	do {
		old = atomic_long_read(&app->tx_user->locked_vm);
		if (check_add_overflow(old, npages, &new) || new > limit) {
			free_uid(app->tx_user);
			app->tx_user = NULL;
			return -ENOMEM;
		}
	} while (atomic_long_cmpxchg(&app->tx_user->locked_vm, old, new) != old);
	return 0;
}

static void ixdp_tx_unaccount(struct ixdp_app *app)
{
	if (!app->tx_user)
		return;
	atomic_long_sub(app->tx_npages, &app->tx_user->locked_vm);
	free_uid(app->tx_user);
	app->tx_user = NULL;
}

/**
 * ixdp_tx_pin() - register the application's TX memory
 * @app: the application, not set up yet
 * @addr: the memory's start, page aligned
 * @len: its length, a nonzero multiple of the page size
 *
 * Return: 0, -ENOMEM (RLIMIT_MEMLOCK included) or -EFAULT if some page
 * cannot be pinned.
 */
int ixdp_tx_pin(struct ixdp_app *app, u64 addr, u64 len)
{
	unsigned long npages = len >> PAGE_SHIFT;
	long pinned;
	int err;

	err = ixdp_tx_account(app, npages);
	if (err)
		return err;
	app->tx_npages = npages;
	err = -ENOMEM;
	app->tx_pages = kvmalloc_array(npages, sizeof(*app->tx_pages),
				       GFP_KERNEL_ACCOUNT);
	if (!app->tx_pages)
		goto out_account;
	pinned = pin_user_pages_fast(addr, npages, FOLL_LONGTERM,
				     app->tx_pages);
	if (pinned != npages) {
		if (pinned > 0)
			unpin_user_pages(app->tx_pages, pinned);
		err = pinned < 0 ? pinned : -EFAULT;
		goto out_pages;
	}
	/* The kernel only reads the TX memory. */
	app->tx_kva = vmap(app->tx_pages, npages, VM_MAP, PAGE_KERNEL_RO);
	if (!app->tx_kva)
		goto out_unpin;
	app->tx_addr = addr;
	app->tx_len = len;
	return 0;

out_unpin:
	unpin_user_pages(app->tx_pages, npages);
out_pages:
	kvfree(app->tx_pages);
	app->tx_pages = NULL;
out_account:
	ixdp_tx_unaccount(app);
	app->tx_npages = 0;
	return err;
}

/**
 * ixdp_tx_unpin() - undo ixdp_tx_pin(); nothing pinned is fine
 * @app: the application, whose TCP no longer refers to the memory
 */
void ixdp_tx_unpin(struct ixdp_app *app)
{
	if (!app->tx_pages)
		return;
	vunmap(app->tx_kva);
	unpin_user_pages(app->tx_pages, app->tx_npages);
	kvfree(app->tx_pages);
	app->tx_pages = NULL;
	app->tx_kva = NULL;
	app->tx_addr = 0;
	app->tx_len = 0;
	ixdp_tx_unaccount(app);
	app->tx_npages = 0;
}

/**
 * ixdp_rx_pool_size() - bytes of a core's RX pool mapping
 * @core: the core
 *
 * Return: the size: every slot, rounded up to whole pages.
 */
u64 ixdp_rx_pool_size(const struct ixdp_core *core)
{
	return PAGE_ALIGN((u64)core->pool.total * IXDP_BUF_SIZE);
}

/**
 * ixdp_rx_pool_off() - where a buffer's data is in the pool mapping
 * @core: the core
 * @b: the buffer, one of @core's
 *
 * The mapping shows the chunks of the pool end to end, and every chunk
 * but the last is cut into slots whole, so slot N starts N slots in.
 *
 * Return: the offset of @b's first byte of data, or U64_MAX if @b is not
 * one of @core's buffers.
 */
u64 ixdp_rx_pool_off(const struct ixdp_core *core, const struct ixdp_buf *b)
{
	if (b->pool != &core->pool)
		return U64_MAX;
	return (u64)ixdp_buf_slot(b) * IXDP_BUF_SIZE + b->off;
}

static int ixdp_mmap_rx_pool(struct ixdp_core *core,
			     struct vm_area_struct *vma)
{
	unsigned long npages = vma_pages(vma), n = 0, i, j;
	struct page **pages;
	int err;

	if ((u64)npages << PAGE_SHIFT > ixdp_rx_pool_size(core))
		return -EINVAL;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < core->nchunks && n < npages; i++)
		for (j = 0; j < 1UL << core->chunk_order[i] && n < npages; j++)
			pages[n++] = core->chunks[i] + j;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	err = vm_insert_pages(vma, vma->vm_start, pages, &n);
	kvfree(pages);
	return err;
}

/* A page taken away by ixdp_app_unmap_pool(), or never there. */
static vm_fault_t ixdp_vm_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct ixdp_vm_ops = {
	.fault	= ixdp_vm_fault,
};

/**
 * ixdp_app_unmap_pool() - take the RX pool out of the bound process
 * @app: the application, being revoked (@app->revoked set, so that no
 *	new mapping is made); no app->lock held
 *
 * Once the binding ends the core's buffers carry other traffic (the echo
 * service's, the next binding's): the pages must leave the process first.
 * The process may be gone already; then there is nothing to do.
 */
void ixdp_app_unmap_pool(struct ixdp_app *app)
{
	struct mm_struct *mm = app->mm;
	struct vm_area_struct *vma;
	struct vma_iterator vmi;

	if (!mm || !mmget_not_zero(mm))
		return;
	/* Waits for an mmap() in progress: its mapping is found below. */
	mmap_read_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma)
		if (vma->vm_ops == &ixdp_vm_ops && vma->vm_private_data == app &&
		    vma->vm_pgoff == IX_OFF_RX_POOL >> PAGE_SHIFT)
			zap_vma_pages(vma);
	mmap_read_unlock(mm);
	mmput_async(mm);
}

static int ixdp_mmap_ring(struct ixdp_ring *r, struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start > r->size)
		return -EINVAL;
	return remap_vmalloc_range(vma, r->mem, 0);
}

/**
 * ixdp_app_mmap() - map a region of a set-up application
 * @app: the application
 * @vma: the mapping; its offset picks the region (IX_OFF_*)
 *
 * Only the bound process maps (any other holder of the file gets
 * -EPERM).  The event ring and the RX pool are read-only, and cannot be
 * made writable with mprotect(); nothing is executable; no mapping is
 * inherited by a child (VM_DONTCOPY, which VM_IO keeps madvise() from
 * undoing) or dumped, and get_user_pages() cannot reach the pages
 * (VM_IO).
 *
 * Return: 0, -EINVAL (not set up, unknown offset, too long, the RX pool
 * of an elastic thread standing by), -EACCES
 * (writable mapping of a read-only region, executable mapping), -EPERM
 * (not the bound process), -ENODEV (detached), -ENOMEM.
 */
int ixdp_app_mmap(struct ixdp_app *app, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	int err = -EINVAL;

	mutex_lock(&app->lock);
	/* A standby elastic thread has its rings, and no pool. */
	if (app->revoked || !app->mm ||
	    (!app->core && off == IX_OFF_RX_POOL)) {
		err = app->revoked ? -ENODEV : -EINVAL;
		goto out;
	}
	err = -EPERM;
	if (current->mm != app->mm)
		goto out;
	err = -EACCES;
	if (vma->vm_flags & VM_EXEC)
		goto out;
	vm_flags_mod(vma, VM_IO | VM_DONTCOPY | VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &ixdp_vm_ops;
	vma->vm_private_data = app;
	if (off != IX_OFF_CMD_RING) {
		err = -EACCES;
		if (vma->vm_flags & VM_WRITE)
			goto out;
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	switch (off) {
	case IX_OFF_CMD_RING:
		err = ixdp_mmap_ring(&app->cmd, vma);
		break;
	case IX_OFF_EVENT_RING:
		err = ixdp_mmap_ring(&app->ev, vma);
		break;
	case IX_OFF_RX_POOL:
		err = ixdp_mmap_rx_pool(app->core, vma);
		break;
	default:
		err = -EINVAL;
	}
out:
	mutex_unlock(&app->lock);
	return err;
}
