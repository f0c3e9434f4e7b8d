// SPDX-License-Identifier: MIT
// CC003: no unions that hold pointers or linear handles.
#include "kv_contract.h"

union word {
	int i;
	char *p; // expected-error {{[CC003] union 'union word' holds a pointer in field 'p'}}
};

union nested {
	struct {
		int tag;
		void (*fn)(void);
	} s; // expected-error {{[CC003] union 'union nested' holds a pointer in field 's'}}
	long l;
};

union endpoint_or_int {
	kv_exp_ready ep; // expected-error {{[CC003] union 'union endpoint_or_int' holds a linear handle in field 'ep'}}
	int raw;
};

// Accepted: unions of plain data, structs of pointers.
union number {
	int i;
	float f;
	unsigned char bytes[4];
};

struct pair {
	char *first;
	char *second;
};

int first_byte(union number n)
{
	return n.bytes[0];
}
