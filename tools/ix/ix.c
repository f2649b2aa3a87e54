// SPDX-License-Identifier: GPL-2.0
/*
 * ix - configure and inspect ixdp, the protected dataplane.
 *
 *   ix cpus [LIST]    show or set the CPUs reserved for the dataplane
 *   ix attach DEV queues LIST cpus LIST addr A/P [gw G] [batch N] [conns N]
 *             [owner UID] [group GID]
 *             [syn N] [csum on|off] [sg on|off]
 *   ix detach DEV
 *   ix show [-j]      show the dataplane's configuration
 *   ix stats [-j] [-w SECONDS]   counters, or rates every SECONDS
 *   ix version        show the ABI version of the kernel and of this tool
 *   ix help           this text
 *
 * Errors say what was wrong and what to do; -j prints JSON for scripts.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/ix.h>

#define SYSFS	"/sys/kernel/ixdp"
#define NETDIR	"/sys/class/net"
#define MAX_CPUS	4096

static const char *prog = "ix";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s cpus [LIST]   show or set the reserved CPUs (e.g. 1-2; \"\" releases all)\n"
		"       %s attach DEV queues LIST cpus LIST addr A.B.C.D/P [gw A.B.C.D] [batch N] [conns N]\n"
		"                        [syn N] [csum on|off] [sg on|off]\n"
		"                        hand DEV's queues to reserved CPUs (queues spread over CPUs);\n"
		"                        syn: SYN retransmissions before a connect fails (default 6)\n"
		"                        csum, sg: the NIC's checksum and scatter-gather send, where it has them\n"
		"       %s detach DEV    give DEV's queues back to Linux\n"
		"       %s show [-j]     show the dataplane configuration (-j: JSON)\n"
		"       %s stats [-j] [-w SECONDS]\n"
		"                        counters of attached devices; -w: rates every SECONDS\n"
		"       %s version       ABI version of the kernel and of this tool\n"
		"       %s help          this text\n",
		prog, prog, prog, prog, prog, prog, prog);
}

static int read_attr(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSFS "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "%s: %s not found: this kernel has no ixdp (CONFIG_IXDP)\n",
				prog, path);
		else
			fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "%s: reading %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

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

static int cmd_cpus(int argc, char **argv)
{
	char buf[256];
	size_t len;
	int fd;

	if (argc < 2) {
		if (read_attr("cpus", buf, sizeof(buf)))
			return 1;
		printf("%s\n", buf[0] ? buf : "none");
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "%s: cpus takes one CPU list\n", prog);
		return 2;
	}
	len = snprintf(buf, sizeof(buf), "%s\n", argv[1]);
	if (len >= sizeof(buf)) {
		fprintf(stderr, "%s: CPU list too long\n", prog);
		return 2;
	}
	fd = open(SYSFS "/cpus", O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot reserve CPUs: %s\n", prog,
			errno == ENOENT ? "this kernel has no ixdp (CONFIG_IXDP)" :
			cpus_error(errno));
		return 1;
	}
	if (write(fd, buf, len) != (ssize_t)len) {
		fprintf(stderr, "%s: cannot reserve CPUs '%s': %s\n", prog,
			argv[1], cpus_error(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

/* Read DEV's ixdp attribute @name; 0 or -errno, quietly. */
static int dev_read(const char *dev, const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), NETDIR "/%s/ixdp/%s", dev, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

static int dev_write(const char *dev, const char *name, const char *val)
{
	char path[256], line[256];
	size_t len;
	int fd, err = 0;

	snprintf(path, sizeof(path), NETDIR "/%s/ixdp/%s", dev, name);
	len = snprintf(line, sizeof(line), "%s\n", val);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, line, len) != (ssize_t)len)
		err = -errno;
	close(fd);
	return err;
}

/* Parse a CPU list into @set (MAX_CPUS entries); -1 if malformed. */
static int parse_list(const char *s, char *set)
{
	char *end;
	long a, b;

	memset(set, 0, MAX_CPUS);
	while (*s && *s != '\n') {
		a = strtol(s, &end, 10);
		if (end == s || a < 0 || a >= MAX_CPUS)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b >= MAX_CPUS)
				return -1;
		}
		while (a <= b)
			set[a++] = 1;
		if (*end == ',')
			end++;
		else if (*end && *end != '\n')
			return -1;
		s = end;
	}
	return 0;
}

static int dev_check(const char *dev)
{
	char buf[16];
	int err = dev_read(dev, "attached", buf, sizeof(buf));

	if (!err)
		return 0;
	if (access(NETDIR, F_OK) == 0 && err == -ENOENT) {
		char path[256];

		snprintf(path, sizeof(path), NETDIR "/%s", dev);
		if (access(path, F_OK))
			fprintf(stderr, "%s: no device '%s' (see ip link)\n", prog, dev);
		else
			fprintf(stderr, "%s: %s's driver cannot hand queues to ixdp\n",
				prog, dev);
	} else {
		fprintf(stderr, "%s: %s: %s\n", prog, dev, strerror(-err));
	}
	return -1;
}

static const char *attach_error(const char *what, int err, const char *dev)
{
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
		if (!strcmp(what, "max_conns"))
			return "conns must be 1 to 65535";
		if (!strcmp(what, "syn_retries"))
			return "syn must be 1 to 127";
		return "batch must be 1 to 512";
	case -ENETDOWN:
		snprintf(msg, sizeof(msg), "%s is down; run: ip link set %s up",
			 dev, dev);
		return msg;
	case -EINVAL:
		if (!strcmp(what, "addr"))
			return "write the address as A.B.C.D/P, a unicast address";
		if (!strcmp(what, "gateway"))
			return "write the gateway as A.B.C.D, on the address's subnet";
		if (!strcmp(what, "attached"))
			return "the configuration is incomplete or does not fit the device";
		if (!strcmp(what, "tx_csum") || !strcmp(what, "tx_sg"))
			return "write on or off";
		if (!strcmp(what, "owner") || !strcmp(what, "group"))
			return "write a number, or -1 for none";
		return "not a list; write it like 0-1,3";
	case -EACCES:
	case -EPERM:
		return "permission denied; needs CAP_NET_ADMIN (run as root)";
	default:
		return strerror(-err);
	}
}

static int cmd_attach(int argc, char **argv)
{
	const char *dev, *queues = NULL, *cpus = NULL, *addr = NULL;
	const char *gw = "", *batch = "64", *conns = "512", *csum = "on";
	const char *sg = "on", *syn = "6", *owner = NULL, *group = NULL;
	char want[MAX_CPUS], have[MAX_CPUS], buf[256];
	int i, err;

	if (argc < 2 || argc % 2) {
		fprintf(stderr, "%s: attach DEV queues LIST cpus LIST addr A/P [gw G] [batch N] [conns N] [syn N] [csum on|off] [sg on|off] [owner UID] [group GID]\n",
			prog);
		return 2;
	}
	dev = argv[1];
	for (i = 2; i < argc; i += 2) {
		if (!strcmp(argv[i], "queues"))
			queues = argv[i + 1];
		else if (!strcmp(argv[i], "cpus"))
			cpus = argv[i + 1];
		else if (!strcmp(argv[i], "addr"))
			addr = argv[i + 1];
		else if (!strcmp(argv[i], "gw"))
			gw = argv[i + 1];
		else if (!strcmp(argv[i], "batch"))
			batch = argv[i + 1];
		else if (!strcmp(argv[i], "conns"))
			conns = argv[i + 1];
		else if (!strcmp(argv[i], "syn"))
			syn = argv[i + 1];
		else if (!strcmp(argv[i], "csum"))
			csum = argv[i + 1];
		else if (!strcmp(argv[i], "sg"))
			sg = argv[i + 1];
		else if (!strcmp(argv[i], "owner"))
			owner = argv[i + 1];
		else if (!strcmp(argv[i], "group"))
			group = argv[i + 1];
		else {
			fprintf(stderr, "%s: attach: unknown keyword '%s'\n", prog, argv[i]);
			return 2;
		}
	}
	if (!queues || !cpus || !addr) {
		fprintf(stderr, "%s: attach needs queues, cpus and addr\n", prog);
		return 2;
	}
	if (dev_check(dev))
		return 1;
	if (parse_list(cpus, want) || read_attr("cpus", buf, sizeof(buf)) ||
	    parse_list(buf, have)) {
		fprintf(stderr, "%s: cpus: not a CPU list: '%s'\n", prog, cpus);
		return 1;
	}
	for (i = 0; i < MAX_CPUS; i++) {
		if (want[i] && !have[i]) {
			fprintf(stderr, "%s: CPU %d is not reserved; run: %s cpus LIST (reserved now: %s)\n",
				prog, i, prog, buf[0] ? buf : "none");
			return 1;
		}
	}
	{
		const char *names[] = { "queues", "cpus", "addr", "gateway", "batch",
					"max_conns", "syn_retries", "tx_csum",
					"tx_sg", "owner", "group" };
		const char *vals[] = { queues, cpus, addr, gw, batch, conns, syn,
				       csum, sg, owner, group };

		for (i = 0; i < 11; i++) {
			/* The delegation is written only when given. */
			if (!vals[i])
				continue;
			err = dev_write(dev, names[i], vals[i]);
			if (err) {
				fprintf(stderr, "%s: %s '%s': %s\n", prog, names[i],
					vals[i], attach_error(names[i], err, dev));
				return 1;
			}
		}
	}
	err = dev_write(dev, "attached", "1");
	if (err) {
		fprintf(stderr, "%s: cannot attach %s: %s\n", prog, dev,
			attach_error("attached", err, dev));
		return 1;
	}
	return 0;
}

static int cmd_detach(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "%s: detach takes one device\n", prog);
		return 2;
	}
	if (dev_check(argv[1]))
		return 1;
	err = dev_write(argv[1], "attached", "0");
	if (err) {
		fprintf(stderr, "%s: cannot detach %s: %s\n", prog, argv[1],
			strerror(-err));
		return 1;
	}
	return 0;
}

/* Call @fn for every netdev with an ixdp directory; returns how many. */
static int for_each_dev(void (*fn)(const char *dev, void *arg), void *arg)
{
	struct dirent *de;
	char path[300];
	int n = 0;
	DIR *d;

	d = opendir(NETDIR);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), NETDIR "/%s/ixdp", de->d_name);
		if (access(path, F_OK))
			continue;
		fn(de->d_name, arg);
		n++;
	}
	closedir(d);
	return n;
}

static const char *const dev_attrs[] = {
	"attached", "queues", "cpus", "addr", "gateway", "batch", "max_conns",
	"syn_retries", "tx_csum", "tx_sg", "owner", "group",
};

static void show_dev(const char *dev, void *arg)
{
	int *json = arg;
	char buf[256];
	unsigned int i;

	if (*json) {
		printf("%s{\"dev\":\"%s\"", json[1]++ ? "," : "", dev);
		for (i = 0; i < sizeof(dev_attrs) / sizeof(dev_attrs[0]); i++) {
			if (dev_read(dev, dev_attrs[i], buf, sizeof(buf)))
				buf[0] = '\0';
			printf(",\"%s\":\"%s\"", dev_attrs[i], buf);
		}
		printf("}");
		return;
	}
	printf("%s:", dev);
	for (i = 0; i < sizeof(dev_attrs) / sizeof(dev_attrs[0]); i++) {
		if (dev_read(dev, dev_attrs[i], buf, sizeof(buf)))
			buf[0] = '\0';
		printf(" %s %s", dev_attrs[i], buf[0] ? buf : "-");
	}
	printf("\n");
}

static const char *const stat_names[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_empty",
	"rx_refill_short", "pool_empty",
	"tx_dropped", "drops", "polls_busy", "polls_idle", "batches",
	"arp_requests", "arp_replies", "arp_moves_refused",
	"arp_unres_evicted", "arp_table_full",
	"icmp_echo_replies", "icmp_errors",
	"udp_rx", "tcp_resets", "tcp_accepted", "tcp_connected",
	"tcp_segs_in", "tcp_segs_out", "tcp_rexmits", "tcp_timeouts",
	"tcp_ooo_queued", "tcp_resets_in", "tcp_syn_refused",
	"tcp_cookies_sent", "tcp_cookies_valid", "tcp_cookies_rejected",
	"tcp_early_held", "tcp_early_dropped", "tcp_pool_low_drops",
	"tcp_held_drops", "tcp_tw_overflow",
	"tcp_tw_reused", "tcp_tw_rst_ignored", "tcp_fin_wait2_timeouts", "tcp_challenge_acks",
	"tcp_challenge_acks_limited", "tcp_oow_acks_limited", "tcp_probes",
	"tcp_persist_drops", "tcp_pressure_drops", "tcp_cwnd_restarts", "handoff_in",
	"handoff_drops", "icmp_errors_limited", "icmp_errors_rejected",
	"tcp_pmtu_updates", "tcp_icmp_ignored", "tcp_keepalive_probes",
	"tcp_keepalive_drops",
};
#define NSTATS	(sizeof(stat_names) / sizeof(stat_names[0]))

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
	int n;
	unsigned int wait;
};

static void stats_dev(const char *dev, void *arg)
{
	unsigned long long a[NSTATS], b[NSTATS];
	struct stats_ctx *c = arg;
	unsigned int i;

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
}

static int cmd_stats(int argc, char **argv)
{
	struct stats_ctx c = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "-w") && i + 1 < argc) {
			c.wait = strtoul(argv[++i], NULL, 10);
			if (!c.wait) {
				fprintf(stderr, "%s: -w takes a number of seconds\n", prog);
				return 2;
			}
		} else {
			fprintf(stderr, "%s: stats takes -j and -w SECONDS\n", prog);
			return 2;
		}
	}
	do {
		if (c.json)
			printf("[");
		c.n = 0;
		for_each_dev(stats_dev, &c);
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
	char cpus[256], version[32];
	int json = argc > 1 && !strcmp(argv[1], "-j");

	if (argc > 1 && !json) {
		fprintf(stderr, "%s: show takes only -j\n", prog);
		return 2;
	}
	if (read_attr("version", version, sizeof(version)) ||
	    read_attr("cpus", cpus, sizeof(cpus)))
		return 1;
	if (json) {
		int ctx[2] = { 1, 0 };

		printf("{\"abi_version\":%s,\"cpus\":\"%s\",\"devices\":[",
		       version, cpus);
		for_each_dev(show_dev, ctx);
		printf("]}\n");
		return 0;
	}
	printf("ixdp ABI %s\n", version);
	printf("reserved CPUs: %s\n", cpus[0] ? cpus : "none");
	{
		int ctx[2] = { 0, 0 };

		for_each_dev(show_dev, ctx);
	}
	return 0;
}

static int cmd_version(void)
{
	struct ix_version v;

	if (kernel_version(&v)) {
		fprintf(stderr, "%s: /dev/ix: %s\n", prog,
			errno == ENOENT ? "not present: this kernel has no ixdp (CONFIG_IXDP)" :
			strerror(errno));
		return 1;
	}
	printf("kernel ABI %u, tool ABI %u%s\n", v.abi_version, IX_ABI_VERSION,
	       v.abi_version == IX_ABI_VERSION ? "" : " (mismatch: rebuild ix against this kernel's headers)");
	return v.abi_version != IX_ABI_VERSION;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
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
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version"))
		return cmd_version();
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	usage(stderr);
	return 2;
}
