// SPDX-License-Identifier: GPL-2.0
/*
 * The echo workload: fixed-size messages, each answered by the same
 * bytes.  A message starts with its 64-bit sequence number on the
 * connection (when it has room for one) and goes on with a window of
 * random bytes chosen by that number, so a lost, repeated, reordered or
 * damaged byte fails the check.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

#define ECHO_MAX	(1024 * 1024)

static char *echo_pat;
static unsigned int echo_size;

static int echo_init(struct cfg *cfg)
{
	uint64_t seed = 0x6563686f70617431ULL;
	unsigned int i;

	if (!cfg->size || cfg->size > ECHO_MAX) {
		fprintf(stderr, "ix_load: echo size must be 1 to %u bytes\n",
			ECHO_MAX);
		return -EINVAL;
	}
	echo_size = cfg->size;
	echo_pat = malloc(echo_size + 256);
	if (!echo_pat)
		return -ENOMEM;
	for (i = 0; i < echo_size + 256; i++)
		echo_pat[i] = rng_next(&seed);
	return 0;
}

static void echo_fini(void)
{
	free(echo_pat);
	echo_pat = NULL;
}

static void echo_next(struct thr *t, struct conn *c, struct req *r)
{
	(void)t;
	r->op = OP_ECHO;
	r->arg = c->seq++;
}

static size_t echo_head(const struct req *r)
{
	return echo_size >= sizeof(r->arg) ? sizeof(r->arg) : 0;
}

static int echo_build(struct thr *t, struct conn *c, const struct req *r)
{
	size_t head = echo_head(r);
	char *p;
	int err;

	(void)t;
	err = buf_reserve(&c->out, echo_size);
	if (err)
		return err;
	p = buf_tail(&c->out);
	memcpy(p, &r->arg, head);
	memcpy(p + head, echo_pat + (r->arg & 255), echo_size - head);
	c->out.len += echo_size;
	return 0;
}

static long echo_parse(const struct cfg *cfg, const struct req *r,
		       const char *p, size_t len, size_t *need, int *res)
{
	size_t head = echo_head(r);

	if (len < echo_size) {
		*need = echo_size;
		return 0;
	}
	*res = RES_OK;
	if (cfg->verify &&
	    (memcmp(p, &r->arg, head) ||
	     memcmp(p + head, echo_pat + (r->arg & 255), echo_size - head)))
		*res = RES_VERIFY;
	return echo_size;
}

const struct workload wl_echo = {
	.name	= "echo",
	.init	= echo_init,
	.fini	= echo_fini,
	.next	= echo_next,
	.build	= echo_build,
	.parse	= echo_parse,
};
