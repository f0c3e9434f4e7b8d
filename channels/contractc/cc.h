// SPDX-License-Identifier: MIT
// contractc's internal interfaces: the token stream, the syntax tree of a
// contract file, diagnostics, and the passes (parse -> check -> encode ->
// generate). The pipeline is described in docs/contracts.md; the rules the
// descriptor must satisfy live in the portable decoder (contract_desc.c),
// which contractc runs on its own output.
#ifndef ISOLA_CONTRACTC_CC_H
#define ISOLA_CONTRACTC_CC_H

#include <isola/contract.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cc_pos {
	int line, col;
	const char *file; // NULL: the file given on the command line
};

// ---- diagnostics --------------------------------------------------------

struct cc_diag {
	isola_err_t err; // ERR_OK for a warning
	struct cc_pos pos;
	char msg[200];
};

// Reads an imported file, path relative to the importing one (NULL: the
// main file); returns a malloc'd buffer and sets *resolved (malloc'd), or
// NULL. Without a loader every import fails with ERR_CONTRACT_IMPORT.
typedef char *(*cc_load_fn)(void *ctx, const char *importer, const char *path,
			    size_t *len, char **resolved);

struct cc_ctx {
	const char *path;
	struct cc_diag *diags;
	size_t ndiags, cap, nerrors;
	cc_load_fn load;
	void *load_ctx;
	char **files; // resolved paths of imported files, owned
	size_t nfiles;
};

void cc_error(struct cc_ctx *cx, struct cc_pos pos, isola_err_t err,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void cc_warning(struct cc_ctx *cx, struct cc_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cc_print_diags(const struct cc_ctx *cx, FILE *f);
void cc_ctx_free(struct cc_ctx *cx);
// The first error's code, ERR_OK if none.
isola_err_t cc_first_error(const struct cc_ctx *cx) ISOLA_MUST_CHECK;

// Growable arrays: returns a zeroed new last element.
void *cc_push(void *arrp, size_t *n, size_t elem) ISOLA_MUST_CHECK;
char *cc_strndup(const char *s, size_t n) ISOLA_MUST_CHECK;

// ---- tokens -------------------------------------------------------------

enum cc_tok_kind {
	CC_T_EOF = 0,
	CC_T_IDENT,
	CC_T_INT,
	CC_T_STRING,
	CC_T_PUNCT, // one character in text[0], or "->"
	CC_T_BAD,
};

struct cc_tok {
	enum cc_tok_kind kind;
	struct cc_pos pos;
	const char *text;
	size_t len;
	uint64_t value; // CC_T_INT
};

struct cc_lexer {
	const char *src, *end, *p;
	struct cc_pos pos; // pos.file names the file being read
	struct cc_pos comment; // start of the last block comment
};

void cc_lex_init(struct cc_lexer *lx, const char *src, size_t len);
struct cc_tok cc_lex_next(struct cc_lexer *lx);

// ---- syntax tree --------------------------------------------------------

enum cc_type_kind {
	CC_TY_SCALAR = CONTRACT_K_SCALAR,
	CC_TY_ARRAY = CONTRACT_K_ARRAY,
	CC_TY_STRUCT = CONTRACT_K_STRUCT,
	CC_TY_BLOCK = CONTRACT_K_BLOCK,
	CC_TY_ENDPOINT = CONTRACT_K_ENDPOINT,
};

struct cc_type {
	enum cc_type_kind kind;
	struct cc_pos pos;
	uint8_t scalar; // SCALAR, ARRAY, BLOCK of scalar
	uint16_t count; // ARRAY
	bool bytes; // BLOCK written as `bytes`
	bool any; // ENDPOINT written as `endpoint`: any contract, side, state
	char *name; // STRUCT, BLOCK of struct: struct; ENDPOINT: contract (NULL if any)
	char *side; // ENDPOINT: "imp" or "exp"
	char *state; // ENDPOINT: NULL for an interface
	// Resolved by the checker:
	int strct, target; // struct index, contract index in the file
	uint8_t side_v;
	uint16_t state_v;
};

struct cc_field {
	struct cc_type type;
	char *name;
	struct cc_pos pos;
};

struct cc_struct {
	char *name;
	struct cc_pos pos;
	struct cc_field *fields;
	size_t nfields;
};

struct cc_msg {
	char *name;
	struct cc_pos pos;
	int dir; // enum contract_dir; CONTRACT_BOTH when no direction given
	bool has_dir;
	struct cc_field *fields;
	size_t nfields;
};

struct cc_trans {
	char *msg, *next;
	struct cc_pos pos, next_pos;
	bool recv; // '?': the exporter receives
	int msg_v, next_v; // resolved
};

struct cc_state {
	char *name;
	struct cc_pos pos;
	struct cc_trans *trans;
	size_t ntrans;
};

struct cc_contract {
	char *name, *doc;
	struct cc_pos pos;
	bool interface_kw;
	bool imported; // from an imported file: no outputs of its own
	struct cc_struct *structs;
	struct cc_msg *msgs;
	struct cc_state *states;
	size_t nstructs, nmsgs, nstates;
	// Filled by the later passes:
	int refs[CONTRACT_MAX_REFS]; // contract indices
	size_t nrefs;
	int mark; // 0 new, 1 in progress, 2 done (encoding order)
	uint8_t *desc;
	size_t desc_len;
	uint8_t *arena;
	const struct contract *model;
};

struct cc_file {
	struct cc_contract *contracts;
	size_t ncontracts;
	// The contract file's name as #line directives in the header give it,
	// so a C compiler's diagnostics about a generated declaration point
	// at the contract line it comes from; NULL: no #line.
	const char *line_file;
};

// ---- passes -------------------------------------------------------------

// Parses src and, through cx->load, the files it imports (their contracts
// come first, marked imported); syntax errors go to cx. Returns a tree
// even after errors.
struct cc_file *cc_parse(struct cc_ctx *cx, const char *src, size_t len) ISOLA_MUST_CHECK;
void cc_file_free(struct cc_file *f);

// Resolves names and checks what the descriptor cannot express.
void cc_check(struct cc_ctx *cx, struct cc_file *f);

// Encodes each contract (dependencies first), decodes and validates it with
// the portable decoder, seals the hash, and warns about unreachable states.
void cc_encode(struct cc_ctx *cx, struct cc_file *f);

// Collects every C name the header would declare and reports clashes.
void cc_check_names(struct cc_ctx *cx, struct cc_file *f);

// The whole front end: parse, check, encode, names. NULL tree on no input.
struct cc_file *cc_compile(struct cc_ctx *cx, const char *src, size_t len) ISOLA_MUST_CHECK;

// Writers. Each returns 0 or -1 (I/O error, reported on stderr).
int cc_write_header(const struct cc_file *f, size_t i, FILE *out) ISOLA_MUST_CHECK;
int cc_write_registry(const struct cc_file *f, size_t i, FILE *out) ISOLA_MUST_CHECK;

// C spelling of a scalar ("uint64_t") and its contract-language name.
const char *cc_scalar_c(uint8_t scalar);
const char *cc_scalar_name(uint8_t scalar);
int cc_scalar_lookup(const char *name, size_t len); // 0 if not a scalar

#endif
