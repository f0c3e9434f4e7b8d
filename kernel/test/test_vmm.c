// SPDX-License-Identifier: MIT
// Kernel tests of memory protection (vmm.h, arch.h): the kernel image's
// page protections; code memory written, sealed, run and freed; reserved
// regions committed and released with every frame and page table back;
// commits that run out of memory; and faults in sealed code and reserved
// regions taken by a handler that resumes at a recovery point
// (vmm_recover.S).
#include <arch.h>
#include <kmem.h>
#include <ktest.h>
#include <string.h>
#include <vmm.h>

// vmm_recover.S: fn(arg), or -1 when the handler resumed at
// ktest_vmm_recover.
int64_t ktest_vmm_call(const void *fn, uint64_t arg);
void ktest_vmm_recover(void);

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)
#define REGION (8 * GIB + 64 * KIB) // a linear memory's most and a guard

// x86-64 machine code.
static const uint8_t code_ret42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 }; // mov eax, 42; ret
static const uint8_t code_ret7[] = { 0xb8, 0x07, 0, 0, 0, 0xc3 };  // mov eax, 7; ret
static const uint8_t code_store[] = { 0xc6, 0x07, 0x00, 0xc3 };    // mov byte [rdi], 0; ret
static const uint8_t code_call[] = { 0xff, 0xd7, 0xc3 };           // call rdi; ret
static const uint8_t code_ud2[] = { 0x0f, 0x0b };                  // ud2
static const uint8_t code_div0[] = { 0x31, 0xc9, 0xf7, 0xf1, 0xc3 }; // xor ecx, ecx; div ecx; ret

struct baseline {
	struct kmem_stats mem;
	struct vmm_stats vmm;
};

static void take_baseline(struct baseline *b)
{
	kmem_trim();
	kmem_stats(&b->mem);
	vmm_stats(&b->vmm);
}

// Every frame, page table, region and code page is back.
static void expect_baseline(const struct baseline *b)
{
	struct baseline now;
	take_baseline(&now);
	KT_EXPECT(now.mem.frames_free + now.mem.frames_permanent ==
		  b->mem.frames_free + b->mem.frames_permanent);
	KT_EXPECT(now.vmm.regions == b->vmm.regions);
	KT_EXPECT(now.vmm.committed_pages == b->vmm.committed_pages);
	KT_EXPECT(now.vmm.table_frames == b->vmm.table_frames);
	KT_EXPECT(now.vmm.code_pages == b->vmm.code_pages);
}

// The protection of ordinary data: not executable, where the CPU can say so.
static unsigned data_prot(void)
{
	return ARCH_PROT_READ | ARCH_PROT_WRITE | (arch_has_nx() ? 0 : ARCH_PROT_EXEC);
}

static uint64_t addr(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

// ---- the kernel image ---------------------------------------------------

static const uint32_t rodata_words[4] = { 1, 2, 3, 4 };
static uint32_t data_words[4] = { 1, 2, 3, 4 };
static uint32_t bss_words[4];

KTEST(vmm_kernel_image_protected)
{
	// Without a no-execute bit data stays executable (qemu.ktest.all
	// requires the bit: QEMU's CPUs have it).
	unsigned x = arch_has_nx() ? 0 : ARCH_PROT_EXEC;
	KT_EXPECT(arch_page_prot(addr(ktest_vmm_call)) == (ARCH_PROT_READ | ARCH_PROT_EXEC));
	KT_EXPECT(arch_page_prot(addr(kmem_stats)) == (ARCH_PROT_READ | ARCH_PROT_EXEC));
	KT_EXPECT(arch_page_prot(addr(rodata_words)) == (ARCH_PROT_READ | x));
	KT_EXPECT(arch_page_prot(addr(code_ret42)) == (ARCH_PROT_READ | x));
	KT_EXPECT(arch_page_prot(addr(data_words)) == data_prot());
	KT_EXPECT(arch_page_prot(addr(bss_words)) == data_prot());
	volatile uint32_t local = 0;
	KT_EXPECT(arch_page_prot(addr(&local)) == data_prot());
	void *heap = kmalloc(64);
	KT_EXPECT(heap && arch_page_prot(addr(heap)) == data_prot());
	kfree(heap);
	KT_EXPECT(arch_page_prot(3 * GIB) == data_prot()); // a 2 MiB page
	KT_EXPECT(arch_page_prot(0) == 0);                  // page 0 stays absent
	KT_EXPECT(arch_page_prot(ARCH_REGION_BASE) == 0);
	KT_EXPECT(!vmm_is_code(addr(ktest_vmm_call)));
	KT_EXPECT(!vmm_is_code(addr(data_words)));
	KT_EXPECT(!vmm_is_code(0) && !vmm_is_code(UINT64_MAX));
}

// ---- code memory ------------------------------------------------------

static bool is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

KTEST(vmm_code_roundtrip)
{
	struct baseline b;
	take_baseline(&b);
	size_t size = 3 * VMM_PAGE + 100; // four pages
	uint8_t *p = vmm_code_alloc(size);
	KT_EXPECT(p && addr(p) % VMM_PAGE == 0);
	if (!p)
		return;
	KT_EXPECT(is_zero(p, 4 * VMM_PAGE));
	struct vmm_stats s;
	vmm_stats(&s);
	KT_EXPECT(s.code_pages == b.vmm.code_pages + 4);
	KT_EXPECT(arch_page_prot(addr(p)) == data_prot());
	KT_EXPECT(!vmm_is_code(addr(p)));
	memcpy(p, code_ret42, sizeof(code_ret42));
	memcpy(p + 3 * VMM_PAGE, code_ret7, sizeof(code_ret7));
	KT_EXPECT(vmm_code_seal(p, size) == ERR_OK);
	KT_EXPECT(vmm_is_code(addr(p)) && vmm_is_code(addr(p) + 4 * VMM_PAGE - 1));
	KT_EXPECT(arch_page_prot(addr(p) + 2 * VMM_PAGE) == (ARCH_PROT_READ | ARCH_PROT_EXEC));
	KT_EXPECT(ktest_vmm_call(p, 0) == 42);
	KT_EXPECT(ktest_vmm_call(p + 3 * VMM_PAGE, 0) == 7);
	// Sealed is for good.
	KT_EXPECT(vmm_code_seal(p, size) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal(p + VMM_PAGE, VMM_PAGE) == ERR_INVAL);
	vmm_code_free(p, size);
	KT_EXPECT(!vmm_is_code(addr(p)));
	KT_EXPECT(arch_page_prot(addr(p)) == data_prot());
	expect_baseline(&b);
}

KTEST(vmm_code_seal_checks)
{
	struct baseline b;
	take_baseline(&b);
	uint8_t *p = vmm_code_alloc(2 * VMM_PAGE);
	KT_EXPECT(p != NULL);
	if (!p)
		return;
	void *heap = kmalloc(2 * VMM_PAGE);
	// Only open code memory can be sealed, from a page boundary.
	KT_EXPECT(vmm_code_seal(p + 1, 100) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal(p, 0) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal(p, 3 * VMM_PAGE) == ERR_INVAL); // one page beyond
	KT_EXPECT(vmm_code_seal(NULL, VMM_PAGE) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal((void *)ISOLA_ALIGN_UP((uintptr_t)heap, VMM_PAGE),
				VMM_PAGE) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal((void *)ISOLA_ALIGN_DOWN((uintptr_t)ktest_vmm_call, VMM_PAGE),
				VMM_PAGE) == ERR_INVAL);
	KT_EXPECT(vmm_code_seal((void *)ARCH_REGION_BASE, VMM_PAGE) == ERR_INVAL);
	KT_EXPECT(!vmm_is_code(addr(p)));
	// A part may be sealed while the rest is still written.
	KT_EXPECT(vmm_code_seal(p, VMM_PAGE) == ERR_OK);
	KT_EXPECT(vmm_is_code(addr(p)) && !vmm_is_code(addr(p) + VMM_PAGE));
	memcpy(p + VMM_PAGE, code_ret7, sizeof(code_ret7));
	KT_EXPECT(vmm_code_seal(p + VMM_PAGE, 1) == ERR_OK);
	KT_EXPECT(ktest_vmm_call(p + VMM_PAGE, 0) == 7);
	vmm_code_free(p, 2 * VMM_PAGE);
	kfree(heap);
	// Sizes no memory can hold.
	KT_EXPECT(vmm_code_alloc(0) == NULL);
	KT_EXPECT(vmm_code_alloc(SIZE_MAX) == NULL);
	KT_EXPECT(vmm_code_alloc((b.mem.frames_total + 1) * (size_t)VMM_PAGE) == NULL);
	expect_baseline(&b);
}

// ---- faults taken by a handler ------------------------------------------

static struct {
	unsigned n;
	uint64_t rip, addr;
} seen;

static bool resume_handler(uint64_t rip, uint64_t fault_addr, uint64_t *resume_rip)
{
	seen.n++;
	seen.rip = rip;
	seen.addr = fault_addr;
	*resume_rip = addr(ktest_vmm_recover);
	return true;
}

// Sealed code: each snippet at its own 16 bytes.
enum { AT_STORE = 0, AT_CALL = 16, AT_UD2 = 32, AT_DIV0 = 48 };

static uint8_t *sealed_snippets(void)
{
	uint8_t *p = vmm_code_alloc(VMM_PAGE);
	if (!p)
		return NULL;
	memcpy(p + AT_STORE, code_store, sizeof(code_store));
	memcpy(p + AT_CALL, code_call, sizeof(code_call));
	memcpy(p + AT_UD2, code_ud2, sizeof(code_ud2));
	memcpy(p + AT_DIV0, code_div0, sizeof(code_div0));
	if (vmm_code_seal(p, VMM_PAGE) != ERR_OK) {
		vmm_code_free(p, VMM_PAGE);
		return NULL;
	}
	return p;
}

// Calls the snippet at p with arg; true when it faulted once, at rip
// (as the handler sees it) with fault address fault_addr.
static bool faults_at(const uint8_t *p, uint64_t arg, uint64_t rip, uint64_t fault_addr)
{
	unsigned before = seen.n;
	int64_t r = ktest_vmm_call(p, arg);
	bool ok = r == -1 && seen.n == before + 1 && seen.rip == rip && seen.addr == fault_addr;
	if (!ok)
		klog(KLOG_ERROR, "vmm test: got %ld, %u faults, rip %#lx, address %#lx",
		     (long)r, seen.n - before, (unsigned long)seen.rip,
		     (unsigned long)seen.addr);
	return ok;
}

KTEST(vmm_code_faults_resume)
{
	struct baseline b;
	take_baseline(&b);
	uint8_t *p = sealed_snippets();
	KT_EXPECT(p != NULL);
	if (!p)
		return;
	vmm_fault_fn saved = vmm_set_fault_handler(resume_handler);
	// Sealed code writing to itself: a page fault on the write.
	KT_EXPECT(faults_at(p + AT_STORE, addr(p), addr(p + AT_STORE), addr(p)));
	KT_EXPECT(p[AT_STORE] == code_store[0]);
	// Invalid opcode and divide error: any exception of sealed code.
	KT_EXPECT(faults_at(p + AT_UD2, 0, addr(p + AT_UD2), 0));
	KT_EXPECT(faults_at(p + AT_DIV0, 0, addr(p + AT_DIV0 + 2), 0));
	// Sealed code calling into heap, stack and frame data: the fetch
	// faults, charged to the call's return address.
	uint8_t *heap = kmalloc(64);
	uint8_t *frame = frames_alloc(1);
	volatile uint8_t stack[16];
	KT_EXPECT(heap && frame);
	if (heap && frame && arch_has_nx()) {
		memcpy(heap, code_ret7, sizeof(code_ret7));
		memcpy(frame, code_ret7, sizeof(code_ret7));
		for (size_t i = 0; i < sizeof(code_ret7); i++)
			stack[i] = code_ret7[i];
		uint64_t ret = addr(p + AT_CALL + 2);
		KT_EXPECT(faults_at(p + AT_CALL, addr(heap), ret, addr(heap)));
		KT_EXPECT(faults_at(p + AT_CALL, addr(stack), ret, addr(stack)));
		KT_EXPECT(faults_at(p + AT_CALL, addr(frame), ret, addr(frame)));
		// Into sealed code the same call works.
		KT_EXPECT(ktest_vmm_call(p + AT_CALL, addr(p + AT_UD2)) == -1);
	}
	vmm_set_fault_handler(saved);
	kfree(heap);
	if (frame)
		frames_free(frame, 1);
	vmm_code_free(p, VMM_PAGE);
	expect_baseline(&b);
}

static int64_t read_u64(uint64_t a)
{
	return (int64_t)*(volatile uint64_t *)(uintptr_t)a;
}

static int64_t write_u64(uint64_t a)
{
	*(volatile uint64_t *)(uintptr_t)a = 0x5a5a;
	return 0;
}

// Whether rip lies in the first bytes of fn (the access in it).
static bool is_in(uint64_t rip, const void *fn)
{
	return rip >= addr(fn) && rip < addr(fn) + 64;
}

KTEST(vmm_region_faults_resume)
{
	struct baseline b;
	take_baseline(&b);
	void *base = NULL;
	KT_EXPECT(vmm_reserve(REGION, &base) == ERR_OK);
	if (!base)
		return;
	uint64_t a = addr(base) + 5 * GIB;
	vmm_fault_fn saved = vmm_set_fault_handler(resume_handler);
	// Kernel code reading and writing a reserved page not committed.
	unsigned before = seen.n;
	KT_EXPECT(ktest_vmm_call(read_u64, a) == -1);
	KT_EXPECT(seen.n == before + 1 && seen.addr == a && is_in(seen.rip, read_u64));
	KT_EXPECT(ktest_vmm_call(write_u64, a + 8) == -1);
	KT_EXPECT(seen.n == before + 2 && seen.addr == a + 8 && is_in(seen.rip, write_u64));
	// The guard at the region's end.
	KT_EXPECT(ktest_vmm_call(read_u64, addr(base) + REGION - 8) == -1);
	KT_EXPECT(seen.n == before + 3);
	// Committed, the same page reads and writes.
	KT_EXPECT(vmm_commit(base, 5 * GIB, 5 * GIB + 64 * KIB) == ERR_OK);
	KT_EXPECT(ktest_vmm_call(read_u64, a) == 0);
	KT_EXPECT(ktest_vmm_call(write_u64, a + 8) == 0);
	KT_EXPECT(ktest_vmm_call(read_u64, a + 8) == 0x5a5a);
	KT_EXPECT(seen.n == before + 3);
	vmm_set_fault_handler(saved);
	vmm_release(base, REGION);
	expect_baseline(&b);
}

// ---- reserved regions -------------------------------------------------

// Writes a pattern to each page of [a, a + n) after checking it is zero.
static bool fill_zeroed(uint64_t a, uint64_t n)
{
	bool ok = true;
	for (uint64_t off = 0; off < n; off += VMM_PAGE) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(a + off);
		ok = ok && w[0] == 0 && w[VMM_PAGE / 8 - 1] == 0;
		w[0] = a + off;
		w[VMM_PAGE / 8 - 1] = ~(a + off);
	}
	for (uint64_t off = 0; off < n; off += VMM_PAGE) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)(a + off);
		ok = ok && w[0] == a + off && w[VMM_PAGE / 8 - 1] == ~(a + off);
	}
	return ok;
}

KTEST(vmm_region_roundtrip)
{
	struct baseline b;
	take_baseline(&b);
	void *base = NULL;
	KT_EXPECT(vmm_reserve(REGION, &base) == ERR_OK);
	if (!base)
		return;
	uint64_t a = addr(base);
	KT_EXPECT(a >= ARCH_REGION_BASE && a + REGION <= ARCH_REGION_LIMIT);
	KT_EXPECT(a % ARCH_REGION_GRANULE == 0);
	KT_EXPECT(vmm_is_reserved(a) && vmm_is_reserved(a + REGION - 1));
	KT_EXPECT(!vmm_is_reserved(a + REGION) && !vmm_is_reserved(a - 1));
	KT_EXPECT(arch_page_prot(a) == 0);
	// The start, across a 2 MiB boundary, and the end of a linear memory.
	KT_EXPECT(vmm_commit(base, 0, MIB) == ERR_OK);
	KT_EXPECT(vmm_commit(base, 2 * MIB - 8 * KIB, 2 * MIB + 8 * KIB) == ERR_OK);
	KT_EXPECT(vmm_commit(base, 8 * GIB - 64 * KIB, 8 * GIB) == ERR_OK);
	KT_EXPECT(vmm_commit(base, 4 * KIB, 4 * KIB) == ERR_OK); // empty
	KT_EXPECT(fill_zeroed(a, MIB));
	KT_EXPECT(fill_zeroed(a + 2 * MIB - 8 * KIB, 16 * KIB));
	KT_EXPECT(fill_zeroed(a + 8 * GIB - 64 * KIB, 64 * KIB));
	KT_EXPECT(arch_page_prot(a) == data_prot());
	KT_EXPECT(arch_page_prot(a + MIB) == 0);
	struct vmm_stats s;
	vmm_stats(&s);
	KT_EXPECT(s.committed_pages == b.vmm.committed_pages + 256 + 4 + 16);
	KT_EXPECT(s.regions == b.vmm.regions + 1);
	// Two directories, three tables.
	KT_EXPECT(s.table_frames == b.vmm.table_frames + 5);
	// A range with a committed page fails and leaves the rest as it was.
	KT_EXPECT(vmm_commit(base, 0, 4 * KIB) == ERR_EXISTS);
	KT_EXPECT(vmm_commit(base, MIB - 8 * KIB, MIB + 8 * KIB) == ERR_EXISTS);
	KT_EXPECT(vmm_commit(base, 2 * MIB - 16 * KIB, 2 * MIB) == ERR_EXISTS);
	KT_EXPECT(arch_page_prot(a + 2 * MIB - 16 * KIB) == 0);
	KT_EXPECT(arch_page_prot(a + 2 * MIB - 8 * KIB) == data_prot());
	vmm_stats(&s);
	KT_EXPECT(s.committed_pages == b.vmm.committed_pages + 256 + 4 + 16);
	KT_EXPECT(s.table_frames == b.vmm.table_frames + 5);
	// Bad arguments.
	KT_EXPECT(vmm_commit(base, 1, 4 * KIB) == ERR_INVAL);
	KT_EXPECT(vmm_commit(base, 8 * KIB, 4 * KIB) == ERR_INVAL);
	KT_EXPECT(vmm_commit(base, 0, REGION + 4 * KIB) == ERR_INVAL);
	KT_EXPECT(vmm_commit((uint8_t *)base + 4 * KIB, 0, 4 * KIB) == ERR_INVAL);
	KT_EXPECT(vmm_commit((void *)(uintptr_t)0x200000, 0, 4 * KIB) == ERR_INVAL);
	vmm_release(base, REGION);
	KT_EXPECT(!vmm_is_reserved(a));
	KT_EXPECT(arch_page_prot(a) == 0);
	expect_baseline(&b);
	// The range is reused.
	void *again = NULL;
	KT_EXPECT(vmm_reserve(REGION, &again) == ERR_OK && again == base);
	if (again)
		vmm_release(again, REGION);
	expect_baseline(&b);
}

KTEST(vmm_reserve_sizes_and_limits)
{
	struct baseline b;
	take_baseline(&b);
	void *r[3] = { NULL, NULL, NULL }, *x = NULL;
	KT_EXPECT(vmm_reserve(0, &x) == ERR_INVAL);
	KT_EXPECT(vmm_reserve(4 * KIB, &x) == ERR_INVAL);
	KT_EXPECT(vmm_reserve(REGION + 4 * KIB, &x) == ERR_INVAL);
	KT_EXPECT(vmm_reserve(64ull << 40, &x) == ERR_NOMEM);
	KT_EXPECT(x == NULL);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(vmm_reserve(REGION, &r[i]) == ERR_OK);
	if (!r[0] || !r[1] || !r[2])
		return;
	// Each takes whole granules: 9 GiB.
	KT_EXPECT(addr(r[1]) == addr(r[0]) + 9 * GIB && addr(r[2]) == addr(r[1]) + 9 * GIB);
	// A released range is cut again from its start.
	vmm_release(r[1], REGION);
	void *small = NULL, *rest = NULL;
	KT_EXPECT(vmm_reserve(64 * KIB, &small) == ERR_OK && small == r[1]);
	KT_EXPECT(vmm_reserve(8 * GIB, &rest) == ERR_OK && addr(rest) == addr(r[1]) + GIB);
	// The table has room for VMM_REGIONS_MAX.
	static void *many[VMM_REGIONS_MAX];
	size_t n = 0;
	isola_err_t err;
	while ((err = vmm_reserve(64 * KIB, &many[n])) == ERR_OK)
		n++;
	KT_EXPECT(err == ERR_LIMIT);
	KT_EXPECT(n == VMM_REGIONS_MAX - b.vmm.regions - 4);
	while (n)
		vmm_release(many[--n], 64 * KIB);
	vmm_release(small, 64 * KIB);
	vmm_release(rest, 8 * GIB);
	vmm_release(r[0], REGION);
	vmm_release(r[2], REGION);
	expect_baseline(&b);
}

KTEST(vmm_commit_out_of_memory)
{
	struct baseline b;
	take_baseline(&b);
	void *base = NULL;
	KT_EXPECT(vmm_reserve(REGION, &base) == ERR_OK);
	if (!base)
		return;
	// More pages than there are free frames: the commit fails and takes
	// back what it mapped.
	uint64_t to = ISOLA_ALIGN_UP((b.mem.frames_free + 64) * (uint64_t)VMM_PAGE,
				     (uint64_t)VMM_REGION_ALIGN);
	KT_EXPECT(to <= REGION);
	KT_EXPECT(vmm_commit(base, 0, to) == ERR_NOMEM);
	struct baseline mid;
	take_baseline(&mid);
	KT_EXPECT(mid.mem.frames_free + mid.mem.frames_permanent ==
		  b.mem.frames_free + b.mem.frames_permanent);
	KT_EXPECT(mid.vmm.committed_pages == b.vmm.committed_pages);
	KT_EXPECT(mid.vmm.table_frames == b.vmm.table_frames);
	KT_EXPECT(arch_page_prot(addr(base)) == 0);
	// The region still works.
	KT_EXPECT(vmm_commit(base, 0, 64 * KIB) == ERR_OK);
	KT_EXPECT(fill_zeroed(addr(base), 64 * KIB));
	vmm_release(base, REGION);
	expect_baseline(&b);
}
