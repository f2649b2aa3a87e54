/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp per-core packet buffers.
 *
 * A pool hands out fixed-size buffers carved from memory given to it after
 * init: the kernel gives it pages, the host harness malloc'd memory.  Each
 * IXDP_BUF_SIZE slot of that memory is room for one frame and nothing
 * else; its descriptor (struct ixdp_buf) lives in an array of its own, so
 * the data can be mapped into an application without showing it a kernel
 * pointer.  Slots are numbered in the order they were added, and a slot's
 * number is its descriptor's index in that array: the two convert in O(1)
 * both ways.  Free buffers sit on a LIFO stack, so get and put are O(1)
 * and the most recently used (cache-hot) buffer is reused first.  A pool
 * belongs to one core and is never locked.
 */
#ifndef _NET_IXDP_BUF_H
#define _NET_IXDP_BUF_H

#include <linux/minmax.h>
#include <linux/types.h>

#define IXDP_BUF_SIZE		2048
/* Room kept in front of received and new data for headers to prepend. */
#define IXDP_BUF_HEADROOM	128
/*
 * Received frames start IXDP_BUF_RX_OFFSET into the room, so that the
 * IPv4 header behind the 14-byte Ethernet header is 4-byte aligned.
 */
#define IXDP_BUF_RX_OFFSET	(IXDP_BUF_HEADROOM + 2)

#define IXDP_BUF_FREE		0x1	/* on its pool's free stack */

/* Pieces a frame may have outside its buffer (struct ixdp_frag). */
#define IXDP_BUF_FRAGS		8

struct ixdp_pool;

/**
 * struct ixdp_frag - a piece of a frame's data outside its buffer
 * @page: whatever the pool's frag_get op made of the memory (the
 *	kernel's struct page, referenced); opaque to the stack
 * @off: where the piece starts in it
 * @len: its length
 */
struct ixdp_frag {
	void	*page;
	u32	off;
	u32	len;
};

/**
 * struct ixdp_pool_ops - how a pool references memory outside its buffers
 * @frag_get: describe @len bytes at @base in at most @room entries of
 *	@f, taking whatever reference keeps that memory alive until
 *	@frag_put; returns the entries used, or -errno with none taken
 * @frag_put: drop the references of @n entries of @f
 */
struct ixdp_pool_ops {
	int	(*frag_get)(struct ixdp_pool *p, const void *base, u32 len,
			    struct ixdp_frag *f, unsigned int room);
	void	(*frag_put)(struct ixdp_pool *p, struct ixdp_frag *f,
			    unsigned int n);
};

/**
 * struct ixdp_buf - the descriptor of one packet buffer
 * @next: link on the free stack; the owner may use it to queue the buffer
 * @pool: the pool it returns to
 * @room: its slot: headroom, data, tailroom; 8-byte aligned
 * @off: offset of the first byte of data in @room
 * @len: bytes of data, @frag_len of them in frags after those in @room
 * @frag_len: bytes of data in frags (ixdp_buf_add_frag())
 * @nfrags: entries of ixdp_buf_frags() in use
 * @csum_off: with IXDP_BUF_RX_PARTIAL, see @csum_start
 * @dirty: bytes from the start of @room that were written beyond the
 *	data's present end (a frame received, a tail trimmed, the buffer
 *	reset); ixdp_buf_put() clears them and the data
 * @csum_start: with IXDP_BUF_RX_PARTIAL (a received frame whose sender
 *	left its checksum to complete), where the sum starts, from the
 *	Ethernet header; the field is at @csum_start + @csum_off
 * @flags: IXDP_BUF_FREE while on the free stack
 */
struct ixdp_buf {
	struct ixdp_buf		*next;
	struct ixdp_pool	*pool;
	u8			*room;
	u16			off;
	u16			len;
	u16			frag_len;
	u8			nfrags;
	u8			csum_off;
	u16			dirty;
	u16			csum_start;
	u32			flags;
};

#define IXDP_BUF_ROOM		IXDP_BUF_SIZE

/**
 * struct ixdp_pool - a core's buffers
 * @free: top of the stack of free buffers
 * @bufs: the descriptors, one per slot, in slot order
 * @ndescs: entries of @bufs
 * @total: buffers carved into the pool; the first @total of @bufs
 * @avail: buffers on the free stack
 * @empty: ixdp_buf_get() calls that found the pool empty
 * @bad_put: buffers put back while already free (a bug; ignored)
 * @ops: how frags are referenced; NULL if the pool takes none
 * @frags: IXDP_BUF_FRAGS entries per descriptor, in slot order
 */
struct ixdp_pool {
	struct ixdp_buf		*free;
	struct ixdp_buf		*bufs;
	unsigned int		ndescs;
	unsigned int		total;
	unsigned int		avail;
	u64			empty;
	u64			bad_put;
	const struct ixdp_pool_ops *ops;
	struct ixdp_frag	*frags;
};

void ixdp_pool_init(struct ixdp_pool *p, struct ixdp_buf *descs,
		    unsigned int ndescs);
unsigned int ixdp_pool_add(struct ixdp_pool *p, void *mem, size_t size);
void ixdp_pool_set_frags(struct ixdp_pool *p, const struct ixdp_pool_ops *ops,
			 struct ixdp_frag *frags);
struct ixdp_buf *ixdp_buf_get(struct ixdp_pool *p);
void ixdp_buf_put(struct ixdp_buf *b);
int ixdp_buf_add_frag(struct ixdp_buf *b, const void *base, u32 len);
void ixdp_buf_drop_frags(struct ixdp_buf *b);

/* The number of @b's slot: its index in its pool's descriptors. */
static inline unsigned int ixdp_buf_slot(const struct ixdp_buf *b)
{
	return b - b->pool->bufs;
}

static inline void *ixdp_buf_data(const struct ixdp_buf *b)
{
	return (void *)(b->room + b->off);
}

/* The data in @room: all of it unless the buffer has frags. */
static inline unsigned int ixdp_buf_linear_len(const struct ixdp_buf *b)
{
	return b->len - b->frag_len;
}

/* The frags of @b, ixdp_buf_linear_len() bytes into its data. */
static inline struct ixdp_frag *ixdp_buf_frags(const struct ixdp_buf *b)
{
	return &b->pool->frags[ixdp_buf_slot(b) * IXDP_BUF_FRAGS];
}

static inline unsigned int ixdp_buf_headroom(const struct ixdp_buf *b)
{
	return b->off;
}

/* Room to append in @room; none once data continues in frags. */
static inline unsigned int ixdp_buf_tailroom(const struct ixdp_buf *b)
{
	if (b->frag_len)
		return 0;
	return IXDP_BUF_ROOM - b->off - b->len;
}

/* Bytes of @room written so far: all of it from the start to here. */
static inline unsigned int ixdp_buf_end(const struct ixdp_buf *b)
{
	return max_t(unsigned int, b->dirty, b->off + ixdp_buf_linear_len(b));
}

/* Note that the room may hold data up to @end (a device wrote there). */
static inline void ixdp_buf_mark(struct ixdp_buf *b, unsigned int end)
{
	if (end > b->dirty)
		b->dirty = min_t(unsigned int, end, IXDP_BUF_ROOM);
}

/* Empty the buffer and start its data @off bytes into the room. */
static inline void ixdp_buf_reset(struct ixdp_buf *b, unsigned int off)
{
	ixdp_buf_mark(b, b->off + ixdp_buf_linear_len(b));
	b->off = off;
	b->len = 0;
}

/* Make @len more bytes of data in front; NULL if the headroom is short. */
static inline void *ixdp_buf_push(struct ixdp_buf *b, unsigned int len)
{
	if (len > b->off)
		return NULL;
	b->off -= len;
	b->len += len;
	return ixdp_buf_data(b);
}

/* Drop @len bytes from the front; NULL if there are fewer. */
static inline void *ixdp_buf_pull(struct ixdp_buf *b, unsigned int len)
{
	if (len > b->len)
		return NULL;
	b->off += len;
	b->len -= len;
	return ixdp_buf_data(b);
}

/* Add @len bytes at the end and return them; NULL if the tailroom is short. */
static inline void *ixdp_buf_put_tail(struct ixdp_buf *b, unsigned int len)
{
	void *tail = b->room + b->off + b->len;

	if (len > ixdp_buf_tailroom(b))
		return NULL;
	b->len += len;
	return tail;
}

/* Cut the data to @len bytes; a longer @len changes nothing. */
static inline void ixdp_buf_trim(struct ixdp_buf *b, unsigned int len)
{
	ixdp_buf_mark(b, b->off + ixdp_buf_linear_len(b));
	if (len < b->len)
		b->len = len;
}

#endif /* _NET_IXDP_BUF_H */
