// SPDX-License-Identifier: MIT
// Native code for SIPs (ksip/native.h). Code memory and reserved regions
// come from the environment's vmm; every byte is charged to an account
// first (the image's for code, the SIP's for its linear memory), so that
// a hostile image or SIP is held by its caps as with interpreted code.
// A fault goes to the engine only when the current thread is a SIP's and
// the engine finds the faulting instruction among the memory accesses of
// the native code that thread runs, and the address inside that SIP's
// own region; anything else stays fatal.
#include <ksip/env.h>
#include <ksip/native.h>
#include <ksip/process.h>
#include <string.h>

static uint8_t kind = ENG_NATIVE;
static bool guard = true;

isola_err_t sip_native_set(const char *engine, const char *bounds)
{
	uint8_t k = kind;
	bool g = guard;
	if (engine && strcmp(engine, "jit") == 0)
		k = ENG_NATIVE;
	else if (engine && strcmp(engine, "interp") == 0)
		k = ENG_INTERP;
	else if (engine)
		return ERR_INVAL;
	if (bounds && strcmp(bounds, "guard") == 0)
		g = true;
	else if (bounds && strcmp(bounds, "explicit") == 0)
		g = false;
	else if (bounds)
		return ERR_INVAL;
	kind = k;
	guard = g;
	return ERR_OK;
}

const char *sip_native_engine(void)
{
	return kind == ENG_NATIVE ? "jit" : "interp";
}

const char *sip_native_bounds(void)
{
	return guard ? "guard" : "explicit";
}

static void *code_alloc(void *ctx, size_t size)
{
	struct mem_account *a = ctx;
	if (!mem_account_charge(a, size))
		return NULL;
	void *p = vmm_code_alloc(size);
	if (p == NULL)
		mem_account_uncharge(a, size);
	return p;
}

static isola_err_t code_seal(void *ctx, void *p, size_t size)
{
	(void)ctx;
	return vmm_code_seal(p, size);
}

static void code_free(void *ctx, void *p, size_t size)
{
	vmm_code_free(p, size);
	mem_account_uncharge(ctx, size);
}

void sip_native_prepare_config(struct mem_account *a, struct eng_code_mem *cm,
			       struct eng_prepare_config *out)
{
	static bool told;
	*cm = (struct eng_code_mem){code_alloc, code_seal, code_free, a};
	*out = (struct eng_prepare_config){&a->alloc, kind, guard, cm};
	if (kind == ENG_NATIVE && !eng_native_supported()) {
		if (!told)
			klog(KLOG_WARN, "engine: this CPU lacks SSE4.1 or POPCNT; "
			     "SIPs are interpreted");
		told = true;
		out->kind = ENG_INTERP;
	}
}

static isola_err_t vm_reserve(void *ctx, uint64_t size, void **base)
{
	(void)ctx;
	return vmm_reserve(size, base);
}

static isola_err_t vm_commit(void *ctx, void *base, uint64_t from, uint64_t to)
{
	if (to < from || !mem_account_charge(ctx, (size_t)(to - from)))
		return ERR_NOMEM;
	isola_err_t err = vmm_commit(base, from, to);
	if (err != ERR_OK)
		mem_account_uncharge(ctx, (size_t)(to - from));
	return err;
}

static void vm_release(void *ctx, void *base, uint64_t size, uint64_t committed)
{
	vmm_release(base, size);
	mem_account_uncharge(ctx, (size_t)committed);
}

void sip_native_vm(struct mem_account *a, struct eng_vm *vm)
{
	*vm = (struct eng_vm){vm_reserve, vm_commit, vm_release, a};
}

// Exception context, interrupts off: reads the current SIP and its engine
// thread only (the thread cannot end while it is the one faulting).
static bool sip_fault(uint64_t rip, uint64_t addr, uint64_t *resume_rip)
{
	struct sip *s = sip_of_thread(sched_current());
	if (s == NULL || s->eth == NULL)
		return false;
	uint64_t to = eng_thread_fault(s->eth, rip, addr);
	if (to == 0)
		return false;
	*resume_rip = to;
	return true;
}

void sip_native_init(void)
{
	vmm_set_fault_handler(sip_fault);
}
