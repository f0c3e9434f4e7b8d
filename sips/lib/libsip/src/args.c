// SPDX-License-Identifier: MIT
// Splits the argument string into argv. The spawner passes "NAME ARGS...",
// so the first word becomes argv[0]. Words are separated by runs of
// spaces; double or single quotes keep spaces in a word ("two words"), and
// a backslash outside single quotes takes the next byte as it is. Quotes
// and backslashes are removed, in place; an unterminated quote runs to the
// end of the string. The shell quotes this way (sips/shell/words.c).
#include "rt.h"

// Copies one word from *r to *w, unquoting; returns with *r at the space
// (or NUL) after it.
static void take_word(char **r, char **w)
{
	char q = 0;
	for (; **r && (q || **r != ' '); (*r)++) {
		char c = **r;
		if (q && c == q) {
			q = 0;
			continue;
		}
		if (!q && (c == '"' || c == '\'')) {
			q = c;
			continue;
		}
		if (c == '\\' && q != '\'' && (*r)[1])
			c = *++(*r);
		*(*w)++ = c;
	}
}

int rt_args_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w = line;

	while (argc < max) {
		while (*r == ' ')
			r++;
		if (!*r)
			break;
		argv[argc++] = w;
		take_word(&r, &w);
		if (*r)
			r++; // the space after the word; w is behind it
		*w++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
