// SPDX-License-Identifier: GPL-2.0
/* Struct sizes from DWARF, one scan per file, cached. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "elf.h"
#include "hash.h"
#include "util.h"

struct dw_file {
	char *path;
	char *error;		/* why there is no DWARF, or NULL */
	struct hashmap sizes;	/* struct name (owned) -> size + 1 */
	struct dw_file *next;
};

static struct dw_file *cache;

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/*
 * Where DWARF can come from: the file's own sections, or a separate debug
 * file that libdwfl finds by debug link or build id.
 */
static const char *const dwarf_sources[] = {
	".debug_info", ".zdebug_info", ".gnu_debuglink", ".note.gnu.build-id",
	NULL
};

static Dwarf *open_dwarf(struct dw_file *f, Dwfl *dwfl)
{
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	Dwarf *dw;

	mod = dwfl_report_offline(dwfl, "", f->path, -1);
	if (!mod || dwfl_report_end(dwfl, NULL, NULL))
		return NULL;
	dw = dwfl_module_getdwarf(mod, &bias);
	return dw;
}

static void add_struct(struct dw_file *f, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word size;
	const char *name;

	if (dwarf_tag(die) != DW_TAG_structure_type ||
	    dwarf_hasattr(die, DW_AT_declaration))
		return;
	name = dwarf_diename(die);
	if (!name || !dwarf_attr(die, DW_AT_byte_size, &attr) ||
	    dwarf_formudata(&attr, &size) || hash_find(&f->sizes, name))
		return;
	hash_add(&f->sizes, xstrdup(name), (void *)(uintptr_t)(size + 1));
}

/* Only the children of each unit: struct types live at the top level. */
static void scan(struct dw_file *f, Dwarf *dw)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, die;
	uint8_t unit_type;

	while (!dwarf_get_units(dw, cu, &cu, NULL, &unit_type, &cudie, NULL)) {
		if (dwarf_child(&cudie, &die))
			continue;
		do
			add_struct(f, &die);
		while (!dwarf_siblingof(&die, &die));
	}
}

/*
 * The sizes are copied out and libdw let go at once: what it holds (the
 * relocated debug sections of an object) would otherwise stay for the
 * whole run.  A file with no DWARF anywhere is not handed to libdw at all.
 */
static struct dw_file *get_file(const char *path)
{
	struct dw_file *f;
	Dwfl *dwfl;
	Dwarf *dw = NULL;

	for (f = cache; f; f = f->next)
		if (!strcmp(f->path, path))
			return f->error ? NULL : f;
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	hash_init(&f->sizes, 1024);
	f->next = cache;
	cache = f;
	if (!elf_has_section(path, dwarf_sources)) {
		f->error = xasprintf("%s: no DWARF debug info: no .debug_info section",
				     path);
		return NULL;
	}
	dwfl = dwfl_begin(&offline_callbacks);
	if (dwfl)
		dw = open_dwarf(f, dwfl);
	if (!dw)
		/* silent: the caller may not need it (--entsize) */
		f->error = xasprintf("%s: no DWARF debug info: %s", path,
				     dwfl_errmsg(-1));
	else
		scan(f, dw);
	if (dwfl)
		dwfl_end(dwfl);
	return f->error ? NULL : f;
}

int dwarf_struct_sizes(const char *path, const char **names, long *sizes,
		       size_t n)
{
	struct dw_file *f = get_file(path);
	size_t i;

	for (i = 0; i < n; i++) {
		uintptr_t v = f ? (uintptr_t)hash_find(&f->sizes, names[i]) : 0;

		sizes[i] = v ? (long)(v - 1) : -1;
	}
	return f ? 0 : -1;
}

long dwarf_struct_size(const char *path, const char *struct_name)
{
	long size;

	dwarf_struct_sizes(path, &struct_name, &size, 1);
	return size;
}

const char *dwarf_error(const char *path)
{
	struct dw_file *f;

	for (f = cache; f; f = f->next)
		if (!strcmp(f->path, path))
			return f->error;
	return NULL;
}

static void free_keys(struct hashmap *h)
{
	size_t i;
	struct hash_entry *e;

	for (i = 0; i < h->nbuckets; i++)
		for (e = h->buckets[i]; e; e = e->next)
			free((char *)e->key);
}

void dwarf_cache_free(void)
{
	while (cache) {
		struct dw_file *f = cache;

		cache = f->next;
		free_keys(&f->sizes);
		hash_free(&f->sizes);
		free(f->error);
		free(f->path);
		free(f);
	}
}
