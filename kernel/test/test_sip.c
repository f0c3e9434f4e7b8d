// SPDX-License-Identifier: MIT
// SIPs end to end inside the kernel: spawn, run, end in every way a SIP
// can end, and leave the kernel's counters where they were.
#include <kmem.h>
#include <ktest.h>
#include <sip.h>

KTEST_WASM(sip_hello);
KTEST_WASM(sip_trap);
KTEST_WASM(sip_exit);
KTEST_WASM(sip_badptr);
KTEST_WASM(sip_badimport);
KTEST_WASM(sip_sleep);
KTEST_WASM(spin);
KTEST_WASM(sip_chan);

struct baseline {
	struct kmem_stats mem;
	struct sched_stats sched;
	struct account_totals acct;
};

static void snapshot(struct baseline *b)
{
	sched_yield(); // let exited threads be reaped
	xheap_trim(kchan_heap());
	kmem_trim();
	kmem_stats(&b->mem);
	sched_stats(&b->sched);
	(void)account_sweep(kaccounts());
	account_set_totals(kaccounts(), &b->acct);
}

static void expect_baseline(const struct baseline *before)
{
	struct baseline after;
	snapshot(&after);
	KT_EXPECT(after.mem.heap.objects == before->mem.heap.objects);
	KT_EXPECT(after.mem.frames_free + after.mem.frames_permanent ==
		  before->mem.frames_free + before->mem.frames_permanent);
	KT_EXPECT(after.sched.threads == before->sched.threads);
	// Every account of a SIP that ended is gone, and nothing is charged.
	KT_EXPECT(after.acct.live == before->acct.live);
	KT_EXPECT(after.acct.ended == 0);
	KT_EXPECT(after.acct.pool_used == before->acct.pool_used);
	KT_EXPECT(kchan_heap()->nblocks == 0);
	KT_EXPECT(xheap_check(kchan_heap()) == ERR_OK);
}

// Spawns image, waits for it and checks how it ended.
static void run_expect(const char *name, const uint8_t *image, size_t size,
		       enum sip_state want_state, int32_t want_code)
{
	uint32_t id;
	struct vf_diag d;
	enum sip_state st;
	int32_t code;
	KT_EXPECT(sip_spawn(name, image, size, &id, &d) == ERR_OK);
	KT_EXPECT(sip_wait(id, &st, &code) == ERR_OK);
	KT_EXPECT(st == want_state);
	KT_EXPECT(code == want_code);
}

KTEST(sip_runs_and_exits)
{
	struct baseline b;
	snapshot(&b);
	run_expect("hello", ktest_wasm_sip_hello, KTEST_WASM_SIZE(sip_hello),
		   SIP_EXITED, 0);
	run_expect("exit", ktest_wasm_sip_exit, KTEST_WASM_SIZE(sip_exit),
		   SIP_EXITED, 7);
	expect_baseline(&b);
}

KTEST(sip_faults_are_contained)
{
	struct baseline b;
	snapshot(&b);
	run_expect("trap", ktest_wasm_sip_trap, KTEST_WASM_SIZE(sip_trap),
		   SIP_TRAPPED, ERR_ENG_TRAP_MEMORY);
	run_expect("badptr", ktest_wasm_sip_badptr, KTEST_WASM_SIZE(sip_badptr),
		   SIP_TRAPPED, ERR_ABI_RANGE);
	expect_baseline(&b);
}

KTEST(sip_rejected_images)
{
	struct baseline b;
	uint32_t id = 0;
	struct vf_diag d;
	snapshot(&b);
	// An import the ABI does not have: refused at load, nothing runs.
	KT_EXPECT(sip_spawn("badimport", ktest_wasm_sip_badimport,
			    KTEST_WASM_SIZE(sip_badimport), &id, &d) == ERR_ENG_IMPORT_UNKNOWN);
	// A module that fails validation: refused with the verifier's reason.
	KT_EXPECT(sip_spawn("cut", ktest_wasm_sip_hello,
			    KTEST_WASM_SIZE(sip_hello) - 7, &id, &d) == ERR_SIP_REJECTED);
	KT_EXPECT(d.code != ERR_OK);
	// Not wasm at all.
	static const uint8_t junk[] = "#!/bin/sh\nrm -rf /\n";
	KT_EXPECT(sip_spawn("junk", junk, sizeof(junk), &id, &d) == ERR_SIP_REJECTED);
	// No entry point ("spin" exports only spin).
	KT_EXPECT(sip_spawn("noentry", ktest_wasm_spin, KTEST_WASM_SIZE(spin),
			    &id, &d) == ERR_SIP_NO_ENTRY);
	KT_EXPECT(id == 0);
	expect_baseline(&b);
}

KTEST(sip_kill_running_and_sleeping)
{
	struct baseline b;
	uint32_t sleeper;
	struct vf_diag d;
	enum sip_state st;
	int32_t code;
	snapshot(&b);
	KT_EXPECT(sip_spawn("sleeper", ktest_wasm_sip_sleep,
			    KTEST_WASM_SIZE(sip_sleep), &sleeper, &d) == ERR_OK);
	sched_sleep_ns(20 * 1000000);
	KT_EXPECT(sip_kill(sleeper, 0) == ERR_OK);
	KT_EXPECT(sip_wait(sleeper, &st, &code) == ERR_OK);
	KT_EXPECT(st == SIP_KILLED);
	KT_EXPECT(sip_kill(sleeper, 0) == ERR_NOTFOUND);
	KT_EXPECT(sip_wait(sleeper, &st, &code) == ERR_NOTFOUND);
	expect_baseline(&b);
}

KTEST(sip_many_come_and_go)
{
	struct baseline b;
	snapshot(&b);
	for (int i = 0; i < 50; i++)
		run_expect(i % 2 ? "trap" : "exit",
			   i % 2 ? ktest_wasm_sip_trap : ktest_wasm_sip_exit,
			   i % 2 ? KTEST_WASM_SIZE(sip_trap) : KTEST_WASM_SIZE(sip_exit),
			   i % 2 ? SIP_TRAPPED : SIP_EXITED,
			   i % 2 ? (int32_t)ERR_ENG_TRAP_MEMORY : 7);
	expect_baseline(&b);
}


// Benchmark (numbers only mean something under KVM): the whole life of a
// small SIP, verify + instantiate + start + run + reclaim + wait.
KTEST(bench_sip_lifecycle)
{
	enum { N = 41 };
	uint64_t cycles[N];
	for (int i = 0; i < N; i++) {
		uint32_t id;
		struct vf_diag d;
		enum sip_state st;
		int32_t code;
		uint64_t c0 = arch_cycles();
		KT_EXPECT(sip_spawn("bench", ktest_wasm_sip_exit,
				    KTEST_WASM_SIZE(sip_exit), &id, &d) == ERR_OK);
		KT_EXPECT(sip_wait(id, &st, &code) == ERR_OK);
		cycles[i] = arch_cycles() - c0;
	}
	ktest_sort_u64(cycles, N);
	kprintf("bench: SIP spawn+run+exit+reclaim (%zu-byte image): median %lu cycles, "
		"min %lu, max %lu\n", KTEST_WASM_SIZE(sip_exit),
		(unsigned long)cycles[N / 2], (unsigned long)cycles[0],
		(unsigned long)cycles[N - 1]);
}

// The module below misuses a channel on some paths (a message its state
// does not allow, a block used after it was sent): the verifier's analysis
// refuses it at load time.
KTEST(sip_contract_violation_refused)
{
	uint32_t id = 0;
	struct vf_diag d;
	KT_EXPECT(sip_spawn("chan", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan),
			    &id, &d) == ERR_SIP_REJECTED);
	KT_EXPECT(d.code == ERR_SIP_OWN_SEND || d.code == ERR_SIP_OWN_MOVED);
}

// Channels and blocks through the ABI: a kv conversation with itself, then
// the misuses the kernel must stop at run time: a message the state does
// not allow, a forged handle, a block used after it was sent. The load-time
// analysis would refuse the module, so it only warns here: this tests the
// safety net under it. Nothing is left behind.
KTEST(sip_channels_and_blocks)
{
	struct baseline b;
	image_set_ownership_policy(IMAGE_OWN_WARN);
	snapshot(&b);
	for (int i = 0; i < 3; i++)
		run_expect("chan", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan),
			   SIP_EXITED, 0);
	run_expect("protocol", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan),
		   SIP_TRAPPED, ERR_CHAN_PROTOCOL);
	run_expect("forged", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan),
		   SIP_TRAPPED, ERR_HANDLE_INVALID);
	run_expect("stale", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan),
		   SIP_TRAPPED, ERR_HANDLE_STALE);
	image_set_ownership_policy(IMAGE_OWN_REJECT);
	expect_baseline(&b);
}
