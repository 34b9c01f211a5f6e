// SPDX-License-Identifier: GPL-2.0
/*
 * Building and editing the model: new objects, sections, symbols and
 * relocations, renames and new contents.  Indexes of new entries are
 * provisional (appended); elf_write() renumbers everything.
 */
#include <stdlib.h>
#include <string.h>

#include "elf-internal.h"
#include "util.h"

static bool sym_indexed(const struct symbol *sym)
{
	return sym->type != STT_SECTION && sym->name[0];
}

struct elf_file *elf_create(const char *path)
{
	struct elf_file *elf = xcalloc(1, sizeof(*elf));
	GElf_Ehdr *eh = &elf->ehdr;
	struct section *null = xcalloc(1, sizeof(*null));
	struct symbol *nsym = xcalloc(1, sizeof(*nsym));

	elf->path = xstrdup(path);
	elf->fd = -1;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_REL;
	eh->e_machine = arch_machine();
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	hash_init(&elf->sec_by_name, 64);
	hash_init(&elf->sym_by_name, 64);

	null->name = (char *)"";
	elf_push_section(elf, null);
	nsym->name = (char *)"";
	elf_push_symbol(elf, nsym);
	elf->symtab = elf_add_section(elf, ".symtab", SHT_SYMTAB, 0, 8,
				      sizeof(Elf64_Sym), NULL, 0);
	elf->strtab = elf_add_section(elf, ".strtab", SHT_STRTAB, 0, 1, 0,
				      NULL, 0);
	elf->shstrtab = elf_add_section(elf, ".shstrtab", SHT_STRTAB, 0, 1,
					0, NULL, 0);
	return elf;
}

struct section *elf_add_section(struct elf_file *elf, const char *name,
				uint32_t type, uint64_t flags, uint64_t align,
				uint64_t entsize, const void *data, size_t size)
{
	struct section *sec;

	if (flags > UINT32_MAX || align > UINT32_MAX || entsize > UINT32_MAX)
		DIE("section %s: flags %#llx, alignment %#llx or entry size %#llx past 32 bits",
		    name, (unsigned long long)flags, (unsigned long long)align,
		    (unsigned long long)entsize);
	sec = xcalloc(1, sizeof(*sec));
	sec->name = xstrdup(name);
	sec->name_owned = true;
	sec->sh.sh_type = type;
	sec->sh.sh_flags = flags;
	sec->sh.sh_addralign = align;
	sec->sh.sh_entsize = entsize;
	elf_set_data(sec, data, size);
	elf_push_section(elf, sec);
	if (sec->name[0])
		hash_add(&elf->sec_by_name, sec->name, sec);
	return sec;
}

struct section *elf_rela_section(struct elf_file *elf, struct section *sec)
{
	struct section *rela, *grp = sec->group;
	char *name;

	if (sec->rela)
		return sec->rela;
	name = xasprintf(".rela%s", sec->name);
	rela = elf_add_section(elf, name, SHT_RELA, SHF_INFO_LINK, 8,
			       sizeof(Elf64_Rela), NULL, 0);
	free(name);
	rela->base = sec;
	rela->sh.sh_info = sec->index;
	if (elf->symtab)
		rela->sh.sh_link = elf->symtab->index;
	sec->rela = rela;
	/* A group member's relocations belong to the same group. */
	if (grp) {
		grp->members = xrealloc(grp->members, (grp->nr_members + 1) *
					sizeof(*grp->members));
		grp->members[grp->nr_members++] = rela;
		rela->group = grp;
		rela->sh.sh_flags |= SHF_GROUP;
	}
	return rela;
}

struct symbol *elf_add_symbol(struct elf_file *elf, const char *name,
			      unsigned char bind, unsigned char type,
			      struct section *sec, uint64_t value,
			      uint64_t size)
{
	struct symbol *sym = xcalloc(1, sizeof(*sym));

	if (type == STT_SECTION && sec && (!name || !name[0])) {
		sym->name = sec->name;
	} else {
		sym->name = xstrdup(name ? name : "");
		sym->name_owned = true;
	}
	sym->bind = bind;
	sym->type = type;
	sym->sec = sec;
	sym->shndx = SHN_UNDEF;
	sym->sym.st_value = value;
	sym->sym.st_size = size;
	elf_push_symbol(elf, sym);
	elf_index_symbol(elf, sym);
	return sym;
}

struct reloc *elf_add_reloc(struct elf_file *elf, struct section *sec,
			    uint64_t offset, uint32_t type,
			    struct symbol *sym, int64_t addend)
{
	struct section *rela = is_rela_section(sec) ? sec :
			       elf_rela_section(elf, sec);
	struct reloc *r;

	if (rela->nr_relocs >= UINT32_MAX)
		DIE("section %s: too many relocations", rela->name);
	if (offset > UINT32_MAX)
		DIE("section %s: relocation offset %#llx past 4 GiB",
		    rela->name, (unsigned long long)offset);
	if (rela->nr_relocs >= rela->cap_relocs) {
		size_t cap = rela->cap_relocs ? 2 * (size_t)rela->cap_relocs : 16;

		rela->cap_relocs = cap < UINT32_MAX ? cap : UINT32_MAX;
		rela->relocs = xrealloc(rela->relocs, rela->cap_relocs *
					sizeof(*rela->relocs));
	}
	if (type > ELF_MAX_RELOC_TYPE)
		DIE("section %s: relocation type %u is past %u", rela->name,
		    type, ELF_MAX_RELOC_TYPE);
	r = &rela->relocs[rela->nr_relocs];
	r->offset = offset;
	r->type = type;
	elf_reloc_set_sym(elf, r, sym);
	r->addend = addend;
	rela->nr_relocs++;
	rela->sorted_ok = false;	/* one more, and they may have moved */
	return r;
}

void elf_reloc_set_sym(struct elf_file *elf, struct reloc *r,
		       struct symbol *sym)
{
	if (!sym || sym->index >= elf->nr_syms || elf->syms[sym->index] != sym)
		DIE("%s: a relocation aimed at %s, not a symbol of this file",
		    elf->path, sym && sym->name[0] ? sym->name : "(unnamed)");
	r->sym_index = sym->index;
}

struct symbol *elf_section_symbol(struct elf_file *elf, struct section *sec)
{
	if (!sec->sym)
		sec->sym = elf_add_symbol(elf, NULL, STB_LOCAL, STT_SECTION,
					  sec, 0, 0);
	return sec->sym;
}

void elf_rename_symbol(struct elf_file *elf, struct symbol *sym,
		       const char *name)
{
	char *copy = xstrdup(name);

	if (sym_indexed(sym))
		hash_remove(&elf->sym_by_name, sym->name, sym);
	sym->name_id = 0;
	if (sym->name_owned)
		free(sym->name);
	sym->name = copy;
	sym->name_owned = true;
	if (sym_indexed(sym))
		sym->name_id = hash_add_id(&elf->sym_by_name, sym->name, sym);
}

void elf_rename_section(struct elf_file *elf, struct section *sec,
			const char *name)
{
	char *old = sec->name, *copy = xstrdup(name);

	if (old[0] && !sec->name_by_base)
		hash_remove(&elf->sec_by_name, old, sec);
	sec->name_by_base = false;
	/* Its relocation section is no longer named after it. */
	if (sec->rela && sec->rela->name_by_base) {
		hash_add(&elf->sec_by_name, sec->rela->name, sec->rela);
		sec->rela->name_by_base = false;
	}
	sec->name = copy;
	if (copy[0])
		hash_add(&elf->sec_by_name, copy, sec);
	/* Section symbols borrow their section's name. */
	if (sec->sym && sec->sym->name == old)
		sec->sym->name = copy;
	if (sec->name_owned)
		free(old);
	sec->name_owned = true;
}

void elf_set_data(struct section *sec, const void *data, size_t size)
{
	void *copy = NULL;

	if (sec->sh.sh_type != SHT_NOBITS && size) {
		copy = xmalloc(size);
		if (data)
			memcpy(copy, data, size);
		else
			memset(copy, 0, size);
	}
	if (sec->data_owned)
		free(sec->data);
	sec->data = copy;
	sec->data_owned = copy != NULL;
	sec->data_grown = false;
	sec->sh.sh_size = size;
}

/*
 * The room elf_append_data() gives a buffer it grows: a power of two, 64
 * bytes at least, so that n appends cost O(total size).  A buffer it grew
 * (data_grown) holds data_room(sh.sh_size) bytes, which is never more
 * than it was given: the model keeps no capacity field.
 */
static size_t data_room(size_t size)
{
	size_t room = 64;

	while (room < size)
		room *= 2;
	return room;
}

uint64_t elf_append_data(struct section *sec, const void *data, size_t len,
			 uint64_t align)
{
	uint64_t off;
	size_t need, cap;

	if (!align)
		align = 1;
	off = (sec->sh.sh_size + align - 1) / align * align;
	/* the doubling below must not wrap: no section is half the address space */
	if (off < sec->sh.sh_size || off + len < off ||
	    off + len > SIZE_MAX / 2)
		DIE("section %s: appending %zu bytes overflows", sec->name, len);
	need = off + len;
	if (sec->sh.sh_type != SHT_NOBITS && need) {
		cap = sec->data_grown ? data_room(sec->sh.sh_size) : 0;
		if (need > cap) {
			cap = data_room(need);
			if (sec->data_owned) {
				sec->data = xrealloc(sec->data, cap);
			} else {
				void *copy = xmalloc(cap);

				if (sec->sh.sh_size)
					memcpy(copy, sec->data,
					       sec->sh.sh_size);
				sec->data = copy;
				sec->data_owned = true;
			}
			sec->data_grown = true;
		}
		memset((char *)sec->data + sec->sh.sh_size, 0,
		       off - sec->sh.sh_size);
		if (data)
			memcpy((char *)sec->data + off, data, len);
		else
			memset((char *)sec->data + off, 0, len);
	}
	sec->sh.sh_size = need;
	return off;
}
