// SPDX-License-Identifier: GPL-2.0
/*
 * ixcp: one sample of a device.  The cores serving DEV are the CPUs its
 * cpus attribute lists; each has its counters in DEV's cpu<N>/
 * (net/ixdp/stats.c).  A core's loop adds the time of an iteration that
 * found work to busy_ns and that of one that found none, sleeps included,
 * to idle_ns (net/ixdp/loop.c), so its load over an interval is busy /
 * (busy + idle) of what they added: the share of its time the core
 * worked.  It is 0 if they added nothing: a sleeping core counts its
 * sleep when it wakes.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ixcp.h"

/*
 * Is DEV attached?  IXCP_READ_GONE if it is gone or detached, said with
 * the file read; IXCP_READ_SKIP, said, if that file cannot be read.
 */
enum ixcp_read ixcp_attached(const char *dev)
{
	char path[PATH_MAX], dir[PATH_MAX], val[16];
	int err = dev_read(dev, "attached", val, sizeof(val));

	dev_path(path, sizeof(path), dev, "attached");
	if (err == -ENOENT || err == -ENODEV) {
		dev_path(dir, sizeof(dir), dev, NULL);
		if (access(dir, F_OK))
			say("no device '%s' (%s: %s)\n", dev, path,
			    strerror(-err));
		else
			say("%s's driver cannot hand queues to ixdp (%s: %s)\n",
			    dev, path, strerror(-err));
		return IXCP_READ_GONE;
	}
	if (err) {
		say("cannot read %s: %s\n", path, read_error(err));
		return IXCP_READ_SKIP;
	}
	if (strcmp(val, "1")) {
		say("%s is not attached (%s reads '%s'): ix attach gives it its CPUs\n",
		    dev, path, val);
		return IXCP_READ_GONE;
	}
	return IXCP_READ_OK;
}

/* A read failure, said once until a sample is whole again (-v: always). */
static enum ixcp_read unreadable(struct ixcp *cp, const char *path,
				 const char *why)
{
	if (!cp->unreadable || cp->o.verbose)
		say("cannot read %s: %s; sample skipped\n", path, why);
	cp->unreadable = true;
	return IXCP_READ_SKIP;
}

/* Why a value could not be used: -EINVAL is "not @what". */
static const char *why(int err, const char *what)
{
	return err == -EINVAL ? what : read_error(err);
}

static unsigned int count(const char *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_CPUS; i++)
		n += set[i];
	return n;
}

/* DEV's attribute @name, a list into @set; 0 or -errno. */
static int dev_list(const char *dev, const char *name, char *buf, size_t len,
		    char *set)
{
	int err = dev_read(dev, name, buf, len);

	if (err)
		return err;
	return parse_list(buf, set) ? -EINVAL : 0;
}

static int counter(const char *dev, const char *name, unsigned long long *val)
{
	char buf[32], *end;
	int err = dev_read(dev, name, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (end == buf || *end || errno || buf[0] == '-')
		return -EINVAL;
	return 0;
}

/* Each serving core's counters into @v; IXCP_READ_SKIP, said, if one fails. */
static enum ixcp_read read_counters(struct ixcp *cp, struct ixcp_view *v)
{
	static const char *const names[] = { "busy_ns", "idle_ns" };
	char name[64], path[PATH_MAX];
	unsigned long long *dst;
	unsigned int cpu, i;
	int err;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!v->serving[cpu])
			continue;
		for (i = 0; i < ARRAY_SIZE(names); i++) {
			dst = i ? &v->idle[cpu] : &v->busy[cpu];
			snprintf(name, sizeof(name), "cpu%u/%s", cpu, names[i]);
			err = counter(cp->o.dev, name, dst);
			if (!err)
				continue;
			dev_path(path, sizeof(path), cp->o.dev, name);
			return unreadable(cp, path, why(err, "not a count"));
		}
	}
	return IXCP_READ_OK;
}

/*
 * Read a sample of DEV into @v: whether it is still attached, its CPUs,
 * the reserved CPUs, its queues and each core's counters.
 */
enum ixcp_read ixcp_read(struct ixcp *cp, struct ixcp_view *v)
{
	char path[PATH_MAX], buf[VAL_MAX], set[MAX_CPUS];
	const char *dev = cp->o.dev;
	enum ixcp_read ret;
	unsigned int nq;
	int err;

	ret = ixcp_attached(dev);
	if (ret != IXCP_READ_OK)
		return ret;
	err = dev_list(dev, "cpus", v->list, sizeof(v->list), v->serving);
	v->n = count(v->serving);
	if (err || !v->n) {
		dev_path(path, sizeof(path), dev, "cpus");
		return unreadable(cp, path, err ? why(err, "not a CPU list") :
				  "no CPU listed");
	}
	err = ixdp_read("cpus", buf, sizeof(buf));
	if (!err && parse_list(buf, v->reserved))
		err = -EINVAL;
	if (err) {
		ixdp_path(path, sizeof(path), "cpus");
		return unreadable(cp, path, why(err, "not a CPU list"));
	}
	err = dev_list(dev, "queues", buf, sizeof(buf), set);
	if (err) {
		dev_path(path, sizeof(path), dev, "queues");
		return unreadable(cp, path, why(err, "not a list"));
	}
	nq = count(set);
	v->limit = count(v->reserved);
	if (nq < v->limit)
		v->limit = nq;
	ret = read_counters(cp, v);
	if (ret == IXCP_READ_OK)
		cp->unreadable = false;
	return ret;
}

/*
 * The loads of @cur's cores since @prev.  False if there is none: no
 * sample before, another set of cores, or a counter that went back (a
 * core made again).
 */
bool ixcp_loads(const struct ixcp_view *prev, struct ixcp_view *cur)
{
	unsigned long long busy, idle;
	unsigned int cpu;
	double sum = 0;

	if (!prev || memcmp(prev->serving, cur->serving, MAX_CPUS))
		return false;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!cur->serving[cpu])
			continue;
		if (cur->busy[cpu] < prev->busy[cpu] ||
		    cur->idle[cpu] < prev->idle[cpu])
			return false;
		busy = cur->busy[cpu] - prev->busy[cpu];
		idle = cur->idle[cpu] - prev->idle[cpu];
		cur->load[cpu] = busy + idle ? (double)busy / (busy + idle) : 0;
		sum += cur->load[cpu];
	}
	cur->mean = sum / cur->n;
	return true;
}
