// SPDX-License-Identifier: GPL-2.0
/*
 * @KEY@ substitution for the files generated from templates/.
 */
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "klpgen.h"
#include "template.h"
#include "util.h"

/* The value of the placeholder starting at @at ("@KEY@..."), or NULL. */
static const char *lookup(const char *at, const char *const *vars,
			  size_t *keylen)
{
	const char *end = strchr(at + 1, '@');
	size_t i, n;

	if (!end)
		return NULL;
	n = end - at - 1;
	for (i = 0; vars[i] && vars[i + 1]; i += 2) {
		if (strlen(vars[i]) == n && !strncmp(at + 1, vars[i], n)) {
			*keylen = n + 2;
			return vars[i + 1];
		}
	}
	return NULL;
}

char *template_fill(const char *text, const char *const *vars)
{
	struct strbuf sb;
	const char *p = text, *at, *val;
	size_t keylen;

	strbuf_init(&sb);
	while ((at = strchr(p, '@'))) {
		strbuf_add(&sb, p, at - p);
		val = lookup(at, vars, &keylen);
		if (val) {
			strbuf_add(&sb, val, strlen(val));
			p = at + keylen;
		} else {
			strbuf_add(&sb, "@", 1);
			p = at + 1;
		}
	}
	strbuf_add(&sb, p, strlen(p) + 1);
	return sb.buf;
}

char *template_load(const char *rel, const char *const *vars)
{
	char *rel_path = xasprintf("templates/%s", rel);
	char *path = klpgen_datafile(rel_path), *text, *out;

	if (!path) {
		WARN("template %s not found (looked in $KLPGEN_DATADIR, the source "
		     "tree of the binary and %s)", rel_path, KLPGEN_DATADIR);
		free(rel_path);
		return NULL;
	}
	free(rel_path);
	text = fs_read_text(path, NULL);
	if (!text) {
		WARN("%s: cannot read it", path);
		free(path);
		return NULL;
	}
	out = template_fill(text, vars);
	free(text);
	free(path);
	return out;
}
