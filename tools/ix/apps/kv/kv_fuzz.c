// SPDX-License-Identifier: GPL-2.0
/*
 * kv_fuzz: a libFuzzer target for the protocol engine.
 *
 *	make -C tools/ix/apps/kv O=<dir> fuzz
 *	<dir>/kv_fuzz -max_total_time=60 [CORPUS]
 *
 * The first input byte picks how the rest is cut into pieces and when
 * output is taken; the store lives across inputs (a small limit, so
 * eviction runs) and its clock moves.  Any sanitizer report, or an
 * engine that refuses input without output waiting, or a store over its
 * limit, is a finding.
 */

#include <stdlib.h>

#include "kv.h"

static struct kv_store store;
static int64_t fake_time = 1700000000;

static int64_t fuzz_now(void)
{
	return fake_time;
}

static void drain(struct kv_conn *c)
{
	struct iovec iov[8];
	unsigned int i, n;
	size_t sum = 0;

	while ((n = kv_conn_peek(c, iov, 8))) {
		for (i = 0; i < n; i++)
			sum += iov[i].iov_len;
		kv_conn_consume(c, sum);
		sum = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct kv_conn *c;
	size_t at = 1, piece, n;
	unsigned int seed;

	if (!store.table &&
	    kv_store_init(&store, 256 << 10, 64 << 10, fuzz_now))
		abort();
	if (!len)
		return 0;
	seed = data[0];
	c = kv_conn_new(&store);
	if (!c)
		return 0;
	while (at < len && !kv_conn_done(c)) {
		piece = seed & 0x10 ? 1 + (at * 7 + seed) % 13 : len - at;
		if (piece > len - at)
			piece = len - at;
		n = kv_conn_input(c, data + at, piece);
		if (n < piece && !kv_conn_blocked(c))
			abort();	/* stalled with room */
		at += n;
		if (n < piece || seed & 0x20)
			drain(c);
		if (seed & 0x40)
			fake_time++;
		if (store.mem > store.limit)
			abort();
	}
	drain(c);
	kv_conn_input(c, NULL, 0);
	kv_conn_free(c);
	if (store.stats.curr_connections)
		abort();
	return 0;
}
