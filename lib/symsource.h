/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbol positions as the kernel's livepatch counts them
 * (klp_find_object_symbol): a name unique in the object has sympos 0;
 * otherwise sympos is the 1-based rank among the same-named symbols in
 * kallsyms order.  For vmlinux that is address order (scripts/kallsyms
 * sorts by address); for a module it is the module's symbol table order.
 * Only symbols kallsyms lists count: FUNC, OBJECT and NOTYPE defined in
 * SHF_ALLOC sections; of a module, not those of its .init sections, which
 * its kallsyms drops once the module has initialized (a livepatch for a
 * loaded module resolves its klp symbols then).  create-diff-object's
 * positions and klp-convert's checks both count this way.
 *
 * A static symbol is found through the block of local symbols that
 * follows the STT_FILE symbol of its source file; several files can share
 * a basename, so symsource_match_file() picks the block whose local
 * FUNC/OBJECT names best match those of the original object.
 */
#ifndef KLPGEN_SYMSOURCE_H
#define KLPGEN_SYMSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf.h"

/* Locals after one STT_FILE symbol: symbol indexes [first, end). */
struct symsource_file {
	const char *name;	/* the STT_FILE name; "" for a whole file */
	size_t first, end;
};

/* One symbol as the rules read it (symsource.c). */
struct ss_sym {
	const char *name;
	uint64_t value;		/* st_value */
	unsigned char bind, type;
	bool listed;		/* symsource_listed() */
};

struct symsource {
	struct elf_file *elf;
	bool is_vmlinux;
	bool owns_elf;		/* opened by symsource_open() */
	struct symsource_file *files;
	size_t nr_files;
	struct symsource_file whole;	/* every symbol: no STT_FILE blocks */
	/*
	 * symsource_open(): a vmlinux has hundreds of thousands of
	 * symbols, so elf holds only the sections (ELF_OPEN_SCAN_SYMBOLS)
	 * and the table is indexed here, 5 bytes a symbol; names and
	 * values are read from the file when asked.  NULL for
	 * symsource_of(), which reads the model.
	 */
	uint32_t *next;		/* per symbol: next index in its bucket */
	unsigned char *listed;	/* per symbol: symsource_listed() */
	size_t nr_tab;
	uint32_t *buckets;	/* by hash_str() of the name: first index */
	size_t nbuckets;
	size_t cap_files;
};

#define SYMPOS_NONE		(-1)	/* no such symbol */
#define SYMPOS_AMBIGUOUS	(-2)	/* several, and none chosen */

/* @is_vmlinux: rank same-named symbols by address, not table order. */
struct symsource *symsource_open(const char *path, bool is_vmlinux);
/* The same over a file already open; @elf must outlive it. */
struct symsource *symsource_of(struct elf_file *elf, bool is_vmlinux);
void symsource_close(struct symsource *ss);

/*
 * A global (non-local) symbol: 0 if the name is unique among listed
 * symbols, SYMPOS_AMBIGUOUS if not, SYMPOS_NONE if absent.
 */
long symsource_global_pos(const struct symsource *ss, const char *name);

/*
 * The block of @obj's locals in the target: matched by the basename of
 * @obj's STT_FILE symbol (or its path, foo.o -> foo.c) and the best
 * overlap of local FUNC/OBJECT names.  When the target has no STT_FILE
 * symbols or is @obj itself, the whole target is one block.  NULL if no
 * block matches.
 */
const struct symsource_file *symsource_match_file(const struct symsource *ss,
						  const struct elf_file *obj);

/*
 * The sympos of local @name in @file: 0 if the name is unique in the whole
 * target, else its kallsyms rank; SYMPOS_NONE if @file has no such local.
 */
long symsource_local_pos(const struct symsource *ss,
			 const struct symsource_file *file, const char *name);

/* The sympos of a symbol of the target itself. */
long symsource_pos(const struct symsource *ss, const struct symbol *sym);

/* Whether kallsyms would list @sym (the rule above). */
bool symsource_listed(const struct symsource *ss, const struct symbol *sym);
/* The number of listed symbols named @name: the sympos range. */
long symsource_count(const struct symsource *ss, const char *name);

#endif
