// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP: ICMP errors about our segments.
 *
 * Everything ixdp sends has DF set, so a path with a smaller MTU answers
 * a segment too big with ICMP fragmentation needed and the next-hop MTU
 * (RFC 1191).  Such a message lowers the connection's path MTU, and its
 * MSS with it, and what was in flight goes again in smaller segments.
 *
 * An ICMP error is easy to forge, so it is believed only if it quotes a
 * connection of ours and a sequence number in flight, in [snd_una,
 * snd_max) (RFC 5927 4.1; our snd_max is RFC 9293's SND.NXT, our
 * snd_nxt being pulled back by go-back-N retransmission).  Other errors
 * (port or protocol unreachable, time exceeded, ...) are soft errors and
 * do not abort a connection (RFC 5461): they are validated, counted and
 * ignored, as is a path MTU not below the current one, or 0 (a router
 * older than RFC 1191: its plateau table is not used).  The path MTU
 * never goes below IXDP_TCP_MIN_PMTU, 552 as Linux's min_pmtu: a lower
 * report is taken as 552, so a forged one cannot shrink segments to
 * nothing.  Ten minutes after its last decrease a path MTU goes back to
 * the stack's (RFC 1191 6.3), so a path that grew is found again.
 */

#include <linux/icmp.h>
#include <linux/minmax.h>
#include <linux/tcp.h>
#include <linux/unaligned.h>

#include "tcp.h"

/*
 * What no longer fits goes again (Linux's tcp_simple_retransmit): the
 * flight is sent anew from snd_una, go-back-N, in segments of the new
 * MSS.  Not a congestion signal: the windows stay as they are, but no
 * RTT is taken from a segment sent twice (Karn).
 */
static void icmp_pmtu_retransmit(struct ixdp_tcp_pcb *pcb)
{
	if (!tcp_flight(pcb))
		return;
	pcb->flags &= ~TCPF_TIMING;
	pcb->snd_nxt = pcb->snd_una;
	ixdp_tcp_output(pcb);
}

/* RFC 1191: the next hop takes datagrams of @mtu bytes at most. */
static void icmp_frag_needed(struct ixdp_tcp_pcb *pcb, u32 mtu)
{
	struct ixdp_tcp_stats *st = pcb->stack->tcp->stats;
	u32 mss, cur = tcp_pcb_mtu(pcb);

	mtu = max_t(u32, mtu, IXDP_TCP_MIN_PMTU);
	if (!ixdp_tcp_can_send(pcb) || mtu >= cur) {
		st->icmp_ignored++;
		return;
	}
	pcb->pmtu = mtu;
	pcb->pmtu_at = pcb->stack->now;
	mss = mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
	if (pcb->flags & TCPF_TS)
		mss -= IXDP_TCP_OPT_TS_LEN;
	pcb->mss = min(pcb->mss, mss);
	st->pmtu_updates++;
	icmp_pmtu_retransmit(pcb);
}

/**
 * ixdp_tcp_pmtu_expire() - try the stack's MTU again, if it is time
 * @pcb: a PCB whose path MTU was lowered
 *
 * IXDP_TCP_PMTU_EXPIRES after the last decrease, the path MTU goes back
 * to the stack's and the MSS to the handshake's: if the path is still
 * narrower, its router says so again (RFC 1191 6.3).  Called when the
 * retransmission timer's wheel entry fires, which it does about once an
 * RTO while the connection sends, so a sender finds out within an RTO.
 */
void ixdp_tcp_pmtu_expire(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	if ((u32)s->now - pcb->pmtu_at < IXDP_TCP_PMTU_EXPIRES * s->cfg.hz)
		return;
	pcb->pmtu = 0;
	pcb->mss = pcb->mss_syn;
	s->tcp->stats->pmtu_expired++;
}

/**
 * ixdp_tcp_icmp_err() - an ICMP error quoting a TCP segment we sent
 * @s: the stack, with TCP
 * @qiph: the quoted IPv4 header, from our address, valid length, the
 *	first 8 bytes of the TCP header behind it
 * @type: the ICMP type, an error
 * @code: the ICMP code
 * @mtu: with ICMP_DEST_UNREACH and ICMP_FRAG_NEEDED, the next-hop MTU
 *
 * The error is believed if it names a connection and a sequence number
 * it has in flight; fragmentation needed then lowers the connection's
 * path MTU, and the rest is ignored.
 *
 * Return: 0 if believed; -ENOENT if no connection of this core is
 * quoted (another core of the device may have it: the caller hands the
 * error on); -EINVAL if the connection has no such sequence number in
 * flight.  The caller counts what no core believes.
 */
int ixdp_tcp_icmp_err(struct ixdp_stack *s, const struct iphdr *qiph,
		      u8 type, u8 code, u16 mtu)
{
	const u8 *th = (const u8 *)qiph + qiph->ihl * 4;
	struct ixdp_tcp_pcb *pcb;
	__be16 sport, dport;
	u32 seq;

	sport = get_unaligned((const __be16 *)th);
	dport = get_unaligned((const __be16 *)(th + 2));
	seq = get_unaligned_be32(th + 4);
	pcb = ixdp_tcp_pcb_lookup(s, qiph->daddr, dport, sport);
	if (!pcb)
		return -ENOENT;
	if (!tcp_seq_in(seq, pcb->snd_una, pcb->snd_max))
		return -EINVAL;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED && mtu)
		icmp_frag_needed(pcb, mtu);
	else
		s->tcp->stats->icmp_ignored++;
	return 0;
}
