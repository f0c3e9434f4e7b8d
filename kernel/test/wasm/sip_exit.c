// SPDX-License-Identifier: MIT
// A SIP that ends through the exit call, with a code.
__attribute__((import_module("isola"), import_name("exit"))) void
isola_exit(int code);

__attribute__((export_name("main"))) int sip_main(void)
{
	isola_exit(7);
	return 1; // not reached
}
