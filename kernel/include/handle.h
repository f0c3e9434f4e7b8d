// SPDX-License-Identifier: MIT
// Handle tables: each SIP names kernel objects (exchange-heap blocks,
// channel endpoints) only through 32-bit handles into its own table. A
// handle is a slot index and a generation; freeing a slot bumps its
// generation, so a stale handle names nothing and is reported as stale
// instead of reaching whatever reused the slot. Portable and host-tested.
// Not locked: the owner (the SIP's kernel state) serializes access.
#ifndef ISOLA_HANDLE_H
#define ISOLA_HANDLE_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t handle_t; // 0 is never a valid handle

#define HANDLE_MAX_SLOTS 65535u
#define HANDLE_KIND_NONE 0

struct handle_slot {
	void *obj;
	uint16_t kind; // HANDLE_KIND_NONE when free
	uint16_t gen;
	uint32_t next_free;
};

struct handle_table {
	struct handle_slot *slots;
	uint32_t cap;
	uint32_t used;
	uint32_t free_head; // cap when no slot is free
};

// Sets up a table over caller storage of cap slots (cap <= HANDLE_MAX_SLOTS).
void handle_table_init(struct handle_table *t, struct handle_slot *slots,
		       uint32_t cap);

// Stores obj of kind (non-zero) and returns its new handle in *out.
// ERR_LIMIT when the table is full.
ISOLA_MUST_CHECK isola_err_t handle_insert(struct handle_table *t,
					   uint16_t kind, void *obj,
					   handle_t *out);

// The object h names, if it is of kind. ERR_HANDLE_INVALID for a handle
// that was never issued, ERR_HANDLE_STALE for one whose slot was freed,
// ERR_HANDLE_KIND for a live handle of another kind.
ISOLA_MUST_CHECK isola_err_t handle_get(const struct handle_table *t,
					handle_t h, uint16_t kind, void **obj);

// Like handle_get, and frees the slot: the handle is dead from now on.
ISOLA_MUST_CHECK isola_err_t handle_take(struct handle_table *t, handle_t h,
					 uint16_t kind, void **obj);

// Gives the live handle h of kind from a new generation and kind to (its
// object stays): h is stale from now on, and the new handle goes to *out.
ISOLA_MUST_CHECK isola_err_t handle_rekind(struct handle_table *t, handle_t h,
					   uint16_t from, uint16_t to,
					   handle_t *out);

// Frees every live slot, calling fn(ctx, kind, obj) for each (reclaim).
void handle_table_drain(struct handle_table *t,
			void (*fn)(void *ctx, uint16_t kind, void *obj),
			void *ctx);

#endif
