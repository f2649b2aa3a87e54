/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp: an application bound to a core through /dev/ix.  Private to
 * net/ixdp.
 */
#ifndef _NET_IXDP_APP_H
#define _NET_IXDP_APP_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <uapi/linux/ix.h>
#include <asm/barrier.h>

#include "tcp.h"

struct ixdp_core;
struct ixdp_dev;
struct ixdp_flow_sel;
struct vm_area_struct;

/**
 * struct ixdp_ring - the kernel's side of a ring shared with the
 *	application
 * @mem: the mapping (vmalloc_user()): indices, then entries
 * @size: its bytes, page aligned
 * @producer: the producer index in @mem
 * @consumer: the consumer index in @mem
 * @dropped: the dropped counter in @mem
 * @entries: the first entry in @mem
 * @mask: entries - 1
 * @local: the kernel's own index, which the shared one (@consumer of the
 *	command ring, @producer of the event ring) only follows when
 *	published: commands answered, or events written
 * @peer: the application's index as last read (barrier A in ix.h): the
 *	event ring's consumer index.  Unused on the command ring, whose
 *	producer index is read afresh for each batch (barrier C)
 *
 * The barriers named A to D are the ones the ring contract in
 * include/uapi/linux/ix.h draws.
 */
struct ixdp_ring {
	void		*mem;
	size_t		size;
	u32		*producer;
	u32		*consumer;
	u32		*dropped;
	void		*entries;
	u32		mask;
	u32		local;
	u32		peer;
};

/**
 * struct ixdp_app_conn - what the kernel keeps for one connection of the
 *	application, by PCB index
 * @rx_head: the oldest RX buffer given in a recv event and not consumed
 * @rx_tail: the newest; buffers are linked by ->next
 * @rx_off: bytes of @rx_head consumed
 * @moved_in: the park request of the scale that moved it here from
 *	another core (app_move.c), or 0: it does not move again in that
 *	scale
 */
struct ixdp_app_conn {
	struct ixdp_buf	*rx_head;
	struct ixdp_buf	*rx_tail;
	u32		rx_off;
	u32		moved_in;
};

/**
 * struct ixdp_app_grave - the RX buffers of a connection gone, kept until
 *	the application has read the events that may name them
 * @head: the buffers, linked by ->next
 * @tag: the count of events produced (written or waiting late) once the
 *	connection went; the buffers go back when the application's
 *	consumer index of the event ring reaches it
 */
struct ixdp_app_grave {
	struct ixdp_buf	*head;
	u32		tag;
};

/* Connections gone whose buffers wait so, at most; beyond, the oldest go. */
#define IXDP_APP_GRAVES		64

/*
 * Commands one IX_IOC_RUN executes at most; the rest wait in the ring for
 * the next run, so that a run ends in bounded time whatever was queued.
 */
#define IXDP_APP_RUN_CMDS	4096
/* What this kernel announces in struct ix_version and ix_setup. */
#define IXDP_FEATURES		(IX_FEAT_TCP | IX_FEAT_RUN_SLEEP | \
				 IX_FEAT_UDP | IX_FEAT_TIMER | \
				 IX_FEAT_TCP_KEEPALIVE | IX_FEAT_ELASTIC | \
				 IX_FEAT_MOVED_OUT)

/**
 * struct ixdp_app_timer - an application timer
 * @timer: on the core's wheel while armed
 * @app: its application
 * @cookie: given back by its event
 * @gen: generation, in the high half of its handle; bumped when freed
 * @armed: set, not yet fired or cancelled
 */
struct ixdp_app_timer {
	struct ixdp_timer	timer;
	struct ixdp_app		*app;
	u64			cookie;
	u16			gen;
	bool			armed;
};

/**
 * struct ixdp_app - an open /dev/ix
 * @setup_lock: serializes setup and its undoing on the same file, so that
 *	a losing setup cannot free the winner's rings; taken before RTNL,
 *	mmap_lock and @lock (lock order in app.c)
 * @lock: protects the binding: @core, @task and the state a run uses
 *	(@tcp, @conns, @late, the timers); held by setup, run, mmap and
 *	unbind, so that a detach waits for a run
 * @core: the core driven; NULL before setup and after unbind
 * @task: the thread bound to it (a reference is held)
 * @mm: its address space (grabbed): one application per device
 * @cpu: the CPU of @core
 * @revoked: the binding is gone or going (a detach, the bound thread's
 *	exit, a failed setup): a run returns at once, setup is refused
 * @elastic: set up with %IX_SETUP_F_ELASTIC: follows the device's cores
 * @moved_out: set up with %IX_SETUP_F_MOVED_OUT: told of the connections
 *	it gives while it stays
 * @standby: on its device's list of standby threads (RTNL)
 * @park_req: a scale's request to park, by number (0: none); written by
 *	the scale without @lock, read by the run
 * @parked: the request the thread parked for (written under @lock, or
 *	by the scale for a thread it binds)
 * @down_cpu: the CPU + 1 of a core that left, while the thread has not
 *	been told (%IX_EV_CORE_DOWN) for want of room in its ring; 0 if told
 * @saved_mask: @task's affinity before setup, restored at unbind
 * @cmd: the command ring
 * @ev: the event ring
 * @run_events: events produced in the current run
 * @acct_ns: when the last run ended, for the core's busy time between
 *	runs (0: none yet on this core)
 * @tx_addr: the TX memory's address in the process
 * @tx_pages: the pinned TX memory
 * @tx_npages: its pages
 * @tx_kva: its kernel mapping
 * @tx_len: its bytes
 * @tx_user: the user charged for it
 * @udp_nports: UDP ports bound
 * @udp_ports: them
 * @udp_nslots: buffer slots of the RX pool
 * @udp_held: slots holding a datagram the application was given
 * @ntimers: timers it asked for at setup, a power of two
 * @timer_free: indices of the free timers, a FIFO of @ntimers entries
 * @timer_head: where the next free timer is taken from @timer_free
 * @timer_tail: where the next freed one goes; @timer_tail - @timer_head
 *	timers are free
 * @timers: its timers, @ntimers of them, while bound
 * @tcp: TCP of @core while bound
 * @conns: per connection, by PCB index; as many as @tcp has PCBs
 * @late: events that found the event ring full, oldest first, moved to
 *	it as it drains (timers fire whether or not there is room)
 * @late_head: index of the oldest in @late
 * @late_tail: index after the newest
 * @late_mask: entries of @late - 1
 * @graves: connections gone, oldest first, whose RX buffers recv events
 *	the application has not read yet may name
 * @grave_head: index of the oldest in @graves
 * @grave_tail: index after the newest
 */
struct ixdp_app {
	struct mutex		setup_lock;	/* one setup or undoing at a time */
	struct mutex		lock;	/* the binding, and all a run uses */
	struct ixdp_core	*core;
	struct task_struct	*task;
	struct mm_struct	*mm;
	unsigned int		cpu;
	bool			revoked;
	bool			elastic;
	bool			moved_out;
	struct list_head	standby;
	u32			park_req;
	u32			parked;
	u32			down_cpu;
	cpumask_var_t		saved_mask;
	struct ixdp_ring	cmd;
	struct ixdp_ring	ev;
	u32			run_events;
	u64			acct_ns;
	u64			tx_addr;
	struct page		**tx_pages;
	unsigned long		tx_npages;
	u8			*tx_kva;
	u64			tx_len;
	struct user_struct	*tx_user;
	unsigned int		udp_nports;
	__be16			udp_ports[IXDP_UDP_BINDS];
	unsigned int		udp_nslots;
	unsigned long		*udp_held;
	u32			ntimers;
	u32			*timer_free;
	u32			timer_head;
	u32			timer_tail;
	struct ixdp_app_timer	*timers;
	struct ixdp_tcp		*tcp;
	struct ixdp_app_conn	*conns;
	struct ix_event		*late;
	u32			late_head;
	u32			late_tail;
	u32			late_mask;
	struct ixdp_app_grave	graves[IXDP_APP_GRAVES];
	u32			grave_head;
	u32			grave_tail;
};

/* app.c */
int ixdp_app_setup(struct ixdp_app *app, struct ix_setup *p);
void ixdp_app_unsetup(struct ixdp_app *app);
void ixdp_app_release(struct ixdp_app *app);
void ixdp_app_revoke(struct ixdp_core *core);
void ixdp_app_task_exit(unsigned int cpu, struct task_struct *task);
int ixdp_app_run(struct ixdp_app *app, struct ix_run *r);
int ixdp_app_join(struct ixdp_app *app, struct ixdp_core *core);
void ixdp_app_retire(struct ixdp_app *app);

/* app_elastic.c */
struct ixdp_core *ixdp_app_free_core(struct ixdp_dev *idev);
void ixdp_app_stand_by(struct ixdp_app *app, struct ixdp_dev *idev);
void ixdp_app_stand_down(struct ixdp_app *app);
void ixdp_dev_standby_revoke(struct ixdp_dev *idev);
bool ixdp_app_gone(const struct ixdp_app *app);
void ixdp_dev_standby_prune(struct ixdp_dev *idev);
unsigned int ixdp_dev_standby_count(struct ixdp_dev *idev);
struct ixdp_app *ixdp_dev_standby_take(struct ixdp_dev *idev);
u32 ixdp_apps_park(struct ixdp_dev *idev);
void ixdp_apps_unpark(struct ixdp_dev *idev);
int ixdp_app_gate(struct ixdp_app *app, struct ix_run *r);
void ixdp_app_tell_down(struct ixdp_app *app);

/* app_perm.c */
#define IXDP_APPS_DELEGATED	0
#define IXDP_APPS_ADMIN		1
#define IXDP_APPS_DISABLED	2
int ixdp_apps_mode_get(void);
int ixdp_apps_mode_set(int mode);
int ixdp_app_permit(const struct ixdp_dev *idev);
bool ixdp_app_port_ok(const struct ixdp_app *app, __be16 port);

/* app_mem.c */
int ixdp_ring_alloc(struct ixdp_ring *r, u32 entries, size_t esize,
		    struct ix_ring_offsets *off);
void ixdp_ring_pair(struct ixdp_ring *cmd, struct ixdp_ring *ev,
		    struct ix_ring_offsets *ev_off);
void ixdp_ring_free(struct ixdp_ring *r);
int ixdp_tx_pin(struct ixdp_app *app, u64 addr, u64 len);
void ixdp_tx_unpin(struct ixdp_app *app);
int ixdp_app_mmap(struct ixdp_app *app, struct vm_area_struct *vma);
void ixdp_app_unmap_pool(struct ixdp_app *app);
u64 ixdp_rx_pool_size(const struct ixdp_core *core);
u64 ixdp_rx_pool_off(const struct ixdp_core *core, const struct ixdp_buf *b);

/* app_cmd.c */
unsigned int ixdp_app_commands(struct ixdp_app *app, unsigned int budget);
u32 ixdp_app_ev_room(struct ixdp_app *app);
u32 ixdp_app_ev_space(struct ixdp_app *app);
bool ixdp_app_ev(struct ixdp_app *app, u16 type, int status, void *cookie,
		 u32 handle, u32 len, u64 data);
bool ixdp_app_ev_try(struct ixdp_app *app, u16 type, int status,
		     void *cookie, u32 handle, u32 len, u64 data);
void __ixdp_app_ev_flush(struct ixdp_app *app);
u32 ixdp_app_ev_count(const struct ixdp_app *app);
bool ixdp_app_quiet(struct ixdp_app *app);
void ixdp_app_ev_drop_late(struct ixdp_app *app);
bool ixdp_app_ev_ring(struct ixdp_app *app, u16 type, int status, u64 data);

/**
 * ixdp_app_ev_flush() - move late events to the event ring while it has
 *	room
 * @app: the application
 *
 * Inline: every iteration of a run asks, and there are seldom any.
 */
static inline void ixdp_app_ev_flush(struct ixdp_app *app)
{
	if (app->late_head != app->late_tail)
		__ixdp_app_ev_flush(app);
}

/**
 * ixdp_app_ev_publish() - let the application see the events written
 * @app: the application
 */
static inline void ixdp_app_ev_publish(struct ixdp_app *app)
{
	/* (B): the events before the index; pairs with the app's (C). */
	smp_store_release(app->ev.producer, app->ev.local);
}

/* app_tcp.c */
extern const struct ixdp_tcp_ops ixdp_app_tcp_ops;
void ixdp_app_conns_release(struct ixdp_app *app);
void ixdp_app_graves_reap(struct ixdp_app *app, bool all);
void ixdp_app_conn_bury(struct ixdp_app *app, struct ixdp_app_conn *c);
void ixdp_app_bufs_put(struct ixdp_buf *b);
s64 ixdp_cmd_tcp_listen(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_unlisten(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_connect(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_accept(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_reject(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_abort(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_sendv(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_recv_done(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_close(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_tcp_keepalive(struct ixdp_app *app, const struct ix_cmd *c);

/* app_move.c */
/**
 * struct ixdp_app_move_need - what moves to one application need of it
 * @conns: connection slots
 * @bufs: buffers of its core's pool, for the unconsumed bytes
 * @events: room for their events
 * @timers: free timers, for the armed ones that move with them
 */
struct ixdp_app_move_need {
	unsigned int	conns;
	unsigned int	bufs;
	unsigned int	events;
	unsigned int	timers;
};

int ixdp_app_can_move_more(struct ixdp_app *from, struct ixdp_app *to,
			   struct ixdp_app_move_need *need);
int ixdp_app_can_move(struct ixdp_app *from, struct ixdp_app *to);
unsigned int ixdp_app_move(struct ixdp_app *from, struct ixdp_app *to);
unsigned int ixdp_app_movable(struct ixdp_app *app);
unsigned int ixdp_app_share(struct ixdp_app *from, struct ixdp_app *to,
			    unsigned int max, const struct ixdp_flow_sel *sel);

/* app_udp.c */
int ixdp_app_udp_init(struct ixdp_app *app);
void ixdp_app_udp_release(struct ixdp_app *app);
s64 ixdp_cmd_udp_bind(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_udp_unbind(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_udp_send(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_udp_recv_done(struct ixdp_app *app, const struct ix_cmd *c);

/* app_timer.c */
unsigned int ixdp_app_timers_armed(const struct ixdp_app *app);
void ixdp_app_timers_move(struct ixdp_app *from, struct ixdp_app *to);
int ixdp_app_timers_alloc(struct ixdp_app *app);
void ixdp_app_timers_free(struct ixdp_app *app);
void ixdp_app_timers_release(struct ixdp_app *app);
s64 ixdp_cmd_timer_set(struct ixdp_app *app, const struct ix_cmd *c);
s64 ixdp_cmd_timer_cancel(struct ixdp_app *app, const struct ix_cmd *c);

#endif /* _NET_IXDP_APP_H */
