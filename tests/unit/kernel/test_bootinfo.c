// SPDX-License-Identifier: MIT
// Boot-information parsing: well-formed multiboot2 and PVH structures,
// and a table of malformed ones that must be refused.
#include <bootinfo.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

// A multiboot2 information buffer under construction.
struct mb2 {
	uint8_t buf[8192] __attribute__((aligned(8)));
	uint32_t len;
};

static void mb2_begin(struct mb2 *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

static uint8_t *mb2_tag(struct mb2 *m, uint32_t type, uint32_t size)
{
	uint8_t *t = m->buf + m->len;
	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	m->len += (size + 7) & ~7u;
	return t;
}

static void mb2_end(struct mb2 *m)
{
	mb2_tag(m, 0, 8);
	memcpy(m->buf, &m->len, 4);
}

static void add_cmdline(struct mb2 *m, const char *s)
{
	uint8_t *t = mb2_tag(m, 1, 8 + (uint32_t)strlen(s) + 1);
	memcpy(t + 8, s, strlen(s) + 1);
}

static void add_mmap(struct mb2 *m, const uint64_t (*e)[3], uint32_t n)
{
	uint8_t *t = mb2_tag(m, 6, 16 + 24 * n);
	uint32_t esize = 24, ver = 0;
	memcpy(t + 8, &esize, 4);
	memcpy(t + 12, &ver, 4);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t type = (uint32_t)e[i][2];
		memcpy(t + 16 + 24 * i, &e[i][0], 8);
		memcpy(t + 24 + 24 * i, &e[i][1], 8);
		memcpy(t + 32 + 24 * i, &type, 4);
	}
}

static void add_module(struct mb2 *m, uint32_t start, uint32_t end, const char *name)
{
	uint8_t *t = mb2_tag(m, 3, 16 + (uint32_t)strlen(name) + 1);
	memcpy(t + 8, &start, 4);
	memcpy(t + 12, &end, 4);
	memcpy(t + 16, name, strlen(name) + 1);
}

static struct boot_info bi;
static const uint64_t two_regions[][3] = { { 0, 0x9f000, 1 }, { 0x100000, 0x7f00000, 1 } };

static void test_multiboot2_full(void **state)
{
	(void)state;
	struct mb2 m;
	mb2_begin(&m);
	add_cmdline(&m, "ktest=all loglevel=3");
	add_mmap(&m, two_regions, 2);
	add_module(&m, 0x200000, 0x201000, "initrd");
	uint8_t *fb = mb2_tag(&m, 8, 32);
	uint64_t addr = 0xb8000;
	uint32_t pitch = 160, w = 80, h = 25;
	memcpy(fb + 8, &addr, 8);
	memcpy(fb + 16, &pitch, 4);
	memcpy(fb + 20, &w, 4);
	memcpy(fb + 24, &h, 4);
	fb[28] = 16;
	fb[29] = 2; // EGA text
	mb2_tag(&m, 42, 12); // an unknown tag is skipped
	mb2_end(&m);
	assert_int_equal(bootinfo_parse(BOOT_MAGIC_MULTIBOOT2, m.buf, &bi), ERR_OK);
	assert_string_equal(bi.protocol, "multiboot2");
	assert_string_equal(bi.cmdline, "ktest=all loglevel=3");
	assert_int_equal(bi.nregions, 2);
	assert_int_equal(bi.regions[1].base, 0x100000);
	assert_int_equal(bi.regions[1].len, 0x7f00000);
	assert_int_equal(bi.nmodules, 1);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.modules[0].name, "initrd");
	assert_int_equal(bi.fb.type, BOOT_FB_EGA_TEXT);
	assert_int_equal(bi.fb.width, 80);
}

// Each mutation of a valid structure that must be refused.
static void test_multiboot2_malformed(void **state)
{
	(void)state;
	struct mb2 m;
	uint32_t v;

	mb2_begin(&m); add_cmdline(&m, "x"); mb2_end(&m);
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_OK);

	v = 7; memcpy(m.buf, &v, 4); // total size too small
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	mb2_begin(&m); add_cmdline(&m, "x"); mb2_end(&m);
	v = 4; memcpy(m.buf + 12, &v, 4); // tag size below its header
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	mb2_begin(&m); add_cmdline(&m, "x"); mb2_end(&m);
	v = 5000; memcpy(m.buf + 12, &v, 4); // tag runs past the end
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	mb2_begin(&m); add_cmdline(&m, "x");
	memcpy(m.buf, &m.len, 4); // no end tag
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	mb2_begin(&m); add_mmap(&m, two_regions, 2); mb2_end(&m);
	v = 20; memcpy(m.buf + 16, &v, 4); // odd entry size
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	mb2_begin(&m); add_module(&m, 0x2000, 0x1000, "backwards"); mb2_end(&m);
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_BOOT_INFO);

	assert_int_equal(bootinfo_parse(0x12345678, m.buf, &bi), ERR_BOOT_MAGIC);
	assert_int_equal(bootinfo_from_multiboot2(NULL, &bi), ERR_BOOT_INFO);
}

static void test_multiboot2_limits(void **state)
{
	(void)state;
	static uint64_t many[150][3];
	for (int i = 0; i < 150; i++) {
		many[i][0] = (uint64_t)i << 20;
		many[i][1] = 1 << 20;
		many[i][2] = i % 2 ? 1 : 77; // unknown types become reserved
	}
	struct mb2 m;
	mb2_begin(&m);
	add_mmap(&m, many, 150);
	char longline[1500];
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	add_cmdline(&m, longline);
	mb2_end(&m);
	assert_true(m.len <= sizeof(m.buf));
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_OK);
	assert_int_equal(bi.nregions, BOOT_MAX_REGIONS);
	assert_int_equal(bi.regions_dropped, 150 - BOOT_MAX_REGIONS);
	assert_int_equal(bi.regions[0].type, BOOT_MEM_RESERVED);
	assert_true(bi.cmdline_truncated);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

// Found by fuzz.bootinfo: an entry size near 2^32 wrapped the loop bound
// and the parser read past the tag (ASan reports it if it comes back).
static void test_regression_mmap_entry_size_wrap(void **state)
{
	(void)state;
	struct mb2 m;
	mb2_begin(&m);
	add_mmap(&m, two_regions, 2);
	mb2_end(&m);
	uint32_t huge = 0xfffffff8u;
	memcpy(m.buf + 16, &huge, 4);
	assert_int_equal(bootinfo_from_multiboot2(m.buf, &bi), ERR_OK);
	assert_int_equal(bi.nregions, 0);
}

struct pvh_fixture {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct pvh_mod {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct pvh_mem {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static void test_pvh(void **state)
{
	(void)state;
	static const char cmd[] = "ktest=threads";
	static const char modname[] = "initrd";
	static struct pvh_mem mem[2] = { { 0, 0x9fc00, 1, 0 }, { 0x100000, 0xff00000, 1, 0 } };
	static struct pvh_mod mod = { 0x800000, 4096, 0, 0 };
	mod.cmdline_paddr = (uintptr_t)modname;
	struct pvh_fixture si = { BOOT_MAGIC_PVH, 1, 0, 1, (uintptr_t)&mod,
				  (uintptr_t)cmd, 0xf0000, (uintptr_t)mem, 2, 0 };
	assert_int_equal(bootinfo_parse(BOOT_MAGIC_PVH, &si, &bi), ERR_OK);
	assert_string_equal(bi.protocol, "pvh");
	assert_string_equal(bi.cmdline, "ktest=threads");
	assert_int_equal(bi.nregions, 2);
	assert_int_equal(bi.nmodules, 1);
	assert_int_equal(bi.modules[0].end, 0x801000);
	assert_string_equal(bi.modules[0].name, "initrd");
	assert_int_equal(bi.rsdp, 0xf0000);

	struct pvh_fixture bad = si;
	bad.magic = 0;
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
	bad = si;
	bad.version = 0; // no memory map in version 0
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
	bad = si;
	bad.memmap_entries = 0;
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
	bad = si;
	bad.memmap_entries = 1u << 20;
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
	bad = si;
	bad.modlist_paddr = 0;
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
	struct pvh_mod wrap = { UINT64_MAX - 10, 100, 0, 0 };
	bad = si;
	bad.modlist_paddr = (uintptr_t)&wrap;
	assert_int_equal(bootinfo_from_pvh(&bad, &bi), ERR_BOOT_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multiboot2_full),
		cmocka_unit_test(test_multiboot2_malformed),
		cmocka_unit_test(test_multiboot2_limits),
		cmocka_unit_test(test_regression_mmap_entry_size_wrap),
		cmocka_unit_test(test_pvh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
