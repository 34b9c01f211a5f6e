// SPDX-License-Identifier: GPL-2.0
/*
 * The objects klp symbols are checked against (vmlinux, module .ko files).
 *
 * Only the symbol table of a target is used (the ELF layer does not parse
 * the relocations of a linked vmlinux, which can have millions).  Symbols
 * are counted by lib/symsource.c, the way the kernel's
 * klp_find_object_symbol() sees them through kallsyms and the way
 * create-diff-object computed their positions; only the count matters
 * here: klp-convert checks that a position can resolve.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klp-convert.h"
#include "symsource.h"
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
	struct symsource *ss;
	struct elf_file *elf;
	struct hash_entry *e;
	size_t pos = 0;

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
	ss = symsource_of(elf, !strcmp(t->name, "vmlinux"));
	while ((e = hash_each(wanted, &pos))) {
		long n;

		if (hash_find(&t->counts, e->key))
			continue;	/* a name wanted twice */
		n = symsource_count(ss, e->key);
		/* the key must outlive the map: use the wanted key */
		if (n)
			hash_add(&t->counts, e->key,
				 (void *)(uintptr_t)(n + 1));
	}
	symsource_close(ss);
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
