// SPDX-License-Identifier: MIT
// Helpers shared by the verifier's unit tests: building small modules from
// byte strings, loading them with a malloc allocator, and running
// accept/reject tables that check the error code and the byte offset.
#ifndef VF_TEST_H
#define VF_TEST_H

#include <isola/verifier.h>
#include <stddef.h>
#include <stdint.h>

#define VF_TEST_MAX 4096

struct vf_buf {
	uint8_t b[VF_TEST_MAX];
	size_t n;
};

void buf_put(struct vf_buf *b, const void *p, size_t n);
void buf_byte(struct vf_buf *b, uint8_t v);
void buf_u32(struct vf_buf *b, uint32_t v);
// Appends a section: id, size, contents.
void buf_section(struct vf_buf *b, uint8_t id, const void *p, size_t n);
void buf_header(struct vf_buf *b);

// A module with one type "sig" (the bytes after 0x60), optional extra
// sections before the code (raw, already framed), and one function whose
// body after the locals vector is body[0..n). *body_off is the absolute
// offset of body[0].
void build_func(struct vf_buf *b, const char *sig, size_t sig_n,
		const char *pre, size_t pre_n, const char *body, size_t body_n,
		uint32_t *body_off);

// A malloc allocator with a cap of cap bytes (0 = 64 MiB), for the
// loader and vf_sip_check; one shared instance, reset by each call.
const struct vf_allocator *test_allocator(size_t cap);

// Loads with features and a malloc allocator of cap bytes (0 = 64 MiB).
isola_err_t load(const struct vf_buf *b, uint32_t features, size_t cap,
		 struct vf_diag *d, struct vf_module **m);

// Same, for any bytes, with a 1 GiB cap.
isola_err_t load_bytes(const uint8_t *b, size_t n, uint32_t features,
		       struct vf_diag *d, struct vf_module **m);

// One row of a function-body table: the body (without locals), the
// expected code, and the expected offset relative to the body's first
// instruction (ignored for ERR_OK).
struct body_case {
	const char *name;
	const char *sig; // bytes after 0x60
	size_t sig_n;
	const char *body;
	size_t body_n;
	isola_err_t code;
	uint32_t off;
	uint32_t features;
	bool memory; // give the module a memory and a table
};

void run_body_cases(const struct body_case *c, size_t n);

// Builds and loads one function of type sig with body[0..n), with a
// memory and a table if memory; *off is the body's absolute offset. The
// module is freed again.
isola_err_t load_body(const char *sig, size_t sig_n, const char *body,
		      size_t n, bool memory, uint32_t features,
		      struct vf_diag *d, uint32_t *off);

#define S(lit) lit, sizeof(lit) - 1

#endif
