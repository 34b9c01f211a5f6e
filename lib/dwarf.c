// SPDX-License-Identifier: GPL-2.0
/*
 * Struct sizes from DWARF, one scan per file at most, cached; and the
 * source line of a code address (libdwfl lays out the sections of an
 * ET_REL object, so a section offset becomes an address of its line table).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
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
	Dwfl *dwfl;		/* open until dwarf_cache_free() (line look-ups) */
	Dwfl_Module *mod;
	Dwarf *dw;
	Dwarf_CU *cu;		/* the last unit scanned for structs */
	bool scanned;		/* all units scanned */
	struct hashmap sizes;	/* struct name (owned) -> size + 1 */
	struct line_row *rows;	/* read_rows(): by address, read once */
	size_t nr_rows;
	bool rows_read;
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
	f->mod = mod;
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

/*
 * One unit's top-level children (struct types live at the top level).
 * Returns false when there are no more units.
 */
static bool scan_unit(struct dw_file *f)
{
	Dwarf_Die cudie, die;
	uint8_t unit_type;

	if (dwarf_get_units(f->dw, f->cu, &f->cu, NULL, &unit_type, &cudie,
			    NULL))
		return false;
	if (!dwarf_child(&cudie, &die))
		do
			add_struct(f, &die);
		while (!dwarf_siblingof(&die, &die));
	return true;
}

static void close_dwarf(struct dw_file *f)
{
	if (f->dwfl)
		dwfl_end(f->dwfl);
	f->dwfl = NULL;
	f->mod = NULL;
	f->dw = NULL;
}

/*
 * Size + 1 of struct @name, 0 if absent.  The units are scanned in order
 * only as far as the first one defining @name, and the scan goes on from
 * there for the next name: the structs asked for (bug_entry, alt_instr...)
 * are in the first units of a vmlinux, whose DWARF is hundreds of MB that
 * a full scan would bring into memory.
 */
static uintptr_t lookup(struct dw_file *f, const char *name)
{
	uintptr_t v = (uintptr_t)hash_find(&f->sizes, name);

	while (!v && f->dw && !f->scanned) {
		if (!scan_unit(f))
			f->scanned = true;
		v = (uintptr_t)hash_find(&f->sizes, name);
	}
	return v;
}

/* A file with no DWARF anywhere is not handed to libdw at all. */
static struct dw_file *get_file(const char *path)
{
	struct dw_file *f;

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
	f->dwfl = dwfl_begin(&offline_callbacks);
	if (f->dwfl)
		f->dw = open_dwarf(f, f->dwfl);
	if (!f->dw) {
		/* silent: the caller may not need it (--entsize) */
		f->error = xasprintf("%s: no DWARF debug info: %s", path,
				     dwfl_errmsg(-1));
		close_dwarf(f);
		return NULL;
	}
	return f;
}

int dwarf_struct_sizes(const char *path, const char **names, long *sizes,
		       size_t n)
{
	struct dw_file *f = get_file(path);
	size_t i;

	for (i = 0; i < n; i++) {
		uintptr_t v = f ? lookup(f, names[i]) : 0;

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

/*
 * The line tables themselves, for when libdw (0.188) maps no address to
 * its unit: it cannot through clang's DWARF 5 range lists
 * (DW_FORM_rnglistx) in a relocatable file, though the tables are right.
 * Every row of every unit (no end-of-sequence rows), read once, sorted by
 * address; rows at one address keep their table order.
 */
struct line_row {
	Dwarf_Addr addr;
	size_t seq;		/* position in the tables */
	int line;
};

static int cmp_row(const void *a, const void *b)
{
	const struct line_row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void read_rows(struct dw_file *f)
{
	Dwarf_Off off = 0, next;
	size_t hsz, cap = 0;

	f->rows_read = true;
	while (!dwarf_nextcu(f->dw, off, &next, &hsz, NULL, NULL, NULL)) {
		Dwarf_Lines *lines;
		Dwarf_Die cu;
		size_t n, i;

		if (dwarf_offdie(f->dw, off + hsz, &cu) &&
		    !dwarf_getsrclines(&cu, &lines, &n))
			for (i = 0; i < n; i++) {
				Dwarf_Line *l = dwarf_onesrcline(lines, i);
				Dwarf_Addr a;
				bool end;
				int no;

				if (!l || dwarf_lineaddr(l, &a) ||
				    dwarf_lineendsequence(l, &end) || end ||
				    dwarf_lineno(l, &no) || no <= 0)
					continue;
				if (f->nr_rows == cap) {
					cap = cap ? 2 * cap : 256;
					f->rows = xrealloc(f->rows,
							   cap * sizeof(*f->rows));
				}
				f->rows[f->nr_rows] = (struct line_row){
					a, f->nr_rows, no };
				f->nr_rows++;
			}
		off = next;
	}
	qsort(f->rows, f->nr_rows, sizeof(*f->rows), cmp_row);
}

/* The line of the last row at the greatest address in [@lo, @addr]. */
static long line_by_rows(struct dw_file *f, Dwarf_Addr lo, Dwarf_Addr addr)
{
	size_t l = 0, h;

	if (!f->rows_read)
		read_rows(f);
	h = f->nr_rows;
	while (l < h) {		/* first row past @addr */
		size_t m = l + (h - l) / 2;

		if (f->rows[m].addr <= addr)
			l = m + 1;
		else
			h = m;
	}
	if (!l || f->rows[l - 1].addr < lo)
		return -1;
	return f->rows[l - 1].line;
}

long dwarf_line_at(const char *path, size_t shndx, uint64_t off)
{
	struct dw_file *f = get_file(path);
	Dwarf_Addr bias, addr;
	Dwfl_Line *line;
	GElf_Shdr shdr;
	Elf_Scn *scn;
	Elf *elf;
	int lineno;

	if (!f || !f->mod)
		return -1;
	elf = dwfl_module_getelf(f->mod, &bias);
	scn = elf ? elf_getscn(elf, shndx) : NULL;
	if (!scn || !gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC) ||
	    off >= shdr.sh_size)
		return -1;
	line = dwfl_module_getsrc(f->mod, shdr.sh_addr + off + bias);
	if (!line)
		return line_by_rows(f, shdr.sh_addr, shdr.sh_addr + off);
	if (!dwfl_lineinfo(line, &addr, &lineno, NULL, NULL, NULL))
		return -1;
	return lineno;
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
	size_t pos = 0;
	struct hash_entry *e;

	while ((e = hash_each(h, &pos)))
		free((char *)e->key);
}

void dwarf_cache_free(void)
{
	while (cache) {
		struct dw_file *f = cache;

		cache = f->next;
		close_dwarf(f);
		free_keys(&f->sizes);
		free(f->rows);
		hash_free(&f->sizes);
		free(f->error);
		free(f->path);
		free(f);
	}
}
