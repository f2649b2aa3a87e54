// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of net/ixdp/icmp.c and udp.c: echo replies, port unreachable with
 * its quote, the rules against ICMP errors, UDP delivery, checksums,
 * lengths, the bind table and sending.
 */

#include <stdlib.h>
#include <string.h>

#include <linux/icmp.h>

#include "test.h"
#include "net_util.h"

static uint8_t frame[IXDP_BUF_SIZE];

struct rcv {
	unsigned int	n;
	uint32_t	saddr;
	uint16_t	sport;
	size_t		len;
	uint8_t		data[2048];
	bool		echo;		/* send it back from port 7 */
};

static void rcv_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		   __be32 saddr, __be16 sport)
{
	struct rcv *r = cookie;

	r->n++;
	r->saddr = be32_to_cpu(saddr);
	r->sport = be16_to_cpu(sport);
	r->len = b->len;
	memcpy(r->data, ixdp_buf_data(b), b->len);
	if (r->echo)
		ixdp_udp_send(s, b, cpu_to_be16(7), saddr, sport);
	else
		ixdp_buf_put(b);
}

IX_TEST(icmp, echo_request_gets_exact_reply)
{
	uint8_t data[56];
	const uint8_t *f, *ic;
	struct tstack t;
	unsigned int i;
	size_t len;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i * 7;
	CHECK(!ts_init_peer(&t, 8));
	len = mk_echo(frame, PEER_IP, 0xbeef, 42, data, sizeof(data));
	ts_rx(&t, frame, len);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(t.s.stats.icmp_echo_replies, 1);
	f = bdata(t.tx[0]);
	CHECK_EQ(t.tx[0]->len, len);
	CHECK(ip_frame_ok(t.tx[0]));
	CHECK(!memcmp(f, peer_mac, 6) && !memcmp(f + 6, us_mac, 6));
	CHECK_EQ(get32(f + 26), US_IP);
	CHECK_EQ(get32(f + 30), PEER_IP);
	CHECK_EQ(f[23], 1);
	ic = f + 34;
	CHECK_EQ(ic[0], 0);
	CHECK_EQ(ic[1], 0);
	CHECK_EQ(get16(ic + 4), 0xbeef);
	CHECK_EQ(get16(ic + 6), 42);
	CHECK(!memcmp(ic + 8, data, sizeof(data)));
	CHECK_EQ(ref_csum(ic, 8 + sizeof(data), 0), 0);
	CHECK(ts_fini(&t));
}

IX_TEST(icmp, odd_length_echo_checksum)
{
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	len = mk_echo(frame, PEER_IP, 1, 2, "abc", 3);
	ts_rx(&t, frame, len);
	CHECK_EQ(t.ntx, 1);
	CHECK(l4_csum_ok(t.tx[0]));
	CHECK_EQ(t.tx[0]->len, 14 + 20 + 8 + 3);
	CHECK(ts_fini(&t));
}

IX_TEST(icmp, bad_checksum_short_and_other_types_dropped)
{
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	len = mk_echo(frame, PEER_IP, 1, 2, "abcd", 4);
	frame[34 + 9] ^= 0x10;
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ICMP_CSUM), 1);

	len = mk_echo(frame, PEER_IP, 1, 2, "abcd", 4);
	frame[34] = 0;			/* an echo reply: not answered */
	put16(frame + 36, 0);
	put16(frame + 36, ref_csum(frame + 34, 12, 0));
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ICMP_TYPE), 1);

	memset(frame + 34, 0, 4);
	len = mk_ip(frame, PEER_IP, US_IP, 1, 4);
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_ICMP_SHORT), 1);
	CHECK_EQ(ts_all_drops(&t), 3);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
}

IX_TEST(udp, unbound_port_gets_port_unreachable_with_quote)
{
	const uint8_t *f, *ic;
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	len = mk_udp(frame, PEER_IP, US_IP, 40000, 9999, "0123456789abcdef",
		     16);
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_NO_PORT), 1);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(t.s.stats.icmp_errors, 1);
	f = bdata(t.tx[0]);
	CHECK(ip_frame_ok(t.tx[0]) && l4_csum_ok(t.tx[0]));
	CHECK_EQ(f[23], 1);
	CHECK_EQ(get32(f + 30), PEER_IP);
	ic = f + 34;
	CHECK_EQ(ic[0], 3);
	CHECK_EQ(ic[1], 3);
	CHECK_EQ(get32(ic + 4), 0);
	/* The offending IPv4 header and the 8 bytes of UDP header. */
	CHECK_EQ(t.tx[0]->len, 14 + 20 + 8 + 20 + 8);
	CHECK(!memcmp(ic + 8, frame + 14, 28));
	CHECK(ts_fini(&t));
}

/* Port 0 marks the free slots of the bind table: it is never bound. */
IX_TEST(udp, port_zero_is_never_delivered)
{
	struct rcv r = { 0 };
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), rcv_rx, &r));
	len = mk_udp(frame, PEER_IP, US_IP, 40000, 0, "zero", 4);
	ts_rx(&t, frame, len);
	CHECK_EQ(r.n, 0);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_NO_PORT), 1);
	CHECK_EQ(t.s.stats.icmp_errors, 1);
	ts_flush(&t);
	CHECK(ts_fini(&t));
}

IX_TEST(udp, port_unreachable_quotes_short_datagram_only)
{
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	len = mk_udp(frame, PEER_IP, US_IP, 1, 2, "", 0);
	memset(frame + len, 0x77, 60 - len);	/* padding not quoted */
	ts_rx(&t, frame, 60);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(t.tx[0]->len, 14 + 20 + 8 + 28);
	CHECK(l4_csum_ok(t.tx[0]));
	CHECK(ts_fini(&t));
}

IX_TEST(icmp, no_error_about_icmp_error_or_bad_source)
{
	struct ixdp_buf *b;
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 8));
	/* A destination unreachable about something: never answered. */
	memset(frame + 34, 0, 36);
	frame[34] = 3;
	len = mk_ip(frame, PEER_IP, US_IP, 1, 36);
	b = ixdp_buf_get(&t.pool);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET + 14);
	memcpy(ixdp_buf_put_tail(b, len - 14), frame + 14, len - 14);
	ixdp_icmp_unreach(&t.s, b, ixdp_buf_data(b), ICMP_PROT_UNREACH);
	CHECK_EQ(t.ntx, 0);

	/* An echo request may be answered with an error. */
	frame[34] = 8;
	b = ixdp_buf_get(&t.pool);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET + 14);
	memcpy(ixdp_buf_put_tail(b, len - 14), frame + 14, len - 14);
	ixdp_icmp_unreach(&t.s, b, ixdp_buf_data(b), ICMP_PROT_UNREACH);
	CHECK_EQ(t.ntx, 1);

	/* Nor about a datagram from a broadcast source. */
	len = mk_udp(frame, IP4(198, 18, 0, 255), US_IP, 1, 2, "x", 1);
	b = ixdp_buf_get(&t.pool);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET + 14);
	memcpy(ixdp_buf_put_tail(b, len - 14), frame + 14, len - 14);
	ixdp_icmp_unreach(&t.s, b, ixdp_buf_data(b), ICMP_PORT_UNREACH);
	CHECK_EQ(t.ntx, 1);
	CHECK(ts_fini(&t));
}

IX_TEST(udp, bound_port_delivers_payload)
{
	struct rcv *r = calloc(1, sizeof(*r));
	uint8_t data[1400];
	struct tstack t;
	unsigned int i;
	size_t len;

	CHECK(r);
	for (i = 0; i < sizeof(data); i++)
		data[i] = rand();
	CHECK(!ts_init_peer(&t, 8));
	CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(4242), rcv_rx, r), 0);
	len = mk_udp(frame, PEER_IP, US_IP, 31337, 4242, data, sizeof(data));
	ts_rx(&t, frame, len);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->saddr, PEER_IP);
	CHECK_EQ(r->sport, 31337);
	CHECK_EQ(r->len, sizeof(data));
	CHECK(!memcmp(r->data, data, sizeof(data)));
	CHECK_EQ(t.s.stats.udp_rx, 1);
	CHECK_EQ(ts_all_drops(&t), 0);
	CHECK_EQ(t.ntx, 0);
	CHECK(ts_fini(&t));
	free(r);
}

IX_TEST(udp, bad_checksum_dropped_zero_checksum_taken)
{
	struct rcv *r = calloc(1, sizeof(*r));
	struct tstack t;
	size_t len;

	CHECK(r);
	CHECK(!ts_init_peer(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), rcv_rx, r));
	len = mk_udp(frame, PEER_IP, US_IP, 5, 7, "payload!", 8);
	frame[len - 1] ^= 0x80;
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_CSUM), 1);
	CHECK_EQ(r->n, 0);
	CHECK_EQ(t.ntx, 0);		/* no ICMP for a corrupt datagram */
	put16(frame + 40, 0);		/* no checksum */
	ts_rx(&t, frame, len);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(ts_all_drops(&t), 1);
	CHECK(ts_fini(&t));
	free(r);
}

IX_TEST(udp, bad_length_dropped)
{
	struct rcv *r = calloc(1, sizeof(*r));
	struct tstack t;
	size_t len;

	CHECK(r);
	CHECK(!ts_init_peer(&t, 8));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), rcv_rx, r));
	len = mk_udp(frame, PEER_IP, US_IP, 5, 7, "payload!", 8);
	put16(frame + 38, 7);
	ts_rx(&t, frame, len);
	put16(frame + 38, 17);		/* beyond the IPv4 datagram */
	ts_rx(&t, frame, len);
	/* Shorter than the datagram is fine: the rest is IPv4 padding. */
	put16(frame + 38, 12);
	put16(frame + 40, 0);
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_BAD_LEN), 2);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->len, 4);
	/* Shorter than a UDP header. */
	len = mk_ip(frame, PEER_IP, US_IP, 17, 6);
	ts_rx(&t, frame, len);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_BAD_LEN), 3);
	CHECK(ts_fini(&t));
	free(r);
}

IX_TEST(udp, bind_table_rules)
{
	struct rcv r = { 0 };
	struct tstack t;
	unsigned int i;

	CHECK(!ts_init(&t, 1));
	CHECK_EQ(ixdp_udp_bind(&t.s, 0, rcv_rx, &r), -EINVAL);
	CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(1), NULL, &r), -EINVAL);
	for (i = 0; i < IXDP_UDP_BINDS; i++)
		CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(1000 + i), rcv_rx,
				       &r), 0);
	CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(1000), rcv_rx, &r),
		 -EADDRINUSE);
	CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(5), rcv_rx, &r), -ENOSPC);
	CHECK_EQ(ixdp_udp_unbind(&t.s, cpu_to_be16(5)), -ENOENT);
	CHECK_EQ(ixdp_udp_unbind(&t.s, cpu_to_be16(1003)), 0);
	CHECK_EQ(ixdp_udp_unbind(&t.s, cpu_to_be16(1003)), -ENOENT);
	CHECK_EQ(ixdp_udp_bind(&t.s, cpu_to_be16(5), rcv_rx, &r), 0);
	CHECK(ts_fini(&t));
}

/* Random binds and unbinds against a model: probe chains stay intact. */
IX_TEST(udp, bind_table_matches_model)
{
	static bool model[512];
	struct rcv r = { 0 };
	unsigned int i, port, n = 0;
	struct tstack t;
	int ret;

	memset(model, 0, sizeof(model));
	srand(7);
	CHECK(!ts_init(&t, 1));
	for (i = 0; i < 20000; i++) {
		port = 1 + rand() % 511;
		if (rand() % 2) {
			ret = ixdp_udp_bind(&t.s, cpu_to_be16(port), rcv_rx,
					    &r);
			if (model[port])
				CHECK_EQ(ret, -EADDRINUSE);
			else if (n == IXDP_UDP_BINDS)
				CHECK_EQ(ret, -ENOSPC);
			else
				CHECK_EQ(ret, 0);
			if (!ret) {
				model[port] = true;
				n++;
			}
		} else {
			ret = ixdp_udp_unbind(&t.s, cpu_to_be16(port));
			CHECK_EQ(ret, model[port] ? 0 : -ENOENT);
			if (!ret) {
				model[port] = false;
				n--;
			}
		}
		CHECK_EQ(t.s.nudp, n);
	}
	CHECK(ts_fini(&t));
}

IX_TEST(udp, send_builds_datagram)
{
	const uint8_t *f, *u;
	struct ixdp_buf *b;
	struct tstack t;

	CHECK(!ts_init_peer(&t, 8));
	b = ixdp_buf_get(&t.pool);
	memcpy(ixdp_buf_put_tail(b, 11), "hello world", 11);
	CHECK_EQ(ixdp_udp_send(&t.s, b, cpu_to_be16(1234), cpu_to_be32(PEER_IP),
			       cpu_to_be16(53)), 0);
	CHECK_EQ(t.ntx, 1);
	f = bdata(t.tx[0]);
	CHECK(ip_frame_ok(t.tx[0]) && l4_csum_ok(t.tx[0]));
	CHECK_EQ(get16(f + 12), 0x0800);
	CHECK_EQ(f[14 + 9], 17);
	CHECK_EQ(f[14 + 8], 64);
	CHECK_EQ(get16(f + 14 + 6), 0x4000);
	CHECK_EQ(get32(f + 26), US_IP);
	CHECK_EQ(get32(f + 30), PEER_IP);
	u = f + 34;
	CHECK_EQ(get16(u), 1234);
	CHECK_EQ(get16(u + 2), 53);
	CHECK_EQ(get16(u + 4), 19);
	CHECK(get16(u + 6) != 0);
	CHECK(!memcmp(u + 8, "hello world", 11));
	CHECK_EQ(t.s.stats.udp_tx, 1);
	CHECK_EQ(ixdp_udp_send(&t.s, ixdp_buf_get(&t.pool), 0,
			       cpu_to_be32(PEER_IP), cpu_to_be16(53)), -EINVAL);
	CHECK(ts_fini(&t));
}

IX_TEST(udp, echo_reuses_buffer_zero_copy)
{
	struct rcv *r = calloc(1, sizeof(*r));
	const uint8_t *u;
	struct tstack t;
	size_t len;

	CHECK(r);
	r->echo = true;
	CHECK(!ts_init_peer(&t, 4));
	CHECK(!ixdp_udp_bind(&t.s, cpu_to_be16(7), rcv_rx, r));
	len = mk_udp(frame, PEER_IP, US_IP, 6000, 7, "ping-pong", 9);
	ts_rx(&t, frame, len);
	CHECK_EQ(t.ntx, 1);
	CHECK_EQ(t.pool.avail, 3);	/* the request's buffer went out */
	u = bdata(t.tx[0]) + 34;
	CHECK(l4_csum_ok(t.tx[0]));
	CHECK_EQ(get16(u), 7);
	CHECK_EQ(get16(u + 2), 6000);
	CHECK(!memcmp(u + 8, "ping-pong", 9));
	CHECK(ts_fini(&t));
	free(r);
}

IX_TEST(stack, xmit_error_counted)
{
	struct tstack t;
	size_t len;

	CHECK(!ts_init_peer(&t, 4));
	t.xmit_ret = -EIO;
	len = mk_echo(frame, PEER_IP, 1, 1, "x", 1);
	ts_rx(&t, frame, len);
	CHECK_EQ(t.s.stats.tx_errors, 1);
	CHECK_EQ(t.s.stats.tx_frames, 1);
	CHECK_EQ(t.pool.avail, 4);
	CHECK(ts_fini(&t));
}
