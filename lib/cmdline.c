// SPDX-License-Identifier: GPL-2.0
/* The option parsing every command shares (cmdline.h). */
#include <stdlib.h>

#include "cmdline.h"
#include "util.h"

int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts, cmd_usage_fn *usage)
{
	int opt = getopt_long(argc, argv, shortopts, longopts, NULL);

	switch (opt) {
	case 'h':
		usage(stdout);
		exit(EXIT_OK);
	case '?':
		exit(EXIT_BAD_INPUT);	/* getopt_long() said why */
	case -1:
		if (argc == 1) {
			usage(stderr);
			exit(EXIT_BAD_INPUT);
		}
		break;
	}
	return opt;
}

bool cmd_ulong(const char *s, int base, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, base);
	return end != s && !*end;
}
