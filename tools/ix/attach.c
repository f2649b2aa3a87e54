// SPDX-License-Identifier: GPL-2.0
/*
 * ix attach and ix detach.
 *
 * attach writes the attributes named on its command line and nothing
 * else: a value the admin set through sysfs stays as it was.  Every
 * keyword and value is checked before the first write, and the values
 * it replaces are read first, so that a write the kernel refuses
 * midway can put the earlier ones back: an attach either happens or
 * leaves the device as it found it.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ix.h"

/* The kernel's limits (net/ixdp/dp.h, tcp.h), checked here first. */
#define BATCH_MAX	512
#define CONNS_MAX	65535
#define SYN_RETRIES_MAX	127
#define PORT_MAX	65535
#define PUNT_RATE_MAX	1000000

struct ix_key {
	const char *name;	/* the attribute in /sys/class/net/DEV/ixdp */
	const char *alias;	/* its short name, or NULL */
	int (*valid)(const char *val, unsigned long max);
	unsigned long min, max;	/* for counts: the hint is built from them */
	const char *hint;	/* what a good value looks like */
};

static int valid_list(const char *val, unsigned long max)
{
	char set[MAX_CPUS];

	return parse_list(val, set);
}

/* A number of digits alone, at most @max; -1 if not. */
static long number(const char *val, unsigned long max)
{
	unsigned long n;
	char *end;

	if (*val < '0' || *val > '9' || strlen(val) > 10)
		return -1;
	n = strtoul(val, &end, 10);
	return *end || n > max ? -1 : (long)n;
}

static int valid_count(const char *val, unsigned long max)
{
	return number(val, max) < 1 ? -1 : 0;
}

/* A number from 0 to @max: a port, a rate. */
static int valid_number(const char *val, unsigned long max)
{
	return number(val, max) < 0 ? -1 : 0;
}

/* As the kernel's addr_store(): not 0/8, multicast or broadcast. */
static int valid_unicast(const char *s, int gateway)
{
	struct in_addr in;
	unsigned int a;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	a = ntohl(in.s_addr);
	if (a >> 24 == 0 || (a >> 28) == 0xe)
		return -1;
	return !gateway && a == 0xffffffff ? -1 : 0;
}

static int valid_addr(const char *val, unsigned long max)
{
	const char *slash = strchr(val, '/');
	char ip[INET_ADDRSTRLEN];

	if (!slash || slash - val >= (long)sizeof(ip))
		return -1;
	memcpy(ip, val, slash - val);
	ip[slash - val] = '\0';
	if (valid_unicast(ip, 0) || number(slash + 1, 32) < 1)
		return -1;
	return 0;
}

/* A gateway, or an empty value for none. */
static int valid_gateway(const char *val, unsigned long max)
{
	return *val ? valid_unicast(val, 1) : 0;
}

/* What the kernel's kstrtobool() takes, in the words of ix's usage. */
static int valid_switch(const char *val, unsigned long max)
{
	static const char *const words[] = {
		"on", "off", "1", "0", "y", "n", "yes", "no",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(val, words[i]))
			return 0;
	return -1;
}

/* A user or group ID, or -1 for none. */
static int valid_id(const char *val, unsigned long max)
{
	return !strcmp(val, "-1") || number(val, max) >= 0 ? 0 : -1;
}

/* In the order they are written: the kernel checks addr against none. */
static const struct ix_key keys[] = {
	{ "queues", NULL, valid_list, 0, 0,
	  "not a list; write it like 0-1,3" },
	{ "cpus", NULL, valid_list, 0, 0, "not a list; write it like 0-1,3" },
	{ "addr", NULL, valid_addr, 0, 0,
	  "write the address as A.B.C.D/P, a unicast address" },
	{ "gateway", "gw", valid_gateway, 0, 0,
	  "write the gateway as A.B.C.D, on the address's subnet" },
	{ "batch", NULL, valid_count, 1, BATCH_MAX, NULL },
	{ "echo_port", NULL, valid_number, 0, PORT_MAX, NULL },
	{ "max_conns", "conns", valid_count, 1, CONNS_MAX, NULL },
	{ "syn_retries", "syn", valid_count, 1, SYN_RETRIES_MAX, NULL },
	{ "tx_csum", "csum", valid_switch, 0, 0, "write on or off" },
	{ "tx_sg", "sg", valid_switch, 0, 0, "write on or off" },
	{ "punt_rate", NULL, valid_number, 0, PUNT_RATE_MAX, NULL },
	{ "linux", NULL, valid_switch, 0, 0, "write on or off" },
	{ "steer", NULL, valid_switch, 0, 0, "write on or off" },
	{ "owner", NULL, valid_id, 0, INT_MAX,
	  "write a number, or -1 for none" },
	{ "group", NULL, valid_id, 0, INT_MAX,
	  "write a number, or -1 for none" },
};

#define NKEYS	ARRAY_SIZE(keys)

/* What attach needs, whatever else it is given. */
static const char *const required[] = { "queues", "cpus", "addr" };

struct attach_req {
	const char *dev;
	const char *val[NKEYS];		/* NULL: not given, left alone */
	const char *word[NKEYS];	/* as typed: the name or the alias */
};

static const struct ix_key *find_key(const char *word)
{
	unsigned int i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(word, keys[i].name) ||
		    (keys[i].alias && !strcmp(word, keys[i].alias)))
			return &keys[i];
	return NULL;
}

/* Why @k's value is refused, in the word the admin typed. */
static const char *key_hint(const struct ix_key *k, const char *word)
{
	static char msg[128];

	if (k->hint)
		return k->hint;
	snprintf(msg, sizeof(msg), "%s must be %lu to %lu", word, k->min,
		 k->max);
	return msg;
}

static int attach_parse(int argc, char **argv, struct attach_req *req)
{
	const struct ix_key *k;
	unsigned int i;
	int a;

	if (argc < 2 || argc % 2) {
		say("attach takes DEV, then KEYWORD VALUE pairs (see %s help)\n",
		    prog);
		return 2;
	}
	memset(req, 0, sizeof(*req));
	req->dev = argv[1];
	for (a = 2; a < argc; a += 2) {
		k = find_key(argv[a]);
		if (!k) {
			say("attach: unknown keyword '%s'\n", argv[a]);
			return 2;
		}
		i = k - keys;
		if (req->val[i]) {
			say("attach: %s given twice\n", k->name);
			return 2;
		}
		req->val[i] = argv[a + 1];
		req->word[i] = argv[a];
	}
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (!req->val[find_key(required[i]) - keys]) {
			say("attach needs queues, cpus and addr\n");
			return 2;
		}
	}
	for (i = 0; i < NKEYS; i++) {
		if (req->val[i] && keys[i].valid(req->val[i], keys[i].max)) {
			say("%s '%s': %s\n", keys[i].name, req->val[i],
			    key_hint(&keys[i], req->word[i]));
			return 1;
		}
	}
	return 0;
}

/* @dev's index in @plan, or -1. */
static int plan_find(const struct ix_plan *plan, const char *dev)
{
	unsigned int i;

	for (i = 0; i < plan->ndevs; i++)
		if (!strcmp(plan->devs[i].dev, dev))
			return i;
	return -1;
}

/* @dev's entry in @plan, added if new; NULL if the plan is full. */
static int *plan_attached(struct ix_plan *plan, const char *dev)
{
	int i = plan_find(plan, dev);

	if (i >= 0)
		return &plan->devs[i].attached;
	if (plan->ndevs == PLAN_DEVS)
		return NULL;
	i = plan->ndevs++;
	plan->devs[i].dev = dev;
	plan->devs[i].attached = -1;
	plan->devs[i].cpus = NULL;
	return &plan->devs[i].attached;
}

/* Is @dev attached, as @plan has it, or else as the kernel has it? */
static int is_attached(const char *dev, struct ix_plan *plan)
{
	int *planned = plan ? plan_attached(plan, dev) : NULL;
	char buf[16];

	if (planned && *planned >= 0)
		return *planned;
	return !dev_read(dev, "attached", buf, sizeof(buf)) &&
	       !strcmp(buf, "1");
}

/* Are the CPUs of @req reserved (in @plan, or now)? */
static int cpus_reserved(const struct attach_req *req, struct ix_plan *plan)
{
	const char *cpus = req->val[find_key("cpus") - keys];
	char want[MAX_CPUS], have[MAX_CPUS], buf[VAL_MAX];
	const char *now = buf;
	int i;

	if (plan && plan->cpus)
		now = plan->cpus;
	else if (read_attr("cpus", buf, sizeof(buf)))
		return -1;
	if (parse_list(cpus, want) || parse_list(now, have))
		return -1;
	for (i = 0; i < MAX_CPUS; i++) {
		if (want[i] && !have[i]) {
			say("CPU %d is not reserved; run: %s cpus LIST (reserved %s: %s)\n",
			    i, prog, plan && plan->cpus ? "by then" : "now",
			    now[0] ? now : "none");
			return -1;
		}
	}
	return 0;
}

/*
 * Check an attach command line against the system and, for ix apply,
 * against the lines before it (@plan, or NULL); writes nothing.
 */
static int attach_prepare(int argc, char **argv, struct ix_plan *plan,
			  struct attach_req *req)
{
	int *planned;
	int err = attach_parse(argc, argv, req);

	if (err)
		return err;
	if (dev_check(req->dev))
		return 1;
	if (is_attached(req->dev, plan)) {
		say("%s is attached; run: %s detach %s\n", req->dev, prog,
		    req->dev);
		return 1;
	}
	if (cpus_reserved(req, plan))
		return 1;
	if (plan) {
		planned = plan_attached(plan, req->dev);
		if (!planned) {
			say("more than %d devices\n", PLAN_DEVS);
			return 1;
		}
		*planned = 1;
		plan->devs[plan_find(plan, req->dev)].cpus =
			req->val[find_key("cpus") - keys];
	}
	return 0;
}

/* Does @keep hold every CPU of @dev's list @cpus?  Says which it lacks. */
static int cpus_used(const char *keep, const char *dev, const char *cpus,
		     const char *when)
{
	char set[MAX_CPUS];
	int i;

	if (parse_list(cpus, set)) {
		say("%s's cpus '%s' is not a CPU list\n", dev, cpus);
		return -1;
	}
	for (i = 0; i < MAX_CPUS; i++) {
		if (set[i] && !keep[i]) {
			say("CPU %d is in use by %s (attached %s); detach it first\n",
			    i, dev, when);
			return -1;
		}
	}
	return 0;
}

struct kept {
	const char *keep;
	const struct ix_plan *plan;
	int bad;
};

/* A device the plan leaves as it is: if attached now, are its CPUs kept? */
static void cpus_kept_now(const char *dev, void *arg)
{
	struct kept *k = arg;
	char cpus[VAL_MAX];
	int i = plan_find(k->plan, dev), err;

	if (k->bad || (i >= 0 && k->plan->devs[i].attached >= 0) ||
	    !is_attached(dev, NULL))
		return;
	err = dev_read(dev, "cpus", cpus, sizeof(cpus));
	if (err) {
		say("cannot read %s's cpus: %s\n", dev, read_error(err));
		k->bad = 1;
		return;
	}
	if (cpus_used(k->keep, dev, cpus, "now"))
		k->bad = 1;
}

/*
 * For ix apply: may the reserved CPUs become @list?  Not if it drops a
 * CPU of a device attached now, or by the lines before (@plan): the
 * kernel would refuse it, halfway through the file.
 */
int cpus_kept(const char *list, struct ix_plan *plan)
{
	char keep[MAX_CPUS];
	struct kept k = { keep, plan, 0 };
	unsigned int i;

	if (parse_list(list, keep))
		return 1;
	for (i = 0; i < plan->ndevs; i++)
		if (plan->devs[i].attached == 1 &&
		    cpus_used(keep, plan->devs[i].dev, plan->devs[i].cpus,
			      "by then"))
			return 1;
	visit_devs(cpus_kept_now, &k);
	return k.bad;
}

int attach_check(int argc, char **argv, struct ix_plan *plan)
{
	struct attach_req req;

	return attach_prepare(argc, argv, plan, &req);
}

/* A refused write of @what (an attribute, or "attached"), explained. */
static const char *attach_error(const char *what, int err, const char *dev)
{
	const struct ix_key *k = find_key(what);
	static char msg[256];

	switch (err) {
	case -EBUSY:
		if (!strcmp(what, "attached"))
			return "a queue is in use by XDP or AF_XDP, or its CPU is busy";
		snprintf(msg, sizeof(msg), "%s is attached; run: %s detach %s",
			 dev, prog, dev);
		return msg;
	case -ERANGE:
		if (!strcmp(what, "queues")) {
			snprintf(msg, sizeof(msg),
				 "no such queue pair (see ethtool -l %s)", dev);
			return msg;
		}
		return k ? key_hint(k, k->name) : strerror(-err);
	case -ENETDOWN:
		snprintf(msg, sizeof(msg), "%s is down; run: ip link set %s up",
			 dev, dev);
		return msg;
	case -EINVAL:
		if (!strcmp(what, "attached"))
			return "the configuration is incomplete or does not fit the device";
		return k ? key_hint(k, k->name) : strerror(-err);
	case -EACCES:
	case -EPERM:
		return "permission denied; needs CAP_NET_ADMIN (run as root)";
	default:
		return strerror(-err);
	}
}

/* Put back the values of keys[0..@n) that @req changed; say which. */
static void attach_restore(const struct attach_req *req, char old[][VAL_MAX],
			   unsigned int n)
{
	char done[256] = "";
	size_t len = 0;
	int err;

	while (n--) {
		if (!req->val[n])
			continue;
		err = dev_write(req->dev, keys[n].name, old[n]);
		if (err) {
			say("could not put %s back to '%s': %s\n", keys[n].name,
			    old[n], strerror(-err));
			continue;
		}
		len += snprintf(done + len, sizeof(done) - len, "%s%s",
				len ? ", " : "", keys[n].name);
		if (len >= sizeof(done))
			len = sizeof(done) - 1;
	}
	if (len)
		say("put back as they were: %s\n", done);
}

static int attach_write(const struct attach_req *req)
{
	char old[NKEYS][VAL_MAX];
	unsigned int i;
	int err;

	for (i = 0; i < NKEYS; i++) {
		if (!req->val[i])
			continue;
		err = dev_read(req->dev, keys[i].name, old[i], sizeof(old[i]));
		if (err) {
			say("cannot read %s's %s: %s; nothing changed\n",
			    req->dev, keys[i].name, read_error(err));
			return 1;
		}
	}
	for (i = 0; i < NKEYS; i++) {
		if (!req->val[i])
			continue;
		err = dev_write(req->dev, keys[i].name, req->val[i]);
		if (err) {
			say("%s '%s': %s\n", keys[i].name, req->val[i],
			    attach_error(keys[i].name, err, req->dev));
			attach_restore(req, old, i);
			return 1;
		}
	}
	err = dev_write(req->dev, "attached", "1");
	if (err) {
		say("cannot attach %s: %s\n", req->dev,
		    attach_error("attached", err, req->dev));
		attach_restore(req, old, NKEYS);
		return 1;
	}
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	struct attach_req req;
	int err = attach_prepare(argc, argv, NULL, &req);

	return err ? err : attach_write(&req);
}

int detach_check(int argc, char **argv, struct ix_plan *plan)
{
	int *planned;

	if (argc != 2) {
		say("detach takes one device\n");
		return 2;
	}
	if (dev_check(argv[1]))
		return 1;
	if (plan) {
		planned = plan_attached(plan, argv[1]);
		if (!planned) {
			say("more than %d devices\n", PLAN_DEVS);
			return 1;
		}
		*planned = 0;
	}
	return 0;
}

int cmd_detach(int argc, char **argv)
{
	int err = detach_check(argc, argv, NULL);

	if (err)
		return err;
	err = dev_write(argv[1], "attached", "0");
	if (err) {
		say("cannot detach %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}

/* What a refused scale means, and what to do. */
static const char *scale_error(int err)
{
	switch (err) {
	case EBUSY:
		return "an application that is not elastic drives a core, no core would stay, or no standby thread waits for a joining core";
	case EAGAIN:
		return "a connection of a leaving core is being opened, or an application thread did not park; try again";
	case ENOSPC:
		return "no room for the connections of the leaving cores";
	case EINVAL:
		return "the CPUs must be reserved (ix cpus), and no more than the queues attached";
	case ERANGE:
		return "no such CPU";
	default:
		return strerror(err);
	}
}

int cmd_scale(int argc, char **argv)
{
	char set[MAX_CPUS], val[VAL_MAX];
	int err;

	if (argc != 4 || strcmp(argv[2], "cpus")) {
		say("usage: ix scale DEV cpus LIST\n");
		return 2;
	}
	if (dev_check(argv[1]))
		return 1;
	if (parse_list(argv[3], set) || set[0] ||
	    !memchr(set, 1, sizeof(set))) {
		say("cpus '%s': %s\n", argv[3], scale_error(EINVAL));
		return 1;
	}
	err = dev_read(argv[1], "attached", val, sizeof(val));
	if (err < 0 || strcmp(val, "1")) {
		say("%s is not attached: ix attach gives it its CPUs\n",
		    argv[1]);
		return 1;
	}
	err = dev_write(argv[1], "cpus", argv[3]);
	if (err) {
		say("cannot scale %s to cpus %s: %s\n", argv[1], argv[3],
		    scale_error(-err));
		return 1;
	}
	return 0;
}
