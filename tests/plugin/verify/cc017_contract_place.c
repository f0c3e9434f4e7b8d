// SPDX-License-Identifier: MIT
// CC017: where contract clauses go. SIP_REQUIRES, SIP_RESULT and SIP_ENSURES
// lead the function body; SIP_INVARIANT leads a loop body; a function that
// returns a value names its result with SIP_RESULT for SIP_ENSURES.

int late(int x)
{
	x += 1;
	SIP_REQUIRES(x > 0); // expected-error {{[CC017] SIP_REQUIRES must be among the first statements of a function body}}
	return x;
}

int nested(int x)
{
	if (x) {
		SIP_REQUIRES(x > 0); // expected-error {{[CC017] SIP_REQUIRES must be among the first statements of a function body}}
	}
	return x;
}

void invariant_outside(int n)
{
	SIP_INVARIANT(n >= 0); // expected-error {{[CC017] SIP_INVARIANT must be the first statement of a loop body}}
	while (n > 0) {
		n--;
		SIP_INVARIANT(n >= 0); // expected-error {{[CC017] SIP_INVARIANT must be the first statement of a loop body}}
	}
}

int no_result(int x)
{
	SIP_ENSURES(x > 0); // expected-error {{[CC017] SIP_ENSURES in a function that returns a value needs SIP_RESULT(type, name) before it}}
	return x;
}

int wrong_result(int x)
{
	SIP_RESULT(long, r); // expected-error {{[CC017] SIP_RESULT has type 'long' but the function returns 'int'}}
	SIP_ENSURES(r > 0);
	return x;
}

// Accepted: clauses first, in any order among themselves.
int ok(int x)
{
	SIP_REQUIRES(x > 0);
	SIP_RESULT(int, r);
	SIP_ENSURES(r > x);
	SIP_REQUIRES(x < 1000);
	return x + 1;
}

void ok_void(int n)
{
	SIP_ENSURES(n >= 0);
	while (n > 0)
		SIP_INVARIANT(n > 0);
}
