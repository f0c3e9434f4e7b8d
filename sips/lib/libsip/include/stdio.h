// SPDX-License-Identifier: MIT
// wasi-libc's <stdio.h>, with the checked-C annotations (sip/cdefs.h) on
// the functions that take or return null. stdout and stderr go to the
// console service (docs/libsip.md): stdout is line-buffered, stderr is
// not; sip_flush() (sip/sip.h) sends what both hold.
#ifndef SIP_STDIO_H
#define SIP_STDIO_H

#include_next <stdio.h>
#include <sip/cdefs.h>

int snprintf(SIP_NULLABLE char *buf, size_t size, const char *fmt, ...);
int vsnprintf(SIP_NULLABLE char *buf, size_t size, const char *fmt, va_list ap);
SIP_NULLABLE FILE *fopen(const char *path, const char *mode) ISOLA_MUST_CHECK;
SIP_NULLABLE char *fgets(char *buf, int size, FILE *f);
int fflush(SIP_NULLABLE FILE *f);
void setbuf(FILE *f, SIP_NULLABLE char *buf);
int setvbuf(FILE *f, SIP_NULLABLE char *buf, int mode, size_t size);

#endif
