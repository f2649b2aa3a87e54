/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by ix_load, echo_epoll and echo_uring: time, number and
 * address parsing, and the file descriptor limit.
 */
#ifndef IX_BENCH_UTIL_H
#define IX_BENCH_UTIL_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_secs(const char *s, double *out);
int parse_ipv4(const char *s, struct in_addr *a);
int parse_port(const char *s, uint16_t *port);
const char *fmt_sin(const struct sockaddr_in *sin, char *buf, size_t len);
int raise_nofile(rlim_t need, rlim_t *have);

#endif
