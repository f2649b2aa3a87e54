// SPDX-License-Identifier: GPL-2.0
/*
 * An in-memory cable between two ixdp stacks with fault injection; see
 * wire.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net_util.h"
#include "wire.h"

#define WIRE_BUDGET	100000

uint64_t wire_rand(struct wire *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static bool wire_chance(struct wire *w, unsigned int permille)
{
	return permille && wire_rand(w) % 1000 < permille;
}

static void wire_enqueue(struct wire *w, unsigned int to, const void *data,
			 unsigned int len)
{
	struct wire_frame *f;

	if (w->qlen == WIRE_MAX_FRAMES) {
		w->overflow++;
		return;
	}
	f = &w->q[(w->head + w->qlen++) % WIRE_MAX_FRAMES];
	f->to = to;
	f->len = len;
	memcpy(f->data, data, len);
	if (wire_chance(w, w->faults.corrupt)) {
		f->data[wire_rand(w) % len] ^= 1 + wire_rand(w) % 255;
		w->corrupted++;
	}
	if (w->qlen > 1 && wire_chance(w, w->faults.reorder)) {
		/* Overtake the frame before it. */
		struct wire_frame *prev;

		prev = &w->q[(w->head + w->qlen - 2) % WIRE_MAX_FRAMES];
		memcpy(w->swap, prev, sizeof(*prev));
		memcpy(prev, f, sizeof(*f));
		memcpy(f, w->swap, sizeof(*f));
		w->reordered++;
	}
}

static int wire_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct wire_end *e = container_of(s, struct wire_end, s);
	struct wire *w = e->wire;
	unsigned int to = !e->idx;

	w->sent++;
	if (w->sent <= w->faults.drop_first || wire_chance(w, w->faults.loss)) {
		w->lost++;
	} else {
		wire_enqueue(w, to, ixdp_buf_data(b), b->len);
		if (wire_chance(w, w->faults.dup)) {
			wire_enqueue(w, to, ixdp_buf_data(b), b->len);
			w->duped++;
		}
	}
	ixdp_buf_put(b);
	return 0;
}

static const struct ixdp_stack_ops wire_ops = {
	.xmit = wire_xmit,
};

static int wire_end_init(struct wire *w, unsigned int i, unsigned int nbufs)
{
	struct wire_end *e = &w->end[i];
	struct ixdp_stack_config cfg;

	e->wire = w;
	e->idx = i;
	e->mem = malloc((size_t)nbufs * IXDP_BUF_SIZE);
	e->descs = calloc(nbufs, sizeof(*e->descs));
	if (!e->mem || !e->descs)
		return -ENOMEM;
	ixdp_pool_init(&e->pool, e->descs, nbufs);
	ixdp_pool_add(&e->pool, e->mem, (size_t)nbufs * IXDP_BUF_SIZE);
	ts_default_cfg(&cfg);
	cfg.mac[5] = 2 + i;
	cfg.addr = cpu_to_be32(US_IP + i);
	return ixdp_stack_init(&e->s, &cfg, &wire_ops, &e->pool, 0);
}

int wire_init(struct wire *w, unsigned int nbufs, uint64_t seed,
	      const struct wire_faults *faults)
{
	int ret;

	memset(w, 0, sizeof(*w));
	w->rng = seed ? seed : 1;
	if (faults)
		w->faults = *faults;
	w->q = calloc(WIRE_MAX_FRAMES, sizeof(*w->q));
	w->tmp = malloc(sizeof(*w->tmp));
	w->swap = malloc(sizeof(*w->swap));
	ret = wire_end_init(w, 0, nbufs);
	return ret ? ret : wire_end_init(w, 1, nbufs);
}

bool wire_fini(struct wire *w)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		ixdp_stack_teardown(&w->end[i].s);
		ok &= w->end[i].pool.avail == w->end[i].pool.total &&
		      !w->end[i].pool.bad_put;
		free(w->end[i].mem);
		free(w->end[i].descs);
	}
	free(w->q);
	free(w->tmp);
	free(w->swap);
	return ok;
}

static void wire_deliver(struct wire *w, const struct wire_frame *f)
{
	struct wire_end *e = &w->end[f->to];
	struct ixdp_buf *b = ixdp_buf_get(&e->pool);

	if (!b) {
		w->rx_no_buf++;
		return;
	}
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, f->len), f->data, f->len);
	w->delivered++;
	ixdp_eth_rx(&e->s, b);
}

unsigned int wire_pump(struct wire *w)
{
	unsigned int n = 0;

	/* Delivery may queue answers behind; copy the frame out first. */
	while (w->qlen && n < WIRE_BUDGET) {
		memcpy(w->tmp, &w->q[w->head], sizeof(*w->tmp));
		w->head = (w->head + 1) % WIRE_MAX_FRAMES;
		w->qlen--;
		wire_deliver(w, w->tmp);
		n++;
	}
	return n;
}

void wire_advance(struct wire *w, uint64_t now)
{
	ixdp_stack_advance(&w->end[0].s, now);
	ixdp_stack_advance(&w->end[1].s, now);
}
