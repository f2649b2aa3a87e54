/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private declarations shared between the files of net/ixdp.
 */
#ifndef _NET_IXDP_IXDP_H
#define _NET_IXDP_IXDP_H

#include <linux/init.h>

/* dev.c */
int __init ixdp_dev_init(void);

/* sysfs.c */
int __init ixdp_sysfs_init(void);
void ixdp_sysfs_exit(void);

#endif /* _NET_IXDP_IXDP_H */
