// SPDX-License-Identifier: GPL-2.0
/*
 * memcached's binary protocol: GET (opcode 0x00) and SET (0x01, 8 bytes
 * of extras: flags 0, expiry 0), each with a 24-byte header whose opaque
 * field carries the low 32 bits of the key index and must come back.
 */

#include <arpa/inet.h>
#include <string.h>

#include "kv.h"
#include "workload.h"

#define BIN_REQ		0x80
#define BIN_RES		0x81
#define BIN_GET		0x00
#define BIN_SET		0x01
#define BIN_HDR		24
#define BIN_OK		0x0000
#define BIN_ENOENT	0x0001
#define VALUE_SANE	(4 * KV_VALUE_MAX)

static int mcb_init(struct cfg *cfg)
{
	return kv_init(cfg);
}

static void mcb_next(struct thr *t, struct conn *c, struct req *r)
{
	(void)c;
	kv_next(t, r);
}

static void put16(char *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, 2);
}

static void put32(char *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint16_t get16(const char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return ntohs(v);
}

static uint32_t get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static int mcb_build(struct thr *t, struct conn *c, const struct req *r)
{
	unsigned int vlen = r->op == OP_SET ? kv_vlen(r->arg) : 0;
	unsigned int ext = r->op == OP_SET ? 8 : 0;
	char key[KV_KEY_MAX + 1];
	size_t klen = kv_key(r->arg, key);
	char *p;
	int err;

	(void)t;
	err = buf_reserve(&c->out, BIN_HDR + ext + klen + vlen);
	if (err)
		return err;
	p = buf_tail(&c->out);
	memset(p, 0, BIN_HDR + ext);
	p[0] = BIN_REQ;
	p[1] = r->op == OP_SET ? BIN_SET : BIN_GET;
	put16(p + 2, klen);
	p[4] = ext;
	put32(p + 8, ext + klen + vlen);
	put32(p + 12, (uint32_t)r->arg);
	memcpy(p + BIN_HDR + ext, key, klen);
	if (vlen)
		memcpy(p + BIN_HDR + ext + klen, kv_value(r->arg), vlen);
	c->out.len += BIN_HDR + ext + klen + vlen;
	return 0;
}

static int mcb_hit(const struct cfg *cfg, const struct req *r,
		   const char *p, uint32_t body)
{
	uint32_t skip = (uint8_t)p[4] + get16(p + 2);

	if (skip > body)
		return RES_VERIFY;
	if (cfg->verify && (kv_vlen(r->arg) != body - skip ||
			    memcmp(kv_value(r->arg), p + BIN_HDR + skip,
				   body - skip)))
		return RES_VERIFY;
	return RES_HIT;
}

static long mcb_parse(const struct cfg *cfg, const struct req *r,
		      const char *p, size_t len, size_t *need, int *res)
{
	uint32_t body;
	uint16_t status;

	if (len < BIN_HDR) {
		*need = BIN_HDR;
		return 0;
	}
	if ((uint8_t)p[0] != BIN_RES ||
	    p[1] != (r->op == OP_SET ? BIN_SET : BIN_GET))
		return -1;
	body = get32(p + 8);
	if (body > VALUE_SANE)
		return -1;
	if (len < BIN_HDR + body) {
		*need = BIN_HDR + body;
		return 0;
	}
	if (get32(p + 12) != (uint32_t)r->arg)
		return -1;
	status = get16(p + 6);
	if (status == BIN_OK)
		*res = r->op == OP_SET ? RES_OK : mcb_hit(cfg, r, p, body);
	else if (status == BIN_ENOENT && r->op == OP_GET)
		*res = RES_MISS;
	else
		*res = RES_SERVER;
	return BIN_HDR + body;
}

const struct workload wl_mc_bin = {
	.name	= "memcached-binary",
	.kv	= true,
	.init	= mcb_init,
	.fini	= kv_fini,
	.next	= mcb_next,
	.build	= mcb_build,
	.parse	= mcb_parse,
};
