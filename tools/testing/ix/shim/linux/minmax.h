/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: tools/include keeps min() and max() in linux/kernel.h. */
#ifndef _IX_SHIM_LINUX_MINMAX_H
#define _IX_SHIM_LINUX_MINMAX_H
#include <linux/kernel.h>
#endif
