// SPDX-License-Identifier: GPL-2.0
/*
 * ix_cycle: bind an application to a dataplane and let it go, again and
 * again, for the leak checks of ix_leaks.sh.
 *
 *	ix_cycle CPU N
 *
 * Each of N cycles opens /dev/ix, sets up with 1 MiB of TX memory (the
 * kernel pins it), maps the rings and the RX pool, listens on a port,
 * runs the loop once and closes everything.  Exit status 0 only if every
 * cycle succeeded.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/ix/libix.h"

static const struct ix_ops ops;

int main(int argc, char **argv)
{
	struct ix_ctx ctx;
	unsigned int cpu, n, i;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: ix_cycle CPU N\n");
		return 2;
	}
	cpu = strtoul(argv[1], NULL, 0);
	n = strtoul(argv[2], NULL, 0);
	for (i = 0; i < n; i++) {
		err = ix_open(&ctx, cpu, 1 << 20, &ops, NULL);
		if (err) {
			fprintf(stderr, "cycle %u: ix_open: %s\n", i, strerror(-err));
			return 1;
		}
		err = ix_tcp_listen(&ctx, 9000 + i % 100, 16, i);
		if (!err)
			err = ix_run(&ctx, 0, 0);
		ix_close(&ctx);
		if (err < 0) {
			fprintf(stderr, "cycle %u: %s\n", i, strerror(-err));
			return 1;
		}
	}
	printf("%u cycles of open, setup, listen, run, close\n", n);
	return 0;
}
