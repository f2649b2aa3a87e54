// SPDX-License-Identifier: GPL-2.0
/*
 * Flow consistency across cores (net/ixdp/handoff.c): the Toeplitz hash
 * against the vectors of Microsoft's RSS specification, the choice of
 * local ports, and TCP between a device served by two cores (wire ends 0
 * and 2) and a peer (end 1), frames to the device landing on either core
 * at random or as its RSS would steer them.
 */

#include <stdlib.h>
#include <string.h>

#include <linux/icmp.h>

#include "test.h"
#include "tcp_util.h"
#include "wire.h"

IX_TEST(handoff, toeplitz_matches_rss_spec_vectors)
{
	/* source, source port, destination, destination port, TCP/IPv4 hash */
	static const struct {
		uint32_t saddr;
		uint16_t sport;
		uint32_t daddr;
		uint16_t dport;
		uint32_t hash;
	} v[] = {
		{ IP4(66, 9, 149, 187), 2794, IP4(161, 142, 100, 80), 1766, 0x51ccc178 },
		{ IP4(199, 92, 111, 2), 14230, IP4(65, 69, 140, 83), 4739, 0xc626b0ea },
		{ IP4(24, 19, 198, 95), 12898, IP4(12, 22, 207, 184), 38024, 0x5c2b394a },
		{ IP4(38, 27, 205, 30), 48228, IP4(209, 142, 163, 6), 2217, 0xafc7327f },
		{ IP4(153, 39, 163, 191), 44251, IP4(202, 188, 127, 2), 1303, 0x10e828a2 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		CHECK_EQ(ixdp_rss_hash(rss_spec_key, cpu_to_be32(v[i].saddr),
				       cpu_to_be32(v[i].daddr),
				       cpu_to_be16(v[i].sport),
				       cpu_to_be16(v[i].dport)), v[i].hash);
}

/* An indirection table of 128 entries, the cores in no simple pattern. */
static void ho_rss(struct ixdp_rss *rss)
{
	unsigned int i;

	memcpy(rss->key, rss_spec_key, sizeof(rss_spec_key));
	rss->nindir = 128;
	for (i = 0; i < rss->nindir; i++)
		rss->core[i] = (i * 7 / 3 + i / 5) & 1;
}

IX_TEST(handoff, local_ports_bring_flows_home)
{
	static struct ixdp_stack s[2];
	struct ixdp_handoff h = { .ncores = 2 };
	static struct ixdp_rss rss;
	__be32 peer = cpu_to_be32(PEER_IP);
	__be16 rport = cpu_to_be16(80);
	unsigned int c, p, ok[2] = { 0, 0 };
	uint32_t hash;

	memset(s, 0, sizeof(s));
	s[0].cfg.addr = s[1].cfg.addr = cpu_to_be32(US_IP);
	/* Alone on its device, any port does. */
	CHECK(ixdp_handoff_port_ok(&s[0], peer, rport, IXDP_PORT_LO + 1));
	ixdp_handoff_join(&s[0], &h, 0);
	ixdp_handoff_join(&s[1], &h, 1);
	/* Steering follows the sending queue: each core its share. */
	for (p = IXDP_PORT_LO; p < IXDP_PORT_LO + 64; p++) {
		CHECK_EQ(ixdp_handoff_port_ok(&s[0], peer, rport, p), p % 2 == 0);
		CHECK_EQ(ixdp_handoff_port_ok(&s[1], peer, rport, p), p % 2 == 1);
	}
	/* Hashing: its share, and the peer's segments hash to it. */
	ho_rss(&rss);
	h.rss = &rss;
	for (p = IXDP_PORT_LO; p < IXDP_PORT_LO + IXDP_PORT_N; p++) {
		hash = ixdp_rss_hash(rss_spec_key, peer, s[0].cfg.addr, rport,
				     cpu_to_be16(p));
		for (c = 0; c < 2; c++) {
			if (!ixdp_handoff_port_ok(&s[c], peer, rport, p))
				continue;
			CHECK_EQ(p % 2, c);
			CHECK_EQ(rss.core[hash & 127], c);
			ok[c]++;
		}
	}
	/* About a quarter of the range each. */
	CHECK(ok[0] > IXDP_PORT_N / 8 && ok[1] > IXDP_PORT_N / 8);
}

#define HO_CONNS	16
#define HO_BYTES	(200 * 1000)

struct tho {
	struct wire		w;
	struct ixdp_tcp		*tcp[WIRE_ENDS];
	struct app		app[WIRE_ENDS];
	struct conn		srv[WIRE_ENDS][2 * HO_CONNS];
	struct conn		cli[2 * HO_CONNS];
	uint64_t		now;
};

static struct tho tho;

static const struct ixdp_tcp_config ho_cfg = {
	.rcv_buf = 128 * 1024,
	.snd_buf = 256 * 1024,
	.rto_min = 200,
	.time_wait = 2000,
};

/* The wire with two cores at end 0's device, every end listening on 80. */
static int ho_init(struct tho *t, uint64_t seed, struct wire_faults *f)
{
	unsigned int e;
	int ret;

	memset(t, 0, sizeof(*t));
	f->two_cores = true;
	ret = wire_init(&t->w, 2048, seed, f);
	for (e = 0; e < WIRE_ENDS && !ret; e++) {
		t->tcp[e] = calloc(1, ixdp_tcp_size(IXDP_TCP_PCBS));
		t->app[e].srv = t->srv[e];
		t->app[e].nsrv = 2 * HO_CONNS;
		t->app[e].srv_seed = 5000;
		ret = ixdp_tcp_init(&t->w.end[e].s, t->tcp[e], IXDP_TCP_PCBS,
				    &ho_cfg, &test_tcp_ops);
		if (!ret)
			ret = ixdp_tcp_listen(&t->w.end[e].s, cpu_to_be16(80),
					      2 * HO_CONNS, &t->app[e]);
	}
	return ret;
}

static bool ho_quiet(struct tho *t)
{
	unsigned int e;

	for (e = 0; e < WIRE_ENDS; e++)
		if (t->w.end[e].pool.avail != t->w.end[e].pool.total ||
		    t->tcp[e]->nused)
			return false;
	return true;
}

static bool ho_fini(struct tho *t)
{
	unsigned int e, i;

	for (e = 0; e < WIRE_ENDS; e++) {
		for (i = 0; i < 2 * HO_CONNS; i++)
			conn_release(&t->srv[e][i]);
		ixdp_tcp_teardown(&t->w.end[e].s);
		free(t->tcp[e]);
	}
	for (i = 0; i < 2 * HO_CONNS; i++)
		conn_release(&t->cli[i]);
	return wire_fini(&t->w);
}

static bool ho_run(struct tho *t, uint64_t ticks, bool (*done)(struct tho *))
{
	uint64_t end = t->now + ticks;

	while (t->now < end) {
		wire_advance(&t->w, t->now++);
		wire_pump(&t->w);
		if (done(t))
			return true;
	}
	return false;
}

/* Client @i sends @len bytes from end @from, then closes. */
static int ho_connect(struct tho *t, unsigned int from, unsigned int i,
		      uint16_t port, const uint8_t *data, uint64_t len)
{
	struct conn *c = &t->cli[i];
	uint32_t to = from == 1 ? US_IP : PEER_IP;

	c->s = &t->w.end[from].s;
	c->tx = data;
	c->tx_len = len;
	c->close_when_sent = true;
	return ixdp_tcp_connect(c->s, cpu_to_be32(to), cpu_to_be16(port), c,
				&c->h);
}

/* Every server has the whole stream: close it. */
static bool done_streams(struct tho *t)
{
	unsigned int e, i, n = 0;
	struct conn *c;

	for (e = 0; e < WIRE_ENDS; e++) {
		for (i = 0; i < t->app[e].naccepted; i++) {
			c = &t->srv[e][i];
			if (!c->fin)
				continue;
			if (!c->closed) {
				c->closed = true;
				ixdp_tcp_close(c->s, c->h);
			}
			n++;
		}
	}
	return n == 2 * HO_CONNS;
}

static bool done_quiet(struct tho *t)
{
	return ho_quiet(t);
}

static uint64_t ho_stat(struct tho *t, size_t off)
{
	return *(uint64_t *)((char *)&t->w.end[0].s.stats + off) +
	       *(uint64_t *)((char *)&t->w.end[2].s.stats + off);
}

#define HO_STAT(t, f)	ho_stat(t, offsetof(struct ixdp_stack_stats, f))

/*
 * HO_CONNS connections from the peer to the device and HO_CONNS from its
 * two cores to the peer, each HO_BYTES through 1% loss, every byte
 * checked, every connection closed cleanly, none reset.
 */
static void ho_streams(struct tho *t, uint64_t seed, struct wire_faults *f)
{
	uint8_t *data = malloc(HO_BYTES);
	unsigned int e, i;

	CHECK(data);
	pat_fill(data, HO_BYTES, 5000, 0);
	CHECK(!ho_init(t, seed, f));
	for (i = 0; i < HO_CONNS; i++)
		CHECK(!ho_connect(t, 1, i, 80, data, HO_BYTES));
	for (i = 0; i < HO_CONNS; i++)
		CHECK(!ho_connect(t, i % 2 ? 2 : 0, HO_CONNS + i, 80, data,
				  HO_BYTES));
	CHECK(ho_run(t, 600 * 1000, done_streams));
	CHECK_EQ(t->app[0].naccepted + t->app[2].naccepted, HO_CONNS);
	CHECK_EQ(t->app[1].naccepted, HO_CONNS);
	for (e = 0; e < WIRE_ENDS; e++) {
		for (i = 0; i < t->app[e].naccepted; i++) {
			CHECK_EQ(t->srv[e][i].rx_len, HO_BYTES);
			CHECK_EQ(t->srv[e][i].rx_bad, 0);
		}
	}
	CHECK(ho_run(t, 60 * 1000, done_quiet));
	for (i = 0; i < 2 * HO_CONNS; i++)
		CHECK(t->cli[i].dead && !t->cli[i].dead_reason);
	for (e = 0; e < WIRE_ENDS; e++) {
		for (i = 0; i < t->app[e].naccepted; i++)
			CHECK(t->srv[e][i].dead && !t->srv[e][i].dead_reason);
		CHECK_EQ(t->w.end[e].s.stats.tcp_resets, 0);
		CHECK_EQ(t->tcp[e]->stats->resets_in, 0);
	}
	CHECK_EQ(HO_STAT(t, handoff_drops), 0);
	CHECK_EQ(HO_STAT(t, handoff_out), HO_STAT(t, handoff_in));
	free(data);
}

IX_TEST(handoff, random_steering_lossy_no_reset)
{
	struct wire_faults f = { .loss = 10, .reorder = 10 };
	struct tho *t = &tho;

	ho_streams(t, 21, &f);
	if (ix_test_failed())
		return;
	printf("# handoffs: %llu segments and %llu ARP packets to the other core\n",
	       (unsigned long long)(HO_STAT(t, handoff_out) -
				    HO_STAT(t, handoff_arp)),
	       (unsigned long long)HO_STAT(t, handoff_arp));
	/* Half the segments land on the wrong core. */
	CHECK(HO_STAT(t, handoff_out) > 1000);
	CHECK(t->app[0].naccepted && t->app[2].naccepted);
	CHECK(ho_fini(t));
}

IX_TEST(handoff, rss_steering_needs_no_handoff)
{
	static struct ixdp_rss rss;
	struct wire_faults f = { .loss = 10, .rss = &rss };
	struct tho *t = &tho;

	ho_rss(&rss);
	ho_streams(t, 22, &f);
	if (ix_test_failed())
		return;
	/* Only ARP was handed over: every segment landed at home. */
	CHECK(HO_STAT(t, handoff_arp) > 0);
	CHECK_EQ(HO_STAT(t, handoff_out), HO_STAT(t, handoff_arp));
	CHECK(ho_fini(t));
}

static bool done_refused(struct tho *t)
{
	return t->cli[0].connected != 0;
}

/*
 * A SYN to a port no core listens on goes round every core once; the
 * last answers RST.  So does an ACK for no connection.
 */
IX_TEST(handoff, stray_segment_visits_each_core_once)
{
	struct wire_faults f = { 0 };
	struct tho *t = &tho;

	CHECK(!ho_init(t, 23, &f));
	CHECK(!ho_connect(t, 1, 0, 81, NULL, 0));
	CHECK(ho_run(t, 10 * 1000, done_refused));
	CHECK_EQ(t->cli[0].connected, -ECONNREFUSED);
	CHECK_EQ(HO_STAT(t, tcp_resets), 1);
	CHECK_EQ(HO_STAT(t, handoff_out) - HO_STAT(t, handoff_arp), 1);
	CHECK(ho_run(t, 10 * 1000, done_quiet));
	CHECK(ho_fini(t));
}

static bool done_two_connected(struct tho *t)
{
	return t->cli[0].connected == 1 && t->cli[1].connected == 1;
}

/* A gratuitous ARP reaching one core moves the neighbour on both. */
IX_TEST(handoff, gratuitous_arp_updates_every_core)
{
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x33 };
	struct wire_faults f = { 0 };
	const struct ixdp_arp_entry *e;
	struct tho *t = &tho;
	unsigned int c, k;
	const uint8_t *mac;
	uint8_t frame[64];
	struct ixdp_buf *b;
	size_t len;

	CHECK(!ho_init(t, 24, &f));
	/* Both cores learn the peer: each opens a connection to it. */
	CHECK(!ho_connect(t, 0, 0, 80, NULL, 0));
	CHECK(!ho_connect(t, 2, 1, 80, NULL, 0));
	CHECK(ho_run(t, 10 * 1000, done_two_connected));
	/* The peer moves, and comes back. */
	for (k = 0; k < 2; k++) {
		/* A neighbour moves once a second at most (locktime). */
		for (c = 0; c < 3; c++)
			ixdp_stack_advance(&t->w.end[c].s, t->w.end[c].s.now +
					   t->w.end[c].s.cfg.hz);
		mac = k ? peer_mac : moved;
		len = mk_arp(frame, bcast_mac, 1, mac, PEER_IP, bcast_mac,
			     PEER_IP);
		b = ixdp_buf_get(&t->w.end[0].pool);
		CHECK(b);
		ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
		memcpy(ixdp_buf_put_tail(b, len), frame, len);
		ixdp_eth_rx(&t->w.end[0].s, b);
		CHECK_EQ(ixdp_handoff_poll(&t->w.end[2].s, 64), 1);
		for (c = 0; c < 3; c += 2) {
			e = ixdp_arp_lookup(&t->w.end[c].s,
					    cpu_to_be32(PEER_IP));
			CHECK(e && !memcmp(e->mac, mac, 6));
		}
	}
	CHECK(!ixdp_tcp_abort(t->cli[0].s, t->cli[0].h));
	CHECK(!ixdp_tcp_abort(t->cli[1].s, t->cli[1].h));
	CHECK(ho_run(t, 10 * 1000, done_quiet));
	CHECK(ho_fini(t));
}

/* Frame @f of @len bytes, straight into core @e. */
static bool ho_inject(struct tho *t, unsigned int e, const uint8_t *f,
		      size_t len)
{
	struct ixdp_buf *b = ixdp_buf_get(&t->w.end[e].pool);

	if (!b)
		return false;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, len), f, len);
	ixdp_eth_rx(&t->w.end[e].s, b);
	return true;
}

/* A SYN from an address that never answers, straight into core @e. */
static bool ho_spoof_syn(struct tho *t, unsigned int e)
{
	uint8_t frame[64];
	size_t len;

	len = mk_tcp(frame, IP4(198, 18, 0, 99), 1000 + e, 80, 1, 0, TH_SYN,
		     0);
	return ho_inject(t, e, frame, len);
}

#define HO_COOKIE_CONNS	8

static bool done_all_connected(struct tho *t)
{
	unsigned int i;

	for (i = 0; i < HO_COOKIE_CONNS; i++)
		if (t->cli[i].connected != 1)
			return false;
	return true;
}

/*
 * Each core's backlog of 1 holds a half-open connection, so every client
 * gets a SYN cookie from the core its SYN lands on; its ACK lands on
 * either, and the core that made the cookie takes it.  The kernel draws
 * a key per core; the shim's is fixed, so core 2 gets its own here.
 */
IX_TEST(handoff, cookie_ack_finds_the_core_that_made_it)
{
	struct wire_faults f = { 0 };
	struct tho *t = &tho;
	unsigned int e, i;

	CHECK(!ho_init(t, 25, &f));
	for (e = 0; e < WIRE_ENDS; e += 2) {
		CHECK(!ixdp_tcp_unlisten(&t->w.end[e].s, cpu_to_be16(80)));
		CHECK(!ixdp_tcp_listen(&t->w.end[e].s, cpu_to_be16(80), 1,
				       &t->app[e]));
		CHECK(ho_spoof_syn(t, e));
		CHECK_EQ(t->tcp[e]->lsn[0].pending, 1);
	}
	t->tcp[2]->cookie_key.key[0] = 1;
	t->tcp[2]->cookie_key.key[1] = 2;
	for (i = 0; i < HO_COOKIE_CONNS; i++)
		CHECK(!ho_connect(t, 1, i, 80, NULL, 0));
	CHECK(ho_run(t, 10 * 1000, done_all_connected));
	CHECK_EQ(t->app[0].nknock + t->app[2].nknock, HO_COOKIE_CONNS);
	CHECK(t->app[0].nknock && t->app[2].nknock);
	CHECK_EQ(HO_STAT(t, tcp.cookies_valid), HO_COOKIE_CONNS);
	CHECK_EQ(HO_STAT(t, tcp.cookies_rejected), 0);
	CHECK_EQ(HO_STAT(t, tcp_resets), 0);
	/* Some ACKs landed on the other core. */
	CHECK(HO_STAT(t, handoff_out) > HO_STAT(t, handoff_arp));
	for (i = 0; i < HO_COOKIE_CONNS; i++)
		CHECK(!ixdp_tcp_abort(t->cli[i].s, t->cli[i].h));
	/* The half-open ones give up after 127 s. */
	CHECK(ho_run(t, 200 * 1000, done_quiet));
	CHECK(ho_fini(t));
}

static bool done_connected(struct tho *t)
{
	return t->cli[0].connected == 1;
}

/* An ICMP error from the gateway, straight into core 0. */
static void ho_icmp(struct tho *t, uint16_t lport, uint32_t seq)
{
	struct ixdp_buf *b = ixdp_buf_get(&t->w.end[0].pool);
	uint8_t frame[128];
	size_t len;

	CHECK(b);
	if (!b)
		return;
	len = mk_icmp_tcp(frame, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 1200,
			  lport, 80, seq);
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, len), frame, len);
	ixdp_eth_rx(&t->w.end[0].s, b);
}

/*
 * An ICMP error comes from a router, so the device's hashing does not
 * take it to the core of the connection it quotes: fragmentation needed
 * for a connection of core 2 lands on core 0, which hands it over, and
 * core 2 lowers the path MTU.  One quoting no connection goes round
 * once and is rejected once.
 */
IX_TEST(handoff, icmp_error_finds_the_core_of_its_connection)
{
	static struct ixdp_rss rss;
	static uint8_t data[3000];
	struct wire_faults f = { .rss = &rss };
	struct ixdp_iov iov = { data, sizeof(data) };
	struct ixdp_tcp_pcb *pcb;
	struct tho *t = &tho;
	uint64_t out;
	uint16_t lport;

	ho_rss(&rss);
	CHECK(!ho_init(t, 26, &f));
	CHECK(!ho_connect(t, 2, 0, 80, NULL, 0));
	t->cli[0].close_when_sent = false;
	CHECK(ho_run(t, 10 * 1000, done_connected));
	pcb = &t->tcp[2]->pcbs[t->cli[0].h & 0xffff];
	lport = be16_to_cpu(pcb->lport);
	CHECK_EQ(ixdp_tcp_sendv(t->cli[0].s, t->cli[0].h, &iov, 1),
		 sizeof(data));
	CHECK(pcb->snd_max != pcb->snd_una);
	CHECK(tcp_pcb_mtu(pcb) > 1200);
	out = HO_STAT(t, handoff_out);
	ho_icmp(t, lport, pcb->snd_una);
	CHECK_EQ(HO_STAT(t, handoff_out), out + 1);
	CHECK_EQ(ixdp_handoff_poll(&t->w.end[2].s, 64), 1);
	CHECK_EQ(t->w.end[2].s.stats.tcp.pmtu_updates, 1);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	CHECK_EQ(HO_STAT(t, icmp_errors_rejected), 0);
	/* A port of core 2's share that no connection has. */
	ho_icmp(t, lport + 2, pcb->snd_una);
	CHECK_EQ(ixdp_handoff_poll(&t->w.end[2].s, 64), 1);
	CHECK_EQ(ixdp_handoff_poll(&t->w.end[0].s, 64), 0);
	CHECK_EQ(HO_STAT(t, handoff_out), out + 2);
	CHECK_EQ(HO_STAT(t, icmp_errors_rejected), 1);
	CHECK_EQ(HO_STAT(t, tcp.pmtu_updates), 1);
	CHECK(!ixdp_tcp_abort(t->cli[0].s, t->cli[0].h));
	CHECK(ho_run(t, 10 * 1000, done_quiet));
	CHECK(ho_fini(t));
}

/*
 * What the twin test keeps of the peer's (end 1's) frames: its first SYN,
 * and, once @arm is set, the next segment it sends, taken off the cable.
 */
static struct {
	uint8_t		syn[128];
	uint8_t		next[128];
	uint32_t	syn_len;
	uint32_t	next_len;
	bool		arm;
	unsigned int	core;		/* the twin's end */
} twin;

static bool twin_tap(struct wire *w, unsigned int from, const uint8_t *d,
		     uint32_t len)
{
	/* Ethernet, a 20-byte IPv4 header, then TCP's flags at 13. */
	if (from != 1 || len < 54 || len > sizeof(twin.syn) ||
	    d[12] != 0x08 || d[13] != 0 || d[14] != 0x45 || d[23] != 6)
		return false;
	if (!twin.syn_len && d[34 + 13] == TH_SYN) {
		memcpy(twin.syn, d, len);
		twin.syn_len = len;
		return false;
	}
	if (!twin.arm || twin.next_len)
		return false;
	memcpy(twin.next, d, len);
	twin.next_len = len;
	return true;
}

static bool done_twin_answered(struct tho *t)
{
	return twin.next_len != 0;
}

static bool done_twin_gone(struct tho *t)
{
	return !t->tcp[twin.core]->nused;
}

/*
 * A retransmitted SYN that the device takes to the other core (the tap
 * forgot the flow, its queue changed cores) opens the connection there
 * again.  The peer, connected through the first core, answers the twin's
 * SYN-ACK with an ACK of the first's sequence; landing on the twin, that
 * ACK goes over to the first core, where it is a duplicate: no reset
 * kills the connection.  The twin gives its SYN-ACKs up silently.
 */
IX_TEST(handoff, syn_twin_on_another_core_resets_nothing)
{
	static struct ixdp_rss rss;
	struct wire_faults f = { .rss = &rss, .tap = twin_tap };
	struct tho *t = &tho;
	unsigned int own;
	uint64_t out;

	memset(&twin, 0, sizeof(twin));
	ho_rss(&rss);
	CHECK(!ho_init(t, 27, &f));
	CHECK(!ho_connect(t, 1, 0, 80, NULL, 0));
	t->cli[0].close_when_sent = false;
	CHECK(ho_run(t, 10 * 1000, done_connected));
	CHECK(twin.syn_len);
	CHECK_EQ(t->tcp[0]->nused + t->tcp[2]->nused, 1);
	own = t->tcp[0]->nused ? 0 : 2;
	twin.core = 2 - own;
	/* The SYN again, on the other core: a twin in SYN_RCVD. */
	twin.arm = true;
	CHECK(ho_inject(t, twin.core, twin.syn, twin.syn_len));
	CHECK_EQ(t->tcp[twin.core]->nused, 1);
	/* Its SYN-ACK reaches the peer, whose ACK is kept. */
	CHECK(ho_run(t, 1000, done_twin_answered));
	CHECK_EQ(twin.next[34 + 13], TH_ACK);
	out = HO_STAT(t, handoff_out);
	CHECK(ho_inject(t, twin.core, twin.next, twin.next_len));
	CHECK_EQ(HO_STAT(t, handoff_out), out + 1);
	CHECK_EQ(ixdp_handoff_poll(&t->w.end[own].s, 64), 1);
	CHECK_EQ(HO_STAT(t, tcp_resets), 0);
	CHECK(ho_run(t, 200 * 1000, done_twin_gone));
	CHECK_EQ(HO_STAT(t, tcp_resets), 0);
	CHECK_EQ(t->cli[0].connected, 1);
	CHECK(!t->cli[0].dead);
	CHECK_EQ(t->tcp[own]->nused, 1);
	CHECK(!ixdp_tcp_abort(t->cli[0].s, t->cli[0].h));
	CHECK(ho_run(t, 10 * 1000, done_quiet));
	CHECK(ho_fini(t));
}
