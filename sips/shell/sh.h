// SPDX-License-Identifier: MIT
// The shell's parts and what they share: shell.c (the loop and the
// commands), words.c (splitting a line into words, with quoting), term.c
// (the console link: reading a line with completion, Ctrl-C, and waits
// that Ctrl-C ends).
#ifndef SIPS_SHELL_SH_H
#define SIPS_SHELL_SH_H

#include <isola/err.h>
#include <sip/abi.h>
#include <stdbool.h>
#include <stdint.h>

// Manifest: `endpoint ns ns.imp@idle` (handle 1), `endpoint pm procmgr`.
#define SH_NS 1
#define SH_PM 2

#define SH_LINE_MAX 255 // longest command line: the console's
#define SH_WORDS_MAX 16
#define SH_WORD_MAX (SH_LINE_MAX + 1) // a word may fill the line (an SQL query)

// The words of the line being run: word[0..nwords).
struct sh_words {
	char word[SH_WORDS_MAX][SH_WORD_MAX];
	uint32_t nwords;
};

// ---- words.c ----

// Splits line into w: words are separated by spaces; double or single
// quotes keep spaces in a word, a backslash outside single quotes takes
// the next byte as it is. Returns NULL, or what is wrong (unterminated
// quote, too many or too long words).
const char *sh_split(const char *line, struct sh_words *w) ISOLA_MUST_CHECK;
// Joins w->word[first..nwords) into out (size bytes), each quoted again
// where it needs it, as a SIP's argument string (libsip splits it the
// same way). False when it does not fit.
bool sh_join(const struct sh_words *w, uint32_t first, SIP_COUNT(size) char *out,
	     uint32_t size) ISOLA_MUST_CHECK;

// ---- term.c ----

#define SH_READ_CANCELLED (-1) // Ctrl-C dropped the line
#define SH_READ_GONE (-2)      // the console service is gone
#define SH_INTERRUPTED (-1000) // a wait ended by Ctrl-C

// Binds the console twice: one connection to read and print, one to
// hear Ctrl-C. False when there is no console service.
bool sh_term_open(void) ISOLA_MUST_CHECK;
// Adds a word Tab completes (commands, SIP names).
void sh_term_word(const char *word);
// Shows prompt and reads one line into line (size bytes, terminated).
// Returns its length, SH_READ_CANCELLED or SH_READ_GONE.
int32_t sh_term_read(const char *prompt, SIP_COUNT(size) char *line, uint32_t size) ISOLA_MUST_CHECK;
// Waits for SIP id to end, at most timeout_ns (negative: no limit), or
// until Ctrl-C: 0 with *st, SH_INTERRUPTED, or -error (proc_wait's).
int32_t sh_term_wait(int32_t id, int64_t timeout_ns, struct isola_proc_status *st) ISOLA_MUST_CHECK;
// Sleeps ns; false when Ctrl-C ended it early.
bool sh_term_sleep(int64_t ns);

#endif
