/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An application bound to a core, in userspace: net/ixdp/app*.c compiled
 * unchanged, driven through ixdp_app_setup(), ixdp_app_run() and
 * ixdp_app_release() as the /dev/ix ioctls drive them, with the rings and
 * the TX memory laid out as the kernel lays them out (vmalloc_user() and
 * pinned pages are heap here; see shim/linux/mm.h).
 *
 * The core's stack is wired to a peer stack, 198.18.0.3, with TCP and a
 * UDP echo port of its own; frames cross in memory, into buffers of the
 * receiver's pool, when the core polls (the stub of loop.c's
 * ixdp_core_poll()) and when env_pump() runs.  The rest of the kernel
 * that app.c calls (cpu.c, echo.c, attach.c, loop.c) is stubbed here.
 * There is one environment at a time.
 *
 * With cfg.ncores 2 a second core serves the device (CPU 1), with an
 * application of the same process bound to it: env_use() picks the
 * application the helpers below act for, env_route() the core the
 * peer's frames reach (as the device would steer them).
 */
#ifndef _IX_APP_ENV_H
#define _IX_APP_ENV_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/sched.h>

#include "app.h"
#include "dp.h"
#include "handoff.h"

#define ENV_FRAMES	256		/* frames in flight each way */
#define ENV_PEER_BUFS	256
#define ENV_RESULT_UNSET	((s64)0x5a5a5a5a5a5a5a5aLL)

struct env_cfg {
	unsigned int	nbufs;		/* the core's pool */
	unsigned int	max_conns;
	u32		cmd_entries;
	u32		ev_entries;
	u32		timers;		/* 0: the default */
	u32		setup_flags;	/* IX_SETUP_F_* */
	unsigned int	tx_pages;	/* TX memory, 0 for none */
	bool		peer_echo;	/* the peer sends back what it gets */
	u32		offload;	/* the core's IXDP_OFFLOAD_* */
	unsigned int	ncores;		/* 0 or 1: one core; 2: two */
	bool		tx_apart;	/* the second's TX memory is its own */
};

/* What env_use() switches: one application and its core. */
struct env_side {
	struct ixdp_core	*core;
	struct ixdp_app		*app;
	struct ix_setup		setup;
	void			*pool_mem;
	struct ixdp_buf		*descs;
	uint8_t			*cmd;
	const uint8_t		*ev;
	u32			cmd_prod;
	u32			ev_cons;
};

struct env_link {
	uint16_t	len[ENV_FRAMES];
	bool		csum_ok[ENV_FRAMES];	/* L4 sum left to the device */
	uint8_t		(*data)[IXDP_BUF_SIZE];
	unsigned int	head, count;
	uint64_t	overflow;
};

struct env {
	struct env_cfg		cfg;
	struct net_device	ndev;
	struct ixdp_dev		idev;
	struct ixdp_core	*core;
	struct task_struct	kthread;	/* the core's loop thread */
	struct task_struct	task;		/* the application's thread */
	struct mm_struct	mm;
	struct ixdp_app		*app;
	struct ix_setup		setup;
	void			*pool_mem;	/* the RX pool mapping */
	struct ixdp_buf		*descs;
	uint8_t			*tx;		/* the TX memory */
	uint64_t		now;		/* ms */
	/* The peer. */
	struct ixdp_stack	peer;
	struct ixdp_pool	peer_pool;
	void			*peer_mem;
	struct ixdp_buf		*peer_descs;
	struct ixdp_tcp		*peer_tcp;
	u32			peer_conn[8];	/* handles, newest first */
	uint64_t		peer_rx;	/* bytes the peer received */
	struct env_link		to_core, to_peer;
	/* The application's view of its mappings. */
	uint8_t			*cmd;		/* the command ring mapping */
	const uint8_t		*ev;		/* the event ring mapping */
	u32			cmd_prod;	/* commands written */
	u32			ev_cons;	/* events read */
	/* The second core and its application, while the first is used. */
	struct env_side		other;
	struct task_struct	task2;
	struct task_struct	kthread2;
	unsigned int		side;		/* which env_use() picked */
	struct ixdp_core	*rx_core;	/* where the peer's frames go */
	/* With two cores: a segment at the wrong one goes to the other. */
	struct ixdp_handoff	handoff;
};

/* Act for the application of core @side (0 or 1) from now on. */
void env_use(struct env *e, unsigned int side);
/* The peer's frames reach core @side from now on. */
void env_route(struct env *e, unsigned int side);
/* The core and application of @side, whichever is in use. */
struct ixdp_core *env_core(struct env *e, unsigned int side);
struct ixdp_app *env_app(struct env *e, unsigned int side);

/* Build the core, the peer, and set the application up; 0 or -errno. */
int env_init(struct env *e, const struct env_cfg *cfg);
/*
 * Release the application and tear everything down; true if no buffer
 * was lost or put twice, every page unpinned and every thread back.
 */
bool env_fini(struct env *e);

/* Where the application's next command goes: zeroed, result unset. */
struct ix_cmd *env_cmd(struct env *e);
/* Publish the commands written, run one iteration; the ioctl's return. */
int env_run(struct env *e, struct ix_run *r);
/*
 * Deliver frames to the peer; frames it sends wait for the core's next
 * poll.
 */
void env_pump(struct env *e);
void env_advance(struct env *e, uint64_t ms);
/* The next event the application has not read, or NULL; read it. */
const struct ix_event *env_event(struct env *e);

/* The ring indices as the application sees them. */
u32 *env_cmd_producer(struct env *e);
const u32 *env_cmd_consumer(struct env *e);
u32 *env_ev_consumer(struct env *e);
const u32 *env_ev_producer(struct env *e);
struct ix_cmd *env_cmd_slot(struct env *e, u32 idx);
const struct ix_event *env_ev_slot(struct env *e, u32 idx);

/* The peer: send on its connection @h, connect to us, datagram to us. */
int env_peer_send(struct env *e, u32 h, unsigned int len);
int env_peer_connect(struct env *e, u16 port);
int env_peer_udp(struct env *e, u16 sport, u16 dport, unsigned int len);

/* Run and pump until an event of @type comes, at most @iters times. */
const struct ix_event *env_wait(struct env *e, u16 type, unsigned int iters);
/*
 * Listen on port 80; the peer connects, the application accepts with
 * @cookie: the connection's handle, or 0 if any of it failed.
 */
u32 env_accept_peer(struct env *e, u64 cookie);

#endif /* _IX_APP_ENV_H */
