// SPDX-License-Identifier: GPL-2.0
/*
 * elf_open(): map a little-endian ELF64 file of arch_machine(), validate
 * every header, table and index before anything is dereferenced, and build
 * the in-memory model.
 *
 * The file is mapped MAP_PRIVATE and parsed directly (the host must be
 * little-endian like the files we accept); elf_libelf() makes a libelf
 * handle on the same memory for callers that want gelf accessors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-internal.h"
#include "util.h"

int elf_err(const struct elf_file *elf, const char *fmt, ...)
{
	va_list ap;

	if (elf->quiet)
		return -1;
	fprintf(stderr, "%s: %s: ", tool_name, elf->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static const char *type_name(uint32_t t)
{
	switch (t) {
	case SHT_RELA: return "SHT_RELA";
	case SHT_SYMTAB: return "SHT_SYMTAB";
	case SHT_DYNSYM: return "SHT_DYNSYM";
	case SHT_GROUP: return "SHT_GROUP";
	case SHT_SYMTAB_SHNDX: return "SHT_SYMTAB_SHNDX";
	default: return "section";
	}
}

static int check_ehdr(struct elf_file *elf)
{
	const unsigned char *id = elf->map;
	const Elf64_Ehdr *eh = elf->map;

	if (elf->map_size < SELFMAG || memcmp(id, ELFMAG, SELFMAG))
		return elf_err(elf, "not an ELF file");
	if (elf->map_size < EI_NIDENT)
		return elf_err(elf, "truncated ELF header (%zu bytes)",
			       elf->map_size);
	if (id[EI_CLASS] != ELFCLASS64)
		return elf_err(elf, "ELF class %d (%s) is not supported: only 64-bit %s objects are",
			       id[EI_CLASS], id[EI_CLASS] == ELFCLASS32 ?
			       "32-bit" : "unknown", arch_name());
	if (id[EI_DATA] != ELFDATA2LSB)
		return elf_err(elf, "not a little-endian ELF file: only %s is supported",
			       arch_name());
	if (elf->map_size < sizeof(Elf64_Ehdr))
		return elf_err(elf, "truncated ELF header (%zu bytes)",
			       elf->map_size);
	if (eh->e_machine != arch_machine())
		return elf_err(elf, "machine %u is not %s (%u)",
			       eh->e_machine, arch_name(), arch_machine());
	if (eh->e_type != ET_REL && eh->e_type != ET_EXEC &&
	    eh->e_type != ET_DYN)
		return elf_err(elf, "ELF type %u is not ET_REL, ET_EXEC or ET_DYN",
			       eh->e_type);
	if (!eh->e_shoff)
		return elf_err(elf, "no section header table");
	if (eh->e_shentsize != sizeof(Elf64_Shdr))
		return elf_err(elf, "e_shentsize %u, expected %zu",
			       eh->e_shentsize, sizeof(Elf64_Shdr));
	memcpy(&elf->ehdr, eh, sizeof(*eh));
	return 0;
}

/* Section count and .shstrtab index, with the SHN_XINDEX escapes. */
static int read_shdr_counts(struct elf_file *elf, size_t *shnum,
			    size_t *shstrndx)
{
	const Elf64_Ehdr *eh = &elf->ehdr;
	Elf64_Shdr sh0;

	if (eh->e_shoff > elf->map_size ||
	    elf->map_size - eh->e_shoff < sizeof(sh0))
		return elf_err(elf, "section header table offset %#lx is past the end of the file (%zu bytes)",
			       (unsigned long)eh->e_shoff, elf->map_size);
	memcpy(&sh0, (char *)elf->map + eh->e_shoff, sizeof(sh0));
	*shnum = eh->e_shnum ? eh->e_shnum : sh0.sh_size;
	*shstrndx = eh->e_shstrndx == SHN_XINDEX ? sh0.sh_link :
		    eh->e_shstrndx;
	if (!*shnum)
		return elf_err(elf, "no sections");
	if (*shnum > (elf->map_size - eh->e_shoff) / sizeof(Elf64_Shdr))
		return elf_err(elf, "section header table (%zu entries at %#lx) extends past the end of the file (%zu bytes)",
			       *shnum, (unsigned long)eh->e_shoff,
			       elf->map_size);
	if (!*shstrndx || *shstrndx >= *shnum)
		return elf_err(elf, "section name table index %zu out of range (%zu sections)",
			       *shstrndx, *shnum);
	return 0;
}

#define MAX_ALIGN	(1ul << 30)

static int check_range(struct elf_file *elf, size_t i, const Elf64_Shdr *sh,
		       const char *name)
{
	/* Bounded so that a writer's padding stays sane. */
	if (sh->sh_addralign & (sh->sh_addralign - 1) ||
	    sh->sh_addralign > MAX_ALIGN)
		return elf_err(elf, "section %s (index %zu): bad sh_addralign %#lx",
			       name, i, (unsigned long)sh->sh_addralign);
	if (sh->sh_entsize > UINT32_MAX)
		return elf_err(elf, "section %s (index %zu): sh_entsize %#lx is more than this tool handles",
			       name, i, (unsigned long)sh->sh_entsize);
	if (sh->sh_type == SHT_NOBITS || !sh->sh_size)
		return 0;
	if (sh->sh_offset > elf->map_size ||
	    sh->sh_size > elf->map_size - sh->sh_offset)
		return elf_err(elf, "section %s (index %zu): data at %#lx size %#lx is past the end of the file (%zu bytes)",
			       name, i, (unsigned long)sh->sh_offset,
			       (unsigned long)sh->sh_size, elf->map_size);
	return 0;
}

/* Where @sec's data lies in the file: the model keeps no sh_offset. */
static uint64_t file_offset(const struct elf_file *elf,
			    const struct section *sec)
{
	return sec->data ? (uint64_t)((const char *)sec->data -
				      (const char *)elf->map) : 0;
}

/* Table sections: entry size, whole entries, aligned for direct access. */
static int check_table(struct elf_file *elf, struct section *sec,
		       size_t entsize, size_t align)
{
	const struct elf_shdr *sh = &sec->sh;

	if (sh->sh_entsize != entsize)
		return elf_err(elf, "section %s (index %u): %s sh_entsize %lu, expected %zu",
			       sec->name, sec->index, type_name(sh->sh_type),
			       (unsigned long)sh->sh_entsize, entsize);
	if (sh->sh_size % entsize)
		return elf_err(elf, "section %s (index %u): size %lu is not a multiple of %zu",
			       sec->name, sec->index,
			       (unsigned long)sh->sh_size, entsize);
	if (sh->sh_size && file_offset(elf, sec) % align)
		return elf_err(elf, "section %s (index %u): misaligned data offset %#lx",
			       sec->name, sec->index,
			       (unsigned long)file_offset(elf, sec));
	return 0;
}

static bool is_strtab_ok(const struct section *sec)
{
	return sec->sh.sh_type == SHT_STRTAB &&
	       (!sec->sh.sh_size ||
		((char *)sec->data)[sec->sh.sh_size - 1] == '\0');
}

/* A relocation section applies to a section with contents, not a table. */
static bool can_relocate(const struct section *base,
			 const struct section *rela)
{
	switch (base->sh.sh_type) {
	case SHT_NULL:
	case SHT_NOBITS:
	case SHT_RELA:
	case SHT_REL:
	case SHT_SYMTAB:
	case SHT_DYNSYM:
	case SHT_STRTAB:
	case SHT_GROUP:
	case SHT_SYMTAB_SHNDX:
		return false;
	}
	return base != rela;
}

static int check_links(struct elf_file *elf, struct section *sec)
{
	const struct elf_shdr *sh = &sec->sh;
	size_t n = elf->nr_secs;

	if (sh->sh_link >= n)
		return elf_err(elf, "section %s (index %u): sh_link %u out of range (%zu sections)",
			       sec->name, sec->index, sh->sh_link, n);
	switch (sh->sh_type) {
	case SHT_RELA:
		if (elf->ehdr.e_type == ET_REL || (sh->sh_flags & SHF_INFO_LINK))
			if (sh->sh_info >= n || (elf->ehdr.e_type == ET_REL &&
						 !sh->sh_info))
				return elf_err(elf, "section %s (index %u): sh_info %u is not a valid section index (%zu sections)",
					       sec->name, sec->index,
					       sh->sh_info, n);
		if (elf->ehdr.e_type == ET_REL &&
		    !can_relocate(elf->secs[sh->sh_info], sec))
			return elf_err(elf, "section %s (index %u): sh_info %u names section %s, which cannot be relocated",
				       sec->name, sec->index, sh->sh_info,
				       elf->secs[sh->sh_info]->name);
		return check_table(elf, sec, sizeof(Elf64_Rela), 8);
	case SHT_SYMTAB:
	case SHT_DYNSYM:
		if (check_table(elf, sec, sizeof(Elf64_Sym), 8))
			return -1;
		if (sh->sh_info > sh->sh_size / sizeof(Elf64_Sym))
			return elf_err(elf, "section %s (index %u): sh_info %u (first global) past the last symbol",
				       sec->name, sec->index, sh->sh_info);
		if (!is_strtab_ok(elf->secs[sh->sh_link]))
			return elf_err(elf, "section %s (index %u): sh_link %u is not a NUL-terminated string table",
				       sec->name, sec->index, sh->sh_link);
		return 0;
	case SHT_GROUP:
		if (check_table(elf, sec, sizeof(uint32_t), 4))
			return -1;
		if (!sh->sh_size)
			return elf_err(elf, "section %s (index %u): empty SHT_GROUP",
				       sec->name, sec->index);
		return 0;
	case SHT_SYMTAB_SHNDX:
		return check_table(elf, sec, sizeof(uint32_t), 4);
	}
	return 0;
}

/*
 * Tables copied or parsed into the model (the section header table, the
 * symbol table, relocation and group sections) are not read again from the
 * file: give their pages back as soon as they are parsed, so that they do
 * not count twice in the peak memory.  Adjacent ranges are gathered and
 * released in batches.  The mapping is private and nothing has written to
 * it yet, so a page that is read again (a neighbouring section sharing it,
 * elf_libelf()) comes back from the file unchanged: this only saves memory.
 */
#define RELEASE_BATCH	(1ul << 20)

static void release_flush(struct elf_file *elf)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t lo = elf->dead_lo & ~(page - 1), hi = elf->dead_hi;

	if (hi > lo)
		madvise((char *)elf->map + lo, hi - lo, MADV_DONTNEED);
	elf->dead_lo = elf->dead_hi = 0;
}

static void release_range(struct elf_file *elf, uint64_t off, uint64_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (!size || off >= elf->map_size)
		return;
	if (size > elf->map_size - off)
		size = elf->map_size - off;
	if (elf->dead_hi && (off < elf->dead_lo || off > elf->dead_hi + page))
		release_flush(elf);
	if (!elf->dead_hi)
		elf->dead_lo = off;
	if (off + size > elf->dead_hi)
		elf->dead_hi = off + size;
	if (elf->dead_hi - elf->dead_lo >= RELEASE_BATCH)
		release_flush(elf);
}

/*
 * Relocation sections of an object are named in sec_by_name after their
 * links are read (map_rela_names()): most are found through their base.
 */
static bool defer_name(const struct elf_file *elf, const struct section *sec)
{
	return sec->sh.sh_type == SHT_RELA && elf->ehdr.e_type == ET_REL &&
	       !elf->scan_symbols;
}

/*
 * Header  of the table, which may be misaligned in the file: copied out
 * whole, never read in place.
 */
static Elf64_Shdr file_shdr(const struct elf_file *elf, size_t i)
{
	Elf64_Shdr sh;

	memcpy(&sh, (const char *)elf->map + elf->ehdr.e_shoff + i * sizeof(sh),
	       sizeof(sh));
	return sh;
}

/*
 * Narrowed as struct elf_shdr says, once check_range() has passed it;
 * sh_flags bits past 32 are dropped: no SHF_ flag is there (ELF32 has no
 * room for one), so only a corrupt file has them.
 */
static void copy_shdr(struct elf_shdr *to, const Elf64_Shdr *from)
{
	to->sh_flags = from->sh_flags;
	to->sh_addr = from->sh_addr;
	to->sh_size = from->sh_size;
	to->sh_type = from->sh_type;
	to->sh_link = from->sh_link;
	to->sh_info = from->sh_info;
	to->sh_addralign = from->sh_addralign;
	to->sh_entsize = from->sh_entsize;
}

static int read_sections(struct elf_file *elf)
{
	const char *base = elf->map;
	struct section *shstr, *sec;
	Elf64_Shdr raw;
	size_t shnum = 0, shstrndx = 0, i, named = 0;

	if (read_shdr_counts(elf, &shnum, &shstrndx))
		return -1;
	elf->sec_block = xcalloc(shnum, sizeof(*elf->sec_block));
	elf->nr_sec_block = shnum;
	elf->secs = xmalloc(shnum * sizeof(*elf->secs));
	elf->cap_secs = shnum;

	for (i = 0; i < shnum; i++) {
		sec = &elf->sec_block[i];
		raw = file_shdr(elf, i);
		copy_shdr(&sec->sh, &raw);
		sec->index = i;
		elf->secs[i] = sec;
		named += !defer_name(elf, sec);
	}
	hash_init(&elf->sec_by_name, named);
	elf->nr_secs = shnum;

	if (elf->secs[0]->sh.sh_type != SHT_NULL)
		return elf_err(elf, "section 0: sh_type %u, expected SHT_NULL (0)",
			       elf->secs[0]->sh.sh_type);
	shstr = elf->secs[shstrndx];
	/* Checked before any pointer into the file is formed. */
	if (shstr->sh.sh_type != SHT_STRTAB || !shstr->sh.sh_size)
		return elf_err(elf, "section name table (index %zu) is not a non-empty SHT_STRTAB",
			       shstrndx);
	raw = file_shdr(elf, shstrndx);
	if (check_range(elf, shstrndx, &raw, "(section names)"))
		return -1;
	shstr->data = (char *)base + raw.sh_offset;
	if (!is_strtab_ok(shstr))
		return elf_err(elf, "section name table (index %zu) is not NUL-terminated",
			       shstrndx);
	elf->shstrtab = shstr;

	for (i = 0; i < shnum; i++) {
		sec = elf->secs[i];
		raw = file_shdr(elf, i);
		if (raw.sh_name >= shstr->sh.sh_size && (i || raw.sh_name))
			return elf_err(elf, "section %zu: name offset %u past the end of the section name table (%zu bytes)",
				       i, raw.sh_name, shstr->sh.sh_size);
		sec->name = i || shstr->sh.sh_size ? (char *)shstr->data +
			    raw.sh_name : (char *)"";
		if (!i)
			continue;
		if (check_range(elf, i, &raw, sec->name))
			return -1;
		if (sec->sh.sh_type != SHT_NOBITS && sec->sh.sh_size)
			sec->data = (char *)base + raw.sh_offset;
		if (sec->name[0] && !defer_name(elf, sec))
			hash_add(&elf->sec_by_name, sec->name, sec);
	}
	/* checked in the file's width: now only the copies are read */
	release_range(elf, elf->ehdr.e_shoff, shnum * sizeof(raw));
	for (i = 1; i < shnum; i++)
		if (check_links(elf, elf->secs[i]))
			return -1;
	return 0;
}

static struct section *find_symtab(struct elf_file *elf)
{
	struct section *dyn = NULL;
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		if (elf->secs[i]->sh.sh_type == SHT_SYMTAB)
			return elf->secs[i];
		if (elf->secs[i]->sh.sh_type == SHT_DYNSYM && !dyn)
			dyn = elf->secs[i];
	}
	return elf->ehdr.e_type == ET_REL ? NULL : dyn;
}

static int find_shndx(struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (sec->sh.sh_type != SHT_SYMTAB_SHNDX ||
		    sec->sh.sh_link != elf->symtab->index)
			continue;
		if (sec->sh.sh_size / 4 <
		    elf->symtab->sh.sh_size / sizeof(Elf64_Sym))
			return elf_err(elf, "section %s: fewer entries than %s",
				       sec->name, elf->symtab->name);
		elf->symtab_shndx = sec;
		return 0;
	}
	return 0;
}

/* Resolve st_shndx (with .symtab_shndx) into sym->sec or sym->shndx. */
static int symbol_section(struct elf_file *elf, struct symbol *sym,
			  const Elf64_Sym *es, size_t i)
{
	uint32_t idx = es->st_shndx;

	if (idx == SHN_XINDEX) {
		if (!elf->symtab_shndx)
			return elf_err(elf, "symbol %s (index %zu): SHN_XINDEX but no .symtab_shndx section",
				       sym->name, i);
		idx = ((uint32_t *)elf->symtab_shndx->data)[i];
	} else if (idx >= SHN_LORESERVE) {
		sym->shndx = idx;
		return 0;
	}
	if (idx >= elf->nr_secs)
		return elf_err(elf, "symbol %s (index %zu): section index %u out of range (%zu sections)",
			       sym->name, i, idx, elf->nr_secs);
	if (!idx) {
		sym->shndx = SHN_UNDEF;
		return 0;
	}
	sym->sec = elf->secs[idx];
	sym->shndx = idx < SHN_LORESERVE ? idx : SHN_XINDEX;
	return 0;
}

void elf_index_symbol(struct elf_file *elf, struct symbol *sym)
{
	struct section *sec = sym->sec;

	if (sym->type == STT_SECTION) {
		if (sec && !sec->sym)
			sec->sym = sym;
		return;
	}
	if (sec && !sec->func &&
	    (sym->type == STT_FUNC || sym->type == STT_OBJECT))
		sec->func = sym;
	if (sym->name[0])
		sym->name_id = hash_add_id(&elf->sym_by_name, sym->name, sym);
}

/*
 * In an object (ET_REL) st_value is an offset into the defining section,
 * which holds code or data: the symbol must lie inside it.  Linked files place linker-script symbols
 * anywhere, so they are not checked.
 */
static int check_symbol_extent(struct elf_file *elf, const struct symbol *sym,
			       size_t i)
{
	const struct section *sec = sym->sec;
	uint64_t v = sym->sym.st_value, sz = sym->sym.st_size;

	if (elf->ehdr.e_type != ET_REL || !sec || sym->type == STT_SECTION ||
	    sym->type == STT_FILE)
		return 0;
	/*
	 * Code and data (.bss too), or a group (gcc -g3 signs .debug_macro
	 * groups with symbols defined in them); not a table writers rebuild.
	 */
	if (sec->sh.sh_type != SHT_NOBITS && sec->sh.sh_type != SHT_GROUP &&
	    !can_relocate(sec, NULL))
		return elf_err(elf, "symbol %s (index %zu): defined in section %s, which holds no code or data",
			       sym->name[0] ? sym->name : "(unnamed)", i,
			       sec->name);
	if (v > sec->sh.sh_size || sz > sec->sh.sh_size - v)
		return elf_err(elf, "symbol %s (index %zu): value %#lx size %#lx lies outside its section %s (%#lx bytes)",
			       sym->name[0] ? sym->name : "(unnamed)", i,
			       (unsigned long)v, (unsigned long)sz, sec->name,
			       (unsigned long)sec->sh.sh_size);
	return 0;
}

/* Symbol @i of the table into @sym (zeroed by the caller), checked. */
static int decode_symbol(struct elf_file *elf, struct symbol *sym, size_t i)
{
	const Elf64_Sym *es = (const Elf64_Sym *)elf->symtab->data + i;
	const struct section *strtab = elf->strtab;

	sym->index = i;
	sym->sym.st_value = es->st_value;
	sym->sym.st_size = es->st_size;
	sym->other = es->st_other;
	if (es->st_name >= strtab->sh.sh_size &&
	    (es->st_name || strtab->sh.sh_size))
		return elf_err(elf, "symbol %zu in %s: name offset %u past the end of %s (%zu bytes)",
			       i, elf->symtab->name, es->st_name,
			       strtab->name, strtab->sh.sh_size);
	sym->name = strtab->sh.sh_size ? (char *)strtab->data + es->st_name :
				   (char *)"";
	sym->bind = GELF_ST_BIND(es->st_info);
	sym->type = GELF_ST_TYPE(es->st_info);
	if (i && (symbol_section(elf, sym, es, i) ||
		  check_symbol_extent(elf, sym, i)))
		return -1;
	if (sym->type == STT_SECTION && sym->sec && !sym->name[0])
		sym->name = sym->sec->name;
	return 0;
}

/* The table's symbols given back to the system once decoded. */
static void release_symtab(struct elf_file *elf)
{
	release_range(elf, file_offset(elf, elf->symtab), elf->symtab->sh.sh_size);
	if (elf->symtab_shndx)
		release_range(elf, file_offset(elf, elf->symtab_shndx),
			      elf->symtab_shndx->sh.sh_size);
}

static int read_symbols(struct elf_file *elf)
{
	struct section *symtab = find_symtab(elf);
	size_t n, i;

	if (symtab) {
		elf->symtab = symtab;
		elf->strtab = elf->secs[symtab->sh.sh_link];
		if (find_shndx(elf))
			return -1;
	}
	n = symtab ? symtab->sh.sh_size / sizeof(Elf64_Sym) : 0;
	if (!n || elf->scan_symbols) {
		/* No symbols in the model: keep a null symbol so indexes work. */
		elf->sym_block = xcalloc(1, sizeof(*elf->sym_block));
		elf->nr_sym_block = 1;
		elf->sym_block->name = (char *)"";
		elf_push_symbol(elf, elf->sym_block);
		return 0;
	}
	if (n > ELF_MAX_SYMS)
		return elf_err(elf, "%zu symbols, more than the %u this tool indexes",
			       n, ELF_MAX_SYMS);
	elf->sym_block = xcalloc(n, sizeof(*elf->sym_block));
	elf->nr_sym_block = n;
	elf->syms = xmalloc(n * sizeof(*elf->syms));
	elf->cap_syms = n;
	hash_init(&elf->sym_by_name, n);

	for (i = 0; i < n; i++) {
		struct symbol *sym = &elf->sym_block[i];

		elf->syms[i] = sym;
		elf->nr_syms = i + 1;
		if (decode_symbol(elf, sym, i))
			return -1;
		if (i)
			elf_index_symbol(elf, sym);
	}
	release_symtab(elf);
	return 0;
}

int elf_scan_symbols(struct elf_file *elf,
		     int (*fn)(void *arg, const struct symbol *sym), void *arg)
{
	size_t n = elf->symtab ?
		   elf->symtab->sh.sh_size / sizeof(Elf64_Sym) : 0;
	size_t i;
	int ret = 0;

	for (i = 1; i < n && !ret; i++) {
		struct symbol sym = { 0 };

		ret = decode_symbol(elf, &sym, i) ? -1 : fn(arg, &sym);
	}
	if (elf->symtab) {
		release_symtab(elf);
		/* names are read again when asked; sections have their own */
		if (elf->scan_symbols && elf->strtab != elf->shstrtab)
			release_range(elf, file_offset(elf, elf->strtab),
				      elf->strtab->sh.sh_size);
		release_flush(elf);
	}
	return ret;
}

/* Whether the field of @er reaches past the end of the section it patches. */
static bool reloc_past_end(const struct section *base, const Elf64_Rela *er)
{
	uint64_t w = reloc_width(ELF64_R_TYPE(er->r_info));

	return er->r_offset > base->sh.sh_size ||
	       w > base->sh.sh_size - er->r_offset;
}

static int read_relocs(struct elf_file *elf, struct section *rela)
{
	const Elf64_Rela *er = rela->data;
	size_t n = rela->sh.sh_size / sizeof(*er), i;

	if (!elf->symtab || rela->sh.sh_link != elf->symtab->index)
		return elf_err(elf, "section %s (index %u): sh_link %u is not the symbol table",
			       rela->name, rela->index, rela->sh.sh_link);
	if (n > UINT32_MAX)
		return elf_err(elf, "section %s (index %u): %zu relocations, more than this tool handles",
			       rela->name, rela->index, n);
	rela->base = elf->secs[rela->sh.sh_info];
	if (!rela->base->rela)
		rela->base->rela = rela;
	rela->relocs = xmalloc(n * sizeof(*rela->relocs));
	rela->cap_relocs = n;
	for (i = 0; i < n; i++) {
		struct reloc *r = &rela->relocs[i];
		uint64_t symi = ELF64_R_SYM(er[i].r_info);

		if (symi >= elf->nr_syms)
			return elf_err(elf, "section %s: relocation %zu (offset %#lx) refers to symbol index %lu, out of range (%zu symbols)",
				       rela->name, i,
				       (unsigned long)er[i].r_offset,
				       (unsigned long)symi, elf->nr_syms);
		if (reloc_past_end(rela->base, &er[i]))
			return elf_err(elf, "section %s: relocation %zu (offset %#lx, %s) lies past the end of %s (%zu bytes)",
				       rela->name, i,
				       (unsigned long)er[i].r_offset,
				       reloc_type_name(ELF64_R_TYPE(er[i].r_info)),
				       rela->base->name, rela->base->sh.sh_size);
		if (er[i].r_offset > UINT32_MAX)
			return elf_err(elf, "section %s: relocation %zu at offset %#lx: offsets past 4 GiB are not supported",
				       rela->name, i,
				       (unsigned long)er[i].r_offset);
		if (ELF64_R_TYPE(er[i].r_info) > ELF_MAX_RELOC_TYPE)
			return elf_err(elf, "section %s: relocation %zu (offset %#lx) has type %lu, past the %u types of the architecture",
				       rela->name, i,
				       (unsigned long)er[i].r_offset,
				       (unsigned long)ELF64_R_TYPE(er[i].r_info),
				       ELF_MAX_RELOC_TYPE + 1);
		r->offset = er[i].r_offset;
		r->type = ELF64_R_TYPE(er[i].r_info);
		r->sym_index = symi;
		r->addend = er[i].r_addend;
		rela->nr_relocs = i + 1;
	}
	release_range(elf, file_offset(elf, rela), rela->sh.sh_size);
	return 0;
}

static int read_group(struct elf_file *elf, struct section *grp)
{
	const uint32_t *w = grp->data;
	size_t n = grp->sh.sh_size / 4, i;

	if (!elf->symtab || grp->sh.sh_link != elf->symtab->index)
		return elf_err(elf, "group section %s (index %u): sh_link %u is not the symbol table",
			       grp->name, grp->index, grp->sh.sh_link);
	if (grp->sh.sh_info >= elf->nr_syms)
		return elf_err(elf, "group section %s (index %u): signature symbol index %u out of range (%zu symbols)",
			       grp->name, grp->index, grp->sh.sh_info,
			       elf->nr_syms);
	if (!grp->sh.sh_info)
		return elf_err(elf, "group section %s (index %u): no signature symbol (sh_info 0)",
			       grp->name, grp->index);
	grp->group_sig = elf->syms[grp->sh.sh_info];
	grp->group_flags = w[0];
	grp->members = xmalloc(n * sizeof(*grp->members));
	for (i = 1; i < n; i++) {
		struct section *m;

		if (!w[i] || w[i] >= elf->nr_secs)
			return elf_err(elf, "group section %s (index %u): member section index %u out of range (%zu sections)",
				       grp->name, grp->index, w[i],
				       elf->nr_secs);
		m = elf->secs[w[i]];
		/* Each member once, in one group, and never a group itself. */
		if (m->sh.sh_type == SHT_GROUP)
			return elf_err(elf, "group section %s (index %u): member %u (%s) is a group section",
				       grp->name, grp->index, w[i], m->name);
		if (m->group)
			return elf_err(elf, "group section %s (index %u): member %u (%s) is already a member of group %s",
				       grp->name, grp->index, w[i], m->name,
				       m->group->name);
		m->group = grp;
		grp->members[grp->nr_members++] = m;
	}
	release_range(elf, file_offset(elf, grp), grp->sh.sh_size);
	return 0;
}

/*
 * sh_link of any other section.  In an object only SHF_LINK_ORDER gives it
 * a meaning (the section it goes with, which must have contents); a stray
 * value elsewhere is ignored, and written as 0.
 */
static int read_link(struct elf_file *elf, struct section *sec)
{
	struct section *to = elf->secs[sec->sh.sh_link];

	if (elf->ehdr.e_type != ET_REL) {
		sec->link = to;
		return 0;
	}
	if (!(sec->sh.sh_flags & SHF_LINK_ORDER))
		return 0;
	if (!can_relocate(to, sec))
		return elf_err(elf, "section %s (index %u): SHF_LINK_ORDER link %u names section %s, which has no contents",
			       sec->name, sec->index, sec->sh.sh_link,
			       to->name);
	sec->link = to;
	return 0;
}

static int read_links(struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		switch (sec->sh.sh_type) {
		case SHT_RELA:
			if (elf->ehdr.e_type != ET_REL || elf->scan_symbols)
				break;
			if (elf->skipped_debug_relocs && is_debug_section(sec)) {
				/* linked, not parsed: a reader's choice */
				sec->base = elf->secs[sec->sh.sh_info];
				if (!sec->base->rela)
					sec->base->rela = sec;
				break;
			}
			if (read_relocs(elf, sec))
				return -1;
			break;
		case SHT_GROUP:
			if (elf->scan_symbols)
				break;	/* a group names its symbol */
			if (read_group(elf, sec))
				return -1;
			break;
		case SHT_SYMTAB:
		case SHT_SYMTAB_SHNDX:
			break;
		default:
			if (sec->sh.sh_link && read_link(elf, sec))
				return -1;
		}
	}
	return 0;
}

/* Whether  is named ".rela" + the name its base is found by. */
static bool named_by_base(const struct elf_file *elf,
			  const struct section *rela)
{
	const struct section *base = rela->base;

	return base && base->rela == rela && !strncmp(rela->name, ".rela", 5) &&
	       !strcmp(rela->name + 5, base->name) &&
	       hash_find(&elf->sec_by_name, base->name) == base;
}

/* The relocation sections defer_name() left out, once linked. */
static void map_rela_names(struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (!sec->name[0] || !defer_name(elf, sec))
			continue;
		sec->name_by_base = named_by_base(elf, sec);
		if (!sec->name_by_base)
			hash_add(&elf->sec_by_name, sec->name, sec);
	}
}

static int map_file(struct elf_file *elf)
{
	struct stat st;

	elf->fd = open(elf->path, O_RDONLY | O_CLOEXEC);
	if (elf->fd < 0)
		return elf_err(elf, "cannot open: %s", strerror(errno));
	if (fstat(elf->fd, &st) < 0)
		return elf_err(elf, "cannot stat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return elf_err(elf, "not a regular file");
	if (!st.st_size)
		return elf_err(elf, "not an ELF file (empty)");
	elf->map_size = st.st_size;
	/* Private and writable: libelf may convert in place. */
	elf->map = mmap(NULL, elf->map_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE, elf->fd, 0);
	if (elf->map == MAP_FAILED) {
		elf->map = NULL;
		return elf_err(elf, "cannot map: %s", strerror(errno));
	}
	return 0;
}

struct elf_file *elf_open_flags(const char *path, unsigned int flags)
{
	struct elf_file *elf = xcalloc(1, sizeof(*elf));

	elf->path = xstrdup(path);
	elf->fd = -1;
	elf->skipped_debug_relocs = flags & ELF_OPEN_NO_DEBUG_RELOCS;
	elf->scan_symbols = flags & ELF_OPEN_SCAN_SYMBOLS;
	if (map_file(elf) || check_ehdr(elf) || read_sections(elf) ||
	    read_symbols(elf) || read_links(elf)) {
		elf_close(elf);
		return NULL;
	}
	map_rela_names(elf);
	release_flush(elf);
	return elf;
}

/* Made on demand: libelf allocates per section, which big objects feel. */
Elf *elf_libelf(struct elf_file *elf)
{
	if (!elf->elf && elf->map) {
		elf_version(EV_CURRENT);
		elf->elf = elf_memory(elf->map, elf->map_size);
	}
	return elf->elf;
}

struct elf_file *elf_open(const char *path)
{
	return elf_open_flags(path, 0);
}

/*
 * Whether @path has a section with contents named one of @names, without
 * building the model: the section headers are read in small pieces and
 * only the section name table is touched, so asking costs next to no
 * memory.  1 yes, 0 no, -1 (silently) if @path is not an ELF file we read.
 */
int elf_has_section(const char *path, const char *const *names)
{
	struct elf_file f = { .path = (char *)path, .fd = -1, .quiet = true };
	Elf64_Shdr buf[64], str;
	size_t shnum = 0, shstrndx = 0, i, j, k, n;
	int ret = -1;

	if (map_file(&f) || check_ehdr(&f) ||
	    read_shdr_counts(&f, &shnum, &shstrndx))
		goto out;
	memcpy(&str, (char *)f.map + f.ehdr.e_shoff + shstrndx * sizeof(str),
	       sizeof(str));
	if (str.sh_type != SHT_STRTAB || !str.sh_size ||
	    check_range(&f, shstrndx, &str, "(section names)"))
		goto out;
	ret = 0;
	for (i = 0; i < shnum && !ret; i += n) {
		n = shnum - i < 64 ? shnum - i : 64;
		if (pread(f.fd, buf, n * sizeof(*buf), f.ehdr.e_shoff +
			  i * sizeof(*buf)) != (ssize_t)(n * sizeof(*buf))) {
			ret = elf_err(&f, "cannot read section headers");
			break;
		}
		for (j = 0; j < n; j++) {
			const char *s = (char *)f.map + str.sh_offset +
					buf[j].sh_name;

			if (buf[j].sh_name >= str.sh_size ||
			    buf[j].sh_type == SHT_NOBITS || !buf[j].sh_size)
				continue;
			for (k = 0; names[k]; k++)
				if (strlen(names[k]) < str.sh_size -
						       buf[j].sh_name &&
				    !strcmp(s, names[k]))
					ret = 1;
		}
	}
out:
	if (f.map)
		munmap(f.map, f.map_size);
	if (f.fd >= 0)
		close(f.fd);
	return ret;
}
