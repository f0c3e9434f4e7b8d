// SPDX-License-Identifier: MIT
// The kernel console (see monitor.h): read a line, run a command, repeat.
#include <arch.h>
#include <console.h>
#include <initrd.h>
#include <klog.h>
#include <kmem.h>
#include <monitor.h>
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
	struct kmem_stats s;
	kmem_stats(&s);
	kprintf("frames: %zu free of %zu (%zu KiB free)\n", s.frames_free,
		s.frames_total, s.frames_free * 4);
	kprintf("heap: %zu objects, %zu bytes, %zu pages\n", s.heap.objects,
		s.heap.bytes_in_use, s.heap.pages);
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

static const struct command commands[] = {
	{ "help", "list commands", cmd_help },
	{ "mem", "memory counters", cmd_mem },
	{ "threads", "scheduler counters", cmd_threads },
	{ "uptime", "time since boot", cmd_uptime },
	{ "ls", "list the files of the initrd", cmd_ls },
	{ "cat", "print a file of the initrd", cmd_cat },
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
		kprintf("isola> ");
		console_readline(line, sizeof(line));
		run_line(line);
	}
}
