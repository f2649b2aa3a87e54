// SPDX-License-Identifier: GPL-2.0
/*
 * Who may drive a dataplane, and how long a binding lives
 * (Documentation/networking/ixdp.rst, "Security model"):
 * - an unprivileged uid (65534) is refused at setup, whatever it holds,
 *   and allowed once the administrator delegates the device to it; then
 *   privileged ports and UDP from ports it did not bind are refused;
 * - it cannot write the control files;
 * - another network namespace is refused, root or not;
 * - /sys/kernel/ixdp/apps turns delegation, then everyone, off;
 * - a refused binding never locks the administrator out;
 * - the binding dies with its thread: a forked child keeping the file
 *   does not keep the CPU, and the peer's connection is reset, within 1 s;
 *   and ends when the thread execs another program;
 * - what a binding makes the kernel keep is charged to its memory cgroup;
 * - the most work a run can be handed (16,384 LISTEN/UNLISTEN or
 *   TIMER_SET commands, max_conns 65535) is taken 4,096 commands a run,
 *   without a soft lockup;
 * - two threads racing IX_IOC_SETUP on one file: exactly one binding,
 *   nothing freed twice (KASAN would say), nothing leaked (3 CPUs).
 *
 * Needs eth0 attached with CPU 1 (the fixture does it through sysfs),
 * root, and the bench's peer namespace for the lifetime test.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ix.h>

#include "../kselftest_harness.h"
#include "../../../lib/ix/libix.h"
#include "ix_bench.h"

#define SYS		IX_SYS
#define NOBODY		65534
#define DP_ADDR		IX_DP_ADDR
#define RACE_ROUNDS	10000
#define BIND_ROUNDS	200

static void detach_all(void)
{
	ix_detach_all();
	chown("/dev/ix", 0, 0);
}

/* 0, or the -errno of the write that failed. */
static int attach(void)
{
	const char *step;

	return ix_attach("0", &step);
}

/* IX_IOC_SETUP on @fd for CPU 1, no TX memory: 0 or -errno. */
static int setup(int fd, unsigned int cpu)
{
	struct ix_setup p;

	memset(&p, 0, sizeof(p));
	p.cpu = cpu;
	return ioctl(fd, IX_IOC_SETUP, &p) ? -errno : 0;
}

/* Become uid and gid 65534 with no capabilities left. */
static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -1;
	return 0;
}

/* Run @fn in a child as nobody; its exit status (or 255 if it died). */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (!pid)
		_exit(drop_to_nobody() ? 254 : fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 255;
	return WEXITSTATUS(st);
}

FIXTURE(perm) {
	int unused;
};

FIXTURE_SETUP(perm)
{
	int err;

	if (geteuid() || access(SYS, F_OK) || access("/dev/ix", F_OK) ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs root, " SYS ", /dev/ix and 2 CPUs");
	err = attach();
	ASSERT_EQ(0, err) TH_LOG("attach: %s", strerror(-err));
	/* As a udev rule would: the group may open /dev/ix. */
	ASSERT_EQ(0, chown("/dev/ix", 0, NOBODY));
}

FIXTURE_TEARDOWN(perm)
{
	detach_all();
}

/* Exit codes of the children: 0 as expected, else which step failed. */
static int nobody_setup(void *arg)
{
	int fd = open("/dev/ix", O_RDWR), err;

	if (fd < 0)
		return 10;
	err = setup(fd, 1);
	return err == *(int *)arg ? 0 : 20 + (err < 0 ? -err : 99);
}

TEST_F(perm, unprivileged_refused_until_delegated)
{
	int want = -EPERM, fd;

	EXPECT_EQ(0, as_nobody(nobody_setup, &want));
	/* The refused attempt locked nobody out: root binds. */
	fd = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, setup(fd, 1));
	close(fd);

	ASSERT_EQ(0, ix_put(SYS "/owner", "65534"));
	want = 0;
	EXPECT_EQ(0, as_nobody(nobody_setup, &want));
	ASSERT_EQ(0, ix_put(SYS "/owner", "-1"));
	ASSERT_EQ(0, ix_put(SYS "/group", "65534"));
	EXPECT_EQ(0, as_nobody(nobody_setup, &want));

	/* Admins only, then nobody at all. */
	ASSERT_EQ(0, ix_put("/sys/kernel/ixdp/apps", "1"));
	want = -EPERM;
	EXPECT_EQ(0, as_nobody(nobody_setup, &want));
	fd = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, setup(fd, 1));
	close(fd);
	ASSERT_EQ(0, ix_put("/sys/kernel/ixdp/apps", "2"));
	fd = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPERM, setup(fd, 1));
	close(fd);
	EXPECT_EQ(-EINVAL, ix_put("/sys/kernel/ixdp/apps", "3"));
	ASSERT_EQ(0, ix_put("/sys/kernel/ixdp/apps", "0"));
}

/* A file root opened, passed to nobody: confers nothing. */
TEST_F(perm, passed_file_confers_nothing)
{
	int fd = open("/dev/ix", O_RDWR), st;
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	if (!pid)
		_exit(drop_to_nobody() ? 254 : setup(fd, 1) == -EPERM ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st));
	close(fd);
}

/* Results of the commands below, by cookie. */
static int64_t result[8];

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *c)
{
	if (c->cookie < 8)
		result[c->cookie] = c->result;
}

/* Queue one command with cookie @k, run until it is answered. */
static int64_t cmd(struct ix_ctx *ctx, uint16_t op, uint32_t handle,
		   uint64_t arg0, uint64_t arg1, uint64_t k)
{
	struct ix_cmd *c = ix_cmd_get(ctx);

	result[k] = 12345;
	c->op = op;
	c->handle = handle;
	c->arg0 = arg0;
	c->arg1 = arg1;
	c->cookie = k;
	ix_run(ctx, 0, 0);
	return result[k];
}

static int nobody_ports(void *arg)
{
	static const struct ix_ops ops = { .done = on_done };
	struct ix_ctx ctx;

	if (ix_open(&ctx, 1, 1 << 16, &ops, NULL))
		return 10;
	if (cmd(&ctx, IX_CMD_TCP_LISTEN, 0, 80, 16, 1) != -EACCES)
		return 20;
	if (cmd(&ctx, IX_CMD_TCP_LISTEN, 0, 8080, 16, 2))
		return 21;
	if (cmd(&ctx, IX_CMD_UDP_BIND, 0, 53, 0, 3) != -EACCES)
		return 22;
	if (cmd(&ctx, IX_CMD_UDP_BIND, 0, 5353, 0, 4))
		return 23;
	/* 1 byte to 198.18.0.3:9, from a port it did not bind. */
	ctx.tx[ctx.tx_user] = 'x';
	if (cmd(&ctx, IX_CMD_UDP_SEND, 1, 0xc6120003ULL | 9ULL << 32 |
		5354ULL << 48, ctx.tx_user, 5) != -EADDRNOTAVAIL)
		return 24;
	ix_close(&ctx);
	return 0;
}

TEST_F(perm, delegated_user_keeps_to_unprivileged_ports)
{
	ASSERT_EQ(0, ix_put(SYS "/owner", "65534"));
	EXPECT_EQ(0, as_nobody(nobody_ports, NULL));
}

static int nobody_sysfs(void *arg)
{
	if (ix_put(SYS "/owner", "65534") >= 0)
		return 10;
	if (ix_put(SYS "/attached", "0") >= 0)
		return 11;
	if (ix_put("/sys/kernel/ixdp/cpus", "\n") >= 0)
		return 12;
	if (ix_put("/sys/kernel/ixdp/apps", "0") >= 0)
		return 13;
	return 0;
}

TEST_F(perm, unprivileged_cannot_configure)
{
	char buf[8] = "";
	int fd;

	EXPECT_EQ(0, as_nobody(nobody_sysfs, NULL));
	fd = open(SYS "/attached", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_STREQ("1\n", buf);
}

TEST_F(perm, other_netns_refused)
{
	pid_t pid = fork();
	int st, fd;

	if (!pid) {
		fd = open("/dev/ix", O_RDWR);
		if (fd < 0 || unshare(CLONE_NEWNET))
			_exit(10);
		_exit(setup(fd, 1) == -EPERM ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("child exit %d", WEXITSTATUS(st));
}

/* The bound process of the lifetime test. */
static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	ix_tcp_accept(ctx, handle, 7);
}

/* Binds CPU 1, forks a child that keeps the file, says its pid, serves. */
static void bound_process(int ready)
{
	static const struct ix_ops ops = { .knock = on_knock };
	struct ix_ctx ctx;
	pid_t keeper;

	if (ix_open(&ctx, 1, 1 << 16, &ops, NULL) ||
	    ix_tcp_listen(&ctx, 7000, 16, 1))
		_exit(10);
	keeper = fork();
	if (!keeper) {
		for (;;)
			pause();
	}
	if (write(ready, &keeper, sizeof(keeper)) != sizeof(keeper))
		_exit(11);
	for (;;)
		ix_run(&ctx, 10000, IX_RUN_SLEEP);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * In the peer's namespace: connect to the dataplane's port 7000, say so
 * (a time of 0), then wait for the reset and say when it came.
 */
static void peer_process(int out)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(7000) };
	int ns = open("/var/run/netns/peer", O_RDONLY), s;
	struct pollfd pfd;
	double t = 0;
	char c;

	if (ns < 0 || setns(ns, CLONE_NEWNET))
		_exit(10);
	inet_pton(AF_INET, DP_ADDR, &a.sin_addr);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		_exit(11);
	if (write(out, &t, sizeof(t)) != sizeof(t))
		_exit(12);
	pfd.fd = s;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 30000) != 1)
		_exit(13);
	if (recv(s, &c, 1, 0) >= 0 || errno != ECONNRESET)
		_exit(14);
	t = now_s();
	if (write(out, &t, sizeof(t)) != sizeof(t))
		_exit(15);
	_exit(0);
}

TEST_F(perm, binding_dies_with_its_thread)
{
	int ready[2], conn[2], fd = -1, err = -EBUSY, st;
	double killed, reset = 0, freed = 0;
	pid_t bound, peer, keeper;

	if (access("/var/run/netns/peer", F_OK))
		SKIP(return, "needs the bench's peer namespace");
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(conn));
	bound = fork();
	if (!bound)
		bound_process(ready[1]);
	ASSERT_EQ((ssize_t)sizeof(keeper), read(ready[0], &keeper,
						sizeof(keeper)));
	peer = fork();
	if (!peer)
		peer_process(conn[1]);
	ASSERT_EQ((ssize_t)sizeof(reset), read(conn[0], &reset,
					       sizeof(reset)))
		TH_LOG("the peer did not connect");
	/* The bound process dies; its child keeps the file. */
	ASSERT_EQ(0, kill(bound, SIGKILL));
	killed = now_s();
	ASSERT_EQ(bound, waitpid(bound, &st, 0));
	while (now_s() < killed + 5) {
		fd = open("/dev/ix", O_RDWR);
		ASSERT_LE(0, fd);
		err = setup(fd, 1);
		if (!err) {
			freed = now_s();
			break;
		}
		close(fd);
		fd = -1;
		usleep(10000);
	}
	EXPECT_EQ(0, err) TH_LOG("CPU 1 still bound 5 s after SIGKILL: %s",
				 strerror(-err));
	EXPECT_GE(1.0, freed - killed) TH_LOG("CPU back after %.3f s",
					      freed - killed);
	EXPECT_EQ((ssize_t)sizeof(reset), read(conn[0], &reset,
					       sizeof(reset)));
	EXPECT_GE(1.0, reset - killed) TH_LOG("peer reset after %.3f s",
					      reset - killed);
	ASSERT_EQ(peer, waitpid(peer, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("peer exit %d", WEXITSTATUS(st));
	if (fd >= 0)
		close(fd);
	kill(keeper, SIGKILL);
}

/* A bound thread that execs another program, keeping the file open. */
TEST_F(perm, binding_ends_at_exec)
{
	int ready[2], fd, err = -EBUSY, st;
	double t0, freed = 0;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	if (!pid) {
		int f = open("/dev/ix", O_RDWR);	/* no O_CLOEXEC */

		if (f < 0 || setup(f, 1) || write(ready[1], "b", 1) != 1)
			_exit(10);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(11);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	t0 = now_s();
	while (now_s() < t0 + 5) {
		fd = open("/dev/ix", O_RDWR);
		ASSERT_LE(0, fd);
		err = setup(fd, 1);
		close(fd);
		if (!err) {
			freed = now_s();
			break;
		}
		usleep(10000);
	}
	EXPECT_EQ(0, err) TH_LOG("CPU 1 still bound 5 s after the exec: %s",
				 strerror(-err));
	EXPECT_GE(1.0, freed - t0) TH_LOG("CPU back after %.3f s", freed - t0);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/*
 * Publish @n more commands and run until they are all consumed; each run
 * may take 4,096 at most.  The longest run's wall time in ms, or -1.
 */
static double timed_runs(int fd, void *cmd, const struct ix_setup *s,
			 uint32_t n, uint64_t *prod, unsigned int *runs)
{
	const uint32_t *cons = (uint32_t *)((char *)cmd + s->cmd_off.consumer);
	struct timespec a, b;
	double ms, longest = 0;
	struct ix_run r;

	__atomic_store_n((uint32_t *)((char *)cmd + s->cmd_off.producer),
			 (uint32_t)(*prod += n), __ATOMIC_RELEASE);
	*runs = 0;
	while (__atomic_load_n(cons, __ATOMIC_ACQUIRE) != (uint32_t)*prod) {
		memset(&r, 0, sizeof(r));
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (ioctl(fd, IX_IOC_RUN, &r) || r.commands > 4096)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
		if (ms > longest)
			longest = ms;
		if (++*runs > 2 * n / 4096 + 8)
			return -1;
	}
	return longest;
}

/*
 * The most work one IX_IOC_RUN can be handed: a command ring of 16,384
 * entries with max_conns 65535, all LISTEN/UNLISTEN pairs (each UNLISTEN
 * once walked every PCB: 5 x 10^8 visits), then all TIMER_SETs with every
 * timer armed (each once scanned all 1,024).  A run takes 4,096 of them
 * and leaves the rest for the next (once one run took them all).  The
 * runs must end without a soft lockup or RCU stall (the console check
 * fails the run on those) and answer every command; the longest run is
 * printed.
 */
TEST_F_TIMEOUT(perm, worst_case_runs, 600)
{
	struct ix_setup s;
	struct ix_cmd *c;
	uint64_t prod = 0;
	double ms[2];
	uint32_t i, n = IX_RING_MAX;
	unsigned int runs[2];
	void *cmd;
	int fd;

	ASSERT_EQ(0, ix_put(SYS "/attached", "0"));
	ASSERT_EQ(0, ix_put(SYS "/max_conns", "65535"));
	ASSERT_EQ(0, ix_put(SYS "/attached", "1"));
	fd = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, fd);
	memset(&s, 0, sizeof(s));
	s.cpu = 1;
	s.cmd_entries = n;
	s.event_entries = n;
	ASSERT_EQ(0, ioctl(fd, IX_IOC_SETUP, &s));
	cmd = mmap(NULL, s.cmd_off.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, IX_OFF_CMD_RING);
	ASSERT_NE(MAP_FAILED, cmd);
	c = (struct ix_cmd *)((char *)cmd + s.cmd_off.entries);
	for (i = 0; i < n; i++)
		c[i] = (struct ix_cmd){
			.op = i & 1 ? IX_CMD_TCP_UNLISTEN : IX_CMD_TCP_LISTEN,
			.arg0 = 10000 + i / 2, .arg1 = i & 1 ? 0 : 16,
			.result = 12345,
		};
	ms[0] = timed_runs(fd, cmd, &s, n, &prod, &runs[0]);
	ASSERT_LE(0, ms[0]);
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, c[i].result) TH_LOG("command %u: %lld", i,
						 (long long)c[i].result);
	for (i = 0; i < n; i++)
		c[i] = (struct ix_cmd){ .op = IX_CMD_TIMER_SET,
					.arg0 = 3600000000ULL,
					.result = 12345 };
	ms[1] = timed_runs(fd, cmd, &s, n, &prod, &runs[1]);
	ASSERT_LE(0, ms[1]);
	for (i = 0; i < n; i++)
		ASSERT_TRUE(i < 1024 ? c[i].result >= 0 : c[i].result == -ENOSPC)
			TH_LOG("timer %u: %lld", i, (long long)c[i].result);
	/* 4,096 commands a run: the rest waited for the next run. */
	EXPECT_EQ(n / 4096, runs[0]);
	EXPECT_EQ(n / 4096, runs[1]);
	printf("# %u LISTEN/UNLISTEN in %u runs, the longest %.1f ms; %u TIMER_SET, %u with every timer armed, in %u runs, the longest %.1f ms\n",
	       n, runs[0], ms[0], n, n - 1024, runs[1], ms[1]);
	munmap(cmd, s.cmd_off.size);
	close(fd);
	ix_put(SYS "/attached", "0");
	ix_put(SYS "/max_conns", "512");
}

#define CG		"/sys/fs/cgroup"
#define CG_APP		CG "/ixdp-test"

static long cg_read(const char *file, const char *key)
{
	char path[128], line[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), CG_APP "/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = atol(line);
			break;
		}
		if (!strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ' ') {
			v = atol(line + strlen(key) + 1);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * A child in the memory cgroup sets up CPU 1 and says the result on
 * @out, then waits for a byte on @in before it exits.
 */
static void cg_child(int out, int in)
{
	char pid[16], c;
	int fd, err;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (ix_put(CG_APP "/cgroup.procs", pid))
		_exit(10);
	fd = open("/dev/ix", O_RDWR);
	err = fd < 0 ? -errno : setup(fd, 1);
	if (write(out, &err, sizeof(err)) != sizeof(err))
		_exit(11);
	if (read(in, &c, 1) < 0)
		_exit(12);
	_exit(0);
}

/*
 * What an application makes the kernel keep is charged to its memory
 * cgroup: bound with max_conns 65535 (MiBs of TCP tables), the group's
 * memory.current rises by them; in a group of 8 MiB the setup fails
 * (ENOMEM, or the group's OOM killer ends the child) and nothing is
 * bound.
 */
TEST_F_TIMEOUT(perm, charged_to_the_memory_cgroup, 300)
{
	int res[2], go[2], err = 1, st;
	long before, during;
	pid_t pid;

	mkdir(CG, 0755);
	if (access(CG "/cgroup.controllers", F_OK) &&
	    mount("none", CG, "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2");
	if (ix_put(CG "/cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller (CONFIG_MEMCG off?)");
	ASSERT_EQ(0, ix_put(SYS "/attached", "0"));
	ASSERT_EQ(0, ix_put(SYS "/max_conns", "65535"));
	ASSERT_EQ(0, ix_put(SYS "/attached", "1"));
	rmdir(CG_APP);
	ASSERT_EQ(0, mkdir(CG_APP, 0755));

	/* Room enough: the charge shows. */
	ASSERT_EQ(0, ix_put(CG_APP "/memory.max", "512M"));
	ASSERT_EQ(0, pipe(res));
	ASSERT_EQ(0, pipe(go));
	before = cg_read("memory.current", NULL);
	pid = fork();
	if (!pid)
		cg_child(res[1], go[0]);
	ASSERT_EQ((ssize_t)sizeof(err), read(res[0], &err, sizeof(err)));
	during = cg_read("memory.current", NULL);
	EXPECT_EQ(0, err) TH_LOG("setup in a 512 MiB group: %s", strerror(-err));
	printf("# bound with max_conns 65535: the group's memory.current %ld -> %ld KiB\n",
	       before / 1024, during / 1024);
	EXPECT_LE(before + (8L << 20), during);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));

	/* Too little room: refused, nothing bound. */
	ASSERT_EQ(0, ix_put(CG_APP "/memory.max", "8M"));
	pid = fork();
	if (!pid)
		cg_child(res[1], go[0]);
	/* A child killed before it answers: EOF, not a hang. */
	close(res[1]);
	err = 1;
	if (read(res[0], &err, sizeof(err)) == sizeof(err))
		ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(err == -ENOMEM ||
		    (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
		TH_LOG("setup in an 8 MiB group: %d, status %#x", err, st);
	EXPECT_LT(0, cg_read("memory.events", "max"));
	printf("# in an 8 MiB group: setup %d, child %s; memory.events max %ld, oom_kill %ld\n",
	       err, WIFSIGNALED(st) ? "killed" : "exited",
	       cg_read("memory.events", "max"),
	       cg_read("memory.events", "oom_kill"));
	/* Nothing stands: root binds. */
	err = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, err);
	EXPECT_EQ(0, setup(err, 1));
	close(err);
	EXPECT_EQ(0, rmdir(CG_APP));
}

/*
 * Two threads race IX_IOC_SETUP on one file, round after round: started
 * once and released together by @go for each round (a thread created per
 * round cost most of the test's time in the VM); @done ends a round.
 */
struct race {
	int fd;
	unsigned int cpu;
	bool quit;
	pthread_barrier_t go, done;
	struct racer {
		struct race *race;
		int err;
	} t[2];
};

static void *race_thread(void *arg)
{
	struct racer *me = arg;
	struct race *r = me->race;

	for (;;) {
		pthread_barrier_wait(&r->go);
		if (r->quit)
			return NULL;
		me->err = setup(r->fd, r->cpu);
		pthread_barrier_wait(&r->done);
	}
}

/* One round: both threads set up @cpu on a fresh file at once. */
static void race_round(struct race *r, unsigned int cpu)
{
	r->fd = open("/dev/ix", O_RDWR);
	r->cpu = cpu;
	r->t[0].err = 1;
	r->t[1].err = 1;
	pthread_barrier_wait(&r->go);
	pthread_barrier_wait(&r->done);
	close(r->fd);
}

TEST_F_TIMEOUT(perm, setup_race_one_binding, 900)
{
	/* Static: a failed ASSERT leaves the racers running, not its frame. */
	static struct race r = { .fd = -1 };
	struct racer *t = r.t;
	pthread_t th[2];
	unsigned int i;
	double t0 = now_s();

	if (sysconf(_SC_NPROCESSORS_ONLN) < 3)
		SKIP(return, "needs 3 CPUs: two racers beside the reserved one");
	pthread_barrier_init(&r.go, NULL, 3);
	pthread_barrier_init(&r.done, NULL, 3);
	for (i = 0; i < 2; i++) {
		t[i].race = &r;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, race_thread, &t[i]));
	}
	/* Setups that fail late (CPU 2 serves nothing): rings come and go. */
	for (i = 0; i < RACE_ROUNDS; i++) {
		race_round(&r, 2);
		ASSERT_EQ(-ENODEV, t[0].err);
		ASSERT_EQ(-ENODEV, t[1].err);
	}
	printf("# %u failing rounds in %.1f s\n", RACE_ROUNDS, now_s() - t0);
	t0 = now_s();
	/* Setups that bind: exactly one wins each round, the other waits. */
	for (i = 0; i < BIND_ROUNDS; i++) {
		race_round(&r, 1);
		ASSERT_TRUE((!t[0].err && t[1].err == -EBUSY) ||
			    (!t[1].err && t[0].err == -EBUSY))
			TH_LOG("round %u: %d and %d", i, t[0].err, t[1].err);
	}
	printf("# %u binding rounds in %.1f s\n", BIND_ROUNDS, now_s() - t0);
	r.quit = true;
	pthread_barrier_wait(&r.go);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&r.go);
	pthread_barrier_destroy(&r.done);
}

TEST_HARNESS_MAIN
