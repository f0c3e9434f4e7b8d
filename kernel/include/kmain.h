// SPDX-License-Identifier: MIT
// The one portable entry point both boot paths reach.
#ifndef ISOLA_KMAIN_H
#define ISOLA_KMAIN_H

#include <bootinfo.h>

// bi is valid only when boot_err is ERR_OK; entry_cycles is the TSC read
// at the first instruction of the 64-bit path (for boot-time reports).
ISOLA_NORETURN void kmain(struct boot_info *bi, isola_err_t boot_err,
			  uint64_t entry_cycles);

#endif
