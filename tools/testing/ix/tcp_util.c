// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the TCP tests; see tcp_util.h.
 */

#include <stdlib.h>
#include <string.h>

#include "tcp_util.h"

uint8_t pat_byte(uint32_t seed, uint64_t i)
{
	uint32_t x = (uint32_t)((i >> 2) * 2654435761u) ^ seed;

	x ^= x >> 15;
	x *= 0x2c1b3c6dU;
	x ^= x >> 12;
	return x >> ((i & 3) * 8);
}

void pat_fill(uint8_t *p, uint64_t len, uint32_t seed, uint64_t off)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		p[i] = pat_byte(seed, off + i);
}

void conn_push(struct conn *c)
{
	struct ixdp_iov iov;
	int n;

	if (!c->tx || c->closed || c->dead)
		return;
	while (c->tx_queued < c->tx_len) {
		iov.base = c->tx + c->tx_queued;
		iov.len = c->tx_len - c->tx_queued > (1u << 30) ?
			  1u << 30 : c->tx_len - c->tx_queued;
		if (c->tx_chunk && iov.len > c->tx_chunk)
			iov.len = c->tx_chunk;
		/* Vectors of memory apart do not merge in the send queue. */
		if (c->tx_alt && c->tx_chunk && c->tx_queued / c->tx_chunk % 2)
			iov.base = c->tx_alt + c->tx_queued;
		n = ixdp_tcp_sendv(c->s, c->h, &iov, 1);
		if (n <= 0)
			break;
		c->tx_queued += n;
	}
	if (c->close_when_sent && c->tx_queued == c->tx_len) {
		c->closed = true;
		ixdp_tcp_close(c->s, c->h);
	}
}

void conn_release(struct conn *c)
{
	while (c->nheld)
		ixdp_buf_put(c->held[--c->nheld]);
}

static void ev_knock(struct ixdp_stack *s, void *lcookie, u32 h,
		     __be32 raddr, __be16 rport)
{
	struct app *a = lcookie;
	struct conn *c;

	a->nknock++;
	a->last_knock = h;
	if (a->reject) {
		ixdp_tcp_reject(s, h);
		return;
	}
	if (a->no_accept || a->naccepted == a->nsrv)
		return;
	c = &a->srv[a->naccepted++];
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->h = h;
	c->connected = 1;
	c->seed = a->srv_seed;
	ixdp_tcp_accept(s, h, c);
}

static void ev_connected(struct ixdp_stack *s, void *cookie, u32 h,
			 int status)
{
	struct conn *c = cookie;

	c->nconnected++;
	c->connected = status ? status : 1;
	if (!status)
		conn_push(c);
}

static void ev_recv(struct ixdp_stack *s, void *cookie, u32 h,
		    struct ixdp_buf *b)
{
	struct conn *c = cookie;
	const uint8_t *d;
	unsigned int k;

	if (!b) {
		c->fin = true;
		if (c->close_on_fin)
			ixdp_tcp_close(s, h);
		return;
	}
	c->nrecv++;
	d = ixdp_buf_data(b);
	for (k = 0; k < b->len; k++)
		c->rx_bad += d[k] != pat_byte(c->seed, c->rx_len + k);
	c->rx_len += b->len;
	if (c->keep_bufs && c->nheld < 64) {
		c->held[c->nheld++] = b;
		return;
	}
	ixdp_tcp_recv_done(s, h, b->len, 1);
	ixdp_buf_put(b);
}

static void ev_sent(struct ixdp_stack *s, void *cookie, u32 h, u32 acked,
		    u32 space)
{
	struct conn *c = cookie;

	c->tx_acked += acked;
	conn_push(c);
}

static void ev_dead(struct ixdp_stack *s, void *cookie, u32 h, int reason)
{
	struct conn *c = cookie;

	if (!c)
		return;
	c->dead = true;
	c->ndead++;
	c->dead_reason = reason;
}

const struct ixdp_tcp_ops test_tcp_ops = {
	.knock = ev_knock,
	.connected = ev_connected,
	.recv = ev_recv,
	.sent = ev_sent,
	.dead = ev_dead,
};

void tp_arp(struct tpeer *p)
{
	uint8_t f[64];

	mk_arp(f, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&p->t, f, 42);
}

unsigned int tp_nbufs = 256;

/*
 * The tests' timings are written for an RTO of at least a second, RFC
 * 6298's floor: a config that leaves rto_min unset gets it here.  The
 * stack's own default is Linux's 200 ms (tcp_rto.default_floor_is_linux).
 */
int tp_init_off(struct tpeer *p, const struct ixdp_tcp_config *cfg,
		uint32_t offload)
{
	struct ixdp_tcp_config c = {};
	struct ixdp_stack_config scfg;
	int ret;

	memset(p, 0, sizeof(*p));
	ts_default_cfg(&scfg);
	scfg.offload = offload;
	ret = ts_init_cfg(&p->t, tp_nbufs, &scfg);
	if (ret)
		return ret;
	tp_arp(p);
	ts_flush(&p->t);
	p->tcp = calloc(1, ixdp_tcp_size(IXDP_TCP_PCBS));
	p->app.srv = p->srv;
	p->app.nsrv = 4;
	p->cli.s = &p->t.s;
	if (cfg)
		c = *cfg;
	if (!c.rto_min)
		c.rto_min = scfg.hz;
	return ixdp_tcp_init(&p->t.s, p->tcp, IXDP_TCP_PCBS, &c, &test_tcp_ops);
}

int tp_init(struct tpeer *p, const struct ixdp_tcp_config *cfg)
{
	return tp_init_off(p, cfg, 0);
}

bool tp_fini(struct tpeer *p)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		conn_release(&p->srv[i]);
	conn_release(&p->cli);
	ixdp_tcp_teardown(&p->t.s);
	free(p->tcp);
	return ts_fini(&p->t);
}

/*
 * The peer answers the requests that confirm our entry for it (sent to
 * its own MAC every IXDP_ARP_REACHABLE_S seconds), as a live host does,
 * so that they never mix with the segments a test counts.  Broadcast
 * requests are left to the test.
 */
static void tp_answer_probes(struct tpeer *p)
{
	unsigned int i = 0, n = 0;
	struct ixdp_buf *b;
	uint8_t f[42];
	uint8_t *d;

	while (i < p->t.ntx) {
		b = p->t.tx[i];
		d = ixdp_buf_data(b);
		if (b->len < 42 || memcmp(d, peer_mac, 6) ||
		    get16(d + 12) != 0x0806 || get16(d + 20) != 1) {
			i++;
			continue;
		}
		memmove(p->t.tx + i, p->t.tx + i + 1,
			(--p->t.ntx - i) * sizeof(p->t.tx[0]));
		ixdp_buf_put(b);
		n++;
	}
	if (!n)
		return;
	mk_arp(f, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(&p->t, f, sizeof(f));
}

void tp_advance(struct tpeer *p, uint64_t now)
{
	ixdp_stack_advance(&p->t.s, now);
	tp_answer_probes(p);
}

static unsigned int tp_opts(uint8_t *o, const struct tseg *sg)
{
	unsigned int n = 0, i;

	if (sg->raw_opts) {
		memcpy(o, sg->raw_opts, sg->raw_olen);
		n = sg->raw_olen;
	}
	if (!sg->raw_opts && sg->has_mss) {
		o[n++] = 2;
		o[n++] = 4;
		put16(o + n, sg->mss);
		n += 2;
	}
	if (!sg->raw_opts && sg->has_ws) {
		o[n++] = 1;
		o[n++] = 3;
		o[n++] = 3;
		o[n++] = sg->ws;
	}
	if (!sg->raw_opts && sg->sack_ok) {
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 4;
		o[n++] = 2;
	}
	if (!sg->raw_opts && sg->has_ts) {
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 8;
		o[n++] = 10;
		put32(o + n, sg->tsval);
		put32(o + n + 4, sg->tsecr);
		n += 8;
	}
	if (!sg->raw_opts && sg->nsack) {
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 5;
		o[n++] = 2 + 8 * sg->nsack;
		for (i = 0; i < sg->nsack; i++, n += 8) {
			put32(o + n, sg->sack[i][0]);
			put32(o + n + 4, sg->sack[i][1]);
		}
	}
	while (n % 4)
		o[n++] = 0;
	return n;
}

bool tp_send(struct tpeer *p, const struct tseg *sg)
{
	static uint8_t f[IXDP_BUF_SIZE];
	uint32_t src = sg->saddr ? sg->saddr : PEER_IP;
	uint8_t *th = f + 34;
	unsigned int olen, len;

	memset(th, 0, 20);
	olen = tp_opts(th + 20, sg);
	len = 20 + olen + sg->len;
	put16(th, sg->sport ? sg->sport : PEER_PORT);
	put16(th + 2, sg->dport ? sg->dport : SRV_PORT);
	put32(th + 4, sg->seq);
	put32(th + 8, sg->ack);
	th[12] = (20 + olen) / 4 << 4;
	th[13] = sg->flags;
	put16(th + 14, sg->win);
	if (sg->len)
		memcpy(th + 20 + olen, sg->data, sg->len);
	put16(th + 16, ref_csum(th, len, ref_pseudo(src, US_IP, 6, len)));
	return ts_rx(&p->t, f, mk_ip(f, src, US_IP, 6, len));
}

static void tp_parse_opts(const uint8_t *o, unsigned int n, struct tseg *sg)
{
	unsigned int i = 0, l, k;

	while (i < n && o[i]) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2)
			return;
		l = o[i + 1];
		if (o[i] == 2 && l == 4) {
			sg->has_mss = true;
			sg->mss = get16(o + i + 2);
		} else if (o[i] == 3 && l == 3) {
			sg->has_ws = true;
			sg->ws = o[i + 2];
		} else if (o[i] == 4 && l == 2) {
			sg->sack_ok = true;
		} else if (o[i] == 8 && l == 10) {
			sg->has_ts = true;
			sg->tsval = get32(o + i + 2);
			sg->tsecr = get32(o + i + 6);
		} else if (o[i] == 5) {
			sg->nsack = (l - 2) / 8;
			for (k = 0; k < sg->nsack && k < 4; k++) {
				sg->sack[k][0] = get32(o + i + 2 + 8 * k);
				sg->sack[k][1] = get32(o + i + 6 + 8 * k);
			}
		}
		i += l;
	}
}

bool tp_pop(struct tpeer *p, struct tseg *sg)
{
	static uint8_t data[IXDP_BUF_SIZE];
	struct ixdp_buf *b = ts_pop(&p->t);
	const uint8_t *ip, *th;
	unsigned int hl, tot;
	bool ok;

	memset(sg, 0, sizeof(*sg));
	if (!b)
		return false;
	ip = bdata(b) + 14;
	th = ip + 20;
	ok = ip_frame_ok(b) && ip[9] == 6 &&
	     (l4_csum_ok(b) || b->flags & IXDP_BUF_CSUM_PARTIAL);
	tot = get16(ip + 2) - 20;
	hl = (th[12] >> 4) * 4;
	if (ok && hl >= 20 && hl <= tot) {
		sg->sport = get16(th);
		sg->dport = get16(th + 2);
		sg->seq = get32(th + 4);
		sg->ack = get32(th + 8);
		sg->flags = th[13];
		sg->win = get16(th + 14);
		tp_parse_opts(th + 20, hl - 20, sg);
		sg->len = tot - hl;
		memcpy(data, th + hl, sg->len);
		sg->data = data;
	} else {
		ok = false;
	}
	ixdp_buf_put(b);
	return ok;
}

unsigned int tp_ntx(const struct tpeer *p)
{
	return p->t.ntx;
}

void tp_syn_opts(struct tseg *sg)
{
	sg->has_mss = true;
	sg->mss = 1460;
	sg->has_ws = true;
	sg->ws = 7;
	sg->sack_ok = true;
	sg->has_ts = true;
	sg->tsval = 100;
}

bool tp_open_active(struct tpeer *p, uint32_t *iss, uint32_t peer_iss,
		    bool opts)
{
	struct tseg sg, in;

	if (ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
			     cpu_to_be16(SRV_PORT), &p->cli, &p->cli.h))
		return false;
	if (!tp_pop(p, &in) || in.flags != TH_SYN || in.dport != SRV_PORT)
		return false;
	p->lport = in.sport;
	p->iss = in.seq;
	p->piss = peer_iss;
	memset(&sg, 0, sizeof(sg));
	if (opts) {
		tp_syn_opts(&sg);
		sg.tsecr = in.tsval;
	}
	sg.sport = SRV_PORT;
	sg.dport = p->lport;
	sg.seq = peer_iss;
	sg.ack = p->iss + 1;
	sg.flags = TH_SYN | TH_ACK;
	sg.win = 65535;
	tp_send(p, &sg);
	if (!tp_pop(p, &in) || in.flags != TH_ACK || in.ack != peer_iss + 1 ||
	    in.seq != p->iss + 1 || p->cli.connected != 1)
		return false;
	if (iss)
		*iss = p->iss;
	return true;
}

/* A segment from the peer on the open connection: header fields only. */
void seg_init(struct tpeer *p, struct tseg *sg, u32 seq, u32 ack, u8 flags)
{
	memset(sg, 0, sizeof(*sg));
	sg->sport = p->lport == SRV_PORT ? PEER_PORT : SRV_PORT;
	sg->dport = p->lport;
	sg->seq = seq;
	sg->ack = ack;
	sg->flags = flags;
	sg->win = 65535;
}

bool tp_open_passive(struct tpeer *p, uint32_t *iss, uint32_t peer_iss,
		     bool opts)
{
	struct tseg sg, in;

	if (ixdp_tcp_listen(&p->t.s, cpu_to_be16(SRV_PORT), 4, &p->app))
		return false;
	memset(&sg, 0, sizeof(sg));
	if (opts)
		tp_syn_opts(&sg);
	sg.seq = peer_iss;
	sg.flags = TH_SYN;
	sg.win = 65535;
	tp_send(p, &sg);
	if (!tp_pop(p, &in) || in.flags != (TH_SYN | TH_ACK) ||
	    in.ack != peer_iss + 1 || in.sport != SRV_PORT)
		return false;
	p->iss = in.seq;
	p->piss = peer_iss;
	p->lport = SRV_PORT;
	memset(&sg, 0, sizeof(sg));
	if (opts) {
		sg.has_ts = true;
		sg.tsval = 101;
		sg.tsecr = in.tsval;
	}
	sg.seq = peer_iss + 1;
	sg.ack = p->iss + 1;
	sg.flags = TH_ACK;
	sg.win = opts ? 512 : 65535;	/* 64 KiB with shift 7 */
	tp_send(p, &sg);
	if (p->app.naccepted != 1 || tp_ntx(p))
		return false;
	if (iss)
		*iss = p->iss;
	return true;
}

bool tp_open_many(struct tpeer *p, struct conn *c, u16 *lport, u32 *iss,
		  unsigned int n)
{
	struct ixdp_tcp_config cfg = p->tcp->cfg;
	struct tseg sg, in;
	unsigned int i;

	/* A table of @n, configured as tp_init() had it. */
	ixdp_tcp_teardown(&p->t.s);
	free(p->tcp);
	p->tcp = calloc(1, ixdp_tcp_size(n));
	if (ixdp_tcp_init(&p->t.s, p->tcp, n, &cfg, &test_tcp_ops))
		return false;
	for (i = 0; i < n; i++) {
		c[i].s = &p->t.s;
		if (ixdp_tcp_connect(&p->t.s, cpu_to_be32(PEER_IP),
				     cpu_to_be16(2000 + i), &c[i], &c[i].h) ||
		    !tp_pop(p, &in) || in.flags != TH_SYN)
			return false;
		lport[i] = in.sport;
		if (iss)
			iss[i] = in.seq;
		memset(&sg, 0, sizeof(sg));
		sg.sport = 2000 + i;
		sg.dport = in.sport;
		sg.seq = 100;
		sg.ack = in.seq + 1;
		sg.flags = TH_SYN | TH_ACK;
		sg.win = 65535;
		tp_send(p, &sg);
		if (!tp_pop(p, &in) || in.flags != TH_ACK ||
		    c[i].connected != 1)
			return false;
	}
	return true;
}
