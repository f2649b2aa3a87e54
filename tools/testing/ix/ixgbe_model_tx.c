// SPDX-License-Identifier: GPL-2.0
/*
 * The 82599 model's transmit queues: TDT writes hand over advanced
 * descriptors, ixm_tx() sends the frames they hold and writes DD back.
 */

#include <string.h>

#include "test.h"
#include "ixgbe_model.h"

struct ixm_txd {
	uint64_t	addr;
	uint32_t	cmd;	/* DTALEN, DTYP, DCMD */
	uint32_t	sta;	/* STA, IDX, CC, POPTS, PAYLEN */
};

static struct ixm_txd ixm_txd(const uint8_t *d)
{
	struct ixm_txd t;

	memcpy(&t.addr, d, 8);
	memcpy(&t.cmd, d + 8, 4);
	memcpy(&t.sta, d + 12, 4);
	return t;
}

/*
 * A descriptor handed over is an advanced one (DEXT, 7.2.3.2.3 and
 * 7.2.3.2.4; legacy descriptors are not modelled) of type context or
 * data.  A data descriptor has a non-empty buffer mapped for the device
 * to read and its DD clear, or the driver could take it back before the
 * device sent it.  TSO is not modelled.
 */
bool ixm_txd_ok(struct ixm *m, struct ixm_queue *rq, uint32_t i)
{
	const uint8_t *d = rq->ring + i * IXM_DESC_SIZE;
	struct ixm_txd t = ixm_txd(d);
	uint32_t len = t.cmd & IXM_TXD_DTALEN_MASK;

	if (!(t.cmd & IXM_DCMD_DEXT) ||
	    (IXM_TXD_DTYP(t.cmd) != IXM_DTYP_DATA &&
	     IXM_TXD_DTYP(t.cmd) != IXM_DTYP_CTXT)) {
		ixm_fail(m,
			 "Tx descriptor %u: %#x is neither an advanced data nor context descriptor",
			 i, t.cmd);
		return false;
	}
	if (IXM_TXD_DTYP(t.cmd) == IXM_DTYP_CTXT)
		return true;
	if (t.cmd & IXM_DCMD_TSE) {
		ixm_fail(m, "Tx descriptor %u: TSE is not modelled", i);
		return false;
	}
	if (t.sta & IXM_TXD_STA_DD) {
		ixm_fail(m, "Tx descriptor %u handed over with DD set", i);
		return false;
	}
	if (!len || !ixm_dma_va(m, t.addr, len, true)) {
		ixm_fail(m,
			 "Tx descriptor %u: %u bytes at %#llx are not mapped for the device to read",
			 i, len, (unsigned long long)t.addr);
		return false;
	}
	return true;
}

/* The descriptor after the EOP of the frame at the head, or -1. */
static int ixm_tx_end(const struct ixm_queue *rq)
{
	uint32_t i;

	for (i = rq->head; i != rq->tail; i = (i + 1) % rq->count)
		if (ixm_txd(rq->snap[i]).cmd & IXM_DCMD_EOP)
			return (i + 1) % rq->count;
	return -1;
}

/*
 * The frame at the head, gathered from its data descriptors.  For a frame
 * without TSO, PAYLEN of its first data descriptor is the frame's length
 * and IFCS asks for the CRC the peer checks (7.2.3.2.4); the device sends
 * no frame shorter than 17 bytes.  Returns its length, 0 if broken.
 */
static uint32_t ixm_tx_gather(struct ixm *m, struct ixm_queue *rq,
			      uint32_t end)
{
	uint32_t i, len, total = 0, first = 0, paylen = 0;
	struct ixm_txd t;
	uint8_t *va;

	for (i = rq->head; i != end; i = (i + 1) % rq->count) {
		if (!ixm_unchanged(m, rq, "Tx", i))
			return 0;
		t = ixm_txd(rq->snap[i]);
		if (IXM_TXD_DTYP(t.cmd) != IXM_DTYP_DATA)
			continue;
		len = t.cmd & IXM_TXD_DTALEN_MASK;
		if (!first++) {
			paylen = IXM_TXD_PAYLEN(t.sta);
			if (!(t.cmd & IXM_DCMD_IFCS))
				ixm_fail(m,
					 "Tx descriptor %u: no IFCS, the frame leaves without a CRC",
					 i);
		}
		va = ixm_dma_va(m, t.addr, len, true);
		if (!va || total + len > IXM_MAX_FRAME) {
			ixm_fail(m,
				 "Tx descriptor %u: %u bytes at %#llx: no live mapping, or frame too long",
				 i, len, (unsigned long long)t.addr);
			return 0;
		}
		memcpy(m->frame + total, va, len);
		total += len;
	}
	if (total != paylen || total < IXM_TX_MIN) {
		ixm_fail(m, "Tx frame of %u bytes at descriptor %u: PAYLEN %u",
			 total, rq->head, paylen);
		return 0;
	}
	return total;
}

/* Report status (7.2.3.5): DD in the STA field of every RS descriptor. */
static void ixm_tx_done(struct ixm_queue *rq, uint32_t end)
{
	uint32_t i, sta;
	uint8_t *d;

	for (i = rq->head; i != end; i = (i + 1) % rq->count) {
		d = rq->ring + i * IXM_DESC_SIZE;
		if (!(ixm_txd(rq->snap[i]).cmd & IXM_DCMD_RS))
			continue;
		memcpy(&sta, d + 12, 4);
		sta |= IXM_TXD_STA_DD;
		memcpy(d + 12, &sta, 4);
	}
}

/*
 * Send up to @budget frames of queue @q: each whole frame (up to its EOP)
 * between head and tail goes to the sink, then its descriptors are
 * written back and the head moves past them.  A stuck queue sends none.
 */
unsigned int ixm_tx(struct ixm *m, unsigned int q, unsigned int budget)
{
	struct ixm_queue *rq = &m->txq[q];
	unsigned int sent = 0;
	uint32_t len;
	int end;

	while (rq->enabled && !rq->stuck && sent < budget) {
		end = ixm_tx_end(rq);
		if (end < 0)
			break;
		len = ixm_tx_gather(m, rq, end);
		if (!len)
			break;
		if (m->sink)
			m->sink(m->sink_arg, q, m->frame, len);
		ixm_tx_done(rq, end);
		rq->head = end;
		m->regs[IXM_TDH(q) / 4] = rq->head;
		m->tx_frames++;
		sent++;
	}
	return sent;
}
