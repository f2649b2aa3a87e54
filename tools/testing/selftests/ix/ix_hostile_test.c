// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile application on /dev/ix: bad setups, bad mappings, and a
 * command ring full of garbage.  Each bad command must get its own
 * error in its slot; the kernel must stay healthy (the VM run fails on
 * any splat, ix_app.sh scans kmemleak after) and keep serving.
 *
 * Needs eth0 attached with CPU 1: the fixture does it through sysfs, as
 * ix_attach.sh does, unless it is attached already.  It skips without
 * /dev/ix, eth0's ixdp directory, root or CPU 1, and fails if the attach
 * fails on a bench that has them.  IX_HOSTILE_SECONDS (default 20) sets
 * how long the random-command phase runs.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/ix.h>

#include "../kselftest_harness.h"
#include "ix_bench.h"

#define SYS		IX_SYS
#define ENTRIES		256
#define TX_LEN		(64 * 4096)

/* eth0 was attached before the test (ix_neighbors.sh): leave it so. */
static int preattached;

static void detach_all(void)
{
	if (preattached)
		return;
	ix_detach_all();
}

/* The write attach() failed at. */
static const char *attach_step;

/* Attach eth0 with CPU 1 unless it is attached already: 0 or -errno. */
static int attach(void)
{
	char buf[4] = "";
	int fd;

	fd = open(SYS "/attached", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] == '1')
		preattached = 1;
	if (fd >= 0)
		close(fd);
	if (preattached)
		return 0;
	return ix_attach("0", &attach_step);
}

struct app {
	int		fd;
	struct ix_setup	s;
	uint8_t		*cmd;
	uint8_t		*ev;
	uint8_t		*tx;
	uint32_t	prod;
};

static struct ix_cmd *slot(struct app *a, uint32_t i)
{
	return (struct ix_cmd *)(a->cmd + a->s.cmd_off.entries) +
	       (i & (a->s.cmd_entries - 1));
}

static uint32_t *idx(uint8_t *map, uint32_t off)
{
	return (uint32_t *)(map + off);
}

static int app_open(struct app *a)
{
	memset(a, 0, sizeof(*a));
	a->tx = mmap(NULL, TX_LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	a->fd = open("/dev/ix", O_RDWR);
	if (a->tx == MAP_FAILED || a->fd < 0)
		return -1;
	a->s.cpu = 1;
	a->s.cmd_entries = ENTRIES;
	a->s.event_entries = ENTRIES;
	a->s.tx_addr = (uintptr_t)a->tx;
	a->s.tx_len = TX_LEN;
	if (ioctl(a->fd, IX_IOC_SETUP, &a->s))
		return -1;
	a->cmd = mmap(NULL, a->s.cmd_off.size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, a->fd, IX_OFF_CMD_RING);
	a->ev = mmap(NULL, a->s.event_off.size, PROT_READ, MAP_SHARED, a->fd,
		     IX_OFF_EVENT_RING);
	return a->cmd == MAP_FAILED || a->ev == MAP_FAILED ? -1 : 0;
}

static void app_close(struct app *a)
{
	close(a->fd);
	munmap(a->tx, TX_LEN);
}

/* Run one command, return its result. */
static int64_t one(struct app *a, struct ix_cmd *c)
{
	struct ix_run r = { 0 };

	*slot(a, a->prod) = *c;
	slot(a, a->prod)->result = 12345;
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), ++a->prod,
			 __ATOMIC_RELEASE);
	if (ioctl(a->fd, IX_IOC_RUN, &r))
		return -1000 - errno;
	/* Drain events: this test never reads them. */
	__atomic_store_n(idx(a->cmd, a->s.event_off.consumer),
			 __atomic_load_n(idx(a->ev, a->s.event_off.producer),
					 __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
	return slot(a, a->prod - 1)->result;
}

/* Run one command, return its result; its events stay for the caller. */
static int64_t one_checked(struct app *a, struct ix_cmd *c)
{
	struct ix_run r = { 0 };

	*slot(a, a->prod) = *c;
	slot(a, a->prod)->result = INT64_MIN;
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), ++a->prod,
			 __ATOMIC_RELEASE);
	if (ioctl(a->fd, IX_IOC_RUN, &r))
		return -1000 - errno;
	return slot(a, a->prod - 1)->result;
}

FIXTURE(bound) {
	struct app a;
};

FIXTURE_SETUP(bound)
{
	const char *why = ix_unconfigured();
	int err;

	/* Skip without a bench; with one, fail if it cannot be attached. */
	if (why)
		SKIP(return, "%s", why);
	err = attach();
	ASSERT_EQ(0, err) TH_LOG("attach: writing %s: %s", attach_step,
				 strerror(-err));
	ASSERT_EQ(0, app_open(&self->a)) TH_LOG("setup: %s", strerror(errno));
}

FIXTURE_TEARDOWN(bound)
{
	app_close(&self->a);
	detach_all();
}

/* Every field of the setup is checked before anything happens. */
TEST(setup_rejects_bad_arguments)
{
	const char *why = ix_unconfigured();
	struct ix_setup s;
	int fd, err;
	void *tx;

	/* Skip without a bench; with one, fail if it cannot be attached. */
	if (why)
		SKIP(return, "%s", why);
	err = attach();
	ASSERT_EQ(0, err) TH_LOG("attach: writing %s: %s", attach_step,
				 strerror(-err));
	fd = open("/dev/ix", O_RDWR);
	ASSERT_LE(0, fd);
	tx = mmap(NULL, TX_LEN, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#define BAD(field, val, err) do {					\
		memset(&s, 0, sizeof(s));				\
		s.cpu = 1;						\
		s.field = val;						\
		errno = 0;						\
		EXPECT_EQ(-1, ioctl(fd, IX_IOC_SETUP, &s));		\
		EXPECT_EQ(err, errno) TH_LOG(#field " = " #val);	\
	} while (0)
	BAD(flags, 1U << 2, EINVAL);
	BAD(flags, IX_SETUP_F_MOVED_OUT, EINVAL);
	BAD(flags, IX_SETUP_F_ELASTIC | 1U << 31, EINVAL);
	BAD(resv[3], 1, EINVAL);
	BAD(timers, 3, EINVAL);
	BAD(timers, 131072, EINVAL);
	BAD(cmd_off.resv, 1, EINVAL);
	BAD(cmd_entries, 100, EINVAL);
	BAD(cmd_entries, 32, EINVAL);
	BAD(event_entries, 1 << 20, EINVAL);
	BAD(tx_addr, (uintptr_t)tx + 1, EINVAL);
	BAD(tx_len, 4096, EINVAL);
	BAD(cpu, 0, ENODEV);
	BAD(cpu, 4096, ENODEV);
	memset(&s, 0, sizeof(s));
	s.cpu = 1;
	s.tx_addr = 4096;
	s.tx_len = 4096;
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, IX_IOC_SETUP, &s));
	EXPECT_EQ(EFAULT, errno);
	/* A run before setup. */
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, IX_IOC_RUN, &(struct ix_run){ 0 }));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	munmap(tx, TX_LEN);
	detach_all();
}

/* One thread per CPU; a second binding of the CPU is refused. */
TEST_F(bound, second_binding_refused)
{
	struct ix_setup s = { .cpu = 1 };
	int fd = open("/dev/ix", O_RDWR);

	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, IX_IOC_SETUP, &s));
	EXPECT_EQ(EBUSY, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->a.fd, IX_IOC_SETUP, &s));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
	EXPECT_EQ(1, sched_getcpu());
}

/* Read-only regions stay read-only. */
TEST_F(bound, read_only_regions)
{
	struct app *a = &self->a;
	void *m;

	errno = 0;
	m = mmap(NULL, a->s.event_off.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 a->fd, IX_OFF_EVENT_RING);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(EACCES, errno);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd,
		 IX_OFF_RX_POOL);
	EXPECT_EQ(MAP_FAILED, m);
	EXPECT_EQ(0, mprotect(a->ev, 4096, PROT_READ));
	errno = 0;
	EXPECT_EQ(-1, mprotect(a->ev, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	m = mmap(NULL, a->s.rx_pool_size + 4096, PROT_READ, MAP_SHARED, a->fd,
		 IX_OFF_RX_POOL);
	EXPECT_EQ(MAP_FAILED, m);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, a->fd, 0x30000000);
	EXPECT_EQ(MAP_FAILED, m);
}

/*
 * Nothing the application maps can run as code, now or after mprotect()
 * (VM_MAYEXEC is cleared); a child does not inherit a mapping; and no
 * other process holding the file may map it (only the bound process).
 */
TEST_F(bound, mappings_never_exec_owner_only)
{
	static const struct {
		uint64_t	off;
		int		prot;
	} r[] = {
		{ IX_OFF_CMD_RING, PROT_READ | PROT_WRITE },
		{ IX_OFF_EVENT_RING, PROT_READ },
		{ IX_OFF_RX_POOL, PROT_READ },
	};
	struct app *a = &self->a;
	unsigned int i;
	int st;
	pid_t pid;
	void *m;

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		errno = 0;
		m = mmap(NULL, 4096, r[i].prot | PROT_EXEC, MAP_SHARED, a->fd,
			 r[i].off);
		EXPECT_EQ(MAP_FAILED, m);
		EXPECT_EQ(EACCES, errno);
		m = mmap(NULL, 4096, r[i].prot, MAP_SHARED, a->fd, r[i].off);
		ASSERT_NE(MAP_FAILED, m);
		errno = 0;
		EXPECT_EQ(-1, mprotect(m, 4096, r[i].prot | PROT_EXEC));
		EXPECT_EQ(EACCES, errno);
		munmap(m, 4096);
	}
	pid = fork();
	if (!pid) {
		/* Not inherited: the parent's event ring is not here. */
		signal(SIGSEGV, SIG_DFL);
		(void)*(volatile uint8_t *)a->ev;
		_exit(1);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	pid = fork();
	if (!pid) {
		/* Holding the file is not enough to map any of it. */
		for (i = 0; i < ARRAY_SIZE(r); i++) {
			m = mmap(NULL, 4096, r[i].prot, MAP_SHARED, a->fd,
				 r[i].off);
			if (m != MAP_FAILED || errno != EPERM)
				_exit(1 + i);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("region %d mapped by another process",
		       WEXITSTATUS(st) - 1);
}

/*
 * The kernel maps the TX memory read-only (a write there would oops the
 * VM, and the run would fail on the splat): sends of every size leave
 * it as the application wrote it.
 */
TEST_F(bound, tx_memory_only_read)
{
	struct app *a = &self->a;
	struct ix_cmd c = {
		.op = IX_CMD_UDP_BIND, .arg0 = 4001,
	};
	uint8_t *want = malloc(TX_LEN);
	uint32_t len;
	size_t i;

	ASSERT_NE(NULL, want);
	for (i = 0; i < TX_LEN; i++)
		want[i] = a->tx[i] = (uint8_t)(i * 7 + 3);
	ASSERT_EQ(0, one(a, &c));
	/* One datagram first, and time for the peer's address to resolve. */
	for (i = 0; i < 50; i++) {
		c = (struct ix_cmd){ .op = IX_CMD_NOP };
		if (!i)
			c = (struct ix_cmd){
				.op = IX_CMD_UDP_SEND, .handle = 1,
				.arg0 = 0xc6120003ULL | 9ULL << 32 |
					4001ULL << 48,
			};
		EXPECT_EQ(0, one(a, &c));
		usleep(10000);
	}
	for (len = 1; len <= 1400; len = len * 3 + 1) {
		c = (struct ix_cmd){
			.op = IX_CMD_UDP_SEND, .handle = len,
			.arg0 = 0xc6120003ULL | 9ULL << 32 | 4001ULL << 48,
			.arg1 = TX_LEN - 4096 - len,
		};
		EXPECT_EQ(0, one(a, &c));
	}
	EXPECT_EQ(0, memcmp(want, a->tx, TX_LEN));
	free(want);
}

/*
 * The RX pool holds frames and nothing of the kernel's: no word of the
 * headroom at the front of any buffer slot (2 KiB) looks like a kernel
 * address, as a buffer header kept there once did.  Frames start further
 * in, so their bytes (a broadcast MAC, say) cannot look like one here.
 */
TEST_F(bound, rx_pool_shows_no_kernel_pointers)
{
	struct app *a = &self->a;
	const uint64_t *w;
	size_t off, i;
	uint8_t *m;

	m = mmap(NULL, a->s.rx_pool_size, PROT_READ, MAP_SHARED, a->fd,
		 IX_OFF_RX_POOL);
	ASSERT_NE(MAP_FAILED, m);
	for (off = 0; off < a->s.rx_pool_size; off += 2048) {
		w = (const uint64_t *)(m + off);
		for (i = 0; i < 7; i++)
			if (w[i] >> 48 == 0xffff)
				break;
		EXPECT_EQ(7, i) {
			TH_LOG("word %zu of the slot at %zu: %#llx", i, off,
			       (unsigned long long)w[i]);
			break;
		}
	}
	munmap(m, a->s.rx_pool_size);
}

/* Another thread of the application may not run the dataplane. */
static void *other_run(void *arg)
{
	struct app *a = arg;
	struct ix_run r = { 0 };

	return (void *)(long)(ioctl(a->fd, IX_IOC_RUN, &r) ? errno : 0);
}

TEST_F(bound, run_from_another_thread)
{
	pthread_t t;
	void *ret;

	ASSERT_EQ(0, pthread_create(&t, NULL, other_run, &self->a));
	pthread_join(t, &ret);
	EXPECT_EQ(EPERM, (long)ret);
}

/* Each bad command gets its own error, in its own slot. */
TEST_F(bound, bad_commands_answered)
{
	struct app *a = &self->a;
	struct ix_iov *v = (struct ix_iov *)a->tx;
	struct ix_cmd c;
	int64_t h;

#define CMD(...)	(memset(&c, 0, sizeof(c)), c = (struct ix_cmd){ __VA_ARGS__ }, one(a, &c))
	EXPECT_EQ(0, CMD(.op = IX_CMD_NOP));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_LAST));
	EXPECT_EQ(-EINVAL, CMD(.op = 0xffff));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_NOP, .flags = 1));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_NOP, .resv = { 0, 0, 1 }));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_LISTEN, .arg0 = 0, .arg1 = 1));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_LISTEN, .arg0 = 70000, .arg1 = 1));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_LISTEN, .arg0 = 80, .arg1 = 0));
	EXPECT_EQ(0, CMD(.op = IX_CMD_TCP_LISTEN, .arg0 = 80, .arg1 = 4));
	EXPECT_EQ(-EADDRINUSE, CMD(.op = IX_CMD_TCP_LISTEN, .arg0 = 80, .arg1 = 4));
	EXPECT_EQ(-ENOENT, CMD(.op = IX_CMD_TCP_UNLISTEN, .arg0 = 81));
	EXPECT_EQ(0, CMD(.op = IX_CMD_TCP_UNLISTEN, .arg0 = 80));
	/* Forged handles: index out of range, or a free PCB. */
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_CLOSE, .handle = 0xffff));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_ABORT, .handle = 0x70003));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_ACCEPT, .handle = 5));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_RECV_DONE, .handle = 5, .arg0 = 1));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_CONNECT, .arg0 = 1ULL << 32, .arg1 = 7));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_CONNECT, .arg0 = 0xc612000a, .arg1 = 7));
	/* A connection to nobody, in SYN_SENT: a real, then stale handle. */
	h = CMD(.op = IX_CMD_TCP_CONNECT, .arg0 = 0xc612004d, .arg1 = 9);
	ASSERT_LE(0, h);
	EXPECT_EQ(-ENOTCONN, CMD(.op = IX_CMD_TCP_SENDV, .handle = h,
				 .arg0 = 0, .arg1 = 1));
	/* Vectors: out of the TX memory, overflowing, too long, reserved. */
	v[0] = (struct ix_iov){ .off = TX_LEN - 1, .len = 2 };
	EXPECT_EQ(-EFAULT, CMD(.op = IX_CMD_TCP_SENDV, .handle = h, .arg1 = 1));
	v[0] = (struct ix_iov){ .off = UINT64_MAX - 1, .len = 4 };
	EXPECT_EQ(-EFAULT, CMD(.op = IX_CMD_TCP_SENDV, .handle = h, .arg1 = 1));
	v[0] = (struct ix_iov){ .off = 0, .len = 1, .resv = 1 };
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_SENDV, .handle = h, .arg1 = 1));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_SENDV, .handle = h,
			       .arg1 = IX_SENDV_MAX + 1));
	EXPECT_EQ(-EFAULT, CMD(.op = IX_CMD_TCP_SENDV, .handle = h,
			       .arg0 = TX_LEN - 16, .arg1 = 2));
	EXPECT_EQ(-EFAULT, CMD(.op = IX_CMD_TCP_SENDV, .handle = h,
			       .arg0 = UINT64_MAX - 8, .arg1 = 1));
	/* Keepalive: bounds, the idle time not truncated, then the handle. */
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			       .arg0 = 32768, .arg1 = 1 | 1ULL << 32));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			       .arg0 = 1ULL << 32 | 1, .arg1 = 1 | 1ULL << 32));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			       .arg0 = 1, .arg1 = 1 | 128ULL << 32));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			       .arg0 = 1, .arg1 = 1ULL << 32));
	EXPECT_EQ(-EINVAL, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			       .arg0 = 0, .arg1 = 1 | 1ULL << 32));
	EXPECT_EQ(0, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h,
			 .arg0 = 32767, .arg1 = 32767 | 127ULL << 32));
	EXPECT_EQ(0, CMD(.op = IX_CMD_TCP_ABORT, .handle = h));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_ABORT, .handle = h));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_KEEPALIVE, .handle = h));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_CLOSE, .handle = h));
	/* Still serving. */
	EXPECT_EQ(0, CMD(.op = IX_CMD_NOP));
}

/* A producer index far past the ring: at most a ring's worth is run. */
TEST_F(bound, producer_past_the_ring)
{
	struct app *a = &self->a;
	struct ix_run r = { 0 };
	uint32_t i;

	for (i = 0; i < ENTRIES; i++)
		*slot(a, i) = (struct ix_cmd){ .op = IX_CMD_NOP, .result = 7 };
	*idx(a->cmd, a->s.cmd_off.producer) = 0x7fffffff;
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(ENTRIES, r.commands);
	EXPECT_EQ(ENTRIES, *idx(a->cmd, a->s.cmd_off.consumer));
	for (i = 0; i < ENTRIES; i++)
		EXPECT_EQ(0, slot(a, i)->result);
	/* A consumer index of the event ring ahead of the producer. */
	*idx(a->cmd, a->s.event_off.consumer) = 12345;
	r = (struct ix_run){ .timeout_us = 1000 };
	EXPECT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	r = (struct ix_run){ .flags = 0x80 };
	errno = 0;
	EXPECT_EQ(-1, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* Commands wait for room in the event ring rather than lose events. */
TEST_F(bound, commands_wait_for_event_room)
{
	struct app *a = &self->a;
	uint32_t *ev_prod = idx(a->ev, a->s.event_off.producer);
	uint32_t *dropped = idx(a->ev, a->s.event_off.dropped);
	uint32_t *cons = idx(a->cmd, a->s.cmd_off.consumer);
	struct ix_run r = { 0 };
	uint32_t i;

	memset(a->tx, 'x', 64);
	/* Sends go from a bound port. */
	*slot(a, a->prod++) = (struct ix_cmd){
		.op = IX_CMD_UDP_BIND, .arg0 = 4000, .result = 12345,
	};
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	ASSERT_EQ(0, slot(a, a->prod - 1)->result);
	r = (struct ix_run){ 0 };
	/* Each UDP send causes an event; nobody reads them for now. */
	for (i = 0; i < 200; i++)
		*slot(a, a->prod++) = (struct ix_cmd){
			.op = IX_CMD_UDP_SEND, .handle = 16, .result = 12345,
			.arg0 = 0xc6120003ULL | 9ULL << 32 | 4000ULL << 48,
		};
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(201, *cons);
	EXPECT_EQ(200, *ev_prod);
	for (i = 0; i < 200; i++) {
		*slot(a, a->prod) = *slot(a, a->prod - 200);
		slot(a, a->prod++)->result = 12345;
	}
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
			 __ATOMIC_RELEASE);
	r = (struct ix_run){ 0 };
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	/* The event ring (256) is full: 56 more ran, 144 wait. */
	EXPECT_EQ(257, *cons);
	EXPECT_EQ(256, *ev_prod);
	EXPECT_EQ(0, *dropped);
	/* Read the events: the rest run. */
	__atomic_store_n(idx(a->cmd, a->s.event_off.consumer), *ev_prod,
			 __ATOMIC_RELEASE);
	r = (struct ix_run){ 0 };
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(401, *cons);
	EXPECT_EQ(400, *ev_prod);
	EXPECT_EQ(0, *dropped);
	/* Every slot answered (sends may fail while ARP resolves). */
	for (i = 0; i < ENTRIES; i++)
		EXPECT_NE(12345, slot(a, i)->result) TH_LOG("slot %u", i);
}

static volatile int scribbling;

/*
 * The random phase: three of four command slots are the test's and each
 * answer there is checked against a model of the application's state;
 * the fourth is the scribbler's, which rewrites its words 1 to 6 (cookie,
 * arguments, reserved) while the kernel reads them.  Its word 0 (opcode,
 * flags, handle) holds commands that change nothing the model tracks,
 * whatever the arguments become.
 */
#define SCRIBBLED(i)	(((i) & 3) == 3)
#define SENTINEL	INT64_MIN
#define KNOWN		65536		/* handles remembered, a power of 2 */
#define APP_TIMERS	1024		/* IXDP_APP_TIMERS */
#define LISTENERS	16		/* IXDP_TCP_LISTENERS */
#define UDP_BINDS	64		/* IXDP_UDP_BINDS */
#define TIMER_MAX_US	(86400ULL * 1000000)
#define BUF_SIZE	2048		/* IXDP_BUF_SIZE: one RX pool slot */
#define NSENT		4096

/* Rewrite words 1 to 6 of the scribbler's slots while the kernel reads. */
static void *scribble(void *arg)
{
	struct app *a = arg;
	uint64_t x = 88172645463325252ULL;
	cpu_set_t cpus;
	uint64_t *p;

	/* Beside the dataplane thread on CPU 1, not after it. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	while (scribbling) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p = (uint64_t *)slot(a, ((x >> 40) % (ENTRIES / 4)) * 4 + 3);
		p[1 + (x >> 20) % 6] = x;
	}
	return NULL;
}

enum { GONE = 1, LIVE, PASSIVE, ARMED, MUSTFIRE, CANCELLED, FIRED };

struct known {
	uint32_t	h;
	uint8_t		state;
	uint64_t	cookie;
};

struct sent {
	uint64_t	cookie;
	uint32_t	len;
	int64_t		status;
	int		optional;	/* -ENOBUFS: maybe before the event */
};

/* What the application did, and so what the kernel must answer. */
static struct model {
	uint32_t	npcbs, mtu, addr, hostmask;
	uint16_t	lsn[LISTENERS];
	unsigned int	nlsn;
	uint16_t	udp[UDP_BINDS];
	unsigned int	nudp;
	struct known	tcp[KNOWN], tmr[KNOWN];
	unsigned int	ntcp, ntmr, armed;
	uint32_t	recent_tcp[64], recent_tmr[64];
	unsigned int	nrecent_tcp, nrecent_tmr;
	struct sent	sent[NSENT];
	unsigned int	sent_head, sent_tail;
	unsigned int	stray_sends;	/* the scribbler's, maybe sent */
	uint64_t	held[64];	/* UDP datagrams given to us */
	unsigned int	nheld;
	struct ix_cmd	mine[ENTRIES];	/* as written, by slot */
	uint64_t	checked;
	uint64_t	succeeded[IX_CMD_LAST];	/* of ours, by opcode */
} m;

static struct known *known(struct known *t, uint32_t h, int add)
{
	uint32_t i = (h * 2654435761U) & (KNOWN - 1);

	while (t[i].state && t[i].h != h)
		i = (i + 1) & (KNOWN - 1);
	if (!t[i].state && !add)
		return NULL;
	t[i].h = h;
	return &t[i];
}

static int has_port(const uint16_t *p, unsigned int n, uint64_t port)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i] == port)
			return i + 1;
	return 0;
}

static unsigned int read_uint(const char *path, unsigned int dflt)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return dflt;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? strtoul(buf, NULL, 0) : dflt;
}

static void model_init(struct app *a)
{
	char buf[64] = "";
	int fd, prefix = 24;
	char *slash;

	memset(&m, 0, sizeof(m));
	m.npcbs = read_uint(SYS "/max_conns", 512);
	m.mtu = read_uint("/sys/class/net/eth0/mtu", 1500);
	m.addr = ntohl(a->s.addr);
	fd = open(SYS "/addr", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0) {
		slash = strchr(buf, '/');
		if (slash)
			prefix = atoi(slash + 1);
	}
	if (fd >= 0)
		close(fd);
	m.hostmask = prefix <= 30 ? (uint32_t)(~0ULL >> (32 + prefix)) : 0;
}

/* A handle the application holds, now and then, so that some are live. */
static uint32_t a_known(const uint32_t *recent, unsigned int n, uint64_t x)
{
	return n ? recent[(x >> 24) % (n < 64 ? n : 64)] : (uint32_t)(x >> 32);
}

static void gen_mine(struct app *a, struct ix_cmd *c, uint64_t x)
{
	c->op = x % (IX_CMD_LAST + 2);
	c->flags = !(x & 0xf00);
	c->handle = x & 0x100 ? x >> 32 : (x >> 32) & 0x1ff;
	c->arg0 = x & 0x200 ? x * 31 : (x >> 8) % TX_LEN;
	c->arg1 = x & 0x400 ? x >> 3 : (x >> 16) % 20;
	c->cookie = x;
	memset(c->resv, 0, sizeof(c->resv));
	/* Valid now and then: no handle, no argument, a handle we hold. */
	if ((x & 0x3000) == 0x1000)
		c->handle = 0;
	if ((x & 0xc000) == 0x4000)
		c->arg1 = 0;
	if ((x & 0x30000) == 0x10000)
		c->arg0 = 0;
	/* An address: anywhere, or on our subnet (ports above it for UDP). */
	if ((x & 0xc0000) == 0x40000)
		c->arg0 = (uint32_t)(x * 31);
	if ((x & 0xc0000) == 0x80000)
		c->arg0 = 0xc6120000 | ((x >> 40) & 0xff);
	if ((x & 0xc0000) && c->op == IX_CMD_UDP_SEND)
		c->arg0 |= x & 0xffff7fff00000000ULL;
	/* From a port the application bound, now and then. */
	if ((x & 0x300000) && c->op == IX_CMD_UDP_SEND && m.nudp)
		c->arg0 = (c->arg0 & 0xffffffffffffULL) |
			  (uint64_t)m.udp[(x >> 22) % m.nudp] << 48;
	if (x & 0x800)
		c->handle = c->op == IX_CMD_TIMER_SET ||
			    c->op == IX_CMD_TIMER_CANCEL ?
			    a_known(m.recent_tmr, m.nrecent_tmr, x) :
			    a_known(m.recent_tcp, m.nrecent_tcp, x);
	/* Room in the model for every handle the kernel may give. */
	if ((c->op == IX_CMD_TCP_CONNECT && m.ntcp > KNOWN / 2) ||
	    (c->op == IX_CMD_TIMER_SET && m.ntmr > KNOWN / 2))
		c->op = IX_CMD_NOP;
	if (c->op == IX_CMD_TCP_SENDV && !(x & 0x3000))
		memcpy(a->tx + (c->arg0 & ~15ULL) % TX_LEN, &x, sizeof(x));
}

/* For the scribbler's slots: nothing here can change the model. */
static void gen_scribbled(struct ix_cmd *c, uint64_t x)
{
	static const struct { uint16_t op; uint32_t handle; } safe[] = {
		{ IX_CMD_NOP, 0 }, { IX_CMD_LAST + 1, 0 },
		{ IX_CMD_TCP_SENDV, 0xffff }, { IX_CMD_TCP_RECV_DONE, 0xffff },
		{ IX_CMD_TCP_CLOSE, 0xffff }, { IX_CMD_TCP_ABORT, 0xffff },
		{ IX_CMD_TCP_ACCEPT, 0xffff }, { IX_CMD_TCP_REJECT, 0xffff },
		{ IX_CMD_UDP_SEND, 0 }, { IX_CMD_TIMER_CANCEL, APP_TIMERS },
	};
	unsigned int k = x % ARRAY_SIZE(safe);

	memset(c, 0, sizeof(*c));
	c->op = safe[k].op;
	c->handle = safe[k].op == IX_CMD_UDP_SEND ? (x >> 32) & 0x7ff :
		    safe[k].handle;
	c->arg0 = x * 31;
	c->arg1 = (x >> 16) % TX_LEN;
	c->cookie = x;
}

/* What a TCP handle must get: -EINVAL, -ESTALE, or 0 if it is live. */
static int64_t tcp_handle(uint32_t h, struct known **k)
{
	if ((h & 0xffff) >= m.npcbs)
		return -EINVAL;
	*k = known(m.tcp, h, 0);
	return *k && (*k)->state >= LIVE ? 0 : -ESTALE;
}

/* sendv's vector, read as the kernel reads it, from the TX memory now. */
static int64_t iov_check(struct app *a, const struct ix_cmd *c)
{
	const struct ix_iov *v;
	uint64_t end, i;

	if (!c->arg1 || c->arg1 > IX_SENDV_MAX)
		return -EINVAL;
	if (__builtin_add_overflow(c->arg0, c->arg1 * sizeof(*v), &end) ||
	    end > TX_LEN || c->arg0 % 8)
		return -EFAULT;
	v = (const struct ix_iov *)(a->tx + c->arg0);
	for (i = 0; i < c->arg1; i++) {
		if (v[i].resv)
			return -EINVAL;
		if (__builtin_add_overflow(v[i].off, (uint64_t)v[i].len, &end) ||
		    end > TX_LEN)
			return -EFAULT;
	}
	return 0;
}

/* IX_CMD_TCP_KEEPALIVE's arguments: idle 0 and nothing, or in bounds. */
static int keepalive_args_ok(const struct ix_cmd *c)
{
	uint64_t intvl = c->arg1 & 0xffffffff, cnt = c->arg1 >> 32;

	if (!c->arg0)
		return !c->arg1;
	return c->arg0 <= IX_KEEPALIVE_IDLE_MAX && intvl &&
	       intvl <= IX_KEEPALIVE_INTVL_MAX && cnt &&
	       cnt <= IX_KEEPALIVE_CNT_MAX;
}

#define ONE_OF(r, ...) ({						\
	const int64_t __set[] = { __VA_ARGS__ };			\
	unsigned int __i;						\
	for (__i = 0; __i < ARRAY_SIZE(__set); __i++)			\
		if ((r) == __set[__i])					\
			break;						\
	__i < ARRAY_SIZE(__set);					\
})

/*
 * Is @r the answer to @c, given the model?  Updates the model; says why
 * not in @why.  The exact errno wherever the input alone decides it.
 */
static int answer_ok(struct app *a, const struct ix_cmd *c, int64_t r,
		     char *why, size_t len)
{
	struct known *k = NULL;
	int64_t want = 1;	/* 1: no single answer */
	uint32_t daddr;
	int i;

	if (c->flags || c->resv[0] || c->resv[1] || c->resv[2] ||
	    c->op >= IX_CMD_LAST) {
		want = -EINVAL;
		goto exact;
	}
	switch (c->op) {
	case IX_CMD_NOP:
		want = c->handle || c->arg0 || c->arg1 ? -EINVAL : 0;
		break;
	case IX_CMD_TCP_LISTEN:
		if (!c->arg0 || c->arg0 > 0xffff || !c->arg1 ||
		    c->arg1 > 0xffff || c->handle)
			want = -EINVAL;
		else if (has_port(m.lsn, m.nlsn, c->arg0))
			want = -EADDRINUSE;
		else if (m.nlsn == LISTENERS)
			want = -ENOSPC;
		else
			want = 0;
		if (r == 0 && want == 0)
			m.lsn[m.nlsn++] = c->arg0;
		break;
	case IX_CMD_TCP_UNLISTEN:
		if (!c->arg0 || c->arg0 > 0xffff || c->arg1 || c->handle)
			want = -EINVAL;
		else
			want = (i = has_port(m.lsn, m.nlsn, c->arg0)) ? 0 : -ENOENT;
		if (r == 0 && want == 0)
			m.lsn[i - 1] = m.lsn[--m.nlsn];
		break;
	case IX_CMD_TCP_CONNECT:
		daddr = c->arg0;
		if (c->arg0 > 0xffffffffULL || !c->arg1 || c->arg1 > 0xffff ||
		    c->handle || daddr == m.addr || daddr >> 24 == 0 ||
		    daddr >> 24 == 127 || daddr >> 28 >= 0xe ||
		    /* As the kernel has it: all ones in any network. */
		    (m.hostmask && (daddr & m.hostmask) == m.hostmask)) {
			want = -EINVAL;
			break;
		}
		if (r < 0) {
			if (ONE_OF(r, -EADDRNOTAVAIL, -ENOMEM))
				return 1;
			snprintf(why, len, "connect: %lld", (long long)r);
			return 0;
		}
		k = known(m.tcp, r, 1);
		if (r > 0xffffffffLL || (r & 0xffff) >= m.npcbs || !(r >> 16) ||
		    k->state) {
			snprintf(why, len, "connect: handle %#llx (%s)",
				 (long long)r, k->state ? "in use" : "bad");
			return 0;
		}
		k->state = LIVE;
		k->cookie = c->cookie;
		m.ntcp++;
		m.recent_tcp[m.nrecent_tcp++ % 64] = r;
		return 1;
	case IX_CMD_TCP_ACCEPT:
	case IX_CMD_TCP_REJECT:
	case IX_CMD_TCP_ABORT:
	case IX_CMD_TCP_CLOSE:
	case IX_CMD_TCP_RECV_DONE:
	case IX_CMD_TCP_SENDV:
	case IX_CMD_TCP_KEEPALIVE:
		if (c->op == IX_CMD_TCP_SENDV)
			want = iov_check(a, c);
		else if (c->op == IX_CMD_TCP_KEEPALIVE)
			want = keepalive_args_ok(c) ? 0 : -EINVAL;
		else if (c->op == IX_CMD_TCP_RECV_DONE)
			want = c->arg0 > 0xffffffffULL || c->arg1 ? -EINVAL : 0;
		else
			want = c->arg0 || c->arg1 ? -EINVAL : 0;
		if (!want)
			want = tcp_handle(c->handle, &k);
		if (want)
			break;
		/* A live connection: what its state allows, or gone meanwhile. */
		if (r == -ESTALE) {
			k->state = GONE;
			return 1;
		}
		switch (c->op) {
		case IX_CMD_TCP_ACCEPT:
			if (r == 0 && k->state == PASSIVE)
				k->cookie = c->cookie;	/* its events' now */
			if (k->state == PASSIVE ? ONE_OF(r, 0, -EALREADY, -EINVAL) :
			    r == -EINVAL)
				return 1;
			break;
		case IX_CMD_TCP_REJECT:
		case IX_CMD_TCP_ABORT:
			if (r == 0) {
				i = k->state == PASSIVE;
				k->state = GONE;
				if (c->op == IX_CMD_TCP_ABORT || i)
					return 1;
			} else if (r == -EINVAL && c->op == IX_CMD_TCP_REJECT) {
				return 1;
			}
			break;
		case IX_CMD_TCP_CLOSE:
			if (ONE_OF(r, 0, -EALREADY, -EINVAL))
				return 1;
			break;
		case IX_CMD_TCP_RECV_DONE:
			if (ONE_OF(r, 0, -EINVAL))
				return 1;
			break;
		case IX_CMD_TCP_KEEPALIVE:
			if (r == 0)
				return 1;
			break;
		default:
			if (r >= 0 || ONE_OF(r, -ENOTCONN, -EPIPE))
				return 1;
		}
		snprintf(why, len, "op %u on live handle %#x: %lld", c->op,
			 c->handle, (long long)r);
		return 0;
	case IX_CMD_UDP_BIND:
		if (!c->arg0 || c->arg0 > 0xffff || c->arg1 || c->handle)
			want = -EINVAL;
		else if (m.nudp == UDP_BINDS)
			want = -ENOSPC;
		else if (has_port(m.udp, m.nudp, c->arg0))
			want = -EADDRINUSE;
		else
			want = 0;
		if (r == 0 && want == 0)
			m.udp[m.nudp++] = c->arg0;
		break;
	case IX_CMD_UDP_UNBIND:
		if (!c->arg0 || c->arg0 > 0xffff || c->arg1 || c->handle)
			want = -EINVAL;
		else
			want = (i = has_port(m.udp, m.nudp, c->arg0)) ? 0 : -ENOENT;
		if (r == 0 && want == 0)
			m.udp[i - 1] = m.udp[--m.nudp];
		break;
	case IX_CMD_UDP_SEND:
		if (!(uint16_t)(c->arg0 >> 32) || !(c->arg0 >> 48))
			want = -EINVAL;
		else if (!has_port(m.udp, m.nudp, c->arg0 >> 48))
			want = -EADDRNOTAVAIL;
		else if (c->arg1 + c->handle < c->arg1 ||
			 c->arg1 + c->handle > TX_LEN)
			want = -EFAULT;
		else if (c->handle > m.mtu - 28)
			want = -EMSGSIZE;
		if (want != 1)
			break;
		if (!ONE_OF(r, 0, -ENETUNREACH, -ENOBUFS, -ENOSPC)) {
			snprintf(why, len, "udp send: %lld", (long long)r);
			return 0;
		}
		/* Its sent event must follow, with its cookie. */
		if (m.sent_tail - m.sent_head == NSENT) {
			snprintf(why, len, "%u sent events missing", NSENT);
			return 0;
		}
		m.sent[m.sent_tail++ % NSENT] = (struct sent){
			.cookie = c->cookie, .len = c->handle, .status = r,
			.optional = r == -ENOBUFS,
		};
		return 1;
	case IX_CMD_UDP_RECV_DONE:
		if (c->arg1 || c->handle) {
			want = -EINVAL;
			break;
		}
		want = -EINVAL;
		for (i = 0; i < (int)m.nheld; i++)
			if (m.held[i] / BUF_SIZE == c->arg0 / BUF_SIZE) {
				want = 0;
				if (r == 0)
					m.held[i] = m.held[--m.nheld];
				break;
			}
		break;
	case IX_CMD_TIMER_SET:
		if (c->arg0 > TIMER_MAX_US || c->arg1 || c->handle) {
			want = -EINVAL;
			break;
		}
		if (r == -ENOSPC && m.armed >= APP_TIMERS)
			return 1;
		if (r < 0 || r > 0xffffffffLL || (r & 0xffff) >= APP_TIMERS ||
		    known(m.tmr, r, 0)) {
			snprintf(why, len, "timer set: %lld (%u armed)",
				 (long long)r, m.armed);
			return 0;
		}
		k = known(m.tmr, r, 1);
		k->state = ARMED;
		k->cookie = c->cookie;
		m.ntmr++;
		m.armed++;
		m.recent_tmr[m.nrecent_tmr++ % 64] = r;
		return 1;
	case IX_CMD_TIMER_CANCEL:
		if (c->arg0 || c->arg1 || (c->handle & 0xffff) >= APP_TIMERS) {
			want = -EINVAL;
			break;
		}
		k = known(m.tmr, c->handle, 0);
		if (!k || k->state != ARMED) {
			want = -ESTALE;
			break;
		}
		/* Cancelled, or fired already: then its event is due. */
		if (r == 0) {
			k->state = CANCELLED;
			m.armed--;
			return 1;
		}
		if (r == -ESTALE) {
			k->state = MUSTFIRE;
			return 1;
		}
		break;
	}
exact:
	if (r == want)
		return 1;
	if (want == 1)
		snprintf(why, len, "op %u: %lld", c->op, (long long)r);
	else
		snprintf(why, len, "op %u: %lld, not %lld", c->op, (long long)r,
			 (long long)want);
	return 0;
}

/* The scribbler's slot: the answers its opcode allows, whatever the rest. */
static int scribbled_ok(const struct ix_cmd *c, int64_t r)
{
	switch (c->op) {
	case IX_CMD_NOP:
		return ONE_OF(r, 0, -EINVAL);
	case IX_CMD_TCP_SENDV:
		return ONE_OF(r, -EINVAL, -EFAULT);
	case IX_CMD_UDP_SEND:
		if (!ONE_OF(r, -EINVAL, -EADDRNOTAVAIL, -EFAULT, -EMSGSIZE))
			m.stray_sends++;
		return ONE_OF(r, 0, -EINVAL, -EADDRNOTAVAIL, -EFAULT, -EMSGSIZE,
			      -ENETUNREACH, -ENOBUFS, -ENOSPC);
	default:
		return r == -EINVAL;
	}
}

/* An event: for a command of ours, with its cookie; nothing twice. */
static int event_ok(const struct ix_event *e, char *why, size_t len)
{
	struct sent *s = NULL;
	struct known *k;
	unsigned int i;

	if (e->flags) {
		snprintf(why, len, "event %u with flags %#x", e->type, e->flags);
		return 0;
	}
	switch (e->type) {
	case IX_EV_TCP_KNOCK:
		k = known(m.tcp, e->handle, 1);
		if (k->state >= LIVE)
			break;
		k->state = PASSIVE;
		k->cookie = e->cookie;	/* the listener's */
		m.ntcp++;
		return 1;
	case IX_EV_TCP_CONNECTED:
	case IX_EV_TCP_RECV:
	case IX_EV_TCP_SENT:
	case IX_EV_TCP_DEAD:
		k = known(m.tcp, e->handle, 0);
		if (!k || k->cookie != e->cookie)
			break;
		if (e->type == IX_EV_TCP_DEAD ||
		    (e->type == IX_EV_TCP_CONNECTED && e->status))
			k->state = GONE;
		return 1;
	case IX_EV_UDP_RECV:
		if (m.nheld == 64)
			break;
		m.held[m.nheld++] = e->data;
		return 1;
	case IX_EV_UDP_SENT:
		/* Ours in order; a -ENOBUFS send may have none. */
		for (i = m.sent_head; i != m.sent_tail; i++) {
			s = &m.sent[i % NSENT];
			if (s->cookie == e->cookie || !s->optional)
				break;
		}
		if (i != m.sent_tail && s->cookie == e->cookie) {
			m.sent_head = i + 1;
			if (s->len == e->len && s->status == e->status)
				return 1;
			break;
		}
		if (m.stray_sends) {
			m.stray_sends--;
			return 1;
		}
		break;
	case IX_EV_TIMER:
		k = known(m.tmr, e->handle, 0);
		if (!k || k->cookie != e->cookie ||
		    (k->state != ARMED && k->state != MUSTFIRE))
			break;
		k->state = FIRED;
		m.armed--;
		return 1;
	}
	snprintf(why, len, "event %u: handle %#x cookie %#llx status %d len %u",
		 e->type, e->handle, (unsigned long long)e->cookie, e->status,
		 e->len);
	return 0;
}

/* Read the events there are: the count of bad ones, the first's in @why. */
static unsigned int drain_events(struct app *a, char *why, size_t len)
{
	uint32_t *ev_prod = idx(a->ev, a->s.event_off.producer);
	uint32_t *ev_cons = idx(a->cmd, a->s.event_off.consumer);
	const struct ix_event *e;
	unsigned int bad = 0;
	uint32_t evc = *ev_cons;

	for (; evc != __atomic_load_n(ev_prod, __ATOMIC_ACQUIRE); evc++) {
		e = (const struct ix_event *)(a->ev + a->s.event_off.entries) +
		    (evc & (a->s.event_entries - 1));
		if (!event_ok(e, why + (bad ? len / 2 : 0), bad ? len / 2 : len))
			bad++;
	}
	__atomic_store_n(ev_cons, evc, __ATOMIC_RELEASE);
	return bad;
}

/*
 * Random and adversarial commands, with a second thread scribbling on
 * every fourth slot.  Each answer is the one the kernel's checks give
 * (net/ixdp/app_cmd.c, app_udp.c, app_timer.c), in its own slot, with
 * the rest of the slot as written; each event belongs to a command.
 * IX_HOSTILE_SECONDS may pass the harness's default 30 s per test.
 */
TEST_F_TIMEOUT(bound, random_commands_with_scribbler, 300)
{
	const char *env = getenv("IX_HOSTILE_SECONDS");
	struct app *a = &self->a;
	time_t end = time(NULL) + (env ? atoi(env) : 20);
	uint32_t *cons = idx(a->cmd, a->s.cmd_off.consumer);
	uint64_t x = 0x2545f4914f6cdd1dULL, runs = 0, bad = 0;
	uint32_t i, done = 0, n;
	struct ix_run r;
	struct ix_cmd *c;
	char why[320];
	pthread_t t;
	int64_t res;
	time_t stop;

	model_init(a);
	for (i = 0; i < ENTRIES; i++)
		slot(a, i)->result = SENTINEL;
	scribbling = 1;
	ASSERT_EQ(0, pthread_create(&t, NULL, scribble, a));
	for (;;) {
		/* Fill what the kernel consumed, up to half the ring ahead. */
		while (time(NULL) < end && a->prod - done < ENTRIES / 2) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			c = &m.mine[a->prod % ENTRIES];
			if (SCRIBBLED(a->prod))
				gen_scribbled(c, x);
			else
				gen_mine(a, c, x);
			c->result = SENTINEL;
			*slot(a, a->prod++) = *c;
		}
		if (a->prod == done)
			break;
		__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
				 __ATOMIC_RELEASE);
		r = (struct ix_run){ .timeout_us = 100 };
		ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
		runs++;
		n = __atomic_load_n(cons, __ATOMIC_ACQUIRE) - done;
		ASSERT_EQ(n, r.commands);
		ASSERT_GE(a->prod - done, n);
		/* Each consumed slot answered as it must be, the rest untouched. */
		for (i = done; i < done + n; i++) {
			c = slot(a, i);
			m.checked++;
			if (SCRIBBLED(i)) {
				if (c->op == m.mine[i % ENTRIES].op &&
				    c->flags == 0 &&
				    c->handle == m.mine[i % ENTRIES].handle &&
				    scribbled_ok(c, c->result))
					continue;
				snprintf(why, sizeof(why), "scribbled op %u: %lld",
					 c->op, (long long)c->result);
			} else if (memcmp(c, &m.mine[i % ENTRIES],
					  offsetof(struct ix_cmd, result))) {
				snprintf(why, sizeof(why), "slot rewritten");
			} else if (answer_ok(a, c, c->result, why, sizeof(why))) {
				if (c->result >= 0 && c->op < IX_CMD_LAST)
					m.succeeded[c->op]++;
				continue;
			}
			bad++;
			EXPECT_EQ(0, bad) {
				TH_LOG("command %u: %s", i, why);
				TH_LOG("op %u flags %u handle %#x arg0 %#llx arg1 %#llx",
				       c->op, c->flags, c->handle,
				       (unsigned long long)c->arg0,
				       (unsigned long long)c->arg1);
			}
		}
		for (; i < a->prod; i++)
			EXPECT_EQ(SENTINEL, slot(a, i)->result)
				TH_LOG("slot %u answered before it ran", i);
		done += n;
		/* Every event belongs to a command. */
		n = drain_events(a, why, sizeof(why));
		bad += n;
		EXPECT_EQ(0, n) TH_LOG("%u bad events, as %s", n, why);
		if (bad > 20)
			break;
	}
	scribbling = 0;
	pthread_join(t, NULL);
	TH_LOG("%llu runs, %llu commands checked", (unsigned long long)runs,
	       (unsigned long long)m.checked);
	for (i = 0; i < IX_CMD_LAST; i++)
		TH_LOG("opcode %u: %llu of ours succeeded", i,
		       (unsigned long long)m.succeeded[i]);
	EXPECT_EQ(0, *idx(a->ev, a->s.event_off.dropped));
	/*
	 * Cancel the timers still armed (some for hours): each is cancelled
	 * or has fired, and then its event is due.  Wait for those.
	 */
	for (i = 0; i < KNOWN && !bad; i++) {
		if (m.tmr[i].state != ARMED)
			continue;
		/* Room for the events the run may bring. */
		n = drain_events(a, why, sizeof(why));
		bad += n;
		EXPECT_EQ(0, n) TH_LOG("%u bad events, as %s", n, why);
		c = &(struct ix_cmd){ .op = IX_CMD_TIMER_CANCEL,
				      .handle = m.tmr[i].h };
		res = one_checked(a, c);
		EXPECT_TRUE(answer_ok(a, c, res, why, sizeof(why)))
			TH_LOG("cancel at the end: %s", why);
	}
	stop = time(NULL) + 30;
	do {
		n = drain_events(a, why, sizeof(why));
		bad += n;
		EXPECT_EQ(0, n) TH_LOG("%u bad events, as %s", n, why);
		r = (struct ix_run){ .timeout_us = 10000 };
		ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	} while (m.armed && time(NULL) < stop && !bad);
	n = drain_events(a, why, sizeof(why));
	EXPECT_EQ(0, n) TH_LOG("%u bad events, as %s", n, why);
	EXPECT_EQ(0, m.armed) TH_LOG("timers armed but never fired");
	/* Every send of ours was followed by its sent event. */
	while (m.sent_head != m.sent_tail && m.sent[m.sent_head % NSENT].optional)
		m.sent_head++;
	EXPECT_EQ(m.sent_head, m.sent_tail) TH_LOG("sent events missing");
	/* The kernel still answers. */
	EXPECT_EQ(0, one(a, &(struct ix_cmd){ .op = IX_CMD_NOP }));
	for (i = 4242; has_port(m.lsn, m.nlsn, i); i++)
		;
	EXPECT_EQ(m.nlsn == LISTENERS ? -ENOSPC : 0,
		  one(a, &(struct ix_cmd){ .op = IX_CMD_TCP_LISTEN, .arg0 = i,
					   .arg1 = 1 }));
}

TEST_HARNESS_MAIN
