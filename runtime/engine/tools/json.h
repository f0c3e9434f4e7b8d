// SPDX-License-Identifier: MIT
// A small JSON reader for the spec runner's wast2json command lists: the
// whole document becomes a tree of nodes (host tool, plain malloc).
// Strings are decoded to UTF-8 with their length (they may hold NULs).
#ifndef ENG_JSON_H
#define ENG_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_kind { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_kind kind;
	double num;
	char *str; // JSON_STR, NUL-terminated, len bytes
	size_t len;
	struct json *items; // JSON_ARR and JSON_OBJ values
	char **keys;	    // JSON_OBJ keys
	size_t n;
};

// Parses text; NULL on a syntax error.
struct json *json_parse(const char *text, size_t len);
void json_free(struct json *j);
// The member called key of an object, or NULL.
const struct json *json_get(const struct json *obj, const char *key);
// The string member key, or NULL if absent or not a string.
const char *json_str(const struct json *obj, const char *key);

#endif
