// SPDX-License-Identifier: GPL-2.0
/*
 * Where klpgen finds its own files, the same way for every command:
 *   data files (templates/, headers)  $KLPGEN_DATADIR, then the source tree
 *                                     beside the binary (<repo>/build/bin),
 *                                     then the installed KLPGEN_DATADIR;
 *   sibling tools (klp-convert ...)   beside the binary, then $PATH.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klpgen.h"
#include "util.h"

char *klpgen_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return xstrdup(".");
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return xstrdup(buf[0] ? buf : "/");
}

char *klpgen_datafile(const char *rel)
{
	const char *env = getenv("KLPGEN_DATADIR");
	char *exe, *p;

	if (env && *env) {
		p = xasprintf("%s/%s", env, rel);
		if (!access(p, R_OK))
			return p;
		free(p);
	}
	/* <repo>/<O>/bin/klpgen -> <repo>/<rel> */
	exe = klpgen_exe_dir();
	p = xasprintf("%s/../../%s", exe, rel);
	free(exe);
	if (!access(p, R_OK))
		return p;
	free(p);
	p = xasprintf("%s/%s", KLPGEN_DATADIR, rel);
	if (!access(p, R_OK))
		return p;
	free(p);
	return NULL;
}

char *klpgen_sibling_tool(const char *name)
{
	char *dir = klpgen_exe_dir();
	char *p = xasprintf("%s/%s", dir, name);

	free(dir);
	if (!access(p, X_OK))
		return p;
	free(p);
	return xstrdup(name);
}
