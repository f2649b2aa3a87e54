// SPDX-License-Identifier: GPL-2.0
/*
 * The 82599 model's register file and queue setup; see ixgbe_model.h.
 * The receive and transmit engines are in ixgbe_model_rx.c and
 * ixgbe_model_tx.c, RSS in ixgbe_model_rss.c, the IOMMU in
 * ixgbe_model_dma.c.
 */

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "ixgbe_model.h"

#define IXM_PORTS	4

static struct ixm *ixm_ports[IXM_PORTS];

void ixm_init(struct ixm *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	/* MAXFRS.MFS resets to 1518 bytes (8.2.3.22.13). */
	m->regs[IXM_MAXFRS / 4] = 1518u << 16;
	for (i = 0; i < IXM_PORTS; i++) {
		if (!ixm_ports[i]) {
			ixm_ports[i] = m;
			return;
		}
	}
	ixm_fail(m, "more than %u ports", IXM_PORTS);
}

void ixm_fini(struct ixm *m)
{
	unsigned int i;

	for (i = 0; i < IXM_QUEUES; i++) {
		free(m->rxq[i].snap);
		free(m->txq[i].snap);
	}
	for (i = 0; i < IXM_PORTS; i++)
		if (ixm_ports[i] == m)
			ixm_ports[i] = NULL;
}

/*
 * The 82599 answers at the 82598's addresses of some registers too
 * (8.1.3, the register summary's aliases): SRRCTL of queues 0-15, MRQC,
 * RETA and RSSRK, which upstream ixgbe writes there.
 */
static uint32_t ixm_unalias(uint32_t reg)
{
	if (reg >= 0x02100 && reg < 0x02140)
		return IXM_SRRCTL((reg - 0x02100) / 4);
	if (reg == 0x05818)
		return IXM_MRQC;
	if (reg >= 0x05c00 && reg < 0x05c80)
		return IXM_RETA((reg - 0x05c00) / 4);
	if (reg >= 0x05c80 && reg < 0x05ca8)
		return IXM_RSSRK((reg - 0x05c80) / 4);
	return reg;
}

/* Queue @q of a per-queue register block at @base, stride 0x40, or -1. */
static int ixm_qreg(uint32_t reg, uint32_t base)
{
	if (reg < base || reg >= base + 0x40 * IXM_QUEUES || (reg - base) % 0x40)
		return -1;
	return (reg - base) / 0x40;
}

/*
 * Enabling a queue (RXDCTL/TXDCTL.ENABLE, 8.2.3.8.6, 8.2.3.9.10) takes its
 * ring as RDBAL/RDBAH/RDLEN (TDBAL/TDBAH/TDLEN) describe it: a length that
 * is a non-zero multiple of 128 bytes, so of 8 descriptors (8.2.3.8.3,
 * 8.2.3.9.7), a base aligned on 128 bytes (8.2.3.8.1, 8.2.3.9.5), head
 * and tail within the ring.
 */
static void ixm_enable(struct ixm *m, struct ixm_queue *rq, const char *what,
		       uint32_t bal)
{
	uint64_t base = m->regs[bal / 4] | (uint64_t)m->regs[bal / 4 + 1] << 32;
	uint32_t len = m->regs[bal / 4 + 2];

	rq->enabled = false;
	if (!len || len % 128 || base % 128) {
		ixm_fail(m,
			 "%s ring of %u bytes at %#llx: length must be a multiple of 128, base 128-byte aligned",
			 what, len, (unsigned long long)base);
		return;
	}
	rq->count = len / IXM_DESC_SIZE;
	rq->ring = ixm_dma_va(m, base, len, false);
	if (!rq->ring) {
		ixm_fail(m, "%s ring at %#llx is not mapped for %u bytes",
			 what, (unsigned long long)base, len);
		return;
	}
	rq->head = m->regs[bal / 4 + 4];
	rq->tail = m->regs[bal / 4 + 6];
	if (rq->head >= rq->count || rq->tail != rq->head) {
		ixm_fail(m,
			 "%s ring enabled with head %u, tail %u: both 0 expected",
			 what, rq->head, rq->tail);
		return;
	}
	free(rq->snap);
	rq->snap = calloc(rq->count, IXM_DESC_SIZE);
	rq->enabled = true;
}

static void ixm_ctl_write(struct ixm *m, struct ixm_queue *rq,
			  const char *what, uint32_t bal, uint32_t val)
{
	if (!(val & IXM_XDCTL_ENABLE))
		rq->enabled = false;
	else if (!rq->enabled)
		ixm_enable(m, rq, what, bal);
}

static void ixm_write(struct ixm *m, uint32_t reg, uint32_t val)
{
	int rdt, tdt, rdh, tdh, rxd, txd;

	reg = ixm_unalias(reg);
	rdt = ixm_qreg(reg, IXM_RDT(0));
	tdt = ixm_qreg(reg, IXM_TDT(0));
	rdh = ixm_qreg(reg, IXM_RDH(0));
	tdh = ixm_qreg(reg, IXM_TDH(0));
	rxd = ixm_qreg(reg, IXM_RXDCTL(0));
	txd = ixm_qreg(reg, IXM_TXDCTL(0));
	if (rdt >= 0)
		return ixm_tail_write(m, &m->rxq[rdt], "Rx", reg, val,
				      ixm_rxd_ok);
	if (tdt >= 0)
		return ixm_tail_write(m, &m->txq[tdt], "Tx", reg, val,
				      ixm_txd_ok);
	/* Head registers belong to the device while a queue runs (8.2.3.8.4). */
	if ((rdh >= 0 && m->rxq[rdh].enabled) ||
	    (tdh >= 0 && m->txq[tdh].enabled)) {
		ixm_fail(m, "head register %#x written while its queue runs", reg);
		return;
	}
	m->regs[reg / 4] = val;
	if (rxd >= 0)
		ixm_ctl_write(m, &m->rxq[rxd], "Rx", IXM_RDBAL(rxd), val);
	else if (txd >= 0)
		ixm_ctl_write(m, &m->txq[txd], "Tx", IXM_TDBAL(txd), val);
}

/* Statistics registers clear when read (8.2.3.23). */
uint32_t ixm_reg(struct ixm *m, uint32_t reg)
{
	uint32_t val;

	reg = ixm_unalias(reg);
	val = m->regs[reg / 4];
	if (reg == IXM_MPC0 || ixm_qreg(reg, IXM_QPRDC(0)) >= 0)
		m->regs[reg / 4] = 0;
	return val;
}

static struct ixm *ixm_port_of(const void *addr, uint32_t *reg)
{
	const uint8_t *a = addr;
	unsigned int i;

	for (i = 0; i < IXM_PORTS; i++) {
		struct ixm *m = ixm_ports[i];

		if (m && a >= (uint8_t *)m->regs &&
		    a < (uint8_t *)m->regs + IXM_BAR_SIZE) {
			*reg = a - (uint8_t *)m->regs;
			if (*reg % 4)
				break;
			return m;
		}
	}
	ix_test_fail(__FILE__, __LINE__, "82599 model: MMIO at %p: no register",
		     (void *)addr);
	return NULL;
}

uint32_t ixm_mmio_read(const void *addr)
{
	uint32_t reg;
	struct ixm *m = ixm_port_of(addr, &reg);

	return m ? ixm_reg(m, reg) : ~0u;
}

void ixm_mmio_write(uint32_t val, void *addr)
{
	uint32_t reg;
	struct ixm *m = ixm_port_of(addr, &reg);

	if (m)
		ixm_write(m, reg, val);
}

/*
 * A tail write (RDT 8.2.3.8.5, TDT 8.2.3.9.9) hands the descriptors from
 * the old tail up to the new one to the device.  The driver's side: the
 * tail stays inside the ring, and it never reaches the head from behind,
 * since head == tail means an empty ring (7.1.9, 7.2.3.3): at most
 * count - 1 descriptors are the device's.  What it already owns must be
 * as it was handed over.
 */
static bool ixm_handover(struct ixm *m, struct ixm_queue *rq,
			 const char *what, uint32_t val)
{
	uint32_t owned, more, i;

	if (val >= rq->count) {
		ixm_fail(m, "%s tail %u outside a ring of %u", what, val,
			 rq->count);
		return false;
	}
	owned = (rq->tail + rq->count - rq->head) % rq->count;
	more = (val + rq->count - rq->tail) % rq->count;
	if (owned + more > rq->count - 1) {
		ixm_fail(m,
			 "%s tail %u reaches head %u from behind: %u descriptors handed over, %u free",
			 what, val, rq->head, more, rq->count - 1 - owned);
		return false;
	}
	for (i = rq->head; i != rq->tail; i = (i + 1) % rq->count)
		if (!ixm_unchanged(m, rq, what, i))
			return false;
	return true;
}

/*
 * The tail register @reg of @rq written with @val: before the queue is
 * enabled, only kept; then each descriptor handed over must pass @ok and
 * is kept as the device saw it, for ixm_unchanged().
 */
void ixm_tail_write(struct ixm *m, struct ixm_queue *rq, const char *what,
		    uint32_t reg, uint32_t val, ixm_desc_ok_t ok)
{
	uint32_t i;

	if (rq->enabled) {
		if (!ixm_handover(m, rq, what, val))
			return;
		for (i = rq->tail; i != val; i = (i + 1) % rq->count) {
			if (!ok(m, rq, i))
				return;
			memcpy(rq->snap[i], rq->ring + i * IXM_DESC_SIZE,
			       IXM_DESC_SIZE);
		}
		rq->tail = val;
	}
	m->regs[reg / 4] = val;
}

/*
 * The device reads a descriptor when it gets to it, so what the driver
 * writes after the tail bump (or into one the device owns) may or may not
 * be seen: the model insists it matches the snapshot of the tail write.
 */
bool ixm_unchanged(struct ixm *m, struct ixm_queue *rq, const char *what,
		   uint32_t i)
{
	if (!memcmp(rq->ring + i * IXM_DESC_SIZE, rq->snap[i], IXM_DESC_SIZE))
		return true;
	ixm_fail(m,
		 "%s descriptor %u changed after the tail handed it to the device (written late, or rewritten while the device owns it)",
		 what, i);
	return false;
}

static bool ixm_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Does @m own the buffer at [@dma, @dma + @len) through a descriptor? */
bool ixm_owns(const struct ixm *m, uint64_t dma, uint64_t len)
{
	const struct ixm_queue *rq;
	const uint8_t *d;
	unsigned int q;
	uint32_t i, dlen;
	uint64_t addr;

	for (q = 0; q < 2 * IXM_QUEUES; q++) {
		rq = q < IXM_QUEUES ? &m->rxq[q] : &m->txq[q - IXM_QUEUES];
		if (!rq->enabled)
			continue;
		for (i = rq->head; i != rq->tail; i = (i + 1) % rq->count) {
			d = rq->snap[i];
			memcpy(&addr, d, 8);
			memcpy(&dlen, d + 8, 4);
			if (q >= IXM_QUEUES && IXM_TXD_DTYP(dlen) != IXM_DTYP_DATA)
				continue;
			dlen = q < IXM_QUEUES ? 1 : dlen & IXM_TXD_DTALEN_MASK;
			if (ixm_overlap(addr, dlen, dma, len))
				return true;
		}
	}
	return false;
}

/* Does any port own it? */
bool ixm_any_owns(uint64_t dma, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < IXM_PORTS; i++)
		if (ixm_ports[i] && ixm_owns(ixm_ports[i], dma, len))
			return true;
	return false;
}

/* A frame from the wire: RSS picks the queue (7.1.2.8), queue 0 without. */
int ixm_rx(struct ixm *m, const uint8_t *frame, uint32_t len)
{
	uint32_t hash = 0, type = 0;
	int q = ixm_rss(m, frame, len, &hash, &type);

	return ixm_rx_queue(m, q, frame, len, hash, type);
}
