// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp: counters in sysfs, one value per file.
 *
 *   /sys/class/net/<dev>/ixdp/stats/	every core that served the device,
 *					since ixdp first saw it
 *   /sys/class/net/<dev>/ixdp/cpu<N>/	the core on CPU N, while attached
 *   /sys/class/net/<dev>/ixdp/queue<N>/	queue pair N, while attached
 *
 * Counters are written by their core alone and read here without
 * stopping it.  A core or queue directory is looked up under RTNL at
 * every read, so one that outlives its core reads as ENODEV.
 */

#include <linux/kobject.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "dp.h"

/* Which counters struct a table entry reads. */
enum ixdp_stat_src {
	IXDP_SRC_CORE,		/* struct ixdp_core_stats */
	IXDP_SRC_STACK,		/* struct ixdp_stack_stats */
	IXDP_SRC_QUEUE,		/* struct ixdp_queue */
};

struct ixdp_stat {
	const char	*name;
	u8		src;
	u16		off;
};

#define CORE(_n, _f)	{ _n, IXDP_SRC_CORE, offsetof(struct ixdp_core_stats, _f) }
#define STACK(_n, _f)	{ _n, IXDP_SRC_STACK, offsetof(struct ixdp_stack_stats, _f) }
#define QUEUE(_n, _f)	{ _n, IXDP_SRC_QUEUE, offsetof(struct ixdp_queue, _f) }

static const struct ixdp_stat ixdp_core_stats_tbl[] = {
	CORE("rx_packets", rx_packets),
	CORE("rx_bytes", rx_bytes),
	CORE("tx_packets", tx_packets),
	CORE("tx_bytes", tx_bytes),
	CORE("rx_empty", rx_empty),
	CORE("rx_csum_offload", rx_csum_offload),
	CORE("rx_refill_short", rx_refill_short),
	CORE("pool_empty", pool_empty),
	CORE("tx_dropped", tx_dropped),
	CORE("tx_deferred", tx_deferred),
	CORE("tx_csum_offload", tx_csum_offload),
	CORE("tx_frags", tx_frags),
	CORE("polls_busy", polls_busy),
	CORE("polls_idle", polls_idle),
	CORE("busy_ns", busy_ns),
	CORE("idle_ns", idle_ns),
	CORE("batches", batches),
	/* batch_N: receive batches of N to 2N - 1 frames */
	CORE("batch_1", batch_hist[0]),
	CORE("batch_2", batch_hist[1]),
	CORE("batch_4", batch_hist[2]),
	CORE("batch_8", batch_hist[3]),
	CORE("batch_16", batch_hist[4]),
	CORE("batch_32", batch_hist[5]),
	CORE("batch_64", batch_hist[6]),
	CORE("batch_128", batch_hist[7]),
	CORE("batch_256", batch_hist[8]),
	CORE("batch_512", batch_hist[9]),
	CORE("sleeps", sleeps),
	CORE("tcp_accepted", tcp_accepted),
	CORE("tcp_connected", tcp_connected),
	CORE("tcp_connect_failed", tcp_connect_failed),
	CORE("echo_bytes", echo_bytes),
	CORE("linux_tx_packets", linux_tx_packets),
	CORE("linux_tx_bytes", linux_tx_bytes),
	CORE("linux_tx_dropped", linux_tx_dropped),
	CORE("intake_packets", intake_packets),
	CORE("intake_bytes", intake_bytes),
	CORE("intake_dropped", intake_dropped),
	STACK("arp_requests", arp_requests),
	STACK("arp_replies", arp_replies),
	STACK("arp_moves_refused", arp_moves_refused),
	STACK("arp_unres_evicted", arp_unres_evicted),
	STACK("arp_table_full", arp_table_full),
	STACK("icmp_echo_replies", icmp_echo_replies),
	STACK("icmp_errors", icmp_errors),
	STACK("icmp_errors_limited", icmp_errors_limited),
	STACK("icmp_errors_rejected", icmp_errors_rejected),
	STACK("punted", punted),
	STACK("punted_bytes", punted_bytes),
	STACK("punt_limited", punt_limited),
	STACK("punt_errors", punt_errors),
	STACK("udp_rx", udp_rx),
	STACK("tcp_resets", tcp_resets),
	STACK("tcp_resets_ack_only", tcp_resets_ack_only),
	STACK("handoff_out", handoff_out),
	STACK("handoff_in", handoff_in),
	STACK("handoff_drops", handoff_drops),
	STACK("handoff_arp", handoff_arp),
	/* struct ixdp_tcp_stats, summed over the core's TCP tables */
	STACK("tcp_segs_in", tcp.segs_in),
	STACK("tcp_segs_out", tcp.segs_out),
	STACK("tcp_bad_csum", tcp.bad_csum),
	STACK("tcp_malformed", tcp.malformed),
	STACK("tcp_rexmits", tcp.rexmits),
	STACK("tcp_fast_rexmits", tcp.fast_rexmits),
	STACK("tcp_partial_acks", tcp.partial_acks),
	STACK("tcp_sack_rexmits", tcp.sack_rexmits),
	STACK("tcp_lost_rexmits", tcp.lost_rexmits),
	STACK("tcp_timeouts", tcp.timeouts),
	STACK("tcp_dupacks", tcp.dupacks),
	STACK("tcp_ooo_queued", tcp.ooo_queued),
	STACK("tcp_ooo_dropped", tcp.ooo_dropped),
	STACK("tcp_pool_low_drops", tcp.pool_low_drops),
	STACK("tcp_held_drops", tcp.held_drops),
	STACK("tcp_tw_overflow", tcp.tw_overflow),
	STACK("tcp_tw_reused", tcp.tw_reused),
	STACK("tcp_tw_rst_ignored", tcp.tw_rst_ignored),
	STACK("tcp_fin_wait2_timeouts", tcp.fin_wait2_timeouts),
	STACK("tcp_keepalive_probes", tcp.keepalive_probes),
	STACK("tcp_keepalive_drops", tcp.keepalive_drops),
	STACK("tcp_early_held", tcp.early_held),
	STACK("tcp_early_dropped", tcp.early_dropped),
	STACK("tcp_probes", tcp.probes),
	STACK("tcp_persist_drops", tcp.persist_drops),
	STACK("tcp_pressure_drops", tcp.pressure_drops),
	STACK("tcp_cwnd_restarts", tcp.cwnd_restarts),
	STACK("tcp_delacks", tcp.delacks),
	STACK("tcp_syn_refused", tcp.syn_refused),
	STACK("tcp_challenge_acks", tcp.challenge_acks),
	STACK("tcp_challenge_acks_limited", tcp.challenge_acks_limited),
	STACK("tcp_cookies_sent", tcp.cookies_sent),
	STACK("tcp_cookies_valid", tcp.cookies_valid),
	STACK("tcp_cookies_rejected", tcp.cookies_rejected),
	STACK("tcp_resets_in", tcp.resets_in),
	STACK("tcp_resets_out", tcp.resets_out),
	STACK("tcp_paws_drops", tcp.paws_drops),
	STACK("tcp_rto_deferred", tcp.rto_deferred),
	STACK("tcp_tx_refused", tcp.tx_refused),
	STACK("tcp_tx_resumed", tcp.tx_resumed),
	STACK("tcp_spurious_rtos", tcp.spurious_rtos),
	STACK("tcp_late_lifts", tcp.late_lifts),
	STACK("tcp_oow_acks_limited", tcp.oow_acks_limited),
	STACK("tcp_pmtu_updates", tcp.pmtu_updates),
	STACK("tcp_pmtu_expired", tcp.pmtu_expired),
	STACK("tcp_icmp_ignored", tcp.icmp_ignored),
	STACK("tcp_active", tcp.active),
	STACK("tcp_passive", tcp.passive),
	STACK("tcp_closed", tcp.closed),
	STACK("tcp_migrated_out", tcp.migrated_out),
	STACK("tcp_migrated_in", tcp.migrated_in),
	STACK("tcp_migrate_refused", tcp.migrate_refused),
	STACK("tcp_moved_overflow", tcp.moved_overflow),
};

static const struct ixdp_stat ixdp_queue_stats_tbl[] = {
	QUEUE("rx_packets", stats.rx_packets),
	QUEUE("rx_bytes", stats.rx_bytes),
	QUEUE("tx_packets", stats.tx_packets),
	QUEUE("tx_bytes", stats.tx_bytes),
	QUEUE("irq_wakes", stats.irq_wakes),
	/* counted by the driver */
	QUEUE("doorbells", drv.doorbells),
};

static_assert(IXDP_HIST_BUCKETS == 10);

/* drop/<reason>: frames the stack dropped, one file per reason. */
static const char *const ixdp_drop_names[] = {
	[IXDP_DROP_ETH_SHORT]		= "eth_short",
	[IXDP_DROP_ETH_NOT_US]		= "eth_not_us",
	[IXDP_DROP_ETH_PROTO]		= "eth_proto",
	[IXDP_DROP_ARP_MALFORMED]	= "arp_malformed",
	[IXDP_DROP_ARP_NOT_US]		= "arp_not_us",
	[IXDP_DROP_ARP_CONFLICT]	= "arp_conflict",
	[IXDP_DROP_ARP_QUEUE_FULL]	= "arp_queue_full",
	[IXDP_DROP_NO_ARP]		= "no_arp",
	[IXDP_DROP_IP_TRUNCATED]	= "ip_truncated",
	[IXDP_DROP_IP_VERSION]		= "ip_version",
	[IXDP_DROP_IP_IHL]		= "ip_ihl",
	[IXDP_DROP_IP_BAD_LEN]		= "ip_bad_len",
	[IXDP_DROP_IP_CSUM]		= "ip_csum",
	[IXDP_DROP_IP_FRAGMENT]		= "ip_fragment",
	[IXDP_DROP_IP_TTL]		= "ip_ttl",
	[IXDP_DROP_IP_NOT_US]		= "ip_not_us",
	[IXDP_DROP_IP_BAD_SRC]		= "ip_bad_src",
	[IXDP_DROP_IP_PROTO]		= "ip_proto",
	[IXDP_DROP_NO_ROUTE]		= "no_route",
	[IXDP_DROP_TOO_BIG]		= "too_big",
	[IXDP_DROP_NO_ROOM]		= "no_room",
	[IXDP_DROP_ICMP_SHORT]		= "icmp_short",
	[IXDP_DROP_ICMP_CSUM]		= "icmp_csum",
	[IXDP_DROP_ICMP_TYPE]		= "icmp_type",
	[IXDP_DROP_UDP_BAD_LEN]		= "udp_bad_len",
	[IXDP_DROP_UDP_CSUM]		= "udp_csum",
	[IXDP_DROP_UDP_NO_PORT]		= "udp_no_port",
	[IXDP_DROP_TCP_MALFORMED]	= "tcp_malformed",
	[IXDP_DROP_TCP_CSUM]		= "tcp_csum",
	[IXDP_DROP_TCP_RST]		= "tcp_rst",
	[IXDP_DROP_TCP_CLOSED]		= "tcp_closed",
	[IXDP_DROP_POOL_EMPTY]		= "pool_empty",
};

static_assert(ARRAY_SIZE(ixdp_drop_names) == IXDP_DROP_MAX);

static u64 ixdp_stat_read(const struct ixdp_stat *st, const void *core,
			  const void *stack, const void *queue)
{
	const void *base = st->src == IXDP_SRC_CORE ? core :
			   st->src == IXDP_SRC_STACK ? stack : queue;

	return READ_ONCE(*(const u64 *)(base + st->off));
}

static u64 ixdp_drops(const struct ixdp_stack_stats *ss)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < IXDP_DROP_MAX; i++)
		sum += READ_ONCE(ss->drops[i]);
	return sum;
}

/*
 * An attribute names its table entry by index; "drops" (the sum of the
 * stack's drop reasons) is the index after the table, and drop/<reason>
 * the indices after that.
 */
struct ixdp_stat_attr {
	struct attribute	attr;
	unsigned int		idx;
};

#define IXDP_NCORE	ARRAY_SIZE(ixdp_core_stats_tbl)
#define IXDP_NQUEUE	ARRAY_SIZE(ixdp_queue_stats_tbl)

static struct ixdp_stat_attr ixdp_core_attr_mem[IXDP_NCORE + 1];
static struct attribute *ixdp_core_attrs[IXDP_NCORE + 2];
static struct ixdp_stat_attr ixdp_drop_attr_mem[IXDP_DROP_MAX];
static struct attribute *ixdp_drop_attrs[IXDP_DROP_MAX + 1];
static struct ixdp_stat_attr ixdp_queue_attr_mem[IXDP_NQUEUE];
static struct attribute *ixdp_queue_attrs[IXDP_NQUEUE + 1];

#define to_stat_attr(a)	container_of(a, struct ixdp_stat_attr, attr)

static ssize_t ixdp_stat_emit(char *buf, unsigned int idx,
			      const struct ixdp_core_stats *cs,
			      const struct ixdp_stack_stats *ss)
{
	if (idx == IXDP_NCORE)
		return sysfs_emit(buf, "%llu\n", ixdp_drops(ss));
	if (idx > IXDP_NCORE)
		return sysfs_emit(buf, "%llu\n",
				  READ_ONCE(ss->drops[idx - IXDP_NCORE - 1]));
	return sysfs_emit(buf, "%llu\n",
			  ixdp_stat_read(&ixdp_core_stats_tbl[idx], cs, ss, NULL));
}

static struct ixdp_core *ixdp_core_of(struct kobject *kobj)
{
	struct ixdp_dev *idev = to_ixdp_dev(kobj->parent);
	unsigned int i;

	for (i = 0; i < idev->ncores; i++)
		if (idev->cores[i]->kobj == kobj)
			return idev->cores[i];
	return NULL;
}

static struct ixdp_queue *ixdp_queue_of(struct kobject *kobj)
{
	struct ixdp_dev *idev = to_ixdp_dev(kobj->parent);
	struct ixdp_core *core;
	unsigned int i, j;

	for (i = 0; i < idev->ncores; i++) {
		core = idev->cores[i];
		for (j = 0; j < core->nqueues; j++)
			if (core->queues[j]->kobj == kobj)
				return core->queues[j];
	}
	return NULL;
}

static ssize_t ixdp_dev_stat_show(struct kobject *kobj, struct attribute *attr,
				  char *buf)
{
	struct ixdp_core_stats cs;
	struct ixdp_stack_stats ss;

	if (!rtnl_trylock())
		return restart_syscall();
	ixdp_dev_stats(to_ixdp_dev(kobj->parent), &cs, &ss);
	rtnl_unlock();
	return ixdp_stat_emit(buf, to_stat_attr(attr)->idx, &cs, &ss);
}

static ssize_t ixdp_core_stat_show(struct kobject *kobj, struct attribute *attr,
				   char *buf)
{
	struct ixdp_core *core;
	ssize_t ret = -ENODEV;

	if (!rtnl_trylock())
		return restart_syscall();
	core = ixdp_core_of(kobj);
	if (core)
		ret = ixdp_stat_emit(buf, to_stat_attr(attr)->idx, &core->stats,
				     &core->stack.stats);
	rtnl_unlock();
	return ret;
}

static ssize_t ixdp_queue_stat_show(struct kobject *kobj,
				    struct attribute *attr, char *buf)
{
	const struct ixdp_stat *st;
	struct ixdp_queue *q;
	ssize_t ret = -ENODEV;

	if (!rtnl_trylock())
		return restart_syscall();
	q = ixdp_queue_of(kobj);
	if (q) {
		st = &ixdp_queue_stats_tbl[to_stat_attr(attr)->idx];
		ret = sysfs_emit(buf, "%llu\n",
				 ixdp_stat_read(st, NULL, NULL, q));
	}
	rtnl_unlock();
	return ret;
}

static const struct sysfs_ops ixdp_dev_stat_ops = {
	.show	= ixdp_dev_stat_show,
};

static const struct sysfs_ops ixdp_core_stat_ops = {
	.show	= ixdp_core_stat_show,
};

static const struct sysfs_ops ixdp_queue_stat_ops = {
	.show	= ixdp_queue_stat_show,
};

static const struct attribute_group ixdp_core_group = {
	.attrs	= ixdp_core_attrs,
};

static const struct attribute_group ixdp_drop_group = {
	.name	= "drop",
	.attrs	= ixdp_drop_attrs,
};

static const struct attribute_group *ixdp_core_groups[] = {
	&ixdp_core_group,
	&ixdp_drop_group,
	NULL,
};

static const struct attribute_group ixdp_queue_group = {
	.attrs	= ixdp_queue_attrs,
};

static const struct attribute_group *ixdp_queue_groups[] = {
	&ixdp_queue_group,
	NULL,
};

static void ixdp_stat_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

/* The device-wide stats/ and the per-core directories list the same files. */
static const struct kobj_type ixdp_dev_stat_ktype = {
	.release	= ixdp_stat_kobj_release,
	.sysfs_ops	= &ixdp_dev_stat_ops,
	.default_groups	= ixdp_core_groups,
};

static const struct kobj_type ixdp_core_ktype = {
	.release	= ixdp_stat_kobj_release,
	.sysfs_ops	= &ixdp_core_stat_ops,
	.default_groups	= ixdp_core_groups,
};

static const struct kobj_type ixdp_queue_ktype = {
	.release	= ixdp_stat_kobj_release,
	.sysfs_ops	= &ixdp_queue_stat_ops,
	.default_groups	= ixdp_queue_groups,
};

static struct kobject *ixdp_stat_kobj(const struct kobj_type *type,
				      struct kobject *parent, const char *name,
				      unsigned int n)
{
	struct kobject *kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);
	int err;

	if (!kobj)
		return ERR_PTR(-ENOMEM);
	err = kobject_init_and_add(kobj, type, parent, name, n);
	if (err) {
		kobject_put(kobj);
		return ERR_PTR(err);
	}
	return kobj;
}

/* Gone from sysfs now, whenever the last reference goes. */
static void ixdp_stat_kobj_del(struct kobject *kobj)
{
	if (IS_ERR_OR_NULL(kobj))
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

/**
 * ixdp_stats_dir_add() - make /sys/class/net/<dev>/ixdp/stats
 * @idev: a device whose ixdp directory was just made
 *
 * Return: the directory's kobject, or an ERR_PTR().
 */
struct kobject *ixdp_stats_dir_add(struct ixdp_dev *idev)
{
	return ixdp_stat_kobj(&ixdp_dev_stat_ktype, &idev->kobj, "stats", 0);
}

/**
 * ixdp_stats_dir_del() - remove what ixdp_stats_dir_add() made
 * @kobj: its kobject
 */
void ixdp_stats_dir_del(struct kobject *kobj)
{
	ixdp_stat_kobj_del(kobj);
}

/**
 * ixdp_queue_sysfs_del() - remove the queue<N> directory of @q
 * @q: a queue being given back
 */
void ixdp_queue_sysfs_del(struct ixdp_queue *q)
{
	ixdp_stat_kobj_del(q->kobj);
	q->kobj = NULL;
}

/**
 * ixdp_core_sysfs_add() - make the cpu<N> and queue<N> directories
 * @core: a core being attached, or one that took queues (ix scale):
 *	what it has already stays
 *
 * Return: 0 or -errno, with nothing made.
 */
int ixdp_core_sysfs_add(struct ixdp_core *core)
{
	struct kobject *parent = &core->idev->kobj;
	struct ixdp_queue *q;
	unsigned int i;
	int err;

	if (!core->kobj) {
		core->kobj = ixdp_stat_kobj(&ixdp_core_ktype, parent, "cpu%u",
					    core->cpu);
		if (IS_ERR(core->kobj)) {
			err = PTR_ERR(core->kobj);
			core->kobj = NULL;
			return err;
		}
	}
	for (i = 0; i < core->nqueues; i++) {
		q = core->queues[i];
		if (q->kobj)
			continue;
		q->kobj = ixdp_stat_kobj(&ixdp_queue_ktype, parent, "queue%u",
					 q->drv.qid);
		if (IS_ERR(q->kobj)) {
			err = PTR_ERR(q->kobj);
			q->kobj = NULL;
			ixdp_core_sysfs_del(core);
			return err;
		}
	}
	return 0;
}

/**
 * ixdp_core_sysfs_del() - remove what ixdp_core_sysfs_add() made
 * @core: a core being detached
 */
void ixdp_core_sysfs_del(struct ixdp_core *core)
{
	unsigned int i;

	for (i = 0; i < core->nqueues; i++)
		ixdp_queue_sysfs_del(core->queues[i]);
	ixdp_stat_kobj_del(core->kobj);
	core->kobj = NULL;
}

static void __init ixdp_stat_attr_init(struct ixdp_stat_attr *a,
				       struct attribute **list,
				       const char *name, unsigned int idx)
{
	sysfs_attr_init(&a->attr);
	a->attr.name = name;
	a->attr.mode = 0444;
	a->idx = idx;
	*list = &a->attr;
}

/**
 * ixdp_stats_init() - build the attribute lists from the tables
 */
void __init ixdp_stats_init(void)
{
	unsigned int i;

	for (i = 0; i < IXDP_NCORE; i++)
		ixdp_stat_attr_init(&ixdp_core_attr_mem[i], &ixdp_core_attrs[i],
				    ixdp_core_stats_tbl[i].name, i);
	ixdp_stat_attr_init(&ixdp_core_attr_mem[i], &ixdp_core_attrs[i],
			    "drops", i);
	for (i = 0; i < IXDP_DROP_MAX; i++)
		ixdp_stat_attr_init(&ixdp_drop_attr_mem[i], &ixdp_drop_attrs[i],
				    ixdp_drop_names[i], IXDP_NCORE + 1 + i);
	for (i = 0; i < IXDP_NQUEUE; i++)
		ixdp_stat_attr_init(&ixdp_queue_attr_mem[i],
				    &ixdp_queue_attrs[i],
				    ixdp_queue_stats_tbl[i].name, i);
}
