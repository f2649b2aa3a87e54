/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * DOC: Driver interface
 *
 * How a NIC driver hands RX/TX queue pairs to the dataplane and takes
 * them back.  The core runs the sequence (take, post RX buffers, receive,
 * transmit, reclaim, give back, and optionally arm and disarm the receive
 * interrupt); the driver supplies each step through a const
 * &struct ixdp_drv_ops, registered for its net_device_ops with
 * ixdp_drv_register().  Taking a pair reports what it offers in
 * &struct ixdp_drv_queue.features.
 *
 * Buffers stay the core's.  A receive buffer is known by its address: the
 * driver returns the address it was posted with.  A frame to send carries
 * an opaque token that the driver returns when the device is done.
 */
#ifndef _NET_IXDP_DRV_H
#define _NET_IXDP_DRV_H

#include <linux/netdevice.h>
#include <linux/types.h>

/* Writable bytes every frame given to tx_burst() has in front of @addr. */
#define IXDP_DRV_HEADROOM	64

/* What a taken queue pair can do, in &struct ixdp_drv_queue.features. */
#define IXDP_DRV_F_TX_CSUM	0x1	/* @tx_burst honours @csum_start */
#define IXDP_DRV_F_SG		0x2	/* @tx_burst takes frames with @frags */

/* What a received frame's checksum is, in &struct ixdp_drv_frame.rx_csum. */
#define IXDP_DRV_RX_CSUM_OK	0x1	/* the device verified TCP's or UDP's */
#define IXDP_DRV_RX_CSUM_PARTIAL 0x2	/* the sender left it to complete */

/* Most frags a frame to send has. */
#define IXDP_DRV_FRAGS		8

/* Receive hashing as @rss_get reports it. */
#define IXDP_DRV_RSS_KEY	40	/* bytes of the Toeplitz key */
#define IXDP_DRV_RSS_MAX	512	/* entries of the indirection table */

/**
 * struct ixdp_drv_frag - a piece of a frame to send, after its first
 * @page: the page; the core holds a reference until the frame's token
 *	comes back from @tx_reclaim or @release_tx
 * @off: where the piece starts in it
 * @len: its length; a piece never crosses the end of @page
 */
struct ixdp_drv_frag {
	struct page	*page;
	u32		off;
	u32		len;
};

/**
 * struct ixdp_drv_queue - a queue pair as the core and the driver share it
 * @dev: the netdev
 * @qid: the index of the RX/TX pair
 * @release_rx: set by the core: take back a posted receive buffer, by
 *	the address it was posted with (called from @queue_give)
 * @release_tx: set by the core: take back a frame queued for sending, by
 *	its token (called from @queue_give)
 * @notify: set by the core: a frame arrived while the interrupt was armed
 *	(called from the driver's interrupt handler)
 * @xmit_linux: set by the core: Linux's stack sends @skb on the pair
 *	while the core owns it.  A driver calls it from its ndo_start_xmit
 *	for an owned pair, with that transmit queue locked, instead of
 *	touching the pair; it takes @skb and returns NETDEV_TX_OK.  A
 *	driver that does not keeps the pair's transmit queue stopped.
 * @priv: the driver's, set by @queue_take
 * @doorbells: the notifications the driver sent the device (a virtqueue
 *	kick that notified the host, a write of a tail register), counted
 *	by the driver on the core's CPU as it posts and sends.  Read by the
 *	core's counters (queue<N>/doorbells).
 * @features: set by @queue_take: the IXDP_DRV_F_* bits the pair offers.
 *	%IXDP_DRV_F_TX_CSUM: the device completes transmit checksums
 *	(&struct ixdp_drv_frame.csum_start; virtio_net with
 *	VIRTIO_NET_F_CSUM).  %IXDP_DRV_F_SG: it takes frames in pieces
 *	(&struct ixdp_drv_frame.frags; virtio_net)
 */
struct ixdp_drv_queue {
	struct net_device	*dev;
	u16			qid;
	u32			features;
	void			(*release_rx)(struct ixdp_drv_queue *q, void *addr);
	void			(*release_tx)(struct ixdp_drv_queue *q, void *token);
	void			(*notify)(struct ixdp_drv_queue *q);
	netdev_tx_t		(*xmit_linux)(struct ixdp_drv_queue *q,
					      struct sk_buff *skb);
	void			*priv;
	u64			doorbells;
};

/**
 * struct ixdp_drv_frame - one buffer crossing the interface
 * @addr: kernel virtual address of the buffer (post, receive) or of the
 *	frame (transmit)
 * @len: its length; on receive, the length of the frame, 0 if the
 *	buffer holds no whole frame; on transmit, the bytes at @addr, which
 *	@frags continue
 * @off: on receive, where the frame starts, from @addr
 * @token: on transmit, the core's handle, returned by @tx_reclaim
 * @csum_start: on transmit, 0, or (only with IXDP_DRV_F_TX_CSUM) where
 *	the device starts a ones' complement sum that runs to the end of
 *	the frame, from @addr; the field it then completes is 16 bits at
 *	@csum_start + @csum_off, and holds the pseudo-header sum.  On
 *	receive, with %IXDP_DRV_RX_CSUM_PARTIAL, the same from the frame's
 *	start (@addr + @off)
 * @csum_off: see @csum_start
 * @nfrags: on transmit, entries of @frags (only with IXDP_DRV_F_SG)
 * @rx_csum: on receive, set by every @rx_burst: 0 (nothing known: the
 *	core verifies in software), %IXDP_DRV_RX_CSUM_OK (the device
 *	verified the TCP or UDP checksum, as CHECKSUM_UNNECESSARY says to
 *	Linux), or %IXDP_DRV_RX_CSUM_PARTIAL (the frame comes from a sender
 *	on the same host, which left the checksum to be completed, as
 *	CHECKSUM_PARTIAL: @csum_start and @csum_off say where; the core
 *	trusts it as Linux does, and completes it for Linux)
 * @frags: on transmit, the rest of the frame, in order
 */
struct ixdp_drv_frame {
	void				*addr;
	u32				len;
	u32				off;
	void				*token;
	u16				csum_start;
	u16				csum_off;
	u16				nfrags;
	u16				rx_csum;
	const struct ixdp_drv_frag	*frags;
};

/**
 * struct ixdp_drv_ops - what a driver supplies
 * @queue_take: stop the Linux stack's use of pair @q->qid, empty its rings
 *	and mark it owned, so that AF_XDP, XDP, channel and ring changes are
 *	refused while it is; set @q->features.  Sleeps; called with RTNL
 *	held.  Returns 0 or -errno with the pair untouched.
 * @queue_give: release every buffer still posted or queued (through
 *	@q->release_rx and @q->release_tx) once the device no longer
 *	reaches them, undo @pool_map, then give the pair back to the Linux
 *	stack as it was.  Sleeps; called with RTNL held.
 * @rx_post: post up to @n receive buffers; returns how many were posted.
 *	Called from the pair's dataplane CPU only, as are the three below.
 * @rx_burst: take up to @max received buffers, filling @addr, @off and
 *	@len; returns how many.
 * @tx_burst: queue up to @n frames for transmission and notify the
 *	device; returns how many were queued.
 * @tx_reclaim: collect up to @max tokens of transmitted frames.
 * @pool_map: optional: the memory every buffer will come from, @n
 *	chunks of PAGE_SIZE << @orders[i] bytes at @chunks[i], so that the
 *	driver maps it for the device once, as AF_XDP's xsk_pool_dma_map()
 *	does, and per buffer only syncs.  Called once, after @queue_take
 *	and before the first @rx_post; every receive buffer posted and the
 *	bytes at &struct ixdp_drv_frame.addr of every frame sent then lie
 *	in one chunk.  Frags (%IXDP_DRV_F_SG) need not: they may be an
 *	application's pages, so a driver offering them maps each one that
 *	is not in a chunk per frame.  @queue_give undoes the mapping, after
 *	the device stopped and the buffers went back.  Sleeps; called with
 *	RTNL held.  Returns 0 or -errno, with nothing mapped; the core then
 *	gives the pair back.  Without it buffers come unannounced
 *	(virtio_net takes virtual addresses).  ixgbe has it.
 * @irq_arm: optional: let the next received frame interrupt and call
 *	@q->notify once; returns false if frames are already waiting (then
 *	poll instead of sleeping, and disarm).
 * @irq_disarm: optional, with @irq_arm: no interrupt; back to polling.
 * @rss_get: optional: how the device spreads TCP/IPv4 flows over its
 *	queues, if by a Toeplitz hash over source address, destination
 *	address, source port and destination port whose low bits index an
 *	indirection table.  Fills @key (IXDP_DRV_RSS_KEY bytes) and the
 *	queue of each entry in @indir, at most @max; returns the number of
 *	entries, a power of two, or -errno.  Without it the core takes the
 *	device to steer a flow to the queue that last sent for it, as a
 *	multi-queue tap does.  Called with RTNL held.  ixgbe has it.
 * @rss_set: optional, with @rss_get: point the indirection table's
 *	entries at the queues in @indir, @n of them, as many as @rss_get
 *	reports; the key stays.  Each entry moves a flow group: the flows
 *	whose hash indexes it reach the new queue from the next frame on.
 *	Returns 0, or -errno with the table unchanged: -EINVAL for another
 *	@n or a queue the device does not hash to, -EOPNOTSUPP where
 *	@rss_get would fail.  Called with RTNL held.  ixgbe has it.
 * @count_linux: optional: add @packets frames of @bytes in all to the
 *	pair's own counters of frames received (@tx false) or sent (@tx
 *	true), for Linux's frames it carried while owned: those the core
 *	handed to Linux, those it sent for Linux.  The device's statistics
 *	(ip -s link) then count what Linux saw.  For each direction, one
 *	thread at a time calls it, and none once @queue_give began.
 */
struct ixdp_drv_ops {
	int		(*queue_take)(struct ixdp_drv_queue *q);
	void		(*queue_give)(struct ixdp_drv_queue *q);
	unsigned int	(*rx_post)(struct ixdp_drv_queue *q,
				   struct ixdp_drv_frame *f, unsigned int n);
	unsigned int	(*rx_burst)(struct ixdp_drv_queue *q,
				    struct ixdp_drv_frame *f, unsigned int max);
	unsigned int	(*tx_burst)(struct ixdp_drv_queue *q,
				    struct ixdp_drv_frame *f, unsigned int n);
	unsigned int	(*tx_reclaim)(struct ixdp_drv_queue *q, void **tokens,
				      unsigned int max);
	int		(*pool_map)(struct ixdp_drv_queue *q,
				    struct page *const *chunks,
				    const u8 *orders, unsigned int n);
	bool		(*irq_arm)(struct ixdp_drv_queue *q);
	void		(*irq_disarm)(struct ixdp_drv_queue *q);
	int		(*rss_get)(struct net_device *dev, u8 *key, u16 *indir,
				   unsigned int max);
	int		(*rss_set)(struct net_device *dev, const u16 *indir,
				   unsigned int n);
	void		(*count_linux)(struct ixdp_drv_queue *q, bool tx,
				       unsigned int packets, u64 bytes);
};

#if IS_ENABLED(CONFIG_IXDP)
int ixdp_drv_register(const struct net_device_ops *ndo,
		      const struct ixdp_drv_ops *ops);
void ixdp_drv_unregister(const struct net_device_ops *ndo);
#else
static inline int ixdp_drv_register(const struct net_device_ops *ndo,
				    const struct ixdp_drv_ops *ops)
{
	return 0;
}

static inline void ixdp_drv_unregister(const struct net_device_ops *ndo)
{
}
#endif

#endif /* _NET_IXDP_DRV_H */
