// SPDX-License-Identifier: MIT
// The native side of the engine benchmark: runs one kernel's run() the
// given number of times and prints the checksum and the best CPU time in
// seconds (on stderr, as engrun --time does).
#include "kernels/kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 1;
	double best = 1e30;
	uint64_t sum = 0;
	for (int i = 0; i < reps; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		sum = run();
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (t < best)
			best = t;
	}
	printf("i64:%llu\n", (unsigned long long)sum);
	fprintf(stderr, "%.6f\n", best);
	return 0;
}
