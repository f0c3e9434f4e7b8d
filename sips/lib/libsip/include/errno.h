// SPDX-License-Identifier: MIT
// wasi-libc's <errno.h>, with errno declared as the plain global that
// Debian's libc.a defines. wasi-libc's own header says _Thread_local; its
// library was built without threads, so errno is an ordinary variable,
// while SIPs are compiled with bulk memory, under which clang would try
// to make a thread-local one and fail. Skipping that declaration keeps
// errno what the library has.
#ifndef SIP_ERRNO_H
#define SIP_ERRNO_H

#define __wasilibc___errno_h
extern int errno;
#define errno errno
#include_next <errno.h>

#endif
