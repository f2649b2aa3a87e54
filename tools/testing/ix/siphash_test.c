// SPDX-License-Identifier: GPL-2.0
/*
 * The SipHash-2-4 of shim/linux/siphash.h, which SYN cookies use in the
 * harness, against the test vector of the SipHash paper (Aumasson and
 * Bernstein, 2012, appendix A).
 */

#include <stdint.h>

#include <linux/siphash.h>

#include "test.h"

/* SipHash-2-4 of the paper's appendix A: key 00..0f, message 00..0e. */
IX_TEST(siphash, paper_vector)
{
	const siphash_key_t key = {{ 0x0706050403020100ULL,
				     0x0f0e0d0c0b0a0908ULL }};
	uint8_t m[24];
	unsigned int i;

	for (i = 0; i < sizeof(m); i++)
		m[i] = i;
	CHECK_EQ(siphash(m, 15, &key), 0xa129ca6149be45e5ULL);
	/* The reference code's vectors at the word edges: 0, 8, 16 bytes. */
	CHECK_EQ(siphash(m, 0, &key), 0x726fdb47dd0e0e31ULL);
	CHECK_EQ(siphash(m, 8, &key), 0x93f5f5799a932462ULL);
	CHECK_EQ(siphash(m, 16, &key), 0x3f2acc7f57c29bdbULL);
	/* The word forms hash the same bytes, little-endian. */
	CHECK_EQ(siphash_3u64(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL,
			      0x1716151413121110ULL, &key),
		 siphash(m, 24, &key));
}
