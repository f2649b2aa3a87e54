// SPDX-License-Identifier: GPL-2.0
/*
 * kv_test_proto: the protocols through kv_conn_input(), whole and split
 * at every byte, pipelined, with output backing up, and on hostile
 * input.  The expected replies are memcached 1.6's (checked against it
 * by hand for each case).
 */

#include <stdlib.h>
#include <string.h>

#include "kv_test.h"

#define K251 "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" \
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" \
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" \
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" \
	"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"

static const struct {
	const char	*in;
	const char	*out;
} text_cases[] = {
	{ "set a 5 0 3\r\nabc\r\nget a\r\ngets a\r\n",
	  "STORED\r\nVALUE a 5 3\r\nabc\r\nEND\r\nVALUE a 5 3 1\r\nabc\r\nEND\r\n" },
	{ "set a 0 0 1\r\n1\r\nset b 0 0 1\r\n2\r\nget a x  b \r\n",
	  "STORED\r\nSTORED\r\nVALUE a 0 1\r\n1\r\nVALUE b 0 1\r\n2\r\nEND\r\n" },
	{ "add a 0 0 1\r\nx\r\nadd a 0 0 1\r\ny\r\nreplace b 0 0 1\r\ny\r\n"
	  "append a 0 0 2\r\nzz\r\nprepend a 0 0 1\r\nw\r\ngets a\r\n"
	  "cas a 0 0 1 99\r\nq\r\ncas a 0 0 1 3\r\nq\r\n"
	  "cas nope 0 0 1 1\r\nq\r\nget a\r\n",
	  "STORED\r\nNOT_STORED\r\nNOT_STORED\r\nSTORED\r\nSTORED\r\n"
	  "VALUE a 0 4 3\r\nwxzz\r\nEND\r\nEXISTS\r\nSTORED\r\nNOT_FOUND\r\n"
	  "VALUE a 0 1\r\nq\r\nEND\r\n" },
	{ "set n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 100\r\n"
	  "incr n 18446744073709551615\r\nincr n 2\r\nincr x 1\r\n"
	  "incr n abc\r\nincr n -1\r\nset s 0 0 1\r\na\r\nincr s 1\r\n"
	  "get n\r\n",
	  "STORED\r\n15\r\n0\r\n18446744073709551615\r\n1\r\nNOT_FOUND\r\n"
	  "CLIENT_ERROR invalid numeric delta argument\r\n"
	  "CLIENT_ERROR invalid numeric delta argument\r\nSTORED\r\n"
	  "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"
	  "VALUE n 0 1\r\n1\r\nEND\r\n" },
	{ "set k 0 0 1\r\nx\r\ntouch k 10\r\ntouch z 10\r\ngat 0 k z\r\n"
	  "gats 0 k\r\ngat k\r\ngat 10\r\ngat\r\ndelete k 5\r\ndelete k\r\n"
	  "delete k\r\n",
	  "STORED\r\nTOUCHED\r\nNOT_FOUND\r\nVALUE k 0 1\r\nx\r\nEND\r\n"
	  "VALUE k 0 1 1\r\nx\r\nEND\r\n"
	  "CLIENT_ERROR invalid exptime argument\r\nEND\r\nERROR\r\n"
	  "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"
	  "DELETED\r\nNOT_FOUND\r\n" },
	{ "set k 0 0 1 noreply\r\nx\r\nadd k 0 0 1 noreply\r\ny\r\n"
	  "incr k 1 noreply\r\ndelete k noreply\r\nflush_all noreply\r\n"
	  "verbosity 1 noreply\r\nset k 0 0 2 noreply\r\nabcd\r\nget k\r\n",
	  "ERROR\r\nEND\r\n" },
	{ "bogus\r\n\r\nset k 0 0 abc\r\nset k 0 0 -1\r\nGET k\r\nget\r\n"
	  "set k 0 0 1 2 3\r\nincr k\r\nverbosity\r\n",
	  "ERROR\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n"
	  "CLIENT_ERROR bad command line format\r\nERROR\r\nERROR\r\n"
	  "ERROR\r\nERROR\r\nERROR\r\n" },
	{ "set k 0 0 3\r\nabcdefgh\r\nget k\r\n",
	  "CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n" },
	{ "set " K251 " 0 0 1\r\nx\r\nget " K251 "\r\nget k " K251 " k\r\n"
	  "delete " K251 "\r\nversion\r\n",
	  "CLIENT_ERROR bad command line format\r\nERROR\r\n"
	  "CLIENT_ERROR bad command line format\r\n"
	  "CLIENT_ERROR bad command line format\r\n"
	  "CLIENT_ERROR bad command line format\r\nVERSION " KV_VERSION "\r\n" },
	{ "set k 0 0 1\nx\r\nget k\nflush_all\r\nget k\r\n"
	  "set k 0 -1 1\r\nx\r\nget k\r\n",
	  "STORED\r\nVALUE k 0 1\r\nx\r\nEND\r\nOK\r\nEND\r\nSTORED\r\nEND\r\n" },
	{ "flush_all 10\r\nflush_all abc\r\nflush_all 0 noreply\r\n"
	  "stats reset\r\nstats nope\r\nversion\r\nquit\r\nversion\r\n",
	  "OK\r\nCLIENT_ERROR invalid exptime argument\r\nRESET\r\nERROR\r\n"
	  "VERSION " KV_VERSION "\r\n" },
};

static void expect(struct kv_run *r, const char *out, const char *what,
		   size_t at)
{
	if (r->len == strlen(out) && !memcmp(r->out, out, r->len))
		return;
	fprintf(stderr, "%s (at %zu): got:\n%.*s\nwanted:\n%s\n", what, at,
		(int)r->len, r->out, out);
	kv_test_failed++;
}

/* Run @in on a fresh store, cut at @cuts. */
static void run_fresh(struct kv_run *r, const void *in, size_t len,
		      const size_t *cuts, unsigned int ncuts)
{
	struct kv_store s;

	kv_test_store(&s, 64 << 20);
	kv_run_feed(&s, r, in, len, cuts, ncuts);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

void test_text(void)
{
	struct kv_run r;
	struct kv_store s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(text_cases); i++) {
		run_fresh(&r, text_cases[i].in, strlen(text_cases[i].in),
			  NULL, 0);
		expect(&r, text_cases[i].out, text_cases[i].in, 0);
		kv_run_free(&r);
	}
	/* The last case quits: the connection is over. */
	run_fresh(&r, "quit\r\nversion\r\n", 15, NULL, 0);
	CHECK(r.done && r.len == 0);
	kv_run_free(&r);

	kv_test_store(&s, 64 << 20);
	kv_run_feed(&s, &r, "set k 0 0 5\r\nhello\r\nget k\r\nstats\r\n", 34,
		    NULL, 0);
	CHECK(strstr(r.out, "STAT curr_items 1\r\n"));
	CHECK(strstr(r.out, "STAT get_hits 1\r\n"));
	CHECK(strstr(r.out, "STAT cmd_set 1\r\n"));
	CHECK(strstr(r.out, "STAT curr_connections 1\r\n"));
	CHECK(r.len > 5 && !strcmp(r.out + r.len - 5, "END\r\n"));
	kv_run_free(&r);
	kv_store_destroy(&s);
}

/* Each small case cut at every byte, in two and into single bytes. */
void test_text_splits(void)
{
	size_t len, k, cuts[4096];
	unsigned int i, j;
	struct kv_run r;

	for (i = 0; i < ARRAY_SIZE(text_cases); i++) {
		len = strlen(text_cases[i].in);
		for (k = 1; k < len; k++) {
			run_fresh(&r, text_cases[i].in, len, &k, 1);
			expect(&r, text_cases[i].out, text_cases[i].in, k);
			kv_run_free(&r);
		}
		for (k = 1; k < len && k <= 4096; k++)
			cuts[k - 1] = k;
		run_fresh(&r, text_cases[i].in, len, cuts, k - 1);
		expect(&r, text_cases[i].out, text_cases[i].in, 1);
		kv_run_free(&r);
		/* And at random places, three at a time. */
		srand(i);
		for (j = 0; j < 200; j++) {
			cuts[0] = rand() % len;
			cuts[1] = cuts[0] + rand() % (len - cuts[0]);
			cuts[2] = cuts[1] + rand() % (len - cuts[1]);
			run_fresh(&r, text_cases[i].in, len, cuts, 3);
			expect(&r, text_cases[i].out, text_cases[i].in,
			       cuts[0]);
			kv_run_free(&r);
		}
	}
}

/* A get line far longer than a command line may be. */
void test_get_stream(void)
{
	size_t len = 0, wlen = 0, k, cuts[3];
	char *in = malloc(64 << 10), *want = malloc(64 << 10);
	struct kv_store s;
	struct kv_run r;
	int i;

	kv_test_store(&s, 64 << 20);
	for (i = 0; i < 500; i += 3) {
		len = snprintf(in, 64, "set key%d 0 0 %d\r\n%d\r\n", i,
			       i < 10 ? 1 : i < 100 ? 2 : 3, i);
		kv_run_feed(&s, &r, in, len, NULL, 0);
		kv_run_free(&r);
	}
	len = sprintf(in, "get");
	for (i = 0; i < 1000; i++) {
		len += sprintf(in + len, " key%d", i % 500);
		if (i % 500 % 3 == 0)
			wlen += sprintf(want + wlen, "VALUE key%d 0 %d\r\n%d\r\n",
					i % 500, i % 500 < 10 ? 1 :
					i % 500 < 100 ? 2 : 3, i % 500);
	}
	len += sprintf(in + len, "\r\nversion\r\n");
	wlen += sprintf(want + wlen, "END\r\nVERSION " KV_VERSION "\r\n");
	CHECK(len > 3 * KV_LINE_MAX);
	for (k = 0; k + 3 < len; k += k < 8 ? 1 : 7) {
		cuts[0] = k;
		cuts[1] = k + (len - 3 - k) / 2;
		cuts[2] = len - 3;
		kv_run_feed(&s, &r, in, len, cuts, k ? 3 : 0);
		expect(&r, want, "long get line", k);
		kv_run_free(&r);
	}
	/* A too long key in it: an error, and the line is dropped. */
	len = sprintf(in, "get key0 %s key3\r\nget key3\r\n", K251);
	for (k = 0; k < len; k++) {
		kv_run_feed(&s, &r, in, len, &k, 1);
		expect(&r, "VALUE key0 0 1\r\n0\r\n"
		       "CLIENT_ERROR bad command line format\r\n"
		       "VALUE key3 0 1\r\n3\r\nEND\r\n", "long key", k);
		kv_run_free(&r);
	}
	kv_store_destroy(&s);
	free(in);
	free(want);
}

/* Output that is not sent stops input; nothing is lost or reordered. */
void test_backpressure(void)
{
	char *in = malloc(1 << 20), val[64];
	size_t len = 0, n, values = 0;
	struct kv_item *it;
	struct kv_store s;
	struct kv_run r;
	enum kv_status st;
	const char *p;
	int i;

	kv_test_store(&s, 64 << 20);
	for (i = 0; i < 8; i++) {
		snprintf(val, sizeof(val), "b%d", i);
		it = kv_item_new(&s, val, 2, i, 0, 20000, &st);
		memset(kv_item_value(it), 'a' + i, 20000);
		kv_store_item(&s, it, KV_SET, 0);
		kv_item_put(&s, it);
	}
	len = sprintf(in, "get");
	for (i = 0; i < 40; i++)
		len += sprintf(in + len, " b%d", i % 8);
	len += sprintf(in + len, "\r\n");
	for (i = 0; i < 400; i++)
		len += sprintf(in + len, "get b%d\r\n", i % 8);
	len += sprintf(in + len, "version\r\n");
	kv_run_feed(&s, &r, in, len, NULL, 0);
	CHECK(r.refused > 10);
	for (p = r.out; (p = strstr(p, "VALUE b")); p += 7) {
		i = p[7] - '0';
		n = snprintf(val, sizeof(val), "VALUE b%d %d 20000\r\n", i, i);
		CHECK(!memcmp(p, val, n) && p[n] == 'a' + i &&
		      p[n + 19999] == 'a' + i && p[n + 20000] == '\r');
		values++;
	}
	CHECK(values == 440);
	CHECK(r.len > 20 && !strcmp(r.out + r.len - 20, "VERSION " KV_VERSION "\r\n"));
	kv_run_free(&r);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
	free(in);
}

static size_t breq(uint8_t *b, uint8_t op, const char *key, const void *ext,
		   uint8_t extlen, const char *val, uint32_t opaque,
		   uint64_t cas)
{
	size_t nk = key ? strlen(key) : 0, nv = val ? strlen(val) : 0;
	uint32_t body = extlen + nk + nv;
	int i;

	memset(b, 0, KV_BIN_HDR);
	b[0] = 0x80;
	b[1] = op;
	b[2] = nk >> 8;
	b[3] = nk;
	b[4] = extlen;
	for (i = 0; i < 4; i++) {
		b[8 + i] = body >> (24 - 8 * i);
		b[12 + i] = opaque >> (24 - 8 * i);
	}
	for (i = 0; i < 8; i++)
		b[16 + i] = cas >> (56 - 8 * i);
	if (extlen)
		memcpy(b + KV_BIN_HDR, ext, extlen);
	if (nk)
		memcpy(b + KV_BIN_HDR + extlen, key, nk);
	if (nv)
		memcpy(b + KV_BIN_HDR + extlen + nk, val, nv);
	return KV_BIN_HDR + body;
}

struct bres {
	uint8_t		op;
	uint16_t	status;
	uint8_t		extlen;
	uint16_t	keylen;
	uint32_t	vlen;
	uint32_t	opaque;
	uint64_t	cas;
	const uint8_t	*ext;
	const uint8_t	*key;
	const uint8_t	*val;
};

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static bool bnext(const struct kv_run *r, size_t *at, struct bres *b)
{
	const uint8_t *p = (const uint8_t *)r->out + *at;
	uint32_t body;

	if (*at + KV_BIN_HDR > r->len || p[0] != 0x81)
		return false;
	body = be(p + 8, 4);
	if (*at + KV_BIN_HDR + body > r->len)
		return false;
	b->op = p[1];
	b->keylen = be(p + 2, 2);
	b->extlen = p[4];
	b->status = be(p + 6, 2);
	b->opaque = be(p + 12, 4);
	b->cas = be(p + 16, 8);
	b->ext = p + KV_BIN_HDR;
	b->key = b->ext + b->extlen;
	b->val = b->key + b->keylen;
	b->vlen = body - b->extlen - b->keylen;
	*at += KV_BIN_HDR + body;
	return true;
}

static bool bis(const struct bres *b, uint8_t op, uint16_t status,
		const char *val)
{
	return b->op == op && b->status == status && b->opaque == op &&
		(!val || (b->vlen == strlen(val) &&
			  !memcmp(b->val, val, b->vlen)));
}

/* A pipeline of binary requests; opaque is the opcode. */
static size_t bin_pipeline(uint8_t *b)
{
	static const uint8_t flags_exp[8] = { 0, 0, 0, 9 };
	static const uint8_t create[20] = { [7] = 1, [15] = 5 };
	static const uint8_t nocreate[20] = { [7] = 1, 0, [16] = 0xff, 0xff,
					      0xff, 0xff };
	static const uint8_t touch[4] = { 0, 0, 0, 100 };
	size_t n = 0;

	n += breq(b + n, 0x01, "a", flags_exp, 8, "hello", 0x01, 0);
	n += breq(b + n, 0x00, "a", NULL, 0, NULL, 0x00, 0);
	n += breq(b + n, 0x0c, "a", NULL, 0, NULL, 0x0c, 0);
	n += breq(b + n, 0x09, "miss", NULL, 0, NULL, 0x09, 0);
	n += breq(b + n, 0x0d, "a", NULL, 0, NULL, 0x0d, 0);
	n += breq(b + n, 0x02, "a", flags_exp, 8, "x", 0x02, 0);
	n += breq(b + n, 0x03, "miss", flags_exp, 8, "x", 0x03, 0);
	n += breq(b + n, 0x0e, "miss", NULL, 0, "x", 0x0e, 0);
	n += breq(b + n, 0x0f, "a", NULL, 0, ">", 0x0f, 0);
	n += breq(b + n, 0x01, "a", flags_exp, 8, "x", 0x01, 12345);
	n += breq(b + n, 0x05, "c", create, 20, NULL, 0x05, 0);
	n += breq(b + n, 0x05, "c", create, 20, NULL, 0x05, 0);
	n += breq(b + n, 0x06, "c", nocreate, 20, NULL, 0x06, 0);
	n += breq(b + n, 0x05, "nc", nocreate, 20, NULL, 0x05, 0);
	n += breq(b + n, 0x05, "a", create, 20, NULL, 0x05, 0);
	n += breq(b + n, 0x14, "c", NULL, 0, NULL, 0x14, 0);
	n += breq(b + n, 0x04, "c", NULL, 0, NULL, 0x04, 0);
	n += breq(b + n, 0x1d, "a", touch, 4, NULL, 0x1d, 0);
	n += breq(b + n, 0x1e, "miss", touch, 4, NULL, 0x1e, 0);
	n += breq(b + n, 0x55, "k", NULL, 0, "body", 0x55, 0);
	n += breq(b + n, 0x0b, NULL, NULL, 0, NULL, 0x0b, 0);
	n += breq(b + n, 0x11, "q", flags_exp, 8, "quiet", 0x11, 0);
	n += breq(b + n, 0x18, NULL, NULL, 0, NULL, 0x18, 0);
	n += breq(b + n, 0x00, "q", NULL, 0, NULL, 0x00, 0);
	n += breq(b + n, 0x0a, NULL, NULL, 0, NULL, 0x0a, 0);
	n += breq(b + n, 0x07, NULL, NULL, 0, NULL, 0x07, 0);
	n += breq(b + n, 0x0a, NULL, NULL, 0, NULL, 0x0a, 0);
	return n;
}

static void check_pipeline(const struct kv_run *r)
{
	size_t at = 0;
	struct bres b;

	CHECK(bnext(r, &at, &b) && bis(&b, 0x01, 0, "") && b.cas == 1);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x00, 0, "hello") &&
	      b.extlen == 4 && be(b.ext, 4) == 9 && b.cas == 1);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0c, 0, "hello") &&
	      b.keylen == 1 && b.key[0] == 'a');
	/* getq miss: nothing; getkq hit: answered. */
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0d, 0, "hello"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x02, 2, "Data exists for key."));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x03, 1, "Not found"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0e, 5, "Not stored."));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0f, 0, "") && b.cas == 2);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x01, 2, NULL));
	/* incr creates with the initial value 5, then adds 1. */
	CHECK(bnext(r, &at, &b) && bis(&b, 0x05, 0, NULL) && b.vlen == 8 &&
	      be(b.val, 8) == 5);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x05, 0, NULL) &&
	      be(b.val, 8) == 6);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x06, 0, NULL) &&
	      be(b.val, 8) == 5);
	CHECK(bnext(r, &at, &b) && bis(&b, 0x05, 1, "Not found"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x05, 6, NULL));
	/* deleteq: nothing; then the key is gone. */
	CHECK(bnext(r, &at, &b) && bis(&b, 0x04, 1, "Not found"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x1d, 0, ">hello"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x55, 0x81, "Unknown command"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0b, 0, KV_VERSION));
	/* setq, flushq: nothing; the flush took q. */
	CHECK(bnext(r, &at, &b) && bis(&b, 0x00, 1, "Not found"));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x0a, 0, ""));
	CHECK(bnext(r, &at, &b) && bis(&b, 0x07, 0, ""));
	CHECK(at == r->len && r->done);
}

void test_binary(void)
{
	uint8_t *b = malloc(4096);
	size_t n = bin_pipeline(b);
	struct kv_run r;

	run_fresh(&r, b, n, NULL, 0);
	check_pipeline(&r);
	kv_run_free(&r);
	free(b);
}

void test_binary_splits(void)
{
	uint8_t *b = malloc(4096);
	size_t n = bin_pipeline(b), k, cuts[3];
	struct kv_run whole, r;
	unsigned int j;

	run_fresh(&whole, b, n, NULL, 0);
	for (k = 1; k < n; k++) {
		run_fresh(&r, b, n, &k, 1);
		CHECK(r.len == whole.len && !memcmp(r.out, whole.out, r.len));
		kv_run_free(&r);
	}
	srand(1);
	for (j = 0; j < 500; j++) {
		cuts[0] = rand() % n;
		cuts[1] = cuts[0] + rand() % (n - cuts[0]);
		cuts[2] = cuts[1] + rand() % (n - cuts[1]);
		run_fresh(&r, b, n, cuts, 3);
		CHECK(r.len == whole.len && !memcmp(r.out, whole.out, r.len));
		kv_run_free(&r);
	}
	kv_run_free(&whole);
	free(b);
}

static void hostile_binary(void)
{
	static const uint8_t ext8[8];
	uint8_t b[512];
	struct kv_run r;
	struct bres res;
	size_t n, at = 0;

	/* A bad magic after a good request ends the connection. */
	n = breq(b, 0x0a, NULL, NULL, 0, NULL, 0x0a, 0);
	n += breq(b + n, 0x0a, NULL, NULL, 0, NULL, 0x0a, 0);
	b[KV_BIN_HDR] = 0x81;
	run_fresh(&r, b, n, NULL, 0);
	CHECK(bnext(&r, &at, &res) && bis(&res, 0x0a, 0, "") && r.done &&
	      at == r.len);
	kv_run_free(&r);
	/* Key too long; body shorter than key; get with a value. */
	n = breq(b, 0x00, K251, NULL, 0, NULL, 0, 0);
	run_fresh(&r, b, n, NULL, 0);
	at = 0;
	CHECK(bnext(&r, &at, &res) && res.status == 4 && r.done);
	kv_run_free(&r);
	n = breq(b, 0x00, "abc", NULL, 0, NULL, 0, 0);
	b[11] = 2;
	run_fresh(&r, b, n, NULL, 0);
	at = 0;
	CHECK(bnext(&r, &at, &res) && res.status == 4 && r.done);
	kv_run_free(&r);
	n = breq(b, 0x00, "abc", NULL, 0, "v", 0, 0);
	run_fresh(&r, b, n, NULL, 0);
	at = 0;
	CHECK(bnext(&r, &at, &res) && res.status == 4 && r.done);
	kv_run_free(&r);
	/* A set too large is refused and its value skipped. */
	n = breq(b, 0x01, "k", ext8, 8, "v", 0, 0);
	n += breq(b + n, 0x01, "k", ext8, 8, NULL, 0x01, 0);
	b[n - 8 - 1 - 24 + 8] = 0x7f;	/* bodylen of the second */
	run_fresh(&r, b, n, NULL, 0);
	at = 0;
	CHECK(bnext(&r, &at, &res) && res.status == 0);
	CHECK(bnext(&r, &at, &res) && res.status == 3 && !r.done);
	kv_run_free(&r);
}

/* Garbage must not crash, leak or grow a connection without bound. */
static void garbage(void)
{
	static const char * const seeds[] = {
		"get ", "set k 0 0 5\r\n", "gat 1 ", "\r\n", " ", "incr ",
		"cas k 0 0 1 1\r\n", "x\r\n", "delete ", K251, "\n", "\x80",
	};
	uint8_t in[1024];
	struct kv_store s;
	size_t len, cuts[2];
	struct kv_run r;
	unsigned int i;
	const char *p;

	kv_test_store(&s, 1 << 20);
	srand(42);
	for (i = 0; i < 3000; i++) {
		for (len = 0; len < sizeof(in) - 300 && rand() % 16;) {
			if (rand() % 2) {
				p = seeds[rand() % 12];
				memcpy(in + len, p, strlen(p));
				len += strlen(p);
			} else {
				in[len++] = rand();
			}
		}
		cuts[0] = len ? rand() % len : 0;
		cuts[1] = cuts[0];
		kv_run_feed(&s, &r, in, len, cuts, 2);
		kv_run_free(&r);
	}
	CHECK(s.stats.curr_connections == 0);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

void test_hostile(void)
{
	char line[3000];
	struct kv_run r;

	/* A command line that does not end: an error, then closed. */
	memset(line, 'x', sizeof(line));
	run_fresh(&r, line, sizeof(line), NULL, 0);
	expect(&r, "CLIENT_ERROR line too long\r\n", "long line", 0);
	CHECK(r.done);
	kv_run_free(&r);
	/* NUL bytes are just bytes. */
	run_fresh(&r, "set a\0b 0 0 1\r\nx\r\nget a\0b\r\n", 27, NULL, 0);
	CHECK(r.len == 31 &&
	      !memcmp(r.out, "STORED\r\nVALUE a\0b 0 1\r\nx\r\nEND\r\n", 31));
	kv_run_free(&r);
	hostile_binary();
	garbage();
}
