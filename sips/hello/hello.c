// SPDX-License-Identifier: MIT
// hello: the smallest SIP. Writes a greeting through the kernel ABI's log
// call and exits with status 0.
__attribute__((import_module("isola"), import_name("log"))) int
isola_log(const char *text, int len);

__attribute__((export_name("main"))) int hello_main(void)
{
	static const char msg[] = "Hello from a software-isolated process!";
	isola_log(msg, sizeof(msg) - 1);
	return 0;
}
