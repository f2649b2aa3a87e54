// SPDX-License-Identifier: GPL-2.0
/*
 * One ix_load thread: it owns its connections and one epoll instance,
 * and goes through the phases with the other threads (connect, preload,
 * warmup and measurement, drain).
 *
 * Closed loop: each connection keeps -D requests outstanding and sends
 * the next when an answer arrives; latency runs from the send.  Open
 * loop: the thread draws Poisson arrivals at its share of -r and sends
 * each on the next connection that is up, whatever is outstanding;
 * latency runs from the scheduled arrival time, so a slow server or a
 * late client cannot hide queueing (no coordinated omission).
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "util.h"
#include "workload.h"

#define PRELOAD_DEPTH	16
#define MAX_EVENTS	256
#define PRELOAD_STALL	(10 * NSEC_PER_SEC)

void worker_say(struct thr *t, bool *said, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (*said)
		return;
	*said = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ix_load: thread %u: %s (further such errors are counted, not shown)\n",
		t->id, msg);
}

static struct req *reqq_push(struct reqq *q)
{
	uint32_t i;

	if (q->n == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 4;
		struct req *r;

		if (cap > CONN_MAX_QUEUE)
			return NULL;
		r = malloc(cap * sizeof(*r));
		if (!r)
			return NULL;
		for (i = 0; i < q->n; i++)
			r[i] = q->r[(q->head + i) & (q->cap - 1)];
		free(q->r);
		q->r = r;
		q->cap = cap;
		q->head = 0;
	}
	return &q->r[(q->head + q->n++) & (q->cap - 1)];
}

/* Queue one request on @c (written by the next conn_flush). */
int worker_issue(struct thr *t, struct conn *c, uint64_t start, int flags)
{
	const struct workload *wl = t->cfg->wl;
	struct req *r;

	if (t->outstanding >= THR_MAX_OUTSTANDING)
		goto out_drop;
	r = reqq_push(&c->q);
	if (!r)
		goto out_drop;
	r->t = start;
	r->flags = flags;
	if (flags & REQ_PRELOAD) {
		r->op = OP_SET;
		r->arg = t->preload_next;
		t->preload_next += t->cfg->threads;
	} else {
		wl->next(t, c, r);
	}
	if (wl->build(t, c, r)) {
		c->q.n--;
		goto out_drop;
	}
	t->outstanding++;
	if (t->outstanding > t->st.max_outstanding)
		t->st.max_outstanding = t->outstanding;
	return 0;

out_drop:
	STAT_ADD(t->st.err[ERR_DROPPED], 1);
	return -ENOBUFS;
}

/* Give @c the requests its phase wants it to have outstanding. */
static void worker_fill(struct thr *t, struct conn *c)
{
	const struct cfg *cfg = t->cfg;

	if (t->phase == PH_PRELOAD) {
		while (c->q.n < MAX(cfg->depth, PRELOAD_DEPTH) &&
		       t->preload_next < cfg->keys)
			if (worker_issue(t, c, t->now, REQ_PRELOAD))
				break;
	} else if (t->phase == PH_RUN && !cfg->rate) {
		while (c->q.n < cfg->depth)
			if (worker_issue(t, c, t->now, 0))
				break;
	}
}

void worker_kick(struct thr *t, struct conn *c)
{
	worker_fill(t, c);
	conn_flush(t, c);
}

static void worker_done(struct thr *t, const struct req *r, int res)
{
	const struct run *run = t->run;
	struct stats *st = &t->st;

	t->outstanding--;
	if (r->flags & REQ_PRELOAD) {
		if (res == RES_OK)
			st->preload_ok++;
		else
			st->preload_fail++;
		t->preload_seen = t->now;
		return;
	}
	STAT_ADD(st->completed, 1);
	if (res == RES_VERIFY)
		STAT_ADD(st->err[ERR_VERIFY], 1);
	if (res == RES_SERVER)
		STAT_ADD(st->err[ERR_SERVER], 1);
	if (r->t < run->t_meas || r->t >= run->t_end)
		return;
	st->done++;
	hist_add(&st->lat, t->now - r->t);
	if (r->op == OP_GET)
		st->gets++;
	if (r->op == OP_SET)
		st->sets++;
	if (res == RES_HIT)
		st->hits++;
	if (res == RES_MISS)
		st->misses++;
}

/*
 * Parse answers in @p for the requests outstanding on @c, then top the
 * connection up.  Returns the bytes used, or -1 if @c was closed.
 */
int worker_input(struct thr *t, struct conn *c, const char *p, size_t len)
{
	const struct cfg *cfg = t->cfg;
	size_t off = 0, need;
	const struct req *r;
	int res;
	long n;

	c->need = 0;
	while (off < len) {
		if (!c->q.n) {
			worker_say(t, &t->said_other, "the server sent bytes nobody asked for");
			conn_close(t, c, ERR_PROTOCOL);
			return -1;
		}
		r = &c->q.r[c->q.head];
		need = 0;
		res = RES_OK;
		n = cfg->wl->parse(cfg, r, p + off, len - off, &need, &res);
		if (n < 0) {
			worker_say(t, &t->said_other, "answer not understood (%s)",
				   cfg->wl->name);
			conn_close(t, c, ERR_PROTOCOL);
			return -1;
		}
		if (!n) {
			c->need = need;
			break;
		}
		worker_done(t, r, res);
		c->q.head = (c->q.head + 1) & (c->q.cap - 1);
		c->q.n--;
		off += n;
	}
	worker_fill(t, c);
	return off;
}

/* The next connection that is up, round robin; NULL if none is. */
static struct conn *worker_pick(struct thr *t)
{
	unsigned int i;
	struct conn *c;

	for (i = 0; i < t->nconns; i++) {
		c = &t->conns[t->rr];
		t->rr = (t->rr + 1) % t->nconns;
		if (c->state == CONN_UP)
			return c;
	}
	return NULL;
}

/* How late the client itself sent a scheduled request. */
static void worker_lag(struct thr *t, uint64_t lag)
{
	t->st.lag_n++;
	t->st.lag_sum += lag;
	if (lag > t->st.lag_max)
		t->st.lag_max = lag;
}

static void worker_arrivals(struct thr *t)
{
	struct conn *c;
	double gap;

	while (t->next_arrival <= t->now && t->next_arrival < t->run->t_end) {
		c = worker_pick(t);
		if (!c) {
			STAT_ADD(t->st.err[ERR_DROPPED], 1);
		} else if (!worker_issue(t, c, t->next_arrival, 0)) {
			worker_lag(t, t->now - t->next_arrival);
			conn_flush(t, c);
		}
		gap = -log(rng_unit(&t->rng)) * t->gap_ns;
		t->next_arrival += gap < 1 ? 1 : (uint64_t)gap;
	}
}

/* Whether the current phase is over; moves RUN on to DRAIN. */
static bool worker_phase_over(struct thr *t)
{
	const struct run *run = t->run;
	int stop = __atomic_load_n(&run->stop, __ATOMIC_RELAXED);

	switch (t->phase) {
	case PH_CONNECT:
		return stop || (!t->unresolved && t->next_open == t->nconns);
	case PH_PRELOAD:
		if (t->now - t->preload_seen > PRELOAD_STALL) {
			worker_say(t, &t->said_other, "preload made no progress for %llu s",
				   PRELOAD_STALL / NSEC_PER_SEC);
			return true;
		}
		return stop || (t->preload_next >= t->cfg->keys &&
				!t->outstanding);
	case PH_RUN:
		if (stop || t->now >= run->t_end) {
			t->phase = PH_DRAIN;
			t->drain_until = MIN(run->t_drain,
					     t->now + t->cfg->timeout_ns);
		}
		return false;
	default:
		/* A second signal does not wait for the answers. */
		return stop > 1 || !t->outstanding || t->now >= t->drain_until;
	}
}

static uint64_t worker_wake_time(struct thr *t)
{
	uint64_t at = t->next_scan;

	if (t->phase == PH_RUN) {
		if (t->cfg->rate && t->next_arrival < at)
			at = t->next_arrival;
		if (t->run->t_end < at)
			at = t->run->t_end;
	} else if (t->phase == PH_DRAIN && t->drain_until < at) {
		at = t->drain_until;
	}
	return at;
}

static int worker_wait(struct thr *t, struct epoll_event *ev)
{
	static bool no_pwait2;
	uint64_t at = worker_wake_time(t);
	uint64_t ns = at > t->now ? at - t->now : 0;
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};
	int n;

	if (!__atomic_load_n(&no_pwait2, __ATOMIC_RELAXED)) {
		n = epoll_pwait2(t->ep, ev, MAX_EVENTS, &ts, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		__atomic_store_n(&no_pwait2, true, __ATOMIC_RELAXED);
	}
	return epoll_wait(t->ep, ev, MAX_EVENTS,
			  (ns + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
}

static void worker_loop(struct thr *t)
{
	struct epoll_event ev[MAX_EVENTS];
	int i, n;

	for (;;) {
		t->now = now_ns();
		while (t->next_open < t->nconns &&
		       t->connecting < THR_MAX_CONNECTING)
			conn_open(t, &t->conns[t->next_open++]);
		if (t->phase == PH_RUN && t->cfg->rate)
			worker_arrivals(t);
		if (t->now >= t->next_scan) {
			conn_scan(t);
			t->next_scan = t->now + SCAN_NS;
		}
		if (worker_phase_over(t))
			return;
		n = worker_wait(t, ev);
		if (n < 0 && errno != EINTR) {
			perror("ix_load: epoll_wait");
			return;
		}
		t->now = now_ns();
		for (i = 0; i < n; i++)
			conn_event(t, ev[i].data.ptr, ev[i].events);
	}
}

static void worker_kick_all(struct thr *t, int phase)
{
	unsigned int i;

	t->now = now_ns();
	t->phase = phase;
	t->preload_seen = t->now;
	for (i = 0; i < t->nconns; i++)
		if (t->conns[i].state == CONN_UP)
			worker_kick(t, &t->conns[i]);
}

static int worker_setup(struct thr *t)
{
	unsigned int i;

	hist_init(&t->st.lat);
	/* Wake up on time for the open loop's schedule. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	t->ep = epoll_create1(EPOLL_CLOEXEC);
	t->conns = calloc(t->nconns, sizeof(*t->conns));
	t->scratch = malloc(SCRATCH_SIZE);
	if (t->ep < 0 || !t->conns || !t->scratch) {
		fprintf(stderr, "ix_load: thread %u: setup: %s\n", t->id,
			strerror(t->ep < 0 ? errno : ENOMEM));
		return -1;
	}
	for (i = 0; i < t->nconns; i++) {
		t->conns[i].fd = -1;
		t->conns[i].idx = t->conns_base + i;
		t->conns[i].backoff_ms = 100;
	}
	t->unresolved = t->nconns;
	t->preload_next = t->id;
	t->rng = t->cfg->seed ^ (0x1000193ULL * (t->id + 1));
	return 0;
}

static void worker_teardown(struct thr *t)
{
	unsigned int i;

	t->phase = PH_DRAIN;
	for (i = 0; t->conns && i < t->nconns; i++) {
		struct conn *c = &t->conns[i];

		/* Unanswered at the end of the drain: overdue. */
		STAT_ADD(t->st.err[ERR_TIMEOUT], c->q.n);
		t->outstanding -= c->q.n;
		c->q.n = 0;
		conn_close(t, c, -1);
		free(c->q.r);
	}
	free(t->conns);
	free(t->scratch);
	if (t->ep >= 0)
		close(t->ep);
}

static bool worker_sync(struct thr *t)
{
	pthread_barrier_wait(&t->run->bar);
	return !__atomic_load_n(&t->run->abort, __ATOMIC_ACQUIRE);
}

void *worker_main(void *arg)
{
	struct thr *t = arg;
	bool ok = !worker_setup(t);

	if (!ok)
		__atomic_store_n(&t->run->abort, 1, __ATOMIC_RELEASE);
	if (worker_sync(t)) {
		t->phase = PH_CONNECT;
		worker_loop(t);
	}
	t->st.up_initial = t->st.up;
	/* Connected; the main thread decides whether to go on. */
	worker_sync(t);
	if (worker_sync(t) && t->cfg->preload) {
		worker_kick_all(t, PH_PRELOAD);
		worker_loop(t);
	}
	/* Preloaded; the main thread sets the clock. */
	worker_sync(t);
	if (worker_sync(t)) {
		t->next_arrival = now_ns();
		worker_kick_all(t, PH_RUN);
		worker_loop(t);
	}
	t->st.up_end = t->st.up;
	worker_teardown(t);
	__atomic_add_fetch(&t->run->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}
