// SPDX-License-Identifier: MIT
// The kernel console (see monitor.h): read a line, run a command, repeat.
#include <arch.h>
#include <console.h>
#include <klog.h>
#include <kmem.h>
#include <monitor.h>
#include <sched.h>
#include <string.h>

struct command {
	const char *name;
	const char *help;
	void (*run)(void);
};

static void cmd_help(void);

static void cmd_mem(void)
{
	struct kmem_stats s;
	kmem_stats(&s);
	kprintf("frames: %zu free of %zu (%zu KiB free)\n", s.frames_free,
		s.frames_total, s.frames_free * 4);
	kprintf("heap: %zu objects, %zu bytes, %zu pages\n", s.heap.objects,
		s.heap.bytes_in_use, s.heap.pages);
}

static void cmd_threads(void)
{
	struct sched_stats s;
	sched_stats(&s);
	kprintf("threads: %zu, context switches: %lu, ticks: %lu\n", s.threads,
		(unsigned long)s.switches, (unsigned long)s.ticks);
}

static void cmd_uptime(void)
{
	uint64_t ms = arch_time_ns() / 1000000;
	kprintf("up %lu.%03lu s\n", (unsigned long)(ms / 1000),
		(unsigned long)(ms % 1000));
}

static void cmd_halt(void)
{
	kprintf("halting\n");
	arch_exit(true);
}

static const struct command commands[] = {
	{ "help", "list commands", cmd_help },
	{ "mem", "memory counters", cmd_mem },
	{ "threads", "scheduler counters", cmd_threads },
	{ "uptime", "time since boot", cmd_uptime },
	{ "halt", "stop the machine", cmd_halt },
};

static void cmd_help(void)
{
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(commands); i++)
		kprintf("  %-8s %s\n", commands[i].name, commands[i].help);
}

static void run_line(const char *line)
{
	while (*line == ' ')
		line++;
	if (!*line)
		return;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(commands); i++) {
		if (strcmp(line, commands[i].name) == 0) {
			commands[i].run();
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
