// SPDX-License-Identifier: GPL-2.0
/*
 * ix_elastic: three elastic application threads (IX_SETUP_F_ELASTIC) of
 * one process follow a device's cores while ix scale adds and removes
 * them, through the raw ABI; for ix_elastic.sh.
 *
 *	ix_elastic SYSDIR CPU
 *
 * SYSDIR is the device's ixdp sysfs directory, attached with CPU alone
 * serving it and three CPUs reserved (CPU, CPU + 1, CPU + 2).  At each
 * CORE_UP a thread binds UDP port 9 on its core and arms a timer of a
 * minute: a leaving core's timers must reach a staying thread
 * (IX_EV_TIMER_MOVED, with a cookie a thread set, from another CPU), and
 * neither holds a scale off.  Each step prints "ok" or "FAIL" and a reason; the
 * exit status is 1 if one failed.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/ix.h>

#define NTHREADS	3
#define RUN_US		20000
#define TIMER_US	60000000ULL
#define COOKIE(i, n)	(1000 + (uint64_t)(i) * 100 + (n))

/* What a thread saw, written by it, read by main. */
struct thr {
	pthread_t	tid;
	int		fd;
	atomic_int	cpu;		/* driven now, -1 standing by */
	atomic_int	ups;		/* IX_EV_CORE_UP seen */
	atomic_int	downs;		/* IX_EV_CORE_DOWN seen */
	atomic_int	bad;		/* an event or a mapping not as promised */
	atomic_int	pause;		/* main: stop calling run */
	atomic_int	stop;		/* main: close and end */
	atomic_int	err;		/* the run's errno that ended it */
	atomic_int	ready;
	atomic_int	tmoved;		/* IX_EV_TIMER_MOVED seen */
	unsigned int	index;
};

static struct thr thr[NTHREADS];
static const char *sys;
static unsigned int cpu0;
static int failed;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
	fflush(stdout);
	failed |= !ok;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Write @val to SYSDIR/@name: 0 or the errno. */
static int sys_write(const char *name, const char *val)
{
	char path[512];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", sys, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * Whether the RX pool of a thread standing by could be mapped: only if a
 * core came since, whose CORE_UP the kernel wrote first (after @seen).
 */
static int stands_by_mapped(int fd, uint64_t len, const uint32_t *prod,
			    uint32_t seen)
{
	void *m;

	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, IX_OFF_RX_POOL);
	if (m == MAP_FAILED)
		return errno != EINVAL;
	munmap(m, len);
	return __atomic_load_n(prod, __ATOMIC_ACQUIRE) == seen;
}

/* Queue a command in the ring at @cmd (layout @o), @n written before. */
static void cmd_push(uint8_t *cmd, const struct ix_ring_offsets *o,
		     uint32_t entries, uint32_t *n, const struct ix_cmd *c)
{
	struct ix_cmd *slot = (struct ix_cmd *)(cmd + o->entries) +
			      (*n & (entries - 1));

	*slot = *c;
	__atomic_store_n((uint32_t *)(cmd + o->producer), ++*n,
			 __ATOMIC_RELEASE);
}

/*
 * The results of the commands answered since @seen: a bind or a timer
 * that failed is not as promised.
 */
static void cmd_reap(struct thr *t, const uint8_t *cmd,
		     const struct ix_ring_offsets *o, uint32_t entries,
		     uint32_t *seen)
{
	uint32_t c = __atomic_load_n((const uint32_t *)(cmd + o->consumer),
				     __ATOMIC_ACQUIRE);

	for (; *seen != c; (*seen)++)
		if (((const struct ix_cmd *)(cmd + o->entries))
		    [*seen & (entries - 1)].result < 0)
			t->bad = 1;
}

static void *thread(void *arg)
{
	struct thr *t = arg;
	struct ix_setup s = { .cpu = cpu0, .flags = IX_SETUP_F_ELASTIC };
	uint8_t *cmd, *ev;
	const void *pool = NULL;
	uint64_t pool_len = 0;
	uint32_t *prod, *cons, mask, local = 0, ncmd = 0, seen = 0;

	t->fd = open("/dev/ix", O_RDWR | O_CLOEXEC);
	if (t->fd < 0 || ioctl(t->fd, IX_IOC_SETUP, &s)) {
		t->err = errno;
		t->ready = 1;
		return NULL;
	}
	cmd = mmap(NULL, s.cmd_off.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   t->fd, IX_OFF_CMD_RING);
	ev = mmap(NULL, s.event_off.size, PROT_READ, MAP_SHARED, t->fd,
		  IX_OFF_EVENT_RING);
	if (cmd == MAP_FAILED || ev == MAP_FAILED) {
		t->err = errno;
		t->ready = 1;
		return NULL;
	}
	prod = (uint32_t *)(ev + s.event_off.producer);
	cons = (uint32_t *)(cmd + s.event_off.consumer);
	mask = s.event_entries - 1;
	t->ready = 1;
	while (!t->stop) {
		struct ix_run r = { .timeout_us = RUN_US, .flags = IX_RUN_SLEEP };
		uint32_t p;

		if (t->pause) {
			sleep_ms(10);
			continue;
		}
		if (ioctl(t->fd, IX_IOC_RUN, &r)) {
			if (errno == EINTR)
				continue;
			t->err = errno;
			break;
		}
		cmd_reap(t, cmd, &s.cmd_off, s.cmd_entries, &seen);
		p = __atomic_load_n(prod, __ATOMIC_ACQUIRE);
		for (; local != p; local++) {
			const struct ix_event *e = (const void *)(ev +
				s.event_off.entries + (local & mask) * sizeof(*e));

			if (e->type == IX_EV_CORE_UP) {
				if (t->cpu >= 0 || pool)
					t->bad = 1;
				pool_len = e->data;
				pool = mmap(NULL, pool_len, PROT_READ, MAP_SHARED,
					    t->fd, IX_OFF_RX_POOL);
				if (pool == MAP_FAILED) {
					pool = NULL;
					t->bad = 1;
				}
				t->cpu = e->status;
				t->ups++;
				cmd_push(cmd, &s.cmd_off, s.cmd_entries, &ncmd,
					 &(struct ix_cmd){ .op = IX_CMD_UDP_BIND,
							   .arg0 = 9 });
				cmd_push(cmd, &s.cmd_off, s.cmd_entries, &ncmd,
					 &(struct ix_cmd){ .op = IX_CMD_TIMER_SET,
							   .arg0 = TIMER_US,
							   .cookie = COOKIE(t->index, t->ups) });
			} else if (e->type == IX_EV_CORE_DOWN) {
				if (t->cpu != e->status || !pool)
					t->bad = 1;
				munmap((void *)pool, pool_len);
				pool = NULL;
				/*
				 * No pool to map while standing by, unless a
				 * core came in the same scale (CORE_UP next).
				 */
				if (local + 1 == p &&
				    stands_by_mapped(t->fd, pool_len, prod, p))
					t->bad = 1;
				t->cpu = -1;
				t->downs++;
			} else if (e->type == IX_EV_TIMER_MOVED) {
				/*
				 * One a thread set (maybe this one, before a
				 * core it had left), from a core that left.
				 */
				if (e->cookie < COOKIE(0, 1) ||
				    (e->cookie - COOKIE(0, 0)) / 100 >= NTHREADS ||
				    (int)(uint32_t)(e->data >> 32) == t->cpu)
					t->bad = 1;
				t->tmoved++;
			} else if (e->type == IX_EV_TIMER) {
				t->bad = 1;	/* a minute is longer than this */
			}
		}
		__atomic_store_n(cons, local, __ATOMIC_RELEASE);
	}
	if (pool)
		munmap((void *)pool, pool_len);
	close(t->fd);
	return NULL;
}

/* The thread driving @cpu, or NULL. */
static struct thr *driver(int cpu)
{
	int i;

	for (i = 0; i < NTHREADS; i++)
		if (thr[i].cpu == cpu && !thr[i].stop)
			return &thr[i];
	return NULL;
}

static int count_standby(void)
{
	int i, n = 0;

	for (i = 0; i < NTHREADS; i++)
		n += thr[i].cpu < 0 && !thr[i].stop;
	return n;
}

/* Wait up to 5 s for the threads to drive exactly @want (-1 ends). */
static int wait_cores(const int *want)
{
	int i, tries;

	for (tries = 0; tries < 500; tries++) {
		int n = 0, ok = 1;

		for (i = 0; want[i] >= 0; i++, n++)
			ok &= !!driver(want[i]);
		if (ok && NTHREADS - count_standby() -
		    (thr[0].stop + thr[1].stop + thr[2].stop) == n)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

static int scale(const char *cpus)
{
	return sys_write("cpus", cpus);
}

int main(int argc, char **argv)
{
	char set[64];
	struct thr *t;
	int i, err, moved, c1, c2, c3;

	if (argc != 3) {
		fprintf(stderr, "usage: ix_elastic SYSDIR CPU\n");
		return 2;
	}
	sys = argv[1];
	cpu0 = strtoul(argv[2], NULL, 0);
	c1 = cpu0;
	c2 = cpu0 + 1;
	c3 = cpu0 + 2;
	for (i = 0; i < NTHREADS; i++) {
		thr[i].cpu = -1;
		thr[i].index = i;
		pthread_create(&thr[i].tid, NULL, thread, &thr[i]);
		while (!thr[i].ready)
			sleep_ms(1);
		if (thr[i].err) {
			check(0, "setup and mapping of an elastic thread");
			printf("errno %d\n", thr[i].err);
			return 1;
		}
	}
	check(wait_cores((int[]){ c1, -1 }) && count_standby() == 2,
	      "the first thread drives the one core, two stand by");

	snprintf(set, sizeof(set), "%d-%d", c1, c2);
	check(!scale(set), "scale to two cores");
	check(wait_cores((int[]){ c1, c2, -1 }),
	      "a standby thread drives the core that joined");
	snprintf(set, sizeof(set), "%d-%d", c1, c3);
	check(!scale(set), "scale to three cores");
	check(wait_cores((int[]){ c1, c2, c3, -1 }) && !count_standby(),
	      "every thread drives a core");

	snprintf(set, sizeof(set), "%d", c2);
	t = driver(c2);
	moved = t ? t->tmoved : 0;
	check(!scale(set), "scale to one core, another's, timers armed and UDP bound");
	check(wait_cores((int[]){ c2, -1 }) && count_standby() == 2,
	      "the threads of the cores that left stand by");
	for (i = 0; i < 100 && t && t->tmoved < moved + 2; i++)
		sleep_ms(10);
	check(t && t->tmoved == moved + 2,
	      "the timers of the two cores that left reach the thread that stays");
	snprintf(set, sizeof(set), "%d", c3);
	err = scale(set);
	check(err == EBUSY, "a scale with no core that stays is refused (EBUSY)");

	/* A thread that does not come back to its run holds the scale off. */
	t = driver(c2);
	if (t)
		t->pause = 1;
	sleep_ms(50);
	snprintf(set, sizeof(set), "%d-%d", c2, c3);
	err = scale(set);
	check(err == EAGAIN, "a thread that does not park fails the scale (EAGAIN)");
	check(wait_cores((int[]){ c2, -1 }) && count_standby() == 2,
	      "and nothing changed");
	if (t)
		t->pause = 0;
	check(!scale(set), "the same scale once it runs again");
	check(wait_cores((int[]){ c2, c3, -1 }), "two cores driven");

	/* One standby thread left, and two cores to join: refused. */
	snprintf(set, sizeof(set), "%d", c2);
	check(!scale(set), "back to one core");
	check(wait_cores((int[]){ c2, -1 }), "one core driven");
	for (i = 0; i < NTHREADS; i++) {
		if (thr[i].cpu < 0) {
			thr[i].stop = 1;
			pthread_join(thr[i].tid, NULL);
			break;
		}
	}
	snprintf(set, sizeof(set), "%d-%d", c1, c3);
	check(scale(set) == EBUSY,
	      "more joining cores than standby threads are refused (EBUSY)");
	snprintf(set, sizeof(set), "%d-%d", c2, c3);
	check(!scale(set), "a core for the last standby thread");
	check(wait_cores((int[]){ c2, c3, -1 }), "two cores driven");

	/* None stands by: the thread of the core that leaves takes the new. */
	t = driver(c2);
	snprintf(set, sizeof(set), "%d,%d", c1, c3);
	check(!scale(set), "a core leaves and one joins, no thread standing by");
	check(wait_cores((int[]){ c1, c3, -1 }) && t && driver(c1) == t,
	      "the leaving core's thread drives the joining one");

	for (i = 0; i < NTHREADS; i++) {
		if (thr[i].bad)
			printf("thread %d: an event or mapping not as promised\n", i);
		check(!thr[i].bad,
		      "CORE_UP and CORE_DOWN in order, the pool mapped only while driven, every bind and timer taken");
	}

	check(!sys_write("attached", "0"), "detach");
	for (i = 0; i < NTHREADS; i++) {
		if (thr[i].stop)
			continue;
		pthread_join(thr[i].tid, NULL);
		check(thr[i].err == ENODEV, "every thread's run ends with ENODEV at detach");
	}
	printf("ups %d %d %d downs %d %d %d\n", thr[0].ups, thr[1].ups,
	       thr[2].ups, thr[0].downs, thr[1].downs, thr[2].downs);
	return failed;
}
