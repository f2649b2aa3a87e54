// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU between the driver's DMA mappings and the 82599 model: each
 * mapping gets a bus address of its own (slot and generation in the high
 * bits, the page offset kept), so the device reaches only live mappings,
 * only in their direction, only within their length; an address used
 * after it was unmapped faults.  Unmapping follows DMA-API.rst (same
 * address, length and direction as mapped) and the 82599's ownership:
 * no buffer goes back while a descriptor the device owns holds it.
 */

#include <linux/kernel.h>
#include <linux/dma-mapping.h>

#include "test.h"
#include "ixgbe_model.h"

#define IXM_DMA_SLOTS	8192
#define IXM_DMA_BASE	BIT_ULL(47)
#define IXM_DMA_SLOT_SHIFT	22	/* a mapping spans less than 4 MiB */
#define IXM_DMA_GEN_SHIFT	35
#define IXM_DMA_GEN_MASK	0xfff	/* below IXM_DMA_BASE */

struct ixm_map {
	uint8_t		*va;
	size_t		len;
	dma_addr_t	dma;
	int		dir;
	unsigned int	gen;
	bool		live;
};

struct ixm_dma_calls ixm_dma_calls;
static struct ixm_map ixm_maps[IXM_DMA_SLOTS];
static unsigned int ixm_next;
static unsigned int ixm_nlive;

/* Mappings not unmapped yet. */
unsigned int ixm_dma_live(void)
{
	return ixm_nlive;
}

dma_addr_t ixm_dma_map(void *addr, size_t len, enum dma_data_direction dir)
{
	uint64_t off = (uintptr_t)addr & 0xfff;
	struct ixm_map *mp;
	unsigned int i, s;

	if (!len || off + len >= 1u << IXM_DMA_SLOT_SHIFT)
		return DMA_MAPPING_ERROR;
	for (i = 0; i < IXM_DMA_SLOTS; i++) {
		s = (ixm_next + i) % IXM_DMA_SLOTS;
		if (!ixm_maps[s].live)
			break;
	}
	if (i == IXM_DMA_SLOTS)
		return DMA_MAPPING_ERROR;
	ixm_next = s + 1;
	mp = &ixm_maps[s];
	mp->va = addr;
	mp->len = len;
	mp->dir = dir;
	mp->gen = (mp->gen + 1) & IXM_DMA_GEN_MASK;
	mp->dma = IXM_DMA_BASE | (uint64_t)mp->gen << IXM_DMA_GEN_SHIFT |
		  (uint64_t)s << IXM_DMA_SLOT_SHIFT | off;
	mp->live = true;
	ixm_nlive++;
	return mp->dma;
}

/* The live mapping @dma falls in, or NULL. */
static struct ixm_map *ixm_map_of(uint64_t dma)
{
	unsigned int s = (dma >> IXM_DMA_SLOT_SHIFT) & (IXM_DMA_SLOTS - 1);
	struct ixm_map *mp = &ixm_maps[s];

	if (!mp->live || dma < mp->dma || dma >= mp->dma + mp->len ||
	    (dma ^ mp->dma) >> IXM_DMA_SLOT_SHIFT)
		return NULL;
	return mp;
}

void ixm_dma_unmap(dma_addr_t dma, size_t len, enum dma_data_direction dir)
{
	struct ixm_map *mp = ixm_map_of(dma);

	if (!mp || mp->dma != dma || mp->len != len || mp->dir != dir) {
		ix_test_fail(__FILE__, __LINE__,
			     "dma_unmap_single(%#llx, %zu, %d) does not match a live mapping",
			     (unsigned long long)dma, len, dir);
		return;
	}
	if (ixm_any_owns(dma, len))
		ix_test_fail(__FILE__, __LINE__,
			     "82599 model: buffer %#llx unmapped while a descriptor the device owns holds it",
			     (unsigned long long)dma);
	mp->live = false;
	ixm_nlive--;
}

/* A sync (DMA-API.rst) must stay within one live mapping. */
void ixm_dma_sync(dma_addr_t dma, size_t len, enum dma_data_direction dir)
{
	struct ixm_map *mp = ixm_map_of(dma);

	if (!mp || dma + len > mp->dma + mp->len ||
	    (mp->dir != dir && mp->dir != DMA_BIDIRECTIONAL))
		ix_test_fail(__FILE__, __LINE__,
			     "dma_sync_single(%#llx, %zu, %d) is not within a live mapping",
			     (unsigned long long)dma, len, dir);
}

/* Where the device reads (@to_device) or writes @len bytes at @dma. */
void *ixm_dma_va(struct ixm *m, uint64_t dma, uint64_t len, bool to_device)
{
	struct ixm_map *mp = ixm_map_of(dma);
	int want = to_device ? DMA_TO_DEVICE : DMA_FROM_DEVICE;

	if (!mp || dma + len > mp->dma + mp->len ||
	    (mp->dir != want && mp->dir != DMA_BIDIRECTIONAL))
		return NULL;
	return mp->va + (dma - mp->dma);
}
