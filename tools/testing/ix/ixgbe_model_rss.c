// SPDX-License-Identifier: GPL-2.0
/*
 * The 82599 model's receive side scaling (7.1.2.8): which queue a frame
 * goes to, and the hash and type written back with it.
 */

#include <string.h>

#include "test.h"
#include "ixgbe_model.h"

#define IXM_RETA_ENTRIES	128

/* Key byte @i: RSSRK[n] holds bytes 4n (bits 7:0) to 4n + 3 (8.2.3.7.14). */
static uint8_t ixm_key(const struct ixm *m, unsigned int i)
{
	return m->regs[IXM_RSSRK(i / 4) / 4] >> (8 * (i % 4));
}

/*
 * The Toeplitz hash (7.1.2.8.1): for every bit of the input, most
 * significant first, a set bit XORs in the 32 bits of the key that start
 * at the same bit position.
 */
uint32_t ixm_toeplitz(const struct ixm *m, const uint8_t *in, unsigned int n)
{
	uint32_t hash = 0, window;
	unsigned int i, b;

	window = (uint32_t)ixm_key(m, 0) << 24 | ixm_key(m, 1) << 16 |
		 ixm_key(m, 2) << 8 | ixm_key(m, 3);
	for (i = 0; i < n; i++) {
		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				hash ^= window;
			window = window << 1 |
				 ((i + 4 < 40 ? ixm_key(m, i + 4) : 0) >>
				  (7 - b) & 1);
		}
	}
	return hash;
}

/*
 * The hash input of an untagged IPv4 frame (7.1.2.8.1): source and
 * destination address, then for an unfragmented TCP segment the source
 * and destination port.  Returns the input length (12 with ports, 8
 * without) or 0 for a frame that is not IPv4.
 */
static unsigned int ixm_rss_input(const uint8_t *f, uint32_t len,
				  uint8_t in[12])
{
	unsigned int ihl;

	if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || f[14] >> 4 != 4)
		return 0;
	ihl = (f[14] & 0xf) * 4;
	memcpy(in, f + 26, 8);
	/* Not TCP, a fragment, or a header cut short: addresses only. */
	if (f[23] != 6 || (f[20] & 0x3f) || f[21] || len < 14 + ihl + 4)
		return 8;
	memcpy(in + 8, f + 14 + ihl, 4);
	return 12;
}

/*
 * MRQC (8.2.3.7.12) with MRQE = RSS enables the hash; of the functions it
 * enables, TcpIPv4 comes before IPv4 (7.1.2.8.1).  The 7 low bits of the
 * hash index the 128 RETA entries, 4 bits each in a byte of their own
 * (8.2.3.7.13), which name the queue.  Returns the queue.
 */
int ixm_rss(const struct ixm *m, const uint8_t *frame, uint32_t len,
	    uint32_t *hash, uint32_t *type)
{
	uint32_t mrqc = m->regs[IXM_MRQC / 4], idx;
	uint8_t in[12];
	unsigned int n;

	*hash = 0;
	*type = 0;
	if ((mrqc & IXM_MRQC_MRQE_MASK) != IXM_MRQC_RSS)
		return 0;
	n = ixm_rss_input(frame, len, in);
	if (n == 12 && (mrqc & IXM_MRQC_TCPIPV4))
		*type = IXM_RSSTYPE_TCPIPV4;
	else if (n && (mrqc & IXM_MRQC_IPV4))
		*type = IXM_RSSTYPE_IPV4, n = 8;
	else
		return 0;
	*hash = ixm_toeplitz(m, in, n);
	idx = *hash % IXM_RETA_ENTRIES;
	return m->regs[IXM_RETA(idx / 4) / 4] >> (8 * (idx % 4)) & 0xf;
}
