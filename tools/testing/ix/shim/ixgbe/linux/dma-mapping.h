/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: streaming DMA through the 82599 model's IOMMU
 * (ixgbe_model_dma.c).  A mapping gets a bus address unlike its virtual
 * one, the model reaches memory only through live mappings of the right
 * direction and length, and unmapping checks that the device no longer
 * owns the buffer.
 */
#ifndef _IX_SHIM_LINUX_DMA_MAPPING_H
#define _IX_SHIM_LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <asm/barrier.h>

typedef u64 dma_addr_t;

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
};

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

struct device;

dma_addr_t ixm_dma_map(void *addr, size_t len, enum dma_data_direction dir);
void ixm_dma_unmap(dma_addr_t dma, size_t len, enum dma_data_direction dir);

static inline dma_addr_t dma_map_single(struct device *dev, void *addr,
					size_t len,
					enum dma_data_direction dir)
{
	return ixm_dma_map(addr, len, dir);
}

static inline void dma_unmap_single(struct device *dev, dma_addr_t dma,
				    size_t len, enum dma_data_direction dir)
{
	ixm_dma_unmap(dma, len, dir);
}

static inline int dma_mapping_error(struct device *dev, dma_addr_t dma)
{
	return dma == DMA_MAPPING_ERROR;
}

#ifndef dma_rmb
/* One thread: reads of DMA memory are in order anyway. */
#define dma_rmb()	barrier()
#endif

#endif /* _IX_SHIM_LINUX_DMA_MAPPING_H */
