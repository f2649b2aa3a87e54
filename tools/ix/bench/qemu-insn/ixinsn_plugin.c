// SPDX-License-Identifier: GPL-2.0
/*
 * libixinsn.so: a QEMU TCG plugin counting the guest instructions each
 * vCPU executes, in user and in kernel mode, readable and resettable
 * from the host while the guest runs (see README.md):
 *
 *	qemu-system-x86_64 ... -plugin libixinsn.so,sock=PATH
 *
 * QEMU 7.2's plugin API cannot read registers, so the mode is told by
 * the instruction's virtual address: on x86-64 Linux the kernel runs
 * in the upper half (top bit set) and user space in the lower half.
 * Firmware and the kernel's early boot run at low addresses and count
 * as user.
 *
 * Counting: 7.2's inline ops add to one fixed address, shared by every
 * vCPU that runs the translated block (blocks are shared between vCPUs),
 * so they cannot count per vCPU.  Each block instead gets an execution
 * callback that adds its instruction count to the running vCPU's slot:
 * one call per executed block (tens of instructions) instead of an
 * inline add.  A block never crosses a privilege change (syscall,
 * sysret, iret and faults end it), so its first address classifies all
 * of it.  A block left early by a fault counts whole.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define KERNEL_BIT	0x8000000000000000ULL

/*
 * One vCPU's counts, written only by the thread running that vCPU and
 * read by the socket thread: a cache line each so the vCPUs do not share.
 * Reset does not write them: it records a base the reads subtract, so
 * the writers need no atomic read-modify-write.
 */
struct slot {
	uint64_t n[2];		/* [0] user, [1] kernel */
	uint64_t base[2];	/* touched by the socket thread only */
	uint64_t pad[4];	/* to 64 bytes, allocated 64-aligned */
};

static struct slot *slots;
static int nr_vcpus;

/*
 * profile=on: each translated block also counts its executions, so that
 * "profile" can tell where the instructions went, by block address.  A
 * block run by two vCPUs at once shares its counter (an atomic add); a
 * block translated again gets a second entry, summed by address at the
 * dump.  Entries are never freed: a guest translates a bounded amount
 * of code.
 */
struct block {
	uint64_t vaddr;
	uint64_t execs;
	uint64_t base;		/* execs at the last "profile-reset" */
	unsigned int n_insns;
	unsigned int kernel;
	struct block *next;
};

static bool profile;
static struct block *blocks;
static pthread_mutex_t blocks_lock = PTHREAD_MUTEX_INITIALIZER;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int listen_fd = -1;

/* The block's instruction count and mode, packed in its callback data. */
static void tb_exec(unsigned int vcpu, void *udata)
{
	uintptr_t v = (uintptr_t)udata;
	uint64_t *n;

	if (vcpu >= (unsigned int)nr_vcpus)
		return;
	n = &slots[vcpu].n[v & 1];
	__atomic_store_n(n, *n + (v >> 1), __ATOMIC_RELAXED);
}

/* profile=on: the vCPU's slot as tb_exec, and the block's own count. */
static void tb_exec_profile(unsigned int vcpu, void *udata)
{
	struct block *b = udata;
	uint64_t *n;

	__atomic_fetch_add(&b->execs, 1, __ATOMIC_RELAXED);
	if (vcpu >= (unsigned int)nr_vcpus)
		return;
	n = &slots[vcpu].n[b->kernel];
	__atomic_store_n(n, *n + b->n_insns, __ATOMIC_RELAXED);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uintptr_t kernel = !!(qemu_plugin_tb_vaddr(tb) & KERNEL_BIT);
	uintptr_t v = (qemu_plugin_tb_n_insns(tb) << 1) | kernel;
	struct block *b;

	if (profile) {
		b = calloc(1, sizeof(*b));
		if (b) {
			b->vaddr = qemu_plugin_tb_vaddr(tb);
			b->n_insns = qemu_plugin_tb_n_insns(tb);
			b->kernel = kernel;
			pthread_mutex_lock(&blocks_lock);
			b->next = blocks;
			blocks = b;
			pthread_mutex_unlock(&blocks_lock);
			qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec_profile,
							     QEMU_PLUGIN_CB_NO_REGS,
							     b);
			return;
		}
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec,
					     QEMU_PLUGIN_CB_NO_REGS,
					     (void *)v);
}

static uint64_t count(int vcpu, int mode)
{
	struct slot *s = &slots[vcpu];

	return __atomic_load_n(&s->n[mode], __ATOMIC_RELAXED) - s->base[mode];
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t r = send(fd, buf, len, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		len -= r;
	}
	return 0;
}

/*
 * "profile": a line "block VADDR INSNS" for each block address that ran
 * since the last "profile-reset" (INSNS: its executions times its
 * instructions), then "end".  The host sorts and names them.
 */
static int answer_profile(int fd, bool reset)
{
	static const char off[] = "error profile=on not given\n";
	struct block *b, *head;
	char line[64];
	uint64_t e;

	if (!profile)
		return send_all(fd, off, strlen(off));
	pthread_mutex_lock(&blocks_lock);
	head = blocks;
	pthread_mutex_unlock(&blocks_lock);
	/* entries are only ever pushed in front: the list from head is stable */
	for (b = head; b; b = b->next) {
		e = __atomic_load_n(&b->execs, __ATOMIC_RELAXED);
		if (reset) {
			b->base = e;
			continue;
		}
		if (e == b->base)
			continue;
		snprintf(line, sizeof(line), "block %llx %llu\n",
			 (unsigned long long)b->vaddr,
			 (unsigned long long)((e - b->base) * b->n_insns));
		if (send_all(fd, line, strlen(line)))
			return -1;
	}
	return send_all(fd, reset ? "ok\n" : "end\n", reset ? 3 : 4);
}

/* "read": one line per vCPU, then the total.  "reset": zero them all. */
static int answer(int fd, const char *cmd)
{
	char line[128];
	uint64_t tu = 0, tk = 0, u, k;
	int i;

	if (!strcmp(cmd, "reset")) {
		for (i = 0; i < nr_vcpus; i++) {
			slots[i].base[0] += count(i, 0);
			slots[i].base[1] += count(i, 1);
		}
		return send_all(fd, "ok\n", 3);
	}
	if (!strcmp(cmd, "profile") || !strcmp(cmd, "profile-reset"))
		return answer_profile(fd, cmd[7] == '-');
	if (strcmp(cmd, "read")) {
		snprintf(line, sizeof(line), "error unknown command '%.32s'\n", cmd);
		return send_all(fd, line, strlen(line));
	}
	for (i = 0; i < nr_vcpus; i++) {
		u = count(i, 0);
		k = count(i, 1);
		tu += u;
		tk += k;
		snprintf(line, sizeof(line), "vcpu %d user %llu kernel %llu\n",
			 i, (unsigned long long)u, (unsigned long long)k);
		if (send_all(fd, line, strlen(line)))
			return -1;
	}
	snprintf(line, sizeof(line), "total user %llu kernel %llu\n",
		 (unsigned long long)tu, (unsigned long long)tk);
	return send_all(fd, line, strlen(line));
}

/* One client at a time, one command a line, until it closes. */
static void serve(int fd)
{
	char buf[256];
	size_t len = 0;
	char *nl;
	ssize_t r;

	for (;;) {
		r = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		len += r;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			if (nl > buf && nl[-1] == '\r')
				nl[-1] = '\0';
			if (answer(fd, buf))
				return;
			len -= nl + 1 - buf;
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof(buf) - 1)
			return;		/* a line too long: drop the client */
	}
}

static void *server(void *arg)
{
	int fd;

	for (;;) {
		fd = accept(listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		serve(fd);
		close(fd);
	}
}

static int start_server(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	sigset_t all, old;
	pthread_t t;
	int err;

	memcpy(sa.sun_path, sock_path, sizeof(sa.sun_path));
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -1;
	unlink(sock_path);	/* a socket left by an earlier run */
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(listen_fd, 4))
		return -1;
	/* QEMU's signals belong to its own threads, not to this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, NULL, server, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		return -1;
	}
	pthread_detach(t);
	return 0;
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	unlink(sock_path);
}

static void fail(const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "ixinsn: %s\n", what);
	qemu_plugin_outs(msg);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	char msg[160];
	int i;

	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		fail("needs qemu-system-x86_64: the mode test is x86-64's");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "sock=", 5) &&
		    strlen(argv[i] + 5) < sizeof(sock_path)) {
			snprintf(sock_path, sizeof(sock_path), "%s", argv[i] + 5);
		} else if (!strcmp(argv[i], "profile=on")) {
			profile = true;
		} else {
			snprintf(msg, sizeof(msg),
				 "bad argument '%.64s' (sock=PATH, profile=on)",
				 argv[i]);
			fail(msg);
			return -1;
		}
	}
	if (!sock_path[0]) {
		fail("sock=PATH is needed");
		return -1;
	}
	nr_vcpus = info->system.max_vcpus;
	slots = aligned_alloc(64, nr_vcpus * sizeof(*slots));
	if (!slots) {
		fail("out of memory");
		return -1;
	}
	memset(slots, 0, nr_vcpus * sizeof(*slots));
	if (start_server()) {
		snprintf(msg, sizeof(msg), "%.100s: %s", sock_path, strerror(errno));
		fail(msg);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
