// SPDX-License-Identifier: MIT
// shell: the interactive shell on the console service. Reads a line with
// the console contract's read_line over its own console connection (bound
// through ns), runs the command, prints through stdout. Started with more
// words than its name ("shell CMD ARGS...") it runs that one command and
// exits. Bad input gets a message and a new prompt, never an end.
#include "../spawn/spawn.h"

#include <console.h>
#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Manifest: `endpoint ns ns.imp@idle` (handle 1), `endpoint pm procmgr`.
#define SH_NS 1
#define SH_PM 2

#define SH_LINE_MAX 200  // longest command line
#define SH_WORDS_MAX 16
#define SH_WORD_MAX 64
#define SH_JOBS_MAX 16
#define SH_TEXT_MAX 4096 // the largest report or file shown at once
#define SH_KILL_WAIT_NS 2000000000LL

struct sh_job {
	int32_t id; // 0: a free slot
	char name[32];
};

static struct {
	uint32_t console; // the key of our console connection's importing end
			  // (parked in the endpoint set), state ready
	char line[SH_LINE_MAX + 1];
	char word[SH_WORDS_MAX][SH_WORD_MAX];
	uint32_t nwords;
	char rest[SH_LINE_MAX + 1]; // the words after the command, joined
	struct sh_job jobs[SH_JOBS_MAX];
	char text[SH_TEXT_MAX + 1];
} sh;

// The kernel errors a SIP commonly ends with, and what they mean.
static const struct {
	int32_t code;
	const char *name;
} sh_errors[] = {
	{ ERR_HANDLE_INVALID, "invalid handle" },
	{ ERR_HANDLE_STALE, "stale handle" },
	{ ERR_HANDLE_KIND, "handle of another kind" },
	{ ERR_SIP_MEMORY_LIMIT, "memory limit reached" },
	{ ERR_ABI_RANGE, "pointer or length outside linear memory" },
	{ ERR_ABI_DENIED, "call not allowed (missing right)" },
	{ ERR_CHAN_PROTOCOL, "message not allowed in this state (protocol)" },
	{ ERR_CHAN_NOT_OWNER, "endpoint or block not owned" },
	{ ERR_CHAN_PAYLOAD, "payload does not match the message" },
	{ ERR_CHAN_DUPLICATE, "block or endpoint moved twice" },
	{ ERR_CHAN_SELF, "channel end sent over itself" },
	{ ERR_CHAN_BUFFER, "receive buffer too small" },
	{ ERR_ENG_TRAP_UNREACHABLE, "unreachable" },
	{ ERR_ENG_TRAP_MEMORY, "out of bounds memory access" },
	{ ERR_ENG_TRAP_DIV_ZERO, "integer divide by zero" },
	{ ERR_ENG_TRAP_INT_OVERFLOW, "integer overflow" },
	{ ERR_ENG_TRAP_CONVERSION, "invalid conversion to integer" },
	{ ERR_ENG_TRAP_UNDEFINED_ELEM, "undefined table element" },
	{ ERR_ENG_TRAP_NULL_ELEM, "uninitialized table element" },
	{ ERR_ENG_TRAP_SIGNATURE, "indirect call type mismatch" },
	{ ERR_ENG_TRAP_STACK, "call stack exhausted" },
	{ ERR_ENG_TRAP_TABLE, "out of bounds table access" },
	{ ERR_ENG_OUT_OF_FUEL, "out of fuel" },
};

static const char *error_name(int32_t code)
{
	for (size_t i = 0; i < sizeof(sh_errors) / sizeof(sh_errors[0]); i++)
		if (sh_errors[i].code == code)
			return sh_errors[i].name;
	return "see common/include/isola/err";
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

// ---- the console ----------------------------------------------------------

// Binds /svc/console through ns for a connection of our own; false if none.
static bool console_open(void)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;
	uint32_t exp = 0, imp = 0;

	if (rt_chan_create(hash, &exp, &imp) != 0)
		return false;
	if (spawn_ns_bind(SH_NS, "/svc/console", exp) != 0) {
		rt_chan_close(imp);
		return false;
	}
	sh.console = isola_eset_put(imp);
	return true;
}

// Reads one line into sh.line. Returns its length, -1 when it was too long
// or held control bytes (reported), -2 when the console is gone.
static int32_t console_read(void)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;
	uint32_t text = 0, msg = 0;
	uint32_t con = isola_eset_take(sh.console, hash);

	rt_chan_send(con, CONSOLE_MSG_READ_LINE, NULL, 0);
	int32_t gone = rt_chan_recv(con, &text, sizeof(text), &msg);

	sh.console = isola_eset_put(con);
	if (gone != 0)
		return -2;
	int32_t n = isola_blk_len(text);
	uint32_t take = (uint32_t)n < SH_LINE_MAX ? (uint32_t)n : SH_LINE_MAX;

	isola_blk_read(text, 0, sh.line, take);
	isola_blk_free(text);
	sh.line[take] = '\0';
	if (n > SH_LINE_MAX) {
		printf("shell: line too long (%d bytes, at most %d)\n", (int)n, SH_LINE_MAX);
		return -1;
	}
	for (uint32_t i = 0; i < take; i++) {
		unsigned char c = (unsigned char)sh.line[i];

		if (c == '\t')
			sh.line[i] = ' ';
		else if (c < 0x20 || c >= 0x7f) {
			printf("shell: line ignored: byte 0x%02x at column %u is not printable\n", c,
			       (unsigned)i + 1);
			return -1;
		}
	}
	return (int32_t)take;
}

// Joins the words from the first-th on into sh.rest.
static void line_rest_from(uint32_t first)
{
	sh.rest[0] = '\0';
	for (uint32_t i = first; i < sh.nwords && i < SH_WORDS_MAX; i++) {
		if (i > first)
			strlcat(sh.rest, " ", sizeof(sh.rest));
		strlcat(sh.rest, sh.word[i], sizeof(sh.rest));
	}
}

// Joins the words after the command into sh.rest.
static void line_rest(void)
{
	line_rest_from(1);
}

// Splits sh.line into sh.word and sh.rest. False (reported) when there are
// too many or too long words.
static bool line_split(void)
{
	uint32_t len = 0;

	sh.nwords = 0;
	for (uint32_t i = 0; i <= SH_LINE_MAX; i++) {
		char c = sh.line[i];

		if (c != ' ' && c != '\0') {
			if (sh.nwords == SH_WORDS_MAX || len == SH_WORD_MAX - 1) {
				printf("shell: too many or too long words\n");
				return false;
			}
			sh.word[sh.nwords][len++] = c;
			continue;
		}
		if (len)
			sh.word[sh.nwords++][len] = '\0';
		len = 0;
		if (c == '\0')
			break;
	}
	line_rest();
	return true;
}

// ---- output helpers ---------------------------------------------------------

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
	long v = i < sh.nwords ? strtol(sh.word[i], &end, 10) : 0;

	if (i >= sh.nwords || !end || *end != '\0' || v <= 0 || v > 0x7fffffff) {
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

// Waits for job slot j (timeout_ns as proc_wait); true when it has ended
// (reported and the slot freed).
static bool job_reap(int32_t j, int64_t timeout_ns)
{
	struct isola_proc_status st;
	char who[48];

	if (isola_proc_wait(SH_PM, sh.jobs[j].id, timeout_ns, &st) != 0)
		return false;
	snprintf(who, sizeof(who), "[%d] %s", (int)sh.jobs[j].id, sh.jobs[j].name);
	print_status(who, &st);
	sh.jobs[j].id = 0;
	return true;
}

// Reports the background jobs that have ended since the last prompt.
static void jobs_poll(void)
{
	for (int32_t j = 0; j < SH_JOBS_MAX; j++)
		if (sh.jobs[j].id > 0)
			(void)job_reap(j, 0);
}

// ---- commands ---------------------------------------------------------------

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
	       "  exit                 end the shell (and the session)\n");
}

static void cmd_ls(void)
{
	int32_t n = spawn_ns_list(SH_NS, sh.text, sizeof(sh.text));

	if (n < 0)
		printf("ls: no name service (%d)\n", (int)n);
	else
		text_print(n);
}

// Takes `--grant RIGHT[,RIGHT]` (pm, serial) into g: what the shell
// holds and the user asked to pass on. False (reported) for a right the
// shell does not hold or does not know.
static bool run_grants(const char *rights, struct spawn_grants *g)
{
	char r[SH_WORD_MAX];
	uint32_t i = 0;

	strlcpy(r, rights, sizeof(r));
	while (r[i]) {
		uint32_t n = (uint32_t)strcspn(&r[i], ",");

		if (n == 2 && strncmp(&r[i], "pm", 2) == 0) {
			g->pm = SH_PM;
		} else if (n == 6 && strncmp(&r[i], "serial", 6) == 0) {
			printf("run: cannot grant serial: the shell does not hold it\n");
			return false;
		} else {
			printf("run: unknown right '%.*s' (rights: pm, serial)\n", (int)n, &r[i]);
			return false;
		}
		i += n + (r[i + n] == ',');
	}
	return true;
}

static void cmd_run(void)
{
	char msg[SPAWN_MSG_MAX];
	struct spawn_grants g = { 0, 0 };
	uint32_t first = 1; // the word with the SIP's name
	bool bg = sh.nwords > 2 && strcmp(sh.word[sh.nwords - 1], "&") == 0;

	if (sh.nwords > 2 && strcmp(sh.word[1], "--grant") == 0) {
		if (!run_grants(sh.word[2], &g))
			return;
		first = 3;
	}
	if (sh.nwords < first + 1 || (bg && sh.nwords < first + 2)) {
		printf("usage: run [--grant RIGHT[,RIGHT]] NAME [ARGS] [&]\n");
		return;
	}
	line_rest_from(first);
	uint32_t len = (uint32_t)strlen(sh.rest);
	const char *name = sh.word[first];

	if (bg)
		sh.rest[len > 2 ? len - 2 : 0] = '\0'; // drop " &"
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
	struct isola_proc_status st;

	if (isola_proc_wait(SH_PM, id, -1, &st) == 0)
		print_status(name, &st);
}

static void cmd_wait(void)
{
	int32_t id = word_id(1, "wait");
	int32_t j = id > 0 ? job_find(id) : -1;

	if (id > 0 && j < 0)
		printf("wait: no background SIP %d\n", (int)id);
	if (j >= 0)
		(void)job_reap(j, -1);
}

static void cmd_kill(void)
{
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
	else if (!job_reap(j, SH_KILL_WAIT_NS))
		printf("kill: SIP %d has not stopped yet\n", (int)id);
}

static void cmd_verify(void)
{
	if (sh.nwords != 2) {
		printf("usage: verify NAME\n");
		return;
	}
	const char *name = sh.word[1];
	int32_t img = isola_image_open(SH_PM, name, (uint32_t)strlen(name), sh.text, SH_TEXT_MAX);

	if (img == -ERR_NOTFOUND) {
		printf("verify: no such SIP '%s'\n", name);
		return;
	}
	if (img < 0) {
		sh.text[SH_TEXT_MAX] = '\0';
		printf("%s: rejected: %s\n", name, sh.text);
		return;
	}
	int32_t n = isola_image_manifest((uint32_t)img, sh.text, SH_TEXT_MAX);

	isola_image_close((uint32_t)img);
	printf("%s: verified (%d bytes of manifest)\n", name, (int)n);
	text_print(n);
}

static void cmd_cat(void)
{
	if (sh.nwords != 2) {
		printf("usage: cat PATH\n");
		return;
	}
	const char *path = sh.word[1];
	int32_t n = isola_initrd_read(SH_PM, path, (uint32_t)strlen(path), sh.text, SH_TEXT_MAX);

	if (n < 0)
		printf("cat: %s: no such file\n", path);
	else
		text_print(n);
}

static void cmd_sleep(void)
{
	char *end = NULL;
	long s = sh.nwords == 2 ? strtol(sh.word[1], &end, 10) : -1;

	if (!end || *end != '\0' || s < 0 || s > 86400) {
		printf("usage: sleep SECONDS (0 to 86400)\n");
		return;
	}
	isola_sleep_ns((int64_t)s * 1000000000LL);
}

// Runs the command in sh.word; false for `exit`.
static bool run_command(void)
{
	const char *c = sh.word[0];

	if (sh.nwords == 0)
		return true;
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
		printf("%s\n", sh.rest);
	else if (strcmp(c, "sleep") == 0)
		cmd_sleep();
	else
		printf("shell: unknown command '%s' (try help)\n", c);
	return true;
}

// Runs the words of the argument string after the shell's name as one
// command ("shell sleep 10").
static int run_args(void)
{
	int32_t n = isola_args(sh.line, SH_LINE_MAX);

	sh.line[n < 0 ? 0 : n > SH_LINE_MAX ? SH_LINE_MAX : n] = '\0';
	if (n > SH_LINE_MAX || !line_split())
		return 1;
	// Drop the first word, the shell's own name.
	for (uint32_t i = 1; i < sh.nwords && i < SH_WORDS_MAX; i++)
		strlcpy(sh.word[i - 1], sh.word[i], sizeof(sh.word[i - 1]));
	sh.nwords--;
	line_rest();
	run_command();
	return 0;
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return run_args();
	if (!console_open()) {
		printf("shell: no console service\n");
		return 1;
	}
	for (;;) {
		jobs_poll();
		printf("isola> ");
		sip_flush();
		int32_t n = console_read();

		if (n == -2)
			return 1;
		if (n <= 0 || !line_split())
			continue;
		if (!run_command())
			return 0;
	}
}
