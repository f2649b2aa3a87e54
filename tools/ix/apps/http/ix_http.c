// SPDX-License-Identifier: GPL-2.0
/*
 * ix_http: the HTTP/1.1 server on the ixdp dataplane, through libix.
 *
 *	ix_http CPU PORT [DIR [THREADS]]
 *
 * Serves the regular files of DIR, or the built-in set (http_site.c)
 * if DIR is empty or left out, with the engine of http_conn.c, which
 * http_sock shares.
 *
 * Zero copy: the files are read once at start into the TX memory and
 * every response's body is sent by sendv straight from there.  A
 * response head is built per request (its Date changes) in a slot of
 * the connection's header ring, also in the TX memory; a slot is reused
 * only once the peer acknowledged its bytes (the sent event), since the
 * stack may send them again until then.  Received segments are parsed in
 * place in the RX pool when a head arrives whole (the engine copies a
 * head only when it comes in pieces) and given back with recv_done as
 * the engine takes them; a segment it refuses (HTTP_RESP_MAX responses
 * not acknowledged yet) stays in the RX pool, which closes the receive
 * window.  It sleeps on the queue interrupt when idle, or polls if
 * IX_POLL is set in the environment.  SIGINT or SIGTERM ends it.
 *
 * With THREADS above 1 it runs that many elastic threads (libix's
 * ix_open_elastic()) on the device CPU serves, as ix_echo does: one per
 * core the device has, the others standing by for cores ix scale adds.
 * A thread listens on PORT when it gets a core.  The files, the header
 * rings and the table of connections are the process's; a connection
 * that moves to another thread's core goes on there, named by its
 * cookie, with the bytes it had not consumed given again.  Each thread
 * keeps its own Date.  Each prints its counters at the end.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../lib/ix/libix.h"
#include "http.h"

#define MAX_CONNS	512
#define PENDING_MAX	64

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

/**
 * struct conn - one connection
 * @next_free: the next free slot's cookie, while free
 * @live: accepted, not dead
 * @inflight: a sendv awaits its result
 * @fin: the peer closed its side
 * @closed: our close is queued
 * @ctx: the thread whose core has it
 * @handle: its handle there
 * @owed: bytes taken whose recv_done is not queued yet
 * @skip: bytes given again after a move that the engine had taken
 * @npend: segments waiting in the RX pool, from @pend_head
 * @pend_head: see @npend
 * @pend: them
 * @http: the protocol
 */
struct conn {
	unsigned int	next_free;
	bool		live;
	bool		inflight;
	bool		fin;
	bool		closed;
	struct ix_ctx	*ctx;
	uint32_t	handle;
	uint32_t	owed;
	uint32_t	skip;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
	struct http_conn http;
};

/* One thread: its context, its Date and its counters. */
struct http_thread {
	pthread_t		tid;
	unsigned int		index;
	bool			open;
	struct ix_ctx		ctx;
	struct http_site	site;
	unsigned long long	conns, overflow, moved_in, ups, downs;
	unsigned long		reqs, errs;
};

static struct conn *conns;
static struct http_site site;
static uint8_t *hrings;
static volatile sig_atomic_t stop;
static unsigned int nthreads = 1, dev_cpu, port, run_flags;
/* Free slots, by cookie (index + 1), linked by next_free. */
static unsigned int free_head;
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;

static struct http_thread *thread_of(struct ix_ctx *ctx)
{
	return ctx->user;
}

static uint64_t conn_cookie(const struct conn *c)
{
	return c - conns + 1;
}

/* The connection of @cookie, if it is @handle's on this thread. */
static struct conn *conn_here(struct ix_ctx *ctx, uint64_t cookie,
			      uint32_t handle)
{
	struct conn *c;

	if (!cookie || cookie > MAX_CONNS)
		return NULL;
	c = &conns[cookie - 1];
	return c->live && c->ctx == ctx && c->handle == handle ? c : NULL;
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
	c->live = false;
	pthread_mutex_lock(&free_lock);
	c->next_free = free_head;
	free_head = conn_cookie(c);
	pthread_mutex_unlock(&free_lock);
}

/* Offer the waiting segments to the engine. */
static void from_rx(struct conn *c)
{
	struct pending *p;
	size_t n;

	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = http_conn_input(&c->http, p->data, p->len);
		c->owed += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
}

/* Queue one sendv of what the engine has, if none is in flight. */
static void to_tx(struct ix_ctx *ctx, struct conn *c)
{
	struct iovec v[IX_SENDV_MAX];
	struct ix_iov iov[IX_SENDV_MAX];
	unsigned int i, n;

	if (c->inflight || c->closed)
		return;
	n = http_conn_peek(&c->http, v, IX_SENDV_MAX);
	for (i = 0; i < n; i++)
		iov[i] = (struct ix_iov){ .off = ix_tx_off(ctx, v[i].iov_base),
					 .len = v[i].iov_len };
	if (n && !ix_tcp_sendv(ctx, c->handle, iov, n, conn_cookie(c)))
		c->inflight = true;
}

/* Move everything that can move; close when done. */
static void pump(struct ix_ctx *ctx, struct conn *c)
{
	from_rx(c);
	if (c->owed && !ix_tcp_recv_done(ctx, c->handle, c->owed))
		c->owed = 0;
	to_tx(ctx, c);
	if (((c->fin && !c->npend) || c->http.closing) && !c->http.pending &&
	    !c->inflight && !c->closed && !ix_tcp_close(ctx, c->handle))
		c->closed = true;
}

/* The connection is over: count its requests and free its slot. */
static void conn_end(struct ix_ctx *ctx, struct conn *c)
{
	thread_of(ctx)->reqs += c->http.nreq;
	thread_of(ctx)->errs += c->http.nerr;
	conn_free(c);
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = conn_alloc();
	size_t slot;

	if (!c) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	slot = c - conns;
	memset(c, 0, offsetof(struct conn, pend));
	http_conn_init(&c->http, &thread_of(ctx)->site,
		       hrings + slot * HTTP_HRING);
	c->live = true;
	c->ctx = ctx;
	c->handle = handle;
	if (ix_tcp_accept(ctx, handle, conn_cookie(c))) {
		conn_free(c);
		return;
	}
	thread_of(ctx)->conns++;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_here(ctx, cookie, handle);
	uint32_t n;

	if (!c)
		return;
	/* Given again after a move, but taken before it: taken. */
	n = len < c->skip ? len : c->skip;
	c->skip -= n;
	c->owed += n;
	data = (const uint8_t *)data + n;
	len -= n;
	if (n && !len) {
		pump(ctx, c);
		return;
	}
	if (len && c->npend == PENDING_MAX) {
		/*
		 * More pieces than we track: give up on the connection.
		 * No dead event follows an abort, so end it here; any
		 * later event for the stale handle misses in conn_here().
		 * If the command ring is full the handle stays alive: keep
		 * the slot until its dead event.
		 */
		thread_of(ctx)->overflow++;
		if (ix_tcp_abort(ctx, handle))
			c->closed = true;
		else
			conn_end(ctx, c);
		return;
	}
	if (len)
		c->pend[(c->pend_head + c->npend++) % PENDING_MAX] =
			(struct pending){ data, len };
	else
		c->fin = true;
	pump(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (!c)
		return;
	http_conn_release(&c->http, acked);
	pump(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op == IX_CMD_TCP_LISTEN && cmd->result < 0) {
		fprintf(stderr, "ix_http: listen: %s\n",
			strerror(-cmd->result));
		stop = 1;
		return;
	}
	c = conn_here(ctx, cmd->cookie, cmd->handle);
	if (!c)
		return;
	if (cmd->op == IX_CMD_TCP_ACCEPT) {
		/*
		 * Gone before the accept ran: its dead event, if any, came
		 * without the cookie, so nothing else frees the slot.
		 */
		if (cmd->result < 0)
			conn_free(c);
		return;
	}
	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c->inflight = false;
	if (cmd->result > 0)
		http_conn_consume(&c->http, cmd->result);
	/* 0: the window is full; the next sent event goes on. */
	if (cmd->result > 0)
		pump(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	struct conn *c = conn_here(ctx, cookie, handle);

	if (c)
		conn_end(ctx, c);
}

static void on_core_up(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->ups++;
	ix_tcp_listen(ctx, port, 256, 0);
	printf("ix_http: cpu %u port %u, %u files\n", cpu, port,
	       site.nfiles);
	fflush(stdout);
}

static void on_core_down(struct ix_ctx *ctx, unsigned int cpu)
{
	thread_of(ctx)->downs++;
}

/*
 * A connection came from another thread's core: it goes on here, with
 * this thread's Date.  The segments it had not consumed come again in
 * recv events (those of the old pool are void), the bytes the engine
 * took without their recv_done queued among them.
 */
static void on_moved(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t old, uint32_t unread)
{
	struct conn *c;

	if (!cookie || cookie > MAX_CONNS || !conns[cookie - 1].live)
		return;
	c = &conns[cookie - 1];
	c->ctx = ctx;
	c->handle = handle;
	c->http.site = &thread_of(ctx)->site;
	c->skip = c->owed;
	c->owed = 0;
	c->npend = 0;
	c->pend_head = 0;
	c->fin = false;
	thread_of(ctx)->moved_in++;
}

static const struct ix_ops http_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
	.core_up	= on_core_up,
	.core_down	= on_core_down,
	.moved		= on_moved,
};

static void on_signal(int sig)
{
	stop = 1;
}

static void print_counters(struct http_thread *t)
{
	unsigned int i, open = 0;

	/* Connections still open at the end. */
	for (i = 0; i < MAX_CONNS; i++) {
		if (conns[i].live && conns[i].ctx == &t->ctx) {
			t->reqs += conns[i].http.nreq;
			t->errs += conns[i].http.nerr;
			open++;
		}
	}
	if (nthreads == 1) {
		printf("ix_http: %llu connections, %lu requests, %lu errors, ",
		       t->conns, t->reqs, t->errs);
		printf("%llu overflows, %u events dropped\n", t->overflow,
		       *t->ctx.ev.dropped);
		return;
	}
	printf("ix_http: thread %u: %llu connections, %llu moved in, %lu requests, %lu errors, %llu overflows, %u events dropped, %llu cores up, %llu down, %u open\n",
	       t->index, t->conns, t->moved_in, t->reqs, t->errs, t->overflow,
	       *t->ctx.ev.dropped, t->ups, t->downs, open);
}

static int serve(struct http_thread *t)
{
	int err = 0;

	while (!stop && err >= 0) {
		err = ix_run(&t->ctx, 100000, run_flags);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			/* A thread that cannot run holds its core: all end. */
			fprintf(stderr, "ix_http: run: %s\n", strerror(-err));
			stop = 1;
		}
		/* One time() per batch; the Date is formatted once a second. */
		http_site_tick(&t->site, time(NULL));
	}
	return err < 0 ? err : 0;
}

static struct ix_group group;

static void *elastic_thread(void *arg)
{
	struct http_thread *t = arg;
	int err;

	err = ix_open_elastic(&t->ctx, &group, t->index, dev_cpu, &http_ops,
			      t);
	if (err) {
		fprintf(stderr, "ix_http: thread %u: ix_open_elastic: %s\n",
			t->index, strerror(-err));
		stop = 1;
		return (void *)1;
	}
	t->open = true;
	/* Its counters and its file: once every thread is done. */
	return (void *)(uintptr_t)(serve(t) != 0);
}

/* THREADS elastic threads; 0, or 1 if any failed. */
static int run_elastic(struct http_thread *t)
{
	unsigned int i, started;
	int bad = 0;
	void *ret;

	for (started = 0; started < nthreads; started++) {
		t[started].index = started;
		t[started].site = site;
		if (pthread_create(&t[started].tid, NULL, elastic_thread,
				   &t[started])) {
			stop = 1;
			bad = 1;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		pthread_join(t[i].tid, &ret);
		bad |= ret != NULL;
	}
	/* After every last run: no connection moves between threads now. */
	for (i = 0; i < started; i++) {
		if (!t[i].open)
			continue;
		print_counters(&t[i]);
		ix_close(&t[i].ctx);
	}
	return bad;
}

/* The header rings first, then the files, in @mem. */
static int load(const char *dir, uint8_t *mem, size_t len)
{
	hrings = mem;
	if (len < (size_t)MAX_CONNS * HTTP_HRING)
		return -ENOSPC;
	return http_site_load(&site, dir, mem + MAX_CONNS * HTTP_HRING,
			      len - (size_t)MAX_CONNS * HTTP_HRING);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *dir = argc > 3 && *argv[3] ? argv[3] : NULL;
	struct http_thread *t;
	size_t need, len;
	unsigned int i;
	uint8_t *mem;
	int err;

	run_flags = getenv("IX_POLL") ? 0 : IX_RUN_SLEEP;
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: ix_http CPU PORT [DIR [THREADS]]\n");
		return 2;
	}
	dev_cpu = strtoul(argv[1], NULL, 0);
	port = strtoul(argv[2], NULL, 0);
	if (argc > 4)
		nthreads = strtoul(argv[4], NULL, 0);
	if (!nthreads || nthreads > 64) {
		fprintf(stderr, "ix_http: THREADS 1 to 64\n");
		return 2;
	}
	conns = calloc(MAX_CONNS, sizeof(*conns));
	t = calloc(nthreads, sizeof(*t));
	err = http_site_need(dir, &need);
	if (!conns || !t || err) {
		fprintf(stderr, "ix_http: %s: %s\n", dir ? dir : "memory",
			strerror(err ? -err : ENOMEM));
		return 2;
	}
	for (i = MAX_CONNS; i > 0; i--)
		conn_free(&conns[i - 1]);
	need += (size_t)MAX_CONNS * HTTP_HRING + 4096;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (nthreads > 1) {
		err = ix_group_init(&group, nthreads, need);
		if (err) {
			fprintf(stderr, "ix_http: TX memory: %s\n",
				strerror(-err));
			return 1;
		}
		err = load(dir, group.tx + group.tx_user,
			   group.tx_len - group.tx_user);
		if (err) {
			fprintf(stderr, "ix_http: loading the files: %s\n",
				strerror(-err));
			return 1;
		}
		http_site_tick(&site, time(NULL));
		err = run_elastic(t);
		ix_group_free(&group);
		return err;
	}
	err = ix_open(&t->ctx, dev_cpu, need, &http_ops, t);
	if (err) {
		fprintf(stderr, "ix_http: ix_open: %s\n", strerror(-err));
		return 1;
	}
	mem = ix_tx_mem(&t->ctx, &len);
	err = load(dir, mem, len);
	if (err) {
		fprintf(stderr, "ix_http: loading the files: %s\n",
			strerror(-err));
		ix_close(&t->ctx);
		return 1;
	}
	http_site_tick(&site, time(NULL));
	t->site = site;
	err = ix_tcp_listen(&t->ctx, port, 256, 0);
	printf("ix_http: cpu %u port %u, %u files\n", dev_cpu, port,
	       site.nfiles);
	fflush(stdout);
	if (!err)
		err = serve(t);
	print_counters(t);
	ix_close(&t->ctx);
	return err < 0;
}
