/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv: a key-value server speaking the memcached text and binary
 * protocols.  The store (kv_store.c) and the protocol engine (kv_conn.c,
 * kv_text.c, kv_bin.c) know nothing of the transport: a frontend feeds a
 * connection's bytes to kv_conn_input() and sends what kv_conn_peek()
 * shows, telling kv_conn_consume() how much went.  kv_sock.c is the Linux
 * socket frontend, ix_kv.c the ixdp one.  Single-threaded: one store per
 * thread (per dataplane core), no locks.
 */
#ifndef _KV_H
#define _KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifndef __printf
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define KV_VERSION		"1.6.0-ixkv"
#define KV_KEY_MAX		250
#define KV_ITEM_MAX_DEFAULT	(1024 * 1024)
#define KV_LIMIT_DEFAULT	(64UL << 20)
/* Longest text command line; get lines are streamed and may be longer. */
#define KV_LINE_MAX		2048
/* A connection stops taking input while this much output waits. */
#define KV_OUT_HIGH		(256 * 1024)
/* Relative expiration times are at most this (memcached's 30 days). */
#define KV_REL_MAX		(60 * 60 * 24 * 30)

/**
 * struct kv_item - one key and its value
 * @hnext: next in the hash chain
 * @prev: LRU neighbour towards the most recently used
 * @next: LRU neighbour towards the least recently used
 * @cas: its compare-and-swap unique
 * @exptime: absolute unix time it expires at; 0: never
 * @time: when it was stored
 * @hash: of the key
 * @flags: the client's
 * @nbytes: value length; the value is followed by "\r\n" in @data
 * @refs: the table's reference while linked, and one per user (a
 *	connection filling it, output not yet sent)
 * @nkey: key length
 * @linked: in the table and the LRU
 * @data: the key, then the value and "\r\n"
 */
struct kv_item {
	struct kv_item	*hnext;
	struct kv_item	*prev;
	struct kv_item	*next;
	uint64_t	cas;
	int64_t		exptime;
	int64_t		time;
	uint32_t	hash;
	uint32_t	flags;
	uint32_t	nbytes;
	uint32_t	refs;
	uint8_t		nkey;
	bool		linked;
	char		data[];
};

static inline char *kv_item_value(struct kv_item *it)
{
	return it->data + it->nkey;
}

#define KV_ARENA_MIN		64		/* smallest chunk */
#define KV_ARENA_PAGE		(1024 * 1024)	/* a class grows by this */
#define KV_ARENA_CLASSES	64

/**
 * struct kv_arena - item memory in one fixed region (kv_arena.c)
 * @base: the region
 * @size: its length
 * @used: bytes of it given to classes
 * @allocs: chunks out now
 * @fails: allocations refused
 * @nclasses: entries of @class_size
 * @class_size: chunk size of each class, ascending
 * @free: free chunks of each class
 */
struct kv_arena {
	uint8_t		*base;
	size_t		size;
	size_t		used;
	uint64_t	allocs;
	uint64_t	fails;
	unsigned int	nclasses;
	size_t		class_size[KV_ARENA_CLASSES];
	void		*free[KV_ARENA_CLASSES];
};

void kv_arena_init(struct kv_arena *a, void *base, size_t size);
void *kv_arena_alloc(struct kv_arena *a, size_t size);
void kv_arena_free(struct kv_arena *a, void *p, size_t size);
bool kv_arena_owns(const struct kv_arena *a, const void *p);

/* Counters shown by "stats"; reset by "stats reset" unless said. */
struct kv_stats {
	uint64_t	total_items;
	uint64_t	evictions;
	uint64_t	reclaimed;
	uint64_t	cmd_get;
	uint64_t	cmd_set;
	uint64_t	cmd_flush;
	uint64_t	cmd_touch;
	uint64_t	get_hits;
	uint64_t	get_misses;
	uint64_t	delete_hits;
	uint64_t	delete_misses;
	uint64_t	incr_hits;
	uint64_t	incr_misses;
	uint64_t	decr_hits;
	uint64_t	decr_misses;
	uint64_t	cas_hits;
	uint64_t	cas_misses;
	uint64_t	cas_badval;
	uint64_t	touch_hits;
	uint64_t	touch_misses;
	uint64_t	store_too_large;
	uint64_t	store_no_memory;
	uint64_t	bytes_read;
	uint64_t	bytes_written;
	uint64_t	total_connections;
	uint64_t	curr_connections;	/* not reset */
};

/**
 * struct kv_store - the items of one thread
 * @table: hash buckets, @mask + 1 of them (a power of two)
 * @old: while growing, the previous buckets, @old_mask + 1 of them;
 *	those below @migrate have moved to @table
 * @lru_head: most recently used
 * @lru_tail: least recently used, evicted first
 * @count: items linked
 * @bytes: their memory
 * @mem: memory of every item allocated, linked or not
 * @limit: what @mem may reach
 * @item_max: the largest item (header, key and value)
 * @next_cas: the next cas unique
 * @flush_at: a delayed flush_all is due then (0: none)
 * @started: when the store was made
 * @seed: of the hash
 * @now: the clock, unix seconds (injectable for tests)
 * @arena: where items go first (NULL: the heap only); an item the arena
 *	cannot place goes to the heap
 * @stats: counters
 */
struct kv_store {
	struct kv_item	**table;
	struct kv_item	**old;
	uint32_t	mask;
	uint32_t	old_mask;
	uint32_t	migrate;
	uint32_t	seed;
	struct kv_item	*lru_head;
	struct kv_item	*lru_tail;
	uint64_t	count;
	size_t		bytes;
	size_t		mem;
	size_t		limit;
	size_t		item_max;
	uint64_t	next_cas;
	int64_t		flush_at;
	int64_t		started;
	int64_t		(*now)(void);
	struct kv_arena	*arena;
	struct kv_stats	stats;
};

/* Results of store operations; the protocols map them to replies. */
enum kv_status {
	KV_OK,
	KV_NOT_FOUND,
	KV_EXISTS,
	KV_NOT_STORED,
	KV_TOO_LARGE,
	KV_NO_MEMORY,
	KV_NON_NUMERIC,
};

/* How kv_store_item() stores. */
enum kv_mode {
	KV_SET,
	KV_ADD,
	KV_REPLACE,
	KV_APPEND,
	KV_PREPEND,
	KV_CAS,
};

/* kv_store.c */
int kv_store_init(struct kv_store *s, size_t limit, size_t item_max,
		  int64_t (*now)(void));
void kv_store_destroy(struct kv_store *s);
int64_t kv_exptime(struct kv_store *s, int64_t exptime);
struct kv_item *kv_find(struct kv_store *s, const char *key, size_t nkey);
struct kv_item *kv_item_new(struct kv_store *s, const char *key,
			    size_t nkey, uint32_t flags, int64_t exptime,
			    size_t nbytes, enum kv_status *status);
void kv_item_put(struct kv_store *s, struct kv_item *it);
enum kv_status kv_store_item(struct kv_store *s, struct kv_item *it,
			     enum kv_mode mode, uint64_t cas);
enum kv_status kv_delete(struct kv_store *s, const char *key, size_t nkey,
			 uint64_t cas);
enum kv_status kv_delta(struct kv_store *s, const char *key, size_t nkey,
			bool incr, uint64_t delta, uint64_t cas,
			uint64_t *value, uint64_t *new_cas);
struct kv_item *kv_touch(struct kv_store *s, const char *key, size_t nkey,
			 int64_t exptime);
void kv_flush(struct kv_store *s, int64_t delay);
bool kv_parse_u64(const char *p, size_t n, uint64_t *v);

static inline void kv_item_get(struct kv_item *it)
{
	it->refs++;
}

/* kv_stats.c */
void kv_stats_each(struct kv_store *s,
		   void (*fn)(void *arg, const char *name, const char *val),
		   void *arg);
void kv_stats_reset(struct kv_store *s);

/* Protocols of a connection, picked by its first byte. */
enum {
	KV_PROTO_NONE,
	KV_PROTO_TEXT,
	KV_PROTO_BIN,
};

/* Input states of a connection. */
enum {
	KV_ST_LINE,	/* text: reading a command line */
	KV_ST_GETKEYS,	/* text: the keys of a get line, streamed */
	KV_ST_SKIPLINE,	/* text: discarding the rest of a bad line */
	KV_ST_DATA,	/* text: reading a value into @item */
	KV_ST_SWALLOW,	/* discarding @skip bytes */
	KV_ST_BIN_HDR,	/* binary: reading a request header */
	KV_ST_BIN_BODY,	/* binary: reading extras and key */
	KV_ST_BIN_VALUE,	/* binary: reading a value into @item */
};

/**
 * struct kv_piece - a piece of pending output
 * @item: a reference to the item whose value bytes these are; NULL:
 *	bytes of the connection's output buffer
 * @off: offset in the value or in the output buffer
 * @len: bytes
 */
struct kv_piece {
	struct kv_item	*item;
	uint32_t	off;
	uint32_t	len;
};

/**
 * struct kv_bin_req - a binary request header, in host order
 * @opcode: the command
 * @extlen: extras length
 * @keylen: key length
 * @bodylen: extras, key and value length
 * @opaque: echoed
 * @cas: the request's cas
 */
struct kv_bin_req {
	uint8_t		opcode;
	uint8_t		extlen;
	uint16_t	keylen;
	uint32_t	bodylen;
	uint32_t	opaque;
	uint64_t	cas;
};

#define KV_BIN_HDR	24
#define KV_BIN_BODY_MAX	(20 + KV_KEY_MAX)

/**
 * struct kv_conn - the protocol state of one connection
 * @store: its store
 * @proto: KV_PROTO_*
 * @state: KV_ST_*
 * @noreply: the current command answers nothing
 * @closing: quit or a fatal error: no more input; close once the
 *	output is sent
 * @line: the command line read so far; in KV_ST_GETKEYS, keys not
 *	processed yet from @line_off
 * @line_len: bytes in @line
 * @line_off: see @line
 * @get_cmd: KV_GET_* of a get line being streamed
 * @get_nkeys: keys of it looked up so far
 * @get_exptime: its expiration (gat, gats)
 * @mode: the storage command whose value is being read
 * @cas: its cas unique
 * @item: the item being filled (referenced), or NULL
 * @item_got: bytes of its value (and terminator) read
 * @item_need: bytes to read in all
 * @skip: bytes left to discard in KV_ST_SWALLOW
 * @hdr: binary: the request header read so far
 * @hdr_len: its bytes
 * @req: the parsed request header
 * @body: its extras and key, read so far
 * @body_len: their bytes
 * @obuf: output bytes that pieces refer to
 * @olen: bytes used in @obuf
 * @ocap: its size
 * @pieces: pending output, from @phead to @npieces
 * @phead: the first piece not sent
 * @npieces: pieces used
 * @pcap: room for pieces
 * @pending: bytes of output not consumed yet
 */
struct kv_conn {
	struct kv_store	*store;
	uint8_t		proto;
	uint8_t		state;
	bool		noreply;
	bool		closing;
	char		line[KV_LINE_MAX];
	uint32_t	line_len;
	uint32_t	line_off;
	uint8_t		get_cmd;
	uint32_t	get_nkeys;
	int64_t		get_exptime;
	uint8_t		mode;
	uint64_t	cas;
	struct kv_item	*item;
	uint32_t	item_got;
	uint32_t	item_need;
	uint64_t	skip;
	uint8_t		hdr[KV_BIN_HDR];
	uint8_t		hdr_len;
	struct kv_bin_req req;
	uint8_t		body[KV_BIN_BODY_MAX];
	uint16_t	body_len;
	uint8_t		*obuf;
	uint32_t	olen;
	uint32_t	ocap;
	struct kv_piece	*pieces;
	uint32_t	phead;
	uint32_t	npieces;
	uint32_t	pcap;
	size_t		pending;
};

/* kv_conn.c: the frontends' interface */
struct kv_conn *kv_conn_new(struct kv_store *s);
void kv_conn_free(struct kv_conn *c);
size_t kv_conn_input(struct kv_conn *c, const uint8_t *data, size_t len);
unsigned int kv_conn_peek(const struct kv_conn *c, struct iovec *iov,
			  unsigned int max);
unsigned int kv_conn_peek_at(const struct kv_conn *c, size_t skip,
			     struct iovec *iov, unsigned int max);
void kv_conn_consume(struct kv_conn *c, size_t n);

/* Output waits: no input is taken until some is consumed. */
static inline bool kv_conn_blocked(const struct kv_conn *c)
{
	return c->pending >= KV_OUT_HIGH;
}

/* Done: close once kv_conn_peek() shows nothing. */
static inline bool kv_conn_done(const struct kv_conn *c)
{
	return c->closing;
}

/* kv_conn.c: output for the protocols */
void kv_out(struct kv_conn *c, const void *p, size_t n);
void kv_outs(struct kv_conn *c, const char *s);
__printf(2, 3)
void kv_outf(struct kv_conn *c, const char *fmt, ...);
void kv_out_item(struct kv_conn *c, struct kv_item *it, uint32_t off,
		 uint32_t len);
size_t kv_conn_fill(struct kv_conn *c, const uint8_t *p, size_t n);

/* kv_text.c, kv_bin.c */
size_t kv_text_input(struct kv_conn *c, const uint8_t *p, size_t len);
size_t kv_bin_input(struct kv_conn *c, const uint8_t *p, size_t len);

#endif /* _KV_H */
