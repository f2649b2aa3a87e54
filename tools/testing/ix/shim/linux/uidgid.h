/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the types of the device's delegation (owner, group). */
#ifndef _IX_SHIM_LINUX_UIDGID_H
#define _IX_SHIM_LINUX_UIDGID_H
typedef struct { unsigned int val; } kuid_t;
typedef struct { unsigned int val; } kgid_t;
#endif
