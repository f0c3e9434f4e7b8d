// SPDX-License-Identifier: MIT
// Run-time checks of code contracts: SIP_REQUIRES on entry, SIP_ENSURES on
// every return (moved there by sipcheck), SIP_INVARIANT on every iteration.
// Run by run-host.sh; the expected results are in contracts.expected.
#include <stdio.h>
#include <stdlib.h>

void sip_contract_failed(const char *what, const char *file, int line)
{
	printf("contract violated: %s (%s:%d)\n", what, file, line);
	exit(3);
}

static int isqrt(int x, int cheat)
{
	SIP_REQUIRES(x >= 0);
	SIP_RESULT(int, r);
	SIP_ENSURES(r * r <= x && (r + 1) * (r + 1) > x);
	int g = 0;
	while ((g + 1) * (g + 1) <= x)
		g++;
	if (cheat)
		return g + 1;
	return g;
}

static int level;

static void raise_to(int to)
{
	SIP_ENSURES(level < 10);
	if (to == level)
		return;
	level = to;
}

static int sum_to(int n, int poison)
{
	int s = 0;
	for (int i = 0; i <= n; i++) {
		SIP_INVARIANT(s == i * (i - 1) / 2);
		s += i == poison ? 1000 : i;
	}
	return s;
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	int c = argc > 1 ? atoi(argv[1]) : 0;
	switch (c) {
	case 0:
		printf("%d %d %d\n", isqrt(16, 0), isqrt(15, 0), sum_to(4, -1));
		raise_to(3);
		raise_to(3);
		break;
	case 1:
		isqrt(-1, 0);
		break;
	case 2:
		isqrt(17, 1);
		break;
	case 3:
		level = 12;
		raise_to(12);
		break;
	case 4:
		raise_to(11);
		break;
	case 5:
		sum_to(5, 2);
		break;
	}
	return 0;
}
