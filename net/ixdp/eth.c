// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp Ethernet: receive dispatch and the transmit helper.
 */

#include <linux/errno.h>
#include <linux/etherdevice.h>

#include "stack.h"

/**
 * ixdp_eth_rx() - receive one Ethernet frame
 * @s: the stack of the receiving core
 * @b: the frame, consumed.  Its data should start IXDP_BUF_RX_OFFSET into
 *	the room (2 mod 4), so that the IPv4 header is aligned.
 *
 * Frames to our MAC or to broadcast carrying ARP or IPv4 go up the stack;
 * multicast and other EtherTypes are the host's (ixdp_punt()); frames to
 * another unicast MAC are dropped and counted.
 */
void ixdp_eth_rx(struct ixdp_stack *s, struct ixdp_buf *b)
{
	const struct ethhdr *eth = ixdp_buf_data(b);

	s->stats.rx_frames++;
	if (b->len < ETH_HLEN) {
		ixdp_stack_drop(s, b, IXDP_DROP_ETH_SHORT);
		return;
	}
	if (!ether_addr_equal(eth->h_dest, s->cfg.mac) &&
	    !is_broadcast_ether_addr(eth->h_dest)) {
		if (is_multicast_ether_addr(eth->h_dest))
			ixdp_punt(s, b, IXDP_DROP_ETH_NOT_US);
		else
			ixdp_stack_drop(s, b, IXDP_DROP_ETH_NOT_US);
		return;
	}

	switch (be16_to_cpu(eth->h_proto)) {
	case ETH_P_ARP:
		ixdp_buf_pull(b, ETH_HLEN);
		ixdp_arp_rx(s, b);
		break;
	case ETH_P_IP:
		ixdp_buf_pull(b, ETH_HLEN);
		ixdp_ip_rx(s, b);
		break;
	default:
		ixdp_punt(s, b, IXDP_DROP_ETH_PROTO);
		break;
	}
}

/**
 * ixdp_eth_output() - prepend an Ethernet header and transmit
 * @s: the stack
 * @b: the packet, consumed
 * @dst: the destination MAC
 * @proto: the EtherType
 *
 * Return: 0, -ENOBUFS if @b lacks the headroom, or ops->xmit()'s error.
 */
int ixdp_eth_output(struct ixdp_stack *s, struct ixdp_buf *b, const u8 *dst,
		    __be16 proto)
{
	struct ethhdr *eth = ixdp_buf_push(b, ETH_HLEN);

	if (!eth) {
		ixdp_stack_drop(s, b, IXDP_DROP_NO_ROOM);
		return -ENOBUFS;
	}
	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, s->cfg.mac);
	eth->h_proto = proto;
	return ixdp_eth_xmit(s, b);
}

