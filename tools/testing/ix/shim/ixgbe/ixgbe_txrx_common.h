/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the ring disable and enable of ixgbe_main.c, which the
 * harness's ixgbe_shim.c stands in for.
 */
#ifndef _IX_SHIM_IXGBE_TXRX_COMMON_H
#define _IX_SHIM_IXGBE_TXRX_COMMON_H

struct ixgbe_adapter;

void ixgbe_txrx_ring_disable(struct ixgbe_adapter *adapter, int ring);
void ixgbe_txrx_ring_enable(struct ixgbe_adapter *adapter, int ring);

#endif /* _IX_SHIM_IXGBE_TXRX_COMMON_H */
