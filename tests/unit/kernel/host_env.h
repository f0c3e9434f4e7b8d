// SPDX-License-Identifier: MIT
// The host fake of the SIP layer's environment (kernel/include/ksip/env.h)
// and what host tests and fuzzers of kernel/sip/ do with it: boot the SIP
// layer once per process, run SIP threads on demand, call ABI functions
// the way the engine does, and compare the kernel's counters with a
// baseline. docs/kernel-sip.md describes the fake's rules.
#ifndef ISOLA_TEST_HOST_ENV_H
#define ISOLA_TEST_HOST_ENV_H

#include <sip.h>

// Frames the fake's frame allocator pretends to manage (256 MiB).
#define HOST_FRAMES 65536u

// Knobs and counters of the fake. Set a fail_* count to n > 0 and the
// n-th later call of that kind fails (then the count stays 0).
struct host_env {
	size_t heap_objects, heap_bytes;  // live kmalloc objects
	size_t frames_free;
	size_t threads;                   // created and not yet freed
	uint64_t now_ns;                  // the clock
	bool hw_random;                   // arch_random answers (from the host)
	unsigned fail_kmalloc, fail_frames, fail_thread;
	bool log_stderr;                  // echo the log (ISOLA_TEST_LOG=1)
	char log[16384];                  // the log's last bytes
	size_t log_len;
	const uint8_t *console;           // what console_read hands out
	size_t console_len;
	// Called by the fake ksyms_lookup (the profiler's report calls it
	// for each kernel sample): a test runs another thread's work there,
	// as if the report had been preempted.
	void (*on_ksyms)(void);
};
extern struct host_env host_env;

// Boots the SIP layer (exchange heap, accounts, contracts) once per
// process and registers the initrd file at path (NULL: none).
void host_env_boot(const char *initrd_path);
// The contents of a file (malloc'd, never freed) or NULL.
const uint8_t *host_read_file(const char *path, size_t *size);
void host_log_clear(void);
bool host_log_has(const char *text);

// Threads: a new thread waits until a test runs it; it then runs to its
// end on the caller's stack. Runs SIP id's thread (false: none pending).
bool host_run_sip(uint32_t id);
// Runs every pending thread; returns how many ran.
size_t host_run_all(void);

// The SIP with this id (the table keeps it until someone waits for it).
struct sip *host_sip(uint32_t id);
// Calls ABI function name as SIP s, as the engine does: looked up through
// the import resolver the loader binds with, called through the engine's
// host-call signature with args[0 .. nparams). *ret gets args[0] after
// the call. Returns what the host function returned (ERR_OK: the SIP goes
// on; another code: it is stopped with that code).
ISOLA_MUST_CHECK isola_err_t host_abi(struct sip *s, const char *name,
				      const uint64_t *args, size_t n,
				      uint64_t *ret);
// s's linear memory.
struct eng_memory *host_mem(struct sip *s);
// Starts a SIP from image bytes with no initial handles; its thread does
// not run until the test runs it.
ISOLA_MUST_CHECK isola_err_t host_spawn(const char *name, const uint8_t *bytes,
					size_t size, uint32_t *id);
// Ends SIP id however it is (kill, run its thread, wait) and returns how
// it ended.
enum sip_state host_end(uint32_t id, int32_t *code);

// The counters that prove nothing outlives a SIP.
struct host_baseline {
	size_t heap_objects, frames_free, threads, contracts, images;
	struct account_totals acct;
};
void host_snapshot(struct host_baseline *b);
// NULL when the kernel is back at b, else what differs.
const char *host_baseline_diff(const struct host_baseline *b);
// The invariants of every exchange block and endpoint, and of the
// accounts: NULL when they hold, else which one broke.
const char *host_check_ownership(void);

#endif
