// SPDX-License-Identifier: GPL-2.0
/*
 * The series file of klpgen series build: the patches in order, one a
 * line, each with an optional version.
 *
 *	# comment (also after the fields)
 *	PATCH [VERSION]
 *
 * PATCH is relative to the series file's directory (or absolute); VERSION
 * is 1-20 of [A-Za-z0-9._-] and names module k BASE_v<VERSION> (default k).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "series.h"
#include "util.h"

#define LINE_MAX_LEN	4096
#define SNIFF_BYTES	65536
#define SERIES_MAX_BYTES	(1 << 20)

bool series_is_patch(const char *path)
{
	char line[LINE_MAX_LEN];
	bool minus = false;
	size_t seen = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (seen < SNIFF_BYTES && fgets(line, sizeof(line), f)) {
		seen += strlen(line);
		if (minus && !strncmp(line, "+++ ", 4)) {
			fclose(f);
			return true;
		}
		minus = !strncmp(line, "--- ", 4);
	}
	fclose(f);
	return false;
}

static void add_step(struct series *s, char *patch, char *version)
{
	s->steps = xrealloc(s->steps, (s->n + 1) * sizeof(*s->steps));
	s->steps[s->n].patch = patch;
	s->steps[s->n++].version = version;
}

void series_from_patches(char *const *paths, size_t n, struct series *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++)
		add_step(s, xstrdup(paths[i]), xasprintf("%zu", i + 1));
}

static bool version_ok(const char *v)
{
	size_t n = strlen(v);

	return n && n <= SERIES_MAX_VERSION &&
	       strspn(v, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* PATCH relative to @dir, resolved; NULL after a message. */
static char *step_patch(const char *series, unsigned long lineno,
			const char *dir, const char *patch)
{
	char *rel = patch[0] == '/' ? xstrdup(patch) :
		xasprintf("%s/%s", dir, patch);
	char buf[PATH_MAX];
	struct stat st;

	if (!realpath(rel, buf) || stat(buf, &st) < 0) {
		WARN("%s:%lu: patch %s: %s", series, lineno, patch,
		     strerror(errno));
		free(rel);
		return NULL;
	}
	free(rel);
	if (!S_ISREG(st.st_mode)) {
		WARN("%s:%lu: patch %s: not a regular file", series, lineno,
		     patch);
		return NULL;
	}
	return xstrdup(buf);
}

/* One line: 0 (a step added, or nothing), or EXIT_BAD_INPUT. */
static int parse_line(struct series *s, const char *series,
		      unsigned long lineno, const char *dir, char *line)
{
	char *f[3], *p, *save = NULL, *patch;
	int n = 0;

	p = strchr(line, '#');
	if (p)
		*p = '\0';
	for (p = strtok_r(line, " \t\r", &save); p && n < 3;
	     p = strtok_r(NULL, " \t\r", &save))
		f[n++] = p;
	if (!n)
		return 0;
	if (n == 3) {
		WARN("%s:%lu: want 'PATCH [VERSION]', found more", series,
		     lineno);
		return EXIT_BAD_INPUT;
	}
	if (n == 2 && !version_ok(f[1])) {
		WARN("%s:%lu: bad version '%.32s' (1-%d of A-Z a-z 0-9 . _ -)",
		     series, lineno, f[1], SERIES_MAX_VERSION);
		return EXIT_BAD_INPUT;
	}
	if (s->n == SERIES_MAX_STEPS) {
		WARN("%s:%lu: more than %d patches", series, lineno,
		     SERIES_MAX_STEPS);
		return EXIT_BAD_INPUT;
	}
	patch = step_patch(series, lineno, dir, f[0]);
	if (!patch)
		return EXIT_BAD_INPUT;
	add_step(s, patch, n == 2 ? xstrdup(f[1]) :
		 xasprintf("%zu", s->n + 1));
	return 0;
}

int series_read(const char *path, struct series *s)
{
	char *copy = xstrdup(path), *dir = dirname(copy), *text, *line, *next;
	unsigned long lineno = 0;
	struct stat st;
	size_t len;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (stat(path, &st) == 0 && st.st_size > SERIES_MAX_BYTES) {
		WARN("%s: %lld bytes: too big for a series file", path,
		     (long long)st.st_size);
		free(copy);
		return EXIT_BAD_INPUT;
	}
	text = fs_read_text(path, &len);
	if (!text) {
		WARN("%s: %s", path, strerror(errno));
		free(copy);
		return EXIT_BAD_INPUT;
	}
	if (memchr(text, '\0', len)) {
		WARN("%s: contains NUL bytes: not a series file", path);
		ret = EXIT_BAD_INPUT;
	}
	for (line = text; !ret && line < text + len; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (next[-1] == '\n')
			next[-1] = '\0';
		lineno++;
		if (strlen(line) > LINE_MAX_LEN) {
			WARN("%s:%lu: line longer than %d bytes", path, lineno,
			     LINE_MAX_LEN);
			ret = EXIT_BAD_INPUT;
		} else {
			ret = parse_line(s, path, lineno, dir, line);
		}
	}
	if (!ret && !s->n) {
		WARN("%s: names no patch", path);
		ret = EXIT_BAD_INPUT;
	}
	free(text);
	free(copy);
	if (ret)
		series_free(s);
	return ret;
}

void series_free(struct series *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->steps[i].patch);
		free(s->steps[i].version);
	}
	free(s->steps);
	memset(s, 0, sizeof(*s));
}
