// SPDX-License-Identifier: MIT
// A minimal SIP on the bare kernel ABI: logs a line and returns 0.
__attribute__((import_module("isola"), import_name("log"))) int
isola_log(const char *text, int len);

__attribute__((export_name("main"))) int sip_main(void)
{
	static const char msg[] = "hello from a SIP";
	isola_log(msg, sizeof(msg) - 1);
	return 0;
}
