// SPDX-License-Identifier: MIT
// Splitting a command line into words and joining words back into an
// argument string (sh.h). The rules are libsip's (sips/lib/libsip/src/
// args.c), so an argument quoted at the prompt reaches the SIP whole.
#include "sh.h"

#include <string.h>

// The state of a split: the word being built and where.
struct split {
	struct sh_words *w;
	uint32_t len;  // bytes in the current word
	bool in_word;  // a word has started (it may be empty: "")
	char quote;    // the open quote, or 0
};

// Ends the current word. False when there are too many.
static bool word_end(struct split *s)
{
	if (!s->in_word)
		return true;
	if (s->w->nwords == SH_WORDS_MAX)
		return false;
	s->w->word[s->w->nwords][s->len] = '\0';
	s->w->nwords++;
	s->len = 0;
	s->in_word = false;
	return true;
}

// Adds c to the current word. False when it is too long.
static bool word_add(struct split *s, char c)
{
	if (s->w->nwords == SH_WORDS_MAX || s->len == SH_WORD_MAX - 1)
		return false;
	s->w->word[s->w->nwords][s->len++] = c;
	s->in_word = true;
	return true;
}

const char *sh_split(const char *line, struct sh_words *w)
{
	char text[SH_LINE_MAX + 1];
	struct split s = { w, 0, false, 0 };
	uint32_t n = (uint32_t)strlcpy(text, line, sizeof(text));

	w->nwords = 0;
	if (n > SH_LINE_MAX)
		return "line too long";
	for (uint32_t i = 0; i < n; i++) {
		char c = text[i];
		bool ok = true;

		if (s.quote && c == s.quote) {
			s.quote = 0;
		} else if (!s.quote && (c == '"' || c == '\'')) {
			s.quote = c;
			s.in_word = true;
		} else if (!s.quote && c == ' ') {
			ok = word_end(&s);
		} else {
			if (c == '\\' && s.quote != '\'' && i + 1 < n)
				c = text[++i];
			ok = word_add(&s, c);
		}
		if (!ok)
			return s.len == SH_WORD_MAX - 1 ? "a word is too long (at most 255 bytes)"
							: "too many words (at most 16)";
	}
	if (s.quote)
		return s.quote == '"' ? "unterminated \" quote" : "unterminated ' quote";
	return word_end(&s) ? NULL : "too many words (at most 16)";
}

// Whether word needs quotes to stay one word.
static bool needs_quotes(const char *word)
{
	char text[SH_WORD_MAX];
	uint32_t n = (uint32_t)strlcpy(text, word, sizeof(text));

	for (uint32_t i = 0; i < n && i < SH_WORD_MAX; i++)
		if (text[i] == ' ' || text[i] == '"' || text[i] == '\'' || text[i] == '\\')
			return true;
	return n == 0;
}

// Appends word to out at *at, in double quotes with \ before " and \
// where it needs them. False when it does not fit.
static bool put_word(const char *word, SIP_COUNT(size) char *out, uint32_t size, uint32_t *at)
{
	char text[SH_WORD_MAX];
	bool quote = needs_quotes(word);
	uint32_t n = (uint32_t)strlcpy(text, word, sizeof(text));

	if (quote && *at < size)
		out[(*at)++] = '"';
	for (uint32_t i = 0; i < n && *at < size; i++) {
		if (quote && (text[i] == '"' || text[i] == '\\') && *at + 1 < size)
			out[(*at)++] = '\\';
		out[(*at)++] = text[i];
	}
	if (quote && *at < size)
		out[(*at)++] = '"';
	return *at < size;
}

bool sh_join(const struct sh_words *w, uint32_t first, SIP_COUNT(size) char *out, uint32_t size)
{
	uint32_t at = 0;

	out[0] = '\0';
	for (uint32_t i = first; i < w->nwords && i < SH_WORDS_MAX; i++) {
		if (i > first && at < size)
			out[at++] = ' ';
		if (!put_word(w->word[i], out, size, &at))
			return false;
	}
	if (at >= size)
		return false;
	out[at] = '\0';
	return true;
}
