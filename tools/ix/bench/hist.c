// SPDX-License-Identifier: GPL-2.0
/*
 * Log-linear histogram; see hist.h for the bucket layout.
 */

#include <string.h>

#include "hist.h"

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static unsigned int hist_index(uint64_t v)
{
	unsigned int e;

	if (v < HIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v) - HIST_SUB_BITS;
	return e * HIST_SUB + (unsigned int)(v >> e);
}

/* The midpoint of bucket @i. */
static uint64_t hist_value(unsigned int i)
{
	unsigned int e;

	if (i < 2 * HIST_SUB)
		return i;
	e = i / HIST_SUB - 1;
	return ((uint64_t)(i - e * HIST_SUB) << e) + (1ULL << (e - 1));
}

void hist_add(struct hist *h, uint64_t ns)
{
	h->n++;
	h->sum += ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	if (ns > HIST_MAX_NS) {
		h->overflow++;
		ns = HIST_MAX_NS;
	}
	h->b[hist_index(ns)]++;
}

void hist_merge(struct hist *to, const struct hist *from)
{
	unsigned int i;

	to->n += from->n;
	to->sum += from->sum;
	to->overflow += from->overflow;
	if (from->min < to->min)
		to->min = from->min;
	if (from->max > to->max)
		to->max = from->max;
	for (i = 0; i < HIST_BUCKETS; i++)
		to->b[i] += from->b[i];
}

/* The value below which a fraction @q of the samples lie, 0 if none. */
uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t want, seen = 0, v;
	unsigned int i;

	if (!h->n)
		return 0;
	want = (uint64_t)(q * (double)h->n + 0.999999);
	if (want < 1)
		want = 1;
	if (want > h->n)
		want = h->n;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want)
			break;
	}
	v = hist_value(i < HIST_BUCKETS ? i : HIST_BUCKETS - 1);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double hist_mean(const struct hist *h)
{
	return h->n ? (double)h->sum / (double)h->n : 0;
}
