// SPDX-License-Identifier: MIT
// The SIP table and a SIP's life (see sip.h). Start: check the grants
// against the image's manifest, open an account, instantiate (the
// module's start function does not run yet), enter the table, move the
// endpoints in and mint the capabilities, start a thread. The thread runs
// the start function and the entry point and, however they end, reclaims
// everything the SIP held before it exits. Every failure of start undoes
// exactly what it did, in reverse order. The table slot stays until
// someone waits for the SIP (or the table needs the slot), so its end
// state can be read; the account stays while the SIP pays for anything.
#include "abi_internal.h"
#include <ksip/native.h>
#include <prof.h>

#include <string.h>

// A SIP's kernel thread: its stack and the guard page below it.
#define SIP_THREAD_CHARGE ((THREAD_STACK_PAGES + 1) * 4096u)

static struct sip *table[SIP_MAX];
static uint32_t next_id = 1;
static struct spinlock table_lock = SPINLOCK_INIT;

const char *sip_state_name(enum sip_state s)
{
	static const char *const names[] = { "free", "exited", "trapped",
					     "killed", "running" };
	return s <= SIP_RUNNING ? names[s] : "?";
}

// ---- the table ----

// Frees a SIP's table entry, which is charged to its own account, then
// lets its account go if that was its last charge.
static void sip_free(struct sip *s)
{
	struct account *a = s->acct;
	mem_account_free(&a->mem, s);
	(void)account_sweep(kaccounts());
}

// The SIP with this id, started or not yet. Table lock held.
static struct sip *table_find_any(uint32_t id)
{
	for (int i = 0; i < SIP_MAX; i++)
		if (table[i] && table[i]->id == id)
			return table[i];
	return NULL;
}

// The SIP with this id, if its spawn has finished. Table lock held.
static struct sip *table_find(uint32_t id)
{
	struct sip *s = table_find_any(id);
	return s && s->started ? s : NULL;
}

// Takes table[i] out of the table and off its spawner's count of
// children. Table lock held.
static struct sip *take_slot_locked(int i)
{
	struct sip *s = table[i];
	table[i] = NULL;
	struct sip *parent = s->spawner ? table_find_any(s->spawner) : NULL;
	if (parent && parent->children)
		parent->children--;
	return s;
}

// Takes out the oldest SIP that ended and that nobody waits for, among
// the children of parent (0: among all), and says which slot it freed.
// A SIP whose start has not returned yet is never taken: its spawner
// still uses it. NULL if there is none. Table lock held.
static struct sip *evict_locked(uint32_t parent, int *slot)
{
	int best = -1;
	for (int i = 0; i < SIP_MAX; i++) {
		struct sip *s = table[i];
		if (s && s->started && s->reclaimed && !s->waited &&
		    (!parent || s->spawner == parent) &&
		    (best < 0 || s->id < table[best]->id))
			best = i;
	}
	if (best < 0)
		return NULL;
	*slot = best;
	return take_slot_locked(best);
}

// Enters s, counting it against its spawner's children. A spawner at its
// limit, or a full table, first forgets the oldest ended SIP nobody
// waits for (among the spawner's own children for the first).
static isola_err_t table_insert(struct sip *s)
{
	isola_err_t err = ERR_OK;
	struct sip *gone[2] = { NULL, NULL };
	int slot = -1;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *parent = s->spawner ? table_find_any(s->spawner) : NULL;
	if (parent && parent->children >= SIP_CHILDREN_MAX &&
	    !(gone[0] = evict_locked(parent->id, &slot)))
		err = ERR_SIP_CHILDREN;
	for (int i = 0; i < SIP_MAX && slot < 0; i++)
		if (!table[i])
			slot = i;
	if (err == ERR_OK && slot < 0 && !(gone[1] = evict_locked(0, &slot)))
		err = ERR_SIP_TABLE_FULL;
	if (err == ERR_OK) {
		s->id = next_id++;
		table[slot] = s;
		if (parent)
			parent->children++;
	}
	spin_unlock_irqrestore(&table_lock, f);
	for (int i = 0; i < 2; i++)
		if (gone[i])
			sip_free(gone[i]);
	return err;
}

// Takes s out of the table. Table lock held.
static void table_remove_locked(struct sip *s)
{
	for (int i = 0; i < SIP_MAX; i++)
		if (table[i] == s)
			(void)take_slot_locked(i);
}

static void table_remove(struct sip *s)
{
	uint64_t f = spin_lock_irqsave(&table_lock);
	table_remove_locked(s);
	spin_unlock_irqrestore(&table_lock, f);
}

void sip_for_each(void (*fn)(const struct sip *s, void *ctx), void *ctx)
{
	// Under the lock, so no SIP is freed while fn looks at it.
	uint64_t f = spin_lock_irqsave(&table_lock);
	for (int i = 0; i < SIP_MAX; i++) {
		struct sip *s = table[i];
		if (s && s->started)
			fn(s, ctx);
	}
	spin_unlock_irqrestore(&table_lock, f);
}

// ---- reclaim: frees what the SIP held, in reverse order of creation ----

static void drop_handle(void *ctx, uint16_t kind, void *obj)
{
	struct sip *s = ctx;
	switch (kind) {
	case HANDLE_KIND_ENDPOINT:
	case HANDLE_KIND_PARKED:
		kchan_set_waiter(obj, NULL);
		(void)chan_close(obj, sip_xo(s));
		break;
	case HANDLE_KIND_BLOCK:
		(void)xheap_free(kchan_heap(), sip_xo(s), obj);
		break;
	case HANDLE_KIND_IMAGE:
		image_put(obj);
		break;
	default:
		break; // capabilities own nothing
	}
}

// Frees everything s holds but its table entry; its account ends (and
// lives on while it pays for messages in flight or channels it made).
static void sip_reclaim(struct sip *s)
{
	handle_table_drain(&s->handles, drop_handle, s);
	size_t left = xheap_owner_release(kchan_heap(), sip_xo(s));
	if (left)
		klog(KLOG_ERROR, "sip %u (%s): %zu blocks had no handle",
		     s->id, s->name, left);
	if (s->inst)
		eng_instance_free(s->inst);
	if (s->eth)
		eng_thread_free(s->eth);
	s->inst = NULL;
	s->eth = NULL;
	if (s->image)
		image_put(s->image);
	s->image = NULL;
	account_end(kaccounts(), s->acct);
}

// ---- running ----

static void report_end(const struct sip *s)
{
	if (s->state == SIP_TRAPPED)
		klog(KLOG_WARN, "sip %u (%s) trapped: %s (function %d, code offset %#x)",
		     s->id, s->name, isola_err_message(s->trap.code),
		     s->trap.func_index == VF_NO_INDEX ? -1 : (int)s->trap.func_index,
		     s->trap.code_off);
	else
		klog(KLOG_INFO, "sip %u (%s) %s, code %d", s->id, s->name,
		     sip_state_name(s->state), s->exit_code);
	klog(KLOG_DEBUG, "sip %u (%s): peak %zu KiB of kernel memory", s->id,
	     s->name, (s->acct->mem.peak + 1023) / 1024);
}

// Records how the SIP ended. Under the lock, so sip_kill never touches an
// engine thread that is being freed.
static void set_end_state(struct sip *s, isola_err_t err, uint64_t result)
{
	uint64_t f = spin_lock_irqsave(&s->lock);
	if (err == ERR_OK) {
		s->exit_code = s->entry->type->nresults ? (int32_t)result : 0;
		s->state = SIP_EXITED;
	} else if (err == ERR_SIP_EXITED) {
		s->state = SIP_EXITED; // exit_code set by the ABI call
	} else if (err == ERR_ENG_KILLED) {
		s->state = SIP_KILLED;
	} else {
		s->trap = *eng_thread_trap(s->eth);
		s->trap.code = err;
		s->exit_code = (int32_t)err;
		s->state = SIP_TRAPPED;
	}
	spin_unlock_irqrestore(&s->lock, f);
}

// The SIP's own thread: the module's start function (if any), then the
// entry point. Both run only now, when the SIP is in the table, bound and
// killable, and under its own limits.
static void sip_thread(void *arg)
{
	struct sip *s = arg;
	uint64_t result = 0;
	isola_err_t err = eng_instance_start(s->eth, s->inst);
	if (err == ERR_OK)
		err = eng_call(s->eth, s->entry, NULL, &result);
	set_end_state(s, err, result);
	report_end(s);
	// The stack goes back as the thread ends, just after this.
	mem_account_uncharge(&s->acct->mem, SIP_THREAD_CHARGE);
	sip_reclaim(s);
	struct thread *me = sched_current();
	uint64_t f = arch_irq_save();
	// From here s may be freed by a waiter before this thread is gone:
	// the thread no longer names it (sip_of_thread, the profiler's tick).
	if (me)
		me->arg = NULL;
	s->reclaimed = true;
	waitq_wake(&s->exited, 0);
	arch_irq_restore(f);
}

struct sip *sip_of_thread(const struct thread *t)
{
	return t && t->entry == sip_thread ? t->arg : NULL;
}

// The entry point: an export "_start" or "main" taking no arguments.
static isola_err_t find_entry(struct sip *s)
{
	static const char *const names[] = { "_start", "main" };
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(names); i++) {
		struct eng_extern ex;
		if (eng_instance_export(s->inst, names[i], strlen(names[i]), &ex) != ERR_OK ||
		    ex.kind != VF_EXTERN_FUNC || ex.u.func->type->nparams != 0 ||
		    ex.u.func->type->nresults > 1)
			continue;
		s->entry = ex.u.func;
		return ERR_OK;
	}
	return ERR_SIP_NO_ENTRY;
}

// Makes the engine thread and instance; no SIP code runs here.
static isola_err_t sip_prepare(struct sip *s)
{
	const struct vf_manifest *m = &s->image->manifest;
	const struct vf_allocator *a = &s->acct->mem.alloc;
	// The manifest's stack holds the value slots; the call depth is
	// bounded in proportion (a frame record is 32 bytes).
	uint32_t frames = m->stack / 32 < 256 ? 256 : m->stack / 32;
	struct eng_thread_config tc = { .alloc = a, .stack_slots = m->stack / 8,
					.max_frames = frames,
					.sample = prof_sip_sample, .sample_ctx = s };
	TRY(eng_thread_new(&tc, &s->eth));
	sip_native_vm(&s->acct->mem, &s->vm);
	struct eng_config ec = { a, a, m->memory / 65536, abi_resolve, s, NULL, &s->vm };
	TRY(eng_instantiate_prepared(s->image->code, &ec, &s->inst));
	return find_entry(s);
}

// Does each grant fill its slot, and does from own the endpoints?
static isola_err_t check_grants(const struct sip_image *img,
				const struct sip_grant *g, size_t n,
				struct xheap_owner *from)
{
	if (n != img->nslots)
		return ERR_SIP_ENDPOINTS;
	for (size_t i = 0; i < n; i++) {
		const struct sip_endpoint_spec *sp = &img->eps[i];
		struct chan_endpoint *ep = g[i].ep;
		if (sp->kind == HANDLE_KIND_SERIAL && g[i].kind != HANDLE_KIND_SERIAL)
			return ERR_SIP_NOT_GRANTED;
		if (sp->kind == HANDLE_KIND_PM && g[i].kind != HANDLE_KIND_PM &&
		    g[i].kind != HANDLE_KIND_PM_SYSTEM)
			return ERR_SIP_ENDPOINTS;
		if (sp->kind != HANDLE_KIND_ENDPOINT)
			continue;
		if (g[i].kind != HANDLE_KIND_ENDPOINT || !ep ||
		    chan_endpoint_contract(ep) != sp->c ||
		    chan_endpoint_side(ep) != sp->side ||
		    chan_endpoint_state(ep) != sp->state ||
		    chan_endpoint_owner(ep) != from)
			return ERR_SIP_ENDPOINTS;
		for (size_t j = 0; j < i; j++)
			if (g[j].ep == ep)
				return ERR_SIP_ENDPOINTS;
	}
	return ERR_OK;
}

// Gives the first n initial endpoints back to from and frees exactly the
// handles binding made (handle k + 1 for slot k), nothing else.
static void unbind(struct sip *s, const struct sip_grant *g, size_t n,
		   struct xheap_owner *from)
{
	for (size_t i = 0; i < n; i++) {
		void *obj;
		if (handle_take(&s->handles, (handle_t)(i + 1), g[i].kind, &obj) != ERR_OK)
			continue;
		if (g[i].kind == HANDLE_KIND_ENDPOINT) {
			kchan_set_waiter(obj, NULL);
			(void)chan_endpoint_transfer(obj, sip_xo(s), from);
		}
	}
}

// Moves the initial endpoints in and mints the capabilities: handle k + 1
// for slot k. All or nothing: on a failure unbind undoes it.
static isola_err_t bind(struct sip *s, const struct sip_grant *g, size_t n,
			struct xheap_owner *from)
{
	size_t i;
	isola_err_t err = ERR_OK;
	for (i = 0; i < n && err == ERR_OK; i++) {
		struct chan_endpoint *ep = g[i].ep;
		void *obj = g[i].kind == HANDLE_KIND_ENDPOINT ? (void *)ep : (void *)s;
		handle_t h;
		if (g[i].kind == HANDLE_KIND_ENDPOINT)
			err = chan_endpoint_transfer(ep, from, sip_xo(s));
		if (err == ERR_OK) {
			err = handle_insert(&s->handles, g[i].kind, obj, &h);
			if (err != ERR_OK && g[i].kind == HANDLE_KIND_ENDPOINT)
				(void)chan_endpoint_transfer(ep, sip_xo(s), from);
		}
		if (err == ERR_OK && g[i].kind == HANDLE_KIND_ENDPOINT)
			kchan_set_waiter(ep, &s->wq);
	}
	if (err != ERR_OK)
		unbind(s, g, i - 1, from);
	return err;
}

// A SIP not yet in the table: its account (named after the image), its
// entry in the table charged to it, the image held.
static struct sip *sip_new(struct sip_image *img, const char *args, size_t len)
{
	const struct vf_manifest *m = &img->manifest;
	struct kmem_stats ms;
	kmem_stats(&ms);
	// A SIP's own exchange limit, clamped to half the memory there is.
	size_t half = ms.frames_total / 2 * 4096;
	struct account *a = account_new(kaccounts(), 0, img->name, SIP_DEFAULT_MEMORY,
					m->exchange < half ? m->exchange : half);
	if (!a)
		return NULL;
	struct sip *s = mem_account_zalloc(&a->mem, sizeof(*s));
	if (!s) {
		account_end(kaccounts(), a);
		return NULL;
	}
	s->acct = a;
	memcpy(s->name, img->name, sizeof(s->name));
	image_get(img);
	s->image = img;
	s->args_len = (uint32_t)(len < SIP_ARGS_MAX ? len : SIP_ARGS_MAX);
	memcpy(s->args, args, s->args_len);
	handle_table_init(&s->handles, s->handle_slots, SIP_HANDLES);
	waitq_init(&s->wq);
	waitq_init(&s->exited);
	abi_bind(s);
	return s;
}

// Charges s for its kernel thread and starts it (the SIP runs from now
// on); nothing stays charged when it fails.
static isola_err_t run_thread(struct sip *s)
{
	if (!mem_account_charge(&s->acct->mem, SIP_THREAD_CHARGE))
		return ERR_NOMEM;
	s->state = SIP_RUNNING;
	isola_err_t err = thread_create(s->name, sip_thread, s, &s->thread);
	if (err != ERR_OK)
		mem_account_uncharge(&s->acct->mem, SIP_THREAD_CHARGE);
	return err;
}

// Undoes a start that failed after sip_new.
static void start_failed(struct sip *s, bool in_table)
{
	if (in_table)
		table_remove(s);
	sip_reclaim(s);
	sip_free(s);
}

isola_err_t sip_start(struct sip_image *img, const char *args, size_t args_len,
		      const struct sip_grant *grants, size_t n,
		      struct xheap_owner *from, uint32_t spawner, uint32_t *id)
{
	TRY(check_grants(img, grants, n, from));
	(void)account_sweep(kaccounts());
	struct sip *s = sip_new(img, args, args_len);
	if (!s)
		return ERR_NOMEM;
	s->spawner = spawner;
	isola_err_t err = sip_prepare(s);
	if (err != ERR_OK) {
		start_failed(s, false);
		return err;
	}
	err = table_insert(s); // not visible to kill or wait until started
	if (err != ERR_OK) {
		start_failed(s, false);
		return err;
	}
	s->acct->id = s->id;
	err = bind(s, grants, n, from);
	if (err == ERR_OK && (err = run_thread(s)) != ERR_OK)
		unbind(s, grants, n, from);
	if (err != ERR_OK) {
		start_failed(s, true);
		return err;
	}
	// Until started is set, nobody but this function may free s (wait
	// and eviction skip it), though its thread may already have ended;
	// from then on, s may be gone at once: read what is needed first.
	uint32_t sid = s->id;
	thread_detach(s->thread);
	uint64_t f = spin_lock_irqsave(&table_lock);
	s->started = true;
	spin_unlock_irqrestore(&table_lock, f);
	*id = sid;
	return ERR_OK;
}

// The kernel's grant for each slot of img: what rights allow.
static isola_err_t kernel_grants(const struct sip_image *img, unsigned rights,
				 struct sip_grant *g)
{
	for (uint32_t i = 0; i < img->nslots; i++) {
		uint16_t k = img->eps[i].kind;
		if (k == HANDLE_KIND_ENDPOINT)
			return ERR_SIP_ENDPOINTS;
		if (k == HANDLE_KIND_SERIAL && !(rights & SIP_RIGHT_SERIAL))
			return ERR_SIP_NOT_GRANTED;
		if (k == HANDLE_KIND_PM && (rights & SIP_RIGHT_PM_SYSTEM))
			k = HANDLE_KIND_PM_SYSTEM;
		g[i] = (struct sip_grant){ k, NULL };
	}
	return ERR_OK;
}

isola_err_t sip_start_named(const char *name, size_t len, const char *args,
			    unsigned rights, uint32_t *id, struct vf_diag *diag)
{
	struct sip_image *img;
	struct sip_grant g[SIP_MAX_SLOTS];
	TRY(image_open(name, len, &img, diag));
	isola_err_t err = kernel_grants(img, rights, g);
	if (err == ERR_OK)
		err = sip_start(img, args ? args : name, args ? strlen(args) : len,
				g, img->nslots, NULL, 0, id);
	image_put(img); // the SIP holds its own reference
	return err;
}

isola_err_t sip_spawn(const char *name, const uint8_t *image, size_t size,
		      uint32_t *id, struct vf_diag *diag)
{
	struct sip_image *img;
	struct sip_grant g[SIP_MAX_SLOTS];
	TRY(image_create(name, image, size, &img, diag));
	isola_err_t err = kernel_grants(img, 0, g);
	if (err == ERR_OK)
		err = sip_start(img, name, strlen(name), g, img->nslots, NULL, 0, id);
	image_put(img); // the SIP holds its own reference
	return err;
}

// Is s one that a caller limited to parent's children may touch?
static bool is_child(const struct sip *s, uint32_t parent)
{
	return parent == 0 || s->spawner == parent;
}

isola_err_t sip_kill(uint32_t id, uint32_t parent)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id);
	if (s && !is_child(s, parent)) {
		err = ERR_SIP_NOT_CHILD;
	} else if (s) {
		uint64_t g = spin_lock_irqsave(&s->lock);
		if (s->state == SIP_RUNNING) {
			s->kill_requested = true;
			eng_thread_kill(s->eth);
			waitq_wake(&s->wq, 0);
			err = ERR_OK;
		}
		spin_unlock_irqrestore(&s->lock, g);
	}
	spin_unlock_irqrestore(&table_lock, f);
	return err;
}

// Waits for s to be reclaimed, in slices so that a kill of the waiter is
// seen. ERR_OK, ERR_TIMEOUT or ERR_ENG_KILLED.
static isola_err_t wait_reclaimed(struct sip *s, uint64_t deadline,
				  struct sip *waiter)
{
	const uint64_t slice = 10 * 1000000ull;
	isola_err_t err = ERR_OK;
	uint64_t f = arch_irq_save();
	while (!s->reclaimed) {
		uint64_t now = arch_time_ns();
		if (waiter && waiter->kill_requested) {
			err = ERR_ENG_KILLED;
			break;
		}
		if (deadline && now >= deadline) {
			err = ERR_TIMEOUT;
			break;
		}
		uint64_t until = waiter ? now + slice : 0;
		if (deadline && (!until || deadline < until))
			until = deadline;
		(void)waitq_wait(&s->exited, until);
	}
	arch_irq_restore(f);
	return err;
}

isola_err_t sip_wait_until(uint32_t id, uint64_t deadline, struct sip *waiter,
			   uint32_t parent, enum sip_state *state, int32_t *code)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id);
	if (s && !is_child(s, parent)) {
		err = ERR_SIP_NOT_CHILD;
	} else if (s) {
		err = s->waited ? ERR_BUSY : ERR_OK;
		s->waited = true;
	}
	spin_unlock_irqrestore(&table_lock, f);
	TRY(err);
	err = wait_reclaimed(s, deadline, waiter);
	f = spin_lock_irqsave(&table_lock);
	if (err != ERR_OK)
		s->waited = false;
	else
		table_remove_locked(s);
	spin_unlock_irqrestore(&table_lock, f);
	TRY(err);
	*state = s->state;
	*code = s->exit_code;
	sip_free(s);
	return ERR_OK;
}

isola_err_t sip_wait(uint32_t id, enum sip_state *state, int32_t *code)
{
	return sip_wait_until(id, 0, NULL, 0, state, code);
}
