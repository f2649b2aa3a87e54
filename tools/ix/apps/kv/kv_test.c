// SPDX-License-Identifier: GPL-2.0
/*
 * kv_test: unit tests of the store (here) and of the protocols
 * (kv_test_proto.c), on a clock the tests move.  Prints TAP: the plan
 * "1..N", one line per test and "# N passed, M failed"; exits 1 if any
 * check failed.  The Makefile builds it with ASan and UBSan, which end
 * it at their first report: the plan then shows the tests that never ran.
 */

#include <stdlib.h>
#include <string.h>

#include "kv_test.h"

int64_t kv_test_time = 1700000000;
unsigned int kv_test_failed;

int64_t kv_test_now(void)
{
	return kv_test_time;
}

void kv_test_store(struct kv_store *s, size_t limit)
{
	if (kv_store_init(s, limit, KV_ITEM_MAX_DEFAULT, kv_test_now)) {
		perror("kv_test");
		exit(1);
	}
}

static void drain(struct kv_conn *c, struct kv_run *r)
{
	struct iovec iov[16];
	unsigned int i, n;
	char *p;

	while ((n = kv_conn_peek(c, iov, 16))) {
		for (i = 0; i < n; i++) {
			while (r->len + iov[i].iov_len + 1 > r->cap) {
				r->cap = r->cap ? r->cap * 2 : 4096;
				p = realloc(r->out, r->cap);
				if (!p)
					exit(1);
				r->out = p;
			}
			memcpy(r->out + r->len, iov[i].iov_base, iov[i].iov_len);
			r->len += iov[i].iov_len;
			r->out[r->len] = 0;
			kv_conn_consume(c, iov[i].iov_len);
		}
	}
}

/* Offer @p[0..@len) until taken, sending output when it backs up. */
static void offer(struct kv_conn *c, struct kv_run *r, const uint8_t *p,
		  size_t len)
{
	size_t n;

	do {
		n = kv_conn_input(c, p, len);
		p += n;
		len -= n;
		if (!len)
			break;
		/* Only output backing up may refuse input. */
		r->refused++;
		CHECK(kv_conn_blocked(c));
		CHECK(c->pending < KV_OUT_HIGH + 2 * KV_ITEM_MAX_DEFAULT);
		if (!kv_conn_blocked(c))
			return;
		drain(c, r);
	} while (len);
}

/**
 * kv_run_feed() - run input through a new connection
 * @s: the store
 * @r: gets the output (zeroed first)
 * @in: the input
 * @len: its length
 * @cuts: offsets where the input is split into pieces, ascending
 * @ncuts: how many
 */
void kv_run_feed(struct kv_store *s, struct kv_run *r, const void *in,
		 size_t len, const size_t *cuts, unsigned int ncuts)
{
	struct kv_conn *c = kv_conn_new(s);
	const uint8_t *p = in;
	size_t at = 0, end;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (!c)
		exit(1);
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : len;
		offer(c, r, p + at, end - at);
		at = end;
	}
	/* Let work that waited for room finish. */
	do {
		drain(c, r);
		kv_conn_input(c, NULL, 0);
	} while (c->pending);
	r->done = kv_conn_done(c);
	if (!r->out)
		r->out = calloc(1, 1);
	kv_conn_free(c);
}

void kv_run_free(struct kv_run *r)
{
	free(r->out);
	r->out = NULL;
}

static struct kv_item *put(struct kv_store *s, const char *key,
			   const char *val, int64_t exptime,
			   enum kv_mode mode, uint64_t cas,
			   enum kv_status *st)
{
	size_t n = strlen(val);
	struct kv_item *it;
	enum kv_status ign;

	it = kv_item_new(s, key, strlen(key), 7, kv_exptime(s, exptime), n,
			 st ? st : &ign);
	if (!it)
		return NULL;
	memcpy(kv_item_value(it), val, n);
	if (st)
		*st = kv_store_item(s, it, mode, cas);
	else
		kv_store_item(s, it, mode, cas);
	kv_item_put(s, it);
	return it;
}

static bool has(struct kv_store *s, const char *key, const char *val)
{
	struct kv_item *it = kv_find(s, key, strlen(key));

	if (!it)
		return !val;
	return val && it->nbytes == strlen(val) &&
		!memcmp(kv_item_value(it), val, it->nbytes);
}

static void test_modes(void)
{
	struct kv_store s;
	enum kv_status st;
	struct kv_item *it;
	uint64_t cas;

	kv_test_store(&s, 1 << 20);
	put(&s, "a", "1", 0, KV_ADD, 0, &st);
	CHECK(st == KV_OK && has(&s, "a", "1"));
	put(&s, "a", "2", 0, KV_ADD, 0, &st);
	CHECK(st == KV_NOT_STORED && has(&s, "a", "1"));
	put(&s, "b", "2", 0, KV_REPLACE, 0, &st);
	CHECK(st == KV_NOT_STORED && has(&s, "b", NULL));
	put(&s, "a", "3", 0, KV_REPLACE, 0, &st);
	CHECK(st == KV_OK && has(&s, "a", "3"));
	put(&s, "a", "x", 0, KV_APPEND, 0, &st);
	put(&s, "a", "y", 0, KV_PREPEND, 0, &st);
	CHECK(st == KV_OK && has(&s, "a", "y3x"));
	/* Append keeps flags and expiration of the item it extends. */
	CHECK(kv_find(&s, "a", 1)->flags == 7);
	put(&s, "b", "x", 0, KV_APPEND, 0, &st);
	CHECK(st == KV_NOT_STORED);
	cas = kv_find(&s, "a", 1)->cas;
	put(&s, "a", "c1", 0, KV_CAS, cas + 1, &st);
	CHECK(st == KV_EXISTS && has(&s, "a", "y3x"));
	put(&s, "a", "c2", 0, KV_CAS, cas, &st);
	CHECK(st == KV_OK && has(&s, "a", "c2"));
	it = kv_find(&s, "a", 1);
	CHECK(it->cas > cas);
	put(&s, "zz", "c", 0, KV_CAS, 1, &st);
	CHECK(st == KV_NOT_FOUND);
	CHECK(kv_delete(&s, "a", 1, it->cas + 1) == KV_EXISTS);
	CHECK(kv_delete(&s, "a", 1, it->cas) == KV_OK);
	CHECK(kv_delete(&s, "a", 1, 0) == KV_NOT_FOUND);
	CHECK(s.count == 0 && s.bytes == 0);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

static void test_expiry(void)
{
	int64_t t0 = kv_test_time;
	struct kv_store s;

	kv_test_store(&s, 1 << 20);
	put(&s, "rel", "v", 10, KV_SET, 0, NULL);
	put(&s, "abs", "v", t0 + 100, KV_SET, 0, NULL);
	put(&s, "past", "v", t0 - 1, KV_SET, 0, NULL);
	put(&s, "neg", "v", -1, KV_SET, 0, NULL);
	put(&s, "max", "v", KV_REL_MAX, KV_SET, 0, NULL);
	put(&s, "never", "v", 0, KV_SET, 0, NULL);
	CHECK(has(&s, "past", NULL) && has(&s, "neg", NULL));
	kv_test_time = t0 + 9;
	CHECK(has(&s, "rel", "v"));
	kv_test_time = t0 + 10;
	CHECK(has(&s, "rel", NULL));
	CHECK(has(&s, "abs", "v"));
	kv_test_time = t0 + 100;
	CHECK(has(&s, "abs", NULL));
	/* 30 days is still relative; more would be a time in 1970. */
	kv_test_time = t0 + KV_REL_MAX - 1;
	CHECK(has(&s, "max", "v"));
	kv_test_time = t0 + KV_REL_MAX;
	CHECK(has(&s, "max", NULL) && has(&s, "never", "v"));
	CHECK(kv_touch(&s, "never", 5, kv_exptime(&s, 5)));
	kv_test_time += 5;
	CHECK(has(&s, "never", NULL));
	CHECK(!kv_touch(&s, "never", 5, 0));
	CHECK(s.stats.reclaimed >= 5);

	/* A delayed flush drops what was stored before it came due. */
	put(&s, "old", "v", 0, KV_SET, 0, NULL);
	kv_flush(&s, 10);
	kv_test_time += 9;
	CHECK(has(&s, "old", "v"));
	kv_test_time += 1;
	put(&s, "new", "v", 0, KV_SET, 0, NULL);
	CHECK(has(&s, "old", NULL) && has(&s, "new", "v"));
	kv_flush(&s, 0);
	CHECK(has(&s, "new", NULL) && s.count == 0);
	kv_store_destroy(&s);
	kv_test_time = t0;
}

static void test_lru(void)
{
	size_t one = sizeof(struct kv_item) + 3 + 100 + 2;
	char key[8], val[101];
	struct kv_store s;
	enum kv_status st;
	int i;

	memset(val, 'v', 100);
	val[100] = 0;
	kv_test_store(&s, 10 * one);
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof(key), "k%02d", i);
		put(&s, key, val, i ? 0 : 5, KV_SET, 0, NULL);
	}
	CHECK(s.count == 10 && s.stats.evictions == 0 && s.mem == 10 * one);
	/* The tail, k00, has expired: making room reclaims it. */
	kv_test_time += 5;
	put(&s, "k10", val, 0, KV_SET, 0, NULL);
	CHECK(s.stats.reclaimed == 1 && s.stats.evictions == 0);
	/* Use k01: the least recently used is k02 now. */
	CHECK(has(&s, "k01", val));
	put(&s, "k11", val, 0, KV_SET, 0, NULL);
	CHECK(s.count == 10 && s.stats.evictions == 1);
	CHECK(has(&s, "k02", NULL) && has(&s, "k01", val) &&
	      has(&s, "k03", val) && has(&s, "k11", val));
	CHECK(s.mem <= s.limit && s.bytes == s.mem);
	/* More than the limit: no memory; more than an item: too large. */
	CHECK(!kv_item_new(&s, "x", 1, 0, 0, 11 * one, &st) &&
	      st == KV_NO_MEMORY && s.count == 10);
	CHECK(!kv_item_new(&s, "x", 1, 0, 0, KV_ITEM_MAX_DEFAULT, &st) &&
	      st == KV_TOO_LARGE);
	kv_test_time -= 5;
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

static void test_delta(void)
{
	struct kv_store s;
	uint64_t v, cas;

	kv_test_store(&s, 1 << 20);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_NOT_FOUND);
	put(&s, "n", "18446744073709551615", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 2, 0, &v, &cas) == KV_OK && v == 1);
	CHECK(has(&s, "n", "1"));
	CHECK(kv_delta(&s, "n", 1, false, 5, 0, &v, &cas) == KV_OK && v == 0);
	CHECK(kv_delta(&s, "n", 1, true, 10, cas + 1, &v, &cas) == KV_EXISTS);
	CHECK(kv_delta(&s, "n", 1, true, 10, cas, &v, &cas) == KV_OK &&
	      v == 10 && has(&s, "n", "10"));
	CHECK(kv_delta(&s, "n", 1, false, 1, 0, &v, &cas) == KV_OK &&
	      has(&s, "n", "9"));
	put(&s, "n", "18446744073709551616", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_NON_NUMERIC);
	put(&s, "n", "12a", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_NON_NUMERIC);
	put(&s, "n", "", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_NON_NUMERIC);
	put(&s, "n", "-1", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_NON_NUMERIC);
	/* memcached's decr leaves values padded with spaces: still numbers. */
	put(&s, "n", "7  ", 0, KV_SET, 0, NULL);
	CHECK(kv_delta(&s, "n", 1, true, 1, 0, &v, &cas) == KV_OK && v == 8);
	CHECK(kv_parse_u64("00042", 5, &v) && v == 42);
	CHECK(!kv_parse_u64(" 1", 2, &v) && !kv_parse_u64("+1", 2, &v));
	kv_store_destroy(&s);
}

/* Keys in the old buckets next to move, where lookups switch tables. */
static bool boundary_found(struct kv_store *s)
{
	struct kv_item *it;
	char keys[64][16];
	uint32_t b;
	int n = 0, i;

	for (b = s->migrate; b <= s->old_mask && b < s->migrate + 32; b++)
		for (it = s->old[b]; it && n < 64; it = it->hnext) {
			memcpy(keys[n], it->data, it->nkey);
			keys[n++][it->nkey] = 0;
		}
	for (i = 0; i < n; i++)
		if (!has(s, keys[i], keys[i]))
			return false;
	return true;
}

static void test_grow(void)
{
	unsigned int rounds = 0;
	struct kv_store s;
	bool all = true;
	char key[16];
	int i;

	kv_test_store(&s, 1UL << 30);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		put(&s, key, key, 0, KV_SET, 0, NULL);
		/* Lookups stay right while buckets move. */
		if (i % 97 == 0)
			all &= has(&s, "key0", "key0") && has(&s, key, key);
		if (s.old && i % 5 == 0) {
			all &= boundary_found(&s);
			rounds++;
		}
	}
	CHECK(all && rounds > 100);
	CHECK(s.count == 100000 && s.mask + 1 >= 65536);
	for (i = 0; i < 100000; i += 2) {
		snprintf(key, sizeof(key), "key%d", i);
		all &= kv_delete(&s, key, strlen(key), 0) == KV_OK;
	}
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		all &= has(&s, key, i % 2 ? key : NULL);
	}
	CHECK(all && s.count == 50000);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

/* Output refers to items: replacing or deleting them is safe. */
static void test_refs(void)
{
	struct iovec iov[8];
	struct kv_store s;
	struct kv_conn *c;
	unsigned int n;

	kv_test_store(&s, 1 << 20);
	put(&s, "k", "old", 0, KV_SET, 0, NULL);
	c = kv_conn_new(&s);
	CHECK(kv_conn_input(c, (const uint8_t *)"get k\r\n", 7) == 7);
	put(&s, "k", "new!", 0, KV_SET, 0, NULL);
	kv_flush(&s, 0);
	CHECK(s.count == 0 && s.mem > 0);
	n = kv_conn_peek(c, iov, 8);
	CHECK(n == 3);
	CHECK(n == 3 && iov[1].iov_len == 5 &&
	      !memcmp(iov[1].iov_base, "old\r\n", 5));
	kv_conn_free(c);
	CHECK(s.mem == 0 && s.stats.curr_connections == 0);
	kv_store_destroy(&s);
}

/* Chunks by class, aligned, in the region; freed ones come back. */
static void test_arena(void)
{
	size_t size = 3 * KV_ARENA_PAGE;
	uint8_t *mem = malloc(size);
	struct kv_arena a;
	void *p, *q, *big, *big2, *big3;
	unsigned int i;

	kv_arena_init(&a, mem, size);
	CHECK(a.nclasses > 40 && a.class_size[0] == KV_ARENA_MIN &&
	      a.class_size[a.nclasses - 1] == KV_ARENA_PAGE);
	for (i = 1; i < a.nclasses; i++)
		CHECK(a.class_size[i] > a.class_size[i - 1] &&
		      a.class_size[i] % 8 == 0);
	p = kv_arena_alloc(&a, 1);
	q = kv_arena_alloc(&a, KV_ARENA_MIN);
	CHECK(p && q && p != q && kv_arena_owns(&a, p) &&
	      kv_arena_owns(&a, q) && a.used == KV_ARENA_PAGE);
	CHECK(!((uintptr_t)p % 8) && !((uintptr_t)q % 8));
	/* The two share a class and a page; the distance is the chunk. */
	CHECK((uint8_t *)p - (uint8_t *)q == KV_ARENA_MIN ||
	      (uint8_t *)q - (uint8_t *)p == KV_ARENA_MIN);
	kv_arena_free(&a, p, 1);
	CHECK(kv_arena_alloc(&a, 10) == p);
	big = kv_arena_alloc(&a, KV_ARENA_PAGE);
	big2 = kv_arena_alloc(&a, KV_ARENA_PAGE - 1);
	CHECK(big && big2 && a.used == size);
	/* The region is used up: a class without chunks fails. */
	big3 = kv_arena_alloc(&a, KV_ARENA_PAGE);
	CHECK(!big3 && a.fails == 1);
	CHECK(!kv_arena_alloc(&a, 5000) && a.fails == 2);
	CHECK(!kv_arena_alloc(&a, KV_ARENA_PAGE + 1));
	kv_arena_free(&a, big, KV_ARENA_PAGE);
	CHECK(kv_arena_alloc(&a, KV_ARENA_PAGE) == big);
	CHECK(!kv_arena_owns(&a, mem + size) && !kv_arena_owns(&a, &a) &&
	      !kv_arena_owns(NULL, mem));
	free(mem);
}

/* A store with an arena places items there, then on the heap. */
static void test_store_arena(void)
{
	size_t size = 2 * KV_ARENA_PAGE;
	uint8_t *mem = malloc(size);
	char key[16], val[600];
	struct kv_item *it;
	struct kv_store s;
	struct kv_arena a;
	unsigned int i, in = 0, out = 0;

	memset(val, 'a', sizeof(val) - 1);
	val[sizeof(val) - 1] = 0;
	kv_arena_init(&a, mem, size);
	kv_test_store(&s, 64 << 20);
	s.arena = &a;
	/* Two classes, one page each; then the heap. */
	for (i = 0; i < 6000; i++) {
		snprintf(key, sizeof(key), "k%04u", i);
		val[0] = 'a' + i % 26;
		put(&s, key, i % 2 ? "tiny" : val, 0, KV_SET, 0, NULL);
	}
	for (i = 0; i < 6000; i++) {
		snprintf(key, sizeof(key), "k%04u", i);
		val[0] = 'a' + i % 26;
		CHECK(has(&s, key, i % 2 ? "tiny" : val));
		it = kv_find(&s, key, strlen(key));
		if (it && kv_arena_owns(&a, it))
			in++;
		else if (it)
			out++;
	}
	CHECK(in == a.allocs && in > 2000 && out > 0 && in + out == 6000);
	CHECK(a.used == size && a.fails == out);
	kv_store_destroy(&s);
	CHECK(s.mem == 0 && a.allocs == 0);
	free(mem);
}

/* Gather what kv_conn_peek_at() shows past @skip into @out. */
static size_t peek_all(struct kv_conn *c, size_t skip, char *out)
{
	struct iovec iov[4];
	size_t len = 0;
	unsigned int i, n;

	while ((n = kv_conn_peek_at(c, skip + len, iov, ARRAY_SIZE(iov)))) {
		for (i = 0; i < n; i++) {
			memcpy(out + len, iov[i].iov_base, iov[i].iov_len);
			len += iov[i].iov_len;
		}
	}
	return len;
}

/*
 * Output shown past any number of bytes already sent is the rest of the
 * reply, byte for byte, across the header, the value by reference and
 * the trailer; consuming part of it shifts the view.
 */
static void test_peek_at(void)
{
	const char *get = "get a b\r\n";
	char want[512], got[512];
	struct kv_store s;
	struct kv_conn *c;
	size_t len, skip;

	kv_test_store(&s, 1 << 20);
	put(&s, "a", "first value", 0, KV_SET, 0, NULL);
	put(&s, "b", "second", 0, KV_SET, 0, NULL);
	c = kv_conn_new(&s);
	CHECK(kv_conn_input(c, (const uint8_t *)get, strlen(get)) ==
	      strlen(get));
	len = peek_all(c, 0, want);
	want[len] = 0;
	CHECK(len == c->pending &&
	      !strcmp(want, "VALUE a 7 11\r\nfirst value\r\n"
			    "VALUE b 7 6\r\nsecond\r\nEND\r\n"));
	for (skip = 0; skip <= len; skip++)
		CHECK(peek_all(c, skip, got) == len - skip &&
		      !memcmp(got, want + skip, len - skip));
	kv_conn_consume(c, 20);
	CHECK(peek_all(c, 3, got) == len - 23 &&
	      !memcmp(got, want + 23, len - 23));
	kv_conn_free(c);
	kv_store_destroy(&s);
	CHECK(s.mem == 0);
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} tests[] = {
	{ "store_modes", test_modes },
	{ "store_expiry", test_expiry },
	{ "store_lru", test_lru },
	{ "store_delta", test_delta },
	{ "store_grow", test_grow },
	{ "store_refs", test_refs },
	{ "arena", test_arena },
	{ "store_arena", test_store_arena },
	{ "peek_at", test_peek_at },
	{ "text", test_text },
	{ "text_splits", test_text_splits },
	{ "text_get_stream", test_get_stream },
	{ "backpressure", test_backpressure },
	{ "hostile", test_hostile },
	{ "binary", test_binary },
	{ "binary_splits", test_binary_splits },
};

/* kv_test [NAME]: all tests, or those whose name contains NAME. */
int main(int argc, char **argv)
{
	unsigned int i, before, passed = 0, ran = 0, plan = 0;
	unsigned int n = ARRAY_SIZE(tests);

	/* Each line out at once: a sanitizer's report ends the process. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++)
		if (argc < 2 || strstr(tests[i].name, argv[1]))
			plan++;
	printf("TAP version 13\n1..%u\n", plan);
	for (i = 0; i < n; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		ran++;
		before = kv_test_failed;
		tests[i].fn();
		if (kv_test_failed == before)
			passed++;
		printf("%s %u %s\n", kv_test_failed == before ? "ok" : "not ok",
		       ran, tests[i].name);
	}
	printf("# %u passed, %u failed\n", passed, ran - passed);
	return passed != ran;
}
