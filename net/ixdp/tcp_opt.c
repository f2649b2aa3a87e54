// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP options: parse and build MSS (RFC 9293), window scale and
 * timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
 *
 * Parsing never reads past the option list.  A length byte below 2 or
 * running past the end makes the list malformed (the segment is
 * dropped); a known option with a wrong length, or one only valid on a
 * SYN seen elsewhere, is skipped; unknown options are skipped.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "tcp.h"

#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MSS		2
#define TCPOPT_WS		3
#define TCPOPT_SACK_OK		4
#define TCPOPT_SACK		5
#define TCPOPT_TS		8

#define TCPOLEN_MSS		4
#define TCPOLEN_WS		3
#define TCPOLEN_SACK_OK		2
#define TCPOLEN_TS		10
#define TCPOLEN_SACK_BLOCK	8

/* The first word of the options of nearly every segment (tcp.h). */
static_assert(IXDP_TCP_OPT_NOP_NOP_TS ==
	      (TCPOPT_NOP << 24 | TCPOPT_NOP << 16 |
	       TCPOPT_TS << 8 | TCPOLEN_TS),
	      "IXDP_TCP_OPT_NOP_NOP_TS is NOP, NOP, TS");

static u16 opt_get16(const u8 *p)
{
	return get_unaligned_be16(p);
}

static u32 opt_get32(const u8 *p)
{
	return get_unaligned_be32(p);
}

static void opt_put16(u8 *p, u16 v)
{
	put_unaligned_be16(v, p);
}

static void opt_put32(u8 *p, u32 v)
{
	put_unaligned_be32(v, p);
}

static void opt_sack(const u8 *p, unsigned int len, struct ixdp_tcp_opts *o)
{
	unsigned int i, n;

	if (len < 2 + TCPOLEN_SACK_BLOCK || (len - 2) % TCPOLEN_SACK_BLOCK)
		return;
	n = (len - 2) / TCPOLEN_SACK_BLOCK;
	if (n > IXDP_TCP_SACK_BLOCKS)
		return;
	for (i = 0; i < n; i++) {
		o->sack[i].start = opt_get32(p + 2 + i * TCPOLEN_SACK_BLOCK);
		o->sack[i].end = opt_get32(p + 6 + i * TCPOLEN_SACK_BLOCK);
	}
	o->nsack = n;
	o->flags |= TCPOPT_F_SACK;
}

/* Take one option of @len bytes at @p, its length already checked. */
static void opt_one(const u8 *p, unsigned int len, bool syn,
		    struct ixdp_tcp_opts *o)
{
	switch (p[0]) {
	case TCPOPT_MSS:
		if (syn && len == TCPOLEN_MSS) {
			o->mss = opt_get16(p + 2);
			o->flags |= TCPOPT_F_MSS;
		}
		break;
	case TCPOPT_WS:
		if (syn && len == TCPOLEN_WS) {
			/* RFC 7323 2.3: a larger shift is taken as 14. */
			o->wscale = min_t(u8, p[2], IXDP_TCP_MAX_WSCALE);
			o->flags |= TCPOPT_F_WS;
		}
		break;
	case TCPOPT_SACK_OK:
		if (syn && len == TCPOLEN_SACK_OK)
			o->flags |= TCPOPT_F_SACK_OK;
		break;
	case TCPOPT_TS:
		if (len == TCPOLEN_TS) {
			o->tsval = opt_get32(p + 2);
			o->tsecr = opt_get32(p + 6);
			o->flags |= TCPOPT_F_TS;
		}
		break;
	case TCPOPT_SACK:
		opt_sack(p, len, o);
		break;
	}
}

/**
 * __ixdp_tcp_opt_parse() - parse the options of a segment, one by one
 * @p: the first option byte
 * @len: bytes of options, at most 40
 * @syn: whether the segment is a SYN
 * @o: filled in
 *
 * ixdp_tcp_opt_parse() without its shortcut for the timestamps alone.
 *
 * Return: 0, or -EINVAL if an option's length is below 2 or runs past
 * the end of the list.
 */
int __ixdp_tcp_opt_parse(const u8 *p, unsigned int len, bool syn,
			 struct ixdp_tcp_opts *o)
{
	unsigned int i = 0, olen;

	memset(o, 0, offsetof(struct ixdp_tcp_opts, sack));
	while (i < len) {
		if (p[i] == TCPOPT_EOL)
			break;
		if (p[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		olen = p[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		opt_one(p + i, olen, syn, o);
		i += olen;
	}
	return 0;
}

static unsigned int opt_build_syn(u8 *p, const struct ixdp_tcp_opts *o)
{
	unsigned int n = 0;

	if (o->flags & TCPOPT_F_MSS) {
		p[n] = TCPOPT_MSS;
		p[n + 1] = TCPOLEN_MSS;
		opt_put16(p + n + 2, o->mss);
		n += TCPOLEN_MSS;
	}
	if (o->flags & TCPOPT_F_WS) {
		p[n] = TCPOPT_NOP;
		p[n + 1] = TCPOPT_WS;
		p[n + 2] = TCPOLEN_WS;
		p[n + 3] = o->wscale;
		n += 4;
	}
	if (o->flags & TCPOPT_F_SACK_OK && !(o->flags & TCPOPT_F_TS)) {
		p[n] = TCPOPT_NOP;
		p[n + 1] = TCPOPT_NOP;
		p[n + 2] = TCPOPT_SACK_OK;
		p[n + 3] = TCPOLEN_SACK_OK;
		n += 4;
	}
	return n;
}

/**
 * ixdp_tcp_opt_build() - write options, padded to a multiple of 4 bytes
 * @p: where, at least IXDP_TCP_OPT_MAX bytes
 * @o: which: TCPOPT_F_* in @o->flags; SACK blocks beyond what fits in 40
 *	bytes are left out
 *
 * Return: bytes written, a multiple of 4, at most IXDP_TCP_OPT_MAX.
 */
unsigned int ixdp_tcp_opt_build(u8 *p, const struct ixdp_tcp_opts *o)
{
	unsigned int n = opt_build_syn(p, o), i, nsack;

	if (o->flags & TCPOPT_F_TS) {
		if (o->flags & TCPOPT_F_SACK_OK) {
			p[n] = TCPOPT_SACK_OK;
			p[n + 1] = TCPOLEN_SACK_OK;
		} else {
			p[n] = TCPOPT_NOP;
			p[n + 1] = TCPOPT_NOP;
		}
		p[n + 2] = TCPOPT_TS;
		p[n + 3] = TCPOLEN_TS;
		opt_put32(p + n + 4, o->tsval);
		opt_put32(p + n + 8, o->tsecr);
		n += 2 + TCPOLEN_TS;
	}
	if (!(o->flags & TCPOPT_F_SACK) || !o->nsack)
		return n;
	nsack = min_t(unsigned int, o->nsack,
		      (IXDP_TCP_OPT_MAX - n - 4) / TCPOLEN_SACK_BLOCK);
	if (!nsack)
		return n;
	p[n] = TCPOPT_NOP;
	p[n + 1] = TCPOPT_NOP;
	p[n + 2] = TCPOPT_SACK;
	p[n + 3] = 2 + nsack * TCPOLEN_SACK_BLOCK;
	n += 4;
	for (i = 0; i < nsack; i++, n += TCPOLEN_SACK_BLOCK) {
		opt_put32(p + n, o->sack[i].start);
		opt_put32(p + n + 4, o->sack[i].end);
	}
	return n;
}
