/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: tools/include's bitmaps; bitmap_zalloc() takes gfp flags. */
#ifndef _IX_SHIM_LINUX_BITMAP_H
#define _IX_SHIM_LINUX_BITMAP_H
#include_next <linux/bitmap.h>
#define bitmap_zalloc(nbits, gfp)	calloc(1, bitmap_size(nbits))
#endif
