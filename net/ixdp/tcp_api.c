// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP commands of the application: listen, connect, accept,
 * reject, sendv, recv_done, close and abort, each on a handle checked
 * for its generation.  A command on the connection whose input or timer
 * is running (from inside an event) takes effect when that returns.
 */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "handoff.h"
#include "tcp.h"

static void api_defaults(struct ixdp_tcp_config *c, u32 hz)
{
	if (!c->rcv_buf)
		c->rcv_buf = 65535;
	if (!c->snd_buf)
		c->snd_buf = 256 * 1024;
	if (!c->rto_min)
		c->rto_min = hz / 5 ? hz / 5 : 1;
	if (!c->rto_max)
		c->rto_max = 60 * hz;
	if (!c->rto_init)
		c->rto_init = hz;
	if (!c->delack)
		c->delack = hz / 25 ? hz / 25 : 1;
	if (!c->time_wait)
		c->time_wait = 60 * hz;
	if (!c->fin_timeout)
		c->fin_timeout = 60 * hz;
	if (!c->syn_retries)
		c->syn_retries = IXDP_TCP_SYN_RETRIES;
	if (!c->ack_ratelimit)
		c->ack_ratelimit = hz / 2 ? hz / 2 : 1;
}

/* A key left 0 is drawn at random, each on its own. */
static void api_keys(struct ixdp_tcp_config *c)
{
	if (!c->isn_key.key[0] && !c->isn_key.key[1])
		get_random_bytes(&c->isn_key, sizeof(c->isn_key));
	if (!c->port_key.key[0] && !c->port_key.key[1])
		get_random_bytes(&c->port_key, sizeof(c->port_key));
	if (!c->hash_key)
		c->hash_key = get_random_u32();
}

/* Buckets of the 4-tuple hash for @npcbs PCBs: a power of two. */
static u32 api_hash_buckets(unsigned int npcbs)
{
	u32 n = 64;

	while (n < npcbs)
		n <<= 1;
	return n;
}

/**
 * ixdp_tcp_size() - bytes of the TCP state of a core with @npcbs PCBs
 * @npcbs: connections it can hold, 1 to IXDP_TCP_PCBS_MAX
 *
 * Return: the size of the block to give ixdp_tcp_init().
 */
size_t ixdp_tcp_size(unsigned int npcbs)
{
	return sizeof(struct ixdp_tcp) +
	       (size_t)npcbs * sizeof(struct ixdp_tcp_pcb) +
	       (size_t)api_hash_buckets(npcbs) * sizeof(struct hlist_head);
}

/**
 * ixdp_tcp_init() - start TCP on a stack
 * @s: the stack, initialised
 * @tcp: the TCP state: ixdp_tcp_size(@npcbs) bytes the caller allocated;
 *	must outlive the stack's use of it
 * @npcbs: connections it can hold, 1 to IXDP_TCP_PCBS_MAX
 * @cfg: settings; NULL or 0 fields for the defaults
 * @ops: the application's events; @ops->recv is required
 *
 * Return: 0, or -EINVAL for a bad @npcbs, missing @ops->recv, a receive
 * buffer beyond what window scaling can advertise, a send buffer above
 * 1 GiB, or rto_min above rto_max.
 */
int ixdp_tcp_init(struct ixdp_stack *s, struct ixdp_tcp *tcp,
		  unsigned int npcbs, const struct ixdp_tcp_config *cfg,
		  const struct ixdp_tcp_ops *ops)
{
	struct ixdp_tcp_config c = { 0 };
	unsigned int i;

	if (!ops || !ops->recv || !npcbs || npcbs > IXDP_TCP_PCBS_MAX)
		return -EINVAL;
	if (cfg)
		c = *cfg;
	api_defaults(&c, s->cfg.hz);
	api_keys(&c);
	if (c.rcv_buf > 0xffffU << IXDP_TCP_MAX_WSCALE || c.snd_buf > 1U << 30 ||
	    c.rto_min > c.rto_max)
		return -EINVAL;
	memset(tcp, 0, ixdp_tcp_size(npcbs));
	tcp->ops = ops;
	tcp->cfg = c;
	tcp->held_max = ixdp_tcp_held_max(&c);
	tcp->chal_second = U64_MAX;	/* no budget drawn yet */
	tcp->npcbs = npcbs;
	tcp->hash_mask = api_hash_buckets(npcbs) - 1;
	tcp->hash = (struct hlist_head *)&tcp->pcbs[npcbs];
	tcp->stats = &s->stats.tcp;
	for (i = 0; i < IXDP_TCP_LISTENERS; i++)
		INIT_LIST_HEAD(&tcp->lsn[i].waiting);
	INIT_LIST_HEAD(&tcp->txw);
	ixdp_tcp_pcb_table_init(tcp);
	s->tcp = tcp;
	return 0;
}

/**
 * ixdp_tcp_teardown() - stop TCP on a stack
 * @s: the stack
 *
 * Every connection is freed without events or segments and every buffer
 * TCP holds is put back; afterwards every port is closed.
 */
void ixdp_tcp_teardown(struct ixdp_stack *s)
{
	struct ixdp_tcp *tcp = s->tcp;
	unsigned int i;

	if (!tcp)
		return;
	for (i = 0; i < tcp->npcbs; i++)
		if (tcp->pcbs[i].state != IXDP_TCP_CLOSED)
			ixdp_tcp_pcb_free(&tcp->pcbs[i]);
	s->tcp = NULL;
}

/**
 * ixdp_tcp_listen() - accept connections on a port
 * @s: the stack
 * @port: the port, not 0
 * @backlog: connections held before the application accepts them, at
 *	least 1; clamped to half the PCB table, so that one listener never
 *	takes every slot.  Past it SYNs get SYN cookies (tcp_cookie.c), or
 *	with IXDP_TCP_NO_COOKIES are refused (counted), until it accepts.
 * @cookie: given to knock()
 *
 * Return: 0, -EINVAL, -EADDRINUSE, or -ENOSPC if IXDP_TCP_LISTENERS ports
 * listen already.
 */
int ixdp_tcp_listen(struct ixdp_stack *s, __be16 port, u16 backlog,
		    void *cookie)
{
	struct ixdp_tcp_listener *l;

	if (!s->tcp || !port || !backlog)
		return -EINVAL;
	if (ixdp_tcp_listener_find(s, port))
		return -EADDRINUSE;
	for (l = s->tcp->lsn; l < s->tcp->lsn + IXDP_TCP_LISTENERS; l++)
		if (!l->port && list_empty(&l->waiting))
			break;
	if (l == s->tcp->lsn + IXDP_TCP_LISTENERS)
		return -ENOSPC;
	l->port = port;
	l->backlog = min_t(u32, backlog, max(s->tcp->npcbs / 2, 1U));
	l->pending = 0;
	l->refused = 0;
	l->cookie = cookie;
	return 0;
}

static void api_abort(struct ixdp_tcp_pcb *pcb);

/*
 * Reset the connections of @l the application has not taken: they alone
 * are visited, and each was paid for by a peer's SYN.  One in the middle
 * of input is left linked (its listener slot stays taken meanwhile).
 */
static void api_abort_pending(struct ixdp_stack *s,
			      struct ixdp_tcp_listener *l)
{
	struct ixdp_tcp_pcb *pcb, *tmp;

	list_for_each_entry_safe(pcb, tmp, &l->waiting, lnode)
		if (s->tcp->busy != pcb)
			api_abort(pcb);
}

/**
 * ixdp_tcp_unlisten() - stop accepting connections on a port
 * @s: the stack
 * @port: the port
 *
 * Connections the application accepted stay; those not yet accepted
 * are reset.
 *
 * Return: 0, or -ENOENT.
 */
int ixdp_tcp_unlisten(struct ixdp_stack *s, __be16 port)
{
	struct ixdp_tcp_listener *l;

	if (!s->tcp)
		return -EINVAL;
	l = ixdp_tcp_listener_find(s, port);
	if (!l)
		return -ENOENT;
	l->port = 0;
	api_abort_pending(s, l);
	return 0;
}

/* @port is free, and brings the peer's segments back to this core. */
static bool api_port_free(struct ixdp_stack *s, __be32 daddr, __be16 dport,
			  __be16 port)
{
	return ixdp_handoff_port_ok(s, daddr, dport, be16_to_cpu(port)) &&
	       !ixdp_tcp_listener_find(s, port) &&
	       !ixdp_tcp_pcb_lookup(s, daddr, dport, port);
}

/* A keyed offset of the destination: where its search for a port starts. */
static u32 api_port_offset(const struct ixdp_stack *s, __be32 daddr,
			   __be16 dport)
{
	return siphash_3u32((__force u32)s->cfg.addr, (__force u32)daddr,
			    (__force u16)dport, &s->tcp->cfg.port_key);
}

/*
 * An ephemeral port by RFC 6056 3.3.3 (algorithm 3): from the keyed offset
 * of the destination plus @port_perturb, the first port free and ours.
 * @port_perturb then moves past the ports tried and a random jitter more,
 * as Linux's __inet_hash_connect(), so that a peer seeing one port cannot
 * tell the next, nor a destination's port another's.
 */
static __be16 api_port(struct ixdp_stack *s, __be32 daddr, __be16 dport)
{
	struct ixdp_tcp *tcp = s->tcp;
	u32 base, i;
	__be16 port;

	base = api_port_offset(s, daddr, dport) + tcp->port_perturb;
	for (i = 0; i < IXDP_PORT_N; i++) {
		port = cpu_to_be16(IXDP_PORT_LO + (base + i) % IXDP_PORT_N);
		if (api_port_free(s, daddr, dport, port)) {
			tcp->port_perturb += i + 1 +
				get_random_u32_below(IXDP_TCP_PORT_JITTER);
			return port;
		}
	}
	return 0;
}

/**
 * ixdp_tcp_connect() - open a connection
 * @s: the stack
 * @daddr: the peer, a unicast address other than ours
 * @dport: its port, not 0
 * @cookie: given to the connection's events
 * @handle: set to the connection's handle
 *
 * connected() tells how it ended.
 *
 * Return: 0, -EINVAL, -EADDRNOTAVAIL if no local port is free, or
 * -ENOMEM if the PCB table is full.
 */
int ixdp_tcp_connect(struct ixdp_stack *s, __be32 daddr, __be16 dport,
		     void *cookie, u32 *handle)
{
	struct ixdp_tcp_pcb *pcb;
	__be16 lport;

	if (!s->tcp || !dport || daddr == s->cfg.addr ||
	    !ixdp_ip_unicast_src(s, daddr))
		return -EINVAL;
	lport = api_port(s, daddr, dport);
	if (!lport)
		return -EADDRNOTAVAIL;
	pcb = ixdp_tcp_pcb_alloc(s);
	if (!pcb)
		return -ENOMEM;
	pcb->raddr = daddr;
	pcb->rport = dport;
	pcb->lport = lport;
	pcb->cookie = cookie;
	pcb->state = IXDP_TCP_SYN_SENT;
	ixdp_tcp_pcb_options(pcb);
	pcb->iss = ixdp_tcp_iss(s, daddr, dport, lport);
	pcb->snd_una = pcb->iss;
	pcb->mss = IXDP_TCP_DEFAULT_MSS;
	pcb->mss_syn = pcb->mss;
	ixdp_tcp_pcb_hash(pcb);
	s->tcp->stats->active++;
	pcb->flags |= TCPF_TIMING;
	pcb->rtt_seq = pcb->iss;
	pcb->rtt_start = s->now;
	*handle = tcp_pcb_handle(pcb);
	ixdp_tcp_send_syn(pcb);
	ixdp_tcp_rtx_arm(pcb);
	return 0;
}

/**
 * ixdp_tcp_accept() - take a connection announced by knock()
 * @s: the stack
 * @handle: its handle
 * @cookie: given to its events from now on
 *
 * Return: 0, -EINVAL, -ESTALE, or -EALREADY if it was accepted.
 */
int ixdp_tcp_accept(struct ixdp_stack *s, u32 handle, void *cookie)
{
	struct ixdp_tcp_listener *l;
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	if (!(pcb->flags & TCPF_PASSIVE) || !(pcb->flags & TCPF_KNOCKED))
		return -EINVAL;
	if (pcb->flags & TCPF_ACCEPTED)
		return -EALREADY;
	l = &s->tcp->lsn[pcb->listener];
	if (l->pending)
		l->pending--;
	list_del_init(&pcb->lnode);
	pcb->flags |= TCPF_ACCEPTED;
	pcb->cookie = cookie;
	ixdp_tcp_early_hand_over(pcb);
	return 0;
}

/* End the connection with RST, freeing it without any event. */
static void api_abort(struct ixdp_tcp_pcb *pcb)
{
	pcb->flags |= TCPF_DETACHED;
	if (pcb->state != IXDP_TCP_SYN_SENT &&
	    pcb->state != IXDP_TCP_TIME_WAIT)
		ixdp_tcp_send_rst(pcb);
	ixdp_tcp_pcb_free(pcb);
}

static int api_kill(struct ixdp_stack *s, struct ixdp_tcp_pcb *pcb)
{
	if (s->tcp->busy == pcb) {
		pcb->flags |= TCPF_ABORT;
		return 0;
	}
	api_abort(pcb);
	return 0;
}

/**
 * ixdp_tcp_reject() - refuse a connection announced by knock(): RST
 * @s: the stack
 * @handle: its handle, stale afterwards
 *
 * Return: 0, -EINVAL if it is not a connection awaiting accept, -ESTALE.
 */
int ixdp_tcp_reject(struct ixdp_stack *s, u32 handle)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	if (!(pcb->flags & TCPF_PASSIVE) || pcb->flags & TCPF_ACCEPTED)
		return -EINVAL;
	return api_kill(s, pcb);
}

/**
 * ixdp_tcp_abort() - reset a connection: RST, then the handle is stale
 * @s: the stack
 * @handle: its handle
 *
 * No event follows.
 *
 * Return: 0, -EINVAL or -ESTALE.
 */
int ixdp_tcp_abort(struct ixdp_stack *s, u32 handle)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	return api_kill(s, pcb);
}

/* Queue @len bytes at @base; false if the reference ring is full. */
static bool api_queue(struct ixdp_tcp_pcb *pcb, const u8 *base, u32 len)
{
	struct ixdp_tcp_sref *last;

	if (pcb->sq_n) {
		last = &pcb->sq[(pcb->sq_head + pcb->sq_n - 1) % IXDP_TCP_SQ];
		if (last->base + last->len == base && last->len + len > len) {
			last->len += len;
			return true;
		}
	}
	if (pcb->sq_n == IXDP_TCP_SQ)
		return false;
	last = &pcb->sq[(pcb->sq_head + pcb->sq_n) % IXDP_TCP_SQ];
	last->base = base;
	last->len = len;
	pcb->sq_n++;
	return true;
}

/**
 * ixdp_tcp_sendv() - queue memory to send, without copying it
 * @s: the stack
 * @handle: the connection
 * @iov: the pieces, in order
 * @n: how many
 *
 * As much as the send buffer (snd_buf) and the IXDP_TCP_SQ references
 * take is queued, in order; the memory must stay unchanged until sent()
 * reports it acknowledged.
 *
 * Return: bytes queued (maybe fewer than given, maybe 0), -EINVAL,
 * -ESTALE, -ENOTCONN before the connection is established, or -EPIPE
 * after close.
 */
int ixdp_tcp_sendv(struct ixdp_stack *s, u32 handle,
		   const struct ixdp_iov *iov, unsigned int n)
{
	struct ixdp_tcp_pcb *pcb;
	u32 space, len, total = 0;
	unsigned int i;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	if (pcb->flags & TCPF_FIN_QUEUED)
		return -EPIPE;
	if (pcb->state != IXDP_TCP_ESTABLISHED &&
	    pcb->state != IXDP_TCP_CLOSE_WAIT)
		return -ENOTCONN;
	space = s->tcp->cfg.snd_buf - pcb->sq_bytes;
	for (i = 0; i < n && space; i++) {
		len = min(iov[i].len, space);
		if (!len)
			continue;
		if (!iov[i].base || !api_queue(pcb, iov[i].base, len))
			break;
		pcb->sq_bytes += len;
		space -= len;
		total += len;
	}
	if (total)
		ixdp_tcp_output(pcb);
	return total;
}

/*
 * Window update (RFC 9293 3.8.6.2.2) when the window, @old bytes as
 * advertised, opens usefully.  Out of line, so that the usual
 * ixdp_tcp_recv_done(), which finds no update possible, saves no
 * registers for it.
 */
static noinline void api_window_update(struct ixdp_tcp_pcb *pcb, u32 old)
{
	u32 win = ixdp_tcp_rcv_window(pcb);

	if (win > old && (win - old >= 2 * pcb->mss || old < pcb->mss) &&
	    !(pcb->flags & TCPF_FIN_RCVD)) {
		pcb->flags |= TCPF_ACK_NOW;
		ixdp_tcp_output(pcb);
	}
}

/**
 * ixdp_tcp_recv_done() - the application consumed received bytes
 * @s: the stack
 * @handle: the connection
 * @bytes: how many of those given to recv(); the window opens by that
 * @bufs: how many of the buffers given to recv() went back to the pool
 *	with them (those wholly consumed)
 *
 * Return: 0, -EINVAL if more bytes or buffers than were given, or -ESTALE.
 */
int ixdp_tcp_recv_done(struct ixdp_stack *s, u32 handle, u32 bytes, u32 bufs)
{
	struct ixdp_tcp_pcb *pcb;
	u32 old = 0;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	if (bytes > pcb->rcv_unread || bufs > pcb->rcv_held)
		return -EINVAL;
	pcb->rcv_unread -= bytes;
	pcb->rcv_held -= bufs;
	if (tcp_seq_after(pcb->rcv_adv, pcb->rcv_nxt))
		old = pcb->rcv_adv - pcb->rcv_nxt;
	/* No update if it cannot open by 2 MSS more than rcv_buf allows. */
	if (old < pcb->mss || old + 2 * pcb->mss <= s->tcp->cfg.rcv_buf)
		api_window_update(pcb, old);
	return 0;
}

/**
 * ixdp_tcp_close() - close our direction: FIN after the queued data
 * @s: the stack
 * @handle: the connection; events go on until dead()
 *
 * A connection not yet established is aborted instead, without events.
 *
 * Return: 0, -EINVAL, -ESTALE, or -EALREADY if closed before.
 */
int ixdp_tcp_close(struct ixdp_stack *s, u32 handle)
{
	struct ixdp_tcp_pcb *pcb;
	int err;

	pcb = ixdp_tcp_pcb_get(s, handle, &err);
	if (!pcb)
		return err;
	if (pcb->flags & TCPF_FIN_QUEUED)
		return -EALREADY;
	switch (pcb->state) {
	case IXDP_TCP_SYN_SENT:
	case IXDP_TCP_SYN_RCVD:
		return api_kill(s, pcb);
	case IXDP_TCP_ESTABLISHED:
		pcb->state = IXDP_TCP_FIN_WAIT_1;
		break;
	case IXDP_TCP_CLOSE_WAIT:
		pcb->state = IXDP_TCP_LAST_ACK;
		break;
	default:
		return -EINVAL;
	}
	pcb->flags |= TCPF_FIN_QUEUED;
	ixdp_tcp_output(pcb);
	return 0;
}

/**
 * ixdp_tcp_leave() - end the input or timer of a PCB
 * @pcb: the PCB, maybe freed meanwhile
 *
 * Runs what its events asked for: an abort, or output.
 */
void ixdp_tcp_leave(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (tcp->busy != pcb)
		return;
	tcp->busy = NULL;
	if (pcb->flags & TCPF_ABORT)
		api_abort(pcb);
	else
		__ixdp_tcp_output(pcb);
}
