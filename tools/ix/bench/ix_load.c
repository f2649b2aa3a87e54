// SPDX-License-Identifier: GPL-2.0
/*
 * ix_load: a load generator for echo and memcached servers.
 *
 *	ix_load [-h HOST] [-p PORT] [-c CONNS] [-t THREADS] [-F PROCS]
 *		[-d SECS] [-w SECS] [-r RATE | -D DEPTH] [-W echo|usr|etc] [-B]
 *		[-s SIZE] [-k KEYS] [-P] [-n] [-S SOURCES] [-T MS] [-x SEED]
 *		[-j] [-q]
 *
 * This file parses the options, sizes the process (descriptors, ports),
 * and walks the threads through the phases; spawn.c starts them, in
 * worker processes when one process may not hold every connection;
 * worker.c runs the connections and report.c prints what happened.  README.md has the
 * full story.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"
#include "spawn.h"
#include "util.h"
#include "workload.h"

#define CONNS_MAX	1000000
#define THREADS_MAX	256

static struct run *the_run;
static uint64_t stop_ns;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: ix_load [options]\n"
		"  -h HOST     server IPv4 address (127.0.0.1)\n"
		"  -p PORT     server port (7 for echo, 11211 for memcached)\n"
		"  -c CONNS    connections (1)\n"
		"  -t THREADS  threads, each owning CONNS/THREADS connections (1)\n"
		"  -F PROCS    processes holding the threads (1, or as many as\n"
		"              RLIMIT_NOFILE needs for CONNS)\n"
		"  -d SECS     measured duration (10)\n"
		"  -w SECS     warmup before measuring (0)\n"
		"  -D DEPTH    closed loop: requests outstanding per connection (1)\n"
		"  -r RATE     open loop: Poisson arrivals, requests/s in all\n"
		"  -W WORK     echo, usr or etc (memcached USR-like or ETC-like) (echo)\n"
		"  -B          memcached binary protocol instead of text\n"
		"  -s SIZE     echo message bytes (64)\n"
		"  -k KEYS     memcached key space (10000)\n"
		"  -P          preload: SET every key before measuring\n"
		"  -n          do not verify answers\n"
		"  -S SOURCES  local addresses to connect from, e.g. 10.0.0.2-9,10.0.1.1\n"
		"  -T MS       answer and connect timeout (2000)\n"
		"  -x SEED     random seed (1)\n"
		"  -j          print the result as JSON on stdout\n"
		"  -q          no progress line\n"
		"  -H          this help\n");
}

static void on_signal(int sig)
{
	(void)sig;
	if (!stop_ns)
		stop_ns = now_ns();
	__atomic_add_fetch(&the_run->stop, 1, __ATOMIC_RELAXED);
}

static int set_workload(struct cfg *cfg, const char *name, bool binary)
{
	if (!strcmp(name, "echo")) {
		cfg->wl = &wl_echo;
		return binary ? -EINVAL : 0;
	}
	cfg->wl = binary ? &wl_mc_bin : &wl_mc_text;
	if (!strcmp(name, "usr"))
		cfg->kv = &kv_usr;
	else if (!strcmp(name, "etc"))
		cfg->kv = &kv_etc;
	else
		return -EINVAL;
	return 0;
}

static int bad_arg(const char *opt, const char *arg)
{
	fprintf(stderr, "ix_load: bad %s '%s' (ix_load -H for help)\n", opt,
		arg);
	return -EINVAL;
}

static int parse_opt(struct cfg *cfg, int opt, const char *arg,
		     uint16_t *port, const char **work, const char **src,
		     bool *binary)
{
	uint64_t v;

	switch (opt) {
	case 'h':
		return parse_ipv4(arg, &cfg->dst.sin_addr) ?
		       bad_arg("host (an IPv4 address)", arg) : 0;
	case 'p':
		return parse_port(arg, port) ? bad_arg("port", arg) : 0;
	case 'c':
		if (parse_u64(arg, 1, CONNS_MAX, &v))
			return bad_arg("connection count", arg);
		cfg->conns = v;
		return 0;
	case 't':
		if (parse_u64(arg, 1, THREADS_MAX, &v))
			return bad_arg("thread count", arg);
		cfg->threads = v;
		return 0;
	case 'F':
		if (parse_u64(arg, 1, SPAWN_PROCS_MAX, &v))
			return bad_arg("process count", arg);
		cfg->procs = v;
		return 0;
	case 'd':
		return parse_secs(arg, &cfg->duration) ||
		       cfg->duration <= 0 ? bad_arg("duration", arg) : 0;
	case 'w':
		return parse_secs(arg, &cfg->warmup) ? bad_arg("warmup", arg) : 0;
	case 'D':
		if (parse_u64(arg, 1, CONN_MAX_QUEUE, &v))
			return bad_arg("depth", arg);
		cfg->depth = v;
		return 0;
	case 'r':
		if (parse_u64(arg, 1, 100000000, &v))
			return bad_arg("rate", arg);
		cfg->rate = v;
		return 0;
	case 's':
		if (parse_u64(arg, 1, UINT32_MAX, &v))
			return bad_arg("size", arg);
		cfg->size = v;
		return 0;
	case 'k':
		if (parse_u64(arg, 1, 1ULL << 40, &v))
			return bad_arg("key count", arg);
		cfg->keys = v;
		return 0;
	case 'T':
		if (parse_u64(arg, 1, 3600 * 1000, &v))
			return bad_arg("timeout", arg);
		cfg->timeout_ns = v * NSEC_PER_MSEC;
		return 0;
	case 'x':
		return parse_u64(arg, 0, UINT64_MAX, &cfg->seed) ?
		       bad_arg("seed", arg) : 0;
	case 'W':
		*work = arg;
		return 0;
	case 'S':
		*src = arg;
		return 0;
	case 'B':
		*binary = true;
		return 0;
	case 'P':
		cfg->preload = true;
		return 0;
	case 'n':
		cfg->verify = false;
		return 0;
	case 'j':
		cfg->json = true;
		return 0;
	case 'q':
		cfg->quiet = true;
		return 0;
	case 'H':
		print_usage(stdout);
		exit(0);
	default:
		print_usage(stderr);
		return -EINVAL;
	}
}

static int parse_args(struct cfg *cfg, int argc, char **argv)
{
	const char *work = "echo", *src = NULL;
	bool binary = false;
	uint16_t port = 0;
	int opt;

	*cfg = (struct cfg) {
		.dst.sin_family = AF_INET,
		.dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.conns = 1, .threads = 1, .depth = 1, .duration = 10,
		.timeout_ns = 2000 * NSEC_PER_MSEC, .size = 64,
		.keys = 10000, .seed = 1, .verify = true,
	};
	while ((opt = getopt(argc, argv, "h:p:c:t:F:d:w:r:D:W:s:S:k:T:x:BPnjqH")) != -1)
		if (parse_opt(cfg, opt, optarg, &port, &work, &src, &binary))
			return -EINVAL;
	if (optind < argc)
		return bad_arg("argument", argv[optind]);
	if (set_workload(cfg, work, binary))
		return bad_arg("workload (echo, usr or etc; -B only with usr and etc)",
			   work);
	if (cfg->preload && !cfg->wl->kv)
		return bad_arg("option", "-P (memcached workloads only)");
	if (src && parse_sources(src, &cfg->src, &cfg->nsrc))
		return bad_arg("source address list", src);
	cfg->dst.sin_port = htons(port ? port : cfg->wl->kv ? 11211 : 7);
	if (cfg->threads > cfg->conns)
		cfg->threads = cfg->conns;
	return 0;
}

/* Descriptors per process for its connections, epolls and stdio. */
static rlim_t proc_fds(const struct cfg *cfg)
{
	return ((rlim_t)cfg->conns + cfg->procs - 1) / cfg->procs +
	       cfg->threads / cfg->procs + SPAWN_SPARE_FDS;
}

/*
 * Descriptors and ports: the connections are spread over as many
 * processes as the descriptor limit needs (or -F says), each with the
 * same number of threads.
 */
static int size_process(struct cfg *cfg)
{
	rlim_t have;
	struct rlimit rl;

	if (!cfg->procs) {
		raise_nofile((rlim_t)cfg->conns + cfg->threads +
			     SPAWN_SPARE_FDS, &have);
		cfg->procs = spawn_size(cfg->conns, cfg->threads, have);
		if (!cfg->procs)
			cfg->procs = SPAWN_PROCS_MAX;
	}
	if (cfg->procs > cfg->conns)
		cfg->procs = cfg->conns;
	cfg->threads = (cfg->threads + cfg->procs - 1) / cfg->procs *
		       cfg->procs;
	if (cfg->threads > cfg->conns)
		cfg->threads = cfg->conns / cfg->procs * cfg->procs;
	if (raise_nofile(proc_fds(cfg), &have)) {
		getrlimit(RLIMIT_NOFILE, &rl);
		fprintf(stderr, "ix_load: %u connections in %u processes need %llu file descriptors each, but RLIMIT_NOFILE allows %llu (hard limit %llu): use more processes (-F) or raise the hard limit\n",
			cfg->conns, cfg->procs,
			(unsigned long long)proc_fds(cfg),
			(unsigned long long)have,
			(unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	return check_ports(cfg);
}

static void sync_threads(struct run *run)
{
	pthread_barrier_wait(&run->bar);
}

static uint64_t threads_up(const struct cfg *cfg, struct thr *thr)
{
	uint64_t up = 0;
	unsigned int i;

	for (i = 0; i < cfg->threads; i++)
		up += thr[i].st.up_initial;
	return up;
}

/*
 * Until every thread has finished: the answers of each second since the
 * start (warmup included) into run->per_sec, and, unless quiet, a
 * progress line.
 */
static void watch(const struct cfg *cfg, struct run *run, struct thr *thr)
{
	bool show = !cfg->quiet && cfg->warmup + cfg->duration > 3;
	uint64_t start = now_ns(), next = start + NSEC_PER_SEC, last = 0;
	struct timespec tick = { 0, 50 * NSEC_PER_MSEC };
	uint64_t n;

	while (__atomic_load_n(&run->finished, __ATOMIC_ACQUIRE) <
	       cfg->threads) {
		nanosleep(&tick, NULL);
		if (now_ns() < next)
			continue;
		n = report_progress(cfg, thr, (next - start) / 1e9, &last,
				    show);
		if (run->nsecs < RUN_SECS_MAX)
			run->per_sec[run->nsecs++] = n;
		next += NSEC_PER_SEC;
	}
}

static void collect(const struct cfg *cfg, struct thr *thr,
		    struct stats *sum)
{
	unsigned int i, k;

	memset(sum, 0, sizeof(*sum));
	hist_init(&sum->lat);
	for (i = 0; i < cfg->threads; i++) {
		const struct stats *st = &thr[i].st;

		sum->completed += st->completed;
		sum->done += st->done;
		for (k = 0; k < ERR_MAX; k++)
			sum->err[k] += st->err[k];
		sum->gets += st->gets;
		sum->sets += st->sets;
		sum->hits += st->hits;
		sum->misses += st->misses;
		sum->tx_bytes += st->tx_bytes;
		sum->rx_bytes += st->rx_bytes;
		sum->preload_ok += st->preload_ok;
		sum->preload_fail += st->preload_fail;
		sum->up_initial += st->up_initial;
		sum->up_end += st->up_end;
		sum->max_outstanding += st->max_outstanding;
		sum->lag_n += st->lag_n;
		sum->lag_sum += st->lag_sum;
		sum->lag_max = MAX(sum->lag_max, st->lag_max);
		hist_merge(&sum->lat, &st->lat);
	}
}

/* Walk the threads through connect, preload and run; see worker_main(). */
static int run_phases(const struct cfg *cfg, struct run *run,
		      struct thr *thr)
{
	char dst[32];
	uint64_t t0;

	sync_threads(run);			/* set up */
	sync_threads(run);			/* connected */
	if (!threads_up(cfg, thr) && !run->abort) {
		fprintf(stderr, "ix_load: no connection to %s could be made\n",
			fmt_sin(&cfg->dst, dst, sizeof(dst)));
		run->abort = 1;
	}
	sync_threads(run);
	sync_threads(run);			/* preloaded */
	t0 = now_ns();
	run->t_meas = t0 + (uint64_t)(cfg->warmup * NSEC_PER_SEC);
	run->t_end = run->t_meas + (uint64_t)(cfg->duration * NSEC_PER_SEC);
	run->t_drain = run->t_end + cfg->timeout_ns;
	sync_threads(run);
	watch(cfg, run, thr);
	return run->abort ? -EIO : 0;
}

/* CPU time of this process and its reaped worker processes. */
static double cpu_secs(void)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return self.ru_utime.tv_sec + self.ru_stime.tv_sec +
	       children.ru_utime.tv_sec + children.ru_stime.tv_sec +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec +
		children.ru_utime.tv_usec + children.ru_stime.tv_usec) / 1e6;
}

static double window_secs(const struct run *run)
{
	uint64_t end = run->t_end;

	if (stop_ns && stop_ns < end)
		end = stop_ns;
	return end > run->t_meas ? (end - run->t_meas) / 1e9 : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t pids[SPAWN_PROCS_MAX];
	struct stats *sum;
	struct run *run;
	struct thr *thr;
	struct cfg cfg;
	int err = 1;

	if (parse_args(&cfg, argc, argv))
		return 2;
	if (size_process(&cfg) || cfg.wl->init(&cfg))
		goto out_src;
	sum = malloc(sizeof(*sum));
	if (!sum || spawn_alloc(&cfg, &run, &thr)) {
		fprintf(stderr, "ix_load: out of memory\n");
		goto out_sum;
	}
	the_run = run;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	spawn_threads(&cfg, run, thr, pids);
	if (!run_phases(&cfg, run, thr))
		err = 0;
	if (spawn_reap(&cfg, thr, pids))
		err = 1;
	collect(&cfg, thr, sum);
	sum->cpu_s = cpu_secs();
	if (!err) {
		report_final(&cfg, sum, run, window_secs(run));
		if (!sum->done) {
			fprintf(stderr, "ix_load: no request was answered\n");
			err = 1;
		}
	}
	spawn_free(&cfg, run);
out_sum:
	free(sum);
	cfg.wl->fini();
out_src:
	free(cfg.src);
	return err;
}
