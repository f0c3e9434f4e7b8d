// SPDX-License-Identifier: MIT
/* sqlite-wasi.c: SQLite start-up hook for wasm32-wasi (Isola ports).
 *
 * Built with -DSQLITE_EXTRA_INIT=sqlite3_wasi_init, so sqlite3_initialize()
 * calls this once, after the built-in "unix*" VFSes are registered.
 *
 * It registers, as the default VFS, "wasi": a copy of SQLite's own
 * "unix-none" VFS (os_unix.c, no file locking) with one method replaced:
 *
 *  - locking: the default "unix" VFS takes POSIX advisory locks with
 *    fcntl(F_SETLK); WASI has none (wasi-libc's fcntl fails them with
 *    EINVAL), so every file database would fail with "disk I/O error".
 *    "unix-none" does no locking: right for a single process that owns
 *    its files, unsafe if two processes share one database file.
 *  - randomness: os_unix.c seeds SQLite's PRNG from /dev/urandom, which
 *    WASI does not have; its fallback is time() and getpid().  Here the
 *    seed comes from getentropy(), i.e. WASI random_get.
 *
 * No SQLite source file is changed; this file only uses the public API.
 */
#include <string.h>
#include <sys/random.h>
#include "sqlite3.h"

static sqlite3_vfs wasi_vfs;
static sqlite3_vfs *base_vfs;

static int wasi_randomness(sqlite3_vfs *vfs, int n, char *out) {
  int done = 0;
  (void)vfs;
  while (done < n) {
    int k = n - done > 256 ? 256 : n - done; /* getentropy's limit */
    if (getentropy(out + done, (size_t)k) != 0) break;
    done += k;
  }
  if (done < n) return base_vfs->xRandomness(base_vfs, n, out);
  return n;
}

int sqlite3_wasi_init(const char *unused) {
  (void)unused;
  if (base_vfs != 0) return SQLITE_OK;
  base_vfs = sqlite3_vfs_find("unix-none");
  if (base_vfs == 0) return SQLITE_ERROR;
  wasi_vfs = *base_vfs;            /* keeps pAppData: the nolock finder */
  wasi_vfs.pNext = 0;
  wasi_vfs.zName = "wasi";
  wasi_vfs.xRandomness = wasi_randomness;
  return sqlite3_vfs_register(&wasi_vfs, 1);
}
