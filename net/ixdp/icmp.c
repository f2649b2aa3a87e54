// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp ICMP (RFC 792, RFC 1122 3.2.2): echo replies, destination
 * unreachable messages, and the errors that quote what we sent.
 *
 * Replies and errors are built in the buffer that caused them, so
 * answering never needs a buffer from the pool.  The errors a core sends
 * are limited by a token bucket of IXDP_ICMP_BURST, refilled at
 * IXDP_ICMP_RATE a second (Linux's icmp_msgs_burst and _per_sec).
 * Errors received that quote a TCP segment go to TCP (tcp_icmp.c), which
 * checks them against its connections, on the core that has the
 * connection (handoff.h); others are dropped.
 */

#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/unaligned.h>
#include <net/checksum.h>

#include "handoff.h"
#include "tcp.h"

/* Quoted from the offending datagram, after its header (RFC 792). */
#define ICMP_QUOTE_DATA		8

/* Turn the echo request in @b into its reply and send it back. */
static void icmp_echo(struct ixdp_stack *s, struct ixdp_buf *b, __be32 dst)
{
	struct icmphdr *ic = ixdp_buf_data(b);

	ic->type = ICMP_ECHOREPLY;
	ic->code = 0;
	ic->checksum = 0;
	ic->checksum = ip_compute_csum(ic, b->len);
	s->stats.icmp_echo_replies++;
	ixdp_ip_output(s, b, dst, IPPROTO_ICMP);
}

/**
 * ixdp_icmp_init() - fill a new stack's bucket of ICMP errors
 * @s: the stack, its clock set
 */
void ixdp_icmp_init(struct ixdp_stack *s)
{
	s->icmp_bucket.tokens = IXDP_ICMP_BURST;
	s->icmp_bucket.stamp = s->now;
}

/* An ICMP error, quoting the datagram that caused it (RFC 792). */
static bool icmp_is_error(u8 type)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
	case ICMP_SOURCE_QUENCH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return true;
	default:
		return false;
	}
}

/*
 * The datagram the error in @b quotes, if it is one we sent and the
 * quote holds its header and 8 bytes of data; NULL otherwise.
 */
static const struct iphdr *icmp_quote(const struct ixdp_stack *s,
				      const struct ixdp_buf *b)
{
	const struct iphdr *q = ixdp_buf_data(b) + sizeof(struct icmphdr);
	unsigned int len = b->len - sizeof(struct icmphdr);

	if (len < sizeof(*q) || q->version != 4 || q->ihl < 5 ||
	    len < q->ihl * 4 + ICMP_QUOTE_DATA || q->saddr != s->cfg.addr)
		return NULL;
	return q;
}

/*
 * An error about a datagram of ours: TCP's to judge (tcp_icmp.c), on the
 * core that has the connection; one about anything else changes nothing.
 */
static void icmp_error_rx(struct ixdp_stack *s, struct ixdp_buf *b,
			  const struct iphdr *iph)
{
	const struct icmphdr *ic = ixdp_buf_data(b);
	const struct iphdr *q = icmp_quote(s, b);
	__be16 lport;
	int err;

	if (q && q->protocol != IPPROTO_TCP) {
		ixdp_stack_drop(s, b, IXDP_DROP_ICMP_TYPE);
		return;
	}
	if (!q || !s->tcp) {
		s->stats.icmp_errors_rejected++;
		goto out;
	}
	err = ixdp_tcp_icmp_err(s, q, ic->type, ic->code,
				be16_to_cpu(ic->un.frag.mtu));
	if (!err)
		goto out;
	lport = get_unaligned((const __be16 *)((const u8 *)q + q->ihl * 4));
	if (err == -ENOENT && ixdp_handoff_icmp(s, b, iph, be16_to_cpu(lport)))
		return;
	s->stats.icmp_errors_rejected++;
out:
	ixdp_buf_put(b);
}

/**
 * ixdp_icmp_rx() - receive an ICMP message
 * @s: the stack
 * @b: the message, after its IPv4 header; consumed
 * @iph: its IPv4 header
 *
 * Echo requests are answered with the same identifier, sequence number
 * and data.  Errors quoting one of our TCP segments go to TCP, which
 * believes them only if they match a connection; one quoting no
 * connection of this core goes to the device's other cores first.
 * Errors that no core believes are counted in icmp_errors_rejected (one
 * that a full ring kept from the next core, in handoff_drops).
 * Other types are dropped and counted.
 */
void ixdp_icmp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		  const struct iphdr *iph)
{
	const struct icmphdr *ic = ixdp_buf_data(b);

	if (b->len < sizeof(*ic)) {
		ixdp_stack_drop(s, b, IXDP_DROP_ICMP_SHORT);
		return;
	}
	/* One left to complete came from this host: trusted, as by Linux. */
	if (!(b->flags & IXDP_BUF_RX_PARTIAL) && ip_compute_csum(ic, b->len)) {
		ixdp_stack_drop(s, b, IXDP_DROP_ICMP_CSUM);
		return;
	}
	if (icmp_is_error(ic->type)) {
		icmp_error_rx(s, b, iph);
		return;
	}
	if (ic->type != ICMP_ECHO) {
		ixdp_stack_drop(s, b, IXDP_DROP_ICMP_TYPE);
		return;
	}
	icmp_echo(s, b, iph->saddr);
}

/* An ICMP message that is a query, not an error (RFC 1122 3.2.2). */
static bool icmp_is_query(u8 type)
{
	switch (type) {
	case ICMP_ECHOREPLY:
	case ICMP_ECHO:
	case ICMP_TIMESTAMP:
	case ICMP_TIMESTAMPREPLY:
	case ICMP_INFO_REQUEST:
	case ICMP_INFO_REPLY:
	case ICMP_ADDRESS:
	case ICMP_ADDRESSREPLY:
		return true;
	default:
		return false;
	}
}

/*
 * RFC 1122 3.2.2: no error about an ICMP error, a datagram to a broadcast
 * or multicast address, a non-initial fragment, or from a source that is
 * not a unicast host.
 */
static bool icmp_may_answer(const struct ixdp_stack *s,
			    const struct iphdr *iph, unsigned int len)
{
	const u8 *l4 = (const u8 *)iph + iph->ihl * 4;

	if (iph->daddr != s->cfg.addr || !ixdp_ip_unicast_src(s, iph->saddr))
		return false;
	if (iph->frag_off & cpu_to_be16(0x1fff))
		return false;
	if (iph->protocol == IPPROTO_ICMP)
		return len > iph->ihl * 4 && icmp_is_query(*l4);
	return true;
}

/* Take a token of the core's bucket of ICMP errors. */
static bool icmp_token(struct ixdp_stack *s)
{
	return ixdp_bucket_take(s, &s->icmp_bucket, IXDP_ICMP_RATE,
				IXDP_ICMP_BURST);
}

/**
 * ixdp_icmp_unreach() - answer a datagram with destination unreachable
 * @s: the stack
 * @b: the buffer holding the datagram, at any point after its header;
 *	consumed and reused for the message
 * @iph: the datagram's IPv4 header, inside @b, already validated
 * @code: the ICMP code, e.g. ICMP_PORT_UNREACH
 *
 * The message quotes the header and the first 8 bytes of data.  Nothing
 * is sent where RFC 1122 forbids it, nor when the core's bucket of ICMP
 * errors is empty (counted in icmp_errors_limited); the caller counts the
 * drop.
 */
void ixdp_icmp_unreach(struct ixdp_stack *s, struct ixdp_buf *b,
		       const struct iphdr *iph, u8 code)
{
	unsigned int len = be16_to_cpu(iph->tot_len);
	__be32 dst = iph->saddr;
	struct icmphdr *ic;

	if (!icmp_may_answer(s, iph, len)) {
		ixdp_buf_put(b);
		return;
	}
	if (!icmp_token(s)) {
		s->stats.icmp_errors_limited++;
		ixdp_buf_put(b);
		return;
	}
	len = min_t(unsigned int, len, iph->ihl * 4 + ICMP_QUOTE_DATA);
	ixdp_buf_reset(b, (const u8 *)iph - b->room);
	ixdp_buf_put_tail(b, len);
	ic = ixdp_buf_push(b, sizeof(*ic));
	if (!ic) {
		ixdp_stack_drop(s, b, IXDP_DROP_NO_ROOM);
		return;
	}
	ic->type = ICMP_DEST_UNREACH;
	ic->code = code;
	ic->un.gateway = 0;
	ic->checksum = 0;
	ic->checksum = ip_compute_csum(ic, b->len);
	s->stats.icmp_errors++;
	ixdp_ip_output(s, b, dst, IPPROTO_ICMP);
}
