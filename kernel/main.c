// SPDX-License-Identifier: MIT
// kmain: the portable start of the kernel, reached from both boot paths.
// Order: log, command line, memory, clock and tick, threads; then either
// the kernel tests named by `ktest=` or the console.
#include <arch.h>
#include <cmdline.h>
#include <initrd.h>
#include <isola/fmt.h>
#include <klog.h>
#include <kmain.h>
#include <kmem.h>
#include <ksip/native.h>
#include <ktest.h>
#include <monitor.h>
#include <panic.h>
#include <prof.h>
#include <sched.h>
#include <sip.h>
#include <string.h>
#include <vmm.h>

static struct cmdline cmdline;
static bool prof_at_boot; // prof=1: profile from boot until init ends

static void log_boot_info(const struct boot_info *bi)
{
	klog(KLOG_INFO, "boot: %s, command line \"%s\"%s", bi->protocol,
	     bi->cmdline, bi->cmdline_truncated ? " (truncated)" : "");
	for (size_t i = 0; i < bi->nmodules; i++)
		klog(KLOG_INFO, "boot: module %zu at %#lx, %lu bytes \"%s\"", i,
		     (unsigned long)bi->modules[i].start,
		     (unsigned long)(bi->modules[i].end - bi->modules[i].start),
		     bi->modules[i].name);
	if (bi->regions_dropped)
		klog(KLOG_WARN, "boot: %zu memory-map entries beyond %d ignored",
		     bi->regions_dropped, BOOT_MAX_REGIONS);
}

// Applies the known keys; reports malformed input and unknown keys, and
// carries on with defaults: a bad command line never stops the boot.
static const char *parse_cmdline(const char *text)
{
	size_t pos = 0;
	if (cmdline_parse(text, &cmdline, &pos) != ERR_OK)
		klog(KLOG_ERROR, "cmdline: syntax error at offset %zu: \"%s\" "
		     "(using the options before it)", pos, text);
	uint64_t level;
	isola_err_t err = cmdline_get_uint(&cmdline, "loglevel", 0, 3, &level);
	if (err == ERR_OK)
		klog_set_level((int)level);
	else if (err != ERR_NOTFOUND)
		klog(KLOG_ERROR, "cmdline: loglevel must be a number 0-3, got \"%s\"",
		     cmdline_get(&cmdline, "loglevel"));
	const char *init = cmdline_get(&cmdline, "init");
	if (init && !*init)
		klog(KLOG_ERROR, "cmdline: init needs a SIP name or 'none'");
	(void)cmdline_get(&cmdline, "initargs"); // read by run_init
	const char *own = cmdline_get(&cmdline, "ownership");
	if (own && strcmp(own, "warn") == 0)
		image_set_ownership_policy(IMAGE_OWN_WARN);
	else if (own && strcmp(own, "strict") == 0)
		image_set_ownership_policy(IMAGE_OWN_STRICT);
	else if (own && strcmp(own, "reject") != 0)
		klog(KLOG_ERROR, "cmdline: ownership must be 'reject', 'warn' or 'strict', "
		     "got \"%s\"", own);
	const char *engine = cmdline_get(&cmdline, "engine");
	const char *bounds = cmdline_get(&cmdline, "bounds");
	if (sip_native_set(engine, NULL) != ERR_OK)
		klog(KLOG_ERROR, "cmdline: engine must be 'jit' or 'interp', got \"%s\"",
		     engine);
	if (sip_native_set(NULL, bounds) != ERR_OK)
		klog(KLOG_ERROR, "cmdline: bounds must be 'guard' or 'explicit', got \"%s\"",
		     bounds);
	uint64_t prof;
	err = cmdline_get_uint(&cmdline, "prof", 0, 1, &prof);
	prof_at_boot = err == ERR_OK && prof == 1;
	if (err != ERR_OK && err != ERR_NOTFOUND)
		klog(KLOG_ERROR, "cmdline: prof must be 0 or 1, got \"%s\"",
		     cmdline_get(&cmdline, "prof"));
	const char *ktest = cmdline_get(&cmdline, "ktest");
	if (ktest && !*ktest) {
		klog(KLOG_ERROR, "cmdline: ktest needs a test name or 'all'");
		ktest = NULL;
	}
	size_t cursor = 0;
	const struct cmdline_opt *o;
	while ((o = cmdline_next_unused(&cmdline, &cursor)))
		klog(KLOG_WARN, "cmdline: unknown option '%s' ignored", o->key);
	return ktest;
}

// Starts the first SIP (`init=NAME`, default "init"; "none" for the
// kernel console only) with the system's authority (a process manager for
// every SIP and the serial port, where its manifest asks for them), and
// waits for it. Returns at once when there is none; the kernel console
// follows.
static void run_init(void)
{
	const char *name = cmdline_get(&cmdline, "init");
	if (!name || !*name)
		name = "init";
	if (strcmp(name, "none") == 0)
		return;
	// initargs=TEXT: init's arguments after its name (argv[1..]).
	static char args[SIP_ARGS_MAX];
	const char *more = cmdline_get(&cmdline, "initargs");
	if (more && *more)
		isola_snprintf(args, sizeof(args), "%s %s", name, more);
	struct vf_diag d;
	uint32_t id;
	isola_err_t err = sip_start_named(name, strlen(name), more && *more ? args : NULL,
					  SIP_RIGHT_PM_SYSTEM | SIP_RIGHT_SERIAL, &id, &d);
	if (err == ERR_NOTFOUND) {
		klog(KLOG_WARN, "init: no SIP '%s' in the initrd", name);
		return;
	}
	if (err != ERR_OK) {
		isola_err_t why = err == ERR_SIP_REJECTED ? d.code : err;
		klog(KLOG_ERROR, "init: cannot start '%s' (error %d %s): %s%s%s", name,
		     (int)why, isola_err_name(why), isola_err_message(why),
		     err == ERR_SIP_REJECTED && d.detail[0] ? ": " : "",
		     err == ERR_SIP_REJECTED ? d.detail : "");
		return;
	}
	enum sip_state st;
	int32_t code;
	isola_err_t werr = sip_wait(id, &st, &code);
	if (prof_at_boot && prof_stop() == ERR_OK)
		prof_print();
	if (werr != ERR_OK)
		return;
	// A session that ended normally is no error.
	bool normal = st == SIP_EXITED && code == 0;
	klog(normal ? KLOG_INFO : KLOG_ERROR,
	     "init: %s %s (%d); the kernel console takes over", name,
	     sip_state_name(st), code);
}

// The initrd is the module GRUB names "initrd", else the first module
// (QEMU's -initrd under PVH has no name).
static void find_initrd(const struct boot_info *bi)
{
	const struct boot_module *m = NULL;
	for (size_t i = 0; i < bi->nmodules; i++)
		if (strcmp(bi->modules[i].name, "initrd") == 0)
			m = &bi->modules[i];
	if (!m && bi->nmodules)
		m = &bi->modules[0];
	if (!m) {
		klog(KLOG_WARN, "boot: no initrd module");
		return;
	}
	initrd_register((const uint8_t *)(uintptr_t)m->start,
			(size_t)(m->end - m->start));
}

void kmain(struct boot_info *bi, isola_err_t boot_err, uint64_t entry_cycles)
{
	kprintf("\n");
	klog(KLOG_INFO, "Isola kernel starting");
	if (boot_err != ERR_OK)
		panic("cannot use the boot information: %s",
		      isola_err_message(boot_err));
	const char *ktest = parse_cmdline(bi->cmdline);
	log_boot_info(bi);
	kernel_test_mode = ktest != NULL;
	kmem_init(bi);
	vmm_init();
	find_initrd(bi);
	kchan_init();
	kaccounts_init();
	kcontracts_init();
	sip_native_init();
	klog(KLOG_INFO, "engine: %s, bounds %s", sip_native_engine(), sip_native_bounds());
	arch_timer_init(SCHED_TICK_HZ);
	sched_init();
	sched_start();
	arch_irq_enable();
	uint64_t boot_us = (arch_cycles() - entry_cycles) / arch_cycles_per_us();
	klog(KLOG_INFO, "isola: ready (kernel entry to ready: %lu.%03lu ms)",
	     (unsigned long)(boot_us / 1000), (unsigned long)(boot_us % 1000));
	prof_tick_setup();
	if (prof_at_boot && prof_start() != ERR_OK)
		klog(KLOG_ERROR, "prof: cannot start the profiler");
	if (ktest)
		ktest_run(ktest);
	run_init();
	monitor_run();
}
