// SPDX-License-Identifier: MIT
// The kernel console (see monitor.h): read a line, run a command, repeat.
#include <arch.h>
#include <console.h>
#include <initrd.h>
#include <isola/fmt.h>
#include <sip.h>
#include <klog.h>
#include <kmem.h>
#include <latency.h>
#include <monitor.h>
#include <prof.h>
#include <sched.h>
#include <string.h>

struct command {
	const char *name;
	const char *help;
	void (*run)(const char *arg);
};

static void cmd_help(const char *arg);

static void cmd_mem(const char *arg)
{
	(void)arg;
	char text[512];
	size_t n = sip_memory_report(text, sizeof(text));
	kputs_raw(text, n < sizeof(text) ? n : sizeof(text) - 1);
}

// irqoff [reset]: the longest interrupts-off stretch and where it was.
static void cmd_irqoff(const char *arg)
{
	char text[160];
	bool reset = strcmp(arg, "reset") == 0;
	if (*arg && !reset) {
		kprintf("usage: irqoff [reset]\n");
		return;
	}
	size_t n = latency_report(text, sizeof(text), reset);
	kputs_raw(text, n < sizeof(text) ? n : sizeof(text) - 1);
}

static void cmd_threads(const char *arg)
{
	(void)arg;
	struct sched_stats s;
	sched_stats(&s);
	kprintf("threads: %zu, context switches: %lu, ticks: %lu\n", s.threads,
		(unsigned long)s.switches, (unsigned long)s.ticks);
}

static void cmd_uptime(const char *arg)
{
	(void)arg;
	uint64_t ms = arch_time_ns() / 1000000;
	kprintf("up %lu.%03lu s\n", (unsigned long)(ms / 1000),
		(unsigned long)(ms % 1000));
}

static void cmd_halt(const char *arg)
{
	(void)arg;
	// A profile still running (prof=1 with init=none) is printed now.
	if (prof_stop() == ERR_OK)
		prof_print();
	kprintf("halting\n");
	arch_exit(true);
}

static void cmd_ls(const char *arg)
{
	const uint8_t *base;
	size_t size, cursor = 0;
	struct initrd_file f;
	isola_err_t err;
	(void)arg;
	if (!initrd_image(&base, &size)) {
		kprintf("no initrd\n");
		return;
	}
	while ((err = initrd_next(base, size, &cursor, &f)) == ERR_OK)
		kprintf("%8zu  %s\n", f.size, f.name);
	if (err != ERR_NOTFOUND)
		kprintf("initrd: %s\n", isola_err_message(err));
}

static void cmd_cat(const char *arg)
{
	const uint8_t *base;
	size_t size;
	struct initrd_file f;
	if (!*arg) {
		kprintf("usage: cat FILE\n");
		return;
	}
	if (!initrd_image(&base, &size)) {
		kprintf("no initrd\n");
		return;
	}
	isola_err_t err = initrd_find(base, size, arg, &f);
	if (err != ERR_OK) {
		kprintf("cat: %s: %s\n", arg,
			err == ERR_NOTFOUND ? "no such file" : isola_err_message(err));
		return;
	}
	kputs_raw((const char *)f.data, f.size);
}

// ps: the SIP table, as the shell shows it (sip_report).
static void cmd_ps(const char *arg)
{
	const size_t len = 8192;
	char *text = kmalloc(len);
	(void)arg;
	if (!text) {
		kprintf("ps: out of memory\n");
		return;
	}
	size_t n = sip_report(text, len);
	kputs_raw(text, n < len ? n : len - 1);
	kfree(text);
}

// Parses a decimal SIP id; false for anything else.
static bool parse_id(const char *s, uint32_t *id)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0xffffffffu / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*id = (uint32_t)v;
	return v <= 0xffffffffu;
}

static void cmd_kill(const char *arg)
{
	uint32_t id;
	if (!parse_id(arg, &id)) {
		kprintf("usage: kill ID (see ps)\n");
		return;
	}
	isola_err_t err = sip_kill(id, 0);
	if (err != ERR_OK)
		kprintf("kill: no running SIP %s\n", arg);
}

static void print_rejection(const char *name, const struct vf_diag *d)
{
	kprintf("run: %s rejected (error %d %s): %s", name, (int)d->code,
		isola_err_name(d->code), isola_err_message(d->code));
	if (d->detail[0])
		kprintf(" (%s)", d->detail);
	kprintf(" at offset %#x", d->offset);
	if (d->func_index != VF_NO_INDEX)
		kprintf(", function %u", d->func_index);
	kprintf("\n");
}

// Takes "--grant RIGHT[,RIGHT] " off the front of *arg (rights pm,
// serial) into *rights. False (reported) for a bad right.
static bool take_grants(const char **arg, unsigned *rights)
{
	static const char opt[] = "--grant ";
	*rights = 0;
	if (strncmp(*arg, opt, sizeof(opt) - 1) != 0)
		return true;
	const char *r = *arg + sizeof(opt) - 1;
	while (*r && *r != ' ') {
		size_t n = strcspn(r, ", ");
		if (n == 2 && strncmp(r, "pm", 2) == 0) {
			*rights |= SIP_RIGHT_PM_SYSTEM;
		} else if (n == 6 && strncmp(r, "serial", 6) == 0) {
			*rights |= SIP_RIGHT_SERIAL;
		} else {
			kprintf("run: unknown right '%.*s' (rights: pm, serial)\n",
				(int)n, r);
			return false;
		}
		r += n + (r[n] == ',');
	}
	while (*r == ' ')
		r++;
	*arg = r;
	return true;
}

// run [--grant RIGHTS] NAME [ARGS] [&]: starts sips/NAME.sip from the
// initrd with the argument string "NAME ARGS" and waits for it; a line
// ending in '&' runs in the background (see ps, kill). The kernel grants
// nothing privileged unless asked: a procmgr line gets a manager of the
// SIP's own children, `hardware serial` is refused.
static void cmd_run(const char *arg)
{
	char name[SIP_NAME_MAX], args[SIP_ARGS_MAX];
	unsigned rights;
	if (!take_grants(&arg, &rights))
		return;
	size_t n = strlen(arg);
	bool background = n && arg[n - 1] == '&';
	if (background)
		n--;
	while (n && arg[n - 1] == ' ')
		n--;
	size_t len = strcspn(arg, " ");
	if (len > n)
		len = n;
	if (!len || len >= sizeof(name) || n >= sizeof(args)) {
		kprintf("usage: run [--grant pm,serial] NAME [ARGS] [&]   (NAME from: ls sips/)\n");
		return;
	}
	memcpy(name, arg, len);
	name[len] = '\0';
	memcpy(args, arg, n);
	args[n] = '\0';
	uint32_t id;
	struct vf_diag d;
	isola_err_t err = sip_start_named(name, len, args, rights, &id, &d);
	if (err == ERR_SIP_REJECTED) {
		print_rejection(name, &d);
		return;
	}
	if (err == ERR_NOTFOUND) {
		kprintf("run: no such SIP '%s'\n", name);
		return;
	}
	if (err == ERR_SIP_ENDPOINTS) {
		kprintf("run: cannot start %s (error %d %s): it asks for endpoints "
			"that only a spawner with channels can give (start it "
			"from the shell)\n", name, (int)err, isola_err_name(err));
		return;
	}
	if (err == ERR_SIP_NOT_GRANTED) {
		kprintf("run: cannot start %s (error %d %s): it needs the serial "
			"port, which was not granted (run --grant serial %s)\n",
			name, (int)err, isola_err_name(err), name);
		return;
	}
	if (err != ERR_OK) {
		kprintf("run: cannot start %s (error %d %s): %s\n", name, (int)err,
			isola_err_name(err), isola_err_message(err));
		return;
	}
	if (background) {
		kprintf("[%u] %s\n", id, name);
		return;
	}
	enum sip_state st;
	int32_t code;
	if (sip_wait(id, &st, &code) == ERR_OK)
		kprintf("%s: %s (%d)\n", name, sip_state_name(st), code);
}

static void cmd_wait(const char *arg)
{
	uint32_t id;
	enum sip_state st;
	int32_t code;
	if (!parse_id(arg, &id)) {
		kprintf("usage: wait ID\n");
		return;
	}
	if (sip_wait(id, &st, &code) != ERR_OK) {
		kprintf("wait: no SIP %s to wait for\n", arg);
		return;
	}
	kprintf("%u: %s (%d)\n", id, sip_state_name(st), code);
}

static const struct command commands[] = {
	{ "help", "list commands", cmd_help },
	{ "mem", "memory counters", cmd_mem },
	{ "threads", "scheduler counters", cmd_threads },
	{ "irqoff", "longest interrupts-off stretch; 'irqoff reset' starts again", cmd_irqoff },
	{ "uptime", "time since boot", cmd_uptime },
	{ "ls", "list the files of the initrd", cmd_ls },
	{ "cat", "print a file of the initrd", cmd_cat },
	{ "run", "run sips/NAME.sip [ARGS]; 'run NAME &' in the background; "
		 "'run --grant pm,serial NAME' grants those", cmd_run },
	{ "ps", "list SIPs", cmd_ps },
	{ "kill", "stop SIP ID", cmd_kill },
	{ "wait", "wait for SIP ID to end", cmd_wait },
	{ "halt", "stop the machine", cmd_halt },
};

static void cmd_help(const char *arg)
{
	(void)arg;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(commands); i++)
		kprintf("  %-8s %s\n", commands[i].name, commands[i].help);
}

// Splits "name arg..." in place: trims spaces, returns the argument text.
static char *split_command(char *line)
{
	size_t n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	char *sp = strchr(line, ' ');
	if (!sp)
		return line + n;
	*sp++ = '\0';
	while (*sp == ' ')
		sp++;
	return sp;
}

static void run_line(char *line)
{
	while (*line == ' ')
		line++;
	if (!*line)
		return;
	char *arg = split_command(line);
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(commands); i++) {
		if (strcmp(line, commands[i].name) == 0) {
			commands[i].run(arg);
			return;
		}
	}
	kprintf("unknown command '%s' (try 'help')\n", line);
}

void monitor_run(void)
{
	char line[128];
	kprintf("Isola kernel console. Type 'help' for commands.\n");
	for (;;) {
		kprintf("kernel> ");
		console_readline(line, sizeof(line));
		run_line(line);
	}
}
