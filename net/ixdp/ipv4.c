// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp IPv4: input validation and dispatch, output and routing, and
 * the answer of a closed port to TCP segments.
 *
 * A host without reassembly: fragments are dropped, options are
 * accepted and ignored, and only datagrams to our own unicast address are
 * taken (broadcasts to the subnet are dropped).
 */

#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "stack.h"
#include "tcp.h"

#define IXDP_IP_DF		0x4000
#define IXDP_IP_MF		0x2000
#define IXDP_IP_OFFSET		0x1fff
#define IXDP_IP_TTL		64

static bool ip_subnet_bcast(const struct ixdp_stack *s, __be32 addr)
{
	return s->cfg.prefix_len <= 30 && (addr | s->mask) == cpu_to_be32(~0U);
}

/**
 * ixdp_ip_unicast_src() - whether an address may be a peer's source
 * @s: the stack
 * @addr: the address
 *
 * Return: false for 0/8, 127/8, multicast, class E, the limited broadcast
 * and the broadcast of our subnet; true otherwise.
 */
bool ixdp_ip_unicast_src(const struct ixdp_stack *s, __be32 addr)
{
	u32 a = be32_to_cpu(addr);

	if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 0xe)
		return false;
	return !ip_subnet_bcast(s, addr);
}

static enum ixdp_drop_reason ip_check(const struct ixdp_stack *s,
				      const struct iphdr *iph,
				      unsigned int len)
{
	unsigned int hlen;

	if (len < sizeof(*iph))
		return IXDP_DROP_IP_TRUNCATED;
	if (iph->version != 4)
		return IXDP_DROP_IP_VERSION;
	if (iph->ihl < 5)
		return IXDP_DROP_IP_IHL;
	hlen = iph->ihl * 4;
	if (len < hlen)
		return IXDP_DROP_IP_TRUNCATED;
	/* Another's, fragments included: the host checks the rest. */
	if (iph->daddr != s->cfg.addr)
		return IXDP_DROP_IP_NOT_US;
	if (ip_fast_csum(iph, iph->ihl))
		return IXDP_DROP_IP_CSUM;
	if (be16_to_cpu(iph->tot_len) < hlen)
		return IXDP_DROP_IP_BAD_LEN;
	if (be16_to_cpu(iph->tot_len) > len)
		return IXDP_DROP_IP_TRUNCATED;
	if (iph->frag_off & cpu_to_be16(IXDP_IP_MF | IXDP_IP_OFFSET))
		return IXDP_DROP_IP_FRAGMENT;
	/* RFC 1122 3.2.1.7: TTL 1 is fine for us; 0 was never valid. */
	if (!iph->ttl)
		return IXDP_DROP_IP_TTL;
	if (!ixdp_ip_unicast_src(s, iph->saddr) || iph->saddr == s->cfg.addr)
		return IXDP_DROP_IP_BAD_SRC;
	return IXDP_DROP_MAX;
}

/**
 * ixdp_ip_rx() - receive an IPv4 datagram
 * @s: the stack
 * @b: the datagram after its Ethernet header, consumed
 *
 * A datagram failing a check is dropped and counted by reason; a good one
 * loses its link padding and header and goes to ICMP, UDP or TCP.  Other
 * protocols get a protocol unreachable.
 */
void ixdp_ip_rx(struct ixdp_stack *s, struct ixdp_buf *b)
{
	const struct iphdr *iph = ixdp_buf_data(b);
	enum ixdp_drop_reason why = ip_check(s, iph, b->len);

	if (why == IXDP_DROP_IP_NOT_US) {
		/* The host's address, broadcast or multicast: the host's. */
		ixdp_buf_push(b, ETH_HLEN);
		ixdp_punt(s, b, why);
		return;
	}
	if (why != IXDP_DROP_MAX) {
		ixdp_stack_drop(s, b, why);
		return;
	}
	ixdp_buf_trim(b, be16_to_cpu(iph->tot_len));
	ixdp_buf_pull(b, iph->ihl * 4);

	switch (iph->protocol) {
	case IPPROTO_ICMP:
		ixdp_icmp_rx(s, b, iph);
		break;
	case IPPROTO_UDP:
		ixdp_udp_rx(s, b, iph);
		break;
	case IPPROTO_TCP:
		/* Closed ports end in ixdp_tcp_rx_closed(). */
		ixdp_tcp_rx(s, b, iph);
		break;
	default:
		ixdp_stack_drop(s, NULL, IXDP_DROP_IP_PROTO);
		ixdp_icmp_unreach(s, b, iph, ICMP_PROT_UNREACH);
		break;
	}
}

/* The neighbour to hand a datagram for @daddr to, or 0 if there is none. */
static __be32 ip_route(const struct ixdp_stack *s, __be32 daddr)
{
	if (daddr == s->cfg.addr || !ixdp_ip_unicast_src(s, daddr))
		return 0;
	if (!((daddr ^ s->cfg.addr) & s->mask))
		return daddr;
	return s->cfg.gateway;
}

/* The fields of a header that are the same for every datagram of a flow. */
static void ip_fill_flow(const struct ixdp_stack *s, struct iphdr *iph,
			 __be32 daddr, u8 proto)
{
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->frag_off = cpu_to_be16(IXDP_IP_DF);
	iph->ttl = IXDP_IP_TTL;
	iph->protocol = proto;
	iph->saddr = s->cfg.addr;
	iph->daddr = daddr;
}

static void ip_fill(struct ixdp_stack *s, struct iphdr *iph, unsigned int len,
		    __be32 daddr, u8 proto)
{
	ip_fill_flow(s, iph, daddr, proto);
	iph->tot_len = cpu_to_be16(len);
	iph->id = cpu_to_be16(s->ip_id++);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
}

/**
 * ixdp_ip_output() - send an IPv4 datagram
 * @s: the stack
 * @b: the transport header and payload, consumed
 * @daddr: the destination, a unicast address
 * @proto: the IP protocol number
 *
 * Prepends a header without options, with DF set, and hands the datagram
 * to the destination if it is on our subnet, else to the gateway.
 *
 * Return: 0 if sent or awaiting ARP, -EMSGSIZE if larger than the MTU,
 * -ENETUNREACH if there is no route, -ENOBUFS, or the error of xmit.
 */
int ixdp_ip_output(struct ixdp_stack *s, struct ixdp_buf *b, __be32 daddr,
		   u8 proto)
{
	unsigned int len = b->len + sizeof(struct iphdr);
	__be32 nexthop = ip_route(s, daddr);
	struct iphdr *iph;

	if (!nexthop) {
		ixdp_stack_drop(s, b, IXDP_DROP_NO_ROUTE);
		return -ENETUNREACH;
	}
	if (len > s->cfg.mtu) {
		ixdp_stack_drop(s, b, IXDP_DROP_TOO_BIG);
		return -EMSGSIZE;
	}
	iph = ixdp_buf_push(b, sizeof(*iph));
	if (!iph) {
		ixdp_stack_drop(s, b, IXDP_DROP_NO_ROOM);
		return -ENOBUFS;
	}
	ip_fill(s, iph, len, daddr, proto);
	return ixdp_arp_output(s, b, nexthop);
}

static_assert(offsetof(struct ixdp_ip_tpl, ip) ==
	      offsetof(struct ixdp_ip_tpl, eth) + ETH_HLEN,
	      "the headers of a template are one block");

/**
 * ixdp_ip_tpl_build() - prebuild the headers of datagrams to @daddr
 * @s: the stack
 * @t: the template to fill
 * @daddr: the destination, a unicast address
 * @proto: the IP protocol number
 *
 * The headers are those ixdp_ip_output() would prepend, but for the
 * length, ID and checksum.  They hold while the neighbour table's
 * generation stays where it was.
 *
 * Return: 0, or -EAGAIN (@t left stale) if there is no route or the
 * neighbour is not resolved.
 */
int ixdp_ip_tpl_build(struct ixdp_stack *s, struct ixdp_ip_tpl *t,
		      __be32 daddr, u8 proto)
{
	__be32 nexthop = ip_route(s, daddr);
	const struct ixdp_arp_entry *e;

	e = nexthop ? ixdp_arp_lookup(s, nexthop) : NULL;
	if (!e || !ixdp_arp_usable(e))
		return -EAGAIN;
	memset(t, 0, sizeof(*t));
	ether_addr_copy(t->eth.h_dest, e->mac);
	ether_addr_copy(t->eth.h_source, s->cfg.mac);
	t->eth.h_proto = cpu_to_be16(ETH_P_IP);
	ip_fill_flow(s, &t->ip, daddr, proto);
	t->sum = csum_partial(&t->ip, sizeof(t->ip), 0);
	t->arp_gen = s->arp.gen;
	return 0;
}

/* The sum of the words a template leaves out: length and ID. */
static __wsum ip_tpl_words(const struct iphdr *iph)
{
	return (__force __wsum)((__force u32)iph->tot_len +
				(__force u32)iph->id);
}

/* Send @b behind the headers of @t, which is current. */
static int ip_tpl_xmit(struct ixdp_stack *s, struct ixdp_buf *b,
		       const struct ixdp_ip_tpl *t, __be32 daddr, u8 proto)
{
	unsigned int len = b->len + sizeof(struct iphdr);
	struct iphdr *iph;
	u8 *hdr;

	if (len > s->cfg.mtu)
		return ixdp_ip_output(s, b, daddr, proto);
	hdr = ixdp_buf_push(b, ETH_HLEN + sizeof(*iph));
	if (!hdr)
		return ixdp_ip_output(s, b, daddr, proto);
	memcpy(hdr, &t->eth, ETH_HLEN + sizeof(*iph));
	iph = (struct iphdr *)(hdr + ETH_HLEN);
	iph->tot_len = cpu_to_be16(len);
	iph->id = cpu_to_be16(s->ip_id++);
	iph->check = csum_fold(csum_add(t->sum, ip_tpl_words(iph)));
	return ixdp_eth_xmit(s, b);
}

/* @t is stale: rebuild it, or send without it if it cannot be built. */
static noinline int ip_tpl_rebuild(struct ixdp_stack *s, struct ixdp_buf *b,
				   struct ixdp_ip_tpl *t, __be32 daddr,
				   u8 proto)
{
	if (ixdp_ip_tpl_build(s, t, daddr, proto))
		return ixdp_ip_output(s, b, daddr, proto);
	return ip_tpl_xmit(s, b, t, daddr, proto);
}

/**
 * ixdp_ip_output_tpl() - send an IPv4 datagram with prebuilt headers
 * @s: the stack
 * @b: the transport header and payload, consumed
 * @t: the flow's template, rebuilt here when stale
 * @daddr: the destination, a unicast address
 * @proto: the IP protocol number
 *
 * Sends what ixdp_ip_output() would, the IPv4 ID included, copying the
 * headers from @t; where @t cannot be built (no route, neighbour not
 * resolved) or does not fit, ixdp_ip_output() takes the datagram.
 *
 * Return: as ixdp_ip_output().
 */
int ixdp_ip_output_tpl(struct ixdp_stack *s, struct ixdp_buf *b,
		       struct ixdp_ip_tpl *t, __be32 daddr, u8 proto)
{
	if (t->arp_gen != s->arp.gen || t->ip.daddr != daddr ||
	    t->ip.protocol != proto)
		return ip_tpl_rebuild(s, b, t, daddr, proto);
	return ip_tpl_xmit(s, b, t, daddr, proto);
}

/* The sequence space a segment takes: its data, SYN and FIN. */
static u32 tcp_seg_len(const struct tcphdr *th, unsigned int len)
{
	return len - th->doff * 4 + th->syn + th->fin;
}

/* Turn @b, holding segment @th, into the RST answering it. */
static void tcp_make_reset(struct tcphdr *th, u32 seg_len)
{
	__be32 seq = th->seq, ack_seq = th->ack_seq;
	__be16 sport = th->source, dport = th->dest;
	bool ack = th->ack;

	memset(th, 0, sizeof(*th));
	th->source = dport;
	th->dest = sport;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	if (ack) {
		th->seq = ack_seq;
	} else {
		th->ack_seq = cpu_to_be32(be32_to_cpu(seq) + seg_len);
		th->ack = 1;
	}
}

/*
 * Answer @b, a TCP segment, with RST as RFC 9293 3.10.7.1 says; if
 * @orphan (no connection had it), a bare ACK's answer is counted apart.
 */
static void tcp_answer_reset(struct ixdp_stack *s, struct ixdp_buf *b,
			     const struct iphdr *iph, bool orphan)
{
	struct tcphdr *th = ixdp_buf_data(b);
	__be32 saddr = iph->saddr;
	u32 seg_len;

	if (b->len < sizeof(*th) || th->doff < 5 || th->doff * 4 > b->len) {
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_MALFORMED);
		return;
	}
	if (!ixdp_l4_csum_ok(b, iph, IPPROTO_TCP)) {
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_CSUM);
		return;
	}
	if (th->rst) {
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_RST);
		return;
	}
	ixdp_stack_drop(s, NULL, IXDP_DROP_TCP_CLOSED);
	seg_len = tcp_seg_len(th, b->len);
	/* SEG.LEN counts SYN and FIN: 0 leaves an ACK alone, or nothing. */
	if (orphan && !seg_len && th->ack)
		s->stats.tcp_resets_ack_only++;
	ixdp_buf_trim(b, sizeof(*th));
	tcp_make_reset(th, seg_len);
	th->check = csum_tcpudp_magic(s->cfg.addr, saddr, sizeof(*th),
				      IPPROTO_TCP,
				      csum_partial(th, sizeof(*th), 0));
	s->stats.tcp_resets++;
	ixdp_ip_output(s, b, saddr, IPPROTO_TCP);
}

/**
 * ixdp_tcp_rx_closed() - answer a TCP segment for which no connection exists
 * @s: the stack
 * @b: the segment, consumed (reused for the answer)
 * @iph: its IPv4 header
 *
 * RFC 9293 3.10.7.1: an RST is dropped; otherwise, if ACK is set, the
 * answer is <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>, where SEG.LEN counts SYN and FIN.  Malformed segments and
 * bad checksums are dropped unanswered.  A bare ACK's answer is also
 * counted in tcp_resets_ack_only: most often the peer's late ACK of a
 * connection that ended.
 */
void ixdp_tcp_rx_closed(struct ixdp_stack *s, struct ixdp_buf *b,
			const struct iphdr *iph)
{
	tcp_answer_reset(s, b, iph, true);
}

/**
 * ixdp_tcp_rx_refused() - answer with RST a segment a handshake refuses
 * @s: the stack
 * @b: the segment, consumed (reused for the answer)
 * @iph: its IPv4 header
 *
 * As ixdp_tcp_rx_closed(), for a segment that reached a connection in
 * its handshake (an ACK of nothing it sent): never counted as a bare
 * ACK of no connection.
 */
void ixdp_tcp_rx_refused(struct ixdp_stack *s, struct ixdp_buf *b,
			 const struct iphdr *iph)
{
	tcp_answer_reset(s, b, iph, false);
}
