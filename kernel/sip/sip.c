// SPDX-License-Identifier: MIT
// The SIP table and a SIP's life (see sip.h): spawn = verify, instantiate,
// start a thread; the thread runs the entry point and, however it ends,
// reclaims everything the SIP owned before it exits. The table slot stays
// until someone waits for the SIP, so its end state can be read.
#include <klog.h>
#include <kmem.h>
#include <sip.h>
#include <spinlock.h>
#include <string.h>

static struct sip *table[SIP_MAX];
static uint32_t next_id = 1;
static struct spinlock table_lock = SPINLOCK_INIT;

const char *sip_state_name(enum sip_state s)
{
	static const char *const names[] = { "free", "running", "exited",
					     "trapped", "killed" };
	return s <= SIP_KILLED ? names[s] : "?";
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

static void account_init(struct sip_account *a, size_t cap)
{
	a->used = a->peak = 0;
	a->cap = cap;
	a->alloc = (struct vf_allocator){ account_alloc, account_free, a, cap };
}

// ---- the table ----

static isola_err_t table_insert(struct sip *s)
{
	isola_err_t err = ERR_SIP_TABLE_FULL;
	uint64_t f = spin_lock_irqsave(&table_lock);
	for (int i = 0; i < SIP_MAX; i++) {
		if (!table[i]) {
			s->id = next_id++;
			table[i] = s;
			err = ERR_OK;
			break;
		}
	}
	spin_unlock_irqrestore(&table_lock, f);
	return err;
}

// The SIP with this id, if its spawn has finished. Table lock held.
static struct sip *table_find(uint32_t id, int *slot)
{
	for (int i = 0; i < SIP_MAX; i++) {
		if (table[i] && table[i]->id == id && table[i]->started) {
			if (slot)
				*slot = i;
			return table[i];
		}
	}
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

// ---- reclaim: frees what the SIP owned, in reverse order of creation ----

static void drop_handle(void *ctx, uint16_t kind, void *obj)
{
	(void)ctx;
	klog(KLOG_WARN, "sip: dropping a handle of kind %u (%p)", kind, obj);
}

static void sip_reclaim(struct sip *s)
{
	handle_table_drain(&s->handles, drop_handle, s);
	if (s->inst)
		eng_instance_free(s->inst);
	if (s->eth)
		eng_thread_free(s->eth);
	if (s->module)
		vf_module_free(s->module);
	s->inst = NULL;
	s->eth = NULL;
	s->module = NULL;
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
	s->reclaimed = true;
	waitq_wake(&s->exited, 0);
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

static isola_err_t sip_prepare(struct sip *s, struct vf_diag *diag)
{
	struct vf_options vo = { VF_FEATURES_ALL, 0, &s->mem.alloc };
	if (vf_module_load(s->image, s->image_size, &vo, &s->module, diag) != ERR_OK)
		return diag->code == ERR_VF_NOMEM ? ERR_SIP_MEMORY_LIMIT : ERR_SIP_REJECTED;
	struct eng_thread_config tc = { &s->mem.alloc, 0, 0, NULL, NULL };
	TRY(eng_thread_new(&tc, &s->eth));
	struct eng_config ec = { &s->mem.alloc, &s->mem.alloc, SIP_DEFAULT_PAGES,
				 abi_resolve, s };
	TRY(eng_instantiate(s->module, &ec, s->eth, &s->inst));
	return find_entry(s);
}

isola_err_t sip_spawn(const char *name, const uint8_t *image, size_t size,
		      uint32_t *id, struct vf_diag *diag)
{
	struct sip *s = kzalloc(sizeof(*s));
	if (!s)
		return ERR_NOMEM;
	size_t n = strnlen(name, SIP_NAME_MAX - 1);
	memcpy(s->name, name, n);
	s->image = image;
	s->image_size = size;
	account_init(&s->mem, SIP_DEFAULT_MEMORY);
	handle_table_init(&s->handles, s->handle_slots, SIP_HANDLES);
	waitq_init(&s->exited);
	abi_bind(s);
	memset(diag, 0, sizeof(*diag));
	isola_err_t err = sip_prepare(s, diag);
	if (err == ERR_OK)
		err = table_insert(s); // not visible to kill or wait until started
	if (err == ERR_OK) {
		s->state = SIP_RUNNING;
		err = thread_create(s->name, sip_thread, s, &s->thread);
	}
	if (err != ERR_OK) {
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

isola_err_t sip_kill(uint32_t id)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id, NULL);
	if (s) {
		uint64_t g = spin_lock_irqsave(&s->lock);
		if (s->state == SIP_RUNNING) {
			s->kill_requested = true;
			eng_thread_kill(s->eth);
			err = ERR_OK;
		}
		spin_unlock_irqrestore(&s->lock, g);
	}
	spin_unlock_irqrestore(&table_lock, f);
	return err;
}

isola_err_t sip_wait(uint32_t id, enum sip_state *state, int32_t *code)
{
	isola_err_t err = ERR_NOTFOUND;
	uint64_t f = spin_lock_irqsave(&table_lock);
	struct sip *s = table_find(id, NULL);
	if (s) {
		err = s->waited ? ERR_BUSY : ERR_OK;
		s->waited = true;
	}
	spin_unlock_irqrestore(&table_lock, f);
	TRY(err);
	// Interrupts off between the check and the wait: no lost wake-up.
	f = arch_irq_save();
	while (!s->reclaimed)
		waitq_wait(&s->exited, 0);
	arch_irq_restore(f);
	*state = s->state;
	*code = s->exit_code;
	table_remove(s);
	kfree(s);
	return ERR_OK;
}
