// SPDX-License-Identifier: MIT
// The process part of the ABI, for holders of the process-manager
// capability: open a verified image, read its manifest, spawn a SIP from
// it with its initial endpoints, kill, wait, and read the kernel's reports.
// Also the serial port, for a SIP whose manifest asks for it.
#include "abi_internal.h"

#include <isola/fmt.h>
#include <console.h>
#include <initrd.h>
#include <klog.h>
#include <kmem.h>
#include <string.h>

// The signatures come from common/include/isola/abi.def (abi.c defines
// them), so the binding table cannot disagree with the verifier's check.
#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }


#define REPORT_MAX 8192

isola_err_t abi_need_pm(struct sip *s, uint32_t h)
{
	void *pm;
	isola_err_t err = handle_get(&s->handles, h, HANDLE_KIND_PM, &pm);
	return err == ERR_OK ? ERR_OK : ERR_ABI_DENIED;
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

// Looks up the spawn's endpoint handles or keys: NULL for a
// process-manager line.
static isola_err_t spawn_endpoints(struct sip *s, const struct sip_image *img,
				   const uint8_t *hp, uint32_t n,
				   struct chan_endpoint **eps, uint16_t *kinds)
{
	if (n != img->manifest.nendpoints)
		return ERR_SIP_ENDPOINTS;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		memcpy(&h, hp + 4 * i, 4);
		eps[i] = NULL;
		kinds[i] = HANDLE_KIND_NONE;
		if (!img->eps[i].c)
			TRY(abi_need_pm(s, h));
		else
			TRY(spawn_endpoint(s, h, &eps[i], &kinds[i]));
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
	struct chan_endpoint *eps[SIP_MAX_ENDPOINTS];
	uint16_t kinds[SIP_MAX_ENDPOINTS];
	if (n > SIP_MAX_ENDPOINTS)
		return abi_ret_err(a, ERR_SIP_ENDPOINTS);
	isola_err_t err = spawn_endpoints(s, img, hp, n, eps, kinds);
	if (err == ERR_SIP_ENDPOINTS)
		return abi_ret_err(a, err);
	TRY(err); // a bad handle stops the caller
	uint32_t id;
	err = sip_start(img, args, alen, eps, n, &s->xo, s->id, &id);
	if (err != ERR_OK) {
		// Nothing moved: the endpoints are the caller's again, and its
		// waits (chan_select, eset_select, chan_recv) must wake on them.
		for (uint32_t i = 0; i < n; i++)
			if (eps[i] && chan_endpoint_owner(eps[i]) == &s->xo)
				kchan_set_waiter(eps[i], &s->wq);
		return abi_ret_err(a, err);
	}
	// The endpoints now belong to the new SIP: the caller's handles and
	// keys die.
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		void *gone;
		memcpy(&h, hp + 4 * i, 4);
		if (eps[i])
			(void)handle_take(&s->handles, h, kinds[i], &gone);
	}
	a[0] = id;
	return ERR_OK;
}

// proc_kill(pm, id) -> 0 | -ERR_NOTFOUND
static isola_err_t abi_kill(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(abi_need_pm(s, (uint32_t)a[0]));
	isola_err_t err = sip_kill((uint32_t)a[1]);
	return err == ERR_OK ? (a[0] = 0, ERR_OK) : abi_ret_err(a, err);
}

// proc_wait(pm, id, timeout_ns, status_out) -> 0 | -err
static isola_err_t abi_wait(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(abi_need_pm(s, (uint32_t)a[0]));
	uint8_t *out = abi_user(s, (uint32_t)a[3], 8);
	if (!out)
		return ERR_ABI_RANGE;
	if ((uint32_t)a[1] == s->id)
		return abi_ret_err(a, ERR_INVAL);
	enum sip_state st;
	int32_t code;
	isola_err_t err = sip_wait_until((uint32_t)a[1], abi_deadline((int64_t)a[2]),
					 s, &st, &code);
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
	TRY(abi_need_pm(s, (uint32_t)a[0]));
	uint32_t len = (uint32_t)a[3];
	if (!abi_user(s, (uint32_t)a[2], len))
		return ERR_ABI_RANGE;
	char *text = kmalloc(REPORT_MAX);
	if (!text)
		return abi_ret_err(a, ERR_NOMEM);
	size_t n;
	switch ((uint32_t)a[1]) {
	case 0: n = sip_report(text, REPORT_MAX); break;
	case 1: n = sip_memory_report(text, REPORT_MAX); break;
	case 2: n = kcontracts_report(text, REPORT_MAX); break;
	case 3: n = image_report(text, REPORT_MAX); break;
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

static isola_err_t need_serial(struct sip *s)
{
	return s->image->manifest.hardware & VF_HW_SERIAL ? ERR_OK : ERR_ABI_DENIED;
}

// serial_write(ptr, len) -> 0
static isola_err_t abi_serial_write(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(need_serial(s));
	const char *p = (const char *)abi_user(s, (uint32_t)a[0], (uint32_t)a[1]);
	if (!p)
		return ERR_ABI_RANGE;
	kputs_raw(p, (uint32_t)a[1]);
	a[0] = 0;
	return ERR_OK;
}

// serial_read(buf, len, timeout_ns) -> bytes read (0: timed out). Waits
// in slices so that a kill is seen within one.
static isola_err_t abi_serial_read(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	TRY(need_serial(s));
	uint32_t len = (uint32_t)a[1];
	uint8_t *p = abi_user(s, (uint32_t)a[0], len);
	if (!p)
		return ERR_ABI_RANGE;
	uint64_t deadline = abi_deadline((int64_t)a[2]);
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
