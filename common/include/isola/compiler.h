// SPDX-License-Identifier: MIT
// Compiler attributes and small helpers used by every part.
#ifndef ISOLA_COMPILER_H
#define ISOLA_COMPILER_H

#define ISOLA_MUST_CHECK __attribute__((warn_unused_result))
#define ISOLA_NORETURN __attribute__((noreturn))
#define ISOLA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ISOLA_UNUSED __attribute__((unused))
#define ISOLA_PACKED __attribute__((packed))
#define ISOLA_ALIGNED(n) __attribute__((aligned(n)))

#define ISOLA_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ISOLA_STATIC_ASSERT(name, cond) _Static_assert(cond, #name)
#define ISOLA_ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ISOLA_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ISOLA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define ISOLA_MAX(a, b) ((a) > (b) ? (a) : (b))

#define isola_likely(x) __builtin_expect(!!(x), 1)
#define isola_unlikely(x) __builtin_expect(!!(x), 0)

#define ISOLA_CONTAINER_OF(ptr, type, member)                                 \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif
