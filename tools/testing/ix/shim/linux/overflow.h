/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: tools/include's <linux/overflow.h>, with the checks
 * as the kernel's are since 6.x: the builtins, which take operands of
 * different types (tools/include insists on one type).
 */
#ifndef _IX_SHIM_LINUX_OVERFLOW_H
#define _IX_SHIM_LINUX_OVERFLOW_H
#include_next <linux/overflow.h>
#undef check_add_overflow
#undef check_sub_overflow
#undef check_mul_overflow
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#endif
