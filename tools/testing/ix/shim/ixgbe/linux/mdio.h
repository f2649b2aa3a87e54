/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the one MDIO type ixgbe_type.h embeds in its hw struct. */
#ifndef _IX_SHIM_LINUX_MDIO_H
#define _IX_SHIM_LINUX_MDIO_H

struct mdio_if_info {
	int	prtad;
	u32	mmds;
};

#endif /* _IX_SHIM_LINUX_MDIO_H */
