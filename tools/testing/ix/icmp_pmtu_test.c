// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors against TCP and the errors we send (issue "Hostile peers",
 * finding 12): path MTU discovery (RFC 1191) from fragmentation needed,
 * its validation against the connection (RFC 5927), soft errors left
 * alone (RFC 5461), the floor of the path MTU, and the token bucket of
 * the ICMP errors a core sends.  Times are in ticks of 1 ms.
 */

#include <string.h>

#include <linux/icmp.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;
static uint8_t frame[IXDP_BUF_SIZE];
static uint8_t sdata[8192];

static struct ixdp_tcp_pcb *pcb_of(struct tpeer *p)
{
	return &p->tcp->pcbs[p->cli.h & 0xffff];
}

static void frag_needed(struct tpeer *p, uint16_t mtu, uint32_t seq)
{
	ts_rx(&p->t, frame, mk_icmp_tcp(frame, ICMP_DEST_UNREACH,
					ICMP_FRAG_NEEDED, mtu, p->lport,
					SRV_PORT, seq));
}

/*
 * Take every frame sent: all must be TCP segments of at most @mtu bytes
 * of IPv4; return how many, and the first one's sequence number and
 * payload length.
 */
static int pop_all(struct tpeer *p, unsigned int mtu, uint32_t *seq,
		   uint32_t *len)
{
	struct tseg sg;
	int n = 0;

	while (p->t.ntx) {
		if (get16(bdata(p->t.tx[0]) + 16) > mtu)
			return -1;
		if (!tp_pop(p, &sg))
			return -1;
		if (!n++) {
			*seq = sg.seq;
			*len = sg.len;
		}
	}
	return n;
}

/* A connection with timestamps (MSS 1448) and 4000 bytes in flight. */
static bool open_busy(struct tpeer *p)
{
	struct ixdp_iov iov = { sdata, 4000 };
	uint32_t seq, len;

	if (tp_init(p, NULL) || !tp_open_active(p, NULL, 5000, true))
		return false;
	if (ixdp_tcp_sendv(&p->t.s, p->cli.h, &iov, 1) != 4000)
		return false;
	/* The initial window, 4380 bytes: three segments. */
	return pop_all(p, 1500, &seq, &len) == 3 && seq == p->iss + 1 &&
	       len == 1448;
}

IX_TEST(icmp_pmtu, frag_needed_lowers_mss_and_resends_in_smaller_segments)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	CHECK_EQ(pcb->mss, 1448);
	/* Quoting the second segment: any one in flight will do. */
	frag_needed(p, 1200, p->iss + 1 + 1448);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 1);
	CHECK_EQ(p->t.s.stats.icmp_errors_rejected, 0);
	CHECK_EQ(pcb->mss, 1200 - 20 - 20 - 12);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	/* What no longer fits went again at once, from snd_una. */
	CHECK(pop_all(p, 1200, &seq, &len) >= 1);
	CHECK_EQ(seq, p->iss + 1);
	CHECK_EQ(len, 1148);
	CHECK_EQ(pcb->state, IXDP_TCP_ESTABLISHED);
	/* And so does the retransmission of a timeout. */
	tp_advance(p, 5000);
	CHECK(pop_all(p, 1200, &seq, &len) >= 1);
	CHECK_EQ(seq, p->iss + 1);
	CHECK_EQ(len, 1148);
	CHECK(tp_fini(p));
}

IX_TEST(icmp_pmtu, error_outside_the_flight_changes_nothing)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	/* snd_max itself, beyond it, below snd_una. */
	frag_needed(p, 1200, p->iss + 1 + 4000);
	frag_needed(p, 1200, p->iss + 1 + 100000);
	frag_needed(p, 1200, p->iss);
	/* No such connection: another local port. */
	ts_rx(&p->t, frame, mk_icmp_tcp(frame, ICMP_DEST_UNREACH,
					ICMP_FRAG_NEEDED, 1200, p->lport + 1,
					SRV_PORT, p->iss + 1));
	CHECK_EQ(p->t.s.stats.icmp_errors_rejected, 4);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 0);
	CHECK_EQ(pcb->mss, 1448);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1500);
	CHECK_EQ(pop_all(p, 1500, &seq, &len), 0);
	/* The timeout's retransmission is still full size. */
	tp_advance(p, 5000);
	CHECK(pop_all(p, 1500, &seq, &len) >= 1);
	CHECK_EQ(len, 1448);
	CHECK(tp_fini(p));
}

IX_TEST(icmp_pmtu, larger_or_zero_mtu_is_ignored)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	frag_needed(p, 1200, p->iss + 1);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 1);
	CHECK(pop_all(p, 1200, &seq, &len) >= 1);
	/* Larger than now, equal, and 0 (a router before RFC 1191). */
	frag_needed(p, 1400, p->iss + 1);
	frag_needed(p, 1200, p->iss + 1);
	frag_needed(p, 0, p->iss + 1);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 1);
	CHECK_EQ(p->t.s.stats.tcp.icmp_ignored, 3);
	CHECK_EQ(p->t.s.stats.icmp_errors_rejected, 0);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	CHECK_EQ(pcb->mss, 1148);
	CHECK_EQ(pop_all(p, 1200, &seq, &len), 0);
	CHECK(tp_fini(p));
}

IX_TEST(icmp_pmtu, mtu_floor_holds)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	frag_needed(p, 100, p->iss + 1);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 1);
	CHECK_EQ(tcp_pcb_mtu(pcb), IXDP_TCP_MIN_PMTU);
	CHECK_EQ(pcb->mss, 552 - 20 - 20 - 12);
	CHECK(pop_all(p, 552, &seq, &len) >= 1);
	CHECK_EQ(len, 500);
	/* Below the floor again: nothing lower to go to. */
	frag_needed(p, 68, p->iss + 1);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 1);
	CHECK_EQ(pcb->mss, 500);
	tp_advance(p, 5000);
	CHECK(pop_all(p, 552, &seq, &len) >= 1);
	CHECK_EQ(seq, p->iss + 1);
	CHECK_EQ(len, 500);
	CHECK(tp_fini(p));
}

IX_TEST(icmp_pmtu, soft_error_is_validated_and_ignored)
{
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	ts_rx(&p->t, frame, mk_icmp_tcp(frame, ICMP_DEST_UNREACH,
					ICMP_PORT_UNREACH, 0, p->lport,
					SRV_PORT, p->iss + 1));
	ts_rx(&p->t, frame, mk_icmp_tcp(frame, ICMP_TIME_EXCEEDED, 0, 0,
					p->lport, SRV_PORT, p->iss + 1));
	ts_rx(&p->t, frame, mk_icmp_tcp(frame, ICMP_DEST_UNREACH,
					ICMP_PORT_UNREACH, 0, p->lport,
					SRV_PORT, p->iss + 1 + 4000));
	CHECK_EQ(p->t.s.stats.tcp.icmp_ignored, 2);
	CHECK_EQ(p->t.s.stats.icmp_errors_rejected, 1);
	CHECK_EQ(pcb->state, IXDP_TCP_ESTABLISHED);
	CHECK(!p->cli.dead);
	CHECK_EQ(pcb->mss, 1448);
	CHECK_EQ(pop_all(p, 1500, &seq, &len), 0);
	CHECK(tp_fini(p));
}

/* @n datagrams to a closed port; the frames sent are put back. */
static void udp_flood(struct tstack *t, unsigned int n)
{
	unsigned int i;
	size_t len;

	len = mk_udp(frame, PEER_IP, US_IP, 5000, 9, "x", 1);
	for (i = 0; i < n; i++) {
		ts_rx(t, frame, len);
		ts_flush(t);
	}
}

IX_TEST(icmp_pmtu, port_unreachable_is_rate_limited)
{
	struct tstack t;

	CHECK(!ts_init_peer(&t, 16));
	/* The burst, then nothing. */
	udp_flood(&t, 200);
	CHECK_EQ(t.s.stats.icmp_errors, IXDP_ICMP_BURST);
	CHECK_EQ(t.s.stats.icmp_errors_limited, 200 - IXDP_ICMP_BURST);
	CHECK_EQ(ts_drops(&t, IXDP_DROP_UDP_NO_PORT), 200);
	/* 10 ms: 10 more at 1000 a second. */
	ixdp_stack_advance(&t.s, 10);
	udp_flood(&t, 100);
	CHECK_EQ(t.s.stats.icmp_errors, IXDP_ICMP_BURST + 10);
	/* A long silence fills the bucket to its burst, no more. */
	ixdp_stack_advance(&t.s, 10000);
	udp_flood(&t, 100);
	CHECK_EQ(t.s.stats.icmp_errors, 2 * IXDP_ICMP_BURST + 10);
	CHECK_EQ(t.s.stats.icmp_errors_limited, 150 + 90 + 50);
	CHECK(ts_fini(&t));
}

/*
 * The peer takes every segment sent, none over @mss bytes, and
 * acknowledges them with timestamps (*@tsval, counting up), until the
 * flight is empty; ARP requests (the neighbour entry is refreshed over
 * ten minutes) pass.  False if a segment was too large or the flight
 * stayed.
 */
static bool ack_all(struct tpeer *p, struct ixdp_tcp_pcb *pcb,
		    unsigned int mss, uint32_t *tsval)
{
	uint32_t tsecr = 0;
	struct tseg sg;
	int round;

	for (round = 0; round < 8; round++) {
		while (p->t.ntx) {
			if (!tp_pop(p, &sg))
				continue;
			if (sg.len > mss)
				return false;
			tsecr = sg.tsval;
		}
		if (pcb->snd_una == pcb->snd_max)
			return true;
		seg_init(p, &sg, pcb->rcv_nxt, pcb->snd_max, TH_ACK);
		sg.has_ts = true;
		sg.tsval = (*tsval)++;
		sg.tsecr = tsecr;
		if (!tp_send(p, &sg))
			return false;
	}
	return false;
}

/*
 * Ten minutes after its last decrease the path MTU goes back to the
 * stack's (RFC 1191 6.3): segments are full size again, and a router
 * that still cannot take them lowers it again.  4000 bytes a second
 * meanwhile, each acknowledged.
 */
IX_TEST(icmp_pmtu, lowered_path_mtu_expires_after_ten_minutes)
{
	struct ixdp_iov iov = { sdata, 4000 };
	struct tpeer *p = &tp;
	struct ixdp_tcp_pcb *pcb;
	uint32_t seq, len, tsval = 200;
	uint64_t now;

	CHECK(open_busy(p));
	pcb = pcb_of(p);
	frag_needed(p, 1200, p->iss + 1);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	CHECK_EQ(pcb->mss, 1148);
	for (now = 1000; now <= 9 * 60 * 1000; now += 1000) {
		CHECK(ack_all(p, pcb, 1148, &tsval));
		CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->cli.h, &iov, 1), 4000);
		tp_advance(p, now);
		tp_arp(p);
	}
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_expired, 0);
	/* Past ten minutes, the timer's next firing sets it back. */
	CHECK(ack_all(p, pcb, 1148, &tsval));
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->cli.h, &iov, 1), 4000);
	tp_advance(p, 10 * 60 * 1000 + 5000);
	tp_arp(p);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_expired, 1);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1500);
	CHECK_EQ(pcb->mss, 1448);
	CHECK(ack_all(p, pcb, 1448, &tsval));
	CHECK_EQ(ixdp_tcp_sendv(&p->t.s, p->cli.h, &iov, 1), 4000);
	CHECK(pop_all(p, 1500, &seq, &len) >= 1);
	CHECK_EQ(len, 1448);
	/* Still narrow: lowered again. */
	frag_needed(p, 1200, seq);
	CHECK_EQ(tcp_pcb_mtu(pcb), 1200);
	CHECK_EQ(p->t.s.stats.tcp.pmtu_updates, 2);
	CHECK(tp_fini(p));
}
