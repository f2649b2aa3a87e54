// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction count of one 64-byte request and response through the
 * stack, for `make bench` under valgrind's callgrind: two stacks, a
 * client and a UDP echo server, wired back to back in memory.
 *
 * Only rr_once() is counted (callgrind --toggle-collect=rr_once): the
 * client's send, the server's receive, echo and send, the client's
 * receive.  Handing a frame from one stack to the other is moving a
 * pointer (the "driver" here); ARP is resolved before counting starts.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"

#define NBUFS		512
#define MSG_LEN		64
#define PORT		7

struct end {
	struct ixdp_stack	s;
	struct ixdp_pool	pool;
	struct ixdp_buf		*out[8];
	unsigned int		nout;
	unsigned long		got;
};

static struct end client, server;

static int end_xmit(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct end *e = container_of(s, struct end, s);

	if (e->nout == 8) {
		ixdp_buf_put(b);
		return -1;
	}
	e->out[e->nout++] = b;
	return 0;
}

static const struct ixdp_stack_ops end_ops = { .xmit = end_xmit };

/* The wire: hand everything @from sent to @to. */
static void deliver(struct end *from, struct end *to)
{
	unsigned int i;

	for (i = 0; i < from->nout; i++)
		ixdp_eth_rx(&to->s, from->out[i]);
	from->nout = 0;
}

static void echo_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		    __be32 saddr, __be16 sport)
{
	server.got++;
	ixdp_udp_send(s, b, cpu_to_be16(PORT), saddr, sport);
}

static void client_rx(struct ixdp_stack *s, void *cookie, struct ixdp_buf *b,
		      __be32 saddr, __be16 sport)
{
	client.got++;
	ixdp_buf_put(b);
}

static void end_init(struct end *e, const u8 *mac, u32 ip)
{
	struct ixdp_stack_config cfg = { .prefix_len = 24, .hz = 1000 };
	unsigned int i;

	memcpy(cfg.mac, mac, ETH_ALEN);
	cfg.addr = cpu_to_be32(ip);
	ixdp_pool_init(&e->pool);
	for (i = 0; i < NBUFS; i++)
		ixdp_pool_add(&e->pool, malloc(IXDP_BUF_SIZE), IXDP_BUF_SIZE);
	if (ixdp_stack_init(&e->s, &cfg, &end_ops, &e->pool, 0)) {
		fprintf(stderr, "stack init failed\n");
		exit(1);
	}
}

static void send_request(void)
{
	struct ixdp_buf *b = ixdp_buf_get(&client.pool);

	ixdp_buf_reset(b, IXDP_BUF_HEADROOM);
	memset(ixdp_buf_put_tail(b, MSG_LEN), 'x', MSG_LEN);
	ixdp_udp_send(&client.s, b, cpu_to_be16(40000), server.s.cfg.addr,
		      cpu_to_be16(PORT));
}

/* One request and its response: the only function callgrind counts. */
static noinline void rr_once(void)
{
	send_request();
	deliver(&client, &server);
	deliver(&server, &client);
}

int main(int argc, char **argv)
{
	static const u8 cmac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	static const u8 smac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };
	unsigned long i, n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;

	end_init(&client, cmac, 0xc6120001);	/* 198.18.0.1 */
	end_init(&server, smac, 0xc6120002);	/* 198.18.0.2 */
	ixdp_udp_bind(&server.s, cpu_to_be16(PORT), echo_rx, NULL);
	ixdp_udp_bind(&client.s, cpu_to_be16(40000), client_rx, NULL);

	/* Warm up: ARP both ways, caches. */
	for (i = 0; i < 4; i++) {
		send_request();
		deliver(&client, &server);
		deliver(&server, &client);
		deliver(&client, &server);
		deliver(&server, &client);
	}
	client.got = 0;
	for (i = 0; i < n; i++)
		rr_once();
	if (client.got != n) {
		fprintf(stderr, "%lu of %lu responses\n", client.got, n);
		return 1;
	}
	printf("iterations %lu\n", n);
	return 0;
}
