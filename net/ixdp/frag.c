// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp transmit frags: a core's pool references memory outside its
 * buffers, so that a TCP payload goes to the device from where the
 * application (TX memory, vmapped) or the echo service (a receive buffer)
 * keeps it, without a copy.  Each page a frag touches is referenced from
 * the segment's construction until its buffer is put back (sent, dropped
 * or given back by the driver), so it outlives an application that
 * unpins its memory and exits while the frame is still in flight.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "dp.h"

static void ixdp_frag_put(struct ixdp_pool *p, struct ixdp_frag *f,
			  unsigned int n)
{
	while (n--)
		put_page(f[n].page);
}

/* One entry per page the memory touches. */
static int ixdp_frag_get(struct ixdp_pool *p, const void *base, u32 len,
			 struct ixdp_frag *f, unsigned int room)
{
	unsigned int n = 0;
	struct page *page;
	u32 off, k;

	for (; len; len -= k, base += k, n++) {
		if (n == room)
			goto undo;
		off = offset_in_page(base);
		k = min_t(u32, len, PAGE_SIZE - off);
		page = is_vmalloc_addr(base) ? vmalloc_to_page(base) :
		       virt_to_page(base);
		if (!page)
			goto undo;
		get_page(page);
		f[n].page = page;
		f[n].off = off;
		f[n].len = k;
	}
	return n;

undo:
	ixdp_frag_put(p, f, n);
	return n == room ? -E2BIG : -EFAULT;
}

const struct ixdp_pool_ops ixdp_frag_ops = {
	.frag_get	= ixdp_frag_get,
	.frag_put	= ixdp_frag_put,
};

/* The driver's view of a buffer's frags is the pool's, entry for entry. */
static_assert(IXDP_BUF_FRAGS == IXDP_DRV_FRAGS);
static_assert(sizeof(struct ixdp_frag) == sizeof(struct ixdp_drv_frag));
static_assert(offsetof(struct ixdp_frag, page) ==
	      offsetof(struct ixdp_drv_frag, page));
static_assert(offsetof(struct ixdp_frag, off) ==
	      offsetof(struct ixdp_drv_frag, off));
static_assert(offsetof(struct ixdp_frag, len) ==
	      offsetof(struct ixdp_drv_frag, len));

/**
 * ixdp_frame_frags() - describe a buffer's frags to the driver
 * @f: the frame
 * @b: its buffer
 */
void ixdp_frame_frags(struct ixdp_drv_frame *f, const struct ixdp_buf *b)
{
	f->len = ixdp_buf_linear_len(b);
	f->nfrags = b->nfrags;
	f->frags = b->nfrags ?
		   (const struct ixdp_drv_frag *)ixdp_buf_frags(b) : NULL;
}
