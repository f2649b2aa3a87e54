// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp per-core network stack: lifetime, clock and drop accounting.
 */

#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "stack.h"

static bool stack_config_valid(const struct ixdp_stack_config *cfg)
{
	u32 addr = be32_to_cpu(cfg->addr);

	if (!is_valid_ether_addr(cfg->mac) || cfg->prefix_len > 32 || !cfg->hz)
		return false;
	/* A unicast address: not 0/8, 127/8, multicast or class E. */
	if (!addr || (addr >> 24) == 0 || (addr >> 24) == 127 ||
	    (addr >> 28) >= 0xe)
		return false;
	return !cfg->mtu || (cfg->mtu >= 68 && cfg->mtu <= ETH_DATA_LEN);
}

static __be32 stack_mask(u8 prefix_len)
{
	return cpu_to_be32(prefix_len ? ~0U << (32 - prefix_len) : 0);
}

/**
 * ixdp_stack_init() - bring up a core's stack
 * @s: the stack, not yet initialised
 * @cfg: its addresses and clock; copied
 * @ops: its device's operations; must outlive the stack
 * @pool: the buffers it makes packets in; must outlive the stack
 * @now: the current tick
 *
 * The stack sends nothing until it receives or is asked to; call
 * ixdp_arp_announce() to send a gratuitous ARP.
 *
 * Return: 0, or -EINVAL if @cfg is not a unicast MAC and IPv4 address with
 * a prefix of at most 32 bits, an MTU of 68 to 1500 (or 0), a non-zero
 * clock rate, and a gateway (if any) on the subnet.
 */
int ixdp_stack_init(struct ixdp_stack *s, const struct ixdp_stack_config *cfg,
		    const struct ixdp_stack_ops *ops, struct ixdp_pool *pool,
		    u64 now)
{
	if (!stack_config_valid(cfg) || !ops || !ops->xmit || !pool)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	if (!s->cfg.mtu)
		s->cfg.mtu = ETH_DATA_LEN;
	s->mask = stack_mask(cfg->prefix_len);
	if (cfg->gateway &&
	    ((cfg->gateway ^ cfg->addr) & s->mask || cfg->gateway == cfg->addr))
		return -EINVAL;
	s->ops = ops;
	s->pool = pool;
	s->now = now;
	ixdp_wheel_init(&s->wheel, now);
	ixdp_arp_init(s);
	ixdp_icmp_init(s);
	ixdp_punt_init(s);
	return 0;
}

/**
 * ixdp_stack_teardown() - stop a stack
 * @s: the stack
 *
 * Cancels its timers and puts back every buffer it holds.  UDP bindings
 * are forgotten.
 */
void ixdp_stack_teardown(struct ixdp_stack *s)
{
	ixdp_arp_teardown(s);
	memset(s->udp, 0, sizeof(s->udp));
	s->nudp = 0;
}

/**
 * ixdp_bucket_take() - take a token of a bucket, if one is left
 * @s: the stack, for its clock
 * @tb: the bucket
 * @rate: tokens a second it is refilled with
 * @burst: tokens it holds at most
 *
 * The bucket is refilled by the time since it last was (a second's worth
 * at most), as Linux's icmp_global_allow().
 *
 * Return: true if a token was taken.
 */
bool ixdp_bucket_take(const struct ixdp_stack *s, struct ixdp_bucket *tb,
		      u32 rate, u32 burst)
{
	u64 delta = min_t(u64, s->now - tb->stamp, s->cfg.hz);
	u64 incr = div_u64(delta * rate, s->cfg.hz);

	if (incr) {
		tb->tokens = min_t(u64, tb->tokens + incr, burst);
		tb->stamp = s->now;
	}
	if (!tb->tokens)
		return false;
	tb->tokens--;
	return true;
}

/**
 * ixdp_stack_drop() - count and put back a buffer the stack will not use
 * @s: the stack
 * @b: the buffer; NULL only counts
 * @why: the reason, counted in @s->stats.drops
 */
void ixdp_stack_drop(struct ixdp_stack *s, struct ixdp_buf *b,
		     enum ixdp_drop_reason why)
{
	if (why < IXDP_DROP_MAX)
		s->stats.drops[why]++;
	ixdp_buf_put(b);
}
