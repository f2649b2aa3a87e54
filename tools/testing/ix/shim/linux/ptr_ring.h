/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: dp.h's cores hold the slow path's rings (slow.c, not
 * in the harness); the harness only needs their size.
 */
#ifndef _IX_SHIM_LINUX_PTR_RING_H
#define _IX_SHIM_LINUX_PTR_RING_H

struct ptr_ring {
	void	**queue;
	int	size;
};

#endif /* _IX_SHIM_LINUX_PTR_RING_H */
