/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: <uapi/linux/ix.h> is the tree's own, as the kernel has it. */
#include "../../../../../../include/uapi/linux/ix.h"
