// SPDX-License-Identifier: MIT
// Internal interfaces between the descriptor decoder, the contract rules
// and the layout code. Not for use outside channels/.
#ifndef ISOLA_CHANNELS_CONTRACT_INTERNAL_H
#define ISOLA_CHANNELS_CONTRACT_INTERNAL_H

#include <isola/contract.h>

// Allocates n zeroed bytes from the arena, 8-byte aligned; NULL if full.
void *contract_arena_alloc(struct contract_arena *a, size_t n) ISOLA_MUST_CHECK;

// Computes field offsets, payload sizes, moved slots and type tags.
isola_err_t contract_layout(struct contract *c, struct contract_diag *diag)
	ISOLA_MUST_CHECK;

// Checks the state machine (directions, determinism, mixed states, one-way
// cycles) and computes the queue bound per direction.
isola_err_t contract_check_states(struct contract *c, struct contract_arena *a,
				  struct contract_diag *diag) ISOLA_MUST_CHECK;

#endif
