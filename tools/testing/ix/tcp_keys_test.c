// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a core's TCP (issue 16): the SipHash of the shim against
 * the paper's test vector, initial sequence numbers as RFC 6528 defines
 * them, a table hash keyed apart from them.  Times are in ticks of 1 ms.
 */

#include <string.h>
#include <linux/jhash.h>
#include <linux/siphash.h>

#include "test.h"
#include "tcp_util.h"

static struct tpeer tp;

IX_TEST(tcp_keys, siphash_matches_the_paper)
{
	siphash_key_t k;
	unsigned int i;
	u8 m[16];

	for (i = 0; i < 16; i++)
		((u8 *)k.key)[i] = i;	/* k0, k1 little-endian, as the paper */
	for (i = 0; i < sizeof(m); i++)
		m[i] = i;
	/* SipHash paper, appendix A: SipHash-2-4 of 00 01 .. 0e. */
	CHECK_EQ(siphash(m, 15, &k), 0xa129ca6149be45e5ULL);
	/* The reference implementation's first vector: the empty input. */
	CHECK_EQ(siphash(m, 0, &k), 0x726fdb47dd0e0e31ULL);
	/* The u32 forms hash the words' bytes, as the kernel's. */
	CHECK_EQ(siphash_3u32(0x03020100, 0x07060504, 0x0b0a0908, &k),
		 siphash(m, 12, &k));
	CHECK_EQ(siphash_2u64(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL,
			      &k), siphash(m, 16, &k));
}

static const siphash_key_t key_a = { { 0x0123456789abcdefULL, 42 } };
static const siphash_key_t key_b = { { 0x0123456789abcdefULL, 43 } };

static u32 iss_of(struct tpeer *p)
{
	return ixdp_tcp_iss(&p->t.s, cpu_to_be32(PEER_IP),
			    cpu_to_be16(PEER_PORT), cpu_to_be16(SRV_PORT));
}

/* RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, key). */
static u32 iss_rfc6528(struct tpeer *p, const siphash_key_t *k)
{
	u32 ports = (u32)(u16)cpu_to_be16(PEER_PORT) << 16 |
		    (u16)cpu_to_be16(SRV_PORT);

	return (u32)p->t.s.now * 250 +
	       (u32)siphash_3u32((u32)cpu_to_be32(US_IP),
				 (u32)cpu_to_be32(PEER_IP), ports, k);
}

IX_TEST(tcp_keys, isn_is_siphash_of_the_tuple_and_a_clock)
{
	struct ixdp_tcp_config cfg = { .isn_key = key_a, .hash_key = 5 };
	struct tpeer *p = &tp;
	u32 a;

	CHECK(!tp_init(p, &cfg));
	a = iss_of(p);
	CHECK_EQ(a, iss_rfc6528(p, &key_a));
	tp_advance(p, 12345);
	CHECK_EQ(iss_of(p), iss_rfc6528(p, &key_a));
	CHECK(tp_fini(p));
	/* One bit of the key's upper half: another ISN. */
	cfg.isn_key = key_b;
	CHECK(!tp_init(p, &cfg));
	CHECK(iss_of(p) != a);
	CHECK_EQ(iss_of(p), iss_rfc6528(p, &key_b));
	CHECK(tp_fini(p));
}

/* Whether the connection of @h hangs in the bucket jhash with @key says. */
static bool in_bucket(struct tpeer *p, u32 h, u32 key)
{
	struct ixdp_tcp_pcb *pcb = &p->tcp->pcbs[h & 0xffff], *it;
	u32 ports = (u32)(u16)pcb->rport << 16 | (u16)pcb->lport;
	u32 b = jhash_2words((u32)pcb->raddr, ports, key) & p->tcp->hash_mask;

	hlist_for_each_entry(it, &p->tcp->hash[b], node)
		if (it == pcb)
			return true;
	return false;
}

IX_TEST(tcp_keys, table_hash_keyed_apart_from_isns)
{
	struct ixdp_tcp_config cfg = { .isn_key = key_a, .hash_key = 77 };
	struct tpeer *p = &tp;
	u32 a;

	CHECK(!tp_init(p, &cfg));
	CHECK(tp_open_passive(p, &a, 100, false));
	CHECK(in_bucket(p, p->srv[0].h, 77));
	CHECK(tp_fini(p));
	/* Another table key: the same ISN. */
	cfg.hash_key = 78;
	CHECK(!tp_init(p, &cfg));
	CHECK_EQ(iss_of(p), a);
	CHECK(tp_fini(p));
	/* Keys left 0: each drawn on its own. */
	CHECK(!tp_init(p, NULL));
	CHECK(p->tcp->cfg.hash_key != (u32)p->tcp->cfg.isn_key.key[0]);
	CHECK(p->tcp->cfg.hash_key != (u32)p->tcp->cfg.port_key.key[0]);
	CHECK(memcmp(&p->tcp->cfg.isn_key, &p->tcp->cfg.port_key,
		     sizeof(siphash_key_t)));
	CHECK(p->tcp->cfg.isn_key.key[0] || p->tcp->cfg.isn_key.key[1]);
	CHECK(tp_fini(p));
}
