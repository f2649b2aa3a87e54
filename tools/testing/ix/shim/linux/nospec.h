/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: array_index_nospec() as the kernel's generic version,
 * a mask that is all ones for an index in bounds and zero otherwise.
 */
#ifndef _IX_SHIM_LINUX_NOSPEC_H
#define _IX_SHIM_LINUX_NOSPEC_H

#define array_index_nospec(index, size)					\
({									\
	typeof(index) _i = (index);					\
	typeof(size) _s = (size);					\
	unsigned long _mask = ~(long)(_i | (_s - 1 - _i)) >>		\
			      (sizeof(long) * 8 - 1);			\
									\
	(typeof(_i))(_i & _mask);					\
})

#endif /* _IX_SHIM_LINUX_NOSPEC_H */
