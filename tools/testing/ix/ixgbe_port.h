/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A modelled 82599 port for the host harness: the model (ixgbe_model.h),
 * the ixgbe adapter, rings and netdev that ixgbe_ixdp.c works on, and
 * the ixdp queues it hands out.  Tests drive the real queue ops through
 * ixp_ops.
 */
#ifndef _IX_IXGBE_PORT_H
#define _IX_IXGBE_PORT_H

#include <net/ixdp_drv.h>

#include "ixgbe.h"
#include "ixgbe_model.h"

struct ixp {
	struct ixm		m;
	struct net_device	dev;
	struct netdev_queue	txq[IXM_QUEUES];
	struct ixgbe_adapter	ad;
	struct ixgbe_ring	rx[IXM_QUEUES];
	struct ixgbe_ring	tx[IXM_QUEUES];
	struct ixgbe_q_vector	qv[IXM_QUEUES];
	u32			key[IXGBE_RSS_KEY_SIZE / 4];
	DECLARE_BITMAP(zc_qps, MAX_RX_QUEUES);		/* AF_XDP's */
	struct ixdp_drv_queue	dq[IXM_QUEUES];
	void			*core[IXM_QUEUES];	/* ixgbe_core.h */
	bool			drop_en;
	unsigned int		nq;
};

/* The ops ixgbe_ixdp_init() registered. */
extern const struct ixdp_drv_ops *ixp_ops;
extern int ix_rcu_depth;
extern unsigned int ix_netdev_warnings;

/*
 * A port with @nq queue pairs of @count descriptors, up, RSS programmed
 * as ixgbe does (key, table spreading over the queues, TCP/IPv4 and IPv4
 * hashing); NULL on failure.
 */
struct ixp *ixp_new(unsigned int nq, unsigned int count, bool drop_en);
void ixp_free(struct ixp *p);
/* queue_take / queue_give of pair @q, under RTNL. */
int ixp_take(struct ixp *p, unsigned int q,
	     void (*release_rx)(struct ixdp_drv_queue *, void *),
	     void (*release_tx)(struct ixdp_drv_queue *, void *));
void ixp_give(struct ixp *p, unsigned int q);
/*
 * pool_map of pair @q, under RTNL, if the driver has it: @len bytes at
 * @mem (page aligned) as chunks of a power of two pages, in no order, as
 * a core's pool comes; 0 or -errno.
 */
int ixp_pool_map(struct ixp *p, unsigned int q, void *mem, size_t len);
/* The port of a queue ixp_take() handed out. */
struct ixp *ixp_of(struct ixdp_drv_queue *dq);

#endif /* _IX_IXGBE_PORT_H */
