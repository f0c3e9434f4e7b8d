// SPDX-License-Identifier: MIT
// CC013: a pointer that may be null is checked before it is dereferenced
// (address 0 is valid memory in wasm32: a null dereference would not trap).
void *malloc(unsigned long n);
SIP_NULLABLE char *lookup(const char *key);
struct node { int value; struct node *next; };

int unchecked_alloc(void)
{
	int *p = malloc(sizeof *p); // expected-note {{'p' may be null from here}}
	*p = 1; // expected-error {{[CC013] pointer 'p' may be null here; check it against NULL before dereferencing it}}
	return 0;
}

char unchecked_lookup(void)
{
	char *v = lookup("k"); // expected-note {{'v' may be null from here}}
	return *v; // expected-error {{[CC013] pointer 'v' may be null here; check it against NULL before dereferencing it}}
}

int nullable_param(SIP_NULLABLE struct node *n) // expected-note {{'n' may be null from here}}
{
	return n->value; // expected-error {{[CC013] pointer 'n' may be null here; check it against NULL before dereferencing it}}
}

int wrong_branch(SIP_NULLABLE struct node *n) // expected-note {{'n' may be null from here}}
{
	if (n == 0)
		return n->value; // expected-error {{[CC013] pointer 'n' may be null here; check it against NULL before dereferencing it}}
	return 0;
}

int after_merge(int c)
{
	struct node *n = 0; // expected-note {{'n' may be null from here}}
	if (c)
		n = malloc(sizeof *n);
	if (n)
		n->value = 1;
	return n->value; // expected-error {{[CC013] pointer 'n' may be null here; check it against NULL before dereferencing it}}
}

int length(const char *s);
void release(SIP_NULLABLE void *p);

int pass_unchecked(void)
{
	char *v = lookup("k"); // expected-note {{'v' may be null from here}}
	return length(v); // expected-error {{[CC013] pointer 'v' may be null here, and parameter 's' of 'length' is not SIP_NULLABLE; check it against NULL first}}
}

// Accepted: checks in every usual shape.
int pass_checked(void)
{
	char *v = lookup("k");
	release(v);
	if (!v)
		return 0;
	return length(v);
}

int checked(void)
{
	int *p = malloc(sizeof *p);
	if (!p)
		return -1;
	*p = 1;
	return *p;
}

int checked_and(SIP_NULLABLE struct node *n)
{
	if (n != 0 && n->value > 0)
		return n->value;
	return 0;
}

int checked_or(SIP_NULLABLE struct node *n)
{
	if (n == 0 || n->next == 0)
		return 0;
	return n->next->value;
}

int checked_by_contract(SIP_NULLABLE struct node *n)
{
	SIP_REQUIRES(n != 0);
	return n->value;
}

int walk(struct node *head)
{
	int sum = 0;
	for (struct node *n = head; n; n = n->next)
		sum += n->value;
	return sum + head->value;
}

SIP_NULLABLE struct node *next_node(void);

int drain(void)
{
	int sum = 0;
	struct node *n = 0;
	while ((n = next_node()) != 0)
		sum += n->value;
	if (!(n = next_node()))
		return sum;
	return sum + n->value;
}

int ternary(SIP_NULLABLE struct node *n)
{
	return n ? n->value : 0;
}
