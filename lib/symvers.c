// SPDX-License-Identifier: GPL-2.0
/* Module.symvers parsing: the file is read once and split in place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symvers.h"
#include "util.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb;
	char buf[65536];
	size_t n;

	if (!f)
		return NULL;
	strbuf_init(&sb);
	strbuf_add(&sb, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		fclose(f);
		strbuf_free(&sb);
		return NULL;
	}
	fclose(f);
	*len = sb.len;
	return sb.buf;
}

/* Split @line at tabs into at most @max fields; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static int parse_line(struct symvers *sv, char *line, size_t lineno)
{
	struct symvers_entry *e = &sv->entries[sv->nr_entries];
	char *f[5], *end;
	int n = split_tabs(line, f, 5);

	if (n < 4 || !f[1][0]) {
		WARN("%s:%zu: expected crc, symbol, module and export type separated by tabs",
		     sv->path, lineno);
		return -1;
	}
	errno = 0;
	e->crc = strtoul(f[0], &end, 16);
	if (errno || *end || end == f[0]) {
		WARN("%s:%zu: bad CRC '%s' for symbol %s", sv->path, lineno,
		     f[0], f[1]);
		return -1;
	}
	e->name = f[1];
	e->module = f[2];
	e->export_type = f[3];
	e->namespace = n > 4 ? f[4] : "";
	hash_add(&sv->by_name, e->name, e);
	sv->nr_entries++;
	return 0;
}

struct symvers *symvers_load(const char *path)
{
	struct symvers *sv = xcalloc(1, sizeof(*sv));
	size_t len, lines = 0, lineno = 0, i;
	char *p, *next;

	sv->path = xstrdup(path);
	sv->text = read_all(path, &len);
	if (!sv->text) {
		WARN("%s: cannot read: %s", path, strerror(errno));
		symvers_free(sv);
		return NULL;
	}
	for (i = 0; i < len; i++)
		lines += sv->text[i] == '\n';
	sv->entries = xcalloc(lines + 1, sizeof(*sv->entries));
	hash_init(&sv->by_name, lines + 1);
	for (p = sv->text; p < sv->text + len; p = next) {
		next = strchr(p, '\n');
		next = next ? next + 1 : sv->text + len;
		lineno++;
		if (next[-1] == '\n')
			next[-1] = '\0';
		if (p[0] && p[strlen(p) - 1] == '\r')
			p[strlen(p) - 1] = '\0';
		if (!p[0] || p[0] == '#')
			continue;
		if (parse_line(sv, p, lineno)) {
			symvers_free(sv);
			return NULL;
		}
	}
	return sv;
}

const struct symvers_entry *symvers_find(const struct symvers *sv,
					 const char *name)
{
	return hash_find(&sv->by_name, name);
}

void symvers_free(struct symvers *sv)
{
	if (!sv)
		return;
	hash_free(&sv->by_name);
	free(sv->entries);
	free(sv->text);
	free(sv->path);
	free(sv);
}
