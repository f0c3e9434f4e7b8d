// SPDX-License-Identifier: MIT
// The x86-64 encoder (x64.h): prefixes, REX, ModRM, SIB and displacement.
#include "x64.h"

void x_u32(struct x_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x_byte(b, (uint8_t)(v >> (8 * i)));
}

void x_u64(struct x_buf *b, uint64_t v)
{
	x_u32(b, (uint32_t)v);
	x_u32(b, (uint32_t)(v >> 32));
}

static void x_opcode(struct x_buf *b, uint32_t op, int oplen)
{
	for (int i = oplen - 1; i >= 0; i--)
		x_byte(b, (uint8_t)(op >> (8 * i)));
}

static void x_prefix_rex(struct x_buf *b, uint8_t pfx, bool w, int reg,
			 int index, int base, bool force)
{
	if (pfx)
		x_byte(b, pfx);
	uint8_t rex = (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) |
				((index >= 0 && (index & 8)) ? 2 : 0) |
				((base & 8) ? 1 : 0));
	if (rex != 0x40 || force)
		x_byte(b, rex);
}

void x_rr(struct x_buf *b, uint8_t pfx, bool w, uint32_t op, int oplen,
	  int reg, int rm, bool byte_regs)
{
	bool force = byte_regs && ((reg >= 4 && reg < 8) || (rm >= 4 && rm < 8));
	x_prefix_rex(b, pfx, w, reg, X_NOINDEX, rm, force);
	x_opcode(b, op, oplen);
	x_byte(b, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7)));
}

void x_rm(struct x_buf *b, uint8_t pfx, bool w, uint32_t op, int oplen,
	  int reg, struct x_mem m, bool byte_regs)
{
	bool force = byte_regs && reg >= 4 && reg < 8;
	x_prefix_rex(b, pfx, w, reg, m.index, m.base, force);
	x_opcode(b, op, oplen);
	int mod = (m.disp == 0 && (m.base & 7) != RBP) ? 0
		  : (m.disp >= -128 && m.disp < 128)   ? 1
						       : 2;
	bool sib = m.index != X_NOINDEX || (m.base & 7) == RSP;
	x_byte(b, (uint8_t)((mod << 6) | ((reg & 7) << 3) | (sib ? 4 : (m.base & 7))));
	if (sib) {
		int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
		int idx = m.index == X_NOINDEX ? RSP : m.index;
		x_byte(b, (uint8_t)((ss << 6) | ((idx & 7) << 3) | (m.base & 7)));
	}
	if (mod == 1)
		x_byte(b, (uint8_t)(int8_t)m.disp);
	else if (mod == 2)
		x_u32(b, (uint32_t)m.disp);
}

void x_mov_rr(struct x_buf *b, bool w, int dst, int src)
{
	x_rr(b, 0, w, 0x8b, 1, dst, src, false);
}

void x_mov_load(struct x_buf *b, bool w, int dst, struct x_mem m)
{
	x_rm(b, 0, w, 0x8b, 1, dst, m, false);
}

void x_mov_store(struct x_buf *b, bool w, struct x_mem m, int src)
{
	x_rm(b, 0, w, 0x89, 1, src, m, false);
}

void x_mov_imm(struct x_buf *b, int dst, uint64_t v)
{
	if (v == 0) {
		x_rr(b, 0, false, 0x33, 1, dst, dst, false); // xor r32, r32
	} else if (v <= UINT32_MAX) {
		x_prefix_rex(b, 0, false, 0, X_NOINDEX, dst, false);
		x_byte(b, (uint8_t)(0xb8 + (dst & 7)));
		x_u32(b, (uint32_t)v);
	} else if ((int64_t)v >= INT32_MIN && (int64_t)v < 0) {
		x_rr(b, 0, true, 0xc7, 1, 0, dst, false); // sign-extended imm32
		x_u32(b, (uint32_t)v);
	} else {
		x_prefix_rex(b, 0, true, 0, X_NOINDEX, dst, false);
		x_byte(b, (uint8_t)(0xb8 + (dst & 7)));
		x_u64(b, v);
	}
}

void x_lea(struct x_buf *b, int dst, struct x_mem m)
{
	x_rm(b, 0, true, 0x8d, 1, dst, m, false);
}

void x_alu_rr(struct x_buf *b, int ext, bool w, int dst, int src)
{
	x_rr(b, 0, w, (uint32_t)(0x01 + 8 * ext), 1, src, dst, false);
}

void x_alu_rm(struct x_buf *b, int ext, bool w, int dst, struct x_mem m)
{
	x_rm(b, 0, w, (uint32_t)(0x03 + 8 * ext), 1, dst, m, false);
}

void x_alu_ri(struct x_buf *b, int ext, bool w, int dst, int32_t imm)
{
	if (imm >= -128 && imm < 128) {
		x_rr(b, 0, w, 0x83, 1, ext, dst, false);
		x_byte(b, (uint8_t)(int8_t)imm);
	} else {
		x_rr(b, 0, w, 0x81, 1, ext, dst, false);
		x_u32(b, (uint32_t)imm);
	}
}

void x_alu_mi(struct x_buf *b, int ext, bool w, struct x_mem m, int32_t imm)
{
	if (imm >= -128 && imm < 128) {
		x_rm(b, 0, w, 0x83, 1, ext, m, false);
		x_byte(b, (uint8_t)(int8_t)imm);
	} else {
		x_rm(b, 0, w, 0x81, 1, ext, m, false);
		x_u32(b, (uint32_t)imm);
	}
}

void x_shift_cl(struct x_buf *b, int ext, bool w, int dst)
{
	x_rr(b, 0, w, 0xd3, 1, ext, dst, false);
}

void x_shift_ri(struct x_buf *b, int ext, bool w, int dst, uint8_t k)
{
	x_rr(b, 0, w, 0xc1, 1, ext, dst, false);
	x_byte(b, k);
}

void x_push(struct x_buf *b, int r)
{
	if (r & 8)
		x_byte(b, 0x41);
	x_byte(b, (uint8_t)(0x50 + (r & 7)));
}

void x_pop(struct x_buf *b, int r)
{
	if (r & 8)
		x_byte(b, 0x41);
	x_byte(b, (uint8_t)(0x58 + (r & 7)));
}

void x_setcc(struct x_buf *b, int cc, int dst)
{
	x_rr(b, 0, false, (uint32_t)(0x0f90 + cc), 2, 0, dst, true);
}

void x_movzx8(struct x_buf *b, int dst, int src)
{
	x_rr(b, 0, false, 0x0fb6, 2, dst, src, true);
}

uint32_t x_jcc(struct x_buf *b, int cc)
{
	x_byte(b, 0x0f);
	x_byte(b, (uint8_t)(0x80 + cc));
	x_u32(b, 0);
	return b->n - 4;
}

uint32_t x_jmp(struct x_buf *b)
{
	x_byte(b, 0xe9);
	x_u32(b, 0);
	return b->n - 4;
}

uint32_t x_call(struct x_buf *b)
{
	x_byte(b, 0xe8);
	x_u32(b, 0);
	return b->n - 4;
}

void x_patch(struct x_buf *b, uint32_t at, uint32_t target)
{
	if (b->bad || at + 4 > b->n)
		return;
	uint32_t rel = target - (at + 4);
	for (int i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)(rel >> (8 * i));
}

void x_call_abs(struct x_buf *b, const void *fn)
{
	x_mov_imm(b, RAX, (uint64_t)(uintptr_t)fn);
	x_rr(b, 0, false, 0xff, 1, 2, RAX, false); // call rax
}
