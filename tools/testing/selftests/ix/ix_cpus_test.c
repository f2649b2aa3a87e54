// SPDX-License-Identifier: GPL-2.0
/*
 * CPU reservation through /sys/kernel/ixdp/cpus: what is refused, and
 * what a reserved CPU no longer runs (tasks, unbound workqueues, IRQs);
 * releasing it gives all of it back.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"

#define CPUS_FILE	"/sys/kernel/ixdp/cpus"
#define WQ_MASK		"/sys/devices/virtual/workqueue/cpumask"
#define PF_KTHREAD	0x00200000
#define PF_NO_SETAFFINITY 0x04000000
#define TEST_CPU	1
#define MAX_IRQS	256

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

/* Does a cpulist like "0,2-3" name @cpu? */
static int list_has(const char *list, int cpu)
{
	const char *p = list;
	char *end;
	long a, b;

	while (*p) {
		a = strtol(p, &end, 10);
		if (end == p)
			return 0;
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		if (cpu >= a && cpu <= b)
			return 1;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* Spin for @ms milliseconds; return 1 if we ever ran on @cpu. */
static int spin_saw_cpu(int ms, int cpu)
{
	struct timespec t0, t;
	int saw = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (sched_getcpu() == cpu)
			saw = 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 +
		 (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return saw;
}

/* Two busy children, started now: did either run on @cpu? */
static int busy_children_saw_cpu(int cpu)
{
	int i, status, saw = 0;
	pid_t pid[2];

	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(spin_saw_cpu(2000, cpu));
	}
	for (i = 0; i < 2; i++) {
		if (pid[i] < 0 || waitpid(pid[i], &status, 0) != pid[i])
			return -1;
		saw |= WIFEXITED(status) && WEXITSTATUS(status);
	}
	return saw;
}

FIXTURE(cpus) {
	char wq_before[64];
};

FIXTURE_SETUP(cpus)
{
	if (access(CPUS_FILE, F_OK))
		SKIP(return, CPUS_FILE " missing (CONFIG_IXDP off?)");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs 2 online CPUs");
	ASSERT_EQ(0, write_str(CPUS_FILE, "\n"));
	self->wq_before[0] = '\0';
	read_str(WQ_MASK, self->wq_before, sizeof(self->wq_before));
}

FIXTURE_TEARDOWN(cpus)
{
	write_str(CPUS_FILE, "\n");
}

TEST_F(cpus, refusals_leave_state_unchanged)
{
	static const struct {
		const char *list;
		int err;
	} bad[] = {
		{ "0", -EPERM },	/* CPU 0 */
		{ "0-1", -EPERM },	/* CPU 0, and nothing left */
		{ "7", -ERANGE },	/* no such CPU in a 2-CPU guest */
		{ "1,7", -ERANGE },
		{ "1-", -EINVAL },
		{ "one", -EINVAL },
		{ "4096", -ERANGE },	/* past NR_CPUS */
	};
	char buf[64];
	unsigned int i;

	if (sysconf(_SC_NPROCESSORS_ONLN) != 2)
		SKIP(return, "list of refusals is written for 2 CPUs");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(bad[i].err, write_str(CPUS_FILE, bad[i].list))
			TH_LOG("writing '%s'", bad[i].list);
		ASSERT_EQ(0, read_str(CPUS_FILE, buf, sizeof(buf)));
		EXPECT_STREQ("", buf);
	}
	ASSERT_EQ(0, write_str(CPUS_FILE, "1"));
	EXPECT_EQ(-EPERM, write_str(CPUS_FILE, "0-1"));
	EXPECT_EQ(-ERANGE, write_str(CPUS_FILE, "1,7"));
	ASSERT_EQ(0, read_str(CPUS_FILE, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
}

TEST_F(cpus, affinity_is_trimmed_and_pinning_fails)
{
	cpu_set_t set, got;
	char buf[64];

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(TEST_CPU, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));

	ASSERT_EQ(0, write_str(CPUS_FILE, "1\n"));
	ASSERT_EQ(0, read_str(CPUS_FILE, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	/* Our own mask lost CPU 1 when it was reserved. */
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(got), &got));
	EXPECT_FALSE(CPU_ISSET(TEST_CPU, &got));
	EXPECT_TRUE(CPU_ISSET(0, &got));

	/* Only the reserved CPU: refused. */
	CPU_ZERO(&set);
	CPU_SET(TEST_CPU, &set);
	errno = 0;
	EXPECT_EQ(-1, sched_setaffinity(0, sizeof(set), &set));
	EXPECT_EQ(EINVAL, errno);

	/* Including it: trimmed. */
	CPU_SET(0, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(got), &got));
	EXPECT_FALSE(CPU_ISSET(TEST_CPU, &got));

	/* Released: pinning works and we run there. */
	ASSERT_EQ(0, write_str(CPUS_FILE, "\n"));
	CPU_ZERO(&set);
	CPU_SET(TEST_CPU, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	EXPECT_EQ(TEST_CPU, sched_getcpu());
}

TEST_F(cpus, busy_tasks_never_run_there)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE && i < sysconf(_SC_NPROCESSORS_ONLN); i++)
		CPU_SET(i, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));

	ASSERT_EQ(0, write_str(CPUS_FILE, "1"));
	EXPECT_EQ(0, busy_children_saw_cpu(TEST_CPU));
	ASSERT_EQ(0, write_str(CPUS_FILE, "\n"));
	/* Released: our mask got CPU 1 back, and so do new busy tasks. */
	EXPECT_EQ(1, busy_children_saw_cpu(TEST_CPU));
}

/*
 * Every task allowed on the reserved CPU is a kernel thread bound to it,
 * or one whose affinity the kernel fixes (workqueue rescuers: they go
 * where work is stuck).
 */
TEST_F(cpus, only_per_cpu_kthreads_remain)
{
	char path[300], line[256], comm[64];
	unsigned long flags;
	struct dirent *de;
	int checked = 0;
	FILE *f;
	DIR *d;

	ASSERT_EQ(0, write_str(CPUS_FILE, "1"));
	d = opendir("/proc");
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		char allowed[64] = "";

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			sscanf(line, "Cpus_allowed_list: %63s", allowed);
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid pgrp session tty tpgid flags */
		if (fscanf(f, "%*d (%63[^)]) %*c %*d %*d %*d %*d %*d %lu",
			   comm, &flags) != 2) {
			fclose(f);
			continue;
		}
		fclose(f);
		checked++;
		if (!list_has(allowed, TEST_CPU))
			continue;
		EXPECT_TRUE((flags & PF_KTHREAD) &&
			    (!strcmp(allowed, "1") || (flags & PF_NO_SETAFFINITY)))
			TH_LOG("pid %s (%s) may run on reserved CPU: %s",
			       de->d_name, comm, allowed);
	}
	closedir(d);
	EXPECT_LT(10, checked);
}

TEST_F(cpus, unbound_workqueues_move)
{
	char buf[64];

	if (!self->wq_before[0])
		SKIP(return, WQ_MASK " missing");
	ASSERT_EQ(0, write_str(CPUS_FILE, "1"));
	ASSERT_EQ(0, read_str(WQ_MASK, buf, sizeof(buf)));
	/* A hex mask: bit 1 is the value 2 of the last digit. */
	EXPECT_EQ(0, strtoul(buf + strlen(buf) - 1, NULL, 16) & 2)
		TH_LOG("workqueue cpumask %s", buf);
	ASSERT_EQ(0, write_str(CPUS_FILE, "\n"));
	ASSERT_EQ(0, read_str(WQ_MASK, buf, sizeof(buf)));
	EXPECT_STREQ(self->wq_before, buf);
}

static int irq_lists(char lists[][64], const char *file)
{
	char path[96];
	int irq, n = 0;

	for (irq = 0; irq < MAX_IRQS; irq++) {
		lists[irq][0] = '\0';
		snprintf(path, sizeof(path), "/proc/irq/%d/%s", irq, file);
		if (!read_str(path, lists[irq], 64))
			n++;
	}
	return n;
}

/*
 * Try to move @irq to @list: 0, or the kernel's refusal: -EPERM for a
 * managed or per-CPU IRQ, or one whose affinity cannot be set at all
 * (the x86 timer, the cascade), -EIO or -EINVAL if its chip refuses.
 */
static int irq_move(int irq, const char *list)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	return write_str(path, list);
}

/*
 * Per numbered IRQ, the count delivered to @cpu, or to all CPUs if @cpu
 * is -1 (from /proc/interrupts).
 */
static void irq_counts(unsigned long *count, int cpu)
{
	char line[512], *p, *end;
	FILE *f = fopen("/proc/interrupts", "r");
	unsigned long n;
	int col, ncpus = sysconf(_SC_NPROCESSORS_CONF);
	long irq;

	memset(count, 0, MAX_IRQS * sizeof(*count));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		irq = strtol(line, &end, 10);
		if (end == line || *end != ':' || irq < 0 || irq >= MAX_IRQS)
			continue;
		p = end + 1;
		for (col = 0; col < ncpus; col++) {
			n = strtoul(p, &end, 10);
			if (end == p)
				break;
			p = end;
			if (cpu < 0)
				count[irq] += n;
			else if (col == cpu)
				count[irq] = n;
		}
	}
	fclose(f);
}

/* Make the guest's devices interrupt: console, 9p, the NICs. */
static void irq_activity(void)
{
	int i;

	for (i = 0; i < 20; i++)
		printf("# irq activity %d\n", i);
	fflush(stdout);
	if (!access("/ixdp/README.md", R_OK))
		system("cat /ixdp/README.md > /dev/null");
	if (!access("/run/netns/peer", F_OK))
		system("ip netns exec peer ping -q -c 5 -i 0.2 198.18.0.2 >/dev/null 2>&1");
}

/*
 * No IRQ is delivered to the reserved CPU; release restores affinities.
 *
 * Every IRQ still allowed on the reserved CPU after the reservation must
 * be one the kernel refuses to move (managed, per-CPU, or not settable:
 * a write of its affinity fails); each is named.  Any other, the test
 * moves itself, and fails.
 *
 * On x86 without interrupt remapping, an IRQ whose affinity changes
 * moves at its next interrupt, which still arrives at the old CPU: the
 * counts are taken after one round of activity.  An IRQ whose effective
 * affinity still names the reserved CPU after it (it did not fire) may
 * deliver there once more, and then no longer names it.
 */
TEST_F(cpus, irqs_move_off_and_back)
{
	static char before[MAX_IRQS][64], after[MAX_IRQS][64];
	static unsigned long c0[MAX_IRQS], c1[MAX_IRQS];
	static unsigned long all0[MAX_IRQS], all1[MAX_IRQS];
	static char eff[MAX_IRQS][64], eff2[MAX_IRQS][64];
	static int exempt[MAX_IRQS];
	unsigned long fired = 0;
	char def[64], def_before[64], others[32];
	int irq, err, nexempt = 0;

	ASSERT_EQ(0, read_str("/proc/irq/default_smp_affinity", def_before,
			      sizeof(def_before)));
	ASSERT_LT(0, irq_lists(before, "smp_affinity_list"));
	ASSERT_EQ(0, write_str(CPUS_FILE, "1"));
	/* The CPUs but the reserved one (TEST_CPU is 1). */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 3)
		snprintf(others, sizeof(others), "0,2-%ld",
			 sysconf(_SC_NPROCESSORS_ONLN) - 1);
	else
		snprintf(others, sizeof(others), "0%s",
			 sysconf(_SC_NPROCESSORS_ONLN) > 2 ? ",2" : "");
	irq_lists(after, "smp_affinity_list");
	irq_lists(eff, "effective_affinity_list");
	for (irq = 0; irq < MAX_IRQS; irq++) {
		if (!list_has(after[irq], TEST_CPU))
			continue;
		err = irq_move(irq, others);
		if (err == -EPERM || err == -EIO || err == -EINVAL) {
			exempt[irq] = 1;
			nexempt++;
			printf("# irq %d stays on CPU %d: the kernel refuses to move it (%s); affinity %s, effective %s\n",
			       irq, TEST_CPU, strerror(-err), after[irq],
			       eff[irq]);
			continue;
		}
		if (!err) {
			EXPECT_NE(0, err)
				TH_LOG("irq %d left on CPU %d (affinity %s), though the kernel moves it",
				       irq, TEST_CPU, after[irq]);
		} else {
			EXPECT_EQ(-EPERM, err)
				TH_LOG("irq %d: moving it to %s: %s", irq,
				       others, strerror(-err));
		}
	}
	printf("# %d IRQs exempt\n", nexempt);
	ASSERT_EQ(0, read_str("/proc/irq/default_smp_affinity", def,
			      sizeof(def)));
	EXPECT_EQ(0, strtoul(def + strlen(def) - 1, NULL, 16) & 2);

	irq_activity();
	irq_lists(eff, "effective_affinity_list");
	irq_counts(c0, TEST_CPU);
	irq_counts(all0, -1);
	irq_activity();
	irq_counts(c1, TEST_CPU);
	irq_counts(all1, -1);
	irq_lists(eff2, "effective_affinity_list");
	for (irq = 0; irq < MAX_IRQS; irq++) {
		fired += all1[irq] - all0[irq];
		if (exempt[irq])
			continue;
		if (!list_has(eff[irq], TEST_CPU)) {
			EXPECT_EQ(c0[irq], c1[irq])
				TH_LOG("irq %d hit CPU %d", irq, TEST_CPU);
			continue;
		}
		/* A move still pending delivers once more to the old CPU. */
		EXPECT_GE(c0[irq] + 1, c1[irq])
			TH_LOG("irq %d hit CPU %d %lu times", irq, TEST_CPU,
			       c1[irq] - c0[irq]);
		if (all1[irq] != all0[irq])
			EXPECT_FALSE(list_has(eff2[irq], TEST_CPU))
				TH_LOG("irq %d fired and still targets CPU %d",
				       irq, TEST_CPU);
	}
	EXPECT_LT(10, fired);

	ASSERT_EQ(0, write_str(CPUS_FILE, "\n"));
	irq_lists(after, "smp_affinity_list");
	for (irq = 0; irq < MAX_IRQS; irq++) {
		EXPECT_STREQ(before[irq], after[irq]) TH_LOG("irq %d", irq);
	}
	ASSERT_EQ(0, read_str("/proc/irq/default_smp_affinity", def,
			      sizeof(def)));
	EXPECT_STREQ(def_before, def);
}

TEST_HARNESS_MAIN
