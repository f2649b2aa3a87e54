// SPDX-License-Identifier: GPL-2.0
/*
 * kv_stats: the counters "stats" shows, named as memcached names them,
 * for both protocols.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"

#define STAT(name)	{ #name, offsetof(struct kv_stats, name) }

static const struct {
	const char	*name;
	size_t		off;
} counters[] = {
	STAT(curr_connections),
	STAT(total_connections),
	STAT(cmd_get),
	STAT(cmd_set),
	STAT(cmd_flush),
	STAT(cmd_touch),
	STAT(get_hits),
	STAT(get_misses),
	STAT(delete_misses),
	STAT(delete_hits),
	STAT(incr_misses),
	STAT(incr_hits),
	STAT(decr_misses),
	STAT(decr_hits),
	STAT(cas_misses),
	STAT(cas_hits),
	STAT(cas_badval),
	STAT(touch_hits),
	STAT(touch_misses),
	STAT(store_too_large),
	STAT(store_no_memory),
	STAT(bytes_read),
	STAT(bytes_written),
	STAT(total_items),
	STAT(evictions),
	STAT(reclaimed),
};

static void num(void (*fn)(void *, const char *, const char *), void *arg,
		const char *name, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	fn(arg, name, buf);
}

/**
 * kv_stats_each() - call @fn with each statistic's name and value
 * @s: the store
 * @fn: the callback
 * @arg: its first argument
 */
void kv_stats_each(struct kv_store *s,
		   void (*fn)(void *arg, const char *name, const char *val),
		   void *arg)
{
	int64_t now = s->now();
	size_t i;

	num(fn, arg, "pid", getpid());
	num(fn, arg, "uptime", now - s->started);
	num(fn, arg, "time", now);
	fn(arg, "version", KV_VERSION);
	num(fn, arg, "pointer_size", 8 * sizeof(void *));
	num(fn, arg, "threads", 1);
	num(fn, arg, "limit_maxbytes", s->limit);
	num(fn, arg, "item_size_max", s->item_max);
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		num(fn, arg, counters[i].name,
		    *(uint64_t *)((char *)&s->stats + counters[i].off));
	num(fn, arg, "curr_items", s->count);
	num(fn, arg, "bytes", s->bytes);
	num(fn, arg, "hash_buckets", (unsigned long long)s->mask + 1);
	num(fn, arg, "hash_is_expanding", !!s->old);
}

/* "stats reset": zero the counters, except the current connections. */
void kv_stats_reset(struct kv_store *s)
{
	uint64_t conns = s->stats.curr_connections;

	memset(&s->stats, 0, sizeof(s->stats));
	s->stats.curr_connections = conns;
}
