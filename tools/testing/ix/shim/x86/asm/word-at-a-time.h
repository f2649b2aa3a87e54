/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's load_unaligned_zeropad() is one load
 * whose fault past the end of a mapping reads as zeroes; the benchmark's
 * buffers are followed by more of the same mapping, so a plain load.
 */
#ifndef _IX_SHIM_X86_ASM_WORD_AT_A_TIME_H
#define _IX_SHIM_X86_ASM_WORD_AT_A_TIME_H

#include <string.h>

static inline unsigned long load_unaligned_zeropad(const void *addr)
{
	unsigned long v;

	memcpy(&v, addr, sizeof(v));
	return v;
}

#endif /* _IX_SHIM_X86_ASM_WORD_AT_A_TIME_H */
