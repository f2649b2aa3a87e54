// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp intake: the dataplane's frames that reached one of Linux's queues.
 *
 * Attached with a subset of its queue pairs, a device keeps the others
 * under Linux.  Where the device, not ixdp, picks the queue (virtio_net:
 * the host follows the guest's transmit queue of a flow, and hashes the
 * flows it has not seen yet), some of the dataplane's frames arrive on
 * Linux's queues: the first segments of a flow, ARP about the dataplane's
 * address.  Linux would drop them (the address is not its own), so while
 * such a device is attached an rx_handler takes them: IPv4 to the
 * dataplane's address and ARP whose target is that address, nothing else.
 * It queues each, resolved to plain frames (GRO undone), in the ring of
 * the core the flow hashes to and wakes it; the core copies at most a
 * batch a poll into buffers of its pool and receives them as its own.  A
 * connection that lives on another core is found there by the handoff.
 *
 * The rest of Linux's traffic passes untouched.  The complement holds the
 * other way (punt.c hands Linux only what the core would not take), and
 * a frame a core punted carries the core's queue as its receive queue,
 * which the rx_handler never takes: no frame goes round.  The rx_handler
 * slot is the device's only one: a device under a bridge, bond, team,
 * macvlan or net_failover cannot be split this way.  A full ring drops
 * (intake_dropped), as a full device ring would.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "dp.h"

/* An Ethernet/IPv4 ARP packet, as far as its target's address. */
struct intake_arp {
	struct arphdr	hdr;
	u8		sha[ETH_ALEN];
	u8		sip[4];
	u8		tha[ETH_ALEN];
	u8		tip[4];
} __packed;

/*
 * Whether the frame at @skb is the dataplane's, by what the core itself
 * would take (eth.c): IPv4 to its address, to its MAC; ARP whose target
 * is its address, to its MAC or broadcast.  Read in place, without
 * pulling: the skb may be shared, and Linux keeps what is not ours.
 */
static bool intake_ours(const struct ixdp_dev *idev, const struct sk_buff *skb)
{
	const struct intake_arp *arp;
	const struct iphdr *iph;
	struct intake_arp _arp;
	struct iphdr _iph;

	if (skb_vlan_tag_present(skb) || skb->mac_len != ETH_HLEN)
		return false;
	/* What a core punted: one of the dataplane's queues is recorded. */
	if (skb_rx_queue_recorded(skb) &&
	    test_bit(skb_get_rx_queue(skb), idev->queues))
		return false;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (skb->pkt_type != PACKET_HOST)
			return false;
		iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
		return iph && iph->daddr == idev->addr;
	case htons(ETH_P_ARP):
		if (skb->pkt_type != PACKET_HOST &&
		    skb->pkt_type != PACKET_BROADCAST)
			return false;
		arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
		return arp && arp->hdr.ar_hrd == htons(ARPHRD_ETHER) &&
		       arp->hdr.ar_pro == htons(ETH_P_IP) &&
		       arp->hdr.ar_hln == ETH_ALEN && arp->hdr.ar_pln == 4 &&
		       !memcmp(arp->tip, &idev->addr, 4);
	default:
		return false;
	}
}

static rx_handler_result_t ixdp_intake_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ixdp_dev *idev = rcu_dereference(skb->dev->rx_handler_data);
	struct ixdp_core *core;

	if (!intake_ours(idev, skb))
		return RX_HANDLER_PASS;
	core = idev->cores[reciprocal_scale(skb_get_hash(skb), idev->ncores)];
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		atomic64_inc(&core->intake_dropped);
		return RX_HANDLER_CONSUMED;
	}
	/* The core receives frames from their Ethernet header. */
	__skb_push(skb, ETH_HLEN);
	ixdp_slow_enqueue(skb, &core->intake, &core->intake_dropped);
	ixdp_core_wake(core);
	return RX_HANDLER_CONSUMED;
}

/**
 * ixdp_intake_start() - take the dataplane's frames from Linux's queues
 * @idev: a device whose cores run, attached with a subset of its queues
 *
 * Called with RTNL held.
 *
 * Return: 0, or -EBUSY if another rx_handler holds the device.
 */
int ixdp_intake_start(struct ixdp_dev *idev)
{
	int err;

	ASSERT_RTNL();
	err = netdev_rx_handler_register(idev->dev, ixdp_intake_rx, idev);
	if (!err)
		idev->intake = true;
	return err;
}

/**
 * ixdp_intake_stop() - stop taking frames, before the cores go
 * @idev: the device
 *
 * Called with RTNL held.  Once it returns, no handler runs (the
 * unregister waits for them) and none queues a frame any more.
 */
void ixdp_intake_stop(struct ixdp_dev *idev)
{
	ASSERT_RTNL();
	if (!idev->intake)
		return;
	netdev_rx_handler_unregister(idev->dev);
	idev->intake = false;
}

/**
 * ixdp_intake_poll() - receive what Linux's queues got for @core
 * @core: the core, on its thread
 * @budget: frames to take at most
 *
 * Return: the frames received.
 */
unsigned int ixdp_intake_poll(struct ixdp_core *core, unsigned int budget)
{
	struct sk_buff *skb;
	struct ixdp_buf *b;
	unsigned int n = 0;

	core->stats.intake_dropped = atomic64_read(&core->intake_dropped);
	while (n < budget && (skb = ptr_ring_consume(&core->intake))) {
		n++;
		b = ixdp_buf_get(&core->pool);
		if (!b || skb->len > IXDP_BUF_SIZE - IXDP_BUF_RX_OFFSET) {
			ixdp_buf_put(b);
			atomic64_inc(&core->intake_dropped);
			kfree_skb(skb);
			continue;
		}
		ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
		skb_copy_bits(skb, 0, ixdp_buf_put_tail(b, skb->len), skb->len);
		core->stats.intake_packets++;
		core->stats.intake_bytes += skb->len;
		consume_skb(skb);
		ixdp_eth_rx(&core->stack, b);
	}
	return n;
}

/**
 * ixdp_intake_pending() - whether frames from Linux's queues wait
 * @core: the core
 *
 * Return: true if its intake ring holds some.
 */
bool ixdp_intake_pending(struct ixdp_core *core)
{
	return !ptr_ring_empty(&core->intake);
}
