// SPDX-License-Identifier: MIT
// SIP images: an image is verified once (the module by the verifier, then
// the SIP-level checks and the ownership analysis of verifier/sipcheck.h,
// then its manifest and contract sections), its contracts become known to the
// kernel (held by the image), and its manifest's initial handles are
// resolved to contracts, states and capabilities. Images of the initrd
// are cached, so spawning one again costs no verification nor compilation
// (an image holds its compiled code). Every image's memory comes from the
// image pool (kaccount.c, a quarter of memory); when the pool or the
// cache's IMAGE_CACHE_MAX slots run out, the least recently used image
// that no SIP holds is evicted. A rejected image leaves nothing behind.
#include <isola/fmt.h>
#include <isola/sipcheck.h>
#include <ksip/native.h>
#include <sip.h>
#include <string.h>

#define IMAGE_CACHE_MAX 64
#define IMAGE_MEMORY (64u << 20) // what verifying one image may take
#define IMAGE_CONTRACTS_MAX SIP_IMAGE_CONTRACTS_MAX

// What the ownership and protocol analysis (codes ERR_SIP_OWN_*) does to
// an image with a definite violation: by default it is refused like any
// other verifier error; with `ownership=warn` on the command line the
// diagnostic is logged and the image loads, so the kernel's run-time
// checks can be exercised by images built to break those rules
// (tests/hostile); with `ownership=strict` an image is refused for a
// handle the analysis cannot follow too (sipverify --strict). Set once at
// boot, or by a kernel test.
static enum image_ownership ownership = IMAGE_OWN_REJECT;

void image_set_ownership_policy(enum image_ownership policy)
{
	ownership = policy;
}

extern const struct contract_registry_entry *const kernel_system_contracts[];
extern const size_t kernel_system_contracts_n;

static struct sip_image *cache[IMAGE_CACHE_MAX];
static size_t ncached, nevicted;
static uint64_t use_clock; // orders uses, for eviction
static struct spinlock lock = SPINLOCK_INIT;

static isola_err_t reject(struct vf_diag *d, isola_err_t code, const char *fmt, ...)
	ISOLA_PRINTF(3, 4);

static isola_err_t reject(struct vf_diag *d, isola_err_t code, const char *fmt, ...)
{
	va_list ap;
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->func_index = VF_NO_INDEX;
	va_start(ap, fmt);
	isola_vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
	return ERR_SIP_REJECTED;
}

static isola_err_t load_manifest(struct sip_image *img,
				 const struct vf_sip_sections *sec,
				 struct vf_diag *d)
{
	struct vf_manifest_diag md;
	if (!sec->manifest) {
		// No manifest: a plain module, named after its file.
		char text[48];
		int n = isola_snprintf(text, sizeof(text), "name %s\n", img->name);
		if (vf_manifest_parse((const uint8_t *)text, (size_t)n,
				      &img->manifest, &md) != ERR_OK)
			return reject(d, md.code, "no manifest, and '%s' is not a "
				      "valid SIP name", img->name);
		return ERR_OK;
	}
	if (vf_manifest_parse(sec->manifest, sec->manifest_len, &img->manifest,
			      &md) != ERR_OK) {
		reject(d, md.code, "manifest line %u%s%s", md.line,
		       md.detail[0] ? ": " : "", md.detail);
		d->offset = sec->manifest_off + md.offset;
		return ERR_SIP_REJECTED;
	}
	img->manifest_text = sec->manifest;
	img->manifest_len = sec->manifest_len;
	memcpy(img->name, img->manifest.name, sizeof(img->name));
	return ERR_OK;
}

// Makes the image's contracts known, each held by the image.
static isola_err_t load_contracts(const struct vf_sip_sections *sec,
				  struct sip_image *img, struct vf_diag *d)
{
	size_t off = 0;
	const struct contract **out = img->contracts;
	uint32_t *n = &img->ncontracts;
	for (;;) {
		const uint8_t *desc;
		size_t len;
		isola_err_t err = vf_contracts_next(sec->contracts, sec->contracts_len,
						    &off, &desc, &len);
		if (err != ERR_OK)
			return reject(d, err, "isola.contracts at offset %zu", off);
		if (!desc)
			return ERR_OK;
		if (*n == IMAGE_CONTRACTS_MAX)
			return reject(d, ERR_LIMIT, "more than %d contracts",
				      IMAGE_CONTRACTS_MAX);
		err = kcontract_add(desc, len, &out[*n]);
		if (err != ERR_OK)
			return reject(d, err, "contract %u of isola.contracts", *n + 1);
		(*n)++;
	}
}

static int find_state(const struct contract *c, const char *name)
{
	size_t len = strlen(name);
	for (uint16_t i = 0; i < c->n_states; i++)
		if (c->states[i].name_len == len &&
		    memcmp(c->states[i].name, name, len) == 0)
			return i;
	return -1;
}

// Resolves the manifest's endpoints to contracts, sides and states, and
// adds a slot for each hardware right after them.
static isola_err_t resolve_endpoints(struct sip_image *img, struct vf_diag *d)
{
	const struct contract *const *cs = img->contracts;
	size_t n = img->ncontracts;
	img->nslots = img->manifest.nendpoints;
	if (img->manifest.hardware & VF_HW_SERIAL)
		img->eps[img->nslots++] = (struct sip_endpoint_spec){ HANDLE_KIND_SERIAL, NULL, 0, 0 };
	for (uint32_t i = 0; i < img->manifest.nendpoints; i++) {
		const struct vf_manifest_endpoint *e = &img->manifest.endpoints[i];
		struct sip_endpoint_spec *sp = &img->eps[i];
		if (e->is_procmgr) {
			*sp = (struct sip_endpoint_spec){ HANDLE_KIND_PM, NULL, 0, 0 };
			continue;
		}
		sp->kind = HANDLE_KIND_ENDPOINT;
		sp->c = kcontract_by_name(e->contract, strlen(e->contract), cs, n);
		if (!sp->c)
			return reject(d, ERR_SIP_ENDPOINTS, "endpoint %s: unknown "
				      "contract '%s'", e->name, e->contract);
		sp->side = e->side;
		int st = e->state[0] ? find_state(sp->c, e->state) : 0;
		if (st < 0 || (e->state[0] && sp->c->form == CONTRACT_FORM_INTERFACE))
			return reject(d, ERR_SIP_ENDPOINTS, "endpoint %s: contract "
				      "'%s' has no state '%s'", e->name,
				      e->contract, e->state);
		sp->state = (uint16_t)st;
	}
	return ERR_OK;
}

static bool is_ownership_code(isola_err_t code)
{
	return code >= ERR_SIP_OWN_SEND && code < ERR_SIP_OWN_UNTRACKED;
}

// The SIP-level checks and the analysis (docs/verifier-rules.md). Imports
// and the entry point are left to the engine, which binds from the same
// abi.def and reports ERR_ENG_IMPORT_* and ERR_SIP_NO_ENTRY.
static isola_err_t sip_checks(struct sip_image *img, struct vf_diag *d)
{
	struct vf_sip_env env = { kernel_system_contracts, kernel_system_contracts_n,
				  &img->mem.alloc,
				  VF_SIP_REQUIRE | VF_SIP_NO_INTERFACE |
				  (ownership == IMAGE_OWN_STRICT ? VF_SIP_STRICT : 0) };
	struct vf_sip_result *res = kzalloc(sizeof(*res));
	if (!res)
		return ERR_NOMEM;
	isola_err_t err = vf_sip_check(img->module, &env, res);
	if (err != ERR_OK && is_ownership_code(err) && ownership == IMAGE_OWN_WARN) {
		klog(KLOG_WARN, "verify: %s: %s (%s) in function %u at code "
		     "offset %#x", img->name, isola_err_message(err),
		     res->diag.detail, res->diag.func_index, res->diag.instr_off);
		err = ERR_OK;
	}
	if (err != ERR_OK)
		*d = res->diag;
	kfree(res);
	if (err == ERR_VF_NOMEM)
		return ERR_NOMEM;
	return err == ERR_OK ? ERR_OK : ERR_SIP_REJECTED;
}

static isola_err_t load(struct sip_image *img, struct vf_diag *d)
{
	struct vf_options vo = { VF_FEATURES_ALL, 0, &img->mem.alloc };
	if (vf_module_load(img->bytes, img->size, &vo, &img->module, d) != ERR_OK)
		return d->code == ERR_VF_NOMEM ? ERR_NOMEM : ERR_SIP_REJECTED;
	TRY(sip_checks(img, d));
	struct vf_sip_sections sec;
	isola_err_t err = vf_sip_sections_find(img->module, &sec, NULL);
	if (err != ERR_OK)
		return reject(d, err, "duplicate SIP section");
	TRY(load_manifest(img, &sec, d));
	TRY(load_contracts(&sec, img, d));
	TRY(resolve_endpoints(img, d));
	// Compiled once here; every SIP of the image runs the same code.
	struct eng_code_mem cm;
	struct eng_prepare_config pc;
	sip_native_prepare_config(&img->mem, &cm, &pc);
	err = eng_module_prepare_cfg(img->module, &pc, &img->code);
	if (err != ERR_OK && err != ERR_NOMEM)
		return reject(d, err, "compiling the code");
	return err;
}

// Frees an image and everything it took: its memory, compiled code and
// the contracts it holds.
static void image_free(struct sip_image *img)
{
	eng_prepared_free(img->code);
	if (img->module)
		vf_module_free(img->module);
	for (uint32_t i = 0; i < img->ncontracts; i++)
		kcontract_put(img->contracts[i]);
	struct mem_account mem = img->mem;
	mem_account_free(&mem, img); // the image itself was its first charge
}

isola_err_t image_create(const char *name, const uint8_t *bytes, size_t size,
			 struct sip_image **out, struct vf_diag *diag)
{
	struct mem_account mem;
	memset(diag, 0, sizeof(*diag));
	mem_account_init(&mem, IMAGE_MEMORY, kimage_pool(), kheap_backing());
	struct sip_image *img = mem_account_zalloc(&mem, sizeof(*img));
	if (!img)
		return ERR_NOMEM;
	img->mem = mem;
	// The allocator's context is the account: point it at the image's.
	img->mem.alloc.ctx = &img->mem;
	size_t n = strnlen(name, SIP_NAME_MAX - 1);
	memcpy(img->name, name, n);
	img->bytes = bytes;
	img->size = size;
	img->refs = 1;
	isola_err_t err = load(img, diag);
	if (err != ERR_OK) {
		image_free(img);
		return err;
	}
	*out = img;
	return ERR_OK;
}

void image_get(struct sip_image *img)
{
	uint64_t f = spin_lock_irqsave(&lock);
	img->refs++;
	spin_unlock_irqrestore(&lock, f);
}

void image_put(struct sip_image *img)
{
	uint64_t f = spin_lock_irqsave(&lock);
	bool last = --img->refs == 0;
	spin_unlock_irqrestore(&lock, f);
	if (last)
		image_free(img);
}

// The initrd file for a name: "sips/NAME.sip", else NAME as a path.
static isola_err_t find_file(const char *name, size_t len, struct initrd_file *f)
{
	const uint8_t *base;
	size_t size;
	char path[INITRD_NAME_MAX];
	if (!initrd_image(&base, &size))
		return ERR_NOTFOUND;
	if (len == 0 || len > SIP_NAME_MAX || memchr(name, 0, len))
		return ERR_NOTFOUND;
	isola_snprintf(path, sizeof(path), "sips/%.*s.sip", (int)len, name);
	if (initrd_find(base, size, path, f) == ERR_OK)
		return ERR_OK;
	isola_snprintf(path, sizeof(path), "%.*s", (int)len, name);
	return initrd_find(base, size, path, f);
}

static struct sip_image *cache_find_locked(const uint8_t *bytes)
{
	for (size_t i = 0; i < ncached; i++)
		if (cache[i]->bytes == bytes)
			return cache[i];
	return NULL;
}

// Takes the least recently used image that only the cache holds out of
// the cache (the caller frees it); NULL when every cached image is in use.
static struct sip_image *evict_locked(void)
{
	size_t best = ncached;
	for (size_t i = 0; i < ncached; i++)
		if (cache[i]->refs == 1 &&
		    (best == ncached || cache[i]->last_used < cache[best]->last_used))
			best = i;
	if (best == ncached)
		return NULL;
	struct sip_image *img = cache[best];
	cache[best] = cache[--ncached];
	img->cached = false;
	nevicted++;
	return img;
}

// Evicts one unused image; false when there is none.
static bool evict_one(void)
{
	uint64_t fl = spin_lock_irqsave(&lock);
	struct sip_image *img = evict_locked();
	spin_unlock_irqrestore(&lock, fl);
	if (img)
		image_put(img);
	return img != NULL;
}

// Verifies a file not in the cache, evicting unused images while the
// image pool is too full for it. ERR_IMAGE_CACHE_FULL when it still does
// not fit with every cached image in use.
static isola_err_t create_evicting(const char *name, const struct initrd_file *f,
				   struct sip_image **out, struct vf_diag *diag)
{
	for (;;) {
		isola_err_t err = image_create(name, f->data, f->size, out, diag);
		// Out of memory with the pool short of one image's worth:
		// the pool was the limit, and an eviction may help.
		if (err != ERR_NOMEM || mem_pool_room(kimage_pool()) >= IMAGE_MEMORY)
			return err;
		if (!evict_one())
			return ERR_IMAGE_CACHE_FULL;
	}
}

// Puts a new image into the cache (the cache holds a reference), making
// room by eviction; an image that finds no room lives uncached.
static struct sip_image *cache_insert(struct sip_image *img)
{
	struct sip_image *old = NULL;
	uint64_t fl = spin_lock_irqsave(&lock);
	struct sip_image *other = cache_find_locked(img->bytes);
	if (other) {
		other->refs++;
		other->last_used = ++use_clock;
	} else {
		if (ncached == IMAGE_CACHE_MAX)
			old = evict_locked();
		if (ncached < IMAGE_CACHE_MAX) {
			img->cached = true;
			img->refs++; // the cache's own reference
			img->last_used = ++use_clock;
			cache[ncached++] = img;
		}
	}
	spin_unlock_irqrestore(&lock, fl);
	if (old)
		image_put(old);
	if (other) // verified twice at once: keep the first
		image_put(img);
	return other ? other : img;
}

isola_err_t image_open(const char *name, size_t len, struct sip_image **out,
		       struct vf_diag *diag)
{
	struct initrd_file f;
	memset(diag, 0, sizeof(*diag));
	TRY(find_file(name, len, &f));
	uint64_t fl = spin_lock_irqsave(&lock);
	struct sip_image *img = cache_find_locked(f.data);
	if (img) {
		img->refs++;
		img->last_used = ++use_clock;
	}
	spin_unlock_irqrestore(&lock, fl);
	if (img) {
		*out = img;
		return ERR_OK;
	}
	char base[SIP_NAME_MAX];
	isola_snprintf(base, sizeof(base), "%.*s", (int)len, name);
	TRY(create_evicting(base, &f, &img, diag));
	*out = cache_insert(img);
	return ERR_OK;
}

void image_stats(struct image_stats *out)
{
	uint64_t fl = spin_lock_irqsave(&lock);
	out->cached = ncached;
	out->evicted = nevicted;
	spin_unlock_irqrestore(&lock, fl);
	out->bytes = __atomic_load_n(&kimage_pool()->used, __ATOMIC_RELAXED);
	out->cap = kimage_pool()->cap;
}

size_t image_report(char *buf, size_t len)
{
	const uint8_t *base;
	size_t size, cursor = 0, n = 0;
	struct initrd_file f;
	if (!initrd_image(&base, &size))
		return 0;
	while (initrd_next(base, size, &cursor, &f) == ERR_OK) {
		size_t nl = strlen(f.name);
		if (nl < 10 || memcmp(f.name, "sips/", 5) != 0 ||
		    memcmp(f.name + nl - 4, ".sip", 4) != 0)
			continue;
		uint64_t fl = spin_lock_irqsave(&lock);
		bool cached = cache_find_locked(f.data) != NULL;
		spin_unlock_irqrestore(&lock, fl);
		isola_appendf(buf, len, &n,
			      "%-16.*s %7zu bytes  %s\n", (int)(nl - 9),
			      f.name + 5, f.size,
			      cached ? "verified" : "not loaded yet");
	}
	return n;
}
