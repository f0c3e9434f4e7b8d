// SPDX-License-Identifier: MIT
// The kernel's accounts and memory pools (sip/kaccount.c, over account.h):
// one pool for every SIP's account, one for verified images.
#ifndef ISOLA_SIP_KACCOUNT_H
#define ISOLA_SIP_KACCOUNT_H

#include <account.h>

// Sets the pools' caps from the memory the kernel manages: SIPs together
// (kernel heap and exchange heap) at most 5/8 of it, verified images at
// most 1/4, the rest for the kernel itself.
void kaccounts_init(void);
struct account_set *kaccounts(void);
struct mem_pool *kimage_pool(void);

#endif
