/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: <linux/bug.h> is WARN*() and BUILD_BUG*(), which
 * tools/include has in asm/bug.h and linux/build_bug.h (its own
 * linux/bug.h clashes with build_bug.h).
 */
#ifndef _IX_SHIM_LINUX_BUG_H
#define _IX_SHIM_LINUX_BUG_H
#include <linux/build_bug.h>
#include <asm/bug.h>
#endif
