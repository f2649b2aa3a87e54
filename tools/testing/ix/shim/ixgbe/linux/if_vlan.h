/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the length of an 802.1Q tag. */
#ifndef _IX_SHIM_LINUX_IF_VLAN_H
#define _IX_SHIM_LINUX_IF_VLAN_H

#define VLAN_HLEN	4

#endif /* _IX_SHIM_LINUX_IF_VLAN_H */
