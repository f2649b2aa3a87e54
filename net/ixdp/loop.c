// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: the loop of a reserved CPU while no application drives it.
 *
 * One kernel thread per core, bound to its CPU, runs to completion:
 * reclaim sent frames, take at most a batch of received frames per queue
 * (never waiting to fill one) and run each through the stack, run due
 * timers, send what the stack produced, post fresh receive buffers.  The
 * thread is the only one to touch the core's queues, pool and stack.
 * It stops when asked and yields whenever the scheduler wants the CPU.
 * With nothing to do for IXDP_IDLE_SPINS iterations it sleeps: with the
 * driver's receive interrupt armed when the driver has one (the interrupt
 * wakes it), for one jiffy while timers are pending, for IXDP_SLEEP_IDLE
 * otherwise; a driver without interrupt ops gets short naps instead.
 * Each iteration's time, by local_clock(), is added to the core's busy or
 * idle time (sleeps are idle; time another task ran is neither): the load
 * a policy such as ixcp reads.
 */

#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/tcp.h>

#include "app.h"
#include "dp.h"

/* Idle iterations before the loop sleeps; naps without interrupts (us). */
#define IXDP_IDLE_SPINS		256
#define IXDP_NAP_MIN_US		50
#define IXDP_NAP_MAX_US		200
/* The longest sleep with no timer pending. */
#define IXDP_SLEEP_IDLE		(HZ / 10)

/**
 * ixdp_rx_addr_to_buf() - the buffer a receive buffer was posted from
 * @core: the core whose pool it is from
 * @addr: the address given to rx_post
 *
 * The head page of each chunk of the pool keeps the number of the chunk's
 * first slot (ixdp_core_pool()), so the descriptor is found in O(1).
 *
 * Return: the buffer.
 */
struct ixdp_buf *ixdp_rx_addr_to_buf(struct ixdp_core *core, void *addr)
{
	struct page *head = compound_head(virt_to_page(addr));
	unsigned long slot = page_private(head) +
		((u8 *)addr - (u8 *)page_address(head)) / IXDP_BUF_SIZE;

	return &core->pool.bufs[slot];
}

/**
 * ixdp_core_now() - the stack clock's current tick
 *
 * Return: ticks of IXDP_HZ since boot.
 */
u64 ixdp_core_now(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_SEC / IXDP_HZ);
}

/*
 * A TCP segment whose checksum the device completes (IXDP_BUF_CSUM_PARTIAL,
 * only set when the first queue has IXDP_DRV_F_TX_CSUM): the sum runs
 * from its TCP header, after the Ethernet and IPv4 headers the stack
 * wrote.
 */
static void ixdp_frame_csum(struct ixdp_drv_frame *f, const struct ixdp_buf *b)
{
	const struct iphdr *iph = f->addr + ETH_HLEN;

	f->csum_start = 0;
	if (!(b->flags & IXDP_BUF_CSUM_PARTIAL))
		return;
	f->csum_start = ETH_HLEN + iph->ihl * 4;
	f->csum_off = offsetof(struct tcphdr, check);
}

/*
 * See &struct ixdp_stack's @tx_backlog: after a flush, what is left is
 * what the device refused.
 */
static void ixdp_core_tx_mark(struct ixdp_core *core)
{
	core->stack.tx_backlog = core->ntx >= IXDP_TXQ_LEN / 2;
}

/*
 * Hand the frames the stack produced to the first queue's device.  What
 * a full ring does not take stays queued, in order, for the next flush:
 * a segment dropped here would cost its connection a retransmission
 * timeout, and the ring empties as fast as the device sends.  A driver
 * also refuses a frame it cannot send at all (ixgbe: a bad length, a DMA
 * mapping error); one that the empty ring still refuses is dropped, or it
 * would hold the queue for good.
 *
 * Return: the frames the device took.
 */
static unsigned int ixdp_core_flush(struct ixdp_core *core)
{
	struct ixdp_queue *q = core->queues[0];
	struct ixdp_drv_frame *f = core->txf;
	unsigned int i, n = core->ntx, sent, old;
	u64 bytes = 0;

	if (!n) {
		ixdp_core_tx_mark(core);
		return 0;
	}
	for (i = 0; i < n; i++) {
		f[i].addr = ixdp_buf_data(core->txq[i]);
		f[i].token = core->txq[i];
		ixdp_frame_frags(&f[i], core->txq[i]);
		ixdp_frame_csum(&f[i], core->txq[i]);
	}
	sent = core->idev->ops->tx_burst(&q->drv, f, n);
	for (i = 0; i < sent; i++) {
		bytes += core->txq[i]->len;
		core->stats.tx_frags += f[i].nfrags > 0;
		core->stats.tx_csum_offload += f[i].csum_start != 0;
	}
	q->stats.tx_packets += sent;
	q->stats.tx_bytes += bytes;
	core->stats.tx_packets += sent;
	core->stats.tx_bytes += bytes;
	q->inflight += sent;
	if (!sent && !q->inflight) {
		/* Refused by an empty ring: not a frame it will ever take. */
		core->stats.tx_dropped++;
		ixdp_buf_put(core->txq[0]);
		sent = 1;
	}
	core->ntx = n - sent;
	/* Each frame counts once, the first time the ring leaves it. */
	old = core->ntx_old - min(core->ntx_old, sent);
	core->stats.tx_deferred += core->ntx - old;
	core->ntx_old = core->ntx;
	if (core->ntx)
		memmove(core->txq, core->txq + sent,
			core->ntx * sizeof(core->txq[0]));
	ixdp_core_tx_mark(core);
	return sent;
}

/*
 * The core stops, or is handed to an application: what its queue still
 * holds is not sent.  (An application's buffers must not show frames of
 * the core's earlier user.)
 */
static void ixdp_core_tx_drop(struct ixdp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->ntx; i++)
		ixdp_buf_put(core->txq[i]);
	core->stats.tx_dropped += core->ntx;
	core->ntx = 0;
	core->ntx_old = 0;
	ixdp_core_tx_mark(core);
}

/**
 * ixdp_core_xmit() - the stack's transmit op: queue a frame for the flush
 * @s: the core's stack
 * @b: the frame, now the core's
 *
 * Return: 0, or -ENOSPC if the frame was dropped.
 */
int ixdp_core_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct ixdp_core *core = container_of(s, struct ixdp_core, stack);

	if (ixdp_buf_headroom(b) < IXDP_DRV_HEADROOM) {
		core->stats.tx_dropped++;
		ixdp_buf_put(b);
		return -ENOSPC;
	}
	if (core->ntx == IXDP_TXQ_LEN)
		ixdp_core_flush(core);
	if (core->ntx == IXDP_TXQ_LEN) {
		core->stats.tx_dropped++;
		ixdp_buf_put(b);
		return -ENOSPC;
	}
	core->txq[core->ntx++] = b;
	return 0;
}

static void ixdp_queue_reclaim(struct ixdp_core *core, struct ixdp_queue *q)
{
	void **tokens = (void **)core->frames;
	unsigned int i, n;

	/* frames[] is large enough to hold the tokens of a full batch. */
	n = core->idev->ops->tx_reclaim(&q->drv, tokens, IXDP_BATCH_MAX);
	for (i = 0; i < n; i++)
		ixdp_buf_put(tokens[i]);
	q->inflight -= n;
	/* The queue is stopped for Linux: tell its watchdog it is alive. */
	txq_trans_cond_update(netdev_get_tx_queue(q->drv.dev, q->drv.qid));
}

/* Keep @q's receive ring stocked. */
static void ixdp_queue_fill(struct ixdp_core *core, struct ixdp_queue *q)
{
	struct ixdp_drv_frame *f = core->frames;
	unsigned int n = 0, posted, i;
	struct ixdp_buf *b;

	while (q->posted + n < q->target && n < IXDP_BATCH_MAX) {
		b = ixdp_buf_get(&core->pool);
		if (!b) {
			core->stats.rx_refill_short++;
			break;
		}
		f[n].addr = b->room + IXDP_POST_OFF;
		f[n].len = IXDP_BUF_ROOM - IXDP_POST_OFF;
		n++;
	}
	if (!n)
		return;
	posted = core->idev->ops->rx_post(&q->drv, f, n);
	for (i = posted; i < n; i++)
		ixdp_buf_put(ixdp_rx_addr_to_buf(core, f[i].addr));
	q->posted += posted;
	/* A ring smaller than the target: stop asking for more. */
	if (posted < n && q->target > q->posted)
		q->target = q->posted;
}

/**
 * ixdp_core_fill() - stock every receive ring of @core
 * @core: a core whose queues were just taken
 */
void ixdp_core_fill(struct ixdp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->nqueues; i++)
		ixdp_queue_fill(core, core->queues[i]);
}

/*
 * How long a new binding waits for the device to finish sending what an
 * earlier user of the core sent.
 */
#define IXDP_QUIESCE_MS		20

/* Drop what waits in @q's receive ring, clearing the buffers. */
static void ixdp_queue_rx_drop(struct ixdp_core *core, struct ixdp_queue *q)
{
	struct ixdp_drv_frame *f = core->frames;
	unsigned int i, n;
	struct ixdp_buf *b;

	while ((n = core->idev->ops->rx_burst(&q->drv, f, IXDP_BATCH_MAX))) {
		q->posted -= n;
		for (i = 0; i < n; i++) {
			b = ixdp_rx_addr_to_buf(core, f[i].addr);
			ixdp_buf_mark(b, IXDP_BUF_ROOM);
			ixdp_buf_put(b);
		}
	}
}

/**
 * ixdp_core_tx_settle() - wait until the device has sent what @core gave it
 * @core: the core; its loop parked
 * @ms: how long to wait at most
 *
 * Frames sent zero copy point into buffers of the core's pool, which go
 * back to the pool (cleared, and perhaps posted for receive) once the
 * device is done with them, or once a connection that holds them moves
 * to another core with copies (echo.c): not before the device has read
 * them.  The frames waiting for room in the rings are given to the
 * device first.
 *
 * Return: frames the device still holds, or still waiting for room.
 */
unsigned int ixdp_core_tx_settle(struct ixdp_core *core, unsigned int ms)
{
	unsigned long until = jiffies + msecs_to_jiffies(ms);
	unsigned int i, inflight;

	for (;;) {
		inflight = 0;
		for (i = 0; i < core->nqueues; i++)
			ixdp_queue_reclaim(core, core->queues[i]);
		ixdp_core_flush(core);
		for (i = 0; i < core->nqueues; i++)
			inflight += core->queues[i]->inflight;
		if ((!inflight && !core->ntx) || time_after(jiffies, until))
			return inflight + core->ntx;
		usleep_range(50, 100);
	}
}

/**
 * ixdp_core_quiesce() - clear out what an earlier user left in the queues
 * @core: the core; its loop parked, no application running on it
 *
 * Frames waiting in the receive rings are dropped, and the device is
 * given up to IXDP_QUIESCE_MS to finish sending; every buffer that comes
 * back is cleared (ixdp_buf_put()).  The receive rings are stocked again.
 *
 * Return: frames still held by the device for sending; their buffers are
 * cleared when it is done with them.
 */
unsigned int ixdp_core_quiesce(struct ixdp_core *core)
{
	unsigned int i, inflight = 0;

	for (i = 0; i < core->nqueues; i++)
		ixdp_queue_rx_drop(core, core->queues[i]);
	ixdp_core_tx_settle(core, IXDP_QUIESCE_MS);
	for (i = 0; i < core->nqueues; i++)
		inflight += core->queues[i]->inflight;
	ixdp_core_tx_drop(core);
	ixdp_core_fill(core);
	return inflight;
}

/*
 * What the device knows of a received frame's checksum.  A partial one
 * (from a sender on the same host) is trusted as Linux trusts
 * CHECKSUM_PARTIAL; where it is to be completed must lie in the frame,
 * past its Ethernet header, or nothing is known.
 */
static void ixdp_rx_csum(struct ixdp_core *core, struct ixdp_buf *b,
			 const struct ixdp_drv_frame *f)
{
	if (f->rx_csum & IXDP_DRV_RX_CSUM_PARTIAL) {
		if (f->csum_start < ETH_HLEN || f->csum_off > U8_MAX ||
		    f->csum_start + f->csum_off + sizeof(__sum16) > b->len)
			return;
		b->csum_start = f->csum_start;
		b->csum_off = f->csum_off;
		b->flags |= IXDP_BUF_CSUM_OK | IXDP_BUF_RX_PARTIAL;
	} else if (f->rx_csum & IXDP_DRV_RX_CSUM_OK) {
		b->flags |= IXDP_BUF_CSUM_OK;
	} else {
		return;
	}
	core->stats.rx_csum_offload++;
}

static unsigned int ixdp_queue_rx(struct ixdp_core *core, struct ixdp_queue *q,
				  unsigned int batch)
{
	struct ixdp_drv_frame *f = core->frames;
	unsigned int i, n;
	struct ixdp_buf *b;

	n = core->idev->ops->rx_burst(&q->drv, f, batch);
	if (!n)
		return 0;
	q->posted -= n;
	core->stats.batches++;
	core->stats.batch_hist[min_t(unsigned int, ilog2(n),
				     IXDP_HIST_BUCKETS - 1)]++;
	for (i = 0; i < n; i++) {
		b = ixdp_rx_addr_to_buf(core, f[i].addr);
		if (!f[i].len || f[i].len > IXDP_BUF_ROOM - IXDP_POST_OFF -
		    f[i].off) {
			core->stats.rx_empty++;
			ixdp_buf_mark(b, IXDP_BUF_ROOM);
			ixdp_buf_put(b);
			continue;
		}
		b->off = IXDP_POST_OFF + f[i].off;
		b->len = f[i].len;
		/* The device's header before the frame is data too. */
		ixdp_buf_mark(b, b->off + b->len);
		if (f[i].rx_csum)
			ixdp_rx_csum(core, b, &f[i]);
		q->stats.rx_packets++;
		q->stats.rx_bytes += f[i].len;
		core->stats.rx_packets++;
		core->stats.rx_bytes += f[i].len;
		ixdp_eth_rx(&core->stack, b);
	}
	return n;
}

/* @n frames a source took: out of the poll's receive budget, into its work. */
static void ixdp_budget_charge(unsigned int *room, unsigned int *work,
			       unsigned int n)
{
	*room -= n;
	*work += n;
}

/**
 * ixdp_core_poll() - one run to completion over every queue of @core
 * @core: the core, on its loop's thread or its application's
 * @batch: frames to take from each source at most (each queue, the other
 *	cores, Linux's two rings), 1 to IXDP_BATCH_MAX
 *
 * Return: the frames received, those a full ring had left that the
 * device took now, and the connections served that the full queue had
 * refused: 0 when there was nothing to do.
 */
unsigned int ixdp_core_poll(struct ixdp_core *core, unsigned int batch)
{
	unsigned int i, room, work;
	u64 req = READ_ONCE(core->connect_req);

	for (i = 0; i < core->nqueues; i++)
		ixdp_queue_reclaim(core, core->queues[i]);
	/*
	 * What a full ring left at the last flush goes out first, then
	 * what the full queue refused the connections, as room allows.
	 */
	work = ixdp_core_flush(core);
	if (core->ntx < IXDP_TXQ_LEN)
		work += ixdp_tcp_tx_resume(&core->stack);
	/*
	 * Take no more frames, from every source together, than the
	 * transmit queue has room to answer, two frames each (an echo and
	 * an ACK): while the device's ring is full, new work waits in its
	 * receive ring, where the peers' congestion control sees it, not in
	 * drops of our own segments.  Timers and commands may still send
	 * more; past a full queue, those are dropped (tx_dropped).
	 */
	room = (IXDP_TXQ_LEN - core->ntx) / 2;

	if (req && core->echo) {
		/* Pairs with the cmpxchg() that posted it in netdev.c. */
		req = xchg(&core->connect_req, 0);
		if (ixdp_echo_connect(core, (__force __be32)(u32)(req >> 32),
				      (__force __be16)(u16)req))
			core->stats.tcp_connect_failed++;
	}
	for (i = 0; i < core->nqueues && room; i++)
		ixdp_budget_charge(&room, &work,
				   ixdp_queue_rx(core, core->queues[i],
						 min(batch, room)));
	if (room)
		ixdp_budget_charge(&room, &work,
				   ixdp_handoff_poll(&core->stack,
						     min(batch, room)));
	ixdp_stack_advance(&core->stack, ixdp_core_now());
	if (room)
		ixdp_budget_charge(&room, &work,
				   ixdp_slow_poll(core, min(batch, room)));
	if (room)
		ixdp_budget_charge(&room, &work,
				   ixdp_intake_poll(core, min(batch, room)));
	ixdp_core_flush(core);
	for (i = 0; i < core->nqueues; i++)
		ixdp_queue_fill(core, core->queues[i]);
	core->stats.pool_empty = core->pool.empty;
	return work;
}

/**
 * ixdp_queue_notify() - a receive interrupt while the loop sleeps
 * @dq: the queue
 *
 * Called from the driver's interrupt handler.
 */
void ixdp_queue_notify(struct ixdp_drv_queue *dq)
{
	struct ixdp_queue *q = container_of(dq, struct ixdp_queue, drv);

	q->stats.irq_wakes++;
	ixdp_core_wake(q->core);
}

/**
 * ixdp_core_wake() - wake the thread that drives @core, if it may sleep
 * @core: the core
 *
 * For whoever queued it work from another CPU: an interrupt, another
 * core, Linux sending.  @core->waker is cleared, then an RCU grace period
 * passes, before the thread goes.
 */
void ixdp_core_wake(struct ixdp_core *core)
{
	struct task_struct *t;

	rcu_read_lock();
	t = READ_ONCE(core->waker);
	if (t)
		wake_up_process(t);
	rcu_read_unlock();
}

/* Whether the loop's thread has something to do besides polling. */
static bool ixdp_core_called(struct ixdp_core *core)
{
	if (core->app)
		return READ_ONCE(core->app->revoked) ||
		       READ_ONCE(core->app->park_req) || signal_pending(current);
	return kthread_should_stop() || kthread_should_park() ||
	       READ_ONCE(core->connect_req);
}

/**
 * ixdp_core_sleep() - sleep until a frame, a timer, a request or a stop
 * @core: the core, on the thread that drives it
 * @timeout: the longest sleep, jiffies
 *
 * See the top of this file.
 */
void ixdp_core_sleep(struct ixdp_core *core, long timeout)
{
	const struct ixdp_drv_ops *ops = core->idev->ops;
	bool waiting = false;
	unsigned int i;

	if (!ops->irq_arm) {
		usleep_range(IXDP_NAP_MIN_US, IXDP_NAP_MAX_US);
		return;
	}
	/* Before arming: a wake from the interrupt is not lost. */
	set_current_state(TASK_INTERRUPTIBLE);
	for (i = 0; i < core->nqueues; i++)
		if (!ops->irq_arm(&core->queues[i]->drv))
			waiting = true;
	/*
	 * Frames a full transmit ring left: its completions raise no
	 * interrupt, so nap a tick at most (a stalled ring must not make
	 * the core spin).  The other sources wait for room in the queue.
	 * Else frames from other cores and Linux's wake us after queueing.
	 */
	if (core->ntx)
		timeout = 1;
	else if (ixdp_handoff_pending(&core->stack) ||
		 ixdp_slow_pending(core) || ixdp_intake_pending(core))
		waiting = true;
	if (!waiting && !ixdp_core_called(core)) {
		core->stats.sleeps++;
		schedule_timeout(timeout);
	}
	__set_current_state(TASK_RUNNING);
	for (i = 0; i < core->nqueues; i++)
		ops->irq_disarm(&core->queues[i]->drv);
}

/**
 * ixdp_core_loop() - the kernel thread of a core
 * @arg: the core
 *
 * Return: 0 when stopped.
 */
int ixdp_core_loop(void *arg)
{
	struct ixdp_core *core = arg;
	unsigned int idle = 0;
	u64 then, now, *ns;

	ixdp_arp_announce(&core->stack);
	then = local_clock();
	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			/* An application drives the core meanwhile. */
			ixdp_core_flush(core);
			kthread_parkme();
			then = local_clock();
			continue;
		}
		if (ixdp_core_poll(core, core->batch)) {
			core->stats.polls_busy++;
			idle = 0;
			ns = &core->stats.busy_ns;
		} else {
			core->stats.polls_idle++;
			if (++idle >= IXDP_IDLE_SPINS) {
				ixdp_core_sleep(core, core->stack.wheel.pending ?
						1 : IXDP_SLEEP_IDLE);
				idle = 0;
			}
			ns = &core->stats.idle_ns;
		}
		now = local_clock();
		/* Not below: a CPU's clock may lag another's. */
		if (now > then)
			*ns += now - then;
		then = now;
		/* Time another task had the CPU is neither. */
		if (cond_resched())
			then = local_clock();
	}
	ixdp_core_flush(core);
	ixdp_core_tx_drop(core);
	return 0;
}
