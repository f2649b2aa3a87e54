/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: what ixgbe_ixdp.c uses of the ixgbe driver's private
 * header.  Registers, descriptor layouts and their bits are upstream's own
 * ixgbe_type.h, unchanged; the adapter and ring structures carry only the
 * fields the ixdp ops read or write, and the driver's software flags have
 * values of the harness's choosing.  Register accesses reach the 82599
 * model (ixgbe_model.h) through the fake BAR that hw.hw_addr points to.
 */
#ifndef _IX_SHIM_IXGBE_H
#define _IX_SHIM_IXGBE_H

#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "../../../../../drivers/net/ethernet/intel/ixgbe/ixgbe_type.h"

#define MAX_RX_QUEUES		64
#define MAX_TX_QUEUES		64
#define IXGBE_MAX_TXD_PWR	14
#define IXGBE_MAX_DATA_PER_TXD	BIT(IXGBE_MAX_TXD_PWR)
#define IXGBE_RSS_KEY_SIZE	40
#define IXGBE_MAX_RETA_ENTRIES	512

#define IXGBE_FLAG_MSIX_ENABLED		BIT(0)
#define IXGBE_FLAG_SRIOV_ENABLED	BIT(1)
#define IXGBE_FLAG_VMDQ_ENABLED		BIT(2)
#define IXGBE_FLAG_FCOE_ENABLED		BIT(3)
#define IXGBE_FLAG_DCB_ENABLED		BIT(4)
#define IXGBE_FLAG2_RSC_ENABLED		BIT(0)

enum ixgbe_state_t {
	__IXGBE_TESTING,
	__IXGBE_RESETTING,
	__IXGBE_DOWN,
};

enum ixgbe_ring_f_enum {
	RING_F_NONE = 0,
	RING_F_RSS,
	RING_F_ARRAY_SIZE,
};

struct ixgbe_ring_feature {
	u16	limit;
	u16	indices;
	u16	mask;
	u16	offset;
};

struct ixgbe_q_vector {
	int	v_idx;
};

struct ixgbe_ixdp_pair;
struct xsk_buff_pool;
struct bpf_prog;

struct ixgbe_queue_stats {
	u64	packets;
	u64	bytes;
};

struct ixgbe_ring {
	void			*desc;		/* descriptor ring memory */
	struct device		*dev;		/* device for DMA mapping */
	struct net_device	*netdev;
	u8 __iomem		*tail;
	dma_addr_t		dma;		/* address of the ring */
	unsigned int		size;		/* its length in bytes */
	u16			count;		/* descriptors */
	u8			queue_index;
	u8			reg_idx;
	struct ixgbe_q_vector	*q_vector;
	struct xsk_buff_pool	*xsk_pool;
	struct ixgbe_ixdp_pair	*ixdp;
	struct ixgbe_queue_stats stats;
	struct u64_stats_sync	syncp;
};

struct ixgbe_adapter {
	struct net_device	*netdev;
	struct ixgbe_hw		hw;
	unsigned long		state;
	u32			flags;
	u32			flags2;
	int			num_rx_queues;
	int			num_tx_queues;
	struct ixgbe_ring	*rx_ring[MAX_RX_QUEUES];
	struct ixgbe_ring	*tx_ring[MAX_TX_QUEUES];
	struct bpf_prog		*xdp_prog;
	unsigned long		*af_xdp_zc_qps;
	DECLARE_BITMAP(ixdp_qps, MAX_RX_QUEUES);
	unsigned int		ixdp_pairs;
	struct ixgbe_ring_feature ring_feature[RING_F_ARRAY_SIZE];
	u32			*rss_key;
	u8			rss_indir_tbl[IXGBE_MAX_RETA_ENTRIES];
};

#define IXGBE_RX_DESC(R, i)	(&(((union ixgbe_adv_rx_desc *)((R)->desc))[i]))
#define IXGBE_TX_DESC(R, i)	(&(((union ixgbe_adv_tx_desc *)((R)->desc))[i]))

#define IXGBE_READ_REG(hw, reg)		readl((hw)->hw_addr + (reg))
#define IXGBE_WRITE_REG(hw, reg, val)	writel((val), (hw)->hw_addr + (reg))

u32 ixgbe_rss_indir_tbl_entries(struct ixgbe_adapter *adapter);
void ixgbe_store_reta(struct ixgbe_adapter *adapter);

#endif /* _IX_SHIM_IXGBE_H */
