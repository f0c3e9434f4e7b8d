// SPDX-License-Identifier: MIT
/* compat.c: definitions for wasi-compat.h and include/pwd.h. */
#include <errno.h>
#include <stddef.h>
#include "wasi-compat.h"
#include "include/pwd.h"

int fchmod(int fd, mode_t mode) { (void)fd; (void)mode; return 0; }
int chmod(const char *path, mode_t mode) { (void)path; (void)mode; return 0; }
int fchown(int fd, uid_t o, gid_t g) { (void)fd; (void)o; (void)g; return 0; }
int chown(const char *p, uid_t o, gid_t g) { (void)p; (void)o; (void)g; return 0; }
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
struct passwd *getpwuid(uid_t uid) { (void)uid; errno = ENOSYS; return NULL; }
struct passwd *getpwnam(const char *n) { (void)n; errno = ENOSYS; return NULL; }

/* The ports' manifests name the process manager as their second endpoint
 * (handle 2), so the C library can open the initrd's files under /initrd
 * (docs/libsip.md). Unused in the plain WASI builds. */
const unsigned int sip_pm_endpoint = 2;
