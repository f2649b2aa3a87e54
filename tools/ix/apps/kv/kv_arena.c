// SPDX-License-Identifier: GPL-2.0
/*
 * kv_arena: item memory carved from one fixed region, so that ix_kv can
 * keep its items in the dataplane's TX memory and send values from where
 * they are stored (zero copy).
 *
 * Sizes fall into classes growing by a quarter from KV_ARENA_MIN, as
 * memcached's slabs do; a class takes KV_ARENA_PAGE bytes of the region
 * at a time and cuts them into chunks of its size, kept on a free list.
 * Alloc and free are O(1).  Pages stay with the class that took them:
 * once the region is used up, a class with no free chunk fails and the
 * store falls back to the heap (those values are then copied when sent).
 * One thread; no locks.
 */

#include <string.h>

#include "kv.h"

/* A free chunk: the link is in the chunk itself. */
struct kv_chunk {
	struct kv_chunk	*next;
};

/**
 * kv_arena_init() - an arena over @size bytes at @base
 * @a: the arena
 * @base: the region, 8-byte aligned
 * @size: its length
 */
void kv_arena_init(struct kv_arena *a, void *base, size_t size)
{
	size_t sz = KV_ARENA_MIN;

	memset(a, 0, sizeof(*a));
	a->base = base;
	a->size = size;
	while (a->nclasses < KV_ARENA_CLASSES - 1 && sz < KV_ARENA_PAGE) {
		a->class_size[a->nclasses++] = sz;
		sz = (sz + sz / 4 + 7) & ~(size_t)7;
	}
	a->class_size[a->nclasses++] = KV_ARENA_PAGE;
}

/* The smallest class holding @size; nclasses if none. */
static unsigned int class_of(const struct kv_arena *a, size_t size)
{
	unsigned int lo = 0, hi = a->nclasses, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (a->class_size[mid] < size)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Give class @k a fresh page of the region; false if none is left. */
static bool grow(struct kv_arena *a, unsigned int k)
{
	size_t sz = a->class_size[k], off;
	struct kv_chunk *c;

	if (a->size - a->used < KV_ARENA_PAGE)
		return false;
	for (off = 0; off + sz <= KV_ARENA_PAGE; off += sz) {
		c = (struct kv_chunk *)(a->base + a->used + off);
		c->next = a->free[k];
		a->free[k] = c;
	}
	a->used += KV_ARENA_PAGE;
	return true;
}

/**
 * kv_arena_alloc() - a chunk of at least @size bytes
 * @a: the arena
 * @size: bytes wanted, at most KV_ARENA_PAGE
 *
 * Return: the chunk, 8-byte aligned, or NULL.
 */
void *kv_arena_alloc(struct kv_arena *a, size_t size)
{
	unsigned int k = class_of(a, size);
	struct kv_chunk *c;

	if (k == a->nclasses || (!a->free[k] && !grow(a, k))) {
		a->fails++;
		return NULL;
	}
	c = a->free[k];
	a->free[k] = c->next;
	a->allocs++;
	return c;
}

/**
 * kv_arena_free() - give back a chunk of kv_arena_alloc()
 * @a: the arena
 * @p: the chunk
 * @size: the size it was asked for
 */
void kv_arena_free(struct kv_arena *a, void *p, size_t size)
{
	unsigned int k = class_of(a, size);
	struct kv_chunk *c = p;

	c->next = a->free[k];
	a->free[k] = c;
	a->allocs--;
}

/**
 * kv_arena_owns() - is @p in the arena's region?
 * @a: the arena, or NULL
 * @p: a pointer
 *
 * Return: true if it is.
 */
bool kv_arena_owns(const struct kv_arena *a, const void *p)
{
	const uint8_t *b = p;

	return a && b >= a->base && b < a->base + a->size;
}
