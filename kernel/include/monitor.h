// SPDX-License-Identifier: MIT
// The kernel console: a few inspection commands on the serial line, until
// the shell SIP takes over the console.
#ifndef ISOLA_MONITOR_H
#define ISOLA_MONITOR_H

#include <isola/compiler.h>

ISOLA_NORETURN void monitor_run(void);

#endif
