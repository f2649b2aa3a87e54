// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP timers on the stack's wheel, and the RTO estimator.
 *
 * Each PCB has two timers.  The retransmission timer is, by state and
 * flags, the SYN retry, the RTO (RFC 6298), the persist timer of zero
 * window probes (RFC 9293 3.8.6.1) or the end of TIME_WAIT.  The ACK
 * timer sends a delayed ACK (RFC 9293 3.8.6.3).  Times are in ticks.
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
	pcb->rto = pcb->stack->tcp->cfg.rto_init;
}

/**
 * ixdp_tcp_timers_stop() - cancel both timers of a PCB
 * @pcb: the PCB
 */
void ixdp_tcp_timers_stop(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_wheel *w = &pcb->stack->wheel;

	ixdp_timer_cancel(w, &pcb->rtx_timer);
	ixdp_timer_cancel(w, &pcb->ack_timer);
	pcb->flags &= ~(TCPF_DELACK | TCPF_PERSIST);
}

/**
 * ixdp_tcp_rtt_sample() - feed a round-trip measurement (RFC 6298 2.2-2.3)
 * @pcb: the PCB
 * @rtt: the round trip, ticks
 *
 * The first sample sets SRTT = R and RTTVAR = R/2; later ones
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and then SRTT = 7/8 SRTT + 1/8 R.
 * Both are kept in eighths of a tick.  RTO = SRTT + max(G, 4 RTTVAR)
 * with G one tick, clamped to [rto_min, rto_max].
 */
void ixdp_tcp_rtt_sample(struct ixdp_tcp_pcb *pcb, u32 rtt)
{
	const struct ixdp_tcp_config *cfg = &pcb->stack->tcp->cfg;
	u32 r8 = min_t(u32, rtt, 0x1fffffff) * 8, delta, rto;

	if (!pcb->srtt_x8 && !pcb->rttvar_x8) {
		pcb->srtt_x8 = r8;
		pcb->rttvar_x8 = r8 / 2;
	} else {
		delta = pcb->srtt_x8 > r8 ? pcb->srtt_x8 - r8 :
					    r8 - pcb->srtt_x8;
		pcb->rttvar_x8 = (3 * pcb->rttvar_x8 + delta) / 4;
		pcb->srtt_x8 = (7 * pcb->srtt_x8 + r8) / 8;
	}
	rto = (pcb->srtt_x8 + max_t(u32, 8, 4 * pcb->rttvar_x8)) / 8;
	pcb->rto = min(max(rto, cfg->rto_min), cfg->rto_max);
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
	struct ixdp_stack *s = pcb->stack;

	pcb->flags &= ~TCPF_PERSIST;
	ixdp_timer_arm(&s->wheel, &pcb->rtx_timer, s->now + ixdp_tcp_rto(pcb));
}

/**
 * ixdp_tcp_rtx_stop() - stop the retransmission or persist timer
 * @pcb: the PCB
 */
void ixdp_tcp_rtx_stop(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags &= ~TCPF_PERSIST;
	ixdp_timer_cancel(&pcb->stack->wheel, &pcb->rtx_timer);
}

/**
 * ixdp_tcp_persist_arm() - start probing a zero window, if not already
 * @pcb: the PCB
 */
void ixdp_tcp_persist_arm(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_stack *s = pcb->stack;

	if (ixdp_timer_pending(&pcb->rtx_timer))
		return;
	pcb->flags |= TCPF_PERSIST;
	ixdp_timer_arm(&s->wheel, &pcb->rtx_timer, s->now + ixdp_tcp_rto(pcb));
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
	if (!ixdp_timer_pending(&pcb->ack_timer))
		ixdp_timer_arm(&s->wheel, &pcb->ack_timer,
			       s->now + s->tcp->cfg.delack);
	pcb->flags |= TCPF_DELACK;
}

static void tcp_ack_fire(struct ixdp_timer *t)
{
	struct ixdp_tcp_pcb *pcb = container_of(t, struct ixdp_tcp_pcb,
						ack_timer);

	if (!(pcb->flags & TCPF_DELACK))
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

static void tcp_persist_timeout(struct ixdp_tcp_pcb *pcb)
{
	if (pcb->backoff < 31)
		pcb->backoff++;
	ixdp_tcp_probe(pcb);
	pcb->flags &= ~TCPF_PERSIST;
	ixdp_tcp_persist_arm(pcb);
}

/* RFC 6298 5.4-5.7: retransmit the earliest segment, back off. */
static void tcp_rto_timeout(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (++pcb->nrtx > IXDP_TCP_MAX_RETRIES) {
		ixdp_tcp_send_rst(pcb);
		ixdp_tcp_drop_pcb(pcb, -ETIMEDOUT);
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
	ixdp_tcp_output(pcb);
	ixdp_tcp_rtx_arm(pcb);
}

static void tcp_rtx_fire(struct ixdp_timer *t)
{
	struct ixdp_tcp_pcb *pcb = container_of(t, struct ixdp_tcp_pcb,
						rtx_timer);
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (pcb->state == IXDP_TCP_TIME_WAIT) {
		ixdp_tcp_pcb_free(pcb);
		return;
	}
	tcp->busy = pcb;
	if (pcb->state == IXDP_TCP_SYN_SENT || pcb->state == IXDP_TCP_SYN_RCVD)
		tcp_syn_timeout(pcb);
	else if (pcb->flags & TCPF_PERSIST)
		tcp_persist_timeout(pcb);
	else if (tcp_flight(pcb))
		tcp_rto_timeout(pcb);
	ixdp_tcp_leave(pcb);
}
