/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: array_index_nospec() as the kernel's generic version,
 * a mask that is all ones for an index in bounds and zero otherwise.
 * Computed in unsigned long, as the kernel's: in a narrower type,
 * size - 1 - index would not wrap into the sign bit, and an index out of
 * bounds would pass.
 */
#ifndef _IX_SHIM_LINUX_NOSPEC_H
#define _IX_SHIM_LINUX_NOSPEC_H

#define array_index_nospec(index, size)					\
({									\
	typeof(index) _i = (index);					\
	unsigned long _ui = _i, _us = (size);				\
	unsigned long _mask = ~(long)(_ui | (_us - 1UL - _ui)) >>	\
			      (sizeof(long) * 8 - 1);			\
									\
	(typeof(_i))(_i & _mask);					\
})

#endif /* _IX_SHIM_LINUX_NOSPEC_H */
