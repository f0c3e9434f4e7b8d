// SPDX-License-Identifier: MIT
// Kernel command-line parser (see cmdline.h). A single left-to-right scan.
#include <cmdline.h>
#include <string.h>

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Parses the value after '=' at s[*i]; advances *i past it.
static isola_err_t parse_value(const char *s, size_t *i,
			       struct cmdline_opt *o)
{
	size_t n = 0;
	bool quoted = s[*i] == '"';
	if (quoted)
		(*i)++;
	while (s[*i] && (quoted ? s[*i] != '"' : !is_space(s[*i]))) {
		if (quoted ? false : s[*i] == '"')
			return ERR_CMDLINE_SYNTAX;
		if (n + 1 >= sizeof(o->value))
			return ERR_CMDLINE_SYNTAX;
		o->value[n++] = s[(*i)++];
	}
	if (quoted) {
		if (s[*i] != '"')
			return ERR_CMDLINE_SYNTAX; // unterminated quote
		(*i)++;
		if (s[*i] && !is_space(s[*i]))
			return ERR_CMDLINE_SYNTAX;
	}
	o->value[n] = '\0';
	return ERR_OK;
}

static isola_err_t parse_token(const char *s, size_t *i, struct cmdline *cl)
{
	if (cl->n == CMDLINE_MAX_OPTS)
		return ERR_CMDLINE_SYNTAX;
	struct cmdline_opt *o = &cl->opts[cl->n];
	memset(o, 0, sizeof(*o));
	size_t n = 0;
	while (is_key_char(s[*i])) {
		if (n + 1 >= sizeof(o->key))
			return ERR_CMDLINE_SYNTAX;
		o->key[n++] = s[(*i)++];
	}
	if (n == 0)
		return ERR_CMDLINE_SYNTAX; // "=x" or a stray character
	if (s[*i] == '=') {
		(*i)++;
		o->has_value = true;
		TRY(parse_value(s, i, o));
	} else if (s[*i] && !is_space(s[*i])) {
		return ERR_CMDLINE_SYNTAX;
	}
	cl->n++;
	return ERR_OK;
}

isola_err_t cmdline_parse(const char *s, struct cmdline *cl, size_t *err_pos)
{
	size_t i = 0;
	cl->n = 0;
	for (;;) {
		while (is_space(s[i]))
			i++;
		if (!s[i])
			return ERR_OK;
		size_t start = i;
		isola_err_t err = parse_token(s, &i, cl);
		if (err != ERR_OK) {
			*err_pos = i > start ? i : start;
			return err;
		}
	}
}

const char *cmdline_get(struct cmdline *cl, const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; i < cl->n; i++) {
		if (strcmp(cl->opts[i].key, key) == 0) {
			cl->opts[i].used = true;
			v = cl->opts[i].value;
		}
	}
	return v;
}

isola_err_t cmdline_get_uint(struct cmdline *cl, const char *key,
			     uint64_t min, uint64_t max, uint64_t *out)
{
	const char *v = cmdline_get(cl, key);
	if (!v)
		return ERR_NOTFOUND;
	if (!*v)
		return ERR_CMDLINE_VALUE;
	uint64_t x = 0;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return ERR_CMDLINE_VALUE;
		if (x > (UINT64_MAX - (uint64_t)(*v - '0')) / 10)
			return ERR_CMDLINE_VALUE;
		x = x * 10 + (uint64_t)(*v - '0');
	}
	if (x < min || x > max)
		return ERR_CMDLINE_VALUE;
	*out = x;
	return ERR_OK;
}

const struct cmdline_opt *cmdline_next_unused(const struct cmdline *cl,
					      size_t *cursor)
{
	while (*cursor < cl->n) {
		const struct cmdline_opt *o = &cl->opts[(*cursor)++];
		if (!o->used)
			return o;
	}
	return NULL;
}
