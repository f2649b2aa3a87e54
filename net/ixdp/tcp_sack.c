// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP selective acknowledgment (RFC 2018), both directions.
 *
 * Sender: the scoreboard is a sorted array of disjoint, non-adjacent
 * ranges above snd_una that the peer reported holding.  Blocks that are
 * reversed, below snd_una (D-SACK) or beyond snd_max are ignored.  When
 * the array is full the highest range is forgotten: only a hole below a
 * SACKed range is ever retransmitted, so losing the top costs little.
 *
 * Receiver: the blocks reported are the contiguous runs of the
 * out-of-order queue, the one holding the latest segment first.
 */

#include <linux/string.h>

#include "tcp.h"

static bool sb_valid(const struct ixdp_tcp_pcb *pcb, u32 start, u32 end)
{
	return tcp_seq_before(start, end) &&
	       tcp_seq_after(end, pcb->snd_una) &&
	       tcp_seq_leq(end, pcb->snd_max) &&
	       end - start <= tcp_flight(pcb);
}

/* Add [start, end) to the scoreboard; false if it held all of it. */
static bool sb_insert(struct ixdp_tcp_pcb *pcb, u32 start, u32 end)
{
	unsigned int i = 0, j, n = pcb->nsb;

	while (i < n && tcp_seq_before(pcb->sb[i].end, start))
		i++;
	if (i < n && tcp_seq_leq(pcb->sb[i].start, start) &&
	    tcp_seq_geq(pcb->sb[i].end, end))
		return false;
	for (j = i; j < n && tcp_seq_leq(pcb->sb[j].start, end); j++) {
		if (tcp_seq_before(pcb->sb[j].start, start))
			start = pcb->sb[j].start;
		end = tcp_seq_max(end, pcb->sb[j].end);
	}
	if (i == j) {
		if (n == IXDP_TCP_SB_MAX) {
			if (i == n)
				return false;
			n--;
		}
		memmove(&pcb->sb[i + 1], &pcb->sb[i],
			(n - i) * sizeof(pcb->sb[0]));
		n++;
	} else {
		memmove(&pcb->sb[i + 1], &pcb->sb[j],
			(n - j) * sizeof(pcb->sb[0]));
		n -= j - i - 1;
	}
	pcb->sb[i].start = start;
	pcb->sb[i].end = end;
	pcb->nsb = n;
	return true;
}

/**
 * ixdp_tcp_sb_update() - add the SACK blocks of an ACK to the scoreboard
 * @pcb: the PCB, @snd_una already moved
 * @o: the options of the ACK
 *
 * Return: whether the blocks reported bytes the scoreboard did not hold:
 * what makes an ACK a duplicate in RFC 6675's sense, data or not.
 */
bool ixdp_tcp_sb_update(struct ixdp_tcp_pcb *pcb,
			const struct ixdp_tcp_opts *o)
{
	unsigned int i;
	bool grew = false;
	u32 start;

	if (!(pcb->flags & TCPF_SACK) || !(o->flags & TCPOPT_F_SACK))
		return false;
	for (i = 0; i < o->nsack && i < IXDP_TCP_SACK_BLOCKS; i++) {
		if (!sb_valid(pcb, o->sack[i].start, o->sack[i].end))
			continue;
		start = tcp_seq_max(o->sack[i].start, pcb->snd_una);
		grew |= sb_insert(pcb, start, o->sack[i].end);
	}
	return grew;
}

/**
 * ixdp_tcp_sb_trim() - forget what @snd_una has passed
 * @pcb: the PCB
 */
void ixdp_tcp_sb_trim(struct ixdp_tcp_pcb *pcb)
{
	unsigned int i = 0;

	while (i < pcb->nsb && tcp_seq_leq(pcb->sb[i].end, pcb->snd_una))
		i++;
	if (i) {
		memmove(pcb->sb, &pcb->sb[i], (pcb->nsb - i) * sizeof(pcb->sb[0]));
		pcb->nsb -= i;
	}
	if (pcb->nsb && tcp_seq_before(pcb->sb[0].start, pcb->snd_una))
		pcb->sb[0].start = pcb->snd_una;
}

/**
 * ixdp_tcp_sb_next_hole() - the first unSACKed range at or after @from
 * @pcb: the PCB
 * @from: where to look from
 * @start: set to the first sequence number of the hole
 * @end: set to the one after its last (the start of the SACKed range
 *	above it)
 *
 * Return: whether there is a hole below the highest SACKed range.
 */
bool ixdp_tcp_sb_next_hole(const struct ixdp_tcp_pcb *pcb, u32 from,
			   u32 *start, u32 *end)
{
	u32 lo = pcb->snd_una;
	unsigned int i;

	for (i = 0; i < pcb->nsb; lo = pcb->sb[i++].end) {
		if (tcp_seq_geq(from, pcb->sb[i].start))
			continue;
		lo = tcp_seq_max(lo, from);
		if (tcp_seq_before(lo, pcb->sb[i].start)) {
			*start = lo;
			*end = pcb->sb[i].start;
			return true;
		}
	}
	return false;
}

/**
 * ixdp_tcp_sb_sacked() - whether the peer reported holding @seq
 * @pcb: the PCB
 * @seq: a sequence number
 *
 * Return: true if a scoreboard range holds @seq.
 */
bool ixdp_tcp_sb_sacked(const struct ixdp_tcp_pcb *pcb, u32 seq)
{
	unsigned int i;

	for (i = 0; i < pcb->nsb; i++)
		if (tcp_seq_in(seq, pcb->sb[i].start, pcb->sb[i].end))
			return true;
	return false;
}

/* The run of contiguous queued segments starting at @b; @b moves past. */
static void sack_run(struct ixdp_buf **b, struct ixdp_tcp_sack_block *run)
{
	run->start = tcp_cb(*b)->seq;
	run->end = run->start + (*b)->len;
	for (*b = (*b)->next; *b && tcp_cb(*b)->seq == run->end;
	     *b = (*b)->next)
		run->end += (*b)->len;
}

/**
 * ixdp_tcp_sack_blocks() - the SACK blocks to report (RFC 2018 4)
 * @pcb: the PCB
 * @blk: filled with up to @max blocks
 * @max: room in @blk
 *
 * Return: the number of blocks: the run holding the latest out-of-order
 * segment first, then the others from the lowest.
 */
unsigned int ixdp_tcp_sack_blocks(const struct ixdp_tcp_pcb *pcb,
				  struct ixdp_tcp_sack_block *blk,
				  unsigned int max)
{
	struct ixdp_tcp_sack_block run;
	struct ixdp_buf *b;
	unsigned int n = 0;

	if (!max)
		return 0;
	for (b = pcb->ooo; b && !n;) {
		sack_run(&b, &run);
		if (tcp_seq_in(pcb->ooo_last, run.start, run.end))
			blk[n++] = run;
	}
	for (b = pcb->ooo; b && n < max;) {
		sack_run(&b, &run);
		if (!n || run.start != blk[0].start)
			blk[n++] = run;
	}
	return n;
}
