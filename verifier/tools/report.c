// SPDX-License-Identifier: MIT
// sipverify's output: text in the style compilers use
// ("file: error[E1100]: message [offset 0x1a, func 3 <name>]"), one JSON
// document, or one SARIF 2.1.0 log. Items are printed as they come, so
// memory does not grow with the number of files.
#include "report.h"

#include <inttypes.h>
#include <string.h>

static void json_str(FILE *o, const char *s, size_t n)
{
	fputc('"', o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

static void json_cstr(FILE *o, const char *s)
{
	json_str(o, s, strlen(s));
}

// A file name as a JSON string holding a URI reference (RFC 3986), as
// SARIF's artifactLocation.uri must be: every byte but letters, digits,
// "-._~/" percent-encoded (a space is %20, a ':' cannot pass for a scheme).
static void json_uri(FILE *o, const char *s, size_t n)
{
	fputc('"', o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			fputc(c, o);
		else
			fprintf(o, "%%%02X", c);
	}
	fputc('"', o);
}

// "message: detail" or "message".
static void full_message(const struct vf_diag *d, char *buf, size_t n)
{
	if (d->detail[0])
		snprintf(buf, n, "%s (%s)", isola_err_message(d->code), d->detail);
	else
		snprintf(buf, n, "%s", isola_err_message(d->code));
}

// ---- text ---------------------------------------------------------------

// One line: "src.c:41: error[E1470]: message (detail) at code offset 0x12
// [file, offset 0x1a, func 3 <name>]" (the source only with DWARF, the
// name only with a name section; names are printable already).
static void text_diag(struct report *r, const struct report_item *it,
		      const char *level, const struct vf_diag *d,
		      const struct report_loc *loc)
{
	const struct vf_srcpos *src = &loc->src;
	char msg[256];

	full_message(d, msg, sizeof(msg));
	if (loc->has_src)
		fprintf(r->out, "%.*s:%u: ", (int)src->file_len, src->file,
			src->line);
	else
		fprintf(r->out, "%s: ", it->file);
	fprintf(r->out, "%s[E%d]: %s", level, (int)d->code, msg);
	if (d->func_index != VF_NO_INDEX && d->instr_off != VF_NO_INDEX)
		fprintf(r->out, " at code offset 0x%" PRIx32, d->instr_off);
	fprintf(r->out, " [");
	if (loc->has_src)
		fprintf(r->out, "%s, ", it->file);
	fprintf(r->out, "offset 0x%" PRIx32, d->offset);
	if (d->func_index != VF_NO_INDEX)
		fprintf(r->out, ", func %" PRIu32, d->func_index);
	if (d->func_index != VF_NO_INDEX && loc->func_name[0])
		fprintf(r->out, " <%s>", loc->func_name);
	fprintf(r->out, "]\n");
}

static void text_item(struct report *r, const struct report_item *it)
{
	if (it->io_error) {
		fprintf(r->out, "%s: error: %s\n", it->file, it->io_error);
		return;
	}
	for (uint32_t i = 0; i < it->nkept && !r->quiet; i++)
		text_diag(r, it, "note", &it->notes[i], &it->note_loc[i]);
	if (it->nnotes > it->nkept && !r->quiet)
		fprintf(r->out, "%s: note: %u more notes\n", it->file,
			it->nnotes - it->nkept);
	if (it->accepted) {
		if (!r->quiet)
			fprintf(r->out, "%s: ok (%u functions, %zu bytes)\n",
				it->file, it->nfuncs, it->size);
		return;
	}
	text_diag(r, it, "error", &it->diag, &it->loc);
}

// ---- JSON ---------------------------------------------------------------

// {"code": .., "name": .., "message": .., "detail": .., "offset": ..,
// "func": .., "function_name": .., "code_offset": .., "source": {..}}
static void json_diag(FILE *o, const struct vf_diag *d,
		      const struct report_loc *loc)
{
	const struct vf_srcpos *src = &loc->src;

	fprintf(o, "{\"code\": %d, \"name\": \"%s\", \"message\": ",
		(int)d->code, isola_err_name(d->code));
	json_cstr(o, isola_err_message(d->code));
	fprintf(o, ", \"detail\": ");
	json_cstr(o, d->detail);
	fprintf(o, ", \"offset\": %" PRIu32, d->offset);
	if (d->func_index != VF_NO_INDEX)
		fprintf(o, ", \"func\": %" PRIu32, d->func_index);
	if (d->func_index != VF_NO_INDEX && loc->func_name[0]) {
		fprintf(o, ", \"function_name\": ");
		json_cstr(o, loc->func_name);
	}
	if (d->instr_off != VF_NO_INDEX)
		fprintf(o, ", \"code_offset\": %" PRIu32, d->instr_off);
	if (loc->has_src) {
		fprintf(o, ", \"source\": {\"file\": ");
		json_str(o, src->file, src->file_len);
		fprintf(o, ", \"line\": %u}", src->line);
	}
	fprintf(o, "}");
}

static void json_notes(FILE *o, const struct report_item *it)
{
	if (it->nnotes == 0)
		return;
	fprintf(o, ", \"note_count\": %u, \"notes\": [", it->nnotes);
	for (uint32_t i = 0; i < it->nkept; i++) {
		fprintf(o, "%s", i ? ", " : "");
		json_diag(o, &it->notes[i], &it->note_loc[i]);
	}
	fprintf(o, "]");
}

static void json_item(struct report *r, const struct report_item *it)
{
	FILE *o = r->out;

	fprintf(o, "%s\n    {\"file\": ", r->nitems ? "," : "");
	json_cstr(o, it->file);
	if (it->io_error) {
		fprintf(o, ", \"valid\": null, \"io_error\": ");
		json_cstr(o, it->io_error);
		fprintf(o, "}");
		return;
	}
	fprintf(o, ", \"size\": %zu, \"valid\": %s", it->size,
		it->accepted ? "true" : "false");
	json_notes(o, it);
	if (it->accepted) {
		fprintf(o, ", \"functions\": %u}", it->nfuncs);
		return;
	}
	fprintf(o, ", \"error\": ");
	json_diag(o, &it->diag, &it->loc);
	fprintf(o, "}");
}

// ---- SARIF --------------------------------------------------------------

// The function a result is in, by name, as the first location's
// logical location (SARIF 2.1.0, 3.33): only when the name is known.
static void sarif_logical(FILE *o, const struct vf_diag *d,
			  const struct report_loc *loc)
{
	if (d->func_index == VF_NO_INDEX || !loc->func_name[0])
		return;
	fprintf(o, ", \"logicalLocations\": [{\"name\": ");
	json_cstr(o, loc->func_name);
	fprintf(o, ", \"kind\": \"function\"}]");
}

// The source line (with DWARF) and then the byte offset in the file.
static void sarif_location(FILE *o, const struct report_item *it,
			   const struct vf_diag *d,
			   const struct report_loc *loc)
{
	const struct vf_srcpos *src = &loc->src;

	fprintf(o, "\"locations\": [{\"physicalLocation\": {"
		   "\"artifactLocation\": {\"uri\": ");
	if (loc->has_src) {
		json_uri(o, src->file, src->file_len);
		fprintf(o, "}, \"region\": {\"startLine\": %u", src->line);
		if (src->column)
			fprintf(o, ", \"startColumn\": %u", src->column);
		fprintf(o, "}}");
		sarif_logical(o, d, loc);
		fprintf(o, "}, {\"physicalLocation\": {"
			   "\"artifactLocation\": {\"uri\": ");
	}
	const char *file = strcmp(it->file, "-") == 0 ? "stdin" : it->file;
	json_uri(o, file, strlen(file));
	fprintf(o, "}, \"region\": {\"byteOffset\": %" PRIu32
		   ", \"byteLength\": 1}}",
		d->offset);
	if (!loc->has_src)
		sarif_logical(o, d, loc);
	fprintf(o, "}]");
}

// The index of rule `code` in the run's rule list, adding it if new.
static unsigned sarif_rule(struct report *r, int code)
{
	unsigned i;

	for (i = 0; i < r->nrules; i++)
		if (r->rules[i] == code)
			return i;
	if (r->nrules < sizeof(r->rules) / sizeof(r->rules[0]))
		r->rules[r->nrules++] = code;
	return i;
}

// "message in function 3 <name> at code offset 0x12", the parts known.
static void sarif_text(const struct vf_diag *d, const struct report_loc *loc,
		       char *text, size_t n)
{
	char msg[256], name[VF_FUNC_NAME_MAX + 4] = "";

	full_message(d, msg, sizeof(msg));
	if (loc->func_name[0])
		snprintf(name, sizeof(name), " <%s>", loc->func_name);
	if (d->func_index != VF_NO_INDEX && d->instr_off != VF_NO_INDEX)
		snprintf(text, n, "%s in function %u%s at code offset 0x%x",
			 msg, d->func_index, name, d->instr_off);
	else if (d->func_index != VF_NO_INDEX)
		snprintf(text, n, "%s in function %u%s", msg, d->func_index,
			 name);
	else
		snprintf(text, n, "%s", msg);
}

static void sarif_result(struct report *r, const struct report_item *it,
			 const char *level, const struct vf_diag *d,
			 const struct report_loc *loc)
{
	FILE *o = r->out;
	char text[640];

	sarif_text(d, loc, text, sizeof(text));
	fprintf(o, "%s\n        {\"ruleId\": \"E%d\", \"ruleIndex\": %u, "
		   "\"level\": \"%s\", \"message\": {\"text\": ",
		r->nitems ? "," : "", (int)d->code, sarif_rule(r, (int)d->code),
		level);
	json_cstr(o, text);
	fprintf(o, "}, ");
	sarif_location(o, it, d, loc);
	fprintf(o, "}");
	r->nitems++;
}

static void sarif_item(struct report *r, const struct report_item *it)
{
	FILE *o = r->out;
	char text[512];

	for (uint32_t i = 0; i < it->nkept && !it->io_error; i++)
		sarif_result(r, it, "note", &it->notes[i], &it->note_loc[i]);
	if (it->accepted)
		return;
	if (it->io_error) {
		snprintf(text, sizeof(text), "%s", it->io_error);
		r->io_failed = true;
		fprintf(o, "%s\n        {\"ruleId\": \"IO\", \"ruleIndex\": %u, "
			   "\"level\": \"error\", \"message\": {\"text\": ",
			r->nitems ? "," : "", sarif_rule(r, 0));
		json_cstr(o, text);
		fprintf(o, "}, \"locations\": [{\"physicalLocation\": "
			   "{\"artifactLocation\": {\"uri\": ");
		json_uri(o, it->file, strlen(it->file));
		fprintf(o, "}}}]}");
		r->nitems++;
		return;
	}
	sarif_result(r, it, "error", &it->diag, &it->loc);
}

// The run's tool description with the rules the results used, and the
// invocation's outcome; printed last so results can stream. The rules
// are documented in verifier-rules.md, which the isola-tools package
// installs at REPORT_RULES_URI.
static void sarif_end(struct report *r)
{
	FILE *o = r->out;

	fprintf(o, "\n  ],\n  \"tool\": {\"driver\": {\"name\": \"sipverify\", "
		   "\"version\": \"%s\", \"informationUri\": \"%s\", \"rules\": [",
		ISOLA_VERSION, REPORT_RULES_URI);
	for (unsigned i = 0; i < r->nrules; i++) {
		int c = r->rules[i];
		fprintf(o, "%s\n    {\"id\": ", i ? "," : "");
		if (c == 0) {
			fprintf(o, "\"IO\", \"name\": \"InputOutput\", "
				   "\"shortDescription\": {\"text\": "
				   "\"the file could not be read\"}}");
			continue;
		}
		fprintf(o, "\"E%d\", \"name\": ", c);
		json_cstr(o, isola_err_name((isola_err_t)c));
		fprintf(o, ", \"shortDescription\": {\"text\": ");
		json_cstr(o, isola_err_message((isola_err_t)c));
		fprintf(o, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
			c >= ERR_SIP_OWN_UNTRACKED && c < 1500 ? "note" : "error");
	}
	fprintf(o, "]}},\n  \"invocations\": [{\"executionSuccessful\": %s}]\n }]\n}\n",
		r->io_failed ? "false" : "true");
}

// ---- dispatch -----------------------------------------------------------

void report_begin(struct report *r)
{
	r->nitems = 0;
	r->nrules = 0;
	r->io_failed = false;
	if (r->format == REPORT_JSON)
		fprintf(r->out, "{\"tool\": \"sipverify\", \"files\": [");
	if (r->format == REPORT_SARIF)
		fprintf(r->out,
			"{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
			" \"version\": \"2.1.0\",\n"
			" \"runs\": [{\n"
			"  \"results\": [");
}

void report_item(struct report *r, const struct report_item *it)
{
	switch (r->format) {
	case REPORT_TEXT: text_item(r, it); break;
	case REPORT_JSON: json_item(r, it); r->nitems++; break;
	case REPORT_SARIF: sarif_item(r, it); break;
	}
}

void report_end(struct report *r)
{
	if (r->format == REPORT_JSON)
		fprintf(r->out, "\n]}\n");
	if (r->format == REPORT_SARIF)
		sarif_end(r);
}
