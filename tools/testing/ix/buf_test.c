// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/buf.c: carving, LIFO get/put, exhaustion, double put,
 * the bounds of push/pull/put_tail, and a put that leaves the slot clear.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "buf.h"

IX_TEST(buf, carves_whole_slots_from_unaligned_memory)
{
	size_t size = 5 * IXDP_BUF_SIZE + IXDP_BUF_SIZE / 2;
	char *mem = malloc(size + 8);
	struct ixdp_buf descs[8];
	struct ixdp_pool p;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 8);
	/* 3 bytes in: rounded to 8, still room for 5 slots only. */
	CHECK_EQ(ixdp_pool_add(&p, mem + 3, size), 5);
	CHECK_EQ(ixdp_pool_add(&p, mem, IXDP_BUF_SIZE - 1), 0);
	CHECK_EQ(ixdp_pool_add(&p, mem + 1, 4), 0);
	CHECK_EQ(p.total, 5);
	CHECK_EQ(p.avail, 5);
	CHECK(IXDP_BUF_ROOM >= IXDP_BUF_RX_OFFSET + 1514);
	free(mem);
}

IX_TEST(buf, slots_are_numbered_and_hold_only_data)
{
	char *mem = malloc(4 * IXDP_BUF_SIZE);
	struct ixdp_buf d[3], *b;
	struct ixdp_pool p;
	unsigned int i;

	CHECK(mem);
	ixdp_pool_init(&p, d, 3);
	/* Two regions: slots go on in order; descriptors bound the pool. */
	CHECK_EQ(ixdp_pool_add(&p, mem, 2 * IXDP_BUF_SIZE), 2);
	CHECK_EQ(ixdp_pool_add(&p, mem + 2 * IXDP_BUF_SIZE,
			       2 * IXDP_BUF_SIZE), 1);
	CHECK_EQ(p.total, 3);
	for (i = 0; i < 3; i++) {
		CHECK(d[i].room == (uint8_t *)mem + i * IXDP_BUF_SIZE);
		CHECK_EQ(ixdp_buf_slot(&d[i]), i);
	}
	/* A slot written whole, as a device or an application sees it. */
	memset(mem, 0xa5, 3 * IXDP_BUF_SIZE);
	for (i = 0; i < 3; i++) {
		b = ixdp_buf_get(&p);
		CHECK(b && b->pool == &p && !b->flags);
	}
	CHECK(!ixdp_buf_get(&p));
	CHECK_EQ(IXDP_BUF_ROOM, IXDP_BUF_SIZE);
	free(mem);
}

IX_TEST(buf, get_put_is_lifo_and_counts)
{
	char *mem = malloc(4 * IXDP_BUF_SIZE);
	struct ixdp_buf *a, *b, *c;
	struct ixdp_buf descs[8];
	struct ixdp_pool p;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 8);
	ixdp_pool_add(&p, mem, 4 * IXDP_BUF_SIZE);
	a = ixdp_buf_get(&p);
	b = ixdp_buf_get(&p);
	CHECK(a && b && a != b);
	CHECK_EQ(p.avail, 2);
	CHECK_EQ(a->off, IXDP_BUF_HEADROOM);
	CHECK_EQ(a->len, 0);
	CHECK(a->pool == &p);
	ixdp_buf_put(a);
	c = ixdp_buf_get(&p);
	CHECK(c == a);			/* last put, first out */
	ixdp_buf_put(b);
	ixdp_buf_put(c);
	CHECK_EQ(p.avail, 4);
	CHECK_EQ(p.empty, 0);
	free(mem);
}

IX_TEST(buf, exhaustion_counted)
{
	char *mem = malloc(2 * IXDP_BUF_SIZE);
	struct ixdp_buf *a, *b;
	struct ixdp_buf descs[8];
	struct ixdp_pool p;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 8);
	ixdp_pool_add(&p, mem, 2 * IXDP_BUF_SIZE);
	a = ixdp_buf_get(&p);
	b = ixdp_buf_get(&p);
	CHECK(a && b);
	CHECK(!ixdp_buf_get(&p));
	CHECK(!ixdp_buf_get(&p));
	CHECK_EQ(p.empty, 2);
	CHECK_EQ(p.avail, 0);
	ixdp_buf_put(a);
	CHECK(ixdp_buf_get(&p) == a);
	ixdp_buf_put(a);
	ixdp_buf_put(b);
	CHECK_EQ(p.avail, 2);
	free(mem);
}

IX_TEST(buf, double_put_is_ignored_and_counted)
{
	char *mem = malloc(2 * IXDP_BUF_SIZE);
	struct ixdp_buf *a;
	struct ixdp_buf descs[8];
	struct ixdp_pool p;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 8);
	ixdp_pool_add(&p, mem, 2 * IXDP_BUF_SIZE);
	a = ixdp_buf_get(&p);
	ixdp_buf_put(a);
	printf("# a double put follows: expect one warning on stderr\n");
	ixdp_buf_put(a);
	ixdp_buf_put(NULL);
	CHECK_EQ(p.bad_put, 1);
	CHECK_EQ(p.avail, 2);
	/* The stack is intact: two distinct buffers, then empty. */
	a = ixdp_buf_get(&p);
	CHECK(a && ixdp_buf_get(&p) != a);
	CHECK(!ixdp_buf_get(&p));
	free(mem);
}

IX_TEST(buf, push_pull_put_tail_respect_bounds)
{
	char *mem = malloc(IXDP_BUF_SIZE);
	struct ixdp_buf descs[8];
	struct ixdp_pool p;
	struct ixdp_buf *b;
	uint8_t *d;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 8);
	ixdp_pool_add(&p, mem, IXDP_BUF_SIZE);
	b = ixdp_buf_get(&p);
	CHECK(b);
	d = ixdp_buf_put_tail(b, 10);
	CHECK(d == (uint8_t *)ixdp_buf_data(b));
	CHECK_EQ(b->len, 10);
	CHECK(!ixdp_buf_put_tail(b, ixdp_buf_tailroom(b) + 1));
	CHECK(ixdp_buf_put_tail(b, ixdp_buf_tailroom(b)));
	CHECK_EQ(b->off + b->len, IXDP_BUF_ROOM);
	ixdp_buf_reset(b, IXDP_BUF_HEADROOM);
	ixdp_buf_put_tail(b, 4);
	CHECK(ixdp_buf_push(b, IXDP_BUF_HEADROOM) == (void *)b->room);
	CHECK(!ixdp_buf_push(b, 1));
	CHECK_EQ(b->len, IXDP_BUF_HEADROOM + 4);
	CHECK(!ixdp_buf_pull(b, b->len + 1));
	CHECK(ixdp_buf_pull(b, IXDP_BUF_HEADROOM));
	CHECK_EQ(b->len, 4);
	ixdp_buf_trim(b, 9);
	CHECK_EQ(b->len, 4);
	ixdp_buf_trim(b, 1);
	CHECK_EQ(b->len, 1);
	ixdp_buf_put(b);
	CHECK_EQ(p.avail, 1);
	free(mem);
}

/* True if the @len bytes at @p are all zero. */
static int all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * A buffer's slot is mapped into the next application to drive the core:
 * whatever a frame wrote there, however its data moved since (pulled,
 * trimmed, reset for a reply), put() leaves the whole slot zero.
 */
IX_TEST(buf, put_leaves_nothing_of_the_frame)
{
	uint8_t *mem = calloc(1, IXDP_BUF_SIZE);
	struct ixdp_buf descs[1];
	struct ixdp_pool p;
	struct ixdp_buf *b;

	CHECK(mem);
	ixdp_pool_init(&p, descs, 1);
	ixdp_pool_add(&p, mem, IXDP_BUF_SIZE);

	/* Built and sent: payload appended, headers pushed in front. */
	b = ixdp_buf_get(&p);
	memset(ixdp_buf_put_tail(b, 300), 0xa5, 300);
	memset(ixdp_buf_push(b, 54), 0x5a, 54);
	ixdp_buf_put(b);
	CHECK(all_zero(mem, IXDP_BUF_SIZE));

	/* Received: the device wrote 1,000 bytes; headers pulled, tail cut. */
	b = ixdp_buf_get(&p);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memset(ixdp_buf_put_tail(b, 1000), 0xa5, 1000);
	ixdp_buf_pull(b, 54);
	ixdp_buf_trim(b, 10);
	ixdp_buf_put(b);
	CHECK(all_zero(mem, IXDP_BUF_SIZE));

	/* Received, then reset to build a shorter reply in place. */
	b = ixdp_buf_get(&p);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memset(ixdp_buf_put_tail(b, 1400), 0xa5, 1400);
	ixdp_buf_reset(b, IXDP_BUF_HEADROOM);
	memset(ixdp_buf_put_tail(b, 20), 0x5a, 20);
	ixdp_buf_put(b);
	CHECK(all_zero(mem, IXDP_BUF_SIZE));

	/* A device wrote where it said nothing: marked, cleared. */
	b = ixdp_buf_get(&p);
	memset(mem + IXDP_BUF_SIZE - 8, 0xa5, 8);
	ixdp_buf_mark(b, IXDP_BUF_ROOM);
	ixdp_buf_put(b);
	CHECK(all_zero(mem, IXDP_BUF_SIZE));
	free(mem);
}
