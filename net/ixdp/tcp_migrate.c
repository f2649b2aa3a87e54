// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP: moving a connection from one core's stack to another's, as
 * elastic cores move flow groups, without a reset and without a byte
 * lost.
 *
 * The old core packs the connection into a struct ixdp_tcp_mig and
 * forgets it silently: no segment, no event, its slot freed (its handle
 * goes stale).  The new core checks the record and takes the connection
 * in under a handle of its own.  Nothing is sent either way; the peer
 * sees a connection whose segments are late by the time the move took.
 *
 * What moves: ESTABLISHED to LAST_ACK, the states of a connection the
 * application holds.  What does not, and why:
 *  - the handshake's states, and a passive connection not yet accepted
 *    (-EAGAIN): they are on a listener's list, may hold data for the
 *    accept, and last a round trip; the caller moves them once connected
 *    or accepted;
 *  - TIME_WAIT: it has no handle (the application was told dead()), so
 *    it cannot be named; it lives out its 2 MSL on the old core, which a
 *    late segment still reaches through handoff.h;
 *  - a connection whose input or timer is running (-EINPROGRESS: the
 *    caller moves it after the event returns);
 *  - one holding buffers the application has not given back (-EBUSY:
 *    they are of the old core's pool; the caller moves it after
 *    ixdp_tcp_recv_done()), unless the application moves them itself
 *    (ixdp_tcp_migrate_out_held(): the in-kernel echo service copies
 *    them into the new core's pool).
 *
 * Segments held out of order are put back to the old core's pool: data
 * we SACKed and then drop, which RFC 2018 8 allows (reneging); the peer
 * sends it again after its RTO.  What the peer SACKed of ours moves: the
 * scoreboard.  The send queue moves as references to the application's
 * memory.
 *
 * Times move as ages and times left, so that the two cores' clocks need
 * not agree; our TSvals go on from where the old core's stood (@ts_off),
 * so they stay monotonic for the peer, and TS.Recent keeps its age for
 * PAWS.
 *
 * The old core remembers the 4-tuple for IXDP_TCP_MOVED_S seconds
 * (ixdp_tcp_migrated()), so that a segment the device still steers to it
 * can be forwarded to the new core instead of answered with a reset.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/tcp.h>

#include "tcp.h"

/* The flags that move with a connection; the others are its core's. */
#define MIG_FLAGS	(TCPF_DELACK | TCPF_FIN_QUEUED | TCPF_SACK | TCPF_TS | \
			 TCPF_WS | TCPF_PASSIVE | TCPF_ACCEPTED |	       \
			 TCPF_RECOVERY | TCPF_TIMING | TCPF_PERSIST |	       \
			 TCPF_FIN_RCVD | TCPF_KNOCKED | TCPF_RTX_ARMED |       \
			 TCPF_ACK_ARMED | TCPF_RETRY | TCPF_RETRYING)

/* Ticks since @t, or IXDP_TCP_MIG_NONE for a time never set (0). */
static u64 mig_age(u64 now, u64 t)
{
	if (!t)
		return IXDP_TCP_MIG_NONE;
	return t < now ? now - t : 0;
}

/* The time @age ago, by @now; 0 (never, or long ago) if before 0. */
static u64 mig_at(u64 now, u64 age)
{
	if (age == IXDP_TCP_MIG_NONE || age >= now)
		return 0;
	return now - age;
}

static u64 mig_left(u64 now, u64 due)
{
	return due > now ? due - now : 0;
}

static int mig_movable(const struct ixdp_tcp_pcb *pcb, bool held)
{
	if (pcb->stack->tcp->busy == pcb)
		return -EINPROGRESS;
	if (pcb->state < IXDP_TCP_ESTABLISHED ||
	    pcb->state > IXDP_TCP_LAST_ACK)
		return -EAGAIN;
	if ((pcb->flags & TCPF_PASSIVE && !(pcb->flags & TCPF_ACCEPTED)) ||
	    pcb->early || pcb->flags & TCPF_EARLY_FIN)
		return -EAGAIN;
	if (pcb->rcv_held && !held)
		return -EBUSY;
	return 0;
}

static void mig_save_seq(const struct ixdp_tcp_pcb *pcb,
			 struct ixdp_tcp_mig *rec)
{
	unsigned int i;

	rec->iss = pcb->iss;
	rec->snd_una = pcb->snd_una;
	rec->snd_nxt = pcb->snd_nxt;
	rec->snd_max = pcb->snd_max;
	rec->snd_wnd = pcb->snd_wnd;
	rec->max_snd_wnd = pcb->max_snd_wnd;
	rec->snd_wl1 = pcb->snd_wl1;
	rec->snd_wl2 = pcb->snd_wl2;
	rec->irs = pcb->irs;
	rec->rcv_nxt = pcb->rcv_nxt;
	rec->rcv_adv = pcb->rcv_adv;
	rec->rcv_unread = pcb->rcv_unread;
	rec->rcv_held = pcb->rcv_held;
	rec->cwnd = pcb->cwnd;
	rec->ssthresh = pcb->ssthresh;
	rec->recover = pcb->recover;
	rec->ca_acked = pcb->ca_acked;
	rec->dupacks = pcb->dupacks;
	rec->rtx_next = pcb->rtx_next;
	rec->rtx_mark = pcb->rtx_mark;
	rec->nsb = pcb->nsb;
	memcpy(rec->sb, pcb->sb, pcb->nsb * sizeof(pcb->sb[0]));
	rec->sq_n = pcb->sq_n;
	rec->sq_off = pcb->sq_off;
	rec->sq_bytes = pcb->sq_bytes;
	for (i = 0; i < pcb->sq_n; i++)
		rec->sq[i] = pcb->sq[(pcb->sq_head + i) % IXDP_TCP_SQ];
}

static void mig_save_times(const struct ixdp_tcp_pcb *pcb,
			   struct ixdp_tcp_mig *rec)
{
	u64 now = pcb->stack->now;

	rec->rtx_left = rec->flags & TCPF_RTX_ARMED ?
			mig_left(now, pcb->rtx_due) : 0;
	rec->ack_left = rec->flags & TCPF_ACK_ARMED ?
			mig_left(now, pcb->ack_due) : 0;
	rec->ka_left = IXDP_TCP_MIG_NONE;
	if (pcb->ka_idle && ixdp_timer_pending(&pcb->ka_timer))
		rec->ka_left = mig_left(now, pcb->ka_timer.expires);
	rec->pmtu_age = (u32)now - pcb->pmtu_at;
	rec->ts_recent_age = mig_age(now, pcb->ts_recent_at);
	rec->rcv_last_age = mig_age(now, pcb->rcv_last);
	rec->ka_probe_age = mig_age(now, pcb->ka_probe_at);
	rec->zwnd_age = mig_age(now, pcb->zwnd_at);
	rec->snd_last_age = mig_age(now, pcb->snd_last);
	rec->rtt_age = mig_age(now, pcb->rtt_start);
	rec->oow_ack_age = mig_age(now, pcb->oow_ack_at);
	rec->ts_val = tcp_ts_now(pcb);
}

static void mig_save(const struct ixdp_tcp_pcb *pcb, struct ixdp_tcp_mig *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->version = IXDP_TCP_MIG_VERSION;
	rec->flags = pcb->flags & MIG_FLAGS;
	/* An ACK owed now is owed at once on the new core. */
	if (pcb->flags & TCPF_ACK_NOW)
		rec->flags |= TCPF_DELACK | TCPF_ACK_ARMED;
	rec->raddr = pcb->raddr;
	rec->rport = pcb->rport;
	rec->lport = pcb->lport;
	rec->state = pcb->state;
	rec->snd_wscale = pcb->snd_wscale;
	rec->rcv_wscale = pcb->rcv_wscale;
	rec->backoff = pcb->backoff;
	rec->nrtx = pcb->nrtx;
	rec->ka_idle = pcb->ka_idle;
	rec->ka_intvl = pcb->ka_intvl;
	rec->ka_cnt = pcb->ka_cnt;
	rec->ka_probes = pcb->ka_probes;
	rec->delack_segs = pcb->delack_segs;
	rec->mss = pcb->mss;
	rec->pmtu = pcb->pmtu;
	rec->mss_syn = pcb->mss_syn;
	rec->srtt_x8 = pcb->srtt_x8;
	rec->rttvar_x8 = pcb->rttvar_x8;
	rec->rto = pcb->rto;
	rec->rtt_seq = pcb->rtt_seq;
	rec->ts_recent = pcb->ts_recent;
	rec->last_ack_sent = pcb->last_ack_sent;
	mig_save_seq(pcb, rec);
	mig_save_times(pcb, rec);
	if (pcb->flags & TCPF_ACK_NOW)
		rec->ack_left = 0;
}

/* Remember that @pcb moved away, for ixdp_tcp_migrated(). */
static void mig_remember(struct ixdp_stack *s, const struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_moved *m = &tcp->moved[tcp->moved_next];

	if (m->until > s->now)
		tcp->stats->moved_overflow++;
	m->until = s->now + (u64)IXDP_TCP_MOVED_S * s->cfg.hz + 1;
	m->raddr = pcb->raddr;
	m->rport = pcb->rport;
	m->lport = pcb->lport;
	tcp->moved_next = (tcp->moved_next + 1) % IXDP_TCP_MOVED;
}

static int mig_out(struct ixdp_stack *s, u32 handle, struct ixdp_tcp_mig *rec,
		   bool held)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		goto out_refused;
	err = mig_movable(pcb, held);
	if (err)
		goto out_refused;
	mig_save(pcb, rec);
	mig_remember(s, pcb);
	ixdp_tcp_pcb_release(pcb);
	s->tcp->stats->migrated_out++;
	return 0;

out_refused:
	if (s->tcp)
		s->tcp->stats->migrate_refused++;
	return err;
}

/**
 * ixdp_tcp_migrate_out() - take a connection off its core, to move it
 * @s: the stack it is on
 * @handle: the connection
 * @rec: filled with all the connection is, for ixdp_tcp_migrate_in()
 *
 * The connection is gone from @s when this returns 0: no segment sent,
 * no event, its timers stopped, its handle stale, its out-of-order
 * buffers put back (reneging, RFC 2018 8).  Its send queue's memory is
 * referenced by @rec and must stay valid until the new core reports it
 * acknowledged.  It is remembered as moved for IXDP_TCP_MOVED_S seconds.
 *
 * Return: 0; -EINVAL or -ESTALE for the handle (as ixdp_tcp_pcb_get());
 * -EINPROGRESS while its input or a timer of it runs; -EAGAIN in a
 * handshake state or before the accept; -EBUSY while the application
 * holds buffers it received (retry after ixdp_tcp_recv_done()).  On
 * error nothing changed but the count of refusals.
 */
int ixdp_tcp_migrate_out(struct ixdp_stack *s, u32 handle,
			 struct ixdp_tcp_mig *rec)
{
	return mig_out(s, handle, rec, false);
}

/**
 * ixdp_tcp_migrate_out_held() - ixdp_tcp_migrate_out(), for an
 *	application that moves the buffers it holds with the connection
 * @s: the stack it is on
 * @handle: the connection
 * @rec: filled as by ixdp_tcp_migrate_out(), with @rcv_held
 *
 * The buffers the application holds stay its own: it gives them back
 * to @s itself, without ixdp_tcp_recv_done(), and gives the new core's
 * application as many of that core's, with their bytes, for it to give
 * back there.
 *
 * Return: as ixdp_tcp_migrate_out(), without -EBUSY.
 */
int ixdp_tcp_migrate_out_held(struct ixdp_stack *s, u32 handle,
			      struct ixdp_tcp_mig *rec)
{
	return mig_out(s, handle, rec, true);
}

/**
 * ixdp_tcp_migrate_check() - whether a connection may move now
 * @s: the stack it is on
 * @handle: the connection
 * @held: its application would move the buffers it holds
 *
 * Return: 0 if ixdp_tcp_migrate_out() (ixdp_tcp_migrate_out_held() if
 * @held) would take it now, else the error it would return.  Nothing
 * is counted.
 */
int ixdp_tcp_migrate_check(struct ixdp_stack *s, u32 handle, bool held)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	return pcb ? mig_movable(pcb, held) : err;
}

/*
 * The MSS as in_mss() and icmp_frag_needed() leave it: the handshake's
 * within the stack's MTU, at least IXDP_TCP_MIN_MSS less the timestamp
 * option; the current one no more than that, nor than the path MTU's.
 */
static bool mig_check_mss(const struct ixdp_stack *s,
			  const struct ixdp_tcp_mig *rec)
{
	u32 hdrs = sizeof(struct iphdr) + sizeof(struct tcphdr);
	u32 ts = rec->flags & TCPF_TS ? IXDP_TCP_OPT_TS_LEN : 0;
	u32 path = rec->pmtu ? rec->pmtu : s->cfg.mtu;

	return rec->mss_syn >= IXDP_TCP_MIN_MSS - ts &&
	       rec->mss_syn <= s->cfg.mtu - hdrs - ts &&
	       rec->mss >= IXDP_TCP_MIN_MSS - ts && rec->mss <= rec->mss_syn &&
	       rec->mss <= path - hdrs - ts;
}

static bool mig_check_conn(const struct ixdp_stack *s,
			   const struct ixdp_tcp_mig *rec)
{
	u32 ra = be32_to_cpu(rec->raddr);

	if (rec->version != IXDP_TCP_MIG_VERSION || rec->flags & ~MIG_FLAGS ||
	    rec->pad || rec->rcv_held > s->tcp->held_max)
		return false;
	if (!ra || ra == 0xffffffff || (ra & 0xf0000000) == 0xe0000000 ||
	    !rec->rport || !rec->lport)
		return false;
	if (rec->state < IXDP_TCP_ESTABLISHED ||
	    rec->state > IXDP_TCP_LAST_ACK)
		return false;
	if (rec->snd_wscale > IXDP_TCP_MAX_WSCALE ||
	    rec->rcv_wscale > IXDP_TCP_MAX_WSCALE ||
	    (!(rec->flags & TCPF_WS) && (rec->snd_wscale || rec->rcv_wscale)))
		return false;
	if (rec->pmtu &&
	    (rec->pmtu < IXDP_TCP_MIN_PMTU || rec->pmtu > s->cfg.mtu))
		return false;
	/* More queued than this core's send buffer: sendv's room would wrap. */
	if (rec->sq_bytes > s->tcp->cfg.snd_buf)
		return false;
	return mig_check_mss(s, rec);
}

static bool mig_check_sq(const struct ixdp_tcp_mig *rec)
{
	u32 sum = 0, i;

	if (rec->sq_n > IXDP_TCP_SQ || rec->sq_bytes > 1U << 30)
		return false;
	if (!rec->sq_n)
		return !rec->sq_off && !rec->sq_bytes;
	for (i = 0; i < rec->sq_n; i++)
		if (!rec->sq[i].base || !rec->sq[i].len ||
		    check_add_overflow(sum, rec->sq[i].len, &sum))
			return false;
	return rec->sq_off < rec->sq[0].len && sum - rec->sq_off == rec->sq_bytes;
}

static bool mig_check_seq(const struct ixdp_tcp_mig *rec)
{
	u32 flight = rec->snd_max - rec->snd_una, fin, i;

	/*
	 * @iss and @irs are not compared: past 2 GiB each way a connection
	 * is legitimately "before" them in sequence space.
	 */
	fin = rec->flags & TCPF_FIN_QUEUED ? 1 : 0;
	if (!tcp_seq_leq(rec->snd_una, rec->snd_nxt) ||
	    !tcp_seq_leq(rec->snd_nxt, rec->snd_max) ||
	    flight > rec->sq_bytes + fin)
		return false;
	/* FIN_WAIT_2: our FIN, after all our data, acknowledged. */
	if (rec->state == IXDP_TCP_FIN_WAIT_2 && (flight || rec->sq_bytes))
		return false;
	if (!rec->cwnd || rec->rcv_unread > 1U << 30 ||
	    rec->nsb > IXDP_TCP_SB_MAX)
		return false;
	for (i = 0; i < rec->nsb; i++)
		if (!tcp_seq_before(rec->sb[i].start, rec->sb[i].end) ||
		    !tcp_seq_geq(rec->sb[i].start, rec->snd_una) ||
		    !tcp_seq_leq(rec->sb[i].end, rec->snd_max))
			return false;
	return mig_check_sq(rec);
}

/*
 * How far a sequence number a PCB remembers may lag behind the one it
 * follows (@snd_wl1 behind @rcv_nxt; @snd_wl2 and @recover behind
 * @snd_una): the most a receive window (0xffff << 14) or a send queue
 * (@sq_bytes) spans.  A lag within it stays before every number the
 * next window brings, as the comparisons of tcp_in.c and tcp_cc.c need;
 * one of 2^31 would seem ahead.
 */
#define MIG_SEQ_BACK	BIT(30)

/*
 * The FINs each state has taken: ixdp_tcp_close() sets TCPF_FIN_QUEUED
 * as it leaves ESTABLISHED or CLOSE_WAIT, and in_fin() TCPF_FIN_RCVD as
 * it leaves ESTABLISHED or FIN_WAIT_1; neither is ever cleared.
 */
static const u32 mig_state_fins[] = {
	[IXDP_TCP_ESTABLISHED]	= 0,
	[IXDP_TCP_FIN_WAIT_1]	= TCPF_FIN_QUEUED,
	[IXDP_TCP_FIN_WAIT_2]	= TCPF_FIN_QUEUED,
	[IXDP_TCP_CLOSE_WAIT]	= TCPF_FIN_RCVD,
	[IXDP_TCP_CLOSING]	= TCPF_FIN_QUEUED | TCPF_FIN_RCVD,
	[IXDP_TCP_LAST_ACK]	= TCPF_FIN_QUEUED | TCPF_FIN_RCVD,
};

/*
 * The flags as a connection that mig_movable() lets go has them, its
 * state known to be ESTABLISHED to LAST_ACK: the FINs of its state; the
 * application told of it (in_established() sets TCPF_KNOCKED), and one a
 * listener opened accepted (else it is on a listener's list of the old
 * core: here it would pass for one of listener 0's, its data held for
 * an accept that never comes, its end taken off that listener's count);
 * the persist timer armed as the
 * retransmission timer it is; RTT timing by @rtt_seq without timestamps
 * only (out_time()).
 */
static bool mig_check_flags(const struct ixdp_tcp_mig *rec)
{
	u32 f = rec->flags;

	if ((f & (TCPF_FIN_QUEUED | TCPF_FIN_RCVD)) !=
	    mig_state_fins[rec->state])
		return false;
	if (!(f & TCPF_KNOCKED) || (f & TCPF_PASSIVE && !(f & TCPF_ACCEPTED)))
		return false;
	return !(f & TCPF_PERSIST && !(f & TCPF_RTX_ARMED)) &&
	       !(f & TCPF_TIMING && f & TCPF_TS);
}

/*
 * The windows.  The peer's largest window covers its current one and
 * is no more than a segment can offer; ours ends no further on than a
 * segment of ours offered, and not before @rcv_nxt but by a FIN taken at
 * its edge.  @snd_wl1 is the sequence number of an acceptable segment,
 * so not beyond that edge (else in_window() would ignore every window
 * the peer offers until its data passed it, and a zero window would
 * never open); @snd_wl2 an acknowledgment of ours, so not beyond
 * @snd_una (else pure ACKs, which tie on @snd_wl1, would never update
 * the window) unless @snd_wl1 is still the SYN's: the SYN's ACK field set
 * it, and only a segment starting at @irs compares with it.
 */
static bool mig_check_wnd(const struct ixdp_tcp_mig *rec)
{
	u32 edge = rec->rcv_nxt;

	if (rec->max_snd_wnd < rec->snd_wnd ||
	    (u64)rec->max_snd_wnd > (u64)0xffff << rec->snd_wscale)
		return false;
	if (tcp_seq_after(rec->rcv_adv, rec->rcv_nxt))
		edge = rec->rcv_adv;
	if (rec->rcv_adv - rec->rcv_nxt > 0xffffU << rec->rcv_wscale &&
	    !(rec->rcv_nxt - rec->rcv_adv == 1 && rec->flags & TCPF_FIN_RCVD))
		return false;
	if (!tcp_seq_in(rec->snd_wl1, rec->rcv_nxt - MIG_SEQ_BACK, edge + 1))
		return false;
	return rec->snd_wl1 == rec->irs ||
	       tcp_seq_in(rec->snd_wl2, rec->snd_una - MIG_SEQ_BACK,
			  rec->snd_una + 1);
}

/*
 * Congestion control and the receive side's ACK, as tcp_cc.c and
 * tcp_timer.c leave them.  In recovery @snd_una is below @recover (the
 * ACK that reaches it ends recovery), @recover no more than @snd_max,
 * @rtx_mark is @snd_max of this recovery and @rtx_next at most a
 * segment beyond it; outside, @recover follows the ACKs up from at most
 * a send queue below (and @rtx_next, @rtx_mark wait unused for the next
 * recovery, which sets them).  A segment timed is one sent and not yet
 * acknowledged.  Duplicate ACKs need data in flight.  A second segment
 * not acknowledged owes the ACK at once (mig_save() moves that as the
 * ACK timer due now); one waits for the ACK timer.
 */
static bool mig_check_cc(const struct ixdp_tcp_mig *rec)
{
	u32 una = rec->snd_una, max = rec->snd_max;

	/*
	 * RFC 5681's floor of two segments (of the least MSS there can be):
	 * a 0 would leave cwnd 0 after recovery, and the connection mute.
	 * Data in flight has its retransmission timer armed (RFC 6298 5.1):
	 * without it nothing would ever send again.
	 */
	if (rec->ssthresh < 2 * (IXDP_TCP_MIN_MSS - IXDP_TCP_OPT_TS_LEN) ||
	    (una != max && !(rec->flags & TCPF_RTX_ARMED)))
		return false;
	if (rec->flags & TCPF_RECOVERY) {
		if (!tcp_seq_in(rec->recover, una + 1, max + 1) ||
		    !tcp_seq_in(rec->rtx_mark, rec->recover, max + 1) ||
		    !tcp_seq_in(rec->rtx_next, una, max + rec->mss_syn + 1))
			return false;
	} else if (!tcp_seq_in(rec->recover, una - MIG_SEQ_BACK, max + 1)) {
		return false;
	}
	if ((rec->flags & TCPF_TIMING &&
	     !tcp_seq_in(rec->rtt_seq, una, max + 1)) ||
	    (una == max && rec->dupacks))
		return false;
	if (rec->delack_segs && !(rec->flags & TCPF_DELACK))
		return false;
	return rec->delack_segs <= 1 ||
	       (rec->flags & TCPF_ACK_ARMED && !rec->ack_left);
}

static bool mig_check_times(const struct ixdp_stack *s,
			    const struct ixdp_tcp_mig *rec)
{
	const struct ixdp_tcp_config *cfg = &s->tcp->cfg;
	u64 rtx_max = max(cfg->rto_max, max(cfg->fin_timeout, cfg->time_wait));
	u64 ka_max = (u64)IXDP_TCP_KEEPIDLE_MAX * s->cfg.hz;

	if (!rec->rto || rec->rto > cfg->rto_max || rec->backoff > 31 ||
	    rec->nrtx > IXDP_TCP_MAX_RETRIES)
		return false;
	if (rec->rtx_left > (rec->flags & TCPF_RTX_ARMED ? rtx_max : 0) ||
	    rec->ack_left > (rec->flags & TCPF_ACK_ARMED ? cfg->rto_max : 0))
		return false;
	if (!rec->ka_idle)
		return !rec->ka_intvl && !rec->ka_cnt && !rec->ka_probes &&
		       rec->ka_left == IXDP_TCP_MIG_NONE;
	return rec->ka_idle <= IXDP_TCP_KEEPIDLE_MAX && rec->ka_intvl &&
	       rec->ka_intvl <= IXDP_TCP_KEEPINTVL_MAX && rec->ka_cnt &&
	       rec->ka_cnt <= IXDP_TCP_KEEPCNT_MAX &&
	       rec->ka_probes <= rec->ka_cnt &&
	       (rec->ka_left <= ka_max || rec->ka_left == IXDP_TCP_MIG_NONE);
}

static void mig_load_seq(struct ixdp_tcp_pcb *pcb,
			 const struct ixdp_tcp_mig *rec)
{
	pcb->iss = rec->iss;
	pcb->snd_una = rec->snd_una;
	pcb->snd_nxt = rec->snd_nxt;
	pcb->snd_max = rec->snd_max;
	pcb->snd_wnd = rec->snd_wnd;
	pcb->max_snd_wnd = rec->max_snd_wnd;
	pcb->snd_wl1 = rec->snd_wl1;
	pcb->snd_wl2 = rec->snd_wl2;
	pcb->irs = rec->irs;
	pcb->rcv_nxt = rec->rcv_nxt;
	pcb->rcv_adv = rec->rcv_adv;
	pcb->rcv_unread = rec->rcv_unread;
	pcb->rcv_held = rec->rcv_held;
	pcb->cwnd = rec->cwnd;
	pcb->ssthresh = rec->ssthresh;
	pcb->recover = rec->recover;
	pcb->ca_acked = rec->ca_acked;
	pcb->dupacks = rec->dupacks;
	pcb->rtx_next = rec->rtx_next;
	pcb->rtx_mark = rec->rtx_mark;
	pcb->nsb = rec->nsb;
	memcpy(pcb->sb, rec->sb, rec->nsb * sizeof(pcb->sb[0]));
	pcb->sq_head = 0;
	pcb->sq_n = rec->sq_n;
	pcb->sq_off = rec->sq_off;
	pcb->sq_bytes = rec->sq_bytes;
	memcpy(pcb->sq, rec->sq, rec->sq_n * sizeof(pcb->sq[0]));
}

static void mig_load(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_mig *rec)
{
	const struct ixdp_tcp_config *cfg = &pcb->stack->tcp->cfg;
	u64 now = pcb->stack->now;

	pcb->raddr = rec->raddr;
	pcb->rport = rec->rport;
	pcb->lport = rec->lport;
	pcb->state = rec->state;
	pcb->flags = rec->flags & ~(TCPF_RTX_ARMED | TCPF_ACK_ARMED);
	pcb->snd_wscale = rec->snd_wscale;
	pcb->rcv_wscale = rec->rcv_wscale;
	pcb->backoff = rec->backoff;
	pcb->nrtx = rec->nrtx;
	pcb->ka_idle = rec->ka_idle;
	pcb->ka_intvl = rec->ka_intvl;
	pcb->ka_cnt = rec->ka_cnt;
	pcb->ka_probes = rec->ka_probes;
	pcb->delack_segs = rec->delack_segs;
	pcb->mss = rec->mss;
	pcb->pmtu = rec->pmtu;
	pcb->mss_syn = rec->mss_syn;
	pcb->srtt_x8 = rec->srtt_x8;
	pcb->rttvar_x8 = rec->rttvar_x8;
	pcb->rto = clamp(rec->rto, cfg->rto_min, cfg->rto_max);
	pcb->rtt_seq = rec->rtt_seq;
	pcb->ts_recent = rec->ts_recent;
	pcb->last_ack_sent = rec->last_ack_sent;
	pcb->ts_off = rec->ts_val - (u32)now;
	pcb->pmtu_at = (u32)now - rec->pmtu_age;
	pcb->ts_recent_at = mig_at(now, rec->ts_recent_age);
	pcb->rcv_last = mig_at(now, rec->rcv_last_age);
	pcb->ka_probe_at = mig_at(now, rec->ka_probe_age);
	pcb->zwnd_at = mig_at(now, rec->zwnd_age);
	pcb->snd_last = mig_at(now, rec->snd_last_age);
	pcb->rtt_start = mig_at(now, rec->rtt_age);
	pcb->oow_ack_at = mig_at(now, rec->oow_ack_age);
	mig_load_seq(pcb, rec);
}

/*
 * File the timers of a PCB just allocated (none pending) at the times
 * left: the lazy timers of tcp_timer.c, flag, due time and wheel.
 */
static void mig_arm(struct ixdp_tcp_pcb *pcb, const struct ixdp_tcp_mig *rec)
{
	struct ixdp_stack *s = pcb->stack;

	if (rec->flags & TCPF_RTX_ARMED) {
		pcb->flags |= TCPF_RTX_ARMED;
		pcb->rtx_due = s->now + rec->rtx_left;
		ixdp_timer_arm(&s->wheel, &pcb->rtx_timer, pcb->rtx_due);
	}
	if (rec->flags & TCPF_ACK_ARMED) {
		pcb->flags |= TCPF_ACK_ARMED;
		pcb->ack_due = s->now + rec->ack_left;
		ixdp_timer_arm(&s->wheel, &pcb->ack_timer, pcb->ack_due);
	}
	if (rec->ka_left != IXDP_TCP_MIG_NONE)
		ixdp_timer_arm(&s->wheel, &pcb->ka_timer, s->now + rec->ka_left);
}

/* A connection back on this core is no longer one that moved away. */
static void mig_forget(struct ixdp_stack *s, const struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp_moved *m;
	unsigned int i;

	for (i = 0; i < IXDP_TCP_MOVED; i++) {
		m = &s->tcp->moved[i];
		if (m->raddr == pcb->raddr && m->rport == pcb->rport &&
		    m->lport == pcb->lport)
			m->until = 0;
	}
}

/**
 * ixdp_tcp_migrate_in() - take in a connection that moved from another core
 * @s: the stack of the new core
 * @rec: what ixdp_tcp_migrate_out() filled; the caller's copy, which must
 *	not change meanwhile (a record off a ring is copied first)
 * @cookie: the application's, for the connection's events from now on
 * @handle: set to the connection's handle on @s
 *
 * Every field of @rec is checked first, against the others and against
 * what the stack can leave in a connection it lets go, but for the send
 * queue's references: that each is set and not empty is all that can be
 * checked, and the caller vouches for the rest (that they point into the
 * application's memory, reachable from @s, as ixdp_tcp_migrate_out()
 * left them: a record from elsewhere must not be given).  The
 * connection's headers are
 * prebuilt for @s (or at its first segment, if @s has not resolved the
 * peer yet); its timers are filed at the times they had left, on the
 * clock of @s.  Nothing is sent.
 *
 * Return: 0; -EINVAL for a stack without TCP or a bad record (a field
 * out of range or inconsistent with the others); -EEXIST if @s has a
 * connection of that 4-tuple already (TIME_WAIT included); -ENOSPC if
 * every PCB of @s is in use.  On error @s is unchanged but for the count
 * of refusals.
 */
int ixdp_tcp_migrate_in(struct ixdp_stack *s, const struct ixdp_tcp_mig *rec,
			void *cookie, u32 *handle)
{
	struct ixdp_tcp_pcb *pcb;
	int err = -EINVAL;

	if (!s->tcp)
		return -EINVAL;
	if (!mig_check_conn(s, rec) || !mig_check_flags(rec) ||
	    !mig_check_seq(rec) || !mig_check_wnd(rec) || !mig_check_cc(rec) ||
	    !mig_check_times(s, rec))
		goto out_refused;
	err = -EEXIST;
	if (ixdp_tcp_pcb_lookup(s, rec->raddr, rec->rport, rec->lport))
		goto out_refused;
	err = -ENOSPC;
	pcb = ixdp_tcp_pcb_alloc(s);
	if (!pcb)
		goto out_refused;
	mig_load(pcb, rec);
	pcb->cookie = cookie;
	ixdp_tcp_pcb_hash(pcb);
	mig_arm(pcb, rec);
	/* -EAGAIN leaves it stale: it is built at the first segment. */
	ixdp_ip_tpl_build(s, &pcb->tpl, pcb->raddr, IPPROTO_TCP);
	mig_forget(s, pcb);
	s->tcp->stats->migrated_in++;
	*handle = tcp_pcb_handle(pcb);
	return 0;

out_refused:
	s->tcp->stats->migrate_refused++;
	return err;
}

/**
 * ixdp_tcp_migrated() - whether a segment is of a connection that moved
 *	away from this core lately
 * @s: the stack
 * @raddr: the segment's source address
 * @rport: its source port
 * @lport: its destination port
 *
 * For a segment that finds no connection here: true if its connection
 * moved to another core within IXDP_TCP_MOVED_S seconds (and not more
 * than IXDP_TCP_MOVED moves ago), so that it is forwarded there rather
 * than answered with a reset.
 *
 * Return: true if it moved, false if not or if it was forgotten.
 */
bool ixdp_tcp_migrated(struct ixdp_stack *s, __be32 raddr, __be16 rport,
		       __be16 lport)
{
	const struct ixdp_tcp_moved *m;
	unsigned int i;

	if (!s->tcp)
		return false;
	for (i = 0; i < IXDP_TCP_MOVED; i++) {
		m = &s->tcp->moved[i];
		if (m->until > s->now && m->raddr == raddr &&
		    m->rport == rport && m->lport == lport)
			return true;
	}
	return false;
}
