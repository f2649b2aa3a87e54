// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp SYN cookies (RFC 4987 3.6).
 *
 * A listener at its backlog, or a table whose connections not yet
 * accepted fill half of it, answers a SYN with a SYN-ACK whose initial
 * sequence number is a cookie and keeps nothing.  The ACK that completes
 * the handshake finds no connection; if its acknowledgment number less
 * one is a cookie the stack made for that 4-tuple and the peer's initial
 * sequence number, recently, the connection is made from it in SYN_RCVD
 * and the ACK takes it on as any other (tcp_in.c).
 *
 * The cookie, 32 bits:
 *   31-4  bits 31-4 of SipHash-2-4 under a per-stack key of the peer's
 *         address, ours, both ports, the peer's ISN and the window
 *   3     the window's lowest bit
 *   2-0   the peer's MSS, an index into cookie_mss[] (rounded down)
 * A window is COOKIE_WINDOW_S seconds; a cookie is good in its window and
 * the next, 64 to 128 s.  A listener checks cookies only for two windows
 * after it sent one, so ACKs at a quiet listener cost no hash.
 *
 * Window scaling, SACK and timestamps need state: when the peer's SYN
 * has timestamps, our TSval's low COOKIE_TS_BITS carry the peer's window
 * shift (COOKIE_TS_WS_NONE without scaling) and COOKIE_TS_SACK, and the
 * ACK's TSecr brings them back, as Linux does.  Without timestamps the
 * SYN-ACK offers the MSS alone and the connection has none of the three.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "tcp.h"

#define COOKIE_WINDOW_S		64
#define COOKIE_HASH		GENMASK(31, 4)
#define COOKIE_WIN_BIT		BIT(3)
#define COOKIE_MSS		GENMASK(2, 0)
#define COOKIE_TS_BITS		5
#define COOKIE_TS_MASK		GENMASK(COOKIE_TS_BITS - 1, 0)
#define COOKIE_TS_WS_NONE	0xf
#define COOKIE_TS_SACK		BIT(4)

/* Common MSS values, ascending: the peer's is rounded down to one. */
static const u16 cookie_mss[] = {
	IXDP_TCP_MIN_MSS, 536, 1200, 1300, 1360, 1400, 1440, 1460,
};

static_assert(ARRAY_SIZE(cookie_mss) == COOKIE_MSS + 1, "an index per value");
static_assert(IXDP_TCP_MAX_WSCALE < COOKIE_TS_WS_NONE, "a shift is not none");

/* The window of @s's clock: COOKIE_WINDOW_S seconds each. */
static u32 cookie_window(const struct ixdp_stack *s)
{
	return s->now / ((u64)COOKIE_WINDOW_S * s->cfg.hz);
}

/* The keyed hash of a handshake: @th from the peer, @pisn its ISN. */
static u32 cookie_hash(const struct ixdp_stack *s, __be32 saddr,
		       const struct tcphdr *th, u32 pisn, u32 win)
{
	u64 addrs = (u64)(__force u32)saddr << 32 | (__force u32)s->cfg.addr;
	u32 ports = (u32)(__force u16)th->source << 16 |
		    (__force u16)th->dest;

	return siphash_3u64(addrs, (u64)ports << 32 | pisn, win,
			    &s->tcp->cookie_key);
}

static unsigned int cookie_mss_index(const struct ixdp_tcp_opts *o)
{
	u16 mss = o->flags & TCPOPT_F_MSS ? o->mss : IXDP_TCP_DEFAULT_MSS;
	unsigned int i = COOKIE_MSS;

	while (i && cookie_mss[i] > mss)
		i--;
	return i;
}

/**
 * ixdp_tcp_cookie_rcv_wnd() - the receive window a SYN-ACK of @tcp offers
 * @tcp: the TCP state of a core
 *
 * Return: the receive buffer, unscaled as in a SYN, at most 65535.
 */
u16 ixdp_tcp_cookie_rcv_wnd(const struct ixdp_tcp *tcp)
{
	return min_t(u32, tcp->cfg.rcv_buf, 0xffff);
}

/* Our TSval, its low bits @bits, never ahead of the clock. */
static u32 cookie_tsval(const struct ixdp_stack *s, u32 bits)
{
	u32 now = (u32)s->now, ts = (now & ~COOKIE_TS_MASK) | bits;

	if (tcp_seq_after(ts, now))
		ts -= COOKIE_TS_MASK + 1;
	return ts;
}

/* The options of a cookie SYN-ACK answering @peer's; written at @p. */
static unsigned int cookie_syn_opts(struct ixdp_stack *s,
				    const struct ixdp_tcp_opts *peer, u8 *p)
{
	const struct ixdp_tcp_config *cfg = &s->tcp->cfg;
	struct ixdp_tcp_opts o = { .flags = TCPOPT_F_MSS };
	u32 bits = COOKIE_TS_WS_NONE;

	o.mss = s->cfg.mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
	if (!(peer->flags & TCPOPT_F_TS) || cfg->flags & IXDP_TCP_NO_TS)
		return ixdp_tcp_opt_build(p, &o);
	if (peer->flags & TCPOPT_F_WS && !(cfg->flags & IXDP_TCP_NO_WS)) {
		o.flags |= TCPOPT_F_WS;
		o.wscale = ixdp_tcp_wscale(cfg->rcv_buf);
		bits = peer->wscale;
	}
	if (peer->flags & TCPOPT_F_SACK_OK &&
	    !(cfg->flags & IXDP_TCP_NO_SACK)) {
		o.flags |= TCPOPT_F_SACK_OK;
		bits |= COOKIE_TS_SACK;
	}
	o.flags |= TCPOPT_F_TS;
	o.tsval = cookie_tsval(s, bits);
	o.tsecr = peer->tsval;
	return ixdp_tcp_opt_build(p, &o);
}

/*
 * Send <SEQ=@isn><ACK=@syn's ISN + 1><CTL=SYN,ACK> to @daddr; -ENOBUFS if
 * no buffer is free.
 */
static int cookie_xmit(struct ixdp_stack *s, __be32 daddr,
		       const struct ixdp_tcp_seg *syn, const struct tcphdr *sth,
		       u32 isn)
{
	struct ixdp_buf *b = ixdp_buf_get(s->pool);
	unsigned int olen;
	struct tcphdr *th;

	if (!b) {
		ixdp_stack_drop(s, NULL, IXDP_DROP_POOL_EMPTY);
		return -ENOBUFS;
	}
	/* A new buffer has room for the longest header (tcp_out.c). */
	th = ixdp_buf_data(b);
	olen = cookie_syn_opts(s, &syn->opt, (u8 *)(th + 1));
	memset(th, 0, sizeof(*th));
	th->source = sth->dest;
	th->dest = sth->source;
	th->seq = cpu_to_be32(isn);
	th->ack_seq = cpu_to_be32(syn->seq + 1);
	th->doff = (sizeof(*th) + olen) / 4;
	th->syn = 1;
	th->ack = 1;
	th->window = cpu_to_be16(ixdp_tcp_cookie_rcv_wnd(s->tcp));
	b->len = sizeof(*th) + olen;
	th->check = csum_tcpudp_magic(s->cfg.addr, daddr, b->len, IPPROTO_TCP,
				      csum_partial(th, b->len, 0));
	s->tcp->stats->segs_out++;
	/* Lost on the way (no ARP reply, say), it comes again as the
	 * peer sends its SYN again.
	 */
	ixdp_ip_output(s, b, daddr, IPPROTO_TCP);
	return 0;
}

/**
 * ixdp_tcp_cookie_needed() - whether a SYN to @l gets a cookie, not a PCB
 * @tcp: the TCP state of a core
 * @l: the listener
 *
 * A SYN makes a connection in SYN_RCVD while @l holds fewer than its
 * backlog not yet accepted and, with cookies on, the connections not yet
 * accepted of every listener fill less than half the table: spoofed
 * SYNs never hold more than that.
 *
 * Return: true if the SYN gets no PCB.
 */
bool ixdp_tcp_cookie_needed(const struct ixdp_tcp *tcp,
			    const struct ixdp_tcp_listener *l)
{
	unsigned int i, pending = 0;

	if (l->pending >= l->backlog)
		return true;
	if (tcp->cfg.flags & IXDP_TCP_NO_COOKIES)
		return false;
	for (i = 0; i < IXDP_TCP_LISTENERS; i++)
		if (tcp->lsn[i].port)
			pending += tcp->lsn[i].pending;
	return pending * 2 >= tcp->npcbs;
}

/**
 * ixdp_tcp_cookie_syn() - answer a SYN with a cookie, keeping no state
 * @s: the stack
 * @l: the listener of its port
 * @seg: the SYN, parsed
 * @saddr: its source address
 * @th: its header
 *
 * Return: 0 if sent; -EPERM if cookies are off, -ENOSPC if @l holds
 * twice its backlog not yet accepted (a completed handshake would be
 * refused), -ENOBUFS if no buffer is free.
 */
int ixdp_tcp_cookie_syn(struct ixdp_stack *s, struct ixdp_tcp_listener *l,
			const struct ixdp_tcp_seg *seg, __be32 saddr,
			const struct tcphdr *th)
{
	struct ixdp_tcp *tcp = s->tcp;
	u32 win = cookie_window(s), isn;
	int err;

	if (tcp->cfg.flags & IXDP_TCP_NO_COOKIES)
		return -EPERM;
	if (l->pending >= 2 * l->backlog)
		return -ENOSPC;
	if (siphash_key_is_zero(&tcp->cookie_key))
		get_random_bytes(&tcp->cookie_key, sizeof(tcp->cookie_key));
	isn = (cookie_hash(s, saddr, th, seg->seq, win) & COOKIE_HASH) |
	      (win & 1 ? COOKIE_WIN_BIT : 0) | cookie_mss_index(&seg->opt);
	err = cookie_xmit(s, saddr, seg, th, isn);
	if (err)
		return err;
	l->cookie_win = win + 1;
	tcp->stats->cookies_sent++;
	return 0;
}

/**
 * ixdp_tcp_cookie_check() - whether a segment completes a cookie handshake
 * @s: the stack
 * @l: the listener of its port; no connection has its 4-tuple
 * @saddr: its source address
 * @th: its header, the checksum verified
 *
 * Only an ACK without SYN or RST is looked at, and only while @l sent a
 * cookie in this window or the last.
 *
 * Return: the MSS index the cookie carries; -ENOENT if the segment is
 * not looked at, -EINVAL if its cookie is bad or stale.
 */
int ixdp_tcp_cookie_check(struct ixdp_stack *s,
			  const struct ixdp_tcp_listener *l, __be32 saddr,
			  const struct tcphdr *th)
{
	u32 win = cookie_window(s), isn, pisn;

	if (!th->ack || th->syn || th->rst)
		return -ENOENT;
	if (!l->cookie_win || win > l->cookie_win)
		return -ENOENT;
	isn = be32_to_cpu(th->ack_seq) - 1;
	pisn = be32_to_cpu(th->seq) - 1;
	/* The window bit tells this window from the last. */
	if (!(isn & COOKIE_WIN_BIT) != !(win & 1))
		win--;
	if ((isn ^ cookie_hash(s, saddr, th, pisn, win)) & COOKIE_HASH)
		return -EINVAL;
	return isn & COOKIE_MSS;
}

/**
 * ixdp_tcp_cookie_opts() - the options of the SYN a cookie answered
 * @s: the stack
 * @seg: the ACK that carried the cookie, parsed
 * @mssi: the MSS index ixdp_tcp_cookie_check() returned
 * @syn: set to the options to open the connection with: the MSS, and
 *	window scaling, SACK and timestamps as the TSecr of @seg brings
 *	them back (none of the three if @seg has no timestamps)
 *
 * Return: false if the TSecr is not one a cookie SYN-ACK could carry.
 */
bool ixdp_tcp_cookie_opts(struct ixdp_stack *s, const struct ixdp_tcp_seg *seg,
			  unsigned int mssi, struct ixdp_tcp_opts *syn)
{
	u32 bits = seg->opt.tsecr & COOKIE_TS_MASK;
	u8 ws = bits & COOKIE_TS_WS_NONE;

	memset(syn, 0, sizeof(*syn));
	syn->flags = TCPOPT_F_MSS;
	syn->mss = cookie_mss[mssi & COOKIE_MSS];
	if (!(seg->opt.flags & TCPOPT_F_TS) ||
	    s->tcp->cfg.flags & IXDP_TCP_NO_TS)
		return true;
	if (ws != COOKIE_TS_WS_NONE) {
		if (ws > IXDP_TCP_MAX_WSCALE)
			return false;
		syn->flags |= TCPOPT_F_WS;
		syn->wscale = ws;
	}
	if (bits & COOKIE_TS_SACK)
		syn->flags |= TCPOPT_F_SACK_OK;
	syn->flags |= TCPOPT_F_TS;
	syn->tsval = seg->opt.tsval;
	return true;
}
