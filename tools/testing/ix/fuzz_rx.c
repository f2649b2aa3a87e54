// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: arbitrary frames, UDP sends, ARP announcements and
 * clock steps fed to one ixdp stack.
 *
 * Input: a config byte, then records.  Config bit 0 binds a UDP echo
 * server on port 7, bit 1 shrinks the pool to 6 buffers, bit 2 drops the
 * gateway, bit 3 makes the subnet a /31, bit 4 starts TCP with a
 * listener on port 80 (it accepts and echoes), bit 5 (with bit 4) also
 * opens a connection to 198.18.0.3:80 and establishes it before the
 * records (a SYN-ACK answering the SYN sent).  Bit 6 makes the stack
 * core 0 of a device with two: the other core looks at every segment
 * handed to it, finds no connection and hands it back (handoff.c); bit 7
 * gives that device RSS, which the ports of new connections follow.
 *
 * A second config byte says what the harness does to each frame it
 * injects, so that mutations get past the checks a fuzzer cannot pass
 * by chance.  Bit 0 repairs the IPv4 header checksum; bit 1 repairs the
 * TCP, UDP or ICMP checksum (over what the IPv4 total length covers);
 * bit 2 marks the frame IXDP_BUF_CSUM_OK, as a device with RX checksum
 * offload does, so TCP and UDP skip theirs.  Bit 3 gives the SYN-ACK of
 * config bit 5's connection MSS, SACK-permitted, timestamp and window
 * scale options.  Bit 4 makes the sequence and acknowledgment numbers
 * (and SACK block edges) of TCP segments from 198.18.0.3:80 relative to
 * that connection's initial ones: the harness adds them before the
 * repair.  The other bits are ignored.  A record is a type byte, then:
 *   0: frame: 2-byte length, then that many bytes (or what is left)
 *   1: advance the clock by a 2-byte number of ticks
 *   2: UDP send: 1-byte host of the destination in 198.18.0.0/24 (0:
 *      off the subnet), 2-byte payload length
 *   3: gratuitous ARP
 *   4: TCP command on the last connection: 1-byte op (send, close,
 *      abort, recv_done, connect) and 2-byte argument
 * Every frame sent must be well formed (checked in xmit), and after
 * teardown every buffer must be back in the pool exactly once.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/random.h>

#include "handoff.h"
#include "stack.h"
#include "tcp.h"

#define FUZZ_BUFS	64
#define FUZZ_PCBS	IXDP_TCP_PCBS

static const uint8_t fuzz_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x03 };
static uint8_t *mem;
static struct ixdp_buf descs[FUZZ_BUFS];
static struct ixdp_tcp *tcp;
static uint8_t txdata[65536];
static uint32_t last_seq;	/* of the last TCP segment sent */
static uint16_t last_sport;
static u32 conn;		/* handle of the last connection */

#define FIX_IP_CSUM	0x01
#define FIX_L4_CSUM	0x02
#define FIX_CSUM_OK	0x04
#define FIX_SYN_OPTS	0x08
#define FIX_REL_SEQ	0x10
static uint8_t fix;		/* the second config byte */
static uint32_t our_isn;	/* of config bit 5's connection, 0: none */
#define PEER_ISN	0x10000000u	/* of the SYN-ACK answering it */

static uint16_t rd16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint16_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static void check_l4(const uint8_t *ip, unsigned int len)
{
	uint32_t ps = 0;
	unsigned int i;

	if (ip[9] != 1) {
		for (i = 12; i < 20; i += 2)
			ps += ip[i] << 8 | ip[i + 1];
		ps += ip[9] + len;
	}
	if ((ip[9] == 1 && len < 8) || (ip[9] == 17 && len < 8) ||
	    (ip[9] == 6 && len < 20))
		__builtin_trap();
	if (sum16(ip + 20, len, ps) != 0xffff)
		__builtin_trap();
}

/* Whatever the input, what the stack sends is a sane frame. */
static void check_frame(struct ixdp_stack *s, const uint8_t *f,
			unsigned int len)
{
	const uint8_t *ip = f + ETH_HLEN;
	unsigned int tot;

	if (len < ETH_HLEN || len > ETH_FRAME_LEN ||
	    memcmp(f + 6, s->cfg.mac, ETH_ALEN) || (f[0] & 1 && f[0] != 0xff))
		__builtin_trap();
	if (f[12] == 0x08 && f[13] == 0x06) {
		if (len != ETH_HLEN + 28 || memcmp(f + 22, s->cfg.mac, 6) ||
		    memcmp(f + 28, &s->cfg.addr, 4))
			__builtin_trap();
		return;
	}
	if (f[12] != 0x08 || f[13] != 0x00 || ip[0] != 0x45)
		__builtin_trap();
	if (ip[9] == 6 && len >= ETH_HLEN + 40) {
		last_sport = ip[20] << 8 | ip[21];
		last_seq = (uint32_t)ip[24] << 24 | ip[25] << 16 |
			   ip[26] << 8 | ip[27];
	}
	tot = ip[2] << 8 | ip[3];
	if (tot != len - ETH_HLEN || tot > s->cfg.mtu ||
	    sum16(ip, 20, 0) != 0xffff || !ip[8] ||
	    memcmp(ip + 12, &s->cfg.addr, 4) || ip[16] >= 224 ||
	    !memcmp(ip + 16, &s->cfg.addr, 4))
		__builtin_trap();
	check_l4(ip, tot - 20);
}

static int fuzz_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	check_frame(s, ixdp_buf_data(b), b->len);
	ixdp_buf_put(b);
	return 0;
}

static const struct ixdp_stack_ops fuzz_ops = {
	.xmit = fuzz_xmit,
};

static void echo_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		    __be32 saddr, __be16 sport)
{
	ixdp_udp_send(s, b, cpu_to_be16(7), saddr, sport);
}

static void tcp_knock(struct ixdp_stack *s, void *lcookie, u32 h,
		      __be32 raddr, __be16 rport)
{
	conn = h;
	ixdp_tcp_accept(s, h, NULL);
}

static void tcp_recv(struct ixdp_stack *s, void *cookie, u32 h,
		     struct ixdp_buf *b)
{
	struct ixdp_iov iov = { txdata, 0 };

	if (!b)
		return;
	iov.len = b->len;
	ixdp_tcp_sendv(s, h, &iov, 1);
	ixdp_tcp_recv_done(s, h, b->len, 1);
	ixdp_buf_put(b);
}

static void tcp_connected(struct ixdp_stack *s, void *cookie, u32 h,
			  int status)
{
}

static const struct ixdp_tcp_ops fuzz_tcp_ops = {
	.knock = tcp_knock,
	.connected = tcp_connected,
	.recv = tcp_recv,
};

static uint16_t csum_tcp(const uint8_t *ip, unsigned int len)
{
	uint32_t ps = 6 + len;
	unsigned int i;

	for (i = 12; i < 20; i += 2)
		ps += ip[i] << 8 | ip[i + 1];
	return ~sum16(ip + 20, len, ps);
}

static void fuzz_frame(struct ixdp_stack *s, const uint8_t *d, size_t n,
		       bool fixup);

/* Answer the SYN just sent with a SYN-ACK from 198.18.0.3:80. */
static void fuzz_synack(struct ixdp_stack *s)
{
	static const uint8_t opts[20] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 0,	/* timestamps */
		1, 3, 3, 7,			/* NOP, window scale 7 */
	};
	uint8_t f[ETH_HLEN + 60] = { 0 }, *ip = f + ETH_HLEN, *th = ip + 20;
	unsigned int olen = fix & FIX_SYN_OPTS ? sizeof(opts) : 0;
	uint32_t ack = last_seq + 1;
	uint16_t c;

	our_isn = last_seq;
	memcpy(f, fuzz_mac, ETH_ALEN);
	memcpy(f + 6, peer_mac, ETH_ALEN);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 40 + olen;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, (uint8_t[]){ 198, 18, 0, 3, 198, 18, 0, 2 }, 8);
	c = ~sum16(ip, 20, 0);
	ip[10] = c >> 8;
	ip[11] = c;
	th[1] = 80;
	th[2] = last_sport >> 8;
	th[3] = last_sport;
	th[4] = PEER_ISN >> 24;
	memcpy(th + 8, (uint8_t[]){ ack >> 24, ack >> 16, ack >> 8, ack }, 4);
	th[12] = (5 + olen / 4) << 4;
	th[13] = 0x12;
	th[14] = 0xff;
	th[15] = 0xff;
	memcpy(th + 20, opts, olen);
	c = csum_tcp(ip, 20 + olen);
	th[16] = c >> 8;
	th[17] = c;
	fuzz_frame(s, f, ETH_HLEN + 40 + olen, false);
}

static void fuzz_tcp_setup(struct ixdp_stack *s, uint8_t conf)
{
	struct ixdp_tcp_config cfg = { 0 };
	uint8_t arp[ETH_HLEN + 28] = { 0 };

	if (!tcp)
		tcp = malloc(ixdp_tcp_size(FUZZ_PCBS));
	if (ixdp_tcp_init(s, tcp, FUZZ_PCBS, &cfg, &fuzz_tcp_ops))
		__builtin_trap();
	ixdp_tcp_listen(s, cpu_to_be16(80), 4, NULL);
	conn = 0;
	our_isn = 0;
	if (!(conf & 32))
		return;
	/* Learn the peer's MAC from an ARP reply, then connect. */
	memcpy(arp, fuzz_mac, ETH_ALEN);
	memcpy(arp + 6, peer_mac, ETH_ALEN);
	memcpy(arp + 12, (uint8_t[]){ 8, 6, 0, 1, 8, 0, 6, 4, 0, 2 }, 10);
	memcpy(arp + 22, peer_mac, ETH_ALEN);
	memcpy(arp + 28, (uint8_t[]){ 198, 18, 0, 3 }, 4);
	memcpy(arp + 32, fuzz_mac, ETH_ALEN);
	memcpy(arp + 38, (uint8_t[]){ 198, 18, 0, 2 }, 4);
	fuzz_frame(s, arp, sizeof(arp), false);
	if (ixdp_tcp_connect(s, cpu_to_be32(0xc6120003), cpu_to_be16(80),
			     NULL, &conn))
		return;
	fuzz_synack(s);
}

static void fuzz_tcp_cmd(struct ixdp_stack *s, uint8_t op, uint16_t arg)
{
	struct ixdp_iov iov = { txdata, arg };

	switch (op % 5) {
	case 0:
		ixdp_tcp_sendv(s, conn, &iov, 1);
		break;
	case 1:
		ixdp_tcp_close(s, conn);
		break;
	case 2:
		ixdp_tcp_abort(s, conn);
		break;
	case 3:
		ixdp_tcp_recv_done(s, conn, arg, arg & 3);
		break;
	case 4:
		ixdp_tcp_connect(s, cpu_to_be32(0xc6120000 | (arg & 0xff)),
				 cpu_to_be16(arg >> 8 | 1), NULL, &conn);
		break;
	}
}

static struct ixdp_handoff fuzz_ho;
static struct ixdp_handoff_ring fuzz_ring[2];	/* to core 1, back */
static struct ixdp_rss fuzz_rss;

static void fuzz_handoff_setup(struct ixdp_stack *s, uint8_t conf)
{
	unsigned int i;

	memset(&fuzz_ho, 0, sizeof(fuzz_ho));
	memset(fuzz_ring, 0, sizeof(fuzz_ring));
	fuzz_ho.ncores = 2;
	fuzz_ho.ring[0][1] = &fuzz_ring[0];
	fuzz_ho.ring[1][0] = &fuzz_ring[1];
	if (conf & 128) {
		for (i = 0; i < IXDP_RSS_KEY_LEN; i++)
			fuzz_rss.key[i] = i * 37 + 11;
		fuzz_rss.nindir = 64;
		for (i = 0; i < fuzz_rss.nindir; i++)
			fuzz_rss.core[i] = i % 3 == 0;
		fuzz_ho.rss = &fuzz_rss;
	}
	ixdp_handoff_join(s, &fuzz_ho, 0);
}

/* Core 1: hand every segment back, seen by both; ARP needs nothing. */
static void fuzz_bounce(struct ixdp_stack *s)
{
	struct ixdp_handoff_ring *out = &fuzz_ring[0], *back = &fuzz_ring[1];
	struct ixdp_handoff_slot *from, *to;

	if (!s->handoff)
		return;
	while (out->tail != out->head &&
	       back->head - back->tail < IXDP_HANDOFF_SLOTS) {
		from = &out->slot[out->tail++ % IXDP_HANDOFF_SLOTS];
		if (from->seen != 1 || from->len > IXDP_HANDOFF_DATA)
			__builtin_trap();
		if (from->kind != IXDP_HANDOFF_SEG)
			continue;
		to = &back->slot[back->head++ % IXDP_HANDOFF_SLOTS];
		*to = *from;
		to->seen |= 2;
	}
	ixdp_handoff_poll(s, IXDP_HANDOFF_SLOTS);
	/* Seen by both: the stack answers it and hands nothing on. */
	if (out->tail != out->head)
		__builtin_trap();
}

static void fuzz_setup(struct ixdp_stack *s, struct ixdp_pool *p,
		       uint8_t conf)
{
	struct ixdp_stack_config cfg = {
		.addr = cpu_to_be32(0xc6120002),	/* 198.18.0.2 */
		.gateway = cpu_to_be32(0xc6120001),
		.prefix_len = 24,
		.hz = 1000,
	};

	memcpy(cfg.mac, fuzz_mac, ETH_ALEN);
	if (conf & 4)
		cfg.gateway = 0;
	if (conf & 8) {
		cfg.prefix_len = 31;
		cfg.gateway = cpu_to_be32(0xc6120003);
	}
	ixdp_pool_init(p, descs, FUZZ_BUFS);
	ixdp_pool_add(p, mem, (size_t)(conf & 2 ? 6 : FUZZ_BUFS) *
		      IXDP_BUF_SIZE);
	if (ixdp_stack_init(s, &cfg, &fuzz_ops, p, 0))
		__builtin_trap();
	if (conf & 64)
		fuzz_handoff_setup(s, conf);
	if (conf & 1)
		ixdp_udp_bind(s, cpu_to_be16(7), echo_rx, NULL);
	if (conf & 16)
		fuzz_tcp_setup(s, conf);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_csum(uint8_t *p, uint16_t c)
{
	p[0] = c >> 8;
	p[1] = c;
}

/* Relative to absolute numbers: seq, ack and the edges of SACK blocks. */
static void fix_seq(uint8_t *th, unsigned int len)
{
	unsigned int doff = (th[12] >> 4) * 4, i, j;

	if (len < 20 || th[0] != 0 || th[1] != 80 ||
	    (th[2] << 8 | th[3]) != last_sport)
		return;
	put32(th + 4, get32(th + 4) + PEER_ISN);
	put32(th + 8, get32(th + 8) + our_isn);
	if (doff > len)
		doff = len;
	for (i = 20; i < doff && th[i] != 0; ) {
		if (th[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || th[i + 1] < 2 || i + th[i + 1] > doff)
			break;
		if (th[i] == 5)
			for (j = i + 2; j + 4 <= i + th[i + 1]; j += 4)
				put32(th + j, get32(th + j) + our_isn);
		i += th[i + 1];
	}
}

/* Make the L4 checksum of the @len bytes after @ip's header right. */
static void fix_l4(uint8_t *ip, unsigned int hlen, unsigned int len)
{
	uint8_t *l4 = ip + hlen;
	uint32_t ps = ip[9];
	unsigned int i, ulen;
	uint16_t c;

	for (i = 12; i < 20; i += 2)
		ps += ip[i] << 8 | ip[i + 1];
	switch (ip[9]) {
	case 6:
		if (fix & FIX_REL_SEQ && our_isn)
			fix_seq(l4, len);
		if (len < 18)
			return;
		put_csum(l4 + 16, 0);
		put_csum(l4 + 16, ~sum16(l4, len, ps + len));
		break;
	case 17:
		ulen = len < 8 ? 0 : l4[4] << 8 | l4[5];
		if (ulen < 8 || ulen > len)
			return;
		put_csum(l4 + 6, 0);
		c = ~sum16(l4, ulen, ps + ulen);
		put_csum(l4 + 6, c ? c : 0xffff);
		break;
	case 1:
		if (len < 4)
			return;
		put_csum(l4 + 2, 0);
		put_csum(l4 + 2, ~sum16(l4, len, 0));
		break;
	}
}

/* What config byte 1 asks of a frame injected: see the top. */
static void fuzz_fixup(struct ixdp_buf *b)
{
	uint8_t *f = ixdp_buf_data(b), *ip = f + ETH_HLEN;
	unsigned int hlen, tot;

	if (fix & FIX_CSUM_OK)
		b->flags |= IXDP_BUF_CSUM_OK;
	if (b->len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 ||
	    ip[0] >> 4 != 4)
		return;
	hlen = (ip[0] & 15) * 4;
	tot = ip[2] << 8 | ip[3];
	if (hlen < 20 || ETH_HLEN + hlen > b->len)
		return;
	if (fix & (FIX_L4_CSUM | FIX_REL_SEQ) && tot >= hlen &&
	    ETH_HLEN + tot <= b->len)
		fix_l4(ip, hlen, tot - hlen);
	if (fix & FIX_IP_CSUM) {
		put_csum(ip + 10, 0);
		put_csum(ip + 10, ~sum16(ip, hlen, 0));
	}
}

static void fuzz_frame(struct ixdp_stack *s, const uint8_t *d, size_t n,
		       bool fixup)
{
	struct ixdp_buf *b = ixdp_buf_get(s->pool);

	if (!b)
		return;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	if (n > ixdp_buf_tailroom(b))
		n = ixdp_buf_tailroom(b);
	memcpy(ixdp_buf_put_tail(b, n), d, n);
	if (fixup)
		fuzz_fixup(b);
	ixdp_eth_rx(s, b);
	fuzz_bounce(s);
}

static void fuzz_send(struct ixdp_stack *s, uint8_t host, uint16_t len)
{
	struct ixdp_buf *b = ixdp_buf_get(s->pool);
	uint32_t dst = host ? 0xc6120000 | host : 0xc6130709;

	if (!b)
		return;
	len %= 1600;
	memset(ixdp_buf_put_tail(b, len), host, len);
	ixdp_udp_send(s, b, cpu_to_be16(1000), cpu_to_be32(dst),
		      cpu_to_be16(2000));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ixdp_stack s;
	static struct ixdp_pool p;
	size_t i = 2, n;
	u64 now = 0;

	if (!mem)
		mem = malloc((size_t)FUZZ_BUFS * IXDP_BUF_SIZE);
	if (!size)
		return 0;
	fix = size > 1 ? data[1] : 0;
	ix_shim_random_seed(1);		/* the same keys and draws on a replay */
	fuzz_setup(&s, &p, data[0]);
	while (i < size) {
		uint8_t type = data[i++] % 5;

		if (type == 0 && i + 2 <= size) {
			n = rd16(data + i) % IXDP_BUF_SIZE;
			i += 2;
			if (n > size - i)
				n = size - i;
			fuzz_frame(&s, data + i, n, true);
			i += n;
		} else if (type == 1 && i + 2 <= size) {
			now += rd16(data + i);
			i += 2;
			ixdp_stack_advance(&s, now);
		} else if (type == 2 && i + 3 <= size) {
			fuzz_send(&s, data[i], rd16(data + i + 1));
			i += 3;
		} else if (type == 3) {
			ixdp_arp_announce(&s);
		} else if (type == 4 && i + 3 <= size) {
			if (s.tcp)
				fuzz_tcp_cmd(&s, data[i], rd16(data + i + 1));
			i += 3;
		} else {
			break;
		}
	}
	ixdp_tcp_teardown(&s);
	ixdp_stack_teardown(&s);
	if (p.avail != p.total || p.bad_put)
		__builtin_trap();
	return 0;
}
