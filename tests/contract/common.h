// SPDX-License-Identifier: MIT
// Shared by the contract-verifier test SIPs: a kv channel with both ends
// in the SIP (kv is a system contract) and a block. Each test marks the
// line the verifier must reject with "VERIFY-ERROR Ennnn"; its twin
// (*_ok.c) is the corrected program and must pass.
#ifndef CONTRACT_TEST_H
#define CONTRACT_TEST_H
#include <contracts/kv.h>
#include <sip/abi.h>
#include <sip/sip.h>

static const uint8_t kv_hash[32] = KV_CONTRACT_HASH;
#endif
