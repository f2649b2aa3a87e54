/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A register-level model of the Intel 82599's receive and transmit queues,
 * written from the 82599 datasheet (section numbers below are its own), so
 * that drivers/net/ethernet/intel/ixgbe/ixgbe_ixdp.c runs unchanged in the
 * host harness.  No 82599 is involved: the model is what the datasheet
 * says the device does with the rings, and what it requires of a driver.
 *
 * What it covers:
 * - the register file of one port (a fake 128 KiB BAR0, 8.1.3), including
 *   the 82598-compatible aliases of SRRCTL, MRQC, RETA and RSSRK;
 * - receive queues: RDBAL/RDBAH/RDLEN/RDH/RDT/RXDCTL/SRRCTL (8.2.3.8),
 *   advanced one-buffer descriptors in read and write-back format
 *   (7.1.6.1, 7.1.6.2), frames longer than SRRCTL.BSIZEPACKET spread over
 *   several buffers (7.1.3), drops counted in QPRDC with SRRCTL.DROP_EN or
 *   in MPC without (the packet buffer itself is not modelled);
 * - RSS: MRQC, RSSRK, RETA, the Toeplitz hash over TCP/IPv4 and IPv4
 *   (7.1.2.8), written back as hash and type;
 * - transmit queues: TDBAL/TDBAH/TDLEN/TDH/TDT/TXDCTL (8.2.3.9), advanced
 *   data and context descriptors (7.2.3.2.3, 7.2.3.2.4), DD written back
 *   for descriptors with RS (7.2.3.5);
 * - the driver's side of each rule: tail in range and never past head,
 *   descriptors complete when the tail hands them over (the model takes a
 *   snapshot at the tail write and checks nothing changed until it is done
 *   with them), no buffer posted twice, buffers reached only through live
 *   DMA mappings of the right direction (an IOMMU, ixgbe_model_dma.c), no
 *   buffer unmapped while the device owns it.  A broken rule fails the
 *   running test with a message naming it.
 *
 * Fault injection: a transmit queue whose head stops (@stuck), status
 * and error bits on a received frame (@rx_staterr).  ixgbe_wire.c puts
 * two ports between the ends of wire.c, so the stack runs over them.
 *
 * Section numbers are those of the 82599 datasheet (rev. 3.x) as the
 * author recalls them; no copy was at hand to check each one.
 *
 * What it cannot show: timing (the model works when a test calls it,
 * descriptors are fetched and written back at once: TXDCTL.WTHRESH, which
 * ixgbe sets to 8 under interrupt moderation, is ignored), PCIe ordering and
 * caching (one thread, so a missing barrier goes unseen), interrupts,
 * flow control, the packet buffer, offloads other than RSS, and whether
 * a real 82599 agrees with this reading of the datasheet.
 */
#ifndef _IX_IXGBE_MODEL_H
#define _IX_IXGBE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/bits.h>

#define IXM_QUEUES	16		/* RSS reaches 16 queues (7.1.2.8) */
#define IXM_BAR_SIZE	0x20000		/* 128 KiB of registers (8.1.3) */
#define IXM_DESC_SIZE	16
#define IXM_MAX_FRAME	16384

/* Registers (8.2.3), by the 82599's own addresses. */
#define IXM_RDBAL(q)	(0x01000 + 0x40 * (q))
#define IXM_RDBAH(q)	(0x01004 + 0x40 * (q))
#define IXM_RDLEN(q)	(0x01008 + 0x40 * (q))
#define IXM_RDH(q)	(0x01010 + 0x40 * (q))
#define IXM_SRRCTL(q)	(0x01014 + 0x40 * (q))
#define IXM_RDT(q)	(0x01018 + 0x40 * (q))
#define IXM_RXDCTL(q)	(0x01028 + 0x40 * (q))
#define IXM_QPRDC(q)	(0x01430 + 0x40 * (q))
#define IXM_MPC0	0x03fa0
#define IXM_MAXFRS	0x04268
#define IXM_TDBAL(q)	(0x06000 + 0x40 * (q))
#define IXM_TDBAH(q)	(0x06004 + 0x40 * (q))
#define IXM_TDLEN(q)	(0x06008 + 0x40 * (q))
#define IXM_TDH(q)	(0x06010 + 0x40 * (q))
#define IXM_TDT(q)	(0x06018 + 0x40 * (q))
#define IXM_TXDCTL(q)	(0x06028 + 0x40 * (q))
#define IXM_RETA(i)	(0x0eb00 + 4 * (i))
#define IXM_RSSRK(i)	(0x0eb80 + 4 * (i))
#define IXM_MRQC	0x0ec80

#define IXM_XDCTL_ENABLE	BIT(25)	/* RXDCTL/TXDCTL (8.2.3.8.6) */
#define IXM_SRRCTL_BSIZE_MASK	0x1fu		/* 1 KiB units (8.2.3.8.7) */
#define IXM_SRRCTL_DESCTYPE(v)	(((v) >> 25) & 7)
#define IXM_SRRCTL_ADV_ONEBUF	1
#define IXM_SRRCTL_DROP_EN	BIT(28)
#define IXM_MRQC_MRQE_MASK	0xfu		/* 8.2.3.7.12 */
#define IXM_MRQC_RSS		1
#define IXM_MRQC_TCPIPV4	BIT(16)
#define IXM_MRQC_IPV4		BIT(17)

/* Receive write-back (7.1.6.2). */
#define IXM_RXD_DD		BIT(0)
#define IXM_RXD_EOP		BIT(1)
#define IXM_RXD_VP		BIT(3)
#define IXM_RXD_L4CS		BIT(5)
#define IXM_RXDERR_TCPE		BIT(30)
#define IXM_RXDERR_RXE		BIT(29)
#define IXM_RSSTYPE_TCPIPV4	1
#define IXM_RSSTYPE_IPV4	2

/* Transmit descriptors (7.2.3.2.3, 7.2.3.2.4). */
#define IXM_TXD_DTALEN_MASK	0xffffu
#define IXM_TXD_DTYP(v)		(((v) >> 20) & 0xf)
#define IXM_DTYP_CTXT		2
#define IXM_DTYP_DATA		3
#define IXM_DCMD_EOP		BIT(24)
#define IXM_DCMD_IFCS		BIT(25)
#define IXM_DCMD_RS		BIT(27)
#define IXM_DCMD_DEXT		BIT(29)
#define IXM_DCMD_TSE		BIT(31)
#define IXM_TXD_STA_DD		BIT(0)
#define IXM_TXD_PAYLEN(v)	((v) >> 14)
#define IXM_TX_MIN		17		/* 7.2.3.2.4, PAYLEN */

struct ixm;

/* Where transmitted frames go: the other end of the cable. */
typedef void (*ixm_sink_t)(void *arg, unsigned int q, const uint8_t *frame,
			   uint32_t len);

/**
 * struct ixm_queue - one receive or transmit queue as the device sees it
 * @enabled: RXDCTL/TXDCTL.ENABLE set and the ring valid
 * @count: descriptors in the ring (RDLEN / 16)
 * @ring: the ring's memory, reached through the IOMMU when enabled
 * @head: RDH/TDH, the next descriptor the device uses
 * @tail: RDT/TDT as last written
 * @snap: each descriptor as it was when the tail handed it over
 * @stuck: fault injection: the transmit engine takes no descriptor
 */
struct ixm_queue {
	bool		enabled;
	uint32_t	count;
	uint8_t		*ring;
	uint32_t	head;
	uint32_t	tail;
	uint8_t		(*snap)[IXM_DESC_SIZE];
	bool		stuck;
};

/**
 * struct ixm - one 82599 port
 * @regs: the register file, the BAR that hw_addr points to
 * @rxq: receive queues
 * @txq: transmit queues
 * @sink: where its transmit engine puts frames; NULL drops them
 * @sink_arg: the sink's
 * @frame: a frame being gathered from transmit descriptors
 * @rx_frames: frames written to receive buffers
 * @rx_oversize: frames dropped as longer than MAXFRS.MFS (ROC)
 * @rx_staterr: fault injection: status and error bits the next frame's
 *	last descriptor is written back with (an error, a stripped VLAN tag)
 * @tx_frames: frames sent
 * @errors: driver rules found broken
 */
struct ixm {
	uint32_t	regs[IXM_BAR_SIZE / 4];
	struct ixm_queue rxq[IXM_QUEUES];
	struct ixm_queue txq[IXM_QUEUES];
	ixm_sink_t	sink;
	void		*sink_arg;
	uint8_t		frame[IXM_MAX_FRAME];
	uint64_t	rx_frames;
	uint64_t	rx_oversize;
	uint32_t	rx_staterr;
	uint64_t	tx_frames;
	unsigned int	errors;
};

/* ixgbe_model.c */
void ixm_init(struct ixm *m);
void ixm_fini(struct ixm *m);
uint32_t ixm_reg(struct ixm *m, uint32_t reg);
int ixm_rx(struct ixm *m, const uint8_t *frame, uint32_t len);
unsigned int ixm_tx(struct ixm *m, unsigned int q, unsigned int budget);
bool ixm_owns(const struct ixm *m, uint64_t dma, uint64_t len);
bool ixm_any_owns(uint64_t dma, uint64_t len);

/* Is descriptor @i of @rq, being handed over, as the datasheet wants? */
typedef bool (*ixm_desc_ok_t)(struct ixm *m, struct ixm_queue *rq,
			      uint32_t i);

void ixm_tail_write(struct ixm *m, struct ixm_queue *rq, const char *what,
		    uint32_t reg, uint32_t val, ixm_desc_ok_t ok);
bool ixm_unchanged(struct ixm *m, struct ixm_queue *rq, const char *what,
		   uint32_t i);

/* ixgbe_model_rx.c, ixgbe_model_tx.c: the engines */
int ixm_rx_queue(struct ixm *m, unsigned int q, const uint8_t *frame,
		 uint32_t len, uint32_t hash, uint32_t type);
bool ixm_rxd_ok(struct ixm *m, struct ixm_queue *rq, uint32_t i);
bool ixm_txd_ok(struct ixm *m, struct ixm_queue *rq, uint32_t i);

/* ixgbe_model_rss.c */
int ixm_rss(const struct ixm *m, const uint8_t *frame, uint32_t len,
	    uint32_t *hash, uint32_t *type);
uint32_t ixm_toeplitz(const struct ixm *m, const uint8_t *in,
		      unsigned int n);

/* ixgbe_model_dma.c: the IOMMU the device reaches memory through */
void *ixm_dma_va(struct ixm *m, uint64_t dma, uint64_t len, bool to_device);
unsigned int ixm_dma_live(void);

/*
 * A broken rule: fails the running test, naming the rule; a port stops
 * printing after IXM_FAIL_PRINT, and counts the rest.
 */
#define IXM_FAIL_PRINT	8
#define ixm_fail(m, fmt, ...)						\
	do {								\
		if ((m)->errors++ < IXM_FAIL_PRINT)			\
			ix_test_fail(__FILE__, __LINE__,		\
				     "82599 model: " fmt, ##__VA_ARGS__); \
	} while (0)

#endif /* _IX_IXGBE_MODEL_H */
