// SPDX-License-Identifier: MIT
// Software-isolated processes: images (verified modules with their
// manifest and contracts), the kernel's table of SIPs, and their life from
// an image to a running thread to reclaim. A SIP's code runs in the
// execution engine on its own kernel thread; everything it causes to exist
// (its table entry, engine instance and stacks, handles, channels it made,
// exchange-heap blocks it holds or sent) is charged to its account
// (account.h) and freed when it ends, however it ends. What it may touch
// beyond that is what its spawner granted (capabilities: a process manager
// scoped to its own children or to the system, the serial port). The ABI
// it calls is sip/abi*.c; docs/abi.md is the reference, docs/security.md
// the model.
#ifndef ISOLA_SIP_H
#define ISOLA_SIP_H

#include <account.h>
#include <handle.h>
#include <isola/chan.h>
#include <isola/engine.h>
#include <isola/manifest.h>
#include <isola/verifier.h>
#include <sched.h>
#include <sip/abi.h>
#include <spinlock.h>

#define SIP_MAX 64
#define SIP_NAME_MAX 32
#define SIP_ARGS_MAX 1024
#define SIP_DEFAULT_MEMORY (64u << 20) // bytes of kernel memory per SIP
#define SIP_HANDLES 256
#define SIP_MAX_ENDPOINTS VF_MANIFEST_MAX_ENDPOINTS
// Initial handles: one per endpoint line, then one per hardware right.
#define SIP_MAX_SLOTS (SIP_MAX_ENDPOINTS + 1)
#define SIP_CHILDREN_MAX 24 // children one SIP may have not yet waited for
#define SIP_IMAGES_MAX 8    // image handles one SIP may hold
#define SIP_IMAGE_CONTRACTS_MAX 32 // contracts one image may bring

// What a handle names.
enum {
	HANDLE_KIND_ENDPOINT = 1,
	HANDLE_KIND_BLOCK = 2,
	HANDLE_KIND_IMAGE = 3,
	HANDLE_KIND_PM = 4, // a process manager for the holder's own children
	HANDLE_KIND_PARKED = 5, // an endpoint in the SIP's endpoint set
	HANDLE_KIND_PM_SYSTEM = 6, // a process manager for every SIP
	HANDLE_KIND_SERIAL = 7, // the serial port
};

enum sip_state {
	SIP_FREE,     // table slot unused
	SIP_EXITED,   // returned from main or called exit
	SIP_TRAPPED,  // a wasm trap or a failed ABI call
	SIP_KILLED,
	SIP_RUNNING,
};

// An initial handle the manifest asks for: an endpoint (resolved against
// the known contracts), a process manager, or a hardware right.
struct sip_endpoint_spec {
	uint16_t kind; // HANDLE_KIND_ENDPOINT, HANDLE_KIND_PM or HANDLE_KIND_SERIAL
	const struct contract *c; // endpoints only
	uint8_t side;
	uint16_t state;
};

// What a spawner puts in one initial handle of its child: the endpoint
// it gives up, or a capability it holds (HANDLE_KIND_PM: a new process
// manager for the child's own children, which needs no authority;
// HANDLE_KIND_PM_SYSTEM and HANDLE_KIND_SERIAL: passed on, copied).
struct sip_grant {
	uint16_t kind;
	struct chan_endpoint *ep;
};

// A verified image. Images from the initrd are cached (image.c: a capped
// cache that evicts the least recently used image no one holds); an image
// made from other bytes (kernel tests) lives while SIPs use it.
struct sip_image {
	char name[SIP_NAME_MAX];
	const uint8_t *bytes;      // borrowed: the initrd or the caller's
	size_t size;
	struct vf_module *module;
	struct eng_prepared *code; // module's compiled code, shared by its SIPs
	struct mem_account mem;    // what decoding, verifying and compiling took
	struct vf_manifest manifest;
	const uint8_t *manifest_text; // into bytes; NULL if none
	size_t manifest_len;
	struct sip_endpoint_spec eps[SIP_MAX_SLOTS];
	uint32_t nslots;           // initial handles: endpoints, then hardware
	const struct contract *contracts[SIP_IMAGE_CONTRACTS_MAX]; // it holds
	uint32_t ncontracts;
	uint32_t refs;             // SIPs, image handles and the cache
	uint64_t last_used;        // for eviction
	bool cached;
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
	struct eng_func abi[ABI_MAX_FUNCS]; // the kernel ABI, bound to this SIP
	struct spinlock lock;       // state against kill
};

// The owner of the blocks and endpoints s holds (its account's).
static inline struct xheap_owner *sip_xo(struct sip *s)
{
	return &s->acct->xo;
}

// ---- accounts and memory pools (sip/kaccount.c) ----

// Sets the pools' caps from the memory the kernel manages: SIPs together
// (kernel heap and exchange heap) at most 5/8 of it, verified images at
// most 1/4, the rest for the kernel itself.
void kaccounts_init(void);
struct account_set *kaccounts(void);
struct mem_pool *kimage_pool(void);
// The kernel heap as an account backing.
const struct mem_backing *kheap_backing(void);

// ---- images (sip/image.c) ----

// The image of the initrd file NAME.sip (or NAME), verified once and then
// cached. ERR_NOTFOUND; ERR_SIP_REJECTED with *diag filled; others.
ISOLA_MUST_CHECK isola_err_t image_open(const char *name, size_t len,
					struct sip_image **out,
					struct vf_diag *diag);
// Verifies image bytes that are not cached (the bytes must outlive it).
ISOLA_MUST_CHECK isola_err_t image_create(const char *name,
					  const uint8_t *bytes, size_t size,
					  struct sip_image **out,
					  struct vf_diag *diag);
// What the loader does with the ownership and protocol analysis's
// findings (the kernel command line's `ownership=`): refuse an image with
// a definite violation (reject, the default), only log it (warn, for
// testing the run-time checks), or refuse an image for a handle the
// analysis cannot follow too (strict).
enum image_ownership { IMAGE_OWN_REJECT, IMAGE_OWN_WARN, IMAGE_OWN_STRICT };
void image_set_ownership_policy(enum image_ownership policy);
void image_get(struct sip_image *img);
void image_put(struct sip_image *img);
// Writes the list of initrd images and whether they verified.
size_t image_report(char *buf, size_t len);
struct image_stats {
	size_t cached, bytes, cap, evicted;
};
void image_stats(struct image_stats *out);

// ---- contracts the kernel knows (sip/contracts.c) ----

void kcontracts_init(void);
// The contract with this hash, held (kcontract_put drops it), or NULL.
const struct contract *kcontract_get(const uint8_t hash[CONTRACT_HASH_SIZE]);
void kcontract_hold(const struct contract *c);
void kcontract_put(const struct contract *c);
// A contract by name: among extra[0..n) first, then the system's.
const struct contract *kcontract_by_name(const char *name, size_t len,
					 const struct contract *const *extra,
					 size_t n);
// Adds a descriptor an image carries (decoded, checked against the
// system contract of the same name) and holds it for the caller: a
// contract an image brought stays known while an image or a channel holds
// it. ERR_SIP_CONTRACT, ERR_LIMIT (the registry is full), ERR_NOMEM.
ISOLA_MUST_CHECK isola_err_t kcontract_add(const uint8_t *desc, size_t len,
					   const struct contract **out);
size_t kcontracts_report(char *buf, size_t len);
// Contracts known: the system's and those images brought.
size_t kcontracts_count(void);

// ---- channels in the kernel (sip/kchan.c) ----

void kchan_init(void);
struct xheap *kchan_heap(void);
const struct chan_env *kchan_env(void);
// Points ep's wake-ups at q (the owning SIP's wait queue), or nowhere.
void kchan_set_waiter(struct chan_endpoint *ep, struct waitq *q);

// ---- the table and the life of a SIP (sip/sip.c) ----

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
// The kernel's counters as text (the shell's mem): frames, heap,
// exchange heap, handles, threads.
size_t sip_memory_report(char *buf, size_t len);
// The SIP table as text (the shell's ps).
size_t sip_report(char *buf, size_t len);

#endif
