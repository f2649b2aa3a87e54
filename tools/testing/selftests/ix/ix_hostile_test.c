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
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/ix.h>

#include "../kselftest_harness.h"

#define SYS		"/sys/class/net/eth0/ixdp"
#define CPUS		"/sys/kernel/ixdp/cpus"
#define ENTRIES		256
#define TX_LEN		(64 * 4096)

/* Write @val to @path: 0 or -errno. */
static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if (n != (ssize_t)strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

/* eth0 was attached before the test (ix_neighbors.sh): leave it so. */
static int preattached;

static void detach_all(void)
{
	if (preattached)
		return;
	put(SYS "/attached", "0");
	put(CPUS, "\n");
}

/*
 * Why there is no bench to attach, or NULL: then the attach must work,
 * and a failure is the test's, not a reason to skip.
 */
static const char *unconfigured(void)
{
	if (access("/dev/ix", F_OK))
		return "/dev/ix missing (CONFIG_IXDP off?)";
	if (access(SYS, F_OK))
		return SYS " missing (no eth0 on the bench?)";
	if (geteuid())
		return "needs root";
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return "needs CPU 1";
	return NULL;
}

/* The write attach() failed at. */
static const char *attach_step;

/* Attach eth0 with CPU 1, as ix_attach.sh does: 0 or -errno. */
static int attach(void)
{
	static const char *const steps[][2] = {
		{ CPUS, "1" }, { SYS "/queues", "0-1" }, { SYS "/cpus", "1" },
		{ SYS "/addr", "198.18.0.10/24" }, { SYS "/attached", "1" },
	};
	char buf[4] = "";
	unsigned int i;
	int fd, err;

	fd = open(SYS "/attached", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && buf[0] == '1')
		preattached = 1;
	if (fd >= 0)
		close(fd);
	if (preattached)
		return 0;
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		err = put(steps[i][0], steps[i][1]);
		if (err) {
			attach_step = steps[i][0];
			detach_all();
			return err;
		}
	}
	return 0;
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

FIXTURE(bound) {
	struct app a;
};

FIXTURE_SETUP(bound)
{
	const char *why = unconfigured();
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
	const char *why = unconfigured();
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
	BAD(flags, 1, EINVAL);
	BAD(resv[4], 1, EINVAL);
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
	EXPECT_EQ(0, CMD(.op = IX_CMD_TCP_ABORT, .handle = h));
	EXPECT_EQ(-ESTALE, CMD(.op = IX_CMD_TCP_ABORT, .handle = h));
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
	/* Each UDP send causes an event; nobody reads them for now. */
	for (i = 0; i < 200; i++)
		*slot(a, a->prod++) = (struct ix_cmd){
			.op = IX_CMD_UDP_SEND, .handle = 16, .result = 12345,
			.arg0 = 0xc6120003ULL | 9ULL << 32 | 4000ULL << 48,
		};
	__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(200, *cons);
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
	EXPECT_EQ(256, *cons);
	EXPECT_EQ(256, *ev_prod);
	EXPECT_EQ(0, *dropped);
	/* Read the events: the rest run. */
	__atomic_store_n(idx(a->cmd, a->s.event_off.consumer), *ev_prod,
			 __ATOMIC_RELEASE);
	r = (struct ix_run){ 0 };
	ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
	EXPECT_EQ(400, *cons);
	EXPECT_EQ(400, *ev_prod);
	EXPECT_EQ(0, *dropped);
	/* Every slot answered (sends may fail while ARP resolves). */
	for (i = 0; i < ENTRIES; i++)
		EXPECT_NE(12345, slot(a, i)->result) TH_LOG("slot %u", i);
}

static volatile int scribbling;

/* Rewrite command slots while the kernel reads them. */
static void *scribble(void *arg)
{
	struct app *a = arg;
	uint64_t x = 88172645463325252ULL;
	uint64_t *p;

	while (scribbling) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p = (uint64_t *)slot(a, x >> 40);
		p[(x >> 20) % 8] = x;
	}
	return NULL;
}

/* Random and adversarial commands, with a second thread scribbling. */
/* IX_HOSTILE_SECONDS may pass the harness's default 30 s per test. */
TEST_F_TIMEOUT(bound, random_commands_with_scribbler, 300)
{
	const char *env = getenv("IX_HOSTILE_SECONDS");
	struct app *a = &self->a;
	time_t end = time(NULL) + (env ? atoi(env) : 20);
	uint64_t x = 0x2545f4914f6cdd1dULL, runs = 0;
	int64_t res;
	struct ix_run r;
	struct ix_cmd *c;
	pthread_t t;
	uint32_t i;

	scribbling = 1;
	ASSERT_EQ(0, pthread_create(&t, NULL, scribble, a));
	while (time(NULL) < end) {
		for (i = 0; i < ENTRIES / 2; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			c = slot(a, a->prod++);
			c->op = x % (IX_CMD_LAST + 2);
			c->flags = !(x & 0xf00);
			c->handle = x & 0x100 ? x >> 32 : (x >> 32) & 0x1ff;
			c->arg0 = x & 0x200 ? x * 31 : (x >> 8) % TX_LEN;
			c->arg1 = x & 0x400 ? x >> 3 : (x >> 16) % 20;
			c->cookie = x;
			memset(c->resv, 0, sizeof(c->resv));
			if (c->op == IX_CMD_TCP_SENDV && !(x & 0x3000))
				memcpy(a->tx + (c->arg0 & ~15ULL) % TX_LEN, &x,
				       sizeof(x));
		}
		__atomic_store_n(idx(a->cmd, a->s.cmd_off.producer), a->prod,
				 __ATOMIC_RELEASE);
		r = (struct ix_run){ .timeout_us = 100 };
		ASSERT_EQ(0, ioctl(a->fd, IX_IOC_RUN, &r));
		__atomic_store_n(idx(a->cmd, a->s.event_off.consumer),
				 *idx(a->ev, a->s.event_off.producer),
				 __ATOMIC_RELEASE);
		runs++;
	}
	scribbling = 0;
	pthread_join(t, NULL);
	TH_LOG("%llu runs of %u random commands", (unsigned long long)runs,
	       ENTRIES / 2);
	/* The kernel still answers, and every answer is an errno or more. */
	EXPECT_EQ(0, one(a, &(struct ix_cmd){ .op = IX_CMD_NOP }));
	/* Random listens may have filled the listen table: that is all. */
	res = one(a, &(struct ix_cmd){ .op = IX_CMD_TCP_LISTEN, .arg0 = 4242,
				       .arg1 = 1 });
	EXPECT_TRUE(res == 0 || res == -ENOSPC || res == -EADDRINUSE)
		TH_LOG("listen after the storm: %lld", (long long)res);
}

TEST_HARNESS_MAIN
