/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: all of it is in <linux/sched.h>. */
#include <linux/sched.h>
