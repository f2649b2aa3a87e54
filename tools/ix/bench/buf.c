// SPDX-License-Identifier: GPL-2.0
/*
 * Growable byte buffers for requests waiting to be written and for
 * partial responses.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Make room for @more bytes after len; -ENOBUFS past BUF_LIMIT. */
int buf_reserve(struct buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (b->off && b->off == b->len) {
		b->off = 0;
		b->len = 0;
	}
	if (b->len + more <= b->cap)
		return 0;
	if (b->off) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + more <= b->cap)
			return 0;
	}
	need = b->len + more;
	if (need > BUF_LIMIT)
		return -ENOBUFS;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	int err = buf_reserve(b, n);

	if (err)
		return err;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

void buf_consume(struct buf *b, size_t n)
{
	b->off += n;
	if (b->off < b->len)
		return;
	b->off = 0;
	b->len = 0;
	if (b->cap > BUF_KEEP)
		buf_free(b);
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->off = 0;
	b->len = 0;
	b->cap = 0;
}
