// SPDX-License-Identifier: MIT
// CC005: every function has a prototype.

int legacy(); // expected-error {{[CC005] function 'legacy' has no prototype}}

int old_style(a, b) // expected-error {{[CC005] function 'old_style' has no prototype}}
	int a;
	int b;
{
	return a + b;
}

int no_void() // expected-error {{[CC005] function 'no_void' has no prototype}}
{
	return 0;
}

// Accepted: prototypes, including (void).
int modern(int a, int b);
int nothing(void);

int modern(int a, int b)
{
	return a + b + nothing();
}
