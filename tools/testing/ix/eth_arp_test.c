// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/eth.c and arp.c: dispatch and drops, exact ARP
 * replies, learning, the resolution queue, retries and expiry on the
 * timer wheel, the gateway route, and room in the table under a
 * spoofed-source flood.
 */

#include <string.h>

#include "test.h"
#include "net_util.h"

static uint8_t frame[IXDP_BUF_SIZE];

/* Send one UDP datagram of @n bytes of @c to @dst, port 9 to 9. */
static int send_udp(struct tstack *t, uint32_t dst, uint8_t c, size_t n)
{
	struct ixdp_buf *b = ixdp_buf_get(&t->pool);

	if (!b)
		return -ENOBUFS;
	memset(ixdp_buf_put_tail(b, n), c, n);
	return ixdp_udp_send(&t->s, b, cpu_to_be16(9), cpu_to_be32(dst),
			     cpu_to_be16(9));
}

/* Whether @b is an ARP request from us for @tip, exactly. */
static bool is_request(const struct ixdp_buf *b, uint32_t tip)
{
	uint8_t want[42];

	mk_arp(want, bcast_mac, 1, us_mac, US_IP,
	       (const uint8_t[6]){ 0 }, tip);
	return b && b->len == 42 && !memcmp(bdata(b), want, 42);
}

static bool pop_request(struct tstack *t, uint32_t tip)
{
	struct ixdp_buf *b = ts_pop(t);
	bool ok = is_request(b, tip);

	ixdp_buf_put(b);
	return ok;
}

IX_TEST(eth, short_frame_dropped)
{
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, us_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 13);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ETH_SHORT), 1);
	CHECK_EQ(ts_all_drops(&t), 1);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(t.s.stats.rx_frames, 1);
	CHECK(ts_fini(&t));
}

IX_TEST(eth, other_mac_and_multicast_dropped)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, other, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	mk_arp(frame, mcast, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ETH_NOT_US), 2);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(eth, unknown_ethertype_dropped)
{
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, us_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
	put16(frame + 12, 0x86dd);
	ts_rx(&t, frame, 60);
	put16(frame + 12, 0x8100);
	ts_rx(&t, frame, 60);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ETH_PROTO), 2);
	CHECK_EQ(ts_all_drops(&t), 2);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, request_gets_exact_reply)
{
	uint8_t want[42];
	struct ixdp_buf *b;
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	/* Broadcast request, padded to 60 bytes as on the wire. */
	memset(frame, 0xee, 60);
	mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP,
	       (const uint8_t[6]){ 0 }, US_IP);
	ts_rx(&t, frame, 60);
	CHECK_EQ(t.ntx, 1);
	b = ts_pop(&t);
	mk_arp(want, peer_mac, 2, us_mac, US_IP, peer_mac, PEER_IP);
	CHECK_EQ(b->len, 42);
	CHECK(!memcmp(bdata(b), want, 42));
	ixdp_buf_put(b);
	CHECK_EQ(t.s.stats.arp_replies, 1);
	CHECK_EQ(ts_all_drops(&t), 0);
	/* The requester was learnt. */
	CHECK(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP)));
	CHECK_EQ(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->state,
		 IXDP_ARP_REACHABLE);
	CHECK(!memcmp(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->mac,
		      peer_mac, 6));
	CHECK(ts_fini(&t));
}

IX_TEST(arp, request_for_other_ip_ignored)
{
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP,
	       (const uint8_t[6]){ 0 }, US_IP + 7);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ARP_NOT_US), 1);
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP)));
	CHECK_EQ(t.s.arp.used, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, malformed_dropped)
{
	static const size_t bad_off[] = { 14 + 1, 14 + 3, 14 + 4, 14 + 5,
					  14 + 7, 14 + 8 };
	static const uint8_t bad_val[] = { 6, 0xdd, 8, 16, 3, 0x01 };
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 8));
	for (i = 0; i < 6; i++) {
		mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
		frame[bad_off[i]] = bad_val[i];
		ts_rx(&t, frame, 42);
	}
	mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 41);		/* truncated */
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ARP_MALFORMED), 7);
	CHECK_EQ(ts_all_drops(&t), 7);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(t.s.arp.used, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, conflict_and_off_subnet_sender)
{
	static const uint8_t thief[6] = { 0x02, 0, 0, 0, 0, 0x66 };
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, bcast_mac, 1, thief, US_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ARP_CONFLICT), 1);
	CHECK_EQ(t.ntx, 0);
	/* A sender off our subnet is answered but not learnt. */
	mk_arp(frame, bcast_mac, 1, peer_mac, FAR_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(t.s.arp.used, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, unresolved_send_requests_queues_and_flushes)
{
	struct ixdp_buf *b;
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 16));
	for (i = 0; i < 3; i++)
		CHECK_EQ(send_udp(&t, PEER_IP, 'a' + i, 10 + i), 0);
	/* One request, three packets waiting. */
	CHECK_EQ(t.ntx, 1);
	CHECK(pop_request(&t, PEER_IP));
	CHECK_EQ(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->qlen, 3);
	CHECK_EQ(t.pool.avail, 16 - 3);

	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 3);
	for (i = 0; i < 3; i++) {
		b = ts_pop(&t);
		CHECK(!memcmp(bdata(b), peer_mac, 6));
		CHECK(!memcmp(bdata(b) + 6, us_mac, 6));
		CHECK(ip_frame_ok(b) && l4_csum_ok(b));
		CHECK_EQ(b->len, 42 + 10 + i);	/* in order */
		CHECK_EQ(bdata(b)[42], 'a' + i);
		ixdp_buf_put(b);
	}
	CHECK_EQ(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->qlen, 0);
	/* Now resolved: sent at once. */
	CHECK_EQ(send_udp(&t, PEER_IP, 'z', 1), 0);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, queue_bound_drops_and_counts)
{
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 16));
	for (i = 0; i < IXDP_ARP_QLEN + 3; i++)
		send_udp(&t, PEER_IP, 'q', 20);
	CHECK_EQ(t.ntx, 1);		/* a single request */
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ARP_QUEUE_FULL), 3);
	CHECK_EQ(t.pool.avail, 16 - 1 - IXDP_ARP_QLEN);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, retries_then_gives_up)
{
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	send_udp(&t, PEER_IP, 'r', 5);
	send_udp(&t, PEER_IP, 'r', 5);
	CHECK(pop_request(&t, PEER_IP));
	ixdp_stack_advance(&t.s, TS_HZ - 1);
	CHECK_EQ(t.ntx, 0);		/* not early */
	ixdp_stack_advance(&t.s, TS_HZ);
	CHECK(pop_request(&t, PEER_IP));
	ixdp_stack_advance(&t.s, 2 * TS_HZ);
	CHECK(pop_request(&t, PEER_IP));
	CHECK_EQ(t.s.stats.arp_requests, IXDP_ARP_TRIES);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ARP), 0);
	ixdp_stack_advance(&t.s, 3 * TS_HZ);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ARP), 2);
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP)));
	CHECK_EQ(t.s.arp.used, 0);
	CHECK_EQ(t.pool.avail, 16);
	CHECK_EQ(t.s.wheel.pending, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, late_reply_after_retry_resolves)
{
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	send_udp(&t, PEER_IP, 'l', 5);
	ixdp_stack_advance(&t.s, TS_HZ);
	CHECK_EQ(ts_flush(&t), 2);
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 1);
	CHECK(ip_frame_ok(t.tx[0]));
	ts_flush(&t);
	ixdp_stack_advance(&t.s, 5 * TS_HZ);
	CHECK_EQ(t.ntx, 0);		/* no retry once resolved */
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK(ts_fini(&t));
}

/* Whether @b is an ARP request from us for @tip to @dst alone. */
static bool pop_probe(struct tstack *t, uint32_t tip, const uint8_t *dst)
{
	struct ixdp_buf *b = ts_pop(t);
	uint8_t want[42];
	bool ok;

	mk_arp(want, dst, 1, us_mac, US_IP, (const uint8_t[6]){ 0 }, tip);
	ok = b && b->len == 42 && !memcmp(bdata(b), want, 42);
	ixdp_buf_put(b);
	return ok;
}

/*
 * An answer trusted for IXDP_ARP_REACHABLE_S seconds is then confirmed by
 * a request to the neighbour's own MAC, while packets still go there at
 * once: a long flow does not wait for a new resolution.
 */
IX_TEST(arp, old_answer_confirmed_while_in_use)
{
	struct ixdp_buf *b;
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	mk_arp(frame, us_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	ts_flush(&t);
	ixdp_stack_advance(&t.s, IXDP_ARP_REACHABLE_S * TS_HZ - 1);
	CHECK_EQ(t.ntx, 0);
	ixdp_stack_advance(&t.s, IXDP_ARP_REACHABLE_S * TS_HZ);
	CHECK(pop_probe(&t, PEER_IP, peer_mac));
	CHECK_EQ(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->state,
		 IXDP_ARP_PROBE);
	/* Sent at once, not queued. */
	CHECK_EQ(send_udp(&t, PEER_IP, 'p', 5), 0);
	b = ts_pop(&t);
	CHECK(b && ip_frame_ok(b) && !memcmp(bdata(b), peer_mac, 6));
	ixdp_buf_put(b);
	/* The answer: trusted again, nothing more until the next period. */
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->state,
		 IXDP_ARP_REACHABLE);
	ixdp_stack_advance(&t.s, 2 * IXDP_ARP_REACHABLE_S * TS_HZ - 1);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK(ts_fini(&t));
}

/* Confirmations left unanswered: the entry goes, and is resolved anew. */
IX_TEST(arp, unconfirmed_entry_forgotten)
{
	struct tstack t;
	u64 t0 = IXDP_ARP_REACHABLE_S * TS_HZ;

	CHECK(!ts_init(&t, 16));
	mk_arp(frame, us_mac, 1, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	ts_flush(&t);
	ixdp_stack_advance(&t.s, t0);
	CHECK(pop_probe(&t, PEER_IP, peer_mac));
	ixdp_stack_advance(&t.s, t0 + TS_HZ);
	CHECK(pop_probe(&t, PEER_IP, peer_mac));
	ixdp_stack_advance(&t.s, t0 + 2 * TS_HZ);
	CHECK(pop_probe(&t, PEER_IP, peer_mac));
	CHECK(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP)));
	ixdp_stack_advance(&t.s, t0 + 3 * TS_HZ);
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP)));
	CHECK_EQ(t.ntx, 0);
	send_udp(&t, PEER_IP, 'e', 5);
	CHECK(pop_request(&t, PEER_IP));
	CHECK(ts_fini(&t));
}

IX_TEST(arp, known_sender_updated_by_any_arp)
{
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	/* A second on, a gratuitous ARP with a new MAC (RFC 826 merge). */
	ixdp_stack_advance(&t.s, TS_HZ);
	mk_arp(frame, bcast_mac, 1, moved, PEER_IP, (const uint8_t[6]){ 0 },
	       PEER_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 0);
	CHECK(!memcmp(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->mac,
		      moved, 6));
	CHECK(ts_fini(&t));
}

/*
 * A neighbour moved less than a second ago is not moved again: forged
 * ARP packets cannot flip it back and forth (Linux's locktime).
 */
IX_TEST(arp, live_entry_not_moved_twice_in_a_second)
{
	static const uint8_t forged[6] = { 0x02, 0, 0, 0, 0, 0x66 };
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	mk_arp(frame, us_mac, 2, forged, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK(!memcmp(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->mac,
		      peer_mac, 6));
	CHECK_EQ(t.s.stats.arp_moves_refused, 1);
	/* The same MAC again only confirms it. */
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.s.stats.arp_moves_refused, 1);
	ixdp_stack_advance(&t.s, TS_HZ);
	mk_arp(frame, us_mac, 2, forged, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK(!memcmp(ixdp_arp_lookup(&t.s, cpu_to_be32(PEER_IP))->mac,
		      forged, 6));
	CHECK(ts_fini(&t));
}

IX_TEST(arp, off_subnet_goes_to_gateway)
{
	struct ixdp_stack_config cfg;
	struct tstack t;

	CHECK(!ts_init(&t, 16));
	send_udp(&t, FAR_IP, 'g', 5);
	CHECK(pop_request(&t, GW_IP));
	mk_arp(frame, us_mac, 2, gw_mac, GW_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 1);
	CHECK(!memcmp(bdata(t.tx[0]), gw_mac, 6));
	CHECK_EQ(get32(bdata(t.tx[0]) + 30), FAR_IP);
	CHECK(ts_fini(&t));

	ts_default_cfg(&cfg);
	cfg.gateway = 0;
	CHECK(!ts_init_cfg(&t, 16, &cfg));
	CHECK_EQ(send_udp(&t, FAR_IP, 'g', 5), -ENETUNREACH);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ROUTE), 1);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(arp, gratuitous_announce_bytes)
{
	uint8_t want[42];
	struct tstack t;

	CHECK(!ts_init(&t, 4));
	CHECK_EQ(ixdp_arp_announce(&t.s), 0);
	CHECK_EQ(t.ntx, 1);
	mk_arp(want, bcast_mac, 1, us_mac, US_IP, (const uint8_t[6]){ 0 },
	       US_IP);
	CHECK_EQ(t.tx[0]->len, 42);
	CHECK(!memcmp(bdata(t.tx[0]), want, 42));
	CHECK(ts_fini(&t));
}

IX_TEST(arp, pool_empty_request_counted_then_retried)
{
	struct ixdp_buf *held[8];
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 8));
	for (i = 0; i < 8; i++)
		held[i] = ixdp_buf_get(&t.pool);
	CHECK(!ixdp_buf_get(&t.pool));
	/* The packet to send is one of ours; no buffer left for a request. */
	ixdp_buf_put_tail(held[7], 4);
	ixdp_udp_send(&t.s, held[7], cpu_to_be16(9), cpu_to_be32(PEER_IP),
		      cpu_to_be16(9));
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_POOL_EMPTY), 1);
	CHECK_EQ(ixdp_arp_announce(&t.s), -ENOBUFS);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_POOL_EMPTY), 2);
	CHECK(t.pool.empty >= 2);
	for (i = 0; i < 7; i++)
		ixdp_buf_put(held[i]);
	ixdp_stack_advance(&t.s, TS_HZ);
	CHECK(pop_request(&t, PEER_IP));
	CHECK(ts_fini(&t));
}

/* At most IXDP_ARP_UNRES_MAX are unresolved: a new one evicts the oldest. */
IX_TEST(arp, unresolved_capped_oldest_evicted)
{
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 2 * IXDP_ARP_ENTRIES + 8));
	for (i = 0; i < IXDP_ARP_UNRES_MAX; i++)
		send_udp(&t, IP4(198, 18, 0, 10 + i), 'f', 1);
	CHECK_EQ(t.s.arp.used, IXDP_ARP_UNRES_MAX);
	CHECK_EQ(t.s.stats.arp_unres_evicted, 0);
	ts_flush(&t);
	send_udp(&t, IP4(198, 18, 0, 200), 'f', 1);
	CHECK_EQ(t.s.arp.used, IXDP_ARP_UNRES_MAX);
	CHECK_EQ(t.s.arp.nr_unres, IXDP_ARP_UNRES_MAX);
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 10))));
	CHECK(ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 11))));
	CHECK(ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 200))));
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ARP), 1);
	CHECK_EQ(t.s.stats.arp_unres_evicted, 1);
	CHECK(pop_request(&t, IP4(198, 18, 0, 200)));
	CHECK(ts_fini(&t));
}

/* The target MAC of a request. */
static const uint8_t unknown_mac[6];

/* The MAC of 198.18.0.@host when learn() taught it. */
static const uint8_t *learnt_mac(unsigned int host)
{
	static uint8_t mac[6] = { 0x02, 0, 0, 0, 0x77, 0 };

	mac[5] = host;
	return mac;
}

/* Learn @n neighbours from their requests for us, from 198.18.0.@first. */
static void learn(struct tstack *t, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		mk_arp(frame, bcast_mac, 1, learnt_mac(first + i),
		       IP4(198, 18, 0, first + i), unknown_mac, US_IP);
		ts_rx(t, frame, 42);
	}
	ts_flush(t);
}

/*
 * A table of resolved neighbours: the least recently confirmed one makes
 * room, unless it was confirmed within IXDP_ARP_KEEP_S seconds; then the
 * new neighbour is refused and counted.
 */
IX_TEST(arp, full_table_spares_fresh_answers)
{
	struct tstack t;

	CHECK(!ts_init(&t, 2 * IXDP_ARP_ENTRIES + 8));
	learn(&t, 10, IXDP_ARP_ENTRIES);
	CHECK_EQ(t.s.arp.used, IXDP_ARP_ENTRIES);
	ixdp_stack_advance(&t.s, IXDP_ARP_KEEP_S * TS_HZ - 1);
	CHECK_EQ(send_udp(&t, IP4(198, 18, 0, 200), 'f', 1), -ENOBUFS);
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(t.s.stats.arp_table_full, 1);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ARP), 1);
	learn(&t, 201, 1);
	CHECK_EQ(t.s.stats.arp_table_full, 2);
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 201))));
	/* The oldest confirmed again goes to the end of the line. */
	learn(&t, 10, 1);
	ixdp_stack_advance(&t.s, IXDP_ARP_KEEP_S * TS_HZ);
	send_udp(&t, IP4(198, 18, 0, 200), 'f', 1);
	CHECK(pop_request(&t, IP4(198, 18, 0, 200)));
	CHECK(ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 10))));
	CHECK(!ixdp_arp_lookup(&t.s, cpu_to_be32(IP4(198, 18, 0, 11))));
	CHECK_EQ(t.s.stats.arp_table_full, 2);
	CHECK_EQ(t.s.stats.arp_unres_evicted, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(stack, init_rejects_bad_config)
{
	struct ixdp_stack_config cfg;
	struct tstack t;

	ts_default_cfg(&cfg);
	cfg.prefix_len = 33;
	CHECK_EQ(ts_init_cfg(&t, 1, &cfg), -EINVAL);
	CHECK(ts_fini(&t));
	ts_default_cfg(&cfg);
	cfg.mac[0] = 1;			/* multicast */
	CHECK_EQ(ts_init_cfg(&t, 1, &cfg), -EINVAL);
	CHECK(ts_fini(&t));
	ts_default_cfg(&cfg);
	cfg.addr = cpu_to_be32(IP4(224, 0, 0, 1));
	CHECK_EQ(ts_init_cfg(&t, 1, &cfg), -EINVAL);
	CHECK(ts_fini(&t));
	ts_default_cfg(&cfg);
	cfg.gateway = cpu_to_be32(FAR_IP);	/* not on the subnet */
	CHECK_EQ(ts_init_cfg(&t, 1, &cfg), -EINVAL);
	CHECK(ts_fini(&t));
	ts_default_cfg(&cfg);
	cfg.hz = 0;
	CHECK_EQ(ts_init_cfg(&t, 1, &cfg), -EINVAL);
	CHECK(ts_fini(&t));
}

/* Forged neighbours per flood: more than the table holds. */
#define FLOOD	(IXDP_ARP_ENTRIES + IXDP_ARP_ENTRIES / 2)
/* Neighbours learnt besides the gateway and the peer: the table's rest. */
#define NLEARNT	(IXDP_ARP_ENTRIES - IXDP_ARP_UNRES_MAX - 2)

/* A spoofed-source flood: one packet to each of @n forged neighbours. */
static void forged_flood(struct tstack *t, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		send_udp(t, IP4(198, 18, 0, first + i), 's', 1);
	ts_flush(t);
}

/* Whether @ip is resolved to @mac and a datagram to it goes straight out. */
static bool delivered_at_once(struct tstack *t, uint32_t ip,
			      const uint8_t *mac)
{
	const struct ixdp_arp_entry *e = ixdp_arp_lookup(&t->s,
							 cpu_to_be32(ip));
	struct ixdp_buf *b;
	bool ok;

	if (!e || !ixdp_arp_usable(e) || memcmp(e->mac, mac, 6))
		return false;
	ts_flush(t);
	send_udp(t, ip, 'd', 3);
	b = ts_pop(t);
	ok = b && t->ntx == 0 && !memcmp(bdata(b), mac, 6) &&
	     get32(bdata(b) + 30) == ip;
	ixdp_buf_put(b);
	return ok;
}

/*
 * SYN-ACKs to forged on-subnet sources each need a resolution that never
 * completes: however many, they must not evict the neighbours in use.
 */
IX_TEST(arp, flood_keeps_resolved_neighbours)
{
	struct tstack t;
	unsigned int sec;

	CHECK(!ts_init(&t, 4 * IXDP_ARP_ENTRIES + 16));
	mk_arp(frame, us_mac, 2, gw_mac, GW_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	ixdp_stack_advance(&t.s, TS_HZ / 2);
	mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, unknown_mac, US_IP);
	ts_rx(&t, frame, 42);
	/* With them, the flood's share fills the table. */
	learn(&t, 255 - NLEARNT, NLEARNT);
	/* Long enough after the answers that an LRU would take them first. */
	ixdp_stack_advance(&t.s, 10 * TS_HZ);
	forged_flood(&t, 10, FLOOD);
	CHECK(delivered_at_once(&t, GW_IP, gw_mac));
	CHECK(delivered_at_once(&t, PEER_IP, peer_mac));
	for (sec = 11; sec <= 20; sec++)
		ixdp_stack_advance(&t.s, sec * TS_HZ);
	forged_flood(&t, 10 + FLOOD, FLOOD);
	CHECK(delivered_at_once(&t, GW_IP, gw_mac));
	CHECK(delivered_at_once(&t, PEER_IP, peer_mac));
	CHECK_EQ(t.s.arp.used, IXDP_ARP_ENTRIES);
	/* A new client takes a forged entry's place, not an old answer's. */
	learn(&t, 4, 1);
	CHECK(delivered_at_once(&t, IP4(198, 18, 0, 4), learnt_mac(4)));
	CHECK(delivered_at_once(&t, GW_IP, gw_mac));
	CHECK_EQ(t.s.arp.nr_unres, IXDP_ARP_UNRES_MAX - 1);
	/* The first flood's last ones expired before the second. */
	CHECK_EQ(t.s.stats.arp_unres_evicted,
		 2 * (FLOOD - IXDP_ARP_UNRES_MAX) + 1);
	CHECK_EQ(t.s.stats.arp_table_full, 0);
	CHECK(ts_fini(&t));
}

/*
 * A table full of forged, unresolved entries: a fresh client that asks
 * for us is learnt, and stays reachable while the flood goes on.
 */
IX_TEST(arp, fresh_peer_resolved_during_flood)
{
	struct tstack t;

	CHECK(!ts_init(&t, 4 * IXDP_ARP_ENTRIES + 16));
	forged_flood(&t, 10, FLOOD);
	mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, unknown_mac, US_IP);
	ts_rx(&t, frame, 42);
	ts_flush(&t);
	forged_flood(&t, 10 + FLOOD, FLOOD);
	CHECK(delivered_at_once(&t, PEER_IP, peer_mac));
	/* A neighbour we start: its answer comes before many more SYNs. */
	send_udp(&t, GW_IP, 'g', 2);
	CHECK(pop_request(&t, GW_IP));
	forged_flood(&t, 10, 4);
	mk_arp(frame, us_mac, 2, gw_mac, GW_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	CHECK_EQ(t.ntx, 1);
	CHECK(!memcmp(bdata(t.tx[0]), gw_mac, 6));
	CHECK(delivered_at_once(&t, GW_IP, gw_mac));
	CHECK(ts_fini(&t));
}

/*
 * A core joining its device starts with the neighbours another core
 * resolved: it sends to them at once, and confirms them when the other
 * would have, 30 s after their answer; one still being resolved stays
 * the other's.
 */
IX_TEST(arp, joining_core_inherits_resolved_neighbours)
{
	static struct tstack t, j;
	const struct ixdp_arp_entry *e;
	struct ixdp_buf *b;

	CHECK(!ts_init(&t, 16));
	CHECK(!ts_init(&j, 16));
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	ixdp_stack_advance(&t.s, 10 * TS_HZ);
	CHECK_EQ(send_udp(&t, GW_IP, 'g', 5), 0);
	ts_flush(&t);
	ixdp_stack_advance(&j.s, 10 * TS_HZ);
	ixdp_arp_inherit(&j.s, &t.s);
	e = ixdp_arp_lookup(&j.s, cpu_to_be32(PEER_IP));
	CHECK(e && e->state == IXDP_ARP_REACHABLE &&
	      !memcmp(e->mac, peer_mac, 6));
	CHECK(!ixdp_arp_lookup(&j.s, cpu_to_be32(GW_IP)));
	/* Sent at once, no request. */
	CHECK_EQ(send_udp(&j, PEER_IP, 'j', 5), 0);
	b = ts_pop(&j);
	CHECK(b && ip_frame_ok(b) && !memcmp(bdata(b), peer_mac, 6));
	ixdp_buf_put(b);
	CHECK_EQ(j.ntx, 0);
	/* Confirmed 30 s after the answer the other core had. */
	ixdp_stack_advance(&j.s, IXDP_ARP_REACHABLE_S * TS_HZ - 1);
	CHECK_EQ(j.ntx, 0);
	ixdp_stack_advance(&j.s, IXDP_ARP_REACHABLE_S * TS_HZ);
	CHECK(pop_probe(&j, PEER_IP, peer_mac));
	/* Twice: nothing more. */
	ixdp_arp_inherit(&j.s, &t.s);
	CHECK_EQ(j.s.arp.used, 1);
	CHECK_EQ(ts_all_drops(&j), 0);
	CHECK(ts_fini(&j));
	CHECK(ts_fini(&t));
}
