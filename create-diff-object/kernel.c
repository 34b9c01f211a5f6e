// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel as create-diff-object sees it: the symbol table of
 * --symbols (lib/symsource: existence and sympos), Module.symvers
 * (lib/symvers: what is exported) and the DWARF struct sizes of special
 * section entries (lib/dwarf).
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "symsource.h"
#include "symvers.h"
#include "dwarf.h"

struct kernel {
	struct symsource *ss;
	const struct symsource_file *file;
	bool file_done;
	struct symvers *sv;
	struct hashmap sizes;		/* struct name -> size + 1 */
};

static struct kernel *K(struct cdo *c)
{
	return c->kernel;
}

int kernel_open(struct cdo *c)
{
	struct kernel *k = xcalloc(1, sizeof(*k));

	c->kernel = k;
	hash_init(&k->sizes, 16);
	/* --symbols defaults to ORIG: one model of it is enough */
	if (!strcmp(c->symbols_path, c->orig_path))
		k->ss = symsource_of(c->orig, c->is_vmlinux);
	else
		k->ss = symsource_open(c->symbols_path, c->is_vmlinux);
	if (!k->ss)
		return -1;
	if (c->symvers_path) {
		k->sv = symvers_load(c->symvers_path);
		if (!k->sv)	/* symvers_load() said why */
			exit(EXIT_BAD_INPUT);
	}
	return 0;
}

void kernel_close(struct cdo *c)
{
	struct kernel *k = K(c);

	if (!k)
		return;
	if (k->ss)
		symsource_close(k->ss);
	if (k->sv)
		symvers_free(k->sv);
	hash_free(&k->sizes);
	dwarf_cache_free();
	free(k);
	c->kernel = NULL;
}

bool kernel_has_symvers(struct cdo *c)
{
	return K(c)->sv != NULL;
}

bool kernel_exported(struct cdo *c, const char *name, const char **module)
{
	const struct symvers_entry *e;

	if (!K(c)->sv)
		return false;
	e = symvers_find(K(c)->sv, name);
	if (!e)
		return false;
	if (module)
		*module = e->module;
	return true;
}

/* --symbols is a linked vmlinux (not an object standing in for one) */
bool kernel_symbols_is_vmlinux(struct cdo *c)
{
	return K(c)->ss->elf->ehdr.e_type == ET_EXEC;
}

bool kernel_defines(struct cdo *c, const char *name)
{
	return symsource_global_pos(K(c)->ss, name) != SYMPOS_NONE;
}

long kernel_sympos(struct cdo *c, struct symbol *osym)
{
	struct kernel *k = K(c);

	if (osym->bind != STB_LOCAL)
		return symsource_global_pos(k->ss, osym->name);
	if (!k->file_done) {
		k->file = symsource_match_file(k->ss, c->orig);
		k->file_done = true;
		if (!k->file)
			DEBUG("no STT_FILE block of %s in %s", c->orig_path,
			      c->symbols_path);
	}
	if (!k->file)
		return SYMPOS_NONE;
	return symsource_local_pos(k->ss, k->file, osym->name);
}

/*
 * A module's .ko often lacks the struct (no code of the module uses it
 * by name: alt_instr, paravirt_patch_site); vmlinux (--dwarf) has it.
 */
size_t kernel_struct_size(struct cdo *c, const char *name, const char **from)
{
	const char *files[2] = { c->symbols_path, c->dwarf_path };
	struct kernel *k = K(c);
	size_t i;

	for (i = 0; i < 2; i++) {
		char *key;
		void *v;
		long s;

		if (!files[i])
			continue;
		key = xasprintf("%zu:%s", i, name);
		v = hash_find(&k->sizes, key);
		if (v) {
			s = (long)(uintptr_t)v - 1;
			free(key);
		} else {
			s = dwarf_struct_size(files[i], name);
			if (s < 0)
				s = 0;
			hash_add(&k->sizes, cdo_own(c, key),
				 (void *)(uintptr_t)(s + 1));
			DEBUG("DWARF of %s: struct %s is %ld bytes", files[i],
			      name, s);
		}
		if (s > 0) {
			*from = files[i];
			return s;
		}
	}
	return 0;
}

bool kernel_symvers_crc(struct cdo *c, const char *name, uint32_t *crc)
{
	const struct symvers_entry *e;

	if (!K(c)->sv)
		return false;
	e = symvers_find(K(c)->sv, name);
	if (e)
		*crc = e->crc;
	return e != NULL;
}
