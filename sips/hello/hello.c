// SPDX-License-Identifier: MIT
// hello: the smallest SIP. Writes a greeting through the kernel ABI's log
// call and exits with status 0.
#include <sip/abi.h>

__attribute__((export_name("main"))) int hello_main(void)
{
	static const char msg[] = "Hello from a software-isolated process!";
	isola_log(msg, sizeof(msg) - 1);
	return 0;
}
