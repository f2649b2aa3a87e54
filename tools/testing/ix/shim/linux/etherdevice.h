/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the MAC address helpers of <linux/etherdevice.h>. */
#ifndef _IX_SHIM_LINUX_ETHERDEVICE_H
#define _IX_SHIM_LINUX_ETHERDEVICE_H

#include <stdbool.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/types.h>

static inline bool is_zero_ether_addr(const u8 *addr)
{
	static const u8 zero[ETH_ALEN];

	return !memcmp(addr, zero, ETH_ALEN);
}

static inline bool is_multicast_ether_addr(const u8 *addr)
{
	return addr[0] & 0x01;
}

static inline bool is_broadcast_ether_addr(const u8 *addr)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	return !memcmp(addr, bcast, ETH_ALEN);
}

static inline bool is_valid_ether_addr(const u8 *addr)
{
	return !is_multicast_ether_addr(addr) && !is_zero_ether_addr(addr);
}

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

#endif /* _IX_SHIM_LINUX_ETHERDEVICE_H */
