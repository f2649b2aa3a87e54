// SPDX-License-Identifier: GPL-2.0
/*
 * ix_fake: a stand-in for libix.c over Linux sockets, so that ix_kv can
 * run on a host without /dev/ix (ix_kv_fake; memcapable.sh --ix-fake).
 * The real libix_cmd.c (commands, ix_stream) is linked with it, and so
 * is ix_kv.c unchanged.
 *
 * It plays the kernel's part of the ABI: commands are taken from the
 * command ring at ix_run() and answered in their slots; events are
 * delivered through the ix_ops callbacks as libix delivers them.  Each
 * connection receives into its own small window of the "RX pool" and
 * reads from its socket only while that window has room, so data an
 * application holds (no recv_done) stops the peer as a closed TCP window
 * would.  Sends are copied into the socket at sendv and reported
 * acknowledged at once; a socket that is full makes sendv take less,
 * and a sent event follows when it drains.  Listens on $IX_FAKE_ADDR
 * (default 127.0.0.1).  Not a model of TCP timing or of the kernel's
 * checks: it is for testing applications' use of the ABI.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../../lib/ix/libix.h"

#define FAKE_CMDS	4096
#define FAKE_CONNS	256
#define FAKE_WIN	16384	/* receive window of a connection */
#define FAKE_EVENTS	512

struct fake_conn {
	int		fd;
	uint16_t	gen;
	bool		accepted;
	bool		peer_fin;
	bool		our_fin;
	bool		want_write;
	uint64_t	cookie;
	uint64_t	head;	/* bytes received into the window, ever */
	uint64_t	tail;	/* bytes given back with recv_done, ever */
};

static struct fake_conn fconns[FAKE_CONNS];
static struct ix_event events[FAKE_EVENTS];
static unsigned int nevents;
static int listen_fd = -1;
static uint64_t listen_cookie;
static uint32_t dropped;
static uint8_t *rx_pool;

static void event(uint16_t type, int status, uint64_t cookie,
		  uint32_t handle, uint32_t len, uint64_t data)
{
	if (nevents == FAKE_EVENTS) {
		dropped++;
		return;
	}
	events[nevents++] = (struct ix_event){
		.type = type, .status = status, .cookie = cookie,
		.handle = handle, .len = len, .data = data,
	};
}

static uint32_t handle_of(struct fake_conn *f)
{
	return (uint32_t)f->gen << 16 | (uint32_t)(f - fconns);
}

static struct fake_conn *conn_of(uint32_t handle)
{
	struct fake_conn *f;

	if ((handle & 0xffff) >= FAKE_CONNS)
		return NULL;
	f = &fconns[handle & 0xffff];
	return f->fd >= 0 && f->gen == handle >> 16 ? f : NULL;
}

static void conn_end(struct fake_conn *f, int status, bool tell)
{
	if (tell)
		event(IX_EV_TCP_DEAD, status, f->cookie, handle_of(f), 0, 0);
	close(f->fd);
	f->fd = -1;
}

int ix_open(struct ix_ctx *ctx, unsigned int cpu, size_t tx_bytes,
	    const struct ix_ops *ops, void *user)
{
	size_t vec = FAKE_CMDS * IX_SENDV_MAX * sizeof(struct ix_iov);
	unsigned int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = ops;
	ctx->user = user;
	ctx->fd = -1;
	ctx->tx_user = vec;
	ctx->tx_len = (vec + tx_bytes + 4095) & ~4095UL;
	ctx->tx = mmap(NULL, ctx->tx_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ctx->tx == MAP_FAILED)
		return -errno;
	ctx->cmd.entries = calloc(FAKE_CMDS, sizeof(struct ix_cmd));
	rx_pool = malloc((size_t)FAKE_CONNS * FAKE_WIN);
	if (!ctx->cmd.entries || !rx_pool) {
		free(ctx->cmd.entries);
		free(rx_pool);
		munmap(ctx->tx, ctx->tx_len);
		return -ENOMEM;
	}
	ctx->cmd.mask = FAKE_CMDS - 1;
	ctx->ev.dropped = &dropped;
	ctx->rx_pool = rx_pool;
	for (i = 0; i < FAKE_CONNS; i++)
		fconns[i].fd = -1;
	return 0;
}

/* One thread only: elastic threads need the kernel's cores. */
int ix_group_init(struct ix_group *g, unsigned int nthreads,
		  size_t tx_bytes)
{
	return -EOPNOTSUPP;
}

void ix_group_free(struct ix_group *g)
{
}

int ix_open_elastic(struct ix_ctx *ctx, struct ix_group *g,
		    unsigned int thread, unsigned int cpu,
		    const struct ix_ops *ops, void *user)
{
	return -EOPNOTSUPP;
}

void ix_close(struct ix_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < FAKE_CONNS; i++)
		if (fconns[i].fd >= 0)
			conn_end(&fconns[i], 0, false);
	if (listen_fd >= 0)
		close(listen_fd);
	free(ctx->cmd.entries);
	free(rx_pool);
	munmap(ctx->tx, ctx->tx_len);
}

struct ix_cmd *ix_cmd_get(struct ix_ctx *ctx)
{
	struct ix_ring *r = &ctx->cmd;
	struct ix_cmd *c;

	if (r->local - r->seen > r->mask)
		return NULL;
	c = (struct ix_cmd *)r->entries + (r->local++ & r->mask);
	memset(c, 0, sizeof(*c));
	return c;
}

static int64_t fake_listen(uint16_t port, uint64_t cookie)
{
	const char *addr = getenv("IX_FAKE_ADDR");
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int one = 1;

	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr ? addr : "127.0.0.1", &sin.sin_addr) != 1)
		return -EINVAL;
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (listen_fd < 0)
		return -errno;
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(listen_fd, 256))
		return -errno;
	listen_cookie = cookie;
	return 0;
}

static int64_t fake_sendv(struct ix_ctx *ctx, struct fake_conn *f,
			  const struct ix_cmd *cmd)
{
	const struct ix_iov *iov = (const void *)(ctx->tx + cmd->arg0);
	int64_t total = 0;
	unsigned int i;
	ssize_t r;

	if (f->our_fin)
		return -EPIPE;
	for (i = 0; i < cmd->arg1; i++) {
		if (iov[i].resv)
			return -EINVAL;	/* as the kernel checks */
		if (iov[i].off + iov[i].len > ctx->tx_len)
			return -EFAULT;
		r = send(f->fd, ctx->tx + iov[i].off, iov[i].len,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0)
			total += r;
		if (r < (ssize_t)iov[i].len) {
			f->want_write = true;
			break;
		}
	}
	if (total)
		event(IX_EV_TCP_SENT, 0, f->cookie, handle_of(f), total,
		      FAKE_WIN);
	return total;
}

static int64_t run_cmd(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct fake_conn *f = conn_of(cmd->handle);
	struct linger lin = { 1, 0 };

	if (cmd->op == IX_CMD_TCP_LISTEN)
		return fake_listen(cmd->arg0, cmd->cookie);
	if (cmd->op == IX_CMD_NOP)
		return 0;
	if (!f)
		return -ESTALE;
	switch (cmd->op) {
	case IX_CMD_TCP_ACCEPT:
		f->accepted = true;
		f->cookie = cmd->cookie;
		return 0;
	case IX_CMD_TCP_REJECT:
		conn_end(f, 0, false);
		return 0;
	case IX_CMD_TCP_SENDV:
		return fake_sendv(ctx, f, cmd);
	case IX_CMD_TCP_RECV_DONE:
		if (cmd->arg0 > f->head - f->tail)
			return -EINVAL;
		f->tail += cmd->arg0;
		return 0;
	case IX_CMD_TCP_CLOSE:
		if (!f->our_fin)
			shutdown(f->fd, SHUT_WR);
		f->our_fin = true;
		if (f->peer_fin)
			conn_end(f, 0, true);
		return 0;
	case IX_CMD_TCP_ABORT:
		setsockopt(f->fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		conn_end(f, 0, false);
		return 0;
	default:
		return -EINVAL;
	}
}

static void take_knocks(void)
{
	struct fake_conn *f = NULL;
	unsigned int i;
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		for (i = 0; i < FAKE_CONNS && !f; i++)
			if (fconns[i].fd < 0)
				f = &fconns[i];
		if (!f) {
			close(fd);
			continue;
		}
		*f = (struct fake_conn){ .fd = fd, .gen = f->gen + 1 };
		event(IX_EV_TCP_KNOCK, 0, listen_cookie, handle_of(f), 0, 0);
		f = NULL;
	}
}

/* Read into the window's free part that does not wrap. */
static void take_data(struct fake_conn *f)
{
	uint64_t used = f->head - f->tail, at = f->head % FAKE_WIN;
	size_t room = FAKE_WIN - at < FAKE_WIN - used ?
		FAKE_WIN - at : FAKE_WIN - used;
	uint8_t *p = rx_pool + (size_t)(f - fconns) * FAKE_WIN + at;
	ssize_t r;

	if (!room)
		return;		/* the window is closed */
	r = read(f->fd, p, room);
	if (r > 0) {
		event(IX_EV_TCP_RECV, 0, f->cookie, handle_of(f), r,
		      p - rx_pool);
		f->head += r;
	} else if (r == 0) {
		f->peer_fin = true;
		event(IX_EV_TCP_RECV, 0, f->cookie, handle_of(f), 0, 0);
		if (f->our_fin)
			conn_end(f, 0, true);
	} else if (errno != EAGAIN && errno != EINTR) {
		conn_end(f, -ECONNRESET, true);
	}
}

static void poll_sockets(unsigned int timeout_us)
{
	struct pollfd pfd[FAKE_CONNS + 1];
	struct fake_conn *map[FAKE_CONNS + 1];
	struct fake_conn *f;
	unsigned int i, n = 0;

	pfd[n] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
	map[n++] = NULL;
	for (i = 0; i < FAKE_CONNS; i++) {
		f = &fconns[i];
		if (f->fd < 0 || !f->accepted)
			continue;
		pfd[n].fd = f->fd;
		pfd[n].events = 0;
		if (!f->peer_fin && f->head - f->tail < FAKE_WIN)
			pfd[n].events |= POLLIN;
		if (f->want_write)
			pfd[n].events |= POLLOUT;
		map[n++] = f;
	}
	if (poll(pfd, n, nevents ? 0 : timeout_us / 1000) <= 0)
		return;
	if (listen_fd >= 0 && pfd[0].revents & POLLIN)
		take_knocks();
	for (i = 1; i < n; i++) {
		f = map[i];
		if (pfd[i].revents & POLLOUT && f->fd >= 0) {
			f->want_write = false;
			event(IX_EV_TCP_SENT, 0, f->cookie, handle_of(f), 0,
			      FAKE_WIN);
		}
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR) &&
		    f->fd >= 0 && !f->peer_fin)
			take_data(f);
	}
}

static void deliver(struct ix_ctx *ctx, const struct ix_event *e)
{
	const struct ix_ops *o = ctx->ops;

	switch (e->type) {
	case IX_EV_TCP_KNOCK:
		o->knock(ctx, e->cookie, e->handle, 0, 0);
		break;
	case IX_EV_TCP_RECV:
		o->recv(ctx, e->cookie, e->handle,
			e->len ? ctx->rx_pool + e->data : NULL, e->len);
		break;
	case IX_EV_TCP_SENT:
		o->sent(ctx, e->cookie, e->handle, e->len, e->data);
		break;
	case IX_EV_TCP_DEAD:
		o->dead(ctx, e->cookie, e->handle, e->status);
		break;
	}
}

int ix_run(struct ix_ctx *ctx, unsigned int timeout_us, unsigned int flags)
{
	struct ix_ring *r = &ctx->cmd;
	uint32_t end = r->local;
	struct ix_cmd *cmd;
	unsigned int i, n;

	while (r->seen != end) {
		cmd = (struct ix_cmd *)r->entries + (r->seen++ & r->mask);
		cmd->result = run_cmd(ctx, cmd);
		if (ctx->ops->done)
			ctx->ops->done(ctx, cmd);
	}
	poll_sockets(timeout_us);
	n = nevents;
	nevents = 0;
	for (i = 0; i < n; i++)
		deliver(ctx, &events[i]);
	return n;
}
