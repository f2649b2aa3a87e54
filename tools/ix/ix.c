// SPDX-License-Identifier: GPL-2.0
/*
 * ix - configure and inspect ixdp, the protected dataplane.
 *
 * Errors say what was wrong and what to do; -j prints JSON for scripts.
 * The commands that change the configuration are in attach.c and
 * apply.c; sysfs.c reads and writes the attributes they use.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/ix.h>

#include "ix.h"

const char *prog = "ix";
const char *where = "ix";

static const char usage_text[] =
"Usage: ix cpus [LIST]   show or set the reserved CPUs (e.g. 1-2; \"\" releases all)\n"
"       ix attach DEV queues LIST cpus LIST addr A.B.C.D/P [KEYWORD VALUE]...\n"
"                        hand DEV's queues to reserved CPUs (queues spread over\n"
"                        CPUs).  Only the keywords given are written; the others\n"
"                        keep their values.  Keywords are the attributes in\n"
"                        /sys/class/net/DEV/ixdp/ (short names in brackets):\n"
"                          gateway (gw) A.B.C.D     batch N (1-512)\n"
"                          max_conns (conns) N      echo_port PORT\n"
"                          syn_retries (syn) N: SYN retransmissions before a\n"
"                            connect fails\n"
"                          tx_csum (csum), tx_sg (sg) on|off: the NIC's checksum\n"
"                            and scatter-gather send, where it has them\n"
"                          punt_rate N: frames a second each core hands to\n"
"                            Linux (0-1000000)\n"
"                          linux on|off: Linux keeps its own traffic on the\n"
"                            queues attached (off: they are the dataplane's)\n"
"                          steer on|off: the NIC sorts the dataplane's frames\n"
"                            to its queues and Linux's to Linux's, where it\n"
"                            can (steer_state says)\n"
"                          owner UID, group GID: who may bind applications\n"
"                        All are checked before any is written; if the kernel\n"
"                        refuses one, those written before it are put back.\n"
"       ix detach DEV    give DEV's queues back to Linux\n"
"       ix scale DEV cpus LIST\n"
"                        serve attached DEV with the reserved CPUs of LIST:\n"
"                        cores join and leave while traffic flows, the\n"
"                        connections of a leaving core move to another\n"
"                        (ixcp DEV does it as DEV's load calls for)\n"
"       ix apply [--check] FILE\n"
"                        apply FILE, one cpus, attach or detach command line\n"
"                        per line (\"ix\" in front optional); # starts a\n"
"                        comment, \"\" or '' quote a value.  The whole file is\n"
"                        checked first: a bad line is reported as FILE:LINE\n"
"                        and nothing is applied.  --check: check only.\n"
"       ix show [-j]     show the dataplane configuration (-j: JSON)\n"
"       ix stats [-j] [-w SECONDS] [--all]\n"
"                        counters of attached devices (--all: of every device);\n"
"                        -w: rates every SECONDS\n"
"       ix version       ABI version of the kernel and of this tool\n"
"       ix help          this text\n";

/* What a refused write to /sys/kernel/ixdp/cpus means, and what to do. */
static const char *cpus_error(int err)
{
	switch (err) {
	case EPERM:
		return "CPU 0 stays with Linux, and at least one other CPU must stay unreserved";
	case ENODEV:
		return "a CPU in the list is offline; bring it online first";
	case ERANGE:
		return "a CPU in the list does not exist (see /sys/devices/system/cpu/online)";
	case EINVAL:
		return "not a CPU list; write it like 1-3,5";
	case EACCES:
		return "permission denied; run as root";
	default:
		return strerror(err);
	}
}

/*
 * For ix apply: is @list a CPU list the kernel could take?  Whether the
 * CPUs exist and are online is the kernel's to say when it is applied.
 */
int cpus_check(const char *list)
{
	char set[MAX_CPUS];

	if (parse_list(list, set)) {
		say("cpus '%s': %s\n", list, cpus_error(EINVAL));
		return 1;
	}
	if (set[0]) {
		say("cpus '%s': %s\n", list, cpus_error(EPERM));
		return 1;
	}
	return 0;
}

int cmd_cpus(int argc, char **argv)
{
	char buf[VAL_MAX + 1], path[PATH_MAX];
	size_t len;
	int fd;

	if (argc < 2) {
		if (read_attr("cpus", buf, sizeof(buf)))
			return 1;
		printf("%s\n", buf[0] ? buf : "none");
		return 0;
	}
	if (argc > 2) {
		say("cpus takes one CPU list\n");
		return 2;
	}
	len = snprintf(buf, sizeof(buf), "%s\n", argv[1]);
	if (len >= sizeof(buf)) {
		say("CPU list too long\n");
		return 2;
	}
	ixdp_path(path, sizeof(path), "cpus");
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		say("cannot reserve CPUs: %s\n",
		    errno == ENOENT ? "this kernel has no ixdp (CONFIG_IXDP)" :
		    cpus_error(errno));
		return 1;
	}
	errno = 0;	/* a short write sets none */
	if (write(fd, buf, len) != (ssize_t)len) {
		say("cannot reserve CPUs '%s': %s\n", argv[1],
		    cpus_error(errno ? errno : EIO));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

static const char *const dev_attrs[] = {
	"attached", "queues", "cpus", "addr", "gateway", "batch", "max_conns",
	"syn_retries", "tx_csum", "tx_sg", "punt_rate", "linux", "steer",
	"owner", "group",
};

static void show_dev(const char *dev, void *arg)
{
	int *json = arg;
	char buf[VAL_MAX];
	unsigned int i;

	if (*json) {
		printf("%s{\"dev\":\"%s\"", json[1]++ ? "," : "", dev);
		for (i = 0; i < ARRAY_SIZE(dev_attrs); i++) {
			if (dev_read(dev, dev_attrs[i], buf, sizeof(buf)))
				buf[0] = '\0';
			printf(",\"%s\":\"%s\"", dev_attrs[i], buf);
		}
		printf("}");
		return;
	}
	printf("%s:", dev);
	for (i = 0; i < ARRAY_SIZE(dev_attrs); i++) {
		if (dev_read(dev, dev_attrs[i], buf, sizeof(buf)))
			buf[0] = '\0';
		printf(" %s %s", dev_attrs[i], buf[0] ? buf : "-");
	}
	printf("\n");
}

static const char *const stat_names[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_empty",
	"rx_csum_offload",
	"rx_refill_short", "pool_empty",
	"tx_dropped", "tx_deferred", "drops", "polls_busy", "polls_idle", "batches",
	"arp_requests", "arp_replies", "arp_moves_refused",
	"arp_unres_evicted", "arp_table_full",
	"icmp_echo_replies", "icmp_errors",
	"udp_rx", "tcp_resets", "tcp_resets_ack_only", "tcp_accepted",
	"tcp_connected",
	"tcp_segs_in", "tcp_segs_out", "tcp_rexmits", "tcp_timeouts", "tcp_rto_deferred",
	"tcp_tx_refused", "tcp_tx_resumed", "tcp_spurious_rtos", "tcp_late_lifts",
	"tcp_ooo_queued", "tcp_resets_in", "tcp_syn_refused",
	"tcp_cookies_sent", "tcp_cookies_valid", "tcp_cookies_rejected",
	"tcp_early_held", "tcp_early_dropped", "tcp_pool_low_drops",
	"tcp_held_drops", "tcp_tw_overflow",
	"tcp_tw_reused", "tcp_tw_rst_ignored", "tcp_fin_wait2_timeouts", "tcp_challenge_acks",
	"tcp_challenge_acks_limited", "tcp_oow_acks_limited", "tcp_probes",
	"tcp_persist_drops", "tcp_pressure_drops", "tcp_cwnd_restarts", "handoff_in",
	"handoff_drops", "icmp_errors_limited", "icmp_errors_rejected",
	"tcp_pmtu_updates", "tcp_pmtu_expired", "tcp_icmp_ignored",
	"tcp_keepalive_probes", "tcp_keepalive_drops",
	"punted", "punted_bytes", "punt_limited", "punt_errors",
	"linux_tx_packets", "linux_tx_bytes", "linux_tx_dropped",
	"intake_packets", "intake_bytes", "intake_dropped",
};

/* What each core carried for Linux, shown per core (slow path). */
static const char *const core_stat_names[] = {
	"punted", "punted_bytes", "punt_limited",
	"linux_tx_packets", "linux_tx_bytes", "linux_tx_dropped",
	"intake_packets", "intake_bytes", "intake_dropped",
};

#define NSTATS	ARRAY_SIZE(stat_names)

static void read_stats(const char *dev, unsigned long long *v)
{
	char name[64], buf[64];
	unsigned int i;

	for (i = 0; i < NSTATS; i++) {
		snprintf(name, sizeof(name), "stats/%s", stat_names[i]);
		v[i] = dev_read(dev, name, buf, sizeof(buf)) ? 0 :
		       strtoull(buf, NULL, 10);
	}
}

struct stats_ctx {
	int json;
	int all;		/* devices never attached too */
	int n;
	unsigned int wait;
};

/* Per core, the traffic it carried for Linux: "cpuN: name value ...". */
static void stats_cores(const char *dev)
{
	char path[PATH_MAX], name[320], buf[64];
	struct dirent *d;
	unsigned int i;
	DIR *dir;

	dev_path(path, sizeof(path), dev, "");
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "cpu", 3) || d->d_name[3] < '0' ||
		    d->d_name[3] > '9')
			continue;
		printf("  %s:", d->d_name);
		for (i = 0; i < ARRAY_SIZE(core_stat_names); i++) {
			snprintf(name, sizeof(name), "%s/%s", d->d_name,
				 core_stat_names[i]);
			if (dev_read(dev, name, buf, sizeof(buf)))
				strcpy(buf, "?");
			printf(" %s %s", core_stat_names[i], buf);
		}
		printf("\n");
	}
	closedir(dir);
}

static void stats_dev(const char *dev, void *arg)
{
	unsigned long long a[NSTATS], b[NSTATS];
	struct stats_ctx *c = arg;
	unsigned int i;
	char buf[16];

	/* A device that was never attached has nothing but zeros to show. */
	if (!c->all && (dev_read(dev, "attached", buf, sizeof(buf)) ||
			strcmp(buf, "1")))
		return;
	read_stats(dev, a);
	if (c->wait) {
		sleep(c->wait);
		read_stats(dev, b);
		for (i = 0; i < NSTATS; i++)
			a[i] = (b[i] - a[i]) / c->wait;
	}
	if (c->json) {
		printf("%s{\"dev\":\"%s\"", c->n++ ? "," : "", dev);
		for (i = 0; i < NSTATS; i++)
			printf(",\"%s\":%llu", stat_names[i], a[i]);
		printf("}");
		return;
	}
	printf("%s%s\n", dev, c->wait ? " (per second)" : "");
	for (i = 0; i < NSTATS; i++)
		printf("  %-26s %llu\n", stat_names[i], a[i]);
	if (!c->wait)
		stats_cores(dev);
}

static int cmd_stats(int argc, char **argv)
{
	struct stats_ctx c = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--all")) {
			c.all = 1;
		} else if (!strcmp(argv[i], "-w") && i + 1 < argc) {
			c.wait = strtoul(argv[++i], NULL, 10);
			if (!c.wait) {
				say("-w takes a number of seconds\n");
				return 2;
			}
		} else {
			say("stats takes -j, -w SECONDS and --all\n");
			return 2;
		}
	}
	do {
		if (c.json)
			printf("[");
		c.n = 0;
		visit_devs(stats_dev, &c);
		if (c.json)
			printf("]\n");
		fflush(stdout);
	} while (c.wait);
	return 0;
}

static int kernel_version(struct ix_version *v)
{
	int fd = open("/dev/ix", O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, IX_IOC_VERSION, v);
	close(fd);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	char cpus[VAL_MAX], version[32];
	int json = argc > 1 && !strcmp(argv[1], "-j");

	if (argc > 1 && !json) {
		say("show takes only -j\n");
		return 2;
	}
	if (read_attr("version", version, sizeof(version)) ||
	    read_attr("cpus", cpus, sizeof(cpus)))
		return 1;
	if (json) {
		int ctx[2] = { 1, 0 };

		printf("{\"abi_version\":%s,\"cpus\":\"%s\",\"devices\":[",
		       version, cpus);
		visit_devs(show_dev, ctx);
		printf("]}\n");
		return 0;
	}
	printf("ixdp ABI %s\n", version);
	printf("reserved CPUs: %s\n", cpus[0] ? cpus : "none");
	{
		int ctx[2] = { 0, 0 };

		visit_devs(show_dev, ctx);
	}
	return 0;
}

static int cmd_version(void)
{
	struct ix_version v;

	if (kernel_version(&v)) {
		say("/dev/ix: %s\n",
		    errno == ENOENT ? "not present: this kernel has no ixdp (CONFIG_IXDP)" :
		    strerror(errno));
		return 1;
	}
	printf("kernel ABI %u, tool ABI %u%s\n", v.abi_version, IX_ABI_VERSION,
	       v.abi_version == IX_ABI_VERSION ? "" :
	       " (mismatch: rebuild ix against this kernel's headers)");
	return v.abi_version != IX_ABI_VERSION;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "cpus"))
		return cmd_cpus(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "attach"))
		return cmd_attach(argc - 1, argv + 1);
	if (!strcmp(argv[1], "detach"))
		return cmd_detach(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scale"))
		return cmd_scale(argc - 1, argv + 1);
	if (!strcmp(argv[1], "apply"))
		return cmd_apply(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version"))
		return cmd_version();
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	say("unknown command '%s'\n", argv[1]);
	fputs(usage_text, stderr);
	return 2;
}
