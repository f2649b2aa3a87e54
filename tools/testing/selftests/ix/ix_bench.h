/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench the VM's C tests share: eth0 attached through sysfs with
 * CPU 1 and the dataplane address 198.18.0.10, and the peer namespace
 * ("peer", 198.18.0.3 on its eth1) that guest-init makes.
 */
#ifndef _IX_BENCH_H
#define _IX_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#define IX_SYS		"/sys/class/net/eth0/ixdp"
#define IX_DP_ADDR	"198.18.0.10"
#define IX_PEER_NS	"/var/run/netns/peer"

/* Write @val to @path: 0 or -errno. */
static inline int ix_put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if (n != (ssize_t)strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

/* Back to nothing attached and every setting at its default. */
static inline void ix_detach_all(void)
{
	ix_put(IX_SYS "/attached", "0");
	ix_put(IX_SYS "/max_conns", "512");
	ix_put(IX_SYS "/syn_retries", "6");
	ix_put(IX_SYS "/echo_port", "0");
	ix_put(IX_SYS "/owner", "-1");
	ix_put(IX_SYS "/group", "-1");
	ix_put("/sys/kernel/ixdp/apps", "0");
	ix_put("/sys/kernel/ixdp/cpus", "\n");
}

/*
 * Why the bench is missing, or NULL: then attaching must work, and a
 * failure is the test's, not a reason to skip.
 */
static inline const char *ix_unconfigured(void)
{
	if (access("/dev/ix", F_OK))
		return "/dev/ix missing (CONFIG_IXDP off?)";
	if (access(IX_SYS, F_OK))
		return IX_SYS " missing (no eth0 on the bench?)";
	if (geteuid())
		return "needs root";
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return "needs CPU 1";
	return NULL;
}

/*
 * Attach eth0 with CPU 1 and the echo service on @echo_port ("0" for
 * none): 0, or -errno with *@step the file whose write failed.
 */
static inline int ix_attach(const char *echo_port, const char **step)
{
	const char *const steps[][2] = {
		{ "/sys/kernel/ixdp/cpus", "1" }, { IX_SYS "/queues", "0-1" },
		{ IX_SYS "/cpus", "1" }, { IX_SYS "/addr", IX_DP_ADDR "/24" },
		{ IX_SYS "/echo_port", echo_port }, { IX_SYS "/attached", "1" },
	};
	unsigned int i;
	int err;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		err = ix_put(steps[i][0], steps[i][1]);
		if (err) {
			*step = steps[i][0];
			ix_detach_all();
			return err;
		}
	}
	return 0;
}

/* Move the calling process into the peer's network namespace: 0 or -1. */
static inline int ix_enter_peer(void)
{
	int ns = open(IX_PEER_NS, O_RDONLY), err;

	if (ns < 0)
		return -1;
	err = setns(ns, CLONE_NEWNET);
	close(ns);
	return err;
}

#endif /* _IX_BENCH_H */
