/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/ix for an application in the benchmark bench_app: libix's open,
 * ioctl, mmap, munmap and close (renamed to these at its compilation)
 * reach net/ixdp/app*.c in the environment of app_env.h, and the peer
 * of that environment is the client.  Plain C types only: the
 * application's side sees libix.h and nothing of the kernel.
 */
#ifndef _IX_BENCH_DEV_H
#define _IX_BENCH_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_CSUM_SW		0	/* every checksum in software */
#define BENCH_CSUM_VM		1	/* TX by the device, RX in software */
#define BENCH_CSUM_OFFLOAD	2	/* TX and RX by the device */

/* Before ix_open(): how the device treats checksums. */
void bench_dev_config(int csum);

int bench_open(const char *path, int flags, ...);
int bench_ioctl(int fd, unsigned long req, ...);
void *bench_mmap(void *addr, size_t len, int prot, int flags, int fd,
		 off_t off);
int bench_munmap(void *addr, size_t len);
int bench_close(int fd);

/*
 * The client: connect to @port (up to BENCH_CONNS_MAX times), send @len
 * bytes on every connection, deliver what we sent.
 */
#define BENCH_CONNS_MAX		8

int bench_client_connect(uint16_t port);
int bench_client_send(unsigned int len);
void bench_client_pump(void);
/* Bytes the client received; whether every buffer came back at the end. */
uint64_t bench_client_bytes(void);
int bench_dev_fini(void);

#endif /* _IX_BENCH_DEV_H */
