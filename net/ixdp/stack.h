/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp per-core network stack: Ethernet, ARP, IPv4, ICMP and UDP.
 *
 * One struct ixdp_stack per dataplane core, touched by that core only, so
 * nothing here is locked.  Frames run to completion: ixdp_eth_rx()
 * consumes a received buffer, and every reply or packet sent leaves
 * through ops->xmit() before it returns.  Time is in ticks of the
 * caller's choosing (cfg.hz per second), given by ixdp_stack_advance().
 *
 * Ownership: every function that takes a struct ixdp_buf consumes it,
 * on success and on error alike.
 */
#ifndef _NET_IXDP_STACK_H
#define _NET_IXDP_STACK_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/list.h>
#include <linux/types.h>
#include <net/checksum.h>

#include "buf.h"
#include "timer.h"

struct ixdp_handoff;
struct ixdp_stack;
struct ixdp_tcp;

/* Buffer flags of checksum offload (IXDP_BUF_FREE is 0x1, in buf.h). */
#define IXDP_BUF_CSUM_OK	0x2	/* RX: the device verified L4 */
#define IXDP_BUF_CSUM_PARTIAL	0x4	/* TX: the device completes L4 */
#define IXDP_BUF_RX_PARTIAL	0x8	/* RX: L4 to complete; CSUM_OK too */

#define IXDP_OFFLOAD_RX_CSUM	0x1	/* device marks IXDP_BUF_CSUM_OK */
#define IXDP_OFFLOAD_TX_CSUM	0x2	/* device takes IXDP_BUF_CSUM_PARTIAL */
#define IXDP_OFFLOAD_TX_SG	0x4	/* device sends buffers with frags */

/**
 * struct ixdp_stack_ops - what the stack needs from its device
 * @xmit: send one Ethernet frame, the data of @b.  It takes ownership of
 *	@b whatever it returns, and puts it back to its pool once sent.
 *	Frames may be shorter than ETH_ZLEN; the device pads them.  It
 *	must not call back into the stack.  Returns 0 or a negative errno
 *	(counted in the stack's tx_errors).
 * @punt: optional: hand a frame the stack does not serve (punt.c) to
 *	the host's own network stack, as if the device had received it
 *	there.  @b's data is the whole Ethernet frame; it takes ownership
 *	of @b whatever it returns.  It must not call back into the stack.
 *	Returns 0 or a negative errno (counted in punt_errors).
 */
struct ixdp_stack_ops {
	int	(*xmit)(struct ixdp_stack *s, struct ixdp_buf *b);
	int	(*punt)(struct ixdp_stack *s, struct ixdp_buf *b);
};

/**
 * struct ixdp_stack_config - a stack's addresses and clock
 * @mac: its Ethernet address (unicast)
 * @addr: its IPv4 address (unicast)
 * @gateway: next hop for addresses off the subnet; 0 for none
 * @prefix_len: length of the subnet prefix, 0 to 32
 * @mtu: largest IPv4 datagram sent; 0 means ETH_DATA_LEN
 * @hz: ticks per second of the time given to ixdp_stack_advance()
 * @offload: IXDP_OFFLOAD_* the device does.  With IXDP_OFFLOAD_TX_CSUM a
 *	TCP segment leaves flagged IXDP_BUF_CSUM_PARTIAL, its checksum
 *	field holding the pseudo-header sum: the device sums the segment
 *	into it from the start of the TCP header.  With IXDP_OFFLOAD_TX_SG
 *	(and a pool that takes frags) TCP payloads may go as frags of the
 *	buffer (struct ixdp_frag), referencing the application's memory.
 * @punt_rate: frames a second at most handed to ops->punt (punt.c),
 *	with a burst of a tenth of that; 0: none, they are dropped
 */
struct ixdp_stack_config {
	u8	mac[ETH_ALEN];
	__be32	addr;
	__be32	gateway;
	u8	prefix_len;
	u16	mtu;
	u32	hz;
	u32	offload;
	u32	punt_rate;
};

/**
 * enum ixdp_drop_reason - why a buffer was dropped; counted per reason
 * @IXDP_DROP_ETH_SHORT: frame shorter than an Ethernet header
 * @IXDP_DROP_ETH_NOT_US: destination MAC neither ours nor broadcast
 * @IXDP_DROP_ETH_PROTO: EtherType neither ARP nor IPv4
 * @IXDP_DROP_ARP_MALFORMED: short, not Ethernet/IPv4, or bad sender MAC
 * @IXDP_DROP_ARP_NOT_US: ARP packet whose target is another address
 * @IXDP_DROP_ARP_CONFLICT: another host claims our address
 * @IXDP_DROP_ARP_QUEUE_FULL: too many packets awaiting one resolution
 * @IXDP_DROP_NO_ARP: neighbour did not answer, or its entry was evicted
 * @IXDP_DROP_IP_TRUNCATED: frame shorter than the IPv4 header or datagram
 * @IXDP_DROP_IP_VERSION: version is not 4
 * @IXDP_DROP_IP_IHL: header length below 5 words
 * @IXDP_DROP_IP_BAD_LEN: total length shorter than the header
 * @IXDP_DROP_IP_CSUM: bad header checksum
 * @IXDP_DROP_IP_FRAGMENT: a fragment; reassembly is not supported
 * @IXDP_DROP_IP_TTL: received with TTL 0
 * @IXDP_DROP_IP_NOT_US: destination is not our unicast address
 * @IXDP_DROP_IP_BAD_SRC: source is not a unicast host address
 * @IXDP_DROP_IP_PROTO: protocol not handled (protocol unreachable sent)
 * @IXDP_DROP_NO_ROUTE: destination off the subnet and no gateway
 * @IXDP_DROP_TOO_BIG: datagram larger than the MTU
 * @IXDP_DROP_NO_ROOM: not enough headroom to prepend the headers
 * @IXDP_DROP_ICMP_SHORT: ICMP message shorter than its header
 * @IXDP_DROP_ICMP_CSUM: bad ICMP checksum
 * @IXDP_DROP_ICMP_TYPE: ICMP type not handled
 * @IXDP_DROP_UDP_BAD_LEN: UDP length below 8 or beyond the datagram
 * @IXDP_DROP_UDP_CSUM: bad UDP checksum
 * @IXDP_DROP_UDP_NO_PORT: no binding (port unreachable sent)
 * @IXDP_DROP_TCP_MALFORMED: short TCP segment or bad data offset
 * @IXDP_DROP_TCP_CSUM: bad TCP checksum
 * @IXDP_DROP_TCP_RST: RST to a closed port: never answered
 * @IXDP_DROP_TCP_CLOSED: segment to a closed port (RST sent)
 * @IXDP_DROP_POOL_EMPTY: no buffer to build a packet in
 * @IXDP_DROP_MAX: number of reasons
 */
enum ixdp_drop_reason {
	IXDP_DROP_ETH_SHORT,
	IXDP_DROP_ETH_NOT_US,
	IXDP_DROP_ETH_PROTO,
	IXDP_DROP_ARP_MALFORMED,
	IXDP_DROP_ARP_NOT_US,
	IXDP_DROP_ARP_CONFLICT,
	IXDP_DROP_ARP_QUEUE_FULL,
	IXDP_DROP_NO_ARP,
	IXDP_DROP_IP_TRUNCATED,
	IXDP_DROP_IP_VERSION,
	IXDP_DROP_IP_IHL,
	IXDP_DROP_IP_BAD_LEN,
	IXDP_DROP_IP_CSUM,
	IXDP_DROP_IP_FRAGMENT,
	IXDP_DROP_IP_TTL,
	IXDP_DROP_IP_NOT_US,
	IXDP_DROP_IP_BAD_SRC,
	IXDP_DROP_IP_PROTO,
	IXDP_DROP_NO_ROUTE,
	IXDP_DROP_TOO_BIG,
	IXDP_DROP_NO_ROOM,
	IXDP_DROP_ICMP_SHORT,
	IXDP_DROP_ICMP_CSUM,
	IXDP_DROP_ICMP_TYPE,
	IXDP_DROP_UDP_BAD_LEN,
	IXDP_DROP_UDP_CSUM,
	IXDP_DROP_UDP_NO_PORT,
	IXDP_DROP_TCP_MALFORMED,
	IXDP_DROP_TCP_CSUM,
	IXDP_DROP_TCP_RST,
	IXDP_DROP_TCP_CLOSED,
	IXDP_DROP_POOL_EMPTY,
	IXDP_DROP_MAX
};

/**
 * struct ixdp_tcp_stats - TCP counters of a stack, over every TCP table it had
 * @segs_in: segments received to a connection or listener
 * @segs_out: segments sent
 * @bad_csum: segments with a bad checksum
 * @malformed: segments with a bad header or options
 * @rexmits: segments sent again
 * @fast_rexmits: fast retransmits on three duplicate ACKs
 * @partial_acks: NewReno partial acknowledgments
 * @sack_rexmits: holes filled from the SACK scoreboard
 * @lost_rexmits: retransmissions of @snd_una found lost again by SACK
 * @timeouts: retransmission timeouts
 * @dupacks: duplicate ACKs received
 * @ooo_queued: segments queued out of order
 * @ooo_dropped: out-of-order segments dropped (queue full, duplicate)
 * @pool_low_drops: segments whose data was dropped because the pool was
 *	down to its reserve and their connection held its share of it
 *	(ixdp_stack_pool_low())
 * @held_drops: segments whose data was dropped because their connection
 *	held as many buffers as its window allows (ixdp_tcp_held_max())
 * @tw_overflow: connections closed without TIME_WAIT, half the table
 *	being in it already
 * @tw_reused: TIME_WAIT connections ended by a new SYN of the same
 *	4-tuple (RFC 6191)
 * @tw_rst_ignored: RSTs ignored in TIME_WAIT (RFC 1337)
 * @fin_wait2_timeouts: connections reset after @fin_timeout in
 *	FIN_WAIT_2 without a word from the peer
 * @keepalive_probes: keepalive probes sent (tcp_keepalive.c)
 * @keepalive_drops: connections reset because their keepalive probes
 *	went unanswered
 * @early_held: segments held for a connection not yet accepted
 * @early_dropped: segments dropped because IXDP_TCP_EARLY_MAX were held
 * @probes: zero window probes sent
 * @persist_drops: connections dropped after IXDP_TCP_MAX_RETRIES zero
 *	window probes in a row went unanswered
 * @pressure_drops: connections reset at a zero window because they held
 *	their share of the pool's reserve (tcp_timer.c)
 * @cwnd_restarts: congestion windows restarted after idle (RFC 5681 4.1)
 * @delacks: ACKs sent by the delayed ACK timer
 * @syn_refused: SYNs refused, and handshakes completed by a SYN cookie
 *	dropped (backlog full or no PCB)
 * @challenge_acks: RFC 5961 challenge ACKs sent
 * @challenge_acks_limited: challenge ACKs not sent: the connection's rate
 *	limit or the core's budget of the second was spent
 * @cookies_sent: SYN-ACKs sent with a SYN cookie, keeping no state
 * @cookies_valid: ACKs whose SYN cookie was good
 * @cookies_rejected: ACKs to a listener sending cookies whose cookie was
 *	bad or stale (answered with RST)
 * @resets_in: connections reset by the peer
 * @resets_out: RST segments sent by connections
 * @paws_drops: segments failing the RFC 7323 PAWS test
 * @rto_deferred: times a retransmission timeout was put off by half a
 *	second, neither counted nor backed off, while the device had a
 *	backlog to send (one timeout may be put off several times)
 * @tx_refused: segments the device's full queue refused; what their
 *	connections owe is sent as the queue drains (ixdp_tcp_tx_resume())
 * @tx_resumed: connections served, as the queue drained, after it had
 *	refused them (ixdp_tcp_tx_resume())
 * @spurious_rtos: timeouts an ACK proved spurious (its TSecr older than
 *	the timeout): the window given back, the RTT estimate lifted
 * @late_lifts: of those, the ones whose estimate was lifted only when a
 *	D-SACK of the retransmission came later (a peer not yet known to
 *	send D-SACKs)
 * @oow_acks_limited: ACKs not sent, by the connection's rate limit, to
 *	segments out of window, failing PAWS or acknowledging unsent data
 * @pmtu_updates: connections whose path MTU an ICMP fragmentation needed
 *	lowered (RFC 1191)
 * @pmtu_expired: path MTUs set back to the stack's MTU, IXDP_TCP_PMTU_EXPIRES
 *	after they were last lowered (RFC 1191 6.3)
 * @icmp_ignored: ICMP errors that quote a segment in flight and change
 *	nothing: soft errors (RFC 5461), a path MTU not below the current
 *	one or 0, or a connection not yet synchronized
 * @active: connections opened actively
 * @passive: connections opened passively
 * @closed: connections gone, every cause but a move to another core
 * @migrated_out: connections moved to another core (tcp_migrate.c)
 * @migrated_in: connections moved in from another core
 * @migrate_refused: moves refused, out or in: a connection that could not
 *	move yet, a bad record, a 4-tuple already here, a full table
 * @moved_overflow: connections that moved away forgotten before their
 *	time (IXDP_TCP_MOVED_S) because IXDP_TCP_MOVED moved after them
 *
 * Connections open on a core: @active + @passive + @migrated_in -
 * @closed - @migrated_out.
 */
struct ixdp_tcp_stats {
	u64	segs_in;
	u64	segs_out;
	u64	bad_csum;
	u64	malformed;
	u64	rexmits;
	u64	fast_rexmits;
	u64	partial_acks;
	u64	sack_rexmits;
	u64	lost_rexmits;
	u64	timeouts;
	u64	dupacks;
	u64	ooo_queued;
	u64	ooo_dropped;
	u64	pool_low_drops;
	u64	held_drops;
	u64	tw_overflow;
	u64	tw_reused;
	u64	tw_rst_ignored;
	u64	fin_wait2_timeouts;
	u64	keepalive_probes;
	u64	keepalive_drops;
	u64	early_held;
	u64	early_dropped;
	u64	probes;
	u64	persist_drops;
	u64	pressure_drops;
	u64	cwnd_restarts;
	u64	delacks;
	u64	syn_refused;
	u64	challenge_acks;
	u64	challenge_acks_limited;
	u64	cookies_sent;
	u64	cookies_valid;
	u64	cookies_rejected;
	u64	resets_in;
	u64	resets_out;
	u64	paws_drops;
	u64	rto_deferred;
	u64	tx_refused;
	u64	tx_resumed;
	u64	spurious_rtos;
	u64	late_lifts;
	u64	oow_acks_limited;
	u64	pmtu_updates;
	u64	pmtu_expired;
	u64	icmp_ignored;
	u64	active;
	u64	passive;
	u64	closed;
	u64	migrated_out;
	u64	migrated_in;
	u64	migrate_refused;
	u64	moved_overflow;
};

/**
 * struct ixdp_stack_stats - a stack's counters
 * @rx_frames: frames given to ixdp_eth_rx()
 * @tx_frames: frames given to ops->xmit()
 * @tx_errors: frames ops->xmit() failed
 * @arp_requests: ARP requests sent, gratuitous ones included
 * @arp_replies: ARP replies sent
 * @arp_moves_refused: ARP packets that would have moved a neighbour to
 *	another MAC within a second of its last move (ignored)
 * @arp_unres_evicted: unresolved neighbour entries evicted to make room
 *	(their waiting packets are dropped as IXDP_DROP_NO_ARP)
 * @arp_table_full: neighbour entries not made: every entry was resolved
 *	within IXDP_ARP_KEEP_S seconds (the packet is dropped as
 *	IXDP_DROP_NO_ARP, an ARP packet's sender is not learnt)
 * @icmp_echo_replies: echo replies sent
 * @icmp_errors: destination unreachable messages sent
 * @icmp_errors_limited: destination unreachable messages not sent: the
 *	core's token bucket (@icmp_bucket of struct ixdp_stack) was empty
 * @icmp_errors_rejected: ICMP errors received quoting a TCP segment that
 *	matches no connection of ours, or whose sequence number is not in
 *	flight (RFC 5927 4.1), or with a quote too short to tell
 * @udp_rx: datagrams delivered to a binding
 * @udp_tx: datagrams sent
 * @tcp_resets: RST segments sent
 * @tcp_resets_ack_only: of @tcp_resets, those answering a segment of no
 *	connection (none, or only a listener, had its 4-tuple) that carried
 *	an ACK and nothing else: most often the peer's second ACK of a FIN
 *	sent twice, the first having ended the connection (Linux answers
 *	it so too)
 * @handoff_out: frames handed to another core of the device (handoff.c)
 * @handoff_in: frames another core handed to this one
 * @handoff_drops: frames not handed over: the ring to the core was full
 * @handoff_arp: ARP packets passed to the other cores, in @handoff_out
 * @punted: frames handed to the host's stack (punt.c)
 * @punted_bytes: their bytes, Ethernet headers included
 * @punt_limited: frames for the host's stack dropped over
 *	&struct ixdp_stack_config.punt_rate (also counted as drops by reason)
 * @punt_errors: frames ops->punt refused (no memory, its queue full)
 * @tcp: the counters of its TCP tables
 * @drops: buffers dropped, per enum ixdp_drop_reason
 */
struct ixdp_stack_stats {
	u64	rx_frames;
	u64	tx_frames;
	u64	tx_errors;
	u64	arp_requests;
	u64	arp_moves_refused;
	u64	arp_unres_evicted;
	u64	arp_table_full;
	u64	arp_replies;
	u64	icmp_echo_replies;
	u64	icmp_errors;
	u64	icmp_errors_limited;
	u64	icmp_errors_rejected;
	u64	udp_rx;
	u64	udp_tx;
	u64	tcp_resets;
	u64	tcp_resets_ack_only;
	u64	handoff_out;
	u64	handoff_in;
	u64	handoff_drops;
	u64	handoff_arp;
	u64	punted;
	u64	punted_bytes;
	u64	punt_limited;
	u64	punt_errors;
	struct ixdp_tcp_stats tcp;
	u64	drops[IXDP_DROP_MAX];
};

#define IXDP_ARP_ENTRIES	64	/* power of two */
#define IXDP_ARP_QLEN		4	/* packets held per unresolved entry */
#define IXDP_ARP_TRIES		3	/* requests sent before giving up */
#define IXDP_ARP_REACHABLE_S	30	/* seconds an answer is trusted */
/* At most this many entries are unresolved at once: a quarter. */
#define IXDP_ARP_UNRES_MAX	(IXDP_ARP_ENTRIES / 4)
#define IXDP_ARP_KEEP_S		5	/* a fresh answer is never evicted */

enum ixdp_arp_state {
	IXDP_ARP_FREE,
	IXDP_ARP_INCOMPLETE,
	IXDP_ARP_REACHABLE,
	IXDP_ARP_PROBE,		/* its answer is old: being confirmed */
};

/**
 * struct ixdp_arp_entry - one neighbour
 * @node: link in its hash bucket while in use
 * @lru: link in the table's @unres or @lru list while in use, or @free
 * @timer: next request (INCOMPLETE, PROBE) or end of trust (REACHABLE)
 * @stack: the stack it belongs to, for @timer's callback
 * @ip: the neighbour's address
 * @mac: its Ethernet address once REACHABLE, and while PROBE
 * @state: enum ixdp_arp_state
 * @tries: requests sent while INCOMPLETE or PROBE
 * @moved_at: the stack's clock when @mac was last set
 * @confirmed_at: the stack's clock when an ARP packet last confirmed it
 * @qlen: packets in @queue
 * @queue: packets awaiting resolution, oldest first
 */
struct ixdp_arp_entry {
	struct hlist_node	node;
	struct list_head	lru;
	struct ixdp_timer	timer;
	struct ixdp_stack	*stack;
	__be32			ip;
	u8			mac[ETH_ALEN];
	u8			state;
	u8			tries;
	u8			qlen;
	u64			moved_at;
	u64			confirmed_at;
	struct ixdp_buf		*queue[IXDP_ARP_QLEN];
};

/**
 * struct ixdp_arp_table - the neighbours of one stack
 * @buckets: entries in use, hashed by address
 * @unres: entries being resolved (INCOMPLETE), oldest first
 * @lru: resolved entries (REACHABLE, PROBE), least recently confirmed
 *	first
 * @free: entries not in use
 * @used: number of entries in use
 * @nr_unres: number of entries on @unres, at most IXDP_ARP_UNRES_MAX
 * @gen: moves whenever an entry is resolved, updated or freed, so that
 *	headers prebuilt from the table (struct ixdp_ip_tpl) go stale
 * @entries: all entries
 *
 * One table per core, touched by that core alone; what one core learns
 * reaches the others through ixdp_handoff_arp().
 */
struct ixdp_arp_table {
	struct hlist_head	buckets[IXDP_ARP_ENTRIES];
	struct list_head	unres;
	struct list_head	lru;
	struct list_head	free;
	unsigned int		used;
	unsigned int		nr_unres;
	u64			gen;
	struct ixdp_arp_entry	entries[IXDP_ARP_ENTRIES];
};

/**
 * struct ixdp_ip_tpl - the Ethernet and IPv4 headers of a flow, prebuilt
 * @arp_gen: the neighbour table's @gen when built; 0 (never current) or
 *	any other value means stale
 * @sum: the sum of the IPv4 header with length, ID and checksum zero
 * @pad: aligns @ip
 * @eth: the Ethernet header, the neighbour's MAC resolved
 * @ip: the IPv4 header, right behind @eth: length, ID and checksum zero
 *
 * Built by ixdp_ip_tpl_build(), used by ixdp_ip_output_tpl(); a zeroed
 * template is stale.
 */
struct ixdp_ip_tpl {
	u64		arp_gen;
	__wsum		sum;
	u8		pad[2];
	struct ethhdr	eth;
	struct iphdr	ip;
};

/* ICMP errors a core sends: Linux's icmp_msgs_per_sec and _burst. */
#define IXDP_ICMP_RATE		1000	/* a second */
#define IXDP_ICMP_BURST		50

/**
 * struct ixdp_bucket - a token bucket (ixdp_bucket_take())
 * @stamp: when it was last filled, in ticks
 * @tokens: what may go now, its burst at most
 */
struct ixdp_bucket {
	u64	stamp;
	u32	tokens;
};

#define IXDP_UDP_BINDS		64	/* ports bound at most */
#define IXDP_UDP_SLOTS		128	/* power of two, > IXDP_UDP_BINDS */

/**
 * struct ixdp_udp_bind - a bound UDP port
 * @port: the port, 0 if the slot is free
 * @rx: called with each datagram to @port; it owns @b, whose data is the
 *	payload, and learns the sender's address and port
 * @cookie: passed to @rx
 */
struct ixdp_udp_bind {
	__be16	port;
	void	(*rx)(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		      __be32 saddr, __be16 sport);
	void	*cookie;
};

/**
 * struct ixdp_stack - the network stack of one dataplane core
 * @cfg: addresses and clock, fixed at init
 * @mask: the subnet mask from @cfg.prefix_len
 * @ops: the device's operations
 * @pool: buffers for packets the stack makes itself
 * @now: the latest tick given to ixdp_stack_advance()
 * @wheel: the stack's timers
 * @ip_id: identification of the next IPv4 datagram sent
 * @icmp_bucket: what it may still send of ICMP errors
 * @punt_bucket: what it may still hand to the host's stack
 * @arp: the neighbour table
 * @nudp: number of bound UDP ports
 * @udp: bound UDP ports, hashed by port with linear probing
 * @tcp: TCP state, from ixdp_tcp_init(); NULL: every port is closed
 * @handoff: the other cores of the device, NULL if it has one
 *	(handoff.h)
 * @core: the stack's index among them
 * @relay: while a frame another core handed over is received: the cores
 *	that have seen it, a bit each; 0 otherwise
 * @tx_backlog: set by the core: at its last flush, the device refused
 *	half its transmit queue or more, so a retransmission timeout waits
 *	too (tcp_timer.c)
 * @stats: counters
 */
struct ixdp_stack {
	struct ixdp_stack_config	cfg;
	__be32				mask;
	const struct ixdp_stack_ops	*ops;
	struct ixdp_pool		*pool;
	u64				now;
	struct ixdp_wheel		wheel;
	u16				ip_id;
	struct ixdp_bucket		icmp_bucket;
	struct ixdp_bucket		punt_bucket;
	struct ixdp_arp_table		arp;
	unsigned int			nudp;
	struct ixdp_udp_bind		udp[IXDP_UDP_SLOTS];
	struct ixdp_tcp			*tcp;
	struct ixdp_handoff		*handoff;
	unsigned int			core;
	u32				relay;
	bool				tx_backlog;
	struct ixdp_stack_stats		stats;
};

/*
 * Whether @b, a TCP segment or UDP datagram of @proto after @iph, has a
 * good checksum: the device's word (IXDP_BUF_CSUM_OK), else summed.
 */
static inline bool ixdp_l4_csum_ok(const struct ixdp_buf *b,
				   const struct iphdr *iph, u8 proto)
{
	if (b->flags & IXDP_BUF_CSUM_OK)
		return true;
	return !csum_tcpudp_magic(iph->saddr, iph->daddr, b->len, proto,
				  csum_partial(ixdp_buf_data(b), b->len, 0));
}

/*
 * Whether the pool is down to its reserve: an eighth or less free.
 * Received data is then held (queued out of order, or handed to an
 * application that gives buffers back later) only for a connection that
 * holds less than its share of the reserve (IXDP_TCP_RESERVE_SHARE;
 * datagrams not at all), and not at all once the last thirty-second is
 * reached (ixdp_stack_pool_last()).  The rest is dropped, for the peer
 * to send again, so that the receive rings can always be stocked and the
 * core never stops receiving, whoever holds the rest, while a fresh
 * connection still gets through those that hoard.
 */
static inline bool ixdp_stack_pool_low(const struct ixdp_stack *s)
{
	return s->pool->avail <= s->pool->total / 8;
}

static inline bool ixdp_stack_pool_last(const struct ixdp_stack *s)
{
	return s->pool->avail < s->pool->total / 32;
}

/* Whether packets may go to @e's address now. */
static inline bool ixdp_arp_usable(const struct ixdp_arp_entry *e)
{
	return e->state == IXDP_ARP_REACHABLE || e->state == IXDP_ARP_PROBE;
}

/**
 * ixdp_eth_xmit() - transmit a frame whose Ethernet header is in place
 * @s: the stack
 * @b: the frame, consumed
 *
 * Return: 0 or ops->xmit()'s error.
 */
static inline int ixdp_eth_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	int ret;

	s->stats.tx_frames++;
	ret = s->ops->xmit(s, b);
	if (ret)
		s->stats.tx_errors++;
	return ret;
}

/* stack.c */
int ixdp_stack_init(struct ixdp_stack *s, const struct ixdp_stack_config *cfg,
		    const struct ixdp_stack_ops *ops, struct ixdp_pool *pool,
		    u64 now);
void ixdp_stack_teardown(struct ixdp_stack *s);
bool ixdp_bucket_take(const struct ixdp_stack *s, struct ixdp_bucket *tb,
		      u32 rate, u32 burst);
void ixdp_stack_drop(struct ixdp_stack *s, struct ixdp_buf *b,
		     enum ixdp_drop_reason why);

/**
 * ixdp_stack_advance() - move the stack's clock on
 * @s: the stack
 * @now: the current tick; going backwards is ignored
 *
 * Runs the timers now due (ARP retries and expiries), which may transmit.
 *
 * Return: the number of timers that fired.
 */
static inline unsigned int ixdp_stack_advance(struct ixdp_stack *s, u64 now)
{
	if (now < s->now)
		return 0;
	s->now = now;
	return ixdp_wheel_advance(&s->wheel, now);
}

/* eth.c */
void ixdp_eth_rx(struct ixdp_stack *s, struct ixdp_buf *b);

/* punt.c: the frames of the host's own stack */
void ixdp_punt_init(struct ixdp_stack *s);
void ixdp_punt(struct ixdp_stack *s, struct ixdp_buf *b,
	       enum ixdp_drop_reason why);
int ixdp_eth_output(struct ixdp_stack *s, struct ixdp_buf *b, const u8 *dst,
		    __be16 proto);

/* arp.c */
void ixdp_arp_init(struct ixdp_stack *s);
void ixdp_arp_inherit(struct ixdp_stack *s, const struct ixdp_stack *from);
void ixdp_arp_forget_pending(struct ixdp_stack *s);
void ixdp_arp_teardown(struct ixdp_stack *s);
void ixdp_arp_rx(struct ixdp_stack *s, struct ixdp_buf *b);
int ixdp_arp_output(struct ixdp_stack *s, struct ixdp_buf *b, __be32 nexthop);
int ixdp_arp_announce(struct ixdp_stack *s);
const struct ixdp_arp_entry *ixdp_arp_lookup(const struct ixdp_stack *s,
					     __be32 ip);

/* ipv4.c */
void ixdp_ip_rx(struct ixdp_stack *s, struct ixdp_buf *b);
int ixdp_ip_output(struct ixdp_stack *s, struct ixdp_buf *b, __be32 daddr,
		   u8 proto);
int ixdp_ip_tpl_build(struct ixdp_stack *s, struct ixdp_ip_tpl *t,
		      __be32 daddr, u8 proto);
int ixdp_ip_output_tpl(struct ixdp_stack *s, struct ixdp_buf *b,
		       struct ixdp_ip_tpl *t, __be32 daddr, u8 proto);
bool ixdp_ip_unicast_src(const struct ixdp_stack *s, __be32 addr);
void ixdp_tcp_rx_closed(struct ixdp_stack *s, struct ixdp_buf *b,
			const struct iphdr *iph);
void ixdp_tcp_rx_refused(struct ixdp_stack *s, struct ixdp_buf *b,
			 const struct iphdr *iph);

/* icmp.c */
void ixdp_icmp_init(struct ixdp_stack *s);
void ixdp_icmp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		  const struct iphdr *iph);
void ixdp_icmp_unreach(struct ixdp_stack *s, struct ixdp_buf *b,
		       const struct iphdr *iph, u8 code);

/* udp.c */
int ixdp_udp_bind(struct ixdp_stack *s, __be16 port,
		  void (*rx)(struct ixdp_stack *s, void *cookie,
			     struct ixdp_buf *b, __be32 saddr, __be16 sport),
		  void *cookie);
int ixdp_udp_unbind(struct ixdp_stack *s, __be16 port);
void ixdp_udp_rx(struct ixdp_stack *s, struct ixdp_buf *b,
		 const struct iphdr *iph);
int ixdp_udp_send(struct ixdp_stack *s, struct ixdp_buf *b, __be16 sport,
		  __be32 daddr, __be16 dport);

#endif /* _NET_IXDP_STACK_H */
