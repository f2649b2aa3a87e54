// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: attaching a netdev's queues to reserved CPUs and detaching them.
 *
 * Attach, under RTNL: claim each configured CPU (it must be reserved),
 * build a core per CPU (buffer pool, stack), take each configured queue
 * from the driver and let it map the core's pool, stock its receive ring,
 * then start one loop thread per core.  Queues are spread over the CPUs
 * in order.  With queues left to Linux, intake.c then takes the
 * dataplane's frames from them, and steer.c, if asked, lets the device
 * sort them where it can.  Any failure unwinds what was done.
 * Detach stops the intake and the
 * threads, gives the queues back (the driver returns every buffer the
 * device still had and unmaps the pool) and frees the cores; the netdev
 * is then what it was before.
 */

#include <linux/etherdevice.h>
#include <linux/gfp.h>
#include <linux/inetdevice.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/route.h>

#include "app.h"
#include "dp.h"
#include "ixdp.h"

/* The largest chunk asked for: 2 MiB, a huge page where there is one. */
#define IXDP_CHUNK_ORDER	(21 - PAGE_SHIFT)

/* Per CPU, the core it runs while attached; under RTNL. */
static struct ixdp_core *ixdp_cpu_cores[NR_CPUS];

/**
 * ixdp_core_of_cpu() - the core a reserved CPU runs
 * @cpu: the CPU, any number
 *
 * Called with RTNL held.
 *
 * Return: the core, or NULL if @cpu serves no attached device.
 */
struct ixdp_core *ixdp_core_of_cpu(unsigned int cpu)
{
	ASSERT_RTNL();
	return cpu < nr_cpu_ids ? ixdp_cpu_cores[cpu] : NULL;
}

static const struct ixdp_stack_ops ixdp_core_stack_ops = {
	.xmit	= ixdp_core_xmit,
	.punt	= ixdp_slow_punt,
};

static void ixdp_release_rx(struct ixdp_drv_queue *dq, void *addr)
{
	struct ixdp_queue *q = container_of(dq, struct ixdp_queue, drv);
	struct ixdp_buf *b = ixdp_rx_addr_to_buf(q->core, addr);

	/* The device may have written a frame it did not hand over. */
	ixdp_buf_mark(b, IXDP_BUF_ROOM);
	ixdp_buf_put(b);
	q->posted--;
}

static void ixdp_release_tx(struct ixdp_drv_queue *dq, void *token)
{
	struct ixdp_queue *q = container_of(dq, struct ixdp_queue, drv);

	ixdp_buf_put(token);
	q->inflight--;
}

/* Back @core's pool with @nbufs buffers, in chunks as large as we get. */
static int ixdp_core_pool(struct ixdp_core *core, unsigned int nbufs)
{
	size_t want = (size_t)nbufs * IXDP_BUF_SIZE;
	unsigned int order = IXDP_CHUNK_ORDER;
	struct ixdp_buf *descs;
	struct page *page;

	descs = kvcalloc_node(nbufs, sizeof(*descs), GFP_KERNEL,
			      cpu_to_node(core->cpu));
	if (!descs)
		return -ENOMEM;
	ixdp_pool_init(&core->pool, descs, nbufs);
	core->frags = kvcalloc_node((size_t)nbufs * IXDP_BUF_FRAGS,
				    sizeof(*core->frags), GFP_KERNEL,
				    cpu_to_node(core->cpu));
	if (!core->frags)
		return -ENOMEM;
	ixdp_pool_set_frags(&core->pool, &ixdp_frag_ops, core->frags);
	while (want && core->nchunks < IXDP_MAX_CHUNKS) {
		order = min_t(unsigned int, order, get_order(want));
		page = alloc_pages_node(cpu_to_node(core->cpu),
					GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO |
					__GFP_COMP,
					order);
		if (!page) {
			if (!order)
				return -ENOMEM;
			order--;
			continue;
		}
		/* Found again from a posted address: ixdp_rx_addr_to_buf(). */
		set_page_private(page, core->pool.total);
		core->chunks[core->nchunks] = page;
		core->chunk_order[core->nchunks++] = order;
		ixdp_pool_add(&core->pool, page_address(page), PAGE_SIZE << order);
		want -= min_t(size_t, want, PAGE_SIZE << order);
	}
	return want ? -ENOMEM : 0;
}

static void ixdp_core_free(struct ixdp_core *core)
{
	bool held = false;
	unsigned int i;

	for (i = 0; i < core->nqueues; i++) {
		held |= core->queues[i]->posted || core->queues[i]->inflight;
		kfree(core->queues[i]);
	}
	/* A device still holding buffers may write them: leak, loudly. */
	if (!WARN_ONCE(held, "ixdp: buffers not returned, pool leaked\n")) {
		for (i = 0; i < core->nchunks; i++) {
			set_page_private(core->chunks[i], 0);
			__free_pages(core->chunks[i], core->chunk_order[i]);
		}
		kvfree(core->pool.bufs);
		kvfree(core->frags);
	}
	ixdp_slow_fini(core);
	ixdp_cpu_put(core->cpu);
	kvfree(core);
}

/**
 * ixdp_core_new() - build a core for @cpu, idle: no queue, no thread
 * @idev: the device it will serve
 * @cpu: a reserved CPU
 * @nqueues: the queues its pool is sized for
 *
 * Called with RTNL held.
 *
 * Return: the core, or an ERR_PTR(): -EINVAL (@cpu not reserved), -ENOMEM.
 */
struct ixdp_core *ixdp_core_new(struct ixdp_dev *idev, unsigned int cpu,
				unsigned int nqueues)
{
	struct ixdp_stack_config cfg = {
		.addr		= idev->addr,
		.gateway	= idev->gateway,
		.prefix_len	= idev->prefix_len,
		.mtu		= idev->dev->mtu,
		.hz		= IXDP_HZ,
		.punt_rate	= idev->linux_share ? idev->punt_rate : 0,
	};
	struct ixdp_core *core;
	int err;

	err = ixdp_cpu_get(cpu);
	if (err)
		return ERR_PTR(err);
	core = kvzalloc_node(sizeof(*core), GFP_KERNEL, cpu_to_node(cpu));
	if (!core) {
		ixdp_cpu_put(cpu);
		return ERR_PTR(-ENOMEM);
	}
	core->idev = idev;
	core->cpu = cpu;
	core->batch = idev->batch;
	err = ixdp_slow_init(core);
	if (err) {
		ixdp_cpu_put(cpu);
		kvfree(core);
		return ERR_PTR(err);
	}
	err = ixdp_core_pool(core, nqueues * IXDP_RX_TARGET + IXDP_POOL_EXTRA);
	if (err)
		goto out_free;
	ether_addr_copy(cfg.mac, idev->dev->dev_addr);
	err = ixdp_stack_init(&core->stack, &cfg, &ixdp_core_stack_ops,
			      &core->pool, div_u64(ktime_get_ns(),
						   NSEC_PER_SEC / IXDP_HZ));
	if (err)
		goto out_free;
	err = ixdp_echo_start(core, idev->echo_port);
	if (err)
		goto out_stack;
	return core;

out_stack:
	ixdp_stack_teardown(&core->stack);
out_free:
	ixdp_core_free(core);
	return ERR_PTR(err);
}

/**
 * ixdp_queue_take() - take queue pair @qid from the driver for @core
 * @idev: the device
 * @core: a core whose loop is not running: built, parked or stopped
 * @qid: the queue pair
 *
 * The device maps @core's pool; the receive ring is stocked later, by
 * ixdp_core_fill().
 *
 * Return: 0 or -errno, with the queue left to Linux.
 */
int ixdp_queue_take(struct ixdp_dev *idev, struct ixdp_core *core,
		    unsigned int qid)
{
	struct ixdp_queue *q;
	int err;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->drv.dev = idev->dev;
	q->drv.qid = qid;
	q->drv.release_rx = ixdp_release_rx;
	q->drv.release_tx = ixdp_release_tx;
	q->drv.notify = ixdp_queue_notify;
	if (idev->linux_share)
		q->drv.xmit_linux = ixdp_slow_xmit;
	q->core = core;
	q->target = IXDP_RX_TARGET;
	err = idev->ops->queue_take(&q->drv);
	if (err)
		goto out_free;
	/* The pool is whole already: the device maps it once, up front. */
	if (idev->ops->pool_map) {
		err = idev->ops->pool_map(&q->drv, core->chunks,
					  core->chunk_order, core->nchunks);
		if (err) {
			idev->ops->queue_give(&q->drv);
			goto out_free;
		}
	}
	core->queues[core->nqueues++] = q;
	return 0;

out_free:
	kfree(q);
	return err;
}

/* Counter structs are arrays of u64: sum them as such. */
static void ixdp_sum(u64 *dst, const u64 *src, size_t size)
{
	size_t i;

	for (i = 0; i < size / sizeof(u64); i++)
		dst[i] += READ_ONCE(src[i]);
}

static void ixdp_dev_stats_add(struct ixdp_core_stats *cs,
			       struct ixdp_stack_stats *ss,
			       const struct ixdp_core *core)
{
	static_assert(sizeof(*cs) % sizeof(u64) == 0);
	static_assert(sizeof(*ss) % sizeof(u64) == 0);
	ixdp_sum((u64 *)cs, (const u64 *)&core->stats, sizeof(*cs));
	ixdp_sum((u64 *)ss, (const u64 *)&core->stack.stats, sizeof(*ss));
}

/**
 * ixdp_dev_stats() - the counters of a device: its cores, past and present
 * @idev: the device
 * @cs: filled with the cores' loop counters
 * @ss: filled with the cores' stack counters
 *
 * Called with RTNL held, so that cores do not come and go meanwhile.
 */
void ixdp_dev_stats(struct ixdp_dev *idev, struct ixdp_core_stats *cs,
		    struct ixdp_stack_stats *ss)
{
	unsigned int i;

	ASSERT_RTNL();
	*cs = idev->retired;
	*ss = idev->retired_stack;
	for (i = 0; i < idev->ncores; i++)
		ixdp_dev_stats_add(cs, ss, idev->cores[i]);
}

/**
 * ixdp_queue_give() - give @core's last queue back to the driver
 * @idev: the device
 * @core: a core whose loop is parked, serving two queues or more (the
 *	first one, which it sends on, stays)
 *
 * The device returns the buffers it held to @core's pool.
 *
 * Return: the queue pair's number.
 */
unsigned int ixdp_queue_give(struct ixdp_dev *idev, struct ixdp_core *core)
{
	struct ixdp_queue *q = core->queues[--core->nqueues];
	unsigned int qid = q->drv.qid;

	ixdp_queue_sysfs_del(q);
	idev->ops->queue_give(&q->drv);
	WARN_ONCE(q->posted || q->inflight,
		  "ixdp: queue %u: buffers not returned\n", qid);
	core->queues[core->nqueues] = NULL;
	kfree(q);
	return qid;
}

/**
 * ixdp_core_stop() - stop a core and free it
 * @idev: its device
 * @core: the core: its thread is stopped, its queues given back, its
 *	counters folded into the device's retired ones
 *
 * Called with RTNL held.
 */
void ixdp_core_stop(struct ixdp_dev *idev, struct ixdp_core *core)
{
	struct ixdp_core_stats *r = &idev->retired;
	unsigned int i;

	ixdp_app_revoke(core);
	if (ixdp_cpu_cores[core->cpu] == core)
		ixdp_cpu_cores[core->cpu] = NULL;
	ixdp_core_sysfs_del(core);
	/* No interrupt or other core may wake the thread once it is gone. */
	ixdp_dev_handoff_leave(idev, core);
	WRITE_ONCE(core->waker, NULL);
	synchronize_rcu();
	if (core->task)
		kthread_stop(core->task);
	ixdp_slow_stop(core);
	for (i = 0; i < core->nqueues; i++)
		idev->ops->queue_give(&core->queues[i]->drv);
	ixdp_echo_stop(core);
	ixdp_stack_teardown(&core->stack);
	ixdp_dev_stats_add(r, &idev->retired_stack, core);
	ixdp_core_free(core);
}

/**
 * ixdp_core_offload() - let @core use what the queue it sends on offers
 * @idev: its device
 * @core: a core with its queues, not running
 */
void ixdp_core_offload(struct ixdp_dev *idev, struct ixdp_core *core)
{
	u32 features = core->queues[0]->drv.features;

	if (idev->tx_csum && features & IXDP_DRV_F_TX_CSUM)
		core->stack.cfg.offload |= IXDP_OFFLOAD_TX_CSUM;
	if (idev->tx_sg && features & IXDP_DRV_F_SG)
		core->stack.cfg.offload |= IXDP_OFFLOAD_TX_SG;
}

/**
 * ixdp_core_thread() - make @core's loop thread, not running yet
 * @core: a core
 *
 * Return: 0 or -errno.
 */
int ixdp_core_thread(struct ixdp_core *core)
{
	struct task_struct *t;

	t = kthread_create_on_cpu(ixdp_core_loop, core, core->cpu, "ixdp/%u");
	if (IS_ERR(t))
		return PTR_ERR(t);
	core->task = t;
	return 0;
}

/**
 * ixdp_core_run() - stock @core's receive rings and start its loop
 * @core: a core with its queues and its thread (ixdp_core_thread())
 *
 * Called with RTNL held.
 */
void ixdp_core_run(struct ixdp_core *core)
{
	ixdp_core_fill(core);
	WRITE_ONCE(core->waker, core->task);
	wake_up_process(core->task);
	ixdp_cpu_cores[core->cpu] = core;
}

/**
 * ixdp_core_serve() - stock @core's receive rings and make it its CPU's
 *	core, its loop run by the application thread that joined it
 * @core: a core with its queues, its loop thread parked
 *
 * Called with RTNL held.
 */
void ixdp_core_serve(struct ixdp_core *core)
{
	ixdp_core_fill(core);
	ixdp_cpu_cores[core->cpu] = core;
}

/**
 * ixdp_dev_split() - whether @idev leaves queue pairs to Linux
 * @idev: the device
 *
 * Return: true if fewer of its queues are attached than it has: the
 * dataplane's frames that reach Linux's then need the intake (intake.c).
 */
bool ixdp_dev_split(const struct ixdp_dev *idev)
{
	return bitmap_weight(idev->queues, IXDP_MAX_QUEUES) <
	       idev->dev->real_num_rx_queues;
}

static bool ixdp_addr_in(const __be32 *addrs, unsigned int n, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addrs[i] == addr)
			return true;
	return false;
}

/*
 * Best effort: let the device sort the dataplane's frames from Linux's
 * (steer.c); the intake and the slow path serve where it cannot.  Before
 * the handoff reads the indirection table, which it may rewrite.
 */
static void ixdp_dev_steer(struct ixdp_dev *idev)
{
	struct ixdp_steer_req req = {
		.addr		= idev->addr,
		.nrx		= idev->dev->real_num_rx_queues,
		.linux_share	= idev->linux_share,
	};
	__be32 addrs[IXDP_STEER_RULES];
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;

	idev->steer.why = NULL;
	if (!idev->steer_on)
		return;
	bitmap_to_arr32(&req.queues, idev->queues, IXDP_MAX_QUEUES);
	in_dev = __in_dev_get_rtnl(idev->dev);
	if (in_dev) {
		/*
		 * Each once (an address may come with several masks);
		 * counted past the array: ixdp_steer_start() refuses then.
		 */
		in_dev_for_each_ifa_rtnl(ifa, in_dev) {
			if (ixdp_addr_in(addrs, min_t(unsigned int, req.nlinux,
						      IXDP_STEER_RULES),
					 ifa->ifa_local))
				continue;
			if (req.nlinux < IXDP_STEER_RULES)
				addrs[req.nlinux] = ifa->ifa_local;
			req.nlinux++;
		}
	}
	req.linux_addrs = addrs;
	ixdp_steer_start(&idev->steer, idev->dev, idev->ops, &req);
}

/* Build the cores and take the queues; nothing runs yet. */
static int ixdp_dev_build(struct ixdp_dev *idev)
{
	unsigned int nq = bitmap_weight(idev->queues, IXDP_MAX_QUEUES);
	unsigned int i = 0, qid, cpu, c;
	struct ixdp_core *core;
	int err;

	for_each_cpu(cpu, &idev->cpus) {
		/*
		 * Queues i, i + ncpus, ... go to the i-th CPU.  The pool is
		 * sized for them all: scaling down may give a core any.
		 */
		core = ixdp_core_new(idev, cpu, nq);
		if (IS_ERR(core))
			return PTR_ERR(core);
		idev->cores[idev->ncores++] = core;
		if (++i == nq)
			break;
	}
	i = 0;
	for_each_set_bit(qid, idev->queues, IXDP_MAX_QUEUES) {
		c = i++ % idev->ncores;
		err = ixdp_queue_take(idev, idev->cores[c], qid);
		if (err)
			return err;
	}
	for (c = 0; c < idev->ncores; c++)
		ixdp_core_offload(idev, idev->cores[c]);
	ixdp_dev_steer(idev);
	ixdp_dev_rss_balance(idev, idev->cores, idev->ncores, NULL);
	return ixdp_dev_handoff_new(idev);
}

/**
 * ixdp_dev_attach() - hand the configured queues to the configured CPUs
 * @idev: a configured, detached device
 *
 * Called with RTNL held.
 *
 * Return: 0, or -errno with the device as it was: -EINVAL (incomplete
 * configuration, or a CPU that is not reserved), -ENETDOWN, -EBUSY (a
 * queue in use by AF_XDP or XDP, or a subset of the queues asked of a
 * device another rx_handler holds: a bridge port, a bond slave),
 * -EADDRINUSE (the address is one of Linux's own), -ENOMEM.
 */
int ixdp_dev_attach(struct ixdp_dev *idev)
{
	struct ixdp_core *core;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	if (!idev->addr || bitmap_empty(idev->queues, IXDP_MAX_QUEUES) ||
	    cpumask_empty(&idev->cpus))
		return -EINVAL;
	if (find_last_bit(idev->queues, IXDP_MAX_QUEUES) >=
	    idev->dev->real_num_rx_queues)
		return -EINVAL;
	if (!netif_running(idev->dev))
		return -ENETDOWN;
	/* Linux's own: the cores would keep what Linux should get. */
	if (inet_addr_type(dev_net(idev->dev), idev->addr) == RTN_LOCAL)
		return -EADDRINUSE;

	/* Where the cores' frames for Linux are merged (slow.c). */
	if (idev->linux_share) {
		err = gro_cells_init(&idev->gro, idev->dev);
		if (err)
			return err;
	}
	err = ixdp_dev_build(idev);
	if (err)
		goto out_unwind;
	for (i = 0; i < idev->ncores; i++) {
		core = idev->cores[i];
		err = ixdp_core_sysfs_add(core);
		if (!err)
			err = ixdp_core_thread(core);
		if (err)
			goto out_unwind;
		ixdp_core_run(core);
	}
	/* Queues left to Linux may get the dataplane's frames. */
	if (ixdp_dev_split(idev)) {
		err = ixdp_intake_start(idev);
		if (err)
			goto out_unwind;
	}
	idev->attached = true;
	return 0;

out_unwind:
	ixdp_steer_stop(&idev->steer, idev->dev, idev->ops);
	ixdp_dev_rss_restore(idev);
	while (idev->ncores)
		ixdp_core_stop(idev, idev->cores[--idev->ncores]);
	ixdp_dev_standby_revoke(idev);
	ixdp_dev_handoff_free(idev);
	gro_cells_destroy(&idev->gro);
	return err;
}

/**
 * ixdp_dev_detach() - give the queues back to the Linux stack
 * @idev: an attached device
 *
 * Called with RTNL held.
 */
void ixdp_dev_detach(struct ixdp_dev *idev)
{
	ASSERT_RTNL();
	ixdp_steer_stop(&idev->steer, idev->dev, idev->ops);
	ixdp_dev_rss_restore(idev);
	ixdp_intake_stop(idev);
	while (idev->ncores)
		ixdp_core_stop(idev, idev->cores[--idev->ncores]);
	ixdp_dev_standby_revoke(idev);
	ixdp_dev_handoff_free(idev);
	/* The cores' work is done: nothing reaches the cells any more. */
	gro_cells_destroy(&idev->gro);
	idev->attached = false;
}
