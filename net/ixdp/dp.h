/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp: attached devices, the cores that serve their queues, and the
 * per-core loop.  Private to net/ixdp.
 */
#ifndef _NET_IXDP_DP_H
#define _NET_IXDP_DP_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <net/ixdp_drv.h>

#include "buf.h"
#include "handoff.h"
#include "stack.h"
#include "steer.h"

#define IXDP_MAX_QUEUES		16
#define IXDP_BATCH_DEFAULT	64
/* Frames a second a core hands to Linux, and the most one may. */
#define IXDP_PUNT_RATE_DEFAULT	10000
#define IXDP_PUNT_RATE_MAX	1000000
#define IXDP_BATCH_MAX		512
/* Receive buffers kept posted per queue, and the pool per core. */
#define IXDP_RX_TARGET		256
#define IXDP_POOL_EXTRA		1024
#define IXDP_TXQ_LEN		256
#define IXDP_MAX_CHUNKS		64
/* Where in a buffer's room a receive buffer is posted. */
#define IXDP_POST_OFF		IXDP_BUF_HEADROOM
/* Ticks of the stack's clock per second. */
#define IXDP_HZ			1000
/* log2 buckets of the batch-size histogram: 1, 2-3, 4-7, ... 512 */
#define IXDP_HIST_BUCKETS	10

struct ixdp_app;
struct ixdp_dev;
struct ixdp_echo;

/**
 * struct ixdp_core_stats - counters of one core, written by it alone
 * @rx_packets: frames received
 * @rx_bytes: their bytes
 * @tx_packets: frames sent
 * @tx_bytes: their bytes
 * @rx_empty: buffers the device returned without a whole frame
 * @rx_csum_offload: frames whose TCP or UDP checksum the device verified,
 *	or whose sender on the same host left it to complete (not verified
 *	in software)
 * @rx_refill_short: times a receive ring could not be stocked to its
 *	target because the buffer pool was empty (the core goes deaf when
 *	its rings run dry)
 * @pool_empty: buffers asked of the core's pool when it had none, for
 *	receiving or sending (a copy of the pool's count)
 * @tx_dropped: frames not sent: no headroom, or the device's ring and
 *	the core's queue both full
 * @tx_deferred: frames the device's full ring did not take at a flush,
 *	kept in the core's queue for the next one
 * @tx_csum_offload: frames handed to the device to complete their TCP
 *	checksum
 * @tx_frags: frames handed to the device in pieces, their payload where
 *	the sender keeps it (zero copy)
 * @polls_busy: loop iterations that found work
 * @polls_idle: loop iterations that found none
 * @busy_ns: time in iterations that found work, by local_clock(); with
 *	an application, its runs that did work and its time between runs
 *	(app.c: ixdp_app_account())
 * @idle_ns: time in the others, sleeps included (counted on waking)
 * @batches: non-empty receive batches
 * @batch_hist: receive batch sizes, log2 buckets
 * @sleeps: times the loop slept waiting for an interrupt or a timer
 * @tcp_accepted: connections the echo service accepted
 * @tcp_connected: connections it opened
 * @tcp_connect_failed: connections it failed to open
 * @echo_bytes: bytes it received to echo
 * @linux_tx_packets: frames Linux sent through the core (slow.c)
 * @linux_tx_bytes: their bytes
 * @linux_tx_dropped: frames Linux sent that were dropped (a copy of
 *	@slow_tx_dropped of struct ixdp_core, made by the core)
 * @intake_packets: frames of the dataplane's taken from Linux's queues
 *	(intake.c)
 * @intake_bytes: their bytes
 * @intake_dropped: such frames dropped (a copy of @intake_dropped of
 *	struct ixdp_core, made by the core)
 */
struct ixdp_core_stats {
	u64	rx_packets;
	u64	rx_bytes;
	u64	tx_packets;
	u64	tx_bytes;
	u64	rx_empty;
	u64	rx_csum_offload;
	u64	rx_refill_short;
	u64	pool_empty;
	u64	tx_dropped;
	u64	tx_deferred;
	u64	tx_csum_offload;
	u64	tx_frags;
	u64	polls_busy;
	u64	polls_idle;
	u64	busy_ns;
	u64	idle_ns;
	u64	batches;
	u64	batch_hist[IXDP_HIST_BUCKETS];
	u64	sleeps;
	u64	tcp_accepted;
	u64	tcp_connected;
	u64	tcp_connect_failed;
	u64	echo_bytes;
	u64	linux_tx_packets;
	u64	linux_tx_bytes;
	u64	linux_tx_dropped;
	u64	intake_packets;
	u64	intake_bytes;
	u64	intake_dropped;
};

/**
 * struct ixdp_queue_stats - counters of one queue pair, written by its core
 * @rx_packets: frames received
 * @rx_bytes: their bytes
 * @tx_packets: frames sent
 * @tx_bytes: their bytes
 * @irq_wakes: receive interrupts that woke the sleeping loop (written
 *	from the interrupt handler, the only writer)
 */
struct ixdp_queue_stats {
	u64	rx_packets;
	u64	rx_bytes;
	u64	tx_packets;
	u64	tx_bytes;
	u64	irq_wakes;
};

/**
 * struct ixdp_queue - an attached queue pair
 * @drv: what the driver sees
 * @core: the core serving it
 * @kobj: /sys/class/net/<dev>/ixdp/queue<N>, while attached
 * @posted: receive buffers the device holds
 * @target: receive buffers to keep posted
 * @inflight: frames the device holds for sending
 * @stats: its counters
 */
struct ixdp_queue {
	struct ixdp_drv_queue	drv;
	struct ixdp_core	*core;
	struct kobject		*kobj;
	unsigned int		posted;
	unsigned int		target;
	unsigned int		inflight;
	struct ixdp_queue_stats	stats;
};

/**
 * struct ixdp_core - a reserved CPU serving queues of one device
 * @idev: the device
 * @cpu: the CPU
 * @task: its loop thread
 * @waker: @task while interrupts may wake it; cleared, then an RCU grace
 *	period, before the thread stops
 * @kobj: /sys/class/net/<dev>/ixdp/cpu<N>, while attached
 * @nqueues: queues it serves
 * @queues: them; the first one also sends
 * @batch: receive batch bound
 * @pool: its packet buffers
 * @frags: IXDP_BUF_FRAGS frag entries per buffer of @pool
 * @nchunks: memory chunks backing @pool
 * @chunks: them
 * @chunk_order: their page orders
 * @ntx: frames waiting in @txq
 * @ntx_old: of them, those the last flush left (counted in tx_deferred)
 * @txq: frames the stack sent, in order: those of this iteration, after
 *	those a full device ring left at the last flush
 * @txf: their descriptors for the driver, filled by the flush alone (a
 *	flush may run while @frames holds a receive batch)
 * @frames: scratch for receive, post and reclaim
 * @stats: its counters
 * @echo: its TCP and echo service (echo.c), while no application drives it
 * @app: the application driving it (app.c), NULL for none; set under RTNL
 * @connect_req: a connection the loop is asked to open: address in the
 *	high 32 bits, port in the low 16, 0 for none
 * @slow_rx: frames for Linux, to @slow_work (slow.c)
 * @slow_tx: frames Linux sends, to the core
 * @slow_done: Linux's skbs the core sent (or dropped), to @slow_work, to
 *	be freed on a CPU of Linux's; the core is its only producer
 * @slow_work: gives @slow_rx to Linux and frees @slow_done, on a CPU of
 *	Linux's
 * @slow_rx_queued: @slow_rx took frames in this poll
 * @slow_tx_dropped: frames Linux sent that were dropped: ring full,
 *	no buffer, too large, or not resolved to plain frames
 * @intake: the dataplane's frames from Linux's queues, to the core
 *	(intake.c)
 * @intake_dropped: such frames dropped, as @slow_tx_dropped
 * @stack: its network stack
 */
struct ixdp_core {
	struct ixdp_dev		*idev;
	unsigned int		cpu;
	struct task_struct	*task;
	struct task_struct	*waker;
	struct kobject		*kobj;
	unsigned int		nqueues;
	struct ixdp_queue	*queues[IXDP_MAX_QUEUES];
	unsigned int		batch;
	struct ixdp_pool	pool;
	struct ixdp_frag	*frags;
	unsigned int		nchunks;
	struct page		*chunks[IXDP_MAX_CHUNKS];
	u8			chunk_order[IXDP_MAX_CHUNKS];
	unsigned int		ntx;
	unsigned int		ntx_old;
	struct ixdp_buf		*txq[IXDP_TXQ_LEN];
	struct ixdp_drv_frame	txf[IXDP_TXQ_LEN];
	struct ixdp_drv_frame	frames[IXDP_BATCH_MAX];
	struct ixdp_core_stats	stats;
	struct ixdp_echo	*echo;
	struct ixdp_app		*app;
	u64			connect_req;
	struct ptr_ring		slow_rx;
	struct ptr_ring		slow_tx;
	struct ptr_ring		slow_done;
	struct work_struct	slow_work;
	bool			slow_rx_queued;
	atomic64_t		slow_tx_dropped;
	struct ptr_ring		intake;
	atomic64_t		intake_dropped;
	struct ixdp_stack	stack;
};

/**
 * struct ixdp_dev_handoff - the handoff group of a device's cores
 * @h: the group (handoff.h)
 * @rss: the device's receive hashing, if it has one (@h.rss then)
 * @core: the cores, for waking one; each cleared, then an RCU grace
 *	period, before its core goes
 */
struct ixdp_dev_handoff {
	struct ixdp_handoff	h;
	struct ixdp_rss		rss;
	struct ixdp_core	*core[IXDP_HANDOFF_CORES];
};

/**
 * struct ixdp_dev - a netdev whose driver has ixdp ops
 * @kobj: /sys/class/net/<dev>/ixdp
 * @dev: the netdev
 * @ops: its driver's ops
 * @queues: configured queue pairs
 * @cpus: configured CPUs, queues spread over them in order
 * @addr: configured IPv4 address
 * @gateway: configured gateway, 0 for none
 * @prefix_len: configured prefix length
 * @batch: configured batch bound
 * @echo_port: configured echo service port, 0 for none
 * @max_conns: TCP connections per core, for the echo service and apps
 * @syn_retries: SYN retransmissions before a connection attempt fails
 * @tx_csum: let the device complete TCP checksums where it can
 * @tx_sg: let the device read TCP payloads where they are, where it can
 * @punt_rate: frames a second each core hands to Linux at most (punt.c)
 * @linux_share: Linux keeps the traffic of its own on the attached queues: the
 *	cores hand it what is not theirs and send what it sends (slow.c)
 * @gro: where the frames the cores hand Linux are merged (slow.c), while
 *	attached with @linux_share
 * @owner: the uid the device is delegated to (app_perm.c), or invalid
 * @group: the gid the device is delegated to, or invalid
 * @attached: attached now
 * @intake: its rx_handler takes the dataplane's frames from Linux's
 *	queues (intake.c)
 * @ncores: cores serving it while attached
 * @cores: them
 * @next_connect: the core the next connect request goes to, modulo
 *	@ncores
 * @handoff: the handoff group of its cores, if more than one
 * @standby: elastic application threads waiting for a core (app_elastic.c)
 * @steer_on: let the device sort the dataplane's frames at attach (steer.c)
 * @steer: what steering changed, while attached
 * @rss_found: the indirection table as the first balance of the flow
 *	groups found it, if a balance changed it and steering will not put
 *	it back (attach_rss.c); NULL otherwise
 * @rss_nfound: its entries
 * @stats_kobj: /sys/class/net/<dev>/ixdp/stats
 * @retired: counters of cores gone with earlier detaches
 * @retired_stack: stack counters of those cores
 *
 * Configuration and attach state change under RTNL.
 */
struct ixdp_dev {
	struct kobject			kobj;
	struct net_device		*dev;
	const struct ixdp_drv_ops	*ops;
	DECLARE_BITMAP(queues, IXDP_MAX_QUEUES);
	struct cpumask			cpus;
	__be32				addr;
	__be32				gateway;
	u8				prefix_len;
	unsigned int			batch;
	__be16				echo_port;
	unsigned int			max_conns;
	unsigned int			syn_retries;
	bool				tx_csum;
	bool				tx_sg;
	unsigned int			punt_rate;
	bool				linux_share;
	struct gro_cells		gro;
	kuid_t				owner;
	kgid_t				group;
	bool				attached;
	bool				intake;
	unsigned int			ncores;
	struct ixdp_core		*cores[IXDP_MAX_QUEUES];
	unsigned int			next_connect;
	struct ixdp_dev_handoff		*handoff;
	struct list_head		standby;
	bool				steer_on;
	struct ixdp_steer		steer;
	u16				*rss_found;
	unsigned int			rss_nfound;
	struct kobject			*stats_kobj;
	struct ixdp_core_stats		retired;
	struct ixdp_stack_stats		retired_stack;
};

/**
 * struct ixdp_attr - an attribute of /sys/class/net/<dev>/ixdp
 * @attr: the sysfs attribute
 * @show: print it; called with RTNL held
 * @store: parse and apply it, 0 or -errno; called with RTNL held
 */
struct ixdp_attr {
	struct attribute	attr;
	ssize_t			(*show)(struct ixdp_dev *idev, char *buf);
	int			(*store)(struct ixdp_dev *idev, const char *buf);
};

#define to_ixdp_dev(k)	container_of(k, struct ixdp_dev, kobj)

/* attach.c */
struct ixdp_core *ixdp_core_of_cpu(unsigned int cpu);
struct ixdp_core *ixdp_core_new(struct ixdp_dev *idev, unsigned int cpu,
				unsigned int nqueues);
int ixdp_queue_take(struct ixdp_dev *idev, struct ixdp_core *core,
		    unsigned int qid);
unsigned int ixdp_queue_give(struct ixdp_dev *idev, struct ixdp_core *core);
void ixdp_core_offload(struct ixdp_dev *idev, struct ixdp_core *core);
int ixdp_core_thread(struct ixdp_core *core);
void ixdp_core_run(struct ixdp_core *core);
void ixdp_core_serve(struct ixdp_core *core);
void ixdp_core_stop(struct ixdp_dev *idev, struct ixdp_core *core);
bool ixdp_dev_split(const struct ixdp_dev *idev);
int ixdp_dev_attach(struct ixdp_dev *idev);
void ixdp_dev_detach(struct ixdp_dev *idev);
void ixdp_dev_stats(struct ixdp_dev *idev, struct ixdp_core_stats *cs,
		    struct ixdp_stack_stats *ss);

/* attach_handoff.c */
int ixdp_dev_handoff_new(struct ixdp_dev *idev);
struct ixdp_dev_handoff *ixdp_dev_handoff_alloc(unsigned int n,
						struct ixdp_core *const *cores);
int ixdp_dev_handoff_rebuild(struct ixdp_dev *idev, struct ixdp_dev_handoff *dh);
void ixdp_dev_handoff_discard(struct ixdp_dev_handoff *dh);
void ixdp_dev_handoff_leave(struct ixdp_dev *idev, struct ixdp_core *core);
void ixdp_dev_handoff_free(struct ixdp_dev *idev);

/* attach_rss.c */
bool ixdp_dev_rss_balance(struct ixdp_dev *idev, struct ixdp_core *const *cores,
			  unsigned int n, struct ixdp_rss *rss);
void ixdp_dev_rss_restore(struct ixdp_dev *idev);
void ixdp_rss_map(struct ixdp_rss *rss, const u16 *indir, unsigned int n,
		  struct ixdp_core *const *cores, unsigned int ncores);

/* echo.c */
int ixdp_echo_start(struct ixdp_core *core, __be16 port);
void ixdp_echo_stop(struct ixdp_core *core);
int ixdp_echo_connect(struct ixdp_core *core, __be32 daddr, __be16 dport);
int ixdp_echo_can_move(struct ixdp_core *from, struct ixdp_core *to);
unsigned int ixdp_echo_move(struct ixdp_core *from, struct ixdp_core *to);
unsigned int ixdp_echo_movable(struct ixdp_core *core);
unsigned int ixdp_echo_share(struct ixdp_core *from, struct ixdp_core *to,
			     unsigned int n, const struct ixdp_flow_sel *sel);

/* frag.c */
extern const struct ixdp_pool_ops ixdp_frag_ops;
void ixdp_frame_frags(struct ixdp_drv_frame *f, const struct ixdp_buf *b);

/* loop.c */
int ixdp_core_loop(void *arg);
unsigned int ixdp_core_poll(struct ixdp_core *core, unsigned int batch);
u64 ixdp_core_now(void);
void ixdp_core_sleep(struct ixdp_core *core, long timeout);
int ixdp_core_xmit(struct ixdp_stack *s, struct ixdp_buf *b);
void ixdp_core_wake(struct ixdp_core *core);

/* slow.c: Linux shares the device */
int ixdp_slow_init(struct ixdp_core *core);
void ixdp_slow_stop(struct ixdp_core *core);
void ixdp_slow_fini(struct ixdp_core *core);
int ixdp_slow_punt(struct ixdp_stack *s, struct ixdp_buf *b);
netdev_tx_t ixdp_slow_xmit(struct ixdp_drv_queue *dq, struct sk_buff *skb);
unsigned int ixdp_slow_poll(struct ixdp_core *core, unsigned int budget);
bool ixdp_slow_pending(struct ixdp_core *core);
void ixdp_slow_enqueue(struct sk_buff *skb, struct ptr_ring *ring,
		       atomic64_t *dropped);

/* intake.c */
int ixdp_intake_start(struct ixdp_dev *idev);
void ixdp_intake_stop(struct ixdp_dev *idev);
unsigned int ixdp_intake_poll(struct ixdp_core *core, unsigned int budget);
bool ixdp_intake_pending(struct ixdp_core *core);
void ixdp_queue_notify(struct ixdp_drv_queue *dq);
void ixdp_core_fill(struct ixdp_core *core);
unsigned int ixdp_core_tx_settle(struct ixdp_core *core, unsigned int ms);
unsigned int ixdp_core_quiesce(struct ixdp_core *core);
struct ixdp_buf *ixdp_rx_addr_to_buf(struct ixdp_core *core, void *addr);

/* netdev.c */
int __init ixdp_netdev_init(void);
void ixdp_netdev_drv_added(void);
void ixdp_netdev_drv_gone(const struct ixdp_drv_ops *ops);

/* stats.c */
void __init ixdp_stats_init(void);
struct kobject *ixdp_stats_dir_add(struct ixdp_dev *idev);
void ixdp_stats_dir_del(struct kobject *kobj);
int ixdp_core_sysfs_add(struct ixdp_core *core);
void ixdp_core_sysfs_del(struct ixdp_core *core);
void ixdp_queue_sysfs_del(struct ixdp_queue *q);

/* scale.c */
int ixdp_dev_scale(struct ixdp_dev *idev, const struct cpumask *want);

#endif /* _NET_IXDP_DP_H */
