// SPDX-License-Identifier: GPL-2.0
/*
 * Back to back: two ixdp stacks on an in-memory wire (wire.c).  Each
 * runs a UDP echo server on port 7 and a client on port 1000 that sends
 * numbered requests to the other; every answer must carry exactly the
 * bytes of its request.  The faulty runs lose, duplicate, reorder and
 * corrupt frames with a fixed seed, so they are deterministic.
 */

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "net_util.h"
#include "wire.h"

#define B2B_REQS	200
#define ECHO_PORT	7
#define CLIENT_PORT	1000

struct client {
	unsigned int	got[B2B_REQS];	/* answers per request */
	unsigned int	answers;
	unsigned int	bad;		/* answers with wrong bytes */
};

/* Request @i: its length and bytes depend on @i and on the sender. */
static size_t req_len(unsigned int i)
{
	return 1 + (i * 37) % 1400;
}

static uint8_t req_byte(unsigned int from, unsigned int i, size_t k)
{
	return (uint8_t)(from * 131 + i * 7 + k * 13);
}

static void echo_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		    __be32 saddr, __be16 sport)
{
	ixdp_udp_send(s, b, cpu_to_be16(ECHO_PORT), saddr, sport);
}

static void client_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		      __be32 saddr, __be16 sport)
{
	struct client *c = cookie;
	/* The sender of the request is this stack: .2 is 0, .3 is 1. */
	unsigned int from = be32_to_cpu(s->cfg.addr) - US_IP;
	const uint8_t *d = ixdp_buf_data(b);
	unsigned int i;
	size_t k;

	c->answers++;
	if (b->len < 2 || be16_to_cpu(sport) != ECHO_PORT)
		goto bad;
	i = d[0] | d[1] << 8;
	if (i >= B2B_REQS || b->len != req_len(i) + 2)
		goto bad;
	for (k = 0; k < req_len(i); k++)
		if (d[2 + k] != req_byte(from, i, k))
			goto bad;
	c->got[i]++;
	ixdp_buf_put(b);
	return;
bad:
	c->bad++;
	ixdp_buf_put(b);
}

static int send_req(struct wire *w, unsigned int from, unsigned int i)
{
	struct ixdp_stack *s = &w->end[from].s;
	struct ixdp_buf *b = ixdp_buf_get(s->pool);
	uint8_t *d;
	size_t k;

	if (!b)
		return -ENOBUFS;
	d = ixdp_buf_put_tail(b, req_len(i) + 2);
	d[0] = i;
	d[1] = i >> 8;
	for (k = 0; k < req_len(i); k++)
		d[2 + k] = req_byte(from, i, k);
	return ixdp_udp_send(s, b, cpu_to_be16(CLIENT_PORT),
			     cpu_to_be32(US_IP + !from),
			     cpu_to_be16(ECHO_PORT));
}

/*
 * Run B2B_REQS requests each way, one every 10 ms, pumping the wire in
 * between, then 10 more seconds for stragglers and ARP retries.
 */
static bool b2b_run(struct wire *w, struct client *c)
{
	unsigned int e, i;
	uint64_t now;

	for (e = 0; e < 2; e++) {
		if (ixdp_udp_bind(&w->end[e].s, cpu_to_be16(ECHO_PORT),
				  echo_rx, NULL) ||
		    ixdp_udp_bind(&w->end[e].s, cpu_to_be16(CLIENT_PORT),
				  client_rx, &c[e]))
			return false;
		ixdp_arp_announce(&w->end[e].s);
	}
	for (now = 0, i = 0; now < (B2B_REQS + 1000) * 10; now += 10) {
		wire_advance(w, now);
		if (i < B2B_REQS) {
			send_req(w, 0, i);
			send_req(w, 1, i);
			i++;
		}
		wire_pump(w);
	}
	return true;
}

static unsigned int answered(const struct client *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < B2B_REQS; i++)
		n += !!c->got[i];
	return n;
}

IX_TEST(b2b, clean_wire_every_request_answered)
{
	struct client c[2] = { 0 };
	struct wire w;
	unsigned int e, i;

	CHECK(!wire_init(&w, 64, 1, NULL));
	CHECK(b2b_run(&w, c));
	for (e = 0; e < 2; e++) {
		CHECK_EQ(c[e].bad, 0);
		for (i = 0; i < B2B_REQS; i++)
			CHECK_EQ(c[e].got[i], 1);
		/* One request each way, answered: resolved at once. */
		CHECK_EQ(w.end[e].s.stats.arp_requests, 2);
		CHECK_EQ(w.end[e].s.stats.udp_rx, 2 * B2B_REQS);
	}
	CHECK_EQ(w.rx_no_buf, 0);
	CHECK(wire_fini(&w));
}

IX_TEST(b2b, lost_arp_requests_are_retried)
{
	struct wire_faults f = { .drop_first = 2 };
	struct client c[2] = { 0 };
	struct wire w;
	uint64_t now;

	/* End 0 alone talks; its first request and first retry are lost. */
	CHECK(!wire_init(&w, 64, 1, &f));
	CHECK(!ixdp_udp_bind(&w.end[1].s, cpu_to_be16(ECHO_PORT), echo_rx,
			     NULL));
	CHECK(!ixdp_udp_bind(&w.end[0].s, cpu_to_be16(CLIENT_PORT),
			     client_rx, &c[0]));
	CHECK_EQ(send_req(&w, 0, 5), 0);
	for (now = 0; now < 5 * TS_HZ; now += 10) {
		wire_advance(&w, now);
		wire_pump(&w);
		if (now == 2 * TS_HZ - 10)
			CHECK_EQ(c[0].answers, 0);
	}
	CHECK_EQ(w.lost, 2);
	CHECK_EQ(w.end[0].s.stats.arp_requests, IXDP_ARP_TRIES);
	CHECK_EQ(c[0].bad, 0);
	CHECK_EQ(c[0].answers, 1);
	CHECK_EQ(c[0].got[5], 1);
	CHECK(ixdp_arp_lookup(&w.end[0].s, cpu_to_be32(US_IP + 1)));
	CHECK(wire_fini(&w));
}

IX_TEST(b2b, faulty_wire_never_delivers_wrong_bytes)
{
	struct wire_faults f = {
		.loss = 100, .dup = 50, .reorder = 100, .corrupt = 50,
	};
	struct client c[2] = { 0 };
	uint64_t seed;
	struct wire w;
	unsigned int e;

	for (seed = 1; seed <= 4; seed++) {
		memset(c, 0, sizeof(c));
		CHECK(!wire_init(&w, 64, seed, &f));
		CHECK(b2b_run(&w, c));
		CHECK(w.lost && w.duped && w.reordered && w.corrupted);
		for (e = 0; e < 2; e++) {
			CHECK_EQ(c[e].bad, 0);
			/* Two frames must survive 10% loss: most do. */
			CHECK(answered(&c[e]) >= B2B_REQS * 6 / 10);
		}
		CHECK(w.end[0].s.stats.drops[IXDP_DROP_UDP_CSUM] +
		      w.end[1].s.stats.drops[IXDP_DROP_UDP_CSUM] +
		      w.end[0].s.stats.drops[IXDP_DROP_IP_CSUM] +
		      w.end[1].s.stats.drops[IXDP_DROP_IP_CSUM] > 0);
		CHECK(wire_fini(&w));
	}
}

IX_TEST(b2b, heavy_loss_still_resolves)
{
	struct wire_faults f = { .loss = 400 };
	struct client c[2] = { 0 };
	struct wire w;
	unsigned int e;

	CHECK(!wire_init(&w, 64, 99, &f));
	CHECK(b2b_run(&w, c));
	for (e = 0; e < 2; e++) {
		CHECK_EQ(c[e].bad, 0);
		CHECK(answered(&c[e]) > 0);
		CHECK(w.end[e].s.stats.arp_requests > 1);
	}
	CHECK(wire_fini(&w));
}
