// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp per-core packet buffer pool: a LIFO stack of fixed-size buffers.
 */

#include <linux/align.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "buf.h"

static_assert(IXDP_BUF_SIZE % 8 == 0, "aligned room");
static_assert(IXDP_BUF_RX_OFFSET + ETH_FRAME_LEN <= IXDP_BUF_ROOM,
	      "a full frame fits after the headroom");

/**
 * ixdp_pool_init() - start an empty pool
 * @p: the pool
 * @descs: room for the descriptors of every buffer the pool will have
 * @ndescs: entries of @descs
 *
 * Memory is added with ixdp_pool_add(); the pool frees neither it nor
 * @descs.
 */
void ixdp_pool_init(struct ixdp_pool *p, struct ixdp_buf *descs,
		    unsigned int ndescs)
{
	p->free = NULL;
	p->bufs = descs;
	p->ndescs = ndescs;
	p->total = 0;
	p->avail = 0;
	p->empty = 0;
	p->bad_put = 0;
	p->ops = NULL;
	p->frags = NULL;
}

/**
 * ixdp_pool_set_frags() - let the pool's buffers carry frags
 * @p: the pool, before ixdp_pool_add()
 * @ops: how memory outside the buffers is referenced
 * @frags: IXDP_BUF_FRAGS entries for each of the pool's descriptors; the
 *	pool does not free it
 */
void ixdp_pool_set_frags(struct ixdp_pool *p, const struct ixdp_pool_ops *ops,
			 struct ixdp_frag *frags)
{
	p->ops = ops;
	p->frags = frags;
}

/**
 * ixdp_pool_add() - carve buffers out of a memory region
 * @p: the pool
 * @mem: the region; it must outlive the pool
 * @size: its size in bytes
 *
 * The region is rounded in to 8-byte alignment and cut into as many
 * IXDP_BUF_SIZE slots as fit, and as there are descriptors left; a page
 * gives two buffers.  The slots are numbered on from the last region's.
 *
 * Return: the number of buffers added.
 */
unsigned int ixdp_pool_add(struct ixdp_pool *p, void *mem, size_t size)
{
	uintptr_t start = ALIGN((uintptr_t)mem, 8);
	unsigned int n = 0;
	struct ixdp_buf *b;

	if (start - (uintptr_t)mem > size)
		return 0;
	size -= start - (uintptr_t)mem;
	for (; size >= IXDP_BUF_SIZE && p->total + n < p->ndescs;
	     size -= IXDP_BUF_SIZE) {
		b = &p->bufs[p->total + n];
		b->room = (u8 *)start;
		b->pool = p;
		b->off = 0;
		b->len = 0;
		b->dirty = 0;
		b->frag_len = 0;
		b->nfrags = 0;
		b->flags = IXDP_BUF_FREE;
		b->next = p->free;
		p->free = b;
		start += IXDP_BUF_SIZE;
		n++;
	}
	p->total += n;
	p->avail += n;
	return n;
}

/**
 * ixdp_buf_get() - take a buffer from the pool
 * @p: the pool
 *
 * Return: an empty buffer whose data starts after IXDP_BUF_HEADROOM bytes,
 * or NULL if the pool is empty (counted in @p->empty).
 */
struct ixdp_buf *ixdp_buf_get(struct ixdp_pool *p)
{
	struct ixdp_buf *b = p->free;

	if (!b) {
		p->empty++;
		return NULL;
	}
	p->free = b->next;
	p->avail--;
	b->next = NULL;
	b->flags = 0;
	ixdp_buf_reset(b, IXDP_BUF_HEADROOM);
	return b;
}

/**
 * ixdp_buf_put() - give a buffer back to its pool
 * @b: the buffer; NULL is ignored
 *
 * A buffer that is already free is counted in its pool's @bad_put and
 * left alone, so a double put cannot corrupt the free stack.
 */
void ixdp_buf_put(struct ixdp_buf *b)
{
	struct ixdp_pool *p;

	if (!b)
		return;
	p = b->pool;
	if (WARN_ON_ONCE(b->flags & IXDP_BUF_FREE)) {
		p->bad_put++;
		return;
	}
	if (b->nfrags)
		ixdp_buf_drop_frags(b);
	/*
	 * The room is mapped into whichever application drives the core
	 * next: nothing of this frame may outlive it there.
	 */
	memset(b->room, 0, ixdp_buf_end(b));
	b->off = 0;
	b->len = 0;
	b->dirty = 0;
	b->flags = IXDP_BUF_FREE;
	b->next = p->free;
	p->free = b;
	p->avail++;
}

/**
 * ixdp_buf_add_frag() - append memory outside the buffer to its data
 * @b: the buffer
 * @base: the memory; it must stay unchanged until the buffer is put
 *	(the pool's frag_get op keeps it alive, not unchanged)
 * @len: its length, at least 1
 *
 * Return: 0, -EOPNOTSUPP if the pool takes no frags, -E2BIG if the frag
 * entries or the length field are full, or the frag_get op's error.
 */
int ixdp_buf_add_frag(struct ixdp_buf *b, const void *base, u32 len)
{
	struct ixdp_pool *p = b->pool;
	int n;

	if (!p->ops)
		return -EOPNOTSUPP;
	if (len > 0xffffU - b->len)
		return -E2BIG;
	n = p->ops->frag_get(p, base, len, ixdp_buf_frags(b) + b->nfrags,
			     IXDP_BUF_FRAGS - b->nfrags);
	if (n < 0)
		return n;
	b->nfrags += n;
	b->frag_len += len;
	b->len += len;
	return 0;
}

/**
 * ixdp_buf_drop_frags() - cut a buffer's data back to what is in it
 * @b: the buffer
 */
void ixdp_buf_drop_frags(struct ixdp_buf *b)
{
	if (b->nfrags)
		b->pool->ops->frag_put(b->pool, ixdp_buf_frags(b), b->nfrags);
	b->len -= b->frag_len;
	b->frag_len = 0;
	b->nfrags = 0;
}
