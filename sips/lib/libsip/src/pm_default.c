// SPDX-License-Identifier: MIT
// Which initial handle is the process manager the C library reads the
// initrd with, unless the SIP says with SIP_PM_ENDPOINT(h) (sip/sip.h):
// none. A file of its own, like ns_default.c, so the archive member is
// left out when the SIP defines the symbol.
#include <sip/sip.h>

__attribute__((weak)) const uint32_t sip_pm_endpoint = 0;
