// SPDX-License-Identifier: GPL-2.0
/*
 * http_sock: the HTTP/1.1 server on Linux sockets, one thread, epoll
 * (level triggered).
 *
 *	http_sock [-l ADDR] [-p PORT] [-d DIR] [-c CONNS]
 *
 * The same engine and the same responses as ix_http, so that the two
 * differ only in the stack under them.  Input is read into a buffer per
 * connection and handed to the engine; what it does not take (too many
 * responses unsent) waits there, and the socket is not read until they
 * drain.  Output goes with sendmsg() straight from the engine's pieces:
 * the heads from the connection's header ring, the bodies from the one
 * copy of the files; the kernel copies them, so sent is released at once.
 * SIGINT or SIGTERM ends it.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

#define IN_BUF		16384
#define IOV_MAX_SEND	32
#define READS_PER_TURN	16
#define EVENTS		64
/*
 * A connection the server ends (an error answered, Connection: close)
 * sends its FIN first and then reads what the client still sends, for
 * this long at most, before it closes: closing with unread input would
 * send RST, and the client could lose the answer before reading it
 * (RFC 9112 9.6, nginx's lingering_close).
 */
#define LINGER_S	2

struct sconn {
	struct sconn	*prev;
	struct sconn	*next;
	int		fd;
	bool		eof;
	time_t		linger_until;	/* 0, or lingering until then */
	uint32_t	events;
	size_t		in_off;
	size_t		in_len;
	uint8_t		in[IN_BUF];
	uint8_t		hring[HTTP_HRING];
	struct http_conn http;
};

static struct sconn *conns;
static struct http_site site;
static volatile sig_atomic_t stop;
static unsigned int nconns, max_conns = 1024;
static unsigned long long n_conns, n_reqs, n_errs;
static int epfd;

static void on_signal(int sig)
{
	stop = 1;
}

static void sconn_close(struct sconn *sc)
{
	if (sc->prev)
		sc->prev->next = sc->next;
	else
		conns = sc->next;
	if (sc->next)
		sc->next->prev = sc->prev;
	n_reqs += sc->http.nreq;
	n_errs += sc->http.nerr;
	close(sc->fd);
	free(sc);
	nconns--;
}

/* Start the lingering close: our FIN now, the socket later. */
static int linger(struct sconn *sc)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = sc };

	if (shutdown(sc->fd, SHUT_WR))
		return -1;
	sc->linger_until = time(NULL) + LINGER_S;
	sc->events = ev.events;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, sc->fd, &ev);
}

/* Read and drop what a lingering client sends; true once it is done. */
static bool linger_done(struct sconn *sc)
{
	ssize_t r;

	do {
		r = read(sc->fd, sc->in, sizeof(sc->in));
	} while (r > 0 || (r < 0 && errno == EINTR));
	return r == 0 || errno != EAGAIN || time(NULL) >= sc->linger_until;
}

/* Send what the engine has; bytes sent or -1.  @full: the socket is. */
static ssize_t flush(struct sconn *sc, bool *full)
{
	struct iovec iov[IOV_MAX_SEND];
	struct msghdr msg = { .msg_iov = iov };
	ssize_t r, sent = 0;

	*full = false;
	while (sc->http.pending) {
		msg.msg_iovlen = http_conn_peek(&sc->http, iov, IOV_MAX_SEND);
		r = sendmsg(sc->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			http_conn_consume(&sc->http, r);
			http_conn_release(&sc->http, r);
			sent += r;
		} else if (r < 0 && errno == EAGAIN) {
			*full = true;
			break;
		} else if (r < 0 && errno != EINTR) {
			return -1;
		}
	}
	return sent;
}

/* Hand buffered input to the engine; return whether it took any. */
static bool feed(struct sconn *sc)
{
	size_t n;

	if (sc->in_off == sc->in_len)
		return false;
	n = http_conn_input(&sc->http, sc->in + sc->in_off,
			    sc->in_len - sc->in_off);
	sc->in_off += n;
	if (sc->in_off == sc->in_len) {
		sc->in_off = 0;
		sc->in_len = 0;
	}
	return n;
}

static int set_events(struct sconn *sc)
{
	struct epoll_event ev = { .data.ptr = sc };

	if (!sc->in_len && !sc->eof && !sc->http.closing)
		ev.events |= EPOLLIN;
	if (sc->http.pending)
		ev.events |= EPOLLOUT;
	if (ev.events == sc->events)
		return 0;
	sc->events = ev.events;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, sc->fd, &ev);
}

static void serve(struct sconn *sc)
{
	unsigned int reads = 0;
	bool moved, full;
	ssize_t r;

	if (sc->linger_until) {
		if (linger_done(sc))
			sconn_close(sc);
		return;
	}
	for (;;) {
		/* Run the engine and send until neither moves. */
		do {
			moved = feed(sc);
			r = flush(sc, &full);
			if (r < 0)
				goto out_close;
		} while ((moved || r) && !full);
		if (sc->http.closing || (sc->eof && !sc->in_len)) {
			if (sc->http.pending)
				break;
			/* The client went first: nothing left to read. */
			if (sc->eof || linger(sc))
				goto out_close;
			return;
		}
		if (sc->in_len || full || reads++ == READS_PER_TURN)
			break;
		r = read(sc->fd, sc->in, sizeof(sc->in));
		if (r > 0) {
			sc->in_len = r;
		} else if (r == 0) {
			sc->eof = true;
		} else if (errno != EINTR) {
			if (errno != EAGAIN)
				goto out_close;
			break;
		}
	}
	if (!set_events(sc))
		return;
out_close:
	sconn_close(sc);
}

/* Close the lingering connections whose clients never finished. */
static void linger_expire(void)
{
	static time_t last;
	struct sconn *sc, *next;
	time_t now = time(NULL);

	if (now == last)
		return;
	last = now;
	for (sc = conns; sc; sc = next) {
		next = sc->next;
		if (sc->linger_until && now >= sc->linger_until)
			sconn_close(sc);
	}
}

static void accept_all(int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sconn *sc;
	int fd, one = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		sc = nconns < max_conns ? malloc(sizeof(*sc)) : NULL;
		if (!sc) {
			close(fd);
			continue;
		}
		memset(sc, 0, offsetof(struct sconn, in));
		http_conn_init(&sc->http, &site, sc->hring);
		sc->fd = fd;
		sc->events = EPOLLIN;
		ev.data.ptr = sc;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
			free(sc);
			close(fd);
			continue;
		}
		sc->next = conns;
		if (conns)
			conns->prev = sc;
		conns = sc;
		nconns++;
		n_conns++;
	}
}

/* Room for the connections in the descriptor limit (see kv_sock.c). */
static void fit_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)max_conns + 16)
		max_conns = rl.rlim_cur > 32 ? rl.rlim_cur - 16 : 16;
}

static int listen_on(const char *addr, unsigned int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, one = 1;

	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "http_sock: bad address '%s'\n", addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto out_err;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 1024))
		goto out_fd;
	return fd;

out_fd:
	close(fd);
out_err:
	fprintf(stderr, "http_sock: %s:%u: %s\n", addr, port, strerror(errno));
	return -1;
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: http_sock [-l ADDR] [-p PORT] [-d DIR] [-c CONNS]\n");
	exit(2);
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || !v || v > max)
		bad_usage();
	return v;
}

/* Read the files into memory of their own, kept for the whole run. */
static int load_site(const char *dir)
{
	size_t need;
	uint8_t *mem;
	int err;

	err = http_site_need(dir, &need);
	if (err)
		return err;
	mem = malloc(need ? need : 1);
	if (!mem)
		return -ENOMEM;
	return http_site_load(&site, dir, mem, need);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct epoll_event ev[EVENTS], lev = { .events = EPOLLIN };
	const char *addr = "127.0.0.1", *dir = NULL;
	unsigned long port = 8080;
	int opt, lfd, n, i, err;

	while ((opt = getopt(argc, argv, "l:p:d:c:")) != -1) {
		switch (opt) {
		case 'l':
			addr = optarg;
			break;
		case 'p':
			port = number(optarg, 65535);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'c':
			max_conns = number(optarg, 1U << 20);
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc)
		bad_usage();
	err = load_site(dir);
	if (err) {
		fprintf(stderr, "http_sock: loading the files: %s\n",
			strerror(-err));
		return 1;
	}
	fit_fd_limit();
	lfd = listen_on(addr, port);
	if (lfd < 0)
		return 1;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	lev.data.ptr = NULL;
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev)) {
		perror("http_sock");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	http_site_tick(&site, time(NULL));
	printf("http_sock: %s:%lu, %u files\n", addr, port, site.nfiles);
	fflush(stdout);
	while (!stop) {
		n = epoll_wait(epfd, ev, EVENTS, 1000);
		/* One time() per wakeup; the Date is formatted once a second. */
		http_site_tick(&site, time(NULL));
		linger_expire();
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				serve(ev[i].data.ptr);
			else
				accept_all(lfd);
		}
	}
	while (conns)
		sconn_close(conns);
	printf("http_sock: %llu connections, %llu requests, %llu errors\n",
	       n_conns, n_reqs, n_errs);
	close(epfd);
	close(lfd);
	return 0;
}
