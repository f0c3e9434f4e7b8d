// SPDX-License-Identifier: MIT
// Which initial handle is the name-service endpoint unless the SIP says
// otherwise with SIP_NS_ENDPOINT(h) (sip/sip.h): handle 1, the manifest's
// first endpoint. A file of its own, so the compiler cannot fold the weak
// default into its users, and the archive member is left out when the SIP
// defines the symbol.
#include <sip/sip.h>

__attribute__((weak)) const uint32_t sip_ns_endpoint = 1;
