// SPDX-License-Identifier: MIT
// The process part of the kernel ABI, as the system's init calls it (a
// driven "init" from the initrd, started by the kernel with the system
// process manager and the serial port): images, spawn, kill, wait, the
// kernel's reports, initrd files and the serial port, with good, bad and
// hostile arguments; a SIP without the right is refused (ERR_ABI_DENIED),
// a scoped process manager reaches only its own children.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "abi_fixture.h"

#include <prof.h>

#define NAME 0x100u
#define BUF 0x1000u // 8 KiB for reports
#define OUT 0x3000u
#define PM 1u
#define SERIAL 2u

struct proc_fixture {
	struct host_baseline base;
	uint32_t id;
	struct sip *s;
	uint64_t m;
};

static int init_setup(void **state)
{
	static struct proc_fixture f;
	struct vf_diag d;
	memset(&f, 0, sizeof(f));
	host_snapshot(&f.base);
	assert_int_equal(sip_start_named("init", 4, NULL,
					 SIP_RIGHT_PM_SYSTEM | SIP_RIGHT_SERIAL,
					 &f.id, &d), ERR_OK);
	f.s = host_sip(f.id);
	assert_non_null(f.s);
	f.m = host_mem(f.s)->size;
	*state = &f;
	return 0;
}

static int init_teardown(void **state)
{
	struct proc_fixture *f = *state;
	assert_null(host_check_ownership());
	abi_end(f->id);
	host_run_all(); // children nobody ran
	// Children that ended unwaited leave with their table slots; images
	// stay cached (not counted), their contracts with them.
	struct host_baseline now;
	host_snapshot(&now);
	assert_int_equal(now.threads, f->base.threads);
	assert_int_equal(now.acct.ended, 0);
	assert_int_equal(kchan_heap()->nblocks, 0);
	return 0;
}

static uint32_t put_name(struct sip *s, const char *name)
{
	memcpy(abi_at(s, NAME), name, strlen(name));
	return (uint32_t)strlen(name);
}

static uint32_t open_image(struct sip *s, const char *name)
{
	uint32_t n = put_name(s, name);
	uint64_t h = ABI_OK(s, "image_open", ARGS(PM, NAME, n, OUT, 256));
	assert_true((int32_t)h > 0);
	return (uint32_t)h;
}

static void images(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	uint32_t img = open_image(s, "benchnull");
	uint64_t len = ABI_OK(s, "image_manifest", ARGS(img, BUF, 4096));
	assert_true(len > 0 && len < 4096);
	abi_at(s, BUF)[len] = 0;
	assert_non_null(strstr((char *)abi_at(s, BUF), "name benchnull"));
	assert_int_equal(ABI_OK(s, "image_manifest", ARGS(img, f->m, 0)), len);
	ABI_STOPS(s, "image_manifest", ERR_ABI_RANGE, ARGS(img, f->m - 4, 8));
	ABI_STOPS(s, "image_manifest", ERR_HANDLE_KIND, ARGS(PM, BUF, 8));
	// Unknown names and names that are no names.
	uint32_t n = put_name(s, "nosuch");
	ABI_FAILS(s, "image_open", ERR_NOTFOUND, ARGS(PM, NAME, n, OUT, 256));
	ABI_FAILS(s, "image_open", ERR_NOTFOUND, ARGS(PM, NAME, 0, OUT, 256));
	memcpy(abi_at(s, NAME), "benchnull\0x", 11);
	ABI_FAILS(s, "image_open", ERR_NOTFOUND, ARGS(PM, NAME, 11, OUT, 256));
	ABI_STOPS(s, "image_open", ERR_ABI_RANGE, ARGS(PM, f->m - 3, 9, OUT, 256));
	ABI_STOPS(s, "image_open", ERR_ABI_RANGE, ARGS(PM, 0xfffffff8u, 9, OUT, 256));
	ABI_STOPS(s, "image_open", ERR_ABI_RANGE, ARGS(PM, NAME, 9, f->m - 8, 9));
	// Only a process manager opens images.
	ABI_STOPS(s, "image_open", ERR_ABI_DENIED, ARGS(SERIAL, NAME, 9, OUT, 256));
	ABI_STOPS(s, "image_open", ERR_ABI_DENIED, ARGS(img, NAME, 9, OUT, 256));
	ABI_STOPS(s, "image_open", ERR_ABI_DENIED, ARGS(0x7777, NAME, 9, OUT, 256));
	// At most SIP_IMAGES_MAX image handles.
	uint32_t more[SIP_IMAGES_MAX];
	for (int i = 1; i < SIP_IMAGES_MAX; i++)
		more[i] = open_image(s, "benchnull");
	n = put_name(s, "benchnull");
	ABI_FAILS(s, "image_open", ERR_LIMIT, ARGS(PM, NAME, n, OUT, 256));
	for (int i = 1; i < SIP_IMAGES_MAX; i++)
		assert_int_equal(ABI_OK(s, "image_close", ARGS(more[i])), 0);
	assert_int_equal(ABI_OK(s, "image_close", ARGS(img)), 0);
	ABI_STOPS(s, "image_close", ERR_HANDLE_STALE, ARGS(img));
	ABI_STOPS(s, "image_close", ERR_HANDLE_KIND, ARGS(PM));
	assert_int_equal(s->images, 0);
}

static void spawn_kill_wait(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	uint32_t img = open_image(s, "benchnull");
	memcpy(abi_at(s, NAME), "benchnull x", 11);
	uint64_t id = ABI_OK(s, "proc_spawn", ARGS(img, NAME, 11, OUT, 0));
	assert_true((int32_t)id > 0);
	// Not run yet: a wait times out, on the clock.
	ABI_FAILS(s, "proc_wait", ERR_TIMEOUT, ARGS(PM, id, 1000, OUT));
	assert_true(host_run_sip((uint32_t)id));
	assert_int_equal(ABI_OK(s, "proc_wait", ARGS(PM, id, -1, OUT)), 0);
	assert_int_equal(abi_get32(s, OUT), SIP_EXITED);
	assert_int_equal(abi_get32(s, OUT + 4), 0);
	ABI_FAILS(s, "proc_wait", ERR_NOTFOUND, ARGS(PM, id, 0, OUT));
	ABI_FAILS(s, "proc_kill", ERR_NOTFOUND, ARGS(PM, id));
	ABI_FAILS(s, "proc_wait", ERR_INVAL, ARGS(PM, f->id, 0, OUT)); // itself
	ABI_STOPS(s, "proc_wait", ERR_ABI_RANGE, ARGS(PM, id, 0, f->m - 7));
	ABI_STOPS(s, "proc_kill", ERR_ABI_DENIED, ARGS(SERIAL, id));
	// Killed before it ran.
	id = ABI_OK(s, "proc_spawn", ARGS(img, NAME, 9, OUT, 0));
	assert_int_equal(ABI_OK(s, "proc_kill", ARGS(PM, id)), 0);
	assert_true(host_run_sip((uint32_t)id));
	assert_int_equal(ABI_OK(s, "proc_wait", ARGS(PM, id, 0, OUT)), 0);
	assert_int_equal(abi_get32(s, OUT), SIP_KILLED);
	// Bad spawns: wrong number of initial handles, long arguments, ranges,
	// a handle that is no image.
	ABI_FAILS(s, "proc_spawn", ERR_SIP_ENDPOINTS, ARGS(img, NAME, 9, OUT, 1));
	ABI_FAILS(s, "proc_spawn", ERR_SIP_ENDPOINTS, ARGS(img, NAME, 9, OUT, 1000));
	ABI_FAILS(s, "proc_spawn", ERR_RANGE, ARGS(img, BUF, SIP_ARGS_MAX + 1, OUT, 0));
	ABI_STOPS(s, "proc_spawn", ERR_ABI_RANGE, ARGS(img, f->m - 4, 9, OUT, 0));
	ABI_STOPS(s, "proc_spawn", ERR_ABI_RANGE, ARGS(img, NAME, 9, 0xfffffffcu, 2));
	ABI_STOPS(s, "proc_spawn", ERR_ABI_RANGE, ARGS(img, NAME, 9, OUT, 0x40000001u));
	ABI_STOPS(s, "proc_spawn", ERR_HANDLE_KIND, ARGS(PM, NAME, 9, OUT, 0));
	ABI_OK(s, "image_close", ARGS(img));
	ABI_STOPS(s, "proc_spawn", ERR_HANDLE_STALE, ARGS(img, NAME, 9, OUT, 0));
}

// A child given a process manager of its own reaches only its children.
static void scoped_process_manager(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	uint32_t img = open_image(s, "benchquick");
	abi_put32(s, OUT, 0); // a new scoped manager, not ours
	uint64_t cid = ABI_OK(s, "proc_spawn", ARGS(img, NAME, 4, OUT, 1));
	assert_true((int32_t)cid > 0);
	struct sip *c = host_sip((uint32_t)cid);
	ABI_FAILS(c, "proc_kill", ERR_SIP_NOT_CHILD, ARGS(PM, f->id));
	ABI_FAILS(c, "proc_wait", ERR_SIP_NOT_CHILD, ARGS(PM, f->id, 0, OUT));
	ABI_FAILS(c, "sys_info", ERR_SIP_NOT_CHILD, ARGS(PM, 5, OUT, 16));
	ABI_FAILS(c, "prof_ctl", ERR_ABI_DENIED, ARGS(PM, 0, OUT, 0));
	ABI_FAILS(c, "prof_ctl", ERR_ABI_DENIED, ARGS(PM, 2, OUT, 16));
	assert_true(ABI_OK(c, "sys_info", ARGS(PM, 0, OUT, 16)) > 0);
	ABI_STOPS(c, "serial_write", ERR_ABI_DENIED, ARGS(SERIAL, NAME, 1));
	ABI_STOPS(c, "serial_write", ERR_ABI_DENIED, ARGS(PM, NAME, 1));
	// Passing on our own manager gives the child the system's scope.
	abi_put32(s, OUT, PM);
	uint64_t sys = ABI_OK(s, "proc_spawn", ARGS(img, NAME, 4, OUT, 1));
	assert_int_equal(ABI_OK(host_sip((uint32_t)sys), "proc_kill", ARGS(PM, cid)), 0);
	// A capability it does not have (the image handle as a manager)
	// stops the spawner.
	abi_put32(s, OUT, img);
	ABI_STOPS(s, "proc_spawn", ERR_HANDLE_KIND, ARGS(img, NAME, 4, OUT, 1));
	ABI_OK(s, "proc_kill", ARGS(PM, sys));
	ABI_OK(s, "image_close", ARGS(img));
	assert_true(host_run_sip((uint32_t)cid));
	assert_true(host_run_sip((uint32_t)sys));
	ABI_OK(s, "proc_wait", ARGS(PM, cid, 0, OUT));
	ABI_OK(s, "proc_wait", ARGS(PM, sys, 0, OUT));
}

static void reports_and_files(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	for (uint32_t what = 0; what <= 5; what++) {
		uint64_t n = ABI_OK(s, "sys_info", ARGS(PM, what, BUF, 8192));
		assert_true(n > 0 && n < 8192);
	}
	assert_true(ABI_OK(s, "sys_info", ARGS(PM, 1, f->m, 0)) > 0);
	ABI_FAILS(s, "sys_info", ERR_INVAL, ARGS(PM, 6, BUF, 8192));
	ABI_STOPS(s, "sys_info", ERR_ABI_RANGE, ARGS(PM, 0, f->m - 10, 11));
	ABI_STOPS(s, "sys_info", ERR_ABI_DENIED, ARGS(SERIAL, 0, BUF, 16));
	uint32_t n = put_name(s, "motd");
	uint64_t size = ABI_OK(s, "initrd_read", ARGS(PM, NAME, n, BUF, 4096));
	assert_true(size > 0 && size < 4096);
	assert_int_equal(ABI_OK(s, "initrd_read", ARGS(PM, NAME, n, BUF, 0)), size);
	n = put_name(s, "nosuch");
	ABI_FAILS(s, "initrd_read", ERR_NOTFOUND, ARGS(PM, NAME, n, BUF, 16));
	ABI_FAILS(s, "initrd_read", ERR_NOTFOUND, ARGS(PM, NAME, 4096, BUF, 16));
	ABI_STOPS(s, "initrd_read", ERR_ABI_RANGE, ARGS(PM, NAME, 4, f->m - 1, 2));
	ABI_STOPS(s, "initrd_read", ERR_ABI_RANGE, ARGS(PM, 0xffffffffu, 4, BUF, 2));
	ABI_STOPS(s, "initrd_read", ERR_ABI_DENIED, ARGS(SERIAL, NAME, 4, BUF, 2));
}

// The profiler through prof_ctl: every state and every bad argument, with
// samples recorded as the timer interrupt and the engine's hook would.
static void profiler(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	const char *text = (const char *)abi_at(s, BUF);
	ABI_FAILS(s, "prof_ctl", ERR_PROF_STOPPED, ARGS(PM, 1, BUF, 0));
	assert_true(ABI_OK(s, "prof_ctl", ARGS(PM, 2, BUF, 8192)) > 0);
	assert_non_null(strstr(text, "no samples"));
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 0, BUF, 0)), 0);
	ABI_FAILS(s, "prof_ctl", ERR_PROF_RUNNING, ARGS(PM, 0, BUF, 0));
	ABI_FAILS(s, "prof_ctl", ERR_PROF_RUNNING, ARGS(PM, 2, BUF, 8192));
	// One sample in SIP code, completed at the next poll point, then
	// kernel samples past the buffer's end: they are dropped, counted.
	prof_record(0, s, NULL, true, false);
	prof_sip_sample(s, 1, 7);
	prof_sip_sample(s, 2, 9); // no sample pending: ignored
	for (uint32_t i = 0; i < PROF_SAMPLES_MAX + 4; i++)
		prof_record(0x1000, s, NULL, false, false);
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 1, BUF, 0)), 0);
	ABI_FAILS(s, "prof_ctl", ERR_PROF_STOPPED, ARGS(PM, 1, BUF, 0));
	uint64_t n = ABI_OK(s, "prof_ctl", ARGS(PM, 2, BUF, 8192));
	assert_true(n > 0 && n < 8192 && strlen(text) == n);
	assert_non_null(strstr(text, "16384 samples at 1000 Hz, 5 dropped"));
	assert_non_null(strstr(text, "kernel ?"));
	assert_non_null(strstr(text, "wasm   "));
	// A short buffer gets the start; the result is still the full length.
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 2, BUF, 10)), n);
	ABI_FAILS(s, "prof_ctl", ERR_INVAL, ARGS(PM, 3, BUF, 16));
	ABI_FAILS(s, "prof_ctl", ERR_INVAL, ARGS(PM, 0xffffffffu, BUF, 16));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_RANGE, ARGS(PM, 2, f->m - 10, 11));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_RANGE, ARGS(PM, 2, BUF, 0xffffffffu));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_RANGE, ARGS(PM, 0, 0xfffffff0u, 32));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_DENIED, ARGS(SERIAL, 0, BUF, 16));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_DENIED, ARGS(0xffffffffu, 0, BUF, 16));
}

// Another SIP's prof_ctl while a report is being written (the report
// runs with interrupts on and may be preempted): a second show and a
// start are refused, and the refused show leaves the first report's
// guard alone, so the samples it reads stay as they are.
static isola_err_t interloper_show, interloper_start;

static void preempted_report(void)
{
	static char buf[64];
	size_t n;
	host_env.on_ksyms = NULL; // once
	interloper_show = prof_show(buf, sizeof(buf), 5, &n);
	interloper_start = prof_start();
}

static void report_preempted(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	const char *text = (const char *)abi_at(s, BUF);
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 0, BUF, 0)), 0);
	for (uint32_t i = 0; i < 10; i++)
		prof_record(0x1000, s, NULL, false, false);
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 1, BUF, 0)), 0);
	host_env.on_ksyms = preempted_report;
	assert_true(ABI_OK(s, "prof_ctl", ARGS(PM, 2, BUF, 8192)) > 0);
	assert_null(host_env.on_ksyms); // the report did look symbols up
	assert_int_equal(interloper_show, ERR_BUSY);
	assert_int_equal(interloper_start, ERR_BUSY);
	assert_non_null(strstr(text, "10 samples at 1000 Hz"));
	assert_non_null(strstr(text, "100.0%"));
	// The first report done, the profiler is free again.
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 0, BUF, 0)), 0);
	assert_int_equal(ABI_OK(s, "prof_ctl", ARGS(PM, 1, BUF, 0)), 0);
}

static void serial_port(void **state)
{
	struct proc_fixture *f = *state;
	struct sip *s = f->s;
	uint64_t saved = host_env.now_ns;
	uint32_t n = put_name(s, "to the port");
	host_log_clear();
	assert_int_equal(ABI_OK(s, "serial_write", ARGS(SERIAL, NAME, n)), 0);
	assert_true(host_log_has("to the port"));
	ABI_STOPS(s, "serial_write", ERR_ABI_RANGE, ARGS(SERIAL, f->m - 1, 2));
	ABI_STOPS(s, "serial_write", ERR_ABI_DENIED, ARGS(PM, NAME, 1));
	static const uint8_t typed[] = "ls\n";
	host_env.console = typed;
	host_env.console_len = 3;
	assert_int_equal(ABI_OK(s, "serial_read", ARGS(SERIAL, BUF, 2, 0)), 2);
	assert_int_equal(ABI_OK(s, "serial_read", ARGS(SERIAL, BUF + 2, 16, 0)), 1);
	assert_memory_equal(abi_at(s, BUF), "ls\n", 3);
	uint64_t t0 = host_env.now_ns;
	assert_int_equal(ABI_OK(s, "serial_read", ARGS(SERIAL, BUF, 16, 50000000)), 0);
	assert_true(host_env.now_ns >= t0 + 50000000);
	ABI_STOPS(s, "serial_read", ERR_ABI_RANGE, ARGS(SERIAL, 0xfffffff0u, 32, 0));
	ABI_STOPS(s, "serial_read", ERR_ABI_DENIED, ARGS(0, BUF, 1, 0));
	host_env.now_ns = saved;
}

// A SIP with no rights at all is refused every one of these calls.
static void no_rights(void **state)
{
	(void)state;
	uint32_t id;
	struct sip *s = abi_sip(&id);
	ABI_STOPS(s, "image_open", ERR_ABI_DENIED, ARGS(PM, NAME, 4, OUT, 16));
	ABI_STOPS(s, "proc_kill", ERR_ABI_DENIED, ARGS(PM, 1));
	ABI_STOPS(s, "proc_wait", ERR_ABI_DENIED, ARGS(PM, 1, 0, OUT));
	ABI_STOPS(s, "sys_info", ERR_ABI_DENIED, ARGS(PM, 0, OUT, 16));
	ABI_STOPS(s, "prof_ctl", ERR_ABI_DENIED, ARGS(PM, 0, OUT, 0));
	ABI_STOPS(s, "initrd_read", ERR_ABI_DENIED, ARGS(PM, NAME, 4, OUT, 16));
	ABI_STOPS(s, "serial_write", ERR_ABI_DENIED, ARGS(SERIAL, NAME, 1));
	ABI_STOPS(s, "serial_read", ERR_ABI_DENIED, ARGS(SERIAL, OUT, 1, 0));
	ABI_STOPS(s, "proc_spawn", ERR_HANDLE_INVALID, ARGS(1, NAME, 4, OUT, 0));
	ABI_STOPS(s, "image_manifest", ERR_HANDLE_INVALID, ARGS(1, OUT, 4));
	ABI_STOPS(s, "image_close", ERR_HANDLE_INVALID, ARGS(1));
	abi_end(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(images, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(spawn_kill_wait, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(scoped_process_manager, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(reports_and_files, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(profiler, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(report_preempted, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(serial_port, init_setup, init_teardown),
		cmocka_unit_test_setup_teardown(no_rights, init_setup, init_teardown),
	};
	return cmocka_run_group_tests(tests, abi_boot, NULL);
}
