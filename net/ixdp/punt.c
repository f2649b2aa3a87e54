// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp slow path: the frames of the host's own stack.
 *
 * A device attached to the dataplane still carries the host's own
 * traffic: its Linux address, ARP about other addresses, IPv6, other
 * EtherTypes, IPv4 broadcast and multicast, Ethernet multicast.  Where
 * the stack would drop such a frame as not its own, it hands it to the
 * device's ops->punt, which passes it to the host's stack (for the
 * kernel, slow.c); a device without one drops it as before.
 *
 * A flood aimed at the host must not cost a core more than a bounded
 * share of its time, so a token bucket per core admits punt_rate frames
 * a second, a tenth of a second's worth at once; the rest is dropped,
 * counted in punt_limited and by its drop reason.  A copy another core
 * handed over (handoff.h) was the first core's to punt: it is dropped.
 */

#include <linux/minmax.h>

#include "stack.h"

/* A tenth of a second's worth at once, and at least this many. */
#define PUNT_BURST_MIN		16

static u32 punt_burst(const struct ixdp_stack *s)
{
	return max_t(u32, s->cfg.punt_rate / 10, PUNT_BURST_MIN);
}

/**
 * ixdp_punt_init() - fill a new stack's bucket of frames for the host
 * @s: the stack, its clock and configuration set
 */
void ixdp_punt_init(struct ixdp_stack *s)
{
	s->punt_bucket.tokens = punt_burst(s);
	s->punt_bucket.stamp = s->now;
}

/**
 * ixdp_punt() - hand a frame the stack does not serve to the host's stack
 * @s: the stack
 * @b: the frame, its data the Ethernet header; consumed
 * @why: what it is, as a drop reason: counted as one if the frame is not
 *	handed over (no ops->punt, a relayed copy, over the rate)
 */
void ixdp_punt(struct ixdp_stack *s, struct ixdp_buf *b,
	       enum ixdp_drop_reason why)
{
	u32 len = b->len;

	if (!s->ops->punt || !s->cfg.punt_rate || s->relay) {
		ixdp_stack_drop(s, b, why);
		return;
	}
	if (!ixdp_bucket_take(s, &s->punt_bucket, s->cfg.punt_rate,
			      punt_burst(s))) {
		s->stats.punt_limited++;
		ixdp_stack_drop(s, b, why);
		return;
	}
	if (s->ops->punt(s, b)) {
		s->stats.punt_errors++;
		return;
	}
	s->stats.punted++;
	s->stats.punted_bytes += len;
}
