// SPDX-License-Identifier: MIT
// Intrusive doubly linked circular lists.
#ifndef ISOLA_LIST_H
#define ISOLA_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *prev, *next;
};

static inline void list_init(struct list_node *head)
{
	head->prev = head->next = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

static inline void list_insert_before(struct list_node *at,
				      struct list_node *n)
{
	n->prev = at->prev;
	n->next = at;
	at->prev->next = n;
	at->prev = n;
}

static inline void list_push_back(struct list_node *head, struct list_node *n)
{
	list_insert_before(head, n);
}

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline struct list_node *list_pop_front(struct list_node *head)
{
	if (list_empty(head))
		return NULL;
	struct list_node *n = head->next;
	list_remove(n);
	return n;
}

#define list_for_each(it, head)                                                \
	for (struct list_node *it = (head)->next; it != (head); it = it->next)

#endif
