// SPDX-License-Identifier: GPL-2.0
/*
 * UDP and timers of the /dev/ix ABI, through libix: datagrams echoed to
 * the Linux peer (namespace "peer") with every byte verified, the
 * errors of bad UDP commands, timers that fire in order and never early,
 * cancelled timers that never fire, and connection attempts that all
 * time out while the event ring is full and are all still reported.
 *
 * Needs eth0 attached with CPU 1: the fixture does it through sysfs.  It
 * skips without /dev/ix, eth0's ixdp directory, root or CPU 1, and fails
 * if the attach fails on a bench that has them.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../../../lib/ix/libix.h"
#include "../kselftest_harness.h"
#include "ix_bench.h"

#define SYS		IX_SYS
#define DP_ADDR		0xc612000a	/* 198.18.0.10 */
#define UDP_PORT	9000
#define NDGRAMS		200
#define NOWHERE		0xc612004d	/* 198.18.0.77: no host answers */
#define NCONNECTS	1500		/* more than libix's 1024 events */

/* The write ix_attach("0", &attach_step) failed at. */
static const char *attach_step;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* What the callbacks saw. */
static struct {
	int64_t		result[64];	/* by command cookie */
	uint64_t	fired[16];	/* timer cookies, in firing order */
	double		fired_at[16];
	unsigned int	nfired;
	unsigned int	nrecv;
	unsigned int	nsent;
	const void	*held;		/* last datagram, not given back */
	uint32_t	addr;
	uint16_t	port;
	unsigned int	nconnect_err;	/* connect commands refused */
	unsigned int	nconnected;	/* connected events */
	unsigned int	ntimedout;	/* of them with -ETIMEDOUT */
} seen;

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	if (cmd->cookie < 64)
		seen.result[cmd->cookie] = cmd->result;
	if (cmd->op == IX_CMD_TCP_CONNECT && cmd->result < 0)
		seen.nconnect_err++;
}

static void on_connected(struct ix_ctx *ctx, uint64_t cookie,
			 uint32_t handle, int status)
{
	seen.nconnected++;
	if (status == -ETIMEDOUT)
		seen.ntimedout++;
}

static void on_timer(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle)
{
	if (seen.nfired < 16) {
		seen.fired_at[seen.nfired] = now_ms();
		seen.fired[seen.nfired++] = cookie;
	}
}

/* Echo: copy the datagram into the TX memory and send it back. */
static void on_udp_recv(struct ix_ctx *ctx, uint64_t cookie, const void *data,
			uint32_t len, uint32_t addr, uint16_t port)
{
	static unsigned int next;
	size_t room;
	uint8_t *tx = ix_tx_mem(ctx, &room);

	/* Its own 2 KiB of TX memory: the copy happens at the next run. */
	tx += (size_t)(next++ % (room / 2048)) * 2048;
	seen.nrecv++;
	seen.addr = addr;
	seen.port = port;
	if (cookie == 2) {	/* the "hold" binding keeps it */
		seen.held = data;
		return;
	}
	memcpy(tx, data, len);
	ix_udp_send(ctx, ntohl(addr), ntohs(port), UDP_PORT, tx, len, 63);
	ix_udp_recv_done(ctx, data);
}

static void on_udp_sent(struct ix_ctx *ctx, uint64_t cookie, int status)
{
	if (!status)
		seen.nsent++;
}

static const struct ix_ops ops = {
	.done		= on_done,
	.connected	= on_connected,
	.timer		= on_timer,
	.udp_recv	= on_udp_recv,
	.udp_sent	= on_udp_sent,
};

/* Queue one raw command with cookie @k and run until it is answered. */
static int64_t cmd(struct ix_ctx *ctx, uint16_t op, uint32_t handle,
		   uint64_t arg0, uint64_t arg1, uint64_t k)
{
	struct ix_cmd *c = ix_cmd_get(ctx);

	seen.result[k] = 12345;
	c->op = op;
	c->handle = handle;
	c->arg0 = arg0;
	c->arg1 = arg1;
	c->cookie = k;
	ix_run(ctx, 0, 0);
	return seen.result[k];
}

FIXTURE(app) {
	struct ix_ctx ctx;
};

FIXTURE_SETUP(app)
{
	int err;

	const char *why = ix_unconfigured();

	memset(&seen, 0, sizeof(seen));
	/* Skip without a bench; with one, fail if it cannot be attached. */
	if (why)
		SKIP(return, "%s", why);
	err = ix_attach("0", &attach_step);
	ASSERT_EQ(0, err) TH_LOG("attach: writing %s: %s", attach_step,
				 strerror(-err));
	err = ix_open(&self->ctx, 1, 1 << 20, &ops, NULL);
	ASSERT_EQ(0, err) TH_LOG("ix_open: %s", strerror(-err));
}

FIXTURE_TEARDOWN(app)
{
	ix_close(&self->ctx);
	ix_detach_all();
}

/*
 * A timer of T ms never fires before T ms from the moment its set command
 * was queued, and fires within LATE_MS of T ms from the moment it was
 * answered: generous, as the VM runs under emulation.
 */
#define LATE_MS		2000

TEST_F(app, timers_in_order_never_early)
{
	static const unsigned int ms[] = { 60, 20, 40, 1 };
	struct ix_ctx *ctx = &self->ctx;
	unsigned int i, j, p, q, pos[64];
	double before, after, end, at;
	struct ix_cmd *c;

	/* All four in one run: one moment of setting, bounded both ways. */
	for (i = 0; i < 4; i++) {
		c = ix_cmd_get(ctx);
		ASSERT_NE(NULL, c);
		c->op = IX_CMD_TIMER_SET;
		c->arg0 = ms[i] * 1000;
		c->cookie = ms[i];
		seen.result[ms[i]] = 12345;
	}
	before = now_ms();
	ix_run(ctx, 0, 0);
	after = now_ms();
	for (i = 0; i < 4; i++)
		ASSERT_LE(0, seen.result[ms[i]]) TH_LOG("set %u ms", ms[i]);
	end = after + 60 + LATE_MS + 1000;
	while (seen.nfired < 4 && now_ms() < end)
		ix_run(ctx, 10000, IX_RUN_SLEEP);
	ASSERT_EQ(4, seen.nfired);
	memset(pos, 0, sizeof(pos));
	for (i = 0; i < 4; i++) {
		ASSERT_GT(64, seen.fired[i]);
		EXPECT_EQ(0, pos[seen.fired[i]]) TH_LOG("fired twice");
		pos[seen.fired[i]] = i + 1;
		at = seen.fired_at[i];
		EXPECT_LE(before + seen.fired[i], at)
			TH_LOG("timer of %llu ms fired early, after %.1f ms",
			       (unsigned long long)seen.fired[i], at - before);
		EXPECT_GE(after + seen.fired[i] + LATE_MS, at)
			TH_LOG("timer of %llu ms fired late, after %.1f ms",
			       (unsigned long long)seen.fired[i], at - after);
	}
	/*
	 * In order: p before q wherever q's earliest deadline is past p's
	 * latest by more than a tick.  A set that took long (emulation) may
	 * leave close timers unordered: those pairs are not compared.
	 */
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++) {
			p = ms[i];
			q = ms[j];
			if (before + q <= after + p + 2)
				continue;
			EXPECT_LT(pos[p], pos[q])
				TH_LOG("timer of %u ms fired after that of %u ms",
				       p, q);
		}
	TH_LOG("set in %.1f ms; fired %.1f %.1f %.1f %.1f ms after",
	       after - before, seen.fired_at[0] - before,
	       seen.fired_at[1] - before, seen.fired_at[2] - before,
	       seen.fired_at[3] - before);
}

TEST_F(app, cancelled_timer_never_fires)
{
	struct ix_ctx *ctx = &self->ctx;
	int64_t h, h2;
	double end;

	h = cmd(ctx, IX_CMD_TIMER_SET, 0, 30000, 0, 5);
	h2 = cmd(ctx, IX_CMD_TIMER_SET, 0, 60000, 0, 6);
	ASSERT_LE(0, h);
	ASSERT_LE(0, h2);
	EXPECT_EQ(0, cmd(ctx, IX_CMD_TIMER_CANCEL, h, 0, 0, 7));
	EXPECT_EQ(-ESTALE, cmd(ctx, IX_CMD_TIMER_CANCEL, h, 0, 0, 8));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_TIMER_CANCEL, 0xffff, 0, 0, 9));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_TIMER_SET, 0, 1ULL << 50, 0, 10));
	/*
	 * Wait for the 60 ms timer, however slow the VM: set after the
	 * 30 ms one, it fires after it, so had the cancelled one fired, its
	 * event would be in by then (events come in order).
	 */
	end = now_ms() + 60 + LATE_MS + 1000;
	while (!seen.nfired && now_ms() < end)
		ix_run(ctx, 10000, IX_RUN_SLEEP);
	ix_run(ctx, 0, 0);
	ASSERT_EQ(1, seen.nfired);
	EXPECT_EQ(6, seen.fired[0]);
	/* It fired: its handle is stale now. */
	EXPECT_EQ(-ESTALE, cmd(ctx, IX_CMD_TIMER_CANCEL, h2, 0, 0, 11));
}

TEST_F(app, udp_bad_commands)
{
	struct ix_ctx *ctx = &self->ctx;
	size_t room;
	uint64_t to = 0xc6120003ULL | 9ULL << 32 | 1000ULL << 48;
	uint64_t tx = ix_tx_off(ctx, ix_tx_mem(ctx, &room));

	EXPECT_EQ(0, cmd(ctx, IX_CMD_UDP_BIND, 0, UDP_PORT, 0, 1));
	EXPECT_EQ(-EADDRINUSE, cmd(ctx, IX_CMD_UDP_BIND, 0, UDP_PORT, 0, 2));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_BIND, 0, 0, 0, 3));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_BIND, 0, 1 << 16, 0, 4));
	EXPECT_EQ(-ENOENT, cmd(ctx, IX_CMD_UDP_UNBIND, 0, UDP_PORT + 1, 0, 5));
	EXPECT_EQ(0, cmd(ctx, IX_CMD_UDP_UNBIND, 0, UDP_PORT, 0, 6));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_SEND, 10, 0xc6120003, tx, 7));
	/* Only from a bound port. */
	EXPECT_EQ(-EADDRNOTAVAIL, cmd(ctx, IX_CMD_UDP_SEND, 10, to, tx, 14));
	EXPECT_EQ(0, cmd(ctx, IX_CMD_UDP_BIND, 0, 1000, 0, 15));
	EXPECT_EQ(-EFAULT, cmd(ctx, IX_CMD_UDP_SEND, 10, to, ctx->tx_len - 4,
			       8));
	EXPECT_EQ(-EFAULT, cmd(ctx, IX_CMD_UDP_SEND, 10, to, UINT64_MAX - 4,
			       9));
	EXPECT_EQ(-EMSGSIZE, cmd(ctx, IX_CMD_UDP_SEND, 1473, to, tx, 10));
	EXPECT_EQ(0, cmd(ctx, IX_CMD_UDP_SEND, 1472, to, tx, 11));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_RECV_DONE, 0, 0, 0, 12));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_RECV_DONE, 0, UINT64_MAX, 0,
			       13));
}

/*
 * The peer's datagrams, echoed; every byte checked on the peer's side.
 * Each starts with its index, so that each reply is matched to its
 * datagram: a resend's late duplicate reply (of an earlier index) is
 * dropped, never compared with the next datagram.  Exit status: 0, or
 * an index of peer_fail[].
 */
static const char *const peer_fail[] = {
	"", "a reply with wrong bytes", "no reply after 10 sends",
	"no peer namespace", "a reply to a datagram not sent yet",
};

static int peer_client(unsigned int n)
{
	struct sockaddr_in dp = { .sin_family = AF_INET,
				  .sin_port = htons(UDP_PORT),
				  .sin_addr.s_addr = htonl(DP_ADDR) };
	struct timeval tv = { .tv_sec = 1 };
	unsigned int i, k, len, tries, stale = 0;
	uint8_t out[1472], in[1500];
	int fd, nsfd;
	ssize_t got = -1;
	uint32_t tag;

	nsfd = open("/var/run/netns/peer", O_RDONLY);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET))
		return 3;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < n; i++) {
		len = sizeof(i) + (i * 97) % (sizeof(out) - sizeof(i));
		memcpy(out, &i, sizeof(i));
		for (k = sizeof(i); k < len; k++)
			out[k] = i * 31 + k;
		for (tries = 0; tries < 10; tries++) {
			sendto(fd, out, len, 0, (struct sockaddr *)&dp,
			       sizeof(dp));
			/* Until this datagram's reply, or a second's silence. */
			while ((got = recv(fd, in, sizeof(in), 0)) >= 0) {
				if (got < (ssize_t)sizeof(tag))
					return 1;
				memcpy(&tag, in, sizeof(tag));
				if (tag == i)
					break;
				if (tag > i)
					return 4;
				stale++;
			}
			if (got >= 0)
				break;
		}
		if (got < 0)
			return 2;
		if (got != len || memcmp(in, out, len))
			return 1;
	}
	if (stale)
		printf("# %u late duplicate replies dropped\n", stale);
	return 0;
}

TEST_F(app, udp_echo_to_the_peer)
{
	struct ix_ctx *ctx = &self->ctx;
	double end = now_ms() + 60000;
	int status = -1;
	pid_t pid;

	ASSERT_EQ(0, cmd(ctx, IX_CMD_UDP_BIND, 0, UDP_PORT, 0, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(peer_client(NDGRAMS));
	while (now_ms() < end) {
		ix_run(ctx, 10000, 0);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	if (now_ms() >= end)
		kill(pid, SIGKILL);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("peer: %s", WEXITSTATUS(status) < 5 ?
		       peer_fail[WEXITSTATUS(status)] : "?");
	EXPECT_LE(NDGRAMS, seen.nrecv);
	EXPECT_LE(NDGRAMS, seen.nsent);
	EXPECT_EQ(htonl(0xc6120003), seen.addr);
}

/* A datagram held by the application is given back once, not twice. */
TEST_F(app, udp_recv_done_once)
{
	struct ix_ctx *ctx = &self->ctx;
	double end = now_ms() + 20000;
	uint64_t off;
	int status;
	pid_t pid;

	ASSERT_EQ(0, cmd(ctx, IX_CMD_UDP_BIND, 0, UDP_PORT, 0, 2));
	/* Cookie 2 binding: on_udp_recv keeps the datagram. */
	ASSERT_EQ(0, ix_udp_unbind(ctx, UDP_PORT));
	ix_run(ctx, 0, 0);
	ASSERT_EQ(0, ix_udp_bind(ctx, UDP_PORT, 2));
	ix_run(ctx, 0, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(peer_client(1));
	while (!seen.held && now_ms() < end)
		ix_run(ctx, 10000, 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ASSERT_NE(NULL, seen.held);
	off = (const uint8_t *)seen.held - ctx->rx_pool;
	EXPECT_EQ(0, cmd(ctx, IX_CMD_UDP_RECV_DONE, 0, off, 0, 20));
	EXPECT_EQ(-EINVAL, cmd(ctx, IX_CMD_UDP_RECV_DONE, 0, off, 0, 21));
}

/*
 * A timer fires whether or not the event ring has room: NCONNECTS
 * attempts to a silent address time out together (one SYN retry, about
 * 3 s) while the application runs the loop without reading a single
 * event.  Every attempt is still reported once the ring is drained, in
 * order, and the kernel drops nothing.
 */
TEST_F(app, timeouts_wait_for_a_full_event_ring)
{
	struct ix_ctx *ctx = &self->ctx;
	struct ix_run run;
	unsigned int i;
	double end;

	ix_close(ctx);
	ix_detach_all();
	ASSERT_EQ(0, ix_put(SYS "/max_conns", "2048"));
	ASSERT_EQ(0, ix_put(SYS "/syn_retries", "1"));
	ASSERT_EQ(0, ix_attach("0", &attach_step)) TH_LOG("attach: writing %s", attach_step);
	ASSERT_EQ(0, ix_open(ctx, 1, 1 << 20, &ops, NULL));
	for (i = 0; i < NCONNECTS; i++)
		ASSERT_EQ(0, ix_tcp_connect(ctx, NOWHERE, 80, 1000 + i));
	ix_run(ctx, 0, 0);
	ASSERT_EQ(0, seen.nconnect_err);

	/* Run the loop for 6 s and leave every event in the ring. */
	end = now_ms() + 6000;
	while (now_ms() < end) {
		memset(&run, 0, sizeof(run));
		run.timeout_us = 10000;
		ASSERT_EQ(0, ioctl(ctx->fd, IX_IOC_RUN, &run));
	}
	EXPECT_EQ(0, seen.nconnected);
	/* The ring is full: the rest had to wait. */
	EXPECT_EQ(ctx->ev.mask + 1,
		  __atomic_load_n(ctx->ev.prod, __ATOMIC_ACQUIRE) -
		  ctx->ev.local);

	end = now_ms() + 10000;
	while (seen.nconnected < NCONNECTS && now_ms() < end)
		ix_run(ctx, 10000, 0);
	EXPECT_EQ(NCONNECTS, seen.nconnected);
	EXPECT_EQ(NCONNECTS, seen.ntimedout);
	EXPECT_EQ(0, __atomic_load_n(ctx->ev.dropped, __ATOMIC_RELAXED));
}

TEST_HARNESS_MAIN
