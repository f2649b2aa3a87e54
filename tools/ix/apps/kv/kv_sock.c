// SPDX-License-Identifier: GPL-2.0
/*
 * kv_sock: the key-value server on Linux sockets, one thread, epoll.
 *
 *	kv_sock [-l ADDR] [-p PORT] [-m MEGABYTES] [-I ITEM_BYTES] [-c CONNS]
 *
 * The same engine as ix_kv, so the protocols can be tested and compared
 * on any host (memcapable.sh).  Input is read into a buffer per
 * connection and handed to the engine; what the engine does not take
 * (its output is backed up) waits there and the socket is not read until
 * the output drains.  Output is sent straight from the engine's pieces
 * with sendmsg().  SIGINT or SIGTERM ends it.
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

#include "kv.h"

#define IN_BUF		16384
#define IOV_MAX_SEND	64
#define READS_PER_TURN	16
#define EVENTS		64

struct sconn {
	struct sconn	*prev;
	struct sconn	*next;
	int		fd;
	bool		eof;
	uint32_t	events;
	struct kv_conn	*kv;
	size_t		in_off;
	size_t		in_len;
	uint8_t		in[IN_BUF];
};

static struct sconn *conns;
static volatile sig_atomic_t stop;
static unsigned int nconns, max_conns = 1024;
static int epfd;

static int64_t clock_now(void)
{
	return time(NULL);
}

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
	close(sc->fd);
	kv_conn_free(sc->kv);
	free(sc);
	nconns--;
}

/*
 * Send what the engine has; return the bytes sent, or -1 on error.
 * @full is set if the socket took less than all.
 */
static ssize_t flush(struct sconn *sc, bool *full)
{
	struct iovec iov[IOV_MAX_SEND];
	struct msghdr msg = { .msg_iov = iov };
	ssize_t r, sent = 0;

	*full = false;
	while (sc->kv->pending) {
		msg.msg_iovlen = kv_conn_peek(sc->kv, iov, IOV_MAX_SEND);
		r = sendmsg(sc->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			kv_conn_consume(sc->kv, r);
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

/*
 * Hand buffered input to the engine, as much as it takes; return
 * whether anything moved (input taken or output made).
 */
static bool feed(struct sconn *sc)
{
	size_t n, pending = sc->kv->pending, taken = 0;

	if (sc->in_off == sc->in_len) {
		/* Let a get line that waited for room go on. */
		kv_conn_input(sc->kv, NULL, 0);
		return sc->kv->pending != pending;
	}
	while (sc->in_off < sc->in_len) {
		n = kv_conn_input(sc->kv, sc->in + sc->in_off,
				  sc->in_len - sc->in_off);
		if (!n)
			break;
		sc->in_off += n;
		taken += n;
	}
	if (sc->in_off == sc->in_len) {
		sc->in_off = 0;
		sc->in_len = 0;
	}
	return taken || sc->kv->pending != pending;
}

static int set_events(struct sconn *sc)
{
	struct epoll_event ev = { .data.ptr = sc };

	if (!sc->in_len && !sc->eof && !kv_conn_done(sc->kv))
		ev.events |= EPOLLIN;
	if (sc->kv->pending)
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

	for (;;) {
		/* Run the engine and send until neither moves. */
		do {
			moved = feed(sc);
			r = flush(sc, &full);
			if (r < 0)
				goto out_close;
		} while ((moved || r) && !full);
		if (kv_conn_done(sc->kv) || sc->eof) {
			if (!sc->kv->pending)
				goto out_close;
			break;
		}
		/* Input left over waits for the socket to take output. */
		if (sc->in_len || reads++ == READS_PER_TURN)
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

static void accept_all(int lfd, struct kv_store *store)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sconn *sc;
	int fd, one = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		sc = nconns < max_conns ? calloc(1, sizeof(*sc)) : NULL;
		if (!sc)
			goto out_fd;
		sc->kv = kv_conn_new(store);
		if (!sc->kv)
			goto out_sc;
		sc->fd = fd;
		sc->events = EPOLLIN;
		ev.data.ptr = sc;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev))
			goto out_kv;
		sc->next = conns;
		if (conns)
			conns->prev = sc;
		conns = sc;
		nconns++;
		continue;
out_kv:
		kv_conn_free(sc->kv);
out_sc:
		free(sc);
out_fd:
		close(fd);
	}
}

/*
 * Room for the connections in the descriptor limit: a listener that
 * cannot accept (EMFILE) would stay readable and spin.  Those past the
 * limit are accepted and closed.
 */
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
		fprintf(stderr, "kv_sock: bad address '%s'\n", addr);
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
	fprintf(stderr, "kv_sock: %s:%u: %s\n", addr, port, strerror(errno));
	return -1;
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: kv_sock [-l ADDR] [-p PORT] [-m MEGABYTES] [-I ITEM_BYTES] [-c CONNS]\n");
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

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long port = 11211, mb = KV_LIMIT_DEFAULT >> 20;
	unsigned long item_max = KV_ITEM_MAX_DEFAULT;
	struct epoll_event ev[EVENTS], lev = { .events = EPOLLIN };
	const char *addr = "127.0.0.1";
	struct kv_store store;
	int opt, lfd, n, i;

	while ((opt = getopt(argc, argv, "l:p:m:I:c:")) != -1) {
		switch (opt) {
		case 'l':
			addr = optarg;
			break;
		case 'p':
			port = number(optarg, 65535);
			break;
		case 'm':
			mb = number(optarg, 1UL << 20);
			break;
		case 'I':
			item_max = number(optarg, 1UL << 30);
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
	fit_fd_limit();
	lfd = listen_on(addr, port);
	if (lfd < 0)
		return 1;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	lev.data.ptr = NULL;
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev) ||
	    kv_store_init(&store, mb << 20, item_max, clock_now)) {
		perror("kv_sock");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("kv_sock: %s:%lu, %lu MiB\n", addr, port, mb);
	fflush(stdout);
	while (!stop) {
		n = epoll_wait(epfd, ev, EVENTS, 1000);
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				serve(ev[i].data.ptr);
			else
				accept_all(lfd, &store);
		}
	}
	printf("kv_sock: %llu connections, %llu items\n",
	       (unsigned long long)store.stats.total_connections,
	       (unsigned long long)store.count);
	while (conns)
		sconn_close(conns);
	kv_store_destroy(&store);
	close(epfd);
	close(lfd);
	return 0;
}
