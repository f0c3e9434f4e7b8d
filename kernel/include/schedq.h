// SPDX-License-Identifier: MIT
// The scheduler's queues, kept portable so their logic is host-tested:
// a FIFO run queue (round robin) and a sleep queue ordered by deadline
// (equal deadlines wake in the order they went to sleep).
#ifndef ISOLA_SCHEDQ_H
#define ISOLA_SCHEDQ_H

#include <isola/compiler.h>
#include <list.h>
#include <stdint.h>

struct runq {
	struct list_node head;
	size_t n;
};

struct sleep_entry {
	struct list_node link;
	uint64_t deadline; // in the clock of the caller (ns in the kernel)
	bool queued;
};

struct sleepq {
	struct list_node head;
	size_t n;
};

void runq_init(struct runq *q);
void runq_push(struct runq *q, struct list_node *n);
struct list_node *runq_pop(struct runq *q); // NULL when empty
void runq_remove(struct runq *q, struct list_node *n);

void sleepq_init(struct sleepq *q);
void sleepq_insert(struct sleepq *q, struct sleep_entry *e, uint64_t deadline);
void sleepq_remove(struct sleepq *q, struct sleep_entry *e); // no-op if absent
// The earliest entry whose deadline is <= now, removed; NULL if none is due.
struct sleep_entry *sleepq_pop_due(struct sleepq *q, uint64_t now);
// The earliest deadline, or UINT64_MAX when empty.
uint64_t sleepq_next_deadline(const struct sleepq *q);

#endif
