/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen series build:
 *   series.c       the command: one cumulative module per step
 *   series-file.c  the series file format (man klpgen-series(1))
 */
#ifndef KLPGEN_SERIES_H
#define KLPGEN_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#define SERIES_MAX_STEPS	999
#define SERIES_MAX_VERSION	20	/* characters of a version */

struct series_step {
	char *patch;		/* absolute path */
	char *version;		/* module k is BASE_v<version>; default k */
};

struct series {
	struct series_step *steps;
	size_t n;
};

/* Does @path look like a unified diff (a "--- " line, then "+++ ")? */
bool series_is_patch(const char *path);
/*
 * Read the series file @path.  0, or EXIT_BAD_INPUT after a message
 * naming the file and line.
 */
int series_read(const char *path, struct series *s);
/* Each of @paths is a patch: versions 1..n. */
void series_from_patches(char *const *paths, size_t n, struct series *s);
void series_free(struct series *s);

#endif
