// SPDX-License-Identifier: GPL-2.0
/*
 * echo_uring: a one-thread TCP echo server on io_uring, the "io_uring"
 * contender of the benchmark.
 *
 *	echo_uring -l ADDR -p PORT [-b NBUFS] [-s BUFSIZE] [-n USECS] [-q]
 *
 * One multishot accept; per connection one multishot receive that takes
 * its buffers from a provided buffer ring (group 0, NBUFS buffers of
 * BUFSIZE bytes).  Each received buffer is sent back as it is and goes
 * back to the ring when its send completes.  A connection has at most
 * one send in flight (two could complete out of order); buffers that
 * arrive meanwhile wait in a per-connection queue.  When the ring runs
 * dry a receive ends with -ENOBUFS and is armed again once buffers come
 * back, which is the server's flow control.  A connection is closed when
 * its receive has ended (FIN or error) and no send is in flight.  With
 * -n the ring busy-polls its sockets' NAPI instances while it waits
 * (IORING_REGISTER_NAPI, 6.9), the "uring-napi" contender; a kernel that
 * refuses it ends the server with a message saying so.
 */

#include <errno.h>
#include <liburing.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "busy.h"
#include "util.h"

#define BGID		0
#define RING_ENTRIES	4096
#define CQ_ENTRIES	(16 * RING_ENTRIES)
#define NO_BUF		0xffff

enum { OP_ACCEPT = 1, OP_RECV, OP_SEND };

/* Where a received buffer stands: its bytes and the next in its queue. */
struct ubuf {
	uint32_t	len;
	uint32_t	off;
	uint16_t	next;
};

struct uconn {
	bool		open;
	bool		recv_armed;
	bool		sending;
	bool		closing;	/* receive over: close when idle */
	bool		starved;	/* receive ended with -ENOBUFS */
	uint16_t	head;		/* first buffer to send back */
	uint16_t	tail;
};

struct server {
	struct io_uring		ring;
	struct io_uring_buf_ring *br;
	char			*mem;		/* the buffers */
	struct ubuf		*bufs;
	unsigned int		nbufs;
	unsigned int		bufsize;
	unsigned int		napi_us;	/* busy-poll microseconds, or 0 */
	unsigned int		recycled;	/* added since the last advance */
	struct uconn		*conns;		/* by fd */
	unsigned int		nconns;
	unsigned int		starved;
	int			lfd;
	unsigned long long	n_accepted, n_open, n_bytes, n_errors,
				n_enobufs;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

#ifdef IO_URING_VERSION_MAJOR	/* liburing 2.4 and later */
static struct io_uring_buf_ring *buf_ring_setup(struct server *s, int *err)
{
	return io_uring_setup_buf_ring(&s->ring, s->nbufs, BGID, 0, err);
}

static void buf_ring_free(struct server *s)
{
	io_uring_free_buf_ring(&s->ring, s->br, s->nbufs, BGID);
}
#else
/* liburing 2.3 (Debian 12) lacks io_uring_setup_buf_ring(): by hand. */
static struct io_uring_buf_ring *buf_ring_setup(struct server *s, int *err)
{
	size_t len = s->nbufs * sizeof(struct io_uring_buf);
	struct io_uring_buf_reg reg = { 0 };
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	reg.ring_addr = (unsigned long)p;
	reg.ring_entries = s->nbufs;
	reg.bgid = BGID;
	*err = io_uring_register_buf_ring(&s->ring, &reg, 0);
	if (*err) {
		munmap(p, len);
		return NULL;
	}
	io_uring_buf_ring_init(p);
	return p;
}

static void buf_ring_free(struct server *s)
{
	io_uring_unregister_buf_ring(&s->ring, BGID);
	munmap(s->br, s->nbufs * sizeof(struct io_uring_buf));
}
#endif

static char *buf_addr(const struct server *s, unsigned int bid)
{
	return s->mem + (size_t)bid * s->bufsize;
}

/* Give buffer @bid back to the kernel (visible at the next advance). */
static void buf_recycle(struct server *s, unsigned int bid)
{
	io_uring_buf_ring_add(s->br, buf_addr(s, bid), s->bufsize, bid,
			      io_uring_buf_ring_mask(s->nbufs), s->recycled++);
}

static uint64_t ud(int op, int fd)
{
	return (uint64_t)op << 32 | (uint32_t)fd;
}

static struct io_uring_sqe *get_sqe(struct server *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	while (!sqe) {
		io_uring_submit(&s->ring);
		sqe = io_uring_get_sqe(&s->ring);
	}
	return sqe;
}

static void arm_accept(struct server *s)
{
	struct io_uring_sqe *sqe = get_sqe(s);

	io_uring_prep_multishot_accept(sqe, s->lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(sqe, ud(OP_ACCEPT, s->lfd));
}

static void arm_recv(struct server *s, int fd)
{
	struct io_uring_sqe *sqe = get_sqe(s);

	io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, ud(OP_RECV, fd));
	s->conns[fd].recv_armed = true;
}

/* Send back what is left of the first queued buffer. */
static void send_head(struct server *s, int fd)
{
	struct uconn *c = &s->conns[fd];
	struct ubuf *b = &s->bufs[c->head];
	struct io_uring_sqe *sqe = get_sqe(s);

	io_uring_prep_send(sqe, fd, buf_addr(s, c->head) + b->off,
			   b->len - b->off, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, ud(OP_SEND, fd));
	c->sending = true;
}

static void queue_drop(struct server *s, struct uconn *c)
{
	while (c->head != NO_BUF) {
		buf_recycle(s, c->head);
		c->head = s->bufs[c->head].next;
	}
	c->tail = NO_BUF;
}

/* Close @fd once nothing of it is in flight any more. */
static void maybe_close(struct server *s, int fd)
{
	struct uconn *c = &s->conns[fd];

	if (!c->closing || c->recv_armed || c->sending)
		return;
	queue_drop(s, c);
	if (c->starved)
		s->starved--;
	close(fd);
	memset(c, 0, sizeof(*c));
	s->n_open--;
}

static void conn_fail(struct server *s, int fd, int err)
{
	struct uconn *c = &s->conns[fd];

	if (err != -ECONNRESET && err != -EPIPE)
		s->n_errors++;
	c->closing = true;
	queue_drop(s, c);
	if (c->recv_armed)
		shutdown(fd, SHUT_RDWR);	/* ends the receive */
}

static int conn_new(struct server *s, int fd)
{
	unsigned int n = s->nconns;
	struct uconn *p;
	int one = 1;

	if ((unsigned int)fd >= n) {
		while (n <= (unsigned int)fd)
			n = n ? 2 * n : 1024;
		p = realloc(s->conns, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + s->nconns, 0, (n - s->nconns) * sizeof(*p));
		s->conns = p;
		s->nconns = n;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&s->conns[fd], 0, sizeof(s->conns[fd]));
	s->conns[fd].open = true;
	s->conns[fd].head = NO_BUF;
	s->conns[fd].tail = NO_BUF;
	s->n_accepted++;
	s->n_open++;
	arm_recv(s, fd);
	return 0;
}

static void on_accept(struct server *s, struct io_uring_cqe *cqe)
{
	if (cqe->res >= 0 && conn_new(s, cqe->res)) {
		close(cqe->res);
		s->n_errors++;
	} else if (cqe->res < 0 && cqe->res != -EINTR) {
		fprintf(stderr, "echo_uring: accept: %s\n", strerror(-cqe->res));
		s->n_errors++;
	}
	if (!(cqe->flags & IORING_CQE_F_MORE))
		arm_accept(s);
}

static void on_recv(struct server *s, int fd, struct io_uring_cqe *cqe)
{
	struct uconn *c = &s->conns[fd];
	unsigned int bid;

	c->recv_armed = cqe->flags & IORING_CQE_F_MORE;
	if (cqe->res > 0 && (cqe->flags & IORING_CQE_F_BUFFER)) {
		bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		s->n_bytes += cqe->res;
		s->bufs[bid] = (struct ubuf){ cqe->res, 0, NO_BUF };
		if (c->closing) {
			buf_recycle(s, bid);
		} else {
			if (c->tail != NO_BUF)
				s->bufs[c->tail].next = bid;
			else
				c->head = bid;
			c->tail = bid;
			if (!c->sending)
				send_head(s, fd);
		}
	} else if (cqe->res == -ENOBUFS) {
		s->n_enobufs++;
		if (!c->starved && !c->closing) {
			c->starved = true;
			s->starved++;
		}
	} else if (cqe->res <= 0) {
		if (cqe->res)
			conn_fail(s, fd, cqe->res);
		c->closing = true;
	}
	if (!c->recv_armed && !c->closing && !c->starved)
		arm_recv(s, fd);
	maybe_close(s, fd);
}

static void on_send(struct server *s, int fd, struct io_uring_cqe *cqe)
{
	struct uconn *c = &s->conns[fd];
	struct ubuf *b;

	c->sending = false;
	if (cqe->res < 0 || c->head == NO_BUF) {
		if (cqe->res < 0)
			conn_fail(s, fd, cqe->res);
		maybe_close(s, fd);
		return;
	}
	b = &s->bufs[c->head];
	b->off += cqe->res;
	if (b->off >= b->len) {
		buf_recycle(s, c->head);
		c->head = b->next;
		if (c->head == NO_BUF)
			c->tail = NO_BUF;
	}
	if (c->head != NO_BUF)
		send_head(s, fd);
	maybe_close(s, fd);
}

/* Buffers came back: arm the receives that ran out of them. */
static void unstarve(struct server *s)
{
	unsigned int fd;

	for (fd = 0; s->starved && fd < s->nconns; fd++) {
		struct uconn *c = &s->conns[fd];

		if (!c->starved)
			continue;
		c->starved = false;
		s->starved--;
		arm_recv(s, fd);
	}
}

static void handle(struct server *s, struct io_uring_cqe *cqe)
{
	int op = cqe->user_data >> 32, fd = (int)(uint32_t)cqe->user_data;

	if (op == OP_ACCEPT)
		on_accept(s, cqe);
	else if (op == OP_RECV)
		on_recv(s, fd, cqe);
	else if (op == OP_SEND)
		on_send(s, fd, cqe);
}

static int server_run(struct server *s)
{
	/* Wake up now and then to see the stop flag, even under valgrind. */
	struct __kernel_timespec tick = { .tv_sec = 1 };
	struct io_uring_cqe *cqe;
	unsigned int head, n;
	int err;

	arm_accept(s);
	while (!stop) {
		err = io_uring_submit_and_wait_timeout(&s->ring, &cqe, 1, &tick,
						       NULL);
		if (err == -EINTR || err == -ETIME)
			continue;
		if (err < 0) {
			fprintf(stderr, "echo_uring: io_uring_submit_and_wait: %s\n",
				strerror(-err));
			return err;
		}
		n = 0;
		io_uring_for_each_cqe(&s->ring, head, cqe) {
			handle(s, cqe);
			n++;
		}
		io_uring_cq_advance(&s->ring, n);
		if (s->recycled) {
			io_uring_buf_ring_advance(s->br, s->recycled);
			s->recycled = 0;
			unstarve(s);
		}
	}
	return 0;
}

static int ring_napi(struct server *s)
{
	int err = busy_uring(s->ring.ring_fd, s->napi_us);

	if (err) {
		fprintf(stderr, "echo_uring: IORING_REGISTER_NAPI refused: %s (a kernel before 6.9?)\n",
			strerror(-err));
		return err;
	}
	fprintf(stderr, "echo_uring: NAPI busy poll %u us registered\n",
		s->napi_us);
	return 0;
}

static int ring_init(struct server *s)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER |
			 IORING_SETUP_DEFER_TASKRUN,
		.cq_entries = CQ_ENTRIES,
	};
	int err;

	err = io_uring_queue_init_params(RING_ENTRIES, &s->ring, &p);
	if (err == -EINVAL) {
		/* Before 6.1: no deferred task work. */
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = CQ_ENTRIES;
		err = io_uring_queue_init_params(RING_ENTRIES, &s->ring, &p);
	}
	if (err) {
		fprintf(stderr, "echo_uring: io_uring_queue_init: %s\n",
			strerror(-err));
		return err;
	}
	return s->napi_us ? ring_napi(s) : 0;
}

static int bufs_init(struct server *s)
{
	unsigned int i;
	int err;

	s->mem = aligned_alloc(4096, (size_t)s->nbufs * s->bufsize);
	s->bufs = calloc(s->nbufs, sizeof(*s->bufs));
	if (!s->mem || !s->bufs)
		return -ENOMEM;
	s->br = buf_ring_setup(s, &err);
	if (!s->br) {
		fprintf(stderr, "echo_uring: provided buffer ring: %s\n",
			strerror(-err));
		return err;
	}
	for (i = 0; i < s->nbufs; i++)
		buf_recycle(s, i);
	io_uring_buf_ring_advance(s->br, s->recycled);
	s->recycled = 0;
	return 0;
}

static int server_listen(struct server *s, const struct sockaddr_in *sin)
{
	char name[32];
	int one = 1;

	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->lfd, (const struct sockaddr *)sin, sizeof(*sin)) ||
	    listen(s->lfd, SOMAXCONN)) {
		fprintf(stderr, "echo_uring: listen on %s: %s\n",
			fmt_sin(sin, name, sizeof(name)), strerror(errno));
		return -errno;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct sockaddr_in *sin,
		      struct server *s, bool *quiet)
{
	bool have_port = false;
	uint64_t v;
	int opt;

	while ((opt = getopt(argc, argv, "l:p:b:s:n:q")) != -1) {
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
		case 'b':
			/* Buffer ids are 16 bits; the ring size a power of 2. */
			if (parse_u64(optarg, 1, 32768, &v) || (v & (v - 1)))
				goto out_usage;
			s->nbufs = v;
			break;
		case 's':
			if (parse_u64(optarg, 64, 1 << 20, &v))
				goto out_usage;
			s->bufsize = v;
			break;
		case 'n':
			/* The kernel caps the spin at 10 ms. */
			if (parse_u64(optarg, 1, 10000, &v))
				goto out_usage;
			s->napi_us = v;
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
	fprintf(stderr, "usage: echo_uring -l ADDR -p PORT [-b NBUFS] [-s BUFSIZE] [-n USECS] [-q]\n"
		"  -b  provided buffers, a power of 2 up to 32768 (4096)\n"
		"  -s  bytes per buffer, 64 to 1 MiB (4096)\n"
		"  -n  NAPI busy poll up to USECS (1-10000) while waiting\n"
		"  -q  no counters at exit\n");
	return -EINVAL;
}

static void server_close_all(struct server *s)
{
	unsigned int fd;

	for (fd = 0; fd < s->nconns; fd++)
		if (s->conns[fd].open)
			close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_signal };
	struct server s = { .nbufs = 4096, .bufsize = 4096, .lfd = -1 };
	bool quiet = false;
	int err = 1;
	rlim_t have;

	if (parse_args(argc, argv, &sin, &s, &quiet))
		return 2;
	raise_nofile(1 << 20, &have);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (server_listen(&s, &sin))
		goto out_listen;
	if (ring_init(&s))
		goto out_listen;
	if (bufs_init(&s))
		goto out_bufs;
	if (!server_run(&s))
		err = 0;
	if (!quiet)
		fprintf(stderr, "echo_uring: %llu connections accepted, %llu open at exit, %llu bytes echoed, %llu errors, %llu buffer shortages\n",
			s.n_accepted, s.n_open, s.n_bytes, s.n_errors,
			s.n_enobufs);
	server_close_all(&s);
	buf_ring_free(&s);
out_bufs:
	io_uring_queue_exit(&s.ring);
	free(s.conns);
	free(s.bufs);
	free(s.mem);
out_listen:
	if (s.lfd >= 0)
		close(s.lfd);
	return err;
}
