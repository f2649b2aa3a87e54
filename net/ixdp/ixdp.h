/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private declarations shared between the files of net/ixdp.
 */
#ifndef _NET_IXDP_IXDP_H
#define _NET_IXDP_IXDP_H

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/types.h>

struct task_struct;

/* app_cmd.c */
int __init ixdp_app_cmds_check(void);

/* cpu.c */
ssize_t ixdp_cpus_show(char *buf);
int ixdp_cpus_set(const struct cpumask *want);
int ixdp_cpu_get(unsigned int cpu);
void ixdp_cpu_put(unsigned int cpu);
int ixdp_cpu_bind(unsigned int cpu, struct task_struct *task);
void ixdp_cpu_unbind(unsigned int cpu, struct task_struct *task);

/* drv.c */
struct net_device;
struct ixdp_drv_ops;
const struct ixdp_drv_ops *ixdp_drv_ops(const struct net_device *dev);

/* dev.c */
int __init ixdp_dev_init(void);
void ixdp_dev_exit(void);

/* sysfs.c */
int __init ixdp_sysfs_init(void);
void ixdp_sysfs_exit(void);

#endif /* _NET_IXDP_IXDP_H */
