// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a core's TCP (issue 16): the SipHash of the shim against
 * the paper's test vector.
 */

#include <linux/siphash.h>

#include "test.h"

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
