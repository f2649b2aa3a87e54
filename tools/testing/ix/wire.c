// SPDX-License-Identifier: GPL-2.0
/*
 * An in-memory cable between two ixdp stacks with fault injection; see
 * wire.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/align.h>

#include "net_util.h"
#include "wire.h"

#define WIRE_BUDGET	100000
#define WIRE_DEV_BATCH	32

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

/* A copy of a frame, as a NIC would put it on the wire. */
static void wire_enqueue(struct wire *w, unsigned int to, const uint8_t *data,
			 uint32_t len)
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

void wire_put(struct wire *w, unsigned int from, const uint8_t *data,
	      uint32_t len)
{
	unsigned int to = from == 1 ? 0 : 1;

	w->sent++;
	if (w->faults.tap && w->faults.tap(w, from, data, len)) {
		w->lost++;
		return;
	}
	if (w->sent <= w->faults.drop_first || wire_chance(w, w->faults.loss)) {
		w->lost++;
		return;
	}
	wire_enqueue(w, to, data, len);
	if (wire_chance(w, w->faults.dup)) {
		wire_enqueue(w, to, data, len);
		w->duped++;
	}
}

/* @b's frame, frags gathered, onto the cable, or to the end's device. */
static int wire_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct wire_end *e = container_of(s, struct wire_end, s);
	unsigned int at = ixdp_buf_linear_len(b), i;
	const struct ixdp_frag *fr = ixdp_buf_frags(b);
	struct wire *w = e->wire;
	uint8_t *out = w->out->data;

	if (w->faults.dev)
		return w->faults.dev->xmit(w->faults.dev, e, b);
	memcpy(out, ixdp_buf_data(b), at);
	for (i = 0; i < b->nfrags; i++) {
		memcpy(out + at, (uint8_t *)fr[i].page + fr[i].off, fr[i].len);
		at += fr[i].len;
	}
	wire_put(w, e->idx, out, b->len);
	e->frag_frames += b->nfrags > 0;
	ixdp_buf_put(b);
	return 0;
}

static const struct ixdp_stack_ops wire_ops = {
	.xmit = wire_xmit,
};

/*
 * Frags as the harness has them: the address itself, no page.  Pieces of
 * at most 701 bytes (odd, so pieces start at odd offsets), so a segment
 * takes several, as pages split them in
 * the kernel.
 */
#define WIRE_FRAG_MAX	701

static int wire_frag_get(struct ixdp_pool *p, const void *base, u32 len,
			 struct ixdp_frag *f, unsigned int room)
{
	struct wire_end *e = container_of(p, struct wire_end, pool);
	unsigned int n = 0, k;

	for (; len; len -= k, base += k, n++) {
		if (n == room)
			break;
		k = len < WIRE_FRAG_MAX ? len : WIRE_FRAG_MAX;
		f[n].page = (void *)base;
		f[n].off = 0;
		f[n].len = k;
	}
	if (len)
		return -E2BIG;
	e->frag_refs += n;
	return n;
}

static void wire_frag_put(struct ixdp_pool *p, struct ixdp_frag *f,
			  unsigned int n)
{
	struct wire_end *e = container_of(p, struct wire_end, pool);

	e->frag_refs -= n;
}

static const struct ixdp_pool_ops wire_pool_ops = {
	.frag_get = wire_frag_get,
	.frag_put = wire_frag_put,
};

static int wire_end_init(struct wire *w, unsigned int i, unsigned int nbufs)
{
	struct wire_end *e = &w->end[i];
	struct ixdp_stack_config cfg;

	e->wire = w;
	e->idx = i;
	/* Page aligned, as a core's pool: a driver may map it by pages. */
	e->mem = aligned_alloc(4096, ALIGN((size_t)nbufs * IXDP_BUF_SIZE,
					   4096));
	e->descs = calloc(nbufs, sizeof(*e->descs));
	e->frags = calloc((size_t)nbufs * IXDP_BUF_FRAGS, sizeof(*e->frags));
	if (!e->mem || !e->descs || !e->frags)
		return -ENOMEM;
	ixdp_pool_init(&e->pool, e->descs, nbufs);
	if (w->faults.frags)
		ixdp_pool_set_frags(&e->pool, &wire_pool_ops, e->frags);
	ixdp_pool_add(&e->pool, e->mem, (size_t)nbufs * IXDP_BUF_SIZE);
	ts_default_cfg(&cfg);
	if (w->faults.frags)
		cfg.offload |= IXDP_OFFLOAD_TX_SG;
	cfg.mac[5] = 2 + i % 2;
	cfg.addr = cpu_to_be32(US_IP + i % 2);
	return ixdp_stack_init(&e->s, &cfg, &wire_ops, &e->pool, 0);
}

/* Ends 0 and 2 as the two cores of one device. */
static int wire_cores_init(struct wire *w)
{
	w->ho.ncores = 2;
	w->ho.rss = w->faults.rss;
	w->ho.ring[0][1] = calloc(1, sizeof(struct ixdp_handoff_ring));
	w->ho.ring[1][0] = calloc(1, sizeof(struct ixdp_handoff_ring));
	if (!w->ho.ring[0][1] || !w->ho.ring[1][0])
		return -ENOMEM;
	ixdp_handoff_join(&w->end[0].s, &w->ho, 0);
	ixdp_handoff_join(&w->end[2].s, &w->ho, 1);
	return 0;
}

int wire_init(struct wire *w, unsigned int nbufs, uint64_t seed,
	      const struct wire_faults *faults)
{
	unsigned int i;
	int ret;

	memset(w, 0, sizeof(*w));
	w->rng = seed ? seed : 1;
	if (faults)
		w->faults = *faults;
	w->q = calloc(WIRE_MAX_FRAMES, sizeof(*w->q));
	w->tmp = malloc(sizeof(*w->tmp));
	w->swap = malloc(sizeof(*w->swap));
	w->out = malloc(sizeof(*w->out));
	w->nends = w->faults.two_cores || w->faults.steer ? 3 : 2;
	for (i = 0; i < w->nends; i++) {
		ret = wire_end_init(w, i, nbufs);
		if (ret)
			return ret;
	}
	return w->faults.two_cores ? wire_cores_init(w) : 0;
}

bool wire_fini(struct wire *w)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < w->nends; i++) {
		ixdp_stack_teardown(&w->end[i].s);
		ok &= w->end[i].pool.avail == w->end[i].pool.total &&
		      !w->end[i].pool.bad_put && !w->end[i].frag_refs;
		free(w->end[i].mem);
		free(w->end[i].descs);
		free(w->end[i].frags);
	}
	free(w->ho.ring[0][1]);
	free(w->ho.ring[1][0]);
	free(w->q);
	free(w->tmp);
	free(w->swap);
	free(w->out);
	return ok;
}

/* The core of device 0 that the device gives @f to: by RSS, or at random. */
static struct wire_end *wire_steer(struct wire *w, const struct wire_frame *f)
{
	const struct ixdp_rss *rss = w->faults.rss;
	const uint8_t *ip = f->data + 14;
	__be16 sport, dport;
	__be32 saddr, daddr;
	unsigned int ihl;
	uint32_t hash;

	if (!rss)
		return &w->end[wire_rand(w) & 1 ? 2 : 0];
	/* Hashed: TCP over IPv4.  The rest goes to the first queue. */
	if (f->len < 14 + 20 || f->data[12] != 0x08 || f->data[13] != 0 ||
	    ip[9] != 6)
		return &w->end[0];
	ihl = (ip[0] & 15) * 4;
	if (f->len < 14 + ihl + 4)
		return &w->end[0];
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	memcpy(&sport, ip + ihl, 2);
	memcpy(&dport, ip + ihl + 2, 2);
	hash = ixdp_rss_hash(rss->key, saddr, daddr, sport, dport);
	return &w->end[rss->core[hash & (rss->nindir - 1)] ? 2 : 0];
}

/* Let the cores of device 0 take what they handed each other. */
static void wire_handoffs(struct wire *w)
{
	unsigned int n, rounds = 0;

	if (!w->faults.two_cores)
		return;
	do {
		n = ixdp_handoff_poll(&w->end[0].s, 64);
		n += ixdp_handoff_poll(&w->end[2].s, 64);
	} while (n && ++rounds < 1000);
}

static void wire_deliver(struct wire *w, const struct wire_frame *f)
{
	struct wire_end *e = &w->end[f->to];
	struct ixdp_buf *b;

	if (f->to == 0 && w->faults.two_cores)
		e = wire_steer(w, f);
	else if (f->to == 0 && w->faults.steer)
		e = &w->end[w->faults.steer(w, f) ? 2 : 0];
	if (w->faults.dev) {
		w->delivered++;
		w->faults.dev->rx(w->faults.dev, e, f->data, f->len);
		return;
	}
	b = ixdp_buf_get(&e->pool);

	if (!b) {
		w->rx_no_buf++;
		return;
	}
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, f->len), f->data, f->len);
	w->delivered++;
	ixdp_eth_rx(&e->s, b);
	wire_handoffs(w);
}

unsigned int wire_pump(struct wire *w)
{
	struct wire_dev *dev = w->faults.dev;
	unsigned int n = 0, work;

	do {
		/* Delivery may queue answers behind; copy the frame out. */
		while (w->qlen && n < WIRE_BUDGET) {
			memcpy(w->tmp, &w->q[w->head], sizeof(*w->tmp));
			w->head = (w->head + 1) % WIRE_MAX_FRAMES;
			w->qlen--;
			wire_deliver(w, w->tmp);
			/* Devices take their frames in batches. */
			if (++n % WIRE_DEV_BATCH == 0 && dev)
				break;
		}
		work = dev ? dev->poll(dev) : 0;
	} while ((work || w->qlen) && n < WIRE_BUDGET);
	return n;
}

void wire_advance(struct wire *w, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < w->nends; i++)
		ixdp_stack_advance(&w->end[i].s, now);
}
