// SPDX-License-Identifier: GPL-2.0
/*
 * The objects klp symbols are checked against (vmlinux, module .ko files).
 *
 * Only the symbol table of a target is used (the ELF layer does not parse
 * the relocations of a linked vmlinux, which can have millions).  Symbols
 * are counted the way the kernel's klp_find_object_symbol() sees them
 * through kallsyms:
 *  - vmlinux: every named, defined symbol that is not a section or file
 *    symbol;
 *  - a module: the same, restricted to SHF_ALLOC sections that stay after
 *    init (not ".init*"), i.e. the module's core kallsyms.
 * Only the count matters here: create-diff-object computes positions (in
 * kallsyms order); klp-convert checks that a position can resolve.
 * (lib/symsource.c also counts a module's .init symbols, which the kernel
 * drops from a module's kallsyms once it is loaded.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klp-convert.h"
#include "util.h"

struct target *target_find(struct conv_opts *o, const char *obj)
{
	size_t i;

	for (i = 0; i < o->nr_targets; i++)
		if (!strcmp(o->targets[i].name, obj))
			return &o->targets[i];
	return NULL;
}

/*
 * Count the wanted names among @t's symbols.  The file is read by the ELF
 * layer, which validates it (machine, class, byte order, every index) and
 * names the file in its messages.
 */
static int target_read(struct target *t, struct hashmap *wanted)
{
	struct elf_file *elf;
	size_t i;

	hash_init(&t->counts, 64);
	t->loaded = true;
	elf = elf_open(t->path);
	if (!elf)
		return -1;	/* elf_open() said why */
	if (!elf->symtab) {
		WARN("%s: no symbol table", t->path);
		elf_close(elf);
		return -1;
	}
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *s = elf->syms[i];
		struct hash_entry *he, *we;

		if (!s->name[0] || s->type == STT_SECTION ||
		    s->type == STT_FILE || sym_is_undefined(s))
			continue;
		we = hash_first(wanted, s->name);
		if (!we)
			continue;
		if (elf->ehdr.e_type == ET_REL &&
		    (!s->sec || !(s->sec->sh.sh_flags & SHF_ALLOC) ||
		     str_starts_with(s->sec->name, ".init")))
			continue;
		he = hash_first(&t->counts, s->name);
		if (he)
			he->val = (void *)((uintptr_t)he->val + 1);
		else	/* the key must outlive the map: use the wanted key */
			hash_add(&t->counts, we->key, (void *)(uintptr_t)2);
	}
	elf_close(elf);
	return 0;
}

int targets_load(struct conv_opts *o, struct hashmap *wanted)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < o->nr_targets; i++)
		if (!o->targets[i].loaded && target_read(&o->targets[i], wanted))
			ret = -1;
	return ret;
}

long target_count(struct target *t, const char *name)
{
	void *v = hash_find(&t->counts, name);

	return v ? (long)((uintptr_t)v - 1) : 0;
}

void targets_free(struct conv_opts *o)
{
	size_t i;

	for (i = 0; i < o->nr_targets; i++)
		if (o->targets[i].loaded)
			hash_free(&o->targets[i].counts);
}
