// SPDX-License-Identifier: MIT
// contractc: compiles a contract file (docs/contracts.md).
//   contractc [--no-line] FILE.contract -o DIR
//                                    writes DIR/NAME.h, NAME.desc and
//                                    NAME.registry.c for each contract,
//                                    making DIR (and its parents) if needed
//   contractc --check FILE.contract  checks only
// The header's declarations carry #line directives naming FILE.contract,
// so a compiler's notes about them point at the contract's lines;
// --no-line leaves them out (for headers installed away from the file).
// Contracts from imported files are checked and referred to, not written.
// Exit status: 0 success, 1 errors in the contract or I/O, 2 usage.
#include "cc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int usage(const char *why, const char *arg)
{
	if (arg)
		fprintf(stderr, "contractc: %s: '%s'\n", why, arg);
	else
		fprintf(stderr, "contractc: %s\n", why);
	fprintf(stderr, "usage: contractc [--no-line] FILE.contract -o DIR\n"
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
		fprintf(stderr, "contractc: cannot write %s: %s\n", path, strerror(errno));
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

// Makes dir and its missing parents (mkdir -p); 0, or -1 with the reason
// on stderr.
static int make_dir(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path)) {
		fprintf(stderr, "contractc: -o %s: %s\n", dir,
			n ? "path too long" : "empty folder name");
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "contractc: cannot make folder %s: %s\n", path,
				strerror(errno));
			return -1;
		}
		path[i] = dir[i];
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "contractc: -o %s: not a folder\n", dir);
		return -1;
	}
	return 0;
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
	bool check = false, lines = true;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--no-line"))
			lines = false;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] == '-' || in)
			return usage(argv[i][0] == '-' ? "unknown option or -o without a folder"
						       : "more than one contract file", argv[i]);
		else
			in = argv[i];
	}
	if (!in)
		return usage("no contract file", NULL);
	if (check == (dir != NULL))
		return usage(check ? "--check writes nothing: -o is not allowed"
				   : "no -o DIR (or --check)", NULL);
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
	if (rc == 0 && !check) {
		if (f)
			f->line_file = lines ? in : NULL;
		rc = make_dir(dir) ? 1 : write_all(f, dir);
	}
	cc_file_free(f);
	cc_ctx_free(&cx);
	free(src);
	return rc;
}
