// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction count of the server's side of one 64-byte TCP
 * request-response, for `make bench-insn` under valgrind's callgrind: an
 * echo application on libix (its callbacks written as tools/ix/apps/
 * ix_echo.c's: copy into a send ring in the TX memory, sendv,
 * recv_done), libix itself, the command and event rings and the stack,
 * net/ixdp/app*.c and the stack files unchanged, over the environment
 * of app_env.h (bench_dev.c is /dev/ix).
 *
 * Counted (callgrind --toggle-collect=server_rr, from measure_start()
 * on): two ix_run() calls per request-response, the first taking the
 * request in (the run ioctl's loop polls the frame through the stack,
 * which posts a recv and a sent event; libix calls the application
 * back, which queues a sendv and a recv_done), the second sending the
 * reply (the commands processed, the segment built and handed to the
 * device).  Each run is one iteration of the run ioctl's loop, since
 * the application asks for no waiting (timeout 0): ixdp_stack_advance()
 * there and again in the poll, as loop.c's poll does.
 *
 * With CONNS > 1 (at most BENCH_CONNS_MAX), the client has as many
 * connections, each with one request in flight: the two runs then take
 * CONNS requests in and send CONNS replies, as a loaded server's runs
 * do, and the count is divided by the requests.
 *
 * Not counted: the client (app_env's peer stack, which echoes the reply
 * back as the next request); the device (env_core_rx(), the copy of a
 * frame into a pool buffer, and env_core_xmit(), taking the reply); the
 * system call's entry and exit (bench_dev.c's ioctl, which copies
 * struct ix_run in and out as the kernel's does, is counted); and the
 * queue work of loop.c's poll, which app_env.c does not have: reclaiming
 * sent frames, refilling the receive ring, queueing and flushing frames
 * to the driver.  bench_insn.sh splits the count into RX, application
 * interface and TX.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/compiler.h>

#include "../../lib/ix/libix.h"
#include "bench_dev.h"

#define PORT		7
#define MSG_LEN		64
#define MAX_CONNS	BENCH_CONNS_MAX
#define STREAM_SIZE	(128 * 1024)
#define PENDING_MAX	256

struct pending {
	const uint8_t	*data;
	uint32_t	len;
};

struct conn {
	int		live;
	struct ix_stream st;
	unsigned int	npend;
	unsigned int	pend_head;
	struct pending	pend[PENDING_MAX];
};

static struct conn conns[MAX_CONNS];
static uint8_t *stream_mem;
static unsigned long long n_conns, n_bytes;
static unsigned int client_conns = 1;

static struct conn *conn_of(uint32_t handle)
{
	return &conns[(handle & 0xffff) % MAX_CONNS];
}

/* Copy what waits into the send ring; give it back to the kernel. */
static void drain(struct ix_ctx *ctx, struct conn *c)
{
	struct pending *p;
	uint32_t n;

	while (c->npend) {
		p = &c->pend[c->pend_head];
		n = ix_stream_write(&c->st, p->data, p->len);
		if (n)
			ix_tcp_recv_done(ctx, c->st.handle, n);
		n_bytes += n;
		p->data += n;
		p->len -= n;
		if (p->len)
			break;
		c->pend_head = (c->pend_head + 1) % PENDING_MAX;
		c->npend--;
	}
	ix_stream_flush(&c->st);
}

static void on_knock(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		     uint32_t addr, uint16_t port)
{
	struct conn *c = conn_of(handle);

	if (c->live) {
		ix_tcp_reject(ctx, handle);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->live = 1;
	ix_stream_init(&c->st, ctx, handle,
		       stream_mem + (size_t)(c - conns) * STREAM_SIZE,
		       STREAM_SIZE);
	ix_tcp_accept(ctx, handle, handle);
	n_conns++;
}

static void on_recv(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    const void *data, uint32_t len)
{
	struct conn *c = conn_of(handle);

	if (!c->live || !len || c->npend == PENDING_MAX)
		return;
	c->pend[(c->pend_head + c->npend++) % PENDING_MAX] =
		(struct pending){ data, len };
	drain(ctx, c);
}

static void on_sent(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    uint32_t acked, uint32_t space)
{
	struct conn *c = conn_of(handle);

	if (!c->live)
		return;
	ix_stream_acked(&c->st, acked);
	drain(ctx, c);
}

static void on_done(struct ix_ctx *ctx, const struct ix_cmd *cmd)
{
	struct conn *c;

	if (cmd->op != IX_CMD_TCP_SENDV)
		return;
	c = conn_of(cmd->handle);
	if (!c->live || &c->st != (struct ix_stream *)(uintptr_t)cmd->cookie)
		return;
	ix_stream_done(&c->st, cmd);
	drain(ctx, c);
}

static void on_dead(struct ix_ctx *ctx, uint64_t cookie, uint32_t handle,
		    int status)
{
	conn_of(handle)->live = 0;
}

static const struct ix_ops echo_ops = {
	.done	= on_done,
	.knock	= on_knock,
	.recv	= on_recv,
	.sent	= on_sent,
	.dead	= on_dead,
};

/* The request in, the reply out: the only function callgrind counts. */
static noinline void server_rr(struct ix_ctx *ctx)
{
	ix_run(ctx, 0, 0);
	ix_run(ctx, 0, 0);
}

/* Where counting starts (callgrind --zero-before): after the warm-up. */
noinline void measure_start(void)
{
	__asm__ volatile("");
}

/* One request-response; the client's part is not counted. */
static int rr(struct ix_ctx *ctx)
{
	uint64_t before = bench_client_bytes();

	server_rr(ctx);
	bench_client_pump();
	return bench_client_bytes() == before + MSG_LEN * client_conns ? 0 : -1;
}

static int bench_start(struct ix_ctx *ctx)
{
	unsigned int i, j;
	size_t len;

	if (ix_open(ctx, 0, MAX_CONNS * STREAM_SIZE, &echo_ops, NULL))
		return -1;
	stream_mem = ix_tx_mem(ctx, &len);
	if (ix_tcp_listen(ctx, PORT, MAX_CONNS, 0) || ix_run(ctx, 0, 0) < 0)
		return -1;
	/* The handshakes, one by one, then the first requests. */
	for (i = 0; i < client_conns; i++) {
		if (bench_client_connect(PORT))
			return -1;
		for (j = 0; j < 8; j++) {
			ix_run(ctx, 0, 0);
			bench_client_pump();
		}
	}
	if (n_conns != client_conns || bench_client_send(MSG_LEN) < 0)
		return -1;
	/* Warm up: caches, the stream ring, the windows. */
	for (i = 0; i < 64; i++)
		if (rr(ctx))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char * const modes[] = { "tcp_sw", "tcp_vm",
					      "tcp_offload" };
	unsigned long i, n;
	struct ix_ctx ctx;
	int mode;

	for (mode = 0; (argc == 3 || argc == 4) && mode < 3; mode++)
		if (!strcmp(argv[1], modes[mode]))
			break;
	if (argc == 4)
		client_conns = strtoul(argv[3], NULL, 10);
	if (argc < 3 || argc > 4 || mode == 3 || !client_conns ||
	    client_conns > MAX_CONNS) {
		fprintf(stderr, "usage: %s tcp_sw|tcp_vm|tcp_offload ITERATIONS [CONNS]\n",
			argv[0]);
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	bench_dev_config(mode);
	if (bench_start(&ctx)) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	measure_start();
	for (i = 0; i < n; i++) {
		if (rr(&ctx)) {
			fprintf(stderr, "no reply to request %lu\n", i);
			return 1;
		}
	}
	ix_close(&ctx);
	if (bench_dev_fini()) {
		fprintf(stderr, "frames dropped or buffers lost\n");
		return 1;
	}
	printf("iterations %lu, %llu bytes echoed\n", n, n_bytes);
	return 0;
}
