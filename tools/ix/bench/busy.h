/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Busy polling for the Linux contenders, so that they can be measured
 * polling against a polling dataplane: per socket (SO_BUSY_POLL and
 * friends), per epoll instance (EPIOCSPARAMS) and per io_uring
 * (IORING_REGISTER_NAPI).
 */
#ifndef IX_BENCH_BUSY_H
#define IX_BENCH_BUSY_H

#include <stdbool.h>

/* The budget of one busy poll: NAPI's usual weight. */
#define BUSY_BUDGET	64

int busy_sock(int fd, unsigned int usecs, bool *prefer);
int busy_epoll(int epfd, unsigned int usecs);
int busy_uring(int ring_fd, unsigned int usecs);

#endif
