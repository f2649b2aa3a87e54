/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ix_load's threads, in this process or spread over several: spawn.c.
 */
#ifndef IX_BENCH_SPAWN_H
#define IX_BENCH_SPAWN_H

#include <sys/types.h>

#include "load.h"

#define SPAWN_PROCS_MAX		64
#define SPAWN_SPARE_FDS		64	/* stdio, sockets of the setup */

int spawn_alloc(const struct cfg *cfg, struct run **run, struct thr **thr);
void spawn_free(const struct cfg *cfg, struct run *run);
void spawn_threads(const struct cfg *cfg, struct run *run, struct thr *thr,
		   pid_t *pids);
int spawn_reap(const struct cfg *cfg, struct thr *thr, const pid_t *pids);
unsigned int spawn_size(unsigned int conns, unsigned int threads,
			unsigned long long limit);

#endif
