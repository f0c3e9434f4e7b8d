// SPDX-License-Identifier: MIT
// Ordinary C that the checked rules refuse (pointer arithmetic, a union,
// a varargs function): sipcc --unchecked builds it into an image the
// verifier accepts, which imports only module "isola".
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

union bits {
	float f;
	unsigned u;
};

static int sum(int n, ...)
{
	va_list ap;
	int s = 0;

	va_start(ap, n);
	while (n-- > 0)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

int main(int argc, char **argv)
{
	char buf[16] = "hello";
	char *p = buf + 2;
	union bits b = { .f = 1.0f };

	printf("%s %d %x %d %s\n", p, sum(3, 1, 2, 3), b.u, argc, argv[0]);
	return (int)strlen(p) - 3;
}
