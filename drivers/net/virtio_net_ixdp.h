/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What virtio_net exports for its ixdp queue ops (virtio_net_ixdp.c).
 */
#ifndef _VIRTIO_NET_IXDP_H
#define _VIRTIO_NET_IXDP_H

#include <linux/netdevice.h>
#include <linux/virtio.h>

/**
 * struct virtnet_ixdp_pair - a queue pair handed to ixdp
 * @rx: its receive virtqueue, empty, callbacks disabled
 * @tx: its send virtqueue, empty, callbacks disabled
 * @hdr_len: bytes of virtio-net header in front of every frame
 * @mergeable: received frames carry num_buffers (VIRTIO_NET_F_MRG_RXBUF)
 * @notify: the caller's: called from the receive interrupt, once callbacks
 *	are enabled on @rx
 * @xmit: the caller's: what start_xmit gets for the pair while it is
 *	owned, called with its transmit queue locked; takes the skb
 * @recycle_rx: the caller's: gets each buffer still in @rx at give
 * @recycle_tx: the caller's: gets each buffer still in @tx at give
 * @arg: the argument of all four
 */
struct virtnet_ixdp_pair {
	struct virtqueue	*rx;
	struct virtqueue	*tx;
	unsigned int		hdr_len;
	bool			mergeable;
	void			(*notify)(void *arg);
	netdev_tx_t		(*xmit)(void *arg, struct sk_buff *skb);
	void			(*recycle_rx)(void *arg, void *buf);
	void			(*recycle_tx)(void *arg, void *buf);
	void			*arg;
};

int virtnet_ixdp_take(struct net_device *dev, u16 qid,
		      struct virtnet_ixdp_pair *p);
void virtnet_ixdp_give(struct net_device *dev, u16 qid);
void virtnet_ixdp_count(struct net_device *dev, u16 qid, bool tx,
			unsigned int packets, u64 bytes);
const struct net_device_ops *virtnet_ixdp_netdev_ops(void);

#endif /* _VIRTIO_NET_IXDP_H */
