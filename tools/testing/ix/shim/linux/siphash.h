/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: <linux/siphash.h>, the calls net/ixdp makes, over a
 * SipHash-2-4 of our own written from the paper (Aumasson and Bernstein,
 * "SipHash: a fast short-input PRF", 2012): a 128-bit key, 8-byte
 * little-endian words, two compression rounds a word, four to finish.
 * The u32 and u64 forms hash their arguments as the kernel's do, as the
 * little-endian bytes of the words one after another.  tcp_keys_test.c
 * checks it against the paper's test vector (appendix A).
 */
#ifndef _IX_SHIM_LINUX_SIPHASH_H
#define _IX_SHIM_LINUX_SIPHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef struct {
	u64 key[2];
} siphash_key_t;

static inline bool siphash_key_is_zero(const siphash_key_t *key)
{
	return !(key->key[0] | key->key[1]);
}

struct ix_sip {
	u64 v0, v1, v2, v3;
};

static inline u64 ix_sip_rotl(u64 x, unsigned int b)
{
	return x << b | x >> (64 - b);
}

static inline void ix_sip_round(struct ix_sip *s)
{
	s->v0 += s->v1;
	s->v1 = ix_sip_rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ix_sip_rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ix_sip_rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ix_sip_rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ix_sip_rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ix_sip_rotl(s->v2, 32);
}

static inline void ix_sip_word(struct ix_sip *s, u64 m)
{
	s->v3 ^= m;
	ix_sip_round(s);
	ix_sip_round(s);
	s->v0 ^= m;
}

static inline u64 siphash(const void *data, size_t len,
			  const siphash_key_t *key)
{
	struct ix_sip s = {
		.v0 = key->key[0] ^ 0x736f6d6570736575ULL,	/* "somepseu" */
		.v1 = key->key[1] ^ 0x646f72616e646f6dULL,	/* "dorandom" */
		.v2 = key->key[0] ^ 0x6c7967656e657261ULL,	/* "lygenera" */
		.v3 = key->key[1] ^ 0x7465646279746573ULL,	/* "tedbytes" */
	};
	const u8 *p = data;
	size_t i, n = len & ~(size_t)7;
	u64 m;

	for (i = 0; i < n; i += 8) {
		m = 0;
		for (int k = 7; k >= 0; k--)
			m = m << 8 | p[i + k];
		ix_sip_word(&s, m);
	}
	/* The last word: the bytes left, the length's low byte on top. */
	m = (u64)(len & 0xff) << 56;
	for (i = n; i < len; i++)
		m |= (u64)p[i] << (8 * (i - n));
	ix_sip_word(&s, m);
	s.v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		ix_sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

static inline void ix_sip_put32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline u64 siphash_1u64(u64 a, const siphash_key_t *key)
{
	u8 b[8];

	ix_sip_put32(b, a);
	ix_sip_put32(b + 4, a >> 32);
	return siphash(b, sizeof(b), key);
}

static inline u64 siphash_2u64(u64 a, u64 b, const siphash_key_t *key)
{
	u8 m[16];

	ix_sip_put32(m, a);
	ix_sip_put32(m + 4, a >> 32);
	ix_sip_put32(m + 8, b);
	ix_sip_put32(m + 12, b >> 32);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_3u64(u64 a, u64 b, u64 c,
				const siphash_key_t *key)
{
	u8 m[24];

	ix_sip_put32(m, a);
	ix_sip_put32(m + 4, a >> 32);
	ix_sip_put32(m + 8, b);
	ix_sip_put32(m + 12, b >> 32);
	ix_sip_put32(m + 16, c);
	ix_sip_put32(m + 20, c >> 32);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_1u32(u32 a, const siphash_key_t *key)
{
	u8 m[4];

	ix_sip_put32(m, a);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_2u32(u32 a, u32 b, const siphash_key_t *key)
{
	u8 m[8];

	ix_sip_put32(m, a);
	ix_sip_put32(m + 4, b);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_3u32(u32 a, u32 b, u32 c, const siphash_key_t *key)
{
	u8 m[12];

	ix_sip_put32(m, a);
	ix_sip_put32(m + 4, b);
	ix_sip_put32(m + 8, c);
	return siphash(m, sizeof(m), key);
}

static inline u64 siphash_4u32(u32 a, u32 b, u32 c, u32 d,
			       const siphash_key_t *key)
{
	u8 m[16];

	ix_sip_put32(m, a);
	ix_sip_put32(m + 4, b);
	ix_sip_put32(m + 8, c);
	ix_sip_put32(m + 12, d);
	return siphash(m, sizeof(m), key);
}

#endif /* _IX_SHIM_LINUX_SIPHASH_H */
