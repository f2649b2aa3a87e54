/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a workload supplies to ix_load: how to choose, write and parse a
 * request.  Answers come in request order on a connection, so parse()
 * is always given the oldest outstanding request.
 */
#ifndef IX_BENCH_WORKLOAD_H
#define IX_BENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "load.h"

/* What an answer said. */
enum { RES_OK, RES_HIT, RES_MISS, RES_VERIFY, RES_SERVER };

struct workload {
	const char	*name;
	bool		kv;	/* keys: preload, GET/SET counts, hit/miss */
	int		(*init)(struct cfg *cfg);
	void		(*fini)(void);
	/* Choose the next request: set r->op and r->arg. */
	void		(*next)(struct thr *t, struct conn *c, struct req *r);
	/* Append the bytes of @r to c->out; -errno if they do not fit. */
	int		(*build)(struct thr *t, struct conn *c,
				 const struct req *r);
	/*
	 * Parse the answer to @r at @p: the bytes it took, 0 if more are
	 * needed (*need, when known, is how many in all), or -1 if the
	 * stream makes no sense.  *res says what the answer was.
	 */
	long		(*parse)(const struct cfg *cfg, const struct req *r,
				 const char *p, size_t len, size_t *need,
				 int *res);
};

extern const struct workload wl_echo;
extern const struct workload wl_mc_text;
extern const struct workload wl_mc_bin;

#endif
