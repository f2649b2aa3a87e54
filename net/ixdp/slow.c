// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp slow path: Linux shares an attached device.
 *
 * Receive.  What a core's stack does not serve (punt.c decides, and
 * bounds it by rate) is copied into an skb on the core (GFP_ATOMIC: a
 * core never sleeps for memory) and queued in the core's ring of
 * IXDP_SLOW_RING skbs; a poll that queued some queues the core's work on
 * the unbound workqueue, which the reservation keeps off reserved CPUs.
 * There, on a CPU of Linux's, each skb goes to the device's GRO cells
 * (gro_cells_receive(), as a tunnel's receive does): a NAPI of that CPU
 * merges a flow's segments with napi_gro_receive() when bottom halves
 * are enabled again, then RPS, taps, netfilter and the stack see them as
 * the device's.  A device with GRO off gets them one by one (netif_rx()).
 * Each skb is marked as made there, so that whoever consumes it frees it
 * on Linux's CPUs, never on the reserved one.  A full ring drops the
 * frame (punt_errors).
 *
 * Transmit.  Linux keeps sending on a device whose queue pairs the
 * dataplane owns: the driver hands what its ndo_start_xmit gets for an
 * owned pair to ixdp_slow_xmit() (&struct ixdp_drv_queue.xmit_linux),
 * which queues it, resolved to plain frames (segmented, checksummed), in
 * the core's transmit ring of IXDP_SLOW_RING skbs and wakes the core.
 * Each poll copies at most a batch of them into buffers of its pool and
 * sends them with its own frames, so no lock is shared with the loop:
 * the ring's producer lock is taken by Linux's senders alone.  A full
 * ring drops (linux_tx_dropped), as a full device ring would.  The core
 * does not free what it copied: an skb's destructor is its socket's
 * (tcp_wfree() schedules TCP small queues' tasklet on the CPU it runs
 * on), so the core hands each to the work, through another ring of which
 * it is the only producer, to be freed on a CPU of Linux's.  While that
 * ring is full the core takes no more of Linux's frames, which wait in
 * theirs: TCP small queues hold the sender back, as a NIC's completions
 * would.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <net/gso.h>

#include "dp.h"

/* skbs the core hands to its work before the work runs, and back. */
#define IXDP_SLOW_RING		256
/* skbs the work gives Linux with bottom halves off at a time. */
#define IXDP_SLOW_WORK_BATCH	64

/* In the done ring, an skb of Linux's the core dropped: a tagged pointer. */
#define IXDP_SLOW_DROPPED	1UL

static void ixdp_slow_skb_free(void *ptr)
{
	kfree_skb(ptr);
}

/* Free what the core sent of Linux's, or dropped (tagged). */
static void ixdp_slow_done_free(void *ptr)
{
	unsigned long v = (unsigned long)ptr;

	if (v & IXDP_SLOW_DROPPED)
		kfree_skb((struct sk_buff *)(v & ~IXDP_SLOW_DROPPED));
	else
		consume_skb(ptr);
}

/* On the core: @skb is done with, to be freed by the work; room checked. */
static void ixdp_slow_done(struct ixdp_core *core, struct sk_buff *skb,
			   bool dropped)
{
	void *ptr = (void *)((unsigned long)skb |
			     (dropped ? IXDP_SLOW_DROPPED : 0));

	/* The core is the ring's only producer: no lock. */
	if (WARN_ON_ONCE(__ptr_ring_produce(&core->slow_done, ptr)))
		ixdp_slow_done_free(ptr);
}

/* Count Linux's frames in the device's own counters of the core's pair. */
static void ixdp_slow_count(struct ixdp_core *core, bool tx,
			    unsigned int packets, u64 bytes)
{
	const struct ixdp_drv_ops *ops = core->idev->ops;

	if (packets && ops->count_linux)
		ops->count_linux(&core->queues[0]->drv, tx, packets, bytes);
}

static void ixdp_slow_work(struct work_struct *work)
{
	struct ixdp_core *core = container_of(work, struct ixdp_core,
					      slow_work);
	struct ixdp_dev *idev = core->idev;
	unsigned int n, given, len;
	struct sk_buff *skb;
	void *done;
	u64 bytes;

	/* The destructors run here, TCP small queues' tasklet after them. */
	do {
		local_bh_disable();
		for (n = 0; n < IXDP_SLOW_WORK_BATCH; n++) {
			done = ptr_ring_consume(&core->slow_done);
			if (!done)
				break;
			ixdp_slow_done_free(done);
		}
		local_bh_enable();
		cond_resched();
	} while (n == IXDP_SLOW_WORK_BATCH);
	/* Room again for what waits (ixdp_slow_pending()). */
	if (!ptr_ring_empty(&core->slow_tx))
		ixdp_core_wake(core);
	do {
		bytes = 0;
		given = 0;
		local_bh_disable();
		for (n = 0; n < IXDP_SLOW_WORK_BATCH; n++) {
			skb = ptr_ring_consume(&core->slow_rx);
			if (!skb)
				break;
			len = skb->len;
			skb->protocol = eth_type_trans(skb, idev->dev);
			/*
			 * Freed here, not where it was made: TCP's
			 * skb_attempt_defer_free() would queue it to the
			 * reserved CPU and interrupt that to free it.
			 */
			skb->alloc_cpu = raw_smp_processor_id();
			if (gro_cells_receive(&idev->gro, skb) == NET_RX_DROP)
				continue;
			given++;
			bytes += len;
		}
		local_bh_enable();
		ixdp_slow_count(core, false, given, bytes);
		cond_resched();
	} while (n == IXDP_SLOW_WORK_BATCH);
}

/**
 * ixdp_slow_punt() - the stack's punt op: a frame for Linux
 * @s: the core's stack
 * @b: the frame, from its Ethernet header; consumed
 *
 * Return: 0, or -ENOMEM, -ENOBUFS (ring full) or -EINVAL (its checksum
 * left to complete where the frame no longer reaches) if it was dropped.
 */
int ixdp_slow_punt(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct ixdp_core *core = container_of(s, struct ixdp_core, stack);
	struct sk_buff *skb;

	skb = netdev_alloc_skb_ip_align(core->idev->dev, b->len);
	if (!skb) {
		ixdp_buf_put(b);
		return -ENOMEM;
	}
	skb_put_data(skb, ixdp_buf_data(b), b->len);
	/* Linux completes it where it must (ixdp_rx_csum() checked where). */
	if (b->flags & IXDP_BUF_RX_PARTIAL &&
	    !skb_partial_csum_set(skb, b->csum_start, b->csum_off)) {
		kfree_skb(skb);
		ixdp_buf_put(b);
		return -EINVAL;
	}
	ixdp_buf_put(b);
	/* Received on the core's queue: intake.c never takes it back. */
	skb_record_rx_queue(skb, core->queues[0]->drv.qid);
	/*
	 * Bottom halves off: the rings' producer locks are one lock class,
	 * taken in softirq context by Linux's senders (ixdp_slow_xmit()).
	 */
	if (ptr_ring_produce_bh(&core->slow_rx, skb)) {
		kfree_skb(skb);
		return -ENOBUFS;
	}
	core->slow_rx_queued = true;
	return 0;
}

/* Queue a plain frame, its checksum complete; taken. */
static void ixdp_slow_queue(struct sk_buff *skb, struct ptr_ring *ring,
			    atomic64_t *dropped)
{
	if ((skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) ||
	    ptr_ring_produce(ring, skb)) {
		atomic64_inc(dropped);
		kfree_skb(skb);
	}
}

/**
 * ixdp_slow_enqueue() - queue an skb for a core, as the frames it makes
 * @skb: from its Ethernet header; taken
 * @ring: the core's ring
 * @dropped: counts the frames dropped
 *
 * On Linux's CPU, so that the core only copies bytes: a GSO skb is
 * segmented, a partial checksum completed.  A full ring drops.
 */
void ixdp_slow_enqueue(struct sk_buff *skb, struct ptr_ring *ring,
		       atomic64_t *dropped)
{
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb)) {
		ixdp_slow_queue(skb, ring, dropped);
		return;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		atomic64_inc(dropped);
		kfree_skb(skb);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		ixdp_slow_queue(skb, ring, dropped);
	}
}

/**
 * ixdp_slow_xmit() - Linux sends on a pair the dataplane owns
 * @dq: the pair
 * @skb: what Linux sends; taken
 *
 * Called by the driver from its ndo_start_xmit, with the pair's transmit
 * queue locked.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t ixdp_slow_xmit(struct ixdp_drv_queue *dq, struct sk_buff *skb)
{
	struct ixdp_queue *q = container_of(dq, struct ixdp_queue, drv);
	struct ixdp_core *core = q->core;

	ixdp_slow_enqueue(skb, &core->slow_tx, &core->slow_tx_dropped);
	ixdp_core_wake(core);
	return NETDEV_TX_OK;
}

/**
 * ixdp_slow_poll() - one poll's share of the slow path, on the core
 * @core: the core
 * @budget: frames of Linux's to send at most
 *
 * Sends what Linux queued, copied into buffers of the pool, and hands the
 * frames punted during the poll to the work.
 *
 * Return: frames of Linux's sent.
 */
unsigned int ixdp_slow_poll(struct ixdp_core *core, unsigned int budget)
{
	bool done = false;
	struct ixdp_buf *b;
	struct sk_buff *skb;
	unsigned int n = 0;
	u64 bytes = 0;

	core->stats.linux_tx_dropped = atomic64_read(&core->slow_tx_dropped);
	while (n < budget && !__ptr_ring_full(&core->slow_done) &&
	       (skb = ptr_ring_consume(&core->slow_tx))) {
		done = true;
		b = ixdp_buf_get(&core->pool);
		if (!b || skb->len > IXDP_BUF_SIZE - IXDP_DRV_HEADROOM) {
			ixdp_buf_put(b);
			atomic64_inc(&core->slow_tx_dropped);
			ixdp_slow_done(core, skb, true);
			continue;
		}
		ixdp_buf_reset(b, IXDP_DRV_HEADROOM);
		skb_copy_bits(skb, 0, ixdp_buf_put_tail(b, skb->len), skb->len);
		core->stats.linux_tx_packets++;
		core->stats.linux_tx_bytes += skb->len;
		bytes += skb->len;
		ixdp_slow_done(core, skb, false);
		ixdp_core_xmit(&core->stack, b);
		n++;
	}
	if (core->slow_rx_queued || done) {
		core->slow_rx_queued = false;
		queue_work(system_unbound_wq, &core->slow_work);
	}
	ixdp_slow_count(core, true, n, bytes);
	return n;
}

/**
 * ixdp_slow_pending() - whether Linux's frames wait for the core
 * @core: the core
 *
 * Return: true if its transmit ring holds some, and the core has room to
 * hand them back once sent.
 */
bool ixdp_slow_pending(struct ixdp_core *core)
{
	/* Without room to hand them back, the work wakes the core. */
	return !ptr_ring_empty(&core->slow_tx) &&
	       !__ptr_ring_full(&core->slow_done);
}

/**
 * ixdp_slow_init() - make a new core's rings (slow.c's and intake.c's) and
 *	work
 * @core: the core
 *
 * Return: 0 or -ENOMEM.
 */
int ixdp_slow_init(struct ixdp_core *core)
{
	int err;

	INIT_WORK(&core->slow_work, ixdp_slow_work);
	err = ptr_ring_init(&core->slow_rx, IXDP_SLOW_RING, GFP_KERNEL);
	if (err)
		return err;
	err = ptr_ring_init(&core->slow_tx, IXDP_SLOW_RING, GFP_KERNEL);
	if (err)
		goto out_rx;
	err = ptr_ring_init(&core->intake, IXDP_SLOW_RING, GFP_KERNEL);
	if (err)
		goto out_tx;
	err = ptr_ring_init(&core->slow_done, IXDP_SLOW_RING, GFP_KERNEL);
	if (err)
		goto out_intake;
	return 0;

out_intake:
	ptr_ring_cleanup(&core->intake, NULL);
out_tx:
	ptr_ring_cleanup(&core->slow_tx, NULL);
out_rx:
	ptr_ring_cleanup(&core->slow_rx, NULL);
	return err;
}

/**
 * ixdp_slow_stop() - stop the work, before the pairs are given back
 * @core: the core, its thread stopped (nothing queues the work again)
 *
 * What the work has not given Linux yet is freed with the ring.
 */
void ixdp_slow_stop(struct ixdp_core *core)
{
	cancel_work_sync(&core->slow_work);
}

/**
 * ixdp_slow_fini() - free a core's rings, once its thread stopped and its
 *	pairs are given back (no sender can reach it)
 * @core: the core
 */
void ixdp_slow_fini(struct ixdp_core *core)
{
	cancel_work_sync(&core->slow_work);
	ptr_ring_cleanup(&core->slow_rx, ixdp_slow_skb_free);
	ptr_ring_cleanup(&core->slow_tx, ixdp_slow_skb_free);
	ptr_ring_cleanup(&core->intake, ixdp_slow_skb_free);
	ptr_ring_cleanup(&core->slow_done, ixdp_slow_done_free);
}
