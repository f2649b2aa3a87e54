/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the Internet checksum helpers of <net/checksum.h>, in
 * plain C with the kernel's names and types.  Sums are of native-endian
 * words, as in lib/checksum.c, so results match the kernel's; 32 bits
 * at a time into a 64-bit accumulator, as x86-64's csum_partial() does
 * 64 (with carries), so that bench_rr counts about what the kernel runs.
 */
#ifndef _IX_SHIM_NET_CHECKSUM_H
#define _IX_SHIM_NET_CHECKSUM_H

#include <endian.h>
#include <string.h>
#include <linux/types.h>

#define CSUM_MANGLED_0	((__force __sum16)0xffff)

static inline u32 ix_csum_fold64(u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return s;
}

#ifdef IX_CSUM_X86
/*
 * x86-64's own, arch/x86/lib/csum-partial_64.c compiled unchanged
 * (bench_app, with shim/x86 for what that file includes).
 */
__wsum csum_partial(const void *buff, int len, __wsum sum);
#else
static inline __wsum csum_partial(const void *buff, int len, __wsum sum)
{
	const unsigned char *p = buff;
	u64 s = (__force u32)sum;
	u32 w;
	u16 h;

	for (; len >= 4; len -= 4, p += 4) {
		memcpy(&w, p, 4);
		s += w;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		s += h;
		p += 2;
		len -= 2;
	}
	if (len > 0)
		s += __BYTE_ORDER == __LITTLE_ENDIAN ? p[0] : p[0] << 8;
	return (__force __wsum)ix_csum_fold64(s);
}
#endif

static inline __wsum csum_add(__wsum a, __wsum b)
{
	return (__force __wsum)ix_csum_fold64((u64)(__force u32)a +
					      (__force u32)b);
}

/* @b summed from an odd @offset has its bytes swapped, as in the kernel. */
static inline __wsum csum_block_add(__wsum a, __wsum b, int offset)
{
	u32 v = (__force u32)b;

	if (offset & 1)
		v = v >> 8 | v << 24;
	return csum_add(a, (__force __wsum)v);
}

static inline __sum16 csum_fold(__wsum sum)
{
	u32 s = (__force u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__force __sum16)(u16)~s;
}

static inline __wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len,
					u8 proto, __wsum sum)
{
	u64 s = (__force u32)sum;

	s += (__force u32)saddr;
	s += (__force u32)daddr;
	if (__BYTE_ORDER == __LITTLE_ENDIAN)
		s += (u64)(proto + len) << 8;
	else
		s += proto + len;
	return (__force __wsum)ix_csum_fold64(s);
}

static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u32 len,
					u8 proto, __wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}

#ifdef IX_CSUM_X86
__sum16 ip_compute_csum(const void *buff, int len);
#else
static inline __sum16 ip_compute_csum(const void *buff, int len)
{
	return csum_fold(csum_partial(buff, len, 0));
}
#endif

static inline __sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return ip_compute_csum(iph, ihl * 4);
}

#endif /* _IX_SHIM_NET_CHECKSUM_H */
