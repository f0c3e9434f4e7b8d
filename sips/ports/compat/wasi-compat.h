// SPDX-License-Identifier: MIT
/* wasi-compat.h: force-included (clang -include) into ported sources.
 *
 * wasi-libc (0.0~git20220510) leaves out POSIX calls that WASI cannot do:
 * file modes and owners, user ids, POSIX advisory locks.  Programs still
 * name them, even on paths they never take here.  This header declares
 * them; compat.c defines them as harmless no-ops or failures.  It changes
 * no declaration that wasi-libc does make.
 */
#ifndef ISOLA_WASI_COMPAT_H
#define ISOLA_WASI_COMPAT_H
#ifdef __wasi__
#include <sys/types.h>
#include <fcntl.h>

/* WASI has no permission bits or owners: report success, change nothing. */
int fchmod(int fd, mode_t mode);
int chmod(const char *path, mode_t mode);
int fchown(int fd, uid_t owner, gid_t group);
int chown(const char *path, uid_t owner, gid_t group);
/* WASI has no users: everyone is uid 0. */
uid_t getuid(void);
uid_t geteuid(void);

/* POSIX advisory locks.  <fcntl.h> declares struct flock but not the
 * commands (musl's values are used); wasi-libc's fcntl() fails any of
 * them with EINVAL, so code must not depend on them at run time. */
#ifndef F_GETLK
#define F_GETLK  5
#define F_SETLK  6
#define F_SETLKW 7
#endif
#ifndef F_RDLCK
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#endif
#endif /* __wasi__ */
#endif
