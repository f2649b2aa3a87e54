// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile peer (issue 16), seen from the wire: how many answers it can
 * draw from a connection and from a core (RFC 5961 7, CVE-2016-5696),
 * and what it can guess of initial sequence numbers (RFC 6528) and
 * ephemeral ports (RFC 6056).  These tests use only what the stack had
 * before the fixes, so they run, and fail, without them.  Times are in
 * ticks of 1 ms.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/jhash.h>

#include "handoff.h"
#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

/* Send @sg @n times; return the ACKs the stack answered with. */
static unsigned int send_n(struct tpeer *p, const struct tseg *sg,
			   unsigned int n)
{
	unsigned int acks = 0;
	struct tseg in;

	while (n--) {
		tp_send(p, sg);
		while (tp_pop(p, &in))
			acks += in.flags == TH_ACK;
	}
	return acks;
}

IX_TEST(tcp_hostile, challenge_acks_of_one_connection_limited)
{
	struct tpeer *p = &tp;
	struct tseg sg;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, false));
	/* In window, not exact: each would be worth a challenge ACK. */
	seg_init(p, &sg, 101 + 1000, 0, TH_RST);
	CHECK_EQ(send_n(p, &sg, 100), 1);
	CHECK_EQ(p->tcp->stats->challenge_acks, 1);
	seg_init(p, &sg, 105, 0, TH_SYN);
	CHECK_EQ(send_n(p, &sg, 100), 0);
	tp_advance(p, 499);
	CHECK_EQ(send_n(p, &sg, 10), 0);
	tp_advance(p, 500);
	CHECK_EQ(send_n(p, &sg, 10), 1);
	seg_init(p, &sg, 101 + 1000, 0, TH_RST);
	tp_advance(p, 1000);
	CHECK_EQ(send_n(p, &sg, 10), 1);
	CHECK_EQ(p->tcp->stats->challenge_acks, 3);
	CHECK(!p->srv[0].dead);
	CHECK(tp_fini(p));
}

#define MANY	1024

/* Each connection sends an in-window RST; the challenge ACKs drawn. */
static unsigned int rst_all(struct tpeer *p, const u16 *lport, unsigned int n)
{
	unsigned int i, acks = 0;
	struct tseg sg;

	for (i = 0; i < n; i++) {
		memset(&sg, 0, sizeof(sg));
		sg.sport = 2000 + i;
		sg.dport = lport[i];
		sg.seq = 101 + 1000;
		sg.flags = TH_RST;
		acks += send_n(p, &sg, 1);
	}
	return acks;
}

/*
 * Connections enough to spend the core's budget every second, at two a
 * second each: what they draw in a second is the budget, which must be
 * near IXDP_TCP_CHALLENGE_LIMIT and not the same every second, so that
 * counting tells the peer nothing of what its RSTs spent.
 */
IX_TEST(tcp_hostile, challenge_budget_of_a_core_varies)
{
	static struct conn c[MANY];
	static u16 lport[MANY];
	unsigned int k, n[6], distinct = 0;
	struct tpeer *p = &tp;

	memset(c, 0, sizeof(c));
	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_many(p, c, lport, NULL, MANY));
	for (k = 0; k < 6; k++) {
		tp_arp(p);
		tp_advance(p, 1000 * (k + 1));
		n[k] = rst_all(p, lport, MANY);
		tp_advance(p, 1000 * (k + 1) + 500);
		n[k] += rst_all(p, lport, MANY);
		CHECK(n[k] >= IXDP_TCP_CHALLENGE_LIMIT / 2);
		CHECK(n[k] < IXDP_TCP_CHALLENGE_LIMIT * 3 / 2);
		distinct += !k || n[k] != n[k - 1];
	}
	printf("# challenge ACKs a second: %u %u %u %u %u %u\n",
	       n[0], n[1], n[2], n[3], n[4], n[5]);
	CHECK(distinct >= 3);
	for (k = 0; k < MANY; k++)
		CHECK(!c[k].dead);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_hostile, acks_to_dropped_segments_rate_limited)
{
	struct tpeer *p = &tp;
	struct tseg sg;
	u64 paws;

	CHECK(!tp_init(p, NULL));
	CHECK(tp_open_passive(p, NULL, 100, true));
	/* Out of window, timestamps fine. */
	seg_init(p, &sg, 101 + 200000, p->iss + 1, TH_ACK);
	sg.has_ts = true;
	sg.tsval = 200;
	CHECK_EQ(send_n(p, &sg, 50), 1);
	/* In window, failing PAWS. */
	paws = p->tcp->stats->paws_drops;
	tp_advance(p, 499);
	sg.seq = 101;
	sg.tsval = 50;
	CHECK_EQ(send_n(p, &sg, 10), 0);
	CHECK_EQ(p->tcp->stats->paws_drops, paws + 10);
	tp_advance(p, 500);
	CHECK_EQ(send_n(p, &sg, 10), 1);
	/* Acknowledging what was never sent. */
	tp_advance(p, 1000);
	sg.tsval = 300;
	sg.ack = p->iss + 1 + 100000;
	CHECK_EQ(send_n(p, &sg, 10), 1);
	tp_advance(p, 1499);
	CHECK_EQ(send_n(p, &sg, 10), 0);
	CHECK(!p->srv[0].dead);
	CHECK(tp_fini(p));
}

/* The initial sequence number of the test's 4-tuple now. */
static u32 iss_now(struct tpeer *p)
{
	return ixdp_tcp_iss(&p->t.s, cpu_to_be32(PEER_IP),
			    cpu_to_be16(PEER_PORT), cpu_to_be16(SRV_PORT));
}

/* What it was: jhash of the tuple, keyed by a 32-bit secret, and a clock. */
static u32 iss_jhash(struct tpeer *p, u32 secret)
{
	u32 ports = (u32)(u16)cpu_to_be16(PEER_PORT) << 16 |
		    (u16)cpu_to_be16(SRV_PORT);

	return (u32)p->t.s.now * 250 +
	       jhash_3words((u32)cpu_to_be32(PEER_IP), ports,
			    (u32)cpu_to_be32(US_IP), ~secret);
}

/*
 * A peer repeating its SYN to a half-open connection gets a SYN-ACK per
 * 500 ms at most, not one per SYN: our answers cannot be made to flood.
 */
IX_TEST(tcp_hostile, repeated_syn_answered_at_a_rate)
{
	struct tpeer *p = &tp;
	unsigned int synacks = 0, i;
	struct tseg sg, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 4, &p->app));
	seg_init(p, &sg, 1000, 0, TH_SYN);
	sg.sport = PEER_PORT;
	sg.dport = SRV_PORT;
	for (i = 0; i < 50; i++) {
		tp_send(p, &sg);
		while (tp_pop(p, &in))
			synacks += in.flags == (TH_SYN | TH_ACK);
	}
	/* The first SYN's answer, and one repeat in the same 500 ms. */
	CHECK_EQ(synacks, 2);
	CHECK_EQ(p->tcp->nused, 1);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_hostile, isns_differ_across_stacks_and_time)
{
	struct tpeer *p = &tp;
	u32 a, b, later;

	CHECK(!tp_init(p, NULL));
	a = iss_now(p);
	CHECK(a != iss_jhash(p, 0));
	tp_advance(p, 1);
	later = iss_now(p);
	CHECK_EQ(later - a, 250);		/* RFC 6528's 4 us clock */
	tp_advance(p, 10000);
	CHECK(iss_now(p) != later);
	CHECK(tp_fini(p));
	/* Another stack, the same configuration: another key. */
	CHECK(!tp_init(p, NULL));
	b = iss_now(p);
	CHECK(b != a);
	CHECK(b != iss_jhash(p, 0));
	CHECK(tp_fini(p));
}

/* Open @n connections to the peer's port @dport + i * @step; their ports. */
static bool ports_of(struct tpeer *p, u16 *port, unsigned int n, u16 dport,
		     u16 step)
{
	static struct conn c[64];
	unsigned int i;
	struct tseg in;

	for (i = 0; i < n; i++) {
		c[i].s = &p->t.s;
		if (ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				     cpu_to_be16(dport + i * step), &c[i],
				     &c[i].h) ||
		    !tp_pop(p, &in) || in.flags != TH_SYN)
			return false;
		port[i] = in.sport;
		if (port[i] < IXDP_PORT_LO ||
		    port[i] >= IXDP_PORT_LO + IXDP_PORT_N)
			return false;
	}
	return true;
}

/* Consecutive ports one apart, of @n. */
static unsigned int sequential(const u16 *port, unsigned int n)
{
	unsigned int i, seq = 0;

	for (i = 1; i < n; i++)
		seq += (port[i] - port[i - 1] + IXDP_PORT_N) % IXDP_PORT_N == 1;
	return seq;
}

IX_TEST(tcp_hostile, ephemeral_ports_not_guessable)
{
	u16 port[32], again[32], first;
	struct tpeer *p = &tp;
	unsigned int i, j;

	/* To 32 destinations, one after the other. */
	CHECK(!tp_init(p, NULL));
	CHECK(ports_of(p, port, 32, 1000, 1));
	first = port[0];
	CHECK(first != IXDP_PORT_LO);		/* the key's low bits, 0 */
	CHECK(sequential(port, 32) < 4);
	CHECK(tp_fini(p));
	/* To one destination: all different, yet not one after another. */
	CHECK(!tp_init(p, NULL));
	CHECK(ports_of(p, again, 32, 1000, 0));
	for (i = 0; i < 32; i++)
		for (j = 0; j < i; j++)
			CHECK(again[i] != again[j]);
	CHECK(sequential(again, 32) < 16);
	/* Another key: another start for the same destination. */
	CHECK(again[0] != first);
	CHECK(tp_fini(p));
}
