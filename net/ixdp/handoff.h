/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ixdp handoff: keeping flows on their cores.
 *
 * Each core of a device owns its connections.  The device picks the
 * queue, and so the core, of every frame it receives: by the Toeplitz
 * hash of the flow through its indirection table (RSS), or, for a
 * tap-backed virtio_net, by the queue that last sent for the flow.  A
 * connection opened here takes a local port that brings its segments back
 * to its own core: one of the core's share of the ephemeral ports
 * (ixdp_handoff_port_ok()) whose hash, with RSS, lands on the core's
 * queues.  A segment that still reaches another core (the table was
 * rewritten, the tap forgot the flow) is handed to its owner, never
 * reset: the core that finds no connection for it passes a copy to the
 * next core that has not looked, the core owning its port first, and only
 * the last one answers it as a closed port would.  A SYN a core's listener
 * takes is not asked about; a twin it opens beside another core's
 * connection passes on the ACKs it did not send for (tcp_in.c).  An ICMP
 * error quoting a segment of no connection here goes round the same way,
 * and the last core counts it as rejected.  ARP packets that teach a core
 * a neighbour are passed to every other core too.
 *
 * Frames travel in one single-producer, single-consumer ring per ordered
 * pair of cores, as copies (a core's buffers stay in its own pool).  The
 * rings are lock free: the producer writes a slot, then publishes @head
 * with release semantics; the consumer reads it with acquire semantics,
 * copies the frame into a buffer of its own and publishes @tail.  A full
 * ring drops the frame and counts it; TCP sends it again.
 */
#ifndef _NET_IXDP_HANDOFF_H
#define _NET_IXDP_HANDOFF_H

#include <linux/types.h>

#include "stack.h"

#define IXDP_HANDOFF_CORES	16	/* cores of one device, at most */
#define IXDP_HANDOFF_SLOTS	32	/* frames per ring, a power of two */
#define IXDP_HANDOFF_ALIGN	64	/* apart: what each side writes */
/* Bytes a slot holds: any frame a receive buffer holds. */
#define IXDP_HANDOFF_DATA	(IXDP_BUF_SIZE - IXDP_BUF_RX_OFFSET)

#define IXDP_RSS_KEY_LEN	40	/* bytes of the Toeplitz key */
#define IXDP_RSS_MAX_INDIR	512	/* entries of the indirection table */
#define IXDP_RSS_NO_CORE	0xff	/* entry for a queue no core serves */
#define IXDP_RSS_QUEUES		64	/* queues a flow group balance places */

/* Ephemeral TCP ports: a core takes those of its share. */
#define IXDP_PORT_LO		49152
#define IXDP_PORT_N		16384

enum ixdp_handoff_kind {
	IXDP_HANDOFF_SEG,	/* a TCP segment looking for its connection */
	IXDP_HANDOFF_ARP,	/* an ARP packet: learn from it, answer none */
	IXDP_HANDOFF_ICMP,	/* an ICMP error looking for its connection */
};

/**
 * struct ixdp_handoff_slot - one frame in a ring
 * @len: its length, from the Ethernet header
 * @kind: enum ixdp_handoff_kind
 * @seen: cores that looked for its connection already, a bit each
 * @data: the frame
 */
struct ixdp_handoff_slot {
	u16	len;
	u16	kind;
	u32	seen;
	u8	data[IXDP_HANDOFF_DATA];
};

/**
 * struct ixdp_handoff_ring - frames from one core to another
 * @head: slots written, by the producer
 * @tail: slots consumed, by the consumer
 * @slot: the frames, @tail to @head (mod IXDP_HANDOFF_SLOTS)
 */
struct ixdp_handoff_ring {
	u32				head __aligned(IXDP_HANDOFF_ALIGN);
	u32				tail __aligned(IXDP_HANDOFF_ALIGN);
	struct ixdp_handoff_slot	slot[IXDP_HANDOFF_SLOTS]
					__aligned(IXDP_HANDOFF_ALIGN);
};

struct ixdp_handoff;

/**
 * struct ixdp_handoff_ops - how a core is told of frames handed to it
 * @kick: optional: frames wait for core @to, which may be asleep.
 *	Called by the producing core after publishing them.
 */
struct ixdp_handoff_ops {
	void	(*kick)(struct ixdp_handoff *h, unsigned int to);
};

/**
 * struct ixdp_rss - the device's receive steering, when it hashes
 * @key: its Toeplitz key
 * @nindir: entries of its indirection table, a power of two
 * @core: the core (index in the group) each entry leads to, or
 *	IXDP_RSS_NO_CORE
 */
struct ixdp_rss {
	u8	key[IXDP_RSS_KEY_LEN];
	u16	nindir;
	u8	core[IXDP_RSS_MAX_INDIR];
};

/**
 * struct ixdp_handoff - the cores of one device, for handing frames over
 * @ncores: cores in the group, 2 to IXDP_HANDOFF_CORES
 * @ops: how to wake a core
 * @priv: the ops' owner's
 * @rss: the device's steering, or NULL if it follows the sending queue
 * @ring: the rings, [from][to]; NULL on the diagonal
 *
 * Read-only once the cores run, but for the rings.
 */
struct ixdp_handoff {
	unsigned int			ncores;
	const struct ixdp_handoff_ops	*ops;
	void				*priv;
	const struct ixdp_rss		*rss;
	struct ixdp_handoff_ring	*ring[IXDP_HANDOFF_CORES]
					     [IXDP_HANDOFF_CORES];
};

/**
 * struct ixdp_flow_sel - the connections of a core whose flows lead to
 *	another core
 * @slot_core: the core each connection's flow leads to, by PCB slot
 *	(ixdp_rss_flow_core(), computed once per scale)
 * @core: the other core's index
 */
struct ixdp_flow_sel {
	const u8	*slot_core;
	u8		core;
};

/**
 * ixdp_flow_sel_has() - whether @sel selects the connection of PCB slot
 *	@idx
 * @sel: a selection, or NULL for every connection
 * @idx: the PCB slot
 *
 * Return: true if @sel is NULL or the flow in @idx leads to @sel's core.
 */
static inline bool ixdp_flow_sel_has(const struct ixdp_flow_sel *sel,
				     unsigned int idx)
{
	return !sel || sel->slot_core[idx] == sel->core;
}

u32 ixdp_rss_hash(const u8 *key, __be32 saddr, __be32 daddr, __be16 sport,
		  __be16 dport);
u8 ixdp_rss_flow_core(const struct ixdp_rss *rss, __be32 raddr, __be32 laddr,
		      __be16 rport, __be16 lport);
int ixdp_flow_groups_balance(u16 *indir, unsigned int n, const u8 *qcore,
			     unsigned int ncores);

void ixdp_handoff_join(struct ixdp_stack *s, struct ixdp_handoff *h,
		       unsigned int core);
bool ixdp_handoff_port_ok(const struct ixdp_stack *s, __be32 raddr,
			  __be16 rport, u16 lport);
bool ixdp_handoff_seg(struct ixdp_stack *s, struct ixdp_buf *b,
		      const struct iphdr *iph);
bool ixdp_handoff_icmp(struct ixdp_stack *s, struct ixdp_buf *b,
		       const struct iphdr *iph, u16 lport);
void ixdp_handoff_arp(struct ixdp_stack *s, const struct ixdp_buf *b);
unsigned int ixdp_handoff_poll(struct ixdp_stack *s, unsigned int budget);
bool ixdp_handoff_pending(const struct ixdp_stack *s);

#endif /* _NET_IXDP_HANDOFF_H */
