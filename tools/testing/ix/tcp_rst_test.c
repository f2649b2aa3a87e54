// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the closed-port TCP answer in net/ixdp/ipv4.c (RFC 9293
 * 3.10.7.1): RST|ACK for segments without ACK, RST with SEQ=SEG.ACK for
 * those with, nothing for RST, malformed or corrupt segments.
 */

#include <string.h>

#include "test.h"
#include "net_util.h"

static uint8_t frame[IXDP_BUF_SIZE];

struct rst {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
};

/* Feed a segment; return the one RST answered, or false. */
static bool answer(struct tstack *t, uint8_t flags, uint32_t seq,
		   uint32_t ack, size_t data_len, struct rst *out)
{
	const uint8_t *th;
	size_t len;

	len = mk_tcp(frame, PEER_IP, 40000, 80, seq, ack, flags, data_len);
	ts_rx(t, frame, len);
	if (t->ntx != 1)
		return false;
	th = bdata(t->tx[0]) + 34;
	if (!ip_frame_ok(t->tx[0]) || !l4_csum_ok(t->tx[0]) ||
	    t->tx[0]->len != 54 || bdata(t->tx[0])[23] != 6 ||
	    th[12] != 5 << 4 || get32(bdata(t->tx[0]) + 30) != PEER_IP)
		return false;
	out->sport = get16(th);
	out->dport = get16(th + 2);
	out->seq = get32(th + 4);
	out->ack = get32(th + 8);
	out->flags = th[13];
	ts_flush(t);
	return true;
}

IX_TEST(tcp, syn_gets_rst_ack)
{
	struct tstack t;
	struct rst r;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(answer(&t, TH_SYN, 1000, 0, 0, &r));
	CHECK_EQ(r.sport, 80);
	CHECK_EQ(r.dport, 40000);
	CHECK_EQ(r.flags, TH_RST | TH_ACK);
	CHECK_EQ(r.seq, 0);
	CHECK_EQ(r.ack, 1001);
	CHECK_EQ(t.s.stats.tcp_resets, 1);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TCP_CLOSED), 1);
	CHECK(ts_fini(&t));
}

IX_TEST(tcp, seg_len_counts_data_syn_fin_and_wraps)
{
	struct tstack t;
	struct rst r;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(answer(&t, TH_SYN | TH_FIN | TH_PSH, 0xfffffff0, 0, 100, &r));
	CHECK_EQ(r.flags, TH_RST | TH_ACK);
	CHECK_EQ(r.ack, (uint32_t)(0xfffffff0 + 100 + 2));
	CHECK(answer(&t, TH_PSH, 7, 0, 3, &r));
	CHECK_EQ(r.ack, 10);
	CHECK(ts_fini(&t));
}

IX_TEST(tcp, ack_gets_rst_with_seq_from_ack)
{
	struct tstack t;
	struct rst r;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(answer(&t, TH_ACK | TH_PSH, 5555, 0xdeadbeef, 10, &r));
	CHECK_EQ(r.flags, TH_RST);
	CHECK_EQ(r.seq, 0xdeadbeef);
	CHECK_EQ(r.ack, 0);
	CHECK(ts_fini(&t));
}

/*
 * A segment that is an ACK and nothing else is counted apart: the peer's
 * late answer to a connection that ended, as a test tells it from a
 * segment of a connection that should have been there.
 */
IX_TEST(tcp, ack_only_resets_counted_apart)
{
	struct tstack t;
	struct rst r;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(answer(&t, TH_ACK, 5555, 7777, 0, &r));
	CHECK_EQ(r.flags, TH_RST);
	CHECK_EQ(t.s.stats.tcp_resets_ack_only, 1);
	CHECK(answer(&t, TH_ACK | TH_PSH, 5555, 7777, 0, &r));
	CHECK_EQ(t.s.stats.tcp_resets_ack_only, 2);
	CHECK(answer(&t, TH_ACK | TH_PSH, 5555, 7777, 1, &r));
	CHECK(answer(&t, TH_ACK | TH_FIN, 5555, 7777, 0, &r));
	CHECK(answer(&t, TH_SYN | TH_ACK, 5555, 7777, 0, &r));
	CHECK(answer(&t, 0, 5555, 0, 0, &r));
	CHECK_EQ(t.s.stats.tcp_resets, 6);
	CHECK_EQ(t.s.stats.tcp_resets_ack_only, 2);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TCP_CLOSED), 6);
	CHECK(ts_fini(&t));
}

IX_TEST(tcp, rst_never_answered)
{
	struct tstack t;
	struct rst r;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(!answer(&t, TH_RST, 1, 0, 0, &r));
	CHECK(!answer(&t, TH_RST | TH_ACK, 1, 2, 0, &r));
	CHECK_EQ(t.ntx, 0);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TCP_RST), 2);
	CHECK_EQ(t.s.stats.tcp_resets, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(tcp, corrupt_or_malformed_not_answered)
{
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	len = mk_tcp(frame, PEER_IP, 1, 2, 3, 4, TH_SYN, 0);
	frame[34 + 5] ^= 1;
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TCP_CSUM), 1);
	len = mk_tcp(frame, PEER_IP, 1, 2, 3, 4, TH_SYN, 0);
	frame[34 + 12] = 4 << 4;	/* data offset below 5 */
	ts_rx(&t, frame, len);
	frame[34 + 12] = 6 << 4;	/* beyond the segment */
	ts_rx(&t, frame, len);
	memset(frame + 34, 0, 12);
	len = mk_ip(frame, PEER_IP, US_IP, 6, 12);
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_TCP_MALFORMED), 3);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
}
