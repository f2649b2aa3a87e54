// SPDX-License-Identifier: GPL-2.0
/* The dataplane's side of a modelled ixgbe queue pair; see ixgbe_core.h. */

#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>

#include "test.h"
#include "ixgbe_core.h"

static struct ixc *ixc_of(struct ixdp_drv_queue *dq)
{
	return ixp_of(dq)->core[dq->qid];
}

int ixc_buf(const struct ixc *c, const void *addr)
{
	const uint8_t *a = addr, *base = c->mem[0];

	if (a < base || a >= base + sizeof(c->mem[0]) * IXC_BUFS ||
	    (a - base) % sizeof(c->mem[0]))
		return -1;
	return (a - base) / sizeof(c->mem[0]);
}

static void ixc_release_rx(struct ixdp_drv_queue *dq, void *addr)
{
	struct ixc *c = ixc_of(dq);
	int i = ixc_buf(c, addr);

	if (i < 0 || !c->held[i]) {
		ix_test_fail(__FILE__, __LINE__,
			     "release_rx of %p: not a buffer the driver holds",
			     addr);
		return;
	}
	c->held[i] = false;
	c->released_rx++;
}

static void ixc_release_tx(struct ixdp_drv_queue *dq, void *token)
{
	ixc_of(dq)->released_tx++;
}

int ixc_take(struct ixc *c, struct ixp *p, unsigned int q)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->q = q;
	static_assert(IXC_BUFS * IXC_BUF_LEN <= IXC_MEM);
	c->mem = aligned_alloc(PAGE_SIZE, IXC_MEM);
	if (!c->mem)
		return -ENOMEM;
	memset(c->mem, 0, IXC_MEM);
	p->core[q] = c;
	err = ixp_take(p, q, ixc_release_rx, ixc_release_tx);
	if (err)
		return err;
	/* One chunk: a buffer never crosses into the next, as in a core. */
	err = ixp_pool_map(p, q, c->mem, IXC_MEM);
	if (err)
		ixp_give(p, q);
	return err;
}

void ixc_give(struct ixc *c)
{
	ixp_give(c->p, c->q);
	c->p->core[c->q] = NULL;
	free(c->mem);
	c->mem = NULL;
}

unsigned int ixc_post(struct ixc *c, unsigned int n)
{
	struct ixdp_drv_frame f[IXC_BUFS];
	unsigned int k = 0, i, posted, tries;

	for (tries = 0; k < n && tries < IXC_BUFS; tries++) {
		i = c->next++ % IXC_BUFS;
		if (c->held[i])
			continue;
		memset(&f[k], 0, sizeof(f[k]));
		f[k].addr = c->mem[i];
		f[k].len = IXC_BUF_LEN;
		k++;
	}
	posted = ixp_ops->rx_post(&c->p->dq[c->q], f, k);
	for (i = 0; i < posted; i++)
		c->held[ixc_buf(c, f[i].addr)] = true;
	/* The rest were not taken: post them first next time. */
	if (posted < k)
		c->next -= k - posted;
	return posted;
}

unsigned int ixc_burst(struct ixc *c, struct ixdp_drv_frame *f,
		       unsigned int max)
{
	unsigned int n = ixp_ops->rx_burst(&c->p->dq[c->q], f, max), i;
	int b;

	for (i = 0; i < n; i++) {
		b = ixc_buf(c, f[i].addr);
		if (b < 0 || !c->held[b]) {
			ix_test_fail(__FILE__, __LINE__,
				     "rx_burst returned %p: not a posted buffer",
				     f[i].addr);
			continue;
		}
		c->held[b] = false;
	}
	return n;
}

static void ixc_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void ixc_put32(uint8_t *p, uint32_t v)
{
	ixc_put16(p, v >> 16);
	ixc_put16(p + 2, v);
}

void ixc_frame(uint8_t *f, uint32_t len, uint32_t saddr, uint32_t daddr,
	       uint16_t sport, uint16_t dport, uint32_t seed)
{
	uint32_t i;

	memset(f, 0, 54);
	memcpy(f, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00", 14);
	f[14] = 0x45;
	ixc_put16(f + 16, len - 14);
	f[22] = 64;
	f[23] = 6;
	ixc_put32(f + 26, saddr);
	ixc_put32(f + 30, daddr);
	ixc_put16(f + 34, sport);
	ixc_put16(f + 36, dport);
	f[46] = 5 << 4;
	for (i = 54; i < len; i++)
		f[i] = seed * 31 + i * 7;
}

bool ixc_take_four(struct ixp *p, struct ixc *c)
{
	unsigned int q;

	for (q = 0; q < 4; q++)
		if (ixc_take(&c[q], p, q) || ixc_post(&c[q], 8) != 8)
			return false;
	return true;
}

int ixc_landed(struct ixp *p, struct ixc *c, uint32_t saddr, uint16_t sport,
	       uint32_t id)
{
	struct ixdp_drv_frame got[4];
	int q, at = -1, hits = 0;
	uint8_t f[128];

	ixc_frame(f, sizeof(f), saddr, IXC_DADDR, sport, IXC_DPORT, id);
	if (ixm_rx(&p->m, f, sizeof(f)) != 1)
		return -1;
	for (q = 0; q < 4; q++) {
		if (ixc_burst(&c[q], got, 4) == 1) {
			at = q;
			hits++;
		}
		ixc_post(&c[q], 1);
	}
	return hits == 1 ? at : -1;
}
