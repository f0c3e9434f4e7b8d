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
#include <prof.h>
#include <string.h>

#define REPORT_MAX 8192
#define SERIAL_CHUNK 64 // bytes written under the log lock at once

enum abi_fault abi_decode_pm(struct sip *s, uint32_t h, uint32_t *parent)
{
	void *pm;
	if (handle_get(&s->handles, h, HANDLE_KIND_PM_SYSTEM, &pm) == ERR_OK) {
		*parent = 0;
		return ABI_OK;
	}
	if (handle_get(&s->handles, h, HANDLE_KIND_PM, &pm) == ERR_OK) {
		*parent = s->id;
		return ABI_OK;
	}
	return ABI_FAULT_DENIED;
}

// A text buffer in the SIP's memory.
struct abi_text {
	uint8_t *p;
	uint32_t len;
};

// Copies text into the SIP's buffer (cut to len, NUL-terminated if room).
static void put_text(const struct abi_text *t, const char *text, size_t n)
{
	size_t k = n < t->len ? n : t->len;
	memcpy(t->p, text, k);
	if (k < t->len)
		t->p[k] = 0;
}

// image_open(pm, name, name_len, diag, diag_len) -> handle | -err
struct abi_image_open {
	const char *name;
	uint32_t name_len;
	struct abi_text diag;
};

static enum abi_fault abi_decode_image_open(struct sip *s,
					    const struct abi_in_image_open *in,
					    struct abi_image_open *d)
{
	uint32_t parent;
	enum abi_fault f = abi_decode_pm(s, in->pm, &parent);
	if (f != ABI_OK)
		return f;
	d->name = (const char *)abi_user(s, in->name, in->name_len);
	d->name_len = in->name_len;
	d->diag = (struct abi_text){ abi_user(s, in->diag, in->diag_len), in->diag_len };
	return d->name && d->diag.p ? ABI_OK : ABI_FAULT_RANGE;
}

// The verifier's diagnostic as the SIP reads it: "error CODE ERR_NAME:
// message: detail (offset X)", the code first so that programs and tests
// match on it, never on the message.
static void put_rejection(const struct abi_text *t, const struct vf_diag *dg)
{
	char text[192];
	int n = isola_snprintf(text, sizeof(text), "error %d %s: %s%s%s (offset %#x)",
			       (int)dg->code, isola_err_name(dg->code),
			       isola_err_message(dg->code), dg->detail[0] ? ": " : "",
			       dg->detail, dg->offset);
	put_text(t, text, n > 0 ? (size_t)n : 0);
}

static abi_ret_t abi_invoke_image_open(struct sip *s, struct abi_image_open *d)
{
	if (s->images >= SIP_IMAGES_MAX)
		return ABI_ERR(ERR_LIMIT);
	struct sip_image *img;
	struct vf_diag dg;
	isola_err_t err = image_open(d->name, d->name_len, &img, &dg);
	if (err == ERR_SIP_REJECTED)
		put_rejection(&d->diag, &dg);
	if (err != ERR_OK)
		return ABI_ERR(err);
	uint32_t h;
	err = handle_insert(&s->handles, HANDLE_KIND_IMAGE, img, &h);
	if (err != ERR_OK) {
		image_put(img);
		return ABI_ERR(err);
	}
	s->images++;
	return h;
}
ABI_CALL(image_open, struct abi_image_open, abi_decode_image_open,
	 abi_invoke_image_open)

// image_manifest(img, buf, len) -> full length
struct abi_image_manifest {
	struct sip_image *img;
	struct abi_text buf;
};

static enum abi_fault abi_decode_image_manifest(struct sip *s,
						const struct abi_in_image_manifest *in,
						struct abi_image_manifest *d)
{
	enum abi_fault f = abi_decode_handle(s, in->img, HANDLE_KIND_IMAGE,
					     (void **)&d->img);
	d->buf.len = in->len;
	return f != ABI_OK ? f : abi_decode_user(s, in->buf, in->len, &d->buf.p);
}

static abi_ret_t abi_invoke_image_manifest(struct sip *s,
					   struct abi_image_manifest *d)
{
	size_t n = d->img->manifest_len < d->buf.len ? d->img->manifest_len
						     : d->buf.len;
	(void)s;
	if (n)
		memcpy(d->buf.p, d->img->manifest_text, n);
	return d->img->manifest_len;
}
ABI_CALL(image_manifest, struct abi_image_manifest, abi_decode_image_manifest,
	 abi_invoke_image_manifest)

// image_close(img) -> 0
static enum abi_fault abi_decode_image_close(struct sip *s,
					     const struct abi_in_image_close *in,
					     uint32_t *h)
{
	void *img;
	*h = in->img;
	return abi_decode_handle(s, *h, HANDLE_KIND_IMAGE, &img);
}

static abi_ret_t abi_invoke_image_close(struct sip *s, uint32_t *h)
{
	struct sip_image *img;
	if (handle_take(&s->handles, *h, HANDLE_KIND_IMAGE, (void **)&img) != ERR_OK)
		return 0; // checked by the decoder
	image_put(img);
	s->images--;
	return 0;
}
ABI_CALL(image_close, uint32_t, abi_decode_image_close, abi_invoke_image_close)

// The endpoint h names: a handle, or the key of an endpoint parked in the
// SIP's endpoint set (kind says which).
static enum abi_fault spawn_endpoint(struct sip *s, uint32_t h,
				     struct chan_endpoint **ep, uint16_t *kind)
{
	*kind = HANDLE_KIND_ENDPOINT;
	isola_err_t err = handle_get(&s->handles, h, *kind, (void **)ep);
	if (err != ERR_HANDLE_KIND)
		return abi_handle_fault(err);
	*kind = HANDLE_KIND_PARKED;
	return abi_decode_handle(s, h, *kind, (void **)ep);
}

// The capability of kind (or, for a process manager, either scope) that
// h names in s's table: what s passes on. h == 0 grants nothing (a
// process-manager slot then gets one scoped to the child's own children;
// a hardware slot stays empty and the spawn is refused).
static enum abi_fault spawn_cap(struct sip *s, uint32_t h, uint16_t kind,
				struct sip_grant *g)
{
	void *obj;
	*g = (struct sip_grant){ kind == HANDLE_KIND_PM ? kind : HANDLE_KIND_NONE, NULL };
	if (h == 0)
		return ABI_OK;
	if (kind == HANDLE_KIND_PM &&
	    handle_get(&s->handles, h, HANDLE_KIND_PM_SYSTEM, &obj) == ERR_OK) {
		g->kind = HANDLE_KIND_PM_SYSTEM;
		return ABI_OK;
	}
	enum abi_fault f = abi_decode_handle(s, h, kind, &obj);
	if (f == ABI_OK)
		g->kind = kind;
	return f;
}

// proc_spawn(img, args, args_len, eps, n_eps) -> id | -err. The decoder
// looks up the handles or keys, one per slot of the manifest: endpoints
// to give up, capabilities to pass on (a bad one is a fault). A count
// that does not fit the image is an ordinary failure (refused), and then
// the slots are not looked at.
struct abi_spawn {
	struct sip_image *img;
	const char *args;
	uint32_t args_len, n;
	isola_err_t refused;
	uint32_t hs[SIP_MAX_SLOTS];
	struct sip_grant g[SIP_MAX_SLOTS];
	uint16_t kinds[SIP_MAX_SLOTS]; // how the caller holds each endpoint
};

static enum abi_fault decode_grants(struct sip *s, const uint8_t *hp,
				    struct abi_spawn *d)
{
	for (uint32_t i = 0; i < d->n; i++) {
		enum abi_fault f;
		memcpy(&d->hs[i], hp + 4 * i, 4);
		d->kinds[i] = HANDLE_KIND_NONE;
		if (d->img->eps[i].kind != HANDLE_KIND_ENDPOINT) {
			f = spawn_cap(s, d->hs[i], d->img->eps[i].kind, &d->g[i]);
		} else {
			d->g[i].kind = HANDLE_KIND_ENDPOINT;
			f = spawn_endpoint(s, d->hs[i], &d->g[i].ep, &d->kinds[i]);
		}
		if (f != ABI_OK)
			return f;
	}
	return ABI_OK;
}

static enum abi_fault abi_decode_proc_spawn(struct sip *s,
					    const struct abi_in_proc_spawn *in,
					    struct abi_spawn *d)
{
	enum abi_fault f = abi_decode_handle(s, in->img, HANDLE_KIND_IMAGE,
					     (void **)&d->img);
	if (f != ABI_OK)
		return f;
	d->args_len = in->args_len;
	d->n = in->n_eps;
	d->args = (const char *)abi_user(s, in->args, in->args_len);
	const uint8_t *hp = abi_user(s, in->eps, (uint64_t)in->n_eps * 4);
	if (!d->args || !hp)
		return ABI_FAULT_RANGE;
	d->refused = in->args_len > SIP_ARGS_MAX ? ERR_RANGE
		: in->n_eps > SIP_MAX_SLOTS || in->n_eps != d->img->nslots
			? ERR_SIP_ENDPOINTS : ERR_OK;
	return d->refused == ERR_OK ? decode_grants(s, hp, d) : ABI_OK;
}

static abi_ret_t abi_invoke_proc_spawn(struct sip *s, struct abi_spawn *d)
{
	uint32_t id;
	if (d->refused != ERR_OK)
		return ABI_ERR(d->refused);
	isola_err_t err = sip_start(d->img, d->args, d->args_len, d->g, d->n,
				    sip_xo(s), s->id, &id);
	if (err != ERR_OK) {
		// Nothing moved: the endpoints are the caller's again, and its
		// waits (chan_select, eset_select, chan_recv) must wake on them.
		for (uint32_t i = 0; i < d->n; i++)
			if (d->g[i].ep && chan_endpoint_owner(d->g[i].ep) == sip_xo(s))
				kchan_set_waiter(d->g[i].ep, &s->wq);
		return ABI_ERR(err);
	}
	// The endpoints now belong to the new SIP: the caller's handles and
	// keys die. Capabilities were copied: the caller keeps its own.
	for (uint32_t i = 0; i < d->n; i++) {
		void *gone;
		if (d->g[i].ep)
			(void)handle_take(&s->handles, d->hs[i], d->kinds[i], &gone);
	}
	return id;
}
ABI_CALL(proc_spawn, struct abi_spawn, abi_decode_proc_spawn,
	 abi_invoke_proc_spawn)

// proc_kill(pm, id) -> 0 | -ERR_NOTFOUND | -ERR_SIP_NOT_CHILD
struct abi_target {
	uint32_t parent, id; // the caller's scope (0: every SIP), the SIP
};

static enum abi_fault abi_decode_proc_kill(struct sip *s,
					   const struct abi_in_proc_kill *in,
					   struct abi_target *d)
{
	d->id = in->id;
	return abi_decode_pm(s, in->pm, &d->parent);
}

static abi_ret_t abi_invoke_proc_kill(struct sip *s, struct abi_target *d)
{
	(void)s;
	isola_err_t err = sip_kill(d->id, d->parent);
	return err == ERR_OK ? 0 : ABI_ERR(err);
}
ABI_CALL(proc_kill, struct abi_target, abi_decode_proc_kill, abi_invoke_proc_kill)

// proc_wait(pm, id, timeout_ns, status_out) -> 0 | -err
struct abi_wait {
	struct abi_target t;
	int64_t timeout_ns;
	uint8_t *out;
};

static enum abi_fault abi_decode_proc_wait(struct sip *s,
					   const struct abi_in_proc_wait *in,
					   struct abi_wait *d)
{
	d->t.id = in->id;
	d->timeout_ns = in->timeout_ns;
	enum abi_fault f = abi_decode_pm(s, in->pm, &d->t.parent);
	return f != ABI_OK ? f : abi_decode_user(s, in->status_out, 8, &d->out);
}

static abi_ret_t abi_invoke_proc_wait(struct sip *s, struct abi_wait *d)
{
	if (d->t.id == s->id)
		return ABI_ERR(ERR_INVAL);
	enum sip_state st;
	int32_t code;
	isola_err_t err = sip_wait_until(d->t.id, abi_deadline(d->timeout_ns), s,
					 d->t.parent, &st, &code);
	if (err != ERR_OK)
		return ABI_ERR(err); // killed too: the call then ends the SIP
	int32_t v[2] = { (int32_t)st, code };
	memcpy(d->out, v, 8);
	return 0;
}
ABI_CALL(proc_wait, struct abi_wait, abi_decode_proc_wait, abi_invoke_proc_wait)

// sys_info(pm, what, buf, len) -> full length
struct abi_sys_info {
	uint32_t parent, what;
	struct abi_text buf;
};

static enum abi_fault abi_decode_sys_info(struct sip *s,
					  const struct abi_in_sys_info *in,
					  struct abi_sys_info *d)
{
	d->what = in->what;
	d->buf.len = in->len;
	enum abi_fault f = abi_decode_pm(s, in->pm, &d->parent);
	return f != ABI_OK ? f : abi_decode_user(s, in->buf, in->len, &d->buf.p);
}

// Report what into text; false for an unknown what.
static bool sys_report(uint32_t what, char *text, size_t *n)
{
	switch (what) {
	case 0: *n = sip_report(text, REPORT_MAX); return true;
	case 1: *n = sip_memory_report(text, REPORT_MAX); return true;
	case 2: *n = kcontracts_report(text, REPORT_MAX); return true;
	case 3: *n = image_report(text, REPORT_MAX); return true;
	case 4: *n = latency_report(text, REPORT_MAX, false); return true;
	case 5: *n = latency_report(text, REPORT_MAX, true); return true;
	default: return false;
	}
}

static abi_ret_t abi_invoke_sys_info(struct sip *s, struct abi_sys_info *d)
{
	(void)s;
	// A new latency measurement is the system's to start.
	if (d->what == 5 && d->parent != 0)
		return ABI_ERR(ERR_SIP_NOT_CHILD);
	char *text = kmalloc(REPORT_MAX);
	if (!text)
		return ABI_ERR(ERR_NOMEM);
	size_t n;
	bool known = sys_report(d->what, text, &n);
	if (known) {
		n = n < REPORT_MAX ? n : REPORT_MAX - 1;
		put_text(&d->buf, text, n);
	}
	kfree(text);
	return known ? (abi_ret_t)n : ABI_ERR(ERR_INVAL);
}
ABI_CALL(sys_info, struct abi_sys_info, abi_decode_sys_info, abi_invoke_sys_info)

// prof_ctl(pm, op, buf, len) -> 0 | the report's full length | -err: the
// sampling profiler (docs/profiling.md), the system's to control: it
// sees every SIP's code.
struct abi_prof_ctl {
	uint32_t parent, op;
	struct abi_text buf;
};

static enum abi_fault abi_decode_prof_ctl(struct sip *s,
					  const struct abi_in_prof_ctl *in,
					  struct abi_prof_ctl *d)
{
	d->op = in->op;
	d->buf.len = in->len;
	enum abi_fault f = abi_decode_pm(s, in->pm, &d->parent);
	return f != ABI_OK ? f : abi_decode_user(s, in->buf, in->len, &d->buf.p);
}

static abi_ret_t prof_ctl_show(struct abi_prof_ctl *d)
{
	char *text = kmalloc(REPORT_MAX);
	if (!text)
		return ABI_ERR(ERR_NOMEM);
	size_t n;
	isola_err_t err = prof_show(text, REPORT_MAX, PROF_TOP_DEFAULT, &n);
	if (err == ERR_OK) {
		n = n < REPORT_MAX ? n : REPORT_MAX - 1;
		put_text(&d->buf, text, n);
	}
	kfree(text);
	return err == ERR_OK ? (abi_ret_t)n : ABI_ERR(err);
}

static abi_ret_t abi_invoke_prof_ctl(struct sip *s, struct abi_prof_ctl *d)
{
	(void)s;
	if (d->parent != 0) // a scoped process manager: not the system's
		return ABI_ERR(ERR_ABI_DENIED);
	switch (d->op) {
	case ABI_PROF_START: {
		isola_err_t err = prof_start();
		return err == ERR_OK ? 0 : ABI_ERR(err);
	}
	case ABI_PROF_STOP: {
		isola_err_t err = prof_stop();
		return err == ERR_OK ? 0 : ABI_ERR(err);
	}
	case ABI_PROF_SHOW:
		return prof_ctl_show(d);
	default:
		return ABI_ERR(ERR_INVAL);
	}
}
ABI_CALL(prof_ctl, struct abi_prof_ctl, abi_decode_prof_ctl, abi_invoke_prof_ctl)

// initrd_read(pm, name, name_len, buf, len) -> the file's size | -err:
// copies the start of an initrd file (configuration, text).
struct abi_initrd_read {
	const char *name;
	uint32_t name_len;
	struct abi_text buf;
};

static enum abi_fault abi_decode_initrd_read(struct sip *s,
					     const struct abi_in_initrd_read *in,
					     struct abi_initrd_read *d)
{
	uint32_t parent;
	enum abi_fault f = abi_decode_pm(s, in->pm, &parent);
	if (f != ABI_OK)
		return f;
	d->name_len = in->name_len;
	d->name = (const char *)abi_user(s, in->name, in->name_len);
	d->buf = (struct abi_text){ abi_user(s, in->buf, in->len), in->len };
	return d->name && d->buf.p ? ABI_OK : ABI_FAULT_RANGE;
}

static abi_ret_t abi_invoke_initrd_read(struct sip *s, struct abi_initrd_read *d)
{
	const uint8_t *base;
	size_t size;
	char path[INITRD_NAME_MAX];
	struct initrd_file f;
	(void)s;
	if (d->name_len >= sizeof(path) || memchr(d->name, 0, d->name_len) ||
	    !initrd_image(&base, &size))
		return ABI_ERR(ERR_NOTFOUND);
	memcpy(path, d->name, d->name_len);
	path[d->name_len] = 0;
	if (initrd_find(base, size, path, &f) != ERR_OK)
		return ABI_ERR(ERR_NOTFOUND);
	memcpy(d->buf.p, f.data, f.size < d->buf.len ? f.size : d->buf.len);
	return f.size > INT32_MAX ? INT32_MAX : (abi_ret_t)f.size;
}
ABI_CALL(initrd_read, struct abi_initrd_read, abi_decode_initrd_read,
	 abi_invoke_initrd_read)

// The serial capability h names and a buffer: ABI_FAULT_DENIED if h is
// not the serial capability.
static enum abi_fault decode_serial(struct sip *s, uint32_t h, uint32_t ptr,
				    uint32_t len, struct abi_text *t)
{
	void *cap;
	if (handle_get(&s->handles, h, HANDLE_KIND_SERIAL, &cap) != ERR_OK)
		return ABI_FAULT_DENIED;
	t->len = len;
	return abi_decode_user(s, ptr, len, &t->p);
}

// serial_write(cap, ptr, len) -> 0. In chunks: the log lock is taken for
// one chunk at a time, and a kill ends a long write between two.
static enum abi_fault abi_decode_serial_write(struct sip *s,
					      const struct abi_in_serial_write *in,
					      struct abi_text *d)
{
	return decode_serial(s, in->cap, in->ptr, in->len, d);
}

static abi_ret_t abi_invoke_serial_write(struct sip *s, struct abi_text *d)
{
	for (uint32_t done = 0; done < d->len; done += SERIAL_CHUNK) {
		if (s->kill_requested)
			return ABI_ERR(ERR_ENG_KILLED);
		kputs_raw((const char *)d->p + done,
			  d->len - done < SERIAL_CHUNK ? d->len - done : SERIAL_CHUNK);
	}
	return 0;
}
ABI_CALL(serial_write, struct abi_text, abi_decode_serial_write,
	 abi_invoke_serial_write)

// serial_read(cap, buf, len, timeout_ns) -> bytes read (0: timed out).
// Waits in slices so that a kill is seen within one.
struct abi_serial_read {
	struct abi_text buf;
	uint64_t deadline;
};

static enum abi_fault abi_decode_serial_read(struct sip *s,
					     const struct abi_in_serial_read *in,
					     struct abi_serial_read *d)
{
	enum abi_fault f = decode_serial(s, in->cap, in->buf, in->len, &d->buf);
	d->deadline = f == ABI_OK ? abi_deadline(in->timeout_ns) : 0;
	return f;
}

static abi_ret_t abi_invoke_serial_read(struct sip *s, struct abi_serial_read *d)
{
	size_t n;
	while ((n = console_read(d->buf.p, d->buf.len)) == 0 && d->buf.len) {
		uint64_t now = arch_time_ns(), slice = now + 10000000ull;
		if (s->kill_requested)
			return ABI_ERR(ERR_ENG_KILLED);
		if (d->deadline && now >= d->deadline)
			break;
		console_wait_input(d->deadline && d->deadline < slice ? d->deadline : slice);
	}
	return (abi_ret_t)n;
}
ABI_CALL(serial_read, struct abi_serial_read, abi_decode_serial_read,
	 abi_invoke_serial_read)

const struct abi_entry abi_proc[] = {
	ABI_ENTRY(image_open),
	ABI_ENTRY(image_manifest),
	ABI_ENTRY(image_close),
	ABI_ENTRY(proc_spawn),
	ABI_ENTRY(proc_kill),
	ABI_ENTRY(proc_wait),
	ABI_ENTRY(sys_info),
	ABI_ENTRY(prof_ctl),
	ABI_ENTRY(initrd_read),
	ABI_ENTRY(serial_write),
	ABI_ENTRY(serial_read),
};
const size_t abi_proc_n = ISOLA_ARRAY_LEN(abi_proc);
