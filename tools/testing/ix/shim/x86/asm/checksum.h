/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: what arch/x86/lib/csum-partial_64.c takes from
 * <asm/checksum.h>, so that bench_app compiles that file unchanged
 * (with -DIX_CSUM_X86, which makes the harness's <net/checksum.h>
 * declare the two functions it defines).
 */
#ifndef _IX_SHIM_X86_ASM_CHECKSUM_H
#define _IX_SHIM_X86_ASM_CHECKSUM_H

#include <linux/types.h>
#include <net/checksum.h>

static inline u64 ror64(u64 word, unsigned int shift)
{
	return (word >> (shift & 63)) | (word << ((-shift) & 63));
}

#endif /* _IX_SHIM_X86_ASM_CHECKSUM_H */
