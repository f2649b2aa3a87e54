// SPDX-License-Identifier: GPL-2.0
/*
 * ixcp - the policy daemon for elastic cores: it watches the load of the
 * cores serving an attached device and adds or removes one, as ix scale
 * does, when the load leaves a band (ixcp_policy.c has the rule).
 *
 * This file parses the options and runs the loop: a sample every
 * interval (ixcp_sample.c reads it), the rule, a change if called for.
 * Each decision and its result is a line on stdout, flushed at once;
 * problems reading a sample go to stderr.  SIGINT and SIGTERM end it
 * with status 0, as do --samples and, with --step, the end of stdin;
 * DEV detached or gone ends it with status 1; a misuse with 2.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "ixcp.h"

const char *prog = "ixcp";
const char *where = "ixcp";

void ixcp_out(struct ixcp *cp, const char *fmt, ...)
{
	va_list ap;

	printf("ixcp: %s: ", cp->o.dev);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static const char usage_text[] =
"Usage: ixcp [OPTION]... DEV\n"
"Add a core to attached DEV, or remove one, as its load calls for (as\n"
"ix scale DEV cpus LIST does).  Every interval each serving core's load\n"
"is read from /sys/class/net/DEV/ixdp/cpuN/: busy_ns / (busy_ns +\n"
"idle_ns) of the time added since the sample before.  With n cores\n"
"at a mean load L, a core is added when L > HIGH for UP samples in a\n"
"row (up to MAX); one is removed when L < LOW and L * n / (n - 1) <\n"
"0.8 * HIGH for DOWN samples in a row (down to MIN).  The core added is\n"
"the lowest reserved CPU not serving DEV; the one removed the highest.\n"
"  -i, --interval MS   between samples (200)\n"
"      --high LOAD     add above this mean load, 0 to 1 (0.5)\n"
"      --low LOAD      remove below this one, under HIGH (0.2)\n"
"      --up N          samples above HIGH that add a core (2)\n"
"      --down N        samples that remove a core (10)\n"
"      --cooldown MS   samples not counted after a change (1000)\n"
"      --min N         fewest cores (1)\n"
"      --max N         most cores (the reserved CPUs or DEV's queues, the\n"
"                      fewer; never more)\n"
"  -n, --dry-run       print the decisions, write nothing: the cores stay\n"
"                      as they are, so a decision repeats while it holds\n"
"  -v, --verbose       print every sample, with each core's load\n"
"      --samples N     exit after N samples\n"
"      --step          for tests: read a line from stdin before each\n"
"                      sample instead of waiting, end at its end, and\n"
"                      print \"ixcp: DEV: step N\" after sample N\n"
"  -h, --help          this text\n";

enum {
	OPT_HIGH = 256, OPT_LOW, OPT_UP, OPT_DOWN, OPT_COOLDOWN, OPT_MIN,
	OPT_MAX, OPT_SAMPLES, OPT_STEP,
};

static const struct option options[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "high", required_argument, NULL, OPT_HIGH },
	{ "low", required_argument, NULL, OPT_LOW },
	{ "up", required_argument, NULL, OPT_UP },
	{ "down", required_argument, NULL, OPT_DOWN },
	{ "cooldown", required_argument, NULL, OPT_COOLDOWN },
	{ "min", required_argument, NULL, OPT_MIN },
	{ "max", required_argument, NULL, OPT_MAX },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "step", no_argument, NULL, OPT_STEP },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

/* @s as a whole number from @min to @max; -1, said, if it is not one. */
static int parse_count(const char *opt, const char *s, unsigned long min,
		       unsigned long max, unsigned long *val)
{
	char *end;

	errno = 0;
	*val = strtoul(s, &end, 10);
	if (end == s || *end || errno || *s == '-' || *val < min ||
	    *val > max) {
		say("%s '%s': write a whole number from %lu to %lu\n", opt, s,
		    min, max);
		return -1;
	}
	return 0;
}

/* @s as a load from 0 to 1; -1, said, if it is not one. */
static int parse_load(const char *opt, const char *s, double *val)
{
	char *end;

	errno = 0;
	*val = strtod(s, &end);
	if (end == s || *end || errno || !(*val >= 0 && *val <= 1)) {
		say("%s '%s': write a load from 0 to 1, like 0.5\n", opt, s);
		return -1;
	}
	return 0;
}

/* One option into @o; -1, said, if its value is bad. */
static int option(struct ixcp_opts *o, int c, unsigned int *cooldown)
{
	unsigned long v = 0;
	int err = 0;

	switch (c) {
	case 'i':
		err = parse_count("--interval", optarg, 1, 3600000, &v);
		o->interval = v;
		break;
	case OPT_HIGH:
		return parse_load("--high", optarg, &o->high);
	case OPT_LOW:
		return parse_load("--low", optarg, &o->low);
	case OPT_UP:
		err = parse_count("--up", optarg, 1, 1000000, &v);
		o->up = v;
		break;
	case OPT_DOWN:
		err = parse_count("--down", optarg, 1, 1000000, &v);
		o->down = v;
		break;
	case OPT_COOLDOWN:
		err = parse_count("--cooldown", optarg, 0, 3600000, &v);
		*cooldown = v;
		break;
	case OPT_MIN:
		err = parse_count("--min", optarg, 1, MAX_CPUS, &v);
		o->min = v;
		break;
	case OPT_MAX:
		err = parse_count("--max", optarg, 1, MAX_CPUS, &v);
		o->max = v;
		break;
	case OPT_SAMPLES:
		return parse_count("--samples", optarg, 1, 1000000000, &o->samples);
	case OPT_STEP:
		o->step = true;
		break;
	case 'n':
		o->dry_run = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	default:
		return -1;
	}
	return err;
}

/* The command line into @o; 0, 1 for --help, or -1, said. */
static int parse(struct ixcp_opts *o, int argc, char **argv)
{
	unsigned int cooldown = 1000;
	int c;

	*o = (struct ixcp_opts){ .interval = 200, .high = 0.5, .low = 0.2,
				 .up = 2, .down = 10, .min = 1 };
	opterr = 0;	/* said here, without the path ixcp was run by */
	while ((c = getopt_long(argc, argv, ":i:nvh", options, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == ':') {
			say("%s needs a value\n", argv[optind - 1]);
			return -1;
		}
		if (c == '?') {
			if (optopt)
				say("unknown option '-%c'\n", optopt);
			else
				say("unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
		if (option(o, c, &cooldown))
			return -1;
	}
	if (optind != argc - 1) {
		say(optind == argc ? "no device given\n" :
		    "one device only\n");
		return -1;
	}
	o->dev = argv[optind];
	if (o->low >= o->high) {
		say("--low (%.2f) must be below --high (%.2f)\n", o->low,
		    o->high);
		return -1;
	}
	if (o->max && o->max < o->min) {
		say("--max (%u) must not be below --min (%u)\n", o->max,
		    o->min);
		return -1;
	}
	/* Whole samples: a cooldown is the same with --step as without. */
	o->cooldown = (cooldown + o->interval - 1) / o->interval;
	return 0;
}

/*
 * SIGINT and SIGTERM blocked, to be read from the descriptor returned
 * (-1, said, if there is none): a wait for a sample ends at either, and
 * none can come between a check and the wait.
 */
static int catch_signals(void)
{
	sigset_t set;
	int fd;

	/*
	 * A reader of stdout that went away (EPIPE) or a hangup is no reason
	 * for a daemon to stop scaling.
	 */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	fd = sigprocmask(SIG_BLOCK, &set, NULL) ? -1 :
	     signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		say("cannot catch SIGINT and SIGTERM: %s\n", strerror(errno));
	return fd;
}

/*
 * Wait for the next sample: the interval, or with --step a line from
 * stdin.  False if ixcp is to stop instead: a signal, or stdin's end.
 */
static bool wait_sample(const struct ixcp_opts *o, int sigfd)
{
	struct pollfd p[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	int n;
	char c;

	for (;;) {
		n = poll(p, o->step ? 2 : 1, o->step ? -1 : (int)o->interval);
		if (n < 0 && errno == EINTR)
			continue;
		if (!n)
			return true;
		if (n < 0 || p[0].revents)
			return false;
		/* A byte at a time: the next line is the next sample's. */
		if (read(STDIN_FILENO, &c, 1) != 1)
			return false;
		if (c == '\n')
			return true;
	}
}

static void print_loads(struct ixcp *cp)
{
	const struct ixcp_view *v = cp->cur;
	unsigned int cpu;

	ixcp_out(cp, "sample %lu: load %.2f on %u core%s:", cp->nsample,
		 v->mean, v->n, v->n == 1 ? "" : "s");
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (v->serving[cpu])
			printf(" cpu%u %.2f", cpu, v->load[cpu]);
	printf("\n");
}

/* One sample and what it calls for; IXCP_READ_GONE ends ixcp. */
static enum ixcp_read take_sample(struct ixcp *cp)
{
	struct ixcp_view *v = cp->cur;
	enum ixcp_read ret;
	int dir;

	ret = ixcp_read(cp, v);
	if (ret != IXCP_READ_OK) {
		/* No sample to compare the next with: counts start again. */
		cp->prev = NULL;
		cp->above = 0;
		cp->below = 0;
		return ret;
	}
	if (cp->skip) {
		cp->skip--;
		if (cp->o.verbose)
			ixcp_out(cp, "sample %lu: cpus %s: cooling down\n",
				 cp->nsample, v->list);
	} else if (!ixcp_loads(cp->prev, v)) {
		cp->above = 0;
		cp->below = 0;
		if (cp->o.verbose)
			ixcp_out(cp, "sample %lu: cpus %s: counters read\n",
				 cp->nsample, v->list);
	} else {
		if (cp->o.verbose)
			print_loads(cp);
		dir = ixcp_decide(cp);
		if (dir)
			ret = ixcp_change(cp, dir);
	}
	cp->prev = v;
	cp->cur = v == &cp->views[0] ? &cp->views[1] : &cp->views[0];
	return ret;
}

static int run(struct ixcp *cp, int sigfd)
{
	enum ixcp_read ret;

	cp->cur = &cp->views[0];
	while (!cp->o.samples || cp->nsample < cp->o.samples) {
		/* Without --step, the first sample is taken at once. */
		if ((cp->o.step || cp->nsample) && !wait_sample(&cp->o, sigfd))
			break;
		cp->nsample++;
		ret = take_sample(cp);
		if (ret == IXCP_READ_GONE)
			return 1;
		if (cp->o.step)
			ixcp_out(cp, "step %lu\n", cp->nsample);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct ixcp cp;
	int ret, sigfd;

	ret = parse(&cp.o, argc, argv);
	if (ret > 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (ret) {
		fputs("Usage: ixcp [OPTION]... DEV (ixcp --help tells more)\n",
		      stderr);
		return 2;
	}
	/* Read through pipes: a line is out as soon as it is written. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ixcp_attached(cp.o.dev) != IXCP_READ_OK)
		return 1;
	sigfd = catch_signals();
	if (sigfd < 0)
		return 1;
	ret = run(&cp, sigfd);
	close(sigfd);
	return ret;
}
