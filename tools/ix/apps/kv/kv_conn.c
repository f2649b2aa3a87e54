// SPDX-License-Identifier: GPL-2.0
/*
 * kv_conn: a connection's protocol engine, independent of the transport.
 *
 * Input: kv_conn_input() takes bytes as they arrive, in pieces of any
 * size; the first byte picks the protocol (0x80: binary, else text).
 * What an incomplete request needs is kept: a partial command line or
 * header (bounded), a value being read straight into its item.  Input is
 * refused (a short count) while KV_OUT_HIGH bytes of output wait, so a
 * client that does not read cannot grow the output without bound; the
 * frontend offers the rest again once output went.
 *
 * Output: a queue of pieces, each either bytes in the connection's buffer
 * or part of an item's value, referenced, not copied.  The frontend sends
 * what kv_conn_peek() shows and reports what went with kv_conn_consume().
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

#define KV_OBUF_MIN	4096
#define KV_PIECES_MIN	64

struct kv_conn *kv_conn_new(struct kv_store *s)
{
	struct kv_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->store = s;
	s->stats.curr_connections++;
	s->stats.total_connections++;
	return c;
}

void kv_conn_free(struct kv_conn *c)
{
	kv_conn_consume(c, c->pending);
	if (c->item)
		kv_item_put(c->store, c->item);
	c->store->stats.curr_connections--;
	free(c->pieces);
	free(c->obuf);
	free(c);
}

/* Move the pending output to the front of the buffers. */
static void compact(struct kv_conn *c)
{
	uint32_t base = c->olen, i, n = c->npieces - c->phead;

	for (i = c->phead; i < c->npieces; i++) {
		if (!c->pieces[i].item) {
			base = c->pieces[i].off;
			break;
		}
	}
	if (base)
		memmove(c->obuf, c->obuf + base, c->olen - base);
	c->olen -= base;
	if (c->phead)
		memmove(c->pieces, c->pieces + c->phead,
			n * sizeof(*c->pieces));
	c->phead = 0;
	c->npieces = n;
	for (i = 0; i < n; i++)
		if (!c->pieces[i].item)
			c->pieces[i].off -= base;
}

/* Room for @n more bytes in the buffer and one more piece. */
static bool reserve(struct kv_conn *c, size_t n)
{
	size_t cap;
	void *p;

	if (c->olen + n <= c->ocap && c->npieces < c->pcap)
		return true;
	compact(c);
	if (c->olen + n > c->ocap) {
		cap = c->ocap ? c->ocap : KV_OBUF_MIN;
		while (cap < c->olen + n)
			cap *= 2;
		p = cap <= UINT32_MAX ? realloc(c->obuf, cap) : NULL;
		if (!p)
			goto out_oom;
		c->obuf = p;
		c->ocap = cap;
	}
	if (c->npieces == c->pcap) {
		cap = c->pcap ? c->pcap * 2 : KV_PIECES_MIN;
		p = realloc(c->pieces, cap * sizeof(*c->pieces));
		if (!p)
			goto out_oom;
		c->pieces = p;
		c->pcap = cap;
	}
	return true;

out_oom:
	/* Out of memory: the output would be wrong; end the connection. */
	c->closing = true;
	return false;
}

/* The bytes at the end of the buffer, @n of them, are output. */
static void commit(struct kv_conn *c, size_t n)
{
	struct kv_piece *last = NULL;

	if (c->npieces > c->phead)
		last = &c->pieces[c->npieces - 1];
	if (last && !last->item && last->off + last->len == c->olen) {
		last->len += n;
	} else {
		last = &c->pieces[c->npieces++];
		last->item = NULL;
		last->off = c->olen;
		last->len = n;
	}
	c->olen += n;
	c->pending += n;
}

void kv_out(struct kv_conn *c, const void *p, size_t n)
{
	if (!n || c->closing || !reserve(c, n))
		return;
	memcpy(c->obuf + c->olen, p, n);
	commit(c, n);
}

void kv_outs(struct kv_conn *c, const char *s)
{
	kv_out(c, s, strlen(s));
}

void kv_outf(struct kv_conn *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->closing || !reserve(c, 512))
		return;
	va_start(ap, fmt);
	n = vsnprintf((char *)c->obuf + c->olen, c->ocap - c->olen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= c->ocap - c->olen) {
		/* Only short lines are formatted. */
		c->closing = true;
		return;
	}
	commit(c, n);
}

/* Output @len bytes of @it's value from @off, by reference. */
void kv_out_item(struct kv_conn *c, struct kv_item *it, uint32_t off,
		 uint32_t len)
{
	struct kv_piece *p;

	if (!len || c->closing || !reserve(c, 0))
		return;
	p = &c->pieces[c->npieces++];
	p->item = it;
	p->off = off;
	p->len = len;
	kv_item_get(it);
	c->pending += len;
}

/**
 * kv_conn_peek() - the output waiting to be sent
 * @c: the connection
 * @iov: filled with its pieces, in order
 * @max: room in @iov
 *
 * The memory stays valid and unchanged until kv_conn_consume() passes it.
 *
 * Return: the pieces filled in (0: nothing waits).
 */
unsigned int kv_conn_peek(const struct kv_conn *c, struct iovec *iov,
			  unsigned int max)
{
	return kv_conn_peek_at(c, 0, iov, max);
}

/**
 * kv_conn_peek_at() - the output waiting, past its first @skip bytes
 * @c: the connection
 * @skip: bytes to pass over (sent, not yet consumed); at most pending
 * @iov: filled with the pieces after them, in order
 * @max: room in @iov
 *
 * A frontend that consumes output only once the peer acknowledged it
 * sends from here.  The memory stays valid and unchanged until
 * kv_conn_consume() passes it.
 *
 * Return: the pieces filled in.
 */
unsigned int kv_conn_peek_at(const struct kv_conn *c, size_t skip,
			     struct iovec *iov, unsigned int max)
{
	const struct kv_piece *p;
	uint32_t i = c->phead, n = 0;

	for (; i < c->npieces && skip >= c->pieces[i].len; i++)
		skip -= c->pieces[i].len;
	for (; n < max && i < c->npieces; i++, n++, skip = 0) {
		p = &c->pieces[i];
		iov[n].iov_base = (p->item ? kv_item_value(p->item) :
				   (char *)c->obuf) + p->off + skip;
		iov[n].iov_len = p->len - skip;
	}
	return n;
}

/**
 * kv_conn_consume() - @n bytes of the output were sent
 * @c: the connection
 * @n: at most what it has pending
 */
void kv_conn_consume(struct kv_conn *c, size_t n)
{
	struct kv_piece *p;
	uint32_t k;

	if (n > c->pending)
		n = c->pending;
	c->store->stats.bytes_written += n;
	while (n) {
		p = &c->pieces[c->phead];
		k = n < p->len ? n : p->len;
		p->off += k;
		p->len -= k;
		c->pending -= k;
		n -= k;
		if (p->len)
			break;
		if (p->item)
			kv_item_put(c->store, p->item);
		c->phead++;
	}
	if (!c->pending) {
		c->phead = 0;
		c->npieces = 0;
		c->olen = 0;
	}
}

/* Copy value bytes into the item being read; return how many. */
size_t kv_conn_fill(struct kv_conn *c, const uint8_t *p, size_t n)
{
	size_t k = c->item_need - c->item_got;

	if (k > n)
		k = n;
	memcpy(kv_item_value(c->item) + c->item_got, p, k);
	c->item_got += k;
	return k;
}

/**
 * kv_conn_input() - bytes arrived
 * @c: the connection
 * @data: them
 * @len: how many (0: only resume work that waited for output room)
 *
 * Return: how many were taken; fewer than @len only while
 * kv_conn_blocked().  Offer the rest again after kv_conn_consume().
 * Once kv_conn_done(), everything is taken and dropped.
 */
size_t kv_conn_input(struct kv_conn *c, const uint8_t *data, size_t len)
{
	size_t done = 0, n;
	uint8_t state;

	if (!data)
		data = (const uint8_t *)"";	/* len is 0 */
	while (!c->closing && !kv_conn_blocked(c)) {
		if (done == len && c->state != KV_ST_GETKEYS)
			break;
		if (c->proto == KV_PROTO_NONE) {
			c->proto = data[done] == 0x80 ? KV_PROTO_BIN :
				KV_PROTO_TEXT;
			c->state = c->proto == KV_PROTO_BIN ? KV_ST_BIN_HDR :
				KV_ST_LINE;
		}
		state = c->state;
		if (c->proto == KV_PROTO_BIN)
			n = kv_bin_input(c, data + done, len - done);
		else
			n = kv_text_input(c, data + done, len - done);
		done += n;
		/* No progress: it waits for more input. */
		if (!n && c->state == state)
			break;
	}
	if (c->closing)
		done = len;
	c->store->stats.bytes_read += done;
	return done;
}
