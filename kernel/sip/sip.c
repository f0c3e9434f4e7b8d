// SPDX-License-Identifier: MIT
// The SIP table and a SIP's life (see sip.h): start = check the initial
// endpoints against the image's manifest, instantiate, move the endpoints
// in, start a thread; the thread runs the entry point and, however it
// ends, reclaims everything the SIP owned before it exits. The table slot
// stays until someone waits for the SIP (or the table needs the slot), so
// its end state can be read.
#include "abi_internal.h"

#include <isola/fmt.h>
#include <klog.h>
#include <kmem.h>
#include <spinlock.h>
#include <string.h>

static struct sip *table[SIP_MAX];
static uint32_t next_id = 1;
static struct spinlock table_lock = SPINLOCK_INIT;

const char *sip_state_name(enum sip_state s)
{
	static const char *const names[] = { "free", "exited", "trapped",
					     "killed", "running" };
	return s <= SIP_RUNNING ? names[s] : "?";
}

// ---- memory accounting: every kernel byte a SIP uses is charged to it ----

static void *account_alloc(void *ctx, size_t size)
{
	struct sip_account *a = ctx;
	if (size > a->cap - a->used)
		return NULL;
	void *p = kmalloc(size);
	if (p) {
		a->used += kheap_size(p);
		if (a->used > a->peak)
			a->peak = a->used;
	}
	return p;
}

static void account_free(void *ctx, void *p, size_t size)
{
	struct sip_account *a = ctx;
	(void)size;
	if (!p)
		return;
	a->used -= kheap_size(p);
	kfree(p);
}

void sip_account_init(struct sip_account *a, size_t cap)
{
	a->used = a->peak = 0;
	a->cap = cap;
	a->alloc = (struct vf_allocator){ account_alloc, account_free, a, cap };
}

// ---- the table ----

// Frees the slot of the oldest SIP that ended and that nobody waits for.
// Table lock held.
static struct sip *evict_locked(int *slot)
{
	int best = -1;
	for (int i = 0; i < SIP_MAX; i++) {
		struct sip *s = table[i];
		if (s && s->reclaimed && !s->waited &&
		    (best < 0 || s->id < table[best]->id))
			best = i;
	}
	if (best < 0)
		return NULL;
	struct sip *old = table[best];
	table[best] = NULL;
	*slot = best;
	return old;
}

static isola_err_t table_insert(struct sip *s)
{
	isola_err_t err = ERR_SIP_TABLE_FULL;
	struct sip *old = NULL;
	int slot = -1;
	uint64_t f = spin_lock_irqsave(&table_lock);
	for (int i = 0; i < SIP_MAX && slot < 0; i++)
		if (!table[i])
			slot = i;
	if (slot < 0)
		old = evict_locked(&slot);
	if (slot >= 0) {
		s->id = next_id++;
		table[slot] = s;
		err = ERR_OK;
	}
	spin_unlock_irqrestore(&table_lock, f);
	kfree(old);
	return err;
}

// The SIP with this id, if its spawn has finished. Table lock held.
static struct sip *table_find(uint32_t id)
{
	for (int i = 0; i < SIP_MAX; i++)
		if (table[i] && table[i]->id == id && table[i]->started)
			return table[i];
	return NULL;
}

static void table_remove(struct sip *s)
{
	uint64_t f = spin_lock_irqsave(&table_lock);
	for (int i = 0; i < SIP_MAX; i++)
		if (table[i] == s)
			table[i] = NULL;
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

static void count_running(const struct sip *s, void *ctx)
{
	*(size_t *)ctx += s->state == SIP_RUNNING;
}

size_t sip_running(void)
{
	size_t n = 0;
	sip_for_each(count_running, &n);
	return n;
}

struct report {
	char *buf;
	size_t len, n;
};

static void report_one(const struct sip *s, void *ctx)
{
	struct report *r = ctx;
	isola_appendf(r->buf, r->len, &r->n,
		      "%4u  %-8s %-16s %6zu KiB %5zu blocks %4u handles  code %d\n",
		      s->id, sip_state_name(s->state), s->name, s->mem.used / 1024,
		      s->xo.nblocks, s->handles.used, s->exit_code);
}

size_t sip_report(char *buf, size_t len)
{
	struct report r = { buf, len, 0 };
	isola_appendf(buf, len, &r.n, "  ID  STATE    NAME               MEMORY\n");
	sip_for_each(report_one, &r);
	return r.n;
}

static void count_handles(const struct sip *s, void *ctx)
{
	*(size_t *)ctx += s->handles.used;
}

size_t sip_memory_report(char *buf, size_t len)
{
	struct kmem_stats m;
	struct sched_stats t;
	size_t handles = 0;
	// Cached empty slabs would hide a return to baseline.
	xheap_trim(kchan_heap());
	kmem_trim();
	kmem_stats(&m);
	sched_stats(&t);
	sip_for_each(count_handles, &handles);
	struct xheap *xh = kchan_heap();
	int n = isola_snprintf(buf, len,
			       "frames    %zu free of %zu (%zu KiB free)\n"
			       "heap      %zu objects, %zu bytes, %zu pages\n"
			       "exchange  %zu blocks, %zu bytes, %zu pages\n"
			       "handles   %zu\n"
			       "threads   %zu\n"
			       "sips      %zu running\n",
			       m.frames_free, m.frames_total, m.frames_free * 4,
			       m.heap.objects, m.heap.bytes_in_use, m.heap.pages,
			       xh->nblocks, xh->bytes, xh->pages, handles,
			       t.threads, sip_running());
	return n > 0 ? (size_t)n : 0;
}

// ---- reclaim: frees what the SIP owned, in reverse order of creation ----

static void drop_handle(void *ctx, uint16_t kind, void *obj)
{
	struct sip *s = ctx;
	switch (kind) {
	case HANDLE_KIND_ENDPOINT:
	case HANDLE_KIND_PARKED:
		kchan_set_waiter(obj, NULL);
		(void)chan_close(obj, &s->xo);
		break;
	case HANDLE_KIND_BLOCK:
		(void)xheap_free(kchan_heap(), &s->xo, obj);
		break;
	case HANDLE_KIND_IMAGE:
		image_put(obj);
		break;
	default:
		break; // the process-manager capability owns nothing
	}
}

static void sip_reclaim(struct sip *s)
{
	handle_table_drain(&s->handles, drop_handle, s);
	size_t left = xheap_owner_release(kchan_heap(), &s->xo);
	if (left)
		klog(KLOG_ERROR, "sip %u (%s): %zu blocks had no handle",
		     s->id, s->name, left);
	xheap_owner_fini(kchan_heap(), &s->xo);
	if (s->inst)
		eng_instance_free(s->inst);
	if (s->eth)
		eng_thread_free(s->eth);
	s->inst = NULL;
	s->eth = NULL;
	if (s->image)
		image_put(s->image);
	s->image = NULL;
	if (s->mem.used)
		klog(KLOG_ERROR, "sip %u (%s): %zu bytes not given back",
		     s->id, s->name, s->mem.used);
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
	     s->name, (s->mem.peak + 1023) / 1024);
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

static void sip_thread(void *arg)
{
	struct sip *s = arg;
	uint64_t result = 0;
	isola_err_t err = eng_call(s->eth, s->entry, NULL, &result);
	set_end_state(s, err, result);
	report_end(s);
	sip_reclaim(s);
	uint64_t f = arch_irq_save();
	s->reclaimed = true;
	waitq_wake(&s->exited, 0);
	arch_irq_restore(f);
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

static isola_err_t sip_prepare(struct sip *s)
{
	const struct vf_manifest *m = &s->image->manifest;
	// The manifest's stack holds the value slots; the call depth is
	// bounded in proportion (a frame record is 32 bytes).
	uint32_t frames = m->stack / 32 < 256 ? 256 : m->stack / 32;
	struct eng_thread_config tc = { &s->mem.alloc, m->stack / 8, frames, NULL, NULL };
	TRY(eng_thread_new(&tc, &s->eth));
	struct eng_config ec = { &s->mem.alloc, &s->mem.alloc, m->memory / 65536,
				 abi_resolve, s };
	TRY(eng_instantiate_prepared(s->image->code, &ec, s->eth, &s->inst));
	return find_entry(s);
}

// Do the endpoints fit the manifest, and does from own them?
static isola_err_t check_endpoints(const struct sip_image *img,
				   struct chan_endpoint *const *eps, size_t n,
				   struct xheap_owner *from)
{
	if (n != img->manifest.nendpoints)
		return ERR_SIP_ENDPOINTS;
	for (size_t i = 0; i < n; i++) {
		const struct sip_endpoint_spec *sp = &img->eps[i];
		struct chan_endpoint *ep = eps ? eps[i] : NULL;
		if (!sp->c) {
			if (ep)
				return ERR_SIP_ENDPOINTS;
			continue;
		}
		if (!ep || chan_endpoint_contract(ep) != sp->c ||
		    chan_endpoint_side(ep) != sp->side ||
		    chan_endpoint_state(ep) != sp->state ||
		    chan_endpoint_owner(ep) != from)
			return ERR_SIP_ENDPOINTS;
		for (size_t j = 0; j < i; j++)
			if (eps[j] == ep)
				return ERR_SIP_ENDPOINTS;
	}
	return ERR_OK;
}

// Gives the first n initial endpoints back to from and empties the table.
static void unbind_endpoints(struct sip *s, struct chan_endpoint *const *eps,
			     size_t n, struct xheap_owner *from)
{
	for (size_t i = 0; i < n; i++) {
		struct chan_endpoint *ep = eps ? eps[i] : NULL;
		if (ep && chan_endpoint_owner(ep) == &s->xo) {
			kchan_set_waiter(ep, NULL);
			(void)chan_endpoint_transfer(ep, &s->xo, from);
		}
	}
	handle_table_init(&s->handles, s->handle_slots, SIP_HANDLES);
}

// Moves the initial endpoints in: handle k + 1 for manifest line k. All or
// nothing: on a failure the moved ones go back to from.
static isola_err_t bind_endpoints(struct sip *s, struct chan_endpoint *const *eps,
				  size_t n, struct xheap_owner *from)
{
	size_t i;
	isola_err_t err = ERR_OK;
	for (i = 0; i < n && err == ERR_OK; i++) {
		struct chan_endpoint *ep = eps ? eps[i] : NULL;
		handle_t h;
		if (ep)
			err = chan_endpoint_transfer(ep, from, &s->xo);
		if (err == ERR_OK)
			err = handle_insert(&s->handles,
					    ep ? HANDLE_KIND_ENDPOINT : HANDLE_KIND_PM,
					    ep ? (void *)ep : (void *)s, &h);
		if (err == ERR_OK && ep)
			kchan_set_waiter(ep, &s->wq);
	}
	if (err != ERR_OK)
		unbind_endpoints(s, eps, i, from);
	return err;
}

static struct sip *sip_new(struct sip_image *img, const char *args, size_t len)
{
	struct sip *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s->name, img->name, sizeof(s->name));
	image_get(img);
	s->image = img;
	s->args_len = (uint32_t)(len < SIP_ARGS_MAX ? len : SIP_ARGS_MAX);
	memcpy(s->args, args, s->args_len);
	sip_account_init(&s->mem, SIP_DEFAULT_MEMORY);
	handle_table_init(&s->handles, s->handle_slots, SIP_HANDLES);
	xheap_owner_init(kchan_heap(), &s->xo);
	waitq_init(&s->wq);
	waitq_init(&s->exited);
	abi_bind(s);
	return s;
}

isola_err_t sip_start(struct sip_image *img, const char *args, size_t args_len,
		      struct chan_endpoint *const *eps, size_t n_eps,
		      struct xheap_owner *from, uint32_t spawner, uint32_t *id)
{
	TRY(check_endpoints(img, eps, n_eps, from));
	struct sip *s = sip_new(img, args, args_len);
	if (!s)
		return ERR_NOMEM;
	s->spawner = spawner;
	isola_err_t err = sip_prepare(s);
	if (err == ERR_OK)
		err = table_insert(s); // not visible to kill or wait until started
	bool bound = false;
	if (err == ERR_OK) {
		err = bind_endpoints(s, eps, n_eps, from);
		bound = err == ERR_OK;
	}
	if (err == ERR_OK) {
		s->state = SIP_RUNNING;
		err = thread_create(s->name, sip_thread, s, &s->thread);
	}
	if (err != ERR_OK) {
		if (bound)
			unbind_endpoints(s, eps, n_eps, from);
		if (s->id)
			table_remove(s);
		sip_reclaim(s);
		kfree(s);
		return err;
	}
	thread_detach(s->thread);
	uint64_t f = spin_lock_irqsave(&table_lock);
	s->started = true;
	spin_unlock_irqrestore(&table_lock, f);
	*id = s->id;
	return ERR_OK;
}

isola_err_t sip_start_named(const char *name, size_t len, uint32_t *id,
			    struct vf_diag *diag)
{
	struct sip_image *img;
	TRY(image_open(name, len, &img, diag));
	isola_err_t err = sip_start(img, name, len, NULL, img->manifest.nendpoints,
				    NULL, 0, id);
	image_put(img); // the SIP holds its own reference
	return err;
}

isola_err_t sip_spawn(const char *name, const uint8_t *image, size_t size,
		      uint32_t *id, struct vf_diag *diag)
{
	struct sip_image *img;
	TRY(image_create(name, image, size, &img, diag));
	isola_err_t err = sip_start(img, name, strlen(name), NULL,
				    img->manifest.nendpoints, NULL, 0, id);
	image_put(img); // the SIP holds its own reference
	return err;
}

isola_err_t sip_kill(uint32_t id)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id);
	if (s) {
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
			   enum sip_state *state, int32_t *code)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id);
	if (s) {
		err = s->waited ? ERR_BUSY : ERR_OK;
		s->waited = true;
	}
	spin_unlock_irqrestore(&table_lock, f);
	TRY(err);
	err = wait_reclaimed(s, deadline, waiter);
	if (err != ERR_OK) {
		f = spin_lock_irqsave(&table_lock);
		s->waited = false;
		spin_unlock_irqrestore(&table_lock, f);
		return err;
	}
	*state = s->state;
	*code = s->exit_code;
	table_remove(s);
	kfree(s);
	return ERR_OK;
}

isola_err_t sip_wait(uint32_t id, enum sip_state *state, int32_t *code)
{
	return sip_wait_until(id, 0, NULL, state, code);
}
