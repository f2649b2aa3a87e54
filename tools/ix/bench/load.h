/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ix_load internals: the configuration, the per-thread state and the
 * per-connection state, shared by ix_load.c (setup and phases),
 * worker.c (the event loop), conn.c (socket life cycle), the workloads
 * and report.c.
 */
#ifndef IX_BENCH_LOAD_H
#define IX_BENCH_LOAD_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "hist.h"

struct workload;
struct kv_profile;

/* Errors by kind; see README.md for what each counts. */
enum {
	ERR_CONNECT,
	ERR_RESET,
	ERR_VERIFY,
	ERR_TIMEOUT,
	ERR_PROTOCOL,
	ERR_SERVER,
	ERR_DROPPED,
	ERR_LOST,
	ERR_MAX
};

extern const char *const err_names[ERR_MAX];

struct cfg {
	struct sockaddr_in	dst;
	struct in_addr		*src;		/* bind before connect */
	unsigned int		nsrc;
	unsigned int		conns;
	unsigned int		threads;
	unsigned int		procs;		/* processes holding them */
	unsigned int		depth;		/* closed loop */
	double			rate;		/* open loop, requests/s */
	double			duration;
	double			warmup;
	uint64_t		timeout_ns;
	const struct workload	*wl;
	const struct kv_profile	*kv;
	unsigned int		size;		/* echo message bytes */
	uint64_t		keys;
	uint64_t		seed;
	bool			preload;
	bool			verify;
	bool			json;
	bool			quiet;
};

/* Request kinds; the workload fills in op. */
enum { OP_ECHO, OP_GET, OP_SET };

#define REQ_PRELOAD	0x1

/* One request written and not yet answered. */
struct req {
	uint64_t	t;	/* send time, or scheduled time (open loop) */
	uint64_t	arg;	/* echo sequence number or key index */
	uint8_t		op;
	uint8_t		flags;
};

/* Outstanding requests of a connection, oldest first; answers are in order. */
struct reqq {
	struct req	*r;
	uint32_t	head;
	uint32_t	n;
	uint32_t	cap;	/* power of two */
};

enum { CONN_IDLE, CONN_CONNECTING, CONN_UP, CONN_BACKOFF };

struct conn {
	int		fd;
	uint8_t		state;
	bool		resolved;	/* first connect attempt is over */
	uint16_t	backoff_ms;
	uint32_t	idx;		/* global connection number */
	uint64_t	deadline;	/* connect timeout or retry time */
	uint64_t	seq;		/* next echo sequence number */
	size_t		need;		/* bytes @in must hold to parse */
	struct reqq	q;
	struct buf	out;		/* requests not yet written */
	struct buf	in;		/* start of a partial response */
};

/* Counters of one thread.  @completed and @err are read by the progress line. */
struct stats {
	uint64_t	completed;	/* every answered request, all phases */
	uint64_t	done;		/* answered and started in the window */
	uint64_t	err[ERR_MAX];
	uint64_t	gets;
	uint64_t	sets;
	uint64_t	hits;
	uint64_t	misses;
	uint64_t	tx_bytes;
	uint64_t	rx_bytes;
	uint64_t	preload_ok;
	uint64_t	preload_fail;
	uint64_t	up_initial;	/* connections up after the connect phase */
	uint64_t	up;		/* connections up right now */
	uint64_t	up_end;		/* connections up when the window ended */
	uint64_t	max_outstanding;
	uint64_t	lag_n;		/* open loop: sends behind schedule */
	uint64_t	lag_sum;
	uint64_t	lag_max;
	double		cpu_s;		/* the sum only: CPU time of the run */
	struct hist	lat;
};

/* Seconds of answers ix_load keeps, one count each (per_second). */
#define RUN_SECS_MAX	256

/* Run control shared by the main thread and the workers. */
struct run {
	pthread_barrier_t	bar;
	uint64_t		t_meas;		/* window start */
	uint64_t		t_end;		/* window end: no new requests */
	uint64_t		t_drain;	/* give up on answers */
	int			stop;		/* signals received */
	int			abort;		/* setup failed: skip phases */
	unsigned int		finished;	/* threads done */
	unsigned int		nsecs;		/* seconds in per_sec */
	uint32_t		per_sec[RUN_SECS_MAX];	/* answers each second */
};

enum { PH_CONNECT, PH_PRELOAD, PH_RUN, PH_DRAIN };

struct thr {
	unsigned int		id;
	pthread_t		tid;
	const struct cfg	*cfg;
	struct run		*run;
	int			ep;
	int			phase;
	struct conn		*conns;
	unsigned int		nconns;
	unsigned int		conns_base;	/* global number of conns[0] */
	unsigned int		next_open;	/* next connection to open */
	unsigned int		connecting;
	unsigned int		unresolved;
	unsigned int		rr;		/* open loop: next connection */
	uint64_t		outstanding;
	uint64_t		next_arrival;
	double			gap_ns;		/* open loop: mean gap */
	uint64_t		next_scan;
	uint64_t		drain_until;
	uint64_t		preload_next;	/* next key to store */
	uint64_t		preload_seen;	/* last preload progress */
	uint64_t		rng;
	uint64_t		now;
	char			*scratch;
	bool			said_connect;	/* first connect error printed */
	bool			said_other;
	struct stats		st;
};

#define THR_MAX_CONNECTING	256
#define THR_MAX_OUTSTANDING	(1U << 20)
#define CONN_MAX_QUEUE		1024
#define SCRATCH_SIZE		(64 * 1024)
#define SCAN_NS			(100 * 1000 * 1000ULL)

/* Relaxed atomics: counters one thread writes and the main thread reads. */
#define STAT_ADD(x, v)	__atomic_store_n(&(x), (x) + (v), __ATOMIC_RELAXED)
#define STAT_READ(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A double uniform in (0, 1), never 0 or 1. */
static inline double rng_unit(uint64_t *s)
{
	return ((double)(rng_next(s) >> 11) + 0.5) * 0x1p-53;
}

/* worker.c */
void *worker_main(void *arg);
int worker_issue(struct thr *t, struct conn *c, uint64_t start, int flags);
void worker_kick(struct thr *t, struct conn *c);
int worker_input(struct thr *t, struct conn *c, const char *p, size_t len);
void worker_say(struct thr *t, bool *said, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* conn.c */
void conn_open(struct thr *t, struct conn *c);
void conn_event(struct thr *t, struct conn *c, uint32_t events);
void conn_flush(struct thr *t, struct conn *c);
void conn_close(struct thr *t, struct conn *c, int kind);
void conn_scan(struct thr *t);

/* addr.c */
int parse_sources(const char *s, struct in_addr **out, unsigned int *n);
int check_ports(const struct cfg *cfg);

/* report.c */
uint64_t report_progress(const struct cfg *cfg, struct thr *thr, double t,
			 uint64_t *last, bool show);
void report_final(const struct cfg *cfg, const struct stats *st,
		  const struct run *run, double elapsed);

#endif
