// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/punt.c (issue "Linux shares the NIC"): what the
 * dataplane does not serve goes to the host's stack, byte for byte, and
 * only that; the rate that bounds a flood aimed at the host; refusals
 * counted; without a punt op everything is dropped as before.
 */

#include <string.h>

#include "test.h"
#include "net_util.h"

#define HOST_IP		IP4(198, 18, 0, 99)	/* the host's own address */

static struct tstack ts;
static uint8_t frame[IXDP_BUF_SIZE];
static const uint8_t v6_mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x77 };

/* Receive @len bytes of @frame; true if handed to the host unchanged. */
static bool punted_as_is(struct tstack *t, size_t len)
{
	unsigned int n = t->npunted;
	struct ixdp_buf *b;

	ts_rx(t, frame, len);
	if (t->npunted != n + 1)
		return false;
	b = t->punted[n];
	return b->len == len && !memcmp(ixdp_buf_data(b), frame, len);
}

IX_TEST(punt, host_traffic_goes_to_the_host)
{
	struct tstack *t = &ts;
	uint64_t bytes = 0, drops;
	size_t len;

	CHECK(!ts_init_punt(t, 64, 1000));
	drops = ts_all_drops(t);
	/* IPv4 to the host's address, and broadcast. */
	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "ssh", 3);
	CHECK(punted_as_is(t, len));
	bytes += len;
	len = mk_udp(frame, PEER_IP, IP4(255, 255, 255, 255), 68, 67, "dhcp", 4);
	CHECK(punted_as_is(t, len));
	bytes += len;
	/* A fragment for the host: reassembly is its business. */
	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "frag", 4);
	put16(frame + 20, 0x2000);
	fix_ip_csum(frame);
	CHECK(punted_as_is(t, len));
	bytes += len;
	/* ARP about the host's address. */
	len = mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, bcast_mac,
		     HOST_IP);
	CHECK(punted_as_is(t, len));
	bytes += len;
	/* IPv6, to our MAC and to a multicast group. */
	len = mk_eth(frame, us_mac, peer_mac, 0x86dd) + 40;
	memset(frame + 14, 0x60, 40);
	CHECK(punted_as_is(t, len));
	bytes += len;
	memcpy(frame, v6_mcast, 6);
	CHECK(punted_as_is(t, len));
	bytes += len;
	CHECK_EQ(t->s.stats.punted, 6);
	CHECK_EQ(t->s.stats.punted_bytes, bytes);
	CHECK_EQ(ts_all_drops(t), drops);
	/* None of it answered here. */
	CHECK_EQ(t->ntx, 0);
	/* Ours stays ours: ARP for our address, ping to it. */
	len = mk_arp(frame, bcast_mac, 1, peer_mac, PEER_IP, bcast_mac,
		     US_IP);
	ts_rx(t, frame, len);
	len = mk_echo(frame, PEER_IP, 1, 1, "ping", 4);
	ts_rx(t, frame, len);
	CHECK_EQ(t->ntx, 2);
	/* Unicast to another MAC is nobody's here. */
	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "x", 1);
	memcpy(frame, other_mac, 6);
	ts_rx(t, frame, len);
	CHECK_EQ(t->s.stats.punted, 6);
	CHECK_EQ(ts_drops(t, IXDP_DROP_ETH_NOT_US), 1);
	CHECK(ts_fini(t));
}

/*
 * A flood at the host gets through at the rate and its burst, a tenth
 * of it: 100 a second, 16 at once (the least burst), the rest dropped
 * and counted both as over the rate and by reason.
 */
IX_TEST(punt, rate_bounds_a_flood_at_the_host)
{
	struct tstack *t = &ts;
	unsigned int i, k, sent = 0;
	size_t len;

	CHECK(!ts_init_punt(t, 64, 100));
	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "flood", 5);
	for (i = 0; i < 200; i++)
		CHECK(ts_rx(t, frame, len));
	sent += 200;
	CHECK_EQ(t->s.stats.punted, 16);
	ts_flush(t);
	/* A second of 5 frames a millisecond: 100 more. */
	for (k = 1; k <= 1000; k++) {
		ixdp_stack_advance(&t->s, k);
		for (i = 0; i < 5; i++)
			CHECK(ts_rx(t, frame, len));
		sent += 5;
		ts_flush(t);
	}
	CHECK(t->s.stats.punted >= 16 + 99 && t->s.stats.punted <= 16 + 100);
	CHECK_EQ(t->s.stats.punt_limited, sent - t->s.stats.punted);
	CHECK_EQ(ts_drops(t, IXDP_DROP_IP_NOT_US), t->s.stats.punt_limited);
	CHECK_EQ(t->s.stats.punt_errors, 0);
	CHECK(ts_fini(t));
}

/* A punt op that refuses: counted, the buffer back in the pool. */
IX_TEST(punt, refusal_counted_and_nothing_lost)
{
	struct tstack *t = &ts;
	size_t len;

	CHECK(!ts_init_punt(t, 64, 1000));
	t->punt_ret = -ENOBUFS;
	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "x", 1);
	ts_rx(t, frame, len);
	CHECK_EQ(t->s.stats.punt_errors, 1);
	CHECK_EQ(t->s.stats.punted, 0);
	CHECK_EQ(t->pool.avail, t->pool.total);
	CHECK(ts_fini(t));
}

/* No punt op, or a rate of 0, or a copy from another core: dropped. */
IX_TEST(punt, dropped_without_a_way_to_the_host)
{
	struct tstack *t = &ts;
	size_t len;

	len = mk_udp(frame, PEER_IP, HOST_IP, 5000, 22, "x", 1);
	CHECK(!ts_init_peer(t, 64));
	ts_rx(t, frame, len);
	CHECK_EQ(ts_drops(t, IXDP_DROP_IP_NOT_US), 1);
	CHECK(ts_fini(t));
	CHECK(!ts_init_punt(t, 64, 0));
	ts_rx(t, frame, len);
	CHECK_EQ(ts_drops(t, IXDP_DROP_IP_NOT_US), 1);
	CHECK_EQ(t->npunted, 0);
	CHECK(ts_fini(t));
	CHECK(!ts_init_punt(t, 64, 1000));
	t->s.relay = 2;
	ts_rx(t, frame, len);
	t->s.relay = 0;
	CHECK_EQ(ts_drops(t, IXDP_DROP_IP_NOT_US), 1);
	CHECK_EQ(t->npunted, 0);
	CHECK_EQ(t->s.stats.punted, 0);
	CHECK(ts_fini(t));
}
