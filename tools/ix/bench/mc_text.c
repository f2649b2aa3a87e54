// SPDX-License-Identifier: GPL-2.0
/*
 * memcached's text protocol: "get <key>" and "set <key> 0 0 <bytes>",
 * answered by "VALUE <key> <flags> <bytes>" + data + "END", "END" alone
 * (a miss), "STORED", or an error line.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "util.h"
#include "workload.h"

#define LINE_MAX_LEN	(KV_KEY_MAX + 128)
#define VALUE_SANE	(4 * KV_VALUE_MAX)

static int mct_init(struct cfg *cfg)
{
	return kv_init(cfg);
}

static void mct_next(struct thr *t, struct conn *c, struct req *r)
{
	(void)c;
	kv_next(t, r);
}

static int mct_build(struct thr *t, struct conn *c, const struct req *r)
{
	unsigned int vlen = r->op == OP_SET ? kv_vlen(r->arg) : 0;
	char key[KV_KEY_MAX + 1];
	size_t klen = kv_key(r->arg, key);
	char *p;
	int err;

	(void)t;
	err = buf_reserve(&c->out, klen + vlen + 64);
	if (err)
		return err;
	p = buf_tail(&c->out);
	memcpy(p, r->op == OP_SET ? "set " : "get ", 4);
	memcpy(p + 4, key, klen);
	p += 4 + klen;
	if (r->op == OP_SET) {
		p += sprintf(p, " 0 0 %u\r\n", vlen);
		memcpy(p, kv_value(r->arg), vlen);
		p += vlen;
	}
	memcpy(p, "\r\n", 2);
	c->out.len = p + 2 - c->out.p;
	return 0;
}

static bool starts(const char *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(p, word, n);
}

static bool error_line(const char *p, size_t len)
{
	return starts(p, len, "ERROR") || starts(p, len, "SERVER_ERROR") ||
	       starts(p, len, "CLIENT_ERROR") || starts(p, len, "NOT_STORED");
}

/* Check a VALUE line's key and data against what key r->arg holds. */
static int mct_check(const struct req *r, const char *key, size_t klen,
		     const char *data, size_t bytes)
{
	char want[KV_KEY_MAX + 1];

	if (kv_key(r->arg, want) != klen || memcmp(want, key, klen) ||
	    kv_vlen(r->arg) != bytes || memcmp(kv_value(r->arg), data, bytes))
		return RES_VERIFY;
	return RES_HIT;
}

static long mct_value(const struct cfg *cfg, const struct req *r,
		      const char *p, size_t len, size_t line, size_t *need,
		      int *res)
{
	const char *key = p + 6, *sp, *end;
	unsigned long long bytes;
	size_t total;

	sp = memchr(key, ' ', line - 6);
	if (!sp || sp == key)
		return -1;
	strtoul(sp + 1, (char **)&end, 10);		/* flags */
	if (end == sp + 1 || *end != ' ')
		return -1;
	bytes = strtoull(end + 1, (char **)&end, 10);
	if (bytes > VALUE_SANE || (*end != '\r' && *end != ' '))
		return -1;
	total = line + bytes + 7;
	if (len < total) {
		*need = total;
		return 0;
	}
	if (memcmp(p + line + bytes, "\r\nEND\r\n", 7))
		return -1;
	*res = RES_HIT;
	if (cfg->verify)
		*res = mct_check(r, key, sp - key, p + line, bytes);
	return total;
}

static long mct_parse(const struct cfg *cfg, const struct req *r,
		      const char *p, size_t len, size_t *need, int *res)
{
	const char *nl = memchr(p, '\n', MIN(len, LINE_MAX_LEN));
	size_t line;

	if (!nl)
		return len >= LINE_MAX_LEN ? -1 : 0;
	line = nl - p + 1;
	if (line < 2 || nl[-1] != '\r')
		return -1;
	if (error_line(p, line)) {
		*res = RES_SERVER;
		return line;
	}
	if (r->op == OP_SET) {
		if (!starts(p, line, "STORED\r\n"))
			return -1;
		*res = RES_OK;
		return line;
	}
	if (starts(p, line, "END\r\n")) {
		*res = RES_MISS;
		return line;
	}
	if (!starts(p, line, "VALUE "))
		return -1;
	return mct_value(cfg, r, p, len, line, need, res);
}

const struct workload wl_mc_text = {
	.name	= "memcached",
	.kv	= true,
	.init	= mct_init,
	.fini	= kv_fini,
	.next	= mct_next,
	.build	= mct_build,
	.parse	= mct_parse,
};
