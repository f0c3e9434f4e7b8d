// SPDX-License-Identifier: MIT
// The WASI descriptor calls (wasi.c has the overview): the standard
// streams, the preopened directories "/" and "/initrd", and initrd files
// read whole into the SIP's memory.
#include "wasi.h"
#include "sip_internal.h"

#include <sip/abi.h>
#include <sip/sip.h>
#include <stdlib.h>
#include <string.h>

#define CONSOLE_CHUNK 4096 // the console gets writes in blocks of this at most

// ---- preopened directories and files ----

// Descriptor 3 is "/", the root, empty today; every path resolves into it
// unless it starts with "/initrd/". Descriptor 4 is "/initrd", read-only,
// for a SIP that names its process manager (SIP_PM_ENDPOINT): its files
// are the initrd's, read whole into the SIP's memory when opened, so a
// file is at most FILE_MAX bytes. libc asks from fd 3 on and stops at the
// first EBADF. Descriptors from FILE_FD0 on are open files.
#define FILE_FD0 5u
#define FILES 16u
#define FILE_MAX (64u << 20)

static struct rt_wasi_file files[FILES]; // open while data is set

bool wasi_have_initrd(void)
{
	return sip_pm_endpoint != 0;
}

struct rt_wasi_file *wasi_file(uint32_t fd)
{
	if (fd < FILE_FD0 || fd - FILE_FD0 >= FILES || !files[fd - FILE_FD0].data)
		return NULL;
	return &files[fd - FILE_FD0];
}

const char *wasi_preopen(uint32_t fd)
{
	if (fd == RT_WASI_ROOT_FD)
		return "/";
	if (fd == RT_WASI_INITRD_FD && wasi_have_initrd())
		return "/initrd";
	return NULL;
}

int32_t WASI(fd_prestat_get)(uint32_t fd, uint8_t *out)
{
	const char *name = wasi_preopen(fd);

	if (!name)
		return RT_WASI_EBADF;
	rt_wasi_prestat((uint32_t)strlen(name), out);
	return RT_WASI_OK;
}

int32_t WASI(fd_prestat_dir_name)(uint32_t fd, char *path, uint32_t len)
{
	const char *name = wasi_preopen(fd);

	if (!name)
		return RT_WASI_EBADF;
	if (len < strlen(name))
		return RT_WASI_EINVAL;
	memcpy(path, name, strlen(name));
	return RT_WASI_OK;
}

int32_t wasi_initrd_open(const char *p, uint32_t n, uint32_t *out)
{
	uint32_t slot = 0;

	while (slot < FILES && files[slot].data)
		slot++;
	if (slot == FILES)
		return RT_WASI_ENFILE;
	int32_t size = isola_initrd_read(sip_pm_endpoint, p, n, NULL, 0);

	if (size < 0)
		return RT_WASI_ENOENT;
	if ((uint32_t)size > FILE_MAX)
		return RT_WASI_EFBIG;
	uint8_t *data = malloc(size ? (size_t)size : 1);

	if (!data)
		return RT_WASI_ENOMEM;
	if (isola_initrd_read(sip_pm_endpoint, p, n, (char *)data, (uint32_t)size) != size) {
		free(data);
		return RT_WASI_EIO;
	}
	files[slot] = (struct rt_wasi_file){ data, (uint64_t)size, 0 };
	*out = FILE_FD0 + slot;
	return RT_WASI_OK;
}

static int32_t file_close(uint32_t fd)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (!f)
		return RT_WASI_EBADF;
	free((void *)f->data);
	f->data = NULL;
	return RT_WASI_OK;
}

// Reads into the iovecs from offset at; the count in *got.
static void file_readv(const struct rt_wasi_file *f, uint64_t at, const struct iovec32 *iov,
		       uint32_t n, uint32_t *got)
{
	uint32_t total = 0;

	for (uint32_t i = 0; i < n; i++) {
		size_t k = rt_wasi_file_pread(f, at, iov[i].buf, iov[i].len);

		total += (uint32_t)k;
		at += k;
		if (k < iov[i].len)
			break;
	}
	*got = total;
}

// ---- descriptors: the standard streams ----

// The iovecs of one write go out as one piece (cut at CONSOLE_CHUNK), so
// that stdio's buffered part and the rest of a line stay together.
int32_t WASI(fd_write)(uint32_t fd, const struct iovec32 *iov, uint32_t n, uint32_t *written)
{
	static char piece[CONSOLE_CHUNK];
	uint32_t total = 0, used = 0;

	if (fd != 1 && fd != 2)
		return RT_WASI_EBADF;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = iov[i].buf;

		for (uint32_t left = iov[i].len; left;) {
			uint32_t part = CONSOLE_CHUNK - used;

			if (part > left)
				part = left;
			memcpy(piece + used, p, part);
			used += part;
			p += part;
			left -= part;
			if (used == CONSOLE_CHUNK) {
				rt_console_write(piece, used);
				used = 0;
			}
		}
		total += iov[i].len;
	}
	if (used)
		rt_console_write(piece, used);
	*written = total;
	return RT_WASI_OK;
}

int32_t WASI(fd_read)(uint32_t fd, const struct iovec32 *iov, uint32_t n, uint32_t *nread)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (f) {
		file_readv(f, f->pos, iov, n, nread);
		f->pos += *nread;
		return RT_WASI_OK;
	}
	if (wasi_preopen(fd))
		return RT_WASI_EISDIR;
	if (fd != 0)
		return RT_WASI_EBADF;
	*nread = 0; // stdin is at its end
	return RT_WASI_OK;
}

int32_t WASI(fd_fdstat_get)(uint32_t fd, uint8_t *out)
{
	if (wasi_file(fd)) {
		rt_wasi_fdstat_file(out);
		return RT_WASI_OK;
	}
	if (wasi_preopen(fd)) {
		rt_wasi_fdstat_dir(out);
		return RT_WASI_OK;
	}
	return rt_wasi_fdstat(fd, out);
}

static int32_t stdio_or_badf(uint32_t fd, int32_t stdio_err)
{
	return fd < RT_WASI_STDIO_FDS ? stdio_err : RT_WASI_EBADF;
}

// Syncing or advising a read-only initrd file has nothing to do.
static int32_t nothing_to_do(uint32_t fd, int32_t stdio_err)
{
	return wasi_file(fd) ? RT_WASI_OK : stdio_or_badf(fd, stdio_err);
}

// The standard streams and the preopened directories stay open.
int32_t WASI(fd_close)(uint32_t fd)
{
	if (fd < RT_WASI_STDIO_FDS || wasi_preopen(fd))
		return RT_WASI_OK;
	return file_close(fd);
}

int32_t WASI(fd_fdstat_set_flags)(uint32_t fd, uint32_t flags)
{
	return stdio_or_badf(fd, flags ? RT_WASI_ENOTSUP : RT_WASI_OK);
}

int32_t WASI(fd_fdstat_set_rights)(uint32_t fd, int64_t base, int64_t inheriting)
{
	(void)base;
	(void)inheriting;
	return stdio_or_badf(fd, RT_WASI_ENOTSUP);
}

int32_t WASI(fd_seek)(uint32_t fd, int64_t off, uint32_t whence, uint64_t *pos)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (f)
		return rt_wasi_file_seek(f, off, whence, pos);
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_tell)(uint32_t fd, uint64_t *pos)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (f) {
		*pos = f->pos;
		return RT_WASI_OK;
	}
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_sync)(uint32_t fd)
{
	return nothing_to_do(fd, RT_WASI_OK);
}

int32_t WASI(fd_datasync)(uint32_t fd)
{
	return nothing_to_do(fd, RT_WASI_OK);
}

int32_t WASI(fd_advise)(uint32_t fd, int64_t off, int64_t len, uint32_t advice)
{
	(void)off;
	(void)len;
	(void)advice;
	return nothing_to_do(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_allocate)(uint32_t fd, int64_t off, int64_t len)
{
	(void)off;
	(void)len;
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_filestat_get)(uint32_t fd, uint8_t *out)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (f) {
		rt_wasi_file_stat(f, fd, out);
		return RT_WASI_OK;
	}
	if (fd >= RT_WASI_STDIO_FDS && !wasi_preopen(fd))
		return RT_WASI_EBADF;
	memset(out, 0, 64); // __wasi_filestat_t
	out[16] = fd < RT_WASI_STDIO_FDS ? 2 : 3; // a character device, or a directory
	return RT_WASI_OK;
}

int32_t WASI(fd_filestat_set_size)(uint32_t fd, int64_t size)
{
	(void)size;
	return stdio_or_badf(fd, RT_WASI_EINVAL);
}

int32_t WASI(fd_filestat_set_times)(uint32_t fd, int64_t atim, int64_t mtim, uint32_t flags)
{
	(void)atim;
	(void)mtim;
	(void)flags;
	return stdio_or_badf(fd, RT_WASI_ENOTSUP);
}

int32_t WASI(fd_pread)(uint32_t fd, const struct iovec32 *iov, uint32_t n, int64_t off,
		       uint32_t *nread)
{
	struct rt_wasi_file *f = wasi_file(fd);

	if (f) {
		if (off < 0)
			return RT_WASI_EINVAL;
		file_readv(f, (uint64_t)off, iov, n, nread);
		return RT_WASI_OK;
	}
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_pwrite)(uint32_t fd, const struct iovec32 *iov, uint32_t n, int64_t off,
			uint32_t *nwritten)
{
	(void)iov;
	(void)n;
	(void)off;
	(void)nwritten;
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_readdir)(uint32_t fd, uint8_t *buf, uint32_t len, int64_t cookie, uint32_t *used)
{
	(void)buf;
	(void)len;
	(void)cookie;
	if (!wasi_preopen(fd))
		return wasi_file(fd) ? RT_WASI_ENOTDIR : stdio_or_badf(fd, RT_WASI_EBADF);
	*used = 0; // the root is empty; the initrd is not listed
	return RT_WASI_OK;
}

int32_t WASI(fd_renumber)(uint32_t from, uint32_t to)
{
	(void)to;
	return stdio_or_badf(from, RT_WASI_ENOTSUP);
}

