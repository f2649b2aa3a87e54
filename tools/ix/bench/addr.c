// SPDX-License-Identifier: GPL-2.0
/*
 * Source addresses for ix_load (-S): a comma-separated list of IPv4
 * addresses and ranges, "A-B" with B a whole address or the last octet.
 * Connections take them round robin.  Each source address gives at most
 * the ephemeral port range's worth of connections to one server port.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "util.h"

#define SRC_MAX		65536

static int parse_range(char *item, uint32_t *lo, uint32_t *hi)
{
	char *dash = strchr(item, '-');
	struct in_addr a;
	uint64_t last;

	if (dash)
		*dash++ = '\0';
	if (parse_ipv4(item, &a))
		return -EINVAL;
	*lo = ntohl(a.s_addr);
	*hi = *lo;
	if (!dash)
		return 0;
	if (strchr(dash, '.')) {
		if (parse_ipv4(dash, &a))
			return -EINVAL;
		*hi = ntohl(a.s_addr);
	} else {
		if (parse_u64(dash, 0, 255, &last))
			return -EINVAL;
		*hi = (*lo & ~0xffU) | last;
	}
	return *hi < *lo ? -EINVAL : 0;
}

int parse_sources(const char *s, struct in_addr **out, unsigned int *n)
{
	char *copy = strdup(s), *item, *save = NULL;
	struct in_addr *a = NULL;
	unsigned int cnt = 0;
	uint32_t lo, hi, v;
	int err = -ENOMEM;

	if (!copy)
		return -ENOMEM;
	a = malloc(SRC_MAX * sizeof(*a));
	if (!a)
		goto out_free;
	err = -EINVAL;
	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (parse_range(item, &lo, &hi) || hi - lo >= SRC_MAX - cnt)
			goto out_free;
		for (v = lo; ; v++) {
			a[cnt++].s_addr = htonl(v);
			if (v == hi)
				break;
		}
	}
	if (!cnt)
		goto out_free;
	free(copy);
	*out = a;
	*n = cnt;
	return 0;

out_free:
	free(a);
	free(copy);
	return err;
}

/* Refuse up front a run the ephemeral port range cannot hold. */
int check_ports(const struct cfg *cfg)
{
	unsigned int per_src, lo, hi, nsrc = cfg->nsrc ? cfg->nsrc : 1;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	int got;

	if (!f)
		return 0;
	got = fscanf(f, "%u %u", &lo, &hi);
	fclose(f);
	if (got != 2 || hi < lo)
		return 0;
	per_src = (cfg->conns + nsrc - 1) / nsrc;
	if (per_src <= hi - lo + 1)
		return 0;
	fprintf(stderr, "ix_load: %u connections to one port need %u ports per source address, but the ephemeral range %u-%u has %u: give more source addresses with -S\n",
		cfg->conns, per_src, lo, hi, hi - lo + 1);
	return -ENOSPC;
}
