// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ix for bench_app (see bench_dev.h): one environment of app_env.h,
 * made when libix maps its TX memory, since the environment owns that
 * memory; the setup ioctl then answers what the environment's setup
 * answered.  The run ioctl is ixdp_app_run(), as the kernel's is after
 * copying the request in.
 */

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>

#include "app_env.h"
#include "bench_dev.h"

#define BENCH_FD	42
/* libix's ring sizes (libix.c): the environment's setup asks for them. */
#define BENCH_CMD_ENTRIES	4096
#define BENCH_EV_ENTRIES	1024

static struct env bench_env;
static u32 bench_offload;
static bool bench_up;
/* The client's connections, in the order they were opened. */
static u32 bench_conns[BENCH_CONNS_MAX];
static unsigned int bench_nconns;

void bench_dev_config(int csum)
{
	bench_offload = 0;
	/* The VM's virtio_net: TX sums and pieces by the device (attach.c). */
	if (csum == BENCH_CSUM_VM)
		bench_offload = IXDP_OFFLOAD_TX_CSUM | IXDP_OFFLOAD_TX_SG;
	else if (csum == BENCH_CSUM_OFFLOAD)
		bench_offload = IXDP_OFFLOAD_TX_CSUM | IXDP_OFFLOAD_TX_SG |
				IXDP_OFFLOAD_RX_CSUM;
}

static int bench_env_init(size_t tx_len)
{
	struct env_cfg cfg = {
		.nbufs = 512,
		.max_conns = 2 * BENCH_CONNS_MAX,
		.cmd_entries = BENCH_CMD_ENTRIES,
		.ev_entries = BENCH_EV_ENTRIES,
		.tx_pages = tx_len / PAGE_SIZE,
		.peer_echo = true,
		.offload = bench_offload,
	};

	if (bench_up || tx_len % PAGE_SIZE)
		return -EINVAL;
	if (env_init(&bench_env, &cfg)) {
		env_fini(&bench_env);
		return -ENOMEM;
	}
	bench_up = true;
	return 0;
}

void *bench_mmap(void *addr, size_t len, int prot, int flags, int fd,
		 off_t off)
{
	struct env *e = &bench_env;

	if (fd < 0) {
		if (bench_env_init(len))
			return MAP_FAILED;
		return e->tx;
	}
	switch (off) {
	case IX_OFF_CMD_RING:
		return e->cmd;
	case IX_OFF_EVENT_RING:
		return (void *)e->ev;
	case IX_OFF_RX_POOL:
		return e->pool_mem;
	}
	errno = EINVAL;
	return MAP_FAILED;
}

int bench_munmap(void *addr, size_t len)
{
	return 0;
}

int bench_open(const char *path, int flags, ...)
{
	return bench_up ? BENCH_FD : -1;
}

int bench_close(int fd)
{
	return 0;
}

static int bench_setup(struct ix_setup *p)
{
	struct ix_setup *s = &bench_env.setup;

	if (p->cmd_entries != s->cmd_entries ||
	    p->event_entries != s->event_entries ||
	    p->tx_addr != s->tx_addr || p->tx_len != s->tx_len)
		return -EINVAL;
	*p = *s;
	return 0;
}

int bench_ioctl(int fd, unsigned long req, ...)
{
	struct ix_run run;
	va_list ap;
	void *arg;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != BENCH_FD || !bench_up) {
		errno = EBADF;
		return -1;
	}
	if (req == IX_IOC_SETUP) {
		err = bench_setup(arg);
	} else if (req == IX_IOC_RUN) {
		memcpy(&run, arg, sizeof(run));
		err = ixdp_app_run(bench_env.app, &run);
		memcpy(arg, &run, sizeof(run));
	} else {
		err = -ENOTTY;
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

int bench_client_connect(uint16_t port)
{
	int err;

	if (bench_nconns == BENCH_CONNS_MAX)
		return -ENOSPC;
	err = env_peer_connect(&bench_env, port);
	if (!err)
		bench_conns[bench_nconns++] = bench_env.peer_conn[0];
	return err;
}

int bench_client_send(unsigned int len)
{
	unsigned int i;
	int err;

	for (i = 0; i < bench_nconns; i++) {
		err = env_peer_send(&bench_env, bench_conns[i], len);
		if (err < 0)
			return err;
	}
	return 0;
}

void bench_client_pump(void)
{
	env_pump(&bench_env);
}

uint64_t bench_client_bytes(void)
{
	return bench_env.peer_rx;
}

int bench_dev_fini(void)
{
	bool ok = bench_env.to_core.overflow == 0 &&
		  bench_env.to_peer.overflow == 0;

	if (!bench_up)
		return -EINVAL;
	bench_up = false;
	return env_fini(&bench_env) && ok ? 0 : -EIO;
}
