// SPDX-License-Identifier: MIT
// The kernel ABI as C declarations: the functions a SIP imports from the
// WebAssembly module "isola" (docs/abi.md), with their exact wasm types
// (i32 as int32_t/uint32_t, i64 as int64_t; pointers are i32 on wasm32).
// This header is libsip's: the checked-C rules let no other code declare
// kernel imports (CC011), and sipcc includes it as a system header.
// Ordinary failures come back as -code (common/include/isola/err/); the
// calls whose failure the caller must handle are ISOLA_MUST_CHECK (the
// releasing calls and block copies fail only on a fault, which stops the SIP).
#ifndef SIP_ABI_H
#define SIP_ABI_H

#include <sip/cdefs.h>
#include <stdint.h>

#define SIP_IMPORT(name) __attribute__((import_module("isola"), import_name(#name)))

// Basics.
// Writes one kernel log line (len bytes at text); returns 0.
SIP_IMPORT(log) int32_t isola_log(const char *text, int32_t len);
// Ends the SIP with status code.
SIP_IMPORT(exit) __attribute__((noreturn)) void isola_exit(int32_t code);
// Gives the CPU to the next ready thread.
SIP_IMPORT(yield) void isola_yield(void);
// Nanoseconds since boot.
SIP_IMPORT(time_ns) int64_t isola_time_ns(void);
// The time-stamp counter (benchmarks).
SIP_IMPORT(cycles) int64_t isola_cycles(void);
// Sleeps at least ns nanoseconds.
SIP_IMPORT(sleep_ns) void isola_sleep_ns(int64_t ns);
// Copies at most len bytes of the argument string to buf; returns its
// full length (at most 1024).
SIP_IMPORT(args) int32_t isola_args(char *buf, int32_t len);
// Fills buf with len random bytes from the kernel's entropy source
// (docs/abi.md); returns 0, or -ERR_RANGE for len over 256.
SIP_IMPORT(random) int32_t isola_random(void *buf, uint32_t len);

// Channels. Handles are uint32_t; hash points at 32 bytes.
SIP_IMPORT(chan_create) ISOLA_MUST_CHECK int32_t isola_chan_create(const uint8_t *hash, uint32_t *exp_out,
						  uint32_t *imp_out);
SIP_IMPORT(chan_send) ISOLA_MUST_CHECK int32_t isola_chan_send(uint32_t ep, uint32_t msg, const void *payload,
					      uint32_t size);
// Like chan_send, but -ERR_AGAIN instead of waiting when an interface-form
// queue is full (nothing moved).
SIP_IMPORT(chan_try_send) ISOLA_MUST_CHECK int32_t isola_chan_try_send(uint32_t ep, uint32_t msg,
						      const void *payload, uint32_t size);
SIP_IMPORT(chan_recv) ISOLA_MUST_CHECK int32_t isola_chan_recv(uint32_t ep, void *buf, uint32_t size,
					      uint32_t *msg_out);
// timeout_ns < 0: no limit; 0: poll. -ERR_TIMEOUT.
SIP_IMPORT(chan_select) ISOLA_MUST_CHECK int32_t isola_chan_select(const uint32_t *eps, uint32_t n,
						  int64_t timeout_ns, uint32_t *index_out);
SIP_IMPORT(chan_close) int32_t isola_chan_close(uint32_t ep);
// Writes 36 bytes: hash[32], u16 state, u8 side (0 exp, 1 imp), u8 closed.
SIP_IMPORT(chan_info) ISOLA_MUST_CHECK int32_t isola_chan_info(uint32_t ep, void *out);
// Returns ep; stops the SIP unless ep is an endpoint of the contract whose
// 32-byte hash is at hash. The verifier then knows ep's contract too.
SIP_IMPORT(chan_expect) uint32_t isola_chan_expect(uint32_t ep, const uint8_t *hash);

// The SIP's endpoint set (docs/abi.md): put parks an endpoint and returns
// its key (the handle is dead); take gives it back as a new handle (the
// key is dead), checking its contract against hash unless hash is NULL;
// select waits on parked endpoints by key, as chan_select does by handle.
SIP_IMPORT(eset_put) uint32_t isola_eset_put(uint32_t ep);
SIP_IMPORT(eset_take) uint32_t isola_eset_take(uint32_t key, const uint8_t *hash);
SIP_IMPORT(eset_select) ISOLA_MUST_CHECK int32_t isola_eset_select(const uint32_t *keys, uint32_t n,
						  int64_t timeout_ns, uint32_t *index_out);

// Exchange heap. type 3 is `bytes` (uint8 elements).
SIP_IMPORT(blk_alloc) ISOLA_MUST_CHECK int32_t isola_blk_alloc(uint32_t size, uint32_t type);
SIP_IMPORT(blk_free) int32_t isola_blk_free(uint32_t blk);
SIP_IMPORT(blk_len) int32_t isola_blk_len(uint32_t blk);
SIP_IMPORT(blk_read) int32_t isola_blk_read(uint32_t blk, uint32_t off, void *dst, uint32_t len);
SIP_IMPORT(blk_write) int32_t isola_blk_write(uint32_t blk, uint32_t off, const void *src,
					      uint32_t len);
SIP_IMPORT(blk_load8) int32_t isola_blk_load8(uint32_t blk, uint32_t off);
SIP_IMPORT(blk_load32) int32_t isola_blk_load32(uint32_t blk, uint32_t off);
SIP_IMPORT(blk_load64) int64_t isola_blk_load64(uint32_t blk, uint32_t off);
SIP_IMPORT(blk_store8) void isola_blk_store8(uint32_t blk, uint32_t off, int32_t v);
SIP_IMPORT(blk_store32) void isola_blk_store32(uint32_t blk, uint32_t off, int32_t v);
SIP_IMPORT(blk_store64) void isola_blk_store64(uint32_t blk, uint32_t off, int64_t v);

// Processes: pm is the process-manager capability; without it these stop
// the SIP. diag receives the verifier's message on -ERR_SIP_REJECTED.
SIP_IMPORT(image_open) ISOLA_MUST_CHECK int32_t isola_image_open(uint32_t pm, const char *name, uint32_t name_len,
						char *diag, uint32_t diag_len);
SIP_IMPORT(image_manifest) ISOLA_MUST_CHECK int32_t isola_image_manifest(uint32_t img, char *buf, uint32_t len);
SIP_IMPORT(image_close) int32_t isola_image_close(uint32_t img);
// Returns the new SIP's id (> 0); the n_eps handles at eps move to it.
SIP_IMPORT(proc_spawn) ISOLA_MUST_CHECK int32_t isola_proc_spawn(uint32_t img, const char *args, uint32_t args_len,
						const uint32_t *eps, uint32_t n_eps);
SIP_IMPORT(proc_kill) ISOLA_MUST_CHECK int32_t isola_proc_kill(uint32_t pm, int32_t id);
// Writes struct isola_proc_status to status_out.
SIP_IMPORT(proc_wait) ISOLA_MUST_CHECK int32_t isola_proc_wait(uint32_t pm, int32_t id, int64_t timeout_ns,
					      void *status_out);
// Copies the start of initrd file name to buf; returns the file's size.
SIP_IMPORT(initrd_read) ISOLA_MUST_CHECK int32_t isola_initrd_read(uint32_t pm, const char *name, uint32_t name_len,
						  char *buf, uint32_t len);
// what: 0 SIP table, 1 memory counters, 2 contracts, 3 initrd images.
SIP_IMPORT(sys_info) ISOLA_MUST_CHECK int32_t isola_sys_info(uint32_t pm, uint32_t what, char *buf, uint32_t len);
// The sampling profiler (docs/profiling.md), for a system process
// manager: op ISOLA_PROF_START and ISOLA_PROF_STOP return 0,
// ISOLA_PROF_SHOW writes the report to buf and returns its full length.
#define ISOLA_PROF_START 0u
#define ISOLA_PROF_STOP 1u
#define ISOLA_PROF_SHOW 2u
SIP_IMPORT(prof_ctl) ISOLA_MUST_CHECK int32_t isola_prof_ctl(uint32_t pm, uint32_t op, char *buf, uint32_t len);

// Hardware: cap is the serial capability, the initial handle after the
// endpoints of a SIP whose manifest says `hardware serial` and whose
// spawner granted it.
SIP_IMPORT(serial_write) ISOLA_MUST_CHECK int32_t isola_serial_write(uint32_t cap, const char *buf, uint32_t len);
// Returns the count read; 0 on time-out (timeout_ns < 0: no limit).
SIP_IMPORT(serial_read) ISOLA_MUST_CHECK int32_t isola_serial_read(uint32_t cap, char *buf, uint32_t len,
						  int64_t timeout_ns);

#undef SIP_IMPORT

// What proc_wait writes.
struct isola_proc_status {
	int32_t state; // ISOLA_PROC_EXITED, _TRAPPED, _KILLED
	int32_t code;  // the exit status or the error code
};
#define ISOLA_PROC_EXITED 1
#define ISOLA_PROC_TRAPPED 2
#define ISOLA_PROC_KILLED 3

#define ISOLA_BLK_TYPE_BYTES 3

#endif
