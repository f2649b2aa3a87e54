/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: MMIO.  Every register access goes to the 82599 model
 * (ixgbe_model.c) whose fake BAR holds the address; writel() is where the
 * model sees a tail bump and checks the descriptors handed over.
 */
#ifndef _IX_SHIM_LINUX_IO_H
#define _IX_SHIM_LINUX_IO_H
#include_next <linux/io.h>
#include <linux/types.h>

#ifndef __iomem
#define __iomem
#endif

u32 ixm_mmio_read(const void __iomem *addr);
void ixm_mmio_write(u32 val, void __iomem *addr);

#define readl(addr)		ixm_mmio_read(addr)
#define writel(val, addr)	ixm_mmio_write((val), (addr))

#endif /* _IX_SHIM_LINUX_IO_H */
