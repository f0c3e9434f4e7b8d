// SPDX-License-Identifier: MIT
// CC001: no casts from integers to pointers.

struct point { int x, y; };

int *from_int(unsigned long addr)
{
	return (int *)addr; // expected-error {{[CC001] cast from integer type 'unsigned long' to pointer type 'int *'}}
}

struct point *from_literal(void)
{
	return (struct point *)64; // expected-error {{[CC001] cast from integer type 'int' to pointer type 'struct point *'}}
}

// Accepted: a null pointer constant, and pointers to integers.
int *null_is_fine(void)
{
	return (int *)0;
}

unsigned long to_int_is_fine(int *p)
{
	return (unsigned long)p;
}
