// SPDX-License-Identifier: MIT
// Symbol lookup for backtraces. The table (sorted addresses and names) is
// generated from the first link of the kernel and placed in .ksyms by the
// second (cmake/gen-ksyms.sh); the first link has an empty table.
#include <panic.h>
#include <stddef.h>
#include <string.h>

struct ksym {
	uint64_t addr;
	const char *name;
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern char _kernel_end[];

bool ksyms_lookup(uint64_t pc, const char **name, uint64_t *offset)
{
	size_t lo = 0, hi = ksyms_count;
	if (!hi || pc < ksyms_table[0].addr || pc >= (uint64_t)_kernel_end)
		return false;
	while (hi - lo > 1) { // last entry with addr <= pc
		size_t mid = lo + (hi - lo) / 2;
		if (ksyms_table[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*name = ksyms_table[lo].name;
	*offset = pc - ksyms_table[lo].addr;
	return true;
}

bool ksyms_find(const char *name, uint64_t *start, uint64_t *end)
{
	for (size_t i = 0; i < ksyms_count; i++) {
		if (strcmp(ksyms_table[i].name, name) != 0)
			continue;
		*start = ksyms_table[i].addr;
		*end = i + 1 < ksyms_count ? ksyms_table[i + 1].addr
					   : (uint64_t)_kernel_end;
		return true;
	}
	return false;
}
