// SPDX-License-Identifier: MIT
/* pwd.h for wasm32-wasi (Isola ports compat layer).
 *
 * wasi-libc has no users or password database, so it ships no <pwd.h>.
 * Programs that look up a home directory (sqlite3's shell: find_home_dir)
 * include it unconditionally on non-Windows systems.  getpwuid() here
 * always fails (ENOSYS), so such programs fall back to $HOME.
 */
#ifndef ISOLA_COMPAT_PWD_H
#define ISOLA_COMPAT_PWD_H
#include <sys/types.h>

struct passwd {
    char *pw_name;
    char *pw_passwd;
    uid_t pw_uid;
    gid_t pw_gid;
    char *pw_gecos;
    char *pw_dir;
    char *pw_shell;
};

struct passwd *getpwuid(uid_t);
struct passwd *getpwnam(const char *);
/* POSIX puts these in <unistd.h>; wasi-libc declares neither. */
uid_t getuid(void);
uid_t geteuid(void);
#endif
