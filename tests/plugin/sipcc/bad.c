// SPDX-License-Identifier: MIT
// Breaks CC001: sipcc must refuse it, and compile it with --no-check.
int *at(unsigned long addr)
{
	return (int *)addr;
}
