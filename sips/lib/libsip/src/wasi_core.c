// SPDX-License-Identifier: MIT
// The WASI calls' bookkeeping, apart from the kernel ABI so the host can
// test it: the argument vector, the standard streams' descriptions and
// poll_oneoff's subscriptions and events. Layouts are WASI preview 1's
// (wasi/api.h): little-endian, fixed offsets.
#include "rt.h"

#include <string.h>

void rt_wasi_args_init(struct rt_wasi_args *a, char *line)
{
	a->argc = rt_args_split(line, a->argv, RT_WASI_ARGV_MAX);
	a->bytes = 0;
	for (int i = 0; i < a->argc; i++)
		a->bytes += strlen(a->argv[i]) + 1;
}

void rt_wasi_args_copy(const struct rt_wasi_args *a, char **argv_out, char *buf_out)
{
	for (int i = 0; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]) + 1;

		memcpy(buf_out, a->argv[i], n);
		argv_out[i] = buf_out;
		buf_out += n;
	}
}

// Rights bits and file types of WASI preview 1.
#define RIGHT_FD_READ (1u << 1)
#define RIGHT_FD_FDSTAT_SET_FLAGS (1u << 3)
#define RIGHT_FD_WRITE (1u << 6)
#define RIGHT_PATH_OPEN (1u << 13)
#define RIGHT_FD_READDIR (1u << 14)
#define RIGHT_PATH_FILESTAT_GET (1u << 18)
#define RIGHT_POLL_FD_READWRITE (1u << 27)
#define RIGHTS_ALL 0x1fffffffu // every right of preview 1
#define FILETYPE_CHARACTER_DEVICE 2
#define FILETYPE_DIRECTORY 3

#define RIGHT_FD_SEEK (1u << 2)
#define RIGHT_FD_TELL (1u << 5)
#define RIGHT_FD_FILESTAT_GET (1u << 21)
#define FILETYPE_REGULAR_FILE 4

void rt_wasi_fdstat_dir(uint8_t out[RT_WASI_FDSTAT_SIZE])
{
	memset(out, 0, RT_WASI_FDSTAT_SIZE);
	out[0] = FILETYPE_DIRECTORY;
	rt_st64(out + 8, RIGHT_PATH_OPEN | RIGHT_FD_READDIR | RIGHT_PATH_FILESTAT_GET);
	rt_st64(out + 16, RIGHTS_ALL); // what files opened in it may get
}

void rt_wasi_fdstat_file(uint8_t out[RT_WASI_FDSTAT_SIZE])
{
	memset(out, 0, RT_WASI_FDSTAT_SIZE);
	out[0] = FILETYPE_REGULAR_FILE;
	rt_st64(out + 8, RIGHT_FD_READ | RIGHT_FD_SEEK | RIGHT_FD_TELL |
				 RIGHT_FD_FILESTAT_GET | RIGHT_POLL_FD_READWRITE);
}

int rt_wasi_fdstat(uint32_t fd, uint8_t out[RT_WASI_FDSTAT_SIZE])
{
	if (fd >= RT_WASI_STDIO_FDS)
		return RT_WASI_EBADF;
	uint64_t rights = RIGHT_POLL_FD_READWRITE | RIGHT_FD_FDSTAT_SET_FLAGS |
			  (fd == 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE);

	memset(out, 0, RT_WASI_FDSTAT_SIZE);
	out[0] = FILETYPE_CHARACTER_DEVICE; // fs_flags (offset 2) stay 0
	rt_st64(out + 8, rights);	    // rights_base; inheriting stays 0
	return RT_WASI_OK;
}

void rt_wasi_prestat(uint32_t name_len, uint8_t out[8])
{
	rt_st64(out, (uint64_t)name_len << 32); // tag 0: a directory
}

size_t rt_wasi_file_pread(const struct rt_wasi_file *f, uint64_t at, void *dst, size_t n)
{
	if (at >= f->size)
		return 0;
	if (n > f->size - at)
		n = (size_t)(f->size - at);
	memcpy(dst, f->data + at, n);
	return n;
}

int rt_wasi_file_seek(struct rt_wasi_file *f, int64_t off, uint32_t whence, uint64_t *pos)
{
	int64_t base;

	switch (whence) {
	case 0: base = 0; break;
	case 1: base = (int64_t)f->pos; break;
	case 2: base = (int64_t)f->size; break;
	default: return RT_WASI_EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return RT_WASI_EINVAL;
	f->pos = (uint64_t)(base + off);
	*pos = f->pos;
	return RT_WASI_OK;
}

void rt_wasi_file_stat(const struct rt_wasi_file *f, uint64_t ino, uint8_t out[64])
{
	memset(out, 0, 64);
	rt_st64(out + 8, ino);	    // ino; dev (0) stays 0
	out[16] = 4;		    // filetype: regular file
	rt_st64(out + 24, 1);	    // nlink
	rt_st64(out + 32, f->size); // size; the times stay 0
}

// A subscription's fields (48 bytes): userdata at 0, tag at 8, then the
// clock's id at 16, timeout at 24, precision at 32, flags at 40, or the
// fd at 16.
#define SUB_TAG 8
#define SUB_ID 16
#define SUB_TIMEOUT 24
#define SUB_FLAGS 40
#define CLOCK_ABSTIME 1u

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

// When the clock subscription s falls due; 0 for a malformed one.
static bool clock_due(const uint8_t *s, uint64_t now, uint64_t *due)
{
	uint32_t id = ld32(s + SUB_ID);
	uint64_t t = rt_ld64(s + SUB_TIMEOUT);

	if (id != RT_WASI_CLOCK_REALTIME && id != RT_WASI_CLOCK_MONOTONIC)
		return false;
	if (s[SUB_FLAGS] & CLOCK_ABSTIME)
		*due = t;
	else
		*due = t > UINT64_MAX - now ? UINT64_MAX : now + t;
	return true;
}

int rt_wasi_poll_deadline(const uint8_t *subs, uint32_t n, uint64_t now,
			  uint64_t *deadline)
{
	uint64_t first = UINT64_MAX;

	if (n == 0)
		return RT_WASI_EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = subs + (size_t)i * RT_WASI_SUBSCRIPTION_SIZE;
		uint64_t due;

		switch (s[SUB_TAG]) {
		case RT_WASI_EVENT_CLOCK:
			if (!clock_due(s, now, &due))
				return RT_WASI_EINVAL;
			break;
		case RT_WASI_EVENT_FD_READ:
		case RT_WASI_EVENT_FD_WRITE:
			due = 0; // ready, or an error event, at once
			break;
		default:
			return RT_WASI_EINVAL;
		}
		if (due < first)
			first = due;
	}
	*deadline = first <= now ? 0 : first;
	return RT_WASI_OK;
}

// An event's fields (32 bytes): userdata at 0, error at 8, type at 10,
// nbytes at 16, flags at 24.
static void put_event(uint8_t *e, const uint8_t *s, uint16_t err, bool hangup)
{
	memset(e, 0, RT_WASI_EVENT_SIZE);
	memcpy(e, s, 8);
	e[8] = (uint8_t)err;
	e[9] = (uint8_t)(err >> 8);
	e[10] = s[SUB_TAG];
	e[24] = hangup ? 1 : 0;
}

uint32_t rt_wasi_poll_events(const uint8_t *subs, uint32_t n, uint64_t start,
			     uint64_t now, uint8_t *events)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = subs + (size_t)i * RT_WASI_SUBSCRIPTION_SIZE;
		uint8_t *e = events + (size_t)out * RT_WASI_EVENT_SIZE;
		uint32_t fd = ld32(s + SUB_ID);
		uint64_t due;

		if (s[SUB_TAG] == RT_WASI_EVENT_CLOCK) {
			if (clock_due(s, start, &due) && due <= now)
				put_event(e, s, RT_WASI_OK, false), out++;
		} else if (s[SUB_TAG] == RT_WASI_EVENT_FD_READ) {
			put_event(e, s, fd == 0 ? RT_WASI_OK : RT_WASI_EBADF, fd == 0);
			out++;
		} else if (s[SUB_TAG] == RT_WASI_EVENT_FD_WRITE) {
			bool ok = fd == 1 || fd == 2;

			put_event(e, s, ok ? RT_WASI_OK : RT_WASI_EBADF, false);
			out++;
		}
	}
	return out;
}
