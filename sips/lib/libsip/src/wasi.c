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
// - random_get: the kernel's entropy call; sched_yield, poll_oneoff on
//   clocks (sleeping), proc_exit: the kernel's (this file);
// - descriptors (wasi_fd.c): stdout and stderr go to the console service
//   (console.c); stdin is at its end; descriptor 3 is the preopened
//   directory "/", empty until the fs service exists, and 4 is
//   "/initrd" for a SIP that names its process manager;
// - paths (wasi_path.c): ENOENT in "/", the initrd's files read-only in
//   "/initrd"; sockets: ENOSYS.
// Pointer arguments are wasm32 addresses in the SIP's own memory: a bad
// one traps the SIP, as any bad access of its own does.
#include "wasi.h"
#include "sip_internal.h"

#include <sip/abi.h>
#include <sip/sip.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_MAX 256u // docs/abi.md: the most one random call gives

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

