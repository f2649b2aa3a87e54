// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/ipv4.c input: each validation rule drops with its own
 * counter and nothing else; padding is trimmed, options are skipped, and
 * an unknown protocol gets a protocol unreachable.
 */

#include <string.h>

#include "test.h"
#include "net_util.h"

static uint8_t frame[IXDP_BUF_SIZE];

struct bound {
	unsigned int	n;
	size_t		len;
	uint8_t		data[64];
};

static void bound_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		     __be32 saddr, __be16 sport)
{
	struct bound *r = cookie;

	r->n++;
	r->len = b->len;
	memcpy(r->data, ixdp_buf_data(b), b->len < 64 ? b->len : 64);
	ixdp_buf_put(b);
}

/*
 * Feed a UDP datagram to a bound port after @mangle; check that exactly
 * one drop, for @why, happened, and nothing was delivered or sent.
 */
#define CHECK_IP_DROP(why, mangle, flen)				\
	do {								\
		struct bound r = { 0 };					\
		struct tstack t;					\
		size_t len;						\
									\
		CHECK(!ts_init(&t, 8));					\
		CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), bound_rx, &r)); \
		len = mk_udp(frame, PEER_IP, US_IP, 5000, 7, "hello", 5); \
		mangle;							\
		ts_rx(&t, frame, (flen) ? (flen) : len);		\
		CHECK_EQ(ts_drops(&t, why), 1);				\
		CHECK_EQ(ts_all_drops(&t), 1);				\
		CHECK_EQ(r.n, 0);					\
		CHECK_EQ(t.ntx, 0);					\
		CHECK(ts_fini(&t));					\
	} while (0)

IX_TEST(ipv4, good_datagram_delivered)
{
	struct bound r = { 0 };
	struct tstack t;
	size_t len;

	CHECK(!ts_init(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), bound_rx, &r));
	len = mk_udp(frame, PEER_IP, US_IP, 5000, 7, "hello", 5);
	ts_rx(&t, frame, len);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK(ts_fini(&t));
}

IX_TEST(ipv4, truncated_header_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_TRUNCATED, , 14 + 19);
}

IX_TEST(ipv4, bad_version_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_VERSION,
		      { frame[14] = 0x65; fix_ip_csum(frame); }, 0);
}

IX_TEST(ipv4, ihl_below_5_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_IHL, frame[14] = 0x44, 0);
}

IX_TEST(ipv4, ihl_beyond_frame_dropped)
{
	/* IHL 15 = 60 bytes, but the frame has 20 + 13. */
	CHECK_IP_DROP(IXDP_DROP_IP_TRUNCATED, frame[14] = 0x4f, 0);
}

IX_TEST(ipv4, total_length_below_header_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_BAD_LEN,
		      { put16(frame + 16, 19); fix_ip_csum(frame); }, 0);
}

IX_TEST(ipv4, total_length_beyond_frame_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_TRUNCATED,
		      { put16(frame + 16, 20 + 13 + 1); fix_ip_csum(frame); },
		      0);
}

IX_TEST(ipv4, frame_cut_short_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_TRUNCATED, , 14 + 20 + 12);
}

IX_TEST(ipv4, bad_header_checksum_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_CSUM, frame[14 + 10] ^= 0x01, 0);
	CHECK_IP_DROP(IXDP_DROP_IP_CSUM, frame[14 + 8] = 63, 0);
}

IX_TEST(ipv4, fragments_dropped)
{
	/* More fragments. */
	CHECK_IP_DROP(IXDP_DROP_IP_FRAGMENT,
		      { put16(frame + 20, 0x2000); fix_ip_csum(frame); }, 0);
	/* Last fragment, offset 8 bytes. */
	CHECK_IP_DROP(IXDP_DROP_IP_FRAGMENT,
		      { put16(frame + 20, 0x0001); fix_ip_csum(frame); }, 0);
}

IX_TEST(ipv4, ttl_zero_dropped_ttl_one_taken)
{
	struct bound r = { 0 };
	struct tstack t;
	size_t len;

	CHECK_IP_DROP(IXDP_DROP_IP_TTL,
		      { frame[22] = 0; fix_ip_csum(frame); }, 0);
	CHECK(!ts_init(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), bound_rx, &r));
	len = mk_udp(frame, PEER_IP, US_IP, 5000, 7, "hello", 5);
	frame[22] = 1;
	fix_ip_csum(frame);
	ts_rx(&t, frame, len);
	CHECK_EQ(r.n, 1);
	CHECK(ts_fini(&t));
}

IX_TEST(ipv4, not_for_us_dropped)
{
	CHECK_IP_DROP(IXDP_DROP_IP_NOT_US,
		      { put32(frame + 30, PEER_IP); fix_ip_csum(frame); }, 0);
	/* Subnet and limited broadcasts are dropped too. */
	CHECK_IP_DROP(IXDP_DROP_IP_NOT_US,
		      { put32(frame + 30, IP4(198, 18, 0, 255));
			fix_ip_csum(frame); }, 0);
	CHECK_IP_DROP(IXDP_DROP_IP_NOT_US,
		      { put32(frame + 30, 0xffffffff); fix_ip_csum(frame); },
		      0);
}

IX_TEST(ipv4, bad_source_dropped)
{
	static const uint32_t bad[] = {
		IP4(198, 18, 0, 255), 0xffffffff, IP4(224, 0, 0, 1),
		IP4(127, 0, 0, 1), 0, US_IP,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_IP_DROP(IXDP_DROP_IP_BAD_SRC,
			      { put32(frame + 26, bad[i]);
				fix_ip_csum(frame); }, 0);
}

IX_TEST(ipv4, padding_trimmed_and_options_skipped)
{
	struct bound r = { 0 };
	struct tstack t;
	size_t len;

	CHECK(!ts_init(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), bound_rx, &r));
	/* Short datagram padded to the Ethernet minimum with junk. */
	memset(frame, 0xa5, 60);
	len = mk_udp(frame, PEER_IP, US_IP, 5000, 7, "hi", 2);
	ts_rx(&t, frame, 60);
	CHECK_EQ(r.n, 1);
	CHECK_EQ(r.len, 2);
	CHECK(!memcmp(r.data, "hi", 2));

	/* The same datagram with 4 bytes of NOP options (IHL 6). */
	memmove(frame + 38, frame + 34, len - 34);
	memset(frame + 34, 1, 4);
	frame[14] = 0x46;
	put16(frame + 16, get16(frame + 16) + 4);
	fix_ip_csum(frame);
	ts_rx(&t, frame, len + 4);
	CHECK_EQ(r.n, 2);
	CHECK_EQ(r.len, 2);
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK(ts_fini(&t));
}

IX_TEST(ipv4, unknown_protocol_gets_protocol_unreachable)
{
	const uint8_t *ic;
	struct tstack t;
	size_t len;

	CHECK(!ts_init(&t, 8));
	mk_arp(frame, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&t, frame, 42);
	memset(frame + 34, 0x5a, 16);
	len = mk_ip(frame, PEER_IP, US_IP, 132, 16);	/* SCTP */
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_IP_PROTO), 1);
	CHECK_EQ(t.ntx, 1);
	CHECK(ip_frame_ok(t.tx[0]) && l4_csum_ok(t.tx[0]));
	ic = bdata(t.tx[0]) + 34;
	CHECK_EQ(ic[0], 3);
	CHECK_EQ(ic[1], 2);
	CHECK_EQ(t.tx[0]->len, 34 + 8 + 20 + 8);
	CHECK(!memcmp(ic + 8, frame + 14, 28));
	CHECK(ts_fini(&t));
}

IX_TEST(ipv4, output_too_big_and_no_room)
{
	struct ixdp_buf *b;
	struct tstack t;

	CHECK(!ts_init(&t, 8));
	b = ixdp_buf_get(&t.pool);
	ixdp_buf_put_tail(b, 1500 - 20 - 8 + 1);
	CHECK_EQ(ixdp_udp_send(&t.s, b, cpu_to_be16(1), cpu_to_be32(PEER_IP),
			       cpu_to_be16(2)), -EMSGSIZE);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TOO_BIG), 1);
	b = ixdp_buf_get(&t.pool);
	ixdp_buf_reset(b, 20);		/* room for UDP, not for IPv4 */
	CHECK_EQ(ixdp_udp_send(&t.s, b, cpu_to_be16(1), cpu_to_be32(PEER_IP),
			       cpu_to_be16(2)), -ENOBUFS);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_NO_ROOM), 1);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
}
