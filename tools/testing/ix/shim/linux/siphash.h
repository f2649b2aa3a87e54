/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012) with the kernel's interface: a 128-bit key of
 * two 64-bit words, the message read as little-endian bytes, the 64-bit
 * result.  siphash_Nu64() hashes its words as siphash() would hash them
 * laid out little-endian, as lib/siphash.c does.  Checked against the
 * paper's test vector by the harness (siphash.paper_vector).
 */
#ifndef _IX_SHIM_LINUX_SIPHASH_H
#define _IX_SHIM_LINUX_SIPHASH_H

#include <stddef.h>
#include <linux/types.h>

typedef struct {
	u64 key[2];
} siphash_key_t;

static inline bool siphash_key_is_zero(const siphash_key_t *key)
{
	return !(key->key[0] | key->key[1]);
}

static inline u64 sip_rotl(u64 x, unsigned int b)
{
	return x << b | x >> (64 - b);
}

/* One SipRound over the state v[0..3] (the paper, section 2). */
static inline void sip_round(u64 *v)
{
	v[0] += v[1];
	v[1] = sip_rotl(v[1], 13);
	v[1] ^= v[0];
	v[0] = sip_rotl(v[0], 32);
	v[2] += v[3];
	v[3] = sip_rotl(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = sip_rotl(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = sip_rotl(v[1], 17);
	v[1] ^= v[2];
	v[2] = sip_rotl(v[2], 32);
}

/* c = 2 rounds per message word. */
static inline void sip_compress(u64 *v, u64 m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

static inline u64 sip_load_le(const u8 *p, size_t n)
{
	u64 m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m |= (u64)p[i] << (8 * i);
	return m;
}

static inline u64 siphash(const void *data, size_t len,
			  const siphash_key_t *key)
{
	const u8 *p = data;
	u64 v[4], last;
	size_t i;

	/* "somepseudorandomlygeneratedbytes" */
	v[0] = key->key[0] ^ 0x736f6d6570736575ULL;
	v[1] = key->key[1] ^ 0x646f72616e646f6dULL;
	v[2] = key->key[0] ^ 0x6c7967656e657261ULL;
	v[3] = key->key[1] ^ 0x7465646279746573ULL;
	for (i = 0; i + 8 <= len; i += 8)
		sip_compress(v, sip_load_le(p + i, 8));
	/* The last word: the bytes left, and the length mod 256 on top. */
	last = sip_load_le(p + i, len - i) | (u64)(len & 0xff) << 56;
	sip_compress(v, last);
	/* d = 4 finalisation rounds. */
	v[2] ^= 0xff;
	sip_round(v);
	sip_round(v);
	sip_round(v);
	sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static inline void sip_store_le(u8 *p, u64 x)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		p[i] = x >> (8 * i);
}

static inline u64 siphash_1u64(u64 a, const siphash_key_t *key)
{
	u8 b[8];

	sip_store_le(b, a);
	return siphash(b, sizeof(b), key);
}

static inline u64 siphash_2u64(u64 a, u64 b, const siphash_key_t *key)
{
	u8 m[16];

	sip_store_le(m, a);
	sip_store_le(m + 8, b);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_3u64(u64 a, u64 b, u64 c, const siphash_key_t *key)
{
	u8 m[24];

	sip_store_le(m, a);
	sip_store_le(m + 8, b);
	sip_store_le(m + 16, c);
	return siphash(m, sizeof(m), key);
}

#endif /* _IX_SHIM_LINUX_SIPHASH_H */
