/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kv*alloc() family is in <linux/mm.h> here. */
#ifndef _IX_SHIM_LINUX_SLAB_H
#define _IX_SHIM_LINUX_SLAB_H
#include_next <linux/slab.h>
#include <linux/mm.h>
#endif
