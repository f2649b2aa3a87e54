// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP output: segments, the send queue, retransmission.
 *
 * The send queue holds references to the application's memory, never
 * copies: a segment's header is built in a pool buffer and its payload
 * is gathered from those references when it leaves.  Where the device
 * sends frames in pieces (IXDP_OFFLOAD_TX_SG), a payload of at least
 * IXDP_TCP_COPYBREAK bytes stays where it is and goes as frags of the
 * buffer, so the device reads it from the application's memory (with
 * IXDP_OFFLOAD_TX_CSUM as well, the CPU never reads it); a smaller one,
 * or one in more pieces than a buffer has frags, is copied behind the
 * header.  Memory is released to the application only once
 * acknowledged.
 */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "tcp.h"

static_assert(IXDP_BUF_HEADROOM + sizeof(struct tcphdr) + IXDP_TCP_OPT_MAX <=
	      IXDP_BUF_ROOM, "a new buffer holds the longest TCP header");

static u32 out_data_end(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->snd_una + pcb->sq_bytes;
}

/* The send queue entry holding @seq, from @seq's offset @off in it on. */
struct sq_pos {
	unsigned int	i;
	unsigned int	k;
	u32		off;
};

static void sq_find(const struct ixdp_tcp_pcb *pcb, u32 seq, struct sq_pos *p)
{
	p->off = seq - pcb->snd_una + pcb->sq_off;
	p->i = pcb->sq_head;
	for (p->k = 0; p->k < pcb->sq_n && p->off >= pcb->sq[p->i].len; p->k++) {
		p->off -= pcb->sq[p->i].len;
		p->i = (p->i + 1) % IXDP_TCP_SQ;
	}
}

/* Gather @len bytes from sequence number @seq of the send queue. */
static void sq_copy(const struct ixdp_tcp_pcb *pcb, u32 seq, u8 *dst,
		    u32 len)
{
	const struct ixdp_tcp_sref *head = &pcb->sq[pcb->sq_head];
	u32 n, off = seq - pcb->snd_una + pcb->sq_off;
	struct sq_pos p;

	/* All in the first reference: a request or a response. */
	if (pcb->sq_n && off < head->len && len <= head->len - off) {
		memcpy(dst, head->base + off, len);
		return;
	}
	for (sq_find(pcb, seq, &p); p.k < pcb->sq_n && len; p.k++) {
		n = min(len, pcb->sq[p.i].len - p.off);
		memcpy(dst, pcb->sq[p.i].base + p.off, n);
		dst += n;
		len -= n;
		p.off = 0;
		p.i = (p.i + 1) % IXDP_TCP_SQ;
	}
}

/*
 * Reference @len bytes from @seq of the send queue as frags of @b,
 * without copying them; with @sum, also sum them as the checksum needs.
 * Return 0, or -errno with @b's frags dropped.
 */
static int sq_frags(const struct ixdp_tcp_pcb *pcb, u32 seq,
		    struct ixdp_buf *b, u32 len, __wsum *sum)
{
	const u8 *base;
	struct sq_pos p;
	u32 n, at = 0;
	int err;

	for (sq_find(pcb, seq, &p); p.k < pcb->sq_n && len; p.k++) {
		n = min(len, pcb->sq[p.i].len - p.off);
		base = pcb->sq[p.i].base + p.off;
		err = ixdp_buf_add_frag(b, base, n);
		if (err) {
			ixdp_buf_drop_frags(b);
			return err;
		}
		if (sum)
			*sum = csum_block_add(*sum, csum_partial(base, n, 0), at);
		at += n;
		len -= n;
		p.off = 0;
		p.i = (p.i + 1) % IXDP_TCP_SQ;
	}
	return 0;
}

/**
 * __ixdp_tcp_sq_acked() - release some of the send queue
 * @pcb: the PCB, before @snd_una moves
 * @bytes: how many, fewer than @sq_bytes
 *
 * ixdp_tcp_sq_acked() when some of the queue stays.
 */
void __ixdp_tcp_sq_acked(struct ixdp_tcp_pcb *pcb, u32 bytes)
{
	u32 n;

	pcb->sq_bytes -= bytes;
	while (bytes && pcb->sq_n) {
		n = min(bytes, pcb->sq[pcb->sq_head].len - pcb->sq_off);
		bytes -= n;
		pcb->sq_off += n;
		if (pcb->sq_off < pcb->sq[pcb->sq_head].len)
			break;
		pcb->sq_off = 0;
		pcb->sq_head = (pcb->sq_head + 1) % IXDP_TCP_SQ;
		pcb->sq_n--;
	}
}

/*
 * What a held buffer is charged against the receive window, at least:
 * half its size.  A full-sized segment (1,460 bytes in a 2 KiB buffer)
 * is then charged its bytes, so bulk transfers keep their window, while
 * segments of a few bytes are charged 1 KiB each, so that a window of
 * rcv_buf bytes pins no more than rcv_buf / 1 KiB buffers.
 */
#define TCP_HELD_CHARGE		(IXDP_BUF_SIZE / 2)

/**
 * ixdp_tcp_held_max() - buffers a connection may hold received in order
 * @cfg: the core's TCP settings
 *
 * Computed once, by ixdp_tcp_init(), into &struct ixdp_tcp.held_max.
 *
 * Return: what a window is worth in buffers (ixdp_tcp_rcv_window()),
 * and at least twice a share of the reserve.  Data beyond it is dropped:
 * the right edge of a window, once advertised, is not moved back, so a
 * peer could otherwise fill it with segments of a byte each.
 */
u32 ixdp_tcp_held_max(const struct ixdp_tcp_config *cfg)
{
	return max_t(u32, DIV_ROUND_UP(cfg->rcv_buf, TCP_HELD_CHARGE),
		     2 * IXDP_TCP_RESERVE_SHARE);
}

/* Receive buffer the connection has left, charged as TCP_HELD_CHARGE says. */
static u32 rcv_space(const struct ixdp_tcp_pcb *pcb)
{
	u32 buf = pcb->stack->tcp->cfg.rcv_buf, used, share;

	used = max(pcb->rcv_unread, (u32)pcb->rcv_held * TCP_HELD_CHARGE);
	if (used >= buf)
		return 0;
	if (!ixdp_stack_pool_low(pcb->stack))
		return buf - used;
	/* Down to the reserve: the window offers no more than its share. */
	share = pcb->rcv_held + pcb->ooo_n < IXDP_TCP_RESERVE_SHARE ?
		IXDP_TCP_RESERVE_SHARE - pcb->rcv_held - pcb->ooo_n : 0;
	return min(buf - used, share * pcb->mss);
}

/* ixdp_tcp_rcv_window(), inline in out_window(): every segment asks. */
static inline u32 rcv_window(const struct ixdp_tcp_pcb *pcb)
{
	u32 buf = pcb->stack->tcp->cfg.rcv_buf, space, edge, old = 0;

	space = rcv_space(pcb);
	edge = pcb->rcv_nxt + space;
	if (tcp_seq_after(pcb->rcv_adv, pcb->rcv_nxt))
		old = pcb->rcv_adv - pcb->rcv_nxt;
	if (space <= old)
		return old;
	if (old && space - old < min(buf / 2, pcb->mss))
		return old;
	return edge - pcb->rcv_nxt;
}

/**
 * ixdp_tcp_rcv_window() - the receive window to advertise, in bytes
 * @pcb: the PCB
 *
 * The room left in the receive buffer for unread data, each buffer held
 * charged at least TCP_HELD_CHARGE, and only a share of the reserve once
 * the pool is down to it; the right edge never moved back and moved on
 * only by min(rcv_buf / 2, MSS) or more (receiver silly window
 * avoidance, RFC 9293 3.8.6.2.2).
 *
 * Return: bytes from @rcv_nxt.
 */
u32 ixdp_tcp_rcv_window(const struct ixdp_tcp_pcb *pcb)
{
	return rcv_window(pcb);
}

/* Options of a SYN, or of a segment with SACK blocks; @room bytes at most. */
static unsigned int out_opts_full(struct ixdp_tcp_pcb *pcb, u8 flags, u8 *p,
				  unsigned int room)
{
	struct ixdp_stack *s = pcb->stack;
	struct ixdp_tcp_opts o = { 0 };
	unsigned int n;

	if (flags & TCPHDR_SYN) {
		o.flags |= TCPOPT_F_MSS;
		o.mss = s->cfg.mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
		if (pcb->flags & TCPF_WS) {
			o.flags |= TCPOPT_F_WS;
			o.wscale = pcb->rcv_wscale;
		}
		if (pcb->flags & TCPF_SACK)
			o.flags |= TCPOPT_F_SACK_OK;
	}
	if (pcb->flags & TCPF_TS) {
		o.flags |= TCPOPT_F_TS;
		o.tsval = tcp_ts_now(pcb);
		o.tsecr = pcb->ts_recent;
	}
	if (!(flags & TCPHDR_SYN) && pcb->flags & TCPF_SACK && pcb->ooo) {
		n = pcb->flags & TCPF_TS ? 12 : 0;
		n = room > n + 4 ? (room - n - 4) / 8 : 0;
		o.nsack = ixdp_tcp_sack_blocks(pcb, o.sack,
					       min_t(unsigned int, n,
						     IXDP_TCP_SACK_BLOCKS));
		if (o.nsack)
			o.flags |= TCPOPT_F_SACK;
	}
	return ixdp_tcp_opt_build(p, &o);
}

/* Options of a segment; @room bytes at most (SACK blocks give way). */
static unsigned int out_opts(struct ixdp_tcp_pcb *pcb, u8 flags, u8 *p,
			     unsigned int room)
{
	if (flags & TCPHDR_SYN || (pcb->flags & TCPF_SACK && pcb->ooo))
		return out_opts_full(pcb, flags, p, room);
	if (!(pcb->flags & TCPF_TS))
		return 0;
	return ixdp_tcp_opt_build_ts(p, tcp_ts_now(pcb), pcb->ts_recent);
}

static u16 out_window(struct ixdp_tcp_pcb *pcb, u8 flags)
{
	u32 win = rcv_window(pcb);
	u8 shift = flags & TCPHDR_SYN ? 0 : pcb->rcv_wscale;
	u32 field = min_t(u32, win >> shift, 0xffff);

	if (tcp_seq_after(pcb->rcv_nxt + (field << shift), pcb->rcv_adv))
		pcb->rcv_adv = pcb->rcv_nxt + (field << shift);
	return field;
}

/* @frag_sum: the sum of @b's frags, when the stack sums the segment. */
static void out_csum(struct ixdp_stack *s, struct ixdp_buf *b,
		     struct tcphdr *th, __be32 daddr, __wsum frag_sum)
{
	u32 linear = ixdp_buf_linear_len(b);
	__wsum sum;

	if (s->cfg.offload & IXDP_OFFLOAD_TX_CSUM) {
		th->check = ~csum_tcpudp_magic(s->cfg.addr, daddr, b->len,
					       IPPROTO_TCP, 0);
		b->flags |= IXDP_BUF_CSUM_PARTIAL;
		return;
	}
	sum = csum_partial(th, linear, 0);
	if (b->frag_len)
		sum = csum_block_add(sum, frag_sum, linear);
	th->check = csum_tcpudp_magic(s->cfg.addr, daddr, b->len, IPPROTO_TCP,
				      sum);
}

/*
 * Put the payload behind the header: as frags where the device takes them
 * and the payload is worth a descriptor of its own, else copied.
 */
static void out_payload(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b,
			u32 seq, u32 len, __wsum *frag_sum)
{
	struct ixdp_stack *s = pcb->stack;
	bool sum = !(s->cfg.offload & IXDP_OFFLOAD_TX_CSUM);

	if (len >= IXDP_TCP_COPYBREAK && s->cfg.offload & IXDP_OFFLOAD_TX_SG &&
	    !sq_frags(pcb, seq, b, len, sum ? frag_sum : NULL))
		return;
	sq_copy(pcb, seq, ixdp_buf_put_tail(b, len), len);
}

/* What sending a segment with ACK set does to the receive side. */
static void out_acked(struct ixdp_tcp_pcb *pcb)
{
	ixdp_tcp_ack_stop(pcb);
	pcb->delack_segs = 0;
	pcb->last_ack_sent = pcb->rcv_nxt;
}

static void out_header(struct ixdp_tcp_pcb *pcb, struct tcphdr *th, u32 seq,
		       u8 flags, unsigned int hlen)
{
	u8 *raw = (u8 *)th;

	th->source = pcb->lport;
	th->dest = pcb->rport;
	th->seq = cpu_to_be32(seq);
	th->ack_seq = flags & TCPHDR_ACK ? cpu_to_be32(pcb->rcv_nxt) : 0;
	/* The data offset in words, in the high nibble; reserved bits 0. */
	raw[12] = hlen << 2;
	raw[13] = flags;
	th->window = cpu_to_be16(out_window(pcb, flags));
	th->check = 0;
	th->urg_ptr = 0;
}

/*
 * The device's full queue refused a segment of @pcb: the connection waits
 * for room, oldest first (ixdp_tcp_tx_resume()), and an ACK that was owed
 * (a delayed one, or data not acknowledged yet) is owed still.  A reset
 * is not waited for: it is not sent again, as for one a peer's queue
 * dropped; nor is a SYN, which its timer sends again.
 */
static void out_wait_room(struct ixdp_tcp_pcb *pcb, u8 flags)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	tcp->stats->tx_refused++;
	if (flags & TCPHDR_RST || (flags & TCPHDR_SYN && !(flags & TCPHDR_ACK)))
		return;
	if (flags & TCPHDR_ACK && (pcb->flags & TCPF_DELACK ||
				   pcb->last_ack_sent != pcb->rcv_nxt))
		pcb->flags |= TCPF_ACK_NOW;
	if (list_empty(&pcb->txw))
		list_add_tail(&pcb->txw, &tcp->txw);
}

/*
 * Send one segment: @len payload bytes from @seq (from the send queue),
 * with @flags.  Return the payload bytes sent (fewer if options took
 * room) or a negative errno: -ENOBUFS if the pool is empty, -ENOSPC if
 * the device's queue is full.  Then the segment did not leave, and what
 * its leaving does to the connection (the ACK it carries, the time of
 * the last data) is not done; only @rcv_adv may have moved with the
 * window it offered (a lost window update, which the peer's probes
 * repair).  Other failures past TCP (no route, a neighbour's queue
 * full) are the path's loss, which the RTO repairs.
 */
static int out_xmit(struct ixdp_tcp_pcb *pcb, u32 seq, u32 len, u8 flags)
{
	struct ixdp_stack *s = pcb->stack;
	unsigned int olen, max = tcp_pcb_mtu(pcb) - sizeof(struct iphdr);
	__wsum frag_sum = 0;
	struct ixdp_buf *b;
	struct tcphdr *th;
	int ret;

	b = ixdp_buf_get(s->pool);
	if (!b) {
		ixdp_stack_drop(s, NULL, IXDP_DROP_POOL_EMPTY);
		return -ENOBUFS;
	}
	len = min(len, max - (u32)sizeof(*th));
	/* A new buffer has room for the longest header behind its data. */
	th = ixdp_buf_data(b);
	olen = out_opts(pcb, flags, (u8 *)(th + 1), max - sizeof(*th) - len);
	b->len = sizeof(*th) + olen;
	len = min(len, max - (u32)sizeof(*th) - olen);
	if (flags & TCPHDR_FIN && seq + len != out_data_end(pcb))
		flags &= ~(TCPHDR_FIN | TCPHDR_PSH);
	out_header(pcb, th, seq, flags, sizeof(*th) + olen);
	if (len)
		out_payload(pcb, b, seq, len, &frag_sum);
	out_csum(s, b, th, pcb->raddr, frag_sum);
	ret = ixdp_ip_output_tpl(s, b, &pcb->tpl, pcb->raddr, IPPROTO_TCP);
	if (unlikely(ret == -ENOSPC)) {
		out_wait_room(pcb, flags);
		return ret;
	}
	if (flags & TCPHDR_ACK)
		out_acked(pcb);
	/* The device takes segments again: a refusal ends. */
	if (unlikely(pcb->flags & TCPF_RETRYING))
		pcb->flags &= ~TCPF_RETRYING;
	if (len)
		pcb->snd_last = s->now;
	s->tcp->stats->segs_out++;
	return len;
}

/**
 * ixdp_tcp_send_syn() - send our SYN, or SYN-ACK in SYN_RCVD
 * @pcb: the PCB
 *
 * Return: 0 or a negative errno.
 */
int ixdp_tcp_send_syn(struct ixdp_tcp_pcb *pcb)
{
	u8 flags = TCPHDR_SYN;
	int ret;

	if (pcb->state == IXDP_TCP_SYN_RCVD)
		flags |= TCPHDR_ACK;
	pcb->snd_nxt = pcb->iss + 1;
	pcb->snd_max = pcb->iss + 1;
	ret = out_xmit(pcb, pcb->iss, 0, flags);
	return ret < 0 ? ret : 0;
}

/*
 * The sequence number of a segment without data (ACK, RST): the highest
 * sent, as Linux's tcp_acceptable_seq(), within the peer's window.  Not
 * snd_nxt, which an RTO moves back to snd_una: a peer that holds more
 * than we know takes a sequence number below its rcv_nxt for an old
 * segment and drops the ACK with it, and two peers retransmitting to
 * each other so would drop each other's ACKs until both gave up.
 */
static u32 out_ack_seq(const struct ixdp_tcp_pcb *pcb)
{
	u32 edge = pcb->snd_una + pcb->snd_wnd;

	return tcp_seq_after(pcb->snd_max, edge) ? edge : pcb->snd_max;
}

/**
 * ixdp_tcp_send_ack() - send an ACK now
 * @pcb: the PCB
 *
 * Return: 0 or a negative errno.
 */
int ixdp_tcp_send_ack(struct ixdp_tcp_pcb *pcb)
{
	int ret;

	if (pcb->state == IXDP_TCP_SYN_RCVD)
		return ixdp_tcp_send_syn(pcb);
	ret = out_xmit(pcb, out_ack_seq(pcb), 0, TCPHDR_ACK);
	return ret < 0 ? ret : 0;
}

/**
 * ixdp_tcp_send_rst() - reset the connection: <SEQ=SND.MAX><CTL=RST,ACK>
 * @pcb: the PCB
 *
 * Return: 0 or a negative errno.
 */
int ixdp_tcp_send_rst(struct ixdp_tcp_pcb *pcb)
{
	int ret;

	pcb->stack->tcp->stats->resets_out++;
	pcb->stack->stats.tcp_resets++;
	ret = out_xmit(pcb, out_ack_seq(pcb), 0, TCPHDR_RST | TCPHDR_ACK);
	return ret < 0 ? ret : 0;
}

/* Flags of a segment of @len bytes from @seq: FIN if it ends the data. */
static u8 out_flags(const struct ixdp_tcp_pcb *pcb, u32 seq, u32 len)
{
	u8 flags = TCPHDR_ACK;

	if (seq + len == out_data_end(pcb)) {
		if (len)
			flags |= TCPHDR_PSH;
		if (pcb->flags & TCPF_FIN_QUEUED)
			flags |= TCPHDR_FIN;
	}
	return flags;
}

/* Whether our FIN went: it follows the data, and @snd_max counts it. */
static bool out_fin_sent(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->flags & TCPF_FIN_QUEUED &&
	       pcb->snd_max == out_data_end(pcb) + 1;
}

/*
 * Payload bytes of a retransmission from @seq: at most one MSS, only
 * bytes sent before (below @snd_max, the FIN not counted), and only what
 * the peer's window takes now.
 */
static u32 out_rtx_len(const struct ixdp_tcp_pcb *pcb, u32 seq, bool fin)
{
	u32 sent = fin ? pcb->snd_max - 1 : pcb->snd_max;
	u32 edge = pcb->snd_una + pcb->snd_wnd;

	if (!tcp_seq_before(seq, sent) || !tcp_seq_before(seq, edge))
		return 0;
	return min(min(sent - seq, edge - seq), pcb->mss);
}

/**
 * ixdp_tcp_retransmit() - send one segment again from @seq
 * @pcb: the PCB
 * @seq: where, in [@snd_una, @snd_max)
 *
 * The segment covers only what was sent before, within [@seq, @snd_max),
 * and the FIN only if it went; and only what the peer's window offers
 * now.  New data waits for ixdp_tcp_output().  Sending again at or
 * before the segment being timed ends the timing (Karn's rule).
 *
 * Return: payload bytes sent, -EINVAL if @seq is not outstanding, -EAGAIN
 * if the window takes none of it, or another negative errno.
 */
int ixdp_tcp_retransmit(struct ixdp_tcp_pcb *pcb, u32 seq)
{
	bool fin = out_fin_sent(pcb);
	u8 flags = TCPHDR_ACK;
	u32 len;
	int ret;

	if (!tcp_seq_in(seq, pcb->snd_una, pcb->snd_max))
		return -EINVAL;
	/* Karn: an ACK covering the segment timed covers this one too. */
	if (tcp_seq_leq(seq, pcb->rtt_seq))
		pcb->flags &= ~TCPF_TIMING;
	len = out_rtx_len(pcb, seq, fin);
	if (seq + len == out_data_end(pcb)) {
		if (len)
			flags |= TCPHDR_PSH;
		if (fin)
			flags |= TCPHDR_FIN;
	}
	if (!len && !(flags & TCPHDR_FIN))
		return -EAGAIN;
	ret = out_xmit(pcb, seq, len, flags);
	if (ret >= 0)
		pcb->stack->tcp->stats->rexmits++;
	return ret;
}

/**
 * ixdp_tcp_probe() - probe a zero window with one byte (RFC 9293 3.8.6.1)
 * @pcb: the PCB
 *
 * The byte at @snd_nxt is sent without moving @snd_nxt, so it goes again
 * until the window opens.
 *
 * Return: 0 or a negative errno.
 */
int ixdp_tcp_probe(struct ixdp_tcp_pcb *pcb)
{
	u32 seq = pcb->snd_nxt;
	int ret;

	if (!tcp_seq_before(seq, out_data_end(pcb)))
		return ixdp_tcp_send_ack(pcb);
	pcb->stack->tcp->stats->probes++;
	ret = out_xmit(pcb, seq, 1, TCPHDR_ACK);
	if (ret < 0)
		return ret;
	pcb->snd_max = tcp_seq_max(pcb->snd_max, seq + 1);
	return 0;
}

/**
 * ixdp_tcp_send_keepalive() - send a keepalive probe (RFC 9293 3.8.4)
 * @pcb: the PCB, with nothing in flight
 *
 * An ACK with sequence number @snd_una - 1 and no data, as Linux sends:
 * below the peer's window, so a live peer answers it with an ACK.
 *
 * Return: 0 or a negative errno.
 */
int ixdp_tcp_send_keepalive(struct ixdp_tcp_pcb *pcb)
{
	int ret = out_xmit(pcb, pcb->snd_una - 1, 0, TCPHDR_ACK);

	return ret < 0 ? ret : 0;
}

/* Start timing a new segment when timestamps do not time every ACK. */
static void out_time(struct ixdp_tcp_pcb *pcb, u32 seq)
{
	if (pcb->flags & (TCPF_TS | TCPF_TIMING))
		return;
	pcb->flags |= TCPF_TIMING;
	pcb->rtt_seq = seq;
	pcb->rtt_start = pcb->stack->now;
}

/*
 * The congestion window, plus one segment per duplicate ACK before fast
 * retransmit: limited transmit (RFC 3042) keeps ACKs coming when the
 * window is too small to produce three duplicates.
 */
static u32 out_cwnd(const struct ixdp_tcp_pcb *pcb)
{
	if (pcb->flags & TCPF_RECOVERY || !pcb->dupacks)
		return pcb->cwnd;
	return pcb->cwnd + min_t(u32, pcb->dupacks, 2) * pcb->mss;
}

/*
 * Sender silly window avoidance (RFC 9293 3.8.6.2.1): a segment of @len
 * bytes, @left of them waiting, goes if it is a full MSS, if it takes all
 * that waits, if it is at least half the largest window the peer offered
 * (Fs = 1/2), or if nothing sent is outstanding, as after an RTO or a
 * window probe, when waiting for an ACK would wait for nothing.
 */
static bool out_sws_ok(const struct ixdp_tcp_pcb *pcb, u32 len, u32 left)
{
	return len >= pcb->mss || len == left ||
	       len >= pcb->max_snd_wnd / 2 || pcb->snd_nxt == pcb->snd_una;
}

/*
 * The pool or the device's queue refused data or a FIN, which is still
 * to send: out_timers() has it tried again, as Linux's resource probe.
 */
static void out_refused(struct ixdp_tcp_pcb *pcb, int err)
{
	if (err == -ENOSPC || err == -ENOBUFS)
		pcb->flags |= TCPF_REFUSED;
}

/* Send a segment of new or go-back-N data; false when nothing went. */
static bool out_one(struct ixdp_tcp_pcb *pcb, u32 end)
{
	u32 wnd = min(pcb->snd_wnd, out_cwnd(pcb)), edge = pcb->snd_una + wnd;
	u32 seq = pcb->snd_nxt, len = end - seq;
	int sent;
	u8 flags;

	if (!tcp_seq_before(seq, edge))
		return false;
	len = min(min(len, edge - seq), pcb->mss);
	if (!out_sws_ok(pcb, len, end - seq))
		return false;
	flags = out_flags(pcb, seq, len);
	sent = out_xmit(pcb, seq, len, flags);
	if (sent <= 0) {
		out_refused(pcb, sent);
		return false;
	}
	if (tcp_seq_before(seq, pcb->snd_max))
		pcb->stack->tcp->stats->rexmits++;
	else
		out_time(pcb, seq);
	pcb->snd_nxt = seq + sent;
	/* All of it went: so did the FIN, if it was to. */
	if (sent == len && flags & TCPHDR_FIN)
		pcb->snd_nxt++;
	pcb->snd_max = tcp_seq_max(pcb->snd_max, pcb->snd_nxt);
	return true;
}

static bool out_fin(struct ixdp_tcp_pcb *pcb, u32 end)
{
	int ret;

	if (!(pcb->flags & TCPF_FIN_QUEUED) || pcb->snd_nxt != end)
		return false;
	ret = out_xmit(pcb, end, 0, TCPHDR_ACK | TCPHDR_FIN);
	if (ret < 0) {
		out_refused(pcb, ret);
		return false;
	}
	pcb->snd_nxt = end + 1;
	pcb->snd_max = tcp_seq_max(pcb->snd_max, pcb->snd_nxt);
	return true;
}

/**
 * ixdp_tcp_can_send() - whether @pcb's state lets it send data or a FIN
 * @pcb: the PCB
 *
 * Return: true from ESTABLISHED until our FIN is acknowledged.
 */
bool ixdp_tcp_can_send(const struct ixdp_tcp_pcb *pcb)
{
	switch (pcb->state) {
	case IXDP_TCP_ESTABLISHED:
	case IXDP_TCP_CLOSE_WAIT:
	case IXDP_TCP_FIN_WAIT_1:
	case IXDP_TCP_CLOSING:
	case IXDP_TCP_LAST_ACK:
		return true;
	}
	return false;
}

/*
 * Data waits, nothing sent is outstanding and the window is zero: the
 * persist timer probes it (RFC 9293 3.8.6.1), whatever an RTO left in
 * flight.  The first segment due (new data, or an RTO's retransmission)
 * was refused by the pool or the device: it is tried again soon, as no
 * ACK will come for it.  Else the RTO runs while anything is in flight.
 */
static bool out_timers(struct ixdp_tcp_pcb *pcb, u32 end)
{
	bool refused = pcb->flags & TCPF_REFUSED;

	pcb->flags &= ~TCPF_REFUSED;
	if (!pcb->snd_wnd && pcb->snd_nxt == pcb->snd_una &&
	    tcp_seq_before(pcb->snd_nxt, end)) {
		ixdp_tcp_persist_arm(pcb);
	} else if (refused && pcb->snd_nxt == pcb->snd_una) {
		ixdp_tcp_retry_arm(pcb);
	} else if (tcp_flight(pcb)) {
		if (!tcp_rtx_armed(pcb) || pcb->flags & TCPF_RETRY)
			ixdp_tcp_rtx_arm(pcb);
	} else if (!(pcb->flags & TCPF_PERSIST) &&
		   pcb->state != IXDP_TCP_FIN_WAIT_2) {
		/* In FIN_WAIT_2 the timer waits for the peer's FIN. */
		ixdp_tcp_rtx_stop(pcb);
	}
	return refused;
}

/*
 * Whether output would do nothing: every byte queued sent and
 * acknowledged, no FIN queued, no ACK owed, and no timer for out_timers()
 * to stop or arm.  So after a segment that acknowledges all we sent, as
 * a request answering our response does.
 */
static bool out_idle(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->snd_nxt == out_data_end(pcb) && !tcp_flight(pcb) &&
	       !(pcb->flags & (TCPF_ACK_NOW | TCPF_FIN_QUEUED | TCPF_REFUSED |
			       TCPF_PERSIST | TCPF_HOARDS | TCPF_RETRY |
			       TCPF_RTX_ARMED));
}

/* Output proper; out of line, so that an idle one saves no registers. */
static noinline void out_pcb(struct ixdp_tcp_pcb *pcb)
{
	u32 end = out_data_end(pcb);
	bool refused = false;
	unsigned int n = 0;

	if (ixdp_tcp_can_send(pcb)) {
		/* Idle longer than the RTO without backoff, at least. */
		if (pcb->snd_una == pcb->snd_max && pcb->snd_nxt != end &&
		    pcb->stack->now - pcb->snd_last > pcb->rto)
			ixdp_tcp_cc_restart(pcb);
		while (tcp_seq_before(pcb->snd_nxt, end) && out_one(pcb, end))
			n++;
		n += out_fin(pcb, end);
		refused = out_timers(pcb, end);
	}
	/* A refused segment carried the ACK: the device takes no more now. */
	if (!n && !refused && pcb->flags & TCPF_ACK_NOW &&
	    pcb->state != IXDP_TCP_CLOSED && pcb->state != IXDP_TCP_SYN_SENT)
		ixdp_tcp_send_ack(pcb);
}

/**
 * __ixdp_tcp_output() - ixdp_tcp_output() of a PCB known not to be busy
 * @pcb: the PCB, its input or timer not running
 *
 * For ixdp_tcp_leave(), which has just ended them.
 */
void __ixdp_tcp_output(struct ixdp_tcp_pcb *pcb)
{
	if (!out_idle(pcb))
		out_pcb(pcb);
}

/**
 * ixdp_tcp_tx_resume() - send for the connections the full queue refused
 * @s: the stack, its device's queue having room again
 *
 * Called by the core as its device's queue drains, before new work is
 * taken: each connection that waits sends what it owes (data, a FIN, an
 * ACK), oldest first, until the queue refuses again; that connection
 * keeps its place at the head of the line, and the rest theirs.
 * A refused segment so goes out as soon as the queue takes it, not when
 * the retry timer (ixdp_tcp_retry_arm()) fires, which stays for the
 * pool's refusals and a device that takes nothing at all.  An empty pool
 * ends the turn too, the line in its order.  A connection whose segment
 * went by another path meanwhile is served for nothing.
 *
 * Return: the connections served.
 */
unsigned int ixdp_tcp_tx_resume(struct ixdp_stack *s)
{
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_pcb *pcb;
	unsigned int n = 0;

	if (!tcp)
		return 0;
	/* Each turn takes one off the line for good, or ends. */
	while (!list_empty(&tcp->txw) && s->pool->avail) {
		pcb = list_first_entry(&tcp->txw, struct ixdp_tcp_pcb, txw);
		list_del_init(&pcb->txw);
		ixdp_tcp_output(pcb);
		if (!list_empty(&pcb->txw)) {
			list_move(&pcb->txw, &tcp->txw);
			break;
		}
		n++;
	}
	tcp->stats->tx_resumed += n;
	return n;
}

/**
 * ixdp_tcp_output() - send what the windows allow, and a pending ACK
 * @pcb: the PCB
 *
 * Data goes in segments of at most MSS within min(cwnd, snd_wnd), then
 * the FIN if the application closed; an ACK owed goes alone if nothing
 * carried it.  Deferred while the PCB's own input or timer runs.
 */
void ixdp_tcp_output(struct ixdp_tcp_pcb *pcb)
{
	if (pcb->stack->tcp->busy == pcb)
		return;
	__ixdp_tcp_output(pcb);
}
