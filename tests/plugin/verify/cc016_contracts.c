// SPDX-License-Identifier: MIT
// CC016: contract conditions have no side effects. Calls count as side
// effects unless the function is declared pure or const.
int counter;
int next_id(void);
__attribute__((pure)) int is_valid(int id);

int bump(int x)
{
	SIP_REQUIRES(counter++ < 10); // expected-error {{[CC016] condition of SIP_REQUIRES has side effects}}
	SIP_RESULT(int, r);
	SIP_ENSURES((counter = r) > 0); // expected-error {{[CC016] condition of SIP_ENSURES has side effects}}
	return x + 1;
}

int calls(int id)
{
	SIP_REQUIRES(next_id() != id); // expected-error {{[CC016] condition of SIP_REQUIRES has side effects}}
	return id;
}

void loop(int n)
{
	while (n > 0) {
		SIP_INVARIANT(n-- >= 0); // expected-error {{[CC016] condition of SIP_INVARIANT has side effects}}
	}
}

// Accepted: pure conditions, calls to pure functions.
int clamp(int x, int lo, int hi)
{
	SIP_REQUIRES(lo <= hi);
	SIP_REQUIRES(is_valid(x));
	SIP_RESULT(int, r);
	SIP_ENSURES(r >= lo && r <= hi);
	if (x < lo)
		return lo;
	return x > hi ? hi : x;
}

int count_down(int n)
{
	int steps = 0;
	for (int i = n; i > 0; i--) {
		SIP_INVARIANT(steps + i == n);
		steps++;
	}
	return steps;
}
