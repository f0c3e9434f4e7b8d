// SPDX-License-Identifier: MIT
// Memory-map sanitizing on ordinary, overlapping, unsorted, wrapping and
// degenerate maps.
#include <memmap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct boot_info bi;

static void map(const struct boot_region *r, size_t n)
{
	memset(&bi, 0, sizeof(bi));
	memcpy(bi.regions, r, n * sizeof(*r));
	bi.nregions = n;
}

static void expect(const struct memmap *mm, const struct mem_range *want, size_t n)
{
	assert_int_equal(mm->n, n);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(mm->ranges[i].base, want[i].base);
		assert_int_equal(mm->ranges[i].end, want[i].end);
		total += want[i].end - want[i].base;
	}
	assert_int_equal(mm->usable_bytes, total);
}

static struct memmap mm;

static void test_qemu_like(void **state)
{
	(void)state;
	const struct boot_region r[] = {
		{ 0, 0x9fc00, BOOT_MEM_USABLE },
		{ 0x9fc00, 0x400, BOOT_MEM_RESERVED },
		{ 0xf0000, 0x10000, BOOT_MEM_RESERVED },
		{ MiB, 255 * MiB - 0x20000, BOOT_MEM_USABLE },
		{ 256 * MiB - 0x20000, 0x20000, BOOT_MEM_RESERVED },
	};
	map(r, 5);
	const struct mem_range kernel = { MiB, 2 * MiB };
	assert_int_equal(memmap_build(&mm, &bi, MiB, 4 * GiB, &kernel, 1), ERR_OK);
	const struct mem_range want[] = { { 2 * MiB, 256 * MiB - 0x20000 } };
	expect(&mm, want, 1);
}

static void test_overlap_reserved_wins(void **state)
{
	(void)state;
	const struct boot_region r[] = {
		{ 16 * MiB, 16 * MiB, BOOT_MEM_USABLE },
		{ 20 * MiB, 4 * MiB, BOOT_MEM_RESERVED },  // inside
		{ 8 * MiB, 12 * MiB, BOOT_MEM_USABLE },    // overlaps the first
		{ 30 * MiB, 8 * MiB, BOOT_MEM_ACPI },      // straddles the end
	};
	map(r, 4);
	assert_int_equal(memmap_build(&mm, &bi, 0, 4 * GiB, NULL, 0), ERR_OK);
	const struct mem_range want[] = { { 8 * MiB, 20 * MiB }, { 24 * MiB, 30 * MiB } };
	expect(&mm, want, 2);
}

static void test_unaligned_and_tiny(void **state)
{
	(void)state;
	const struct boot_region r[] = {
		{ 0x100123, 0x3000, BOOT_MEM_USABLE },   // 0x101000..0x103000
		{ 0x200000, 0xfff, BOOT_MEM_USABLE },    // less than a page
		{ 0x300000, 0, BOOT_MEM_USABLE },        // empty
	};
	map(r, 3);
	assert_int_equal(memmap_build(&mm, &bi, 0, 4 * GiB, NULL, 0), ERR_OK);
	const struct mem_range want[] = { { 0x101000, 0x103000 } };
	expect(&mm, want, 1);
}

static void test_wrapping_and_limits(void **state)
{
	(void)state;
	const struct boot_region r[] = {
		{ 3 * GiB, UINT64_MAX, BOOT_MEM_USABLE }, // wraps past 2^64
		{ UINT64_MAX - 100, 50, BOOT_MEM_USABLE },
	};
	map(r, 2);
	assert_int_equal(memmap_build(&mm, &bi, MiB, 4 * GiB, NULL, 0), ERR_OK);
	const struct mem_range want[] = { { 3 * GiB, 4 * GiB } };
	expect(&mm, want, 1);
}

static void test_nothing_usable(void **state)
{
	(void)state;
	const struct boot_region r[] = {
		{ 0, 640 * 1024, BOOT_MEM_USABLE },
		{ MiB, 4 * MiB, BOOT_MEM_BAD },
		{ 8 * MiB, 4 * MiB, 99 }, // unknown types count as reserved
	};
	map(r, 3);
	assert_int_equal(memmap_build(&mm, &bi, MiB, 4 * GiB, NULL, 0), ERR_MEMMAP_EMPTY);
	map(r, 0);
	assert_int_equal(memmap_build(&mm, &bi, MiB, 4 * GiB, NULL, 0), ERR_MEMMAP_EMPTY);
}

static void test_many_holes(void **state)
{
	(void)state;
	const struct boot_region r[] = { { 0, 4 * GiB, BOOT_MEM_USABLE } };
	map(r, 1);
	struct mem_range holes[400];
	for (int i = 0; i < 400; i++)
		holes[i] = (struct mem_range){ (uint64_t)(i * 2 + 1) * MiB,
					       (uint64_t)(i * 2 + 2) * MiB };
	assert_int_equal(memmap_build(&mm, &bi, 0, 4 * GiB, holes, 400), ERR_OK);
	// More pieces than slots: the rest are counted, never written past.
	assert_int_equal(mm.n, MEMMAP_MAX_RANGES);
	assert_true(mm.dropped > 0);
	for (size_t i = 1; i < mm.n; i++)
		assert_true(mm.ranges[i - 1].end <= mm.ranges[i].base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_like),
		cmocka_unit_test(test_overlap_reserved_wins),
		cmocka_unit_test(test_unaligned_and_tiny),
		cmocka_unit_test(test_wrapping_and_limits),
		cmocka_unit_test(test_nothing_usable),
		cmocka_unit_test(test_many_holes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
