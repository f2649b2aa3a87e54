/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ixcp, the policy daemon for elastic cores: what its files offer each
 * other.  ixcp.c parses the options and runs the loop, ixcp_sample.c
 * reads a device's cores and their loads, ixcp_policy.c holds the rule
 * and makes the changes it calls for.
 */
#ifndef IXCP_H
#define IXCP_H

#include <stdbool.h>

#include "ix.h"

/* The options, as given or by default (ixcp.c's usage text). */
struct ixcp_opts {
	const char *dev;
	unsigned int interval;		/* ms between samples */
	double high, low;		/* the band, loads from 0 to 1 */
	unsigned int up, down;		/* consecutive samples that decide */
	unsigned int cooldown;		/* samples skipped after a change */
	unsigned int min, max;		/* cores; max 0: the kernel's limit */
	unsigned long samples;		/* exit after this many; 0: never */
	bool dry_run, verbose, step;
};

/*
 * What one sample read.  @limit is the most cores DEV can have: the
 * reserved CPUs or its attached queue pairs, the fewer.  The counters
 * and loads are indexed by CPU.
 */
struct ixcp_view {
	char serving[MAX_CPUS];
	char reserved[MAX_CPUS];
	char list[VAL_MAX];		/* @serving as DEV's cpus reads */
	unsigned int n;			/* serving cores */
	unsigned int limit;
	unsigned long long busy[MAX_CPUS], idle[MAX_CPUS];
	double load[MAX_CPUS];
	double mean;			/* over the serving cores */
};

/* What ixcp_read() found. */
enum ixcp_read {
	IXCP_READ_OK,			/* a view, counters and all */
	IXCP_READ_SKIP,			/* something unreadable: said */
	IXCP_READ_GONE,			/* DEV detached or gone: said */
};

struct ixcp {
	struct ixcp_opts o;
	struct ixcp_view views[2];
	struct ixcp_view *cur, *prev;	/* prev: NULL, or a full view */
	unsigned long nsample;
	unsigned int above;		/* samples in a row over --high */
	unsigned int below;		/* samples in a row removal held */
	unsigned int skip;		/* samples left of a cooldown */
	unsigned int backoff;		/* samples skipped after EAGAIN */
	bool unreadable;		/* a read failure said, until a view */
	char failed[VAL_MAX + 64];	/* the last change refused, said once */
};

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* ixcp.c: a line on stdout, "ixcp: DEV: " in front. */
__printf(2, 3) void ixcp_out(struct ixcp *cp, const char *fmt, ...);

/* ixcp_sample.c */
enum ixcp_read ixcp_attached(const char *dev);
enum ixcp_read ixcp_read(struct ixcp *cp, struct ixcp_view *v);
bool ixcp_loads(const struct ixcp_view *prev, struct ixcp_view *cur);

/* ixcp_policy.c */
int ixcp_decide(struct ixcp *cp);
enum ixcp_read ixcp_change(struct ixcp *cp, int dir);

#endif
