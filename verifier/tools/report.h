// SPDX-License-Identifier: MIT
// sipverify's output in three formats: compiler-style text, JSON, and
// SARIF 2.1.0 for code-scanning consumers. Host only.
#ifndef SIPVERIFY_REPORT_H
#define SIPVERIFY_REPORT_H

#include <isola/verifier.h>
#include <isola/vf_names.h>
#include <stdbool.h>
#include <stdio.h>

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF };

// Where the rules (the error codes) are described: docs/verifier-rules.md
// as the isola-tools package installs it (packaging/CMakeLists.txt).
#define REPORT_RULES_URI "file:///usr/share/doc/isola-tools/verifier-rules.md"
#ifndef ISOLA_VERSION
#error "ISOLA_VERSION (the project's version) is set by verifier/CMakeLists.txt"
#endif

// Where a diagnostic points beyond its offsets, when the module says: the
// source line (DWARF .debug_line) and the function's name ("name" section).
struct report_loc {
	bool has_src;
	struct vf_srcpos src;
	char func_name[VF_FUNC_NAME_MAX + 1]; // "" when unknown; printable
};

// The verdict on one input.
struct report_item {
	const char *file;	 // as named on the command line ("-" = stdin)
	const char *io_error;	 // non-NULL: could not be read (strerror text)
	bool accepted;
	struct vf_diag diag;	 // when rejected
	struct report_loc loc;	 // of diag
	uint32_t nfuncs;	 // when accepted
	size_t size;
	// Where the ownership analysis could not follow a handle (shown
	// whatever the verdict; errors under --strict).
	uint32_t nnotes;	 // all of them
	uint32_t nkept;		 // entries of notes[]
	struct vf_diag notes[4];
	struct report_loc note_loc[4];
};

struct report {
	enum report_format format;
	bool quiet;
	FILE *out;
	unsigned nitems;
	// SARIF: the rules (error codes; 0 = I/O) results referred to, in
	// order of first use, and whether every file could be read.
	int rules[128];
	unsigned nrules;
	bool io_failed;
};

void report_begin(struct report *r);
void report_item(struct report *r, const struct report_item *it);
void report_end(struct report *r);

#endif
