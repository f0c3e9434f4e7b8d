// SPDX-License-Identifier: MIT
// A SIP that imports a function the kernel ABI does not have.
__attribute__((import_module("isola"), import_name("format_disk"))) void
isola_format_disk(void);

__attribute__((export_name("main"))) int sip_main(void)
{
	isola_format_disk();
	return 0;
}
