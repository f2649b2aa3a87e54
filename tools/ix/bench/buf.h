/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable byte buffer: bytes [off, len) of p are pending.  It is
 * allocated on first use and given back when it drains after having
 * grown past BUF_KEEP, so 50,000 idle connections cost no buffer memory
 * beyond BUF_KEEP each.
 */
#ifndef IX_BENCH_BUF_H
#define IX_BENCH_BUF_H

#include <stddef.h>

#define BUF_KEEP	(16 * 1024)
#define BUF_LIMIT	(8 * 1024 * 1024)

struct buf {
	char	*p;
	size_t	off;
	size_t	len;
	size_t	cap;
};

int buf_reserve(struct buf *b, size_t more);
int buf_append(struct buf *b, const void *data, size_t n);
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

static inline size_t buf_pending(const struct buf *b)
{
	return b->len - b->off;
}

static inline char *buf_head(const struct buf *b)
{
	return b->p + b->off;
}

static inline char *buf_tail(const struct buf *b)
{
	return b->p + b->len;
}

#endif
