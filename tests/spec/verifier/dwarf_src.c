// SPDX-License-Identifier: MIT
// Compiled to wasm32 with DWARF by cli_test.sh: under --features=mvp the
// sign-extension on line 7 and the memory.copy on line 12 are rejected,
// and sipverify must name these lines.
int narrow(int x)
{
	return (signed char)x;
}

void copy(char *d, const char *s, unsigned long n)
{
	__builtin_memcpy(d, s, n);
}
