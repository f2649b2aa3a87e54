/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private declarations shared between the files of net/ixdp.
 */
#ifndef _NET_IXDP_IXDP_H
#define _NET_IXDP_IXDP_H

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/types.h>

/* cpu.c */
ssize_t ixdp_cpus_show(char *buf);
int ixdp_cpus_set(const struct cpumask *want);

/* dev.c */
int __init ixdp_dev_init(void);

/* sysfs.c */
int __init ixdp_sysfs_init(void);
void ixdp_sysfs_exit(void);

#endif /* _NET_IXDP_IXDP_H */
