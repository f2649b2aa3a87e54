// SPDX-License-Identifier: GPL-2.0
/*
 * ix_echo: a TCP echo server on libix.
 *
 *	ix_echo CPU PORT [STREAM_KIB [MAX_CONNS [THREADS]]]
 *
 * Binds to the dataplane of reserved CPU CPU, listens on PORT and sends
 * back every byte it receives on a connection, in order.  Received data
 * is read in place from the RX pool and copied into a per-connection
 * send ring in the TX memory (struct ix_stream), then given back with
 * recv_done; data the ring cannot take waits, unconsumed, in the RX pool
 * until the peer acknowledges enough of the echo (explicit flow
 * control).  The peer's FIN is answered once the echo is out.  MAX_CONNS
 * (512) should match the device's max_conns; each connection takes
 * STREAM_KIB (128) of TX memory.  It sleeps on the queue interrupt when
 * idle (IX_RUN_SLEEP), or polls without sleeping if IX_POLL is set in the
 * environment.  SIGINT or
 * SIGTERM ends it; it prints its counters then.
 *
 * With THREADS above 1 it runs that many elastic threads (libix's
 * ix_open_elastic()) on the device CPU serves: one per core the device
 * has, the others standing by for cores ix scale adds.  A thread
 * listens on PORT when it gets a core; a connection that moves to it
 * from a leaving core goes on where it was (its cookie names it: the
 * table of connections is the process's), and the bytes it had not
 * consumed come again.  Each thread prints its counters at the end.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/ix/libix.h"

#define PENDING_MAX	256

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

struct conn {
	unsigned int	next_free;
	int		live;
	int		fin;
	int		closed;
	struct ix_stream st;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

/* One thread's counters. */
struct echo_thread {
	pthread_t		tid;
	unsigned int		index;
	struct ix_ctx		ctx;
	unsigned long long	conns, bytes, overflow, moved_in, moved_out;
	unsigned long long	ups, downs;
};

static struct conn *conns;
static uint32_t stream_size = 128 * 1024;
static unsigned int max_conns = 512, nthreads = 1, port;
static unsigned int dev_cpu, run_flags;
static uint8_t *stream_mem;
static volatile sig_atomic_t stop;
/* Free connection slots, by index + 1, linked by next_free. */
static unsigned int free_head;
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;

static struct echo_thread *thread_of(struct ix_ctx *ctx)
{
	return ctx->user;
}

/* The connection a cookie names (index + 1), or NULL. */
static struct conn *conn_of(uint64_t cookie)
{
	if (!cookie || cookie > max_conns)
		return NULL;
	return &conns[cookie - 1];
}

static uint64_t conn_cookie(const struct conn *c)
{
	return c - conns + 1;
}

static struct conn *conn_alloc(void)
{
	struct conn *c = NULL;

	pthread_mutex_lock(&free_lock);
	if (free_head) {
		c = &conns[free_head - 1];
		free_head = c->next_free;
	}
	pthread_mutex_unlock(&free_lock);
	return c;
}

static void conn_free(struct conn *c)
{
	c->live = 0;
	pthread_mutex_lock(&free_lock);
	c->next_free = free_head;
	free_head = conn_cookie(c);
	pthread_mutex_unlock(&free_lock);
}

/* Copy what waits into the send ring; give it back to the kernel. */
static void drain(struct ix_ctx *ctx, struct conn *c)
{
	struct pending *p;
	uint32_t n;

	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = ix_stream_write(&c->st, p->data, p->len);
		if (n)
			ix_tcp_recv_done(ctx, c->st.handle, n);
		thread_of(ctx)->bytes += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
	ix_stream_flush(&c->st);
	if (c->fin && !c->npend && c->st.queued == c->st.written &&
	    !c->closed) {
		ix_tcp_close(ctx, c->st.handle);
		c->closed = 1;
	}
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = conn_alloc();

	if (!c) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->live = 1;
	ix_stream_init(&c->st, ctx, handle,
		       stream_mem + (size_t)(c - conns) * stream_size,
		       stream_size);
	if (ix_tcp_accept(ctx, handle, conn_cookie(c))) {
		conn_free(c);
		return;
	}
	thread_of(ctx)->conns++;
}

/* The connection of @cookie, if it is @handle's on this thread. */
static struct conn *conn_here(struct ix_ctx *ctx, uint64_t cookie,
			      uint32_t handle)
{
	struct conn *c = conn_of(cookie);

	if (!c || !c->live || c->st.ctx != ctx || c->st.handle != handle)
		return NULL;
	return c;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (!c)
		return;
	if (!len) {
		c->fin = 1;
	} else if (c->npend == PENDING_MAX) {
		/* More pieces than we track: give up on the connection. */
		thread_of(ctx)->overflow++;
		/* An abort is not answered with a dead event: free it now. */
		ix_tcp_abort(ctx, handle);
		conn_free(c);
		return;
	} else {
		c->pend[(c->pend_head + c->npend++) % PENDING_MAX] =
			(struct pending){ data, len };
	}
	drain(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (!c)
		return;
	ix_stream_acked(&c->st, acked);
	drain(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct ix_stream *st = (struct ix_stream *)(uintptr_t)cmd->cookie;
	struct conn *c;

	if (cmd->op == IX_CMD_TCP_ACCEPT) {
		/*
		 * Gone before the accept ran: its dead event, if any, came
		 * without the cookie, so nothing else frees the slot.
		 */
		c = conn_here(ctx, cmd->cookie, cmd->handle);
		if (c && cmd->result < 0)
			conn_free(c);
		return;
	}
	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = (struct conn *)((uint8_t *)st - offsetof(struct conn, st));
	if (!c->live || st->ctx != ctx || st->handle != cmd->handle)
		return;
	ix_stream_done(st, cmd);
	drain(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (c)
		conn_free(c);
}

static void on_core_up(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->ups++;
	ix_tcp_listen(ctx, port, 4096, 0);
	printf("ix_echo: cpu %u port %u\n", cpu, port);
	fflush(stdout);
}

static void on_core_down(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->downs++;
}

/*
 * A connection came from another thread's core: it goes on here.  What
 * it had not consumed comes again in recv events; the pieces of the old
 * pool are void.
 */
static void on_moved(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t old, uint32_t unread)
{
	struct conn *c = conn_of(cookie);

	if (!c || !c->live)
		return;
	ix_stream_moved(&c->st, ctx, handle);
	c->npend = 0;
	c->pend_head = 0;
	c->fin = 0;
	thread_of(ctx)->moved_in++;
}

/*
 * A connection went to another thread, this one staying: nothing to do
 * (its events now come there, and the stream is that thread's from its
 * moved event on); counted.
 */
static void on_moved_out(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
			 uint32_t to, unsigned int cpu)
{
	thread_of(ctx)->moved_out++;
}

static const struct ix_ops echo_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
	.core_up	= on_core_up,
	.core_down	= on_core_down,
	.moved		= on_moved,
	.moved_out	= on_moved_out,
};

static void on_signal(int sig)
{
	stop = 1;
}

static void print_counters(struct echo_thread *t)
{
	if (nthreads == 1) {
		printf("ix_echo: %llu connections, %llu bytes echoed, %llu overflows, %u events dropped\n",
		       t->conns, t->bytes, t->overflow, *t->ctx.ev.dropped);
		return;
	}
	printf("ix_echo: thread %u: %llu connections, %llu moved in, %llu moved out, %llu bytes echoed, %llu overflows, %u events dropped, %llu cores up, %llu down\n",
	       t->index, t->conns, t->moved_in, t->moved_out, t->bytes,
	       t->overflow,
	       *t->ctx.ev.dropped, t->ups, t->downs);
}

static int serve(struct echo_thread *t)
{
	int err;

	while (!stop) {
		err = ix_run(&t->ctx, 100000, run_flags);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "ix_echo: run: %s\n", strerror(-err));
			return err;
		}
	}
	return 0;
}

static struct ix_group group;

static void *elastic_thread(void *arg)
{
	struct echo_thread *t = arg;
	int err;

	err = ix_open_elastic(&t->ctx, &group, t->index, dev_cpu, &echo_ops, t);
	if (err) {
		fprintf(stderr, "ix_echo: thread %u: ix_open_elastic: %s\n",
			t->index, strerror(-err));
		stop = 1;
		return (void *)1;
	}
	err = serve(t);
	print_counters(t);
	ix_close(&t->ctx);
	return (void *)(uintptr_t)(err != 0);
}

static int run_elastic(void)
{
	struct echo_thread *t;
	unsigned int i, bad = 0;
	void *ret;
	int err;

	err = ix_group_init(&group, nthreads, (size_t)max_conns * stream_size);
	if (err) {
		fprintf(stderr, "ix_echo: TX memory: %s\n", strerror(-err));
		return 1;
	}
	stream_mem = group.tx + group.tx_user;
	t = calloc(nthreads, sizeof(*t));
	if (!t)
		return 1;
	for (i = 0; i < nthreads; i++) {
		t[i].index = i;
		if (pthread_create(&t[i].tid, NULL, elastic_thread, &t[i])) {
			stop = 1;
			nthreads = i;
			bad = 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(t[i].tid, &ret);
		bad |= ret != NULL;
	}
	ix_group_free(&group);
	free(t);
	return bad;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct echo_thread t = { 0 };
	unsigned int i;
	size_t len;
	int err;

	run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	if (argc < 3) {
		fprintf(stderr, "usage: ix_echo CPU PORT [STREAM_KIB [MAX_CONNS [THREADS]]]\n");
		return 2;
	}
	dev_cpu = strtoul(argv[1], NULL, 0);
	port = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		stream_size = strtoul(argv[3], NULL, 0) * 1024;
	if (argc > 4)
		max_conns = strtoul(argv[4], NULL, 0);
	if (argc > 5)
		nthreads = strtoul(argv[5], NULL, 0);
	if (stream_size < 4096 || !max_conns || max_conns > 65535 ||
	    !nthreads || nthreads > 64) {
		fprintf(stderr, "ix_echo: STREAM_KIB at least 4, MAX_CONNS 1 to 65535, THREADS 1 to 64\n");
		return 2;
	}
	conns = calloc(max_conns, sizeof(*conns));
	if (!conns)
		return 2;
	for (i = max_conns; i > 0; i--)
		conn_free(&conns[i - 1]);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (nthreads > 1)
		return run_elastic();
	err = ix_open(&t.ctx, dev_cpu, (size_t)max_conns * stream_size,
		      &echo_ops, &t);
	if (err) {
		fprintf(stderr, "ix_echo: ix_open: %s\n", strerror(-err));
		return 1;
	}
	stream_mem = ix_tx_mem(&t.ctx, &len);
	ix_tcp_listen(&t.ctx, port, 4096, 0);
	printf("ix_echo: cpu %u port %u\n", dev_cpu, port);
	fflush(stdout);
	err = serve(&t);
	print_counters(&t);
	ix_close(&t.ctx);
	return err < 0;
}
