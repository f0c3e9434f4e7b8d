// SPDX-License-Identifier: MIT
// Bounded latency: under a workload a SIP can drive (SIPs started,
// trapping, killed while asleep; channel traffic; a 64 MiB frame run found
// through a stretch where every other frame is held, and an 8 MiB heap
// object through the same; 64 KiB of console output; a linear memory's
// 64 MiB committed, a commit undone and the region released; 1 MiB of
// code memory sealed and freed), interrupts stay off
// for at most 50 microseconds at a time. Run alone, under QEMU's
// instruction counting (qemu.ktest.irqoff), where the guest's clock is a
// count of instructions and the figure repeats exactly.
#include <arch.h>
#include <kmem.h>
#include <ktest.h>
#include <latency.h>
#include <sip.h>
#include <vmm.h>

KTEST_WASM(sip_hello);
KTEST_WASM(sip_trap);
KTEST_WASM(sip_sleep);
KTEST_WASM(sip_chan);

#define IRQOFF_MAX_US 50

static void run_one(const char *name, const uint8_t *image, size_t size)
{
	uint32_t id;
	struct vf_diag d;
	enum sip_state st;
	int32_t code;
	if (sip_spawn(name, image, size, &id, &d) == ERR_OK)
		KT_EXPECT(sip_wait(id, &st, &code) == ERR_OK);
}

// What a linear memory and compiled code cost the page tables.
static void vmm_workload(void)
{
	void *base = NULL;
	KT_EXPECT(vmm_reserve(8ull << 30, &base) == ERR_OK);
	if (base) {
		KT_EXPECT(vmm_commit(base, 0, 64u << 20) == ERR_OK);
		KT_EXPECT(vmm_commit(base, 124u << 20, 128u << 20) == ERR_OK);
		// Fails on its last page: the 4 MiB before it are undone.
		KT_EXPECT(vmm_commit(base, 120u << 20, (124u << 20) + 4096) == ERR_EXISTS);
		vmm_release(base, 8ull << 30);
	}
	void *code = vmm_code_alloc(1u << 20);
	KT_EXPECT(code != NULL);
	if (code) {
		KT_EXPECT(vmm_code_seal(code, 1u << 20) == ERR_OK);
		vmm_code_free(code, 1u << 20);
	}
}

static void workload(void)
{
	uint32_t sleeper;
	struct vf_diag d;
	enum sip_state st;
	int32_t code;
	KT_EXPECT(sip_spawn("sleeper", ktest_wasm_sip_sleep,
			    KTEST_WASM_SIZE(sip_sleep), &sleeper, &d) == ERR_OK);
	for (int i = 0; i < 4; i++) {
		run_one("hello", ktest_wasm_sip_hello, KTEST_WASM_SIZE(sip_hello));
		run_one("trap", ktest_wasm_sip_trap, KTEST_WASM_SIZE(sip_trap));
		run_one("chan", ktest_wasm_sip_chan, KTEST_WASM_SIZE(sip_chan));
	}
	// A long run searched through a fragmented stretch: every other
	// frame of 2048 held.
	static void *frag[2048];
	for (size_t i = 0; i < 2048; i++)
		frag[i] = frames_alloc(1);
	for (size_t i = 1; i < 2048; i += 2)
		if (frag[i])
			frames_free(frag[i], 1);
	void *run = frames_alloc(16384);
	KT_EXPECT(run != NULL);
	if (run)
		frames_free(run, 16384);
	void *big = kmalloc(8u << 20);
	KT_EXPECT(big != NULL);
	kfree(big);
	for (size_t i = 0; i < 2048; i += 2)
		if (frag[i])
			frames_free(frag[i], 1);
	static char text[64 * 1024];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = i % 64 == 63 ? '\n' : '=';
	kputs_raw(text, sizeof(text));
	vmm_workload();
	KT_EXPECT(sip_kill(sleeper, 0) == ERR_OK);
	KT_EXPECT(sip_wait(sleeper, &st, &code) == ERR_OK);
}

KTEST_ALONE(irqoff_bounded)
{
	char line[160];
	struct arch_irqoff io;
	arch_irqoff_reset();
	workload();
	arch_irqoff_stats(&io);
	size_t n = latency_report(line, sizeof(line), false);
	kputs_raw(line, n < sizeof(line) ? n : sizeof(line) - 1);
	KT_EXPECT(io.longest_cycles > 0);
	KT_EXPECT(io.longest_cycles < IRQOFF_MAX_US * arch_cycles_per_us());
}
