// SPDX-License-Identifier: MIT
// CC012: local pointers are initialized where they are declared; linear
// handles are initialized before their first use on every path.
#include "kv_contract.h"

int *pick(int *a, int *b, int c)
{
	int *p; // expected-error {{[CC012] local pointer 'p' must be initialized where it is declared}}
	if (c)
		p = a;
	else
		p = b;
	return p;
}

void uninit_handle(int c)
{
	xh_bytes b;
	if (c)
		b = xh_alloc(1);
	xh_free(b); // expected-error {{[CC012] linear handle 'b' is used before it is initialized}}
}

// Accepted: initialized pointers, handles assigned on every path.
int *pick_ok(int *a, int *b, int c)
{
	int *p = a;
	if (!c)
		p = b;
	return p;
}

void init_handle(int c)
{
	xh_bytes b;
	if (c)
		b = xh_alloc(1);
	else
		b = xh_alloc(2);
	xh_free(b);
}
