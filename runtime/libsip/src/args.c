// SPDX-License-Identifier: MIT
// Splits the argument string into argv. The spawner passes "NAME ARGS...",
// so the first word becomes argv[0]. Words are separated by runs of
// spaces; there is no quoting.
#include "rt.h"

int rt_args_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *save = NULL;

	for (char *w = rt_strtok_r(line, " ", &save); w && argc < max;
	     w = rt_strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}
