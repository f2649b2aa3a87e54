// SPDX-License-Identifier: GPL-2.0-only
/*
 * ixdp ARP (RFC 826) for Ethernet and IPv4.
 *
 * Each stack keeps a fixed table of IXDP_ARP_ENTRIES neighbours, hashed
 * by address.  A spoofed-source SYN flood makes us resolve forged
 * neighbours that never answer, so, in the spirit of Linux's neighbour
 * GC (gc_thresh3, forced GC), room is made as follows: at most
 * IXDP_ARP_UNRES_MAX entries are unresolved, a new one beyond that
 * evicts the oldest unresolved one; in a full table the oldest
 * unresolved entry goes first, then the least recently confirmed
 * resolved one, but never one confirmed within IXDP_ARP_KEEP_S seconds:
 * then no entry is made.  A flood thus never evicts a neighbour that
 * answered, such as the gateway.  Sending to an
 * unresolved neighbour queues up to IXDP_ARP_QLEN packets on its entry and
 * sends a request; the entry's timer resends it every second, and after
 * IXDP_ARP_TRIES unanswered requests drops the queue and frees the entry.
 * An answered entry is trusted for IXDP_ARP_REACHABLE_S seconds; then it
 * is confirmed, in the spirit of RFC 4861's PROBE state: requests go to
 * the neighbour's own address every second while packets still go there
 * at once, and only IXDP_ARP_TRIES unanswered ones free the entry.  So a
 * long flow never stops for a new resolution every 30 seconds.
 *
 * The table is per core, not shared: each core resolves on its own,
 * without locks on the fast path, and ARP packets that teach one core a
 * neighbour are passed to the others (ixdp_handoff_arp()), so that a
 * neighbour one core resolved is soon known to all.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/if_arp.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "handoff.h"
#include "stack.h"

#define ARP_HASH_BITS	6

/* An ARP packet for Ethernet and IPv4; the addresses are not aligned. */
struct arp_pkt {
	struct arphdr	hdr;
	u8		sha[ETH_ALEN];
	u8		sip[4];
	u8		tha[ETH_ALEN];
	u8		tip[4];
};

static_assert(sizeof(struct arp_pkt) == 28, "Ethernet/IPv4 ARP");
static_assert(BIT(ARP_HASH_BITS) == IXDP_ARP_ENTRIES, "bucket per entry");

static struct hlist_head *arp_bucket(struct ixdp_stack *s, __be32 ip)
{
	return &s->arp.buckets[hash_32((__force u32)ip, ARP_HASH_BITS)];
}

static struct ixdp_arp_entry *arp_find(struct ixdp_stack *s, __be32 ip)
{
	struct ixdp_arp_entry *e;

	hlist_for_each_entry(e, arp_bucket(s, ip), node)
		if (e->ip == ip)
			return e;
	return NULL;
}

/**
 * ixdp_arp_lookup() - find a neighbour's entry
 * @s: the stack
 * @ip: the neighbour's address
 *
 * Return: the entry, INCOMPLETE or REACHABLE, or NULL if there is none.
 */
const struct ixdp_arp_entry *ixdp_arp_lookup(const struct ixdp_stack *s,
					     __be32 ip)
{
	return arp_find((struct ixdp_stack *)s, ip);
}

/* Free an entry, dropping its queue for @why (IXDP_DROP_MAX: uncounted). */
static void arp_release(struct ixdp_stack *s, struct ixdp_arp_entry *e,
			enum ixdp_drop_reason why)
{
	unsigned int i;

	ixdp_timer_cancel(&s->wheel, &e->timer);
	for (i = 0; i < e->qlen; i++)
		ixdp_stack_drop(s, e->queue[i], why);
	e->qlen = 0;
	if (e->state == IXDP_ARP_INCOMPLETE)
		s->arp.nr_unres--;
	e->state = IXDP_ARP_FREE;
	s->arp.gen++;
	hlist_del_init(&e->node);
	list_move(&e->lru, &s->arp.free);
	s->arp.used--;
}

/* Evict the oldest unresolved entry, dropping what waits on it. */
static void arp_evict_unres(struct ixdp_stack *s)
{
	struct ixdp_arp_entry *e;

	e = list_first_entry(&s->arp.unres, struct ixdp_arp_entry, lru);
	s->stats.arp_unres_evicted++;
	arp_release(s, e, IXDP_DROP_NO_ARP);
}

/**
 * arp_make_room() - free an entry for a new neighbour if one must go
 * @s: the stack
 * @unres: the new entry will wait for an answer, so is held to
 *	IXDP_ARP_UNRES_MAX
 *
 * Unresolved entries go before resolved ones, the oldest first; a
 * resolved entry confirmed within IXDP_ARP_KEEP_S seconds never goes.
 * Bounded: it looks at the head of one list.
 *
 * Return: true if @s->arp.free has an entry, false (counted in
 * arp_table_full) if none may be evicted.
 */
static bool arp_make_room(struct ixdp_stack *s, bool unres)
{
	struct ixdp_arp_table *t = &s->arp;
	struct ixdp_arp_entry *e;

	if (unres && t->nr_unres >= IXDP_ARP_UNRES_MAX) {
		arp_evict_unres(s);
		return true;
	}
	if (!list_empty(&t->free))
		return true;
	if (t->nr_unres) {
		arp_evict_unres(s);
		return true;
	}
	e = list_first_entry(&t->lru, struct ixdp_arp_entry, lru);
	if (s->now - e->confirmed_at < (u64)s->cfg.hz * IXDP_ARP_KEEP_S) {
		s->stats.arp_table_full++;
		return false;
	}
	arp_release(s, e, IXDP_DROP_NO_ARP);
	return true;
}

/* Take a free entry for @ip onto @list, hashed and counted, empty. */
static struct ixdp_arp_entry *arp_take(struct ixdp_stack *s, __be32 ip,
				       struct list_head *list)
{
	struct ixdp_arp_entry *e;

	e = list_first_entry(&s->arp.free, struct ixdp_arp_entry, lru);
	list_move_tail(&e->lru, list);
	hlist_add_head(&e->node, arp_bucket(s, ip));
	s->arp.used++;
	e->ip = ip;
	e->qlen = 0;
	return e;
}

/*
 * Take an entry for @ip, INCOMPLETE, making room as arp_make_room() does;
 * NULL if there is none.
 */
static struct ixdp_arp_entry *arp_new(struct ixdp_stack *s, __be32 ip,
				      bool unres)
{
	struct ixdp_arp_entry *e;

	if (!arp_make_room(s, unres))
		return NULL;
	e = arp_take(s, ip, &s->arp.unres);
	s->arp.nr_unres++;
	e->state = IXDP_ARP_INCOMPLETE;
	e->tries = 0;
	return e;
}

static void arp_fill(struct ixdp_stack *s, struct arp_pkt *p, u16 op,
		     const u8 *tha, __be32 tip)
{
	p->hdr.ar_hrd = cpu_to_be16(ARPHRD_ETHER);
	p->hdr.ar_pro = cpu_to_be16(ETH_P_IP);
	p->hdr.ar_hln = ETH_ALEN;
	p->hdr.ar_pln = 4;
	p->hdr.ar_op = cpu_to_be16(op);
	memcpy(p->sha, s->cfg.mac, ETH_ALEN);
	memcpy(p->sip, &s->cfg.addr, 4);
	memcpy(p->tha, tha, ETH_ALEN);
	memcpy(p->tip, &tip, 4);
}

/* Send a request for @tip to @dst (a probe) or to all. */
static int arp_request_to(struct ixdp_stack *s, __be32 tip, const u8 *dst)
{
	static const u8 zero[ETH_ALEN] __aligned(2);
	struct ixdp_buf *b = ixdp_buf_get(s->pool);
	struct arp_pkt *p;

	if (!b) {
		ixdp_stack_drop(s, NULL, IXDP_DROP_POOL_EMPTY);
		return -ENOBUFS;
	}
	p = ixdp_buf_put_tail(b, sizeof(*p));
	arp_fill(s, p, ARPOP_REQUEST, zero, tip);
	s->stats.arp_requests++;
	return ixdp_eth_output(s, b, dst, cpu_to_be16(ETH_P_ARP));
}

/* Broadcast a request for @tip; a gratuitous one if @tip is our address. */
static int arp_request(struct ixdp_stack *s, __be32 tip)
{
	static const u8 bcast[ETH_ALEN] __aligned(2) = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	return arp_request_to(s, tip, bcast);
}

/**
 * ixdp_arp_announce() - broadcast a gratuitous ARP for our address
 * @s: the stack
 *
 * Call it when the stack starts, so that neighbours update their caches.
 *
 * Return: 0, or -ENOBUFS if the pool is empty, or the error of xmit.
 */
int ixdp_arp_announce(struct ixdp_stack *s)
{
	return arp_request(s, s->cfg.addr);
}

/*
 * The entry's timer: resend the request; start confirming an old answer
 * or go on; give up.
 */
static void arp_timer(struct ixdp_timer *t)
{
	struct ixdp_arp_entry *e = container_of(t, struct ixdp_arp_entry, timer);
	struct ixdp_stack *s = e->stack;

	if (e->state == IXDP_ARP_REACHABLE) {
		e->state = IXDP_ARP_PROBE;
		e->tries = 0;
	}
	if (e->tries >= IXDP_ARP_TRIES) {
		arp_release(s, e, IXDP_DROP_NO_ARP);
		return;
	}
	e->tries++;
	ixdp_timer_arm(&s->wheel, &e->timer, s->now + s->cfg.hz);
	if (e->state == IXDP_ARP_PROBE)
		arp_request_to(s, e->ip, e->mac);
	else
		arp_request(s, e->ip);
}

/* @e is now at @mac: send what was waiting for it. */
static void arp_resolved(struct ixdp_stack *s, struct ixdp_arp_entry *e,
			 const u8 *mac)
{
	struct ixdp_buf *queue[IXDP_ARP_QLEN];
	unsigned int i, n = e->qlen;

	if (!ixdp_arp_usable(e) || !ether_addr_equal(e->mac, mac)) {
		memcpy(e->mac, mac, ETH_ALEN);
		e->moved_at = s->now;
		/* Headers built for the old address go stale. */
		s->arp.gen++;
	}
	if (e->state == IXDP_ARP_INCOMPLETE)
		s->arp.nr_unres--;
	/* The least recently confirmed entry heads the list. */
	list_move_tail(&e->lru, &s->arp.lru);
	e->confirmed_at = s->now;
	e->state = IXDP_ARP_REACHABLE;
	e->tries = 0;
	ixdp_timer_arm(&s->wheel, &e->timer,
		       s->now + (u64)s->cfg.hz * IXDP_ARP_REACHABLE_S);
	memcpy(queue, e->queue, n * sizeof(queue[0]));
	e->qlen = 0;
	for (i = 0; i < n; i++)
		ixdp_eth_output(s, queue[i], e->mac, cpu_to_be16(ETH_P_IP));
}

/*
 * Whether an ARP packet would move a live entry to another MAC within a
 * second of its last move: as Linux's locktime, the first answer stands,
 * so that a flood of forged ones cannot flip a neighbour back and forth.
 */
static bool arp_move_too_soon(const struct ixdp_stack *s,
			      const struct ixdp_arp_entry *e, const u8 *mac)
{
	return ixdp_arp_usable(e) && !ether_addr_equal(e->mac, mac) &&
	       s->now - e->moved_at < s->cfg.hz;
}

/* Whether @ip may be a neighbour: a host address on our subnet, not ours. */
static bool arp_neighbour(const struct ixdp_stack *s, __be32 ip)
{
	return ip != s->cfg.addr && !((ip ^ s->cfg.addr) & s->mask) &&
	       ixdp_ip_unicast_src(s, ip);
}

static bool arp_valid(const struct arp_pkt *p, unsigned int len)
{
	return len >= sizeof(*p) &&
	       p->hdr.ar_hrd == cpu_to_be16(ARPHRD_ETHER) &&
	       p->hdr.ar_pro == cpu_to_be16(ETH_P_IP) &&
	       p->hdr.ar_hln == ETH_ALEN && p->hdr.ar_pln == 4 &&
	       (p->hdr.ar_op == cpu_to_be16(ARPOP_REQUEST) ||
		p->hdr.ar_op == cpu_to_be16(ARPOP_REPLY)) &&
	       is_valid_ether_addr(p->sha);
}

/* Turn the request in @b into our reply and send it back. */
static void arp_reply(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct arp_pkt *p = ixdp_buf_data(b);
	u8 mac[ETH_ALEN];
	__be32 sip;

	memcpy(mac, p->sha, ETH_ALEN);
	memcpy(&sip, p->sip, 4);
	ixdp_buf_trim(b, sizeof(*p));
	arp_fill(s, p, ARPOP_REPLY, mac, sip);
	s->stats.arp_replies++;
	ixdp_eth_output(s, b, mac, cpu_to_be16(ETH_P_ARP));
}

/**
 * ixdp_arp_rx() - receive an ARP packet
 * @s: the stack
 * @b: the packet after its Ethernet header, consumed
 *
 * As RFC 826: a known sender's entry is updated whatever the target; a
 * packet for our address also creates the sender's entry, and a request
 * for it is answered in @b.  Such a packet, and one that updated an
 * entry, is passed to the device's other cores, which learn from it too
 * but answer nothing.
 */
void ixdp_arp_rx(struct ixdp_stack *s, struct ixdp_buf *b)
{
	struct arp_pkt *p = ixdp_buf_data(b);
	struct ixdp_arp_entry *e;
	__be32 sip, tip;

	if (!arp_valid(p, b->len)) {
		ixdp_stack_drop(s, b, IXDP_DROP_ARP_MALFORMED);
		return;
	}
	memcpy(&sip, p->sip, 4);
	memcpy(&tip, p->tip, 4);
	if (sip == s->cfg.addr) {
		ixdp_stack_drop(s, b, IXDP_DROP_ARP_CONFLICT);
		return;
	}
	e = arp_neighbour(s, sip) ? arp_find(s, sip) : NULL;
	if (e && arp_move_too_soon(s, e, p->sha)) {
		s->stats.arp_moves_refused++;
		ixdp_buf_put(b);
		return;
	}
	if (e)
		arp_resolved(s, e, p->sha);
	if (tip != s->cfg.addr) {
		/* A gratuitous ARP: the other cores update what they know. */
		if (e)
			ixdp_handoff_arp(s, b);
		/* Maybe about the host's own address: the host answers it. */
		ixdp_buf_push(b, ETH_HLEN);
		ixdp_punt(s, b, IXDP_DROP_ARP_NOT_US);
		return;
	}
	if (!e && arp_neighbour(s, sip)) {
		e = arp_new(s, sip, false);
		if (e)
			arp_resolved(s, e, p->sha);
	}
	/* The device gives ARP to one core: the others learn from it. */
	ixdp_handoff_arp(s, b);
	if (p->hdr.ar_op == cpu_to_be16(ARPOP_REQUEST) && !s->relay)
		arp_reply(s, b);
	else
		ixdp_buf_put(b);
}

/**
 * ixdp_arp_output() - send an IPv4 packet to a neighbour
 * @s: the stack
 * @b: the packet, starting with its IPv4 header; consumed
 * @nexthop: the neighbour's address, on our subnet
 *
 * An unresolved neighbour gets a request and the packet waits, at most
 * IXDP_ARP_QLEN of them; more are dropped and counted, and so is the
 * packet for a new neighbour when the table has no room (arp_table_full).
 *
 * Return: 0 if sent or queued, -ENOBUFS if dropped, or the error of xmit.
 */
int ixdp_arp_output(struct ixdp_stack *s, struct ixdp_buf *b, __be32 nexthop)
{
	struct ixdp_arp_entry *e = arp_find(s, nexthop);

	if (e && ixdp_arp_usable(e))
		return ixdp_eth_output(s, b, e->mac, cpu_to_be16(ETH_P_IP));
	if (e && e->qlen == IXDP_ARP_QLEN) {
		ixdp_stack_drop(s, b, IXDP_DROP_ARP_QUEUE_FULL);
		return -ENOBUFS;
	}
	if (!e) {
		e = arp_new(s, nexthop, true);
		if (!e) {
			ixdp_stack_drop(s, b, IXDP_DROP_NO_ARP);
			return -ENOBUFS;
		}
		e->tries = 1;
		ixdp_timer_arm(&s->wheel, &e->timer, s->now + s->cfg.hz);
		arp_request(s, nexthop);
	}
	e->queue[e->qlen++] = b;
	return 0;
}

/**
 * ixdp_arp_init() - start an empty neighbour table
 * @s: the stack, whose wheel is ready
 */
void ixdp_arp_init(struct ixdp_stack *s)
{
	struct ixdp_arp_table *t = &s->arp;
	struct ixdp_arp_entry *e;
	unsigned int i;

	for (i = 0; i < IXDP_ARP_ENTRIES; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
	INIT_LIST_HEAD(&t->unres);
	INIT_LIST_HEAD(&t->lru);
	INIT_LIST_HEAD(&t->free);
	t->used = 0;
	t->nr_unres = 0;
	t->gen = 1;
	for (i = 0; i < IXDP_ARP_ENTRIES; i++) {
		e = &t->entries[i];
		INIT_HLIST_NODE(&e->node);
		ixdp_timer_init(&e->timer, arp_timer);
		e->stack = s;
		e->state = IXDP_ARP_FREE;
		e->qlen = 0;
		list_add_tail(&e->lru, &t->free);
	}
}

/**
 * ixdp_arp_inherit() - give a joining core the neighbours another knows
 * @s: the stack of a core that joins its device, not running yet
 * @from: the stack of a core of the device, parked
 *
 * A core that joins under load would resolve each neighbour afresh,
 * holding IXDP_ARP_QLEN packets meanwhile and dropping the rest: the
 * first answers of a burst of new connections, sent again only after
 * their RTO, while their peers send their SYNs again.  Resolved entries
 * are copied as they stand, with the times they were confirmed and moved
 * (the cores share a clock), so that they are confirmed when they would
 * have been; unresolved ones are not (the requests are @from's).
 */
void ixdp_arp_inherit(struct ixdp_stack *s, const struct ixdp_stack *from)
{
	const struct ixdp_arp_entry *f;
	struct ixdp_arp_entry *e;
	u64 due;

	list_for_each_entry(f, &from->arp.lru, lru) {
		if (list_empty(&s->arp.free))
			break;
		if (arp_find(s, f->ip))
			continue;
		e = arp_take(s, f->ip, &s->arp.lru);
		memcpy(e->mac, f->mac, ETH_ALEN);
		e->state = f->state;
		e->tries = f->tries;
		e->confirmed_at = min(f->confirmed_at, s->now);
		e->moved_at = min(f->moved_at, s->now);
		if (e->state == IXDP_ARP_REACHABLE)
			due = e->confirmed_at +
			      (u64)s->cfg.hz * IXDP_ARP_REACHABLE_S;
		else
			due = s->now + s->cfg.hz;
		ixdp_timer_arm(&s->wheel, &e->timer, max(due, s->now + 1));
	}
}

/**
 * ixdp_arp_forget_pending() - free the entries still being resolved
 * @s: the stack
 *
 * Their queued packets are put back, uncounted: a new user of the stack
 * must not find an earlier one's packets waiting to be sent.
 */
void ixdp_arp_forget_pending(struct ixdp_stack *s)
{
	struct ixdp_arp_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &s->arp.unres, lru)
		arp_release(s, e, IXDP_DROP_MAX);
}

/**
 * ixdp_arp_teardown() - empty the neighbour table
 * @s: the stack
 *
 * Cancels the timers and puts back the queued packets, uncounted.
 */
void ixdp_arp_teardown(struct ixdp_stack *s)
{
	struct ixdp_arp_entry *e, *tmp;

	ixdp_arp_forget_pending(s);
	list_for_each_entry_safe(e, tmp, &s->arp.lru, lru)
		arp_release(s, e, IXDP_DROP_MAX);
}
