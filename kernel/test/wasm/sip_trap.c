// SPDX-License-Identifier: MIT
// A SIP that stores far outside its linear memory: the engine traps it.
__attribute__((export_name("main"))) int sip_main(void)
{
	volatile int *p = (volatile int *)0x7ffffff0;
	*p = 1;
	return 0;
}
