// SPDX-License-Identifier: MIT
// libFuzzer harness for the kernel command-line parser.
#include <cmdline.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct cmdline cl;
	size_t pos = 0, cursor = 0;
	uint64_t v;
	isola_err_t err = cmdline_parse(s, &cl, &pos);
	if (err != ERR_OK && pos > size)
		abort(); // an error offset must point into the input
	(void)cmdline_get_uint(&cl, "loglevel", 0, 3, &v);
	(void)cmdline_get(&cl, "ktest");
	while (cmdline_next_unused(&cl, &cursor))
		;
	free(s);
	return 0;
}
