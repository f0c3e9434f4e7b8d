// SPDX-License-Identifier: MIT
// Software-isolated processes: images (verified modules with their
// manifest and contracts), the kernel's table of SIPs, and their life from
// an image to a running thread to reclaim. A SIP's code runs in the
// execution engine on its own kernel thread; everything it causes to exist
// (its table entry, engine instance and stacks, handles, channels it made,
// exchange-heap blocks it holds or sent) is charged to its account
// (account.h) and freed when it ends, however it ends. What it may touch
// beyond that is what its spawner granted (capabilities: a process manager
// scoped to its own children or to the system, the serial port). The ABI
// it calls is sip/abi*.c; docs/abi.md is the reference, docs/security.md
// the model. The declarations live by object under sip/: abi.h (the ABI),
// env.h (what the layer takes from the kernel), image.h, handles.h,
// kchan.h, kaccount.h, process.h (the SIP itself).
#ifndef ISOLA_SIP_H
#define ISOLA_SIP_H

#include <ksip/abi.h>
#include <ksip/env.h>
#include <ksip/handles.h>
#include <ksip/image.h>
#include <ksip/kaccount.h>
#include <ksip/kchan.h>
#include <ksip/process.h>

#endif
