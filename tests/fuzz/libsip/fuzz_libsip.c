// SPDX-License-Identifier: MIT
// The input is, at once, an argument string for rt_wasi_args_init (quotes,
// backslashes) and a run of poll_oneoff subscriptions. Every word must lie
// in the string and args_get must write exactly the bytes args_sizes_get
// announced; poll must never report more events than subscriptions, nor a
// clock event before its deadline.
#include "rt.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_args(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct rt_wasi_args a;

	memcpy(line, data, size);
	line[size] = '\0';
	rt_wasi_args_init(&a, line);
	if (a.argc > RT_WASI_ARGV_MAX || a.argv[a.argc] != NULL || a.bytes > size + 1)
		abort();
	char **argv = malloc(sizeof(char *) * (size_t)(a.argc + 1));
	char *buf = malloc(a.bytes + 1);

	buf[a.bytes] = 0x5a;
	rt_wasi_args_copy(&a, argv, buf);
	for (int i = 0; i < a.argc; i++)
		if (a.argv[i] < line || a.argv[i] > line + size || strcmp(argv[i], a.argv[i]))
			abort();
	if ((uint8_t)buf[a.bytes] != 0x5a)
		abort();
	free(buf);
	free(argv);
	free(line);
}

static void fuzz_poll(const uint8_t *data, size_t size)
{
	uint32_t n = (uint32_t)(size / RT_WASI_SUBSCRIPTION_SIZE);
	uint64_t until, now = 1000000;

	if (rt_wasi_poll_deadline(data, n, now, &until) != RT_WASI_OK)
		return;
	uint8_t *ev = malloc((size_t)n * RT_WASI_EVENT_SIZE + 1);
	uint64_t at = until == UINT64_MAX ? now : until;
	uint32_t got = rt_wasi_poll_events(data, n, now, at, ev);

	if (got > n || (until != 0 && until != UINT64_MAX && got == 0))
		abort();
	if (rt_wasi_poll_events(data, n, now, at ? at - 1 : 0, ev) > got)
		abort();
	free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_args(data, size);
	fuzz_poll(data, size);
	return 0;
}
