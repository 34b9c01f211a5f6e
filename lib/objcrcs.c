// SPDX-License-Identifier: GPL-2.0
/* Export CRCs recorded for one object: __crc_ symbols or #SYMVER lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objcrcs.h"
#include "util.h"

#define CRC_PREFIX	"__crc_"
#define SYMVER_TAG	"#SYMVER "

static void add(struct objcrcs *oc, const char *name, size_t len,
		uint32_t crc)
{
	struct objcrc *e;

	if (oc->nr == oc->cap) {
		oc->cap = oc->cap ? oc->cap * 2 : 64;
		oc->v = xrealloc(oc->v, oc->cap * sizeof(*oc->v));
	}
	e = &oc->v[oc->nr++];
	e->name = xstrndup(name, len);
	e->crc = crc;
}

/* ".<base>.cmd" beside @obj_path */
static char *cmd_path(const char *obj_path)
{
	const char *slash = strrchr(obj_path, '/');

	if (!slash)
		return xasprintf(".%s.cmd", obj_path);
	return xasprintf("%.*s/.%s.cmd", (int)(slash - obj_path), obj_path,
			 slash + 1);
}

static void read_cmd(struct objcrcs *oc, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *name, *end, *crc;
		unsigned long v;

		if (strncmp(line, SYMVER_TAG, strlen(SYMVER_TAG)))
			continue;
		name = line + strlen(SYMVER_TAG);
		end = strchr(name, ' ');
		if (!end || end == name)
			continue;
		crc = end + 1;
		v = strtoul(crc, &crc, 16);
		if (crc == end + 1 || v > UINT32_MAX)
			continue;
		add(oc, name, end - name, (uint32_t)v);
	}
	free(line);
	fclose(f);
}

struct objcrcs *objcrcs_read(const char *obj_path, const struct elf_file *elf)
{
	struct objcrcs *oc = xcalloc(1, sizeof(*oc));
	size_t i;

	for (i = 0; elf && i < elf->nr_syms; i++) {
		const struct symbol *s = elf->syms[i];

		if (str_starts_with(s->name, CRC_PREFIX) && s->name[6] &&
		    !s->sec && s->shndx == SHN_ABS)
			add(oc, s->name + strlen(CRC_PREFIX),
			    strlen(s->name) - strlen(CRC_PREFIX),
			    (uint32_t)s->sym.st_value);
	}
	if (oc->nr) {
		oc->source = "__crc_ symbols";
	} else {
		oc->cmd_path = cmd_path(obj_path);
		oc->source = oc->cmd_path;
		read_cmd(oc, oc->cmd_path);
	}
	hash_init(&oc->by_name, oc->nr);
	for (i = 0; i < oc->nr; i++)
		hash_add(&oc->by_name, oc->v[i].name, &oc->v[i]);
	return oc;
}

bool objcrcs_find(const struct objcrcs *oc, const char *name, uint32_t *crc)
{
	const struct objcrc *e = oc ? hash_find(&oc->by_name, name) : NULL;

	if (e && crc)
		*crc = e->crc;
	return e != NULL;
}

void objcrcs_free(struct objcrcs *oc)
{
	size_t i;

	if (!oc)
		return;
	for (i = 0; i < oc->nr; i++)
		free(oc->v[i].name);
	free(oc->v);
	hash_free(&oc->by_name);
	free(oc->cmd_path);
	free(oc);
}
