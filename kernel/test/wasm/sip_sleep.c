// SPDX-License-Identifier: MIT
// A SIP that sleeps for a long time in the kernel: a kill must end it.
__attribute__((import_module("isola"), import_name("sleep_ns"))) void
isola_sleep_ns(long long ns);

__attribute__((export_name("main"))) int sip_main(void)
{
	isola_sleep_ns(3600ll * 1000000000ll);
	return 0;
}
