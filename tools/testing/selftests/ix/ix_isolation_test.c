// SPDX-License-Identifier: GPL-2.0
/*
 * No data crosses bindings (Documentation/networking/ixdp.rst, "Security
 * model"):
 * - application A receives and sends marker payloads over UDP and TCP
 *   and is killed; the echo service then carries a marker of its own;
 *   application B, bound next to the same core, scans its whole RX pool
 *   mapping and finds none of them;
 * - when a binding ends, its RX pool leaves the process: a thread of the
 *   bound process that outlives the bound thread gets SIGBUS there.
 *
 * Needs root, eth0 attached with CPU 1 (the fixture does it), and the
 * peer namespace of guest-init.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ix.h>

#include "../kselftest_harness.h"
#include "../../../lib/ix/libix.h"
#include "ix_bench.h"

#define UDP_PORT	7001
#define TCP_PORT	7002
#define ECHO_PORT	"7"
#define MARK_LEN	24

/* The markers: what the peer sends A, what A sends back, for the echo. */
enum { M_UDP_IN, M_UDP_OUT, M_TCP_IN, M_TCP_OUT, M_ECHO, M_NUM };
static const char *const mark_name[M_NUM] = {
	"UDP to A", "UDP from A", "TCP to A", "TCP from A", "echo service",
};
static char mark[M_NUM][MARK_LEN + 1];

static void make_marks(void)
{
	unsigned long long r;
	unsigned int i;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned long long)time(NULL) * 2654435761ULL;
	for (i = 0; i < M_NUM; i++)
		snprintf(mark[i], sizeof(mark[i]), "ixiso-%u-%016llx", i,
			 r);
}

/* Application A: answers each marker with its own, then waits to die. */
static void a_udp_recv(struct ix_ctx *ctx, uint64_t cookie, const void *data,
		       uint32_t len, uint32_t addr, uint16_t port)
{
	size_t room;
	uint8_t *tx = ix_tx_mem(ctx, &room);

	if (len == MARK_LEN && !memcmp(data, mark[M_UDP_IN], MARK_LEN)) {
		memcpy(tx, mark[M_UDP_OUT], MARK_LEN);
		ix_udp_send(ctx, ntohl(addr), ntohs(port), UDP_PORT, tx,
			    MARK_LEN, 1);
	}
	ix_udp_recv_done(ctx, data);
}

static void a_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t addr, uint16_t port)
{
	ix_tcp_accept(ctx, handle, 2);
}

static void a_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		   const void *data, uint32_t len)
{
	size_t room;
	uint8_t *tx = ix_tx_mem(ctx, &room);
	struct ix_iov *iov = (struct ix_iov *)(tx + 4096);

	if (len == MARK_LEN && !memcmp(data, mark[M_TCP_IN], MARK_LEN)) {
		memcpy(tx + 64, mark[M_TCP_OUT], MARK_LEN);
		memset(iov, 0, sizeof(*iov));
		iov->off = ix_tx_off(ctx, tx + 64);
		iov->len = MARK_LEN;
		ix_tcp_sendv(ctx, handle, iov, 1, 3);
	}
	if (len)
		ix_tcp_recv_done(ctx, handle, len);
}

static void application_a(int ready)
{
	static const struct ix_ops ops = {
		.knock = a_knock, .recv = a_recv, .udp_recv = a_udp_recv,
	};
	struct ix_ctx ctx;
	char c = 1;

	if (ix_open(&ctx, 1, 1 << 16, &ops, NULL) ||
	    ix_udp_bind(&ctx, UDP_PORT, 1) ||
	    ix_tcp_listen(&ctx, TCP_PORT, 4, 2))
		_exit(10);
	ix_run(&ctx, 0, 0);
	if (write(ready, &c, 1) != 1)
		_exit(11);
	for (;;)
		ix_run(&ctx, 10000, IX_RUN_SLEEP);
}

/* Read exactly @len bytes from @s within 10 s: 0 or -1. */
static int read_all(int s, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = s, .events = POLLIN };
	ssize_t n;

	while (len) {
		if (poll(&pfd, 1, 10000) != 1)
			return -1;
		n = recv(s, buf, len, 0);
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static int tcp_to(uint16_t port, unsigned int tries)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int s;

	inet_pton(AF_INET, IX_DP_ADDR, &a.sin_addr);
	while (tries--) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0)
			return -1;
		if (!connect(s, (struct sockaddr *)&a, sizeof(a)))
			return s;
		close(s);
		usleep(200000);
	}
	return -1;
}

/* The peer of A: a marker each way over UDP, then over TCP. */
static int peer_of_a(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(UDP_PORT) };
	struct pollfd pfd = { .events = POLLIN };
	char buf[MARK_LEN];
	int s, i, got = 0;

	if (ix_enter_peer())
		return 10;
	inet_pton(AF_INET, IX_DP_ADDR, &a.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		return 11;
	pfd.fd = s;
	for (i = 0; i < 10 && got < 4; i++) {
		if (send(s, mark[M_UDP_IN], MARK_LEN, 0) != MARK_LEN)
			return 12;
		if (poll(&pfd, 1, 1000) == 1 &&
		    recv(s, buf, sizeof(buf), 0) == MARK_LEN &&
		    !memcmp(buf, mark[M_UDP_OUT], MARK_LEN))
			got++;
	}
	close(s);
	if (got < 4)
		return 13;
	s = tcp_to(TCP_PORT, 5);
	if (s < 0)
		return 14;
	if (send(s, mark[M_TCP_IN], MARK_LEN, 0) != MARK_LEN)
		return 15;
	if (read_all(s, buf, MARK_LEN) ||
	    memcmp(buf, mark[M_TCP_OUT], MARK_LEN))
		return 16;
	close(s);
	return 0;
}

/* The echo service's client, once A is gone. */
static int peer_of_echo(void)
{
	char buf[MARK_LEN];
	int s;

	if (ix_enter_peer())
		return 10;
	s = tcp_to(atoi(ECHO_PORT), 25);
	if (s < 0)
		return 11;
	if (send(s, mark[M_ECHO], MARK_LEN, 0) != MARK_LEN)
		return 12;
	if (read_all(s, buf, MARK_LEN) || memcmp(buf, mark[M_ECHO], MARK_LEN))
		return 13;
	close(s);
	return 0;
}

/* Run @fn in a child: its exit status, or 255 if it did not exit. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int st;

	if (!pid)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 255;
	return WEXITSTATUS(st);
}

FIXTURE(iso) {
	int unused;
};

FIXTURE_SETUP(iso)
{
	const char *why = ix_unconfigured(), *step = "";
	int err;

	if (!why && access(IX_PEER_NS, F_OK))
		why = "needs the peer namespace";
	if (why)
		SKIP(return, "%s", why);
	make_marks();
	err = ix_attach(ECHO_PORT, &step);
	ASSERT_EQ(0, err) TH_LOG("attach: writing %s: %s", step,
				 strerror(-err));
}

FIXTURE_TEARDOWN(iso)
{
	ix_detach_all();
}

static const uint8_t *find(const uint8_t *p, size_t len, const char *m)
{
	return memmem(p, len, m, MARK_LEN);
}

TEST_F(iso, next_binding_sees_nothing_of_the_last)
{
	static const struct ix_ops none;
	const uint8_t *hit;
	struct ix_ctx ctx;
	int ready[2], st, i, found = 0;
	pid_t a;
	char c;

	ASSERT_EQ(0, pipe(ready));
	a = fork();
	if (!a)
		application_a(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("A did not bind");
	EXPECT_EQ(0, in_child(peer_of_a)) TH_LOG("A's peer failed");
	ASSERT_EQ(0, kill(a, SIGKILL));
	ASSERT_EQ(a, waitpid(a, &st, 0));
	/* The kernel's loop has the core back: its echo service serves. */
	EXPECT_EQ(0, in_child(peer_of_echo)) TH_LOG("echo's peer failed");

	ASSERT_EQ(0, ix_open(&ctx, 1, 0, &none, NULL));
	ASSERT_LT(0, ctx.setup.rx_pool_size);
	for (i = 0; i < M_NUM; i++) {
		hit = find(ctx.rx_pool, ctx.setup.rx_pool_size, mark[i]);
		if (hit) {
			found++;
			TH_LOG("%s's marker at offset %zu of the new binding's pool",
			       mark_name[i], (size_t)(hit - ctx.rx_pool));
		}
	}
	EXPECT_EQ(0, found);
	ix_close(&ctx);
}

/* The second test: a thread binds, maps the pool, says where, exits. */
static struct ix_ctx thread_ctx;
static sigjmp_buf on_bus;

static void *bound_thread(void *arg)
{
	static const struct ix_ops none;
	volatile uint8_t x;

	if (ix_open(&thread_ctx, 1, 0, &none, NULL))
		return (void *)1;
	x = thread_ctx.rx_pool[0];	/* readable while bound */
	(void)x;
	return NULL;
}

static void bus(int sig)
{
	siglongjmp(on_bus, 1);
}

/* 0: SIGBUS on the pool after the binding ended; else what went wrong. */
static int outlive_bound_thread(void)
{
	struct sigaction sa = { .sa_handler = bus };
	volatile uint8_t x;
	pthread_t t;
	void *ret;

	if (pthread_create(&t, NULL, bound_thread, NULL) ||
	    pthread_join(t, &ret))
		return 10;
	if (ret)
		return 11;
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(on_bus, 1))
		return 0;
	x = thread_ctx.rx_pool[thread_ctx.setup.rx_pool_size / 2];
	(void)x;
	return 12;
}

TEST_F(iso, pool_leaves_the_process_with_the_binding)
{
	EXPECT_EQ(0, in_child(outlive_bound_thread));
}

TEST_HARNESS_MAIN
