// SPDX-License-Identifier: GPL-2.0
/*
 * SYN flood tests: SYN cookies (net/ixdp/tcp_cookie.c) and the share of
 * the table a listener may hold, driven by the test peer of tcp_util.c.
 * Times are in ticks of 1 ms; a cookie window is 64 s.
 */

#include <string.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

/* A SYN from @saddr:@sport (0: the peer), with the usual options. */
static void syn_init(struct tseg *sg, uint32_t saddr, uint16_t sport,
		     uint32_t seq)
{
	memset(sg, 0, sizeof(*sg));
	sg->saddr = saddr;
	sg->sport = sport;
	sg->dport = SRV_PORT;
	sg->seq = seq;
	sg->flags = TH_SYN;
	sg->win = 65535;
	tp_syn_opts(sg);
}

/* The peer's ACK of SYN-ACK @sa, from @sport, its ISN @piss. */
static void ack_init(struct tseg *sg, const struct tseg *sa, uint16_t sport,
		     uint32_t piss)
{
	memset(sg, 0, sizeof(*sg));
	sg->sport = sport;
	sg->dport = SRV_PORT;
	sg->seq = piss + 1;
	sg->ack = sa->seq + 1;
	sg->flags = TH_ACK;
	sg->win = 512;
	if (sa->has_ts) {
		sg->has_ts = true;
		sg->tsval = 101;
		sg->tsecr = sa->tsval;
	}
}

/*
 * Fill a listener's backlog with @n SYNs from spoofed addresses: a few,
 * so that the SYN-ACKs queued for their ARP replies leave the pool room.
 */
static void spoof_syns(struct tpeer *p, unsigned int n)
{
	struct tseg sg;
	unsigned int i;

	for (i = 0; i < n; i++) {
		syn_init(&sg, IP4(198, 18, 0, 100 + i % 8), 1024 + i,
			 5000 * i);
		tp_send(p, &sg);
		/* Their SYN-ACKs wait for ARP replies that never come. */
		ts_flush(&p->t);
	}
}

/* The PCB of the 4-tuple of the peer's port @sport, or NULL. */
static struct ixdp_tcp_pcb *pcb_from(struct tpeer *p, uint16_t sport)
{
	return ixdp_tcp_pcb_lookup(&p->t.s, cpu_to_be32(PEER_IP),
				   cpu_to_be16(sport), cpu_to_be16(SRV_PORT));
}

IX_TEST(tcp_cookie, flood_leaves_room_for_a_fresh_client)
{
	struct ixdp_iov iov = { "0123456789abcdef", 16 };
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	static uint8_t data[10];
	struct tseg sg, sa, in;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 2, &p->app));
	spoof_syns(p, 2);
	CHECK_EQ(p->tcp->lsn[0].pending, 2);
	CHECK_EQ(p->tcp->nused, 2);
	/* The fresh client's SYN is answered, with no state kept. */
	syn_init(&sg, 0, PEER_PORT, 7000);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &sa));
	CHECK_EQ(sa.flags, TH_SYN | TH_ACK);
	CHECK_EQ(sa.ack, 7001);
	CHECK(sa.has_mss && sa.has_ws && sa.sack_ok && sa.has_ts);
	CHECK_EQ(sa.tsecr, 100);
	CHECK_EQ(p->tcp->nused, 2);
	CHECK_EQ(p->tcp->stats->cookies_sent, 1);
	CHECK_EQ(p->tcp->lsn[0].refused, 0);
	/* Its ACK, with data, makes an established connection. */
	ack_init(&sg, &sa, PEER_PORT, 7000);
	pat_fill(data, sizeof(data), p->app.srv_seed, 0);
	sg.data = data;
	sg.len = sizeof(data);
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->cookies_valid, 1);
	CHECK_EQ(p->app.nknock, 1);
	CHECK_EQ(p->app.naccepted, 1);
	pcb = pcb_from(p, PEER_PORT);
	CHECK(pcb);
	CHECK_EQ(pcb->state, IXDP_TCP_ESTABLISHED);
	CHECK_EQ(pcb->iss, sa.seq);
	CHECK_EQ(p->srv[0].rx_len, 10);
	CHECK_EQ(p->srv[0].rx_bad, 0);
	/* Data goes the other way, acknowledging the peer's. */
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->srv[0].h, &iov, 1), 16);
	CHECK(tp_pop(p, &in));
	CHECK_EQ(in.len, 16);
	CHECK(!memcmp(in.data, "0123456789abcdef", 16));
	CHECK_EQ(in.seq, sa.seq + 1);
	CHECK_EQ(in.ack, 7011);
	ack_init(&sg, &sa, PEER_PORT, 7000);
	sg.seq = 7011;
	sg.ack = sa.seq + 17;
	tp_send(p, &sg);
	CHECK_EQ(p->srv[0].tx_acked, 16);
	/* The spoofed ones are still there; the client did not wait. */
	CHECK_EQ(p->tcp->lsn[0].pending, 2);
	CHECK_EQ(p->tcp->stats->cookies_rejected, 0);
	CHECK(tp_fini(p));
}

/* Whether the peer's ACK from @sport got an RST and made nothing. */
static bool refused(struct tpeer *p, uint16_t sport, unsigned int nused)
{
	struct tseg in;

	return tp_pop(p, &in) && in.flags & TH_RST && in.dport == sport &&
	       !pcb_from(p, sport) && p->tcp->nused == nused;
}

IX_TEST(tcp_cookie, forged_and_stale_cookies_make_nothing)
{
	struct tpeer *p = &tp;
	struct tseg sg, sa, sb, sc;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 1, &p->app));
	/* The backlog holds one connection the application never takes. */
	p->app.no_accept = true;
	syn_init(&sg, 0, 3000, 100);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &sa) && sa.flags == (TH_SYN | TH_ACK));
	ack_init(&sg, &sa, 3000, 100);
	tp_send(p, &sg);
	CHECK_EQ(p->app.nknock, 1);
	CHECK_EQ(p->tcp->lsn[0].pending, 1);
	CHECK_EQ(p->tcp->stats->cookies_sent, 0);
	syn_init(&sg, 0, 4000, 9000);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &sa) && sa.flags == (TH_SYN | TH_ACK));
	/* A wrong cookie: one hash bit off. */
	ack_init(&sg, &sa, 4000, 9000);
	sg.ack ^= 1 << 20;
	tp_send(p, &sg);
	CHECK(refused(p, 4000, 1));
	CHECK_EQ(p->tcp->stats->cookies_rejected, 1);
	/* The right cookie from another 4-tuple, or for another ISN. */
	ack_init(&sg, &sa, 4001, 9000);
	tp_send(p, &sg);
	CHECK(refused(p, 4001, 1));
	ack_init(&sg, &sa, 4000, 9001);
	tp_send(p, &sg);
	CHECK(refused(p, 4000, 1));
	CHECK_EQ(p->tcp->stats->cookies_rejected, 3);
	/* Two windows on (128 s), with the flood going on, it is stale. */
	tp_advance(p, 130000);
	tp_arp(p);
	ts_flush(&p->t);
	syn_init(&sg, 0, 5000, 20000);
	tp_send(p, &sg);
	CHECK(tp_pop(p, &sb) && sb.flags == (TH_SYN | TH_ACK));
	ack_init(&sg, &sa, 4000, 9000);
	tp_send(p, &sg);
	CHECK(refused(p, 4000, 1));
	CHECK_EQ(p->tcp->stats->cookies_rejected, 4);
	CHECK_EQ(p->tcp->stats->cookies_valid, 0);
	/* One window on, a cookie is still good. */
	tp_advance(p, 200000);
	tp_arp(p);
	ts_flush(&p->t);
	ack_init(&sg, &sb, 5000, 20000);
	tp_send(p, &sg);
	CHECK_EQ(p->tcp->stats->cookies_valid, 1);
	CHECK(pcb_from(p, 5000));
	CHECK_EQ(pcb_from(p, 5000)->state, IXDP_TCP_ESTABLISHED);
	CHECK_EQ(p->app.nknock, 2);
	/* Twice the backlog waits to be accepted: a SYN is refused. */
	syn_init(&sg, 0, 6000, 30000);
	tp_send(p, &sg);
	CHECK(!tp_pop(p, &sc));
	CHECK_EQ(p->tcp->lsn[0].refused, 1);
	CHECK_EQ(p->tcp->stats->cookies_sent, 2);
	CHECK(tp_fini(p));
}

/* Open from @sport through a cookie; return its PCB, or NULL. */
static struct ixdp_tcp_pcb *cookie_open(struct tpeer *p, struct tseg *syn,
					struct tseg *sa)
{
	struct tseg sg;

	tp_send(p, syn);
	if (!tp_pop(p, sa) || sa->flags != (TH_SYN | TH_ACK))
		return NULL;
	ack_init(&sg, sa, syn->sport, syn->seq);
	tp_send(p, &sg);
	return pcb_from(p, syn->sport);
}

IX_TEST(tcp_cookie, options_come_back_from_the_cookie)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	struct tseg sg, sa;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 1, &p->app));
	spoof_syns(p, 1);
	/* Everything offered, with timestamps: all of it comes back. */
	syn_init(&sg, 0, 3000, 100);
	sg.mss = 1400;
	sg.ws = 3;
	pcb = cookie_open(p, &sg, &sa);
	CHECK(pcb && pcb->state == IXDP_TCP_ESTABLISHED);
	CHECK(sa.has_ws && sa.sack_ok && sa.has_ts);
	CHECK_EQ(pcb->mss, 1400 - 12);
	CHECK_EQ(pcb->snd_wscale, 3);
	CHECK_EQ(pcb->rcv_wscale, sa.ws);
	CHECK_EQ(pcb->flags & (TCPF_WS | TCPF_SACK | TCPF_TS),
		 TCPF_WS | TCPF_SACK | TCPF_TS);
	CHECK_EQ(pcb->ts_recent, 101);
	/* The TSval carrying them is not ahead of our clock. */
	CHECK((int32_t)(sa.tsval - (uint32_t)p->t.s.now) <= 0);
	/* An MSS between the table's is rounded down; no SACK, no scaling. */
	syn_init(&sg, 0, 3001, 200);
	sg.mss = 1250;
	sg.sack_ok = false;
	sg.has_ws = false;
	pcb = cookie_open(p, &sg, &sa);
	CHECK(pcb && pcb->state == IXDP_TCP_ESTABLISHED);
	CHECK(!sa.has_ws && !sa.sack_ok && sa.has_ts);
	CHECK_EQ(pcb->mss, 1200 - 12);
	CHECK_EQ(pcb->flags & (TCPF_WS | TCPF_SACK | TCPF_TS), TCPF_TS);
	CHECK_EQ(pcb->snd_wscale, 0);
	CHECK_EQ(pcb->rcv_wscale, 0);
	/* Without timestamps there is nowhere to keep the rest: MSS only. */
	syn_init(&sg, 0, 3002, 300);
	sg.has_ts = false;
	pcb = cookie_open(p, &sg, &sa);
	CHECK(pcb && pcb->state == IXDP_TCP_ESTABLISHED);
	CHECK(sa.has_mss && !sa.has_ws && !sa.sack_ok && !sa.has_ts);
	CHECK_EQ(pcb->mss, 1460);
	CHECK_EQ(pcb->flags & (TCPF_WS | TCPF_SACK | TCPF_TS), 0);
	/* No MSS option: RFC 9293's 536. */
	syn_init(&sg, 0, 3003, 400);
	sg.has_mss = false;
	pcb = cookie_open(p, &sg, &sa);
	CHECK(pcb && pcb->state == IXDP_TCP_ESTABLISHED);
	CHECK_EQ(pcb->mss, IXDP_TCP_DEFAULT_MSS - 12);
	CHECK_EQ(p->app.nknock, 4);
	CHECK_EQ(p->tcp->stats->cookies_valid, 4);
	CHECK(tp_fini(p));
}

IX_TEST(tcp_cookie, backlog_clamped_to_half_the_table)
{
	struct ixdp_tcp_config cfg = { .flags = IXDP_TCP_NO_COOKIES };
	struct tpeer *p = &tp;

	CHECK(!tp_init(p, &cfg));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 60000, NULL));
	CHECK_EQ(p->tcp->lsn[0].backlog, IXDP_TCP_PCBS / 2);
	/* A flood holds half the table and no more. */
	spoof_syns(p, IXDP_TCP_PCBS / 2 + 10);
	CHECK_EQ(p->tcp->nused, IXDP_TCP_PCBS / 2);
	CHECK_EQ(p->tcp->lsn[0].refused, 10);
	CHECK(tp_fini(p));
}

/* Two listeners together hold half the table; past it, cookies. */
IX_TEST(tcp_cookie, listeners_together_hold_half_the_table)
{
	struct tpeer *p = &tp;
	struct tseg sg, sa;
	unsigned int i;

	CHECK(!tp_init(p, NULL));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 200, &p->app));
	CHECK(!ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT + 1), 200,
			       &p->app));
	for (i = 0; i < 300; i++) {
		syn_init(&sg, IP4(198, 18, 0, 100 + i % 8), 1024 + i, i);
		sg.dport = SRV_PORT + i % 2;
		tp_send(p, &sg);
		ts_flush(&p->t);
	}
	CHECK_EQ(p->tcp->nused, IXDP_TCP_PCBS / 2);
	CHECK_EQ(p->tcp->stats->cookies_sent, 300 - IXDP_TCP_PCBS / 2);
	CHECK_EQ(p->tcp->stats->syn_refused, 0);
	/* A fresh client still gets in. */
	syn_init(&sg, 0, PEER_PORT, 7000);
	CHECK(cookie_open(p, &sg, &sa));
	CHECK_EQ(p->app.nknock, 1);
	CHECK(tp_fini(p));
}
