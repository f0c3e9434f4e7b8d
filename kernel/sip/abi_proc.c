// SPDX-License-Identifier: MIT
// The process part of the ABI, for holders of a process-manager
// capability: open a verified image, read its manifest, spawn a SIP from
// it with its initial endpoints and the capabilities the caller grants,
// kill, wait, and read the kernel's reports. A process manager is scoped:
// HANDLE_KIND_PM reaches only the holder's own children,
// HANDLE_KIND_PM_SYSTEM every SIP. Also the serial port, for a holder of
// the serial capability. docs/security.md has the model.
#include "abi_internal.h"

#include <isola/fmt.h>
#include <console.h>
#include <initrd.h>
#include <klog.h>
#include <kmem.h>
#include <latency.h>
#include <string.h>

// The signatures come from common/include/isola/abi.def (abi.c defines
// them), so the binding table cannot disagree with the verifier's check.
#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }


#define REPORT_MAX 8192
#define SERIAL_CHUNK 64 // bytes written under the log lock at once

isola_err_t abi_pm_scope(struct sip *s, uint32_t h, uint32_t *parent)
{
	void *pm;
	if (handle_get(&s->handles, h, HANDLE_KIND_PM_SYSTEM, &pm) == ERR_OK) {
		*parent = 0;
		return ERR_OK;
	}
	if (handle_get(&s->handles, h, HANDLE_KIND_PM, &pm) == ERR_OK) {
		*parent = s->id;
		return ERR_OK;
	}
	return ERR_ABI_DENIED;
}

isola_err_t abi_need_pm(struct sip *s, uint32_t h)
{
	uint32_t parent;
	return abi_pm_scope(s, h, &parent);
}

// Copies text into the SIP's buffer (cut to len, NUL-terminated if room).
static isola_err_t put_text(struct sip *s, uint32_t ptr, uint32_t len,
			    const char *text, size_t n)
{
	uint8_t *p = abi_user(s, ptr, len);
	if (!p)
		return ERR_ABI_RANGE;
	size_t k = n < len ? n : len;
	memcpy(p, text, k);
	if (k < len)
		p[k] = 0;
	return ERR_OK;
}

// image_open(pm, name, name_len, diag, diag_len) -> handle | -err
static isola_err_t abi_image_open(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(abi_need_pm(s, (uint32_t)a[0]));
	uint32_t len = (uint32_t)a[2];
	const char *name = (const char *)abi_user(s, (uint32_t)a[1], len);
	if (!name || !abi_user(s, (uint32_t)a[3], (uint32_t)a[4]))
		return ERR_ABI_RANGE;
	if (s->images >= SIP_IMAGES_MAX)
		return abi_ret_err(a, ERR_LIMIT);
	struct sip_image *img;
	struct vf_diag d;
	isola_err_t err = image_open(name, len, &img, &d);
	if (err == ERR_SIP_REJECTED) {
		char text[160];
		int n = isola_snprintf(text, sizeof(text), "%s%s%s (offset %#x)",
				       isola_err_message(d.code),
				       d.detail[0] ? ": " : "", d.detail, d.offset);
		TRY(put_text(s, (uint32_t)a[3], (uint32_t)a[4], text,
			     n > 0 ? (size_t)n : 0));
	}
	if (err != ERR_OK)
		return abi_ret_err(a, err);
	uint32_t h;
	err = handle_insert(&s->handles, HANDLE_KIND_IMAGE, img, &h);
	if (err != ERR_OK) {
		image_put(img);
		return abi_ret_err(a, err);
	}
	s->images++;
	a[0] = h;
	return ERR_OK;
}

// image_manifest(img, buf, len) -> full length
static isola_err_t abi_image_manifest(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct sip_image *img;
	TRY(handle_get(&s->handles, (uint32_t)a[0], HANDLE_KIND_IMAGE, (void **)&img));
	uint32_t len = (uint32_t)a[2];
	uint8_t *p = abi_user(s, (uint32_t)a[1], len);
	if (!p)
		return ERR_ABI_RANGE;
	size_t n = img->manifest_len < len ? img->manifest_len : len;
	if (n)
		memcpy(p, img->manifest_text, n);
	a[0] = img->manifest_len;
	return ERR_OK;
}

// image_close(img) -> 0
static isola_err_t abi_image_close(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct sip_image *img;
	TRY(handle_take(&s->handles, (uint32_t)a[0], HANDLE_KIND_IMAGE, (void **)&img));
	image_put(img);
	s->images--;
	a[0] = 0;
	return ERR_OK;
}

// The endpoint h names: a handle, or the key of an endpoint parked in the
// SIP's endpoint set (kind says which).
static isola_err_t spawn_endpoint(struct sip *s, uint32_t h,
				  struct chan_endpoint **ep, uint16_t *kind)
{
	*kind = HANDLE_KIND_ENDPOINT;
	isola_err_t err = handle_get(&s->handles, h, *kind, (void **)ep);
	if (err != ERR_HANDLE_KIND)
		return err;
	*kind = HANDLE_KIND_PARKED;
	return handle_get(&s->handles, h, *kind, (void **)ep);
}

// The capability of kind (or, for a process manager, either scope) that
// h names in s's table: what s passes on. h == 0 grants nothing (a
// process-manager slot then gets one scoped to the child's own children;
// a hardware slot stays empty and the spawn is refused). A bad handle
// stops the caller.
static isola_err_t spawn_cap(struct sip *s, uint32_t h, uint16_t kind,
			     struct sip_grant *g)
{
	void *obj;
	*g = (struct sip_grant){ kind == HANDLE_KIND_PM ? kind : HANDLE_KIND_NONE, NULL };
	if (h == 0)
		return ERR_OK;
	if (kind == HANDLE_KIND_PM &&
	    handle_get(&s->handles, h, HANDLE_KIND_PM_SYSTEM, &obj) == ERR_OK) {
		g->kind = HANDLE_KIND_PM_SYSTEM;
		return ERR_OK;
	}
	TRY(handle_get(&s->handles, h, kind, &obj));
	g->kind = kind;
	return ERR_OK;
}

// Looks up the spawn's handles or keys, one per slot of the manifest:
// endpoints to give up, capabilities to pass on. kinds[i] is how the
// caller holds slot i's endpoint (a handle, or a key).
static isola_err_t spawn_grants(struct sip *s, const struct sip_image *img,
				const uint8_t *hp, uint32_t n,
				struct sip_grant *g, uint16_t *kinds)
{
	if (n != img->nslots)
		return ERR_SIP_ENDPOINTS;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		memcpy(&h, hp + 4 * i, 4);
		kinds[i] = HANDLE_KIND_NONE;
		if (img->eps[i].kind != HANDLE_KIND_ENDPOINT) {
			TRY(spawn_cap(s, h, img->eps[i].kind, &g[i]));
			continue;
		}
		g[i].kind = HANDLE_KIND_ENDPOINT;
		TRY(spawn_endpoint(s, h, &g[i].ep, &kinds[i]));
	}
	return ERR_OK;
}

// proc_spawn(img, args, args_len, eps, n_eps) -> id | -err
static isola_err_t abi_spawn(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct sip_image *img;
	TRY(handle_get(&s->handles, (uint32_t)a[0], HANDLE_KIND_IMAGE, (void **)&img));
	uint32_t alen = (uint32_t)a[2], n = (uint32_t)a[4];
	const char *args = (const char *)abi_user(s, (uint32_t)a[1], alen);
	const uint8_t *hp = abi_user(s, (uint32_t)a[3], (uint64_t)n * 4);
	if (!args || !hp)
		return ERR_ABI_RANGE;
	if (alen > SIP_ARGS_MAX)
		return abi_ret_err(a, ERR_RANGE);
	struct sip_grant g[SIP_MAX_SLOTS];
	uint16_t kinds[SIP_MAX_SLOTS];
	if (n > SIP_MAX_SLOTS)
		return abi_ret_err(a, ERR_SIP_ENDPOINTS);
	isola_err_t err = spawn_grants(s, img, hp, n, g, kinds);
	if (err == ERR_SIP_ENDPOINTS)
		return abi_ret_err(a, err);
	TRY(err); // a bad handle stops the caller
	uint32_t id;
	err = sip_start(img, args, alen, g, n, sip_xo(s), s->id, &id);
	if (err != ERR_OK) {
		// Nothing moved: the endpoints are the caller's again, and its
		// waits (chan_select, eset_select, chan_recv) must wake on them.
		for (uint32_t i = 0; i < n; i++)
			if (g[i].ep && chan_endpoint_owner(g[i].ep) == sip_xo(s))
				kchan_set_waiter(g[i].ep, &s->wq);
		return abi_ret_err(a, err);
	}
	// The endpoints now belong to the new SIP: the caller's handles and
	// keys die. Capabilities were copied: the caller keeps its own.
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		void *gone;
		memcpy(&h, hp + 4 * i, 4);
		if (g[i].ep)
			(void)handle_take(&s->handles, h, kinds[i], &gone);
	}
	a[0] = id;
	return ERR_OK;
}

// proc_kill(pm, id) -> 0 | -ERR_NOTFOUND | -ERR_SIP_NOT_CHILD
static isola_err_t abi_kill(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t parent;
	TRY(abi_pm_scope(s, (uint32_t)a[0], &parent));
	isola_err_t err = sip_kill((uint32_t)a[1], parent);
	return err == ERR_OK ? (a[0] = 0, ERR_OK) : abi_ret_err(a, err);
}

// proc_wait(pm, id, timeout_ns, status_out) -> 0 | -err
static isola_err_t abi_wait(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t parent;
	TRY(abi_pm_scope(s, (uint32_t)a[0], &parent));
	uint8_t *out = abi_user(s, (uint32_t)a[3], 8);
	if (!out)
		return ERR_ABI_RANGE;
	if ((uint32_t)a[1] == s->id)
		return abi_ret_err(a, ERR_INVAL);
	enum sip_state st;
	int32_t code;
	isola_err_t err = sip_wait_until((uint32_t)a[1], abi_deadline((int64_t)a[2]),
					 s, parent, &st, &code);
	if (err == ERR_ENG_KILLED)
		return err;
	if (err != ERR_OK)
		return abi_ret_err(a, err);
	int32_t v[2] = { (int32_t)st, code };
	memcpy(out, v, 8);
	a[0] = 0;
	return ERR_OK;
}

// sys_info(pm, what, buf, len) -> full length
static isola_err_t abi_sys_info(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t parent;
	TRY(abi_pm_scope(s, (uint32_t)a[0], &parent));
	uint32_t len = (uint32_t)a[3];
	if (!abi_user(s, (uint32_t)a[2], len))
		return ERR_ABI_RANGE;
	// A new latency measurement is the system's to start.
	if ((uint32_t)a[1] == 5 && parent != 0)
		return abi_ret_err(a, ERR_SIP_NOT_CHILD);
	char *text = kmalloc(REPORT_MAX);
	if (!text)
		return abi_ret_err(a, ERR_NOMEM);
	size_t n;
	switch ((uint32_t)a[1]) {
	case 0: n = sip_report(text, REPORT_MAX); break;
	case 1: n = sip_memory_report(text, REPORT_MAX); break;
	case 2: n = kcontracts_report(text, REPORT_MAX); break;
	case 3: n = image_report(text, REPORT_MAX); break;
	case 4: n = latency_report(text, REPORT_MAX, false); break;
	case 5: n = latency_report(text, REPORT_MAX, true); break;
	default:
		kfree(text);
		return abi_ret_err(a, ERR_INVAL);
	}
	n = n < REPORT_MAX ? n : REPORT_MAX - 1;
	isola_err_t err = put_text(s, (uint32_t)a[2], len, text, n);
	kfree(text);
	a[0] = n;
	return err;
}

// initrd_read(pm, name, name_len, buf, len) -> the file's size | -err:
// copies the start of an initrd file (configuration, text).
static isola_err_t abi_initrd_read(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(abi_need_pm(s, (uint32_t)a[0]));
	uint32_t nlen = (uint32_t)a[2], len = (uint32_t)a[4];
	const char *name = (const char *)abi_user(s, (uint32_t)a[1], nlen);
	uint8_t *dst = abi_user(s, (uint32_t)a[3], len);
	if (!name || !dst)
		return ERR_ABI_RANGE;
	const uint8_t *base;
	size_t size;
	char path[INITRD_NAME_MAX];
	struct initrd_file f;
	if (nlen >= sizeof(path) || memchr(name, 0, nlen) || !initrd_image(&base, &size))
		return abi_ret_err(a, ERR_NOTFOUND);
	memcpy(path, name, nlen);
	path[nlen] = 0;
	if (initrd_find(base, size, path, &f) != ERR_OK)
		return abi_ret_err(a, ERR_NOTFOUND);
	memcpy(dst, f.data, f.size < len ? f.size : len);
	a[0] = f.size > INT32_MAX ? INT32_MAX : f.size;
	return ERR_OK;
}

static isola_err_t need_serial(struct sip *s, uint32_t h)
{
	void *cap;
	return handle_get(&s->handles, h, HANDLE_KIND_SERIAL, &cap) == ERR_OK
		       ? ERR_OK : ERR_ABI_DENIED;
}

// serial_write(cap, ptr, len) -> 0. In chunks: the log lock is taken for
// one chunk at a time, and a kill ends a long write between two.
static isola_err_t abi_serial_write(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(need_serial(s, (uint32_t)a[0]));
	uint32_t len = (uint32_t)a[2];
	const char *p = (const char *)abi_user(s, (uint32_t)a[1], len);
	if (!p)
		return ERR_ABI_RANGE;
	for (uint32_t done = 0; done < len; done += SERIAL_CHUNK) {
		if (s->kill_requested)
			return ERR_ENG_KILLED;
		kputs_raw(p + done, len - done < SERIAL_CHUNK ? len - done : SERIAL_CHUNK);
	}
	a[0] = 0;
	return ERR_OK;
}

// serial_read(cap, buf, len, timeout_ns) -> bytes read (0: timed out).
// Waits in slices so that a kill is seen within one.
static isola_err_t abi_serial_read(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(need_serial(s, (uint32_t)a[0]));
	uint32_t len = (uint32_t)a[2];
	uint8_t *p = abi_user(s, (uint32_t)a[1], len);
	if (!p)
		return ERR_ABI_RANGE;
	uint64_t deadline = abi_deadline((int64_t)a[3]);
	size_t n;
	while ((n = console_read(p, len)) == 0 && len) {
		uint64_t now = arch_time_ns(), slice = now + 10000000ull;
		if (s->kill_requested)
			return ERR_ENG_KILLED;
		if (deadline && now >= deadline)
			break;
		console_wait_input(deadline && deadline < slice ? deadline : slice);
	}
	a[0] = n;
	return ERR_OK;
}

const struct abi_entry abi_proc[] = {
	ABI_ENTRY(image_open, abi_image_open),
	ABI_ENTRY(image_manifest, abi_image_manifest),
	ABI_ENTRY(image_close, abi_image_close),
	ABI_ENTRY(proc_spawn, abi_spawn),
	ABI_ENTRY(proc_kill, abi_kill),
	ABI_ENTRY(proc_wait, abi_wait),
	ABI_ENTRY(sys_info, abi_sys_info),
	ABI_ENTRY(initrd_read, abi_initrd_read),
	ABI_ENTRY(serial_write, abi_serial_write),
	ABI_ENTRY(serial_read, abi_serial_read),
};
const size_t abi_proc_n = ISOLA_ARRAY_LEN(abi_proc);
