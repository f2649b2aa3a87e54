// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP segment arrival: RFC 9293 3.10.7 in the order it gives.
 *
 * A segment is validated (length, data offset, checksum, options), then
 * goes to its connection, else (a SYN, or an ACK with a good SYN cookie)
 * to a listener of its port, else to the other cores of the device
 * (handoff.c), else to ixdp_tcp_rx_closed().  The connection's
 * processing checks PAWS (RFC 7323), sequence acceptability, RST and SYN
 * with the RFC 5961 mitigations, the ACK, the payload and the FIN.
 * In-order payload goes to the application in the buffer it arrived in.
 *
 * What a connection answers to a segment it drops or challenges is rate
 * limited per connection; challenge ACKs are also limited per core, by a
 * budget drawn at random each second.
 */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/checksum.h>

#include "handoff.h"
#include "tcp.h"

/* The application may see the payload of @pcb. */
static bool in_deliverable(const struct ixdp_tcp_pcb *pcb)
{
	if (pcb->flags & TCPF_DETACHED)
		return false;
	return !(pcb->flags & TCPF_PASSIVE) || pcb->flags & TCPF_ACCEPTED;
}

/*
 * Answer @seg, whose header is still in front of its data, with RST: as
 * a segment of no connection if @orphan, else as one a handshake refuses.
 */
static void in_reset_seg(struct ixdp_stack *s, struct ixdp_tcp_seg *seg,
			 const struct iphdr *iph, unsigned int hlen,
			 bool orphan)
{
	ixdp_buf_push(seg->b, hlen);
	if (orphan)
		ixdp_tcp_rx_closed(s, seg->b, iph);
	else
		ixdp_tcp_rx_refused(s, seg->b, iph);
	seg->b = NULL;
}

/*
 * Whether @pcb may answer a segment it drops or challenges: once in
 * cfg.ack_ratelimit at most (Linux's tcp_oow_rate_limited()), so that a
 * peer cannot make it send as fast as it sends, nor use its answers to
 * learn what the core's challenge ACK budget has left.
 */
static bool in_oow_ok(struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_stack *s = pcb->stack;

	if (pcb->oow_ack_at &&
	    s->now + 1 - pcb->oow_ack_at < s->tcp->cfg.ack_ratelimit)
		return false;
	pcb->oow_ack_at = s->now + 1;
	return true;
}

/*
 * Answer a segment dropped as unacceptable, unless @pcb did so lately.
 * A segment carrying data is always answered, as Linux does: it cannot
 * be part of an ACK loop, and it is how a peer whose ACKs were lost
 * learns what arrived (a lossy path would otherwise stall on it).
 */
static void in_oow_ack(struct ixdp_tcp_pcb *pcb,
		       const struct ixdp_tcp_seg *seg)
{
	if ((seg->len && !(seg->flags & TCPHDR_SYN)) || in_oow_ok(pcb))
		pcb->flags |= TCPF_ACK_NOW;
	else
		pcb->stack->tcp->stats->oow_acks_limited++;
}

/*
 * Take one of the core's challenge ACKs of this second.  The budget of a
 * second is random (IXDP_TCP_CHALLENGE_LIMIT), as Linux's since the
 * CVE-2016-5696 fix: a peer exhausting it cannot tell when it has.
 */
static bool in_challenge_budget(struct ixdp_stack *s)
{
	struct ixdp_tcp *tcp = s->tcp;
	u64 second = s->now / s->cfg.hz;

	if (second != tcp->chal_second) {
		tcp->chal_second = second;
		tcp->chal_left = IXDP_TCP_CHALLENGE_LIMIT / 2 +
				 get_random_u32_below(IXDP_TCP_CHALLENGE_LIMIT);
	}
	if (!tcp->chal_left)
		return false;
	tcp->chal_left--;
	return true;
}

/* RFC 5961 7: a challenge ACK, within the connection's and core's limits. */
static void in_challenge_ack(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp_stats *st = pcb->stack->tcp->stats;

	if (!in_oow_ok(pcb) || !in_challenge_budget(pcb->stack)) {
		st->challenge_acks_limited++;
		return;
	}
	st->challenge_acks++;
	ixdp_tcp_send_ack(pcb);
}

static u32 in_mss(const struct ixdp_stack *s, const struct ixdp_tcp_opts *o,
		  bool ts)
{
	u32 mss = s->cfg.mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);

	if (o->flags & TCPOPT_F_MSS)
		mss = min_t(u32, mss, o->mss);
	else
		mss = min_t(u32, mss, IXDP_TCP_DEFAULT_MSS);
	/* A peer asking for less gets IXDP_TCP_MIN_MSS (as Linux does). */
	mss = max_t(u32, mss, IXDP_TCP_MIN_MSS);
	return ts ? mss - 12 : mss;
}

static void in_ts_recent(struct ixdp_tcp_pcb *pcb, u32 tsval)
{
	pcb->ts_recent = tsval;
	pcb->ts_recent_at = pcb->stack->now;
}

/* Settle the options of the connection from the peer's SYN. */
static void in_syn_opts(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_opts *o = &seg->opt;

	if (!(o->flags & TCPOPT_F_WS)) {
		pcb->flags &= ~TCPF_WS;
		pcb->rcv_wscale = 0;
	}
	pcb->snd_wscale = pcb->flags & TCPF_WS ? o->wscale : 0;
	if (!(o->flags & TCPOPT_F_SACK_OK))
		pcb->flags &= ~TCPF_SACK;
	if (!(o->flags & TCPOPT_F_TS))
		pcb->flags &= ~TCPF_TS;
	else
		in_ts_recent(pcb, o->tsval);
	pcb->mss = in_mss(pcb->stack, o, pcb->flags & TCPF_TS);
	pcb->mss_syn = pcb->mss;
	pcb->irs = seg->seq;
	pcb->rcv_nxt = seg->seq + 1;
	pcb->rcv_adv = pcb->rcv_nxt;
	pcb->snd_wnd = seg->wnd;
	pcb->max_snd_wnd = seg->wnd;
	pcb->snd_wl1 = seg->seq;
	pcb->snd_wl2 = seg->ack;
}

/**
 * ixdp_tcp_wscale() - the window shift we offer (RFC 7323 2.2)
 * @buf: the receive buffer, bytes
 *
 * Return: the least shift that lets a window field advertise @buf.
 */
u8 ixdp_tcp_wscale(u32 buf)
{
	u8 shift = 0;

	while (shift < IXDP_TCP_MAX_WSCALE && buf >> shift > 0xffff)
		shift++;
	return shift;
}

/**
 * ixdp_tcp_pcb_options() - the options a new connection offers
 * @pcb: the PCB
 */
void ixdp_tcp_pcb_options(struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_tcp_config *cfg = &pcb->stack->tcp->cfg;

	if (!(cfg->flags & IXDP_TCP_NO_WS)) {
		pcb->flags |= TCPF_WS;
		pcb->rcv_wscale = ixdp_tcp_wscale(cfg->rcv_buf);
	}
	if (!(cfg->flags & IXDP_TCP_NO_SACK))
		pcb->flags |= TCPF_SACK;
	if (!(cfg->flags & IXDP_TCP_NO_TS))
		pcb->flags |= TCPF_TS;
}

/* Make @pcb the SYN_RCVD connection of @l that SYN @syn opens, ISS @iss. */
static void in_passive(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_listener *l,
		       const struct ixdp_tcp_seg *syn, __be32 saddr,
		       const struct tcphdr *th, u32 iss)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	pcb->raddr = saddr;
	pcb->rport = th->source;
	pcb->lport = th->dest;
	pcb->state = IXDP_TCP_SYN_RCVD;
	pcb->listener = l - tcp->lsn;
	pcb->flags |= TCPF_PASSIVE;
	ixdp_tcp_pcb_options(pcb);
	in_syn_opts(pcb, syn);
	pcb->iss = iss;
	pcb->snd_una = iss;
	ixdp_tcp_pcb_hash(pcb);
	l->pending++;
	list_add_tail(&pcb->lnode, &l->waiting);
	tcp->stats->passive++;
}

static void in_refuse(struct ixdp_tcp *tcp, struct ixdp_tcp_listener *l)
{
	l->refused++;
	tcp->stats->syn_refused++;
}

/*
 * A SYN to a listener: make a PCB in SYN_RCVD and answer SYN-ACK, or
 * answer with a SYN cookie when the listener or the table is too full
 * for it (tcp_cookie.c).
 */
static void in_listen_syn(struct ixdp_stack *s, struct ixdp_tcp_listener *l,
			  struct ixdp_tcp_seg *seg, __be32 saddr,
			  const struct tcphdr *th)
{
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_pcb *pcb = NULL;

	if (!ixdp_tcp_cookie_needed(tcp, l))
		pcb = ixdp_tcp_pcb_alloc(s);
	if (!pcb) {
		if (ixdp_tcp_cookie_syn(s, l, seg, saddr, th))
			in_refuse(tcp, l);
		return;
	}
	in_passive(pcb, l, seg, saddr, th,
		   ixdp_tcp_iss(s, saddr, th->source, th->dest));
	ixdp_tcp_send_syn(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

static void in_listen(struct ixdp_stack *s, struct ixdp_tcp_listener *l,
		      struct ixdp_tcp_seg *seg, const struct iphdr *iph,
		      const struct tcphdr *th)
{
	s->tcp->stats->segs_in++;
	if (seg->flags & TCPHDR_RST)
		goto drop;
	if (seg->flags & TCPHDR_ACK) {
		in_reset_seg(s, seg, iph, th->doff * 4, true);
		return;
	}
	if (seg->flags & TCPHDR_SYN)
		in_listen_syn(s, l, seg, iph->saddr, th);
drop:
	ixdp_buf_put(seg->b);
}

static void in_pcb(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg,
		   const struct iphdr *iph, unsigned int hlen);

/*
 * An ACK whose cookie @mssi came from is good: make the PCB its SYN would
 * have made, as if our SYN-ACK had gone, and let the ACK establish it.
 */
static void in_listen_cookie(struct ixdp_stack *s, struct ixdp_tcp_listener *l,
			     struct ixdp_tcp_seg *seg, const struct iphdr *iph,
			     const struct tcphdr *th, unsigned int mssi)
{
	struct ixdp_tcp_seg syn = { .seq = seg->seq - 1, .wnd = seg->wnd };
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_pcb *pcb = NULL;

	if (!ixdp_tcp_cookie_opts(s, seg, mssi, &syn.opt)) {
		tcp->stats->cookies_rejected++;
		in_listen(s, l, seg, iph, th);
		return;
	}
	tcp->stats->cookies_valid++;
	if (l->pending < 2 * l->backlog)
		pcb = ixdp_tcp_pcb_alloc(s);
	if (!pcb) {
		/* The peer sends again; its cookie stays good a while. */
		in_refuse(tcp, l);
		ixdp_buf_put(seg->b);
		return;
	}
	in_passive(pcb, l, &syn, iph->saddr, th, seg->ack - 1);
	pcb->snd_nxt = seg->ack;
	pcb->snd_max = seg->ack;
	pcb->rcv_adv = pcb->rcv_nxt + ixdp_tcp_cookie_rcv_wnd(tcp);
	pcb->last_ack_sent = pcb->rcv_nxt;
	/* Which SYN-ACK is acknowledged is unknown: no RTT sample (Karn). */
	pcb->nrtx = 1;
	ixdp_tcp_rtx_arm(pcb);
	in_pcb(pcb, seg, iph, th->doff * 4);
}

/*
 * The round trip that @seg's TSecr tells, in @rtt; false if it tells
 * none: a TSecr of 0, ahead of our clock, or older than the longest RTO
 * (as in Linux's tcp_rtt_tsopt_us()): the peer echoes what it likes, and
 * no such round trip can be ours.
 */
static bool in_ts_rtt(const struct ixdp_tcp_pcb *pcb,
		      const struct ixdp_tcp_seg *seg, u32 *rtt)
{
	u32 now = tcp_ts_now(pcb);

	if (!seg->opt.tsecr || !tcp_seq_leq(seg->opt.tsecr, now) ||
	    now - seg->opt.tsecr > pcb->stack->tcp->cfg.rto_max)
		return false;
	*rtt = now - seg->opt.tsecr;
	return true;
}

/*
 * Take an RTT sample from an ACK of new data: from its TSecr with
 * timestamps (in_ts_rtt()), else from the segment timed (never a
 * retransmitted one: Karn).
 */
static void in_rtt(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg)
{
	u32 rtt;

	if (pcb->flags & TCPF_TS && seg->opt.flags & TCPOPT_F_TS) {
		if (in_ts_rtt(pcb, seg, &rtt))
			ixdp_tcp_rtt_sample(pcb, rtt);
	} else if (pcb->flags & TCPF_TIMING &&
		   tcp_seq_after(seg->ack, pcb->rtt_seq)) {
		ixdp_tcp_rtt_sample(pcb, pcb->stack->now - pcb->rtt_start);
		pcb->flags &= ~TCPF_TIMING;
	}
}

/* Our SYN is acknowledged: the connection is established. */
static void in_established(struct ixdp_tcp_pcb *pcb,
			   const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;
	struct ixdp_tcp_listener *l;

	pcb->state = IXDP_TCP_ESTABLISHED;
	pcb->rcv_last = pcb->stack->now;
	pcb->snd_una = seg->ack;
	if (!pcb->nrtx)
		in_rtt(pcb, seg);
	/* A SYN-ACK owed for a retransmitted SYN is owed no more. */
	pcb->flags &= ~(TCPF_TIMING | TCPF_ACK_NOW);
	pcb->nrtx = 0;
	pcb->backoff = 0;
	ixdp_tcp_rtx_stop(pcb);
	ixdp_tcp_cc_init(pcb);
	pcb->flags |= TCPF_KNOCKED;
	if (!(pcb->flags & TCPF_PASSIVE)) {
		if (ops->connected)
			ops->connected(pcb->stack, pcb->cookie,
				       tcp_pcb_handle(pcb), 0);
		return;
	}
	l = &pcb->stack->tcp->lsn[pcb->listener];
	if (ops->knock)
		ops->knock(pcb->stack, l->cookie, tcp_pcb_handle(pcb),
			   pcb->raddr, pcb->rport);
}

static void in_syn_sent(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg,
			const struct iphdr *iph, unsigned int hlen)
{
	u8 f = seg->flags;

	if (f & TCPHDR_ACK && !tcp_seq_in(seg->ack, pcb->iss + 1,
					  pcb->snd_max + 1)) {
		if (!(f & TCPHDR_RST))
			in_reset_seg(pcb->stack, seg, iph, hlen, false);
		return;
	}
	if (f & TCPHDR_RST) {
		if (f & TCPHDR_ACK) {
			pcb->stack->tcp->stats->resets_in++;
			ixdp_tcp_drop_pcb(pcb, -ECONNREFUSED);
		}
		return;
	}
	if (!(f & TCPHDR_SYN))
		return;
	in_syn_opts(pcb, seg);
	if (f & TCPHDR_ACK) {
		in_established(pcb, seg);
		pcb->flags |= TCPF_ACK_NOW;
		return;
	}
	/* Simultaneous open: answer SYN-ACK with our first ISS. */
	pcb->state = IXDP_TCP_SYN_RCVD;
	ixdp_tcp_send_syn(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

/*
 * RFC 9293 3.10.7.4 first check, on the window we advertised.  A segment
 * is acceptable if some of it is in the window, as in Linux's
 * tcp_sequence(): the RFC's four cases, and also a segment that begins
 * before the window and ends after it, which carries the next byte
 * expected and would otherwise be refused for ever.
 */
static bool in_acceptable(const struct ixdp_tcp_pcb *pcb,
			  const struct ixdp_tcp_seg *seg, u32 seg_len)
{
	u32 win = 0, edge;

	if (tcp_seq_after(pcb->rcv_adv, pcb->rcv_nxt))
		win = pcb->rcv_adv - pcb->rcv_nxt;
	edge = pcb->rcv_nxt + win;
	/* As tcp_sequence(): an ACK may sit at the right edge. */
	if (!seg_len)
		return tcp_seq_in(seg->seq, pcb->rcv_nxt, edge + 1);
	if (!win)
		/* Zero window: still take the ACK of a probe at rcv_nxt. */
		return seg->seq == pcb->rcv_nxt;
	/*
	 * Any byte in the window: the start, or rcv_nxt itself when the
	 * segment starts before it, be it one that ends in the window or
	 * one that covers it whole.  in_trim() cuts the rest.
	 */
	return tcp_seq_in(seg->seq, pcb->rcv_nxt, edge) ||
	       tcp_seq_in(pcb->rcv_nxt, seg->seq, seg->seq + seg_len);
}

/* Cut what lies before rcv_nxt or beyond the window off the payload. */
static void in_trim(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg)
{
	u32 cut, edge = pcb->rcv_nxt;

	if (tcp_seq_before(seg->seq, pcb->rcv_nxt)) {
		cut = pcb->rcv_nxt - seg->seq;
		if (cut > seg->len)
			seg->flags &= ~TCPHDR_FIN;
		cut = min(cut, seg->len);
		ixdp_buf_pull(seg->b, cut);
		seg->len -= cut;
		seg->seq += cut;
	}
	if (tcp_seq_after(pcb->rcv_adv, pcb->rcv_nxt))
		edge = pcb->rcv_adv;
	if (tcp_seq_after(seg->seq + seg->len, edge)) {
		seg->len = edge - seg->seq;
		ixdp_buf_trim(seg->b, seg->len);
		seg->flags &= ~TCPHDR_FIN;
		pcb->flags |= TCPF_ACK_NOW;
	}
}

/* The peer reset the connection (RFC 9293 3.10.7.4 second check). */
static void in_reset(struct ixdp_tcp_pcb *pcb)
{
	int reason = -ECONNRESET;

	pcb->stack->tcp->stats->resets_in++;
	if (pcb->state == IXDP_TCP_SYN_RCVD && !(pcb->flags & TCPF_PASSIVE))
		reason = -ECONNREFUSED;
	ixdp_tcp_drop_pcb(pcb, reason);
}

static void in_window(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg,
		      u32 wnd)
{
	if (!tcp_seq_before(pcb->snd_wl1, seg->seq) &&
	    !(pcb->snd_wl1 == seg->seq && tcp_seq_leq(pcb->snd_wl2, seg->ack)))
		return;
	if (!pcb->snd_wnd && wnd && pcb->flags & TCPF_PERSIST) {
		ixdp_tcp_rtx_stop(pcb);
		pcb->backoff = 0;
	}
	if (pcb->snd_wnd && !wnd)
		pcb->zwnd_at = pcb->stack->now;
	pcb->snd_wnd = wnd;
	pcb->max_snd_wnd = max(pcb->max_snd_wnd, wnd);
	pcb->snd_wl1 = seg->seq;
	pcb->snd_wl2 = seg->ack;
}

/* Our FIN is acknowledged; false if the PCB is gone. */
static bool in_fin_acked(struct ixdp_tcp_pcb *pcb)
{
	switch (pcb->state) {
	case IXDP_TCP_FIN_WAIT_1:
		pcb->state = IXDP_TCP_FIN_WAIT_2;
		ixdp_tcp_fin_wait2_arm(pcb);
		break;
	case IXDP_TCP_CLOSING:
		ixdp_tcp_to_time_wait(pcb);
		return pcb->stack->tcp->busy == pcb;
	case IXDP_TCP_LAST_ACK:
		ixdp_tcp_drop_pcb(pcb, 0);
		return false;
	}
	return true;
}

/*
 * Whether the first SACK block of @seg is a D-SACK (RFC 2883 4): below
 * its cumulative ACK, or inside its second block.  The peer reports a
 * segment it got twice, and is known from then on to do so.
 */
static bool in_dsack(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_opts *o = &seg->opt;

	if (!(o->flags & TCPOPT_F_SACK) || !o->nsack)
		return false;
	if (!tcp_seq_leq(o->sack[0].end, seg->ack) &&
	    !(o->nsack > 1 && tcp_seq_geq(o->sack[0].start, o->sack[1].start) &&
	      tcp_seq_leq(o->sack[0].end, o->sack[1].end)))
		return false;
	pcb->flags |= TCPF_PEER_DSACK;
	return true;
}

/*
 * The first ACK of new data since a timeout: if it echoes a TSval older
 * than the timeout's, what was sent before the timeout arrived, and the
 * timeout was spurious (RFC 3522): the window comes back and the flight
 * is not sent again.
 *
 * Then two cases echo the same.  The ACK was late, sent before our
 * retransmission arrived: the path's round trip outlasted the RTO (a
 * peer whose ACK rides on its next request, behind queues), and the
 * estimate is lifted to that round trip, bounded by what the timeout
 * proves (the RTO that fired, since the segment was in flight when the
 * timer was armed, and the wait since), as a first sample would set it
 * (the idea of RFC 4015's response), and that round trip is the ACK's
 * sample too: an echo older than the timer proves no more.  Or
 * every ACK of the flight was lost and this one answers the
 * retransmission, which the peer took for a duplicate without its TSval
 * (RFC 7323 4.3): the echo's age is the RTO's own wait, and taken as a
 * round trip it would grow the next RTO with each lost ACK.  A peer
 * that sends D-SACKs tells the second case by one.  From a peer not
 * known to, the ACK gives no sample, as Karn's rule has it for a
 * retransmission; after a single timeout, the lift waits for a D-SACK of
 * the retransmission (in_late_lift()), which from any other peer never
 * comes.  After more, a D-SACK could answer a later retransmission while
 * the ACK answered the first, its own D-SACK lost: no lift.
 * Return: true if in_rtt() must not sample the ACK: sampled here, or
 * none to take.
 */
static bool in_spurious_rto(struct ixdp_tcp_pcb *pcb,
			    const struct ixdp_tcp_seg *seg)
{
	u32 rtt;

	pcb->flags &= ~TCPF_UNDO;
	if (!(seg->opt.flags & TCPOPT_F_TS) || !in_ts_rtt(pcb, seg, &rtt) ||
	    !tcp_seq_before(seg->opt.tsecr, pcb->undo_ts))
		return false;
	ixdp_tcp_cc_undo(pcb, seg->ack);
	if (in_dsack(pcb, seg))
		return true;
	rtt = min(rtt, tcp_ts_now(pcb) - pcb->undo_ts + pcb->rto);
	if (!(pcb->flags & TCPF_PEER_DSACK)) {
		if (pcb->backoff == 1) {
			pcb->lift_rtt = max(rtt, 1U);
			pcb->lift_una = pcb->snd_una;
			pcb->lift_seq = seg->ack;
		}
		return true;
	}
	ixdp_tcp_rtt_spurious(pcb, rtt);
	ixdp_tcp_rtt_sample(pcb, rtt);
	return true;
}

/*
 * The first D-SACK after a spurious timeout whose ACK did not carry one
 * decides: if it reports data the timeout sent again, below that ACK,
 * our retransmission reached the peer after the ACK had left it (RFC
 * 3708 finds the retransmission unnecessary by the same report).  The
 * ACK was late, not an answer to the retransmission: the estimate is
 * lifted as in_spurious_rto() would have, and a flight's timer starts
 * again on the new RTO (not in fast recovery, whose retransmission keeps
 * its timer).  Any other D-SACK lifts nothing.
 */
static void in_late_lift(struct ixdp_tcp_pcb *pcb,
			 const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_sack_block *b = &seg->opt.sack[0];
	u32 rtt = pcb->lift_rtt;

	pcb->lift_rtt = 0;
	if (!tcp_seq_geq(b->start, pcb->lift_una) ||
	    !tcp_seq_leq(b->end, pcb->lift_seq))
		return;
	ixdp_tcp_rtt_spurious(pcb, rtt);
	ixdp_tcp_rtt_sample(pcb, rtt);
	pcb->stack->tcp->stats->late_lifts++;
	if (tcp_flight(pcb) &&
	    !(pcb->flags & (TCPF_RECOVERY | TCPF_PERSIST | TCPF_HOARDS |
			    TCPF_RETRY)))
		ixdp_tcp_rtx_arm(pcb);
}

/* An ACK of new data; false if the PCB is gone. */
static bool in_new_ack(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;
	u32 acked = seg->ack - pcb->snd_una, data = min(acked, pcb->sq_bytes);
	bool fin = pcb->flags & TCPF_FIN_QUEUED &&
		   seg->ack == pcb->snd_una + pcb->sq_bytes + 1;

	if (likely(!(pcb->flags & TCPF_UNDO)) || !in_spurious_rto(pcb, seg))
		in_rtt(pcb, seg);
	pcb->backoff = 0;
	pcb->nrtx = 0;
	ixdp_tcp_sq_acked(pcb, data);
	pcb->snd_una = seg->ack;
	if (tcp_seq_before(pcb->snd_nxt, pcb->snd_una))
		pcb->snd_nxt = pcb->snd_una;
	/* No SACK state and no SACK blocks: the usual case. */
	if (pcb->nsb)
		ixdp_tcp_sb_trim(pcb);
	if (seg->opt.flags & TCPOPT_F_SACK)
		ixdp_tcp_sb_update(pcb, &seg->opt);
	ixdp_tcp_cc_ack(pcb, seg->ack, acked);
	if (tcp_flight(pcb))
		ixdp_tcp_rtx_arm(pcb);
	else
		ixdp_tcp_rtx_stop(pcb);
	if (data && ops->sent && !(pcb->flags & TCPF_DETACHED))
		ops->sent(pcb->stack, pcb->cookie, tcp_pcb_handle(pcb), data,
			  pcb->stack->tcp->cfg.snd_buf - pcb->sq_bytes);
	return !fin || in_fin_acked(pcb);
}

/* RFC 9293 3.10.7.4 fifth check; false if the segment is done with. */
static bool in_ack(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg)
{
	u32 wnd = (u32)seg->wnd << pcb->snd_wscale;
	bool dup;

	if (tcp_seq_after(seg->ack, pcb->snd_max)) {
		in_oow_ack(pcb, seg);
		return false;
	}
	if (tcp_seq_before(seg->ack, pcb->snd_una - pcb->max_snd_wnd)) {
		in_challenge_ack(pcb);
		return false;
	}
	/* A peer answering window probes keeps the connection open. */
	if (pcb->flags & TCPF_PERSIST)
		pcb->nrtx = 0;
	dup = seg->ack == pcb->snd_una && !seg->len &&
	      !(seg->flags & TCPHDR_FIN) && wnd == pcb->snd_wnd && wnd &&
	      tcp_flight(pcb);
	if (unlikely(seg->opt.flags & TCPOPT_F_SACK) && in_dsack(pcb, seg) &&
	    pcb->lift_rtt)
		in_late_lift(pcb, seg);
	/* RFC 9293 3.10.7.4: SND.UNA =< SEG.ACK =< SND.NXT updates it. */
	if (tcp_seq_geq(seg->ack, pcb->snd_una))
		in_window(pcb, seg, wnd);
	if (tcp_seq_after(seg->ack, pcb->snd_una))
		return in_new_ack(pcb, seg);
	/*
	 * RFC 6675's duplicate: one that SACKs bytes not SACKed before,
	 * even with data or a new window, so that a peer that sends as it
	 * receives (an echo) still starts fast retransmit.
	 */
	if (seg->ack == pcb->snd_una && tcp_flight(pcb) &&
	    ixdp_tcp_sb_update(pcb, &seg->opt))
		dup = true;
	if (dup)
		ixdp_tcp_cc_dupack(pcb);
	return true;
}

static void in_deliver(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;

	pcb->rcv_nxt += b->len;
	pcb->rcv_unread += b->len;
	pcb->rcv_held++;
	if (!in_deliverable(pcb)) {
		/* Not accepted yet (ixdp_tcp_early_room() let it in). */
		ixdp_tcp_early_add(pcb, b);
		return;
	}
	ops->recv(pcb->stack, pcb->cookie, tcp_pcb_handle(pcb), b);
}

/*
 * Whether the payload must be dropped, counted: the connection holds as
 * many buffers as its window allows (ixdp_tcp_held_max()), or its share
 * of the pool's reserve, or the pool is down to its last buffers; or the
 * connection can take no data (detached, or not accepted with its early
 * queue full).  Data that meets the reserve also has connections that
 * hoard it at a zero window looked for (ixdp_tcp_reclaim()).
 */
static bool in_data_refused(struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_tcp *tcp = pcb->stack->tcp;
	struct ixdp_tcp_stats *st = tcp->stats;
	unsigned int held = pcb->rcv_held + pcb->ooo_n;

	if (pcb->rcv_held >= tcp->held_max) {
		st->held_drops++;
		return true;
	}
	if (ixdp_stack_pool_low(pcb->stack)) {
		ixdp_tcp_reclaim(pcb->stack);
		if (held >= IXDP_TCP_RESERVE_SHARE ||
		    ixdp_stack_pool_last(pcb->stack)) {
			st->pool_low_drops++;
			ixdp_tcp_pressure_check(pcb);
			return true;
		}
	}
	if (ixdp_tcp_early_room(pcb))
		return false;
	if (!(pcb->flags & TCPF_DETACHED))
		st->early_dropped++;
	return true;
}

/* Payload of an acceptable segment, trimmed to the window. */
static void in_data(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg)
{
	struct ixdp_buf *b = seg->b;
	bool filled;

	seg->b = NULL;
	if (in_data_refused(pcb)) {
		ixdp_buf_put(b);
		seg->flags &= ~TCPHDR_FIN;
		return;
	}
	if (seg->seq != pcb->rcv_nxt) {
		if (seg->flags & TCPHDR_FIN) {
			pcb->ooo_fin = seg->seq + seg->len;
			pcb->flags |= TCPF_OOO_FIN;
			seg->flags &= ~TCPHDR_FIN;
		}
		ixdp_tcp_ooo_insert(pcb, b, seg->seq);
		pcb->flags |= TCPF_ACK_NOW;
		return;
	}
	filled = pcb->ooo;
	in_deliver(pcb, b);
	/* Nothing out of order, the usual case: no calls for nothing. */
	while (pcb->ooo && ixdp_tcp_early_room(pcb) &&
	       (b = ixdp_tcp_ooo_pop(pcb)))
		in_deliver(pcb, b);
	if (pcb->flags & TCPF_OOO_FIN && pcb->ooo_fin == pcb->rcv_nxt) {
		seg->flags |= TCPHDR_FIN;
		seg->seq = pcb->rcv_nxt;
		seg->len = 0;
	}
	if (filled)
		pcb->flags |= TCPF_ACK_NOW;
	else
		ixdp_tcp_delack(pcb);
}

/* RFC 9293 3.10.7.4 eighth check: the peer's FIN, in order. */
static void in_fin(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;

	if (seg->seq + seg->len != pcb->rcv_nxt ||
	    pcb->flags & TCPF_FIN_RCVD)
		return;
	pcb->rcv_nxt++;
	pcb->flags |= TCPF_FIN_RCVD | TCPF_ACK_NOW;
	pcb->flags &= ~TCPF_OOO_FIN;
	switch (pcb->state) {
	case IXDP_TCP_SYN_RCVD:
	case IXDP_TCP_ESTABLISHED:
		pcb->state = IXDP_TCP_CLOSE_WAIT;
		break;
	case IXDP_TCP_FIN_WAIT_1:
		pcb->state = IXDP_TCP_CLOSING;
		break;
	}
	/*
	 * After the state moved, so that a close in the event is a passive
	 * one (LAST_ACK); before TIME_WAIT, which ends the events.
	 */
	if (pcb->flags & TCPF_KNOCKED && in_deliverable(pcb))
		ops->recv(pcb->stack, pcb->cookie, tcp_pcb_handle(pcb), NULL);
	else if (pcb->flags & TCPF_PASSIVE &&
		 !(pcb->flags & (TCPF_ACCEPTED | TCPF_DETACHED)))
		ixdp_tcp_early_fin(pcb);
	if (pcb->state == IXDP_TCP_FIN_WAIT_2)
		ixdp_tcp_to_time_wait(pcb);
}

/*
 * RFC 7323 5.3 and 5.5: a timestamp older than TS.Recent is a duplicate,
 * unless TS.Recent is older than IXDP_TCP_PAWS_IDLE_S: the peer's clock
 * may have wrapped since, and TS.Recent tells nothing any more.
 */
static bool in_paws(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_seg *seg)
{
	const struct ixdp_stack *s = pcb->stack;

	if (!(pcb->flags & TCPF_TS) || !(seg->opt.flags & TCPOPT_F_TS) ||
	    seg->flags & TCPHDR_RST)
		return true;
	if (tcp_seq_before(seg->opt.tsval, pcb->ts_recent) &&
	    s->now - pcb->ts_recent_at <=
	    (u64)IXDP_TCP_PAWS_IDLE_S * s->cfg.hz) {
		pcb->stack->tcp->stats->paws_drops++;
		in_oow_ack(pcb, seg);
		return false;
	}
	return true;
}

/* Checks one to four; false if the segment is done with. */
static bool in_checks(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg)
{
	u32 seg_len = seg->len + !!(seg->flags & TCPHDR_SYN) +
		      !!(seg->flags & TCPHDR_FIN);

	if (!in_paws(pcb, seg))
		return false;
	/*
	 * Header prediction: the next segment in order is acceptable
	 * whatever the window (in_acceptable()), and without SYN or RST
	 * nothing below applies to it.
	 */
	if (seg->seq == pcb->rcv_nxt &&
	    (seg->flags & (TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK)) == TCPHDR_ACK)
		goto accepted;
	if (pcb->state == IXDP_TCP_SYN_RCVD && seg->flags & TCPHDR_SYN &&
	    seg->seq == pcb->irs) {
		/* The peer's SYN again: answer it, as often as segments
		 * we drop (Linux's tcp_check_req() does so), or
		 * (simultaneous open, RFC 9293 figure 8) take its ACK.
		 */
		if (!(seg->flags & TCPHDR_ACK)) {
			in_oow_ack(pcb, seg);
			return false;
		}
		seg->flags &= ~TCPHDR_SYN;
		seg->seq++;
		seg_len--;
	}
	if (!in_acceptable(pcb, seg, seg_len)) {
		if (!(seg->flags & TCPHDR_RST))
			in_oow_ack(pcb, seg);
		if (pcb->state == IXDP_TCP_TIME_WAIT &&
		    seg->flags & TCPHDR_FIN)
			ixdp_tcp_time_wait_arm(pcb);
		return false;
	}
	if (seg->flags & TCPHDR_RST) {
		/* RFC 1337: no assassination of TIME_WAIT. */
		if (pcb->state == IXDP_TCP_TIME_WAIT) {
			pcb->stack->tcp->stats->tw_rst_ignored++;
			return false;
		}
		/* RFC 5961 3.2: only the exact next sequence resets. */
		if (seg->seq == pcb->rcv_nxt)
			in_reset(pcb);
		else
			in_challenge_ack(pcb);
		return false;
	}
	if (seg->flags & TCPHDR_SYN) {
		/* RFC 5961 4.2: any other SYN gets a challenge ACK. */
		in_challenge_ack(pcb);
		return false;
	}
accepted:
	/* The peer is alive: keepalive's idle time starts again. */
	pcb->rcv_last = pcb->stack->now;
	if (seg->opt.flags & TCPOPT_F_TS &&
	    tcp_seq_leq(seg->seq, pcb->last_ack_sent))
		in_ts_recent(pcb, seg->opt.tsval);
	return seg->flags & TCPHDR_ACK;
}

/* In SYN_RCVD: whether @seg acknowledges our SYN-ACK (RFC 9293 3.10.7.4). */
static bool in_syn_rcvd_acks(const struct ixdp_tcp_pcb *pcb,
			     const struct ixdp_tcp_seg *seg)
{
	return tcp_seq_in(seg->ack, pcb->snd_una + 1, pcb->snd_max + 1);
}

/*
 * An ACK that a connection in SYN_RCVD did not send for may belong to a
 * twin on another core: the device took a retransmitted SYN to a core
 * other than the first's (the tap forgot the flow, or its queue changed
 * cores), which opened the connection again, and the peer acknowledges
 * the other core's SYN-ACK.  Such a segment (ACK, neither SYN nor RST;
 * data or a FIN may ride on it) goes round the other cores as a segment
 * of no connection does (handoff.h), before it is checked here: a reset
 * from this twin would kill the peer's connection.  False when none other
 * serves the device, or every core has looked and the round ends here:
 * the checks of RFC 9293 3.10.7.4 then answer it, with a reset where its
 * sequence is acceptable.  With three cores or more the round may end on
 * a core that holds no connection for it, which answers as a closed port
 * does (a reset, whatever the sequence).  The twin gives up its SYN-ACKs
 * silently.
 */
static bool in_syn_rcvd_stray(struct ixdp_tcp_pcb *pcb,
			      struct ixdp_tcp_seg *seg,
			      const struct iphdr *iph, unsigned int hlen)
{
	if ((seg->flags & (TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK)) !=
	    TCPHDR_ACK || in_syn_rcvd_acks(pcb, seg))
		return false;
	ixdp_buf_push(seg->b, hlen);
	if (!ixdp_handoff_seg(pcb->stack, seg->b, iph)) {
		ixdp_buf_pull(seg->b, hlen);
		return false;
	}
	seg->b = NULL;
	return true;
}

static bool in_synchronized(struct ixdp_tcp_pcb *pcb,
			    struct ixdp_tcp_seg *seg,
			    const struct iphdr *iph, unsigned int hlen)
{
	if (pcb->state == IXDP_TCP_SYN_RCVD &&
	    in_syn_rcvd_stray(pcb, seg, iph, hlen))
		return true;
	if (!in_checks(pcb, seg))
		return true;
	if (pcb->state == IXDP_TCP_SYN_RCVD) {
		if (!in_syn_rcvd_acks(pcb, seg)) {
			in_reset_seg(pcb->stack, seg, iph, hlen, false);
			return true;
		}
		in_established(pcb, seg);
		if (pcb->stack->tcp->busy != pcb)
			return false;
	}
	if (!in_ack(pcb, seg))
		return pcb->stack->tcp->busy == pcb;
	if (pcb->stack->tcp->busy != pcb)
		return false;
	in_trim(pcb, seg);
	if (seg->len && (pcb->state == IXDP_TCP_ESTABLISHED ||
			 pcb->state == IXDP_TCP_FIN_WAIT_1 ||
			 pcb->state == IXDP_TCP_FIN_WAIT_2))
		in_data(pcb, seg);
	if (seg->flags & TCPHDR_FIN && pcb->stack->tcp->busy == pcb)
		in_fin(pcb, seg);
	return pcb->stack->tcp->busy == pcb;
}

static void in_pcb(struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_seg *seg,
		   const struct iphdr *iph, unsigned int hlen)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	tcp->stats->segs_in++;
	tcp->busy = pcb;
	if (pcb->state == IXDP_TCP_SYN_SENT)
		in_syn_sent(pcb, seg, iph, hlen);
	else
		in_synchronized(pcb, seg, iph, hlen);
	/* NULL once something took it: the application, a queue, a reset. */
	if (seg->b)
		ixdp_buf_put(seg->b);
	ixdp_tcp_leave(pcb);
	/* A peer that still talks gets fin_timeout more to send its FIN. */
	if (pcb->state == IXDP_TCP_FIN_WAIT_2)
		ixdp_tcp_fin_wait2_arm(pcb);
}

/*
 * A SYN that may end TIME_WAIT because it surely opens a new incarnation
 * of the connection: a newer timestamp (RFC 6191), or without timestamps
 * a sequence number beyond the old one's (RFC 1122 4.2.2.13).
 */
static bool in_tw_reusable(const struct ixdp_tcp_pcb *pcb,
			   const struct ixdp_tcp_seg *seg)
{
	if (pcb->state != IXDP_TCP_TIME_WAIT ||
	    (seg->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_SYN)
		return false;
	if (pcb->flags & TCPF_TS && seg->opt.flags & TCPOPT_F_TS)
		return tcp_seq_after(seg->opt.tsval, pcb->ts_recent);
	return tcp_seq_after(seg->seq, pcb->rcv_nxt);
}

/* Parse @b's header into @seg; false if malformed. */
static bool in_parse(struct ixdp_tcp_seg *seg, struct ixdp_buf *b,
		     const struct tcphdr *th)
{
	const u8 *raw = (const u8 *)th;
	unsigned int hlen = th->doff * 4;

	seg->b = b;
	seg->seq = be32_to_cpu(th->seq);
	seg->ack = be32_to_cpu(th->ack_seq);
	seg->wnd = be16_to_cpu(th->window);
	seg->flags = raw[13] & 0x3f;
	if (ixdp_tcp_opt_parse(raw + sizeof(*th), hlen - sizeof(*th),
			       seg->flags & TCPHDR_SYN, &seg->opt))
		return false;
	ixdp_buf_pull(b, hlen);
	seg->len = b->len;
	return true;
}

/* A SYN alone: opens a connection on the core that takes it. */
static bool in_opens(const struct tcphdr *th)
{
	return th->syn && !th->ack && !th->rst && !th->fin;
}

static bool in_valid(struct ixdp_stack *s, struct ixdp_buf *b,
		     const struct iphdr *iph)
{
	const struct tcphdr *th = ixdp_buf_data(b);

	if (b->len < sizeof(*th) || th->doff < 5 || th->doff * 4 > b->len) {
		s->tcp->stats->malformed++;
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_MALFORMED);
		return false;
	}
	if (!ixdp_l4_csum_ok(b, iph, IPPROTO_TCP)) {
		s->tcp->stats->bad_csum++;
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_CSUM);
		return false;
	}
	return true;
}

/**
 * ixdp_tcp_rx() - receive a TCP segment
 * @s: the stack
 * @b: the segment after its IPv4 header, consumed
 * @iph: its IPv4 header
 *
 * Without ixdp_tcp_init(), or when neither a connection, a listener nor
 * another core takes it, the segment goes to ixdp_tcp_rx_closed().
 */
void ixdp_tcp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		 const struct iphdr *iph)
{
	const struct tcphdr *th = ixdp_buf_data(b);
	struct ixdp_tcp_listener *l = NULL;
	struct ixdp_tcp_pcb *pcb;
	struct ixdp_tcp_seg seg;
	int cookie = -ENOENT;

	if (!s->tcp) {
		ixdp_tcp_rx_closed(s, b, iph);
		return;
	}
	if (!in_valid(s, b, iph))
		return;
	pcb = ixdp_tcp_pcb_lookup(s, iph->saddr, th->source, th->dest);
	if (!pcb) {
		l = ixdp_tcp_listener_find(s, th->dest);
		/* A cookie is good only on the core that made it. */
		if (l)
			cookie = ixdp_tcp_cookie_check(s, l, iph->saddr, th);
		/* Another core's connection, or a SYN another core takes? */
		if (cookie < 0 && (!l || !in_opens(th)) &&
		    ixdp_handoff_seg(s, b, iph))
			return;
	}
	if (!pcb && !l) {
		ixdp_tcp_rx_closed(s, b, iph);
		return;
	}
	if (!in_parse(&seg, b, th)) {
		s->tcp->stats->malformed++;
		ixdp_stack_drop(s, b, IXDP_DROP_TCP_MALFORMED);
		return;
	}
	if (pcb && in_tw_reusable(pcb, &seg)) {
		l = ixdp_tcp_listener_find(s, th->dest);
		if (l) {
			s->tcp->stats->tw_reused++;
			ixdp_tcp_pcb_free(pcb);
			pcb = NULL;
		}
	}
	if (pcb) {
		in_pcb(pcb, &seg, iph, th->doff * 4);
		return;
	}
	if (cookie >= 0) {
		in_listen_cookie(s, l, &seg, iph, th, cookie);
		return;
	}
	/* Every core that might have made the cookie refused it. */
	if (cookie == -EINVAL)
		s->tcp->stats->cookies_rejected++;
	in_listen(s, l, &seg, iph, th);
}
