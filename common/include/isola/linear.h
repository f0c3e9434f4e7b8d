// SPDX-License-Identifier: MIT
// Annotations for linear handles in SIP code, shared by the code contractc
// generates, libsip, and the sipcheck compiler plugin that enforces them
// (docs/checked-c.md). On other compilers and targets they are inert.
//
// A struct type marked ISOLA_LINEAR is a linear handle (an exchange-heap
// block or a channel endpoint in one contract state): every value of it must
// be consumed exactly once on every path. Passing it by value to a parameter
// consumes it, unless the parameter is marked ISOLA_BORROWED; returning it
// hands ownership to the caller.
#ifndef ISOLA_LINEAR_H
#define ISOLA_LINEAR_H

#define ISOLA_LINEAR __attribute__((annotate("isola.linear")))
#define ISOLA_BORROWED __attribute__((annotate("isola.borrowed")))

#endif
