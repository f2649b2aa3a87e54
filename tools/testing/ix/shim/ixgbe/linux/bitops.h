/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: tools/include's bitops leave the atomic test-and-set
 * and test-and-clear to the architecture; the harness runs one thread.
 */
#ifndef _IX_SHIM_IXGBE_LINUX_BITOPS_H
#define _IX_SHIM_IXGBE_LINUX_BITOPS_H
#include_next <linux/bitops.h>

static inline bool test_and_set_bit(unsigned long nr,
				    unsigned long *addr)
{
	return __test_and_set_bit(nr, addr);
}

static inline bool test_and_clear_bit(unsigned long nr,
				      unsigned long *addr)
{
	return __test_and_clear_bit(nr, addr);
}

#endif /* _IX_SHIM_IXGBE_LINUX_BITOPS_H */
