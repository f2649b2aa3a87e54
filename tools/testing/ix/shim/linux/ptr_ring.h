/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the slow path's rings are only embedded in the harness. */
#ifndef _IX_SHIM_LINUX_PTR_RING_H
#define _IX_SHIM_LINUX_PTR_RING_H

struct ptr_ring {
	void	**queue;
};

#endif /* _IX_SHIM_LINUX_PTR_RING_H */
