// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp handoff: frames that reached the wrong core go to their owner; see
 * handoff.h.
 */

#include <linux/bits.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <asm/barrier.h>

#include "handoff.h"

/**
 * ixdp_rss_hash() - the Toeplitz hash of a TCP/IPv4 flow, as a NIC's RSS
 * @key: IXDP_RSS_KEY_LEN bytes
 * @saddr: source address of the packets hashed
 * @daddr: their destination
 * @sport: their source port
 * @dport: their destination port
 *
 * Return: the 32-bit hash; the device's indirection table takes its low
 * bits.
 */
u32 ixdp_rss_hash(const u8 *key, __be32 saddr, __be32 daddr, __be16 sport,
		  __be16 dport)
{
	u8 in[12];
	u32 hash = 0, win;
	unsigned int i, b;

	memcpy(in, &saddr, 4);
	memcpy(in + 4, &daddr, 4);
	memcpy(in + 8, &sport, 2);
	memcpy(in + 10, &dport, 2);
	/* @win is the 32 key bits from the input bit at hand on. */
	win = (u32)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	for (i = 0; i < sizeof(in); i++) {
		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				hash ^= win;
			win = win << 1 | (key[i + 4] >> (7 - b) & 1);
		}
	}
	return hash;
}

/**
 * ixdp_rss_flow_core() - the core a device's table leads a flow to
 * @rss: the table, as the cores see it
 * @raddr: the peer's address
 * @laddr: ours
 * @rport: the peer's port
 * @lport: ours
 *
 * Return: the index of the core the peer's segments reach first, or
 * IXDP_RSS_NO_CORE if their queue is Linux's.
 */
u8 ixdp_rss_flow_core(const struct ixdp_rss *rss, __be32 raddr, __be32 laddr,
		      __be16 rport, __be16 lport)
{
	u32 hash = ixdp_rss_hash(rss->key, raddr, laddr, rport, lport);

	return rss->core[hash & (rss->nindir - 1)];
}

/**
 * ixdp_handoff_join() - make @s core @core of @h
 * @s: the stack, before it receives
 * @h: its device's group; every ring between two of its cores set
 * @core: its index, below @h->ncores
 */
void ixdp_handoff_join(struct ixdp_stack *s, struct ixdp_handoff *h,
		       unsigned int core)
{
	s->handoff = h;
	s->core = core;
	s->relay = 0;
}

/* The core whose share of the ephemeral ports @port is, or -1. */
static int handoff_port_core(const struct ixdp_handoff *h, u16 port)
{
	if (port < IXDP_PORT_LO || port - IXDP_PORT_LO >= IXDP_PORT_N)
		return -1;
	return (port - IXDP_PORT_LO) % h->ncores;
}

/**
 * ixdp_handoff_port_ok() - whether a local port keeps a new flow here
 * @s: the stack opening a connection
 * @raddr: the peer's address
 * @rport: the peer's port
 * @lport: an ephemeral port, host order
 *
 * Return: true on a stack alone on its device; otherwise if @lport is
 * of this core's share and, on a device that hashes, the peer's segments
 * to it hash to one of this core's queues.
 */
bool ixdp_handoff_port_ok(const struct ixdp_stack *s, __be32 raddr,
			  __be16 rport, u16 lport)
{
	const struct ixdp_handoff *h = s->handoff;
	const struct ixdp_rss *rss;

	if (!h)
		return true;
	if (handoff_port_core(h, lport) != s->core)
		return false;
	rss = h->rss;
	if (!rss)
		return true;
	return ixdp_rss_flow_core(rss, raddr, s->cfg.addr, rport,
				  cpu_to_be16(lport)) == s->core;
}

/* Queue a copy of @len bytes at @frame for core @to; false if full. */
static bool handoff_push(struct ixdp_stack *s, unsigned int to,
			 const void *frame, unsigned int len,
			 enum ixdp_handoff_kind kind, u32 seen)
{
	struct ixdp_handoff *h = s->handoff;
	struct ixdp_handoff_ring *r = h->ring[s->core][to];
	struct ixdp_handoff_slot *slot;
	u32 head = r->head, tail;

	/* Pairs with the release of @tail: the consumer is done with it. */
	tail = smp_load_acquire(&r->tail);
	if (len > IXDP_HANDOFF_DATA || head - tail == IXDP_HANDOFF_SLOTS) {
		s->stats.handoff_drops++;
		return false;
	}
	slot = &r->slot[head & (IXDP_HANDOFF_SLOTS - 1)];
	slot->len = len;
	slot->kind = kind;
	slot->seen = seen;
	memcpy(slot->data, frame, len);
	/* Pairs with the acquire in handoff_ring_poll(). */
	smp_store_release(&r->head, head + 1);
	s->stats.handoff_out++;
	if (h->ops && h->ops->kick)
		h->ops->kick(h, to);
	return true;
}

/* The next core to look at a segment @seen has been to, or -1. */
static int handoff_next(const struct ixdp_stack *s, u32 seen, u16 port)
{
	const struct ixdp_handoff *h = s->handoff;
	int owner = handoff_port_core(h, port);
	unsigned int i, c;

	if (owner >= 0 && !(seen & BIT(owner)))
		return owner;
	for (i = 1; i < h->ncores; i++) {
		c = (s->core + i) % h->ncores;
		if (!(seen & BIT(c)))
			return c;
	}
	return -1;
}

/*
 * Pass @b, about the connection of local port @lport, to the next core
 * that has not looked for it; false if there is none.
 */
static bool handoff_pass(struct ixdp_stack *s, struct ixdp_buf *b,
			 const struct iphdr *iph, u16 lport,
			 enum ixdp_handoff_kind kind)
{
	const u8 *frame = (const u8 *)iph - ETH_HLEN;
	const u8 *end = (const u8 *)ixdp_buf_data(b) + b->len;
	u32 seen = s->relay | BIT(s->core);
	int to;

	if (!s->handoff)
		return false;
	to = handoff_next(s, seen, lport);
	if (to < 0)
		return false;
	handoff_push(s, to, frame, end - frame, kind, seen);
	ixdp_buf_put(b);
	return true;
}

/**
 * ixdp_handoff_seg() - pass on a TCP segment no connection here takes
 * @s: the stack
 * @b: the segment after its IPv4 header, its checksum verified
 * @iph: its IPv4 header, behind its Ethernet header in @b
 *
 * Return: true if @b was consumed: handed to another core, or dropped
 * because that core's ring was full.  False if every core has looked (or
 * the stack is alone): the caller answers it as for a closed port.
 */
bool ixdp_handoff_seg(struct ixdp_stack *s, struct ixdp_buf *b,
		      const struct iphdr *iph)
{
	const struct tcphdr *th = ixdp_buf_data(b);

	return handoff_pass(s, b, iph, be16_to_cpu(th->dest),
			    IXDP_HANDOFF_SEG);
}

/**
 * ixdp_handoff_icmp() - pass on an ICMP error about no connection here
 * @s: the stack
 * @b: the message after its IPv4 header, its checksum verified
 * @iph: its IPv4 header, behind its Ethernet header in @b
 * @lport: the local port of the TCP segment it quotes
 *
 * An error comes from a router, not from the peer, so the device's
 * hashing sends it to any core; it goes round them, the core owning
 * @lport first, as a segment does.
 *
 * Return: true if @b was consumed, false if every core has looked: the
 * caller counts it as rejected.
 */
bool ixdp_handoff_icmp(struct ixdp_stack *s, struct ixdp_buf *b,
		       const struct iphdr *iph, u16 lport)
{
	return handoff_pass(s, b, iph, lport, IXDP_HANDOFF_ICMP);
}

/**
 * ixdp_handoff_arp() - tell the other cores of an ARP packet
 * @s: the stack that received it from the device and learned from it
 * @b: the packet after its Ethernet header, left as it was
 *
 * The others update their tables from it and answer nothing.
 */
void ixdp_handoff_arp(struct ixdp_stack *s, const struct ixdp_buf *b)
{
	const u8 *frame = (const u8 *)ixdp_buf_data(b) - ETH_HLEN;
	unsigned int c;

	if (!s->handoff || s->relay)
		return;
	for (c = 0; c < s->handoff->ncores; c++)
		if (c != s->core &&
		    handoff_push(s, c, frame, ETH_HLEN + b->len,
				 IXDP_HANDOFF_ARP, BIT(s->core)))
			s->stats.handoff_arp++;
}

/* Receive what core @from handed us, up to @budget frames. */
static unsigned int handoff_ring_poll(struct ixdp_stack *s,
				      struct ixdp_handoff_ring *r,
				      unsigned int budget)
{
	const struct ixdp_handoff_slot *slot;
	u32 tail = r->tail, head;
	unsigned int n = 0;
	struct ixdp_buf *b;

	/* Pairs with the release in handoff_push(). */
	head = smp_load_acquire(&r->head);
	while (tail != head && n < budget) {
		b = ixdp_buf_get(s->pool);
		if (!b)
			break;
		slot = &r->slot[tail & (IXDP_HANDOFF_SLOTS - 1)];
		ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
		memcpy(ixdp_buf_put_tail(b, slot->len), slot->data, slot->len);
		/* The first core checked (or trusted) it; ARP has none. */
		b->flags |= IXDP_BUF_CSUM_OK;
		s->relay = slot->seen;
		/* Let the producer reuse the slot before we process it. */
		smp_store_release(&r->tail, ++tail);
		s->stats.handoff_in++;
		ixdp_eth_rx(s, b);
		s->relay = 0;
		n++;
	}
	return n;
}

/**
 * ixdp_handoff_poll() - receive the frames other cores handed to @s
 * @s: the stack, on its core
 * @budget: frames to take at most
 *
 * Return: the frames received.
 */
unsigned int ixdp_handoff_poll(struct ixdp_stack *s, unsigned int budget)
{
	struct ixdp_handoff *h = s->handoff;
	unsigned int from, n = 0;

	if (!h)
		return 0;
	for (from = 0; from < h->ncores && n < budget; from++)
		if (from != s->core)
			n += handoff_ring_poll(s, h->ring[from][s->core],
					       budget - n);
	return n;
}

/**
 * ixdp_handoff_pending() - whether frames wait for @s
 * @s: the stack, on its core
 *
 * Return: true if ixdp_handoff_poll() has work.
 */
bool ixdp_handoff_pending(const struct ixdp_stack *s)
{
	const struct ixdp_handoff *h = s->handoff;
	const struct ixdp_handoff_ring *r;
	unsigned int from;

	if (!h)
		return false;
	for (from = 0; from < h->ncores; from++) {
		if (from == s->core)
			continue;
		r = h->ring[from][s->core];
		/* Pairs with the release in handoff_push(). */
		if (smp_load_acquire(&r->head) != r->tail)
			return true;
	}
	return false;
}
