// SPDX-License-Identifier: MIT
// Software-isolated processes: the kernel's table of SIPs, and their life
// from a verified image to a running thread to reclaim. A SIP's code runs
// in the execution engine on its own kernel thread; everything it owns
// (engine instance and stacks, its share of the kernel heap, handles) is
// charged to it and freed when it ends, however it ends.
#ifndef ISOLA_SIP_H
#define ISOLA_SIP_H

#include <handle.h>
#include <isola/engine.h>
#include <isola/verifier.h>
#include <sched.h>
#include <spinlock.h>

#define SIP_MAX 64
#define SIP_NAME_MAX 32
#define SIP_DEFAULT_MEMORY (64u << 20) // bytes of kernel memory per SIP
#define SIP_DEFAULT_PAGES 256          // linear memory cap: 16 MiB
#define SIP_HANDLES 256
#define ABI_MAX_FUNCS 16

enum sip_state {
	SIP_FREE,     // table slot unused
	SIP_RUNNING,
	SIP_EXITED,   // returned from main or called exit
	SIP_TRAPPED,  // a wasm trap or a failed ABI call
	SIP_KILLED,
};

// Memory charged to one SIP; also its verifier and engine allocator.
struct sip_account {
	struct vf_allocator alloc;
	size_t used, peak, cap;
};

struct sip {
	enum sip_state state;
	uint32_t id;
	char name[SIP_NAME_MAX];
	int32_t exit_code;
	struct eng_trap trap;       // valid when TRAPPED
	struct sip_account mem;
	const uint8_t *image;       // borrowed: the initrd or the caller's
	size_t image_size;
	struct vf_module *module;
	struct eng_thread *eth;
	struct eng_instance *inst;
	struct eng_func *entry;
	struct thread *thread;
	struct handle_table handles;
	struct handle_slot handle_slots[SIP_HANDLES];
	struct waitq exited;        // woken when the SIP is reclaimed
	volatile bool reclaimed;    // its thread touches it no more
	volatile bool kill_requested;
	bool waited;                // someone is in sip_wait for it
	bool started;               // spawned: kill and wait may find it
	struct eng_func abi[ABI_MAX_FUNCS]; // the kernel ABI, bound to this SIP
	struct spinlock lock;       // state against kill
};

// Verifies image, instantiates it and starts its thread. image must stay
// valid while the SIP lives. On a verifier rejection returns
// ERR_SIP_REJECTED with *diag filled; other errors as they come (an
// unknown import: ERR_ENG_IMPORT_UNKNOWN, ...). *id is written on success.
ISOLA_MUST_CHECK isola_err_t sip_spawn(const char *name, const uint8_t *image,
				       size_t size, uint32_t *id,
				       struct vf_diag *diag);

// Asks SIP id to stop; it ends at its next function entry or loop
// iteration (or at once if it waits in the kernel). ERR_NOTFOUND if no
// such running SIP.
ISOLA_MUST_CHECK isola_err_t sip_kill(uint32_t id);

// Waits for SIP id to end, then frees its slot. *state and *code say how
// it ended (exit code, or the trap code for a trap).
ISOLA_MUST_CHECK isola_err_t sip_wait(uint32_t id, enum sip_state *state,
				      int32_t *code);

// Calls fn for each SIP in the table (running or ended, not yet waited),
// with the table locked and interrupts off: fn must not block.
void sip_for_each(void (*fn)(const struct sip *s, void *ctx), void *ctx);

const char *sip_state_name(enum sip_state s);

// The kernel ABI (sip/abi.c). abi_bind fills s->abi; abi_resolve is the
// engine's import resolver (ctx is the SIP): only module "isola" exists.
void abi_bind(struct sip *s);
isola_err_t abi_resolve(void *ctx, const char *module, size_t module_len,
			const char *field, size_t field_len, uint8_t kind,
			struct eng_extern *out);

#endif
