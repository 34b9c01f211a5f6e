// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen: turn a kernel source patch into a livepatch module.
 * main() only dispatches to the subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "klpgen.h"
#include "util.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "build", cmd_build, "build a livepatch module from source patches" },
	{ "module", cmd_module, "generate a livepatch module from diff objects" },
	{ "series", cmd_series, "build a series of cumulative replace modules" },
	{ "check", cmd_check, "may NEXT.ko be enabled after PREV.ko...?" },
	{ "kpatch-build", cmd_kpatch_build,
	  "kpatch-build's command line for klpgen build" },
	{ "package", cmd_package, "package livepatch modules as an RPM or a .deb" },
	{ "depcc", cmd_depcc, "(used by build) compiler stand-in for the "
	  "dependency index: preprocess only" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: klpgen <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-13s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(out, "\n'klpgen <command> --help' and man klpgen(1) say more.\n");
}

int main(int argc, char **argv)
{
	size_t i;
	const char *base;

	tool_name = "klpgen";
	/* installed as a kpatch-build link (make install KPATCH_COMPAT=1) */
	base = strrchr(argv[0], '/');
	if (!strcmp(base ? base + 1 : argv[0], "kpatch-build")) {
		tool_name = "kpatch-build";
		return cmd_kpatch_build(argc, argv);
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[1], subcommands[i].name)) {
			static char prog[32];

			/* getopt's messages: "klpgen build: ..." */
			snprintf(prog, sizeof(prog), "klpgen %s",
				 subcommands[i].name);
			argv[1] = prog;
			return subcommands[i].fn(argc - 1, argv + 1);
		}
	}
	WARN("unknown command '%s' (see klpgen --help)", argv[1]);
	return EXIT_BAD_INPUT;
}
