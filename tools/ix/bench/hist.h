/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log-linear latency histogram in the manner of HdrHistogram.
 *
 * Values are nanoseconds.  Below 2^SUB_BITS every value has its own
 * bucket; above, each power of two is cut into 2^SUB_BITS buckets, so a
 * bucket is at most 1/128 (0.8%) of its value wide and its midpoint is
 * within 0.4% of every value in it.  Values above HIST_MAX_NS (100 s) are
 * counted in the last bucket and in @overflow.  One histogram is 31 KiB;
 * each thread has its own and they are summed at the end.
 */
#ifndef IX_BENCH_HIST_H
#define IX_BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1U << HIST_SUB_BITS)
#define HIST_TOP_BITS	37			/* 2^37 ns > 100 s */
#define HIST_BUCKETS	((HIST_TOP_BITS - HIST_SUB_BITS + 1) * HIST_SUB)
#define HIST_MAX_NS	100000000000ULL

struct hist {
	uint64_t	n;
	uint64_t	sum;
	uint64_t	min;
	uint64_t	max;
	uint64_t	overflow;
	uint64_t	b[HIST_BUCKETS];
};

void hist_init(struct hist *h);
void hist_add(struct hist *h, uint64_t ns);
void hist_merge(struct hist *to, const struct hist *from);
uint64_t hist_quantile(const struct hist *h, double q);
double hist_mean(const struct hist *h);

#endif
