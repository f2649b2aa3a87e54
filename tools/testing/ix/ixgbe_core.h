/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dataplane's side of one modelled ixgbe queue pair, as net/ixdp's
 * loop.c drives it: a pool of receive buffers posted through rx_post and
 * taken back through rx_burst, frames sent through tx_burst with their
 * tokens back from tx_reclaim, and frames built for the wire.
 */
#ifndef _IX_IXGBE_CORE_H
#define _IX_IXGBE_CORE_H

#include "ixgbe_port.h"

#define IXC_BUFS	256
/* What loop.c posts: a buffer less its headroom. */
#define IXC_BUF_LEN	(2048 - 128)
/* The buffers' memory: page aligned, one chunk mapped by pool_map. */
#define IXC_MEM		(512 * 1024)

struct ixc {
	struct ixp	*p;
	unsigned int	q;
	uint8_t		(*mem)[IXC_BUF_LEN];
	bool		held[IXC_BUFS];	/* by the driver */
	unsigned int	next;
	unsigned int	released_rx;
	unsigned int	released_tx;
};

/* Take pair @q of @p for @c and map its buffers; 0 or -errno. */
int ixc_take(struct ixc *c, struct ixp *p, unsigned int q);
/* Give it back and free the buffers. */
void ixc_give(struct ixc *c);
/* Post up to @n free buffers; returns how many the driver took. */
unsigned int ixc_post(struct ixc *c, unsigned int n);
/* rx_burst: up to @max frames into @f, their buffers free again. */
unsigned int ixc_burst(struct ixc *c, struct ixdp_drv_frame *f,
		       unsigned int max);
/* The index of the buffer at @addr, or -1. */
int ixc_buf(const struct ixc *c, const void *addr);

/* A TCP/IPv4 frame of @len bytes; its payload follows from @seed. */
void ixc_frame(uint8_t *f, uint32_t len, uint32_t saddr, uint32_t daddr,
	       uint16_t sport, uint16_t dport, uint32_t seed);

/* Where ixc_landed()'s frames go: 198.18.0.2, port 80. */
#define IXC_DADDR	0xc6120002
#define IXC_DPORT	80
/* Take the four pairs of @p into @c[0..3], 8 buffers posted on each. */
bool ixc_take_four(struct ixp *p, struct ixc *c);
/*
 * The pair of @c's four that a frame from @saddr:@sport (frame @id) to
 * IXC_DADDR:IXC_DPORT lands on; -1 if none or several.
 */
int ixc_landed(struct ixp *p, struct ixc *c, uint32_t saddr, uint16_t sport,
	       uint32_t id);

#endif /* _IX_IXGBE_CORE_H */
