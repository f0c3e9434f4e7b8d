// SPDX-License-Identifier: MIT
// libsip's portable core: the parts that are plain C and are compiled both
// for wasm32 (into libsip.a) and for the host (unit tests, fuzzing): the
// argument string's words and the WASI calls' bookkeeping (wasi_core.c),
// which wasi.c wires to the kernel ABI. The C library itself is
// wasi-libc's (docs/libsip.md).
#ifndef RT_H
#define RT_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// args.c: splits line in place on spaces into at most max words, with
// double and single quotes and backslash escapes; returns the count.
// argv[count] is set to NULL (argv holds max + 1 slots).
int rt_args_split(char *line, char **argv, int max);

// ---- wasi_core.c ----

// The WASI values the core speaks (wasi/api.h of wasi-libc names them
// __WASI_*; the host has no such header).
enum {
	RT_WASI_OK = 0,
	RT_WASI_E2BIG = 1,
	RT_WASI_EBADF = 8,
	RT_WASI_EFAULT = 21,
	RT_WASI_EFBIG = 22,
	RT_WASI_EINVAL = 28,
	RT_WASI_EIO = 29,
	RT_WASI_EISDIR = 31,
	RT_WASI_ENFILE = 41,
	RT_WASI_ENOENT = 44,
	RT_WASI_ENOMEM = 48,
	RT_WASI_ENOSYS = 52,
	RT_WASI_ENOTDIR = 54,
	RT_WASI_ENOTSUP = 58,
	RT_WASI_EROFS = 69,
	RT_WASI_ESPIPE = 70,
	RT_WASI_ENOTCAPABLE = 76,
};
enum { RT_WASI_CLOCK_REALTIME, RT_WASI_CLOCK_MONOTONIC };
enum { RT_WASI_EVENT_CLOCK, RT_WASI_EVENT_FD_READ, RT_WASI_EVENT_FD_WRITE };
#define RT_WASI_SUBSCRIPTION_SIZE 48u
#define RT_WASI_EVENT_SIZE 32u
#define RT_WASI_FDSTAT_SIZE 24u
#define RT_WASI_STDIO_FDS 3u // 0 stdin, 1 stdout, 2 stderr
#define RT_WASI_ROOT_FD 3u   // the preopened directory "/", empty today
#define RT_WASI_INITRD_FD 4u // "/initrd", read-only, for a SIP with a pm

// The argument vector, split once from the argument string.
#define RT_WASI_ARGV_MAX 64
struct rt_wasi_args {
	int argc;
	size_t bytes; // every word with its terminator
	char *argv[RT_WASI_ARGV_MAX + 1];
};
// Splits line in place (rt_args_split) and counts.
void rt_wasi_args_init(struct rt_wasi_args *a, char *line);
// args_get: argv_out gets argc pointers into buf_out, which gets a->bytes
// bytes: the words, each terminated.
void rt_wasi_args_copy(const struct rt_wasi_args *a, char **argv_out, char *buf_out);

// fd_fdstat_get for a standard stream: the 24 bytes of a __wasi_fdstat_t
// in out (character devices: stdin readable, stdout and stderr writable,
// none seekable), or RT_WASI_EBADF for any other fd.
int rt_wasi_fdstat(uint32_t fd, uint8_t out[RT_WASI_FDSTAT_SIZE]);
// The fdstat of a preopened directory (paths open, list and stat in it)
// and of a read-only regular file (read, seek, tell, stat).
void rt_wasi_fdstat_dir(uint8_t out[RT_WASI_FDSTAT_SIZE]);
void rt_wasi_fdstat_file(uint8_t out[RT_WASI_FDSTAT_SIZE]);
// fd_prestat_get: the 8 bytes of a __wasi_prestat_t for a preopened
// directory whose name is name_len bytes long.
void rt_wasi_prestat(uint32_t name_len, uint8_t out[8]);

// poll_oneoff, in two steps over n subscriptions (48 bytes each, as
// wasi/api.h lays them out). Clocks are nanoseconds on the one clock the
// kernel has (monotonic, from boot); fd subscriptions on the standard
// streams are ready at once (stdin at its end), any other fd is an error
// event.
// rt_wasi_poll_deadline: the time to wait until (UINT64_MAX: none, 0:
// something is ready now), or an errno for a malformed subscription.
int rt_wasi_poll_deadline(const uint8_t *subs, uint32_t n, uint64_t now,
			  uint64_t *deadline);
// rt_wasi_poll_events: at time now, for a poll that began at start (the
// now given to rt_wasi_poll_deadline), writes an event (32 bytes each) for
// every subscription that is due to events; returns how many.
uint32_t rt_wasi_poll_events(const uint8_t *subs, uint32_t n, uint64_t start,
			     uint64_t now, uint8_t *events);

// A read-only file held in memory (an initrd file): fd_read, fd_pread,
// fd_seek and fd_tell on it.
struct rt_wasi_file {
	const uint8_t *data;
	uint64_t size, pos;
};
// Copies at most n bytes from offset at into dst; returns the count (0 at
// or past the end).
size_t rt_wasi_file_pread(const struct rt_wasi_file *f, uint64_t at, void *dst, size_t n);
// lseek: whence 0 (SET), 1 (CUR) or 2 (END); RT_WASI_EINVAL for another
// whence or a position below 0 or over 2^63 - 1, leaving pos as it was.
int rt_wasi_file_seek(struct rt_wasi_file *f, int64_t off, uint32_t whence, uint64_t *pos);
// fd_filestat_get of such a file (64 bytes): a regular file of f->size
// bytes, one link, inode ino.
void rt_wasi_file_stat(const struct rt_wasi_file *f, uint64_t ino, uint8_t out[64]);

// Little-endian loads and stores (wasm32 and x86-64 alike), for the
// structures WASI lays out in memory.
static inline uint64_t rt_ld64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline void rt_st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

#endif
