/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two modelled 82599 ports as the devices of a wire (wire.h): the stacks
 * of its ends send and receive through ixgbe_ixdp.c's queue ops, as
 * net/ixdp/loop.c drives them, and the model puts frames on the cable
 * and takes them off it.
 */
#ifndef _IX_IXGBE_WIRE_H
#define _IX_IXGBE_WIRE_H

#include "wire.h"

struct ixgbe_wire;

/* Two ports; @f->dev is set to them, for wire_init(). */
struct ixgbe_wire *ixgbe_wire_new(struct wire_faults *f);
/* After wire_init(): take queue 0 of each port for an end, post buffers. */
int ixgbe_wire_attach(struct ixgbe_wire *x, struct wire *w);
/* Give the queues back (every buffer to its pool), free the ports; true
 * if the model found no rule broken.
 */
bool ixgbe_wire_free(struct ixgbe_wire *x);

#endif /* _IX_IXGBE_WIRE_H */
