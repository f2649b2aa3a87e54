/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the slow path's work is only embedded in the harness. */
#ifndef _IX_SHIM_LINUX_WORKQUEUE_H
#define _IX_SHIM_LINUX_WORKQUEUE_H

struct work_struct {
	void	(*func)(struct work_struct *work);
};

#endif /* _IX_SHIM_LINUX_WORKQUEUE_H */
