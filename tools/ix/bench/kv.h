/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key-value model behind the memcached workloads: which keys exist,
 * how long each key and its value are, what the value holds, and the
 * GET/SET mix.  Every key has one fixed value, so any GET hit can be
 * checked whichever connection stored it.
 */
#ifndef IX_BENCH_KV_H
#define IX_BENCH_KV_H

#include <stddef.h>
#include <stdint.h>

#include "load.h"

#define KV_KEY_MAX	250		/* memcached's limit */
#define KV_VALUE_MAX	(256 * 1024)

struct kv_profile {
	const char	*name;
	double		get_ratio;
	unsigned int	(*klen)(double u);
	unsigned int	(*vlen)(double u);
};

extern const struct kv_profile kv_usr;
extern const struct kv_profile kv_etc;

int kv_init(const struct cfg *cfg);
void kv_fini(void);
void kv_next(struct thr *t, struct req *r);
size_t kv_key(uint64_t k, char *out);
unsigned int kv_vlen(uint64_t k);
const char *kv_value(uint64_t k);

#endif
