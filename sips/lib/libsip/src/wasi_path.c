// SPDX-License-Identifier: MIT
// The WASI path and socket calls (wasi.c has the overview): "/" is empty,
// "/initrd" holds the initrd's files read-only, and there is no network.
#include "wasi.h"
#include "sip_internal.h"

#include <sip/abi.h>
#include <sip/sip.h>
#include <stdlib.h>
#include <string.h>

// ---- paths: the root is empty, so no path names a file ----

// A lookup in the root finds nothing (ENOENT); making something there is
// refused (EROFS); a path relative to another descriptor is ENOTDIR for
// the standard streams and EBADF otherwise.
static int32_t in_root(uint32_t fd, int32_t err)
{
	if (fd == RT_WASI_ROOT_FD)
		return err;
	if (fd == RT_WASI_INITRD_FD && wasi_have_initrd())
		return err == RT_WASI_ENOENT ? RT_WASI_ENOENT : RT_WASI_EROFS;
	return fd < RT_WASI_STDIO_FDS || wasi_file(fd) ? RT_WASI_ENOTDIR : RT_WASI_EBADF;
}

int32_t WASI(path_create_directory)(uint32_t fd, const char *p, uint32_t n)
{
	(void)p, (void)n;
	return in_root(fd, RT_WASI_EROFS);
}

// "." or "": the root itself.
static bool is_root(const char *p, uint32_t n)
{
	return n == 0 || (n == 1 && p[0] == '.');
}

int32_t WASI(path_filestat_get)(uint32_t fd, uint32_t flags, const char *p, uint32_t n,
				uint8_t *out)
{
	(void)flags;
	if (wasi_preopen(fd) && is_root(p, n))
		return WASI(fd_filestat_get)(fd, out);
	if (fd == RT_WASI_INITRD_FD && wasi_have_initrd()) {
		int32_t size = isola_initrd_read(sip_pm_endpoint, p, n, NULL, 0);
		struct rt_wasi_file f = { NULL, size < 0 ? 0 : (uint64_t)size, 0 };

		if (size < 0)
			return RT_WASI_ENOENT;
		rt_wasi_file_stat(&f, 0, out);
		return RT_WASI_OK;
	}
	return in_root(fd, RT_WASI_ENOENT);
}

int32_t WASI(path_filestat_set_times)(uint32_t fd, uint32_t flags, const char *p, uint32_t n,
				      int64_t atim, int64_t mtim, uint32_t fst)
{
	(void)flags, (void)p, (void)n, (void)atim, (void)mtim, (void)fst;
	return in_root(fd, RT_WASI_ENOENT);
}

int32_t WASI(path_link)(uint32_t fd, uint32_t flags, const char *p, uint32_t n, uint32_t fd2,
			const char *p2, uint32_t n2)
{
	(void)flags, (void)p, (void)n, (void)fd2, (void)p2, (void)n2;
	return in_root(fd, RT_WASI_ENOENT);
}

// Opening the root again (opendir("/")) gives the root's own descriptor:
// it is the one directory there is, and closing it keeps it open.
int32_t WASI(path_open)(uint32_t fd, uint32_t dirflags, const char *p, uint32_t n, uint32_t oflags,
			int64_t base, int64_t inheriting, uint32_t fdflags, uint32_t *out)
{
	(void)dirflags, (void)base, (void)inheriting;
	bool make = oflags & 1, trunc = oflags & 8; // O_CREAT, O_TRUNC

	if (wasi_preopen(fd) && is_root(p, n)) {
		if (make || trunc)
			return RT_WASI_EISDIR;
		*out = fd;
		return RT_WASI_OK;
	}
	if (fd == RT_WASI_INITRD_FD && wasi_have_initrd()) {
		if (make || trunc || (fdflags & 1)) // or O_APPEND: read-only
			return RT_WASI_EROFS;
		return wasi_initrd_open(p, n, out);
	}
	return in_root(fd, make ? RT_WASI_EROFS : RT_WASI_ENOENT);
}

int32_t WASI(path_readlink)(uint32_t fd, const char *p, uint32_t n, char *buf, uint32_t len,
			    uint32_t *used)
{
	(void)p, (void)n, (void)buf, (void)len, (void)used;
	return in_root(fd, RT_WASI_ENOENT);
}

int32_t WASI(path_remove_directory)(uint32_t fd, const char *p, uint32_t n)
{
	(void)p, (void)n;
	return in_root(fd, RT_WASI_ENOENT);
}

int32_t WASI(path_rename)(uint32_t fd, const char *p, uint32_t n, uint32_t fd2, const char *p2,
			  uint32_t n2)
{
	(void)p, (void)n, (void)fd2, (void)p2, (void)n2;
	return in_root(fd, RT_WASI_ENOENT);
}

int32_t WASI(path_symlink)(const char *p, uint32_t n, uint32_t fd, const char *p2, uint32_t n2)
{
	(void)p, (void)n, (void)p2, (void)n2;
	return in_root(fd, RT_WASI_EROFS);
}

int32_t WASI(path_unlink_file)(uint32_t fd, const char *p, uint32_t n)
{
	(void)p, (void)n;
	return in_root(fd, RT_WASI_ENOENT);
}

// ---- sockets: the network service does not exist yet ----

int32_t WASI(sock_accept)(uint32_t fd, uint32_t flags, uint32_t *out)
{
	(void)fd, (void)flags, (void)out;
	return RT_WASI_ENOSYS;
}

int32_t WASI(sock_recv)(uint32_t fd, const struct iovec32 *iov, uint32_t n, uint32_t flags,
			uint32_t *got, uint32_t *oflags)
{
	(void)fd, (void)iov, (void)n, (void)flags, (void)got, (void)oflags;
	return RT_WASI_ENOSYS;
}

int32_t WASI(sock_send)(uint32_t fd, const struct iovec32 *iov, uint32_t n, uint32_t flags,
			uint32_t *sent)
{
	(void)fd, (void)iov, (void)n, (void)flags, (void)sent;
	return RT_WASI_ENOSYS;
}

int32_t WASI(sock_shutdown)(uint32_t fd, uint32_t how)
{
	(void)fd, (void)how;
	return RT_WASI_ENOSYS;
}

