// SPDX-License-Identifier: GPL-2.0
/*
 * The objects klp symbols are checked against (vmlinux, module .ko files).
 *
 * Only the symbol table of a target is read, straight through libelf: a
 * vmlinux built with --emit-relocs has huge relocation sections that the
 * checks do not need.  Symbols are counted the way the kernel's
 * klp_find_object_symbol() sees them through kallsyms:
 *  - vmlinux: every named, defined symbol that is not a section or file
 *    symbol;
 *  - a module: the same, restricted to SHF_ALLOC sections that stay after
 *    init (not ".init*"), i.e. the module's core kallsyms.
 * Only the count matters here: create-diff-object computes positions (in
 * kallsyms order); klp-convert checks that a position can resolve.
 * (lib/symsource.c also counts a module's .init symbols, which the kernel
 * drops from a module's kallsyms once it is loaded.)
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int target_read(struct target *t, struct hashmap *wanted)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr symsh, sh;
	GElf_Ehdr eh;
	Elf_Data *data;
	size_t shnum, shstrndx, i, nsyms;
	int fd, ret = -1;
	Elf *e;

	hash_init(&t->counts, 64);
	t->loaded = true;
	fd = open(t->path, O_RDONLY);
	if (fd < 0) {
		WARN("%s: %s", t->path, strerror(errno));
		return -1;
	}
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    elf_getshdrnum(e, &shnum) || elf_getshdrstrndx(e, &shstrndx)) {
		WARN("%s: not a 64-bit ELF file", t->path);
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
			break;
		}
	}
	if (!symscn) {
		WARN("%s: no symbol table", t->path);
		goto out;
	}
	data = elf_getdata(symscn, NULL);
	if (!data || !symsh.sh_entsize || symsh.sh_link >= shnum) {
		WARN("%s: unreadable symbol table", t->path);
		goto out;
	}
	nsyms = data->d_size / sizeof(Elf64_Sym);
	for (i = 1; i < nsyms; i++) {
		GElf_Sym s;
		const char *name;
		struct hash_entry *he;
		unsigned char type;

		if (!gelf_getsym(data, i, &s) || !s.st_name)
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if (type == STT_SECTION || type == STT_FILE ||
		    s.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(e, symsh.sh_link, s.st_name);
		if (!name || !hash_find(wanted, name))
			continue;
		if (eh.e_type == ET_REL) {
			Elf_Scn *ds;
			const char *secname;

			if (s.st_shndx >= SHN_LORESERVE || s.st_shndx >= shnum)
				continue;
			ds = elf_getscn(e, s.st_shndx);
			if (!ds || !gelf_getshdr(ds, &sh) ||
			    !(sh.sh_flags & SHF_ALLOC))
				continue;
			secname = elf_strptr(e, shstrndx, sh.sh_name);
			if (secname && str_starts_with(secname, ".init"))
				continue;
		}
		he = hash_first(&t->counts, name);
		if (he) {
			he->val = (void *)((uintptr_t)he->val + 1);
		} else {
			/* The key must outlive the map: use the wanted key. */
			struct hash_entry *we = hash_first(wanted, name);

			hash_add(&t->counts, we->key, (void *)(uintptr_t)2);
		}
	}
	ret = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return ret;
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
