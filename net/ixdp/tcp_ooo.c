// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP out-of-order queue.
 *
 * Segments received beyond rcv_nxt wait in a list sorted by sequence
 * number, linked through the buffers' ->next, each buffer's data being
 * payload only.  The list stays disjoint: a new segment loses what
 * earlier ones already hold at its front, and at its back what a later
 * one holds, and it replaces later segments it covers whole.  The
 * sequence number of each buffer is kept in its headroom (struct
 * ixdp_tcp_cb), which the received headers have vacated.
 */

#include <linux/minmax.h>

#include "tcp.h"

static u32 ooo_end(struct ixdp_buf *b)
{
	return tcp_cb(b)->seq + b->len;
}

/* Buffers @pcb may hold out of order: see ixdp_tcp_ooo_insert(). */
static unsigned int ooo_max(const struct ixdp_tcp_pcb *pcb)
{
	return clamp_t(unsigned int,
		       pcb->stack->tcp->cfg.rcv_buf / IXDP_BUF_SIZE, 4,
		       IXDP_TCP_OOO_MAX);
}

static void ooo_drop(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b)
{
	pcb->stack->tcp->stats->ooo_dropped++;
	ixdp_buf_put(b);
}

/* Remove the segments after @prev that @b covers; cut @b at the next. */
static void ooo_trim_next(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *prev,
			  struct ixdp_buf *b, u32 seq)
{
	struct ixdp_buf **link = prev ? &prev->next : &pcb->ooo;
	struct ixdp_buf *next;
	u32 end = seq + b->len;

	while ((next = *link) && tcp_seq_before(tcp_cb(next)->seq, end)) {
		if (tcp_seq_after(ooo_end(next), end)) {
			ixdp_buf_trim(b, tcp_cb(next)->seq - seq);
			return;
		}
		*link = next->next;
		pcb->ooo_n--;
		ixdp_buf_put(next);
	}
}

/**
 * ixdp_tcp_ooo_insert() - queue a segment that arrived out of order
 * @pcb: the PCB
 * @b: its payload, consumed
 * @seq: sequence number of its first byte, after @pcb->rcv_nxt
 *
 * A connection holds as many buffers out of order as its window would
 * fill with whole buffers (rcv_buf / IXDP_BUF_SIZE, 4 to
 * IXDP_TCP_OOO_MAX): a buffer costs its 2 KiB however few bytes it
 * carries, so the window alone, which counts bytes, would let a peer of
 * one-byte segments pin a thousand times more.
 *
 * Return: true if some of it was queued; false if it was dropped
 * (nothing new, or the connection's share held already).
 */
bool ixdp_tcp_ooo_insert(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b,
			 u32 seq)
{
	struct ixdp_buf *prev = NULL, *cur;

	if (!b->len || ixdp_buf_headroom(b) < sizeof(struct ixdp_tcp_cb)) {
		ooo_drop(pcb, b);
		return false;
	}
	for (cur = pcb->ooo; cur && tcp_seq_leq(tcp_cb(cur)->seq, seq);
	     cur = cur->next)
		prev = cur;
	if (prev && tcp_seq_after(ooo_end(prev), seq)) {
		if (tcp_seq_geq(ooo_end(prev), seq + b->len)) {
			ooo_drop(pcb, b);
			return false;
		}
		ixdp_buf_pull(b, ooo_end(prev) - seq);
		seq = ooo_end(prev);
	}
	ooo_trim_next(pcb, prev, b, seq);
	/* It only bridged two neighbours: nothing of it is new. */
	if (!b->len || pcb->ooo_n >= ooo_max(pcb)) {
		ooo_drop(pcb, b);
		return false;
	}
	tcp_cb(b)->seq = seq;
	b->next = prev ? prev->next : pcb->ooo;
	if (prev)
		prev->next = b;
	else
		pcb->ooo = b;
	pcb->ooo_n++;
	pcb->ooo_last = seq;
	pcb->stack->tcp->stats->ooo_queued++;
	return true;
}

/**
 * ixdp_tcp_ooo_pop() - take the next segment that is now in order
 * @pcb: the PCB
 *
 * Segments wholly below @pcb->rcv_nxt are put back on the way.
 *
 * Return: a buffer whose data starts at @pcb->rcv_nxt, or NULL.
 */
struct ixdp_buf *ixdp_tcp_ooo_pop(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_buf *b;

	while ((b = pcb->ooo) && tcp_seq_leq(tcp_cb(b)->seq, pcb->rcv_nxt)) {
		pcb->ooo = b->next;
		pcb->ooo_n--;
		b->next = NULL;
		if (tcp_seq_after(ooo_end(b), pcb->rcv_nxt)) {
			ixdp_buf_pull(b, pcb->rcv_nxt - tcp_cb(b)->seq);
			return b;
		}
		ixdp_buf_put(b);
	}
	return NULL;
}

/**
 * ixdp_tcp_ooo_purge() - put back every queued segment
 * @pcb: the PCB
 */
void ixdp_tcp_ooo_purge(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_buf *b;

	while ((b = pcb->ooo)) {
		pcb->ooo = b->next;
		b->next = NULL;
		ixdp_buf_put(b);
	}
	pcb->ooo_n = 0;
}
