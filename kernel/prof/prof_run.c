// SPDX-License-Identifier: MIT
// The profiler's portable core: a run's fixed buffers (samples, and the
// wasm functions they name) and the report that aggregates them by
// location and prints the top rows. Kernel symbols come through a
// callback, so the host tests use a fake table. Design: docs/profiling.md.
#include <isola/fmt.h>
#include <isola/vf_names.h>
#include <prof.h>
#include <string.h>

void prof_copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool prof_run_add(struct prof_run *r, const struct prof_sample *s,
		  uint32_t *index)
{
	if (r->n >= r->cap) {
		r->dropped++;
		return false;
	}
	r->samples[r->n] = *s;
	*index = r->n++;
	return true;
}

bool prof_run_find(const struct prof_run *r, const char *sip, uint32_t func,
		   uint32_t *index)
{
	for (uint32_t i = 0; i < r->nplaces; i++) {
		const struct prof_place *p = &r->places[i];
		if (p->func == func && strncmp(p->sip, sip, PROF_CTX_MAX - 1) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

bool prof_run_place_named(struct prof_run *r, const char *sip, uint32_t func,
			  const char *name, uint32_t *index)
{
	if (prof_run_find(r, sip, func, index))
		return true;
	if (r->nplaces >= r->places_cap) {
		r->places_dropped++;
		return false;
	}
	struct prof_place *p = &r->places[r->nplaces];
	memset(p, 0, sizeof(*p));
	prof_copy_name(p->sip, sip, PROF_CTX_MAX);
	p->func = func;
	prof_copy_name(p->name, name, PROF_FUNC_MAX);
	*index = r->nplaces++;
	return true;
}

bool prof_run_place(struct prof_run *r, const char *sip, uint32_t func,
		    const uint8_t *bytes, size_t size, uint32_t *index)
{
	char name[VF_FUNC_NAME_MAX + 1] = "";
	if (!prof_run_find(r, sip, func, index) && bytes)
		(void)vf_func_name_lookup(bytes, size, func, name); // "" if none
	return prof_run_place_named(r, sip, func, name, index);
}

// Does sample s belong to row e?
static bool entry_matches(const struct prof_entry *e, const struct prof_sample *s,
			  const char *func)
{
	if (e->kind != s->kind)
		return false;
	if (s->kind == PROF_WASM)
		return e->place == s->place;
	return e->func == func && e->irqoff == s->irqoff &&
	       strncmp(e->ctx, s->ctx, PROF_CTX_MAX) == 0;
}

// Sums the samples into rows; returns the number of rows, *other the
// samples that found no free row.
static size_t aggregate(const struct prof_run *r, prof_sym_fn sym, void *sym_ctx,
			struct prof_entry *e, size_t ne, uint64_t *other)
{
	size_t n = 0;
	*other = 0;
	for (uint32_t i = 0; i < r->n; i++) {
		const struct prof_sample *s = &r->samples[i];
		const char *func = NULL;
		if (s->kind == PROF_KERNEL && !sym(sym_ctx, s->pc, &func))
			func = NULL;
		size_t k = 0;
		while (k < n && !entry_matches(&e[k], s, func))
			k++;
		if (k == n && n == ne) {
			(*other)++;
			continue;
		}
		if (k == n)
			e[n++] = (struct prof_entry){ func, s->ctx, s->place, s->kind,
						      s->irqoff, 0 };
		e[k].count++;
	}
	return n;
}

// Moves the top rows (by count, then first seen) to the front.
static void sort_top(struct prof_entry *e, size_t n, size_t top)
{
	for (size_t i = 0; i < n && i < top; i++) {
		size_t best = i;
		for (size_t j = i + 1; j < n; j++)
			if (e[j].count > e[best].count)
				best = j;
		struct prof_entry t = e[best];
		memmove(&e[i + 1], &e[i], (best - i) * sizeof(*e));
		e[i] = t;
	}
}

// One row: share of total (not 0), samples, where.
static void put_row(const struct prof_run *r, const struct prof_entry *e,
		    uint64_t total, char *buf, size_t len, size_t *used)
{
	uint64_t tenths = (uint64_t)e->count * 1000 / total;
	isola_appendf(buf, len, used, "prof: %3lu.%lu%% %7lu  ",
		      (unsigned long)(tenths / 10), (unsigned long)(tenths % 10),
		      (unsigned long)e->count);
	if (e->kind == PROF_KERNEL) {
		isola_appendf(buf, len, used, "kernel %s%s [%.*s]\n",
			      e->func ? e->func : "?", e->irqoff ? " (irq-off end)" : "",
			      (int)PROF_CTX_MAX, e->ctx);
		return;
	}
	if (e->kind == PROF_WASM_PENDING) {
		isola_appendf(buf, len, used, "wasm   %.*s:? (no poll point reached)\n",
			      (int)PROF_CTX_MAX, e->ctx);
		return;
	}
	const struct prof_place *p = &r->places[e->place];
	if (p->name[0])
		isola_appendf(buf, len, used, "wasm   %s:%s\n", p->sip, p->name);
	else
		isola_appendf(buf, len, used, "wasm   %s:func %lu\n", p->sip,
			      (unsigned long)p->func);
}

size_t prof_report(const struct prof_run *r, prof_sym_fn sym, void *sym_ctx,
		   struct prof_entry *scratch, size_t nscratch, unsigned top,
		   char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	isola_appendf(buf, len, &used,
		      "prof: %lu samples at %lu Hz, %lu dropped (buffer full)\n",
		      (unsigned long)r->n, (unsigned long)r->hz,
		      (unsigned long)r->dropped);
	uint64_t total = r->n; // read once: the divisor of every share
	if (total == 0) {
		isola_appendf(buf, len, &used, "prof: no samples\n");
		return used;
	}
	uint64_t other;
	size_t n = aggregate(r, sym, sym_ctx, scratch, nscratch, &other);
	sort_top(scratch, n, top);
	isola_appendf(buf, len, &used, "prof:  share samples  where\n");
	uint64_t rest = other;
	for (size_t i = 0; i < n; i++) {
		if (i < top)
			put_row(r, &scratch[i], total, buf, len, &used);
		else
			rest += scratch[i].count;
	}
	if (rest)
		isola_appendf(buf, len, &used, "prof: %lu samples in %lu other places\n",
			      (unsigned long)rest,
			      (unsigned long)(n > top ? n - top : 0) + (other ? 1 : 0));
	if (r->places_dropped)
		isola_appendf(buf, len, &used, "prof: %lu wasm samples unnamed (places full)\n",
			      (unsigned long)r->places_dropped);
	return used;
}
