// SPDX-License-Identifier: MIT
// contractc: compiles a contract file (docs/contracts.md).
//   contractc FILE.contract -o DIR   writes DIR/NAME.h, NAME.desc and
//                                    NAME.registry.c for each contract
//   contractc --check FILE.contract  checks only
// Contracts from imported files are checked and referred to, not written.
// Exit status: 0 success, 1 errors in the contract or I/O, 2 usage.
#include "cc.h"

#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: contractc FILE.contract -o DIR\n"
			"       contractc --check FILE.contract\n");
	return 2;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

typedef int (*writer_fn)(const struct cc_file *f, size_t i, FILE *out);

static int write_one(const char *dir, const char *name, const char *ext,
		     const struct cc_file *f, size_t i, writer_fn fn)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	FILE *out = fopen(path, "wb");
	if (!out) {
		fprintf(stderr, "contractc: cannot write %s\n", path);
		return -1;
	}
	int rc = fn(f, i, out);
	if (fclose(out) != 0 || rc != 0) {
		fprintf(stderr, "contractc: error writing %s\n", path);
		return -1;
	}
	return 0;
}

static int write_desc(const struct cc_file *f, size_t i, FILE *out)
{
	const struct cc_contract *c = &f->contracts[i];
	return fwrite(c->desc, 1, c->desc_len, out) == c->desc_len ? 0 : -1;
}

// Imports are relative to the importing file's folder.
static char *load(void *ctx, const char *importer, const char *path, size_t *len,
		  char **resolved)
{
	const char *main_path = ctx;
	const char *from = importer ? importer : main_path;
	const char *slash = strrchr(from, '/');
	size_t dir = path[0] == '/' || !slash ? 0 : (size_t)(slash - from) + 1;
	char *full = malloc(dir + strlen(path) + 1);
	if (!full)
		return NULL;
	memcpy(full, from, dir);
	strcpy(full + dir, path);
	char *src = read_file(full, len);
	if (!src) {
		free(full);
		return NULL;
	}
	*resolved = full;
	return src;
}

static int write_all(const struct cc_file *f, const char *dir)
{
	for (size_t i = 0; i < f->ncontracts; i++) {
		const char *name = f->contracts[i].name;
		if (f->contracts[i].imported)
			continue;
		if (write_one(dir, name, ".h", f, i, cc_write_header) ||
		    write_one(dir, name, ".desc", f, i, write_desc) ||
		    write_one(dir, name, ".registry.c", f, i, cc_write_registry))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *dir = NULL;
	bool check = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] == '-' || in)
			return usage();
		else
			in = argv[i];
	}
	if (!in || check == (dir != NULL))
		return usage();
	size_t len;
	char *src = read_file(in, &len);
	if (!src) {
		fprintf(stderr, "%s:1:1: error: cannot read file\n", in);
		return 1;
	}
	struct cc_ctx cx = { .path = in, .load = load, .load_ctx = (void *)in };
	struct cc_file *f = cc_compile(&cx, src, len);
	cc_print_diags(&cx, stderr);
	int rc = cx.nerrors ? 1 : 0;
	if (rc == 0 && !check)
		rc = write_all(f, dir);
	cc_file_free(f);
	cc_ctx_free(&cx);
	free(src);
	return rc;
}
