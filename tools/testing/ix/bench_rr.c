// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction count of one 64-byte request and response through the
 * stack, for `make bench` under valgrind's callgrind: two stacks, a
 * client and an echo server, wired back to back in memory, over UDP
 * ("udp") or over an established TCP connection ("tcp"; "tcp_offload"
 * as with a NIC that computes and verifies TCP checksums, as IX's 82599
 * did, leaving the IPv4 header checksum to software).
 *
 * Only rr_once() is counted (callgrind --toggle-collect=rr_once): the
 * client's send, the server's receive, echo and send, the client's
 * receive, and for TCP the acknowledgements that ride on them.  Handing a
 * frame from one stack to the other is moving a pointer (the "driver"
 * here); ARP and the TCP handshake happen before counting starts.
 *
 * "punt_limited" counts instead what a frame of a flood aimed at Linux
 * costs the server's stack once its punt bucket is empty (punt.c): a
 * 64-byte UDP datagram to another address, received, classified, refused
 * by the bucket and its buffer put back (flood_once()).  The driver's
 * part (descriptor, refill) is not in it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/checksum.h>

#include "stack.h"
#include "tcp.h"

#define NBUFS		512
#define MSG_LEN		64
#define PORT		7

struct end {
	struct ixdp_stack	s;
	struct ixdp_pool	pool;
	struct ixdp_buf		descs[NBUFS];
	struct ixdp_buf		*out[8];
	unsigned int		nout;
	unsigned long		got;
};

static struct end client, server;
static int use_tcp, offload;
static u32 client_handle;
static struct ixdp_tcp *client_tcp, *server_tcp;
static const char request[MSG_LEN] = "ixdp request-response benchmark";
/* The server's echo waits for its ACK before its buffer goes back. */
static struct ixdp_buf *held[64];
static unsigned int nheld;

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

/* Never reached in the count: the bucket is empty by then. */
static int end_punt(struct ixdp_stack *s, struct ixdp_buf *b)
{
	ixdp_buf_put(b);
	return 0;
}

static const struct ixdp_stack_ops end_ops = { .xmit = end_xmit };
static const struct ixdp_stack_ops flood_ops = {
	.xmit	= end_xmit,
	.punt	= end_punt,
};

static int flood;

/* The wire: hand everything @from sent to @to. */
static void deliver(struct end *from, struct end *to)
{
	unsigned int i;

	for (i = 0; i < from->nout; i++) {
		/* A device with checksum offload completes and verifies L4. */
		if (offload)
			from->out[i]->flags = (from->out[i]->flags &
					       ~IXDP_BUF_CSUM_PARTIAL) |
					      IXDP_BUF_CSUM_OK;
		ixdp_eth_rx(&to->s, from->out[i]);
	}
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

static void srv_knock(struct ixdp_stack *s, void *lcookie, u32 handle,
		      __be32 raddr, __be16 rport)
{
	ixdp_tcp_accept(s, handle, NULL);
}

static void srv_recv(struct ixdp_stack *s, void *cookie, u32 handle,
		     struct ixdp_buf *b)
{
	struct ixdp_iov iov;

	if (!b)
		return;
	server.got++;
	iov.base = ixdp_buf_data(b);
	iov.len = b->len;
	ixdp_tcp_sendv(s, handle, &iov, 1);
	held[nheld++ % 64] = b;
}

static void srv_sent(struct ixdp_stack *s, void *cookie, u32 handle,
		     u32 acked, u32 space)
{
	/* Each echo is one buffer of MSG_LEN bytes. */
	while (acked >= MSG_LEN && nheld) {
		ixdp_buf_put(held[0]);
		ixdp_tcp_recv_done(s, handle, MSG_LEN, 1);
		memmove(held, held + 1, --nheld * sizeof(held[0]));
		acked -= MSG_LEN;
	}
}

static void cli_recv(struct ixdp_stack *s, void *cookie, u32 handle,
		     struct ixdp_buf *b)
{
	if (!b)
		return;
	client.got += b->len;
	ixdp_tcp_recv_done(s, handle, b->len, 1);
	ixdp_buf_put(b);
}

static void nop_connected(struct ixdp_stack *s, void *cookie, u32 handle,
			  int status)
{
}

static void nop_sent(struct ixdp_stack *s, void *cookie, u32 handle,
		     u32 acked, u32 space)
{
}

static void nop_dead(struct ixdp_stack *s, void *cookie, u32 handle,
		     int reason)
{
}

static const struct ixdp_tcp_ops srv_ops = {
	.knock = srv_knock, .connected = nop_connected, .recv = srv_recv,
	.sent = srv_sent, .dead = nop_dead,
};

static const struct ixdp_tcp_ops cli_ops = {
	.knock = srv_knock, .connected = nop_connected, .recv = cli_recv,
	.sent = nop_sent, .dead = nop_dead,
};

static void end_init(struct end *e, const u8 *mac, u32 ip)
{
	struct ixdp_stack_config cfg = { .prefix_len = 24, .hz = 1000 };
	unsigned int i;

	memcpy(cfg.mac, mac, ETH_ALEN);
	cfg.addr = cpu_to_be32(ip);
	if (offload)
		cfg.offload = IXDP_OFFLOAD_RX_CSUM | IXDP_OFFLOAD_TX_CSUM;
	/* The clock never moves: a burst of 16, then every frame refused. */
	cfg.punt_rate = 100;
	ixdp_pool_init(&e->pool, e->descs, NBUFS);
	for (i = 0; i < NBUFS; i++)
		ixdp_pool_add(&e->pool, malloc(IXDP_BUF_SIZE), IXDP_BUF_SIZE);
	if (ixdp_stack_init(&e->s, &cfg, flood ? &flood_ops : &end_ops,
			    &e->pool, 0)) {
		fprintf(stderr, "stack init failed\n");
		exit(1);
	}
}

static void send_request(void)
{
	struct ixdp_iov iov = { .base = request, .len = MSG_LEN };
	struct ixdp_buf *b;

	if (use_tcp) {
		ixdp_tcp_sendv(&client.s, client_handle, &iov, 1);
		return;
	}
	b = ixdp_buf_get(&client.pool);

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

/* A 64-byte frame to the server's MAC for 198.18.0.99, not its address. */
static void flood_frame(u8 *f, const u8 *dst, const u8 *src)
{
	struct ethhdr *eth = (struct ethhdr *)f;
	struct iphdr *iph = (struct iphdr *)(eth + 1);
	struct udphdr *uh = (struct udphdr *)(iph + 1);

	memset(f, 0, 64);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = cpu_to_be16(ETH_P_IP);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = cpu_to_be16(64 - ETH_HLEN);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = cpu_to_be32(0xc6120001);
	iph->daddr = cpu_to_be32(0xc6120063);
	iph->check = ip_fast_csum(iph, iph->ihl);
	uh->source = cpu_to_be16(40000);
	uh->dest = cpu_to_be16(9);
	uh->len = cpu_to_be16(64 - ETH_HLEN - sizeof(*iph));
}

/* One frame of the flood: the only function callgrind counts. */
static noinline void flood_once(struct ixdp_buf *b)
{
	ixdp_eth_rx(&server.s, b);
}

static int flood_run(unsigned long n, const u8 *smac, const u8 *cmac)
{
	u8 frame[64];
	struct ixdp_buf *b;
	unsigned long i;

	flood_frame(frame, smac, cmac);
	for (i = 0; i < n + 16; i++) {
		b = ixdp_buf_get(&server.pool);
		if (!b)
			return 1;
		ixdp_buf_reset(b, IXDP_BUF_RX_OFFSET);
		memcpy(ixdp_buf_put_tail(b, sizeof(frame)), frame,
		       sizeof(frame));
		flood_once(b);
	}
	/* The first 16 went to Linux, the rest were refused and freed. */
	if (server.s.stats.punted != 16 || server.s.stats.punt_limited != n) {
		fprintf(stderr, "punted %llu, limited %llu of %lu\n",
			(unsigned long long)server.s.stats.punted,
			(unsigned long long)server.s.stats.punt_limited, n);
		return 1;
	}
	printf("iterations %lu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	static const u8 cmac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 };
	static const u8 smac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };
	struct ixdp_tcp_config tcfg = { 0 };
	unsigned long i, n;

	if (argc < 3 || (strcmp(argv[1], "udp") && strcmp(argv[1], "tcp") &&
			 strcmp(argv[1], "tcp_offload") &&
			 strcmp(argv[1], "punt_limited"))) {
		fprintf(stderr,
			"usage: %s udp|tcp|tcp_offload|punt_limited ITERATIONS\n",
			argv[0]);
		return 2;
	}
	use_tcp = strncmp(argv[1], "tcp", 3) == 0;
	offload = !strcmp(argv[1], "tcp_offload");
	flood = !strcmp(argv[1], "punt_limited");
	n = strtoul(argv[2], NULL, 10);
	end_init(&client, cmac, 0xc6120001);	/* 198.18.0.1 */
	end_init(&server, smac, 0xc6120002);	/* 198.18.0.2 */
	if (flood)
		return flood_run(n, smac, cmac);
	ixdp_udp_bind(&server.s, cpu_to_be16(PORT), echo_rx, NULL);
	ixdp_udp_bind(&client.s, cpu_to_be16(40000), client_rx, NULL);
	if (use_tcp) {
		server_tcp = malloc(ixdp_tcp_size(IXDP_TCP_PCBS));
		client_tcp = malloc(ixdp_tcp_size(IXDP_TCP_PCBS));
		if (!server_tcp || !client_tcp ||
		    ixdp_tcp_init(&server.s, server_tcp, IXDP_TCP_PCBS, &tcfg,
				  &srv_ops) ||
		    ixdp_tcp_init(&client.s, client_tcp, IXDP_TCP_PCBS, &tcfg,
				  &cli_ops) ||
		    ixdp_tcp_listen(&server.s, cpu_to_be16(PORT), 4, NULL) ||
		    ixdp_tcp_connect(&client.s, server.s.cfg.addr,
				     cpu_to_be16(PORT), NULL, &client_handle)) {
			fprintf(stderr, "TCP setup failed\n");
			return 1;
		}
	}

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
	if (client.got != n * (use_tcp ? MSG_LEN : 1)) {
		fprintf(stderr, "%lu of %lu responses\n", client.got, n);
		return 1;
	}
	printf("iterations %lu\n", n);
	return 0;
}
