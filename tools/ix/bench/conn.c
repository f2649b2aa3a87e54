// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a client connection: nonblocking connect from the next
 * source address, reads and writes, closing on errors, and reconnecting
 * after a backoff.  What the bytes mean is worker.c's business.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"
#include "workload.h"

#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	2000

static void conn_retry_later(struct thr *t, struct conn *c)
{
	c->state = CONN_BACKOFF;
	c->deadline = t->now + c->backoff_ms * NSEC_PER_MSEC;
	c->backoff_ms = MIN(c->backoff_ms * 2, BACKOFF_MAX_MS);
	if (!c->resolved) {
		c->resolved = true;
		t->unresolved--;
	}
}

static void conn_failed(struct thr *t, struct conn *c, int err,
			const char *what)
{
	const struct cfg *cfg = t->cfg;
	char dst[32], src[INET_ADDRSTRLEN] = "";

	STAT_ADD(t->st.err[ERR_CONNECT], 1);
	if (cfg->nsrc)
		inet_ntop(AF_INET, &cfg->src[c->idx % cfg->nsrc], src,
			  sizeof(src));
	worker_say(t, &t->said_connect, "%s %s%s%s: %s", what,
		   fmt_sin(&cfg->dst, dst, sizeof(dst)), *src ? " from " : "",
		   src, strerror(err));
	conn_retry_later(t, c);
}

static int conn_socket(struct thr *t, struct conn *c, const char **what)
{
	const struct cfg *cfg = t->cfg;
	int fd, one = 1, err;

	*what = "socket for";
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (cfg->nsrc) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_addr = cfg->src[c->idx % cfg->nsrc],
		};

		/* Pick the port at connect time, by the whole 4-tuple. */
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
			   sizeof(one));
		*what = "bind to connect to";
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
			goto out_close;
	}
	*what = "connect to";
	if (connect(fd, (const struct sockaddr *)&cfg->dst,
		    sizeof(cfg->dst)) && errno != EINPROGRESS)
		goto out_close;
	return fd;

out_close:
	err = errno;
	close(fd);
	return -err;
}

void conn_open(struct thr *t, struct conn *c)
{
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		.data.ptr = c,
	};
	const char *what;
	int fd, err;

	fd = conn_socket(t, c, &what);
	if (fd < 0) {
		conn_failed(t, c, -fd, what);
		return;
	}
	if (epoll_ctl(t->ep, EPOLL_CTL_ADD, fd, &ev)) {
		err = errno;
		close(fd);
		conn_failed(t, c, err, "epoll_ctl for");
		return;
	}
	c->fd = fd;
	c->state = CONN_CONNECTING;
	c->deadline = t->now + t->cfg->timeout_ns;
	t->connecting++;
}

/* Abandon what was outstanding; preload keys count as not stored. */
static void conn_drop_requests(struct thr *t, struct conn *c)
{
	uint32_t i;

	for (i = 0; i < c->q.n; i++) {
		const struct req *r = &c->q.r[(c->q.head + i) & (c->q.cap - 1)];

		if (r->flags & REQ_PRELOAD)
			t->st.preload_fail++;
		else
			STAT_ADD(t->st.err[ERR_LOST], 1);
	}
	t->outstanding -= c->q.n;
	c->q.head = 0;
	c->q.n = 0;
}

/* Close @c, counting it under @kind (or nothing if negative). */
void conn_close(struct thr *t, struct conn *c, int kind)
{
	if (kind >= 0)
		STAT_ADD(t->st.err[kind], 1);
	if (c->state == CONN_CONNECTING)
		t->connecting--;
	if (c->state == CONN_UP)
		STAT_ADD(t->st.up, -1);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	conn_drop_requests(t, c);
	buf_free(&c->out);
	buf_free(&c->in);
	c->need = 0;
	c->state = CONN_IDLE;
	if (t->phase < PH_DRAIN)
		conn_retry_later(t, c);
}

static void conn_up(struct thr *t, struct conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err) {
		close(c->fd);
		c->fd = -1;
		c->state = CONN_IDLE;
		t->connecting--;
		conn_failed(t, c, err, "connect to");
		return;
	}
	t->connecting--;
	c->state = CONN_UP;
	c->backoff_ms = BACKOFF_MIN_MS;
	STAT_ADD(t->st.up, 1);
	if (!c->resolved) {
		c->resolved = true;
		t->unresolved--;
	}
	worker_kick(t, c);
}

/* A socket error or the peer's FIN: both end the connection. */
static void conn_reset(struct thr *t, struct conn *c, int err)
{
	char dst[32];

	worker_say(t, &t->said_other, "connection to %s %s",
		   fmt_sin(&t->cfg->dst, dst, sizeof(dst)),
		   err ? strerror(err) : "closed by the server");
	conn_close(t, c, ERR_RESET);
}

/* Where the next read goes: after a partial answer, or to scratch. */
static char *conn_rx_room(struct thr *t, struct conn *c, size_t *room)
{
	size_t have = buf_pending(&c->in);

	if (!have) {
		*room = SCRATCH_SIZE;
		return t->scratch;
	}
	if (buf_reserve(&c->in, MAX(c->need > have ? c->need - have : 0,
				    16384)))
		return NULL;
	*room = c->in.cap - c->in.len;
	return buf_tail(&c->in);
}

/* Hand @n new bytes at @p to the workload; false if @c was closed. */
static bool conn_rx(struct thr *t, struct conn *c, char *p, size_t n)
{
	long used;

	if (p != t->scratch) {
		c->in.len += n;
		if (buf_pending(&c->in) < c->need)
			return true;
		used = worker_input(t, c, buf_head(&c->in),
				    buf_pending(&c->in));
		if (used >= 0)
			buf_consume(&c->in, used);
		return used >= 0;
	}
	used = worker_input(t, c, p, n);
	if (used < 0)
		return false;
	if ((size_t)used < n && buf_append(&c->in, p + used, n - used)) {
		conn_close(t, c, ERR_PROTOCOL);
		return false;
	}
	return true;
}

static void conn_read(struct thr *t, struct conn *c)
{
	size_t room;
	ssize_t n;
	char *p;

	for (;;) {
		p = conn_rx_room(t, c, &room);
		if (!p) {
			worker_say(t, &t->said_other, "answer too large");
			conn_close(t, c, ERR_PROTOCOL);
			return;
		}
		n = recv(c->fd, p, room, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			conn_reset(t, c, n ? errno : 0);
			return;
		}
		t->now = now_ns();
		t->st.rx_bytes += n;
		if (!conn_rx(t, c, p, n))
			return;
		if ((size_t)n < room)
			break;
	}
	conn_flush(t, c);
}

void conn_flush(struct thr *t, struct conn *c)
{
	ssize_t n;

	while (c->state == CONN_UP && buf_pending(&c->out)) {
		n = send(c->fd, buf_head(&c->out), buf_pending(&c->out),
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			conn_reset(t, c, errno);
			return;
		}
		t->st.tx_bytes += n;
		buf_consume(&c->out, n);
	}
}

void conn_event(struct thr *t, struct conn *c, uint32_t events)
{
	if (c->state == CONN_CONNECTING) {
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		conn_up(t, c);
	}
	if (c->state != CONN_UP)
		return;
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))
		conn_read(t, c);
	if (c->state == CONN_UP && (events & EPOLLOUT))
		conn_flush(t, c);
}

/* Oldest answers overdue by more than -T: count them, then reconnect. */
static void conn_check_timeout(struct thr *t, struct conn *c)
{
	uint64_t late = 0;
	uint32_t i;

	for (i = 0; i < c->q.n; i++) {
		const struct req *r = &c->q.r[(c->q.head + i) & (c->q.cap - 1)];

		if (t->now - r->t <= t->cfg->timeout_ns)
			break;
		late++;
	}
	if (!late)
		return;
	worker_say(t, &t->said_other, "no answer within %llu ms",
		   (unsigned long long)(t->cfg->timeout_ns / NSEC_PER_MSEC));
	STAT_ADD(t->st.err[ERR_TIMEOUT], late);
	c->q.head = (c->q.head + late) & (c->q.cap - 1);
	c->q.n -= late;
	t->outstanding -= late;
	conn_close(t, c, -1);
}

/* Every SCAN_NS: connect timeouts, answer timeouts, reconnects. */
void conn_scan(struct thr *t)
{
	struct conn *c;
	unsigned int i;

	for (i = 0; i < t->next_open; i++) {
		c = &t->conns[i];
		switch (c->state) {
		case CONN_CONNECTING:
			if (t->now < c->deadline)
				break;
			close(c->fd);
			c->fd = -1;
			c->state = CONN_IDLE;
			t->connecting--;
			conn_failed(t, c, ETIMEDOUT, "connect to");
			break;
		case CONN_UP:
			if (c->q.n && t->now - c->q.r[c->q.head].t >
			    t->cfg->timeout_ns)
				conn_check_timeout(t, c);
			break;
		case CONN_BACKOFF:
			if (t->phase < PH_DRAIN && t->now >= c->deadline &&
			    t->connecting < THR_MAX_CONNECTING)
				conn_open(t, c);
			break;
		}
	}
}
