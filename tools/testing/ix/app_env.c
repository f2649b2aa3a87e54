// SPDX-License-Identifier: GPL-2.0
/*
 * An application bound to a core, in userspace (see app_env.h), and the
 * stubs of the kernel app.c calls outside net/ixdp/app*.c.
 */

#include <stdlib.h>
#include <string.h>
#include <linux/vmalloc.h>

#include "app_env.h"

#define ENV_ADDR	0xc6120002	/* 198.18.0.2, the core */
#define ENV_PEER	0xc6120003	/* 198.18.0.3 */

static const u8 env_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const u8 env_peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x03 };
static u8 env_pattern[65536];

/* What shim/ expects the harness to define. */
struct task_struct *ix_current;
int ix_rtnl_held;
long ix_pinned_pages;
void *ix_vmap_alias[IX_VMAP_ALIASES];
size_t ix_vmap_len[IX_VMAP_ALIASES];

static struct env *env_cur;

/*
 * The big blocks stay from one environment to the next, since a fuzzer
 * makes thousands a second: the links, the pools' memory, the core, the
 * application, the peer's TCP (and env_tx_block(): the TX memory).
 */
enum {
	ENV_TO_CORE, ENV_TO_PEER, ENV_POOL, ENV_PEER_POOL, ENV_CORE, ENV_APP,
	ENV_PEER_TCP, ENV_POOL2, ENV_CORE2, ENV_APP2, ENV_RING01, ENV_RING10,
	ENV_BLOCKS
};

/*
 * The TX memory, shared memory so that each file's vmap() of it is an
 * address of its own (shim/linux/vmalloc.h), as in the kernel; zeroed.
 */
static uint8_t *env_tx_block(unsigned int which, size_t size)
{
	static size_t len[2];
	static void *block[2];

	if (len[which] < size) {
		if (block[which])
			munmap(block[which], len[which]);
		block[which] = mmap(NULL, size, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (block[which] == MAP_FAILED)
			block[which] = NULL;
		len[which] = block[which] ? size : 0;
	}
	if (block[which])
		memset(block[which], 0, size);
	return block[which];
}

static void *env_block(unsigned int which, size_t size, bool zero)
{
	static size_t len[ENV_BLOCKS];
	static void *block[ENV_BLOCKS];

	size = PAGE_ALIGN(size);
	if (len[which] < size) {
		free(block[which]);
		block[which] = aligned_alloc(PAGE_SIZE, size);
		len[which] = block[which] ? size : 0;
	}
	if (block[which] && zero)
		memset(block[which], 0, size);
	return block[which];
}

void *memchr_inv(const void *start, int c, size_t bytes)
{
	const u8 *p = start;
	size_t i;

	for (i = 0; i < bytes; i++)
		if (p[i] != (u8)c)
			return (void *)(p + i);
	return NULL;
}

/* tools/include's find.h: from tools/lib/find_bit.c, which we don't build. */
unsigned long _find_next_bit(const unsigned long *addr, unsigned long nbits,
			     unsigned long start)
{
	for (; start < nbits; start++)
		if (addr[start / BITS_PER_LONG] >> (start % BITS_PER_LONG) & 1)
			return start;
	return nbits;
}

unsigned long _find_first_bit(const unsigned long *addr, unsigned long size)
{
	return _find_next_bit(addr, size, 0);
}

u64 ktime_get_ns(void)
{
	return env_cur->now * 1000000;
}

/* loop.c */
u64 ixdp_core_now(void)
{
	return env_cur->now;
}

void ixdp_core_sleep(struct ixdp_core *core, long timeout)
{
}

/*
 * A frame from @l into a buffer of @p, or NULL with none waiting.  A
 * device completes the checksum of a frame sent with it left undone, and
 * the receiving device says so.
 */
static struct ixdp_buf *env_link_pop(struct env_link *l, struct ixdp_pool *p)
{
	unsigned int i = l->head;
	struct ixdp_buf *b;

	if (!l->count)
		return NULL;
	l->head = (l->head + 1) % ENV_FRAMES;
	l->count--;
	b = ixdp_buf_get(p);
	if (!b)
		return NULL;
	ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
	memcpy(ixdp_buf_put_tail(b, l->len[i]), l->data[i], l->len[i]);
	if (l->csum_ok[i])
		b->flags |= IXDP_BUF_CSUM_OK;
	return b;
}

/*
 * The core's device: a frame the peer sent, as the driver hands it over
 * (verified, if the device verifies checksums).  Not inlined: bench_app
 * leaves the device's work out of its count by this name.
 */
static noinline struct ixdp_buf *env_core_rx(struct env *e,
					     struct ixdp_core *core)
{
	struct ixdp_buf *b = env_link_pop(&e->to_core, &core->pool);

	if (b && core->stack.cfg.offload & IXDP_OFFLOAD_RX_CSUM)
		b->flags |= IXDP_BUF_CSUM_OK;
	return b;
}

/*
 * The device: what the peer sent, up to @batch frames, into the stack;
 * then the stack's part of loop.c's poll.  Sent frames leave at once
 * (env_core_xmit()): no queue to reclaim, flush or refill.
 */
unsigned int ixdp_core_poll(struct ixdp_core *core, unsigned int batch)
{
	struct env *e = env_cur;
	unsigned int n = 0;
	struct ixdp_buf *b;

	while (core == e->rx_core && n < batch && e->to_core.count) {
		b = env_core_rx(e, core);
		n++;
		if (b)
			ixdp_eth_rx(&core->stack, b);
	}
	n += ixdp_handoff_poll(&core->stack, batch);
	ixdp_stack_advance(&core->stack, ixdp_core_now());
	return n;
}

/* A new binding: frames waiting for the core go; nothing is in flight. */
unsigned int ixdp_core_quiesce(struct ixdp_core *core)
{
	struct env *e = env_cur;

	while (e && e->to_core.count)
		ixdp_buf_put(env_link_pop(&e->to_core, &core->pool));
	return 0;
}

/* cpu.c, echo.c, attach.c */
int ixdp_cpu_bind(unsigned int cpu, struct task_struct *t)
{
	return cpu < env_cur->idev.ncores ? 0 : -EINVAL;
}

void ixdp_cpu_unbind(unsigned int cpu, struct task_struct *t)
{
}

int ixdp_echo_start(struct ixdp_core *core, __be16 port)
{
	return 0;
}

void ixdp_echo_stop(struct ixdp_core *core)
{
}

/*
 * app_elastic.c: the harness has no scale; its applications are not set
 * up elastic (app_move_test.c moves connections by hand).
 */
struct ixdp_core *ixdp_app_free_core(struct ixdp_dev *idev)
{
	return NULL;
}

void ixdp_app_stand_by(struct ixdp_app *app, struct ixdp_dev *idev)
{
}

void ixdp_app_stand_down(struct ixdp_app *app)
{
}

int ixdp_app_gate(struct ixdp_app *app, struct ix_run *r)
{
	return 1;
}

void ixdp_app_tell_down(struct ixdp_app *app)
{
}

void ixdp_dev_standby_prune(struct ixdp_dev *idev)
{
}

/* app_perm.c: the harness's application may do what root may. */
int ixdp_app_permit(const struct ixdp_dev *idev)
{
	return 0;
}

bool ixdp_app_port_ok(const struct ixdp_app *app, __be16 port)
{
	return true;
}

struct ixdp_core *ixdp_core_of_cpu(unsigned int cpu)
{
	return cpu < env_cur->idev.ncores ? env_cur->idev.cores[cpu] : NULL;
}

/* Sent frames are copied onto the link; the buffer goes back at once. */
static void env_link_push(struct env_link *l, struct ixdp_buf *b)
{
	unsigned int i = (l->head + l->count) % ENV_FRAMES;

	if (l->count == ENV_FRAMES || b->len > IXDP_BUF_SIZE ||
	    b->len != ixdp_buf_linear_len(b)) {
		l->overflow++;
	} else {
		l->len[i] = b->len;
		l->csum_ok[i] = b->flags & IXDP_BUF_CSUM_PARTIAL;
		memcpy(l->data[i], ixdp_buf_data(b), b->len);
		l->count++;
	}
	ixdp_buf_put(b);
}

/* Not inlined, as env_core_rx(). */
static noinline int env_core_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	env_link_push(&env_cur->to_peer, b);
	return 0;
}

static int env_peer_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	env_link_push(&env_cur->to_core, b);
	return 0;
}

static const struct ixdp_stack_ops env_core_ops = { .xmit = env_core_xmit };
static const struct ixdp_stack_ops env_peer_ops = { .xmit = env_peer_xmit };

/* The peer's TCP: accepts, consumes at once, echoes if asked. */
static void peer_knock(struct ixdp_stack *s, void *lcookie, u32 h,
		       __be32 raddr, __be16 rport)
{
	struct env *e = env_cur;

	memmove(e->peer_conn + 1, e->peer_conn,
		sizeof(e->peer_conn) - sizeof(e->peer_conn[0]));
	e->peer_conn[0] = h;
	ixdp_tcp_accept(s, h, NULL);
}

static void peer_connected(struct ixdp_stack *s, void *cookie, u32 h,
			   int status)
{
}

static void peer_recv(struct ixdp_stack *s, void *cookie, u32 h,
		      struct ixdp_buf *b)
{
	struct ixdp_iov iov = { env_pattern, 0 };
	struct env *e = env_cur;

	if (!b) {
		ixdp_tcp_close(s, h);
		return;
	}
	e->peer_rx += b->len;
	if (e->cfg.peer_echo) {
		iov.len = b->len;
		ixdp_tcp_sendv(s, h, &iov, 1);
	}
	ixdp_tcp_recv_done(s, h, b->len, 1);
	ixdp_buf_put(b);
}

static const struct ixdp_tcp_ops env_peer_tcp_ops = {
	.knock		= peer_knock,
	.connected	= peer_connected,
	.recv		= peer_recv,
};

static void peer_udp_echo(struct ixdp_stack *s, void *cookie,
			  struct ixdp_buf *b, __be32 saddr, __be16 sport)
{
	ixdp_udp_send(s, b, cpu_to_be16(7), saddr, sport);
}

static int env_pool(struct ixdp_pool *p, struct ixdp_buf **descs,
		    void **mem, unsigned int n, unsigned int block)
{
	*descs = calloc(n, sizeof(**descs));
	*mem = env_block(block, (size_t)n * IXDP_BUF_SIZE, false);
	if (!*descs || !*mem)
		return -ENOMEM;
	ixdp_pool_init(p, *descs, n);
	return ixdp_pool_add(p, *mem, (size_t)n * IXDP_BUF_SIZE) == n ?
	       0 : -ENOMEM;
}

/* A core of the device: its pool and its stack, at the device's address. */
static int env_core_stack(struct env *e, struct ixdp_core *core,
			  struct ixdp_buf **descs, void **mem,
			  unsigned int block)
{
	struct ixdp_stack_config cfg = {
		.addr = cpu_to_be32(ENV_ADDR),
		.prefix_len = 24,
		.hz = IXDP_HZ,
	};
	int err;

	memcpy(cfg.mac, env_mac, ETH_ALEN);
	cfg.offload = e->cfg.offload;
	err = env_pool(&core->pool, descs, mem, e->cfg.nbufs, block);
	if (err)
		return err;
	core->idev = &e->idev;
	core->batch = IXDP_BATCH_DEFAULT;
	return ixdp_stack_init(&core->stack, &cfg, &env_core_ops, &core->pool,
			       0);
}

static int env_stacks(struct env *e)
{
	struct ixdp_tcp_config tcfg = { 0 };
	struct ixdp_stack_config cfg = {
		.prefix_len = 24,
		.hz = IXDP_HZ,
	};
	int err;

	err = env_core_stack(e, e->core, &e->descs, &e->pool_mem, ENV_POOL);
	if (err)
		return err;
	memcpy(cfg.mac, env_peer_mac, ETH_ALEN);
	cfg.addr = cpu_to_be32(ENV_PEER);
	err = env_pool(&e->peer_pool, &e->peer_descs, &e->peer_mem,
		       ENV_PEER_BUFS, ENV_PEER_POOL);
	if (err)
		return err;
	err = ixdp_stack_init(&e->peer, &cfg, &env_peer_ops, &e->peer_pool, 0);
	if (err)
		return err;
	e->peer_tcp = env_block(ENV_PEER_TCP, ixdp_tcp_size(16), true);
	if (!e->peer_tcp)
		return -ENOMEM;
	err = ixdp_tcp_init(&e->peer, e->peer_tcp, 16, &tcfg,
			    &env_peer_tcp_ops);
	if (err)
		return err;
	ixdp_tcp_listen(&e->peer, cpu_to_be16(80), 8, NULL);
	return ixdp_udp_bind(&e->peer, cpu_to_be16(7), peer_udp_echo, NULL);
}

/* Set up the application of core @cpu, with @tx its TX memory. */
static int env_app_setup(struct env *e, unsigned int cpu, uint8_t *tx)
{
	int err;

	mutex_init(&e->app->lock);
	INIT_LIST_HEAD(&e->app->standby);
	if (tx) {
		e->setup.tx_addr = (uintptr_t)tx;
		e->setup.tx_len = e->cfg.tx_pages * PAGE_SIZE;
	}
	e->setup.cpu = cpu;
	e->setup.cmd_entries = e->cfg.cmd_entries;
	e->setup.event_entries = e->cfg.ev_entries;
	e->setup.timers = e->cfg.timers;
	e->setup.flags = e->cfg.setup_flags;
	err = ixdp_app_setup(e->app, &e->setup);
	if (err)
		return err;
	/* mmap(): the kernel's memory is the application's here. */
	e->cmd = e->app->cmd.mem;
	e->ev = e->app->ev.mem;
	return 0;
}

/* Swap the side in use with the other one. */
static void env_swap(struct env *e)
{
	struct env_side cur = {
		.core = e->core, .app = e->app, .setup = e->setup,
		.pool_mem = e->pool_mem, .descs = e->descs, .cmd = e->cmd,
		.ev = e->ev, .cmd_prod = e->cmd_prod, .ev_cons = e->ev_cons,
	};

	e->core = e->other.core;
	e->app = e->other.app;
	e->setup = e->other.setup;
	e->pool_mem = e->other.pool_mem;
	e->descs = e->other.descs;
	e->cmd = e->other.cmd;
	e->ev = e->other.ev;
	e->cmd_prod = e->other.cmd_prod;
	e->ev_cons = e->other.ev_cons;
	e->other = cur;
	e->side ^= 1;
	ix_current = e->side ? &e->task2 : &e->task;
}

void env_use(struct env *e, unsigned int side)
{
	env_cur = e;
	if (side != e->side && e->other.core)
		env_swap(e);
}

void env_route(struct env *e, unsigned int side)
{
	e->rx_core = env_core(e, side);
}

struct ixdp_core *env_core(struct env *e, unsigned int side)
{
	return side == e->side ? e->core : e->other.core;
}

struct ixdp_app *env_app(struct env *e, unsigned int side)
{
	return side == e->side ? e->app : e->other.app;
}

/* The second core, CPU 1, and its application, of the same process. */
static int env_second(struct env *e)
{
	struct ixdp_core *core;
	uint8_t *tx = e->tx;
	int err;

	core = env_block(ENV_CORE2, sizeof(*core), true);
	e->other.app = env_block(ENV_APP2, sizeof(*e->app), true);
	if (!core || !e->other.app)
		return -ENOMEM;
	if (e->cfg.tx_apart && e->cfg.tx_pages) {
		tx = env_tx_block(1, e->cfg.tx_pages * PAGE_SIZE);
		if (!tx)
			return -ENOMEM;
	}
	e->other.core = core;
	e->idev.cores[1] = core;
	e->idev.ncores = 2;
	core->cpu = 1;
	core->task = &e->kthread2;
	core->waker = &e->kthread2;
	e->task2.mm = &e->mm;
	set_cpus_allowed_ptr(&e->task2, cpumask_of(0));
	e->handoff.ncores = 2;
	e->handoff.ring[0][1] = env_block(ENV_RING01,
					  sizeof(struct ixdp_handoff_ring), true);
	e->handoff.ring[1][0] = env_block(ENV_RING10,
					  sizeof(struct ixdp_handoff_ring), true);
	if (!e->handoff.ring[0][1] || !e->handoff.ring[1][0])
		return -ENOMEM;
	env_swap(e);
	err = env_core_stack(e, core, &e->descs, &e->pool_mem, ENV_POOL2);
	if (!err)
		err = env_app_setup(e, 1, tx);
	env_swap(e);
	if (err)
		return err;
	/* Steering follows the sending queue, as on a tap. */
	ixdp_handoff_join(&e->core->stack, &e->handoff, 0);
	ixdp_handoff_join(&core->stack, &e->handoff, 1);
	return 0;
}

/**
 * env_init() - the core, the peer and a set-up application
 * @e: the environment, anything on entry
 * @cfg: its configuration
 *
 * Return: 0, or -errno (then env_fini() still cleans up).
 */
int env_init(struct env *e, const struct env_cfg *cfg)
{
	struct ixdp_core *core;
	int err;

	memset(e, 0, sizeof(*e));
	env_cur = e;
	e->cfg = *cfg;
	e->to_core.data = env_block(ENV_TO_CORE, ENV_FRAMES * IXDP_BUF_SIZE,
				    false);
	e->to_peer.data = env_block(ENV_TO_PEER, ENV_FRAMES * IXDP_BUF_SIZE,
				    false);
	e->core = core = env_block(ENV_CORE, sizeof(*core), true);
	e->app = env_block(ENV_APP, sizeof(*e->app), true);
	if (!e->to_core.data || !e->to_peer.data || !core || !e->app)
		return -ENOMEM;
	if (!env_pattern[1])
		for (unsigned int i = 0; i < sizeof(env_pattern); i++)
			env_pattern[i] = i * 7 + i / 251;
	e->ndev.ifindex = 1;
	e->idev.dev = &e->ndev;
	INIT_LIST_HEAD(&e->idev.standby);
	e->idev.addr = cpu_to_be32(ENV_ADDR);
	e->idev.max_conns = cfg->max_conns;
	e->idev.syn_retries = 2;
	e->idev.ncores = 1;
	e->idev.cores[0] = core;
	e->idev.attached = true;
	e->rx_core = core;
	core->task = &e->kthread;
	core->waker = &e->kthread;
	e->task.mm = &e->mm;
	set_cpus_allowed_ptr(&e->task, cpumask_of(1));
	ix_current = &e->task;
	err = env_stacks(e);
	if (err)
		return err;
	if (cfg->tx_pages) {
		e->tx = env_tx_block(0, cfg->tx_pages * PAGE_SIZE);
		if (!e->tx)
			return -ENOMEM;
	}
	err = env_app_setup(e, 0, e->tx);
	if (err || cfg->ncores < 2)
		return err;
	return env_second(e);
}

static bool env_pool_full(const struct ixdp_pool *p)
{
	return p->avail == p->total && !p->bad_put;
}

/* Release the application in use; true if it let everything go. */
static bool env_release(struct env *e)
{
	ixdp_app_release(e->app);
	return !e->app->core && !e->app->tcp && !e->app->udp_held &&
	       !e->app->lock.held;
}

/* Tear down the core in use; true if its pool got every buffer back. */
static bool env_core_fini(struct env *e)
{
	bool ok = true;

	if (e->core && e->core->stack.pool)
		ixdp_stack_teardown(&e->core->stack);
	if (e->core && e->descs)
		ok = env_pool_full(&e->core->pool);
	free(e->descs);
	e->descs = NULL;
	return ok;
}

bool env_fini(struct env *e)
{
	bool ok = true;

	env_cur = e;
	if (e->app) {
		ok = env_release(e);
		if (e->other.app) {
			env_swap(e);
			ok &= env_release(e);
		}
		ok &= !ix_pinned_pages && e->task.usage == 0 &&
		      e->task2.usage == 0 && e->mm.count == 0 &&
		      e->kthread.usage == 0 && e->kthread2.usage == 0 &&
		      !ix_rtnl_held;
	}
	if (e->peer_tcp) {
		ixdp_tcp_teardown(&e->peer);
		ixdp_stack_teardown(&e->peer);
	}
	ok &= env_core_fini(e);
	if (e->other.core) {
		env_swap(e);
		ok &= env_core_fini(e);
	}
	if (e->peer_descs)
		ok &= env_pool_full(&e->peer_pool);
	free(e->peer_descs);
	memset(e, 0, sizeof(*e));
	env_cur = NULL;
	return ok;
}

u32 *env_cmd_producer(struct env *e)
{
	return (u32 *)(e->cmd + e->setup.cmd_off.producer);
}

const u32 *env_cmd_consumer(struct env *e)
{
	return (const u32 *)(e->cmd + e->setup.cmd_off.consumer);
}

u32 *env_ev_consumer(struct env *e)
{
	return (u32 *)(e->cmd + e->setup.event_off.consumer);
}

const u32 *env_ev_producer(struct env *e)
{
	return (const u32 *)(e->ev + e->setup.event_off.producer);
}

struct ix_cmd *env_cmd_slot(struct env *e, u32 idx)
{
	return (struct ix_cmd *)(e->cmd + e->setup.cmd_off.entries) +
	       (idx & (e->setup.cmd_entries - 1));
}

const struct ix_event *env_ev_slot(struct env *e, u32 idx)
{
	return (const struct ix_event *)(e->ev + e->setup.event_off.entries) +
	       (idx & (e->setup.event_entries - 1));
}

struct ix_cmd *env_cmd(struct env *e)
{
	struct ix_cmd *c = env_cmd_slot(e, e->cmd_prod++);

	memset(c, 0, sizeof(*c));
	c->result = ENV_RESULT_UNSET;
	return c;
}

int env_run(struct env *e, struct ix_run *r)
{
	struct ix_run zero = { 0 };

	env_cur = e;
	if (!r)
		r = &zero;
	__atomic_store_n(env_cmd_producer(e), e->cmd_prod, __ATOMIC_RELEASE);
	return ixdp_app_run(e->app, r);
}

void env_pump(struct env *e)
{
	struct ixdp_buf *b;
	unsigned int n;

	env_cur = e;
	for (n = 0; n < ENV_FRAMES && e->to_peer.count; n++) {
		b = env_link_pop(&e->to_peer, &e->peer_pool);
		if (b)
			ixdp_eth_rx(&e->peer, b);
	}
}

void env_advance(struct env *e, uint64_t ms)
{
	env_cur = e;
	e->now += ms;
	ixdp_stack_advance(&e->peer, e->now);
}

const struct ix_event *env_event(struct env *e)
{
	u32 prod = __atomic_load_n(env_ev_producer(e), __ATOMIC_ACQUIRE);
	const struct ix_event *ev;

	if (prod == e->ev_cons)
		return NULL;
	ev = env_ev_slot(e, e->ev_cons++);
	__atomic_store_n(env_ev_consumer(e), e->ev_cons, __ATOMIC_RELEASE);
	return ev;
}

int env_peer_send(struct env *e, u32 h, unsigned int len)
{
	struct ixdp_iov iov = { env_pattern, len % sizeof(env_pattern) };

	env_cur = e;
	return ixdp_tcp_sendv(&e->peer, h, &iov, 1);
}

int env_peer_connect(struct env *e, u16 port)
{
	u32 h;
	int err;

	env_cur = e;
	err = ixdp_tcp_connect(&e->peer, cpu_to_be32(ENV_ADDR),
			       cpu_to_be16(port), NULL, &h);
	if (!err) {
		memmove(e->peer_conn + 1, e->peer_conn,
			sizeof(e->peer_conn) - sizeof(e->peer_conn[0]));
		e->peer_conn[0] = h;
	}
	return err;
}

int env_peer_udp(struct env *e, u16 sport, u16 dport, unsigned int len)
{
	struct ixdp_buf *b;

	env_cur = e;
	b = ixdp_buf_get(&e->peer_pool);
	if (!b)
		return -ENOBUFS;
	len %= 1400;
	memcpy(ixdp_buf_put_tail(b, len), env_pattern, len);
	return ixdp_udp_send(&e->peer, b, cpu_to_be16(sport),
			     cpu_to_be32(ENV_ADDR), cpu_to_be16(dport));
}

/* Run and pump until an event of @type comes, at most @iters times. */
const struct ix_event *env_wait(struct env *e, u16 type, unsigned int iters)
{
	const struct ix_event *ev;

	while (iters--) {
		if (env_run(e, NULL))
			return NULL;
		env_pump(e);
		while ((ev = env_event(e)))
			if (ev->type == type)
				return ev;
		env_advance(e, 10);
	}
	return NULL;
}

/*
 * Listen on port 80; the peer connects, the application accepts with
 * @cookie: the connection's handle, or 0 if any of it failed.
 */
u32 env_accept_peer(struct env *e, u64 cookie)
{
	const struct ix_event *ev;
	struct ix_cmd *c;
	u32 h;

	c = env_cmd(e);
	c->op = IX_CMD_TCP_LISTEN;
	c->arg0 = 80;
	c->arg1 = 4;
	if (env_run(e, NULL) || c->result || env_peer_connect(e, 80))
		return 0;
	ev = env_wait(e, IX_EV_TCP_KNOCK, 10);
	if (!ev)
		return 0;
	h = ev->handle;
	c = env_cmd(e);
	c->op = IX_CMD_TCP_ACCEPT;
	c->handle = h;
	c->cookie = cookie;
	if (env_run(e, NULL) || c->result)
		return 0;
	return h;
}
