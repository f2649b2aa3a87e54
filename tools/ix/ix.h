/* SPDX-License-Identifier: GPL-2.0 */
/* The ix tool's parts: what each file offers the others. */
#ifndef IX_TOOL_H
#define IX_TOOL_H

#include <stdio.h>

#define MAX_CPUS	4096
/*
 * Room for an attribute's value: a CPU or queue list on a big machine
 * runs to kilobytes.  A longer value is refused, never cut short.
 */
#define VAL_MAX		4096
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

extern const char *prog;

/*
 * Where error messages come from: the tool's name, or "FILE:LINE" while
 * ix apply works through a file.
 */
extern const char *where;
void say(const char *fmt, ...);

/* sysfs.c: /sys, or $IX_SYSFS_ROOT/sys for tests on a fake tree. */
void ixdp_path(char *buf, size_t len, const char *name);
void dev_path(char *buf, size_t len, const char *dev, const char *name);
const char *read_error(int err);
int ixdp_read(const char *name, char *buf, size_t len);
int read_attr(const char *name, char *buf, size_t len);
int dev_read(const char *dev, const char *name, char *buf, size_t len);
int dev_write(const char *dev, const char *name, const char *val);
int dev_check(const char *dev);
int visit_devs(void (*fn)(const char *dev, void *arg), void *arg);
int parse_list(const char *s, char *set);
int format_list(const char *set, char *buf, size_t len);

/*
 * What ix apply knows of the configuration it has read so far, so that
 * a line is checked against the lines before it rather than against
 * the running system alone.
 */
#define PLAN_DEVS	16
struct ix_plan {
	const char *cpus;		/* the reserved CPUs, NULL: as now */
	unsigned int ndevs;
	struct {
		const char *dev;
		int attached;		/* -1: as now */
		const char *cpus;	/* its CPUs, if attached by the plan */
	} devs[PLAN_DEVS];
};

/* ix.c */
int cpus_check(const char *list);
int cmd_cpus(int argc, char **argv);

/* attach.c: 0, 1 (refused) or 2 (misused), as the commands return. */
int attach_check(int argc, char **argv, struct ix_plan *plan);
int cmd_attach(int argc, char **argv);
int detach_check(int argc, char **argv, struct ix_plan *plan);
int cpus_kept(const char *list, struct ix_plan *plan);
int cmd_detach(int argc, char **argv);
int cmd_scale(int argc, char **argv);

/* apply.c */
int cmd_apply(int argc, char **argv);

#endif
