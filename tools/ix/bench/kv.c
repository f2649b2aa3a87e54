// SPDX-License-Identifier: GPL-2.0
/*
 * Key and value sizes of the USR-like and ETC-like workloads.
 *
 * Source: B. Atikoglu, Y. Xu, E. Frachtenberg, S. Jiang, M. Paleczny,
 * "Workload Analysis of a Large-Scale Key-Value Store", SIGMETRICS 2012,
 * the fits of its statistical-modeling section for the ETC pool:
 *
 *   key size    Generalized Extreme Value, mu 30.7984, sigma 8.20449,
 *               k 0.078688
 *   value size  Generalized Pareto, theta 0, sigma 214.476, k 0.348238,
 *               for values of 15 bytes and more; the paper gives the
 *               sizes 0 to 14 bytes, 44.155% of all values, as a table
 *               of their own (etc_head[] below)
 *   GET:SET     about 30:1 in ETC (the paper's request-mix figures)
 *
 * USR has 19-byte keys (we fix all of them at 19), 2-byte values and
 * 99.8% GETs.
 *
 * Each key's sizes come from a hash of the key's index, so they are the
 * same in every run and on every connection, and so is its value (a
 * window into kv_pat).  Keys are uniformly popular; the paper's skew is
 * not modelled.  A key is the profile's letter followed by the index in
 * zero-padded decimal, as long as its drawn size but never shorter than
 * the index needs; values are capped at KV_VALUE_MAX (256 KiB, drawn
 * with probability below 1e-7).
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "util.h"

#define ETC_GEV_MU	30.7984
#define ETC_GEV_SIGMA	8.20449
#define ETC_GEV_K	0.078688
#define ETC_GP_SIGMA	214.476
#define ETC_GP_K	0.348238
#define ETC_HEAD_SIZES	15

/* P(value size = i bytes) for i < 15, from the paper. */
static const double etc_head[ETC_HEAD_SIZES] = {
	0.00536, 0.00047, 0.17820, 0.09239, 0.00018,
	0.02740, 0.00065, 0.00606, 0.00023, 0.00837,
	0.00837, 0.08989, 0.00092, 0.00326, 0.01980,
};

#define SALT_KLEN	0x6b65796c656e3031ULL
#define SALT_VLEN	0x76616c6c656e3031ULL
#define SALT_VOFF	0x76616c6f66663031ULL

static const struct kv_profile *prof;
static uint64_t nkeys;
static unsigned int digits;
static char *kv_pat;

static double hash_unit(uint64_t k, uint64_t salt)
{
	uint64_t s = k ^ salt;

	return rng_unit(&s);
}

static unsigned int usr_klen(double u)
{
	(void)u;
	return 19;
}

static unsigned int usr_vlen(double u)
{
	(void)u;
	return 2;
}

/* Inverse of the GEV distribution function. */
static unsigned int etc_klen(double u)
{
	double x = ETC_GEV_MU + ETC_GEV_SIGMA *
		   (pow(-log(u), -ETC_GEV_K) - 1) / ETC_GEV_K;

	if (x < 1)
		return 1;
	return x > KV_KEY_MAX ? KV_KEY_MAX : (unsigned int)lround(x);
}

static double gp_cdf(double x)
{
	return 1 - pow(1 + ETC_GP_K * x / ETC_GP_SIGMA, -1 / ETC_GP_K);
}

/* The head table, then the Generalized Pareto tail above 14 bytes. */
static unsigned int etc_vlen(double u)
{
	double f15, q, x, acc = 0;
	unsigned int i;

	for (i = 0; i < ETC_HEAD_SIZES; i++) {
		acc += etc_head[i];
		if (u < acc)
			return i;
	}
	f15 = gp_cdf(ETC_HEAD_SIZES);
	q = f15 + (u - acc) / (1 - acc) * (1 - f15);
	x = ETC_GP_SIGMA * (pow(1 - q, -ETC_GP_K) - 1) / ETC_GP_K;
	if (x < ETC_HEAD_SIZES)
		return ETC_HEAD_SIZES;
	return x > KV_VALUE_MAX ? KV_VALUE_MAX : (unsigned int)ceil(x);
}

const struct kv_profile kv_usr = {
	.name		= "usr",
	.get_ratio	= 0.998,
	.klen		= usr_klen,
	.vlen		= usr_vlen,
};

const struct kv_profile kv_etc = {
	.name		= "etc",
	.get_ratio	= 30.0 / 31.0,
	.klen		= etc_klen,
	.vlen		= etc_vlen,
};

int kv_init(const struct cfg *cfg)
{
	uint64_t seed = 0x7061747465726e31ULL;
	uint64_t k;
	size_t i;

	prof = cfg->kv;
	nkeys = cfg->keys;
	for (digits = 1, k = nkeys - 1; k >= 10; k /= 10)
		digits++;
	if (prof == &kv_usr && digits + 1 > 19) {
		fprintf(stderr, "ix_load: -k %llu is too many keys for 19-byte USR keys\n",
			(unsigned long long)nkeys);
		return -EINVAL;
	}
	kv_pat = malloc(KV_VALUE_MAX + 256);
	if (!kv_pat)
		return -ENOMEM;
	for (i = 0; i < KV_VALUE_MAX + 256; i++)
		kv_pat[i] = 'a' + rng_next(&seed) % 26;
	return 0;
}

void kv_fini(void)
{
	free(kv_pat);
	kv_pat = NULL;
}

void kv_next(struct thr *t, struct req *r)
{
	r->op = rng_unit(&t->rng) < prof->get_ratio ? OP_GET : OP_SET;
	r->arg = (uint64_t)(((unsigned __int128)rng_next(&t->rng) * nkeys) >> 64);
}

/* Write key @k to @out (KV_KEY_MAX + 1 bytes); returns its length. */
size_t kv_key(uint64_t k, char *out)
{
	unsigned int len = prof->klen(hash_unit(k, SALT_KLEN));

	if (len < digits + 1)
		len = digits + 1;
	out[0] = prof->name[0];
	snprintf(out + 1, KV_KEY_MAX, "%0*llu", (int)len - 1,
		 (unsigned long long)k);
	return len;
}

unsigned int kv_vlen(uint64_t k)
{
	return prof->vlen(hash_unit(k, SALT_VLEN));
}

/* The value of key @k: kv_vlen(k) bytes. */
const char *kv_value(uint64_t k)
{
	return kv_pat + (rng_next(&(uint64_t){ k ^ SALT_VOFF }) & 255);
}
