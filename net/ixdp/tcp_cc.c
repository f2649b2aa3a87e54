// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP congestion control: slow start and congestion avoidance
 * (RFC 5681), fast retransmit and NewReno fast recovery (RFC 6582).
 *
 * With SACK, each ACK during recovery also fills the next hole the
 * scoreboard shows below the highest SACKed byte, so several losses of
 * one window are repaired in about one round trip.  And when the peer
 * SACKs data sent after the last retransmission of @snd_una while
 * @snd_una is still missing, that retransmission was lost too: it is
 * sent again rather than left to the RTO.
 *
 * The window never grows past the send buffer: no more than that can be
 * in flight, and a u32 that grew on every ACK would wrap.  After an idle
 * period longer than the RTO it restarts from the initial window
 * (RFC 5681 4.1); RFC 7661 (cwnd validation) is not implemented.
 */

#include <linux/minmax.h>

#include "tcp.h"

/* RFC 5681 3.1: IW = min(4 * SMSS, max(2 * SMSS, 4380)) (RFC 3390). */
static u32 cc_initial_window(u32 mss)
{
	return min_t(u32, 4 * mss, max_t(u32, 2 * mss, 4380));
}

/**
 * ixdp_tcp_cc_init() - congestion state of a synchronized connection
 * @pcb: the PCB, its MSS known
 */
void ixdp_tcp_cc_init(struct ixdp_tcp_pcb *pcb)
{
	pcb->cwnd = cc_initial_window(pcb->mss);
	pcb->ssthresh = ~0U;
	pcb->recover = pcb->iss;
	pcb->ca_acked = 0;
	pcb->dupacks = 0;
	pcb->flags &= ~TCPF_RECOVERY;
	pcb->snd_last = pcb->stack->now;
}

/**
 * ixdp_tcp_cc_restart() - restart the window after an idle period
 * @pcb: the PCB, nothing in flight, about to send
 *
 * RFC 5681 4.1: when no data was sent for longer than the RTO, cwnd
 * falls to the restart window, min(IW, cwnd).
 */
void ixdp_tcp_cc_restart(struct ixdp_tcp_pcb *pcb)
{
	u32 rw;

	if (pcb->stack->now - pcb->snd_last <= ixdp_tcp_rto(pcb))
		return;
	rw = min(cc_initial_window(pcb->mss), pcb->cwnd);
	if (rw == pcb->cwnd)
		return;
	pcb->cwnd = rw;
	pcb->ca_acked = 0;
	pcb->stack->tcp->stats->cwnd_restarts++;
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static u32 cc_half_flight(const struct ixdp_tcp_pcb *pcb)
{
	return max_t(u32, tcp_flight(pcb) / 2, 2 * pcb->mss);
}

/*
 * Grow cwnd by @inc, to at most the send buffer: more is never in flight.
 * Neither term exceeds 2^30, so the sum cannot wrap.
 */
static void cc_inflate(struct ixdp_tcp_pcb *pcb, u32 inc)
{
	u32 max = pcb->stack->tcp->cfg.snd_buf;

	if (pcb->cwnd < max)
		pcb->cwnd = min(pcb->cwnd + inc, max);
}

static void cc_grow(struct ixdp_tcp_pcb *pcb, u32 acked)
{
	if (pcb->cwnd < pcb->ssthresh) {
		/* Slow start: at most one SMSS per ACK (RFC 5681 3.1). */
		cc_inflate(pcb, min(acked, pcb->mss));
		return;
	}
	/* Congestion avoidance: one SMSS per window of bytes acked. */
	pcb->ca_acked += acked;
	if (pcb->ca_acked >= pcb->cwnd) {
		pcb->ca_acked = min(pcb->ca_acked - pcb->cwnd, pcb->cwnd);
		cc_inflate(pcb, pcb->mss);
	}
}

/* Retransmit the next hole the scoreboard shows, if any. */
static void cc_fill_hole(struct ixdp_tcp_pcb *pcb)
{
	u32 start, end;

	if (!(pcb->flags & TCPF_SACK) || !pcb->nsb)
		return;
	if (tcp_seq_before(pcb->rtx_next, pcb->snd_una))
		pcb->rtx_next = pcb->snd_una;
	if (!ixdp_tcp_sb_next_hole(pcb, pcb->rtx_next, &start, &end))
		return;
	pcb->stack->tcp->stats->sack_rexmits++;
	ixdp_tcp_retransmit(pcb, start);
	pcb->rtx_next = start + min(end - start, pcb->mss);
}

/*
 * ixdp_tcp_cc_ack() in recovery (RFC 6582 3.2 steps 5 and 6).  Out of
 * line, so that an ACK outside recovery saves no registers for it.
 */
static noinline void cc_recovery_ack(struct ixdp_tcp_pcb *pcb, u32 ack,
				     u32 acked)
{
	if (tcp_seq_geq(ack, pcb->recover)) {
		pcb->cwnd = min(pcb->ssthresh,
				max(tcp_flight(pcb), pcb->mss) + pcb->mss);
		pcb->flags &= ~TCPF_RECOVERY;
		return;
	}
	pcb->stack->tcp->stats->partial_acks++;
	if (!ixdp_tcp_sb_sacked(pcb, ack)) {
		ixdp_tcp_retransmit(pcb, ack);
		pcb->rtx_mark = pcb->snd_max;
	}
	if (tcp_seq_before(pcb->rtx_next, ack + pcb->mss))
		pcb->rtx_next = ack + pcb->mss;
	pcb->cwnd -= min(pcb->cwnd, acked);
	if (acked >= pcb->mss)
		cc_inflate(pcb, pcb->mss);
	pcb->cwnd = max(pcb->cwnd, pcb->mss);
	cc_fill_hole(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

/**
 * ixdp_tcp_cc_ack() - an ACK acknowledged new data
 * @pcb: the PCB, @snd_una already moved to @ack
 * @ack: the acknowledgment number
 * @acked: bytes newly acknowledged
 *
 * Outside recovery the window grows, and @recover follows @ack up, so
 * that it never falls 2^31 bytes behind and seems ahead: the test of
 * ixdp_tcp_cc_dupack() then holds for every ACK above the last loss,
 * however much was sent since.  In recovery a partial ACK (below
 * @recover) retransmits the next unacknowledged segment and deflates the
 * window by the amount acked, less one SMSS (RFC 6582 3.2 step 5); a
 * full ACK ends recovery with cwnd = min(ssthresh, FlightSize + SMSS).
 */
void ixdp_tcp_cc_ack(struct ixdp_tcp_pcb *pcb, u32 ack, u32 acked)
{
	pcb->dupacks = 0;
	if (pcb->flags & TCPF_RECOVERY) {
		cc_recovery_ack(pcb, ack, acked);
		return;
	}
	if (tcp_seq_after(ack, pcb->recover))
		pcb->recover = ack;
	cc_grow(pcb, acked);
}

/* Send @snd_una again if the peer SACKed data sent after it. */
static void cc_relost(struct ixdp_tcp_pcb *pcb)
{
	if (!pcb->nsb ||
	    tcp_seq_leq(pcb->sb[pcb->nsb - 1].end, pcb->rtx_mark) ||
	    ixdp_tcp_sb_sacked(pcb, pcb->snd_una))
		return;
	pcb->stack->tcp->stats->lost_rexmits++;
	ixdp_tcp_retransmit(pcb, pcb->snd_una);
	pcb->rtx_mark = pcb->snd_max;
}

static void cc_enter_recovery(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	pcb->ssthresh = cc_half_flight(pcb);
	pcb->recover = pcb->snd_max;
	pcb->flags |= TCPF_RECOVERY;
	pcb->flags &= ~TCPF_TIMING;
	tcp->stats->fast_rexmits++;
	ixdp_tcp_retransmit(pcb, pcb->snd_una);
	pcb->rtx_mark = pcb->snd_max;
	pcb->rtx_next = pcb->snd_una + pcb->mss;
	pcb->cwnd = pcb->ssthresh + 3 * pcb->mss;
	cc_fill_hole(pcb);
}

/**
 * ixdp_tcp_cc_dupack() - a duplicate ACK arrived
 * @pcb: the PCB
 *
 * The third enters fast retransmit, unless the ACK does not cover
 * @recover, the data outstanding at the last loss (RFC 6582 3.2 step 2,
 * 4.2; @recover is @snd_max then, so "covers" is @snd_una >= @recover).
 * Later ones inflate the window by one SMSS each, up to the send
 * buffer, and may fill a SACK hole.
 */
void ixdp_tcp_cc_dupack(struct ixdp_tcp_pcb *pcb)
{
	pcb->stack->tcp->stats->dupacks++;
	pcb->dupacks++;
	if (pcb->flags & TCPF_RECOVERY) {
		cc_inflate(pcb, pcb->mss);
		cc_relost(pcb);
		cc_fill_hole(pcb);
		return;
	}
	if (pcb->dupacks == 3 && tcp_seq_geq(pcb->snd_una, pcb->recover))
		cc_enter_recovery(pcb);
}

/**
 * ixdp_tcp_cc_timeout() - the retransmission timer fired
 * @pcb: the PCB
 *
 * RFC 5681 (4) and 3.1: ssthresh from the flight, cwnd one segment
 * (the loss window); recovery ends and @recover moves to @snd_max so
 * that duplicate ACKs of old data start no fast retransmit (RFC 6582
 * 4.2).  With timestamps, the first timeout since the last new ACK
 * (@backoff 0), out of recovery, keeps the window it took away and our
 * clock, for ixdp_tcp_cc_undo().
 */
void ixdp_tcp_cc_timeout(struct ixdp_tcp_pcb *pcb)
{
	if (!pcb->backoff) {
		/*
		 * The first of an episode: what a spurious one undoes.  Not
		 * in recovery: a loss was found, and cwnd is inflated.
		 */
		if ((pcb->flags & (TCPF_TS | TCPF_RECOVERY)) == TCPF_TS) {
			pcb->flags |= TCPF_UNDO;
			pcb->undo_ts = tcp_ts_now(pcb);
			pcb->undo_cwnd = pcb->cwnd;
			pcb->undo_ssthresh = pcb->ssthresh;
		}
		pcb->lift_rtt = 0;
		pcb->ssthresh = cc_half_flight(pcb);
	}
	pcb->cwnd = pcb->mss;
	pcb->ca_acked = 0;
	pcb->dupacks = 0;
	pcb->recover = pcb->snd_max;
	pcb->flags &= ~TCPF_RECOVERY;
}

/**
 * ixdp_tcp_cc_undo() - the timeout was spurious: give the window back
 * @pcb: the PCB, TCPF_UNDO set
 * @ack: an ACK of new data that echoes a TSval older than the timeout's
 *	(what was sent before it arrived: RFC 3522 detection)
 *
 * Nothing was lost, only late.  cwnd and ssthresh go back to what they
 * were before the timeout; what was in flight is not sent again (the
 * timeout's go-back-N ends, as RFC 4015's response has it); and
 * @recover moves down to @ack, so that three duplicate ACKs of a real
 * loss in that flight may start a fast retransmit.
 */
void ixdp_tcp_cc_undo(struct ixdp_tcp_pcb *pcb, u32 ack)
{
	pcb->stack->tcp->stats->spurious_rtos++;
	pcb->cwnd = max(pcb->cwnd, pcb->undo_cwnd);
	pcb->ssthresh = max(pcb->ssthresh, pcb->undo_ssthresh);
	pcb->snd_nxt = pcb->snd_max;
	pcb->recover = ack;
}
