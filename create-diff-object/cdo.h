/* SPDX-License-Identifier: GPL-2.0 */
/*
 * create-diff-object: shared state of the phases.
 *
 *   correlate.c  twins between ORIG and PATCHED (sections, symbols)
 *   statics.c    numbered static locals paired by content
 *   target.c     symbolic identity of a relocation target
 *   special.c    the special-section table and per-entry ownership
 *   entsize.c    entry sizes from the relocation layout
 *   pieces.c     out-of-line code (.fixup, .altinstr_aux), per piece
 *   compare.c    per-function verdicts
 *   line.c       __LINE__ immediates in code that only moved
 *   fentry.c     ftrace sites: which functions livepatch can redirect
 *   refuse.c     unsafe changes (data, __init, exports)
 *   include.c    what the diff object holds (closure over relocations)
 *   reference.c  names of references to original symbols (.klp.sym.*)
 *   output.c     the ET_REL output
 *   explain.c    --explain JSON
 *   kernel.c     the running kernel: symbol table, Module.symvers, DWARF
 *   kpatch.c     kpatch-macros.h annotations (.kpatch.* sections)
 *   crc.c        export CRCs (MODVERSIONS) the patch changes
 *
 * Every phase is one pass over sections, symbols or relocations, but for
 * pieces.c, which makes one pass over all relocations per out-of-line
 * section (.fixup, .altinstr_aux: a few per object) and caches it.  The
 * relocations of a part of a section (a function, a special-section
 * entry, an alternative's replacement) come from the per-section index
 * sorted by offset (elf_range_relocs()), never from another scan of the
 * section; names are hash look-ups; output sections grow in place
 * (elf_append_data()).  So the time is O(n log n) in the size of the
 * inputs (tests/bench/cdo.bench measures it up to 64,000 functions).
 *
 * Memory is linear too, and most of it is the two ELF models (lib/elf.h:
 * 144 bytes a section, 64 a symbol, 16 a relocation, 24 a name-map
 * entry and 4 a bucket, none for a .rela section named after its base;
 * the sorted view of relocations is the array itself); then 48 bytes per
 * function (struct func), 8 per special entry it owns and 9 per special
 * entry (owner, first relocation, included?), and the --symbols table at
 * 5 bytes a symbol (lib/symsource.h).  ORIG's relocations are freed
 * before the output is built (elf_release_relocs()), so the output adds
 * nothing to the peak.  The bench measures 1.75x the inputs on 64,000
 * functions with an alternative, a jump label and an fentry call each
 * (1.92x on 16,000), 2.48x on 16,000 small functions with a static, a
 * string and a WARN each (no debug information and five sections a
 * function: the two models alone are about twice those files), and
 * 1.66x on the lab's kernel/sched/core.o.
 */
#ifndef KLPGEN_CDO_H
#define KLPGEN_CDO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf.h"
#include "hash.h"
#include "symsource.h"
#include "util.h"

/* --debug --debug: one line per correlated symbol */
#define DEBUG2(...) do { if (debug_level > 1) warnx_(__VA_ARGS__); } while (0)

enum verdict {
	V_NONE = 0,
	V_UNCHANGED,
	V_CHANGED,
	V_NEW,
	V_IGNORED_LINE,
	V_REFUSED,
	V_CLONE,		/* clone of a changed function */
	V_IGNORED,		/* KPATCH_IGNORE_FUNCTION/SECTION: not compared */
};

const char *verdict_name(enum verdict v);

/* One (special section, entry) owned by a function: 8 bytes. */
struct entry_ref {
	uint32_t spi;		/* index in cdo->specials: entry_special() */
	uint32_t idx;		/* owned through a relocation: offsets are
				 * 32-bit (lib/elf.h), so are indexes */
};

/* A slice of cdo->entry_refs: func_entry().  32-bit like entry_ref. */
struct entry_list {
	uint32_t first;		/* index of the first one in cdo->entry_refs */
	uint32_t nr;
};

/* No function: struct func.parent, struct special.owner[]. */
#define NO_FUNC		UINT32_MAX

/* One function (FUNC symbol in a text section) of PATCHED or ORIG. */
struct func {
	struct symbol *sym;
	struct func *twin;
	char *reason;
	char *note;		/* extra explanation (e.g. changed clone) */
	uint32_t parent;	/* clones: the function they were cut from, as
				 * an index in cdo->funcs or NO_FUNC:
				 * func_parent() */
	struct entry_list entries;	/* special-section entries it owns */
	uint8_t verdict;	/* enum verdict, in a byte */
	bool is_patched;	/* belongs to PATCHED */
	bool is_cold;
};

/*
 * Objects have hundreds of thousands of functions (a vmlinux.o, once as
 * ORIG and once as PATCHED), so struct func stays within 48 bytes:
 * indexes, not pointers, where one is rare (parent) or a slice (entries).
 */
_Static_assert(sizeof(struct func) <= 48, "struct func grew past 48 bytes");

/* Special sections are described by lib/arch.h: struct special_desc. */

/* A field a special section's entries do not have (struct special). */
#define NO_FIELD	(-1)

/* A special section of one file, split into entries. */
struct special {
	const struct special_desc *desc;
	struct section *sec;
	struct elf_file *elf;		/* the file of sec: ORIG or PATCHED */
	bool is_patched;
	struct special *parallel;	/* e.g. .orc_unwind for .orc_unwind_ip */
	size_t entsize;			/* stride; the last entry may be shorter */
	size_t nr;
	/* Offsets of fields in an entry, or NO_FIELD. */
	int key_off;			/* has_key: the key */
	int line_off;			/* has_line: u16 line (__bug_table) */
	int replen_off;			/* .altinstructions: u8 replacement length */
	uint32_t *owner;		/* per entry: the owning function, as an
					 * index in cdo->funcs or NO_FUNC:
					 * entry_owner() */
	struct reloc *relocs;		/* sorted relocs of sec */
	size_t nr_relocs;
	uint32_t *first_reloc;		/* per entry: index into relocs (<= a
					 * section's 32-bit nr_relocs) */
	bool *include;			/* per entry: copied to OUT */
	size_t nr_included;		/* how many include[] are set */
};

struct refusal {
	char *msg;
};

struct entsize_opt {
	char *sec;
	size_t size;
};

struct cdo {
	/* options */
	const char *objname;
	const char *symbols_path;
	const char *dwarf_path;		/* --dwarf: struct sizes (vmlinux) */
	const char *symvers_path;
	const char *explain_path;
	const char *crcs_path;		/* --crcs */
	const char *patch_symbols_path;	/* --patch-symbols */
	const char *orig_path, *patched_path, *out_path;
	struct entsize_opt *entsizes;
	size_t nr_entsizes;
	bool is_vmlinux;

	struct elf_file *orig, *patched, *out;

	/* functions: ORIG ones first, then PATCHED ones */
	struct func *funcs;		/* at most NO_FUNC of them */
	size_t nr_funcs;

	struct special *specials;	/* ORIG and PATCHED specials */
	size_t nr_specials;
	struct entry_ref *entry_refs;	/* all funcs' entries (special.c) */

	struct refusal *refusals;
	size_t nr_refusals, cap_refusals;
	struct hashmap refusal_set;	/* message -> refusal: no duplicates */
	struct hashmap private_memo;	/* target.c, pieces.c: pairs compared */
	struct hashmap piece_starts;	/* pieces.c: section -> piece starts */
	struct hashmap patch_syms;	/* --patch-symbols names */

	/* include phase results */
	size_t nr_changed, nr_new;
	bool has_klpgen;

	/* kernel.c, crc.c private */
	void *kernel;
	void *crcs;
	void *statics_users[2];	/* statics.c: ORIG, PATCHED */
	/* kpatch.c private */
	void *kpatch;

	/* strings to free at exit */
	char **owned;
	size_t nr_owned, cap_owned;
};

static inline struct special *entry_special(const struct cdo *c,
					    const struct entry_ref *e)
{
	return &c->specials[e->spi];
}

/* The function with index @i in c->funcs; NULL for NO_FUNC. */
static inline struct func *func_at(const struct cdo *c, uint32_t i)
{
	return i == NO_FUNC ? NULL : &c->funcs[i];
}

/* Index of @f in c->funcs; NO_FUNC for NULL. */
static inline uint32_t func_index(const struct cdo *c, const struct func *f)
{
	return f ? (uint32_t)(f - c->funcs) : NO_FUNC;
}

static inline struct func *func_parent(const struct cdo *c,
				       const struct func *f)
{
	return func_at(c, f->parent);
}

/* Entry @i (< f->entries.nr) of those @f owns. */
static inline struct entry_ref *func_entry(const struct cdo *c,
					   const struct func *f, size_t i)
{
	return &c->entry_refs[f->entries.first + i];
}

/* The function owning entry @idx of @sp, or NULL. */
static inline struct func *entry_owner(const struct cdo *c,
				       const struct special *sp, size_t idx)
{
	return func_at(c, sp->owner[idx]);
}

/* main.c */
char *cdo_own(struct cdo *c, char *s);
void refuse(struct cdo *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* correlate.c */
void correlate(struct cdo *c);
void correlate_pair(struct symbol *o, struct symbol *p);
/* @name with its numbers (".12", __UNIQUE_ID counters) as "#"; has any? */
void norm_name(struct strbuf *sb, const char *name);
bool has_number(const char *name);

/* statics.c: pass 0..3 over one group of numbered statics (see there) */
#define STATICS_PASSES	4
void pair_by_content(struct cdo *c, struct symbol **o, size_t no,
		     struct symbol **p, size_t np, int pass);
void statics_free(struct cdo *c);
const char *clone_suffix(const char *name);	/* ".cold", ".part.0" ... */
char *clone_parent_name(const char *name);	/* malloc'd; NULL if no clone */

/* funcs: struct func of a FUNC symbol (sym->priv) */
static inline struct func *func_of(const struct symbol *sym)
{
	return sym ? (struct func *)sym->priv : NULL;
}
bool is_func_sym(const struct symbol *sym);
void collect_funcs(struct cdo *c);

/* target.c: what a relocation points at, independent of layout */
enum target_kind {
	T_SYM,		/* sym + off */
	T_STR,		/* content of a mergeable string/constant section */
	T_SEC,		/* anonymous section + off */
};

struct target {
	enum target_kind kind;
	struct symbol *sym;	/* T_SYM */
	struct section *sec;	/* T_SEC, T_STR */
	int64_t off;		/* T_SYM/T_SEC: offset from sym/sec */
	const char *str;	/* T_STR */
	size_t len;
	int64_t bias;		/* addend minus the target address (-4 ...) */
};

/* @base: the section @r relocates (its position is r->offset there). */
void reloc_target(const struct elf_file *elf, const struct section *base,
		  const struct reloc *r, struct target *t);
bool targets_equal(struct cdo *c, const struct target *o,
		   const struct target *p);
char *target_desc(const struct target *t);	/* malloc'd */
bool is_mergeable(const struct section *sec);
/* Function or object symbol containing @off of @sec, or NULL. */
struct symbol *sym_at(const struct elf_file *elf, struct section *sec,
		      int64_t off);

/* compare.c */
void compare_funcs(struct cdo *c);
/* Compare byte ranges with relocations symbolically; NULL if equal, else
 * a malloc'd reason and *diff_at, the offset in the range where they
 * first differ. */
char *compare_range(struct cdo *c, struct section *os, uint64_t ooff,
		    struct section *ps, uint64_t poff, uint64_t len,
		    uint64_t *diff_at);
/* The same, bytes [@ign_lo, @ign_hi) of the range ignored. */
char *compare_range_ign(struct cdo *c, struct section *os, uint64_t ooff,
			struct section *ps, uint64_t poff, uint64_t len,
			uint64_t ign_lo, uint64_t ign_hi, uint64_t *diff_at);

/* line.c: __LINE__ immediates; mask of bytes to ignore, or NULL */
unsigned char *line_immediates(struct cdo *c, const struct symbol *o,
			       const struct symbol *p, const unsigned char *rmask,
			       char **what);
/* A string that embeds the __LINE__ of the code referring to it at @oat of
 * @os (ORIG) and @pat of @ps (PATCHED), and differs only there. */
bool line_string(struct cdo *c, const struct section *os, uint64_t oat,
		 const struct target *to, const struct section *ps,
		 uint64_t pat, const struct target *tp);

/* pieces.c: anonymous out-of-line code, compared per piece */
bool is_piece_section(const struct section *s);
/*
 * Whether PATCHED's relocation @r of @base, aimed at @t, points into a
 * piece: true with *start, where the piece starts.  Dies (bad input) when
 * that is past the end of the section.
 */
bool pieces_target(struct cdo *c, const struct section *base,
		   const struct reloc *r, const struct target *t,
		   uint64_t *start);
bool pieces_equal(struct cdo *c, const struct target *o,
		  const struct target *p);
void pieces_free(struct cdo *c);
/* Length of the piece of PATCHED's @s at @off. */
uint64_t pieces_len(struct cdo *c, struct section *s, uint64_t off);
/* Once per piece of PATCHED: @fn on each of its relocations. */
void pieces_visit(struct cdo *c, struct section *s, uint64_t off,
		  void (*fn)(void *arg, const struct section *base,
			     struct reloc *r),
		  void *arg);
/* The same for the relocations alone (where they are, what they target). */
char *compare_targets(struct cdo *c, struct section *os, uint64_t ooff,
		      struct section *ps, uint64_t poff, uint64_t len,
		      uint64_t *diff_at);

/* special.c */
const struct special_desc *special_desc(const char *name);
bool is_special_candidate(const struct section *sec);
void special_parse(struct cdo *c);
/* Bytes of entry @idx: entsize, or less for a last entry without tail pad. */
size_t special_entry_len(const struct special *sp, size_t idx);
void special_entry_relocs(struct special *sp, size_t idx,
			  struct reloc **first, size_t *nr);
void special_include_entries(struct cdo *c);
/*
 * Out-of-line code of entry @idx, which its field at +4 points at and which
 * follows the entry: an alternative's replacement (other out-of-line code,
 * .fixup and .altinstr_aux, is cut per piece by pieces.c).
 */
bool special_piece(struct special *sp, size_t idx, struct section **sec,
		   uint64_t *off, uint64_t *len);
#define PIECE_FIELD	arch_alt_repl_field()


/* entsize.c */
const char *entsize_check(const struct elf_file *elf,
			  const struct section *sec, struct reloc *rv,
			  size_t nr, size_t s, unsigned int owner_off,
			  char *buf, size_t len);
size_t entsize_infer(const struct elf_file *elf,
		     const struct section *sec, struct reloc *rv, size_t nr,
		     unsigned int owner_off, const unsigned int *known,
		     char *why, size_t len);

/* fentry.c: ftrace sites (livepatch redirects through them) */
enum fentry_kind {
	FENTRY_NONE,		/* not built for ftrace, nor the kernel */
	FENTRY_NOTRACE,		/* a notrace object of an ftrace kernel */
	FENTRY_TABLE,		/* __mcount_loc or __patchable_function_entries */
	FENTRY_CALL,		/* calls __fentry__, table made later (vmlinux.o) */
};
bool is_fentry_table(const struct special *sp);
enum fentry_kind fentry_kind(struct cdo *c);
/* @f has an ftrace site at its start; true for FENTRY_NONE. */
bool func_is_traced(struct cdo *c, enum fentry_kind kind, const struct func *f);

/* refuse.c */
void refuse_unsafe(struct cdo *c);

/* include.c */
void include_all(struct cdo *c);
bool sec_is_init(const struct section *sec);

/* reference.c */
/* malloc'd name of the undefined symbol for @psym; NULL after refuse() */
char *reference_name(struct cdo *c, struct symbol *psym, bool *is_klp);
void check_hazards(struct cdo *c);

/* output.c */
int write_output(struct cdo *c);

/* explain.c */
int write_explain(struct cdo *c);

/* crc.c: export CRCs the patch changes */
/* A plain (exported) reference from relocation @r of PATCHED's @base. */
void crc_check_reference(struct cdo *c, const char *name,
			 struct section *base, const struct reloc *r);
void crc_check_exports(struct cdo *c);	/* changed exported functions */
void crc_close(struct cdo *c);

/*
 * kpatch.c: the .kpatch.* sections of kpatch-macros.h (see the file).
 * kpatch_read() runs after correlate(); kpatch_forgive() is asked by
 * refuse(); forcing ends before check_hazards().
 */
#define KPATCH_SEC_PREFIX	".kpatch."
void kpatch_read(struct cdo *c);
bool kpatch_section_ignored(struct cdo *c, const struct section *sec);
bool kpatch_forgive(struct cdo *c, const char *msg);
void kpatch_end_forcing(struct cdo *c);
void kpatch_free(struct cdo *c);

/* kernel.c */
int kernel_open(struct cdo *c);
void kernel_close(struct cdo *c);
/* Exported per Module.symvers; *module gets the exporter ("vmlinux" ...). */
bool kernel_exported(struct cdo *c, const char *name, const char **module);
bool kernel_has_symvers(struct cdo *c);
/* CRC of @name in --symvers (the running kernel); false if not there. */
bool kernel_symvers_crc(struct cdo *c, const char *name, uint32_t *crc);
/* Symbol defined in the --symbols file? */
bool kernel_defines(struct cdo *c, const char *name);
bool kernel_symbols_is_vmlinux(struct cdo *c);
/*
 * kallsyms position of an original symbol; SYMPOS_NONE if not found,
 * SYMPOS_AMBIGUOUS for a global that is not unique (lib/symsource.h).
 */
long kernel_sympos(struct cdo *c, struct symbol *osym);
/* Size of struct @name from the DWARF of --symbols, else of --dwarf; 0 if
 * unknown.  *from: the file that had it. */
size_t kernel_struct_size(struct cdo *c, const char *name, const char **from);

#endif
