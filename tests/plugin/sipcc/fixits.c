// SPDX-License-Identifier: MIT
// Each error here carries a fix-it; check-fixits.sh applies them and
// checks the result compiles clean.
int no_void()
{
	int *p;
	int x = 0;
	p = &x;
	return *p;
}
