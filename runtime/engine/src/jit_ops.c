// SPDX-License-Identifier: MIT
// The native compiler's operations other than control flow and calls:
// slot moves, integer and float arithmetic, conversions, memory access,
// globals. Each reads its operands from their registers (or frame slots)
// and writes its destination; rax, rcx, rdx, xmm0 and xmm1 are scratch.
// f32 values keep bits 32-63 zero in every register, as in the slots.
#include "jit.h"

#define OP(name) ENG_OP_##name
#define IN(op, a, b) ((op) >= OP(a) && (op) <= OP(b))

struct x_mem jit_slot(uint32_t s)
{
	return x_at(J_FP, (int32_t)(s * 8));
}

// SSE forms: xmm <- xmm/mem with prefix pfx and opcode 0x0fXX.
static void sse_rr(struct jit *j, uint8_t pfx, uint32_t op, int dst, int src)
{
	x_rr(&j->b, pfx, false, op, 2, dst & 15, src & 15, false);
}

static void movq_x_g(struct jit *j, int x, int g) // movq xmm, r64
{
	x_rr(&j->b, 0x66, true, 0x0f6e, 2, x & 15, g, false);
}

static void movq_g_x(struct jit *j, int g, int x) // movq r64, xmm
{
	x_rr(&j->b, 0x66, true, 0x0f7e, 2, x & 15, g, false);
}

int jit_gget(struct jit *j, uint32_t s, int scratch)
{
	int r = j->reg[s];
	if (r >= 0 && r < 16)
		return r;
	if (r >= 16)
		movq_g_x(j, scratch, r);
	else
		x_mov_load(&j->b, true, scratch, jit_slot(s));
	return scratch;
}

void jit_gset(struct jit *j, uint32_t s, int g)
{
	int r = j->reg[s];
	if (r >= 0 && r < 16) {
		if (r != g)
			x_mov_rr(&j->b, true, r, g);
	} else if (r >= 16) {
		movq_x_g(j, r, g);
	} else {
		x_mov_store(&j->b, true, jit_slot(s), g);
	}
}

int jit_xget(struct jit *j, uint32_t s, int scratch)
{
	int r = j->reg[s];
	if (r >= 16)
		return r;
	if (r >= 0)
		movq_x_g(j, scratch, r);
	else
		x_rm(&j->b, 0xf3, false, 0x0f7e, 2, scratch & 15, jit_slot(s), false);
	return scratch;
}

void jit_xset(struct jit *j, uint32_t s, int x)
{
	int r = j->reg[s];
	if (r >= 16) {
		if (r != x)
			sse_rr(j, 0, 0x0f28, r, x); // movaps
	} else if (r >= 0) {
		movq_g_x(j, r, x);
	} else {
		x_rm(&j->b, 0x66, false, 0x0fd6, 2, x & 15, jit_slot(s), false);
	}
}

void jit_move(struct jit *j, uint32_t dst, uint32_t src)
{
	if (dst == src)
		return;
	if (j->reg[dst] >= 16 && j->reg[src] >= 16)
		jit_xset(j, dst, j->reg[src]);
	else
		jit_gset(j, dst, jit_gget(j, src, RAX));
}

static void set_const(struct jit *j, uint32_t s, uint64_t v)
{
	int r = j->reg[s];
	if (r >= 0 && r < 16) {
		x_mov_imm(&j->b, r, v);
	} else if (r >= 16 && v == 0) {
		sse_rr(j, 0, 0x0f57, r, r); // xorps
	} else if (r < 0 && (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
		x_rm(&j->b, 0, true, 0xc7, 1, 0, jit_slot(s), false);
		x_u32(&j->b, (uint32_t)v);
	} else {
		x_mov_imm(&j->b, RAX, v);
		jit_gset(j, s, RAX);
	}
}

// ---- integers ---------------------------------------------------------

// The second operand of an integer operation: a register, or the frame
// slot (mem true) it stays in.
struct jit_b {
	bool mem;
	int r;
	uint32_t s;
};

static struct jit_b int_b(struct jit *j, uint32_t s)
{
	int r = j->reg[s];
	if (r < 0)
		return (struct jit_b){true, -1, s};
	return (struct jit_b){false, jit_gget(j, s, RCX), s};
}

// The register to compute dst = a OP b in: dst's own when b is not in
// it, else rax; a is moved there first.
static int int_target(struct jit *j, uint32_t dst, uint32_t a, uint32_t bslot,
		      bool has_b)
{
	int d = j->reg[dst];
	if (!(d >= 0 && d < 16) || (has_b && j->reg[bslot] == d && bslot != a))
		d = RAX;
	int ra = jit_gget(j, a, d);
	if (ra != d)
		x_mov_rr(&j->b, true, d, ra);
	return d;
}

static void alu(struct jit *j, int ext, bool w, const uint64_t *p)
{
	uint32_t dst = (uint32_t)p[0], a = (uint32_t)p[1], s = (uint32_t)p[2];
	struct jit_b b = int_b(j, s);
	int d = int_target(j, dst, a, s, true);
	if (b.mem)
		x_alu_rm(&j->b, ext, w, d, jit_slot(s));
	else
		x_alu_rr(&j->b, ext, w, d, b.r);
	jit_gset(j, dst, d);
}

static void alu_ri(struct jit *j, int ext, bool w, const uint64_t *p)
{
	uint32_t dst = (uint32_t)p[0], a = (uint32_t)p[1];
	uint64_t k = p[2];
	bool fits = (int64_t)k >= INT32_MIN && (int64_t)k <= INT32_MAX;
	int ra = j->reg[a], rd = j->reg[dst];
	if ((ext == 0 || (ext == 5 && (uint32_t)k != 0x80000000u)) && (!w || fits) &&
	    ra >= 0 && ra < 16 && ra != rd) {
		// add or sub of a constant to another register: one lea, the
		// 32-bit form wrapping as i32.add does.
		int32_t disp = ext == 0 ? (int32_t)(uint32_t)k : -(int32_t)(uint32_t)k;
		int d = rd >= 0 && rd < 16 ? rd : RAX;
		x_rm(&j->b, 0, w, 0x8d, 1, d, x_at(ra, disp), false);
		jit_gset(j, dst, d);
		return;
	}
	int d = int_target(j, dst, a, 0, false);
	if (!w || ((int64_t)k >= INT32_MIN && (int64_t)k <= INT32_MAX)) {
		x_alu_ri(&j->b, ext, w, d, (int32_t)(uint32_t)k);
	} else {
		x_mov_imm(&j->b, RCX, k);
		x_alu_rr(&j->b, ext, w, d, RCX);
	}
	jit_gset(j, dst, d);
}

static void mul(struct jit *j, bool w, const uint64_t *p, bool ri)
{
	uint32_t dst = (uint32_t)p[0], a = (uint32_t)p[1];
	if (ri) {
		int d = int_target(j, dst, a, 0, false);
		if (w && !((int64_t)p[2] >= INT32_MIN && (int64_t)p[2] <= INT32_MAX)) {
			x_mov_imm(&j->b, RCX, p[2]);
			x_rr(&j->b, 0, w, 0x0faf, 2, d, RCX, false);
		} else {
			x_rr(&j->b, 0, w, 0x69, 1, d, d, false);
			x_u32(&j->b, (uint32_t)p[2]);
		}
		jit_gset(j, dst, d);
		return;
	}
	struct jit_b b = int_b(j, (uint32_t)p[2]);
	int d = int_target(j, dst, a, (uint32_t)p[2], true);
	if (b.mem)
		x_rm(&j->b, 0, w, 0x0faf, 2, d, jit_slot(b.s), false);
	else
		x_rr(&j->b, 0, w, 0x0faf, 2, d, b.r, false);
	jit_gset(j, dst, d);
}

// Shifts and rotations: the count goes to cl first (or is an immediate).
static void shift(struct jit *j, int ext, bool w, const uint64_t *p, bool ri)
{
	uint32_t dst = (uint32_t)p[0], a = (uint32_t)p[1];
	if (!ri) {
		int rc = jit_gget(j, (uint32_t)p[2], RCX);
		if (rc != RCX)
			x_mov_rr(&j->b, false, RCX, rc);
	}
	int d = int_target(j, dst, a, 0, false);
	if (ri)
		x_shift_ri(&j->b, ext, w, d, (uint8_t)(p[2] & (w ? 63 : 31)));
	else
		x_shift_cl(&j->b, ext, w, d);
	jit_gset(j, dst, d);
}

// The flags of a < b (cmp a, b, or of the constant in the _RI forms).
static void cmp_flags(struct jit *j, bool w, const uint64_t *p, bool ri)
{
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	if (ri) {
		if (w && !((int64_t)p[2] >= INT32_MIN && (int64_t)p[2] <= INT32_MAX)) {
			x_mov_imm(&j->b, RCX, p[2]);
			x_alu_rr(&j->b, 7, w, ra, RCX);
		} else {
			x_alu_ri(&j->b, 7, w, ra, (int32_t)(uint32_t)p[2]);
		}
	} else {
		struct jit_b b = int_b(j, (uint32_t)p[2]);
		if (b.mem)
			x_alu_rm(&j->b, 7, w, ra, jit_slot(b.s));
		else
			x_alu_rr(&j->b, 7, w, ra, b.r);
	}
}

static void cmp_set(struct jit *j, int cc, bool w, const uint64_t *p, bool ri)
{
	cmp_flags(j, w, p, ri);
	x_setcc(&j->b, cc, RAX);
	x_movzx8(&j->b, RAX, RAX);
	jit_gset(j, (uint32_t)p[0], RAX);
}

static const int8_t int_cc[10] = {XC_E, XC_NE, XC_L, XC_B, XC_G,
				  XC_A, XC_LE, XC_BE, XC_GE, XC_AE};

bool jit_fuse_select(struct jit *j, enum eng_op op, const uint64_t *p,
		     const uint64_t *sel)
{
	int cc;
	if (op == OP(I32_EQZ) || op == OP(I64_EQZ)) {
		int ra = jit_gget(j, (uint32_t)p[1], RAX);
		x_rr(&j->b, 0, op == OP(I64_EQZ), 0x85, 1, ra, ra, false);
		cc = XC_E;
	} else if (IN(op, I32_EQ, I32_GE_U) || IN(op, I64_EQ, I64_GE_U)) {
		bool w = op >= OP(I64_EQ);
		cmp_flags(j, w, p, false);
		cc = int_cc[op - (w ? OP(I64_EQ) : OP(I32_EQ))];
	} else if (IN(op, I32_EQ_RI, I32_GE_U_RI)) {
		cmp_flags(j, false, p, true);
		cc = int_cc[op - OP(I32_EQ_RI)];
	} else {
		return false;
	}
	// sel: dst, a, b, cond: dst = cond ? a : b, as a move and a cmov on
	// the flags (moves leave them alone).
	int rb = jit_gget(j, (uint32_t)sel[2], RCX);
	int ra = jit_gget(j, (uint32_t)sel[1], RDX);
	x_mov_rr(&j->b, true, RAX, ra);
	x_rr(&j->b, 0, true, (uint32_t)(0x0f40 + (cc ^ 1)), 2, RAX, rb, false);
	jit_gset(j, (uint32_t)sel[0], RAX);
	return true;
}

static void eqz(struct jit *j, bool w, const uint64_t *p)
{
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	x_rr(&j->b, 0, w, 0x85, 1, ra, ra, false); // test
	x_setcc(&j->b, XC_E, RAX);
	x_movzx8(&j->b, RAX, RAX);
	jit_gset(j, (uint32_t)p[0], RAX);
}

// Division: a in rax, b in rcx; traps for a zero divisor and, signed,
// for INT_MIN / -1 (the remainder is then 0).
static void divide(struct jit *j, bool w, bool sign, bool rem, const uint64_t *p)
{
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	int rb = jit_gget(j, (uint32_t)p[2], RCX);
	if (rb != RCX)
		x_mov_rr(&j->b, true, RCX, rb);
	if (ra != RAX)
		x_mov_rr(&j->b, true, RAX, ra);
	x_rr(&j->b, 0, w, 0x85, 1, RCX, RCX, false);
	jit_trap_jcc(j, XC_E, ERR_ENG_TRAP_DIV_ZERO);
	uint32_t skip = UINT32_MAX;
	if (sign) {
		x_alu_ri(&j->b, 7, w, RCX, -1);
		uint32_t normal = x_jcc(&j->b, XC_NE);
		if (rem) {
			x_mov_imm(&j->b, RDX, 0);
			skip = x_jmp(&j->b);
		} else {
			x_mov_imm(&j->b, RDX, w ? (uint64_t)INT64_MIN : 0x80000000u);
			x_alu_rr(&j->b, 7, w, RAX, RDX);
			jit_trap_jcc(j, XC_E, ERR_ENG_TRAP_INT_OVERFLOW);
		}
		x_patch(&j->b, normal, j->b.n);
		if (w)
			x_byte(&j->b, 0x48);
		x_byte(&j->b, 0x99); // cdq / cqo
		x_rr(&j->b, 0, w, 0xf7, 1, 7, RCX, false); // idiv
	} else {
		x_mov_imm(&j->b, RDX, 0);
		x_rr(&j->b, 0, w, 0xf7, 1, 6, RCX, false); // div
	}
	if (skip != UINT32_MAX)
		x_patch(&j->b, skip, j->b.n);
	if (!w)
		x_mov_rr(&j->b, false, rem ? RDX : RAX, rem ? RDX : RAX);
	jit_gset(j, (uint32_t)p[0], rem ? RDX : RAX);
}

// clz, ctz, popcnt, sign extensions: rax <- f(a).
static void unary_int(struct jit *j, enum eng_op op, const uint64_t *p)
{
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	bool w = IN(op, I64_CLZ, I64_POPCNT) || op == OP(I64_EXTEND_I32_S) ||
		 IN(op, I64_EXTEND8_S, I64_EXTEND32_S);
	switch (op) {
	case OP(I32_CLZ):
	case OP(I64_CLZ):
		x_mov_imm(&j->b, RCX, w ? 127 : 63);
		x_rr(&j->b, 0, w, 0x0fbd, 2, RAX, ra, false); // bsr
		x_rr(&j->b, 0, w, 0x0f44, 2, RAX, RCX, false); // cmovz
		x_alu_ri(&j->b, 6, w, RAX, w ? 63 : 31);
		break;
	case OP(I32_CTZ):
	case OP(I64_CTZ):
		x_mov_imm(&j->b, RCX, w ? 64 : 32);
		x_rr(&j->b, 0, w, 0x0fbc, 2, RAX, ra, false); // bsf
		x_rr(&j->b, 0, w, 0x0f44, 2, RAX, RCX, false);
		break;
	case OP(I32_POPCNT):
	case OP(I64_POPCNT):
		x_rr(&j->b, 0xf3, w, 0x0fb8, 2, RAX, ra, false);
		break;
	case OP(I32_EXTEND8_S):
	case OP(I64_EXTEND8_S):
		x_rr(&j->b, 0, w, 0x0fbe, 2, RAX, ra, true);
		break;
	case OP(I32_EXTEND16_S):
	case OP(I64_EXTEND16_S):
		x_rr(&j->b, 0, w, 0x0fbf, 2, RAX, ra, false);
		break;
	case OP(I64_EXTEND_I32_S):
	case OP(I64_EXTEND32_S):
		x_rr(&j->b, 0, true, 0x63, 1, RAX, ra, false); // movsxd
		break;
	default: // wrap, extend_u: the low 32 bits
		x_mov_rr(&j->b, false, RAX, ra);
		break;
	}
	jit_gset(j, (uint32_t)p[0], RAX);
}

// abs, neg, copysign: bit operations in general registers.
static void sign_bits(struct jit *j, enum eng_op op, const uint64_t *p)
{
	bool w = op >= OP(F64_ABS);
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	if (ra != RAX)
		x_mov_rr(&j->b, true, RAX, ra);
	if (op == OP(F32_ABS)) {
		x_alu_ri(&j->b, 4, false, RAX, 0x7fffffff);
	} else if (op == OP(F32_NEG)) {
		x_alu_ri(&j->b, 6, false, RAX, INT32_MIN);
	} else if (op == OP(F64_ABS) || op == OP(F64_NEG)) {
		x_rr(&j->b, 0, true, 0x0fba, 2, op == OP(F64_ABS) ? 6 : 7, RAX, false);
		x_byte(&j->b, 63); // btr / btc
	} else { // copysign
		int rb = jit_gget(j, (uint32_t)p[2], RCX);
		if (rb != RCX)
			x_mov_rr(&j->b, true, RCX, rb);
		if (w) {
			x_rr(&j->b, 0, true, 0x0fba, 2, 6, RAX, false);
			x_byte(&j->b, 63);
			x_shift_ri(&j->b, 5, true, RCX, 63);
			x_shift_ri(&j->b, 4, true, RCX, 63);
			x_alu_rr(&j->b, 1, true, RAX, RCX);
		} else {
			x_alu_ri(&j->b, 4, false, RAX, 0x7fffffff);
			x_alu_ri(&j->b, 4, false, RCX, INT32_MIN);
			x_alu_rr(&j->b, 1, false, RAX, RCX);
		}
	}
	jit_gset(j, (uint32_t)p[0], RAX);
}

// ---- floats -----------------------------------------------------------

// xmm0 <- a (a copy, so an f32's zero upper bits come along).
static int fl_a(struct jit *j, uint32_t a)
{
	int xa = jit_xget(j, a, XMM(0));
	if (xa != XMM(0))
		sse_rr(j, 0, 0x0f28, XMM(0), xa);
	return XMM(0);
}

static int fl_b(struct jit *j, const uint64_t *p, bool ri)
{
	if (ri) {
		x_mov_imm(&j->b, RAX, p[2]);
		movq_x_g(j, XMM(1), RAX);
		return XMM(1);
	}
	return jit_xget(j, (uint32_t)p[2], XMM(1));
}

// An SSE operation on xmm reg and a constant of the function's pool:
// op reg, [rip + disp32], the disp patched when the pool is placed.
static void sse_pool(struct jit *j, uint8_t pfx, uint32_t opc, int reg, uint64_t v)
{
	if (j->nconsts >= j->consts_cap) {
		j->bad = true;
		return;
	}
	x_byte(&j->b, pfx);
	if (reg & 8)
		x_byte(&j->b, 0x44); // REX.R
	x_byte(&j->b, 0x0f);
	x_byte(&j->b, (uint8_t)opc);
	x_byte(&j->b, (uint8_t)(0x05 | ((reg & 7) << 3)));
	j->consts[j->nconsts++] = (struct jit_const){j->b.n, v};
	x_u32(&j->b, 0);
}

static void fl_bin(struct jit *j, bool dbl, uint32_t opc, const uint64_t *p, bool ri)
{
	uint8_t pfx = dbl ? 0xf2 : 0xf3;
	uint32_t dst = (uint32_t)p[0];
	int d = j->reg[dst];
	if (ri) { // the constant from the pool: no register, no move
		int t = d >= 16 ? d : XMM(0);
		int xa = jit_xget(j, (uint32_t)p[1], t);
		if (xa != t)
			sse_rr(j, 0, 0x0f28, t, xa);
		sse_pool(j, pfx, opc & 0xff, t & 15, p[2]);
		if (t != d)
			jit_xset(j, dst, t);
		return;
	}
	int xb = fl_b(j, p, ri);
	if (d >= 16 && xb != d) {
		int xa = jit_xget(j, (uint32_t)p[1], XMM(0));
		if (xa != d)
			sse_rr(j, 0, 0x0f28, d, xa);
		sse_rr(j, pfx, opc, d, xb);
		return;
	}
	fl_a(j, (uint32_t)p[1]);
	sse_rr(j, pfx, opc, XMM(0), xb);
	jit_xset(j, dst, XMM(0));
}

// min and max: NaN if either is (as a + b), -0 < +0 (or or and of the
// equal operands), else minsd/maxsd.
static void fl_minmax(struct jit *j, bool dbl, bool max, const uint64_t *p)
{
	uint8_t pfx = dbl ? 0xf2 : 0xf3;
	int xb = jit_xget(j, (uint32_t)p[2], XMM(1));
	fl_a(j, (uint32_t)p[1]);
	sse_rr(j, dbl ? 0x66 : 0, 0x0f2e, XMM(0), xb); // ucomis
	uint32_t nan = x_jcc(&j->b, XC_P);
	uint32_t ne = x_jcc(&j->b, XC_NE);
	sse_rr(j, 0, max ? 0x0f54 : 0x0f56, XMM(0), xb); // andps / orps
	uint32_t done1 = x_jmp(&j->b);
	x_patch(&j->b, nan, j->b.n);
	sse_rr(j, pfx, 0x0f58, XMM(0), xb); // add
	uint32_t done2 = x_jmp(&j->b);
	x_patch(&j->b, ne, j->b.n);
	sse_rr(j, pfx, max ? 0x0f5f : 0x0f5d, XMM(0), xb);
	x_patch(&j->b, done1, j->b.n);
	x_patch(&j->b, done2, j->b.n);
	jit_xset(j, (uint32_t)p[0], XMM(0));
}

static void fl_unary(struct jit *j, bool dbl, enum eng_op op, const uint64_t *p)
{
	fl_a(j, (uint32_t)p[1]);
	int base = dbl ? OP(F64_ABS) : OP(F32_ABS);
	int k = (int)op - base; // abs neg ceil floor trunc nearest sqrt
	if (k == 6) {
		sse_rr(j, dbl ? 0xf2 : 0xf3, 0x0f51, XMM(0), XMM(0));
	} else {
		static const uint8_t mode[4] = {2, 1, 3, 0}; // ceil floor trunc nearest
		x_rr(&j->b, 0x66, false, dbl ? 0x0f3a0b : 0x0f3a0a, 3, 0, 0, false);
		x_byte(&j->b, (uint8_t)(mode[k - 2] | 8));
	}
	jit_xset(j, (uint32_t)p[0], XMM(0));
}

static void fl_cmp(struct jit *j, bool dbl, int k, const uint64_t *p)
{
	// eq ne lt gt le ge: lt and le compare b with a.
	bool swap = k == 2 || k == 4;
	int xa = jit_xget(j, (uint32_t)p[1], XMM(0));
	int xb = jit_xget(j, (uint32_t)p[2], XMM(1));
	sse_rr(j, dbl ? 0x66 : 0, 0x0f2e, swap ? xb : xa, swap ? xa : xb);
	static const int cc[6] = {XC_E, XC_NE, XC_A, XC_A, XC_AE, XC_AE};
	x_setcc(&j->b, cc[k], RAX);
	if (k == 0 || k == 1) {
		x_setcc(&j->b, k == 0 ? XC_NP : XC_P, RCX);
		x_rr(&j->b, 0, false, k == 0 ? 0x20 : 0x08, 1, RCX, RAX, false);
	}
	x_movzx8(&j->b, RAX, RAX);
	jit_gset(j, (uint32_t)p[0], RAX);
}

// int -> float: cvtsi2s[sd] from a general register (64-bit for u32).
static void fl_from_int(struct jit *j, bool dbl, bool w64, bool zext, const uint64_t *p)
{
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	if (zext) {
		x_mov_rr(&j->b, false, RAX, ra);
		ra = RAX;
	}
	sse_rr(j, 0, 0x0f57, XMM(0), XMM(0));
	x_rr(&j->b, dbl ? 0xf2 : 0xf3, w64, 0x0f2a, 2, 0, ra, false);
	jit_xset(j, (uint32_t)p[0], XMM(0));
}

// float -> signed int, trapping: cvtts[sd]2si gives the "integer
// indefinite" for NaN and out of range, checked in a cold stub.
static void trunc_s(struct jit *j, enum eng_op op, bool dbl, bool w64, const uint64_t *p)
{
	int xa = jit_xget(j, (uint32_t)p[1], XMM(0));
	if (xa != XMM(0))
		sse_rr(j, 0, 0x0f28, XMM(0), xa);
	x_rr(&j->b, dbl ? 0xf2 : 0xf3, w64, 0x0f2c, 2, RAX, 0, false);
	if (w64) {
		x_mov_imm(&j->b, RCX, (uint64_t)INT64_MIN);
		x_alu_rr(&j->b, 7, true, RAX, RCX);
	} else {
		x_alu_ri(&j->b, 7, false, RAX, INT32_MIN);
	}
	jit_cold(j, JC_TRUNC, x_jcc(&j->b, XC_E), 0);
	if (j->ncold)
		j->cold[j->ncold - 1].op = (uint8_t)op;
	if (!w64)
		x_mov_rr(&j->b, false, RAX, RAX);
	jit_gset(j, (uint32_t)p[0], RAX);
}

// float -> u32, trapping: a 64-bit conversion whose upper half must be 0.
static void trunc_u32(struct jit *j, enum eng_op op, bool dbl, const uint64_t *p)
{
	int xa = jit_xget(j, (uint32_t)p[1], XMM(0));
	if (xa != XMM(0))
		sse_rr(j, 0, 0x0f28, XMM(0), xa);
	x_rr(&j->b, dbl ? 0xf2 : 0xf3, true, 0x0f2c, 2, RAX, 0, false);
	x_mov_rr(&j->b, true, RCX, RAX);
	x_shift_ri(&j->b, 5, true, RCX, 32);
	jit_cold(j, JC_TRUNC, x_jcc(&j->b, XC_NE), 0);
	if (j->ncold)
		j->cold[j->ncold - 1].op = (uint8_t)op;
	jit_gset(j, (uint32_t)p[0], RAX);
}

// The rare conversions: a helper in C (eng_jit_num), the value in rdi.
static void num_helper(struct jit *j, enum eng_op op, const uint64_t *p)
{
	jit_wb_all(j);
	x_mov_imm(&j->b, RDI, (uint64_t)op);
	x_mov_load(&j->b, true, RSI, jit_slot((uint32_t)p[1]));
	jit_ccall(j, (const void *)eng_jit_num);
	x_mov_store(&j->b, true, jit_slot((uint32_t)p[0]), RAX);
	x_rr(&j->b, 0, false, 0x85, 1, RDX, RDX, false);
	jit_cold(j, JC_TRAP_EDX, x_jcc(&j->b, XC_NE), 0);
	jit_reload_all(j);
}

static bool numeric(struct jit *j, enum eng_op op, const uint64_t *p)
{
	static const int8_t icc[10] = {XC_E, XC_NE, XC_L, XC_B, XC_G,
				       XC_A, XC_LE, XC_BE, XC_GE, XC_AE};
	if (op == OP(I32_EQZ) || op == OP(I64_EQZ)) {
		eqz(j, op == OP(I64_EQZ), p);
	} else if (IN(op, I32_EQ, I32_GE_U)) {
		cmp_set(j, icc[op - OP(I32_EQ)], false, p, false);
	} else if (IN(op, I64_EQ, I64_GE_U)) {
		cmp_set(j, icc[op - OP(I64_EQ)], true, p, false);
	} else if (IN(op, F32_EQ, F32_GE)) {
		fl_cmp(j, false, op - OP(F32_EQ), p);
	} else if (IN(op, F64_EQ, F64_GE)) {
		fl_cmp(j, true, op - OP(F64_EQ), p);
	} else if (IN(op, I32_CLZ, I32_POPCNT) || IN(op, I64_CLZ, I64_POPCNT) ||
		   IN(op, I32_EXTEND8_S, I64_EXTEND32_S) ||
		   op == OP(I32_WRAP_I64) || op == OP(I64_EXTEND_I32_S) ||
		   op == OP(I64_EXTEND_I32_U)) {
		unary_int(j, op, p);
	} else if (IN(op, I32_ADD, I32_ROTR) || IN(op, I64_ADD, I64_ROTR)) {
		bool w = op >= OP(I64_ADD);
		int k = op - (w ? OP(I64_ADD) : OP(I32_ADD));
		// add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr
		static const int8_t ext[15] = {0, 5, -1, -1, -1, -1, -1,
					       4, 1, 6, 4, 7, 5, 0, 1};
		if (k == 2)
			mul(j, w, p, false);
		else if (k >= 3 && k <= 6)
			divide(j, w, k == 3 || k == 5, k >= 5, p);
		else if (k >= 10)
			shift(j, k == 13 ? 0 : k == 14 ? 1 : ext[k], w, p, false);
		else
			alu(j, ext[k], w, p);
	} else if (IN(op, F32_ABS, F32_NEG) || op == OP(F32_COPYSIGN) ||
		   IN(op, F64_ABS, F64_NEG) || op == OP(F64_COPYSIGN)) {
		sign_bits(j, op, p);
	} else if (IN(op, F32_CEIL, F32_SQRT) || IN(op, F64_CEIL, F64_SQRT)) {
		fl_unary(j, op >= OP(F64_ABS), op, p);
	} else if (IN(op, F32_ADD, F32_DIV) || IN(op, F64_ADD, F64_DIV)) {
		static const uint32_t opc[4] = {0x0f58, 0x0f5c, 0x0f59, 0x0f5e};
		bool dbl = op >= OP(F64_ABS);
		fl_bin(j, dbl, opc[op - (dbl ? OP(F64_ADD) : OP(F32_ADD))], p, false);
	} else if (op == OP(F32_MIN) || op == OP(F32_MAX) ||
		   op == OP(F64_MIN) || op == OP(F64_MAX)) {
		fl_minmax(j, op >= OP(F64_ABS), op == OP(F32_MAX) || op == OP(F64_MAX), p);
	} else {
		return false;
	}
	return true;
}

static bool conversion(struct jit *j, enum eng_op op, const uint64_t *p)
{
	switch (op) {
	case OP(I32_TRUNC_F32_S): trunc_s(j, op, false, false, p); break;
	case OP(I32_TRUNC_F64_S): trunc_s(j, op, true, false, p); break;
	case OP(I64_TRUNC_F32_S): trunc_s(j, op, false, true, p); break;
	case OP(I64_TRUNC_F64_S): trunc_s(j, op, true, true, p); break;
	case OP(I32_TRUNC_F32_U): trunc_u32(j, op, false, p); break;
	case OP(I32_TRUNC_F64_U): trunc_u32(j, op, true, p); break;
	case OP(F32_CONVERT_I32_S): fl_from_int(j, false, false, false, p); break;
	case OP(F32_CONVERT_I32_U): fl_from_int(j, false, true, true, p); break;
	case OP(F32_CONVERT_I64_S): fl_from_int(j, false, true, false, p); break;
	case OP(F64_CONVERT_I32_S): fl_from_int(j, true, false, false, p); break;
	case OP(F64_CONVERT_I32_U): fl_from_int(j, true, true, true, p); break;
	case OP(F64_CONVERT_I64_S): fl_from_int(j, true, true, false, p); break;
	case OP(F32_DEMOTE_F64):
	case OP(F64_PROMOTE_F32): {
		int xa = jit_xget(j, (uint32_t)p[1], XMM(1));
		sse_rr(j, 0, 0x0f57, XMM(0), XMM(0));
		sse_rr(j, op == OP(F32_DEMOTE_F64) ? 0xf2 : 0xf3, 0x0f5a, XMM(0), xa);
		jit_xset(j, (uint32_t)p[0], XMM(0));
		break;
	}
	case OP(I32_REINTERPRET_F32):
	case OP(I64_REINTERPRET_F64):
	case OP(F32_REINTERPRET_I32):
	case OP(F64_REINTERPRET_I64):
		jit_move(j, (uint32_t)p[0], (uint32_t)p[1]);
		break;
	case OP(I64_TRUNC_F32_U):
	case OP(I64_TRUNC_F64_U):
	case OP(F32_CONVERT_I64_U):
	case OP(F64_CONVERT_I64_U):
		num_helper(j, op, p);
		break;
	default:
		if (!IN(op, I32_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_U))
			return false;
		num_helper(j, op, p);
	}
	return true;
}

// ---- memory -----------------------------------------------------------

// rax <- the effective address (a 32-bit address, plus k for the _AK
// forms, plus off) minus disp, with disp < 2^31 returned for the access;
// explicit bounds check that n bytes fit.
static int32_t address(struct jit *j, uint32_t a, bool ak, uint64_t k,
		       uint64_t off, uint32_t n)
{
	int ra = jit_gget(j, a, RAX);
	if (ak) // lea eax, [ra + k]: the 32-bit sum wraps as i32.add does
		x_rm(&j->b, 0, false, 0x8d, 1, RAX, x_at(ra, (int32_t)(uint32_t)k), false);
	else
		x_mov_rr(&j->b, false, RAX, ra);
	bool big = off > (uint64_t)INT32_MAX - 16;
	if (big) {
		x_mov_imm(&j->b, RCX, off);
		x_alu_rr(&j->b, 0, true, RAX, RCX);
		off = 0;
	}
	// Guard regions cover any 32-bit address plus any offset.
	if (!j->guard) {
		x_lea(&j->b, RCX, x_at(RAX, (int32_t)(off + n)));
		x_alu_rr(&j->b, 7, true, RCX, J_MSIZE);
		jit_trap_jcc(j, XC_A, ERR_ENG_TRAP_MEMORY);
	}
	return (int32_t)off;
}

static void load(struct jit *j, enum eng_op op, const uint64_t *p)
{
	bool ak = op >= OP(LOAD32_AK);
	int k = op - (ak ? OP(LOAD32_AK) : OP(LOAD32));
	// 32 64 8_s32 8_u 16_s32 16_u 8_s64 16_s64 32_s64
	static const uint8_t size[9] = {4, 8, 1, 1, 2, 2, 1, 2, 4};
	uint32_t dst = (uint32_t)p[0];
	int32_t off = address(j, (uint32_t)p[1], ak, ak ? p[2] : 0,
			      ak ? p[3] : p[2], size[k]);
	struct x_mem m = x_at_idx(J_MBASE, RAX, off);
	int d = j->reg[dst];
	jit_site(j);
	if (d >= 16 && (k == 0 || k == 1)) {
		if (k == 0)
			x_rm(&j->b, 0x66, false, 0x0f6e, 2, d & 15, m, false);
		else
			x_rm(&j->b, 0xf3, false, 0x0f7e, 2, d & 15, m, false);
		return;
	}
	int r = (d >= 0 && d < 16) ? d : RAX;
	switch (k) {
	case 0: x_mov_load(&j->b, false, r, m); break;
	case 1: x_mov_load(&j->b, true, r, m); break;
	case 2: x_rm(&j->b, 0, false, 0x0fbe, 2, r, m, false); break;
	case 3: x_rm(&j->b, 0, false, 0x0fb6, 2, r, m, false); break;
	case 4: x_rm(&j->b, 0, false, 0x0fbf, 2, r, m, false); break;
	case 5: x_rm(&j->b, 0, false, 0x0fb7, 2, r, m, false); break;
	case 6: x_rm(&j->b, 0, true, 0x0fbe, 2, r, m, false); break;
	case 7: x_rm(&j->b, 0, true, 0x0fbf, 2, r, m, false); break;
	default: x_rm(&j->b, 0, true, 0x63, 1, r, m, false); break;
	}
	jit_gset(j, dst, r);
}

static void store(struct jit *j, enum eng_op op, const uint64_t *p)
{
	bool ak = op >= OP(STORE8_AK);
	int k = op - (ak ? OP(STORE8_AK) : OP(STORE8)); // 8 16 32 64
	uint32_t val = (uint32_t)(ak ? p[2] : p[1]);
	int v = j->reg[val];
	int rv = v >= 16 ? v : jit_gget(j, val, RDX);
	int32_t off = address(j, (uint32_t)p[0], ak, ak ? p[1] : 0,
			      ak ? p[3] : p[2], 1u << k);
	struct x_mem m = x_at_idx(J_MBASE, RAX, off);
	if (rv >= 16 && k < 2) { // a byte or half of an xmm value: via rdx
		movq_g_x(j, RDX, rv);
		rv = RDX;
	}
	jit_site(j); // the access itself comes next: the fault's pc
	if (rv >= 16) {
		x_rm(&j->b, 0x66, false, k == 2 ? 0x0f7e : 0x0fd6, 2, rv & 15, m, false);
		return;
	}
	switch (k) {
	case 0: x_rm(&j->b, 0, false, 0x88, 1, rv, m, true); break;
	case 1: x_rm(&j->b, 0x66, false, 0x89, 1, rv, m, false); break;
	case 2: x_mov_store(&j->b, false, m, rv); break;
	default: x_mov_store(&j->b, true, m, rv); break;
	}
}

// rax <- inst->mem (the module has a memory, or it did not validate).
static void mem_ptr(struct jit *j)
{
	x_mov_load(&j->b, true, RAX,
		   x_at(J_INST, (int32_t)offsetof(struct eng_instance, mem)));
}

static void memory_op(struct jit *j, enum eng_op op, const uint64_t *p)
{
	if (op == OP(MEMORY_SIZE)) {
		mem_ptr(j);
		x_mov_load(&j->b, false, RAX,
			   x_at(RAX, (int32_t)offsetof(struct eng_memory, pages)));
		jit_gset(j, (uint32_t)p[0], RAX);
		return;
	}
	jit_wb_all(j);
	x_mov_rr(&j->b, true, RDI, J_INST);
	if (op == OP(MEMORY_GROW)) {
		x_mov_load(&j->b, false, RSI, jit_slot((uint32_t)p[1]));
		jit_ccall(j, (const void *)eng_jit_grow);
		x_mov_store(&j->b, true, jit_slot((uint32_t)p[0]), RAX);
	} else {
		bool drop = op == OP(DATA_DROP) || op == OP(ELEM_DROP);
		x_mov_imm(&j->b, RSI, (uint64_t)op);
		if (drop) {
			x_mov_imm(&j->b, R9, p[0]);
		} else {
			x_mov_load(&j->b, false, RDX, jit_slot((uint32_t)p[0]));
			x_mov_load(&j->b, false, RCX, jit_slot((uint32_t)p[1]));
			x_mov_load(&j->b, false, R8, jit_slot((uint32_t)p[2]));
			x_mov_imm(&j->b, R9, p[3]);
		}
		jit_ccall(j, (const void *)eng_jit_bulk);
		x_mov_rr(&j->b, false, RDX, RAX);
		x_rr(&j->b, 0, false, 0x85, 1, RDX, RDX, false);
		jit_cold(j, JC_TRAP_EDX, x_jcc(&j->b, XC_NE), 0);
	}
	jit_reload_mem(j);
	jit_reload_all(j);
}

// ---- slots and globals --------------------------------------------------

static void global(struct jit *j, bool set, const uint64_t *p)
{
	x_mov_load(&j->b, true, RCX,
		   x_at(J_INST, (int32_t)offsetof(struct eng_instance, globals)));
	x_mov_load(&j->b, true, RCX, x_at(RCX, (int32_t)(p[1] * 8)));
	struct x_mem cell = x_at(RCX, (int32_t)offsetof(struct eng_global, bits));
	if (set) {
		x_mov_store(&j->b, true, cell, jit_gget(j, (uint32_t)p[0], RAX));
	} else {
		int d = j->reg[(uint32_t)p[0]];
		int r = d >= 0 && d < 16 ? d : RAX;
		x_mov_load(&j->b, true, r, cell);
		jit_gset(j, (uint32_t)p[0], r);
	}
}

static void select_op(struct jit *j, const uint64_t *p)
{
	int rc = jit_gget(j, (uint32_t)p[3], RDX);
	int rb = jit_gget(j, (uint32_t)p[2], RCX);
	int ra = jit_gget(j, (uint32_t)p[1], RAX);
	if (ra != RAX)
		x_mov_rr(&j->b, true, RAX, ra);
	x_rr(&j->b, 0, false, 0x85, 1, rc, rc, false);
	x_rr(&j->b, 0, true, 0x0f44, 2, RAX, rb, false); // cmovz
	jit_gset(j, (uint32_t)p[0], RAX);
}

bool jit_op(struct jit *j, enum eng_op op, const uint64_t *p)
{
	static const uint8_t ri_ext[11] = {0, 5, 0, 4, 1, 6, 4, 7, 5, 0, 1};
	if (op <= OP(I64_EXTEND32_S) && (numeric(j, op, p) || conversion(j, op, p)))
		return true;
	if (IN(op, I32_ADD_RI, I32_ROTR_RI) || IN(op, I64_ADD_RI, I64_SHR_U_RI)) {
		bool w = op >= OP(I64_ADD_RI);
		int k = op - (w ? OP(I64_ADD_RI) : OP(I32_ADD_RI));
		if (k == 2)
			mul(j, w, p, true);
		else if (k >= 6)
			shift(j, ri_ext[k], w, p, true);
		else
			alu_ri(j, ri_ext[k], w, p);
		return true;
	}
	if (IN(op, I32_EQ_RI, I32_GE_U_RI)) {
		static const int8_t icc[10] = {XC_E, XC_NE, XC_L, XC_B, XC_G,
					       XC_A, XC_LE, XC_BE, XC_GE, XC_AE};
		cmp_set(j, icc[op - OP(I32_EQ_RI)], false, p, true);
		return true;
	}
	if (IN(op, F64_ADD_RI, F64_DIV_RI)) {
		static const uint32_t opc[4] = {0x0f58, 0x0f5c, 0x0f59, 0x0f5e};
		fl_bin(j, true, opc[op - OP(F64_ADD_RI)], p, true);
		return true;
	}
	if (IN(op, LOAD32, LOAD32_S64_AK)) {
		load(j, op, p);
		return true;
	}
	if (IN(op, STORE8, STORE64_AK)) {
		store(j, op, p);
		return true;
	}
	if (IN(op, MEMORY_SIZE, MEMORY_GROW) || IN(op, MEMORY_INIT, TABLE_COPY)) {
		memory_op(j, op, p);
		return true;
	}
	switch (op) {
	case OP(SELECT): select_op(j, p); return true;
	case OP(COPY): jit_move(j, (uint32_t)p[0], (uint32_t)p[1]); return true;
	case OP(CONST): set_const(j, (uint32_t)p[0], p[1]); return true;
	case OP(GLOBAL_GET): global(j, false, p); return true;
	case OP(GLOBAL_SET): global(j, true, p); return true;
	default: return conversion(j, op, p);
	}
}

uint32_t jit_op_len(enum eng_op op, const uint64_t *w)
{
	if (op == OP(I32_EQZ) || op == OP(I64_EQZ) || IN(op, I32_CLZ, I32_POPCNT) ||
	    IN(op, I64_CLZ, I64_POPCNT) || IN(op, F32_ABS, F32_SQRT) ||
	    IN(op, F64_ABS, F64_SQRT) || IN(op, I32_WRAP_I64, I64_EXTEND32_S) ||
	    IN(op, I32_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F64_U))
		return 2;
	if (op <= OP(F64_DIV_RI))
		return 3;
	if (IN(op, BR_IF_EQ, BRL_IF_GE_U_RI))
		return 3;
	if (IN(op, LOAD32_AK, LOAD32_S64_AK) || IN(op, STORE8_AK, STORE64_AK))
		return 4;
	if (IN(op, LOAD32, LOAD32_S64) || IN(op, STORE8, STORE64))
		return 3;
	switch (op) {
	case OP(UNREACHABLE): case OP(HALT): return 0;
	case OP(BR): case OP(BR_POLL): case OP(RETURN): case OP(MEMORY_SIZE):
	case OP(DATA_DROP): case OP(ELEM_DROP): return 1;
	case OP(BR_IF): case OP(BR_UNLESS): case OP(BR_IF_POLL): case OP(CALL):
	case OP(CALL_FUNC): case OP(COPY): case OP(CONST): case OP(GLOBAL_GET):
	case OP(GLOBAL_SET): case OP(MEMORY_GROW): return 2;
	case OP(BR_UNWIND): case OP(CALL_INDIRECT): case OP(SELECT):
	case OP(MEMORY_INIT): case OP(MEMORY_COPY): case OP(MEMORY_FILL):
	case OP(TABLE_INIT): case OP(TABLE_COPY): return 4;
	case OP(BR_IF_UNWIND): return 5;
	case OP(BR_TABLE): return (uint32_t)(4 + 2 * (w[1] + 1));
	default: return 0;
	}
}
