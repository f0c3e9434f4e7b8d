// SPDX-License-Identifier: MIT
// Pointer chasing: a linked list threaded through 2^18 nodes in the order
// of a shuffled permutation (Fisher-Yates), walked many times. Each step's
// load depends on the one before. A node is 16 bytes on both targets.
#include "kernel.h"

#define NODES (1u << 18)
struct node {
	union {
		struct node *p;
		uint64_t bits; // the size of a native pointer, in wasm32 too
	} next;
	uint64_t val;
};
_Static_assert(sizeof(struct node) == 16, "a node is 16 bytes on both targets");
static struct node nodes[NODES];
static uint32_t perm[NODES];

static void list_build(uint32_t seed)
{
	uint32_t x = seed;
	for (uint32_t i = 0; i < NODES; i++)
		perm[i] = i;
	for (uint32_t i = NODES - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint32_t j = (uint32_t)(((uint64_t)x * (i + 1)) >> 32);
		uint32_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (uint32_t i = 0; i < NODES; i++) {
		nodes[perm[i]].next.p = &nodes[perm[(i + 1) & (NODES - 1)]];
		nodes[perm[i]].val = i ^ seed;
	}
}

uint64_t run(void)
{
	uint64_t sum = 0;
	for (uint32_t rep = 0; rep < 2; rep++) {
		list_build(0x9e3779b9u + rep);
		const struct node *p = &nodes[perm[rep]];
		for (uint32_t step = 0; step < 8 * NODES; step++) {
			sum += p->val;
			p = p->next.p;
		}
		sum = sum * 31 + p->val;
	}
	return sum;
}
