// SPDX-License-Identifier: MIT
// What the files of libsip's WASI layer share (wasi.c: the process;
// wasi_fd.c: descriptors, preopened directories and initrd files;
// wasi_path.c: paths and sockets). wasm32 only.
#ifndef SIP_WASI_H
#define SIP_WASI_H

#include "rt.h"

#include <stdbool.h>
#include <stdint.h>

// The names are wasi-libc's, declared (as imports) in its own sources.
#pragma clang diagnostic ignored "-Wmissing-prototypes"

#define WASI(name) __imported_wasi_snapshot_preview1_##name

// A WASI iovec on wasm32.
struct iovec32 {
	uint8_t *buf;
	uint32_t len;
};

// wasi_fd.c: the name of preopened directory fd ("/", "/initrd"), or
// NULL; whether /initrd is there (the SIP names its process manager);
// the open initrd file fd, or NULL; opens initrd file p (n bytes, not
// terminated) as a new descriptor in *out, or returns a WASI errno.
const char *wasi_preopen(uint32_t fd);
bool wasi_have_initrd(void);
struct rt_wasi_file *wasi_file(uint32_t fd);
int32_t wasi_initrd_open(const char *p, uint32_t n, uint32_t *out);
int32_t WASI(fd_filestat_get)(uint32_t fd, uint8_t *out);

#endif
