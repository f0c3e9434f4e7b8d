// SPDX-License-Identifier: MIT
// CC014: indexing and pointer arithmetic only where the bounds are known:
// arrays, and pointers annotated SIP_COUNT(n). Their run-time checks are
// tested by run/bounds.c.

int sum_raw(const int *p, int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += p[i]; // expected-error {{[CC014] indexing on 'p' whose bounds are unknown; use an array or a SIP_COUNT(n) parameter}}
	return s;
}

int walk_raw(const char *s)
{
	int n = 0;
	while (*s) {
		s++; // expected-error {{[CC014] pointer arithmetic on 's' whose bounds are unknown; use an array or a SIP_COUNT(n) parameter}}
		n++;
	}
	return n;
}

const char *offset(const char *s, int k)
{
	return s + k; // expected-error {{[CC014] pointer arithmetic on 's' whose bounds are unknown; use an array or a SIP_COUNT(n) parameter}}
}

int bad_count(SIP_COUNT(len) const int *p) // expected-error {{[CC014] SIP_COUNT(len) names no parameter or local variable of this function}}
{
	return p[0]; // expected-error {{[CC014] indexing on 'p' whose bounds are unknown; use an array or a SIP_COUNT(n) parameter}}
}

int count_local(const int *src)
{
	SIP_COUNT(n) const int *view = src; // expected-error {{[CC014] SIP_COUNT applies to pointer parameters only}}
	return view[0]; // expected-error {{[CC014] indexing on 'view' whose bounds are unknown; use an array or a SIP_COUNT(n) parameter}}
}

int sum(SIP_COUNT(n) const int *p, unsigned n);

int grow(SIP_COUNT(n) int *p, unsigned n, int *other)
{
	n += 4; // expected-error {{[CC014] 'n' bounds a SIP_COUNT pointer and cannot be changed}}
	p = other; // expected-error {{[CC014] 'p' bounds a SIP_COUNT pointer and cannot be changed}}
	unsigned *alias = &n; // expected-error {{[CC014] 'n' bounds a SIP_COUNT pointer and cannot be changed}}
	return p[*alias];
}

int call_with_raw(const int *raw)
{
	return sum(raw, 4); // expected-error {{[CC014] argument for SIP_COUNT(n) parameter 'p' has unknown bounds; pass an array or a SIP_COUNT pointer}}
}

// Accepted: counted pointers, arrays, distances between pointers.
int sum(SIP_COUNT(n) const int *p, unsigned n)
{
	int s = 0;
	for (unsigned i = 0; i < n; i++)
		s += p[i];
	return s;
}

static int table[16];

int lookup(unsigned i)
{
	return table[i];
}

struct ring { unsigned char buf[64]; unsigned head; };

unsigned char peek(struct ring *r)
{
	return r->buf[r->head % 64];
}

long distance(const char *a, const char *b)
{
	return b - a;
}

int call_with_array(void)
{
	int local[8] = {0};
	return sum(local, 8) + sum(table, 16);
}

int pass_through(SIP_COUNT(n) const int *p, unsigned n, unsigned k)
{
	return sum(p, n) + sum(p, k); // the second count is checked at run time
}
