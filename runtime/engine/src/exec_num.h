// SPDX-License-Identifier: MIT
// The numeric handlers of the dispatch loop (wasm opcodes 0x45..0xc4 and
// the saturating conversions), included inside eng_exec after exec_ops.h.
// i32 and f32 values live zero-extended in their 64-bit slots, so the
// reinterpretations and i64.extend_i32_u are plain copies.

op_I32_EQZ: UN((uint32_t)a == 0);
op_I32_EQ: BIN32(a == b);
op_I32_NE: BIN32(a != b);
op_I32_LT_S: BIN32((int32_t)a < (int32_t)b);
op_I32_LT_U: BIN32(a < b);
op_I32_GT_S: BIN32((int32_t)a > (int32_t)b);
op_I32_GT_U: BIN32(a > b);
op_I32_LE_S: BIN32((int32_t)a <= (int32_t)b);
op_I32_LE_U: BIN32(a <= b);
op_I32_GE_S: BIN32((int32_t)a >= (int32_t)b);
op_I32_GE_U: BIN32(a >= b);
op_I64_EQZ: UN(a == 0);
op_I64_EQ: BIN64(a == b);
op_I64_NE: BIN64(a != b);
op_I64_LT_S: BIN64((int64_t)a < (int64_t)b);
op_I64_LT_U: BIN64(a < b);
op_I64_GT_S: BIN64((int64_t)a > (int64_t)b);
op_I64_GT_U: BIN64(a > b);
op_I64_LE_S: BIN64((int64_t)a <= (int64_t)b);
op_I64_LE_U: BIN64(a <= b);
op_I64_GE_S: BIN64((int64_t)a >= (int64_t)b);
op_I64_GE_U: BIN64(a >= b);
op_F32_EQ: CMPF32(==);
op_F32_NE: CMPF32(!=);
op_F32_LT: CMPF32(<);
op_F32_GT: CMPF32(>);
op_F32_LE: CMPF32(<=);
op_F32_GE: CMPF32(>=);
op_F64_EQ: CMPF64(==);
op_F64_NE: CMPF64(!=);
op_F64_LT: CMPF64(<);
op_F64_GT: CMPF64(>);
op_F64_LE: CMPF64(<=);
op_F64_GE: CMPF64(>=);

op_I32_CLZ: UN((uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32);
op_I32_CTZ: UN((uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32);
op_I32_POPCNT: UN((uint64_t)__builtin_popcount((uint32_t)a));
op_I32_ADD: BIN32(a + b);
op_I32_SUB: BIN32(a - b);
op_I32_MUL: BIN32(a * b);
op_I32_DIV_S:
	if (isola_unlikely((uint32_t)R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	if (isola_unlikely((uint32_t)R(1) == 0x80000000u && (uint32_t)R(2) == UINT32_MAX))
		TRAP(ERR_ENG_TRAP_INT_OVERFLOW);
	BIN32((int32_t)a / (int32_t)b);
op_I32_DIV_U:
	if (isola_unlikely((uint32_t)R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN32(a / b);
op_I32_REM_S:
	if (isola_unlikely((uint32_t)R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN32(b == UINT32_MAX ? 0 : (int32_t)a % (int32_t)b);
op_I32_REM_U:
	if (isola_unlikely((uint32_t)R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN32(a % b);
op_I32_AND: BIN32(a & b);
op_I32_OR: BIN32(a | b);
op_I32_XOR: BIN32(a ^ b);
op_I32_SHL: BIN32(a << (b & 31));
op_I32_SHR_S: BIN32((int32_t)a >> (b & 31));
op_I32_SHR_U: BIN32(a >> (b & 31));
op_I32_ROTL: BIN32(eng_rotl32(a, b));
op_I32_ROTR: BIN32(eng_rotr32(a, b));

op_I64_CLZ: UN(a ? (uint64_t)__builtin_clzll(a) : 64);
op_I64_CTZ: UN(a ? (uint64_t)__builtin_ctzll(a) : 64);
op_I64_POPCNT: UN((uint64_t)__builtin_popcountll(a));
op_I64_ADD: BIN64(a + b);
op_I64_SUB: BIN64(a - b);
op_I64_MUL: BIN64(a * b);
op_I64_DIV_S:
	if (isola_unlikely(R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	if (isola_unlikely(R(1) == (uint64_t)INT64_MIN && R(2) == UINT64_MAX))
		TRAP(ERR_ENG_TRAP_INT_OVERFLOW);
	BIN64((int64_t)a / (int64_t)b);
op_I64_DIV_U:
	if (isola_unlikely(R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN64(a / b);
op_I64_REM_S:
	if (isola_unlikely(R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN64(b == UINT64_MAX ? 0 : (int64_t)a % (int64_t)b);
op_I64_REM_U:
	if (isola_unlikely(R(2) == 0))
		TRAP(ERR_ENG_TRAP_DIV_ZERO);
	BIN64(a % b);
op_I64_AND: BIN64(a & b);
op_I64_OR: BIN64(a | b);
op_I64_XOR: BIN64(a ^ b);
op_I64_SHL: BIN64(a << (b & 63));
op_I64_SHR_S: BIN64((int64_t)a >> (b & 63));
op_I64_SHR_U: BIN64(a >> (b & 63));
op_I64_ROTL: BIN64(eng_rotl64(a, b));
op_I64_ROTR: BIN64(eng_rotr64(a, b));

op_F32_ABS: UN(a & ~(uint64_t)ENG_F32_SIGN);
op_F32_NEG: UN(a ^ ENG_F32_SIGN);
op_F32_CEIL: UN(eng_bits32(eng_round32(eng_f32(a), 2)));
op_F32_FLOOR: UN(eng_bits32(eng_round32(eng_f32(a), 1)));
op_F32_TRUNC: UN(eng_bits32(eng_round32(eng_f32(a), 0)));
op_F32_NEAREST: UN(eng_bits32(eng_round32(eng_f32(a), 3)));
op_F32_SQRT: UN(eng_bits32(__builtin_sqrtf(eng_f32(a))));
op_F32_ADD: BINF32(+);
op_F32_SUB: BINF32(-);
op_F32_MUL: BINF32(*);
op_F32_DIV: BINF32(/);
op_F32_MIN: BIN64(eng_fmin32(a, b));
op_F32_MAX: BIN64(eng_fmax32(a, b));
op_F32_COPYSIGN: BIN64((a & ~(uint64_t)ENG_F32_SIGN) | (b & ENG_F32_SIGN));

op_F64_ABS: UN(a & ~ENG_F64_SIGN);
op_F64_NEG: UN(a ^ ENG_F64_SIGN);
op_F64_CEIL: UN(eng_bits64(eng_round64(eng_f64(a), 2)));
op_F64_FLOOR: UN(eng_bits64(eng_round64(eng_f64(a), 1)));
op_F64_TRUNC: UN(eng_bits64(eng_round64(eng_f64(a), 0)));
op_F64_NEAREST: UN(eng_bits64(eng_round64(eng_f64(a), 3)));
op_F64_SQRT: UN(eng_bits64(__builtin_sqrt(eng_f64(a))));
op_F64_ADD: BINF64(+);
op_F64_SUB: BINF64(-);
op_F64_MUL: BINF64(*);
op_F64_DIV: BINF64(/);
op_F64_MIN: BIN64(eng_fmin64(a, b));
op_F64_MAX: BIN64(eng_fmax64(a, b));
op_F64_COPYSIGN: BIN64((a & ~ENG_F64_SIGN) | (b & ENG_F64_SIGN));

op_I32_WRAP_I64: UN((uint32_t)a);
op_I32_TRUNC_F32_S: TRUNC(eng_f32(R(1)), -ENG_2P31 - 1.0, ENG_2P31, (uint32_t)(int32_t));
op_I32_TRUNC_F32_U: TRUNC(eng_f32(R(1)), -1.0, ENG_2P32, (uint32_t));
op_I32_TRUNC_F64_S: TRUNC(eng_f64(R(1)), -ENG_2P31 - 1.0, ENG_2P31, (uint32_t)(int32_t));
op_I32_TRUNC_F64_U: TRUNC(eng_f64(R(1)), -1.0, ENG_2P32, (uint32_t));
op_I64_EXTEND_I32_S: UN((uint64_t)(int64_t)(int32_t)a);
op_I64_EXTEND_I32_U: UN((uint32_t)a);
op_I64_TRUNC_F32_S: TRUNC(eng_f32(R(1)), ENG_I64_LO, ENG_2P63, (uint64_t)(int64_t));
op_I64_TRUNC_F32_U: TRUNC(eng_f32(R(1)), -1.0, ENG_2P64, (uint64_t));
op_I64_TRUNC_F64_S: TRUNC(eng_f64(R(1)), ENG_I64_LO, ENG_2P63, (uint64_t)(int64_t));
op_I64_TRUNC_F64_U: TRUNC(eng_f64(R(1)), -1.0, ENG_2P64, (uint64_t));
op_F32_CONVERT_I32_S: UN(eng_bits32((float)(int32_t)a));
op_F32_CONVERT_I32_U: UN(eng_bits32((float)(uint32_t)a));
op_F32_CONVERT_I64_S: UN(eng_bits32((float)(int64_t)a));
op_F32_CONVERT_I64_U: UN(eng_bits32((float)a));
op_F32_DEMOTE_F64: UN(eng_bits32((float)eng_f64(a)));
op_F64_CONVERT_I32_S: UN(eng_bits64((double)(int32_t)a));
op_F64_CONVERT_I32_U: UN(eng_bits64((double)(uint32_t)a));
op_F64_CONVERT_I64_S: UN(eng_bits64((double)(int64_t)a));
op_F64_CONVERT_I64_U: UN(eng_bits64((double)a));
op_F64_PROMOTE_F32: UN(eng_bits64((double)eng_f32(a)));
op_I32_REINTERPRET_F32:
op_I64_REINTERPRET_F64:
op_F32_REINTERPRET_I32:
op_F64_REINTERPRET_I64:
	UN(a);
op_I32_EXTEND8_S: UN((uint32_t)(int32_t)(int8_t)a);
op_I32_EXTEND16_S: UN((uint32_t)(int32_t)(int16_t)a);
op_I64_EXTEND8_S: UN((uint64_t)(int64_t)(int8_t)a);
op_I64_EXTEND16_S: UN((uint64_t)(int64_t)(int16_t)a);
op_I64_EXTEND32_S: UN((uint64_t)(int64_t)(int32_t)a);

op_I32_TRUNC_SAT_F32_S: UN(eng_sat_i32_s(eng_f32(a)));
op_I32_TRUNC_SAT_F32_U: UN(eng_sat_i32_u(eng_f32(a)));
op_I32_TRUNC_SAT_F64_S: UN(eng_sat_i32_s(eng_f64(a)));
op_I32_TRUNC_SAT_F64_U: UN(eng_sat_i32_u(eng_f64(a)));
op_I64_TRUNC_SAT_F32_S: UN(eng_sat_i64_s(eng_f32(a)));
op_I64_TRUNC_SAT_F32_U: UN(eng_sat_i64_u(eng_f32(a)));
op_I64_TRUNC_SAT_F64_S: UN(eng_sat_i64_s(eng_f64(a)));
op_I64_TRUNC_SAT_F64_U: UN(eng_sat_i64_u(eng_f64(a)));

op_I32_ADD_RI: BIN32I(a + b);
op_I32_SUB_RI: BIN32I(a - b);
op_I32_MUL_RI: BIN32I(a * b);
op_I32_AND_RI: BIN32I(a & b);
op_I32_OR_RI: BIN32I(a | b);
op_I32_XOR_RI: BIN32I(a ^ b);
op_I32_SHL_RI: BIN32I(a << (b & 31));
op_I32_SHR_S_RI: BIN32I((int32_t)a >> (b & 31));
op_I32_SHR_U_RI: BIN32I(a >> (b & 31));
op_I32_ROTL_RI: BIN32I(eng_rotl32(a, b));
op_I32_ROTR_RI: BIN32I(eng_rotr32(a, b));
op_I32_EQ_RI: BIN32I(a == b);
op_I32_NE_RI: BIN32I(a != b);
op_I32_LT_S_RI: BIN32I((int32_t)a < (int32_t)b);
op_I32_LT_U_RI: BIN32I(a < b);
op_I32_GT_S_RI: BIN32I((int32_t)a > (int32_t)b);
op_I32_GT_U_RI: BIN32I(a > b);
op_I32_LE_S_RI: BIN32I((int32_t)a <= (int32_t)b);
op_I32_LE_U_RI: BIN32I(a <= b);
op_I32_GE_S_RI: BIN32I((int32_t)a >= (int32_t)b);
op_I32_GE_U_RI: BIN32I(a >= b);
op_I64_ADD_RI: BIN64I(a + b);
op_I64_SUB_RI: BIN64I(a - b);
op_I64_MUL_RI: BIN64I(a * b);
op_I64_AND_RI: BIN64I(a & b);
op_I64_OR_RI: BIN64I(a | b);
op_I64_XOR_RI: BIN64I(a ^ b);
op_I64_SHL_RI: BIN64I(a << (b & 63));
op_I64_SHR_S_RI: BIN64I((int64_t)a >> (b & 63));
op_I64_SHR_U_RI: BIN64I(a >> (b & 63));
op_F64_ADD_RI: BIN64I(eng_bits64(eng_f64(a) + eng_f64(b)));
op_F64_SUB_RI: BIN64I(eng_bits64(eng_f64(a) - eng_f64(b)));
op_F64_MUL_RI: BIN64I(eng_bits64(eng_f64(a) * eng_f64(b)));
op_F64_DIV_RI: BIN64I(eng_bits64(eng_f64(a) / eng_f64(b)));
