// SPDX-License-Identifier: GPL-2.0
/*
 * elfdump: print an object through the klpgen ELF layer in a stable text
 * form for test expectations.  No indexes are printed (they change when
 * objects are rebuilt); sections and symbols appear in file order and
 * refer to each other by name.
 *
 *   elfdump [-S] [-s] [-r] [-g] [-d] FILE     (default: -S -s -r -g)
 *   -S sections  -s symbols  -r relocations  -g groups
 *   -d with -S: add a hash of each section's contents (except the tables
 *      that elf_write() regenerates)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "util.h"

static const char *sht_name(uint32_t t)
{
	static char buf[32];

	switch (t) {
	case SHT_NULL: return "NULL";
	case SHT_PROGBITS: return "PROGBITS";
	case SHT_SYMTAB: return "SYMTAB";
	case SHT_STRTAB: return "STRTAB";
	case SHT_RELA: return "RELA";
	case SHT_HASH: return "HASH";
	case SHT_DYNAMIC: return "DYNAMIC";
	case SHT_NOTE: return "NOTE";
	case SHT_NOBITS: return "NOBITS";
	case SHT_REL: return "REL";
	case SHT_DYNSYM: return "DYNSYM";
	case SHT_INIT_ARRAY: return "INIT_ARRAY";
	case SHT_FINI_ARRAY: return "FINI_ARRAY";
	case SHT_PREINIT_ARRAY: return "PREINIT_ARRAY";
	case SHT_GROUP: return "GROUP";
	case SHT_SYMTAB_SHNDX: return "SYMTAB_SHNDX";
	case SHT_GNU_HASH: return "GNU_HASH";
	case SHT_GNU_versym: return "VERSYM";
	case SHT_GNU_verneed: return "VERNEED";
	case SHT_GNU_verdef: return "VERDEF";
	case SHT_X86_64_UNWIND: return "X86_64_UNWIND";
	}
	snprintf(buf, sizeof(buf), "0x%x", t);
	return buf;
}

static const char *flag_str(uint64_t f)
{
	static const struct { uint64_t bit; char c; } tab[] = {
		{ SHF_WRITE, 'W' }, { SHF_ALLOC, 'A' },
		{ SHF_EXECINSTR, 'X' }, { SHF_MERGE, 'M' },
		{ SHF_STRINGS, 'S' }, { SHF_INFO_LINK, 'I' },
		{ SHF_LINK_ORDER, 'L' }, { SHF_OS_NONCONFORMING, 'O' },
		{ SHF_GROUP, 'G' }, { SHF_TLS, 'T' },
		{ SHF_COMPRESSED, 'C' }, { SHF_RELA_LIVEPATCH, 'K' },
		{ SHF_EXCLUDE, 'E' },
	};
	static char buf[64];
	size_t i, n = 0;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (f & tab[i].bit) {
			buf[n++] = tab[i].c;
			f &= ~tab[i].bit;
		}
	}
	if (!n && !f)
		buf[n++] = '-';
	buf[n] = '\0';
	if (f)
		snprintf(buf + n, sizeof(buf) - n, "+0x%lx", (unsigned long)f);
	return buf;
}

static const char *bind_name(unsigned int b)
{
	static char buf[16];

	switch (b) {
	case STB_LOCAL: return "LOCAL";
	case STB_GLOBAL: return "GLOBAL";
	case STB_WEAK: return "WEAK";
	case STB_GNU_UNIQUE: return "UNIQUE";
	}
	snprintf(buf, sizeof(buf), "%u", b);
	return buf;
}

static const char *stt_name(unsigned int t)
{
	static char buf[16];

	switch (t) {
	case STT_NOTYPE: return "NOTYPE";
	case STT_OBJECT: return "OBJECT";
	case STT_FUNC: return "FUNC";
	case STT_SECTION: return "SECTION";
	case STT_FILE: return "FILE";
	case STT_COMMON: return "COMMON";
	case STT_TLS: return "TLS";
	case STT_GNU_IFUNC: return "IFUNC";
	}
	snprintf(buf, sizeof(buf), "%u", t);
	return buf;
}

static const char *sym_where(const struct symbol *sym)
{
	static char buf[16];

	if (sym->sec)
		return sym->sec->name;
	switch (sym->shndx) {
	case SHN_UNDEF: return "UND";
	case SHN_ABS: return "ABS";
	case SHN_COMMON: return "COM";
	case SHN_LIVEPATCH: return "LIVEPATCH";
	}
	snprintf(buf, sizeof(buf), "0x%x", sym->shndx);
	return buf;
}

static bool regenerated(const struct elf_file *elf, const struct section *s)
{
	switch (s->sh.sh_type) {
	case SHT_SYMTAB: case SHT_RELA: case SHT_GROUP: case SHT_SYMTAB_SHNDX:
		return true;
	}
	return s == elf->strtab || s == elf->shstrtab;
}

static uint64_t fnv64(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 14695981039346656037ull;

	while (n--) {
		h ^= *c++;
		h *= 1099511628211ull;
	}
	return h;
}

static void dump_sections(const struct elf_file *elf, bool data)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		const struct section *s = elf->secs[i];
		const struct elf_shdr *sh = &s->sh;

		printf("section %s type=%s flags=%s size=%lu entsize=%lu align=%lu",
		       s->name, sht_name(sh->sh_type), flag_str(sh->sh_flags),
		       (unsigned long)sh->sh_size, (unsigned long)sh->sh_entsize,
		       (unsigned long)sh->sh_addralign);
		if (sh->sh_addr)
			printf(" addr=0x%lx", (unsigned long)sh->sh_addr);
		if (sh->sh_link < elf->nr_secs && sh->sh_link)
			printf(" link=%s", elf->secs[sh->sh_link]->name);
		if (s->sh.sh_type == SHT_RELA && s->base)
			printf(" info=%s", s->base->name);
		else if (s->sh.sh_type == SHT_GROUP && s->group_sig)
			printf(" info=%s", s->group_sig->name);
		else if (sh->sh_info)
			printf(" info=%u", sh->sh_info);
		if (data && !regenerated(elf, s) && s->data)
			printf(" data=%016lx", (unsigned long)fnv64(s->data, s->sh.sh_size));
		putchar('\n');
	}
}

static void dump_symbols(const struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_syms; i++) {
		const struct symbol *s = elf->syms[i];

		printf("symbol %s %s %s %s value=0x%lx size=%lu\n",
		       s->name[0] ? s->name : "\"\"", bind_name(s->bind),
		       stt_name(s->type), sym_where(s),
		       (unsigned long)s->sym.st_value,
		       (unsigned long)s->sym.st_size);
	}
}

static void dump_relocs(const struct elf_file *elf)
{
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		const struct section *s = elf->secs[i];

		if (!is_rela_section(s) || !s->base)
			continue;
		printf("relocs %s for %s\n", s->name, s->base->name);
		for (j = 0; j < s->nr_relocs; j++) {
			const struct reloc *r = &s->relocs[j];
			const char *name = elf_reloc_sym(elf, r)->name;

			printf("  0x%lx %s %s%c0x%lx\n", (unsigned long)r->offset,
			       reloc_type_name(r->type),
			       name[0] ? name : "\"\"",
			       r->addend < 0 ? '-' : '+',
			       r->addend < 0 ? -(unsigned long)r->addend :
			       (unsigned long)r->addend);
		}
	}
}

static void dump_groups(const struct elf_file *elf)
{
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		const struct section *s = elf->secs[i];

		if (s->sh.sh_type != SHT_GROUP)
			continue;
		printf("group %s sig=%s flags=0x%x members=", s->name,
		       s->group_sig ? s->group_sig->name : "?", s->group_flags);
		for (j = 0; j < s->nr_members; j++)
			printf("%s%s", j ? "," : "", s->members[j]->name);
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	bool S = false, s = false, r = false, g = false, d = false;
	struct elf_file *elf;
	int c;

	tool_name = "elfdump";
	while ((c = getopt(argc, argv, "Ssrgd")) != -1) {
		switch (c) {
		case 'S': S = true; break;
		case 's': s = true; break;
		case 'r': r = true; break;
		case 'g': g = true; break;
		case 'd': d = true; break;
		default: return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: elfdump [-Ssrgd] FILE\n");
		return EXIT_BAD_INPUT;
	}
	if (!S && !s && !r && !g)
		S = s = r = g = true;
	elf = elf_open(argv[optind]);
	if (!elf)
		return EXIT_BAD_INPUT;
	if (S)
		dump_sections(elf, d);
	if (g)
		dump_groups(elf);
	if (s)
		dump_symbols(elf);
	if (r)
		dump_relocs(elf);
	elf_close(elf);
	return 0;
}
