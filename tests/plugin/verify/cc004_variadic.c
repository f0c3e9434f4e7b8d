// SPDX-License-Identifier: MIT
// CC004: no variadic function definitions. Declarations, such as the printf
// family that the runtime declares with format checking, stay allowed.

int sum(int n, ...) // expected-error {{[CC004] variadic function 'sum' cannot be defined in checked C}}
{
	return n;
}

// Accepted: declaring and calling a variadic function, fixed-arity sums.
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);

int sum3(int a, int b, int c)
{
	printf("%d %d %d\n", a, b, c);
	return a + b + c;
}
