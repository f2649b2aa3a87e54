// SPDX-License-Identifier: GPL-2.0
/*
 * ix - configure and inspect ixdp, the protected dataplane.
 *
 *   ix cpus [LIST]    show or set the CPUs reserved for the dataplane
 *   ix show [-j]      show the dataplane's configuration
 *   ix version        show the ABI version of the kernel and of this tool
 *   ix help           this text
 *
 * Errors say what was wrong and what to do; -j prints JSON for scripts.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <linux/ix.h>

#define SYSFS	"/sys/kernel/ixdp"

static const char *prog = "ix";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s cpus [LIST]   show or set the reserved CPUs (e.g. 1-2; \"\" releases all)\n"
		"       %s show [-j]     show the dataplane configuration (-j: JSON)\n"
		"       %s version       ABI version of the kernel and of this tool\n"
		"       %s help          this text\n",
		prog, prog, prog, prog);
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
		printf("{\"abi_version\":%s,\"cpus\":\"%s\"}\n", version, cpus);
		return 0;
	}
	printf("ixdp ABI %s\n", version);
	printf("reserved CPUs: %s\n", cpus[0] ? cpus : "none");
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
