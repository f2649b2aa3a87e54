// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP timers on the stack's wheel, and the RTO estimator.
 *
 * Each PCB has two timers here.  The retransmission timer is, by state
 * and flags, the SYN retry, the RTO (RFC 6298), the persist timer of
 * zero window probes (RFC 9293 3.8.6.1), the retry of data the pool or
 * the device refused (ixdp_tcp_retry_arm()), the FIN_WAIT_2 timeout or
 * the end of TIME_WAIT.  The ACK timer sends a delayed ACK (RFC 9293
 * 3.8.6.3).  A third, the keepalive timer, is tcp_keepalive.c's; it is
 * made and stopped with these.  Times are in ticks.
 *
 * An RTO that finds the peer's window zero probes it and hands over to
 * the persist timer.  Probing goes on, backing off, as long as the peer
 * answers (RFC 9293 3.8.6.1: it MAY keep its window closed for ever);
 * IXDP_TCP_MAX_RETRIES unanswered probes in a row end the connection,
 * as tcp_retries2 does in Linux.
 *
 * Both are lazy, as Linux's retransmission timer is: the PCB keeps when
 * each is due (@rtx_due, @ack_due) and whether it is set (TCPF_RTX_ARMED,
 * TCPF_ACK_ARMED), and the wheel is touched only when a timer must fire
 * earlier than the one already filed.  Stopping one only clears its flag;
 * a wheel timer that fires while its timer is stopped does nothing, and
 * one that fires before its timer is due is filed again for that tick.
 * So a timer restarted on every ACK costs no wheel operation, and each
 * still fires at the tick it is due.
 */

#include <linux/errno.h>
#include <linux/minmax.h>

#include "tcp.h"

static void tcp_rtx_fire(struct ixdp_timer *t);
static void tcp_ack_fire(struct ixdp_timer *t);

/**
 * ixdp_tcp_timers_init() - prepare the timers of a new PCB
 * @pcb: the PCB
 */
void ixdp_tcp_timers_init(struct ixdp_tcp_pcb *pcb)
{
	ixdp_timer_init(&pcb->rtx_timer, tcp_rtx_fire);
	ixdp_timer_init(&pcb->ack_timer, tcp_ack_fire);
	ixdp_timer_init(&pcb->ka_timer, ixdp_tcp_keepalive_fire);
	pcb->rto = pcb->stack->tcp->cfg.rto_init;
}

/**
 * ixdp_tcp_timers_stop() - cancel every timer of a PCB, off the wheel too
 * @pcb: the PCB
 */
void ixdp_tcp_timers_stop(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_wheel *w = &pcb->stack->wheel;

	ixdp_timer_cancel(w, &pcb->rtx_timer);
	ixdp_timer_cancel(w, &pcb->ack_timer);
	ixdp_timer_cancel(w, &pcb->ka_timer);
	pcb->flags &= ~(TCPF_DELACK | TCPF_PERSIST | TCPF_HOARDS |
			TCPF_RETRY | TCPF_RTX_ARMED | TCPF_ACK_ARMED);
}

/* Have @t on the wheel at @due or earlier; an earlier one files again. */
static void tcp_timer_due(struct ixdp_stack *s, struct ixdp_timer *t, u64 due)
{
	if (!ixdp_timer_pending(t) || t->expires > due)
		ixdp_timer_arm(&s->wheel, t, due);
}

/*
 * Whether a wheel timer that fired is its TCP timer due: false if that
 * is stopped, or due later (then it is filed again for then).
 */
static bool tcp_timer_fired(struct ixdp_tcp_pcb *pcb, struct ixdp_timer *t,
			    u32 armed, u64 due)
{
	if (!(pcb->flags & armed))
		return false;
	if (due > t->expires) {
		ixdp_timer_arm(&pcb->stack->wheel, t, due);
		return false;
	}
	pcb->flags &= ~armed;
	return true;
}

static void tcp_rtx_set(struct ixdp_tcp_pcb *pcb, u64 due)
{
	pcb->flags |= TCPF_RTX_ARMED;
	pcb->rtx_due = due;
	tcp_timer_due(pcb->stack, &pcb->rtx_timer, due);
}

/*
 * The longest sample the estimator takes: 7 SRTT + R, in eighths, must
 * fit in 32 bits (2^26 ticks is 18 hours at 1 kHz).
 */
#define RTT_MAX		(U32_MAX / 64)

/* The least variance term of the RTO: 200 ms, as Linux's TCP_RTO_MIN. */
#define RTTVAR_MIN(s)	max((s)->cfg.hz / 5, 1U)

/*
 * When a segment the device refused, or a timeout put off behind the
 * device's backlog, is tried again: half a second, as Linux's
 * TCP_RESOURCE_PROBE_INTERVAL.
 */
#define RESOURCE_PROBE(s)	max((s)->cfg.hz / 2, 1U)

/**
 * ixdp_tcp_rtt_sample() - feed a round-trip measurement (RFC 6298 2.2-2.3)
 * @pcb: the PCB
 * @rtt: the round trip, ticks
 *
 * The first sample sets SRTT = R and RTTVAR = R/2; later ones
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and then SRTT = 7/8 SRTT + 1/8 R.
 * Both are kept in eighths of a tick.  RTO = SRTT + max(200 ms, 4 RTTVAR),
 * clamped to [rto_min, rto_max]: the variance term has Linux's floor
 * (TCP_RTO_MIN in tcp_set_rto()), not RFC 6298's clock granularity G, so
 * that a delay that is long and steady for a while, such as a standing
 * queue's, does not leave an RTO a tick above it, to fire at its first
 * swell.  A sample above RTT_MAX counts as RTT_MAX.
 */
void ixdp_tcp_rtt_sample(struct ixdp_tcp_pcb *pcb, u32 rtt)
{
	const struct ixdp_tcp_config *cfg = &pcb->stack->tcp->cfg;
	u32 r8 = min_t(u32, rtt, RTT_MAX) * 8, delta, rto;

	if (!pcb->srtt_x8 && !pcb->rttvar_x8) {
		pcb->srtt_x8 = r8;
		pcb->rttvar_x8 = r8 / 2;
	} else {
		delta = pcb->srtt_x8 > r8 ? pcb->srtt_x8 - r8 :
					    r8 - pcb->srtt_x8;
		pcb->rttvar_x8 = (3 * pcb->rttvar_x8 + delta) / 4;
		pcb->srtt_x8 = (7 * pcb->srtt_x8 + r8) / 8;
	}
	rto = (pcb->srtt_x8 + max_t(u32, 8 * RTTVAR_MIN(pcb->stack),
				    4 * pcb->rttvar_x8)) / 8;
	pcb->rto = min(max(rto, cfg->rto_min), cfg->rto_max);
}

/**
 * ixdp_tcp_rtt_spurious() - a timeout proved spurious: lift the estimate
 * @pcb: the PCB
 * @rtt: the round trip of the ACK that proved it, ticks
 *
 * The segment's round trip outlasted the RTO: the estimate lagged the
 * path (a queue grew, the peer's ACK rode on a request its own loss
 * delayed).  SRTT is raised to @rtt at least and RTTVAR to half of it,
 * as a first sample would set them (the idea of RFC 4015's response),
 * so that the next RTO is not the one that fired too soon: the same ACK's
 * sample, taken next, brings it to about two and a half such round
 * trips, and later samples smooth it as usual.
 */
void ixdp_tcp_rtt_spurious(struct ixdp_tcp_pcb *pcb, u32 rtt)
{
	u32 r8 = min_t(u32, rtt, RTT_MAX) * 8;

	pcb->srtt_x8 = max(pcb->srtt_x8, r8);
	pcb->rttvar_x8 = max(pcb->rttvar_x8, r8 / 2);
}

/**
 * ixdp_tcp_rto() - the retransmission timeout now, backoff included
 * @pcb: the PCB
 *
 * Return: RTO doubled once per timeout since the last new ACK
 * (RFC 6298 5.5), at most rto_max.
 */
u32 ixdp_tcp_rto(const struct ixdp_tcp_pcb *pcb)
{
	u32 max = pcb->stack->tcp->cfg.rto_max;
	u64 rto = (u64)pcb->rto << min_t(u8, pcb->backoff, 31);

	return rto > max ? max : rto;
}

/**
 * ixdp_tcp_rtx_arm() - (re)start the retransmission timer
 * @pcb: the PCB
 */
void ixdp_tcp_rtx_arm(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags &= ~(TCPF_PERSIST | TCPF_HOARDS | TCPF_RETRY);
	tcp_rtx_set(pcb, pcb->stack->now + ixdp_tcp_rto(pcb));
}

/**
 * ixdp_tcp_retry_arm() - try again what the pool or the device refused
 * @pcb: the PCB, its first segment due refused (new data or a FIN with
 *	nothing in flight, or an RTO's retransmission), so no ACK will
 *	come to send it
 *
 * The retransmission timer is set half a second ahead (Linux's resource
 * probe, TCP_RESOURCE_PROBE_INTERVAL, or sooner if the RTO is shorter)
 * unless it is so set already, and when it fires the segment goes again:
 * not a timeout, neither counted nor backed off, since nothing left.  A
 * device that refuses for rto_max from the first refusal ends the
 * connection (@snd_last marks when it began).  What the device refused
 * goes sooner, as its queue drains (ixdp_tcp_tx_resume()): this retry
 * is for what the pool refused, and for a device that takes nothing.
 */
void ixdp_tcp_retry_arm(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	if ((pcb->flags & (TCPF_RETRY | TCPF_RTX_ARMED)) ==
	    (TCPF_RETRY | TCPF_RTX_ARMED))
		return;
	if (!(pcb->flags & TCPF_RETRYING)) {
		pcb->flags |= TCPF_RETRYING;
		pcb->snd_last = s->now;
	}
	pcb->flags &= ~(TCPF_PERSIST | TCPF_HOARDS);
	pcb->flags |= TCPF_RETRY;
	tcp_rtx_set(pcb, s->now + min(RESOURCE_PROBE(s), pcb->rto));
}

/**
 * ixdp_tcp_persist_arm() - start probing a zero window, if not already
 * @pcb: the PCB
 */
void ixdp_tcp_persist_arm(struct ixdp_tcp_pcb *pcb)
{
	/* A retry of refused data gives way: the window it wanted shut. */
	if (tcp_rtx_armed(pcb) && !(pcb->flags & TCPF_RETRY))
		return;
	pcb->flags &= ~TCPF_RETRY;
	pcb->flags |= TCPF_PERSIST;
	tcp_rtx_set(pcb, pcb->stack->now + ixdp_tcp_rto(pcb));
}

/**
 * ixdp_tcp_time_wait_arm() - (re)start the 2 MSL of TIME_WAIT
 * @pcb: the PCB, in TIME_WAIT
 */
void ixdp_tcp_time_wait_arm(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	tcp_rtx_set(pcb, s->now + s->tcp->cfg.time_wait);
}

/**
 * ixdp_tcp_delack() - account for in-order data received
 * @pcb: the PCB
 *
 * Every second full segment is acknowledged at once (RFC 5681 4.2);
 * otherwise the ACK waits at most the configured delay.
 */
void ixdp_tcp_delack(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	if (++pcb->delack_segs >= 2) {
		pcb->flags |= TCPF_ACK_NOW;
		return;
	}
	if (!(pcb->flags & TCPF_ACK_ARMED)) {
		pcb->flags |= TCPF_ACK_ARMED;
		pcb->ack_due = s->now + s->tcp->cfg.delack;
		tcp_timer_due(s, &pcb->ack_timer, pcb->ack_due);
	}
	pcb->flags |= TCPF_DELACK;
}

static void tcp_ack_fire(struct ixdp_timer *t)
{
	struct ixdp_tcp_pcb *pcb = container_of(t, struct ixdp_tcp_pcb,
						ack_timer);

	if (!tcp_timer_fired(pcb, t, TCPF_ACK_ARMED, pcb->ack_due) ||
	    !(pcb->flags & TCPF_DELACK))
		return;
	pcb->stack->tcp->stats->delacks++;
	ixdp_tcp_send_ack(pcb);
}

/* The SYN or SYN-ACK went unanswered. */
static void tcp_syn_timeout(struct ixdp_tcp_pcb *pcb)
{
	if (++pcb->nrtx > pcb->stack->tcp->cfg.syn_retries) {
		ixdp_tcp_drop_pcb(pcb, -ETIMEDOUT);
		return;
	}
	pcb->backoff++;
	pcb->stack->tcp->stats->rexmits++;
	ixdp_tcp_send_syn(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

/* Reset what may be left of the peer, and drop the PCB with @reason. */
static void tcp_give_up(struct ixdp_tcp_pcb *pcb, int reason)
{
	ixdp_tcp_send_rst(pcb);
	ixdp_tcp_drop_pcb(pcb, reason);
}

/*
 * Whether a connection probing a zero window must go because the core is
 * short of buffers: the pool is down to its reserve and the connection
 * holds its share of it, received, while its peer has taken nothing for
 * a second or more.  What a consumer holds until the peer acknowledges
 * (the echo service's echo) is then never freed by a peer that answers
 * probes and reads nothing; so that others are served, it is reset, as
 * Linux resets orphans when TCP memory runs out (tcp_out_of_resources()).
 * A peer that closed its window only for a moment, writing before it
 * reads, is spared.
 */
static bool tcp_hoards_in_pressure(const struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_stack *s = pcb->stack;

	return ixdp_stack_pool_low(s) &&
	       pcb->rcv_held + pcb->ooo_n >= IXDP_TCP_RESERVE_SHARE &&
	       s->now - pcb->zwnd_at >= s->cfg.hz;
}

/**
 * ixdp_tcp_pressure_check() - the pool is down to its reserve: a
 *	connection that hoards at a zero window is reset now
 * @pcb: a PCB, free or in use, maybe mid-input: its persist timer is made
 *	due at the next tick, which resets it (tcp_persist_timeout())
 */
void ixdp_tcp_pressure_check(struct ixdp_tcp_pcb *pcb)
{
	if (pcb->flags & TCPF_PERSIST && tcp_hoards_in_pressure(pcb)) {
		pcb->flags |= TCPF_HOARDS;
		tcp_rtx_set(pcb, pcb->stack->now + 1);
	}
}

/* PCBs ixdp_tcp_reclaim() looks at in a call. */
#define TCP_RECLAIM_SCAN	64U

/**
 * ixdp_tcp_reclaim() - the pool is down to its reserve: look for
 *	connections that hoard at a zero window, to reset them
 * @s: the stack
 *
 * Called for each segment whose data meets the pool at its reserve; looks
 * at the next TCP_RECLAIM_SCAN PCBs of the table, round robin, so that
 * hoarders whose peers send nothing more go too, before their persist
 * timers fire.
 */
void ixdp_tcp_reclaim(struct ixdp_stack *s)
{
	struct ixdp_tcp *tcp = s->tcp;
	unsigned int i;

	for (i = 0; i < min(tcp->npcbs, TCP_RECLAIM_SCAN); i++) {
		ixdp_tcp_pressure_check(&tcp->pcbs[tcp->reclaim_next]);
		if (++tcp->reclaim_next == tcp->npcbs)
			tcp->reclaim_next = 0;
	}
}

static void tcp_persist_timeout(struct ixdp_tcp_pcb *pcb)
{
	if (pcb->flags & TCPF_HOARDS || tcp_hoards_in_pressure(pcb)) {
		pcb->stack->tcp->stats->pressure_drops++;
		tcp_give_up(pcb, -ENOBUFS);
		return;
	}
	if (++pcb->nrtx > IXDP_TCP_MAX_RETRIES) {
		pcb->stack->tcp->stats->persist_drops++;
		tcp_give_up(pcb, -ETIMEDOUT);
		return;
	}
	if (pcb->backoff < 31)
		pcb->backoff++;
	ixdp_tcp_probe(pcb);
	pcb->flags &= ~TCPF_PERSIST;
	ixdp_tcp_persist_arm(pcb);
}

/*
 * RFC 6298 5.4-5.7: retransmit the earliest segment, back off.  Not while
 * the core's device refuses a backlog: the segment would wait behind it
 * or be dropped at a full queue, and a timer that fires then (a burst of
 * them, when many connections sent at once) tells of our queue, not of
 * loss on the path.  The timeout is then tried again half a second later
 * (Linux's TCP_RESOURCE_PROBE_INTERVAL, for a retransmission its own
 * queue refused), and unlike Linux neither counted nor backed off: no
 * segment went.  For rto_max after the connection last sent data, at
 * most.
 */
static void tcp_rto_timeout(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;
	struct ixdp_tcp *tcp = s->tcp;

	if (s->tx_backlog && s->now - pcb->snd_last < tcp->cfg.rto_max) {
		tcp->stats->rto_deferred++;
		tcp_rtx_set(pcb, s->now + RESOURCE_PROBE(s));
		return;
	}
	if (++pcb->nrtx > IXDP_TCP_MAX_RETRIES) {
		tcp_give_up(pcb, -ETIMEDOUT);
		return;
	}
	tcp->stats->timeouts++;
	ixdp_tcp_cc_timeout(pcb);
	if (pcb->backoff < 31)
		pcb->backoff++;
	/* RFC 2018 8: the receiver may have reneged on what it SACKed. */
	pcb->nsb = 0;
	pcb->flags &= ~TCPF_TIMING;
	pcb->snd_nxt = pcb->snd_una;
	if (!pcb->snd_wnd && pcb->sq_bytes) {
		/* No data fits: the retransmission is a window probe. */
		ixdp_tcp_probe(pcb);
		ixdp_tcp_persist_arm(pcb);
		return;
	}
	ixdp_tcp_output(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

/**
 * ixdp_tcp_fin_wait2_arm() - (re)start the wait for the peer's FIN
 * @pcb: the PCB, in FIN_WAIT_2: nothing of ours is in flight
 */
void ixdp_tcp_fin_wait2_arm(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	tcp_rtx_set(pcb, s->now + s->tcp->cfg.fin_timeout);
}

/* The peer said nothing for fin_timeout: reset it and free the slot. */
static void tcp_fin_wait2_timeout(struct ixdp_tcp_pcb *pcb)
{
	pcb->stack->tcp->stats->fin_wait2_timeouts++;
	ixdp_tcp_send_rst(pcb);
	ixdp_tcp_drop_pcb(pcb, -ETIMEDOUT);
}

/*
 * What was refused goes again as the PCB leaves (ixdp_tcp_leave()); a
 * device that has refused it for rto_max ends the connection, as an RTO
 * would.
 */
static void tcp_retry_timeout(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	pcb->flags &= ~TCPF_RETRY;
	if (s->now - pcb->snd_last >= s->tcp->cfg.rto_max)
		tcp_give_up(pcb, -ETIMEDOUT);
}

static void tcp_rtx_fire(struct ixdp_timer *t)
{
	struct ixdp_tcp_pcb *pcb = container_of(t, struct ixdp_tcp_pcb,
						rtx_timer);
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (unlikely(pcb->pmtu))
		ixdp_tcp_pmtu_expire(pcb);
	if (!tcp_timer_fired(pcb, t, TCPF_RTX_ARMED, pcb->rtx_due))
		return;
	if (pcb->state == IXDP_TCP_TIME_WAIT) {
		ixdp_tcp_pcb_free(pcb);
		return;
	}
	if (pcb->state == IXDP_TCP_FIN_WAIT_2) {
		tcp_fin_wait2_timeout(pcb);
		return;
	}
	tcp->busy = pcb;
	if (pcb->flags & TCPF_RETRY)
		tcp_retry_timeout(pcb);
	else if (pcb->state == IXDP_TCP_SYN_SENT ||
		 pcb->state == IXDP_TCP_SYN_RCVD)
		tcp_syn_timeout(pcb);
	else if (pcb->flags & TCPF_PERSIST)
		tcp_persist_timeout(pcb);
	else if (tcp_flight(pcb))
		tcp_rto_timeout(pcb);
	ixdp_tcp_leave(pcb);
}
