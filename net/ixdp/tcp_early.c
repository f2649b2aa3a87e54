// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP: data that comes before the accept.
 *
 * A passive connection is the application's once it accepts, which may
 * be a while after the knock (an event, then a command).  A client's
 * first request often follows its handshake at once: it is taken in
 * order, acknowledged and held here, up to IXDP_TCP_EARLY_MAX buffers
 * (the window counts its bytes as unread), and so is the peer's FIN.
 * The accept hands both over as recv events; a reject or an abort puts
 * the buffers back.  A segment that finds the queue full is dropped
 * unacknowledged, for the peer to send again.
 */

#include "tcp.h"

/**
 * ixdp_tcp_early_add() - hold in-order data until the accept
 * @pcb: a passive PCB not accepted, with room (ixdp_tcp_early_room())
 * @b: the data, consumed; @pcb->rcv_nxt is past it already
 */
void ixdp_tcp_early_add(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b)
{
	struct ixdp_buf **link = &pcb->early;

	while (*link)
		link = &(*link)->next;
	b->next = NULL;
	*link = b;
	pcb->early_n++;
	pcb->stack->tcp->stats->early_held++;
}

/**
 * ixdp_tcp_early_fin() - the peer closed before the accept
 * @pcb: a passive PCB not accepted
 */
void ixdp_tcp_early_fin(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags |= TCPF_EARLY_FIN;
}

/* The application let @pcb go from inside one of its events. */
static bool early_gone(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->state == IXDP_TCP_CLOSED ||
	       pcb->flags & (TCPF_DETACHED | TCPF_ABORT);
}

/**
 * ixdp_tcp_early_hand_over() - the accept: what came before it, as events
 * @pcb: the PCB, just accepted
 *
 * A recv event per held buffer, oldest first, then one for the FIN if it
 * came; the application may close or abort it in any of them.
 */
void ixdp_tcp_early_hand_over(struct ixdp_tcp_pcb *pcb)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;
	struct ixdp_stack *s = pcb->stack;
	struct ixdp_buf *b;

	while (!early_gone(pcb) && (b = pcb->early)) {
		pcb->early = b->next;
		pcb->early_n--;
		b->next = NULL;
		ops->recv(s, pcb->cookie, tcp_pcb_handle(pcb), b);
	}
	if (!early_gone(pcb) && pcb->flags & TCPF_EARLY_FIN) {
		pcb->flags &= ~TCPF_EARLY_FIN;
		ops->recv(s, pcb->cookie, tcp_pcb_handle(pcb), NULL);
	}
}

/**
 * ixdp_tcp_early_purge() - put back what waits for an accept
 * @pcb: the PCB, being freed
 */
void ixdp_tcp_early_purge(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_buf *b;

	while ((b = pcb->early)) {
		pcb->early = b->next;
		b->next = NULL;
		ixdp_buf_put(b);
	}
	pcb->early_n = 0;
	pcb->flags &= ~TCPF_EARLY_FIN;
}
