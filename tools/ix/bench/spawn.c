// SPDX-License-Identifier: GPL-2.0
/*
 * ix_load's threads, in this process or spread over several.
 *
 * One process can hold only as many connections as RLIMIT_NOFILE lets
 * it, and an unprivileged user cannot raise the hard limit.  Past that,
 * ix_load forks worker processes, each with its share of the threads.
 * The threads' state (struct thr, with its counters and histogram) and
 * the run control (struct run, with a process-shared barrier) live in a
 * shared anonymous mapping, so the main process walks the phases, shows
 * progress and sums the results exactly as it does for threads of its
 * own.  What a thread allocates (connections, buffers) stays in its
 * process.  A worker process dies with the main one (PR_SET_PDEATHSIG),
 * and takes the main one down if it cannot start a thread, rather than
 * leave it waiting at a barrier.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "load.h"
#include "spawn.h"

/* The threads of process @p: [*first, *end). */
static void proc_threads(const struct cfg *cfg, unsigned int p,
			 unsigned int *first, unsigned int *end)
{
	*first = cfg->threads * p / cfg->procs;
	*end = cfg->threads * (p + 1) / cfg->procs;
}

/* Split connections over the threads: thread i gets conns[base, +n). */
static void plan_threads(const struct cfg *cfg, struct run *run,
			 struct thr *thr)
{
	unsigned int i, base = 0;

	for (i = 0; i < cfg->threads; i++) {
		thr[i].id = i;
		thr[i].cfg = cfg;
		thr[i].run = run;
		thr[i].ep = -1;
		thr[i].conns_base = base;
		thr[i].nconns = cfg->conns / cfg->threads +
				(i < cfg->conns % cfg->threads);
		thr[i].gap_ns = cfg->rate ?
				1e9 * cfg->threads / cfg->rate : 0;
		base += thr[i].nconns;
	}
}

/* Start threads [first, end); 0, or what pthread_create() said. */
static int start_range(struct thr *thr, unsigned int first, unsigned int end)
{
	unsigned int i;
	int err;

	for (i = first; i < end; i++) {
		err = pthread_create(&thr[i].tid, NULL, worker_main, &thr[i]);
		if (err) {
			fprintf(stderr, "ix_load: starting thread %u: %s\n", i,
				strerror(err));
			return err;
		}
	}
	return 0;
}

static void join_range(struct thr *thr, unsigned int first, unsigned int end)
{
	unsigned int i;

	for (i = first; i < end; i++)
		pthread_join(thr[i].tid, NULL);
}

/* A worker process: run its threads, then leave. */
static void __attribute__((noreturn))
proc_main(const struct cfg *cfg, struct thr *thr, unsigned int p,
	  pid_t parent)
{
	unsigned int first, end;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* The main process counts signals; it stops the threads. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	proc_threads(cfg, p, &first, &end);
	if (start_range(thr, first, end)) {
		/* The others wait at a barrier sized for every thread. */
		kill(parent, SIGKILL);
		_exit(1);
	}
	join_range(thr, first, end);
	_exit(0);
}

/**
 * spawn_alloc() - the run control and the threads' state, shared with
 *	worker processes
 * @cfg: the configuration (threads, procs)
 * @run: gets the run control, its barrier initialized
 * @thr: gets the threads, zeroed
 *
 * Return: 0 or -errno.
 */
int spawn_alloc(const struct cfg *cfg, struct run **run, struct thr **thr)
{
	size_t len = sizeof(**run) + cfg->threads * sizeof(**thr);
	pthread_barrierattr_t attr;
	void *p;
	int err;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	*run = p;
	*thr = (struct thr *)(*run + 1);
	pthread_barrierattr_init(&attr);
	pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	err = pthread_barrier_init(&(*run)->bar, &attr, cfg->threads + 1);
	pthread_barrierattr_destroy(&attr);
	if (err) {
		munmap(p, len);
		return -err;
	}
	return 0;
}

/**
 * spawn_free() - undo spawn_alloc()
 * @cfg: the configuration
 * @run: the run control
 */
void spawn_free(const struct cfg *cfg, struct run *run)
{
	pthread_barrier_destroy(&run->bar);
	munmap(run, sizeof(*run) + cfg->threads * sizeof(struct thr));
}

/**
 * spawn_threads() - start every thread, forking worker processes if
 *	@cfg->procs > 1
 * @cfg: the configuration
 * @run: the run control, shared
 * @thr: the threads, shared
 * @pids: gets the worker processes, @cfg->procs of them (unused for 1)
 *
 * Exits on failure: threads already started wait at the barrier.
 */
void spawn_threads(const struct cfg *cfg, struct run *run, struct thr *thr,
		   pid_t *pids)
{
	pid_t self = getpid();
	unsigned int p;

	plan_threads(cfg, run, thr);
	if (cfg->procs <= 1) {
		if (start_range(thr, 0, cfg->threads))
			exit(1);
		return;
	}
	fflush(NULL);
	for (p = 0; p < cfg->procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("ix_load: fork");
			exit(1);
		}
		if (!pids[p])
			proc_main(cfg, thr, p, self);
	}
}

/**
 * spawn_reap() - wait for every thread, or every worker process
 * @cfg: the configuration
 * @thr: the threads
 * @pids: the worker processes
 *
 * Return: 0, or -EIO if a worker process failed.
 */
int spawn_reap(const struct cfg *cfg, struct thr *thr, const pid_t *pids)
{
	unsigned int p;
	int status, err = 0;

	if (cfg->procs <= 1) {
		join_range(thr, 0, cfg->threads);
		return 0;
	}
	for (p = 0; p < cfg->procs; p++) {
		if (waitpid(pids[p], &status, 0) != pids[p] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "ix_load: worker process %u failed\n",
				p);
			err = -EIO;
		}
	}
	return err;
}

/**
 * spawn_size() - how many processes the connections need
 * @conns: connections
 * @threads: threads asked for
 * @limit: descriptors one process may have
 *
 * Each process holds its share of the connections and threads (one epoll
 * each) and SPAWN_SPARE_FDS more.
 *
 * Return: processes, at least 1; 0 if not even SPAWN_PROCS_MAX suffice.
 */
unsigned int spawn_size(unsigned int conns, unsigned int threads,
			unsigned long long limit)
{
	unsigned long long per;
	unsigned int procs;

	for (procs = 1; procs <= SPAWN_PROCS_MAX; procs++) {
		per = (conns + procs - 1) / procs +
		      (threads + procs - 1) / procs + SPAWN_SPARE_FDS;
		if (per <= limit)
			return procs;
	}
	return 0;
}
