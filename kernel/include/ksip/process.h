// SPDX-License-Identifier: MIT
// The SIP itself (sip/sip.c): its kernel state, the table of SIPs, and
// its life from an image to a running thread to reclaim. Everything it
// causes to exist is charged to its account and freed when it ends,
// however it ends.
#ifndef ISOLA_SIP_PROCESS_H
#define ISOLA_SIP_PROCESS_H

#include <ksip/abi.h>
#include <ksip/env.h>
#include <ksip/handles.h>
#include <ksip/image.h>
#include <ksip/kaccount.h>
#include <ksip/kchan.h>

#define SIP_MAX 64
#define SIP_ARGS_MAX 1024
#define SIP_DEFAULT_MEMORY (64u << 20) // bytes of kernel memory per SIP
#define SIP_CHILDREN_MAX 24 // children one SIP may have not yet waited for
#define SIP_IMAGES_MAX 8    // image handles one SIP may hold

enum sip_state {
	SIP_FREE,     // table slot unused
	SIP_EXITED,   // returned from main or called exit
	SIP_TRAPPED,  // a wasm trap or a failed ABI call
	SIP_KILLED,
	SIP_RUNNING,
};

struct sip {
	enum sip_state state;
	uint32_t id;
	char name[SIP_NAME_MAX];
	int32_t exit_code;
	bool exit_requested;        // it called exit: the ABI ends it on return
	struct eng_trap trap;       // valid when TRAPPED
	struct account *acct;       // charged for everything above and below
	struct sip_image *image;
	struct eng_thread *eth;
	struct eng_instance *inst;
	struct eng_vm vm;           // its guarded linear memory, charged to acct
	struct eng_func *entry;
	struct thread *thread;
	struct handle_table handles;
	struct handle_slot handle_slots[SIP_HANDLES];
	struct waitq wq;            // its thread waits here for channels
	struct waitq exited;        // woken when the SIP is reclaimed
	char args[SIP_ARGS_MAX];
	uint32_t args_len;
	uint32_t select_next;       // round robin start for chan_select
	uint32_t spawner;           // id of the SIP that started it, 0: kernel
	uint32_t children;          // started by it and not yet waited for
	uint32_t images;            // image handles it holds
	volatile bool reclaimed;    // its thread touches it no more
	volatile bool kill_requested;
	bool waited;                // someone is in sip_wait for it
	bool started;               // spawned: kill and wait may find it
	uint32_t prof_pending;      // profiler: its sample awaiting a location, +1
	uint32_t prof_gen;          // profiler: the run that sample belongs to
	struct eng_func abi[ABI_MAX_FUNCS]; // the kernel ABI, bound to this SIP
	struct spinlock lock;       // state against kill
};

// The owner of the blocks and endpoints s holds (its account's).
static inline struct xheap_owner *sip_xo(struct sip *s)
{
	return &s->acct->xo;
}

// Starts a SIP from img with args and its initial handles: grants[i]
// fills the manifest's slot i (img->eps). Endpoints must belong to from
// (NULL: the kernel) and match the manifest; they move to the new SIP
// only when the spawn succeeds. The caller has checked that it may grant
// the capabilities. ERR_SIP_ENDPOINTS, ERR_SIP_NOT_GRANTED,
// ERR_SIP_TABLE_FULL, ERR_SIP_CHILDREN, ERR_NOMEM, ...
ISOLA_MUST_CHECK isola_err_t sip_start(struct sip_image *img, const char *args,
				       size_t args_len,
				       const struct sip_grant *grants,
				       size_t n, struct xheap_owner *from,
				       uint32_t spawner, uint32_t *id);

// What the kernel grants a SIP it starts itself (sip_start_named).
enum sip_rights {
	SIP_RIGHT_PM_SYSTEM = 1, // a system-wide process manager
	SIP_RIGHT_SERIAL = 2,    // the serial port
};

// Starts the initrd SIP name[0 .. len) from the kernel (no spawner),
// with args as its argument string (its name when NULL). Its manifest may
// ask only for capabilities: a process manager (system-wide if rights
// has SIP_RIGHT_PM_SYSTEM, else for its own children) and the serial port
// (only with SIP_RIGHT_SERIAL: ERR_SIP_NOT_GRANTED otherwise); an
// endpoint line is ERR_SIP_ENDPOINTS. Errors as image_open and sip_start.
ISOLA_MUST_CHECK isola_err_t sip_start_named(const char *name, size_t len,
					     const char *args, unsigned rights,
					     uint32_t *id, struct vf_diag *diag);

// Verifies image, instantiates it and starts its thread, with no initial
// endpoints (kernel tests and the kernel console). image must stay valid
// while the SIP lives. ERR_SIP_REJECTED with *diag filled; others as they
// come (an unknown import: ERR_ENG_IMPORT_UNKNOWN, ...).
ISOLA_MUST_CHECK isola_err_t sip_spawn(const char *name, const uint8_t *image,
				       size_t size, uint32_t *id,
				       struct vf_diag *diag);

// Asks SIP id to stop; it ends at its next function entry or loop
// iteration (or at once if it waits in the kernel). ERR_NOTFOUND if no
// such running SIP. parent (0: any) limits it to a child of that SIP
// (ERR_SIP_NOT_CHILD).
ISOLA_MUST_CHECK isola_err_t sip_kill(uint32_t id, uint32_t parent);

// Waits (until deadline, 0: no limit) for SIP id to end, then frees its
// slot. *state and *code say how it ended (exit code, or the trap code).
// ERR_TIMEOUT, ERR_NOTFOUND, ERR_BUSY (someone else waits for it).
// waiter (may be NULL) is the SIP that waits: a kill of it ends the wait
// with ERR_ENG_KILLED. parent as for sip_kill.
ISOLA_MUST_CHECK isola_err_t sip_wait_until(uint32_t id, uint64_t deadline,
					    struct sip *waiter, uint32_t parent,
					    enum sip_state *state, int32_t *code);
ISOLA_MUST_CHECK isola_err_t sip_wait(uint32_t id, enum sip_state *state,
				      int32_t *code);

// Calls fn for each SIP in the table (running or ended, not yet waited),
// with the table locked and interrupts off: fn must not block.
void sip_for_each(void (*fn)(const struct sip *s, void *ctx), void *ctx);
// Number of SIPs running now.
size_t sip_running(void);

const char *sip_state_name(enum sip_state s);
// The SIP whose thread t is, or NULL for a kernel thread (safe in an
// interrupt: t is the running thread, its SIP alive).
struct sip *sip_of_thread(const struct thread *t);
// The kernel's counters as text (the shell's mem): frames, heap,
// exchange heap, handles, threads.
size_t sip_memory_report(char *buf, size_t len);
// The SIP table as text (the shell's ps).
size_t sip_report(char *buf, size_t len);

#endif
