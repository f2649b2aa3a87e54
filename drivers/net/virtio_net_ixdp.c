// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_net queue ops for ixdp.
 *
 * A taken pair's virtqueues are driven with the plain virtqueue API from
 * the pair's dataplane CPU.  A received buffer is one descriptor and
 * starts with the virtio-net header.  A frame to send gets its header
 * written into the headroom in front of it (IXDP_DRV_HEADROOM); it is one
 * descriptor, or with frags (IXDP_DRV_F_SG) a chain, which the virtio core
 * may put in an indirect table it allocates, as for virtio_net's own
 * fragmented skbs.  Guest offloads but the checksum's are off while
 * ixdp owns pairs, so a frame never spans buffers; if one does anyway,
 * all of its buffers are returned as empty frames.  What the header says
 * of a received frame's checksum goes to the core.  Where the device
 * computes transmit checksums (VIRTIO_NET_F_CSUM), the header asks it to
 * for a frame that gives @csum_start.
 *
 * The device is given kernel virtual addresses: a device behind an IOMMU
 * (VIRTIO_F_ACCESS_PLATFORM) is refused at take time.
 */

#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <net/ixdp_drv.h>

#include "virtio_net_ixdp.h"

struct vnix_queue {
	struct virtnet_ixdp_pair	pair;
	struct virtio_device		*vdev;
	/* Buffers still to skip of a frame that spanned several. */
	unsigned int			skip;
};

static void vnix_notify(void *arg)
{
	struct ixdp_drv_queue *q = arg;

	q->notify(q);
}

/* Linux sends on the pair: the core sends it, if it takes Linux's. */
static netdev_tx_t vnix_xmit(void *arg, struct sk_buff *skb)
{
	struct ixdp_drv_queue *q = arg;

	if (q->xmit_linux)
		return q->xmit_linux(q, skb);
	dev_core_stats_tx_dropped_inc(q->dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Give found a buffer of ours still in a virtqueue. */
static void vnix_recycle_rx(void *arg, void *buf)
{
	struct ixdp_drv_queue *q = arg;

	q->release_rx(q, buf);
}

static void vnix_recycle_tx(void *arg, void *buf)
{
	struct ixdp_drv_queue *q = arg;

	q->release_tx(q, buf);
}

static int vnix_take(struct ixdp_drv_queue *q)
{
	struct vnix_queue *vq;
	int err;

	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	if (!vq)
		return -ENOMEM;
	vq->pair.notify = vnix_notify;
	vq->pair.xmit = vnix_xmit;
	vq->pair.recycle_rx = vnix_recycle_rx;
	vq->pair.recycle_tx = vnix_recycle_tx;
	vq->pair.arg = q;
	err = virtnet_ixdp_take(q->dev, q->qid, &vq->pair);
	if (err) {
		kfree(vq);
		return err;
	}
	if (vq->pair.hdr_len > IXDP_DRV_HEADROOM) {
		virtnet_ixdp_give(q->dev, q->qid);
		kfree(vq);
		return -EOPNOTSUPP;
	}
	/* virtio_net's netdev is a child of its virtio device. */
	vq->vdev = dev_to_virtio(q->dev->dev.parent);
	/* Any descriptor chain is a frame: pieces are always fine. */
	q->features |= IXDP_DRV_F_SG;
	if (virtio_has_feature(vq->vdev, VIRTIO_NET_F_CSUM))
		q->features |= IXDP_DRV_F_TX_CSUM;
	q->priv = vq;
	return 0;
}

static void vnix_give(struct ixdp_drv_queue *q)
{
	ASSERT_RTNL();
	virtnet_ixdp_give(q->dev, q->qid);
	kfree(q->priv);
	q->priv = NULL;
}

/* Kick @v if the host wants a notification, and count the one sent. */
static void vnix_kick(struct ixdp_drv_queue *q, struct virtqueue *v)
{
	if (virtqueue_kick_prepare(v) && virtqueue_notify(v))
		q->doorbells++;
}

/*
 * Set @sg to @len bytes at @buf, a fresh entry: what sg_init_one() does
 * for the first entry of a list, but cleared by an assignment of known
 * size, which the compiler writes as a few stores.  sg_init_table() and
 * the header's clear were memset() calls, two or three per frame, each
 * dozens of instructions in a guest without fast string stores: about
 * 100 of the 4,050 guest instructions of an echo request.
 */
static void vnix_sg_buf(struct scatterlist *sg, void *buf, unsigned int len)
{
	*sg = (struct scatterlist){};
	sg_set_buf(sg, buf, len);
}

/* The same for a page fragment: a payload frag of a frame sent. */
static void vnix_sg_page(struct scatterlist *sg, const struct ixdp_drv_frag *fr)
{
	*sg = (struct scatterlist){};
	sg_set_page(sg, fr->page, fr->len, fr->off);
}

static unsigned int vnix_rx_post(struct ixdp_drv_queue *q,
				 struct ixdp_drv_frame *f, unsigned int n)
{
	struct vnix_queue *vq = q->priv;
	struct scatterlist sg;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vnix_sg_buf(&sg, f[i].addr, f[i].len);
		sg_mark_end(&sg);
		if (virtqueue_add_inbuf(vq->pair.rx, &sg, 1, f[i].addr,
					GFP_ATOMIC))
			break;
	}
	if (i)
		vnix_kick(q, vq->pair.rx);
	return i;
}

/* Frame length of a received buffer, or 0 if it is not a whole frame. */
static u32 vnix_rx_len(struct vnix_queue *vq, void *buf, u32 len)
{
	struct virtio_net_hdr_mrg_rxbuf *hdr = buf;
	u16 nbufs;

	if (vq->skip) {
		vq->skip--;
		return 0;
	}
	if (len < vq->pair.hdr_len)
		return 0;
	if (vq->pair.mergeable) {
		nbufs = le16_to_cpu((__force __le16)hdr->num_buffers);
		if (nbufs > 1) {
			vq->skip = nbufs - 1;
			return 0;
		}
	}
	return len - vq->pair.hdr_len;
}

/*
 * What the header says of the frame's checksum (VIRTIO_NET_F_GUEST_CSUM,
 * which virtio_net keeps on while ixdp owns pairs): as virtio_net makes
 * of it CHECKSUM_PARTIAL or CHECKSUM_UNNECESSARY.
 */
static u16 vnix_rx_csum(struct vnix_queue *vq, void *buf,
			struct ixdp_drv_frame *f)
{
	const struct virtio_net_hdr *hdr = buf;

	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		f->csum_start = virtio16_to_cpu(vq->vdev, hdr->csum_start);
		f->csum_off = virtio16_to_cpu(vq->vdev, hdr->csum_offset);
		return IXDP_DRV_RX_CSUM_PARTIAL;
	}
	return hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID ?
	       IXDP_DRV_RX_CSUM_OK : 0;
}

static unsigned int vnix_rx_burst(struct ixdp_drv_queue *q,
				  struct ixdp_drv_frame *f, unsigned int max)
{
	struct vnix_queue *vq = q->priv;
	unsigned int i, len;
	void *buf;

	for (i = 0; i < max; i++) {
		buf = virtqueue_get_buf(vq->pair.rx, &len);
		if (!buf)
			break;
		f[i].addr = buf;
		f[i].off = vq->pair.hdr_len;
		f[i].len = vnix_rx_len(vq, buf, len);
		f[i].rx_csum = f[i].len ? vnix_rx_csum(vq, buf, &f[i]) : 0;
	}
	return i;
}

/* The virtio-net header in front of a frame to send. */
static void vnix_tx_hdr(struct vnix_queue *vq, const struct ixdp_drv_frame *f)
{
	struct virtio_net_hdr *hdr = f->addr - vq->pair.hdr_len;

	/* The usual length, cleared by stores (see vnix_sg_buf()). */
	if (likely(vq->pair.hdr_len == sizeof(struct virtio_net_hdr_mrg_rxbuf)))
		*(struct virtio_net_hdr_mrg_rxbuf *)hdr =
			(struct virtio_net_hdr_mrg_rxbuf){};
	else
		memset(hdr, 0, vq->pair.hdr_len);
	if (!f->csum_start)
		return;
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->csum_start = cpu_to_virtio16(vq->vdev, f->csum_start);
	hdr->csum_offset = cpu_to_virtio16(vq->vdev, f->csum_off);
}

static unsigned int vnix_tx_burst(struct ixdp_drv_queue *q,
				  struct ixdp_drv_frame *f, unsigned int n)
{
	struct scatterlist sg[1 + IXDP_DRV_FRAGS];
	struct vnix_queue *vq = q->priv;
	unsigned int i, k, hl = vq->pair.hdr_len;

	for (i = 0; i < n; i++) {
		vnix_tx_hdr(vq, &f[i]);
		vnix_sg_buf(&sg[0], f[i].addr - hl, f[i].len + hl);
		for (k = 0; k < f[i].nfrags; k++)
			vnix_sg_page(&sg[1 + k], &f[i].frags[k]);
		sg_mark_end(&sg[f[i].nfrags]);
		if (virtqueue_add_outbuf(vq->pair.tx, sg, 1 + f[i].nfrags,
					 f[i].token, GFP_ATOMIC))
			break;
	}
	if (i)
		vnix_kick(q, vq->pair.tx);
	return i;
}

static unsigned int vnix_tx_reclaim(struct ixdp_drv_queue *q, void **tokens,
				    unsigned int max)
{
	struct vnix_queue *vq = q->priv;
	unsigned int i, len;

	for (i = 0; i < max; i++) {
		tokens[i] = virtqueue_get_buf(vq->pair.tx, &len);
		if (!tokens[i])
			break;
	}
	return i;
}

/* The receive interrupt calls vnix_notify() through the driver. */
static bool vnix_irq_arm(struct ixdp_drv_queue *q)
{
	struct vnix_queue *vq = q->priv;

	return virtqueue_enable_cb(vq->pair.rx);
}

static void vnix_irq_disarm(struct ixdp_drv_queue *q)
{
	struct vnix_queue *vq = q->priv;

	virtqueue_disable_cb(vq->pair.rx);
}

static void vnix_count_linux(struct ixdp_drv_queue *q, bool tx,
			     unsigned int packets, u64 bytes)
{
	virtnet_ixdp_count(q->dev, q->qid, tx, packets, bytes);
}

static const struct ixdp_drv_ops vnix_ops = {
	.queue_take	= vnix_take,
	.queue_give	= vnix_give,
	.rx_post	= vnix_rx_post,
	.rx_burst	= vnix_rx_burst,
	.tx_burst	= vnix_tx_burst,
	.tx_reclaim	= vnix_tx_reclaim,
	.irq_arm	= vnix_irq_arm,
	.irq_disarm	= vnix_irq_disarm,
	.count_linux	= vnix_count_linux,
};

static int __init vnix_init(void)
{
	return ixdp_drv_register(virtnet_ixdp_netdev_ops(), &vnix_ops);
}
module_init(vnix_init);

static void __exit vnix_exit(void)
{
	ixdp_drv_unregister(virtnet_ixdp_netdev_ops());
}
module_exit(vnix_exit);

MODULE_DESCRIPTION("virtio_net queue ops for the ixdp dataplane");
MODULE_LICENSE("GPL");
