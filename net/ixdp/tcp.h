/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp TCP (RFC 9293) for the per-core stack.
 *
 * One struct ixdp_tcp per dataplane core, preallocated by its owner and
 * touched by that core only: a fixed table of connection blocks (PCBs)
 * hashed by 4-tuple, a small listen table, counters.  Nothing is
 * allocated on the fast path; buffers come from the stack's pool.
 *
 * The application drives connections by handle (index and generation:
 * a stale handle is refused with -ESTALE) and learns what happened
 * through the const struct ixdp_tcp_ops given to ixdp_tcp_init().
 * Payload is zero copy both ways: sendv() keeps references to the
 * caller's memory until the peer acknowledges it, and recv() hands the
 * application the received buffer itself.
 *
 * Ownership: an ixdp_buf given to recv() belongs to the application,
 * which puts it back with ixdp_buf_put(); the receive window opens only
 * as the application calls ixdp_tcp_recv_done(), which also says how many
 * buffers went back.  A connection is charged for what it holds by
 * bytes and by buffers (see ixdp_tcp_rcv_window()), so that segments of
 * a few bytes cannot pin more of the pool than full ones.
 */
#ifndef _NET_IXDP_TCP_H
#define _NET_IXDP_TCP_H

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/nospec.h>
#include <linux/siphash.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

#include "stack.h"

#define IXDP_TCP_PCBS		512	/* connections per core, by default */
#define IXDP_TCP_PCBS_MAX	65535	/* the most: an index fits a handle */
#define IXDP_TCP_LISTENERS	16
#define IXDP_TCP_SQ		64	/* memory references queued per PCB */
/* Payloads this long or longer go as frags where the device takes them. */
#define IXDP_TCP_COPYBREAK	256
#define IXDP_TCP_OOO_MAX	256	/* buffers held out of order per PCB */
#define IXDP_TCP_EARLY_MAX	4	/* buffers held before the accept */
/*
 * Buffers a connection may hold received in order (given to recv() and
 * not given back) once its core's pool is down to its reserve: enough
 * for a fresh connection to make progress while others hoard the rest.
 */
#define IXDP_TCP_RESERVE_SHARE	8
#define IXDP_TCP_SB_MAX		8	/* SACKed ranges remembered per PCB */
#define IXDP_TCP_SACK_BLOCKS	4	/* the most an option can carry */
#define IXDP_TCP_SYN_RETRIES	6
#define IXDP_TCP_SYN_RETRIES_MAX 127	/* as Linux's tcp_syn_retries */
#define IXDP_TCP_MAX_RETRIES	15
#define IXDP_TCP_DEFAULT_MSS	536	/* RFC 9293 3.7.1 */
#define IXDP_TCP_MIN_MSS	88	/* least MSS taken from a peer */
/*
 * Least path MTU an ICMP fragmentation needed sets (RFC 1191), as
 * Linux's min_pmtu: a lower report is taken as this.
 */
#define IXDP_TCP_MIN_PMTU	552
/*
 * Seconds after its last decrease that a path MTU goes back to the
 * stack's, to find out whether the path grew (RFC 1191 6.3: ten minutes,
 * as Linux's ip_rt_mtu_expires).
 */
#define IXDP_TCP_PMTU_EXPIRES	600
#define IXDP_TCP_MAX_WSCALE	14	/* RFC 7323 2.3 */
/*
 * Challenge ACKs a second a core sends, on average: each second's budget
 * is drawn anew from [LIMIT / 2, 3 * LIMIT / 2) so that a peer counting
 * them learns nothing exact (CVE-2016-5696, RFC 5961 10).
 */
#define IXDP_TCP_CHALLENGE_LIMIT 1000
/* RFC 7323 5.5: TS.Recent idle longer than this is invalid (24 days). */
#define IXDP_TCP_PAWS_IDLE_S	(24 * 24 * 60 * 60)
/* Steps of the ephemeral port increment, at most, beyond the ports tried. */
#define IXDP_TCP_PORT_JITTER	8
/* Keepalive bounds, seconds and probes, as Linux's MAX_TCP_KEEP*. */
#define IXDP_TCP_KEEPIDLE_MAX	32767
#define IXDP_TCP_KEEPINTVL_MAX	32767
#define IXDP_TCP_KEEPCNT_MAX	127

/*
 * 4-tuples of connections that moved to another core, remembered for
 * IXDP_TCP_MOVED_S seconds each (ixdp_tcp_migrated()).
 */
#define IXDP_TCP_MOVED		64
#define IXDP_TCP_MOVED_S	3

/* A handle: PCB index in the low 16 bits, its generation above. */
#define IXDP_TCP_HANDLE(idx, gen)	((u32)(gen) << 16 | (idx))

/**
 * enum ixdp_tcp_state - RFC 9293 connection states
 * @IXDP_TCP_CLOSED: the PCB is free
 * @IXDP_TCP_SYN_SENT: active open, SYN sent
 * @IXDP_TCP_SYN_RCVD: SYN received and answered
 * @IXDP_TCP_ESTABLISHED: both directions open
 * @IXDP_TCP_FIN_WAIT_1: we closed; our FIN is not acknowledged
 * @IXDP_TCP_FIN_WAIT_2: we closed; our FIN is acknowledged
 * @IXDP_TCP_CLOSE_WAIT: the peer closed
 * @IXDP_TCP_CLOSING: both closed at once; our FIN is not acknowledged
 * @IXDP_TCP_LAST_ACK: the peer closed, then we did
 * @IXDP_TCP_TIME_WAIT: both closed; waiting out old duplicates
 */
enum ixdp_tcp_state {
	IXDP_TCP_CLOSED,
	IXDP_TCP_SYN_SENT,
	IXDP_TCP_SYN_RCVD,
	IXDP_TCP_ESTABLISHED,
	IXDP_TCP_FIN_WAIT_1,
	IXDP_TCP_FIN_WAIT_2,
	IXDP_TCP_CLOSE_WAIT,
	IXDP_TCP_CLOSING,
	IXDP_TCP_LAST_ACK,
	IXDP_TCP_TIME_WAIT,
};

/* PCB flags */
#define TCPF_ACK_NOW		BIT(0)	/* send an ACK at the next output */
#define TCPF_DELACK		BIT(1)	/* an ACK is being delayed */
#define TCPF_FIN_QUEUED		BIT(2)	/* the application closed */
#define TCPF_SACK		BIT(3)	/* SACK permitted both ways */
#define TCPF_TS			BIT(4)	/* timestamps both ways */
#define TCPF_WS			BIT(5)	/* window scaling both ways */
#define TCPF_PASSIVE		BIT(6)	/* opened by a listener */
#define TCPF_ACCEPTED		BIT(7)	/* the application took it */
#define TCPF_DETACHED		BIT(8)	/* the application's handle is dead */
#define TCPF_RECOVERY		BIT(9)	/* in fast recovery */
#define TCPF_TIMING		BIT(10)	/* timing @rtt_seq (no timestamps) */
#define TCPF_PERSIST		BIT(11)	/* rtx timer is the persist timer */
#define TCPF_OOO_FIN		BIT(12)	/* a FIN waits at @ooo_fin */
#define TCPF_ABORT		BIT(13)	/* abort requested during input */
#define TCPF_FIN_RCVD		BIT(14)	/* the peer's FIN was taken */
#define TCPF_KNOCKED		BIT(15)	/* knock() was called */
#define TCPF_RTX_ARMED		BIT(16)	/* rtx timer due at @rtx_due */
#define TCPF_ACK_ARMED		BIT(17)	/* ACK timer due at @ack_due */
#define TCPF_EARLY_FIN		BIT(18)	/* the peer closed before the accept */
#define TCPF_HOARDS		BIT(19)	/* reset by the persist timer, due now */
#define TCPF_REFUSED		BIT(20)	/* data or FIN refused in this output */
#define TCPF_RETRY		BIT(21)	/* rtx timer retries what was refused */
#define TCPF_RETRYING		BIT(22)	/* refused since @snd_last, untaken */
#define TCPF_UNDO		BIT(23)	/* a timeout may prove spurious */
#define TCPF_PEER_DSACK		BIT(24)	/* the peer sent a D-SACK (RFC 2883) */

/**
 * struct ixdp_tcp_sack_block - a range of sequence space [@start, @end)
 * @start: its first sequence number
 * @end: the one after its last
 */
struct ixdp_tcp_sack_block {
	u32	start;
	u32	end;
};

#define TCPOPT_F_MSS		BIT(0)
#define TCPOPT_F_WS		BIT(1)
#define TCPOPT_F_TS		BIT(2)
#define TCPOPT_F_SACK_OK	BIT(3)
#define TCPOPT_F_SACK		BIT(4)

/**
 * struct ixdp_tcp_opts - the options of a segment, parsed or to build
 * @flags: TCPOPT_F_* present
 * @mss: maximum segment size
 * @wscale: window shift, at most IXDP_TCP_MAX_WSCALE
 * @nsack: SACK blocks in @sack
 * @tsval: timestamp value
 * @tsecr: timestamp echo reply
 * @sack: SACK blocks, in the order of the option
 */
struct ixdp_tcp_opts {
	u8				flags;
	u16				mss;
	u8				wscale;
	u8				nsack;
	u32				tsval;
	u32				tsecr;
	struct ixdp_tcp_sack_block	sack[IXDP_TCP_SACK_BLOCKS];
};

/* Longest option list: 40 bytes (RFC 9293 3.1). */
#define IXDP_TCP_OPT_MAX	40
/* NOP, NOP and timestamps: what most segments carry. */
#define IXDP_TCP_OPT_TS_LEN	12
/* Their first word: NOP, NOP, kind 8, length 10 (RFC 7323 appendix A). */
#define IXDP_TCP_OPT_NOP_NOP_TS	0x0101080a

/**
 * struct ixdp_tcp_sref - a reference to application memory queued to send
 * @base: its first byte
 * @len: its length
 */
struct ixdp_tcp_sref {
	const u8	*base;
	u32		len;
};

#define IXDP_TCP_MIG_VERSION	1
/* An age or a time left in struct ixdp_tcp_mig: none ("never", "not set"). */
#define IXDP_TCP_MIG_NONE	U64_MAX

/**
 * struct ixdp_tcp_mig - one connection on its way to another core
 * @version: IXDP_TCP_MIG_VERSION
 * @flags: its TCPF_* that move (the rest are of the core it leaves)
 * @raddr: remote address
 * @rport: remote port
 * @lport: local port
 * @state: enum ixdp_tcp_state, ESTABLISHED to LAST_ACK
 * @snd_wscale: shift of the peer's windows
 * @rcv_wscale: shift of our windows
 * @backoff: RTO doublings since the last new acknowledgment
 * @nrtx: consecutive timeouts, or unanswered window probes
 * @ka_cnt: keepalive probes left unanswered before it dies
 * @ka_probes: keepalive probes sent since the peer last spoke
 * @delack_segs: full segments received since the last ACK
 * @nsb: ranges in @sb
 * @pad: zero
 * @rcv_held: buffers the application holds (ixdp_tcp_migrate_out_held()):
 *	their bytes are in @rcv_unread, and the new core's application gives
 *	them back with ixdp_tcp_recv_done(); 0 otherwise
 * @ka_idle: keepalive idle time, seconds; 0 when off
 * @ka_intvl: keepalive interval, seconds
 * @pmtu: path MTU it learned; 0 for the stack's
 * @mss_syn: MSS as the handshake settled it
 * @mss: payload bytes per segment
 * @pmtu_age: ticks since @pmtu was last lowered (low 32 bits)
 * @iss: initial send sequence
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @snd_max: highest sequence number sent, plus one
 * @snd_wnd: the peer's window, bytes
 * @max_snd_wnd: the largest it has been
 * @snd_wl1: sequence number of the segment that last updated @snd_wnd
 * @snd_wl2: acknowledgment number of that segment
 * @irs: initial receive sequence
 * @rcv_nxt: next sequence number expected
 * @rcv_adv: right edge of the window advertised
 * @rcv_unread: bytes handed to recv() and not yet recv_done()
 * @cwnd: congestion window, bytes
 * @ssthresh: slow start threshold
 * @recover: RFC 6582 recover
 * @ca_acked: bytes acknowledged toward the next congestion avoidance step
 * @dupacks: consecutive duplicate ACKs
 * @rtx_next: next hole to fill from the SACK scoreboard
 * @rtx_mark: @snd_max when @snd_una was last retransmitted in recovery
 * @srtt_x8: smoothed RTT, eighths of a tick
 * @rttvar_x8: RTT variation, eighths of a tick
 * @rto: retransmission timeout before backoff, ticks
 * @rtt_seq: the segment being timed, without timestamps
 * @ts_recent: RFC 7323 TS.Recent
 * @last_ack_sent: RFC 7323 Last.ACK.sent
 * @ts_val: our TSval clock at the move: the new core's goes on from it
 * @sq_n: references in @sq
 * @sq_off: bytes of @sq[0] already acknowledged
 * @sq_bytes: bytes queued from @snd_una on
 * @rtx_left: ticks until the retransmission (persist, FIN_WAIT_2) timer
 *	is due, if TCPF_RTX_ARMED is in @flags
 * @ack_left: ticks until the delayed ACK is due, if TCPF_ACK_ARMED is
 * @ka_left: ticks until the keepalive timer fires, or IXDP_TCP_MIG_NONE
 * @ts_recent_age: ticks since @ts_recent was set
 * @rcv_last_age: ticks since the peer was last heard
 * @ka_probe_age: ticks since the last keepalive probe
 * @zwnd_age: ticks since the peer's window last closed, or
 *	IXDP_TCP_MIG_NONE
 * @snd_last_age: ticks since data was last sent
 * @rtt_age: ticks since the segment timed (@rtt_seq) was sent
 * @oow_ack_age: ticks since the last answer to a segment dropped, or
 *	IXDP_TCP_MIG_NONE
 * @sb: the SACK scoreboard: what the peer holds above @snd_una
 * @sq: the send queue from its oldest reference on: the application's
 *	memory, carried as it is.  Whoever moves the connection guarantees
 *	that it stays valid, and unchanged, until the new core reports it
 *	acknowledged: the application's registered memory must be reachable
 *	from the new core.
 *
 * Self-contained and of fixed size: but for @sq it points into nothing of
 * the core it leaves.  It may cross cores; ixdp_tcp_migrate_in() checks
 * every field before it believes it.
 */
struct ixdp_tcp_mig {
	u32				version;
	u32				flags;
	__be32				raddr;
	__be16				rport;
	__be16				lport;
	u8				state;
	u8				snd_wscale;
	u8				rcv_wscale;
	u8				backoff;
	u8				nrtx;
	u8				ka_cnt;
	u8				ka_probes;
	u8				delack_segs;
	u8				nsb;
	u8				pad;
	u16				rcv_held;
	u16				ka_idle;
	u16				ka_intvl;
	u16				pmtu;
	u16				mss_syn;
	u32				mss;
	u32				pmtu_age;
	u32				iss;
	u32				snd_una;
	u32				snd_nxt;
	u32				snd_max;
	u32				snd_wnd;
	u32				max_snd_wnd;
	u32				snd_wl1;
	u32				snd_wl2;
	u32				irs;
	u32				rcv_nxt;
	u32				rcv_adv;
	u32				rcv_unread;
	u32				cwnd;
	u32				ssthresh;
	u32				recover;
	u32				ca_acked;
	u32				dupacks;
	u32				rtx_next;
	u32				rtx_mark;
	u32				srtt_x8;
	u32				rttvar_x8;
	u32				rto;
	u32				rtt_seq;
	u32				ts_recent;
	u32				last_ack_sent;
	u32				ts_val;
	u32				sq_n;
	u32				sq_off;
	u32				sq_bytes;
	u64				rtx_left;
	u64				ack_left;
	u64				ka_left;
	u64				ts_recent_age;
	u64				rcv_last_age;
	u64				ka_probe_age;
	u64				zwnd_age;
	u64				snd_last_age;
	u64				rtt_age;
	u64				oow_ack_age;
	struct ixdp_tcp_sack_block	sb[IXDP_TCP_SB_MAX];
	struct ixdp_tcp_sref		sq[IXDP_TCP_SQ];
};

/**
 * struct ixdp_iov - one piece of a send vector
 * @base: the application's memory; it must stay valid and unchanged
 *	until sent() reports it acknowledged
 * @len: its length
 */
struct ixdp_iov {
	const void	*base;
	u32		len;
};

/**
 * struct ixdp_tcp_pcb - one connection
 * @node: link in its hash bucket, or in the free list
 * @lnode: link in its listener's @waiting until accepted or freed
 * @txw: link in &ixdp_tcp's @txw from when the device's full queue
 *	refused a segment of it until ixdp_tcp_tx_resume() serves it;
 *	empty otherwise
 * @rtx_timer: retransmission, persist, SYN retry and TIME_WAIT timer
 * @ack_timer: delayed ACK timer
 * @ka_timer: keepalive timer (tcp_keepalive.c); pending only while
 *	keepalive is on
 * @rtx_due: when the retransmission timer is due, if TCPF_RTX_ARMED
 * @ack_due: when the ACK timer is due, if TCPF_ACK_ARMED
 * @stack: the stack it belongs to
 * @cookie: the application's, given to events
 * @raddr: remote address
 * @rport: remote port
 * @lport: local port
 * @idx: index in the table
 * @gen: generation; bumped when freed
 * @state: enum ixdp_tcp_state
 * @listener: index of the listener that made it (passive opens)
 * @snd_wscale: shift of the peer's windows
 * @rcv_wscale: shift of our windows
 * @backoff: RTO doublings since the last new acknowledgment
 * @nrtx: consecutive timeouts; in persist, probes the peer left unanswered
 * @flags: TCPF_*
 * @mss: payload bytes per segment, options excluded
 * @pmtu: largest IPv4 datagram it sends, as path MTU discovery lowered
 *	it (RFC 1191); 0 for the stack's MTU
 * @mss_syn: @mss as the handshake settled it, before any @pmtu
 * @pmtu_at: when @pmtu was last lowered (ticks, low 32 bits)
 * @rcv_last: when it last took a segment from the peer (one that passed
 *	the sequence checks): the start of keepalive's idle time
 * @ka_probe_at: when its last keepalive probe went
 * @ka_idle: keepalive: seconds without a segment before the first
 *	probe; 0 when keepalive is off
 * @ka_intvl: keepalive: seconds between probes
 * @ka_cnt: keepalive: probes left unanswered before it dies
 * @ka_probes: keepalive probes sent since the peer last said anything
 * @iss: initial send sequence
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @snd_max: highest sequence number sent, plus one
 * @snd_wnd: the peer's window, in bytes
 * @zwnd_at: when the peer's window last closed (0 if it never opened)
 * @max_snd_wnd: the largest it has been
 * @snd_wl1: sequence number of the segment that last updated @snd_wnd
 * @snd_wl2: acknowledgment number of that segment
 * @sq_bytes: bytes queued from @snd_una on (SYN and FIN excluded)
 * @sq_head: first reference in @sq
 * @sq_n: references in @sq
 * @sq_off: bytes of @sq[@sq_head] already acknowledged
 * @cwnd: congestion window, bytes
 * @ssthresh: slow start threshold
 * @recover: RFC 6582 recover: @snd_max when recovery began
 * @ca_acked: bytes acknowledged toward the next congestion avoidance step
 * @dupacks: consecutive duplicate ACKs
 * @rtx_next: next hole to fill from the SACK scoreboard
 * @rtx_mark: @snd_max when @snd_una was last retransmitted in recovery
 * @undo_ts: while TCPF_UNDO: our TSval when the first timeout since the
 *	last new ACK fired; an ACK that echoes an older one proves it
 *	spurious (RFC 3522)
 * @undo_cwnd: while TCPF_UNDO: @cwnd before that timeout
 * @undo_ssthresh: while TCPF_UNDO: @ssthresh before that timeout
 * @lift_rtt: the round trip a spurious timeout proved while the peer was
 *	not known to send D-SACKs, ticks; the estimate is lifted to it when
 *	a D-SACK of the retransmission comes (in_late_lift()); 0 if none
 * @lift_una: @snd_una when it was proved: the retransmission's start
 * @lift_seq: the acknowledgment number that proved it
 * @snd_last: when data was last sent, for the restart after idle; or,
 *	while TCPF_RETRYING, when the pool or the device first refused it
 * @srtt_x8: smoothed RTT, eighths of a tick; 0 before the first sample
 * @rttvar_x8: RTT variation, eighths of a tick
 * @rto: retransmission timeout, ticks, before backoff
 * @rtt_seq: the segment being timed, without timestamps
 * @rtt_start: when it was sent
 * @oow_ack_at: when it last answered a segment it drops (out of window,
 *	PAWS, unsent data acknowledged) or a challenge, plus one; 0 never
 * @ts_recent: RFC 7323 TS.Recent
 * @ts_recent_at: when @ts_recent was set (RFC 7323 5.5)
 * @ts_off: added to the stack's clock for our TSval (tcp_ts_now()): 0 but
 *	for a connection that moved in from another core, whose TSvals go on
 *	from where that core's left them (tcp_migrate.c)
 * @last_ack_sent: RFC 7323 Last.ACK.sent
 * @irs: initial receive sequence
 * @rcv_nxt: next sequence number expected
 * @rcv_adv: right edge of the window advertised
 * @rcv_unread: bytes handed to recv() and not yet recv_done()
 * @rcv_held: buffers handed to recv() (or held for it before the accept)
 *	and not yet given back through ixdp_tcp_recv_done()
 * @ooo_fin: sequence number of a FIN received out of order
 * @ooo_last: start of the latest out-of-order segment (first SACK block)
 * @ooo_n: buffers in @ooo
 * @delack_segs: full segments received since the last ACK
 * @nsb: ranges in @sb
 * @ooo: out-of-order segments, sorted and disjoint, linked by ->next
 * @early: in-order data that came before the application accepted,
 *	oldest first, linked by ->next; handed over by the accept
 * @early_n: buffers in @early, IXDP_TCP_EARLY_MAX at most
 * @sb: SACK scoreboard: ranges above @snd_una the peer holds, sorted
 * @sq: queued application memory, a ring
 * @tpl: the Ethernet and IPv4 headers of its segments, prebuilt
 */
struct ixdp_tcp_pcb {
	struct hlist_node		node;
	struct list_head		lnode;
	struct list_head		txw;
	struct ixdp_timer		rtx_timer;
	struct ixdp_timer		ack_timer;
	struct ixdp_timer		ka_timer;
	u64				rtx_due;
	u64				ack_due;
	struct ixdp_stack		*stack;
	void				*cookie;
	__be32				raddr;
	__be16				rport;
	__be16				lport;
	u16				idx;
	u16				gen;
	u8				state;
	u8				listener;
	u8				snd_wscale;
	u8				rcv_wscale;
	u8				backoff;
	u8				nrtx;
	u32				flags;
	u32				mss;
	u16				pmtu;
	u16				mss_syn;
	u32				pmtu_at;
	/* keepalive */
	u64				rcv_last;
	u64				ka_probe_at;
	u16				ka_idle;
	u16				ka_intvl;
	u8				ka_cnt;
	u8				ka_probes;
	/* send */
	u32				iss;
	u32				snd_una;
	u32				snd_nxt;
	u32				snd_max;
	u32				snd_wnd;
	u32				max_snd_wnd;
	u64				zwnd_at;
	u32				snd_wl1;
	u32				snd_wl2;
	u32				sq_bytes;
	u16				sq_head;
	u16				sq_n;
	u32				sq_off;
	/* congestion */
	u32				cwnd;
	u32				ssthresh;
	u32				recover;
	u32				ca_acked;
	u32				dupacks;
	u32				rtx_next;
	u32				rtx_mark;
	u32				undo_ts;
	u32				undo_cwnd;
	u32				undo_ssthresh;
	u32				lift_rtt;
	u32				lift_una;
	u32				lift_seq;
	u64				snd_last;
	/* round trip */
	u32				srtt_x8;
	u32				rttvar_x8;
	u32				rto;
	u32				rtt_seq;
	u64				rtt_start;
	u64				oow_ack_at;
	u32				ts_recent;
	u32				last_ack_sent;
	u64				ts_recent_at;
	u32				ts_off;
	/* receive */
	u32				irs;
	u32				rcv_nxt;
	u32				rcv_adv;
	u32				rcv_unread;
	u32				ooo_fin;
	u32				ooo_last;
	u16				ooo_n;
	u16				rcv_held;
	u8				delack_segs;
	u8				nsb;
	struct ixdp_buf			*ooo;
	struct ixdp_buf			*early;
	u8				early_n;
	struct ixdp_tcp_sack_block	sb[IXDP_TCP_SB_MAX];
	struct ixdp_tcp_sref		sq[IXDP_TCP_SQ];
	struct ixdp_ip_tpl		tpl;
};

/**
 * struct ixdp_tcp_listener - a listening port
 * @port: the port; 0 if the slot is free
 * @backlog: connections it may hold not yet accepted, at most half the
 *	PCB table (clamped by ixdp_tcp_listen())
 * @pending: connections it holds not yet accepted (SYN_RCVD included)
 * @waiting: those connections, linked through their @lnode, so that an
 *	UNLISTEN visits them and no other PCB
 * @cookie_win: the SYN cookie window (tcp_cookie.c) of the last cookie it
 *	sent, plus one; 0 if it never sent one
 * @refused: SYNs refused, and handshakes completed by a cookie dropped,
 *	because @pending reached its limit or the PCB table was full
 * @cookie: given to knock()
 */
struct ixdp_tcp_listener {
	__be16		port;
	u16		backlog;
	u16		pending;
	struct list_head	waiting;
	u32		cookie_win;
	u64		refused;
	void		*cookie;
};

/**
 * struct ixdp_tcp_moved - a connection that moved away (tcp_migrate.c)
 * @until: when it is forgotten, ticks; 0 for a free entry
 * @raddr: its remote address
 * @rport: its remote port
 * @lport: its local port
 */
struct ixdp_tcp_moved {
	u64		until;
	__be32		raddr;
	__be16		rport;
	__be16		lport;
};

/**
 * struct ixdp_tcp_ops - events of TCP to the application
 * @knock: a connection to a listener is established; answer with
 *	ixdp_tcp_accept() or ixdp_tcp_reject() (now or later)
 * @connected: an active open ended; @status 0 or -ECONNREFUSED,
 *	-ETIMEDOUT, -ECONNRESET.  On error the handle is dead.
 * @recv: in-order payload: @b's data; the application owns @b and puts it
 *	back.  @b NULL: the peer closed its direction (FIN).
 * @sent: @acked more bytes are acknowledged, so the memory holding them
 *	may be reused; @space bytes may now be queued by ixdp_tcp_sendv()
 * @dead: the connection is gone and its handle stale: @reason 0 (closed
 *	both ways), -ECONNRESET, -ETIMEDOUT.  Not called after
 *	ixdp_tcp_abort() or ixdp_tcp_reject().
 *
 * Events may issue commands, which take effect when the event returns.
 */
struct ixdp_tcp_ops {
	void	(*knock)(struct ixdp_stack *s, void *lcookie, u32 handle,
			 __be32 raddr, __be16 rport);
	void	(*connected)(struct ixdp_stack *s, void *cookie, u32 handle,
			     int status);
	void	(*recv)(struct ixdp_stack *s, void *cookie, u32 handle,
			struct ixdp_buf *b);
	void	(*sent)(struct ixdp_stack *s, void *cookie, u32 handle,
			u32 acked, u32 space);
	void	(*dead)(struct ixdp_stack *s, void *cookie, u32 handle,
			int reason);
};

#define IXDP_TCP_NO_SACK	BIT(0)
#define IXDP_TCP_NO_TS		BIT(1)
#define IXDP_TCP_NO_WS		BIT(2)
#define IXDP_TCP_NO_COOKIES	BIT(3)

/**
 * struct ixdp_tcp_config - TCP settings of a core; 0 picks the default
 * @rcv_buf: receive window per connection, bytes (64 KiB)
 * @snd_buf: bytes queued to send per connection (256 KiB)
 * @rto_min: least RTO, ticks (hz / 5: Linux's TCP_RTO_MIN, not RFC 6298
 *	section 2.4's second)
 * @rto_max: largest RTO, ticks (60 * hz)
 * @rto_init: RTO before the first sample, ticks (hz: RFC 6298 2.1)
 * @delack: longest delay of an ACK, ticks (hz / 25)
 * @time_wait: TIME_WAIT duration, 2 * MSL, ticks (60 * hz)
 * @fin_timeout: how long a connection the application closed waits in
 *	FIN_WAIT_2 while the peer sends nothing, ticks (60 * hz, as
 *	Linux's tcp_fin_timeout); then it is reset
 * @syn_retries: retransmissions of an unanswered SYN or SYN-ACK before
 *	the connection fails with -ETIMEDOUT (IXDP_TCP_SYN_RETRIES)
 * @flags: IXDP_TCP_NO_* to leave options or SYN cookies out (tests,
 *	interop)
 * @ack_ratelimit: least time between two answers of a connection to
 *	segments it drops or challenges, ticks (hz / 2, as Linux's
 *	tcp_invalid_ratelimit)
 * @hash_key: jhash key of the connection table
 * @isn_key: SipHash key of initial sequence numbers (RFC 6528)
 * @port_key: SipHash key of ephemeral port offsets (RFC 6056)
 *
 * A key left 0 is drawn at random, each on its own: knowing one tells
 * nothing of the others.  The kernel's callers leave them 0; tests that
 * want them known set them.
 */
struct ixdp_tcp_config {
	u32	rcv_buf;
	u32	snd_buf;
	u32	rto_min;
	u32	rto_max;
	u32	rto_init;
	u32	delack;
	u32	time_wait;
	u32	fin_timeout;
	u32	syn_retries;
	u32	flags;
	u32	ack_ratelimit;
	u32	hash_key;
	siphash_key_t isn_key;
	siphash_key_t port_key;
};

/**
 * struct ixdp_tcp - the TCP state of one core
 * @ops: the application's events
 * @cfg: settings, defaults filled in
 * @held_max: buffers a connection may hold received in order,
 *	ixdp_tcp_held_max() of @cfg
 * @busy: the PCB whose input or timer is running; commands on it are
 *	deferred to its end
 * @nused: PCBs in use
 * @ntw: PCBs in TIME_WAIT; at most half the table (a connection closing
 *	beyond that skips TIME_WAIT, as with Linux's tcp_max_tw_buckets)
 * @port_perturb: RFC 6056 algorithm 3's next_ephemeral: added to the
 *	keyed offset of a destination; moves on by the ports tried, plus a
 *	random jitter
 * @chal_second: the second @chal_left counts in
 * @chal_left: challenge ACKs it may still send in it
 * @reclaim_next: the PCB ixdp_tcp_reclaim() looks at next
 * @txw: connections that the device's full queue refused, oldest first,
 *	served as it drains (ixdp_tcp_tx_resume())
 * @free: PCBs not in use
 * @npcbs: entries of @pcbs
 * @hash_mask: buckets of @hash, less one (a power of two, >= @npcbs)
 * @hash: PCBs in use, by 4-tuple; in the same allocation, after @pcbs
 * @last: the PCB ixdp_tcp_pcb_lookup() found last, tried first; NULL
 *	when none, or once that PCB is freed
 * @lsn: the listen table
 * @cookie_key: SipHash key of SYN cookies; drawn at the first cookie
 * @moved_next: the entry of @moved the next move out takes
 * @moved: connections that moved to another core lately, a ring
 * @stats: its counters, kept in the stack (&s->stats.tcp), so they
 *	outlive the table
 * @pcbs: all PCBs
 *
 * Allocated by the caller as one block of ixdp_tcp_size() bytes.
 */
struct ixdp_tcp {
	const struct ixdp_tcp_ops	*ops;
	struct ixdp_tcp_config		cfg;
	u32				held_max;
	struct ixdp_tcp_pcb		*busy;
	unsigned int			nused;
	unsigned int			ntw;
	u32				port_perturb;
	u64				chal_second;
	u32				chal_left;
	unsigned int			reclaim_next;
	struct list_head		txw;
	struct hlist_head		free;
	unsigned int			npcbs;
	u32				hash_mask;
	struct hlist_head		*hash;
	struct ixdp_tcp_pcb		*last;
	struct ixdp_tcp_listener	lsn[IXDP_TCP_LISTENERS];
	siphash_key_t			cookie_key;
	unsigned int			moved_next;
	struct ixdp_tcp_moved		moved[IXDP_TCP_MOVED];
	struct ixdp_tcp_stats		*stats;
	struct ixdp_tcp_pcb		pcbs[];
};

/**
 * struct ixdp_tcp_seg - a received segment, its header parsed
 * @b: the buffer; data is the payload once parsed
 * @seq: sequence number
 * @ack: acknowledgment number
 * @len: payload bytes
 * @wnd: window field, unscaled
 * @flags: TCP flags byte (FIN 0x01 ... ACK 0x10)
 * @opt: its options
 */
struct ixdp_tcp_seg {
	struct ixdp_buf		*b;
	u32			seq;
	u32			ack;
	u32			len;
	u16			wnd;
	u8			flags;
	struct ixdp_tcp_opts	opt;
};

#define TCPHDR_FIN	0x01
#define TCPHDR_SYN	0x02
#define TCPHDR_RST	0x04
#define TCPHDR_PSH	0x08
#define TCPHDR_ACK	0x10

/* Wrap-safe comparison of sequence numbers (RFC 9293 3.4). */
static inline bool tcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool tcp_seq_after(u32 a, u32 b)
{
	return tcp_seq_before(b, a);
}

static inline bool tcp_seq_leq(u32 a, u32 b)
{
	return !tcp_seq_after(a, b);
}

static inline bool tcp_seq_geq(u32 a, u32 b)
{
	return !tcp_seq_before(a, b);
}

/* Whether @lo <= @x < @hi in sequence space. */
static inline bool tcp_seq_in(u32 x, u32 lo, u32 hi)
{
	return x - lo < hi - lo;
}

static inline u32 tcp_seq_max(u32 a, u32 b)
{
	return tcp_seq_after(a, b) ? a : b;
}

static inline u32 tcp_pcb_handle(const struct ixdp_tcp_pcb *pcb)
{
	return IXDP_TCP_HANDLE(pcb->idx, pcb->gen);
}

/* Whether the retransmission (or persist, SYN, TIME_WAIT) timer is set. */
static inline bool tcp_rtx_armed(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->flags & TCPF_RTX_ARMED;
}

/**
 * ixdp_tcp_rtx_stop() - stop the retransmission or persist timer
 * @pcb: the PCB
 *
 * The wheel timer stays; it finds the flag clear when it fires.
 */
static inline void ixdp_tcp_rtx_stop(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags &= ~(TCPF_PERSIST | TCPF_HOARDS | TCPF_RETRY |
			TCPF_RTX_ARMED);
}

/**
 * ixdp_tcp_ack_stop() - stop the delayed ACK timer: an ACK went
 * @pcb: the PCB
 *
 * The wheel timer stays; it finds the flag clear when it fires.
 */
static inline void ixdp_tcp_ack_stop(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags &= ~(TCPF_ACK_NOW | TCPF_DELACK | TCPF_ACK_ARMED);
}

/* Largest IPv4 datagram @pcb sends. */
static inline u32 tcp_pcb_mtu(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->pmtu ? pcb->pmtu : pcb->stack->cfg.mtu;
}

/* Our TSval now (RFC 7323): the stack's clock, moved by @ts_off. */
static inline u32 tcp_ts_now(const struct ixdp_tcp_pcb *pcb)
{
	return (u32)pcb->stack->now + pcb->ts_off;
}

static inline u32 tcp_flight(const struct ixdp_tcp_pcb *pcb)
{
	return pcb->snd_max - pcb->snd_una;
}

/**
 * ixdp_tcp_pcb_get() - the PCB of an application's handle
 * @s: the stack
 * @handle: the handle
 * @err: set to -EINVAL for an index out of range, -ESTALE for a handle
 *	whose connection is gone (freed, or dead to the application)
 *
 * Inline: every command of the application begins with it.
 *
 * Return: the PCB, or NULL.
 */
static inline struct ixdp_tcp_pcb *ixdp_tcp_pcb_get(struct ixdp_stack *s,
						    u32 handle, int *err)
{
	u32 idx = handle & 0xffff;
	struct ixdp_tcp_pcb *pcb;

	if (!s->tcp || idx >= s->tcp->npcbs) {
		*err = -EINVAL;
		return NULL;
	}
	/* The application's index: no speculation past the table. */
	pcb = &s->tcp->pcbs[array_index_nospec(idx, s->tcp->npcbs)];
	if (pcb->gen != handle >> 16 || pcb->state == IXDP_TCP_CLOSED ||
	    pcb->flags & TCPF_DETACHED) {
		*err = -ESTALE;
		return NULL;
	}
	*err = 0;
	return pcb;
}

/**
 * ixdp_tcp_early_room() - may in-order data be taken for @pcb now
 * @pcb: the PCB
 *
 * Inline: every segment with data asks (tcp_early.c for the rest).
 *
 * Return: true if the application has it (or opened it), or if it is
 * not yet accepted and the early queue has room; false once detached.
 */
static inline bool ixdp_tcp_early_room(const struct ixdp_tcp_pcb *pcb)
{
	if (pcb->flags & TCPF_DETACHED)
		return false;
	if (!(pcb->flags & TCPF_PASSIVE) || pcb->flags & TCPF_ACCEPTED)
		return true;
	return pcb->early_n < IXDP_TCP_EARLY_MAX;
}

/**
 * ixdp_tcp_opt_build_ts() - write the options of nearly every segment
 * @p: where, at least IXDP_TCP_OPT_TS_LEN bytes
 * @tsval: timestamp value
 * @tsecr: timestamp echo reply
 *
 * The same bytes as ixdp_tcp_opt_build() with TCPOPT_F_TS alone: two
 * NOPs and the timestamps (RFC 7323 appendix A).  Inline: nearly every
 * segment we send carries them.
 *
 * Return: IXDP_TCP_OPT_TS_LEN.
 */
static inline unsigned int ixdp_tcp_opt_build_ts(u8 *p, u32 tsval, u32 tsecr)
{
	put_unaligned_be32(IXDP_TCP_OPT_NOP_NOP_TS, p);
	put_unaligned_be32(tsval, p + 4);
	put_unaligned_be32(tsecr, p + 8);
	return IXDP_TCP_OPT_TS_LEN;
}

/* The segment's sequence number kept in a queued buffer's headroom. */
struct ixdp_tcp_cb {
	u32	seq;
};

static inline struct ixdp_tcp_cb *tcp_cb(struct ixdp_buf *b)
{
	return (struct ixdp_tcp_cb *)b->room;
}

struct tcphdr;

/* tcp_api.c: commands of the application */
size_t ixdp_tcp_size(unsigned int npcbs);
int ixdp_tcp_init(struct ixdp_stack *s, struct ixdp_tcp *tcp,
		  unsigned int npcbs, const struct ixdp_tcp_config *cfg,
		  const struct ixdp_tcp_ops *ops);
void ixdp_tcp_teardown(struct ixdp_stack *s);
int ixdp_tcp_listen(struct ixdp_stack *s, __be16 port, u16 backlog,
		    void *cookie);
int ixdp_tcp_unlisten(struct ixdp_stack *s, __be16 port);
int ixdp_tcp_connect(struct ixdp_stack *s, __be32 daddr, __be16 dport,
		     void *cookie, u32 *handle);
int ixdp_tcp_accept(struct ixdp_stack *s, u32 handle, void *cookie);
int ixdp_tcp_reject(struct ixdp_stack *s, u32 handle);
int ixdp_tcp_sendv(struct ixdp_stack *s, u32 handle,
		   const struct ixdp_iov *iov, unsigned int n);
int ixdp_tcp_recv_done(struct ixdp_stack *s, u32 handle, u32 bytes,
		       u32 bufs);
int ixdp_tcp_close(struct ixdp_stack *s, u32 handle);
int ixdp_tcp_abort(struct ixdp_stack *s, u32 handle);
void ixdp_tcp_leave(struct ixdp_tcp_pcb *pcb);

/* tcp_pcb.c: the PCB table */
void ixdp_tcp_pcb_table_init(struct ixdp_tcp *tcp);
struct ixdp_tcp_pcb *ixdp_tcp_pcb_alloc(struct ixdp_stack *s);
void ixdp_tcp_pcb_release(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_pcb_free(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_pcb_hash(struct ixdp_tcp_pcb *pcb);
struct ixdp_tcp_pcb *__ixdp_tcp_pcb_lookup(struct ixdp_stack *s,
					   __be32 raddr, __be16 rport,
					   __be16 lport);
struct ixdp_tcp_listener *ixdp_tcp_listener_find(struct ixdp_stack *s,
						 __be16 port);
u32 ixdp_tcp_iss(struct ixdp_stack *s, __be32 raddr, __be16 rport,
		 __be16 lport);
void ixdp_tcp_detach(struct ixdp_tcp_pcb *pcb, int reason);
void ixdp_tcp_drop_pcb(struct ixdp_tcp_pcb *pcb, int reason);
void ixdp_tcp_to_time_wait(struct ixdp_tcp_pcb *pcb);

/* Whether @pcb is the connection of a segment from @raddr:@rport to @lport. */
static inline bool tcp_pcb_is(const struct ixdp_tcp_pcb *pcb, __be32 raddr,
			      __be16 rport, __be16 lport)
{
	return pcb->raddr == raddr && pcb->rport == rport &&
	       pcb->lport == lport;
}

/**
 * ixdp_tcp_pcb_lookup() - find the connection of a segment
 * @s: the stack
 * @raddr: the remote address
 * @rport: the remote port
 * @lport: the local port
 *
 * The PCB found last is tried before the hash: a core often gets
 * segments of one connection in a row.  That try is inline; the hash is
 * __ixdp_tcp_pcb_lookup()'s, in tcp_pcb.c.
 *
 * Return: the PCB, or NULL.
 */
static inline struct ixdp_tcp_pcb *ixdp_tcp_pcb_lookup(struct ixdp_stack *s,
						       __be32 raddr,
						       __be16 rport,
						       __be16 lport)
{
	struct ixdp_tcp_pcb *pcb = s->tcp->last;

	if (pcb && tcp_pcb_is(pcb, raddr, rport, lport))
		return pcb;
	return __ixdp_tcp_pcb_lookup(s, raddr, rport, lport);
}

/* tcp_cookie.c: SYN cookies (RFC 4987 3.6) */
bool ixdp_tcp_cookie_needed(const struct ixdp_tcp *tcp,
			    const struct ixdp_tcp_listener *l);
int ixdp_tcp_cookie_syn(struct ixdp_stack *s, struct ixdp_tcp_listener *l,
			const struct ixdp_tcp_seg *seg, __be32 saddr,
			const struct tcphdr *th);
int ixdp_tcp_cookie_check(struct ixdp_stack *s,
			  const struct ixdp_tcp_listener *l, __be32 saddr,
			  const struct tcphdr *th);
bool ixdp_tcp_cookie_opts(struct ixdp_stack *s, const struct ixdp_tcp_seg *seg,
			  unsigned int mssi, struct ixdp_tcp_opts *syn);
u16 ixdp_tcp_cookie_rcv_wnd(const struct ixdp_tcp *tcp);

/* tcp_opt.c: options */
unsigned int ixdp_tcp_opt_build(u8 *p, const struct ixdp_tcp_opts *o);

int __ixdp_tcp_opt_parse(const u8 *p, unsigned int len, bool syn,
			 struct ixdp_tcp_opts *o);

/**
 * ixdp_tcp_opt_parse() - parse the options of a segment
 * @p: the first option byte
 * @len: bytes of options (data offset * 4 - 20), at most 40
 * @syn: whether the segment is a SYN: MSS, window scale and
 *	SACK-permitted count only there
 * @o: filled in; zeroed first but for @o->sack, of which the first
 *	@o->nsack entries are set
 *
 * What nearly every segment carries, two NOPs and the timestamps
 * (RFC 7323 appendix A), is parsed here, inline; any other list by
 * __ixdp_tcp_opt_parse() in tcp_opt.c.
 *
 * Return: 0, or -EINVAL if an option's length is below 2 or runs past
 * the end of the list.
 */
static inline int ixdp_tcp_opt_parse(const u8 *p, unsigned int len, bool syn,
				     struct ixdp_tcp_opts *o)
{
	if (len != IXDP_TCP_OPT_TS_LEN ||
	    get_unaligned_be32(p) != IXDP_TCP_OPT_NOP_NOP_TS)
		return __ixdp_tcp_opt_parse(p, len, syn, o);
	memset(o, 0, offsetof(struct ixdp_tcp_opts, sack));
	o->tsval = get_unaligned_be32(p + 4);
	o->tsecr = get_unaligned_be32(p + 8);
	o->flags = TCPOPT_F_TS;
	return 0;
}

/* tcp_in.c: segment arrival */
u8 ixdp_tcp_wscale(u32 buf);
void ixdp_tcp_pcb_options(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		 const struct iphdr *iph);

/* tcp_out.c: output */
void __ixdp_tcp_output(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_output(struct ixdp_tcp_pcb *pcb);
int ixdp_tcp_send_syn(struct ixdp_tcp_pcb *pcb);
int ixdp_tcp_send_ack(struct ixdp_tcp_pcb *pcb);
int ixdp_tcp_send_rst(struct ixdp_tcp_pcb *pcb);
int ixdp_tcp_retransmit(struct ixdp_tcp_pcb *pcb, u32 seq);
bool ixdp_tcp_can_send(const struct ixdp_tcp_pcb *pcb);
int ixdp_tcp_probe(struct ixdp_tcp_pcb *pcb);
u32 ixdp_tcp_held_max(const struct ixdp_tcp_config *cfg);
int ixdp_tcp_send_keepalive(struct ixdp_tcp_pcb *pcb);
u32 ixdp_tcp_rcv_window(const struct ixdp_tcp_pcb *pcb);
void __ixdp_tcp_sq_acked(struct ixdp_tcp_pcb *pcb, u32 bytes);

/**
 * ixdp_tcp_sq_acked() - release acknowledged bytes of the send queue
 * @pcb: the PCB, before @snd_una moves
 * @bytes: how many, at most @sq_bytes
 *
 * All of it, the usual case of a request or response, is released here,
 * inline; part of it by __ixdp_tcp_sq_acked() in tcp_out.c.
 */
static inline void ixdp_tcp_sq_acked(struct ixdp_tcp_pcb *pcb, u32 bytes)
{
	if (bytes < pcb->sq_bytes) {
		__ixdp_tcp_sq_acked(pcb, bytes);
		return;
	}
	pcb->sq_head = (pcb->sq_head + pcb->sq_n) % IXDP_TCP_SQ;
	pcb->sq_n = 0;
	pcb->sq_off = 0;
	pcb->sq_bytes = 0;
}

/* tcp_timer.c: round trip and timers */
void ixdp_tcp_timers_init(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_timers_stop(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_rtt_sample(struct ixdp_tcp_pcb *pcb, u32 rtt);
void ixdp_tcp_rtt_spurious(struct ixdp_tcp_pcb *pcb, u32 rtt);
u32 ixdp_tcp_rto(const struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_rtx_arm(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_retry_arm(struct ixdp_tcp_pcb *pcb);
unsigned int ixdp_tcp_tx_resume(struct ixdp_stack *s);
void ixdp_tcp_persist_arm(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_pressure_check(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_reclaim(struct ixdp_stack *s);
void ixdp_tcp_fin_wait2_arm(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_time_wait_arm(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_delack(struct ixdp_tcp_pcb *pcb);

/* tcp_cc.c: NewReno congestion control */
void ixdp_tcp_cc_init(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_cc_restart(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_cc_ack(struct ixdp_tcp_pcb *pcb, u32 ack, u32 acked);
void ixdp_tcp_cc_dupack(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_cc_timeout(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_cc_undo(struct ixdp_tcp_pcb *pcb, u32 ack);

/* tcp_sack.c: SACK scoreboard and the blocks we report */
bool ixdp_tcp_sb_update(struct ixdp_tcp_pcb *pcb,
			const struct ixdp_tcp_opts *o);
void ixdp_tcp_sb_trim(struct ixdp_tcp_pcb *pcb);
bool ixdp_tcp_sb_next_hole(const struct ixdp_tcp_pcb *pcb, u32 from,
			   u32 *start, u32 *end);
bool ixdp_tcp_sb_sacked(const struct ixdp_tcp_pcb *pcb, u32 seq);
unsigned int ixdp_tcp_sack_blocks(const struct ixdp_tcp_pcb *pcb,
				  struct ixdp_tcp_sack_block *blk,
				  unsigned int max);

/* tcp_ooo.c: out-of-order queue */
bool ixdp_tcp_ooo_insert(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b,
			 u32 seq);
struct ixdp_buf *ixdp_tcp_ooo_pop(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_ooo_purge(struct ixdp_tcp_pcb *pcb);

/* tcp_icmp.c: ICMP errors about our segments */
int ixdp_tcp_icmp_err(struct ixdp_stack *s, const struct iphdr *qiph,
		      u8 type, u8 code, u16 mtu);
void ixdp_tcp_pmtu_expire(struct ixdp_tcp_pcb *pcb);

/* tcp_keepalive.c: keepalive (RFC 9293 3.8.4) */
int ixdp_tcp_keepalive(struct ixdp_stack *s, u32 handle, u32 idle, u32 intvl,
		       u32 cnt);
void ixdp_tcp_keepalive_fire(struct ixdp_timer *t);

/* tcp_early.c */
void ixdp_tcp_early_add(struct ixdp_tcp_pcb *pcb, struct ixdp_buf *b);
void ixdp_tcp_early_fin(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_early_hand_over(struct ixdp_tcp_pcb *pcb);
void ixdp_tcp_early_purge(struct ixdp_tcp_pcb *pcb);

/* tcp_migrate.c: moving a connection to another core */
int ixdp_tcp_migrate_out(struct ixdp_stack *s, u32 handle,
			 struct ixdp_tcp_mig *rec);
int ixdp_tcp_migrate_out_held(struct ixdp_stack *s, u32 handle,
			      struct ixdp_tcp_mig *rec);
int ixdp_tcp_migrate_check(struct ixdp_stack *s, u32 handle, bool held);
int ixdp_tcp_migrate_in(struct ixdp_stack *s, const struct ixdp_tcp_mig *rec,
			void *cookie, u32 *handle);
bool ixdp_tcp_migrated(struct ixdp_stack *s, __be32 raddr, __be16 rport,
		       __be16 lport);

#endif /* _NET_IXDP_TCP_H */
