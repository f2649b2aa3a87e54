// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the three tools.  Addresses are IPv4 literals only:
 * the binaries are static and run in a guest without a resolver.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* A decimal number in [min, max]; -EINVAL otherwise. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A non-negative number of seconds, fractions allowed, at most a day. */
int parse_secs(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 86400)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_ipv4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -EINVAL;
}

int parse_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (parse_u64(s, 1, 65535, &v))
		return -EINVAL;
	*port = v;
	return 0;
}

const char *fmt_sin(const struct sockaddr_in *sin, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
	snprintf(buf, len, "%s:%u", a, ntohs(sin->sin_port));
	return buf;
}

/*
 * Make at least @need descriptors available, raising the hard limit too
 * when allowed (CAP_SYS_RESOURCE, up to fs.nr_open).  *have gets the soft
 * limit in force on return.
 */
int raise_nofile(rlim_t need, rlim_t *have)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	*have = rl.rlim_cur;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max < need) {
		struct rlimit want = { need, need };

		if (!setrlimit(RLIMIT_NOFILE, &want)) {
			*have = need;
			return 0;
		}
		rl.rlim_cur = rl.rlim_max;
		if (!setrlimit(RLIMIT_NOFILE, &rl))
			*have = rl.rlim_cur;
		return -EMFILE;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	*have = need;
	return 0;
}
