/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tests of the ixdp stack: a stack whose xmit captures
 * frames, and frame builders and readers written from the RFCs, with a
 * checksum of their own, independent of the code under test.
 */
#ifndef _IX_NET_UTIL_H
#define _IX_NET_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stack.h"

#define TS_MAX_TX	64
#define TS_HZ		1000		/* a tick is a millisecond */

/* Host-order addresses: 198.18.0.0/24 (RFC 2544 benchmarking range). */
#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define US_IP		IP4(198, 18, 0, 2)
#define PEER_IP		IP4(198, 18, 0, 3)
#define GW_IP		IP4(198, 18, 0, 1)
#define FAR_IP		IP4(198, 19, 7, 9)

/* The Toeplitz key of the verification suite of Microsoft's RSS spec. */
extern const uint8_t rss_spec_key[40];

extern const uint8_t us_mac[6], peer_mac[6], gw_mac[6], bcast_mac[6];

/* A stack on its own pool, capturing what it sends. */
struct tstack {
	struct ixdp_stack	s;
	struct ixdp_pool	pool;
	void			**mem;		/* one malloc per buffer, for ASan */
	unsigned int		nmem;
	struct ixdp_buf		*descs;
	struct ixdp_buf		*tx[TS_MAX_TX];
	unsigned int		ntx;
	unsigned int		tx_overflow;
	int			xmit_ret;
	int			init_ret;
	/* Frames handed to the host (ts_init_punt()), and what to return. */
	struct ixdp_buf		*punted[TS_MAX_TX];
	unsigned int		npunted;
	int			punt_ret;
};

int ts_init(struct tstack *t, unsigned int nbufs);
/* ts_init(), then an ARP reply teaches it the peer's MAC. */
int ts_init_peer(struct tstack *t, unsigned int nbufs);
int ts_init_cfg(struct tstack *t, unsigned int nbufs,
		const struct ixdp_stack_config *cfg);
void ts_default_cfg(struct ixdp_stack_config *cfg);
/* ts_init_peer() with a punt op keeping what it gets, at @rate a second. */
int ts_init_punt(struct tstack *t, unsigned int nbufs, uint32_t rate);
/* Tear down; true if every buffer went back to the pool exactly once. */
bool ts_fini(struct tstack *t);
/* Feed a frame, copied into a pool buffer; false if the pool is empty. */
bool ts_rx(struct tstack *t, const void *frame, size_t len);
/* Take the oldest captured frame, or NULL; the caller puts it back. */
struct ixdp_buf *ts_pop(struct tstack *t);
/* Put back every captured frame; return how many there were. */
unsigned int ts_flush(struct tstack *t);
uint64_t ts_drops(const struct tstack *t, enum ixdp_drop_reason why);
uint64_t ts_all_drops(const struct tstack *t);

/* Big-endian access. */
void put16(uint8_t *p, uint16_t v);
void put32(uint8_t *p, uint32_t v);
uint16_t get16(const uint8_t *p);
uint32_t get32(const uint8_t *p);

/* RFC 1071 checksum: sum of big-endian 16-bit words from @init, folded. */
uint32_t ref_sum(const uint8_t *p, size_t n, uint32_t init);
uint16_t ref_csum(const uint8_t *p, size_t n, uint32_t init);
uint32_t ref_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/* Frame builders: each returns the frame length. */
size_t mk_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
	      uint16_t type);
size_t mk_arp(uint8_t *f, const uint8_t *dst, uint16_t op,
	      const uint8_t *sha, uint32_t sip, const uint8_t *tha,
	      uint32_t tip);
/* Ethernet + IPv4 header around @l4 (already in place at f + 34). */
size_t mk_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
	     size_t l4_len);
void fix_ip_csum(uint8_t *f);
size_t mk_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
	      uint16_t dport, const void *data, size_t n);
/*
 * An ICMP error from the gateway quoting the header of a TCP segment we
 * sent to the peer, @lport to @rport with sequence number @seq: IPv4
 * header and the 8 bytes of TCP header RFC 792 asks for.
 */
size_t mk_icmp_tcp(uint8_t *f, uint8_t type, uint8_t code, uint16_t mtu,
		   uint16_t lport, uint16_t rport, uint32_t seq);
size_t mk_echo(uint8_t *f, uint32_t src, uint16_t id, uint16_t seq,
	       const void *data, size_t n);
size_t mk_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
	      uint32_t seq, uint32_t ack, uint8_t flags, size_t data_len);

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10

/* Checks of a captured IPv4 frame: both checksums right, lengths agree. */
bool ip_frame_ok(const struct ixdp_buf *b);
bool l4_csum_ok(const struct ixdp_buf *b);

static inline const uint8_t *bdata(const struct ixdp_buf *b)
{
	return ixdp_buf_data(b);
}

#endif /* _IX_NET_UTIL_H */
