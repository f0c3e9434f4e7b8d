// SPDX-License-Identifier: MIT
// A message whose variants are the members of a union, next to its tag (the
// other shape sipcheck accepts for received messages), with an endpoint
// that the closed variant hands back to be dropped.
#ifndef TEST_UNION_MSG_H
#define TEST_UNION_MSG_H

#include <isola/linear.h>

typedef struct ISOLA_LINEAR tm_block { unsigned h; } tm_block;
typedef struct ISOLA_LINEAR tm_closed { unsigned h; } tm_closed;
typedef struct ISOLA_LINEAR tm_ready { unsigned h; } tm_ready;

enum tm_tag { TM_CLOSED, TM_TICK, TM_DATA };

struct tm_msg {
	enum tm_tag tag;
	union {
		tm_closed closed;
		struct {
			tm_ready ep;
		} tick;
		struct {
			tm_ready ep;
			tm_block payload;
		} data;
	} u;
};

struct tm_msg tm_recv(tm_ready ep);
void tm_close(tm_ready ep);
void tm_drop(tm_closed ep);
void tm_free(tm_block b);

#endif
