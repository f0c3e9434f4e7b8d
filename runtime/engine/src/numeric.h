// SPDX-License-Identifier: MIT
// WebAssembly numeric semantics that C does not give directly, without
// libm: min/max with NaN and signed-zero rules, floor/ceil/trunc/nearest
// (portable, no SSE4.1), and the float-to-integer conversions (trapping
// range checks and saturating forms). Inlined into the dispatch loop.
#ifndef ENG_NUMERIC_H
#define ENG_NUMERIC_H

#include "eng_internal.h"

#define ENG_F32_SIGN 0x80000000u
#define ENG_F64_SIGN 0x8000000000000000ull

static inline bool eng_isnan32(float x)
{
	return x != x;
}

static inline bool eng_isnan64(double x)
{
	return x != x;
}

// min and max: a NaN operand gives a NaN (a + b quiets and propagates
// it); -0 is below +0, which the bitwise or/and of equal values handles.
static inline uint64_t eng_fmin32(uint64_t a, uint64_t b)
{
	float x = eng_f32(a), y = eng_f32(b);
	if (eng_isnan32(x) || eng_isnan32(y))
		return eng_bits32(x + y);
	if (x == y)
		return (uint32_t)(a | b);
	return x < y ? (uint32_t)a : (uint32_t)b;
}

static inline uint64_t eng_fmax32(uint64_t a, uint64_t b)
{
	float x = eng_f32(a), y = eng_f32(b);
	if (eng_isnan32(x) || eng_isnan32(y))
		return eng_bits32(x + y);
	if (x == y)
		return (uint32_t)(a & b);
	return x > y ? (uint32_t)a : (uint32_t)b;
}

static inline uint64_t eng_fmin64(uint64_t a, uint64_t b)
{
	double x = eng_f64(a), y = eng_f64(b);
	if (eng_isnan64(x) || eng_isnan64(y))
		return eng_bits64(x + y);
	if (x == y)
		return a | b;
	return x < y ? a : b;
}

static inline uint64_t eng_fmax64(uint64_t a, uint64_t b)
{
	double x = eng_f64(a), y = eng_f64(b);
	if (eng_isnan64(x) || eng_isnan64(y))
		return eng_bits64(x + y);
	if (x == y)
		return a & b;
	return x > y ? a : b;
}

// Rounding to an integral value. mode: 0 trunc, 1 floor, 2 ceil, 3
// nearest (ties to even). Values of magnitude 2^23 (2^52) and more are
// already integral; the rest fit the integer conversions used here.
static inline float eng_round32(float x, int mode)
{
	if (eng_isnan32(x))
		return x + x;
	float ax = x < 0 ? -x : x;
	if (!(ax < 8388608.0f))
		return x;
	float t;
	if (mode == 3) {
		t = (ax + 8388608.0f) - 8388608.0f;
	} else {
		t = (float)(int32_t)ax;
		if (mode == 1 && x < 0 && t != ax)
			t += 1.0f;
		if (mode == 2 && x > 0 && t != ax)
			t += 1.0f;
	}
	uint32_t bits = (uint32_t)eng_bits32(t) | ((uint32_t)eng_bits32(x) & ENG_F32_SIGN);
	return eng_f32(bits);
}

static inline double eng_round64(double x, int mode)
{
	if (eng_isnan64(x))
		return x + x;
	double ax = x < 0 ? -x : x;
	if (!(ax < 4503599627370496.0))
		return x;
	double t;
	if (mode == 3) {
		t = (ax + 4503599627370496.0) - 4503599627370496.0;
	} else {
		t = (double)(int64_t)ax;
		if (mode == 1 && x < 0 && t != ax)
			t += 1.0;
		if (mode == 2 && x > 0 && t != ax)
			t += 1.0;
	}
	return eng_f64(eng_bits64(t) | (eng_bits64(x) & ENG_F64_SIGN));
}

// Trapping conversions: ERR_OK and *out, or the trap code. Bounds are
// exact in double (every f32 is a double).
ISOLA_MUST_CHECK
static inline isola_err_t eng_trunc_check(double x, double lo, double hi)
{
	if (eng_isnan64(x))
		return ERR_ENG_TRAP_CONVERSION;
	if (!(x > lo && x < hi))
		return ERR_ENG_TRAP_INT_OVERFLOW;
	return ERR_OK;
}

#define ENG_2P31 2147483648.0
#define ENG_2P32 4294967296.0
#define ENG_2P63 9223372036854775808.0
#define ENG_2P64 18446744073709551616.0

// Saturating conversions.
static inline uint64_t eng_sat_i32_s(double x)
{
	if (eng_isnan64(x))
		return 0;
	if (x <= -ENG_2P31 - 1.0)
		return (uint32_t)INT32_MIN;
	if (x >= ENG_2P31)
		return (uint32_t)INT32_MAX;
	return (uint32_t)(int32_t)x;
}

static inline uint64_t eng_sat_i32_u(double x)
{
	if (eng_isnan64(x) || x <= -1.0)
		return 0;
	if (x >= ENG_2P32)
		return UINT32_MAX;
	return (uint32_t)x;
}

static inline uint64_t eng_sat_i64_s(double x)
{
	if (eng_isnan64(x))
		return 0;
	if (x < -ENG_2P63)
		return (uint64_t)INT64_MIN;
	if (x >= ENG_2P63)
		return (uint64_t)INT64_MAX;
	return (uint64_t)(int64_t)x;
}

static inline uint64_t eng_sat_i64_u(double x)
{
	if (eng_isnan64(x) || x <= -1.0)
		return 0;
	if (x >= ENG_2P64)
		return UINT64_MAX;
	return (uint64_t)x;
}

static inline uint32_t eng_rotl32(uint32_t x, uint32_t n)
{
	n &= 31;
	return (x << n) | (x >> ((32 - n) & 31));
}

static inline uint32_t eng_rotr32(uint32_t x, uint32_t n)
{
	n &= 31;
	return (x >> n) | (x << ((32 - n) & 31));
}

static inline uint64_t eng_rotl64(uint64_t x, uint64_t n)
{
	n &= 63;
	return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint64_t eng_rotr64(uint64_t x, uint64_t n)
{
	n &= 63;
	return (x >> n) | (x << ((64 - n) & 63));
}

#endif
