/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-memory Ethernet cable between two ixdp stacks, with a
 * deterministic fault injector: a seeded PRNG decides, frame by frame,
 * loss, duplication, reordering and corruption.  Frames in flight are
 * copies; wire_pump() delivers them into buffers of the receiver's pool,
 * as a NIC would, so a stack never re-enters itself from its xmit.
 */
#ifndef _IX_WIRE_H
#define _IX_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "handoff.h"
#include "stack.h"

#define WIRE_MAX_FRAMES	1024

struct wire;
struct wire_end;
struct wire_frame;

/**
 * struct wire_dev - not a fault: a device between each end and the cable
 * @xmit: the end's frame to send; the device's from now on, put back when
 *	sent or refused; returns 0 or -errno
 * @rx: a frame from the cable for end @e
 * @poll: let the devices work: send what they hold (through wire_put()),
 *	give their ends what they received; returns how much they did
 */
struct wire_dev {
	int		(*xmit)(struct wire_dev *d, struct wire_end *e,
				struct ixdp_buf *b);
	void		(*rx)(struct wire_dev *d, struct wire_end *e,
			      const uint8_t *data, uint32_t len);
	unsigned int	(*poll)(struct wire_dev *d);
};

/* Rates in parts per 1000. */
struct wire_faults {
	unsigned int	loss;
	unsigned int	dup;
	unsigned int	reorder;
	unsigned int	corrupt;
	unsigned int	drop_first;	/* lose the first N frames sent */
	/* Not a fault: the stacks send TCP payloads as frags. */
	bool		frags;
	/*
	 * Not a fault either: the device of end 0 has a second core, end 2,
	 * in one handoff group.  Frames to it land on either core at random,
	 * or with @rss as the device's hashing would steer them.
	 */
	bool		two_cores;
	const struct ixdp_rss *rss;
	/*
	 * Nor this: end 2 has end 0's addresses, in no handoff group, and
	 * each frame to device 0 goes to the end @steer returns, 0 or 2
	 * (not with two_cores).
	 */
	unsigned int	(*steer)(struct wire *w, const struct wire_frame *f);
	/*
	 * Nor this: each frame as an end puts it on the cable, before the
	 * faults; true loses it (counted lost).
	 */
	bool		(*tap)(struct wire *w, unsigned int from,
			       const uint8_t *data, uint32_t len);
	/* Nor this: frames go through a device model (not with two_cores). */
	struct wire_dev *dev;
};

struct wire_frame {
	unsigned int	to;		/* device 0 or 1 */
	uint16_t	len;
	uint8_t		data[IXDP_BUF_SIZE];
};

struct wire_end {
	struct ixdp_stack	s;
	struct ixdp_pool	pool;
	void			*mem;
	struct ixdp_buf		*descs;
	struct ixdp_frag	*frags;
	long			frag_refs;	/* frag_get less frag_put */
	uint64_t		frag_frames;	/* frames sent with frags */
	struct wire		*wire;
	unsigned int		idx;
};

#define WIRE_ENDS	3

struct wire {
	struct wire_end		end[WIRE_ENDS];	/* end 2: two_cores only */
	unsigned int		nends;
	struct ixdp_handoff	ho;		/* of ends 0 and 2 */
	struct wire_faults	faults;
	uint64_t		rng;
	struct wire_frame	*q;		/* frames in flight, a ring */
	struct wire_frame	*tmp;		/* the frame being delivered */
	struct wire_frame	*swap;
	struct wire_frame	*out;		/* the frame being sent */
	unsigned int		head;
	unsigned int		qlen;
	uint64_t		sent, lost, duped, reordered, corrupted;
	uint64_t		delivered, rx_no_buf, overflow;
};

/*
 * Two stacks, 198.18.0.2 and .3 on /24, @nbufs buffers each; with
 * two_cores a third, end 2, with end 0's addresses.
 */
int wire_init(struct wire *w, unsigned int nbufs, uint64_t seed,
	      const struct wire_faults *faults);
/* Tear the stacks down; true if every pool is full again, no frag held. */
bool wire_fini(struct wire *w);
/* Deliver frames until none is in flight (bounded); return how many. */
unsigned int wire_pump(struct wire *w);
/* Move every clock to @now. */
void wire_advance(struct wire *w, uint64_t now);
uint64_t wire_rand(struct wire *w);
/* A frame from end @from's device onto the cable, faults and all. */
void wire_put(struct wire *w, unsigned int from, const uint8_t *data,
	      uint32_t len);

#endif /* _IX_WIRE_H */
