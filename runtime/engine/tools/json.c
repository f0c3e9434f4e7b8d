// SPDX-License-Identifier: MIT
// The spec runner's JSON reader: recursive descent over the document,
// objects and arrays grown with realloc, \u escapes (with surrogate
// pairs) written as UTF-8. Enough for wast2json output, strict on syntax.
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct jp {
	const char *p, *end;
	bool bad;
};

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' ||
				 *j->p == '\t'))
		j->p++;
}

static bool jp_lit(struct jp *j, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0)
		return false;
	j->p += n;
	return true;
}

static unsigned jp_hex4(struct jp *j)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = j->p < j->end ? *j->p++ : 0;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			j->bad = true;
	}
	return v;
}

static size_t jp_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static uint32_t jp_escape_u(struct jp *j)
{
	uint32_t cp = jp_hex4(j);
	if (cp >= 0xd800 && cp < 0xdc00 && jp_lit(j, "\\u")) {
		uint32_t lo = jp_hex4(j);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return cp;
}

static char *jp_string(struct jp *j, size_t *len)
{
	char *out = malloc((size_t)(j->end - j->p) + 4), *o = out;
	j->p++; // opening quote
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = j->p < j->end ? *j->p++ : 0;
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': o += jp_utf8(o, jp_escape_u(j)); break;
		default: *o++ = c; break;
		}
	}
	if (j->p >= j->end)
		j->bad = true;
	j->p++;
	*o = 0;
	*len = (size_t)(o - out);
	return out;
}

static void jp_value(struct jp *j, struct json *v);

static void jp_push(struct json *v, struct json *item, char *key)
{
	v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
	v->items[v->n] = *item;
	if (v->kind == JSON_OBJ) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		v->keys[v->n] = key;
	}
	v->n++;
}

static void jp_compound(struct jp *j, struct json *v, char close)
{
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return;
	}
	while (!j->bad) {
		char *key = NULL;
		size_t klen;
		jp_ws(j);
		if (v->kind == JSON_OBJ) {
			if (j->p >= j->end || *j->p != '"') {
				j->bad = true;
				return;
			}
			key = jp_string(j, &klen);
			jp_ws(j);
			if (!jp_lit(j, ":"))
				j->bad = true;
		}
		struct json item;
		jp_value(j, &item);
		jp_push(v, &item, key);
		jp_ws(j);
		if (jp_lit(j, ","))
			continue;
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return;
		}
		j->bad = true;
	}
}

static void jp_value(struct jp *j, struct json *v)
{
	memset(v, 0, sizeof(*v));
	jp_ws(j);
	if (j->p >= j->end) {
		j->bad = true;
		return;
	}
	char c = *j->p;
	if (c == '{') {
		v->kind = JSON_OBJ;
		jp_compound(j, v, '}');
	} else if (c == '[') {
		v->kind = JSON_ARR;
		jp_compound(j, v, ']');
	} else if (c == '"') {
		v->kind = JSON_STR;
		v->str = jp_string(j, &v->len);
	} else if (jp_lit(j, "true") || jp_lit(j, "false")) {
		v->kind = JSON_BOOL;
		v->num = j->p[-1] == 'e' && j->p[-2] == 'u';
	} else if (jp_lit(j, "null")) {
		v->kind = JSON_NULL;
	} else {
		char *e;
		v->kind = JSON_NUM;
		v->num = strtod(j->p, &e);
		if (e == j->p)
			j->bad = true;
		j->p = e;
	}
}

static void json_clear(struct json *j)
{
	for (size_t i = 0; i < j->n; i++) {
		json_clear(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
}

void json_free(struct json *j)
{
	if (j == NULL)
		return;
	json_clear(j);
	free(j);
}

struct json *json_parse(const char *text, size_t len)
{
	struct jp j = {text, text + len, false};
	struct json *v = malloc(sizeof(*v));
	jp_value(&j, v);
	if (j.bad) {
		json_free(v);
		return NULL;
	}
	return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (obj == NULL || obj->kind != JSON_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *json_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);
	return v && v->kind == JSON_STR ? v->str : NULL;
}
