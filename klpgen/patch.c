// SPDX-License-Identifier: GPL-2.0
/*
 * Source patches: which files they touch, and applying them (always with
 * -p1, like kpatch-build) to the private source copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

/*
 * "a/fs/x.c\t2024-..." -> "fs/x.c"; NULL for /dev/null or no name, and for
 * a name leaving the tree ("../x", "/x"), which *escape then holds.
 */
static char *strip_name(const char *s, int strip, char **escape)
{
	size_t len = strcspn(s, "\t\n");
	char *name, *p, *ret;

	name = xstrndup(s, len);
	while (len && name[len - 1] == ' ')
		name[--len] = '\0';
	if (!strcmp(name, "/dev/null")) {
		free(name);
		return NULL;
	}
	p = name;
	while (strip-- > 0) {
		char *slash = strchr(p, '/');

		if (!slash) {
			free(name);
			return NULL;
		}
		p = slash + 1;
	}
	if (*p == '/' || !strcmp(p, "..") || str_starts_with(p, "../") ||
	    strstr(p, "/../") || str_ends_with(p, "/..")) {
		if (!*escape)
			*escape = xstrdup(name);
		free(name);
		return NULL;
	}
	if (!*p) {
		free(name);
		return NULL;
	}
	ret = xstrdup(p);
	free(name);
	return ret;
}

static void add_unique(struct strlist *l, char *s, size_t *found)
{
	if (!s)
		return;
	(*found)++;
	if (sl_has(l, s))
		free(s);
	else
		sl_add_own(l, s);
}

/* Every file a -p1 unified (or git) diff creates, changes or removes. */
int patch_files(const char *patch, struct strlist *files)
{
	char *text = fs_read_text(patch, NULL), *line, *next, *save = NULL;
	char *escape = NULL;
	size_t found = 0;

	if (!text) {
		WARN("%s: cannot read the patch", patch);
		return -1;
	}
	/* A header is a "--- " line followed by a "+++ " line: a removed
	 * source line starting with "-- " is not one. */
	for (line = strtok_r(text, "\n", &save); line; line = next) {
		next = strtok_r(NULL, "\n", &save);
		if (str_starts_with(line, "--- ") && next &&
		    str_starts_with(next, "+++ ")) {
			add_unique(files, strip_name(line + 4, 1, &escape),
				   &found);
			add_unique(files, strip_name(next + 4, 1, &escape),
				   &found);
			next = strtok_r(NULL, "\n", &save);
		} else if (str_starts_with(line, "rename from ") ||
			   str_starts_with(line, "rename to ")) {
			add_unique(files, strip_name(strchr(line + 7, ' ') + 1,
						     0, &escape), &found);
		} else if (str_starts_with(line, "copy to ")) {
			add_unique(files, strip_name(line + 8, 0, &escape),
				   &found);
		}
	}
	free(text);
	if (escape) {
		WARN("%s: file %s leaves the source tree", patch, escape);
		free(escape);
		return -1;
	}
	if (!found) {
		WARN("%s: not a unified diff (no file names found)", patch);
		return -1;
	}
	return 0;
}

static int run_patch(struct build *b, const char *patch, bool dry_run)
{
	char *argv[] = { "patch", "-p1", "--batch", "--forward",
			 "--no-backup-if-mismatch", "--reject-file=-", "-d",
			 b->farm, "-i", (char *)patch,
			 dry_run ? "--dry-run" : NULL, NULL };
	char *out, *line, *save = NULL;
	int rc = spawn_capture(argv, &out);

	if (rc && rc != EXIT_INTERRUPTED) {
		phase_end(NULL);
		WARN("%s does not apply to %s:", patch, b->srcdir);
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			fprintf(stderr, "    %s\n", line);
	}
	free(out);
	return rc;
}

/* Dry run, then apply, patch by patch (a later one may need an earlier). */
int patch_apply(struct build *b, bool dry_run)
{
	size_t i;
	int rc;

	for (i = 0; i < b->patches.n; i++) {
		rc = run_patch(b, b->patches.v[i], true);
		if (!rc && !dry_run)
			rc = run_patch(b, b->patches.v[i], false);
		if (rc)
			return rc;
	}
	return 0;
}
