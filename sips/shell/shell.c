// SPDX-License-Identifier: MIT
// shell: the interactive shell on the console service. Reads a line (with
// history and Tab completion, term.c), splits it into words (with quoting,
// words.c), runs the command, prints through stdout. Ctrl-C drops a
// half-typed line and stops what runs in the foreground: a SIP, a wait, a
// sleep. Started with more words than its name ("shell CMD ARGS...") it
// runs that one command and exits. Bad input gets a message and a new
// prompt, never an end.
#include "sh.h"

#include <spawn/spawn.h>

#include <sip/sip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SH_PROMPT "isola> "
#define SH_JOBS_MAX 16
#define SH_TEXT_MAX 4096 // the largest report or file shown at once
#define SH_KILL_WAIT_NS 2000000000LL

struct sh_job {
	int32_t id; // 0: a free slot
	char name[32];
};

static struct {
	char line[SH_LINE_MAX + 1];
	struct sh_words w;
	char rest[SH_LINE_MAX + 1]; // the words after the command, re-quoted
	struct sh_job jobs[SH_JOBS_MAX];
	char text[SH_TEXT_MAX + 1];
} sh;

static const char *word(uint32_t i)
{
	return i < sh.w.nwords && i < SH_WORDS_MAX ? sh.w.word[i] : "";
}

// What an error code means, in words.
static const char *error_name(int32_t code)
{
	return isola_err_message((isola_err_t)code);
}

// Prints how a SIP ended, after `who` ("hello" or "[3] hello").
static void print_status(const char *who, const struct isola_proc_status *st)
{
	if (st->state == ISOLA_PROC_EXITED)
		printf("%s: exited (%d)\n", who, (int)st->code);
	else if (st->state == ISOLA_PROC_TRAPPED)
		printf("%s: trapped: %d (%s)\n", who, (int)st->code, error_name(st->code));
	else
		printf("%s: killed\n", who);
}

// ---- output helpers ---------------------------------------------------------

// Whether sh.text[0..n) looks like a binary file: a NUL byte, or more
// than one byte in eight that is neither printable nor white space.
static bool is_binary(uint32_t n)
{
	uint32_t odd = 0;

	for (uint32_t i = 0; i < n && i < SH_TEXT_MAX; i++) {
		unsigned char c = (unsigned char)sh.text[i];

		if (c == 0)
			return true;
		odd += (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c >= 0x7f;
	}
	return odd * 8 > n;
}

// Prints sh.text[0..n) with bytes that are not printable shown as '.';
// `full` is the length of what was cut to SH_TEXT_MAX.
static void text_print(int32_t full)
{
	uint32_t n = full < 0 ? 0 : (uint32_t)full > SH_TEXT_MAX ? SH_TEXT_MAX : (uint32_t)full;

	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)sh.text[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
			sh.text[i] = '.';
	}
	sh.text[n] = '\0';
	printf("%s", sh.text);
	if (n && sh.text[n - 1] != '\n')
		printf("\n");
	if ((uint32_t)full > n)
		printf("(%d more bytes not shown)\n", (int)((uint32_t)full - n));
}

static void info(uint32_t what)
{
	text_print(isola_sys_info(SH_PM, what, sh.text, SH_TEXT_MAX));
}

// A decimal SIP id from word i, or -1 (reported).
static int32_t word_id(uint32_t i, const char *cmd)
{
	char *end = NULL;
	long v = i < sh.w.nwords ? strtol(word(i), &end, 10) : 0;

	if (i >= sh.w.nwords || !end || *end != '\0' || v <= 0 || v > 0x7fffffff) {
		printf("%s: expected a SIP id\n", cmd);
		return -1;
	}
	return (int32_t)v;
}

// ---- jobs -------------------------------------------------------------------

static int32_t job_find(int32_t id)
{
	for (int32_t i = 0; i < SH_JOBS_MAX; i++)
		if (sh.jobs[i].id == id)
			return i;
	return -1;
}

// Reports that job slot j ended and frees it.
static void job_ended(int32_t j, const struct isola_proc_status *st)
{
	char who[48];

	snprintf(who, sizeof(who), "[%d] %s", (int)sh.jobs[j].id, sh.jobs[j].name);
	print_status(who, st);
	sh.jobs[j].id = 0;
}

// Reports the background jobs that have ended since the last prompt.
static void jobs_poll(void)
{
	struct isola_proc_status st;

	for (int32_t j = 0; j < SH_JOBS_MAX; j++)
		if (sh.jobs[j].id > 0 && isola_proc_wait(SH_PM, sh.jobs[j].id, 0, &st) == 0)
			job_ended(j, &st);
}

// Waits for SIP id in the foreground; Ctrl-C stops it. Prints how it
// ended after `who`.
static void wait_foreground(int32_t id, const char *who)
{
	struct isola_proc_status st;
	int32_t r = sh_term_wait(id, -1, &st);

	if (r == SH_INTERRUPTED) {
		(void)isola_proc_kill(SH_PM, id);
		r = isola_proc_wait(SH_PM, id, SH_KILL_WAIT_NS, &st);
	}
	if (r == 0)
		print_status(who, &st);
	else
		printf("%s: still running (%s)\n", who, error_name(-r));
}

// ---- commands ---------------------------------------------------------------

static const char *const commands[] = { "help", "ps", "ls", "run", "wait", "kill", "mem",
					"contracts", "images", "verify", "cat", "echo",
					"sleep", "prof", "exit" };

static void cmd_help(void)
{
	printf("commands:\n"
	       "  help                 this text\n"
	       "  ps                   the SIP table\n"
	       "  ls                   the namespace\n"
	       "  run NAME [ARGS] [&]  start a SIP, wait for it (or not: &);\n"
	       "    --grant pm         with this shell's process manager\n"
	       "  wait ID              wait for a background SIP\n"
	       "  kill ID              stop a SIP\n"
	       "  mem                  the kernel's memory counters\n"
	       "  contracts            the known contracts\n"
	       "  images               the SIP images in the initrd\n"
	       "  verify NAME          verify an image and show its manifest\n"
	       "  cat PATH             show an initrd file\n"
	       "  echo ARGS            print ARGS\n"
	       "  sleep SECONDS        wait\n"
	       "  prof start|stop|show the sampling profiler: its top functions\n"
	       "  exit                 end the shell (and the session)\n"
	       "keys: Ctrl-C stops what runs (or drops the line), Up and Down walk\n"
	       "the history, Tab completes, Ctrl-U and Ctrl-W erase; quote words\n"
	       "with spaces: echo \"two words\".\n");
}

// prof start|stop|show: the kernel's sampling profiler (docs/profiling.md).
static void cmd_prof(void)
{
	static const char *const ops[] = { "start", "stop", "show" };
	const char *op = sh.w.nwords == 2 ? word(1) : "";

	for (uint32_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(op, ops[i]) != 0)
			continue;
		int32_t r = isola_prof_ctl(SH_PM, i, sh.text, SH_TEXT_MAX);

		if (r < 0)
			printf("prof: %s failed (error %d %s: %s)\n", op, (int)-r,
			       isola_err_name((isola_err_t)-r), error_name(-r));
		else if (i == ISOLA_PROF_SHOW)
			text_print(r);
		else
			printf("prof: %s\n", i == ISOLA_PROF_START ? "started" : "stopped");
		return;
	}
	printf("usage: prof start|stop|show\n");
}

static void cmd_ls(void)
{
	int32_t n = spawn_ns_list(SH_NS, sh.text, sizeof(sh.text));

	if (n < 0)
		printf("ls: no name service (%s)\n", error_name(-n));
	else
		text_print(n);
}

// Takes `--grant RIGHT[,RIGHT]` (pm, serial) into g: what the shell
// holds and the user asked to pass on. False (reported) for a right the
// shell does not hold or does not know.
static bool run_grants(const char *text, struct spawn_grants *g)
{
	char bad[SH_WORD_MAX];
	uint32_t rights = 0;

	if (!spawn_rights(text, &rights, bad, sizeof(bad))) {
		printf("run: unknown right '%s' (rights: pm, serial)\n", bad);
		return false;
	}
	if (rights & SPAWN_RIGHT_SERIAL) {
		printf("run: cannot grant serial: the shell does not hold it\n");
		return false;
	}
	g->pm = rights & SPAWN_RIGHT_PM ? SH_PM : 0;
	return true;
}

static void cmd_run(void)
{
	char msg[SPAWN_MSG_MAX];
	struct spawn_grants g = { 0, 0 };
	uint32_t first = 1; // the word with the SIP's name
	bool bg = sh.w.nwords > 2 && strcmp(word(sh.w.nwords - 1), "&") == 0;

	if (sh.w.nwords > 2 && strcmp(word(1), "--grant") == 0) {
		if (!run_grants(word(2), &g))
			return;
		first = 3;
	}
	if (sh.w.nwords < first + 1 || (bg && sh.w.nwords < first + 2)) {
		printf("usage: run [--grant RIGHT[,RIGHT]] NAME [ARGS] [&]\n");
		return;
	}
	if (bg)
		sh.w.nwords--; // the "&"
	if (!sh_join(&sh.w, first, sh.rest, sizeof(sh.rest))) {
		printf("run: arguments too long\n");
		return;
	}
	const char *name = word(first);
	int32_t j = bg ? job_find(0) : 0;

	if (j < 0) {
		printf("run: too many background SIPs\n");
		return;
	}
	int32_t id = spawn_sip(SH_NS, SH_PM, &g, sh.rest, msg, sizeof(msg));

	if (id < 0) {
		printf("run: %s: %s\n", name, msg);
		return;
	}
	if (bg) {
		sh.jobs[j].id = id;
		strlcpy(sh.jobs[j].name, name, sizeof(sh.jobs[j].name));
		printf("[%d] %s\n", (int)id, name);
		return;
	}
	wait_foreground(id, name);
}

static void cmd_wait(void)
{
	int32_t id = word_id(1, "wait");
	int32_t j = id > 0 ? job_find(id) : -1;
	struct isola_proc_status st;

	if (id > 0 && j < 0)
		printf("wait: no background SIP %d\n", (int)id);
	if (j < 0)
		return;
	int32_t r = sh_term_wait(id, -1, &st);

	if (r == 0)
		job_ended(j, &st);
	else if (r == SH_INTERRUPTED)
		printf("wait: interrupted; [%d] %s still runs\n", (int)id, sh.jobs[j].name);
}

static void cmd_kill(void)
{
	struct isola_proc_status st;
	int32_t id = word_id(1, "kill");

	if (id <= 0)
		return;
	int32_t err = isola_proc_kill(SH_PM, id);

	if (err == -ERR_SIP_NOT_CHILD) {
		printf("kill: SIP %d is not this shell's to stop\n", (int)id);
		return;
	}
	if (err != 0) {
		printf("kill: no running SIP %d\n", (int)id);
		return;
	}
	int32_t j = job_find(id);

	if (j < 0)
		printf("kill: asked SIP %d to stop\n", (int)id);
	else if (isola_proc_wait(SH_PM, id, SH_KILL_WAIT_NS, &st) == 0)
		job_ended(j, &st);
	else
		printf("kill: SIP %d has not stopped yet\n", (int)id);
}

static void cmd_verify(void)
{
	if (sh.w.nwords != 2) {
		printf("usage: verify NAME\n");
		return;
	}
	const char *name = word(1);
	int32_t img = isola_image_open(SH_PM, name, (uint32_t)strlen(name), sh.text, SH_TEXT_MAX);

	if (img == -ERR_NOTFOUND) {
		printf("verify: no such SIP '%s'\n", name);
		return;
	}
	if (img == -ERR_SIP_REJECTED) {
		sh.text[SH_TEXT_MAX] = '\0';
		printf("%s: rejected: %s\n", name, sh.text);
		return;
	}
	if (img < 0) {
		printf("verify: %s: %s\n", name, error_name(-img));
		return;
	}
	int32_t n = isola_image_manifest((uint32_t)img, sh.text, SH_TEXT_MAX);

	isola_image_close((uint32_t)img);
	printf("%s: verified (%d bytes of manifest)\n", name, (int)n);
	text_print(n);
}

// cat PATH: an initrd file; a leading '/' is the initrd's root.
static void cmd_cat(void)
{
	if (sh.w.nwords != 2) {
		printf("usage: cat PATH\n");
		return;
	}
	const char *path = word(1);
	char full[SH_WORD_MAX], rel[SH_WORD_MAX];
	uint32_t skip = 0;

	strlcpy(full, path, sizeof(full));
	while (skip < SH_WORD_MAX - 1 && full[skip] == '/')
		skip++;
	strlcpy(rel, &full[skip], sizeof(rel));
	int32_t n = isola_initrd_read(SH_PM, rel, (uint32_t)strlen(rel), sh.text, SH_TEXT_MAX);

	if (n < 0)
		printf("cat: %s: no such file\n", path);
	else if (is_binary((uint32_t)n < SH_TEXT_MAX ? (uint32_t)n : SH_TEXT_MAX))
		printf("cat: %s: a binary file (%d bytes); not shown\n", path, (int)n);
	else
		text_print(n);
}

// echo ARGS: the words, unquoted, one space between.
static void echo_words(void)
{
	for (uint32_t i = 1; i < sh.w.nwords; i++)
		printf("%s%s", i > 1 ? " " : "", word(i));
	printf("\n");
}

static void cmd_sleep(void)
{
	char *end = NULL;
	long s = sh.w.nwords == 2 ? strtol(word(1), &end, 10) : -1;

	if (!end || *end != '\0' || s < 0 || s > 86400) {
		printf("usage: sleep SECONDS (0 to 86400)\n");
		return;
	}
	if (!sh_term_sleep((int64_t)s * 1000000000LL))
		printf("sleep: interrupted\n");
}

// Runs the command in sh.w; false for `exit`.
static bool run_command(void)
{
	const char *c = word(0);

	if (sh.w.nwords == 0)
		return true;
	if (!sh_join(&sh.w, 1, sh.rest, sizeof(sh.rest)))
		sh.rest[0] = '\0';
	if (strcmp(c, "exit") == 0)
		return false;
	if (strcmp(c, "help") == 0)
		cmd_help();
	else if (strcmp(c, "ps") == 0)
		info(0);
	else if (strcmp(c, "mem") == 0)
		info(1);
	else if (strcmp(c, "contracts") == 0)
		info(2);
	else if (strcmp(c, "images") == 0)
		info(3);
	else if (strcmp(c, "ls") == 0)
		cmd_ls();
	else if (strcmp(c, "run") == 0)
		cmd_run();
	else if (strcmp(c, "wait") == 0)
		cmd_wait();
	else if (strcmp(c, "kill") == 0)
		cmd_kill();
	else if (strcmp(c, "verify") == 0)
		cmd_verify();
	else if (strcmp(c, "cat") == 0)
		cmd_cat();
	else if (strcmp(c, "echo") == 0)
		echo_words();
	else if (strcmp(c, "sleep") == 0)
		cmd_sleep();
	else if (strcmp(c, "prof") == 0)
		cmd_prof();
	else
		printf("shell: unknown command '%s' (try help)\n", c);
	return true;
}

// The words Tab completes: the commands and the SIPs of the initrd (the
// first word of each line of the images report).
static void completion_words(void)
{
	for (uint32_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		sh_term_word(commands[i]);
	int32_t n = isola_sys_info(SH_PM, 3, sh.text, SH_TEXT_MAX);
	uint32_t len = n < 0 ? 0 : (uint32_t)n < SH_TEXT_MAX ? (uint32_t)n : SH_TEXT_MAX;
	char name[SH_WORD_MAX];
	uint32_t k = 0;
	bool first = true;

	for (uint32_t i = 0; i < len; i++) {
		char c = sh.text[i];

		if (c == '\n') {
			first = true;
			continue;
		}
		if (first && c != ' ' && k < SH_WORD_MAX - 1) {
			name[k++] = c;
			continue;
		}
		if (first && k) {
			name[k] = '\0';
			sh_term_word(name);
		}
		first = false;
		k = 0;
	}
}

// Runs the words of the argument string after the shell's name as one
// command ("shell sleep 10").
static int run_args(void)
{
	int32_t n = isola_args(sh.line, SH_LINE_MAX);

	sh.line[n < 0 ? 0 : n > SH_LINE_MAX ? SH_LINE_MAX : n] = '\0';
	if (n > SH_LINE_MAX) {
		printf("shell: arguments too long (%d bytes, at most %d)\n", (int)n, SH_LINE_MAX);
		return 1;
	}
	const char *err = sh_split(sh.line, &sh.w);

	if (err) {
		printf("shell: %s\n", err);
		return 1;
	}
	// Drop the first word, the shell's own name.
	for (uint32_t i = 1; i < sh.w.nwords && i < SH_WORDS_MAX; i++)
		strlcpy(sh.w.word[i - 1], sh.w.word[i], SH_WORD_MAX);
	if (sh.w.nwords)
		sh.w.nwords--;
	run_command();
	return 0;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return run_args();
	if (!sh_term_open()) {
		printf("shell: no console service\n");
		return 1;
	}
	completion_words();
	for (;;) {
		jobs_poll();
		int32_t n = sh_term_read(SH_PROMPT, sh.line, sizeof(sh.line));

		if (n == SH_READ_GONE)
			return 1;
		if (n <= 0)
			continue; // empty, or dropped with Ctrl-C
		const char *err = sh_split(sh.line, &sh.w);

		if (err) {
			printf("shell: %s\n", err);
			continue;
		}
		if (!run_command())
			return 0;
	}
}
