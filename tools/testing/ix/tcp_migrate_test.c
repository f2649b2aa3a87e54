// SPDX-License-Identifier: GPL-2.0
/*
 * Moving TCP connections between cores (tcp_migrate.c): three stacks on
 * the wire of wire.c, a peer (end 1) and two cores of one device (ends 0,
 * the old, and 2, the new) with one address and MAC.  The test is the
 * device: it steers the peer's frames to the old core or the new one, and
 * it is the forwarder of the wiring to come: a segment that reaches the
 * old core after its connection moved (ixdp_tcp_migrated()) goes to the
 * new one, and one that reaches the new core for a connection it does not
 * have (before the move, or a handshake: only the old core listens) goes
 * to the old one, as handoff.h would.  ARP goes to both, and every stack
 * knows its neighbour before the first connect (an unresolved neighbour
 * holds IXDP_ARP_QLEN packets: more SYNs would wait for their RTO).
 *
 * Every RST on the cable is looked at (wire tap): one is fine only if the
 * connection it reaches was already closed cleanly on that side (a late
 * duplicate answered by the end that closed from LAST_ACK, as any TCP
 * does); any other is a failure.
 */

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "tcp_util.h"
#include "wire.h"

#define MG_OLD		0
#define MG_PEER		1
#define MG_NEW		2
#define MG_CONNS	16
#define MG_LEN		(300 * 1000)
#define MG_PACE		32	/* ticks between reads of an application */
#define SEED_A		11	/* what the cores send */
#define SEED_B		22	/* what the peer sends */

struct mg {
	struct wire		w;
	struct ixdp_tcp		*tcp[3];
	struct app		app[3];
	struct conn		srv[3][MG_CONNS];
	struct conn		cli[MG_CONNS];	/* old core to peer:80 */
	struct conn		pcli[MG_CONNS];	/* peer to the core's :81 */
	bool			started[3][MG_CONNS];
	unsigned int		ncli, npcli;
	bool			to_new, forward;
	bool			paced[3];	/* applications read each MG_PACE */
	bool			stall;	/* the peer's odd connections don't */
	/* Ports: of cli[] on the core, pcli[] on the peer, srv[][]'s remote */
	u16			cli_port[MG_CONNS], pcli_port[MG_CONNS];
	u16			srv_rport[2][MG_CONNS];
	uint64_t		rst_late, rst_bad;
	bool			drop_data, drop_hold;
	bool			black;	/* lose all the old core and peer send */
	bool			quiet;	/* the peer's servers don't start */
	bool			try_in_event;
	int			in_event_ret;
	u16			drop_port;
	u32			drop_seq;
	/* The timer test: segments sent by @ts_from, when, their TSvals */
	unsigned int		ts_from, nseg, nseg_data;
	uint64_t		seg_at;
	u32			seg_seq;
	u32			tsval_first, tsval_last;
	uint64_t		now, off[3];
	/* The window of the first segment the new core sends after @new_mark */
	unsigned int		new_segs, new_mark;
	u16			new_win;
	uint64_t		forwarded, handed_back;
	unsigned int		moved, flight, unsent, sacked, persist;
	unsigned int		fin_wait, close_wait, busy;
};

static struct mg mg;
static uint8_t data_a[MG_LEN], data_b[MG_LEN];

static const struct ixdp_tcp_config mg_cfg = {
	.rcv_buf = 256 * 1024,
	.snd_buf = 64 * 1024,
	.rto_min = 200,
	.time_wait = 2000,
};

/* The 4-tuple of a TCP frame from the peer, as the receiver sees it. */
static bool mg_tuple(const struct wire_frame *f, __be32 *saddr,
		     __be16 *sport, __be16 *dport)
{
	const uint8_t *ip = f->data + 14;
	unsigned int ihl;

	if (f->len < 14 + 20 || f->data[12] != 0x08 || f->data[13] != 0 ||
	    ip[9] != 6)
		return false;
	ihl = (ip[0] & 15) * 4;
	if (f->len < 14 + ihl + 4)
		return false;
	memcpy(saddr, ip + 12, 4);
	memcpy(sport, ip + ihl, 2);
	memcpy(dport, ip + ihl + 2, 2);
	return true;
}

/* A copy of @f to end @e, as a device would give it. */
static void mg_copy(struct mg *m, unsigned int e, const struct wire_frame *f)
{
	struct ixdp_buf *b = ixdp_buf_get(&m->w.end[e].pool);

	if (!b)
		return;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, f->len), f->data, f->len);
	ixdp_eth_rx(&m->w.end[e].s, b);
}

/* A frame to end @e, as its device would give it. */
static void mg_rx(struct mg *m, unsigned int e, const uint8_t *d, u32 len)
{
	struct ixdp_buf *b = ixdp_buf_get(&m->w.end[e].pool);

	if (!b)
		return;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, len), d, len);
	ixdp_eth_rx(&m->w.end[e].s, b);
}

/* Both cores and the peer know each other's MAC, as after a first ARP. */
static void mg_arp(struct mg *m)
{
	uint8_t f[64];

	mk_arp(f, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	mg_rx(m, MG_OLD, f, 42);
	mg_rx(m, MG_NEW, f, 42);
	mk_arp(f, peer_mac, 2, us_mac, US_IP, peer_mac, PEER_IP);
	mg_rx(m, MG_PEER, f, 42);
}

/* The TSval of a segment's options, or false if it has none. */
static bool mg_tsval(const uint8_t *th, u32 *tsval)
{
	unsigned int hl = (th[12] >> 4) * 4, i = 20;

	while (i + 1 < hl && th[i]) {
		if (th[i] == 1) {
			i++;
			continue;
		}
		if (th[i] == 8 && th[i + 1] == 10 && i + 10 <= hl) {
			*tsval = get32(th + i + 2);
			return true;
		}
		if (th[i + 1] < 2)
			return false;
		i += th[i + 1];
	}
	return false;
}

static void mg_note_ts(struct mg *m, const uint8_t *th, u32 dlen)
{
	u32 tsval;

	if (!mg_tsval(th, &tsval))
		return;
	if (!m->nseg++)
		m->tsval_first = tsval;
	m->tsval_last = tsval;
	if (dlen && !m->nseg_data++) {
		m->seg_at = m->now;
		m->seg_seq = get32(th + 4);
	}
}

/* The connection of the end that an RST from @from reaches, or NULL. */
static struct conn *mg_rst_target(struct mg *m, unsigned int from, u16 sport,
				  u16 dport)
{
	unsigned int i, to = from == MG_PEER ? MG_OLD : MG_PEER;
	u16 lport = dport, rport = sport;

	for (i = 0; i < m->app[to].naccepted; i++)
		if (lport == (to == MG_PEER ? 80 : 81) &&
		    m->srv_rport[to][i] == rport)
			return &m->srv[to][i];
	for (i = 0; to == MG_OLD && i < m->ncli; i++)
		if (m->cli_port[i] == lport && rport == 80)
			return &m->cli[i];
	for (i = 0; to == MG_PEER && i < m->npcli; i++)
		if (m->pcli_port[i] == lport && rport == 81)
			return &m->pcli[i];
	return NULL;
}

/*
 * Judge each RST; lose the old core's data segments while @drop_data
 * asks (a hole the peer SACKs around); note the segments of the core
 * @ts_from for the timer test, and the window the new core advertises.
 */
static bool mg_tap(struct wire *w, unsigned int from, const uint8_t *d,
		   u32 len)
{
	const uint8_t *ip = d + 14, *th;
	struct mg *m = &mg;
	struct conn *c;
	u32 dlen;

	if (len < 14 + 40 || d[12] != 0x08 || d[13] != 0 || ip[9] != 6)
		return false;
	th = ip + (ip[0] & 15) * 4;
	dlen = get16(ip + 2) - (th - ip) - (th[12] >> 4) * 4;
	if (from == m->ts_from && from != MG_PEER)
		mg_note_ts(m, th, dlen);
	if (from == MG_NEW && m->new_segs++ == m->new_mark)
		m->new_win = get16(th + 14);
	if (th[13] & TH_RST) {
		c = mg_rst_target(m, from, get16(th), get16(th + 2));
		if (c && c->dead && !c->dead_reason && c->fin)
			m->rst_late++;
		else
			m->rst_bad++;
	}
	if ((from == MG_OLD || from == MG_PEER) && m->black)
		return true;
	if (from != MG_OLD || !dlen)
		return false;
	if (m->drop_data) {
		/* The first data segment, and each retransmission of it. */
		m->drop_data = false;
		m->drop_hold = true;
		m->drop_port = get16(th);
		m->drop_seq = get32(th + 4);
	}
	return m->drop_hold && get16(th) == m->drop_port &&
	       get32(th + 4) == m->drop_seq;
}

static unsigned int mg_steer(struct wire *w, const struct wire_frame *f)
{
	struct mg *m = &mg;
	struct ixdp_stack *old = &w->end[MG_OLD].s, *new = &w->end[MG_NEW].s;
	unsigned int to = m->to_new ? MG_NEW : MG_OLD;
	__be16 sport, dport;
	__be32 saddr;

	if (!mg_tuple(f, &saddr, &sport, &dport)) {
		mg_copy(m, to == MG_NEW ? MG_OLD : MG_NEW, f);
		return to;
	}
	if (!m->forward)
		return to;
	if (to == MG_OLD && ixdp_tcp_migrated(old, saddr, sport, dport)) {
		m->forwarded++;
		return MG_NEW;
	}
	/* The old core owns what has not moved: the handshakes too. */
	if (to == MG_NEW && !ixdp_tcp_pcb_lookup(new, saddr, sport, dport)) {
		m->handed_back++;
		return MG_OLD;
	}
	return to;
}

/* The harness's accept, the buffers kept from the first byte on. */
static void mg_knock(struct ixdp_stack *s, void *lcookie, u32 h,
		     __be32 raddr, __be16 rport)
{
	struct app *a = lcookie;
	unsigned int n = a->naccepted;

	test_tcp_ops.knock(s, lcookie, h, raddr, rport);
	if (a->naccepted > n)
		a->srv[n].keep_bufs = true;
}

/* The harness's recv; a move tried from within the event, if asked. */
static void mg_recv(struct ixdp_stack *s, void *cookie, u32 h,
		    struct ixdp_buf *b)
{
	struct ixdp_tcp_mig rec;
	struct mg *m = &mg;

	if (m->try_in_event && s == &m->w.end[MG_OLD].s) {
		m->try_in_event = false;
		m->in_event_ret = ixdp_tcp_migrate_out(s, h, &rec);
	}
	test_tcp_ops.recv(s, cookie, h, b);
}

static struct ixdp_tcp_ops mg_ops;

static int mg_init(struct mg *m, unsigned int nbufs, uint64_t seed,
		   const struct wire_faults *f)
{
	struct wire_faults wf = { 0 };
	struct ixdp_tcp_config cfg;
	unsigned int e;
	int ret;

	memset(m, 0, sizeof(*m));
	mg_ops = test_tcp_ops;
	mg_ops.knock = mg_knock;
	mg_ops.recv = mg_recv;
	pat_fill(data_a, MG_LEN, SEED_A, 0);
	pat_fill(data_b, MG_LEN, SEED_B, 0);
	if (f)
		wf = *f;
	wf.steer = mg_steer;
	wf.tap = mg_tap;
	m->ts_from = MG_PEER;
	m->forward = true;
	ret = wire_init(&m->w, nbufs, seed, &wf);
	if (!ret)
		mg_arp(m);
	for (e = 0; e < 3 && !ret; e++) {
		cfg = mg_cfg;
		/* Windows close while applications sit on what they got. */
		cfg.rcv_buf = 8 * 1024;
		m->paced[e] = true;
		m->tcp[e] = calloc(1, ixdp_tcp_size(IXDP_TCP_PCBS));
		m->app[e].srv = m->srv[e];
		m->app[e].nsrv = MG_CONNS;
		m->app[e].srv_seed = e == MG_PEER ? SEED_A : SEED_B;
		ret = ixdp_tcp_init(&m->w.end[e].s, m->tcp[e], IXDP_TCP_PCBS,
				    &cfg, &mg_ops);
	}
	return ret;
}

static bool mg_pools_full(struct mg *m)
{
	unsigned int e;

	for (e = 0; e < 3; e++)
		if (m->w.end[e].pool.avail != m->w.end[e].pool.total)
			return false;
	return true;
}

static bool mg_fini(struct mg *m)
{
	unsigned int e, i;

	for (e = 0; e < 3; e++) {
		for (i = 0; i < MG_CONNS; i++)
			conn_release(&m->srv[e][i]);
		ixdp_tcp_teardown(&m->w.end[e].s);
		free(m->tcp[e]);
	}
	for (i = 0; i < MG_CONNS; i++) {
		conn_release(&m->cli[i]);
		conn_release(&m->pcli[i]);
	}
	return wire_fini(&m->w);
}

/*
 * No connection sent or took an RST, and none reached a connection that
 * was not closed already (see mg_tap()).
 */
static bool mg_no_rst(struct mg *m)
{
	unsigned int e;

	for (e = 0; e < 3; e++) {
		struct ixdp_stack_stats *st = &m->w.end[e].s.stats;

		if (st->tcp.resets_out || st->tcp.resets_in)
			return false;
	}
	return !m->rst_bad;
}

static u16 mg_lport(struct ixdp_stack *s, u32 h)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, h, &err);
	return pcb ? be16_to_cpu(pcb->lport) : 0;
}

static u16 mg_rport(struct ixdp_stack *s, u32 h)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, h, &err);
	return pcb ? be16_to_cpu(pcb->rport) : 0;
}

/* Servers just accepted start sending. */
static void mg_start(struct mg *m)
{
	unsigned int e, i;

	for (e = 0; e < 2; e++)
		for (i = 0; i < m->app[e].naccepted; i++) {
			struct conn *c = &m->srv[e][i];

			if (m->started[e][i] || (e == MG_PEER && m->quiet))
				continue;
			m->started[e][i] = true;
			m->srv_rport[e][i] = mg_rport(c->s, c->h);
			c->tx = e == MG_PEER ? data_b : data_a;
			c->tx_len = MG_LEN;
			c->close_when_sent = true;
			c->keep_bufs = true;
			conn_push(c);
		}
}

/* Put back what @c held and open its window. */
static void mg_give_back(struct conn *c)
{
	u32 bytes = 0, n = c->nheld;
	unsigned int i;

	for (i = 0; i < n; i++)
		bytes += c->held[i]->len;
	conn_release(c);
	if (n)
		ixdp_tcp_recv_done(c->s, c->h, bytes, n);
}

/* Every application reads what it holds, where reads are paced. */
static void mg_read(struct mg *m)
{
	unsigned int e, i;

	for (i = 0; i < m->ncli; i++)
		if (m->paced[MG_OLD])
			mg_give_back(&m->cli[i]);
	for (i = 0; i < m->npcli; i++)
		if (m->paced[MG_PEER] && !(m->stall && i % 2))
			mg_give_back(&m->pcli[i]);
	for (e = 0; e < 2; e++)
		for (i = 0; i < m->app[e].naccepted; i++)
			if (m->paced[e] && !(e == MG_PEER && m->stall && i % 2))
				mg_give_back(&m->srv[e][i]);
}

static void mg_step(struct mg *m)
{
	unsigned int e;

	m->now++;
	for (e = 0; e < 3; e++)
		ixdp_stack_advance(&m->w.end[e].s, m->now + m->off[e]);
	wire_pump(&m->w);
	mg_start(m);
	if (m->now % MG_PACE == 0)
		mg_read(m);
}

static void mg_open(struct mg *m, unsigned int ncli, unsigned int npcli)
{
	struct ixdp_stack *old = &m->w.end[MG_OLD].s;
	struct ixdp_stack *peer = &m->w.end[MG_PEER].s;
	unsigned int i;

	ixdp_tcp_listen(peer, cpu_to_be16(80), MG_CONNS, &m->app[MG_PEER]);
	ixdp_tcp_listen(old, cpu_to_be16(81), MG_CONNS, &m->app[MG_OLD]);
	m->ncli = ncli;
	m->npcli = npcli;
	for (i = 0; i < ncli; i++) {
		struct conn *c = &m->cli[i];

		c->s = old;
		c->seed = SEED_B;
		c->tx = data_a;
		c->tx_len = MG_LEN;
		c->close_when_sent = true;
		c->keep_bufs = true;
		ixdp_tcp_connect(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 c, &c->h);
		m->cli_port[i] = mg_lport(old, c->h);
	}
	for (i = 0; i < npcli; i++) {
		struct conn *c = &m->pcli[i];

		c->s = peer;
		c->seed = SEED_A;
		c->tx = data_b;
		c->tx_len = MG_LEN;
		c->close_when_sent = true;
		c->keep_bufs = true;
		ixdp_tcp_connect(peer, cpu_to_be32(US_IP), cpu_to_be16(81), c,
				 &c->h);
		m->pcli_port[i] = mg_lport(peer, c->h);
	}
}

static void mg_tally(struct mg *m, const struct ixdp_tcp_pcb *pcb)
{
	m->flight += pcb->snd_max != pcb->snd_una;
	m->unsent += pcb->sq_bytes > pcb->snd_max - pcb->snd_una;
	m->sacked += pcb->nsb > 0;
	m->persist += !!(pcb->flags & TCPF_PERSIST);
	m->fin_wait += pcb->state == IXDP_TCP_FIN_WAIT_1 ||
		       pcb->state == IXDP_TCP_FIN_WAIT_2;
	m->close_wait += pcb->state == IXDP_TCP_CLOSE_WAIT;
}

/* Move @c to the new core; 0, or why not (it stays where it was). */
static int mg_move(struct mg *m, struct conn *c)
{
	struct ixdp_stack *old = &m->w.end[MG_OLD].s;
	struct ixdp_stack *new = &m->w.end[MG_NEW].s;
	struct ixdp_tcp_pcb *pcb;
	struct ixdp_tcp_mig rec;
	int ret;
	u32 h;

	if (c->s != old || c->dead)
		return 0;
	if (c->connected != 1)
		return c->connected ? c->connected : -EAGAIN;
	pcb = ixdp_tcp_pcb_get(old, c->h, &ret);
	if (!pcb)
		return ret;
	if (c->nheld) {
		/* It holds buffers: refused until the application reads. */
		ret = ixdp_tcp_migrate_out(old, c->h, &rec);
		if (ret != -EBUSY)
			return ret ? ret : -EPROTO;
		mg_give_back(c);
		m->busy++;
	}
	mg_tally(m, pcb);
	ret = ixdp_tcp_migrate_out(old, c->h, &rec);
	if (ret)
		return ret;
	ret = ixdp_tcp_migrate_in(new, &rec, c, &h);
	if (ret)
		return ret;
	c->s = new;
	c->h = h;
	m->moved++;
	return 0;
}

/* Move every connection of the old core; how many could not move yet. */
static unsigned int mg_move_all(struct mg *m)
{
	unsigned int i, left = 0;

	for (i = 0; i < m->ncli; i++)
		left += mg_move(m, &m->cli[i]) != 0;
	for (i = 0; i < m->app[MG_OLD].naccepted; i++)
		left += mg_move(m, &m->srv[MG_OLD][i]) != 0;
	/* Those not accepted yet move later. */
	return left + m->npcli - m->app[MG_OLD].naccepted;
}

static bool mg_all_dead(struct mg *m)
{
	unsigned int e, i;

	for (i = 0; i < m->ncli; i++)
		if (!m->cli[i].dead)
			return false;
	for (i = 0; i < m->npcli; i++)
		if (!m->pcli[i].dead)
			return false;
	for (e = 0; e < 2; e++)
		for (i = 0; i < m->app[e].naccepted; i++)
			if (!m->srv[e][i].dead)
				return false;
	return m->app[MG_PEER].naccepted == m->ncli &&
	       m->app[MG_OLD].naccepted == m->npcli;
}

/* Every byte sent acknowledged, received intact, a clean close. */
static bool mg_conn_ok(const struct conn *c, uint64_t *rx, uint64_t *tx)
{
	*rx += c->rx_len;
	*tx += c->tx_len;
	return c->tx_acked == c->tx_len && !c->rx_bad && c->fin &&
	       c->dead_reason == 0;
}

/* ... and all that was sent was received, each stream by its pattern. */
static bool mg_all_ok(struct mg *m)
{
	uint64_t rx = 0, tx = 0;
	unsigned int e, i;
	bool ok = true;

	for (i = 0; i < m->ncli; i++)
		ok &= mg_conn_ok(&m->cli[i], &rx, &tx);
	for (i = 0; i < m->npcli; i++)
		ok &= mg_conn_ok(&m->pcli[i], &rx, &tx);
	for (e = 0; e < 2; e++)
		for (i = 0; i < m->app[e].naccepted; i++)
			ok &= mg_conn_ok(&m->srv[e][i], &rx, &tx);
	return ok && rx == tx;
}

/* Run until every connection is closed and gone, at most @ticks. */
static bool mg_finish(struct mg *m, uint64_t ticks)
{
	uint64_t end = m->now + ticks;

	while (m->now < end && !mg_all_dead(m))
		mg_step(m);
	while (m->now < end && (m->tcp[0]->nused || m->tcp[1]->nused ||
				m->tcp[2]->nused))
		mg_step(m);
	return mg_all_dead(m) && !m->tcp[0]->nused && !m->tcp[1]->nused &&
	       !m->tcp[2]->nused;
}

static bool mg_all_accepted(struct mg *m)
{
	return m->app[MG_PEER].naccepted == m->ncli &&
	       m->app[MG_OLD].naccepted == m->npcli;
}

/*
 * Both ways over MG_CONNS connections, every one moved mid-transfer: half
 * of the peer's connections stop reading first (zero windows, persist on
 * the old core), the others go on (data in flight, the peer's SACK blocks
 * after a loss), two of the old core's clients have closed (FIN_WAIT) and
 * one of its servers has the peer's FIN (CLOSE_WAIT).
 */
IX_TEST(tcp_migrate, bulk_both_ways_every_state)
{
	struct mg *m = &mg;
	unsigned int i;

	CHECK(!mg_init(m, 4096, 3, NULL));
	mg_open(m, MG_CONNS / 2, MG_CONNS / 2);
	/* cli[0], cli[1]: short, so in FIN_WAIT at the move. */
	m->cli[0].tx_len = 3000;
	m->cli[1].tx_len = 3000;
	/* pcli[0]: short, so its server on the old core is in CLOSE_WAIT. */
	m->pcli[0].tx_len = 2000;
	for (i = 0; i < 50 && !mg_all_accepted(m); i++)
		mg_step(m);
	CHECK(mg_all_accepted(m));
	/* Loss and reordering from now on: SACK blocks, retransmissions. */
	m->w.faults.loss = 30;
	m->w.faults.reorder = 20;
	for (i = 0; i < 20; i++)
		mg_step(m);
	m->stall = true;
	for (i = 0; i < 100; i++)
		mg_step(m);
	/* A hole in what the old core sends: the peer SACKs what follows. */
	m->drop_data = true;
	while (m->now % MG_PACE != 2)
		mg_step(m);
	for (i = 0; i < 100 && mg_move_all(m); i++)
		mg_step(m);
	m->drop_hold = false;
	m->to_new = true;
	printf("# moved %u: in flight %u, unsent %u, SACKed %u, persist %u, ",
	       m->moved, m->flight, m->unsent, m->sacked, m->persist);
	printf("FIN_WAIT %u, CLOSE_WAIT %u, -EBUSY first %u\n",
	       m->fin_wait, m->close_wait, m->busy);
	CHECK_EQ(m->moved, m->ncli + m->npcli);
	CHECK_EQ(m->tcp[MG_OLD]->nused, 0);
	CHECK(m->flight && m->unsent && m->persist && m->sacked && m->busy);
	CHECK(m->fin_wait && m->close_wait);
	for (i = 0; i < 300; i++)
		mg_step(m);
	m->stall = false;
	CHECK(mg_finish(m, 200 * 1000));
	CHECK(mg_all_ok(m));
	CHECK(mg_no_rst(m));
	printf("# late RSTs after a clean close: %llu\n",
	       (unsigned long long)m->rst_late);
	CHECK_EQ(m->w.end[MG_OLD].s.stats.tcp.migrated_out, m->moved);
	CHECK_EQ(m->w.end[MG_NEW].s.stats.tcp.migrated_in, m->moved);
	CHECK(mg_pools_full(m));
	CHECK(mg_fini(m));
}

/* One run: move at a random point, steer to the new core before or after. */
static bool mg_seed_run(struct mg *m, uint64_t seed, bool forward)
{
	struct wire_faults f = { .loss = 20, .reorder = 30, .dup = 5 };
	uint64_t r = seed * 0x9e3779b97f4a7c15ULL, t_move, t_steer;
	unsigned int i;
	bool ok;

	if (mg_init(m, 2048, seed, &f))
		return false;
	m->forward = forward;
	mg_open(m, 3, 3);
	t_move = 5 + (r >> 8) % 300;
	/* From 40 ticks before the move to 80 after it (never before 0). */
	t_steer = t_move - min_t(uint64_t, t_move, 40) + (r >> 24) % 120;
	for (i = 0; i < 20000; i++) {
		if (m->now >= t_steer)
			m->to_new = true;
		if (m->now >= t_move && !mg_move_all(m))
			break;
		mg_step(m);
	}
	/* Until the device steers them anew, they reach the old core. */
	while (m->now < t_steer)
		mg_step(m);
	m->to_new = true;
	ok = i < 20000 && m->moved == 6 && mg_finish(m, 200 * 1000) &&
	     mg_all_ok(m) && mg_no_rst(m) && !m->tcp[MG_OLD]->nused && mg_pools_full(m);
	return mg_fini(m) && ok;
}

IX_TEST(tcp_migrate, late_steering_forwarded_many_seeds)
{
	uint64_t seed, fwd = 0, back = 0, busy = 0;

	for (seed = 1; seed <= 32; seed++) {
		if (!mg_seed_run(&mg, seed, true)) {
			printf("# seed %llu\n", (unsigned long long)seed);
			CHECK(0);
		}
		fwd += mg.forwarded;
		back += mg.handed_back;
		busy += mg.flight;
	}
	/* Both ways happened: after the move, and before it. */
	CHECK(fwd && back);
	/* Connections moved with data in flight. */
	CHECK(busy);
}

/* The forwarder's part is needed: without it, late segments are reset. */
IX_TEST(tcp_migrate, late_steering_without_forwarding_resets)
{
	struct mg *m = &mg;
	unsigned int i;

	CHECK(!mg_init(m, 2048, 5, NULL));
	mg_open(m, 2, 0);
	for (i = 0; i < 200; i++)
		mg_step(m);
	m->forward = false;
	CHECK(!mg_move_all(m));
	CHECK(ixdp_tcp_migrated(&m->w.end[MG_OLD].s, cpu_to_be32(US_IP + 1),
				cpu_to_be16(80), m->tcp[MG_NEW]->pcbs[0].lport) ||
	      ixdp_tcp_migrated(&m->w.end[MG_OLD].s, cpu_to_be32(US_IP + 1),
				cpu_to_be16(80), m->tcp[MG_NEW]->pcbs[1].lport));
	for (i = 0; i < 50; i++)
		mg_step(m);
	CHECK(m->rst_bad);
	mg_fini(m);
}

/* Remembered for IXDP_TCP_MOVED_S, and only the last IXDP_TCP_MOVED. */
IX_TEST(tcp_migrate, moved_table_bounded)
{
	struct mg *m = &mg;
	struct ixdp_stack *old;
	struct ixdp_tcp_mig rec;
	struct conn c = { 0 };
	unsigned int i;
	u32 h;

	CHECK(!mg_init(m, 2048, 9, NULL));
	old = &m->w.end[MG_OLD].s;
	mg_open(m, 1, 0);
	for (i = 0; i < 20; i++)
		mg_step(m);
	/* Move it back and forth: each move out is an entry. */
	for (i = 0; i < IXDP_TCP_MOVED + 4; i++) {
		mg_give_back(&m->cli[0]);
		CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h, &rec), 0);
		rec.lport = cpu_to_be16(1000 + i);
		CHECK(!ixdp_tcp_migrate_in(old, &rec, &c, &h));
		m->cli[0].h = h;
	}
	CHECK_EQ(old->stats.tcp.moved_overflow, 4);
	CHECK(!ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 cpu_to_be16(1000 + 2)));
	CHECK(ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				cpu_to_be16(1000 + 10)));
	/* The one here now is not one that moved away. */
	CHECK(!ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 cpu_to_be16(1000 + IXDP_TCP_MOVED + 3)));
	ixdp_stack_advance(old, old->now + IXDP_TCP_MOVED_S * TS_HZ + 2);
	CHECK(!ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 cpu_to_be16(1000 + 10)));
	ixdp_tcp_abort(old, m->cli[0].h);
	mg_fini(m);
}

/* Step until @cond holds, at most @n steps; true if it does. */
#define MG_UNTIL(m, n, cond)						\
	({								\
		unsigned int __i;					\
		bool __ok;						\
		for (__i = 0; !(__ok = (cond)) && __i < (n); __i++)	\
			mg_step(m);					\
		__ok;							\
	})

static u64 mg_refused(struct mg *m, unsigned int e)
{
	return m->w.end[e].s.stats.tcp.migrate_refused;
}

/*
 * Moves out refused, each for its reason, and nothing changed: the
 * connections run to a clean end on the old core.
 */
IX_TEST(tcp_migrate, refused_out_connection_intact)
{
	struct mg *m = &mg;
	struct ixdp_tcp_mig rec;
	struct ixdp_stack *old;
	struct conn *c;
	u32 h;

	CHECK(!mg_init(m, 2048, 21, NULL));
	old = &m->w.end[MG_OLD].s;
	m->app[MG_OLD].no_accept = true;
	mg_open(m, 1, 1);
	/* SYN_SENT. */
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h, &rec), -EAGAIN);
	/* Passive, announced, not accepted yet. */
	CHECK(MG_UNTIL(m, 50, m->app[MG_OLD].nknock == 1));
	h = m->app[MG_OLD].last_knock;
	CHECK_EQ(ixdp_tcp_migrate_out(old, h, &rec), -EAGAIN);
	c = &m->srv[MG_OLD][m->app[MG_OLD].naccepted++];
	c->s = old;
	c->h = h;
	c->connected = 1;
	c->seed = SEED_B;
	c->keep_bufs = true;
	CHECK_EQ(ixdp_tcp_accept(old, h, c), 0);
	CHECK(MG_UNTIL(m, 50, m->cli[0].nheld && c->nheld));
	/* Buffers the application holds. */
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h, &rec), -EBUSY);
	CHECK_EQ(ixdp_tcp_migrate_out(old, h, &rec), -EBUSY);
	/* From within its own event. */
	m->paced[MG_OLD] = false;
	mg_give_back(&m->cli[0]);
	mg_give_back(c);
	m->try_in_event = true;
	CHECK(MG_UNTIL(m, 50, !m->try_in_event));
	CHECK_EQ(m->in_event_ret, -EINPROGRESS);
	m->paced[MG_OLD] = true;
	/* Handles that name nothing. */
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h ^ 1U << 16, &rec),
		 -ESTALE);
	CHECK_EQ(ixdp_tcp_migrate_out(old, 0xffff, &rec), -EINVAL);
	CHECK_EQ(mg_refused(m, MG_OLD), 7);
	CHECK_EQ(m->tcp[MG_OLD]->nused, 2);
	CHECK(!ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 cpu_to_be16(m->cli_port[0])));
	CHECK(mg_finish(m, 100 * 1000));
	CHECK(mg_all_ok(m));
	CHECK(mg_no_rst(m));
	CHECK(!old->stats.tcp.migrated_out);
	CHECK(mg_pools_full(m));
	CHECK(mg_fini(m));
}

/*
 * What the echo service does with the buffers @c holds when it moves them
 * with their connection: copies them into end @e's pool and puts the
 * originals back to their own.
 */
static bool mg_copy_held(struct mg *m, struct conn *c, unsigned int e)
{
	struct ixdp_buf *b, *old;
	unsigned int i;

	for (i = 0; i < c->nheld; i++) {
		old = c->held[i];
		b = ixdp_buf_get(&m->w.end[e].pool);
		if (!b)
			return false;
		ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
		memcpy(ixdp_buf_put_tail(b, old->len), ixdp_buf_data(old),
		       old->len);
		c->held[i] = b;
		ixdp_buf_put(old);
	}
	return true;
}

/* The window @pcb advertised last, in bytes from @rcv_nxt. */
static u32 mg_adv(const struct ixdp_tcp_pcb *pcb)
{
	return tcp_seq_after(pcb->rcv_adv, pcb->rcv_nxt) ?
	       pcb->rcv_adv - pcb->rcv_nxt : 0;
}

/*
 * A connection whose application sits on what it received, its window
 * closed, moves with those buffers (ixdp_tcp_migrate_out_held()), as the
 * echo service moves them: ixdp_tcp_migrate_out() refuses it and counts
 * it, ixdp_tcp_migrate_check() tells which of the two would take it and
 * counts nothing, and the record carries the buffers and their bytes.
 * The application copies them into the new core's pool and puts the old
 * core's back itself; on the new core the window stays closed until it
 * gives back as many as it holds, no more, and the transfer then ends
 * both ways with every byte checked.
 */
IX_TEST(tcp_migrate, held_bufs_move_with_connection)
{
	struct ixdp_tcp_pcb *pcb, *npcb;
	struct ixdp_stack *old, *new;
	struct ixdp_pool *opool;
	struct ixdp_tcp_mig rec;
	u32 bytes = 0, adv, win, h;
	unsigned int i, n, avail;
	struct mg *m = &mg;
	struct conn *c;
	u64 rx, tx;
	int err;

	CHECK(!mg_init(m, 2048, 41, NULL));
	old = &m->w.end[MG_OLD].s;
	new = &m->w.end[MG_NEW].s;
	opool = &m->w.end[MG_OLD].pool;
	c = &m->cli[0];
	mg_open(m, 1, 0);
	CHECK(MG_UNTIL(m, 100, m->app[MG_PEER].naccepted == 1));
	/* The old core's application stops reading: the peer fills its window. */
	m->paced[MG_OLD] = false;
	pcb = ixdp_tcp_pcb_get(old, c->h, &err);
	CHECK(pcb);
	CHECK(MG_UNTIL(m, 2000, c->nheld > 1 && mg_adv(pcb) < pcb->mss));
	n = c->nheld;
	for (i = 0; i < n; i++)
		bytes += c->held[i]->len;
	CHECK_EQ(pcb->rcv_held, n);
	CHECK_EQ(pcb->rcv_unread, bytes);
	adv = mg_adv(pcb);
	rx = c->rx_len;
	tx = c->tx_acked;
	CHECK(rx < MG_LEN && tx < MG_LEN);
	CHECK_EQ(ixdp_tcp_migrate_out(old, c->h, &rec), -EBUSY);
	CHECK_EQ(mg_refused(m, MG_OLD), 1);
	CHECK_EQ(ixdp_tcp_migrate_check(old, c->h, false), -EBUSY);
	CHECK_EQ(ixdp_tcp_migrate_check(old, c->h, true), 0);
	CHECK_EQ(mg_refused(m, MG_OLD), 1);
	CHECK_EQ(ixdp_tcp_migrate_out_held(old, c->h, &rec), 0);
	CHECK_EQ(rec.rcv_held, n);
	CHECK_EQ(rec.rcv_unread, bytes);
	CHECK_EQ(mg_refused(m, MG_OLD), 1);
	CHECK_EQ(old->stats.tcp.migrated_out, 1);
	/* The old core forgot them: its handle is stale, the buffers ours. */
	CHECK_EQ(ixdp_tcp_recv_done(old, c->h, bytes, n), -ESTALE);
	avail = opool->avail;
	CHECK(mg_copy_held(m, c, MG_NEW));
	CHECK_EQ(opool->avail, avail + n);
	CHECK(!opool->bad_put);
	CHECK_EQ(ixdp_tcp_migrate_in(new, &rec, c, &h), 0);
	c->s = new;
	c->h = h;
	m->to_new = true;
	npcb = ixdp_tcp_pcb_get(new, h, &err);
	CHECK(npcb);
	CHECK_EQ(npcb->rcv_held, n);
	CHECK_EQ(npcb->rcv_unread, bytes);
	/* Still closed while they are held; no more than them given back. */
	CHECK_EQ(ixdp_tcp_rcv_window(npcb), adv);
	CHECK_EQ(ixdp_tcp_recv_done(new, h, bytes + 1, n), -EINVAL);
	CHECK_EQ(ixdp_tcp_recv_done(new, h, bytes, n + 1), -EINVAL);
	m->new_mark = m->new_segs;
	conn_release(c);
	CHECK_EQ(ixdp_tcp_recv_done(new, h, bytes, n), 0);
	CHECK_EQ(ixdp_tcp_recv_done(new, h, 1, 0), -EINVAL);
	CHECK_EQ(ixdp_tcp_recv_done(new, h, 0, 1), -EINVAL);
	/* The window update: the next segment of the new core opens it. */
	CHECK(MG_UNTIL(m, 5, m->new_segs > m->new_mark));
	win = (u32)m->new_win << rec.rcv_wscale;
	printf("# %u buffers, %u bytes held: window %u, then %u\n", n, bytes,
	       adv, win);
	CHECK(win > adv && win - adv >= npcb->mss);
	m->paced[MG_OLD] = true;
	CHECK(mg_finish(m, 100 * 1000));
	CHECK(mg_all_ok(m));
	CHECK(mg_no_rst(m));
	CHECK_EQ(c->rx_len, MG_LEN);
	CHECK_EQ(c->tx_acked, MG_LEN);
	CHECK_EQ(m->srv[MG_PEER][0].rx_len, MG_LEN);
	CHECK_EQ(new->stats.tcp.migrated_in, 1);
	CHECK(mg_pools_full(m));
	CHECK(!opool->bad_put && !m->w.end[MG_NEW].pool.bad_put);
	CHECK(mg_fini(m));
}

/* In fast recovery, as cc_enter_recovery() leaves it but for @r's one field. */
static void mg_recovery(struct ixdp_tcp_mig *r)
{
	r->flags |= TCPF_RECOVERY;
	r->recover = r->snd_max;
	r->rtx_mark = r->snd_max;
	r->rtx_next = r->snd_una + r->mss;
}

/*
 * The states and flags, the windows, congestion control: mg_corrupt()'s
 * cases from 50 on.  Cases 50 to 77 were all taken before these checks:
 * 58, for one, made a connection that a listener of the old core opened
 * and the application never accepted into one of the new core's
 * listener 0 (its index and list link are the new PCB's): its data
 * would have waited in the early queue for an accept that never comes
 * (IXDP_TCP_EARLY_MAX buffers, the rest dropped), and its end would have
 * taken a pending connection off listener 0's count; 65 left @snd_wl1
 * beyond any segment the peer may send, so that the window would never
 * have been updated again (a zero window never reopened: persist probes
 * answered for ever).
 */
static bool mg_corrupt_more(struct ixdp_tcp_mig *r, unsigned int i)
{
	u32 edge = tcp_seq_after(r->rcv_adv, r->rcv_nxt) ? r->rcv_adv :
							    r->rcv_nxt;

	switch (i) {
	case 50:	/* established_fin_rcvd */
		r->flags |= TCPF_FIN_RCVD;
		break;
	case 51:	/* established_fin_queued */
		r->flags |= TCPF_FIN_QUEUED;
		break;
	case 52:	/* close_wait_no_fin */
		r->state = IXDP_TCP_CLOSE_WAIT;
		break;
	case 53:	/* fin_wait_1_no_fin */
		r->state = IXDP_TCP_FIN_WAIT_1;
		break;
	case 54:	/* last_ack_no_fin_rcvd */
		r->state = IXDP_TCP_LAST_ACK;
		r->flags |= TCPF_FIN_QUEUED;
		break;
	case 55:	/* closing_no_fin_queued */
		r->state = IXDP_TCP_CLOSING;
		r->flags |= TCPF_FIN_RCVD;
		break;
	case 56:	/* fin_wait_2_in_flight */
		r->state = IXDP_TCP_FIN_WAIT_2;
		r->flags |= TCPF_FIN_QUEUED;
		break;
	case 57:	/* not_knocked */
		r->flags &= ~TCPF_KNOCKED;
		break;
	case 58:	/* not_accepted */
		r->flags |= TCPF_PASSIVE;
		r->flags &= ~TCPF_ACCEPTED;
		break;
	case 59:	/* persist_unarmed */
		r->flags |= TCPF_PERSIST;
		r->flags &= ~TCPF_RTX_ARMED;
		r->rtx_left = 0;
		break;
	case 60:	/* timing_ts */
		r->flags |= TCPF_TIMING;
		r->rtt_seq = r->snd_una;
		break;
	case 61:	/* max_wnd_lo */
		r->max_snd_wnd = r->snd_wnd - 1;
		break;
	case 62:	/* max_wnd_hi */
		r->max_snd_wnd = (0xffffU << r->snd_wscale) + 1;
		break;
	case 63:	/* rcv_adv_far */
		r->rcv_adv = r->rcv_nxt + (0xffffU << r->rcv_wscale) + 1;
		break;
	case 64:	/* rcv_adv_behind */
		r->rcv_adv = r->rcv_nxt - 1;
		break;
	case 65:	/* wl1_ahead */
		r->snd_wl1 = edge + 1;
		break;
	case 66:	/* wl1_behind */
		r->snd_wl1 = r->rcv_nxt - (1U << 30) - 1;
		break;
	case 67:	/* wl2_ahead */
		r->snd_wl2 = r->snd_una + 1;
		break;
	case 68:	/* wl2_behind */
		r->snd_wl2 = r->snd_una - (1U << 30) - 1;
		break;
	case 69:	/* recover_ahead */
		r->recover = r->snd_max + 1;
		break;
	case 70:	/* recover_behind */
		r->recover = r->snd_una - (1U << 30) - 1;
		break;
	case 71:	/* recovery_recover */
		mg_recovery(r);
		r->recover = r->snd_una;
		r->rtx_mark = r->snd_una;
		break;
	case 72:	/* recovery_rtx_mark */
		mg_recovery(r);
		r->rtx_mark = r->snd_max + 1;
		break;
	case 73:	/* recovery_rtx_next */
		mg_recovery(r);
		r->rtx_next = r->snd_max + r->mss_syn + 1;
		break;
	case 74:	/* rtt_seq */
		r->flags &= ~TCPF_TS;
		r->flags |= TCPF_TIMING;
		r->rtt_seq = r->snd_max + 1;
		break;
	case 75:	/* dupacks_idle */
		r->snd_nxt = r->snd_una;
		r->snd_max = r->snd_una;
		r->recover = r->snd_una;
		r->nsb = 0;
		r->dupacks = 1;
		break;
	case 76:	/* delack_no_delack */
		r->flags &= ~(TCPF_DELACK | TCPF_ACK_ARMED);
		r->ack_left = 0;
		r->delack_segs = 1;
		break;
	case 77:	/* delack_two_later */
		r->flags |= TCPF_DELACK | TCPF_ACK_ARMED;
		r->ack_left = 5;
		r->delack_segs = 2;
		break;
	case 78:	/* ssthresh_0: cwnd 0 after recovery, mute for good */
		r->ssthresh = 0;
		break;
	case 79:	/* in_flight_no_rto: nothing would send again */
		r->snd_max = r->snd_una + 1;
		r->snd_nxt = r->snd_max;
		r->flags &= ~(TCPF_RTX_ARMED | TCPF_PERSIST);
		r->rtx_left = 0;
		break;
	case 80:	/* sq_over_snd_buf: sendv's room would wrap */
		r->sq_n = 1;
		r->sq_off = 0;
		r->sq[0].len = 64U << 20;
		r->sq_bytes = r->sq[0].len;
		break;
	case 81:	/* held_over_max: more buffers than the new core allows */
		r->rcv_held = mg.tcp[MG_NEW]->held_max + 1;
		r->rcv_unread = r->rcv_held * 1000;
		break;
	default:
		return false;
	}
	return true;
}

/*
 * Records a live connection can have that the good one is not, each
 * next to a corrupt case of mg_corrupt_more(): taken.
 */
static bool mg_fine(struct ixdp_tcp_mig *r, unsigned int i)
{
	switch (i) {
	case 0:	/* in fast recovery (71 to 73) */
		mg_recovery(r);
		break;
	case 1:	/* timing a segment, without timestamps (60, 74) */
		r->flags &= ~TCPF_TS;
		r->flags |= TCPF_TIMING;
		r->rtt_seq = r->snd_una;
		break;
	case 2:	/* all acknowledged, no duplicate ACK (75) */
		r->snd_nxt = r->snd_una;
		r->snd_max = r->snd_una;
		r->recover = r->snd_una;
		r->nsb = 0;
		break;
	case 3:	/* a second segment owes its ACK now (77) */
		r->flags |= TCPF_DELACK | TCPF_ACK_ARMED;
		r->ack_left = 0;
		r->delack_segs = 2;
		break;
	case 4:	/* the window last set by the SYN, whose ACK field is any (67) */
		r->snd_wl1 = r->irs;
		r->snd_wl2 = r->snd_una + 12345;
		break;
	case 5:	/* the peer's FIN taken at the edge of a closed window (64) */
		r->state = IXDP_TCP_CLOSE_WAIT;
		r->flags |= TCPF_FIN_RCVD;
		r->rcv_adv = r->rcv_nxt - 1;
		r->snd_wl1 = r->rcv_adv;
		break;
	case 6:	/* closing with our FIN queued and the peer's taken (54, 55) */
		r->state = IXDP_TCP_CLOSING;
		r->flags |= TCPF_FIN_QUEUED | TCPF_FIN_RCVD;
		break;
	case 7:	/* 3 GiB sent and received: "before" its ISNs in seq space */
		r->iss = r->snd_una - (3U << 30);
		r->irs = r->rcv_nxt - (3U << 30);
		break;
	case 8:	/* as many buffers held as the core allows, moved along (81) */
		r->rcv_held = mg.tcp[MG_OLD]->held_max;
		r->rcv_unread = r->rcv_held * 1000;
		break;
	default:
		return false;
	}
	return true;
}

/* Each way a record can be wrong, one field or two: refused alone. */
static bool mg_corrupt(struct ixdp_tcp_mig *r, unsigned int i)
{
	switch (i) {
	case 0:	/* version */
		r->version++;
		break;
	case 1:	/* flags */
		r->flags |= TCPF_ACK_NOW;
		break;
	case 2:	/* flags2 */
		r->flags |= 1U << 31;
		break;
	case 3:	/* pad */
		r->pad = 1;
		break;
	case 4:	/* raddr0 */
		r->raddr = 0;
		break;
	case 5:	/* raddr_mc */
		r->raddr = cpu_to_be32(0xe0000001);
		break;
	case 6:	/* raddr_bc */
		r->raddr = ~0U;
		break;
	case 7:	/* rport */
		r->rport = 0;
		break;
	case 8:	/* lport */
		r->lport = 0;
		break;
	case 9:	/* state_syn */
		r->state = IXDP_TCP_SYN_RCVD;
		break;
	case 10:	/* state_tw */
		r->state = IXDP_TCP_TIME_WAIT;
		break;
	case 11:	/* wscale */
		r->snd_wscale = 15;
		break;
	case 12:	/* rwscale */
		r->rcv_wscale = 15;
		break;
	case 13:	/* ws_off */
		r->flags &= ~TCPF_WS;
		r->snd_wscale = 1;
		break;
	case 14:	/* pmtu_lo */
		r->pmtu = 500;
		break;
	case 15:	/* pmtu_hi */
		r->pmtu = 9000;
		break;
	case 16:	/* mss_pmtu */
		r->pmtu = IXDP_TCP_MIN_PMTU;
		break;
	case 17:	/* mss_lo */
		r->mss = 75;
		break;
	case 18:	/* mss_hi */
		r->mss = 1461;
		break;
	case 19:	/* mss_syn */
		r->mss = r->mss_syn + 1;
		break;
	case 20:	/* syn_hi */
		r->mss_syn = 1461;
		break;
	case 21:	/* nxt */
		r->snd_nxt = r->snd_una - 1;
		break;
	case 22:	/* max */
		r->snd_max = r->snd_nxt - 1;
		break;
	case 23:	/* una_back: a GiB in flight, more than is queued */
		r->snd_una -= 1U << 30;
		break;
	case 24:	/* rcv_back: the advertised edge a GiB ahead */
		r->rcv_nxt -= 1U << 30;
		break;
	case 25:	/* flight */
		r->snd_max = r->snd_una + r->sq_bytes + 2;
		r->snd_nxt = r->snd_max;
		break;
	case 26:	/* wnd */
		r->snd_wnd = (0xffffU << r->snd_wscale) + 1;
		break;
	case 27:	/* cwnd */
		r->cwnd = 0;
		break;
	case 28:	/* unread */
		r->rcv_unread = ~0U;
		break;
	case 29:	/* nsb */
		r->nsb = IXDP_TCP_SB_MAX + 1;
		break;
	case 30:	/* sb_order */
		r->nsb = 1;
		r->sb[0].start = r->snd_una + 2;
		r->sb[0].end = r->snd_una + 1;
		break;
	case 31:	/* sb_below */
		r->nsb = 1;
		r->sb[0].start = r->snd_una - 10;
		r->sb[0].end = r->snd_una;
		break;
	case 32:	/* sb_above */
		r->nsb = 1;
		r->sb[0].start = r->snd_una;
		r->sb[0].end = r->snd_max + 1;
		break;
	case 33:	/* sq_n */
		r->sq_n = IXDP_TCP_SQ + 1;
		break;
	case 34:	/* sq_base */
		r->sq[0].base = NULL;
		break;
	case 35:	/* sq_len */
		r->sq[r->sq_n - 1].len = 0;
		break;
	case 36:	/* sq_off */
		r->sq_off = r->sq[0].len;
		break;
	case 37:	/* sq_bytes */
		r->sq_bytes++;
		break;
	case 38:	/* sq_empty */
		r->sq_n = 0;
		break;
	case 39:	/* rto0 */
		r->rto = 0;
		break;
	case 40:	/* rto_hi */
		r->rto = 60 * TS_HZ + 1;
		break;
	case 41:	/* backoff */
		r->backoff = 32;
		break;
	case 42:	/* nrtx */
		r->nrtx = IXDP_TCP_MAX_RETRIES + 1;
		break;
	case 43:	/* rtx_unarmed */
		r->flags &= ~TCPF_RTX_ARMED;
		r->rtx_left = 1;
		break;
	case 44:	/* rtx_far */
		r->flags |= TCPF_RTX_ARMED;
		r->rtx_left = 1ULL << 40;
		break;
	case 45:	/* ack_unarmed */
		r->flags &= ~TCPF_ACK_ARMED;
		r->ack_left = 1;
		break;
	case 46:	/* ka_off */
		r->ka_intvl = 1;
		break;
	case 47:	/* ka_left */
		r->ka_left = 5;
		break;
	case 48:	/* ka_probes */
		r->ka_idle = 10;
		r->ka_intvl = 1;
		r->ka_cnt = 2;
		r->ka_probes = 3;
		break;
	case 49:	/* ka_idle */
		r->ka_idle = IXDP_TCP_KEEPIDLE_MAX + 1;
		r->ka_intvl = 1;
		r->ka_cnt = 2;
		break;
	default:
		return mg_corrupt_more(r, i);
	}
	return true;
}

/*
 * Moves in refused: each corrupt field (-EINVAL), a 4-tuple already
 * there (-EEXIST), a full table (-ENOSPC); the good record then goes in,
 * the one refused for room goes back to the old core, and both
 * connections end cleanly, one on each core.
 */
IX_TEST(tcp_migrate, refused_in_corrupt_exists_full)
{
	struct ixdp_tcp_mig good, rec, rec1;
	struct ixdp_stack *old, *new;
	struct ixdp_tcp_config cfg;
	unsigned int i, nbad, nfine;
	struct mg *m = &mg;
	u32 h, h1;

	CHECK(!mg_init(m, 2048, 23, NULL));
	old = &m->w.end[MG_OLD].s;
	new = &m->w.end[MG_NEW].s;
	/* A new core with room for one connection. */
	cfg = mg_cfg;
	cfg.rcv_buf = 8 * 1024;
	ixdp_tcp_teardown(new);
	CHECK(!ixdp_tcp_init(new, m->tcp[MG_NEW], 1, &cfg, &mg_ops));
	mg_open(m, 2, 0);
	for (i = 0; i < 100; i++)
		mg_step(m);
	for (i = 0; i < 2; i++)
		mg_give_back(&m->cli[i]);
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h, &good), 0);
	CHECK(good.sq_n && good.snd_una != good.snd_max);
	/* What mg_corrupt() takes for granted of the good record. */
	CHECK(good.state == IXDP_TCP_ESTABLISHED && good.snd_wnd &&
	      good.flags & TCPF_KNOCKED && good.snd_wl1 != good.irs &&
	      !(good.flags & (TCPF_RECOVERY | TCPF_PASSIVE | TCPF_TIMING)));
	for (i = 0, rec = good; mg_corrupt(&rec, i); i++, rec = good) {
		if (ixdp_tcp_migrate_in(new, &rec, &m->cli[0], &h) != -EINVAL) {
			printf("# bad record %u taken\n", i);
			CHECK(0);
		}
	}
	nbad = i;
	CHECK_EQ(mg_refused(m, MG_NEW), nbad);
	CHECK_EQ(m->tcp[MG_NEW]->nused, 0);
	/*
	 * Not corrupt: the least MSS a peer gets, less the timestamps (and
	 * a path MTU that lowered it); taken, and out again at once.
	 */
	CHECK(good.flags & TCPF_TS);
	rec = good;
	rec.mss_syn = IXDP_TCP_MIN_MSS - 12;
	rec.mss = rec.mss_syn;
	CHECK_EQ(ixdp_tcp_migrate_in(old, &rec, &m->cli[0], &h), 0);
	CHECK_EQ(ixdp_tcp_migrate_out(old, h, &rec), 0);
	rec = good;
	rec.pmtu = IXDP_TCP_MIN_PMTU;
	rec.mss = IXDP_TCP_MIN_PMTU - 40 - 12;
	CHECK_EQ(ixdp_tcp_migrate_in(old, &rec, &m->cli[0], &h), 0);
	CHECK_EQ(ixdp_tcp_migrate_out(old, h, &rec), 0);
	for (i = 0, rec = good; mg_fine(&rec, i); i++, rec = good) {
		if (ixdp_tcp_migrate_in(old, &rec, &m->cli[0], &h)) {
			printf("# good record %u refused\n", i);
			CHECK(0);
		}
		/* Case 8's buffers are none of the old core's: not given back. */
		CHECK_EQ(ixdp_tcp_migrate_out_held(old, h, &rec), 0);
	}
	nfine = i;
	CHECK(!new->stats.tcp.migrated_in);
	CHECK_EQ(ixdp_tcp_migrate_in(new, &good, &m->cli[0], &h), 0);
	m->cli[0].s = new;
	m->cli[0].h = h;
	CHECK_EQ(ixdp_tcp_migrate_in(new, &good, &m->cli[0], &h1), -EEXIST);
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[1].h, &rec1), 0);
	CHECK_EQ(ixdp_tcp_migrate_in(new, &rec1, &m->cli[1], &h1), -ENOSPC);
	CHECK_EQ(mg_refused(m, MG_NEW), nbad + 2);
	/* Back where it came from. */
	CHECK_EQ(ixdp_tcp_migrate_in(old, &rec1, &m->cli[1], &h1), 0);
	m->cli[1].h = h1;
	CHECK(!ixdp_tcp_migrated(old, cpu_to_be32(US_IP + 1), cpu_to_be16(80),
				 cpu_to_be16(m->cli_port[1])));
	m->to_new = true;
	CHECK(mg_finish(m, 100 * 1000));
	CHECK(mg_all_ok(m));
	CHECK(mg_no_rst(m));
	CHECK_EQ(new->stats.tcp.migrated_in, 1);
	CHECK_EQ(old->stats.tcp.migrated_in, 3 + nfine);
	CHECK(mg_pools_full(m));
	CHECK(mg_fini(m));
}

/*
 * A connection whose retransmission timer runs moves between cores whose
 * clocks are 5000 s apart, the new one behind: it retransmits on the new
 * core when the old one would have (to the tick), and its TSvals go on
 * from the old core's (RFC 7323 5.5: monotonic for the peer's PAWS).
 */
IX_TEST(tcp_migrate, rto_resumes_on_new_core_clocks_differ)
{
	struct ixdp_stack *old, *new;
	struct ixdp_tcp_pcb *pcb;
	struct ixdp_tcp_mig rec;
	u64 left, moved_at;
	struct mg *m = &mg;
	u32 old_ts, h;
	unsigned int e;
	int err;

	CHECK(!mg_init(m, 2048, 31, NULL));
	old = &m->w.end[MG_OLD].s;
	new = &m->w.end[MG_NEW].s;
	m->off[MG_OLD] = 5000 * TS_HZ;
	m->off[MG_PEER] = 777;
	for (e = 0; e < 3; e++)
		ixdp_stack_advance(&m->w.end[e].s, m->off[e]);
	m->quiet = true;
	mg_open(m, 1, 0);
	CHECK(MG_UNTIL(m, 100, m->app[MG_PEER].naccepted == 1));
	for (e = 0; e < 40; e++)
		mg_step(m);
	/* Nothing of the old core or the peer arrives: the RTO runs. */
	m->black = true;
	m->paced[MG_PEER] = false;
	m->ts_from = MG_OLD;
	for (e = 0; e < 5; e++)
		mg_step(m);
	pcb = ixdp_tcp_pcb_get(old, m->cli[0].h, &err);
	CHECK(pcb);
	CHECK(MG_UNTIL(m, 1000, pcb->flags & TCPF_RTX_ARMED &&
		       !(pcb->flags & TCPF_PERSIST) &&
		       pcb->snd_max != pcb->snd_una &&
		       pcb->rtx_due > old->now + 20));
	mg_give_back(&m->cli[0]);
	left = pcb->rtx_due - old->now;
	old_ts = tcp_ts_now(pcb);
	CHECK_EQ(ixdp_tcp_migrate_out(old, m->cli[0].h, &rec), 0);
	CHECK_EQ(rec.rtx_left, left);
	CHECK_EQ(ixdp_tcp_migrate_in(new, &rec, &m->cli[0], &h), 0);
	m->cli[0].s = new;
	m->cli[0].h = h;
	m->to_new = true;
	pcb = ixdp_tcp_pcb_get(new, h, &err);
	CHECK(pcb);
	CHECK_EQ(pcb->rtx_due - new->now, left);
	CHECK(new->now + 4000 * TS_HZ < old->now);
	/* What the new core sends from now on. */
	moved_at = m->now;
	m->ts_from = MG_NEW;
	m->nseg = 0;
	m->nseg_data = 0;
	CHECK(MG_UNTIL(m, 2 * left, m->nseg_data));
	printf("# RTO: %llu ticks left at the move, retransmitted after %llu\n",
	       (unsigned long long)left,
	       (unsigned long long)(m->seg_at - moved_at));
	CHECK_EQ(m->seg_seq, rec.snd_una);
	CHECK(m->seg_at - moved_at >= left && m->seg_at - moved_at <= left + 1);
	/* TSvals: on from the old core's, by the ticks between. */
	CHECK((s32)(m->tsval_first - old_ts) >= 0);
	CHECK(m->tsval_first - old_ts <= m->seg_at - moved_at + 1);
	CHECK(!tcp_seq_before(m->tsval_last, m->tsval_first));
	m->black = false;
	m->quiet = false;
	m->paced[MG_PEER] = true;
	CHECK(mg_finish(m, 100 * 1000));
	CHECK(mg_all_ok(m));
	CHECK(mg_no_rst(m));
	CHECK(!new->stats.tcp.resets_in);
	CHECK(mg_pools_full(m));
	CHECK(mg_fini(m));
}
