// SPDX-License-Identifier: GPL-2.0
/*
 * echo_epoll: a one-thread TCP echo server on epoll, the "epoll"
 * contender of the benchmark.
 *
 *	echo_epoll -l ADDR -p PORT [-e] [-b USECS] [-q]
 *
 * Nonblocking sockets, level-triggered by default (one read per
 * readiness), edge-triggered with -e (read until EAGAIN).  What it reads
 * it writes back; bytes the socket will not take yet are kept, reading
 * stops until they are out (so a client that does not read holds at most
 * one read's worth, 64 KiB, of server memory).  With -b the server
 * busy-polls, the "epoll-busy" contender: SO_BUSY_POLL (and, where the
 * kernel has them, SO_PREFER_BUSY_POLL and SO_BUSY_POLL_BUDGET) on every
 * connection, and EPIOCSPARAMS on the epoll instance (6.9; before that
 * only the net.core.busy_poll sysctl makes epoll_wait() poll).  SIGINT or SIGTERM ends
 * it, printing its counters unless -q; the handler also wakes epoll_wait()
 * through an eventfd, so a signal that lands just before the call still
 * ends the server.
 */

#include <errno.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "busy.h"
#include "util.h"

#define RX_SIZE		(64 * 1024)
#define MAX_EVENTS	256

struct econn {
	int		fd;
	char		*pend;		/* bytes not yet written back */
	size_t		pend_off;
	size_t		pend_len;
	struct econn	*prev;
	struct econn	*next;
};

struct server {
	int		ep;
	int		lfd;
	bool		edge;
	unsigned int	busy;		/* busy-poll microseconds, or 0 */
	bool		busy_told;
	char		*rx;
	struct econn	*conns;
	unsigned long long n_accepted, n_open, n_bytes, n_errors;
};

static volatile sig_atomic_t stop;
static int stop_fd = -1;

static void on_signal(int sig)
{
	uint64_t one = 1;

	(void)sig;
	stop = 1;
	/* (A failed write leaves @stop: the next wakeup ends the loop.) */
	if (stop_fd >= 0 && write(stop_fd, &one, sizeof(one)) < 0)
		return;
}

/*
 * The stop eventfd, in the epoll set with a NULL pointer like the
 * listener: a wakeup by it finds nothing to accept, and the loop ends on
 * @stop.  The connections' path is not touched.
 */
static int stop_watch(struct server *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (stop_fd < 0 || epoll_ctl(s->ep, EPOLL_CTL_ADD, stop_fd, &ev)) {
		perror("echo_epoll: eventfd");
		return -1;
	}
	return 0;
}

static uint32_t interest(const struct server *s, const struct econn *c)
{
	if (s->edge)
		return EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	return c->pend ? EPOLLOUT : EPOLLIN | EPOLLRDHUP;
}

static void conn_free(struct server *s, struct econn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	close(c->fd);
	free(c->pend);
	free(c);
	s->n_open--;
}

static int conn_rearm(struct server *s, struct econn *c)
{
	struct epoll_event ev = { interest(s, c), { .ptr = c } };

	return epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev) ? -errno : 0;
}

/* Write @len bytes at @p, keeping what the socket does not take. */
static int conn_send(struct server *s, struct econn *c, const char *p,
		     size_t len)
{
	ssize_t n;

	while (len) {
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	if (!len)
		return 0;
	c->pend = malloc(len);
	if (!c->pend)
		return -ENOMEM;
	memcpy(c->pend, p, len);
	c->pend_off = 0;
	c->pend_len = len;
	return s->edge ? 0 : conn_rearm(s, c);
}

/* Returns 1 if more may be waiting, 0 if drained, -errno to close. */
static int conn_read_once(struct server *s, struct econn *c)
{
	ssize_t n = recv(c->fd, s->rx, RX_SIZE, 0);
	int err;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return -errno;
	if (!n)
		return -ECONNRESET;
	s->n_bytes += n;
	err = conn_send(s, c, s->rx, n);
	if (err)
		return err;
	return !c->pend && n == RX_SIZE;
}

static int conn_readable(struct server *s, struct econn *c)
{
	int ret;

	do {
		ret = conn_read_once(s, c);
	} while (ret > 0 && s->edge);
	return ret < 0 ? ret : 0;
}

static int conn_writable(struct server *s, struct econn *c)
{
	size_t len = c->pend_len - c->pend_off;
	char *p = c->pend;
	int err;

	if (!p)
		return 0;
	c->pend = NULL;
	err = conn_send(s, c, p + c->pend_off, len);
	free(p);
	if (err || c->pend)
		return err;
	return s->edge ? conn_readable(s, c) : conn_rearm(s, c);
}

static void conn_event(struct server *s, struct econn *c, uint32_t events)
{
	int err = 0;

	if (events & EPOLLOUT)
		err = conn_writable(s, c);
	if (!err && !c->pend &&
	    (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
		err = conn_readable(s, c);
	if (!err && (events & (EPOLLHUP | EPOLLERR)))
		err = -ECONNRESET;
	if (err) {
		if (err != -ECONNRESET && err != -EPIPE)
			s->n_errors++;
		conn_free(s, c);
	}
}

/* Busy polling on a new connection; said once, on the first. */
static int conn_busy(struct server *s, int fd)
{
	bool prefer;
	int err;

	err = busy_sock(fd, s->busy, &prefer);
	if (err) {
		fprintf(stderr, "echo_epoll: SO_BUSY_POLL %u: %s\n", s->busy,
			strerror(-err));
		return err;
	}
	if (!s->busy_told)
		fprintf(stderr, "echo_epoll: busy poll %u us on each connection%s\n",
			s->busy, prefer ? ", preferred, budget 64" :
			" (no SO_PREFER_BUSY_POLL here)");
	s->busy_told = true;
	return 0;
}

static void accept_all(struct server *s)
{
	struct epoll_event ev;
	struct econn *c;
	int fd, one = 1;

	for (;;) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED) {
				perror("echo_epoll: accept");
				s->n_errors++;
			}
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (s->busy && conn_busy(s, fd)) {
			close(fd);
			s->n_errors++;
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			s->n_errors++;
			continue;
		}
		c->fd = fd;
		ev.events = interest(s, c);
		ev.data.ptr = c;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			free(c);
			s->n_errors++;
			continue;
		}
		c->next = s->conns;
		if (c->next)
			c->next->prev = c;
		s->conns = c;
		s->n_accepted++;
		s->n_open++;
	}
}

static int server_listen(struct server *s, const struct sockaddr_in *sin)
{
	struct epoll_event ev = { EPOLLIN, { .ptr = NULL } };
	char name[32];
	int one = 1;

	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->lfd, (const struct sockaddr *)sin, sizeof(*sin)) ||
	    listen(s->lfd, SOMAXCONN) ||
	    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev)) {
		fprintf(stderr, "echo_epoll: listen on %s: %s\n",
			fmt_sin(sin, name, sizeof(name)), strerror(errno));
		return -errno;
	}
	return 0;
}

/* epoll_wait() itself busy-polls, if the kernel lets this instance. */
static void server_busy(struct server *s)
{
	int err = busy_epoll(s->ep, s->busy);

	if (err)
		fprintf(stderr, "echo_epoll: EPIOCSPARAMS: %s: epoll_wait busy-polls only under net.core.busy_poll\n",
			strerror(-err));
	else
		fprintf(stderr, "echo_epoll: epoll_wait busy-polls %u us\n",
			s->busy);
}

static int server_run(struct server *s)
{
	struct epoll_event ev[MAX_EVENTS];
	int i, n;

	while (!stop) {
		n = epoll_wait(s->ep, ev, MAX_EVENTS, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("echo_epoll: epoll_wait");
			return -errno;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				conn_event(s, ev[i].data.ptr, ev[i].events);
			else
				accept_all(s);
		}
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct sockaddr_in *sin,
		      struct server *s, bool *quiet)
{
	bool have_port = false;
	uint64_t v;
	int opt;

	while ((opt = getopt(argc, argv, "l:p:eb:q")) != -1) {
		switch (opt) {
		case 'l':
			if (parse_ipv4(optarg, &sin->sin_addr))
				goto out_usage;
			break;
		case 'p':
			if (parse_port(optarg, &sin->sin_port))
				goto out_usage;
			sin->sin_port = htons(sin->sin_port);
			have_port = true;
			break;
		case 'e':
			s->edge = true;
			break;
		case 'b':
			if (parse_u64(optarg, 1, 10000, &v))
				goto out_usage;
			s->busy = v;
			break;
		case 'q':
			*quiet = true;
			break;
		default:
			goto out_usage;
		}
	}
	if (have_port && optind == argc)
		return 0;
out_usage:
	fprintf(stderr, "usage: echo_epoll -l ADDR -p PORT [-e] [-b USECS] [-q]\n"
		"  -e  edge-triggered (default level-triggered)\n"
		"  -b  busy-poll up to USECS (1-10000) when a socket is empty\n"
		"  -q  no counters at exit\n");
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_signal };
	struct server s = { .ep = -1, .lfd = -1 };
	bool quiet = false;
	int err = 1;
	rlim_t have;

	if (parse_args(argc, argv, &sin, &s, &quiet))
		return 2;
	raise_nofile(1 << 20, &have);
	signal(SIGPIPE, SIG_IGN);
	s.rx = malloc(RX_SIZE);
	s.ep = epoll_create1(EPOLL_CLOEXEC);
	if (!s.rx || s.ep < 0) {
		perror("echo_epoll: setup");
		goto out_free;
	}
	if (stop_watch(&s))
		goto out_free;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (server_listen(&s, &sin))
		goto out_free;
	if (s.busy)
		server_busy(&s);
	if (!server_run(&s))
		err = 0;
	if (!quiet)
		fprintf(stderr, "echo_epoll: %llu connections accepted, %llu open at exit, %llu bytes echoed, %llu errors\n",
			s.n_accepted, s.n_open, s.n_bytes, s.n_errors);
	while (s.conns)
		conn_free(&s, s.conns);
out_free:
	if (stop_fd >= 0)
		close(stop_fd);
	if (s.lfd >= 0)
		close(s.lfd);
	if (s.ep >= 0)
		close(s.ep);
	free(s.rx);
	return err;
}
