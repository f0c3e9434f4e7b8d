// SPDX-License-Identifier: MIT
// CC002: no casts between unrelated pointer types. void * (the allocator)
// and char * views of bytes are the documented exceptions.

struct header { int kind; };
struct packet { struct header h; int len; };
void *alloc(unsigned long n);

struct packet *downcast(struct header *h)
{
	return (struct packet *)h; // expected-error {{[CC002] cast between unrelated pointer types 'struct header *' and 'struct packet *'}}
}

float *pun(int *i)
{
	return (float *)i; // expected-error {{[CC002] cast between unrelated pointer types 'int *' and 'float *'}}
}

struct header *from_bytes(unsigned char *b)
{
	return (struct header *)b; // expected-error {{[CC002] cast between unrelated pointer types 'unsigned char *' and 'struct header *'}}
}

typedef int (*handler)(int);
handler fn_pun(void (*f)(void))
{
	return (handler)f; // expected-error {{[CC002] cast between unrelated pointer types 'void (*)(void)' and 'handler' (aka 'int (*)(int)')}}
}

void *fn_to_void(void (*f)(void))
{
	return (void *)f; // expected-error {{[CC002] cast between unrelated pointer types 'void (*)(void)' and 'void *'}}
}

// Accepted: through the allocator's void *, byte views, qualifiers.
struct packet *from_alloc(void)
{
	struct packet *p = alloc(sizeof(struct packet));
	return (struct packet *)alloc(sizeof *p);
}

const unsigned char *bytes_of(const struct packet *p)
{
	return (const unsigned char *)p;
}

char *chars_of(struct packet *p)
{
	return (char *)p;
}

const int *add_const(int *p)
{
	return (const int *)p;
}

void *to_void(struct packet *p)
{
	return p;
}
