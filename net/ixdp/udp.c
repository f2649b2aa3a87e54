// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp UDP (RFC 768): port bindings, receive and send.
 *
 * Bindings live in a table of IXDP_UDP_SLOTS slots hashed by port with
 * linear probing; at most IXDP_UDP_BINDS are bound, so probes stay short
 * and every probe meets a free slot.  Unbinding shifts later entries of
 * the probe chain back, so no tombstones are needed.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <net/checksum.h>

#include "stack.h"

#define UDP_HASH_BITS	7
#define UDP_MASK	(IXDP_UDP_SLOTS - 1)

static_assert(BIT(UDP_HASH_BITS) == IXDP_UDP_SLOTS, "hash spans table");
static_assert(IXDP_UDP_BINDS < IXDP_UDP_SLOTS, "a probe always ends");

static unsigned int udp_home(__be16 port)
{
	return hash_32((__force u16)port, UDP_HASH_BITS);
}

/* The slot holding @port, or the free slot ending its probe chain. */
static unsigned int udp_slot(const struct ixdp_stack *s, __be16 port)
{
	unsigned int i = udp_home(port), n;

	for (n = 0; n < IXDP_UDP_SLOTS; n++, i = (i + 1) & UDP_MASK)
		if (!s->udp[i].port || s->udp[i].port == port)
			break;
	return i;
}

/**
 * ixdp_udp_bind() - receive the datagrams sent to a port
 * @s: the stack
 * @port: the port, not 0
 * @rx: called with each datagram; it owns the buffer, whose data is the
 *	payload, and learns the sender's address and port
 * @cookie: passed to @rx
 *
 * Return: 0, -EINVAL, -EADDRINUSE if @port is bound, or -ENOSPC if
 * IXDP_UDP_BINDS ports are.
 */
int ixdp_udp_bind(struct ixdp_stack *s, __be16 port,
		  void (*rx)(struct ixdp_stack *s, void *cookie,
			     struct ixdp_buf *b, __be32 saddr, __be16 sport),
		  void *cookie)
{
	unsigned int i;

	if (!port || !rx)
		return -EINVAL;
	i = udp_slot(s, port);
	if (s->udp[i].port)
		return -EADDRINUSE;
	if (s->nudp == IXDP_UDP_BINDS)
		return -ENOSPC;
	s->udp[i].port = port;
	s->udp[i].rx = rx;
	s->udp[i].cookie = cookie;
	s->nudp++;
	return 0;
}

/* Whether home slot @h lies cyclically in (@gap, @i]: the entry stays. */
static bool udp_stays(unsigned int h, unsigned int gap, unsigned int i)
{
	return gap < i ? h > gap && h <= i : h > gap || h <= i;
}

/**
 * ixdp_udp_unbind() - stop receiving on a port
 * @s: the stack
 * @port: the port
 *
 * Return: 0, or -ENOENT if @port is not bound.
 */
int ixdp_udp_unbind(struct ixdp_stack *s, __be16 port)
{
	unsigned int gap = udp_slot(s, port), i, n;

	if (!port || s->udp[gap].port != port)
		return -ENOENT;
	i = gap;
	for (n = 0; n < IXDP_UDP_SLOTS; n++) {
		i = (i + 1) & UDP_MASK;
		if (!s->udp[i].port)
			break;
		if (udp_stays(udp_home(s->udp[i].port), gap, i))
			continue;
		s->udp[gap] = s->udp[i];
		gap = i;
	}
	s->udp[gap].port = 0;
	s->udp[gap].rx = NULL;
	s->udp[gap].cookie = NULL;
	s->nudp--;
	return 0;
}

/**
 * ixdp_udp_rx() - receive a UDP datagram
 * @s: the stack
 * @b: the datagram, after its IPv4 header; consumed
 * @iph: its IPv4 header
 *
 * Checks the length and, unless it is 0 or the device says it is good
 * (IXDP_BUF_CSUM_OK), the checksum, then hands the payload to the port's
 * binding, or answers port unreachable.
 */
void ixdp_udp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		 const struct iphdr *iph)
{
	const struct udphdr *uh = ixdp_buf_data(b);
	const struct ixdp_udp_bind *bind;
	unsigned int len;
	__be16 sport;

	len = b->len < sizeof(*uh) ? 0 : be16_to_cpu(uh->len);
	if (len < sizeof(*uh) || len > b->len) {
		ixdp_stack_drop(s, b, IXDP_DROP_UDP_BAD_LEN);
		return;
	}
	ixdp_buf_trim(b, len);
	if (uh->check && !ixdp_l4_csum_ok(b, iph, IPPROTO_UDP)) {
		ixdp_stack_drop(s, b, IXDP_DROP_UDP_CSUM);
		return;
	}
	bind = &s->udp[udp_slot(s, uh->dest)];
	/* Port 0 is no port: it marks the free slots. */
	if (!uh->dest || bind->port != uh->dest) {
		ixdp_stack_drop(s, NULL, IXDP_DROP_UDP_NO_PORT);
		ixdp_icmp_unreach(s, b, iph, ICMP_PORT_UNREACH);
		return;
	}
	sport = uh->source;
	ixdp_buf_pull(b, sizeof(*uh));
	s->stats.udp_rx++;
	bind->rx(s, bind->cookie, b, iph->saddr, sport);
}

/**
 * ixdp_udp_send() - send a UDP datagram
 * @s: the stack
 * @b: the payload, with IXDP_BUF_HEADROOM in front of it; consumed
 * @sport: the source port, not 0
 * @daddr: the destination address
 * @dport: the destination port, not 0
 *
 * The checksum is always computed.
 *
 * Return: 0 if sent or awaiting ARP, -EINVAL for a zero port, or an error
 * of ixdp_ip_output().
 */
int ixdp_udp_send(struct ixdp_stack *s, struct ixdp_buf *b, __be16 sport,
		  __be32 daddr, __be16 dport)
{
	struct udphdr *uh;
	unsigned int len;

	if (!sport || !dport) {
		ixdp_buf_put(b);
		return -EINVAL;
	}
	uh = ixdp_buf_push(b, sizeof(*uh));
	if (!uh) {
		ixdp_stack_drop(s, b, IXDP_DROP_NO_ROOM);
		return -ENOBUFS;
	}
	len = b->len;
	uh->source = sport;
	uh->dest = dport;
	uh->len = cpu_to_be16(len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(s->cfg.addr, daddr, len, IPPROTO_UDP,
				      csum_partial(uh, len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	s->stats.udp_tx++;
	return ixdp_ip_output(s, b, daddr, IPPROTO_UDP);
}
