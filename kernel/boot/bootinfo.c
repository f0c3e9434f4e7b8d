// SPDX-License-Identifier: MIT
// Parses multiboot2 and PVH boot information into struct boot_info.
// References: the Multiboot2 specification (section 3.6, boot information
// format) and Xen's arch-x86/hvm/start_info.h (PVH boot ABI).
#include <bootinfo.h>
#include <string.h>

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_INFO_MAX (16u << 20) // a sane bound on the whole structure

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

static void copy_string(char *dst, size_t cap, const char *src, size_t avail,
			bool *truncated)
{
	size_t n = strnlen(src, avail);
	if (n >= cap) {
		n = cap - 1;
		if (truncated)
			*truncated = true;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len,
		       uint32_t type)
{
	if (bi->nregions == BOOT_MAX_REGIONS) {
		bi->regions_dropped++;
		return;
	}
	if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
		type = BOOT_MEM_RESERVED;
	bi->regions[bi->nregions++] = (struct boot_region){ base, len, type };
}

static isola_err_t mb2_mmap(const uint8_t *tag, uint32_t size,
			    struct boot_info *bi)
{
	if (size < 16)
		return ERR_BOOT_INFO;
	uint32_t esize;
	memcpy(&esize, tag + 8, 4);
	if (esize < sizeof(struct mb2_mmap_entry) || esize % 8)
		return ERR_BOOT_INFO;
	// Written so that a huge esize cannot wrap the bound.
	for (uint32_t off = 16; esize <= size - off; off += esize) {
		struct mb2_mmap_entry e;
		memcpy(&e, tag + off, sizeof(e));
		add_region(bi, e.base, e.len, e.type);
	}
	return ERR_OK;
}

static isola_err_t mb2_module(const uint8_t *tag, uint32_t size,
			      struct boot_info *bi)
{
	if (size < 17)
		return ERR_BOOT_INFO;
	if (bi->nmodules == BOOT_MAX_MODULES)
		return ERR_OK; // extra modules are ignored
	uint32_t start, end;
	memcpy(&start, tag + 8, 4);
	memcpy(&end, tag + 12, 4);
	if (end < start)
		return ERR_BOOT_INFO;
	struct boot_module *m = &bi->modules[bi->nmodules++];
	m->start = start;
	m->end = end;
	copy_string(m->name, sizeof(m->name), (const char *)tag + 16, size - 16,
		    NULL);
	return ERR_OK;
}

static isola_err_t mb2_framebuffer(const uint8_t *tag, uint32_t size,
				   struct boot_info *bi)
{
	if (size < 31)
		return ERR_BOOT_INFO;
	struct boot_framebuffer *fb = &bi->fb;
	uint8_t type;
	memcpy(&fb->addr, tag + 8, 8);
	memcpy(&fb->pitch, tag + 16, 4);
	memcpy(&fb->width, tag + 20, 4);
	memcpy(&fb->height, tag + 24, 4);
	fb->bpp = tag[28];
	type = tag[29];
	fb->type = type == 1 ? BOOT_FB_RGB : type == 2 ? BOOT_FB_EGA_TEXT
						       : BOOT_FB_NONE;
	return ERR_OK;
}

static isola_err_t mb2_tag(const uint8_t *tag, uint32_t type, uint32_t size,
			   struct boot_info *bi)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_string(bi->cmdline, sizeof(bi->cmdline),
			    (const char *)tag + 8, size - 8,
			    &bi->cmdline_truncated);
		return ERR_OK;
	case MB2_TAG_MODULE:
		return mb2_module(tag, size, bi);
	case MB2_TAG_MMAP:
		return mb2_mmap(tag, size, bi);
	case MB2_TAG_FRAMEBUFFER:
		return mb2_framebuffer(tag, size, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		bi->rsdp = (uint64_t)(uintptr_t)(tag + 8);
		return ERR_OK;
	default:
		return ERR_OK; // tags we do not use
	}
}

isola_err_t bootinfo_from_multiboot2(const void *info, struct boot_info *bi)
{
	const uint8_t *base = info;
	uint32_t total;
	if (!info)
		return ERR_BOOT_INFO;
	memcpy(&total, base, 4);
	if (total < 16 || total > MB2_INFO_MAX || total % 8)
		return ERR_BOOT_INFO;
	memset(bi, 0, sizeof(*bi));
	bi->protocol = "multiboot2";
	for (uint32_t off = 8; off + 8 <= total;) {
		struct mb2_tag t;
		memcpy(&t, base + off, sizeof(t));
		if (t.type == MB2_TAG_END)
			return t.size == 8 ? ERR_OK : ERR_BOOT_INFO;
		if (t.size < 8 || t.size > total - off)
			return ERR_BOOT_INFO;
		TRY(mb2_tag(base + off, t.type, t.size, bi));
		off += ISOLA_ALIGN_UP(t.size, 8u);
	}
	return ERR_BOOT_INFO; // no end tag
}

// PVH start info, version 1 layout (all fields little endian).
struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct pvh_module {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define PVH_MAX_ENTRIES 4096

isola_err_t bootinfo_from_pvh(const void *info, struct boot_info *bi)
{
	struct pvh_start_info si;
	if (!info)
		return ERR_BOOT_INFO;
	memcpy(&si, info, sizeof(si));
	if (si.magic != BOOT_MAGIC_PVH || si.version < 1)
		return ERR_BOOT_INFO; // version 0 has no memory map
	if (si.memmap_entries == 0 || si.memmap_entries > PVH_MAX_ENTRIES ||
	    !si.memmap_paddr || (si.nr_modules && !si.modlist_paddr))
		return ERR_BOOT_INFO;
	memset(bi, 0, sizeof(*bi));
	bi->protocol = "pvh";
	bi->rsdp = si.rsdp_paddr;
	if (si.cmdline_paddr)
		copy_string(bi->cmdline, sizeof(bi->cmdline),
			    (const char *)(uintptr_t)si.cmdline_paddr,
			    BOOT_CMDLINE_MAX * 4, &bi->cmdline_truncated);
	const struct pvh_memmap_entry *mm =
		(const void *)(uintptr_t)si.memmap_paddr;
	for (uint32_t i = 0; i < si.memmap_entries; i++)
		add_region(bi, mm[i].addr, mm[i].size, mm[i].type);
	const struct pvh_module *mods =
		(const void *)(uintptr_t)si.modlist_paddr;
	for (uint32_t i = 0; i < si.nr_modules && i < BOOT_MAX_MODULES; i++) {
		if (mods[i].paddr + mods[i].size < mods[i].paddr)
			return ERR_BOOT_INFO;
		struct boot_module *m = &bi->modules[bi->nmodules++];
		m->start = mods[i].paddr;
		m->end = mods[i].paddr + mods[i].size;
		if (mods[i].cmdline_paddr)
			copy_string(m->name, sizeof(m->name),
				    (const char *)(uintptr_t)mods[i].cmdline_paddr,
				    sizeof(m->name) * 4, NULL);
	}
	return ERR_OK;
}

isola_err_t bootinfo_parse(uint32_t magic, const void *info,
			   struct boot_info *out)
{
	switch (magic) {
	case BOOT_MAGIC_MULTIBOOT2:
		return bootinfo_from_multiboot2(info, out);
	case BOOT_MAGIC_PVH:
		return bootinfo_from_pvh(info, out);
	default:
		return ERR_BOOT_MAGIC;
	}
}
