/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the alignment of shared mappings. */
#ifndef _IX_SHIM_ASM_SHMPARAM_H
#define _IX_SHIM_ASM_SHMPARAM_H
#define SHMLBA	4096
#endif
