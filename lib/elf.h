/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The klpgen ELF layer: an in-memory model of an ELF object that every tool
 * reads, edits and writes back.
 *
 * Reading: elf_open() reads a little-endian ELF64 file of the machine of
 * lib/arch.h (ET_REL objects and .ko files for editing; ET_EXEC/ET_DYN
 * such as vmlinux for symbol look-ups), builds
 * arrays of sections and symbols indexed by their ELF index, parses every
 * SHT_RELA section into struct reloc (.rela.debug_* too, unless
 * elf_open_flags() is told not to), and indexes sections and symbols by
 * name in hash maps (a relocation section named ".rela" + its base's name
 * is found through its base instead: half of an object's sections are).
 * Malformed input is reported with the file name and the offending section
 * or symbol, and elf_open() returns NULL: it never crashes.
 * Besides the bounds of every header, table and index: section 0 must be
 * SHT_NULL, and an object (ET_REL) must have relocation sections relocating a
 * section with contents (not themselves, a table or SHT_NOBITS), relocation
 * fields and symbols inside their sections, and groups whose members are
 * non-group sections listed once, in one group.
 * Relocations are parsed for ET_REL only (a vmlinux built with
 * --emit-relocs has millions; look-ups do not need them).  The file is
 * mapped, not copied; the pages of the tables parsed into the model
 * (section headers, symbols, relocations, groups) are given back once
 * parsed, so that they do not count twice in the peak memory.
 *
 * Writing: the model is the source of truth.  elf_write() regenerates
 * .shstrtab, .strtab, .symtab (locals first), .symtab_shndx when needed,
 * the contents of every SHT_RELA section from its reloc array, sh_link /
 * sh_info of relocation and group sections, SHT_GROUP member lists, and
 * all indexes.  Output goes to a temporary file renamed over the target, so
 * a failed write leaves no output (util.h: open_temp_beside()).  The output
 * is bounded by the model: each section's file offset is aligned to its
 * sh_addralign but to a page at most, and SHT_NOBITS or empty sections take
 * no room.
 *
 * Ownership: names and data may point into the (private) mapping of the
 * file that was read; everything that is added or replaced is owned by the
 * struct elf_file and freed by elf_close().
 */
#ifndef KLPGEN_ELF_H
#define KLPGEN_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "hash.h"

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif

struct section;
struct symbol;

/*
 * A section header as the model keeps it: Elf64_Shdr's fields but
 * sh_name and sh_offset, which only the file has (elf_write() lays both
 * out afresh), with sh_flags, sh_addralign and sh_entsize narrowed to 32
 * bits (elf_open() refuses wider alignments and entry sizes and drops
 * flag bits past 32, where no SHF_ flag is; elf_add_section() dies on
 * them): 40 bytes, not 64.
 */
struct elf_shdr {
	uint64_t sh_addr;
	uint64_t sh_size;
	uint32_t sh_flags;
	uint32_t sh_type;
	uint32_t sh_link;
	uint32_t sh_info;
	uint32_t sh_addralign;
	uint32_t sh_entsize;
};

/* A tool's memo of comparing a section with its twin (->twin_cmp). */
enum twin_cmp {
	TWIN_CMP_UNKNOWN,	/* not compared yet */
	TWIN_CMP_EQUAL,		/* equal, or being compared: a cycle is equal */
	TWIN_CMP_DIFFERENT,
};

/*
 * 16 bytes: objects hold millions.  The symbol is an index into its
 * file's syms[] (elf_reloc_sym()), packed with the type as ELF32's r_info
 * packs them: 24 bits and 8.  elf_open() refuses a wider type or more
 * symbols as bad input (no x86_64 type reaches 256; an architecture
 * whose types do would need codes of its own behind lib/arch.h);
 * elf_add_reloc() and elf_reloc_set_sym() die on them and on a symbol of
 * another file.  No pointer back to its section: users reach relocs
 * through their section (sec->rela, elf_sorted_relocs()), so they know
 * it.  Offsets fit 32 bits: elf_open() refuses a relocation past 4 GiB,
 * elf_add_reloc() dies on one.
 */
struct reloc {
	int64_t addend;
	uint32_t offset;	/* r_offset in the base section */
	uint32_t sym_index : 24;	/* in elf->syms[]: elf_reloc_sym() */
	uint32_t type : 8;	/* lib/arch.h: arch_reloc_*() */
};
_Static_assert(sizeof(struct reloc) == 16, "struct reloc grew: see its comment");

/* Symbols and relocation types a struct reloc can hold. */
#define ELF_MAX_SYMS		(1u << 24)
#define ELF_MAX_RELOC_TYPE	0xffu

/* Fields ordered for size (144 bytes): -ffunction-sections
 * objects have hundreds of thousands of sections. */
struct section {
	char *name;
	struct elf_shdr sh;	/* sh_name/offset/link/info recomputed on write */
	void *data;		/* NULL for SHT_NOBITS; sh.sh_size bytes */

	struct symbol *sym;	/* its STT_SECTION symbol, if any */
	struct symbol *func;	/* first FUNC/OBJECT symbol defined in it */

	/*
	 * By type: the fields of SHT_RELA or of SHT_GROUP sections share
	 * their room; zero in other sections.  Read them only on a section
	 * of that type.
	 */
	union {
		struct {	/* SHT_RELA */
			/* base is the relocated section, link the symtab */
			struct section *base;
			struct reloc *relocs;
			uint32_t nr_relocs;
			/* Private to the ELF layer. */
			uint32_t cap_relocs;
			/* by offset, when relocs are not: a copy */
			struct reloc *sorted_relocs;
		};
		struct {	/* SHT_GROUP */
			struct symbol *group_sig;	/* signature */
			struct section **members;
			uint32_t nr_members;
			uint32_t group_flags;	/* GRP_COMDAT etc. */
		};
	};
	/* Any section: the SHT_RELA section relocating it, or NULL. */
	struct section *rela;

	/* sh_link to another section (SHF_LINK_ORDER etc.), as a pointer. */
	struct section *link;

	/* The group this section belongs to, if any. */
	struct section *group;

	/* Scratch space for tools; the ELF layer never touches it. */
	struct section *twin;

	uint32_t index;		/* ELF index; renumbered by elf_write() */

	/* Scratch space for tools, continued; bits, as in struct symbol. */
	unsigned int twin_cmp : 2;	/* enum twin_cmp */
	bool include : 1;
	bool removed : 1;	/* skipped by elf_write() */

	bool data_owned : 1;
	bool name_owned : 1;	/* private */
	/*
	 * Private: a SHT_RELA section named ".rela" + its base's name and
	 * that is its base's ->rela is found through the base, not kept in
	 * sec_by_name (half of an object's sections are such).
	 */
	bool name_by_base : 1;

	/* Private: data is a buffer elf_append_data() grew (elf-edit.c). */
	bool data_grown : 1;
	/* Private: SHT_RELA whose relocs elf_release_relocs() gave back. */
	bool relocs_released : 1;
	/* Private: SHT_RELA whose sorted view is up to date. */
	bool sorted_ok : 1;
};
_Static_assert(sizeof(struct section) == 144, "struct section grew: see its comment");


/*
 * What a symbol keeps of its Elf64_Sym: st_name, st_info and st_shndx are
 * struct symbol's name, bind/type and sec/shndx, recomputed on write.
 */
struct elf_sym {
	uint64_t st_value;
	uint64_t st_size;
};

/* Fields ordered for size (64 bytes): objects have many symbols. */
struct symbol {
	char *name;
	struct elf_sym sym;
	struct section *sec;	/* defining section, NULL if undefined/abs */

	/* Scratch space for tools; the ELF layer never touches these. */
	struct symbol *twin;
	void *priv;

	/* Private to the ELF layer: its entry in sym_by_name (hash_at()). */
	uint32_t name_id;

	uint32_t index;		/* ELF index; renumbered by elf_write() */
	uint16_t shndx;		/* special index (SHN_UNDEF/ABS/COMMON/LIVEPATCH)
				 * when sec is NULL */
	unsigned char bind;	/* STB_* */
	unsigned char type;	/* STT_* */
	unsigned char other;	/* st_other (visibility) */

	/* Scratch space for tools; bits, so that the symbol stays 64 bytes. */
	bool in_group : 1;	/* being paired with its name group */
	bool include : 1;
	bool removed : 1;	/* skipped by elf_write() */

	bool name_owned : 1;	/* private */
};
_Static_assert(sizeof(struct symbol) == 64, "struct symbol grew: see its comment");


struct elf_file {
	char *path;
	int fd;
	Elf *elf;		/* NULL until elf_libelf() is called */
	GElf_Ehdr ehdr;

	struct section **secs;	/* secs[i]->index == i after open/write */
	size_t nr_secs;
	size_t cap_secs;
	struct symbol **syms;	/* syms[i]->index == i after open/write */
	size_t nr_syms;
	size_t cap_syms;

	struct hashmap sec_by_name;
	struct hashmap sym_by_name;	/* duplicates allowed (locals) */

	struct section *symtab;
	struct section *strtab;
	struct section *shstrtab;
	struct section *symtab_shndx;

	/* Private to the ELF layer. */
	void *map;			/* the file, mapped private */
	size_t map_size;
	struct section *sec_block;	/* sections read from the file */
	size_t nr_sec_block;
	struct symbol *sym_block;	/* symbols read from the file */
	size_t nr_sym_block;
	unsigned long sym_gen;		/* bumped when symbols change */
	/* elf_symbol_containing(): FUNC/OBJECT symbols by section and value. */
	struct symbol **sorted_syms;
	uint32_t *sorted_first;		/* per section index: its run in them */
	unsigned long sorted_syms_gen;	/* sym_gen + 1 they were built for */
	size_t sorted_syms_nr_secs;	/* nr_secs they were built for */
	struct section **dead_secs;	/* removed by elf_write(), freed */
	size_t nr_dead_secs;		/* by elf_close() */
	struct symbol **dead_syms;
	size_t nr_dead_syms;
	size_t cap_dead_secs, cap_dead_syms;
	bool skipped_debug_relocs;	/* ELF_OPEN_NO_DEBUG_RELOCS */
	bool scan_symbols;		/* ELF_OPEN_SCAN_SYMBOLS */
	bool quiet;			/* elf_err() says nothing (probes) */
	/* File bytes parsed into the model, not yet given back (elf-read.c). */
	size_t dead_lo, dead_hi;
};

/* The symbol @r (a relocation of @elf) refers to. */
static inline struct symbol *elf_reloc_sym(const struct elf_file *elf,
					   const struct reloc *r)
{
	return elf->syms[r->sym_index];
}

/* Reading and lifetime. */
struct elf_file *elf_open(const char *path);
/*
 * ELF_OPEN_NO_DEBUG_RELOCS: leave the relocations of .rela.debug_*
 * sections unparsed (nr_relocs 0; they are most of a -g object's
 * relocations) for readers that never look at them.  Such a file cannot
 * be written back: elf_write() refuses it.
 */
#define ELF_OPEN_NO_DEBUG_RELOCS	1u
/*
 * ELF_OPEN_SCAN_SYMBOLS: for look-ups in a big symbol table (a vmlinux)
 * that want their own compact index, not the model's 64 bytes and hash
 * entry per symbol: the model gets the sections and only the null
 * symbol (no relocations, no groups: they name symbols; it cannot be
 * written); elf_scan_symbols() then decodes each symbol of the table.
 */
#define ELF_OPEN_SCAN_SYMBOLS		2u
struct elf_file *elf_open_flags(const char *path, unsigned int flags);
/*
 * @fn on symbols 1.. of the table in order, each checked as elf_open()
 * checks it and decoded into a temporary struct symbol (name and sec
 * point into the file and the model; index is its table index; nothing
 * else is set).  Stops at @fn's first nonzero return and returns it; -1
 * on a malformed symbol (said why).  Then gives the pages of the table
 * back, and those of its names for an ELF_OPEN_SCAN_SYMBOLS model (they
 * come back from the file when read).
 */
int elf_scan_symbols(struct elf_file *elf,
		     int (*fn)(void *arg, const struct symbol *sym), void *arg);
/*
 * Whether @path has a section with contents named one of @names (NULL
 * ends the list): 1 or 0, without reading it into a model; -1 (silently)
 * if it is not an ELF file we read.
 */
int elf_has_section(const char *path, const char *const *names);
struct elf_file *elf_create(const char *path);	/* empty ET_REL, arch_machine() */
void elf_close(struct elf_file *elf);
/*
 * A libelf handle on the file that was read (NULL for elf_create()d
 * objects); created on first use and kept in elf->elf.  Read-only: edits
 * go through the model.
 */
Elf *elf_libelf(struct elf_file *elf);

/*
 * Write atomically to @path (may equal elf->path). 0 on success.  ET_REL
 * only.  Sections and symbols with ->removed are dropped (and moved out of
 * secs[]/syms[] and the name maps; their memory lives until elf_close()),
 * as are RELA sections of removed sections, section symbols of removed
 * sections and groups left without members.  A relocation against a
 * removed symbol, a symbol defined in a removed section, or a kept section
 * linked to a removed one is an error: nothing is written then.  Group
 * sections are placed before their members.  sh_info of non-RELA,
 * non-GROUP, non-SYMTAB sections is written unchanged.
 */
int elf_write(struct elf_file *elf, const char *path);

/* Look-ups: O(1) average through the hash maps. */
struct section *elf_find_section(const struct elf_file *elf, const char *name);
struct section *elf_section_at(const struct elf_file *elf, size_t index);
struct symbol *elf_find_symbol(const struct elf_file *elf, const char *name);
struct symbol *elf_symbol_at(const struct elf_file *elf, size_t index);
/*
 * Iterate symbols sharing @name, in symbol table order: first, then next.
 * Section symbols are not indexed by name (they have none in the file;
 * their ->name is their section's name).  Removed symbols stay findable
 * until elf_write().
 */
struct symbol *elf_find_symbol_next(const struct elf_file *elf,
				    const struct symbol *prev);

/*
 * Relocation of @sec (a non-RELA section) covering [offset, offset+len):
 * the first one starting in the range, else one starting before @offset
 * whose field (reloc_width()) reaches into it.  Binary search over the
 * relocs of sec->rela sorted by offset (other RELA sections for the same
 * base, e.g. .klp.rela.*, are not searched).  NULL if none.
 */
struct reloc *elf_find_reloc(struct section *sec, uint64_t offset,
			     uint64_t len);
/*
 * The relocs of @sec (non-RELA) sorted by offset, ties in file order;
 * count in *nr.  That is sec->rela->relocs itself when they are in order
 * (as compilers and assemblers write them), else a sorted copy: read
 * them here, edit them in sec->rela->relocs.
 */
struct reloc *elf_sorted_relocs(struct section *sec, size_t *nr);
/*
 * Free every relocation of @elf, which is done with them (a read-only
 * input once compared): elf_sorted_relocs() and the look-ups built on it
 * die on its sections afterwards, and each SHT_RELA has nr_relocs 0.
 */
void elf_release_relocs(struct elf_file *elf);
/* Those of them starting inside [off, off+len), sorted; count in *nr. */
struct reloc *elf_range_relocs(struct section *sec, uint64_t off,
			       uint64_t len, size_t *nr);
/*
 * The sorted view notices added relocs by itself; call this after
 * changing reloc->offset in place or reordering sec->relocs.
 * Note: elf_add_reloc() may move sec->relocs (realloc), so pointers to
 * struct reloc of that section (and the sorted view) are only valid
 * until the next add.
 */
void elf_relocs_changed(struct section *rela);

/*
 * Symbol containing offset @off inside @sec (FUNC/OBJECT), or NULL.  @off
 * is relative to the section start (for ET_EXEC/ET_DYN too, where symbol
 * values are addresses).  Prefers FUNC, then the smallest symbol.  The
 * index is rebuilt lazily after elf_add_symbol(); call
 * elf_symbols_changed() after editing st_value/st_size/sec in place.
 */
struct symbol *elf_symbol_containing(const struct elf_file *elf,
				     struct section *sec, uint64_t off);
void elf_symbols_changed(struct elf_file *elf);
/* Number of symbols named @name (locals share names). */
size_t elf_count_symbols(const struct elf_file *elf, const char *name);

/* Editing.  New names are copied. */
struct section *elf_add_section(struct elf_file *elf, const char *name,
				uint32_t type, uint64_t flags, uint64_t align,
				uint64_t entsize, const void *data, size_t size);
/* Creates @sec's SHT_RELA section (".rela" + name) if missing. */
struct section *elf_rela_section(struct elf_file *elf, struct section *sec);
struct symbol *elf_add_symbol(struct elf_file *elf, const char *name,
			      unsigned char bind, unsigned char type,
			      struct section *sec, uint64_t value,
			      uint64_t size);
/*
 * @sec is the relocated section (its ".rela" section is created if
 * missing) or a SHT_RELA section itself.  STT_SECTION symbols added with
 * an empty or NULL name borrow their section's name.
 */
struct reloc *elf_add_reloc(struct elf_file *elf, struct section *sec,
			    uint64_t offset, uint32_t type,
			    struct symbol *sym, int64_t addend);
/* Aim @r, a relocation of @elf, at @sym, a symbol of @elf. */
void elf_reloc_set_sym(struct elf_file *elf, struct reloc *r,
		       struct symbol *sym);
/* Section symbol for @sec, created if missing. */
struct symbol *elf_section_symbol(struct elf_file *elf, struct section *sec);
void elf_rename_symbol(struct elf_file *elf, struct symbol *sym,
		       const char *name);
void elf_rename_section(struct elf_file *elf, struct section *sec,
			const char *name);
/* Replace section contents (copied). */
void elf_set_data(struct section *sec, const void *data, size_t size);
/*
 * Append @len bytes (zeros when @data is NULL) at the next multiple of
 * @align, growing the buffer geometrically: n appends cost O(total size).
 * Returns the offset they landed at.  Pointers into sec->data are only
 * valid until the next append.
 */
uint64_t elf_append_data(struct section *sec, const void *data, size_t len,
			 uint64_t align);

/* Helpers. */
bool is_text_section(const struct section *sec);	/* SHF_EXECINSTR */
bool is_rela_section(const struct section *sec);	/* SHT_RELA */
bool is_debug_section(const struct section *sec);	/* .debug_*, .rela.debug_* */
bool sym_is_undefined(const struct symbol *sym);
/* arch_reloc_width() and arch_reloc_name(), for the ELF layer's users. */
unsigned int reloc_width(uint32_t type);
const char *reloc_type_name(uint32_t type);

#endif
