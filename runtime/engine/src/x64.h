// SPDX-License-Identifier: MIT
// A small x86-64 instruction encoder for the compiler (jit.c): registers,
// memory operands [base + index * scale + disp32], the legacy prefixes
// SSE needs, REX, ModRM and SIB, and rel32 jumps patched afterwards. It
// encodes only what the compiler emits. Intel SDM vol. 2, chapter 2
// "Instruction Format".
#ifndef ENG_X64_H
#define ENG_X64_H

#include <stdbool.h>
#include <stdint.h>

enum x_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

#define X_NOINDEX (-1)

struct x_mem {
	int8_t base, index; // index X_NOINDEX: none
	uint8_t scale;	    // 1, 2, 4, 8
	int32_t disp;
};

static inline struct x_mem x_at(int base, int32_t disp)
{
	return (struct x_mem){(int8_t)base, X_NOINDEX, 1, disp};
}

static inline struct x_mem x_at_idx(int base, int index, int32_t disp)
{
	return (struct x_mem){(int8_t)base, (int8_t)index, 1, disp};
}

// The output buffer. bad: it overflowed (nothing past cap is written).
struct x_buf {
	uint8_t *p;
	uint32_t n, cap;
	bool bad;
};

static inline void x_byte(struct x_buf *b, uint8_t v)
{
	if (b->n < b->cap)
		b->p[b->n++] = v;
	else
		b->bad = true;
}

void x_u32(struct x_buf *b, uint32_t v);
void x_u64(struct x_buf *b, uint64_t v);

// An instruction with a register-or-memory operand. pfx is 0 or one of
// 0x66, 0xf2, 0xf3; w sets REX.W; op holds oplen opcode bytes (0x0f
// escapes included); reg is the ModRM reg field (a register or an opcode
// extension); byte_regs forces a REX so that registers 4-7 name sil, dil,
// bpl, spl in byte operations.
void x_rr(struct x_buf *b, uint8_t pfx, bool w, uint32_t op, int oplen,
	  int reg, int rm, bool byte_regs);
void x_rm(struct x_buf *b, uint8_t pfx, bool w, uint32_t op, int oplen,
	  int reg, struct x_mem m, bool byte_regs);

// Common forms.
void x_mov_rr(struct x_buf *b, bool w, int dst, int src);
void x_mov_load(struct x_buf *b, bool w, int dst, struct x_mem m);
void x_mov_store(struct x_buf *b, bool w, struct x_mem m, int src);
void x_mov_imm(struct x_buf *b, int dst, uint64_t v); // shortest form
void x_lea(struct x_buf *b, int dst, struct x_mem m);
// ALU group 1 (add 0, or 1, and 4, sub 5, xor 6, cmp 7) with register,
// memory or 32-bit immediate second operand.
void x_alu_rr(struct x_buf *b, int ext, bool w, int dst, int src);
void x_alu_rm(struct x_buf *b, int ext, bool w, int dst, struct x_mem m);
void x_alu_ri(struct x_buf *b, int ext, bool w, int dst, int32_t imm);
void x_alu_mi(struct x_buf *b, int ext, bool w, struct x_mem m, int32_t imm);
// Shift group 2 (rol 0, ror 1, shl 4, shr 5, sar 7) by cl or an immediate.
void x_shift_cl(struct x_buf *b, int ext, bool w, int dst);
void x_shift_ri(struct x_buf *b, int ext, bool w, int dst, uint8_t k);
void x_push(struct x_buf *b, int r);
void x_pop(struct x_buf *b, int r);
void x_setcc(struct x_buf *b, int cc, int dst); // dst's low byte
void x_movzx8(struct x_buf *b, int dst, int src);

// Jumps: the rel32 is written as 0 and its position returned for
// x_patch32 (or patched at once when the target is known).
uint32_t x_jcc(struct x_buf *b, int cc);
uint32_t x_jmp(struct x_buf *b);
uint32_t x_call(struct x_buf *b);
void x_patch(struct x_buf *b, uint32_t at, uint32_t target);
void x_call_abs(struct x_buf *b, const void *fn); // via rax

// Condition codes (the low nibble of Jcc/SETcc/CMOVcc).
enum {
	XC_O = 0, XC_NO, XC_B, XC_AE, XC_E, XC_NE, XC_BE, XC_A,
	XC_S, XC_NS, XC_P, XC_NP, XC_L, XC_GE, XC_LE, XC_G,
};

#endif
