// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: arbitrary frames, UDP sends, ARP announcements and
 * clock steps fed to one ixdp stack.
 *
 * Input: a config byte, then records.  Config bit 0 binds a UDP echo
 * server on port 7, bit 1 shrinks the pool to 6 buffers, bit 2 drops the
 * gateway, bit 3 makes the subnet a /31.  A record is a type byte, then:
 *   0: frame: 2-byte length, then that many bytes (or what is left)
 *   1: advance the clock by a 2-byte number of ticks
 *   2: UDP send: 1-byte host of the destination in 198.18.0.0/24 (0:
 *      off the subnet), 2-byte payload length
 *   3: gratuitous ARP
 * Every frame sent must be well formed (checked in xmit), and after
 * teardown every buffer must be back in the pool exactly once.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"

#define FUZZ_BUFS	64

static const uint8_t fuzz_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static uint8_t *mem;

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
	ixdp_pool_init(p);
	ixdp_pool_add(p, mem, (size_t)(conf & 2 ? 6 : FUZZ_BUFS) *
		      IXDP_BUF_SIZE);
	if (ixdp_stack_init(s, &cfg, &fuzz_ops, p, 0))
		__builtin_trap();
	if (conf & 1)
		ixdp_udp_bind(s, cpu_to_be16(7), echo_rx, NULL);
}

static void fuzz_frame(struct ixdp_stack *s, const uint8_t *d, size_t n)
{
	struct ixdp_buf *b = ixdp_buf_get(s->pool);

	if (!b)
		return;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	if (n > ixdp_buf_tailroom(b))
		n = ixdp_buf_tailroom(b);
	memcpy(ixdp_buf_put_tail(b, n), d, n);
	ixdp_eth_rx(s, b);
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
	size_t i = 1, n;
	u64 now = 0;

	if (!mem)
		mem = malloc((size_t)FUZZ_BUFS * IXDP_BUF_SIZE);
	if (!size)
		return 0;
	fuzz_setup(&s, &p, data[0]);
	while (i < size) {
		uint8_t type = data[i++] % 4;

		if (type == 0 && i + 2 <= size) {
			n = rd16(data + i) % IXDP_BUF_SIZE;
			i += 2;
			if (n > size - i)
				n = size - i;
			fuzz_frame(&s, data + i, n);
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
		} else {
			break;
		}
	}
	ixdp_stack_teardown(&s);
	if (p.avail != p.total || p.bad_put)
		__builtin_trap();
	return 0;
}
