// SPDX-License-Identifier: MIT
// Run-time bounds checks that sipcheck inserts (CC014): a non-constant index
// into an array or a SIP_COUNT pointer stops the program unless it is below
// the length. Run by run-host.sh; expected results in bounds.expected.
#include <stdio.h>
#include <stdlib.h>

void sip_contract_failed(const char *what, const char *file, int line)
{
	printf("contract violated: %s (%s:%d)\n", what, file, line);
	exit(3);
}

static int table[4] = {1, 2, 3, 4};

struct ring {
	int buf[8];
};

static int sum(SIP_COUNT(n) const int *p, unsigned n, unsigned upto)
{
	int s = 0;
	for (unsigned i = 0; i < upto; i++)
		s += p[i];
	return s;
}

static int in_struct(struct ring *r, int i)
{
	return r->buf[i];
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	struct ring r = {{0}};
	int c = argc > 1 ? atoi(argv[1]) : 0;
	switch (c) {
	case 0:
		printf("%d %d %d\n", sum(table, 4, 4), table[c + 3],
		       in_struct(&r, 7));
		break;
	case 1:
		printf("%d\n", table[c + 3]);
		break;
	case 2:
		printf("%d\n", sum(table, 4, 5));
		break;
	case 3:
		printf("%d\n", table[c - 4]);
		break;
	case 4:
		printf("%d\n", in_struct(&r, 8));
		break;
	case 5:
		printf("%d\n", sum(table, (unsigned)c, 1));
		break;
	case 6:
		printf("%d\n", sum(table, (unsigned)c - 2, 4));
		break;
	}
	return 0;
}
