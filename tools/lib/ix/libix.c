// SPDX-License-Identifier: GPL-2.0
/*
 * libix: setup, the run loop and command helpers over /dev/ix.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libix.h"

#define IX_PAGE		4096UL
/*
 * A run produces at most IX_EV_ENTRIES events; the command ring has room
 * for a few commands per event, so that callbacks rarely find it full.
 */
#define IX_EV_ENTRIES	1024
#define IX_CMD_ENTRIES	(4 * IX_EV_ENTRIES)

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static int ring_map(struct ix_ring *r, int fd, uint64_t off, int prot,
		    const struct ix_ring_offsets *o, uint32_t entries)
{
	uint8_t *m;

	m = mmap(NULL, o->size, prot, MAP_SHARED, fd, off);
	if (m == MAP_FAILED)
		return -errno;
	r->map = m;
	r->size = o->size;
	r->prod = (uint32_t *)(m + o->producer);
	r->cons = (uint32_t *)(m + o->consumer);
	r->dropped = (uint32_t *)(m + o->dropped);
	r->entries = m + o->entries;
	r->mask = entries - 1;
	r->local = 0;
	r->seen = 0;
	return 0;
}

/* The IX_FEAT_* bits of the kernel behind @fd; 0 if it does not say. */
static uint32_t kernel_features(int fd)
{
	struct ix_version v;

	memset(&v, 0, sizeof(v));
	if (ioctl(fd, IX_IOC_VERSION, &v))
		return 0;
	return v.features;
}

/* Set up @ctx->fd with @flags and map the rings; the pool if bound. */
static int ctx_setup(struct ix_ctx *ctx, unsigned int cpu, uint32_t flags)
{
	int err;

	ctx->cpu = -1;
	ctx->fd = open("/dev/ix", O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0)
		return -errno;
	/* A kernel that cannot tell of moves out is not asked to. */
	if (flags & IX_SETUP_F_MOVED_OUT &&
	    !(kernel_features(ctx->fd) & IX_FEAT_MOVED_OUT))
		flags &= ~IX_SETUP_F_MOVED_OUT;
	ctx->setup.cpu = cpu;
	ctx->setup.flags = flags;
	ctx->setup.cmd_entries = IX_CMD_ENTRIES;
	ctx->setup.event_entries = IX_EV_ENTRIES;
	ctx->setup.tx_addr = (uintptr_t)ctx->tx;
	ctx->setup.tx_len = ctx->tx_len;
	if (ioctl(ctx->fd, IX_IOC_SETUP, &ctx->setup)) {
		err = -errno;
		goto out_fd;
	}
	err = ring_map(&ctx->cmd, ctx->fd, IX_OFF_CMD_RING,
		       PROT_READ | PROT_WRITE, &ctx->setup.cmd_off,
		       ctx->setup.cmd_entries);
	if (err)
		goto out_fd;
	err = ring_map(&ctx->ev, ctx->fd, IX_OFF_EVENT_RING, PROT_READ,
		       &ctx->setup.event_off, ctx->setup.event_entries);
	if (err)
		goto out_cmd;
	/* The one index the application writes of the event ring. */
	ctx->ev.cons = (uint32_t *)((uint8_t *)ctx->cmd.map +
				    ctx->setup.event_off.consumer);
	/* An elastic thread maps its pool when it gets a core. */
	if (flags & IX_SETUP_F_ELASTIC)
		return 0;
	ctx->pool_len = ctx->setup.rx_pool_size;
	ctx->rx_pool = mmap(NULL, ctx->pool_len, PROT_READ, MAP_SHARED,
			    ctx->fd, IX_OFF_RX_POOL);
	if (ctx->rx_pool == MAP_FAILED) {
		err = -errno;
		ctx->rx_pool = NULL;
		goto out_ev;
	}
	ctx->cpu = cpu;
	return 0;

out_ev:
	munmap(ctx->ev.map, ctx->ev.size);
out_cmd:
	munmap(ctx->cmd.map, ctx->cmd.size);
out_fd:
	close(ctx->fd);
	return err;
}

/**
 * ix_open() - bind the calling thread to the dataplane of @cpu
 * @ctx: filled in
 * @cpu: a reserved CPU serving an attached device
 * @tx_bytes: TX memory for the application (rounded up to pages)
 * @ops: callbacks
 * @user: the application's, in @ctx->user
 *
 * Return: 0 or -errno (those of IX_IOC_SETUP, mmap and open).
 */
int ix_open(struct ix_ctx *ctx, unsigned int cpu, size_t tx_bytes,
	    const struct ix_ops *ops, void *user)
{
	size_t vec = IX_CMD_ENTRIES * IX_SENDV_MAX * sizeof(struct ix_iov);
	int err;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = ops;
	ctx->user = user;
	ctx->tx_user = vec;
	ctx->tx_len = (vec + tx_bytes + IX_PAGE - 1) & ~(IX_PAGE - 1);
	ctx->tx = mmap(NULL, ctx->tx_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (ctx->tx == MAP_FAILED)
		return -errno;
	err = ctx_setup(ctx, cpu, 0);
	if (err)
		munmap(ctx->tx, ctx->tx_len);
	return err;
}

/**
 * ix_group_init() - the TX memory of @nthreads elastic threads
 * @g: filled in
 * @nthreads: the threads that will ix_open_elastic() with it
 * @tx_bytes: TX memory for the application (rounded up to pages)
 *
 * Return: 0 or -errno (mmap).
 */
int ix_group_init(struct ix_group *g, unsigned int nthreads, size_t tx_bytes)
{
	size_t vec = IX_CMD_ENTRIES * IX_SENDV_MAX * sizeof(struct ix_iov);

	if (!nthreads)
		return -EINVAL;
	g->nthreads = nthreads;
	g->tx_user = vec * nthreads;
	g->tx_len = (g->tx_user + tx_bytes + IX_PAGE - 1) & ~(IX_PAGE - 1);
	g->tx = mmap(NULL, g->tx_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return g->tx == MAP_FAILED ? -errno : 0;
}

/**
 * ix_group_free() - unmap the group's TX memory, its threads closed
 * @g: the group
 */
void ix_group_free(struct ix_group *g)
{
	munmap(g->tx, g->tx_len);
}

/**
 * ix_open_elastic() - make the calling thread an elastic thread of the
 *	device @cpu serves (IX_SETUP_F_ELASTIC)
 * @ctx: filled in
 * @g: the TX memory of the application's elastic threads
 * @thread: this thread's number, below @g->nthreads: its send vectors
 * @cpu: any CPU serving the device
 * @ops: callbacks; @moved is required; with @moved_out, the thread asks
 *	to be told of the connections it gives (IX_SETUP_F_MOVED_OUT)
 * @user: the application's, in @ctx->user
 *
 * The thread drives a core from its first ix_run() (@core_up), or stands
 * by until a core joins the device.
 *
 * Return: 0 or -errno (-EINVAL without @ops->moved or with @thread out
 * of range; those of IX_IOC_SETUP, mmap and open).
 */
int ix_open_elastic(struct ix_ctx *ctx, struct ix_group *g,
		    unsigned int thread, unsigned int cpu,
		    const struct ix_ops *ops, void *user)
{
	size_t vec = IX_CMD_ENTRIES * IX_SENDV_MAX * sizeof(struct ix_iov);

	if (!ops->moved || thread >= g->nthreads)
		return -EINVAL;
	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = ops;
	ctx->user = user;
	ctx->group = g;
	ctx->tx = g->tx;
	ctx->tx_len = g->tx_len;
	ctx->tx_user = g->tx_user;
	ctx->vec_off = vec * thread;
	return ctx_setup(ctx, cpu, IX_SETUP_F_ELASTIC |
			 (ops->moved_out ? IX_SETUP_F_MOVED_OUT : 0));
}

/**
 * ix_close() - undo ix_open() or ix_open_elastic()
 * @ctx: the context
 */
void ix_close(struct ix_ctx *ctx)
{
	if (ctx->rx_pool)
		munmap((void *)ctx->rx_pool, ctx->pool_len);
	munmap(ctx->ev.map, ctx->ev.size);
	munmap(ctx->cmd.map, ctx->cmd.size);
	close(ctx->fd);
	if (!ctx->group)
		munmap(ctx->tx, ctx->tx_len);
}

/**
 * ix_cmd_get() - a free command slot, zeroed
 * @ctx: the context
 *
 * Return: the slot, or NULL if the ring is full until the next ix_run().
 */
struct ix_cmd *ix_cmd_get(struct ix_ctx *ctx)
{
	struct ix_cmd *c = ix_cmd_take(ctx);

	if (c)
		memset(c, 0, sizeof(*c));
	return c;
}

static void reap_results(struct ix_ctx *ctx)
{
	struct ix_ring *r = &ctx->cmd;
	struct ix_cmd *c;
	uint32_t cons;

	/* (A) in ix.h: before the results and the slots the kernel left. */
	cons = load_acquire(r->cons);
	while (r->seen != cons) {
		c = (struct ix_cmd *)r->entries + (r->seen & r->mask);
		r->seen++;
		if (ctx->ops->done)
			ctx->ops->done(ctx, c);
	}
}

/* An elastic thread got a core: map its pool, then tell the thread. */
static void core_up(struct ix_ctx *ctx, int cpu, uint64_t pool_len)
{
	const void *pool;

	pool = mmap(NULL, pool_len, PROT_READ, MAP_SHARED, ctx->fd,
		    IX_OFF_RX_POOL);
	/*
	 * Without it no recv can be read: the thread cannot serve, and
	 * says so at once (ix_run()); its close gives the core back.
	 */
	if (pool == MAP_FAILED) {
		ctx->err = -errno;
		return;
	}
	ctx->rx_pool = pool;
	ctx->pool_len = pool_len;
	ctx->cpu = cpu;
	if (ctx->ops->core_up)
		ctx->ops->core_up(ctx, cpu);
}

static void dispatch(struct ix_ctx *ctx, const struct ix_event *e)
{
	const struct ix_ops *o = ctx->ops;

	switch (e->type) {
	case IX_EV_TCP_KNOCK:
		if (o->knock)
			o->knock(ctx, e->cookie, e->handle, (uint32_t)e->data,
				 (uint16_t)(e->data >> 32));
		else
			ix_tcp_reject(ctx, e->handle);
		break;
	case IX_EV_TCP_CONNECTED:
		if (o->connected)
			o->connected(ctx, e->cookie, e->handle, e->status);
		break;
	case IX_EV_TCP_RECV:
		if (o->recv)
			o->recv(ctx, e->cookie, e->handle,
				e->len ? ctx->rx_pool + e->data : NULL, e->len);
		else if (e->len)
			ix_tcp_recv_done(ctx, e->handle, e->len);
		break;
	case IX_EV_TCP_SENT:
		if (o->sent)
			o->sent(ctx, e->cookie, e->handle, e->len, e->data);
		break;
	case IX_EV_TCP_DEAD:
		if (o->dead)
			o->dead(ctx, e->cookie, e->handle, e->status);
		break;
	case IX_EV_UDP_RECV:
		if (o->udp_recv)
			o->udp_recv(ctx, e->cookie, ctx->rx_pool + e->data,
				    e->len, e->handle, e->status);
		else
			ix_udp_recv_done(ctx, ctx->rx_pool + e->data);
		break;
	case IX_EV_UDP_SENT:
		if (o->udp_sent)
			o->udp_sent(ctx, e->cookie, e->status);
		break;
	case IX_EV_TIMER:
		if (o->timer)
			o->timer(ctx, e->cookie, e->handle);
		break;
	case IX_EV_CORE_UP:
		core_up(ctx, e->status, e->data);
		break;
	case IX_EV_CORE_DOWN:
		if (o->core_down)
			o->core_down(ctx, e->status);
		if (ctx->rx_pool)
			munmap((void *)ctx->rx_pool, ctx->pool_len);
		ctx->rx_pool = NULL;
		ctx->cpu = -1;
		break;
	case IX_EV_TCP_MOVED:
		if (o->moved)
			o->moved(ctx, e->cookie, e->handle, (uint32_t)e->data,
				 e->len);
		break;
	case IX_EV_TIMER_MOVED:
		if (o->timer_moved)
			o->timer_moved(ctx, e->cookie, e->handle,
				       (uint32_t)e->data);
		break;
	case IX_EV_TCP_MOVED_OUT:
		if (o->moved_out)
			o->moved_out(ctx, e->cookie, e->handle,
				     (uint32_t)e->data,
				     (unsigned int)(e->data >> 32));
		break;
	}
}

/**
 * ix_run() - send the queued commands, run the dataplane, call back
 * @ctx: the context
 * @timeout_us: how long the kernel may wait for events
 * @flags: IX_RUN_*
 *
 * Return: the number of events handled, or -errno of IX_IOC_RUN; an
 * elastic thread that could not map the RX pool of the core it got
 * (%IX_EV_CORE_UP) handles no event after that one, and gets that
 * mmap()'s -errno from this and every later call: it should close.
 */
int ix_run(struct ix_ctx *ctx, unsigned int timeout_us, unsigned int flags)
{
	struct ix_run run = { .timeout_us = timeout_us, .flags = flags };
	struct ix_ring *r = &ctx->ev;
	uint32_t prod, n = 0;

	if (ctx->err)
		return ctx->err;
	/* (B): whole commands before the index. */
	store_release(ctx->cmd.prod, ctx->cmd.local);
	if (ioctl(ctx->fd, IX_IOC_RUN, &run))
		return -errno;
	reap_results(ctx);
	/* (C): the events before reading them. */
	prod = load_acquire(r->prod);
	while (r->local != prod && !ctx->err) {
		dispatch(ctx, (struct ix_event *)r->entries +
			 (r->local & r->mask));
		r->local++;
		n++;
	}
	/* (D): done with the events, and the buffers of dead connections. */
	store_release(r->cons, r->local);
	return ctx->err ? ctx->err : (int)n;
}
