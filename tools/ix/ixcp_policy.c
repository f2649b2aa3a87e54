// SPDX-License-Identifier: GPL-2.0
/*
 * ixcp's rule, a band of load with hysteresis, and the changes it calls
 * for.  With n cores at a mean load L (ixcp_sample.c):
 *
 *  - add a core when L > high for `up` samples in a row, if n < max;
 *  - remove one when L < low and L * n / (n - 1) < 0.8 * high for `down`
 *    samples in a row, if n > min: the n - 1 cores left would carry the
 *    same work at that load, a fifth below high at least.
 *
 * Under a steady load it cannot go back and forth: a removal leaves the
 * cores at less than 0.8 * high, below the add threshold; an add comes
 * from L > high and leaves its n + 1 cores at L * n / (n + 1), which a
 * removal would take back to L, above 0.8 * high, so none follows.  A
 * sample that breaks a run starts its count again, and so does a change.
 *
 * The core added is the lowest reserved CPU that does not serve DEV, the
 * next one if the kernel refuses it (EINVAL: another device's, say); the
 * core removed is the highest.  A write refused with EAGAIN is made again
 * after a backoff of 1, 2, 4 ... 16 samples, at the first that still calls
 * for it (each try parks the device's cores); a refusal that repeats the
 * one before (EBUSY while an application drives a core) is said once.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ixcp.h"

/* A removal leaves the cores at most this share of --high. */
#define IXCP_REMOVE_MARGIN	0.8
/* Samples skipped after EAGAIN: 1, 2, 4 ... up to this, then again. */
#define IXCP_BACKOFF_MAX	16

/* What a change prints, kept until it is known whether to print it. */
struct ixcp_note {
	char buf[4 * VAL_MAX];
	size_t len;
};

static __printf(3, 4) void note(struct ixcp *cp, struct ixcp_note *n,
				 const char *fmt, ...)
{
	size_t room = sizeof(n->buf) - n->len;
	va_list ap;
	int len;

	len = snprintf(n->buf + n->len, room, "ixcp: %s: ", cp->o.dev);
	if (len < 0 || (size_t)len >= room)
		return;
	n->len += len;
	room -= len;
	va_start(ap, fmt);
	len = vsnprintf(n->buf + n->len, room, fmt, ap);
	va_end(ap);
	if (len > 0)
		n->len += (size_t)len < room ? (size_t)len : room - 1;
}

/* The most cores ixcp gives DEV. */
static unsigned int ixcp_most(const struct ixcp *cp)
{
	unsigned int limit = cp->cur->limit;

	return cp->o.max && cp->o.max < limit ? cp->o.max : limit;
}

/*
 * Count the samples that call for a change; 1 (add a core), -1 (remove
 * one) once they are enough, else 0.
 */
int ixcp_decide(struct ixcp *cp)
{
	const struct ixcp_view *v = cp->cur;
	double mean = v->mean;
	unsigned int n = v->n;

	if (mean > cp->o.high && n < ixcp_most(cp))
		cp->above++;
	else
		cp->above = 0;
	if (n > cp->o.min && n > 1 && mean < cp->o.low &&
	    mean * n / (n - 1) < IXCP_REMOVE_MARGIN * cp->o.high)
		cp->below++;
	else
		cp->below = 0;
	if (cp->above >= cp->o.up)
		return 1;
	if (cp->below >= cp->o.down)
		return -1;
	return 0;
}

/* The lowest reserved CPU above @from that does not serve DEV; -1: none. */
static int candidate(const struct ixcp_view *v, int from)
{
	int cpu;

	for (cpu = from + 1; cpu < MAX_CPUS; cpu++)
		if (v->reserved[cpu] && !v->serving[cpu])
			return cpu;
	return -1;
}

static int highest(const struct ixcp_view *v)
{
	int cpu;

	for (cpu = MAX_CPUS - 1; cpu > 0; cpu--)
		if (v->serving[cpu])
			break;
	return cpu;
}

/* What a refused change means, and what ixcp does about it. */
static const char *change_error(int err)
{
	switch (err) {
	case EAGAIN:
		return "a leaving core's connection is in its handshake; retried after a backoff";
	case EBUSY:
		return "an application drives the device and cannot follow this change (not elastic, no standby thread); watching";
	case ENOSPC:
		return "no room for the connections of the leaving core";
	case EINVAL:
		return "refused (a CPU not reserved or another device's, or more CPUs than queues)";
	default:
		return strerror(err);
	}
}

/* Write @set as DEV's cpus; its list in @list. */
static int scale_to(struct ixcp *cp, const char *set, char *list, size_t len)
{
	if (format_list(set, list, len))
		return -E2BIG;
	return dev_write(cp->o.dev, "cpus", list);
}

/*
 * Add @cpu to @set, then the next candidates in turn while the kernel
 * refuses them as not its own to give (EINVAL); 0 or the last -errno,
 * with the list written or refused in @list.
 */
static int add_core(struct ixcp *cp, struct ixcp_note *n, char *set, int cpu,
		    char *list, size_t len)
{
	int next, err;

	for (;;) {
		set[cpu] = 1;
		err = scale_to(cp, set, list, len);
		next = candidate(cp->cur, cpu);
		if (err != -EINVAL || next < 0)
			return err;
		note(cp, n, "cpu %d %s; trying cpu %d\n", cpu,
		     change_error(EINVAL), next);
		set[cpu] = 0;
		cpu = next;
	}
}

/* The change refused: said unless it repeats the refusal before. */
static bool refused(struct ixcp *cp, struct ixcp_note *n, int dir,
		    const char *list, int err)
{
	char key[sizeof(cp->failed)];
	bool again;

	note(cp, n, "cannot scale to %s: %s\n", list, change_error(-err));
	snprintf(key, sizeof(key), "%d %d %s", dir, err, list);
	again = !strcmp(key, cp->failed);
	memcpy(cp->failed, key, sizeof(key));
	/*
	 * Tried again at the first sample after a backoff that still calls
	 * for it: each try parks the device's cores, so the tries thin out.
	 */
	if (err == -EAGAIN) {
		cp->above = dir > 0 ? cp->o.up - 1 : 0;
		cp->below = dir < 0 ? cp->o.down - 1 : 0;
		cp->backoff = cp->backoff ? cp->backoff * 2 : 1;
		if (cp->backoff > IXCP_BACKOFF_MAX)
			cp->backoff = IXCP_BACKOFF_MAX;
		cp->skip = cp->backoff;
	}
	return !again || cp->o.verbose;
}

/*
 * Make the change ixcp_decide() called for and say so; IXCP_READ_GONE,
 * said, if DEV went away meanwhile.
 */
enum ixcp_read ixcp_change(struct ixcp *cp, int dir)
{
	const struct ixcp_view *v = cp->cur;
	static struct ixcp_note n;
	char set[MAX_CPUS];
	char list[VAL_MAX];
	bool say_it = true;
	int cpu, err;

	n.len = 0;
	cp->above = 0;
	cp->below = 0;
	memcpy(set, v->serving, sizeof(set));
	cpu = dir > 0 ? candidate(v, 0) : highest(v);
	if (cpu < 0)
		return IXCP_READ_OK;
	set[cpu] = dir > 0;
	if (format_list(set, list, sizeof(list)))
		return IXCP_READ_OK;
	note(cp, &n, "load %.2f on %u core%s (cpus %s): %sscale to %s\n",
	     v->mean, v->n, v->n == 1 ? "" : "s", v->list,
	     cp->o.dry_run ? "would " : "", list);
	if (cp->o.dry_run) {
		fputs(n.buf, stdout);
		return IXCP_READ_OK;
	}
	err = dir > 0 ? add_core(cp, &n, set, cpu, list, sizeof(list)) :
			scale_to(cp, set, list, sizeof(list));
	if (err == -ENOENT || err == -ENODEV) {
		fputs(n.buf, stdout);
		n.len = 0;
		if (ixcp_attached(cp->o.dev) == IXCP_READ_GONE)
			return IXCP_READ_GONE;
	}
	if (err) {
		say_it = refused(cp, &n, dir, list, err);
	} else {
		note(cp, &n, "scaled to %s\n", list);
		cp->failed[0] = '\0';
		cp->backoff = 0;
		cp->skip = cp->o.cooldown;
	}
	if (say_it && n.len)
		fputs(n.buf, stdout);
	return IXCP_READ_OK;
}
