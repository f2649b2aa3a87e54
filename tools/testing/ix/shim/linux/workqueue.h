/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: dp.h's cores hold the slow path's work (slow.c, not in
 * the harness); the harness only needs its size.
 */
#ifndef _IX_SHIM_LINUX_WORKQUEUE_H
#define _IX_SHIM_LINUX_WORKQUEUE_H

struct work_struct {
	void	(*func)(struct work_struct *work);
};

#endif /* _IX_SHIM_LINUX_WORKQUEUE_H */
