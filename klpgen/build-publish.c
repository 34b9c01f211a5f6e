// SPDX-License-Identifier: GPL-2.0
/*
 * The module's way out of klpgen build: checked against the --prev
 * modules (klpgen check's rules), then written to OUTDIR/NAME.ko in one
 * rename, so an incompatible module is never there, even for a moment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "check.h"

static void check_prev(struct build *b, const char *ko)
{
	struct strlist paths = { 0 };
	double start = kb_now();
	size_t i;
	int rc;

	fprintf(stderr, "[klpgen] checking against --prev:\n");
	for (i = 0; i < b->prevs.n; i++)
		sl_add(&paths, b->prevs.v[i]);
	sl_add(&paths, ko);
	rc = check_modules(paths.v, paths.n, stderr);
	sl_free(&paths);
	fprintf(stderr, "[klpgen] %-28s ... %s, %.1f s\n", "check",
		rc == EXIT_OK ? "compatible" : rc == EXIT_UNSAFE ?
		"incompatible" : "not checked", kb_now() - start);
	if (rc == EXIT_OK)
		return;
	if (b->no_check) {
		fprintf(stderr, "[klpgen] writing it anyway (--no-check)\n");
		return;
	}
	fprintf(stderr, "[klpgen] refused: %s.ko is %s; nothing written (--no-check writes it anyway)\n",
		b->name, rc == EXIT_UNSAFE ?
		"not compatible with the --prev modules" : "not checked");
	build_exit(b, rc);
}

/* Same file system: one rename; else a copy beside the target, renamed. */
static int move_into(const char *from, const char *to)
{
	if (!rename(from, to))
		return 0;
	return errno == EXDEV ? fs_copy_over(from, to) : -1;
}

void kb_publish_module(struct build *b)
{
	char *ko = xasprintf("%s/%s.ko", b->work, b->name);
	char *out = xasprintf("%s/%s.ko", b->outdir, b->name);

	if (b->prevs.n)
		check_prev(b, ko);
	if (move_into(ko, out)) {
		WARN("cannot write %s: %s", out, strerror(errno));
		free(ko);
		free(out);
		build_exit(b, EXIT_INTERNAL);
	}
	free(ko);
	free(out);
}
