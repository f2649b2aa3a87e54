// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /init for test.sh: say so on the console, spend two
 * seconds in user mode, then halt the machine, which leaves every vCPU
 * in hlt with interrupts off: from then on the counts must not move.
 */
#include <stdio.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	unsigned long spin = 0;
	double end;
	long i;

	printf("ixinsn-test: user spin\n");
	fflush(stdout);
	end = now() + 2;
	/* The clock is read through the vDSO: user mode too, mostly. */
	while (now() < end)
		for (i = 0; i < 1000000; i++)
			/* An add the compiler must keep. */
			asm volatile("inc %0" : "+r" (spin));
	printf("ixinsn-test: halt\n");
	fflush(stdout);
	reboot(RB_HALT_SYSTEM);
	for (;;)
		pause();
}
