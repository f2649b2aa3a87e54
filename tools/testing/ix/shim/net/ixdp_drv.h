/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: <net/ixdp_drv.h> is the tree's own, as the kernel has it. */
#include "../../../../../include/net/ixdp_drv.h"
