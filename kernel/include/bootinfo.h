// SPDX-License-Identifier: MIT
// The one boot-information structure both boot protocols are parsed into
// (multiboot2 from GRUB, PVH from QEMU -kernel). Parsing is portable and
// host-tested: it never trusts lengths or counts from the loader.
#ifndef ISOLA_BOOTINFO_H
#define ISOLA_BOOTINFO_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 128
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 1024

#define BOOT_MAGIC_MULTIBOOT2 0x36d76289u
#define BOOT_MAGIC_PVH 0x336ec578u

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_region {
	uint64_t base, len;
	uint32_t type; // enum boot_mem_type
};

struct boot_module {
	uint64_t start, end; // physical, end exclusive
	char name[64];
};

enum boot_fb_type { BOOT_FB_NONE, BOOT_FB_RGB, BOOT_FB_EGA_TEXT };

struct boot_framebuffer {
	uint32_t type; // enum boot_fb_type
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp;
};

struct boot_info {
	const char *protocol; // "multiboot2" or "pvh"
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated;
	struct boot_region regions[BOOT_MAX_REGIONS];
	size_t nregions;
	size_t regions_dropped; // entries beyond BOOT_MAX_REGIONS
	struct boot_module modules[BOOT_MAX_MODULES];
	size_t nmodules;
	struct boot_framebuffer fb;
	uint64_t rsdp; // ACPI RSDP physical address, 0 if unknown
};

// Parses a multiboot2 information structure at info (identity mapped).
// Errors: ERR_BOOT_INFO for a malformed structure.
ISOLA_MUST_CHECK isola_err_t bootinfo_from_multiboot2(const void *info,
						      struct boot_info *out);

// Parses a PVH hvm_start_info (version 0 or 1) at info.
ISOLA_MUST_CHECK isola_err_t bootinfo_from_pvh(const void *info,
					       struct boot_info *out);

// Dispatches on the magic handed over by the entry code.
ISOLA_MUST_CHECK isola_err_t bootinfo_parse(uint32_t magic, const void *info,
					    struct boot_info *out);

#endif
