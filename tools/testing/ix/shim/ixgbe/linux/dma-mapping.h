/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: streaming DMA through the 82599 model's IOMMU
 * (ixgbe_model_dma.c).  A mapping gets a bus address unlike its virtual
 * one, the model reaches memory only through live mappings of the right
 * direction and length, and unmapping checks that the device no longer
 * owns the buffer.  A sync must fall within a live mapping.  The calls
 * are counted in ixm_dma_calls, so that tests see what the driver maps.
 */
#ifndef _IX_SHIM_LINUX_DMA_MAPPING_H
#define _IX_SHIM_LINUX_DMA_MAPPING_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/barrier.h>

typedef u64 dma_addr_t;

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
};

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

/* Nothing is cached here: there is nothing to skip. */
#define DMA_ATTR_SKIP_CPU_SYNC	BIT(5)

struct device;
struct page;

/* What the driver called, since the harness started. */
struct ixm_dma_calls {
	unsigned long	map_single;
	unsigned long	map_page;
	unsigned long	unmap;
	unsigned long	sync_device;
	unsigned long	sync_cpu;
};

extern struct ixm_dma_calls ixm_dma_calls;

dma_addr_t ixm_dma_map(void *addr, size_t len, enum dma_data_direction dir);
void ixm_dma_unmap(dma_addr_t dma, size_t len, enum dma_data_direction dir);
void ixm_dma_sync(dma_addr_t dma, size_t len, enum dma_data_direction dir);

static inline dma_addr_t dma_map_single(struct device *dev, void *addr,
					size_t len,
					enum dma_data_direction dir)
{
	ixm_dma_calls.map_single++;
	return ixm_dma_map(addr, len, dir);
}

static inline void dma_unmap_single(struct device *dev, dma_addr_t dma,
				    size_t len, enum dma_data_direction dir)
{
	ixm_dma_calls.unmap++;
	ixm_dma_unmap(dma, len, dir);
}

/* A page is its bytes (shim/linux/mm.h). */
static inline dma_addr_t dma_map_page_attrs(struct device *dev,
					    struct page *page, size_t off,
					    size_t len,
					    enum dma_data_direction dir,
					    unsigned long attrs)
{
	ixm_dma_calls.map_page++;
	return ixm_dma_map((char *)page + off, len, dir);
}

static inline void dma_unmap_page_attrs(struct device *dev, dma_addr_t dma,
					size_t len,
					enum dma_data_direction dir,
					unsigned long attrs)
{
	ixm_dma_calls.unmap++;
	ixm_dma_unmap(dma, len, dir);
}

static inline void dma_sync_single_for_device(struct device *dev,
					      dma_addr_t dma, size_t len,
					      enum dma_data_direction dir)
{
	ixm_dma_calls.sync_device++;
	ixm_dma_sync(dma, len, dir);
}

static inline void dma_sync_single_for_cpu(struct device *dev,
					   dma_addr_t dma, size_t len,
					   enum dma_data_direction dir)
{
	ixm_dma_calls.sync_cpu++;
	ixm_dma_sync(dma, len, dir);
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
