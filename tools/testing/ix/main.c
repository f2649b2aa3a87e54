// SPDX-License-Identifier: GPL-2.0
/*
 * Runner of the ixdp host harness: every registered test in order, TAP
 * output, exit status 1 if any failed.  Arguments select tests whose
 * "suite.name" contains one of them.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define MAX_TESTS	1024

static struct {
	const char *suite;
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static unsigned int ntests;
static bool failed;

void ix_test_register(const char *suite, const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].suite = suite;
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void ix_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed = true;
}

bool ix_test_failed(void)
{
	return failed;
}

static bool selected(unsigned int i, int argc, char **argv)
{
	char full[256];
	int a;

	if (argc < 2)
		return true;
	snprintf(full, sizeof(full), "%s.%s", tests[i].suite, tests[i].name);
	for (a = 1; a < argc; a++)
		if (strstr(full, argv[a]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int i, n = 0, nfail = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ntests; i++)
		n += selected(i, argc, argv);
	printf("TAP version 13\n1..%u\n", n);
	n = 0;
	for (i = 0; i < ntests; i++) {
		if (!selected(i, argc, argv))
			continue;
		failed = false;
		tests[i].fn();
		printf("%sok %u %s.%s\n", failed ? "not " : "", ++n,
		       tests[i].suite, tests[i].name);
		nfail += failed;
	}
	printf("# %u passed, %u failed\n", n - nfail, nfail);
	return nfail ? 1 : 0;
}
