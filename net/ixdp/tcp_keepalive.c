// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP keepalive (RFC 9293 3.8.4, RFC 1122 4.2.3.6): a per-connection
 * option of the application, off until it sets it.
 *
 * After @ka_idle seconds without a segment from the peer, the connection
 * sends a probe: an ACK with sequence number SND.UNA - 1 and no data, as
 * Linux's tcp_xmit_probe_skb() does, which a live peer answers with an
 * ACK (the probe is below its window).  Probes go every @ka_intvl
 * seconds; when @ka_cnt of them went unanswered the connection is reset
 * and the application told -ETIMEDOUT, so a silent peer frees its slot.
 *
 * Probes go only in ESTABLISHED and CLOSE_WAIT, and only while nothing of
 * ours is unacknowledged or queued: otherwise the retransmission or
 * persist timer watches the peer and gives up on its own.  The states
 * after our close have timers of their own (RTO, fin_timeout, 2 MSL).
 *
 * The input's only part is recording @rcv_last for every segment that
 * passes the sequence checks; it never touches the timer.  The timer
 * looks at @rcv_last when it fires and, if the peer spoke meanwhile, is
 * filed again for @ka_idle after that (as Linux's tcp_keepalive_timer()).
 * A segment after the last probe means the peer answered: the count of
 * unanswered probes starts again.
 */

#include <linux/errno.h>

#include "tcp.h"

static void ka_file(struct ixdp_tcp_pcb *pcb, u64 due)
{
	ixdp_timer_arm(&pcb->stack->wheel, &pcb->ka_timer, due);
}

static u64 ka_ticks(const struct ixdp_tcp_pcb *pcb, u16 secs)
{
	return (u64)secs * pcb->stack->cfg.hz;
}

/* The states it probes in (the handshake's it waits out). */
static bool ka_probing_state(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->state == IXDP_TCP_ESTABLISHED ||
	       pcb->state == IXDP_TCP_CLOSE_WAIT;
}

/**
 * ixdp_tcp_keepalive_fire() - the keepalive timer of a PCB fired
 * @t: its @ka_timer
 *
 * Probes if the peer has been silent for @ka_idle, or @ka_intvl since
 * the last probe; resets the connection once @ka_cnt probes went
 * unanswered; else files the timer again for when that may be.
 */
void ixdp_tcp_keepalive_fire(struct ixdp_timer *t)
{
	struct ixdp_tcp_pcb *pcb = container_of(t, struct ixdp_tcp_pcb,
						ka_timer);
	struct ixdp_stack *s = pcb->stack;
	u64 idle = ka_ticks(pcb, pcb->ka_idle);

	if (!pcb->ka_idle)
		return;
	if (pcb->state == IXDP_TCP_SYN_SENT || pcb->state == IXDP_TCP_SYN_RCVD ||
	    (ka_probing_state(pcb) && (tcp_flight(pcb) || pcb->sq_bytes))) {
		/* Not yet, or the RTO and persist timers watch the peer. */
		ka_file(pcb, s->now + idle);
		return;
	}
	if (!ka_probing_state(pcb))
		return;
	if (pcb->rcv_last >= pcb->ka_probe_at)
		pcb->ka_probes = 0;
	if (s->now - pcb->rcv_last < idle) {
		ka_file(pcb, pcb->rcv_last + idle);
		return;
	}
	if (pcb->ka_probes >= pcb->ka_cnt) {
		s->tcp->stats->keepalive_drops++;
		ixdp_tcp_send_rst(pcb);
		ixdp_tcp_drop_pcb(pcb, -ETIMEDOUT);
		return;
	}
	s->tcp->stats->keepalive_probes++;
	pcb->ka_probes++;
	pcb->ka_probe_at = s->now;
	ixdp_tcp_send_keepalive(pcb);
	ka_file(pcb, s->now + ka_ticks(pcb, pcb->ka_intvl));
}

static bool ka_valid(u32 idle, u32 intvl, u32 cnt)
{
	if (!idle)
		return !intvl && !cnt;
	return idle <= IXDP_TCP_KEEPIDLE_MAX &&
	       intvl && intvl <= IXDP_TCP_KEEPINTVL_MAX &&
	       cnt && cnt <= IXDP_TCP_KEEPCNT_MAX;
}

/**
 * ixdp_tcp_keepalive() - turn keepalive on or off for a connection
 * @s: the stack
 * @handle: the connection
 * @idle: seconds without a segment from the peer before the first probe,
 *	1 to IXDP_TCP_KEEPIDLE_MAX; 0 turns keepalive off
 * @intvl: seconds between probes, 1 to IXDP_TCP_KEEPINTVL_MAX; 0 with
 *	@idle 0
 * @cnt: probes left unanswered before the connection is reset, 1 to
 *	IXDP_TCP_KEEPCNT_MAX; 0 with @idle 0
 *
 * The idle time starts again: the first probe goes @idle seconds after
 * this call or the peer's last segment, whichever is later, and the
 * count of unanswered probes starts from zero.  A silent peer's
 * connection thus dies @idle + @cnt * @intvl seconds after it last
 * spoke, with dead() and -ETIMEDOUT.
 *
 * Return: 0, -EINVAL for a value out of range, or -EINVAL or -ESTALE for
 * the handle (as ixdp_tcp_pcb_get()).
 */
int ixdp_tcp_keepalive(struct ixdp_stack *s, u32 handle, u32 idle, u32 intvl,
		       u32 cnt)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	if (!ka_valid(idle, intvl, cnt))
		return -EINVAL;
	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	pcb->ka_idle = idle;
	pcb->ka_intvl = intvl;
	pcb->ka_cnt = cnt;
	pcb->ka_probes = 0;
	if (!idle) {
		ixdp_timer_cancel(&s->wheel, &pcb->ka_timer);
		return 0;
	}
	ka_file(pcb, s->now + ka_ticks(pcb, idle));
	return 0;
}
