// SPDX-License-Identifier: MIT
// sipembed: turns a linked wasm32 module into a SIP image by appending the
// two custom sections of docs/abi.md ("SIP images"): isola.manifest (the
// manifest text, verbatim) and isola.contracts (each contract descriptor
// preceded by its length as a little-endian u32). sipcc runs it last.
//   sipembed IN.wasm -o OUT.sip --manifest FILE [--contract DESC]...
// Each descriptor is decoded with the channel core's contract_decode, so a
// SIP never carries one the kernel would refuse; two with one hash are an
// error. Exit status: 0 success, 1 bad input or I/O, 2 usage.
#include <isola/contract.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECT_MANIFEST "isola.manifest"
#define SECT_CONTRACTS "isola.contracts"
#define WASM_HEADER_SIZE 8

struct blob {
	uint8_t *data;
	size_t len;
};

struct desc {
	const char *path;
	struct blob bytes;
	uint8_t hash[CONTRACT_HASH_SIZE];
};

struct job {
	const char *in, *out, *manifest;
	struct desc *descs;
	size_t n_descs;
};

ISOLA_PRINTF(1, 2) static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sipembed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "sipembed: %s\n", why);
	fprintf(stderr, "usage: sipembed IN.wasm -o OUT.sip --manifest FILE "
			"[--contract DESC]...\n");
	return 2;
}

// ---- files ----------------------------------------------------------------

// Reads the whole file; returns false (errno set) on failure.
static bool read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, got;

	if (!f)
		return false;
	b->len = 0;
	b->data = malloc(cap);
	while (b->data && (got = fread(b->data + b->len, 1, cap - b->len, f)) > 0) {
		b->len += got;
		if (b->len == cap) {
			uint8_t *nd = realloc(b->data, cap *= 2);
			if (!nd)
				free(b->data);
			b->data = nd;
		}
	}
	bool ok = b->data && !ferror(f);
	fclose(f);
	if (!ok) {
		free(b->data);
		b->data = NULL;
	}
	return ok;
}

// ---- the input module -----------------------------------------------------

// Reads an unsigned LEB128 u32 at *pos, advancing it; false if malformed.
static bool read_u32(const struct blob *b, size_t *pos, uint32_t *out)
{
	uint32_t v = 0;

	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*pos >= b->len)
			return false;
		uint8_t byte = b->data[(*pos)++];
		v |= (uint32_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

static bool is_custom_named(const struct blob *b, size_t pos, size_t end,
			    const char *name)
{
	uint32_t len;

	if (!read_u32(b, &pos, &len) || len > end - pos)
		return false;
	return len == strlen(name) && memcmp(b->data + pos, name, len) == 0;
}

// Checks the header and walks the sections: each must fit in the file, and
// neither of sipembed's sections may be there already.
static int check_module(const char *path, const struct blob *b)
{
	static const uint8_t header[WASM_HEADER_SIZE] = { 0, 'a', 's', 'm',
							  1, 0, 0,   0 };
	size_t pos = WASM_HEADER_SIZE;

	if (b->len < WASM_HEADER_SIZE || memcmp(b->data, header, 4) != 0)
		return fail("%s: not a WebAssembly binary", path);
	if (memcmp(b->data + 4, header + 4, 4) != 0)
		return fail("%s: unsupported WebAssembly version", path);
	while (pos < b->len) {
		uint8_t id = b->data[pos++];
		uint32_t size;
		if (!read_u32(b, &pos, &size) || size > b->len - pos)
			return fail("%s: malformed section at offset %zu", path,
				    pos);
		if (id == 0 && (is_custom_named(b, pos, pos + size, SECT_MANIFEST) ||
				is_custom_named(b, pos, pos + size, SECT_CONTRACTS)))
			return fail("%s: already has an isola.* section "
				    "(offset %zu)", path, pos);
		pos += size;
	}
	return 0;
}

// ---- descriptors ----------------------------------------------------------

// Decodes d with the kernel's decoder and keeps its hash.
static int load_desc(struct desc *d)
{
	struct contract_arena arena;
	struct contract_diag diag = { 0 };
	const struct contract *c;

	if (!read_file(d->path, &d->bytes))
		return fail("%s: cannot read", d->path);
	arena.size = CONTRACT_ARENA_SIZE(d->bytes.len);
	arena.used = 0;
	arena.base = malloc(arena.size);
	if (!arena.base)
		return fail("out of memory");
	isola_err_t err = contract_decode(d->bytes.data, d->bytes.len, &arena,
					  &c, &diag);
	if (err == ERR_OK)
		memcpy(d->hash, c->hash, CONTRACT_HASH_SIZE);
	free(arena.base);
	if (err != ERR_OK)
		return fail("%s: bad contract descriptor at offset %u: %s (%s)",
			    d->path, (unsigned)diag.offset,
			    isola_err_message(err), isola_err_name(err));
	return 0;
}

static int load_descs(struct job *j)
{
	for (size_t i = 0; i < j->n_descs; i++) {
		if (load_desc(&j->descs[i]))
			return 1;
		for (size_t k = 0; k < i; k++)
			if (memcmp(j->descs[k].hash, j->descs[i].hash,
				   CONTRACT_HASH_SIZE) == 0)
				return fail("%s: same contract as %s",
					    j->descs[i].path, j->descs[k].path);
	}
	return 0;
}

// ---- output ---------------------------------------------------------------

static void put_u32(FILE *f, uint32_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		fputc(byte | (v ? 0x80 : 0), f);
	} while (v);
}

static size_t u32_size(uint32_t v)
{
	size_t n = 1;

	while (v >>= 7)
		n++;
	return n;
}

static void put_le32(FILE *f, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		fputc((v >> (8 * i)) & 0xff, f);
}

// A custom section header: id 0, size, name; the caller writes len bytes.
static void put_custom_header(FILE *f, const char *name, size_t len)
{
	uint32_t nlen = (uint32_t)strlen(name);

	fputc(0, f);
	put_u32(f, (uint32_t)(u32_size(nlen) + nlen + len));
	put_u32(f, nlen);
	fwrite(name, 1, nlen, f);
}

static int write_image(const struct job *j, const struct blob *mod,
		       const struct blob *manifest)
{
	size_t clen = 0;
	FILE *f = fopen(j->out, "wb");

	if (!f)
		return fail("%s: cannot write", j->out);
	fwrite(mod->data, 1, mod->len, f);
	put_custom_header(f, SECT_MANIFEST, manifest->len);
	fwrite(manifest->data, 1, manifest->len, f);
	for (size_t i = 0; i < j->n_descs; i++)
		clen += 4 + j->descs[i].bytes.len;
	put_custom_header(f, SECT_CONTRACTS, clen);
	for (size_t i = 0; i < j->n_descs; i++) {
		put_le32(f, (uint32_t)j->descs[i].bytes.len);
		fwrite(j->descs[i].bytes.data, 1, j->descs[i].bytes.len, f);
	}
	if (ferror(f) | (fclose(f) != 0)) {
		remove(j->out);
		return fail("%s: error writing", j->out);
	}
	return 0;
}

// ---- main -----------------------------------------------------------------

static int parse_args(int argc, char **argv, struct job *j)
{
	j->descs = calloc((size_t)argc, sizeof(*j->descs));
	if (!j->descs)
		return fail("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(a, "-o") && has_value)
			j->out = argv[++i];
		else if (!strcmp(a, "--manifest") && has_value)
			j->manifest = argv[++i];
		else if (!strcmp(a, "--contract") && has_value)
			j->descs[j->n_descs++].path = argv[++i];
		else if (a[0] == '-' && a[1] != '\0')
			return usage("unknown option or missing value");
		else if (j->in)
			return usage("more than one input module");
		else
			j->in = a;
	}
	if (!j->in || !j->out || !j->manifest)
		return usage("needs IN.wasm, -o OUT and --manifest FILE");
	return 0;
}

static int run(const struct job *j)
{
	struct blob mod, manifest;
	int rc;

	if (!read_file(j->in, &mod))
		return fail("%s: cannot read", j->in);
	rc = check_module(j->in, &mod);
	if (rc == 0 && !read_file(j->manifest, &manifest))
		rc = fail("%s: cannot read", j->manifest);
	else if (rc == 0) {
		if (memchr(manifest.data, 0, manifest.len))
			rc = fail("%s: manifest is not text", j->manifest);
		if (rc == 0)
			rc = write_image(j, &mod, &manifest);
		free(manifest.data);
	}
	free(mod.data);
	return rc;
}

int main(int argc, char **argv)
{
	struct job j = { 0 };
	int rc = parse_args(argc, argv, &j);

	if (rc == 0)
		rc = load_descs(&j);
	if (rc == 0)
		rc = run(&j);
	for (size_t i = 0; i < j.n_descs; i++)
		free(j.descs[i].bytes.data);
	free(j.descs);
	return rc;
}
