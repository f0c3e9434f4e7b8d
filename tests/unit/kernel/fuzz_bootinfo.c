// SPDX-License-Identifier: MIT
// libFuzzer harness for multiboot2 boot-information parsing, then memory
// map sanitizing of whatever it produced. (PVH holds raw pointers and is
// covered by the unit tests instead.)
#include <bootinfo.h>
#include <memmap.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct boot_info bi;
static struct memmap mm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	// The parser trusts the total-size field only as far as the buffer
	// the loader handed over; give it exactly the fuzzer's bytes.
	uint32_t total;
	memcpy(&total, data, 4);
	if (total > size)
		return 0;
	uint8_t *buf = aligned_alloc(8, (size + 7) & ~(size_t)7);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (bootinfo_from_multiboot2(buf, &bi) == ERR_OK) {
		if (bi.nregions > BOOT_MAX_REGIONS || bi.nmodules > BOOT_MAX_MODULES)
			abort();
		if (memmap_build(&mm, &bi, 1 << 20, 1ull << 32, NULL, 0) == ERR_OK)
			for (size_t i = 1; i < mm.n; i++)
				if (mm.ranges[i - 1].end > mm.ranges[i].base)
					abort();
	}
	free(buf);
	return 0;
}
