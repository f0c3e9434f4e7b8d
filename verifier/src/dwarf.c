// SPDX-License-Identifier: MIT
// Mapping a code offset to a source line through the module's DWARF line
// table (.debug_line, versions 2 to 5, 32- and 64-bit formats), so that
// diagnostics can say file:line. Works on the raw bytes, because the module
// it serves may just have been rejected: every read is bounds-checked and
// a malformed table simply yields "no line". In wasm, DWARF addresses are
// offsets from the start of the code section's payload.
#include <isola/verifier.h>

#include "raw.h"

#include <string.h>

struct dw_rd {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t dw_fixed(struct dw_rd *r, unsigned n)
{
	uint64_t v = 0;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return v;
}

static uint64_t dw_uleb(struct dw_rd *r)
{
	uint64_t v = 0;

	for (unsigned shift = 0; !r->bad && r->p < r->end; shift += 7) {
		uint8_t b = *r->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static int64_t dw_sleb(struct dw_rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	do {
		if (r->bad || r->p >= r->end) {
			r->bad = true;
			return 0;
		}
		b = *r->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

// A NUL-terminated string in place.
static const char *dw_cstr(struct dw_rd *r, uint32_t *len)
{
	const uint8_t *s = r->p;
	size_t max = r->bad ? 0 : (size_t)(r->end - r->p);
	size_t n = strnlen((const char *)s, max);

	if (n == max) {
		r->bad = true;
		return NULL;
	}
	r->p += n + 1;
	*len = (uint32_t)n;
	return (const char *)s;
}

// The custom sections the line table needs, found by walking the sections.
struct dw_secs {
	struct dw_rd line, line_str, str;
};

static void dw_find_sections(const uint8_t *bytes, size_t size, struct dw_secs *s)
{
	struct vf_raw mod = vf_raw_sections(bytes, size), name, sec;

	memset(s, 0, sizeof(*s));
	while (vf_raw_next_custom(&mod, &name, &sec)) {
		size_t n = (size_t)(name.end - name.p);
		struct dw_rd r = {sec.p, sec.end, false};
		if (n == 11 && memcmp(name.p, ".debug_line", 11) == 0)
			s->line = r;
		else if (n == 15 && memcmp(name.p, ".debug_line_str", 15) == 0)
			s->line_str = r;
		else if (n == 10 && memcmp(name.p, ".debug_str", 10) == 0)
			s->str = r;
	}
}

// One line-number program's header (the parts the lookup needs).
struct dw_unit {
	unsigned version, offset_size;
	uint8_t min_len, line_range, opcode_base;
	int8_t line_base;
	bool is_dwarf5;
	const uint8_t *std_lens;
	const uint8_t *dirs, *files; // the tables, re-read on a hit
	const uint8_t *prog, *end;
};

// ---- file names -----------------------------------------------------------

// A string at offset off of section sec (.debug_line_str or .debug_str).
static const char *dw_strp(const struct dw_rd *sec, uint64_t off, uint32_t *len)
{
	if (sec->p == NULL || off >= (uint64_t)(sec->end - sec->p))
		return NULL;
	struct dw_rd r = {sec->p + off, sec->end, false};
	return dw_cstr(&r, len);
}

// Reads one attribute of form `form`: a string (*str) or a number (*num).
static bool dw_form(struct dw_rd *r, uint64_t form, const struct dw_unit *u,
		    const struct dw_secs *s, const char **str, uint32_t *slen,
		    uint64_t *num)
{
	switch (form) {
	case 0x08: *str = dw_cstr(r, slen); break;		  // string
	case 0x1f: *str = dw_strp(&s->line_str, dw_fixed(r, u->offset_size), slen); break;
	case 0x0e: *str = dw_strp(&s->str, dw_fixed(r, u->offset_size), slen); break;
	case 0x0f: *num = dw_uleb(r); break;			  // udata
	case 0x0b: *num = dw_fixed(r, 1); break;		  // data1
	case 0x05: *num = dw_fixed(r, 2); break;		  // data2
	case 0x06: *num = dw_fixed(r, 4); break;		  // data4
	case 0x07: *num = dw_fixed(r, 8); break;		  // data8
	case 0x1e: dw_fixed(r, 8), dw_fixed(r, 8); break;	  // data16
	case 0x09: {						  // block
		uint64_t n = dw_uleb(r);
		if (n > (uint64_t)(r->end - r->p))
			return false;
		r->p += n;
		break;
	}
	default: return false;
	}
	return !r->bad;
}

// DWARF 5: an entry-format list then count entries; picks entry `want`'s
// path (content type 1) and directory index (content type 2).
static bool dw_v5_table(struct dw_rd *r, const struct dw_unit *u,
			const struct dw_secs *s, uint64_t want,
			const char **path, uint32_t *plen, uint64_t *dir)
{
	uint64_t fmt[2 * 16];
	unsigned nfmt = (unsigned)dw_fixed(r, 1);

	if (nfmt > 16)
		return false;
	for (unsigned i = 0; i < 2 * nfmt; i++)
		fmt[i] = dw_uleb(r);
	uint64_t count = dw_uleb(r);
	// Every form takes at least one byte: a count the bytes left cannot
	// hold is malformed, which also keeps the loop linear.
	if (count > 0 && (nfmt == 0 || count > (uint64_t)(r->end - r->p)))
		return false;
	for (uint64_t e = 0; e < count && !r->bad; e++) {
		for (unsigned i = 0; i < nfmt; i++) {
			const char *str = NULL;
			uint32_t slen = 0;
			uint64_t num = 0;
			if (!dw_form(r, fmt[2 * i + 1], u, s, &str, &slen, &num))
				return false;
			if (e == want && fmt[2 * i] == 1)
				*path = str, *plen = slen;
			if (e == want && fmt[2 * i] == 2)
				*dir = num;
		}
	}
	return !r->bad;
}

static bool dw_file_v5(const struct dw_unit *u, const struct dw_secs *s,
		       uint64_t file, struct vf_srcpos *out)
{
	struct dw_rd r = {u->dirs, u->prog, false};
	const char *dpath = NULL, *fpath = NULL, *unused;
	uint32_t dlen = 0, flen = 0, ulen;
	uint64_t dir = 0, none;

	// First pass over the directories only to get past them.
	if (!dw_v5_table(&r, u, s, UINT64_MAX, &unused, &ulen, &none) ||
	    !dw_v5_table(&r, u, s, file, &fpath, &flen, &dir))
		return false;
	r = (struct dw_rd){u->dirs, u->prog, false};
	if (!dw_v5_table(&r, u, s, dir, &dpath, &dlen, &none) || !fpath)
		return false;
	*out = (struct vf_srcpos){dpath, dlen, fpath, flen, 0, 0};
	return true;
}

static bool dw_file_v2(const struct dw_unit *u, uint64_t file,
		       struct vf_srcpos *out)
{
	struct dw_rd r = {u->dirs, u->prog, false};
	const char *dirs_at = (const char *)u->dirs, *name;
	uint32_t len;
	uint64_t dir = 0;

	while (!r.bad && dw_cstr(&r, &len) && len > 0)
		;
	for (uint64_t i = 1; !r.bad; i++) {
		name = dw_cstr(&r, &len);
		if (!name || len == 0)
			return false;
		dir = dw_uleb(&r);
		dw_uleb(&r), dw_uleb(&r); // mtime, length
		if (i == file)
			break;
	}
	if (r.bad)
		return false;
	*out = (struct vf_srcpos){NULL, 0, name, len, 0, 0};
	r = (struct dw_rd){(const uint8_t *)dirs_at, u->prog, false};
	for (uint64_t i = 1; i <= dir; i++) {
		const char *d = dw_cstr(&r, &len);
		if (!d || len == 0)
			break;
		if (i == dir)
			out->dir = d, out->dir_len = len;
	}
	return true;
}

// ---- the line program --------------------------------------------------------

struct dw_row {
	uint64_t addr, file, line, col;
};

struct dw_state {
	struct dw_row cur, prev;
	bool have_prev;
	bool found;
	struct dw_row hit;
	uint32_t target;
};

// A row is emitted: the previous row covers [prev.addr, cur.addr).
static void dw_emit(struct dw_state *st, bool end_seq)
{
	if (st->have_prev && !st->found && st->prev.line != 0 &&
	    st->prev.addr <= st->target && st->target < st->cur.addr) {
		st->found = true;
		st->hit = st->prev;
	}
	st->prev = st->cur;
	st->have_prev = !end_seq;
	if (end_seq)
		st->cur = (struct dw_row){0, 1, 1, 0};
}

static void dw_extended(struct dw_rd *r, struct dw_state *st)
{
	uint64_t len = dw_uleb(r);

	if (r->bad || len == 0 || len > (uint64_t)(r->end - r->p)) {
		r->bad = true;
		return;
	}
	const uint8_t *next = r->p + len;
	uint8_t sub = (uint8_t)dw_fixed(r, 1);
	if (sub == 1)
		dw_emit(st, true);
	else if (sub == 2 && len - 1 <= 8)
		st->cur.addr = dw_fixed(r, (unsigned)(len - 1));
	r->p = next;
}

static void dw_standard(struct dw_rd *r, const struct dw_unit *u,
			struct dw_state *st, uint8_t op)
{
	switch (op) {
	case 1: dw_emit(st, false); break;
	case 2: st->cur.addr += dw_uleb(r) * u->min_len; break;
	case 3: st->cur.line += (uint64_t)dw_sleb(r); break;
	case 4: st->cur.file = dw_uleb(r); break;
	case 5: st->cur.col = dw_uleb(r); break;
	case 8:
		st->cur.addr += (uint64_t)((255 - u->opcode_base) / u->line_range) *
				u->min_len;
		break;
	case 9: st->cur.addr += dw_fixed(r, 2); break;
	case 6: case 7: case 10: case 11: break;
	default:
		for (unsigned i = 0; i < u->std_lens[op - 1]; i++)
			dw_uleb(r);
	}
}

// Runs one unit's program; on a hit fills *out and returns true.
static bool dw_run(const struct dw_unit *u, const struct dw_secs *s,
		   uint32_t target, struct vf_srcpos *out)
{
	struct dw_rd r = {u->prog, u->end, false};
	struct dw_state st = {.cur = {0, 1, 1, 0}, .target = target};

	while (!r.bad && r.p < r.end && !st.found) {
		uint8_t op = (uint8_t)dw_fixed(&r, 1);
		if (op >= u->opcode_base) {
			unsigned adj = op - u->opcode_base;
			st.cur.addr += (uint64_t)(adj / u->line_range) * u->min_len;
			st.cur.line += (uint64_t)(int64_t)(u->line_base +
							  (int)(adj % u->line_range));
			dw_emit(&st, false);
		} else if (op == 0) {
			dw_extended(&r, &st);
		} else {
			dw_standard(&r, u, &st, op);
		}
	}
	if (!st.found)
		return false;
	bool ok = u->is_dwarf5 ? dw_file_v5(u, s, st.hit.file, out)
			       : dw_file_v2(u, st.hit.file, out);
	if (!ok)
		return false;
	out->line = (uint32_t)st.hit.line;
	out->column = (uint32_t)st.hit.col;
	return true;
}

static bool dw_header(struct dw_rd *r, struct dw_unit *u)
{
	uint64_t len = dw_fixed(r, 4);

	u->offset_size = 4;
	if (len == 0xffffffffu) {
		len = dw_fixed(r, 8);
		u->offset_size = 8;
	}
	if (r->bad || len > (uint64_t)(r->end - r->p))
		return false;
	u->end = r->p + len;
	struct dw_rd h = {r->p, u->end, false};
	r->p = u->end;
	u->version = (unsigned)dw_fixed(&h, 2);
	if (u->version < 2 || u->version > 5)
		return false;
	u->is_dwarf5 = u->version == 5;
	if (u->is_dwarf5)
		dw_fixed(&h, 2); // address_size, segment_selector_size
	uint64_t hlen = dw_fixed(&h, u->offset_size);
	if (h.bad || hlen > (uint64_t)(h.end - h.p))
		return false;
	u->prog = h.p + hlen;
	u->min_len = (uint8_t)dw_fixed(&h, 1);
	if (u->version >= 4)
		dw_fixed(&h, 1); // maximum_operations_per_instruction
	dw_fixed(&h, 1);	 // default_is_stmt
	u->line_base = (int8_t)dw_fixed(&h, 1);
	u->line_range = (uint8_t)dw_fixed(&h, 1);
	u->opcode_base = (uint8_t)dw_fixed(&h, 1);
	u->std_lens = h.p;
	// The fixed fields and the opcode lengths lie before the program
	// (a header_length too small for them is malformed).
	if (h.bad || u->line_range == 0 || u->opcode_base == 0 ||
	    h.p > u->prog ||
	    (size_t)(u->prog - h.p) < (size_t)u->opcode_base - 1)
		return false;
	u->dirs = h.p + u->opcode_base - 1;
	return true;
}

bool vf_debug_line_lookup(const uint8_t *bytes, size_t size, uint32_t code_off,
			  struct vf_srcpos *out)
{
	struct dw_secs s;

	if (bytes == NULL)
		return false;
	dw_find_sections(bytes, size, &s);
	struct dw_rd r = s.line;
	while (r.p != NULL && !r.bad && r.p < r.end) {
		struct dw_unit u;
		if (!dw_header(&r, &u))
			return false;
		if (dw_run(&u, &s, code_off, out))
			return true;
	}
	return false;
}
