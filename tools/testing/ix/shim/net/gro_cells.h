/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: dp.h's devices hold the GRO cells of the slow path
 * (slow.c, not in the harness); the harness only needs their size.
 */
#ifndef _IX_SHIM_NET_GRO_CELLS_H
#define _IX_SHIM_NET_GRO_CELLS_H

struct gro_cells {
	void	*cells;
};

#endif /* _IX_SHIM_NET_GRO_CELLS_H */
