// SPDX-License-Identifier: MIT
// CC006: no setjmp/longjmp, computed goto or inline assembly.

typedef long jmp_buf[8];
int setjmp(jmp_buf env);
void longjmp(jmp_buf env, int val);

jmp_buf where;

int try_it(void)
{
	if (setjmp(where)) // expected-error {{[CC006] 'setjmp' is not allowed in checked C}}
		return 1;
	longjmp(where, 1); // expected-error {{[CC006] 'longjmp' is not allowed in checked C}}
	return 0;
}

int dispatch(int op)
{
	static void *labels[] = {&&add, &&sub}; // expected-error 2 {{[CC006] computed goto is not allowed in checked C}}
	goto *labels[op & 1]; // expected-error {{[CC006] computed goto is not allowed in checked C}}
add:
	return 1;
sub:
	return 2;
}

int asm_block(int x)
{
	__asm__ volatile("" : "+r"(x)); // expected-error {{[CC006] inline assembly is not allowed in checked C}}
	return x;
}

__asm__(".globl marker"); // expected-error {{[CC006] inline assembly is not allowed in checked C}}

// Accepted: plain goto for cleanup, switch dispatch.
int cleanup(int x)
{
	if (x < 0)
		goto fail;
	return x;
fail:
	return -1;
}

int dispatch_switch(int op)
{
	switch (op) {
	case 0:
		return 1;
	default:
		return 2;
	}
}
