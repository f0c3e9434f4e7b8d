// SPDX-License-Identifier: MIT
// sipverify: the verifier as a command for CI. Reads each FILE (or "-" for
// standard input), decodes and validates it with the same library the
// kernel uses, runs the SIP-level checks and the ownership and protocol
// analysis (sipcheck.h), and reports in text, JSON or SARIF. A module
// without isola.manifest is not a SIP image and is rejected, unless
// --wasm asks for plain WebAssembly too (then it is validated only).
// --strict turns the analysis's notes into errors.
// Exit status: 0 every file accepted, 1 some file rejected, 2 usage or I/O.
#include "report.h"

#include <isola/fmt.h>
#include <isola/manifest.h>
#include <isola/sipcheck.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MiB (1024u * 1024u)

static void usage(FILE *o)
{
	fprintf(o,
		"usage: sipverify [--format=text|json|sarif] [--quiet] [--strict]\n"
		"                 [--no-analysis] [--wasm] [--features=LIST]\n"
		"                 [--mem-cap=MiB] FILE...\n"
		"  FILE may be '-' for standard input.\n"
		"  LIST: mvp, sign-ext, sat-float-to-int, bulk-memory,\n"
		"        mutable-globals, multi-value, all (default: all)\n"
		"  --strict: a handle the analysis cannot follow is an error\n"
		"  --no-analysis: SIP-level checks only, no ownership analysis\n"
		"  --wasm: accept plain WebAssembly: a module without isola.manifest\n"
		"          is validated only (without it, such a module is not a SIP)\n"
		"  --version: print sipverify's version\n"
		"exit: 0 all accepted, 1 some rejected, 2 usage or I/O error\n");
}

struct opts {
	struct report rep;
	uint32_t features;
	size_t mem_cap; // 0: scaled to the input
	uint32_t sip_flags; // VF_SIP_STRICT, VF_SIP_NO_ANALYSIS, VF_SIP_MANIFEST
};

// The system contracts, from contractc's registry files (CMakeLists.txt).
extern const struct contract_registry_entry *const sipverify_system_contracts[];
extern const size_t sipverify_system_contracts_n;

// ---- reading --------------------------------------------------------------

// Reads all of f into *buf; returns 0 or an errno value. Stops one byte
// past the verifier's module size limit: the rest cannot change the verdict.
static int read_all(FILE *f, uint8_t **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0, max = (size_t)VF_MAX_MODULE_SIZE + 1;
	uint8_t *b = malloc(cap);

	if (!b)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return ENOMEM;
			}
			b = nb, cap *= 2;
		}
		size_t want = ISOLA_MIN(cap - n, max - n);
		size_t got = fread(b + n, 1, want, f);
		n += got;
		if (got == 0 || n == max)
			break;
	}
	if (ferror(f)) {
		int err = errno ? errno : EIO;
		free(b);
		return err;
	}
	*buf = b, *len = n;
	return 0;
}

static int load_file(const char *name, uint8_t **buf, size_t *len)
{
	struct stat st;
	FILE *f;
	int err;

	if (strcmp(name, "-") == 0)
		return read_all(stdin, buf, len);
	f = fopen(name, "rb");
	if (!f)
		return errno;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return EISDIR;
	}
	err = read_all(f, buf, len);
	fclose(f);
	return err;
}

// ---- verifying ------------------------------------------------------------

struct cap_alloc {
	size_t live;
};

static void *host_alloc(void *ctx, size_t size)
{
	struct cap_alloc *c = ctx;
	void *p = aligned_alloc(16, ISOLA_ALIGN_UP(size, (size_t)16));
	if (p)
		c->live += size;
	return p;
}

static void host_free(void *ctx, void *p, size_t size)
{
	struct cap_alloc *c = ctx;
	c->live -= size;
	free(p);
}

// ---- SIP checks -----------------------------------------------------------

// The source line and the function name d points to, from the DWARF and
// name sections of bytes (either may be missing or corrupt: no location).
static void locate(const uint8_t *bytes, size_t size, const struct vf_diag *d,
		   struct report_loc *loc)
{
	if (d->instr_off != VF_NO_INDEX)
		loc->has_src = vf_debug_line_lookup(bytes, size, d->instr_off,
						    &loc->src);
	if (d->func_index != VF_NO_INDEX)
		(void)vf_func_name_lookup(bytes, size, d->func_index,
					  loc->func_name);
}

static bool same_diag(const struct vf_diag *a, const struct vf_diag *b)
{
	return a->code == b->code && a->offset == b->offset &&
	       a->func_index == b->func_index && a->instr_off == b->instr_off &&
	       strcmp(a->detail, b->detail) == 0;
}

// The SIP-level checks and the analysis on an accepted module. A module
// without isola.manifest is not a SIP (VF_SIP_MANIFEST), or with --wasm a
// plain WebAssembly module of which only the sections are looked at
// (vf_sip_check without VF_SIP_REQUIRE).
static void check_sip(const struct opts *o, const struct vf_module *m,
		      const struct vf_allocator *a, struct report_item *it)
{
	struct vf_sip_env env = {sipverify_system_contracts,
				 sipverify_system_contracts_n, a, o->sip_flags};
	struct vf_sip_result res;

	if (vf_sip_check(m, &env, &res) != ERR_OK) {
		it->accepted = false;
		it->diag = res.diag;
	}
	it->nnotes = res.nnotes;
	for (uint32_t i = 0; i < ISOLA_MIN(res.nnotes, (uint32_t)VF_SIP_MAX_NOTES);
	     i++) {
		// With --strict the note that rejected the file is its error:
		// it is reported once, as the error.
		if (!it->accepted && same_diag(&res.notes[i], &it->diag)) {
			it->nnotes--;
			continue;
		}
		uint32_t k = it->nkept++;
		it->notes[k] = res.notes[i];
		locate(m->bytes, m->size, &res.notes[i], &it->note_loc[k]);
	}
}

static void verify_buffer(const struct opts *o, const uint8_t *buf, size_t len,
			  struct report_item *it)
{
	struct cap_alloc ctx = {0};
	struct vf_allocator a = {host_alloc, host_free, &ctx, o->mem_cap};
	struct vf_options vo = {.features = o->features, .alloc = &a};
	struct vf_module *m = NULL;

	if (a.cap == 0)
		a.cap = 64 * (size_t)MiB + 8 * len;
	it->size = len;
	if (vf_module_load(buf, len, &vo, &m, &it->diag) == ERR_OK) {
		it->accepted = true;
		it->nfuncs = m->nfuncs;
		check_sip(o, m, &a, it);
		vf_module_free(m);
	}
	if (!it->accepted)
		locate(buf, len, &it->diag, &it->loc);
}

// Returns 0 accepted, 1 rejected, 2 I/O error.
static int verify_file(struct opts *o, const char *name)
{
	struct report_item it;
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	memset(&it, 0, sizeof(it));
	it.file = name;
	err = load_file(name, &buf, &len);
	if (err) {
		it.io_error = strerror(err);
		report_item(&o->rep, &it);
		return 2;
	}
	verify_buffer(o, buf, len, &it);
	report_item(&o->rep, &it);
	free(buf);
	return it.accepted ? 0 : 1;
}

// ---- options --------------------------------------------------------------

static int parse_format(const char *s, enum report_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = REPORT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = REPORT_JSON;
	else if (strcmp(s, "sarif") == 0)
		*f = REPORT_SARIF;
	else
		return -1;
	return 0;
}

// The index of the first FILE, or -(index of a bad option).
static int parse_each(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strncmp(a, "--format=", 9) == 0) {
			if (parse_format(a + 9, &o->rep.format))
				return -i;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->rep.quiet = true;
		} else if (strcmp(a, "--strict") == 0) {
			o->sip_flags |= VF_SIP_STRICT;
		} else if (strcmp(a, "--no-analysis") == 0) {
			o->sip_flags |= VF_SIP_NO_ANALYSIS;
		} else if (strcmp(a, "--wasm") == 0) {
			o->sip_flags &= ~VF_SIP_MANIFEST;
		} else if (strncmp(a, "--features=", 11) == 0) {
			if (vf_features_parse(a + 11, &o->features) != ERR_OK)
				return -i;
		} else if (strncmp(a, "--mem-cap=", 10) == 0) {
			char *end;
			unsigned long v = strtoul(a + 10, &end, 10);
			if (*end || v == 0)
				return -i;
			o->mem_cap = (size_t)v * MiB;
		} else if (strcmp(a, "--version") == 0) {
			printf("sipverify %s\n", ISOLA_VERSION);
			exit(0);
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else {
			return -i;
		}
	}
	return i;
}

// Returns the index of the first FILE, or -1 on a usage error (said).
static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i = parse_each(argc, argv, o);

	if (i < 0)
		fprintf(stderr, "sipverify: bad option or value '%s'\n", argv[-i]);
	return i < 0 ? -1 : i;
}

int main(int argc, char **argv)
{
	struct opts o = {.rep = {.format = REPORT_TEXT, .out = stdout},
			 .features = VF_FEATURES_ALL, .sip_flags = VF_SIP_MANIFEST};
	int first = parse_opts(argc, argv, &o), worst = 0;

	if (first < 0 || first >= argc) {
		if (first >= argc)
			fprintf(stderr, "sipverify: no FILE given\n");
		usage(stderr);
		return 2;
	}
	report_begin(&o.rep);
	for (int i = first; i < argc; i++) {
		int rc = verify_file(&o, argv[i]);
		worst = rc > worst ? rc : worst;
	}
	report_end(&o.rep);
	return worst;
}
