// SPDX-License-Identifier: MIT
// A SIP that hands the kernel a range outside its memory: it is stopped.
__attribute__((import_module("isola"), import_name("log"))) int
isola_log(const char *text, int len);

__attribute__((export_name("main"))) int sip_main(void)
{
	isola_log((const char *)0x10, 0x7fffffff);
	return 0;
}
