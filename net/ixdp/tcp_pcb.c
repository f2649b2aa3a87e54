// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp TCP connection table: a fixed array of PCBs with a free list, a
 * hash by 4-tuple, handles carrying a generation, the listen table and
 * initial sequence numbers (RFC 6528).
 *
 * Each has its own random key (struct ixdp_tcp_config).  The table hash
 * is jhash, as Linux's inet_ehashfn(): it runs for every segment
 * received, and a peer learns of it only what timing tells.  The initial
 * sequence number is SipHash, a PRF: it runs once per connection, and
 * the peer sees it.
 *
 * The local address is the stack's own, so a connection is found by the
 * remote address and both ports.
 */

#include <linux/errno.h>
#include <linux/jhash.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "tcp.h"

static_assert(IXDP_TCP_PCBS_MAX <= 0xffff, "an index fits a handle");

static u32 pcb_bucket(const struct ixdp_tcp *tcp, __be32 raddr, __be16 rport,
		      __be16 lport)
{
	u32 ports = (u32)(__force u16)rport << 16 | (__force u16)lport;

	return jhash_2words((__force u32)raddr, ports, tcp->cfg.hash_key) &
	       tcp->hash_mask;
}

/**
 * ixdp_tcp_pcb_table_init() - put every PCB on the free list
 * @tcp: the TCP state of a core
 */
void ixdp_tcp_pcb_table_init(struct ixdp_tcp *tcp)
{
	unsigned int i;

	INIT_HLIST_HEAD(&tcp->free);
	for (i = 0; i <= tcp->hash_mask; i++)
		INIT_HLIST_HEAD(&tcp->hash[i]);
	for (i = tcp->npcbs; i-- > 0;) {
		tcp->pcbs[i].idx = i;
		tcp->pcbs[i].gen = 1;
		hlist_add_head(&tcp->pcbs[i].node, &tcp->free);
	}
	tcp->nused = 0;
	tcp->last = NULL;
}

/**
 * ixdp_tcp_pcb_alloc() - take a free PCB
 * @s: the stack
 *
 * Return: a zeroed PCB in state CLOSED with its timers ready, not
 * hashed, or NULL if all are in use.
 */
struct ixdp_tcp_pcb *ixdp_tcp_pcb_alloc(struct ixdp_stack *s)
{
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_pcb *pcb;
	u16 idx, gen;

	if (hlist_empty(&tcp->free))
		return NULL;
	pcb = hlist_entry(tcp->free.first, struct ixdp_tcp_pcb, node);
	hlist_del_init(&pcb->node);
	idx = pcb->idx;
	gen = pcb->gen;
	memset(pcb, 0, sizeof(*pcb));
	INIT_HLIST_NODE(&pcb->node);
	INIT_LIST_HEAD(&pcb->lnode);
	INIT_LIST_HEAD(&pcb->txw);
	pcb->idx = idx;
	pcb->gen = gen;
	pcb->stack = s;
	ixdp_tcp_timers_init(pcb);
	tcp->nused++;
	return pcb;
}

/**
 * ixdp_tcp_pcb_hash() - make a PCB findable by its 4-tuple
 * @pcb: a PCB with its addresses and ports set, not hashed
 */
void ixdp_tcp_pcb_hash(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	hlist_add_head(&pcb->node, &tcp->hash[pcb_bucket(tcp, pcb->raddr,
							 pcb->rport,
							 pcb->lport)]);
}

static void pcb_release_listener(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp_listener *l;

	if (!(pcb->flags & TCPF_PASSIVE) || pcb->flags & TCPF_ACCEPTED)
		return;
	l = &pcb->stack->tcp->lsn[pcb->listener];
	if (l->pending)
		l->pending--;
	list_del_init(&pcb->lnode);
	pcb->flags |= TCPF_ACCEPTED;
}

/**
 * ixdp_tcp_pcb_release() - give a PCB back, counting no close
 * @pcb: the PCB; its timers are stopped and its buffers put back
 *
 * ixdp_tcp_pcb_free() without the count of connections closed: for one
 * that continues on another core (tcp_migrate.c).
 */
void ixdp_tcp_pcb_release(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (pcb->state == IXDP_TCP_TIME_WAIT)
		tcp->ntw--;
	ixdp_tcp_timers_stop(pcb);
	ixdp_tcp_ooo_purge(pcb);
	ixdp_tcp_early_purge(pcb);
	pcb_release_listener(pcb);
	list_del_init(&pcb->txw);
	if (!hlist_unhashed(&pcb->node))
		hlist_del_init(&pcb->node);
	if (tcp->last == pcb)
		tcp->last = NULL;
	pcb->state = IXDP_TCP_CLOSED;
	pcb->flags = TCPF_DETACHED;
	pcb->sq_n = 0;
	pcb->sq_bytes = 0;
	if (!++pcb->gen)
		pcb->gen = 1;
	hlist_add_head(&pcb->node, &tcp->free);
	tcp->nused--;
	if (tcp->busy == pcb)
		tcp->busy = NULL;
}

/**
 * ixdp_tcp_pcb_free() - give a PCB back; every handle to it goes stale
 * @pcb: the PCB; its timers are stopped and its buffers put back
 */
void ixdp_tcp_pcb_free(struct ixdp_tcp_pcb *pcb)
{
	pcb->stack->tcp->stats->closed++;
	ixdp_tcp_pcb_release(pcb);
}

/**
 * __ixdp_tcp_pcb_lookup() - find the connection of a segment in the hash
 * @s: the stack
 * @raddr: the remote address
 * @rport: the remote port
 * @lport: the local port
 *
 * ixdp_tcp_pcb_lookup() once the PCB found last is not it; the one found
 * becomes the PCB found last.
 *
 * Return: the PCB, or NULL.
 */
struct ixdp_tcp_pcb *__ixdp_tcp_pcb_lookup(struct ixdp_stack *s,
					   __be32 raddr, __be16 rport,
					   __be16 lport)
{
	struct ixdp_tcp *tcp = s->tcp;
	struct ixdp_tcp_pcb *pcb;

	hlist_for_each_entry(pcb, &tcp->hash[pcb_bucket(tcp, raddr, rport,
							lport)], node)
		if (tcp_pcb_is(pcb, raddr, rport, lport)) {
			tcp->last = pcb;
			return pcb;
		}
	return NULL;
}

/**
 * ixdp_tcp_listener_find() - the listener of a local port
 * @s: the stack
 * @port: the port
 *
 * Return: the listener, or NULL.
 */
struct ixdp_tcp_listener *ixdp_tcp_listener_find(struct ixdp_stack *s,
						 __be16 port)
{
	unsigned int i;

	for (i = 0; i < IXDP_TCP_LISTENERS; i++)
		if (port && s->tcp->lsn[i].port == port)
			return &s->tcp->lsn[i];
	return NULL;
}

/**
 * ixdp_tcp_iss() - initial sequence number of a connection (RFC 6528)
 * @s: the stack
 * @raddr: the remote address
 * @rport: the remote port
 * @lport: the local port
 *
 * Return: a clock of 4 microsecond steps plus SipHash of the 4-tuple,
 * keyed with cfg.isn_key: RFC 6528 3's ISN = M + F(4-tuple, secretkey).
 */
u32 ixdp_tcp_iss(struct ixdp_stack *s, __be32 raddr, __be16 rport,
		 __be16 lport)
{
	u32 step = s->cfg.hz < 250000 ? 250000 / s->cfg.hz : 1;
	u32 ports = (u32)(__force u16)rport << 16 | (__force u16)lport;

	return (u32)s->now * step +
	       (u32)siphash_3u32((__force u32)s->cfg.addr, (__force u32)raddr,
				 ports, &s->tcp->cfg.isn_key);
}

/**
 * ixdp_tcp_detach() - tell the application a connection is gone for it
 * @pcb: the PCB, which may live on (TIME_WAIT)
 * @reason: 0 or a negative errno
 *
 * Calls connected() if the application opened it and never heard of it,
 * else dead() if it knew of it; nothing the second time.
 */
void ixdp_tcp_detach(struct ixdp_tcp_pcb *pcb, int reason)
{
	const struct ixdp_tcp_ops *ops = pcb->stack->tcp->ops;
	u32 h = tcp_pcb_handle(pcb);

	if (pcb->flags & TCPF_DETACHED)
		return;
	pcb->flags |= TCPF_DETACHED;
	pcb_release_listener(pcb);
	if (!(pcb->flags & TCPF_KNOCKED)) {
		if (!(pcb->flags & TCPF_PASSIVE) && ops->connected)
			ops->connected(pcb->stack, pcb->cookie, h,
				       reason ? reason : -ECONNRESET);
		return;
	}
	if (ops->dead)
		ops->dead(pcb->stack, pcb->cookie, h, reason);
}

/**
 * ixdp_tcp_drop_pcb() - end a connection without sending anything
 * @pcb: the PCB, freed
 * @reason: given to the application
 */
void ixdp_tcp_drop_pcb(struct ixdp_tcp_pcb *pcb, int reason)
{
	ixdp_tcp_detach(pcb, reason);
	ixdp_tcp_pcb_free(pcb);
}

/**
 * ixdp_tcp_to_time_wait() - enter TIME_WAIT
 * @pcb: the PCB; its queues are emptied and the application told
 *
 * The PCB stays for 2 MSL to answer a retransmitted FIN, unless half the
 * table is in TIME_WAIT already: then it is freed at once, so that
 * closing connections cannot fill the table (during input, the caller
 * sees it gone as for any drop: ->busy no longer @pcb).
 */
void ixdp_tcp_to_time_wait(struct ixdp_tcp_pcb *pcb)
{
	struct ixdp_tcp *tcp = pcb->stack->tcp;

	if (tcp->ntw >= tcp->npcbs / 2) {
		tcp->stats->tw_overflow++;
		/* The peer's FIN is owed its ACK: the output won't come. */
		ixdp_tcp_send_ack(pcb);
		ixdp_tcp_drop_pcb(pcb, 0);
		return;
	}
	tcp->ntw++;
	pcb->state = IXDP_TCP_TIME_WAIT;
	ixdp_tcp_timers_stop(pcb);
	ixdp_tcp_ooo_purge(pcb);
	pcb->sq_n = 0;
	pcb->sq_bytes = 0;
	pcb->flags &= ~(TCPF_PERSIST | TCPF_RECOVERY);
	ixdp_tcp_time_wait_arm(pcb);
	ixdp_tcp_detach(pcb, 0);
}
