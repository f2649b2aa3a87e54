// SPDX-License-Identifier: GPL-2.0
/*
 * The 82599 model's receive queues: RDT writes post buffers, frames from
 * the wire are written into them and their descriptors written back.
 * Advanced one-buffer descriptors only (SRRCTL.DESCTYPE 001b, 8.2.3.8.7).
 */

#include <string.h>

#include "test.h"
#include "ixgbe_model.h"

/* Read format (7.1.6.1): packet buffer address, header buffer address. */
static uint64_t ixm_rxd_pkt(const uint8_t *d)
{
	uint64_t v;

	memcpy(&v, d, 8);
	return v;
}

static uint64_t ixm_rxd_hdr(const uint8_t *d)
{
	uint64_t v;

	memcpy(&v, d + 8, 8);
	return v;
}

/*
 * A descriptor handed over must be in read format (7.1.6.1): bit 0 of the
 * header address is where the device writes DD, so it is 0 (a descriptor
 * still holding its last write-back has DD set); the packet buffer is
 * mapped for the device to write; and no other descriptor the device
 * owns holds the same buffer.
 */
bool ixm_rxd_ok(struct ixm *m, struct ixm_queue *rq, uint32_t i)
{
	const uint8_t *d = rq->ring + i * IXM_DESC_SIZE;
	uint64_t pkt = ixm_rxd_pkt(d);
	uint32_t j;

	if (ixm_rxd_hdr(d) & IXM_RXD_DD) {
		ixm_fail(m,
			 "Rx descriptor %u handed over with DD set (not rewritten in read format)",
			 i);
		return false;
	}
	if (!ixm_dma_va(m, pkt, 1, false)) {
		ixm_fail(m,
			 "Rx descriptor %u: buffer %#llx is not mapped for the device to write",
			 i, (unsigned long long)pkt);
		return false;
	}
	for (j = rq->head; j != i; j = (j + 1) % rq->count) {
		if (ixm_rxd_pkt(rq->snap[j]) == pkt) {
			ixm_fail(m,
				 "Rx descriptor %u posts buffer %#llx, which descriptor %u already holds",
				 i, (unsigned long long)pkt, j);
			return false;
		}
	}
	return true;
}

/*
 * Write-back format (7.1.6.2): RSS type in bits 3:0 of the first dword,
 * the RSS hash in the second, then extended status (DD, EOP) and errors,
 * the length of the data in this buffer and the VLAN tag.  DD goes last.
 */
static void ixm_rxd_wb(uint8_t *d, uint32_t type, uint32_t hash,
		       uint32_t len, uint32_t eop)
{
	uint32_t staterr = IXM_RXD_DD | eop;
	uint16_t len16 = len, vlan = 0;

	memcpy(d, &type, 4);
	memcpy(d + 4, &hash, 4);
	memcpy(d + 12, &len16, 2);
	memcpy(d + 14, &vlan, 2);
	memcpy(d + 8, &staterr, 4);
}

/* No descriptor for the frame: QPRDC with DROP_EN, else MPC (8.2.3.23). */
static int ixm_rx_drop(struct ixm *m, unsigned int q)
{
	if (m->regs[IXM_SRRCTL(q) / 4] & IXM_SRRCTL_DROP_EN)
		m->regs[IXM_QPRDC(q) / 4]++;
	else
		m->regs[IXM_MPC0 / 4]++;
	return -1;
}

/*
 * Store a frame into the buffers of queue @q from its head on, up to
 * SRRCTL.BSIZEPACKET bytes in each (7.1.3); EOP marks the last one.
 * Returns the descriptors used, or -1 if the frame was dropped.
 */
int ixm_rx_queue(struct ixm *m, unsigned int q, const uint8_t *frame,
		 uint32_t len, uint32_t hash, uint32_t type)
{
	struct ixm_queue *rq = &m->rxq[q];
	uint32_t srrctl = m->regs[IXM_SRRCTL(q) / 4];
	uint32_t bsize = (srrctl & IXM_SRRCTL_BSIZE_MASK) * 1024;
	uint32_t need, owned, i, off, n;
	uint8_t *d, *va;

	/* MAXFRS.MFS counts the CRC, which the device strips (8.2.3.22.13). */
	if (len + 4 > m->regs[IXM_MAXFRS / 4] >> 16) {
		m->rx_oversize++;
		return -1;
	}
	if (!rq->enabled)
		return ixm_rx_drop(m, q);
	if (IXM_SRRCTL_DESCTYPE(srrctl) != IXM_SRRCTL_ADV_ONEBUF || !bsize) {
		ixm_fail(m,
			 "Rx queue %u: SRRCTL %#x, only advanced one-buffer descriptors are modelled",
			 q, srrctl);
		return -1;
	}
	need = (len + bsize - 1) / bsize;
	owned = (rq->tail + rq->count - rq->head) % rq->count;
	if (owned < need)
		return ixm_rx_drop(m, q);
	for (off = 0, i = 0; i < need; i++, off += n) {
		d = rq->ring + rq->head * IXM_DESC_SIZE;
		n = len - off < bsize ? len - off : bsize;
		if (!ixm_unchanged(m, rq, "Rx", rq->head))
			return -1;
		va = ixm_dma_va(m, ixm_rxd_pkt(d), n, false);
		if (!va) {
			ixm_fail(m,
				 "Rx descriptor %u: %u bytes at %#llx: no live mapping for the device to write (IOMMU fault)",
				 rq->head, n,
				 (unsigned long long)ixm_rxd_pkt(d));
			return -1;
		}
		memcpy(va, frame + off, n);
		ixm_rxd_wb(d, type, hash, n,
			   i == need - 1 ? IXM_RXD_EOP | m->rx_staterr : 0);
		rq->head = (rq->head + 1) % rq->count;
	}
	m->regs[IXM_RDH(q) / 4] = rq->head;
	m->rx_staterr = 0;
	m->rx_frames++;
	return need;
}
