// SPDX-License-Identifier: MIT
// The WASI preview 1 calls wasi-libc makes, implemented inside the SIP on
// the kernel ABI, so that an image imports nothing but module "isola".
// wasi-libc declares each call as an import named
// __imported_wasi_snapshot_preview1_NAME; defining that symbol here makes
// wasm-ld bind libc's calls to these functions instead of importing them.
// Every call of libc.imports is defined, so none can slip through as an
// import (the verifier would refuse the image).
//
// What each call does (docs/libsip.md, "The C library"):
// - args: the argument string the spawner passed, split as the shell
//   quotes it; the environment is HOME=/ alone;
// - clocks: realtime and monotonic are both the kernel's nanoseconds since
//   boot (there is no wall clock); CPU-time clocks are not supported;
// - stdout and stderr go to the console service (console.c); stdin is at
//   its end; descriptor 3 is the one preopened directory, "/", which is
//   empty: every path in it is ENOENT until the fs service exists;
// - random_get: the kernel's entropy call; sched_yield, poll_oneoff on
//   clocks (sleeping), proc_exit: the kernel's;
// - sockets and the rest: ENOSYS or EBADF.
// Pointer arguments are wasm32 addresses in the SIP's own memory: a bad
// one traps the SIP, as any bad access of its own does.
#include "rt.h"
#include "sip_internal.h"

#include <sip/abi.h>
#include <sip/sip.h>
#include <stdlib.h>
#include <string.h>

// The names are wasi-libc's, declared (as imports) in its own sources.
#pragma clang diagnostic ignored "-Wmissing-prototypes"

#define WASI(name) __imported_wasi_snapshot_preview1_##name
#define RANDOM_MAX 256u	   // docs/abi.md: the most one random call gives
#define CONSOLE_CHUNK 4096 // the console gets writes in blocks of this at most

struct iovec32 {
	uint8_t *buf;
	uint32_t len;
};

// ---- arguments and environment ----

static struct rt_wasi_args args;
static char args_line[1025]; // docs/abi.md: at most 1024 bytes
static bool args_ready;

static const struct rt_wasi_args *get_args(void)
{
	if (!args_ready) {
		int32_t n = isola_args(args_line, sizeof(args_line) - 1);

		if (n < 0)
			n = 0;
		if (n > (int32_t)sizeof(args_line) - 1)
			n = sizeof(args_line) - 1;
		args_line[n] = '\0';
		rt_wasi_args_init(&args, args_line);
		args_ready = true;
	}
	return &args;
}

int32_t WASI(args_sizes_get)(uint32_t *argc, uint32_t *size)
{
	const struct rt_wasi_args *a = get_args();

	*argc = (uint32_t)a->argc;
	*size = (uint32_t)a->bytes;
	return RT_WASI_OK;
}

int32_t WASI(args_get)(char **argv, char *buf)
{
	rt_wasi_args_copy(get_args(), argv, buf);
	return RT_WASI_OK;
}

// The environment: only HOME, the root. The spawner passes none.
static const char environment[] = "HOME=/";

int32_t WASI(environ_sizes_get)(uint32_t *count, uint32_t *size)
{
	*count = 1;
	*size = sizeof(environment);
	return RT_WASI_OK;
}

int32_t WASI(environ_get)(char **env, char *buf)
{
	memcpy(buf, environment, sizeof(environment));
	env[0] = buf;
	return RT_WASI_OK;
}

// ---- clocks, randomness, scheduling ----

int32_t WASI(clock_res_get)(uint32_t id, uint64_t *res)
{
	if (id != RT_WASI_CLOCK_REALTIME && id != RT_WASI_CLOCK_MONOTONIC)
		return RT_WASI_EINVAL;
	*res = 1;
	return RT_WASI_OK;
}

int32_t WASI(clock_time_get)(uint32_t id, int64_t precision, uint64_t *time)
{
	(void)precision;
	if (id != RT_WASI_CLOCK_REALTIME && id != RT_WASI_CLOCK_MONOTONIC)
		return RT_WASI_EINVAL;
	*time = (uint64_t)isola_time_ns();
	return RT_WASI_OK;
}

int32_t WASI(random_get)(uint8_t *buf, uint32_t len)
{
	while (len) {
		uint32_t part = len < RANDOM_MAX ? len : RANDOM_MAX;

		if (isola_random(buf, part) != 0)
			return RT_WASI_EIO;
		buf += part;
		len -= part;
	}
	return RT_WASI_OK;
}

int32_t WASI(sched_yield)(void)
{
	isola_yield();
	return RT_WASI_OK;
}

int32_t WASI(poll_oneoff)(const uint8_t *subs, uint8_t *events, uint32_t n, uint32_t *count)
{
	uint64_t start = (uint64_t)isola_time_ns(), until;
	int err = rt_wasi_poll_deadline(subs, n, start, &until);

	if (err)
		return err;
	if (until == UINT64_MAX)
		return RT_WASI_ENOTSUP; // nothing would ever wake it
	uint64_t now = start;

	while (now < until) {
		isola_sleep_ns((int64_t)(until - now));
		now = (uint64_t)isola_time_ns();
	}
	*count = rt_wasi_poll_events(subs, n, start, now, events);
	return RT_WASI_OK;
}

__attribute__((noreturn)) void WASI(proc_exit)(uint32_t code)
{
	rt_console_flush_log();
	isola_exit((int32_t)code);
}

int32_t WASI(proc_raise)(uint32_t sig)
{
	(void)sig;
	return RT_WASI_ENOSYS;
}

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

static struct rt_wasi_file files[FILES];
static bool file_open[FILES];

static bool have_initrd(void)
{
	return sip_pm_endpoint != 0;
}

static struct rt_wasi_file *file_at(uint32_t fd)
{
	if (fd < FILE_FD0 || fd - FILE_FD0 >= FILES || !file_open[fd - FILE_FD0])
		return NULL;
	return &files[fd - FILE_FD0];
}

static const char *preopen_name(uint32_t fd)
{
	if (fd == RT_WASI_ROOT_FD)
		return "/";
	if (fd == RT_WASI_INITRD_FD && have_initrd())
		return "/initrd";
	return NULL;
}

int32_t WASI(fd_prestat_get)(uint32_t fd, uint8_t *out)
{
	const char *name = preopen_name(fd);

	if (!name)
		return RT_WASI_EBADF;
	rt_wasi_prestat((uint32_t)strlen(name), out);
	return RT_WASI_OK;
}

int32_t WASI(fd_prestat_dir_name)(uint32_t fd, char *path, uint32_t len)
{
	const char *name = preopen_name(fd);

	if (!name)
		return RT_WASI_EBADF;
	if (len < strlen(name))
		return RT_WASI_EINVAL;
	memcpy(path, name, strlen(name));
	return RT_WASI_OK;
}

// Opens initrd file name (n bytes, not terminated) as a new descriptor.
static int32_t initrd_open(const char *p, uint32_t n, uint32_t *out)
{
	uint32_t slot = 0;

	while (slot < FILES && file_open[slot])
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
	file_open[slot] = true;
	*out = FILE_FD0 + slot;
	return RT_WASI_OK;
}

static int32_t file_close(uint32_t fd)
{
	struct rt_wasi_file *f = file_at(fd);

	if (!f)
		return RT_WASI_EBADF;
	free((void *)f->data);
	file_open[fd - FILE_FD0] = false;
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
	(void)iov;
	(void)n;
	struct rt_wasi_file *f = file_at(fd);

	if (f) {
		file_readv(f, f->pos, iov, n, nread);
		f->pos += *nread;
		return RT_WASI_OK;
	}
	if (preopen_name(fd))
		return RT_WASI_EISDIR;
	if (fd != 0)
		return RT_WASI_EBADF;
	*nread = 0; // stdin is at its end
	return RT_WASI_OK;
}

int32_t WASI(fd_fdstat_get)(uint32_t fd, uint8_t *out)
{
	if (file_at(fd)) {
		rt_wasi_fdstat_file(out);
		return RT_WASI_OK;
	}
	if (preopen_name(fd)) {
		rt_wasi_fdstat_dir(out);
		return RT_WASI_OK;
	}
	return rt_wasi_fdstat(fd, out);
}

static int32_t stdio_or_badf(uint32_t fd, int32_t stdio_err)
{
	return fd < RT_WASI_STDIO_FDS ? stdio_err : RT_WASI_EBADF;
}

// The standard streams and the preopened directories stay open.
int32_t WASI(fd_close)(uint32_t fd)
{
	if (fd < RT_WASI_STDIO_FDS || preopen_name(fd))
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
	struct rt_wasi_file *f = file_at(fd);

	if (f)
		return rt_wasi_file_seek(f, off, whence, pos);
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_tell)(uint32_t fd, uint64_t *pos)
{
	struct rt_wasi_file *f = file_at(fd);

	if (f) {
		*pos = f->pos;
		return RT_WASI_OK;
	}
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_sync)(uint32_t fd)
{
	return stdio_or_badf(fd, RT_WASI_OK);
}

int32_t WASI(fd_datasync)(uint32_t fd)
{
	return stdio_or_badf(fd, RT_WASI_OK);
}

int32_t WASI(fd_advise)(uint32_t fd, int64_t off, int64_t len, uint32_t advice)
{
	(void)off;
	(void)len;
	(void)advice;
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_allocate)(uint32_t fd, int64_t off, int64_t len)
{
	(void)off;
	(void)len;
	return stdio_or_badf(fd, RT_WASI_ESPIPE);
}

int32_t WASI(fd_filestat_get)(uint32_t fd, uint8_t *out)
{
	struct rt_wasi_file *f = file_at(fd);

	if (f) {
		rt_wasi_file_stat(f, fd, out);
		return RT_WASI_OK;
	}
	if (fd >= RT_WASI_STDIO_FDS && !preopen_name(fd))
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
	struct rt_wasi_file *f = file_at(fd);

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
	if (!preopen_name(fd))
		return file_at(fd) ? RT_WASI_ENOTDIR : stdio_or_badf(fd, RT_WASI_EBADF);
	*used = 0; // the root is empty; the initrd is not listed
	return RT_WASI_OK;
}

int32_t WASI(fd_renumber)(uint32_t from, uint32_t to)
{
	(void)to;
	return stdio_or_badf(from, RT_WASI_ENOTSUP);
}

// ---- paths: the root is empty, so no path names a file ----

// A lookup in the root finds nothing (ENOENT); making something there is
// refused (EROFS); a path relative to another descriptor is ENOTDIR for
// the standard streams and EBADF otherwise.
static int32_t in_root(uint32_t fd, int32_t err)
{
	if (fd == RT_WASI_ROOT_FD)
		return err;
	if (fd == RT_WASI_INITRD_FD && have_initrd())
		return err == RT_WASI_ENOENT ? RT_WASI_ENOENT : RT_WASI_EROFS;
	return fd < RT_WASI_STDIO_FDS || file_at(fd) ? RT_WASI_ENOTDIR : RT_WASI_EBADF;
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
	if (preopen_name(fd) && is_root(p, n))
		return WASI(fd_filestat_get)(fd, out);
	if (fd == RT_WASI_INITRD_FD && have_initrd()) {
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

	if (preopen_name(fd) && is_root(p, n)) {
		if (make || trunc)
			return RT_WASI_EISDIR;
		*out = fd;
		return RT_WASI_OK;
	}
	if (fd == RT_WASI_INITRD_FD && have_initrd()) {
		if (make || trunc || (fdflags & 1)) // or O_APPEND: read-only
			return RT_WASI_EROFS;
		return initrd_open(p, n, out);
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
