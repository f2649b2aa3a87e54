// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the tests of the ixdp stack; see net_util.h.
 */

#include <stdlib.h>
#include <string.h>

#include "net_util.h"

const uint8_t rss_spec_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

const uint8_t us_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 };
const uint8_t gw_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int ts_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct tstack *t = container_of(s, struct tstack, s);

	if (t->xmit_ret || t->ntx == TS_MAX_TX) {
		t->tx_overflow += !t->xmit_ret;
		ixdp_buf_put(b);
		return t->xmit_ret ? t->xmit_ret : -ENOSPC;
	}
	t->tx[t->ntx++] = b;
	return 0;
}

static const struct ixdp_stack_ops ts_ops = {
	.xmit = ts_xmit,
};

static int ts_punt(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct tstack *t = container_of(s, struct tstack, s);

	if (t->punt_ret || t->npunted == TS_MAX_TX) {
		ixdp_buf_put(b);
		return t->punt_ret ? t->punt_ret : -ENOSPC;
	}
	t->punted[t->npunted++] = b;
	return 0;
}

static const struct ixdp_stack_ops ts_punt_ops = {
	.xmit = ts_xmit,
	.punt = ts_punt,
};

int ts_init_punt(struct tstack *t, unsigned int nbufs, uint32_t rate)
{
	struct ixdp_stack_config cfg;
	uint8_t arp[64];
	int ret;

	ts_default_cfg(&cfg);
	cfg.punt_rate = rate;
	ret = ts_init_cfg(t, nbufs, &cfg);
	if (ret)
		return ret;
	t->s.ops = &ts_punt_ops;
	mk_arp(arp, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(t, arp, 42);
	return 0;
}

int ts_init_peer(struct tstack *t, unsigned int nbufs)
{
	uint8_t arp[64];
	int ret = ts_init(t, nbufs);

	mk_arp(arp, us_mac, 2, peer_mac, PEER_IP, us_mac, US_IP);
	ts_rx(t, arp, 42);
	return ret;
}

void ts_default_cfg(struct ixdp_stack_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->mac, us_mac, 6);
	cfg->addr = cpu_to_be32(US_IP);
	cfg->gateway = cpu_to_be32(GW_IP);
	cfg->prefix_len = 24;
	cfg->hz = TS_HZ;
}

int ts_init_cfg(struct tstack *t, unsigned int nbufs,
		const struct ixdp_stack_config *cfg)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->descs = calloc(nbufs, sizeof(*t->descs));
	ixdp_pool_init(&t->pool, t->descs, nbufs);
	t->mem = calloc(nbufs, sizeof(*t->mem));
	for (i = 0; i < nbufs; i++) {
		t->mem[i] = malloc(IXDP_BUF_SIZE);
		ixdp_pool_add(&t->pool, t->mem[i], IXDP_BUF_SIZE);
	}
	t->nmem = nbufs;
	t->init_ret = ixdp_stack_init(&t->s, cfg, &ts_ops, &t->pool, 0);
	return t->init_ret;
}

int ts_init(struct tstack *t, unsigned int nbufs)
{
	struct ixdp_stack_config cfg;

	ts_default_cfg(&cfg);
	return ts_init_cfg(t, nbufs, &cfg);
}

unsigned int ts_flush(struct tstack *t)
{
	unsigned int i, n = t->ntx;

	for (i = 0; i < n; i++)
		ixdp_buf_put(t->tx[i]);
	t->ntx = 0;
	for (i = 0; i < t->npunted; i++)
		ixdp_buf_put(t->punted[i]);
	t->npunted = 0;
	return n;
}

bool ts_fini(struct tstack *t)
{
	bool ok;
	unsigned int i;

	if (!t->init_ret)
		ixdp_stack_teardown(&t->s);
	ts_flush(t);
	ok = t->pool.avail == t->pool.total && !t->pool.bad_put &&
	     t->pool.total == t->nmem;
	for (i = 0; i < t->nmem; i++)
		free(t->mem[i]);
	free(t->mem);
	t->mem = NULL;
	free(t->descs);
	t->descs = NULL;
	return ok;
}

bool ts_rx(struct tstack *t, const void *frame, size_t len)
{
	struct ixdp_buf *b = ixdp_buf_get(&t->pool);

	if (!b)
		return false;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, len), frame, len);
	ixdp_eth_rx(&t->s, b);
	return true;
}

struct ixdp_buf *ts_pop(struct tstack *t)
{
	struct ixdp_buf *b;

	if (!t->ntx)
		return NULL;
	b = t->tx[0];
	memmove(t->tx, t->tx + 1, --t->ntx * sizeof(t->tx[0]));
	return b;
}

uint64_t ts_drops(const struct tstack *t, enum ixdp_drop_reason why)
{
	return t->s.stats.drops[why];
}

uint64_t ts_all_drops(const struct tstack *t)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < IXDP_DROP_MAX; i++)
		n += t->s.stats.drops[i];
	return n;
}

void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

uint32_t ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t ref_csum(const uint8_t *p, size_t n, uint32_t init)
{
	return ~ref_sum(p, n, init) & 0xffff;
}

uint32_t ref_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	       proto + len;
}

size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
	      uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

size_t mk_arp(uint8_t *f, const uint8_t *dst, uint16_t op,
	      const uint8_t *sha, uint32_t sip, const uint8_t *tha,
	      uint32_t tip)
{
	uint8_t *a = f + mk_eth(f, dst, sha, 0x0806);

	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	put32(a + 14, sip);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tip);
	return 42;
}

void fix_ip_csum(uint8_t *f)
{
	uint8_t *ip = f + 14;
	size_t hlen = (ip[0] & 0xf) * 4;

	put16(ip + 10, 0);
	put16(ip + 10, ref_csum(ip, hlen, 0));
}

size_t mk_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
	     size_t l4_len)
{
	uint8_t *ip = f + mk_eth(f, us_mac, peer_mac, 0x0800);

	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, 20 + l4_len);
	put16(ip + 4, 0x1234);
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	fix_ip_csum(f);
	return 34 + l4_len;
}

size_t mk_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
	      uint16_t dport, const void *data, size_t n)
{
	uint8_t *u = f + 34;
	uint16_t c;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, 8 + n);
	put16(u + 6, 0);
	memcpy(u + 8, data, n);
	c = ref_csum(u, 8 + n, ref_pseudo(src, dst, 17, 8 + n));
	put16(u + 6, c ? c : 0xffff);
	return mk_ip(f, src, dst, 17, 8 + n);
}

size_t mk_icmp_tcp(uint8_t *f, uint8_t type, uint8_t code, uint16_t mtu,
		   uint16_t lport, uint16_t rport, uint32_t seq)
{
	uint8_t *ic = f + 34, *q = ic + 8;

	memset(ic, 0, 8 + 28);
	ic[0] = type;
	ic[1] = code;
	put16(ic + 6, mtu);
	q[0] = 0x45;
	put16(q + 2, 1500);
	put16(q + 6, 0x4000);
	q[8] = 64;
	q[9] = 6;
	put32(q + 12, US_IP);
	put32(q + 16, PEER_IP);
	put16(q + 10, ref_csum(q, 20, 0));
	put16(q + 20, lport);
	put16(q + 22, rport);
	put32(q + 24, seq);
	put16(ic + 2, ref_csum(ic, 8 + 28, 0));
	return mk_ip(f, GW_IP, US_IP, 1, 8 + 28);
}

size_t mk_echo(uint8_t *f, uint32_t src, uint16_t id, uint16_t seq,
	       const void *data, size_t n)
{
	uint8_t *ic = f + 34;

	ic[0] = 8;
	ic[1] = 0;
	put16(ic + 2, 0);
	put16(ic + 4, id);
	put16(ic + 6, seq);
	memcpy(ic + 8, data, n);
	put16(ic + 2, ref_csum(ic, 8 + n, 0));
	return mk_ip(f, src, US_IP, 1, 8 + n);
}

size_t mk_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
	      uint32_t seq, uint32_t ack, uint8_t flags, size_t data_len)
{
	uint8_t *th = f + 34;
	size_t len = 20 + data_len, i;

	memset(th, 0, 20);
	put16(th, sport);
	put16(th + 2, dport);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, 65535);
	for (i = 0; i < data_len; i++)
		th[20 + i] = 'a' + i % 26;
	put16(th + 16, ref_csum(th, len, ref_pseudo(src, US_IP, 6, len)));
	return mk_ip(f, src, US_IP, 6, len);
}

bool ip_frame_ok(const struct ixdp_buf *b)
{
	const uint8_t *f = bdata(b), *ip = f + 14;

	if (b->len < 34 || get16(f + 12) != 0x0800 || ip[0] != 0x45)
		return false;
	return get16(ip + 2) == b->len - 14 && ref_csum(ip, 20, 0) == 0;
}

bool l4_csum_ok(const struct ixdp_buf *b)
{
	const uint8_t *ip = bdata(b) + 14, *l4 = ip + 20;
	uint16_t len = get16(ip + 2) - 20;

	if (ip[9] == 1)
		return ref_csum(l4, len, 0) == 0;
	return ref_csum(l4, len, ref_pseudo(get32(ip + 12), get32(ip + 16),
					    ip[9], len)) == 0;
}
