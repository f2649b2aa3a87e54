// SPDX-License-Identifier: GPL-2.0
/* Two modelled 82599 ports as the devices of a wire; see ixgbe_wire.h. */

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "dp.h"
#include "ixgbe_port.h"
#include "ixgbe_wire.h"

#define IXW_RING	512
#define IXW_BATCH	64
/*
 * Where receive buffers are posted: loop.c posts at IXDP_POST_OFF, which
 * leaves the IP header 2 bytes off 4-byte alignment (x86 does not mind,
 * UBSan does); the harness posts 2 bytes further, as wire.c delivers.
 */
#define IXW_POST_OFF	IXDP_BUF_RX_OFFSET
#define IXW_POST_LEN	(IXDP_BUF_ROOM - IXW_POST_OFF)

struct ixw_end {
	struct ixgbe_wire	*x;
	struct wire_end		*e;
	struct ixp		*p;
	unsigned int		posted;
};

struct ixgbe_wire {
	struct wire_dev		dev;
	struct wire		*w;
	struct ixw_end		end[2];
	uint64_t		rx_empty;
	unsigned long		map_single;
};

/* The pool buffer a receive buffer was posted from. */
static struct ixdp_buf *ixw_buf(struct ixw_end *xe, void *addr)
{
	struct ixdp_pool *pool = &xe->e->pool;
	size_t i = ((u8 *)addr - IXW_POST_OFF - pool->bufs[0].room) /
		   IXDP_BUF_SIZE;

	return &pool->bufs[i];
}

static void ixw_release_rx(struct ixdp_drv_queue *dq, void *addr)
{
	struct ixw_end *xe = ixp_of(dq)->core[dq->qid];

	ixdp_buf_put(ixw_buf(xe, addr));
}

static void ixw_release_tx(struct ixdp_drv_queue *dq, void *token)
{
	ixdp_buf_put(token);
}

/* The model sent a frame: onto the cable. */
static void ixw_sink(void *arg, unsigned int q, const uint8_t *frame,
		     uint32_t len)
{
	struct ixw_end *xe = arg;

	wire_put(xe->x->w, xe->e->idx, frame, len);
}

static int ixw_xmit(struct wire_dev *d, struct wire_end *e,
		    struct ixdp_buf *b)
{
	struct ixgbe_wire *x = container_of(d, struct ixgbe_wire, dev);
	struct ixdp_drv_frame f = { 0 };
	struct ixp *p = x->end[e->idx].p;

	f.addr = ixdp_buf_data(b);
	f.len = b->len;
	f.token = b;
	if (ixp_ops->tx_burst(&p->dq[0], &f, 1))
		return 0;
	ixdp_buf_put(b);
	return -ENOSPC;
}

static void ixw_rx(struct wire_dev *d, struct wire_end *e,
		   const uint8_t *data, uint32_t len)
{
	struct ixgbe_wire *x = container_of(d, struct ixgbe_wire, dev);

	ixm_rx(&x->end[e->idx].p->m, data, len);
}

/* Keep the receive ring stocked, a batch at a time. */
static void ixw_fill(struct ixw_end *xe)
{
	struct ixdp_drv_frame f[IXW_BATCH] = { 0 };
	unsigned int n = 0, i, posted;
	struct ixdp_buf *b;

	if (xe->posted + IXW_BATCH > IXW_RING - 1)
		return;
	while (n < IXW_BATCH && (b = ixdp_buf_get(&xe->e->pool))) {
		f[n].addr = b->room + IXW_POST_OFF;
		f[n++].len = IXW_POST_LEN;
	}
	posted = ixp_ops->rx_post(&xe->p->dq[0], f, n);
	for (i = posted; i < n; i++)
		ixdp_buf_put(ixw_buf(xe, f[i].addr));
	xe->posted += posted;
}

static void ixw_fill_all(struct ixw_end *xe)
{
	unsigned int before;

	do {
		before = xe->posted;
		ixw_fill(xe);
	} while (xe->posted != before);
}

/*
 * Received frames to the end's stack, as loop.c's ixdp_queue_rx() hands
 * them on; a frame that does not fit the buffer posted fails the test.
 */
static unsigned int ixw_receive(struct ixw_end *xe)
{
	struct ixdp_drv_frame f[IXW_BATCH];
	unsigned int n, i;
	struct ixdp_buf *b;

	n = ixp_ops->rx_burst(&xe->p->dq[0], f, IXW_BATCH);
	xe->posted -= n;
	for (i = 0; i < n; i++) {
		b = ixw_buf(xe, f[i].addr);
		if (f[i].off + f[i].len > IXW_POST_LEN)
			ix_test_fail(__FILE__, __LINE__,
				     "rx_burst: %u bytes at %u overrun a %u-byte buffer",
				     f[i].len, f[i].off, IXW_POST_LEN);
		b->off = IXW_POST_OFF + f[i].off;
		b->len = f[i].len;
		ixdp_buf_mark(b, IXDP_BUF_ROOM);
		if (b->len && b->len <= IXW_POST_LEN - f[i].off) {
			ixdp_eth_rx(&xe->e->s, b);
		} else {
			xe->x->rx_empty++;
			ixdp_buf_put(b);
		}
	}
	return n;
}

static unsigned int ixw_poll(struct wire_dev *d)
{
	struct ixgbe_wire *x = container_of(d, struct ixgbe_wire, dev);
	unsigned int work = 0, i, k, n;
	void *tok[IXW_BATCH];
	struct ixw_end *xe;

	for (k = 0; k < 2; k++) {
		xe = &x->end[k];
		work += ixm_tx(&xe->p->m, 0, IXW_BATCH);
		n = ixp_ops->tx_reclaim(&xe->p->dq[0], tok, IXW_BATCH);
		for (i = 0; i < n; i++)
			ixdp_buf_put(tok[i]);
		work += n + ixw_receive(xe);
		ixw_fill(xe);
	}
	return work;
}

struct ixgbe_wire *ixgbe_wire_new(struct wire_faults *f)
{
	struct ixgbe_wire *x = calloc(1, sizeof(*x));
	unsigned int k;

	if (!x)
		return NULL;
	x->dev.xmit = ixw_xmit;
	x->dev.rx = ixw_rx;
	x->dev.poll = ixw_poll;
	for (k = 0; k < 2; k++) {
		x->end[k].x = x;
		x->end[k].p = ixp_new(1, IXW_RING, true);
		if (!x->end[k].p) {
			ixgbe_wire_free(x);
			return NULL;
		}
		x->end[k].p->m.sink = ixw_sink;
		x->end[k].p->m.sink_arg = &x->end[k];
		x->end[k].p->core[0] = &x->end[k];
	}
	f->dev = &x->dev;
	return x;
}

int ixgbe_wire_attach(struct ixgbe_wire *x, struct wire *w)
{
	unsigned int k;
	int err;

	x->w = w;
	for (k = 0; k < 2; k++) {
		x->end[k].e = &w->end[k];
		err = ixp_take(x->end[k].p, 0, ixw_release_rx, ixw_release_tx);
		if (err)
			return err;
		err = ixp_pool_map(x->end[k].p, 0, w->end[k].mem,
				   (size_t)w->end[k].pool.total * IXDP_BUF_SIZE);
		if (err)
			return err;
		ixw_fill_all(&x->end[k]);
	}
	x->map_single = ixm_dma_calls.map_single;
	return 0;
}

bool ixgbe_wire_free(struct ixgbe_wire *x)
{
	unsigned int errors = 0, k;
	struct ixp *p;

	/* The pools were mapped at attach: no buffer is mapped on its own. */
	if (x->w && ixm_dma_calls.map_single != x->map_single) {
		ix_test_fail(__FILE__, __LINE__,
			     "%lu buffers mapped one by one",
			     ixm_dma_calls.map_single - x->map_single);
		errors++;
	}
	for (k = 0; k < 2; k++) {
		p = x->end[k].p;
		if (!p)
			continue;
		if (x->end[k].e)
			ixp_give(p, 0);
		errors += p->m.errors;
		ixp_free(p);
	}
	free(x);
	return !errors;
}
