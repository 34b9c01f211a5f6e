// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen depcc CC ARGS...: the compiler of the dependency index run
 * (depindex.c), as Kbuild's CC.  For an object compile
 *     CC ... -Wp,-MMD,DIR/.x.o.d ... -c -o DIR/x.o DIR/x.c   (or x.S)
 * it runs only the preprocessor, with the same flags, for the dependency
 * file Kbuild expects (CC ... -MM -MF DIR/.x.o.d -MT DIR/x.o), and writes
 * an empty relocatable object in place of x.o, so the rest of Kbuild
 * (objtool, archives, modpost) goes on.  Anything else (Kconfig probes,
 * -S, -E, links) runs CC unchanged.  Tenths of a second an object instead
 * of seconds: the index of a distribution config in minutes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elf.h"
#include "klpgen.h"
#include "util.h"

static bool compiled(const char *arg)
{
	return str_ends_with(arg, ".c") || str_ends_with(arg, ".S");
}

static int run_wait(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return 127;
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "klpgen depcc: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int empty_object(const char *path)
{
	struct elf_file *elf = elf_create(path);
	int ret;

	if (!elf)
		return 1;
	ret = elf_write(elf, path) ? 1 : 0;
	elf_close(elf);
	return ret;
}

int cmd_depcc(int argc, char **argv)
{
	const char *out = NULL, *dep = NULL, *src = NULL;
	bool compile = false;
	char **cpp;
	int i, n = 0, rc;

	tool_name = "klpgen depcc";
	if (argc < 2) {
		WARN("usage: klpgen depcc CC ARGS...");
		return EXIT_BAD_INPUT;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-c"))
			compile = true;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (str_starts_with(argv[i], "-Wp,-MMD,") ||
			 str_starts_with(argv[i], "-Wp,-MD,"))
			dep = strchr(argv[i] + 4, ',') + 1;
		else if (argv[i][0] != '-' && compiled(argv[i]))
			src = argv[i];
	}
	if (!compile || !out || !dep || !src || !str_ends_with(out, ".o")) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "klpgen depcc: cannot run %s: %s\n", argv[1],
			strerror(errno));
		return 127;
	}
	cpp = xcalloc(argc + 8, sizeof(char *));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") ||
		    str_starts_with(argv[i], "-Wp,-MMD,") ||
		    str_starts_with(argv[i], "-Wp,-MD,"))
			continue;
		if (!strcmp(argv[i], "-o")) {
			i++;
			continue;
		}
		cpp[n++] = argv[i];
	}
	cpp[n++] = "-MM";
	cpp[n++] = "-MF";
	cpp[n++] = (char *)dep;
	cpp[n++] = "-MT";
	cpp[n++] = (char *)out;
	cpp[n] = NULL;
	rc = run_wait(cpp);
	free(cpp);
	if (rc)
		return rc;
	return empty_object(out);
}
