// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the command ring of /dev/ix.  An application bound to
 * a core (app_env.h: net/ixdp/app*.c unchanged, the rings and TX memory
 * as the kernel has them) writes random and structured commands, hostile
 * ring indices and TX memory, against a core with live TCP connections
 * and a UDP port, its peer stack answering on the other end of a link.
 *
 * Input: a config byte, then records.  Config bit 0: the application
 * listens on port 80 and the peer connects to it twice (the application
 * accepts); bit 1: the application connects to the peer's port 80 twice;
 * bit 2: it binds UDP port 7000 and the peer sends it a datagram; bit 3:
 * the core has 32 buffers rather than 256; bit 4: a command ring of 256
 * entries rather than 64; bit 5: the peer echoes what it receives; bit
 * 6: the application reads events only when a record says so (else after
 * every run); bit 7: no TX memory.  A record is a type byte, then:
 *   0: raw command: 64 bytes (zero-padded at the end of the input)
 *      written into the next slot, whatever they say
 *   1: structured command: op, sel, a (2 bytes), b (2 bytes), corrupt:
 *      a command of opcode op % IX_CMD_LAST built from what the
 *      application knows (sel picks a connection, knock, timer or
 *      datagram; sel bit 6 puts edge values in the last piece of a send
 *      vector; keepalive gets a few seconds, off, or what a and b say),
 *      then, unless corrupt is 0, one field made hostile (edge values,
 *      the TX memory's and the RX pool's sizes among them)
 *   2: run: one iteration of the run ioctl, then the peer's turn; a flag
 *      byte: bit 0 runs twice
 *   3: clock: 2-byte milliseconds
 *   4: hostile index: which (0: command producer, 1: event consumer,
 *      2: command consumer, 3: the flags and dropped words), 4-byte value,
 *      written over what the application keeps
 *   5: TX memory: 2-byte offset, length byte, that many bytes
 *   6: the peer: what (send on a connection, close it, abort it,
 *      connect to us, a datagram to 7000), sel, 2-byte length
 *   7: read the events
 * After every run the harness checks what the kernel promises: each
 * command consumed answered in its slot before the consumer index passed
 * it, and nothing else in the command ring written; the consumer index
 * never past the producer nor more than a ring ahead; the event ring not
 * overrun; every event well formed, and every RX buffer it names held
 * for the application (not free); no buffer put twice.  After teardown,
 * every buffer is back in its pool, every page unpinned.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/random.h>

#include "app_env.h"

#define CONF_LISTEN	0x01
#define CONF_CONNECT	0x02
#define CONF_UDP	0x04
#define CONF_SMALL_POOL	0x08
#define CONF_BIG_RING	0x10
#define CONF_ECHO	0x20
#define CONF_LAZY	0x40
#define CONF_NO_TX	0x80

#define APP_PORT	80
#define APP_UDP_PORT	7000
#define PEER_IP		0xc6120003
#define KNOWN		16

/* The harness's own checks need no coverage feedback: they only slow. */
#define NO_COV		__attribute__((no_sanitize("coverage")))

/* What the application knows, from results and events. */
struct known {
	u32	conn[KNOWN];
	u32	nconn;
	u32	knock[KNOWN];
	u32	nknock;
	u32	timer[KNOWN];
	u32	ntimer;
	u64	udp_off[KNOWN];
	u32	nudp;
	u64	rx_bytes[KNOWN];	/* per conn[], read, recv not done */
	/*
	 * A recv_done gave back what the application had not read, or it
	 * wrote an event consumer index of its own (the kernel cannot tell
	 * either from the truth): buffers its events name may be free.
	 */
	bool	reckless;
	/*
	 * It wrote an event consumer index of its own: the kernel may have
	 * read it and count the ring's room from it.
	 */
	bool	ev_lied;
};

static struct env env;
static struct known k;
static bool verbose;		/* FUZZ_CMD_VERBOSE set: print the events */
static uint8_t *cmd_copy;
static size_t cmd_copy_len;

static void add(u32 *v, u32 *n, u32 x)
{
	memmove(v + 1, v, (KNOWN - 1) * sizeof(*v));
	v[0] = x;
	if (*n < KNOWN)
		(*n)++;
}

static int conn_idx(u32 h)
{
	u32 i;

	for (i = 0; i < k.nconn; i++)
		if (k.conn[i] == h)
			return i;
	return -1;
}

/* An RX buffer the application was told of must not be free. */
static void check_rx(u64 off, u32 len)
{
	struct ixdp_pool *p = &env.core->pool;
	u64 slot = off / IXDP_BUF_SIZE;

	if (off + len > ixdp_rx_pool_size(env.core) || slot >= p->total ||
	    off % IXDP_BUF_SIZE + len > IXDP_BUF_SIZE ||
	    (!k.reckless && p->bufs[slot].flags & IXDP_BUF_FREE))
		__builtin_trap();
}

static void check_event(const struct ix_event *ev)
{
	int i;

	if (verbose)
		fprintf(stderr, "event %u status %d cookie %llx handle %x len %u data %llu\n",
			ev->type, ev->status, (unsigned long long)ev->cookie,
			ev->handle, ev->len, (unsigned long long)ev->data);

	if (!ev->type || ev->type >= IX_EV_LAST || ev->flags)
		__builtin_trap();
	switch (ev->type) {
	case IX_EV_TCP_KNOCK:
		add(k.knock, &k.nknock, ev->handle);
		break;
	case IX_EV_TCP_CONNECTED:
		if (ev->status > 0 || ev->status < -4095)
			__builtin_trap();
		break;
	case IX_EV_TCP_RECV:
		if (!ev->len)
			break;
		check_rx(ev->data, ev->len);
		i = conn_idx(ev->handle);
		if (i >= 0)
			k.rx_bytes[i] += ev->len;
		break;
	case IX_EV_TCP_DEAD:
		i = conn_idx(ev->handle);
		if (i >= 0)
			k.rx_bytes[i] = 0;
		break;
	case IX_EV_UDP_RECV:
		check_rx(ev->data, ev->len);
		if (!k.reckless &&
		    !test_bit(ev->data / IXDP_BUF_SIZE, env.app->udp_held))
			__builtin_trap();
		memmove(k.udp_off + 1, k.udp_off, (KNOWN - 1) * sizeof(u64));
		k.udp_off[0] = ev->data;
		if (k.nudp < KNOWN)
			k.nudp++;
		break;
	}
}

static void read_events(void)
{
	const struct ix_event *ev;

	while ((ev = env_event(&env)))
		check_event(ev);
}

/* The buffers the application holds: each once, none free. */
static NO_COV void check_held(void)
{
	struct ixdp_app *app = env.app;
	struct ixdp_pool *p = &env.core->pool;
	static unsigned long seen[4096 / 64];
	struct ixdp_buf *b;
	unsigned int i, slot, n;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < app->tcp->npcbs; i++) {
		n = 0;
		for (b = app->conns[i].rx_head; b; b = b->next) {
			slot = ixdp_buf_slot(b);
			if (b->pool != p || slot >= p->total ||
			    b->flags & IXDP_BUF_FREE || test_bit(slot, seen) ||
			    ++n > p->total)
				__builtin_trap();
			__set_bit(slot, seen);
		}
	}
	for (i = 0; i < app->udp_nslots; i++) {
		if (!test_bit(i, app->udp_held))
			continue;
		if (p->bufs[i].flags & IXDP_BUF_FREE || test_bit(i, seen))
			__builtin_trap();
		__set_bit(i, seen);
	}
	if (p->bad_put || env.peer_pool.bad_put)
		__builtin_trap();
}

/* Every slot unanswered and remembered, to see what the kernel writes. */
static NO_COV void ring_mark(void)
{
	u32 i, n = env.setup.cmd_entries;

	for (i = 0; i < n; i++)
		env_cmd_slot(&env, i)->result = ENV_RESULT_UNSET;
	memcpy(cmd_copy, env.cmd, cmd_copy_len);
}

/*
 * After a run that started from the kernel's own consumer index @cons
 * with @prod in the producer word: @done commands answered, no more than
 * the producer allowed and a ring's worth; the consumer index published
 * if any was; nothing else of the command ring's mapping written.
 */
static NO_COV void ring_check(u32 cons, u32 prod)
{
	u32 n = env.setup.cmd_entries, done = env.app->cmd.local - cons;
	u32 i, cons_off = env.setup.cmd_off.consumer;
	struct ix_cmd *c, *old;
	s64 res;

	if (done > n || done > prod - cons ||
	    (done && *env_cmd_consumer(&env) != env.app->cmd.local))
		__builtin_trap();
	if (memcmp(cmd_copy, env.cmd, cons_off) ||
	    memcmp(cmd_copy + cons_off + 4, env.cmd + cons_off + 4,
		   env.setup.cmd_off.entries - cons_off - 4))
		__builtin_trap();
	for (i = 0; i < n; i++) {
		c = env_cmd_slot(&env, cons + i);
		old = (struct ix_cmd *)(cmd_copy + env.setup.cmd_off.entries) +
		      ((cons + i) & (n - 1));
		if (memcmp(c, old, offsetof(struct ix_cmd, result)))
			__builtin_trap();
		res = c->result;
		if (i < done && (res == ENV_RESULT_UNSET || res < -4095))
			__builtin_trap();
		if (i >= done && res != ENV_RESULT_UNSET)
			__builtin_trap();
	}
}

/* Learn what the answered commands made: connections, timers. */
static void ring_results(u32 cons, u32 done)
{
	struct ix_cmd *c;
	u32 i;
	int j;

	for (i = 0; i < done; i++) {
		c = env_cmd_slot(&env, cons + i);
		if (verbose)
			fprintf(stderr, "command %u handle %x arg0 %llx arg1 %llx: %lld\n",
				c->op, c->handle, (unsigned long long)c->arg0,
				(unsigned long long)c->arg1, (long long)c->result);
		if (c->result < 0)
			continue;
		switch (c->op) {
		case IX_CMD_TCP_CONNECT:
			add(k.conn, &k.nconn, c->result);
			memmove(k.rx_bytes + 1, k.rx_bytes,
				(KNOWN - 1) * sizeof(u64));
			k.rx_bytes[0] = 0;
			break;
		case IX_CMD_TCP_ACCEPT:
			add(k.conn, &k.nconn, c->handle);
			memmove(k.rx_bytes + 1, k.rx_bytes,
				(KNOWN - 1) * sizeof(u64));
			k.rx_bytes[0] = 0;
			break;
		case IX_CMD_TCP_RECV_DONE:
			j = conn_idx(c->handle);
			if (j < 0 || c->arg0 > k.rx_bytes[j])
				k.reckless = true;
			else
				k.rx_bytes[j] -= c->arg0;
			break;
		case IX_CMD_UDP_RECV_DONE:
			for (j = 0; j < k.nudp; j++)
				if (k.udp_off[j] == c->arg0)
					break;
			if (j == k.nudp) {
				k.reckless = true;
				break;
			}
			k.udp_off[j] = k.udp_off[--k.nudp];
			break;
		case IX_CMD_TIMER_SET:
			add(k.timer, &k.ntimer, c->result);
			break;
		}
	}
}

static void run(void)
{
	u32 cons = env.app->cmd.local, prod = *env_cmd_producer(&env);
	u32 ev_cons = *env_ev_consumer(&env), ev_n = env.setup.event_entries;
	bool sane_ev = !k.ev_lied && *env_ev_producer(&env) - ev_cons <= ev_n;

	ring_mark();
	if (ixdp_app_run(env.app, &(struct ix_run){ 0 }))
		__builtin_trap();
	ring_check(cons, prod);
	ring_results(cons, env.app->cmd.local - cons);
	if (sane_ev && *env_ev_producer(&env) - ev_cons > ev_n)
		__builtin_trap();
	check_held();
	env_pump(&env);
	check_held();
}

static void publish(void)
{
	__atomic_store_n(env_cmd_producer(&env), env.cmd_prod,
			 __ATOMIC_RELEASE);
}

static const u64 hostile[] = {
	0, 1, 2, 7, 15, 16, 17, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 7,
	86400000000ULL, 86400000001ULL, 4096, 4095, 4097, 8192, 16384,
};

static u64 pick(u32 sel, const u32 *v, u32 n)
{
	return n ? v[sel % n] : sel;
}

/* Edge values: the table's, then the edges of the TX memory and RX pool. */
static u64 hostile_val(u8 x)
{
	u64 tx = env.app->tx_len, rx = ixdp_rx_pool_size(env.core);
	const u64 edges[] = {
		tx - 1, tx, tx + 1, tx - 16, tx + 16, rx - 1, rx,
		rx + IXDP_BUF_RX_OFFSET, rx + IXDP_BUF_SIZE - 1,
		rx - IXDP_BUF_SIZE, (u64)env.core->pool.total,
	};

	x %= ARRAY_SIZE(hostile) + ARRAY_SIZE(edges);
	if (x < ARRAY_SIZE(hostile))
		return hostile[x];
	return edges[x - ARRAY_SIZE(hostile)];
}

/*
 * A sane send vector of @n pieces in the TX memory, at an offset it
 * returns; with @edge, its last piece starts and ends at edge values.
 */
static u64 make_iov(u16 a, u16 b, unsigned int n, bool edge)
{
	u64 tx_len = env.app->tx_len, at;
	struct ix_iov *v;
	unsigned int i;

	if (tx_len < 1024)
		return a;
	at = (a * 16ULL) % (tx_len - 16 * sizeof(*v));
	v = (struct ix_iov *)(env.tx + at);
	for (i = 0; i < n; i++) {
		v[i].off = (a + i * 997ULL) % (tx_len / 2);
		v[i].len = (b + i * 131U) % (tx_len / 2);
		v[i].resv = 0;
	}
	if (edge) {
		v[n - 1].off = hostile_val(a >> 8);
		v[n - 1].len = hostile_val(b >> 8);
	}
	return at;
}

static void structured(const uint8_t *d)
{
	u8 op = d[0] % IX_CMD_LAST, sel = d[1], corrupt = d[6];
	u16 a = d[2] | d[3] << 8, b = d[4] | d[5] << 8;
	struct ix_cmd *c = env_cmd(&env);
	u64 h = hostile_val(corrupt);
	int i;

	c->op = op;
	c->cookie = a * 0x10001ULL;
	switch (op) {
	case IX_CMD_TCP_LISTEN:
		c->arg0 = a ? a : APP_PORT;
		c->arg1 = b % 8 + 1;
		break;
	case IX_CMD_TCP_UNLISTEN:
	case IX_CMD_UDP_BIND:
	case IX_CMD_UDP_UNBIND:
		c->arg0 = sel & 1 ? a : (op >= IX_CMD_UDP_BIND ? APP_UDP_PORT :
						     APP_PORT);
		break;
	case IX_CMD_TCP_CONNECT:
		c->arg0 = sel & 1 ? 0xc6120000 | (a & 0xff) : PEER_IP;
		c->arg1 = sel & 2 ? b : 80;
		break;
	case IX_CMD_TCP_ACCEPT:
	case IX_CMD_TCP_REJECT:
		c->handle = pick(sel, k.knock, k.nknock);
		break;
	case IX_CMD_TCP_SENDV:
		c->handle = pick(sel, k.conn, k.nconn);
		c->arg1 = b % IX_SENDV_MAX + 1;
		c->arg0 = sel & 0x80 ? a : make_iov(a, b, c->arg1, sel & 0x40);
		break;
	case IX_CMD_TCP_RECV_DONE:
		c->handle = pick(sel, k.conn, k.nconn);
		i = conn_idx(c->handle);
		c->arg0 = sel & 0x80 || i < 0 ? a : min_t(u64, a, k.rx_bytes[i]);
		break;
	case IX_CMD_TCP_CLOSE:
	case IX_CMD_TCP_ABORT:
		c->handle = pick(sel, k.conn, k.nconn);
		break;
	case IX_CMD_UDP_SEND:
		c->arg0 = (sel & 1 ? 0xc6120000 | (a & 0xff) : PEER_IP) |
			  (u64)(sel & 2 ? b : 7) << 32 |
			  (u64)(sel & 4 ? a : APP_UDP_PORT) << 48;
		c->arg1 = a % (env.app->tx_len + 1);
		c->handle = b % 1600;
		break;
	case IX_CMD_UDP_RECV_DONE:
		c->arg0 = k.nudp ? k.udp_off[sel % k.nudp] + (sel & 0x80 ? a : 0)
				 : a;
		break;
	case IX_CMD_TIMER_SET:
		c->arg0 = (u64)a * (sel & 1 ? 1 : 1000);
		break;
	case IX_CMD_TIMER_CANCEL:
		c->handle = pick(sel, k.timer, k.ntimer);
		break;
	case IX_CMD_TCP_KEEPALIVE:
		/* Seconds that fire within a run of clock records, or off. */
		c->handle = pick(sel, k.conn, k.nconn);
		c->arg0 = sel & 0x80 ? a : a % 4;
		if (!c->arg0 && !(sel & 0x40))
			c->arg1 = 0;
		else
			c->arg1 = sel & 0x20 ? (u64)b << 24 | a :
				  (b % 3 + 1) | (u64)(a % 4 + 1) << 32;
		break;
	}
	if (!corrupt)
		return;
	switch (corrupt >> 5) {
	case 0:
		c->flags = h | 1;
		break;
	case 1:
		c->resv[corrupt % 3] = h | 1;
		break;
	case 2:
		c->handle ^= 1U << (corrupt % 32);
		break;
	case 3:
		c->arg0 = h;
		break;
	case 4:
		c->arg1 = h;
		break;
	case 5:
		c->handle += 0x10000;
		break;
	case 6:
		c->handle = h;
		break;
	case 7:
		c->op = h;
		break;
	}
}

static void hostile_index(u8 which, u32 v)
{
	u8 *flags = env.cmd + env.setup.cmd_off.flags;

	switch (which % 4) {
	case 0:
		*env_cmd_producer(&env) = v;
		break;
	case 1:
		/* Ahead of what was read: the kernel may free what is not. */
		*env_ev_consumer(&env) = v;
		k.reckless = true;
		k.ev_lied = true;
		break;
	case 2:
		*(u32 *)(env.cmd + env.setup.cmd_off.consumer) = v;
		break;
	case 3:
		memcpy(flags, &v, 4);
		memcpy(env.cmd + env.setup.cmd_off.dropped, &v, 4);
		break;
	}
}

static void peer(u8 what, u8 sel, u16 len)
{
	u32 h = env.peer_conn[sel % 8];

	switch (what % 5) {
	case 0:
		env_peer_send(&env, h, len);
		break;
	case 1:
		ixdp_tcp_close(&env.peer, h);
		break;
	case 2:
		ixdp_tcp_abort(&env.peer, h);
		break;
	case 3:
		env_peer_connect(&env, sel & 1 ? len : APP_PORT);
		break;
	case 4:
		env_peer_udp(&env, 7, sel & 1 ? len : APP_UDP_PORT, len);
		break;
	}
}

/* What a well-behaved application does first, by the config byte. */
static void prologue(u8 conf)
{
	struct ix_cmd *c;
	unsigned int i;

	if (conf & CONF_LISTEN) {
		c = env_cmd(&env);
		c->op = IX_CMD_TCP_LISTEN;
		c->arg0 = APP_PORT;
		c->arg1 = 4;
		c->cookie = 0x1111;
	}
	if (conf & CONF_UDP) {
		c = env_cmd(&env);
		c->op = IX_CMD_UDP_BIND;
		c->arg0 = APP_UDP_PORT;
		c->cookie = 0x2222;
	}
	for (i = 0; conf & CONF_CONNECT && i < 2; i++) {
		c = env_cmd(&env);
		c->op = IX_CMD_TCP_CONNECT;
		c->arg0 = PEER_IP;
		c->arg1 = 80;
		c->cookie = 0x3333 + i;
	}
	publish();
	run();
	read_events();
	if (conf & CONF_LISTEN) {
		env_peer_connect(&env, APP_PORT);
		env_peer_connect(&env, APP_PORT);
	}
	if (conf & CONF_UDP)
		env_peer_udp(&env, 7, APP_UDP_PORT, 100);
	for (i = 0; i < 8; i++) {
		run();
		while (k.nknock) {
			c = env_cmd(&env);
			c->op = IX_CMD_TCP_ACCEPT;
			c->handle = k.knock[--k.nknock];
			c->cookie = 0x4444;
		}
		publish();
		read_events();
	}
	/* Data both ways on every connection, held until recv_done. */
	for (i = 0; i < 4; i++)
		env_peer_send(&env, env.peer_conn[i], 300 + i);
	run();
	read_events();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct env_cfg cfg = {
		.nbufs = 256,
		.max_conns = 8,
		.cmd_entries = 64,
		.ev_entries = 64,
		.tx_pages = 4,
	};
	uint8_t conf, raw[sizeof(struct ix_cmd)];
	size_t i = 1, n;

	if (!size)
		return 0;
	verbose = getenv("FUZZ_CMD_VERBOSE");
	ix_shim_random_seed(1);		/* the same keys and draws on a replay */
	conf = data[0];
	if (conf & CONF_SMALL_POOL)
		cfg.nbufs = 32;
	if (conf & CONF_BIG_RING)
		cfg.cmd_entries = 256;
	if (conf & CONF_ECHO)
		cfg.peer_echo = true;
	if (conf & CONF_NO_TX)
		cfg.tx_pages = 0;
	memset(&k, 0, sizeof(k));
	if (env_init(&env, &cfg))
		__builtin_trap();
	cmd_copy_len = env.app->cmd.size;
	cmd_copy = realloc(cmd_copy, cmd_copy_len);
	prologue(conf);
	while (i < size) {
		uint8_t type = data[i++] % 8;

		switch (type) {
		case 0:
			n = min(size - i, sizeof(raw));
			memset(raw, 0, sizeof(raw));
			memcpy(raw, data + i, n);
			i += n;
			memcpy(env_cmd(&env), raw,
			       offsetof(struct ix_cmd, result));
			break;
		case 1:
			if (i + 7 > size)
				goto out;
			structured(data + i);
			i += 7;
			break;
		case 2:
			if (i + 1 > size)
				goto out;
			publish();
			run();
			if (data[i++] & 1)
				run();
			if (!(conf & CONF_LAZY))
				read_events();
			break;
		case 3:
			if (i + 2 > size)
				goto out;
			env_advance(&env, data[i] | data[i + 1] << 8);
			i += 2;
			break;
		case 4:
			if (i + 5 > size)
				goto out;
			hostile_index(data[i], data[i + 1] | data[i + 2] << 8 |
				      data[i + 3] << 16 | (u32)data[i + 4] << 24);
			i += 5;
			/* Run with it, before publish() puts it right. */
			run();
			break;
		case 5:
			if (i + 3 > size)
				goto out;
			n = data[i + 2];
			if (env.app->tx_len) {
				u64 off = (data[i] | data[i + 1] << 8) %
					  env.app->tx_len;

				n = min_t(u64, n, min(size - i - 3,
						      env.app->tx_len - off));
				memcpy(env.tx + off, data + i + 3, n);
			} else {
				n = min(size - i - 3, n);
			}
			i += 3 + n;
			break;
		case 6:
			if (i + 4 > size)
				goto out;
			peer(data[i], data[i + 1], data[i + 2] | data[i + 3] << 8);
			i += 4;
			break;
		case 7:
			read_events();
			break;
		}
	}
out:
	publish();
	run();
	read_events();
	if (!env_fini(&env))
		__builtin_trap();
	return 0;
}
