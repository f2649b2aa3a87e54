// SPDX-License-Identifier: GPL-2.0
/*
 * kv_bin: the memcached binary protocol.
 *
 * A request is a 24-byte header, then extras, key and value.  The header
 * and the extras and key (at most KV_BIN_BODY_MAX bytes) are used in
 * place when they arrived whole, else gathered; a value is read straight
 * into its item.  A request whose shape is wrong for its command gets
 * "Invalid arguments" and ends the connection, as in memcached (the
 * framing cannot be trusted after it); an unknown command gets "Unknown
 * command" and its body is skipped.
 */

#include <stdio.h>
#include <string.h>

#include "kv.h"

enum {
	OP_GET		= 0x00,
	OP_SET		= 0x01,
	OP_ADD		= 0x02,
	OP_REPLACE	= 0x03,
	OP_DELETE	= 0x04,
	OP_INCR		= 0x05,
	OP_DECR		= 0x06,
	OP_QUIT		= 0x07,
	OP_FLUSH	= 0x08,
	OP_GETQ		= 0x09,
	OP_NOOP		= 0x0a,
	OP_VERSION	= 0x0b,
	OP_GETK		= 0x0c,
	OP_GETKQ	= 0x0d,
	OP_APPEND	= 0x0e,
	OP_PREPEND	= 0x0f,
	OP_STAT		= 0x10,
	OP_SETQ		= 0x11,
	OP_ADDQ		= 0x12,
	OP_REPLACEQ	= 0x13,
	OP_DELETEQ	= 0x14,
	OP_INCRQ	= 0x15,
	OP_DECRQ	= 0x16,
	OP_QUITQ	= 0x17,
	OP_FLUSHQ	= 0x18,
	OP_APPENDQ	= 0x19,
	OP_PREPENDQ	= 0x1a,
	OP_VERBOSITY	= 0x1b,
	OP_TOUCH	= 0x1c,
	OP_GAT		= 0x1d,
	OP_GATQ		= 0x1e,
	OP_GATK		= 0x23,
	OP_GATKQ	= 0x24,
};

enum {
	ST_OK		= 0x0000,
	ST_NOT_FOUND	= 0x0001,
	ST_EXISTS	= 0x0002,
	ST_TOO_LARGE	= 0x0003,
	ST_EINVAL	= 0x0004,
	ST_NOT_STORED	= 0x0005,
	ST_NON_NUMERIC	= 0x0006,
	ST_UNKNOWN	= 0x0081,
	ST_NO_MEMORY	= 0x0082,
};

#define KEY_NONE	0
#define KEY_NEEDED	1
#define KEY_MAYBE	2

/**
 * struct bin_op - the shape of a command's requests
 * @known: a command we serve
 * @ext: extras bytes it may have
 * @ext_alt: the other length it may have (flush: 0 or 4)
 * @key: KEY_*
 * @value: it may carry a value
 * @quiet: it answers only misses (gets) or errors (the rest)
 * @base: the command it is a variant of (quiet, with key, touching)
 */
struct bin_op {
	bool	known;
	uint8_t	ext;
	uint8_t	ext_alt;
	uint8_t	key;
	bool	value;
	bool	quiet;
	uint8_t	base;
};

#define OP(op, lo, hi, k, v, q, b) \
	[op] = { true, lo, hi, k, v, q, b }

static const struct bin_op bin_ops[256] = {
	OP(OP_GET,	 0,  0, KEY_NEEDED, false, false, OP_GET),
	OP(OP_GETQ,	 0,  0, KEY_NEEDED, false, true,  OP_GET),
	OP(OP_GETK,	 0,  0, KEY_NEEDED, false, false, OP_GET),
	OP(OP_GETKQ,	 0,  0, KEY_NEEDED, false, true,  OP_GET),
	OP(OP_GAT,	 4,  4, KEY_NEEDED, false, false, OP_GET),
	OP(OP_GATQ,	 4,  4, KEY_NEEDED, false, true,  OP_GET),
	OP(OP_GATK,	 4,  4, KEY_NEEDED, false, false, OP_GET),
	OP(OP_GATKQ,	 4,  4, KEY_NEEDED, false, true,  OP_GET),
	OP(OP_TOUCH,	 4,  4, KEY_NEEDED, false, false, OP_GET),
	OP(OP_SET,	 8,  8, KEY_NEEDED, true,  false, OP_SET),
	OP(OP_SETQ,	 8,  8, KEY_NEEDED, true,  true,  OP_SET),
	OP(OP_ADD,	 8,  8, KEY_NEEDED, true,  false, OP_ADD),
	OP(OP_ADDQ,	 8,  8, KEY_NEEDED, true,  true,  OP_ADD),
	OP(OP_REPLACE,	 8,  8, KEY_NEEDED, true,  false, OP_REPLACE),
	OP(OP_REPLACEQ,	 8,  8, KEY_NEEDED, true,  true,  OP_REPLACE),
	OP(OP_APPEND,	 0,  0, KEY_NEEDED, true,  false, OP_APPEND),
	OP(OP_APPENDQ,	 0,  0, KEY_NEEDED, true,  true,  OP_APPEND),
	OP(OP_PREPEND,	 0,  0, KEY_NEEDED, true,  false, OP_PREPEND),
	OP(OP_PREPENDQ,	 0,  0, KEY_NEEDED, true,  true,  OP_PREPEND),
	OP(OP_DELETE,	 0,  0, KEY_NEEDED, false, false, OP_DELETE),
	OP(OP_DELETEQ,	 0,  0, KEY_NEEDED, false, true,  OP_DELETE),
	OP(OP_INCR,	20, 20, KEY_NEEDED, false, false, OP_INCR),
	OP(OP_INCRQ,	20, 20, KEY_NEEDED, false, true,  OP_INCR),
	OP(OP_DECR,	20, 20, KEY_NEEDED, false, false, OP_INCR),
	OP(OP_DECRQ,	20, 20, KEY_NEEDED, false, true,  OP_INCR),
	OP(OP_QUIT,	 0,  0, KEY_NONE,   false, false, OP_QUIT),
	OP(OP_QUITQ,	 0,  0, KEY_NONE,   false, true,  OP_QUIT),
	OP(OP_FLUSH,	 0,  4, KEY_NONE,   false, false, OP_FLUSH),
	OP(OP_FLUSHQ,	 0,  4, KEY_NONE,   false, true,  OP_FLUSH),
	OP(OP_NOOP,	 0,  0, KEY_NONE,   false, false, OP_NOOP),
	OP(OP_VERSION,	 0,  0, KEY_NONE,   false, false, OP_VERSION),
	OP(OP_STAT,	 0,  0, KEY_MAYBE,  false, false, OP_STAT),
	OP(OP_VERBOSITY, 4,  4, KEY_NONE,   false, false, OP_VERBOSITY),
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

/* A response header and its extras and key; the value follows. */
static void respond(struct kv_conn *c, uint16_t status, const void *ext,
		    uint8_t extlen, const void *key, uint16_t keylen,
		    uint32_t vlen, uint64_t cas)
{
	uint8_t h[KV_BIN_HDR];

	h[0] = 0x81;
	h[1] = c->req.opcode;
	h[2] = keylen >> 8;
	h[3] = keylen;
	h[4] = extlen;
	h[5] = 0;
	h[6] = status >> 8;
	h[7] = status;
	put32(h + 8, extlen + keylen + vlen);
	put32(h + 12, c->req.opaque);
	put64(h + 16, cas);
	kv_out(c, h, sizeof(h));
	kv_out(c, ext, extlen);
	kv_out(c, key, keylen);
}

static void bin_error(struct kv_conn *c, uint16_t status)
{
	const char *msg;

	switch (status) {
	case ST_NOT_FOUND:
		msg = "Not found";
		break;
	case ST_EXISTS:
		msg = "Data exists for key.";
		break;
	case ST_TOO_LARGE:
		msg = "Too large.";
		break;
	case ST_EINVAL:
		msg = "Invalid arguments";
		break;
	case ST_NOT_STORED:
		msg = "Not stored.";
		break;
	case ST_NON_NUMERIC:
		msg = "Non-numeric server-side value for incr or decr";
		break;
	case ST_UNKNOWN:
		msg = "Unknown command";
		break;
	default:
		msg = "Out of memory";
		break;
	}
	respond(c, status, NULL, 0, NULL, 0, strlen(msg), 0);
	kv_outs(c, msg);
}

/* A bad request: the stream cannot be trusted, end the connection. */
static void protocol_error(struct kv_conn *c)
{
	bin_error(c, ST_EINVAL);
	c->closing = true;
}

static bool quiet(const struct kv_conn *c)
{
	return bin_ops[c->req.opcode].quiet;
}

/* Success: answered unless quiet; the value, if any, follows. */
static void ok(struct kv_conn *c, uint64_t cas)
{
	if (!quiet(c))
		respond(c, ST_OK, NULL, 0, NULL, 0, 0, cas);
}

static void cmd_get(struct kv_conn *c, const char *key, uint16_t nkey,
		    const uint8_t *ext)
{
	uint8_t op = c->req.opcode, flags[4];
	struct kv_store *s = c->store;
	bool with_key = op == OP_GETK || op == OP_GETKQ || op == OP_GATK ||
		op == OP_GATKQ;
	bool touch = c->req.extlen == 4;
	struct kv_item *it;

	if (touch) {
		s->stats.cmd_touch++;
		it = kv_touch(s, key, nkey, kv_exptime(s, get32(ext)));
	} else {
		it = kv_find(s, key, nkey);
	}
	if (op != OP_TOUCH)
		s->stats.cmd_get++;
	if (!it) {
		s->stats.touch_misses += touch;
		s->stats.get_misses += op != OP_TOUCH;
		if (quiet(c))
			return;
		if (with_key)
			respond(c, ST_NOT_FOUND, NULL, 0, key, nkey, 0, 0);
		else
			bin_error(c, ST_NOT_FOUND);
		return;
	}
	s->stats.touch_hits += touch;
	s->stats.get_hits += op != OP_TOUCH;
	put32(flags, it->flags);
	if (op == OP_TOUCH) {
		respond(c, ST_OK, flags, 4, NULL, 0, 0, it->cas);
		return;
	}
	respond(c, ST_OK, flags, 4, with_key ? key : NULL,
		with_key ? nkey : 0, it->nbytes, it->cas);
	kv_out_item(c, it, 0, it->nbytes);
}

/* A storage command's header is in: read its value into a new item. */
static void cmd_store(struct kv_conn *c, const char *key, uint16_t nkey,
		      const uint8_t *ext, uint32_t vlen)
{
	uint8_t base = bin_ops[c->req.opcode].base;
	struct kv_store *s = c->store;
	uint32_t flags = 0, exptime = 0;
	enum kv_status st;
	struct kv_item *it;

	if (c->req.extlen == 8) {
		flags = get32(ext);
		exptime = get32(ext + 4);
	}
	s->stats.cmd_set++;
	it = kv_item_new(s, key, nkey, flags, kv_exptime(s, exptime), vlen,
			 &st);
	if (!it) {
		if (st == KV_TOO_LARGE)
			s->stats.store_too_large++;
		else
			s->stats.store_no_memory++;
		bin_error(c, st == KV_TOO_LARGE ? ST_TOO_LARGE : ST_NO_MEMORY);
		if (base == OP_SET)
			kv_delete(s, key, nkey, 0);
		c->skip = vlen;
		c->state = vlen ? KV_ST_SWALLOW : KV_ST_BIN_HDR;
		return;
	}
	switch (base) {
	case OP_ADD:
		c->mode = KV_ADD;
		break;
	case OP_REPLACE:
		c->mode = KV_REPLACE;
		break;
	case OP_APPEND:
		c->mode = KV_APPEND;
		break;
	case OP_PREPEND:
		c->mode = KV_PREPEND;
		break;
	default:
		c->mode = KV_SET;
		break;
	}
	/* A cas makes set, add and replace a compare-and-swap. */
	if (c->req.cas && c->mode <= KV_REPLACE)
		c->mode = KV_CAS;
	c->cas = c->req.cas;
	c->item = it;
	c->item_got = 0;
	c->item_need = vlen;
	c->state = KV_ST_BIN_VALUE;
}

static void store_done(struct kv_conn *c)
{
	uint8_t base = bin_ops[c->req.opcode].base;
	struct kv_store *s = c->store;
	struct kv_item *it = c->item;
	enum kv_status st;

	st = kv_store_item(s, it, c->mode, c->cas);
	if (c->mode == KV_CAS) {
		if (st == KV_OK)
			s->stats.cas_hits++;
		else if (st == KV_EXISTS)
			s->stats.cas_badval++;
		else
			s->stats.cas_misses++;
	}
	switch (st) {
	case KV_OK:
		ok(c, it->cas);
		break;
	case KV_NOT_FOUND:
		bin_error(c, ST_NOT_FOUND);
		break;
	case KV_EXISTS:
		bin_error(c, ST_EXISTS);
		break;
	default:
		/* Not stored: why, as memcached tells it. */
		if (base == OP_ADD)
			bin_error(c, ST_EXISTS);
		else if (base == OP_REPLACE)
			bin_error(c, ST_NOT_FOUND);
		else
			bin_error(c, ST_NOT_STORED);
		break;
	}
	kv_item_put(s, it);
	c->item = NULL;
	c->state = KV_ST_BIN_HDR;
}

static void cmd_delete(struct kv_conn *c, const char *key, uint16_t nkey)
{
	enum kv_status st = kv_delete(c->store, key, nkey, c->req.cas);

	if (st == KV_OK) {
		c->store->stats.delete_hits++;
		ok(c, 0);
		return;
	}
	if (st == KV_NOT_FOUND)
		c->store->stats.delete_misses++;
	bin_error(c, st == KV_NOT_FOUND ? ST_NOT_FOUND : ST_EXISTS);
}

/* A missing counter, created with the initial value. */
static enum kv_status delta_create(struct kv_conn *c, const char *key,
				   uint16_t nkey, uint64_t v, uint32_t exptime,
				   uint64_t *cas)
{
	struct kv_store *s = c->store;
	enum kv_status st;
	struct kv_item *it;
	char buf[24];
	int len;

	len = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	it = kv_item_new(s, key, nkey, 0, kv_exptime(s, exptime), len, &st);
	if (!it)
		return KV_NO_MEMORY;
	memcpy(kv_item_value(it), buf, len);
	st = kv_store_item(s, it, KV_ADD, 0);
	*cas = it->cas;
	kv_item_put(s, it);
	return st;
}

static void cmd_delta(struct kv_conn *c, const char *key, uint16_t nkey,
		      const uint8_t *ext)
{
	bool incr = c->req.opcode == OP_INCR || c->req.opcode == OP_INCRQ;
	uint64_t delta = get64(ext), v = get64(ext + 8), cas;
	uint32_t exptime = get32(ext + 16);
	struct kv_store *s = c->store;
	enum kv_status st;
	uint8_t val[8];

	st = kv_delta(s, key, nkey, incr, delta, c->req.cas, &v, &cas);
	if (st == KV_NOT_FOUND) {
		if (incr)
			s->stats.incr_misses++;
		else
			s->stats.decr_misses++;
		/* 0xffffffff: fail rather than create. */
		if (exptime != 0xffffffff && !c->req.cas)
			st = delta_create(c, key, nkey, v, exptime, &cas);
	} else if (st == KV_OK) {
		if (incr)
			s->stats.incr_hits++;
		else
			s->stats.decr_hits++;
	}
	switch (st) {
	case KV_OK:
		if (quiet(c))
			return;
		put64(val, v);
		respond(c, ST_OK, NULL, 0, NULL, 0, 8, cas);
		kv_out(c, val, 8);
		return;
	case KV_NOT_FOUND:
		bin_error(c, ST_NOT_FOUND);
		return;
	case KV_EXISTS:
		bin_error(c, ST_EXISTS);
		return;
	case KV_NON_NUMERIC:
		bin_error(c, ST_NON_NUMERIC);
		return;
	default:
		bin_error(c, ST_NO_MEMORY);
		return;
	}
}

static void stat_packet(void *arg, const char *name, const char *val)
{
	struct kv_conn *c = arg;
	size_t n = strlen(name), v = strlen(val);

	respond(c, ST_OK, NULL, 0, name, n, v, 0);
	kv_out(c, val, v);
}

static void cmd_stat(struct kv_conn *c, const char *key, uint16_t nkey)
{
	if (nkey && (nkey != 5 || memcmp(key, "reset", 5))) {
		bin_error(c, ST_NOT_FOUND);
		return;
	}
	if (nkey)
		kv_stats_reset(c->store);
	else
		kv_stats_each(c->store, stat_packet, c);
	respond(c, ST_OK, NULL, 0, NULL, 0, 0, 0);
}

/* Run a request whose extras and key are at @body. */
static void execute(struct kv_conn *c, const uint8_t *body)
{
	const struct kv_bin_req *r = &c->req;
	const char *key = (const char *)body + r->extlen;
	uint32_t vlen = r->bodylen - r->extlen - r->keylen;

	c->state = KV_ST_BIN_HDR;
	switch (bin_ops[r->opcode].base) {
	case OP_GET:
		cmd_get(c, key, r->keylen, body);
		break;
	case OP_SET:
	case OP_ADD:
	case OP_REPLACE:
	case OP_APPEND:
	case OP_PREPEND:
		cmd_store(c, key, r->keylen, body, vlen);
		if (c->item && !vlen)
			store_done(c);
		break;
	case OP_DELETE:
		cmd_delete(c, key, r->keylen);
		break;
	case OP_INCR:
		cmd_delta(c, key, r->keylen, body);
		break;
	case OP_QUIT:
		ok(c, 0);
		c->closing = true;
		break;
	case OP_FLUSH:
		c->store->stats.cmd_flush++;
		kv_flush(c->store, r->extlen ? get32(body) : 0);
		ok(c, 0);
		break;
	case OP_VERSION:
		respond(c, ST_OK, NULL, 0, NULL, 0, strlen(KV_VERSION), 0);
		kv_outs(c, KV_VERSION);
		break;
	case OP_STAT:
		cmd_stat(c, key, r->keylen);
		break;
	default:	/* noop, verbosity */
		ok(c, 0);
		break;
	}
}

/* Is the request's shape right for its command? */
static bool valid(const struct kv_bin_req *r, const struct bin_op *op)
{
	uint32_t vlen = r->bodylen - r->extlen - r->keylen;

	if (r->extlen != op->ext && r->extlen != op->ext_alt)
		return false;
	if ((op->key == KEY_NEEDED && !r->keylen) ||
	    (op->key == KEY_NONE && r->keylen))
		return false;
	return op->value || !vlen;
}

static void header_done(struct kv_conn *c, const uint8_t *h)
{
	struct kv_bin_req *r = &c->req;

	if (h[0] != 0x80) {
		/* Not a request: nothing sensible to answer. */
		c->closing = true;
		return;
	}
	r->opcode = h[1];
	r->keylen = h[2] << 8 | h[3];
	r->extlen = h[4];
	r->bodylen = get32(h + 8);
	r->opaque = get32(h + 12);
	r->cas = get64(h + 16);
	if (r->keylen > KV_KEY_MAX ||
	    (uint64_t)r->extlen + r->keylen > r->bodylen) {
		protocol_error(c);
		return;
	}
	if (!bin_ops[r->opcode].known) {
		bin_error(c, ST_UNKNOWN);
		c->skip = r->bodylen;
		c->state = r->bodylen ? KV_ST_SWALLOW : KV_ST_BIN_HDR;
		return;
	}
	if (!valid(r, &bin_ops[r->opcode])) {
		protocol_error(c);
		return;
	}
	c->body_len = 0;
	c->state = KV_ST_BIN_BODY;
	if (!r->extlen && !r->keylen)
		execute(c, c->body);
}

static size_t gather(uint8_t *buf, size_t have, size_t want,
		     const uint8_t *p, size_t len)
{
	size_t k = want - have < len ? want - have : len;

	memcpy(buf + have, p, k);
	return k;
}

static size_t read_header(struct kv_conn *c, const uint8_t *p, size_t len)
{
	size_t k;

	if (!c->hdr_len && len >= KV_BIN_HDR) {
		header_done(c, p);
		return KV_BIN_HDR;
	}
	k = gather(c->hdr, c->hdr_len, KV_BIN_HDR, p, len);
	c->hdr_len += k;
	if (c->hdr_len == KV_BIN_HDR) {
		c->hdr_len = 0;
		header_done(c, c->hdr);
	}
	return k;
}

static size_t read_body(struct kv_conn *c, const uint8_t *p, size_t len)
{
	size_t want = c->req.extlen + c->req.keylen, k;

	if (!c->body_len && len >= want) {
		execute(c, p);
		return want;
	}
	k = gather(c->body, c->body_len, want, p, len);
	c->body_len += k;
	if (c->body_len == want)
		execute(c, c->body);
	return k;
}

/**
 * kv_bin_input() - binary protocol bytes
 * @c: the connection
 * @p: the bytes
 * @len: how many
 *
 * Return: how many were used.  0 only if the state changed or it needs
 * more input.
 */
size_t kv_bin_input(struct kv_conn *c, const uint8_t *p, size_t len)
{
	size_t n;

	if (!len)
		return 0;
	switch (c->state) {
	case KV_ST_BIN_BODY:
		return read_body(c, p, len);
	case KV_ST_BIN_VALUE:
		n = kv_conn_fill(c, p, len);
		if (c->item_got == c->item_need)
			store_done(c);
		return n;
	case KV_ST_SWALLOW:
		n = c->skip < len ? c->skip : len;
		c->skip -= n;
		if (!c->skip)
			c->state = KV_ST_BIN_HDR;
		return n;
	default:
		return read_header(c, p, len);
	}
}
