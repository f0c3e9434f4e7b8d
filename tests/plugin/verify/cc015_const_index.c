// SPDX-License-Identifier: MIT
// CC015: constant indexes are checked against the array's length at
// compile time.

static int table[4];
static char grid[3][5];

int past_end(void)
{
	return table[4]; // expected-error {{[CC015] index 4 is out of bounds for array of 4 elements}}
}

int negative(void)
{
	return table[-1]; // expected-error {{[CC015] index -1 is out of bounds for array of 4 elements}}
}

char inner(void)
{
	return grid[1][5]; // expected-error {{[CC015] index 5 is out of bounds for array of 5 elements}}
}

int total(SIP_COUNT(n) const int *p, unsigned n);

int too_many(void)
{
	return total(table, 5); // expected-error {{[CC015] count 5 exceeds the 4 elements of the array passed as 'p'}}
}

// Accepted: constant indexes and counts in range.
int all(void)
{
	return total(table, 4) + total(table, 0);
}

int first_and_last(void)
{
	return table[0] + table[3] + grid[2][4];
}
