// SPDX-License-Identifier: MIT
// Run queue and sleep queue (see schedq.h). The sleep queue is a sorted
// list: inserting is linear in the number of sleepers, popping is O(1).
#include <schedq.h>

void runq_init(struct runq *q)
{
	list_init(&q->head);
	q->n = 0;
}

void runq_push(struct runq *q, struct list_node *n)
{
	list_push_back(&q->head, n);
	q->n++;
}

struct list_node *runq_pop(struct runq *q)
{
	struct list_node *n = list_pop_front(&q->head);
	if (n)
		q->n--;
	return n;
}

void runq_remove(struct runq *q, struct list_node *n)
{
	list_remove(n);
	q->n--;
}

void sleepq_init(struct sleepq *q)
{
	list_init(&q->head);
	q->n = 0;
}

void sleepq_insert(struct sleepq *q, struct sleep_entry *e, uint64_t deadline)
{
	struct list_node *at = &q->head;
	e->deadline = deadline;
	list_for_each(it, &q->head) {
		struct sleep_entry *o = ISOLA_CONTAINER_OF(it, struct sleep_entry, link);
		if (o->deadline > deadline) {
			at = it;
			break;
		}
	}
	list_insert_before(at, &e->link);
	e->queued = true;
	q->n++;
}

void sleepq_remove(struct sleepq *q, struct sleep_entry *e)
{
	if (!e->queued)
		return;
	list_remove(&e->link);
	e->queued = false;
	q->n--;
}

struct sleep_entry *sleepq_pop_due(struct sleepq *q, uint64_t now)
{
	if (list_empty(&q->head))
		return NULL;
	struct sleep_entry *e =
		ISOLA_CONTAINER_OF(q->head.next, struct sleep_entry, link);
	if (e->deadline > now)
		return NULL;
	sleepq_remove(q, e);
	return e;
}

uint64_t sleepq_next_deadline(const struct sleepq *q)
{
	if (list_empty(&q->head))
		return UINT64_MAX;
	return ISOLA_CONTAINER_OF(q->head.next, struct sleep_entry, link)->deadline;
}
