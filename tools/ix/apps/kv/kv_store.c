// SPDX-License-Identifier: GPL-2.0
/*
 * kv_store: items in a chained hash table of a power of two buckets that
 * doubles incrementally (a few buckets move at each operation, so no
 * operation pays for a whole rehash), an LRU list for eviction under a
 * memory limit, and memcached's expiration rules.  Items are reference
 * counted: one that is replaced, deleted or evicted while output still
 * refers to it lives on, unlinked, until that output is sent.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "kv.h"

#define KV_BUCKETS_MIN	1024
#define KV_MIGRATE_STEP	8

static size_t item_size(size_t nkey, size_t nbytes)
{
	return sizeof(struct kv_item) + nkey + nbytes + 2;
}

static uint32_t kv_hash(uint32_t seed, const char *key, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	/* FNV-1a, then a finalizer to spread the low bits we index by. */
	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)key[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

int kv_store_init(struct kv_store *s, size_t limit, size_t item_max,
		  int64_t (*now)(void))
{
	memset(s, 0, sizeof(*s));
	s->table = calloc(KV_BUCKETS_MIN, sizeof(*s->table));
	if (!s->table)
		return -ENOMEM;
	s->mask = KV_BUCKETS_MIN - 1;
	s->limit = limit;
	s->item_max = item_max;
	s->now = now;
	s->next_cas = 1;
	s->started = now();
	if (getrandom(&s->seed, sizeof(s->seed), GRND_NONBLOCK) < 0)
		s->seed = (uint32_t)s->started;
	return 0;
}

static struct kv_item **bucket(struct kv_store *s, uint32_t hash)
{
	if (s->old && (hash & s->old_mask) >= s->migrate)
		return &s->old[hash & s->old_mask];
	return &s->table[hash & s->mask];
}

/* Move a few buckets of the old table into the new one. */
static void migrate(struct kv_store *s)
{
	struct kv_item *it, *next, **b;
	unsigned int n;

	for (n = 0; s->old && n < KV_MIGRATE_STEP; n++) {
		for (it = s->old[s->migrate]; it; it = next) {
			next = it->hnext;
			b = &s->table[it->hash & s->mask];
			it->hnext = *b;
			*b = it;
		}
		s->old[s->migrate] = NULL;
		if (s->migrate++ == s->old_mask) {
			free(s->old);
			s->old = NULL;
		}
	}
}

static void maybe_grow(struct kv_store *s)
{
	struct kv_item **t;
	uint64_t n = (uint64_t)s->mask + 1;

	if (s->old || s->count <= n + n / 2 || n >= (1U << 31))
		return;
	t = calloc(n * 2, sizeof(*t));
	if (!t)
		return;		/* longer chains, not a failure */
	s->old = s->table;
	s->old_mask = s->mask;
	s->migrate = 0;
	s->table = t;
	s->mask = n * 2 - 1;
}

static void lru_unlink(struct kv_store *s, struct kv_item *it)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		s->lru_head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		s->lru_tail = it->prev;
	it->prev = NULL;
	it->next = NULL;
}

static void lru_push(struct kv_store *s, struct kv_item *it)
{
	it->prev = NULL;
	it->next = s->lru_head;
	if (s->lru_head)
		s->lru_head->prev = it;
	else
		s->lru_tail = it;
	s->lru_head = it;
}

/* Item memory: from the arena if there is one and it has room. */
static struct kv_item *item_alloc(struct kv_store *s, size_t size)
{
	struct kv_item *it = NULL;

	if (s->arena)
		it = kv_arena_alloc(s->arena, size);
	return it ? it : malloc(size);
}

void kv_item_put(struct kv_store *s, struct kv_item *it)
{
	size_t size = item_size(it->nkey, it->nbytes);

	if (--it->refs)
		return;
	s->mem -= size;
	if (kv_arena_owns(s->arena, it))
		kv_arena_free(s->arena, it, size);
	else
		free(it);
}

static void unlink_item(struct kv_store *s, struct kv_item *it)
{
	struct kv_item **p = bucket(s, it->hash);

	while (*p != it)
		p = &(*p)->hnext;
	*p = it->hnext;
	it->hnext = NULL;
	lru_unlink(s, it);
	it->linked = false;
	s->count--;
	s->bytes -= item_size(it->nkey, it->nbytes);
	kv_item_put(s, it);
}

static void link_item(struct kv_store *s, struct kv_item *it)
{
	struct kv_item **b = bucket(s, it->hash);

	it->hnext = *b;
	*b = it;
	lru_push(s, it);
	it->linked = true;
	it->refs++;
	it->cas = s->next_cas++;
	it->time = s->now();
	s->count++;
	s->bytes += item_size(it->nkey, it->nbytes);
	s->stats.total_items++;
	maybe_grow(s);
}

static bool expired(struct kv_store *s, const struct kv_item *it,
		    int64_t now)
{
	return it->exptime && it->exptime <= now;
}

/* A delayed flush_all that came due drops what was stored before it. */
static void flush_due(struct kv_store *s, int64_t now)
{
	struct kv_item *it, *prev;

	if (!s->flush_at || s->flush_at > now)
		return;
	for (it = s->lru_tail; it; it = prev) {
		prev = it->prev;
		if (it->time < s->flush_at)
			unlink_item(s, it);
	}
	s->flush_at = 0;
}

/* The linked item of @key, live or not. */
static struct kv_item *lookup(struct kv_store *s, const char *key,
			      size_t nkey, uint32_t hash)
{
	struct kv_item *it;

	for (it = *bucket(s, hash); it; it = it->hnext)
		if (it->hash == hash && it->nkey == nkey &&
		    !memcmp(it->data, key, nkey))
			return it;
	return NULL;
}

/* The live item of @key, expired ones dropped on the way. */
static struct kv_item *find(struct kv_store *s, const char *key,
			    size_t nkey)
{
	uint32_t hash = kv_hash(s->seed, key, nkey);
	int64_t now = s->now();
	struct kv_item *it;

	migrate(s);
	flush_due(s, now);
	it = lookup(s, key, nkey, hash);
	if (it && expired(s, it, now)) {
		s->stats.reclaimed++;
		unlink_item(s, it);
		it = NULL;
	}
	return it;
}

/**
 * kv_find() - look a key up for reading
 * @s: the store
 * @key: the key
 * @nkey: its length
 *
 * Return: the live item, now the most recently used, or NULL.  It stays
 * valid until the next store operation; take a reference to keep it.
 */
struct kv_item *kv_find(struct kv_store *s, const char *key, size_t nkey)
{
	struct kv_item *it = find(s, key, nkey);

	if (it && it != s->lru_head) {
		lru_unlink(s, it);
		lru_push(s, it);
	}
	return it;
}

/**
 * kv_exptime() - an expiration time as the protocols give it, absolute
 * @s: the store
 * @exptime: 0 (never), up to 30 days (seconds from now), more (a unix
 *	time) or negative (already expired)
 *
 * Return: the unix time it expires at, or 0 for never.
 */
int64_t kv_exptime(struct kv_store *s, int64_t exptime)
{
	if (exptime == 0)
		return 0;
	if (exptime < 0)
		return 1;
	if (exptime > KV_REL_MAX)
		return exptime;
	return s->now() + exptime;
}

/* Evict from the LRU tail until @size more bytes fit the limit. */
static bool make_room(struct kv_store *s, size_t size)
{
	int64_t now = s->now();
	struct kv_item *it;

	while (s->mem + size > s->limit && s->lru_tail) {
		it = s->lru_tail;
		if (expired(s, it, now))
			s->stats.reclaimed++;
		else
			s->stats.evictions++;
		unlink_item(s, it);
	}
	return s->mem + size <= s->limit;
}

/**
 * kv_item_new() - an unlinked item to fill and store
 * @s: the store
 * @key: its key, at most KV_KEY_MAX bytes
 * @nkey: the key's length
 * @flags: the client's flags
 * @exptime: absolute, as kv_exptime() gives it
 * @nbytes: the value's length; the caller fills kv_item_value()
 * @status: set to KV_TOO_LARGE or KV_NO_MEMORY when NULL is returned
 *
 * Evicts least recently used items to make room.  The caller holds the
 * one reference; kv_item_put() it once stored or given up.
 *
 * Return: the item, or NULL.
 */
struct kv_item *kv_item_new(struct kv_store *s, const char *key,
			    size_t nkey, uint32_t flags, int64_t exptime,
			    size_t nbytes, enum kv_status *status)
{
	size_t size = item_size(nkey, nbytes);
	struct kv_item *it;

	if (nkey > KV_KEY_MAX || nbytes > s->item_max ||
	    size > s->item_max) {
		*status = KV_TOO_LARGE;
		return NULL;
	}
	/* Never empty the cache for what cannot fit anyway. */
	it = size <= s->limit && make_room(s, size) ? item_alloc(s, size) :
	     NULL;
	if (!it) {
		*status = KV_NO_MEMORY;
		return NULL;
	}
	memset(it, 0, sizeof(*it));
	it->hash = kv_hash(s->seed, key, nkey);
	it->flags = flags;
	it->exptime = exptime;
	it->nbytes = nbytes;
	it->nkey = nkey;
	it->refs = 1;
	memcpy(it->data, key, nkey);
	memcpy(kv_item_value(it) + nbytes, "\r\n", 2);
	s->mem += size;
	return it;
}

/* A new item holding @old's value with @it's appended or prepended. */
static struct kv_item *concat(struct kv_store *s, struct kv_item *old,
			      struct kv_item *it, bool append)
{
	struct kv_item *n;
	enum kv_status st;
	char *v;

	n = kv_item_new(s, old->data, old->nkey, old->flags, old->exptime,
			(size_t)old->nbytes + it->nbytes, &st);
	if (n) {
		v = kv_item_value(n);
		if (append) {
			memcpy(v, kv_item_value(old), old->nbytes);
			memcpy(v + old->nbytes, kv_item_value(it), it->nbytes);
		} else {
			memcpy(v, kv_item_value(it), it->nbytes);
			memcpy(v + it->nbytes, kv_item_value(old), old->nbytes);
		}
	}
	return n;
}

static enum kv_status store_concat(struct kv_store *s, struct kv_item *old,
				   struct kv_item *it, bool append)
{
	struct kv_item *n;

	kv_item_get(old);	/* making room may evict it */
	n = concat(s, old, it, append);
	if (n && old->linked)
		unlink_item(s, old);
	kv_item_put(s, old);
	if (!n)
		return KV_NOT_STORED;
	link_item(s, n);
	it->cas = n->cas;
	kv_item_put(s, n);
	return KV_OK;
}

/**
 * kv_store_item() - store a filled item
 * @s: the store
 * @it: from kv_item_new(), unlinked; the caller keeps its reference
 * @mode: set, add, replace, append, prepend, or cas
 * @cas: for KV_CAS, and for append and prepend if not 0: the unique the
 *	present item must have
 *
 * On success @it->cas holds the stored item's unique (append and prepend
 * store a new item combining both values).
 *
 * Return: KV_OK, KV_NOT_STORED (add of a present key, replace, append or
 * prepend of a missing one, no memory to combine), KV_NOT_FOUND (cas of
 * a missing key), KV_EXISTS (cas mismatch).
 */
enum kv_status kv_store_item(struct kv_store *s, struct kv_item *it,
			     enum kv_mode mode, uint64_t cas)
{
	struct kv_item *old = find(s, it->data, it->nkey);

	switch (mode) {
	case KV_ADD:
		if (old)
			return KV_NOT_STORED;
		break;
	case KV_REPLACE:
		if (!old)
			return KV_NOT_STORED;
		break;
	case KV_CAS:
		if (!old)
			return KV_NOT_FOUND;
		if (old->cas != cas)
			return KV_EXISTS;
		break;
	case KV_APPEND:
	case KV_PREPEND:
		if (!old)
			return KV_NOT_STORED;
		if (cas && old->cas != cas)
			return KV_EXISTS;
		return store_concat(s, old, it, mode == KV_APPEND);
	case KV_SET:
		break;
	}
	if (old)
		unlink_item(s, old);
	link_item(s, it);
	return KV_OK;
}

/**
 * kv_delete() - delete a key
 * @s: the store
 * @key: the key
 * @nkey: its length
 * @cas: if not 0, the unique the item must have
 *
 * Return: KV_OK, KV_NOT_FOUND or KV_EXISTS (cas mismatch).
 */
enum kv_status kv_delete(struct kv_store *s, const char *key, size_t nkey,
			 uint64_t cas)
{
	struct kv_item *it = find(s, key, nkey);

	if (!it)
		return KV_NOT_FOUND;
	if (cas && it->cas != cas)
		return KV_EXISTS;
	unlink_item(s, it);
	return KV_OK;
}

/**
 * kv_parse_u64() - a decimal unsigned 64-bit number
 * @p: its digits, maybe followed by spaces (memcached's decr leaves
 *	values padded so)
 * @n: their length
 * @v: the number
 *
 * Return: true if @p holds one number, in range, and nothing else.
 */
bool kv_parse_u64(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (x > (UINT64_MAX - (p[i] - '0')) / 10)
			return false;
		x = x * 10 + (p[i] - '0');
	}
	if (!i)
		return false;
	while (i < n && p[i] == ' ')
		i++;
	*v = x;
	return i == n;
}

/**
 * kv_delta() - incr or decr a decimal value
 * @s: the store
 * @key: the key
 * @nkey: its length
 * @incr: add (wrapping at 2^64) or subtract (not below 0)
 * @delta: by how much
 * @cas: if not 0, the unique the item must have
 * @value: the new value
 * @new_cas: the unique of the stored item
 *
 * Return: KV_OK, KV_NOT_FOUND, KV_EXISTS (cas mismatch), KV_NON_NUMERIC,
 * KV_NO_MEMORY.
 */
enum kv_status kv_delta(struct kv_store *s, const char *key, size_t nkey,
			bool incr, uint64_t delta, uint64_t cas,
			uint64_t *value, uint64_t *new_cas)
{
	struct kv_item *it = find(s, key, nkey), *n;
	enum kv_status st;
	char buf[24];
	uint64_t v;
	int len;

	if (!it)
		return KV_NOT_FOUND;
	if (cas && it->cas != cas)
		return KV_EXISTS;
	if (!kv_parse_u64(kv_item_value(it), it->nbytes, &v))
		return KV_NON_NUMERIC;
	if (incr)
		v += delta;
	else
		v = v > delta ? v - delta : 0;
	len = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	kv_item_get(it);
	n = kv_item_new(s, key, nkey, it->flags, it->exptime, len, &st);
	if (!n) {
		kv_item_put(s, it);
		return KV_NO_MEMORY;
	}
	memcpy(kv_item_value(n), buf, len);
	if (it->linked)
		unlink_item(s, it);
	kv_item_put(s, it);
	link_item(s, n);
	*value = v;
	*new_cas = n->cas;
	kv_item_put(s, n);
	return KV_OK;
}

/**
 * kv_touch() - give a key a new expiration time
 * @s: the store
 * @key: the key
 * @nkey: its length
 * @exptime: absolute, as kv_exptime() gives it
 *
 * Return: the item, or NULL if there is none.
 */
struct kv_item *kv_touch(struct kv_store *s, const char *key, size_t nkey,
			 int64_t exptime)
{
	struct kv_item *it = kv_find(s, key, nkey);

	if (it)
		it->exptime = exptime;
	return it;
}

/**
 * kv_flush() - flush_all: drop every item now, or at @delay
 * @s: the store
 * @delay: 0 or less: now; else an expiration time as the protocols give
 *	it, after which every item stored before it is gone
 */
void kv_flush(struct kv_store *s, int64_t delay)
{
	s->flush_at = 0;
	if (delay > 0) {
		s->flush_at = kv_exptime(s, delay);
		return;
	}
	while (s->lru_tail)
		unlink_item(s, s->lru_tail);
}

void kv_store_destroy(struct kv_store *s)
{
	kv_flush(s, 0);
	free(s->old);
	free(s->table);
	s->old = NULL;
	s->table = NULL;
}
