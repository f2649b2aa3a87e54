// SPDX-License-Identifier: GPL-2.0
/*
 * kv_text: the memcached text protocol.
 *
 * A command line is parsed in place when it arrived whole, else gathered
 * in the connection's line buffer (KV_LINE_MAX).  Get lines (get, gets,
 * gat, gats) are streamed instead: once the command is known each key is
 * looked up as soon as it is complete, so they may be of any length and
 * only a partial key is ever kept.  A value is read straight into its
 * item.  Replies and errors are memcached 1.6's.
 */

#include <stdio.h>
#include <string.h>

#include "kv.h"

#define KV_TOKENS	8

enum {
	KV_GET,
	KV_GETS,
	KV_GAT,
	KV_GATS,
};

/* get_head() results besides a head length */
#define HEAD_MORE	0	/* incomplete: wait for more input */
#define HEAD_NOT_GET	(-1)
#define HEAD_DONE	(-2)	/* answered (an error) */

struct tok {
	const char	*p;
	size_t		n;
};

static bool tok_is(const struct tok *t, const char *s)
{
	return t->n == strlen(s) && !memcmp(t->p, s, t->n);
}

/* Split on spaces; return the count, KV_TOKENS + 1 if there are more. */
static unsigned int tokenize(const char *s, size_t n, struct tok *t)
{
	unsigned int k = 0;
	size_t i = 0, j;

	while (i < n) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (k == KV_TOKENS)
			return k + 1;
		t[k].p = s + i;
		t[k++].n = j - i;
		i = j;
	}
	return k;
}

static bool parse_i64(const struct tok *t, int64_t *v)
{
	bool neg = t->n && t->p[0] == '-';
	uint64_t x;

	if (!kv_parse_u64(t->p + neg, t->n - neg, &x) ||
	    x > (uint64_t)INT64_MAX)
		return false;
	*v = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

static bool parse_u64(const struct tok *t, uint64_t *v)
{
	return kv_parse_u64(t->p, t->n, v);
}

static void reply(struct kv_conn *c, const char *s)
{
	if (!c->noreply)
		kv_outs(c, s);
}

static bool key_ok(struct kv_conn *c, const struct tok *key)
{
	if (key->n <= KV_KEY_MAX)
		return true;
	reply(c, "CLIENT_ERROR bad command line format\r\n");
	return false;
}

/* Wait for @n bytes to discard: the value of a refused set. */
static void swallow(struct kv_conn *c, uint64_t n)
{
	c->skip = n;
	c->state = KV_ST_SWALLOW;
}

static void cmd_store(struct kv_conn *c, struct tok *t, unsigned int n,
		      enum kv_mode mode)
{
	struct kv_store *s = c->store;
	int64_t exptime, bytes;
	enum kv_status st;
	struct kv_item *it;
	uint64_t flags, cas = 0;

	c->noreply = tok_is(&t[n - 1], "noreply");
	if (!key_ok(c, &t[1]))
		return;
	if (!parse_u64(&t[2], &flags) || flags > UINT32_MAX ||
	    !parse_i64(&t[3], &exptime) || !parse_i64(&t[4], &bytes) ||
	    bytes < 0 || bytes > INT32_MAX - 2 ||
	    (mode == KV_CAS && !parse_u64(&t[5], &cas))) {
		reply(c, "CLIENT_ERROR bad command line format\r\n");
		return;
	}
	s->stats.cmd_set++;
	it = kv_item_new(s, t[1].p, t[1].n, flags, kv_exptime(s, exptime),
			 bytes, &st);
	if (!it) {
		if (st == KV_TOO_LARGE) {
			s->stats.store_too_large++;
			reply(c, "SERVER_ERROR object too large for cache\r\n");
		} else {
			s->stats.store_no_memory++;
			reply(c, "SERVER_ERROR out of memory storing object\r\n");
		}
		/* As memcached: a failed set leaves no stale value. */
		if (mode == KV_SET)
			kv_delete(s, t[1].p, t[1].n, 0);
		swallow(c, (uint64_t)bytes + 2);
		return;
	}
	c->item = it;
	c->item_got = 0;
	c->item_need = bytes + 2;
	c->mode = mode;
	c->cas = cas;
	c->state = KV_ST_DATA;
}

static void cas_stats(struct kv_store *s, enum kv_status st)
{
	if (st == KV_OK)
		s->stats.cas_hits++;
	else if (st == KV_EXISTS)
		s->stats.cas_badval++;
	else
		s->stats.cas_misses++;
}

/* The whole value and its terminator are in: store it. */
static void store_done(struct kv_conn *c)
{
	static const char * const replies[] = {
		[KV_OK]		= "STORED\r\n",
		[KV_NOT_FOUND]	= "NOT_FOUND\r\n",
		[KV_EXISTS]	= "EXISTS\r\n",
		[KV_NOT_STORED]	= "NOT_STORED\r\n",
	};
	struct kv_item *it = c->item;
	enum kv_status st;

	if (memcmp(kv_item_value(it) + it->nbytes, "\r\n", 2)) {
		reply(c, "CLIENT_ERROR bad data chunk\r\n");
	} else {
		st = kv_store_item(c->store, it, c->mode, c->cas);
		if (c->mode == KV_CAS)
			cas_stats(c->store, st);
		reply(c, replies[st]);
	}
	kv_item_put(c->store, it);
	c->item = NULL;
	c->state = KV_ST_LINE;
}

static void cmd_delete(struct kv_conn *c, struct tok *t, unsigned int n)
{
	struct kv_store *s = c->store;
	bool zero;

	if (n > 2) {
		zero = tok_is(&t[2], "0");
		c->noreply = tok_is(&t[n - 1], "noreply");
		if (!(n == 3 && (zero || c->noreply)) &&
		    !(n == 4 && zero && c->noreply)) {
			reply(c, "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");
			return;
		}
	}
	if (!key_ok(c, &t[1]))
		return;
	if (kv_delete(s, t[1].p, t[1].n, 0) == KV_OK) {
		s->stats.delete_hits++;
		reply(c, "DELETED\r\n");
	} else {
		s->stats.delete_misses++;
		reply(c, "NOT_FOUND\r\n");
	}
}

static void cmd_delta(struct kv_conn *c, struct tok *t, unsigned int n,
		      bool incr)
{
	struct kv_store *s = c->store;
	uint64_t delta, v, cas;
	enum kv_status st;
	char buf[24];

	c->noreply = n == 4 && tok_is(&t[3], "noreply");
	if (!key_ok(c, &t[1]))
		return;
	if (!parse_u64(&t[2], &delta)) {
		reply(c, "CLIENT_ERROR invalid numeric delta argument\r\n");
		return;
	}
	st = kv_delta(s, t[1].p, t[1].n, incr, delta, 0, &v, &cas);
	if (st == KV_NOT_FOUND) {
		if (incr)
			s->stats.incr_misses++;
		else
			s->stats.decr_misses++;
		reply(c, "NOT_FOUND\r\n");
		return;
	}
	if (st == KV_NON_NUMERIC) {
		reply(c, "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
		return;
	}
	if (st != KV_OK) {
		reply(c, "SERVER_ERROR out of memory\r\n");
		return;
	}
	if (incr)
		s->stats.incr_hits++;
	else
		s->stats.decr_hits++;
	snprintf(buf, sizeof(buf), "%llu\r\n", (unsigned long long)v);
	reply(c, buf);
}

static void cmd_touch(struct kv_conn *c, struct tok *t, unsigned int n)
{
	struct kv_store *s = c->store;
	int64_t exptime;

	c->noreply = n == 4 && tok_is(&t[3], "noreply");
	if (!key_ok(c, &t[1]))
		return;
	if (!parse_i64(&t[2], &exptime)) {
		reply(c, "CLIENT_ERROR invalid exptime argument\r\n");
		return;
	}
	s->stats.cmd_touch++;
	if (kv_touch(s, t[1].p, t[1].n, kv_exptime(s, exptime))) {
		s->stats.touch_hits++;
		reply(c, "TOUCHED\r\n");
	} else {
		s->stats.touch_misses++;
		reply(c, "NOT_FOUND\r\n");
	}
}

static void cmd_flush(struct kv_conn *c, struct tok *t, unsigned int n)
{
	int64_t delay = 0;

	c->noreply = tok_is(&t[n - 1], "noreply");
	if (n > 1U + c->noreply && !parse_i64(&t[1], &delay)) {
		reply(c, "CLIENT_ERROR invalid exptime argument\r\n");
		return;
	}
	c->store->stats.cmd_flush++;
	kv_flush(c->store, delay);
	reply(c, "OK\r\n");
}

static void stat_line(void *arg, const char *name, const char *val)
{
	kv_outf(arg, "STAT %s %s\r\n", name, val);
}

static void cmd_stats(struct kv_conn *c, struct tok *t, unsigned int n)
{
	if (n == 1) {
		kv_stats_each(c->store, stat_line, c);
		kv_outs(c, "END\r\n");
	} else if (n == 2 && tok_is(&t[1], "reset")) {
		kv_stats_reset(c->store);
		kv_outs(c, "RESET\r\n");
	} else {
		kv_outs(c, "ERROR\r\n");
	}
}

static void cmd_verbosity(struct kv_conn *c, struct tok *t, unsigned int n)
{
	c->noreply = tok_is(&t[n - 1], "noreply");
	reply(c, "OK\r\n");
}

static void dispatch(struct kv_conn *c, struct tok *t, unsigned int n)
{
#define IS(name, lo, hi)	(tok_is(&t[0], name) && n >= (lo) && n <= (hi))
	if (!n)
		kv_outs(c, "ERROR\r\n");
	else if (IS("set", 5, 6))
		cmd_store(c, t, n, KV_SET);
	else if (IS("add", 5, 6))
		cmd_store(c, t, n, KV_ADD);
	else if (IS("replace", 5, 6))
		cmd_store(c, t, n, KV_REPLACE);
	else if (IS("append", 5, 6))
		cmd_store(c, t, n, KV_APPEND);
	else if (IS("prepend", 5, 6))
		cmd_store(c, t, n, KV_PREPEND);
	else if (IS("cas", 6, 7))
		cmd_store(c, t, n, KV_CAS);
	else if (IS("delete", 2, 4))
		cmd_delete(c, t, n);
	else if (IS("incr", 3, 4))
		cmd_delta(c, t, n, true);
	else if (IS("decr", 3, 4))
		cmd_delta(c, t, n, false);
	else if (IS("touch", 3, 4))
		cmd_touch(c, t, n);
	else if (IS("flush_all", 1, 3))
		cmd_flush(c, t, n);
	else if (IS("version", 1, KV_TOKENS + 1))
		kv_outs(c, "VERSION " KV_VERSION "\r\n");
	else if (IS("verbosity", 2, 3))
		cmd_verbosity(c, t, n);
	else if (IS("stats", 1, KV_TOKENS + 1))
		cmd_stats(c, t, n);
	else if (IS("quit", 1, KV_TOKENS + 1))
		c->closing = true;
	else
		kv_outs(c, "ERROR\r\n");
#undef IS
}

static int get_cmd(const char *s, size_t n)
{
	static const char * const names[] = {
		[KV_GET] = "get", [KV_GETS] = "gets",
		[KV_GAT] = "gat", [KV_GATS] = "gats",
	};
	int i;

	for (i = 0; i < 4; i++)
		if (n == strlen(names[i]) && !memcmp(s, names[i], n))
			return i;
	return -1;
}

/*
 * Is @s[0..@n) the start of a get line?  @complete: it is the whole
 * line, without its end.  Return the length of the head (the command,
 * and the expiration of gat) and enter KV_ST_GETKEYS, or HEAD_*.
 */
static long get_head(struct kv_conn *c, const char *s, size_t n,
		     bool complete)
{
	struct tok e = { NULL, 0 };
	size_t i = 0, j;
	int cmd;

	while (i < n && s[i] == ' ')
		i++;
	for (j = i; j < n && s[j] != ' '; j++)
		;
	cmd = get_cmd(s + i, j - i);
	if (cmd < 0)
		return complete ? HEAD_NOT_GET : HEAD_MORE;
	if (cmd >= KV_GAT && j < n) {
		for (i = j; i < n && s[i] == ' '; i++)
			;
		for (j = i; j < n && s[j] != ' '; j++)
			;
		e.p = s + i;
		e.n = j - i;
	}
	if (j == n && !complete)
		return HEAD_MORE;	/* no key follows yet */
	if (j == n && (cmd < KV_GAT || !e.n)) {
		kv_outs(c, "ERROR\r\n");
		return HEAD_DONE;
	}
	c->get_cmd = cmd;
	c->get_nkeys = 0;
	if (cmd >= KV_GAT) {
		if (!parse_i64(&e, &c->get_exptime)) {
			kv_outs(c, "CLIENT_ERROR invalid exptime argument\r\n");
			if (!complete)
				c->state = KV_ST_SKIPLINE;
			return HEAD_DONE;
		}
		c->get_exptime = kv_exptime(c->store, c->get_exptime);
		if (j == n) {
			/* As memcached: "gat <exptime>" finds nothing. */
			kv_outs(c, "END\r\n");
			return HEAD_DONE;
		}
	}
	c->state = KV_ST_GETKEYS;
	return j;
}

/* A complete line, ending in '\n', @n bytes with it. */
static size_t run_line(struct kv_conn *c, const char *s, size_t n,
		       bool in_place)
{
	struct tok t[KV_TOKENS];
	size_t m = n - 1;
	long h;

	if (m && s[m - 1] == '\r')
		m--;
	c->noreply = false;
	h = get_head(c, s, m, true);
	if (h > 0) {
		/* The keys follow, in the input or in the line buffer. */
		if (in_place)
			return h;
		c->line_off = h;
		return n;
	}
	if (h == HEAD_NOT_GET)
		dispatch(c, t, tokenize(s, m, t));
	c->line_len = 0;
	return n;
}

static size_t text_line(struct kv_conn *c, const uint8_t *p, size_t len)
{
	const uint8_t *nl = memchr(p, '\n', len);
	size_t n = nl ? (size_t)(nl - p) + 1 : len;
	long h;

	if (!c->line_len) {
		if (nl)
			return run_line(c, (const char *)p, n, true);
		h = get_head(c, (const char *)p, len, false);
		if (h > 0)
			return h;
		if (h == HEAD_DONE)
			return len;
	}
	if (c->line_len + n > KV_LINE_MAX) {
		/* Fill the buffer: it may turn out a get line, streamed. */
		n = KV_LINE_MAX - c->line_len;
		nl = NULL;
	}
	memcpy(c->line + c->line_len, p, n);
	c->line_len += n;
	if (nl) {
		run_line(c, c->line, c->line_len, false);
		return n;
	}
	h = get_head(c, c->line, c->line_len, false);
	if (h > 0) {
		c->line_off = h;
	} else if (h == HEAD_DONE) {
		c->line_len = 0;
	} else if (c->line_len == KV_LINE_MAX) {
		kv_outs(c, "CLIENT_ERROR line too long\r\n");
		c->closing = true;
	}
	return n;
}

/* One key of a get line. */
static void get_key(struct kv_conn *c, const char *key, size_t n)
{
	bool touch = c->get_cmd >= KV_GAT;
	struct kv_store *s = c->store;
	struct kv_item *it;

	c->get_nkeys++;
	s->stats.cmd_get++;
	if (touch) {
		s->stats.cmd_touch++;
		it = kv_touch(s, key, n, c->get_exptime);
	} else {
		it = kv_find(s, key, n);
	}
	if (!it) {
		s->stats.get_misses++;
		s->stats.touch_misses += touch;
		return;
	}
	s->stats.get_hits++;
	s->stats.touch_hits += touch;
	/* The key as bytes: it may hold anything but spaces and '\n'. */
	kv_out(c, "VALUE ", 6);
	kv_out(c, it->data, it->nkey);
	if (c->get_cmd == KV_GETS || c->get_cmd == KV_GATS)
		kv_outf(c, " %u %u %llu\r\n", it->flags, it->nbytes,
			(unsigned long long)it->cas);
	else
		kv_outf(c, " %u %u\r\n", it->flags, it->nbytes);
	kv_out_item(c, it, 0, it->nbytes + 2);
}

/*
 * Look up the complete keys in @b[0..@n) while output has room.  A key
 * ends at a space or at the line's end ('\n', a '\r' before it dropped).
 * Return the bytes used; a partial key at the end is left.  Leaves
 * KV_ST_GETKEYS at the line's end, or for a key that is too long
 * (KV_ST_SKIPLINE, from the bad key on).
 */
static size_t keys(struct kv_conn *c, const char *b, size_t n)
{
	size_t i = 0, j, k;

	while (i < n) {
		if (b[i] == ' ') {
			i++;
			continue;
		}
		if (b[i] == '\n') {
			/* A get without keys is an error, a gat not. */
			kv_outs(c, c->get_nkeys || c->get_cmd >= KV_GAT ?
				"END\r\n" : "ERROR\r\n");
			c->state = KV_ST_LINE;
			return i + 1;
		}
		for (j = i; j < n && b[j] != ' ' && b[j] != '\n'; j++)
			;
		k = j - i;
		if (j < n && b[j] == '\n' && b[j - 1] == '\r')
			k--;
		/* A partial key may still lose a '\r'. */
		if (k > KV_KEY_MAX + 1 || (k > KV_KEY_MAX && j < n)) {
			kv_outs(c, "CLIENT_ERROR bad command line format\r\n");
			c->state = KV_ST_SKIPLINE;
			return i;
		}
		if (j == n || kv_conn_blocked(c))
			return i;
		if (k)
			get_key(c, b + i, k);
		i = j;
	}
	return i;
}

/* Keys left in the line buffer first, then those of the input. */
static size_t getkeys(struct kv_conn *c, const uint8_t *p, size_t len)
{
	const char *b = c->line + c->line_off;
	size_t rest = c->line_len - c->line_off, used, n;

	if (!rest) {
		c->line_len = 0;
		c->line_off = 0;
		used = keys(c, (const char *)p, len);
		if (c->state == KV_ST_GETKEYS && used < len &&
		    !kv_conn_blocked(c)) {
			/* Keep a partial key (keys() bounded it). */
			memcpy(c->line, p + used, len - used);
			c->line_len = len - used;
			c->line_off = 0;
			used = len;
		}
		return used;
	}
	used = keys(c, b, rest);
	if (c->state != KV_ST_GETKEYS) {
		/* A bad key in a line that ended in the buffer: done. */
		if (c->state == KV_ST_SKIPLINE &&
		    memchr(b + used, '\n', rest - used))
			c->state = KV_ST_LINE;
		c->line_len = 0;
		c->line_off = 0;
		return 0;
	}
	c->line_off += used;
	rest -= used;
	if (kv_conn_blocked(c) || !len)
		return 0;
	/* A partial key is left: complete it from the input. */
	memmove(c->line, c->line + c->line_off, rest);
	c->line_len = rest;
	c->line_off = 0;
	for (n = 0; n < len && p[n] != ' ' && p[n] != '\n'; n++)
		;
	n += n < len;
	if (rest + n > KV_KEY_MAX + 2) {
		kv_outs(c, "CLIENT_ERROR bad command line format\r\n");
		c->state = KV_ST_SKIPLINE;
		c->line_len = 0;
		return 0;
	}
	memcpy(c->line + rest, p, n);
	c->line_len += n;
	return n;
}

static size_t skip_line(struct kv_conn *c, const uint8_t *p, size_t len)
{
	const uint8_t *nl = memchr(p, '\n', len);

	if (!nl)
		return len;
	c->state = KV_ST_LINE;
	return nl - p + 1;
}

static size_t skip_bytes(struct kv_conn *c, size_t len)
{
	size_t k = c->skip < len ? c->skip : len;

	c->skip -= k;
	if (!c->skip)
		c->state = KV_ST_LINE;
	return k;
}

/**
 * kv_text_input() - text protocol bytes
 * @c: the connection
 * @p: the bytes
 * @len: how many
 *
 * Return: how many were used.  0 only if the state changed or it needs
 * more input or output room.
 */
size_t kv_text_input(struct kv_conn *c, const uint8_t *p, size_t len)
{
	size_t n;

	switch (c->state) {
	case KV_ST_DATA:
		n = kv_conn_fill(c, p, len);
		if (c->item_got == c->item_need)
			store_done(c);
		return n;
	case KV_ST_SWALLOW:
		return skip_bytes(c, len);
	case KV_ST_SKIPLINE:
		return skip_line(c, p, len);
	case KV_ST_GETKEYS:
		return getkeys(c, p, len);
	default:
		return len ? text_line(c, p, len) : 0;
	}
}
