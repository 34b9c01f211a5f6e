// SPDX-License-Identifier: GPL-2.0
/*
 * Special sections: arrays of fixed-size entries that describe code (bug
 * table, jump labels, alternatives, exception table ...).  Each is split
 * into entries; each entry belongs to the function its code field points
 * at, and follows it: compared with it, copied with it.
 *
 * Entry sizes, first found wins: sh_entsize, --entsize, the size of the
 * kernel struct in the DWARF of --symbols or --dwarf, the ABI (arrays of
 * s32 or pointers); each is checked against the relocation layout
 * (entsize.c), and a size that does not fit stops the tool naming both.
 * Without any, the layout gives the size.  Struct sizes differ between
 * kernel versions (the known ones are listed per section, with the
 * layouts, in lib/arch/<arch>/special.c); the fields the
 * tool reads are found from the layout: the key is the last relocated
 * field, the bug line follows the last one, the alternative's replacement
 * length sits where that version put it.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "dwarf.h"

const struct special_desc *special_desc(const char *name)
{
	return arch_special_desc(name);
}

/*
 * A section that could hold per-function entries the tool does not know:
 * not code, no named data in it, not one of the kernel's well-known data,
 * metadata or discarded sections.
 */
bool is_special_candidate(const struct section *sec)
{
	static const char *const known[] = {
		".data", ".rodata", ".bss", ".tbss", ".tdata", ".init.",
		".exit.", ".discard", ".debug", ".note", ".comment",
		".eh_frame", "___ksymtab", "__ksymtab", "__kcrctab",
		".initcall", ".con_initcall", ".modinfo", "__param",
		"__modver", ".klpgen.", ".gnu.",
		".rela", ".symtab", ".strtab", ".shstrtab", "__tracepoints",
		"_ftrace_events", "_ftrace_eval_map", "__bpf_raw_tp_map",
		".ref.data", ".meminit.", ".export_symbol", ".BTF",
		".llvm", ".group", "__kstrtab",
		KPATCH_SEC_PREFIX,	/* kpatch-macros.h annotations */
		"_error_injection_whitelist",	/* names the original function */
	};
	size_t i;

	if (is_text_section(sec) || sec->func || special_desc(sec->name) ||
	    arch_is_alt_repl_section(sec->name) ||
	    sec->sh.sh_type == SHT_GROUP || sec->sh.sh_type == SHT_SYMTAB ||
	    sec->sh.sh_type == SHT_STRTAB)
		return false;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (str_starts_with(sec->name, known[i]))
			return false;
	return true;
}

/* A size given by the object, the user, DWARF or the ABI; 0 if none. */
static size_t given_entsize(struct cdo *c, const struct special_desc *d,
			    struct section *sec, struct elf_file *elf,
			    const char **src)
{
	struct section *par;
	const char *file;
	size_t i, s;

	if (sec->sh.sh_entsize) {
		*src = "sh_entsize";
		return sec->sh.sh_entsize;
	}
	for (i = 0; i < c->nr_entsizes; i++)
		if (!strcmp(c->entsizes[i].sec, sec->name)) {
			*src = "--entsize";
			return c->entsizes[i].size;
		}
	switch (d->src) {
	case ES_S32:
		*src = "an array of s32";
		return 4;
	case ES_PTR:
		*src = "an array of pointers";
		return arch_ptr_size();
	case ES_DWARF:
		s = kernel_struct_size(c, d->struct_name, &file);
		if (s) {
			*src = cdo_own(c, xasprintf("struct %s in the DWARF of %s",
						    d->struct_name, file));
			return s;
		}
		break;
	}
	/* .orc_unwind is index-parallel to .orc_unwind_ip (s32) */
	if (d->parallel && d->owner_off == NO_OWNER_FIELD &&
	    (par = elf_find_section(elf, d->parallel)) &&
	    par->sh.sh_size >= 4 &&
	    !(sec->sh.sh_size % (par->sh.sh_size / 4))) {
		*src = d->parallel;
		return sec->sh.sh_size / (par->sh.sh_size / 4);
	}
	return 0;
}

static void no_entsize(struct cdo *c, const struct special_desc *d,
		       struct section *sec, struct elf_file *elf,
		       const char *layout)
{
	const char *why = NULL, *why2 = NULL;

	if (d->src == ES_DWARF) {
		why = dwarf_error(c->symbols_path);
		why2 = c->dwarf_path ? dwarf_error(c->dwarf_path) : NULL;
	}
	die_code(EXIT_BAD_INPUT,
		 "%s: entry size of %s unknown: no sh_entsize, no DWARF 'struct %s' in %s%s%s%s%s%s%s%s%s, and %s; pass --entsize %s=N",
		 elf->path, sec->name, d->struct_name ? d->struct_name : "?",
		 c->symbols_path, why ? " (" : "", why ? why : "",
		 why ? ")" : "", c->dwarf_path ? " or " : "",
		 c->dwarf_path ? c->dwarf_path : "", why2 ? " (" : "",
		 why2 ? why2 : "", why2 ? ")" : "", layout, sec->name);
}

/*
 * The entry size of @sec: a given one checked against the relocations, or
 * the one they show.  A given size that does not fit stops the tool with
 * both sizes: the DWARF or --entsize is of another kernel than the object.
 */
static size_t lookup_entsize(struct cdo *c, struct special *sp,
			     struct elf_file *elf)
{
	const struct special_desc *d = sp->desc;
	struct section *sec = sp->sec;
	const char *src = NULL, *bad;
	char why[200], buf[200];
	size_t given, layout;

	given = given_entsize(c, d, sec, elf, &src);
	if (given > 4096)
		die_code(EXIT_BAD_INPUT, "%s: %s: entry size %zu (%s) is not plausible",
			 elf->path, sec->name, given, src);
	layout = entsize_infer(elf, sec, sp->relocs, sp->nr_relocs, d->owner_off,
			       d->known, why, sizeof(why));
	if (given) {
		if (!sp->nr_relocs)
			return given;	/* .orc_unwind: nothing to check */
		bad = entsize_check(elf, sec, sp->relocs, sp->nr_relocs, given,
				    d->owner_off, buf, sizeof(buf));
		if (!bad)
			return given;
		if (layout)
			die_code(EXIT_BAD_INPUT,
				 "%s: %s: entry size %zu (%s) does not fit its relocations (%s); they show entries of %zu bytes",
				 elf->path, sec->name, given, src, bad, layout);
		die_code(EXIT_BAD_INPUT,
			 "%s: %s: entry size %zu (%s) does not fit its relocations (%s), and no other size does (%s)",
			 elf->path, sec->name, given, src, bad, why);
	}
	if (!layout)
		no_entsize(c, d, sec, elf, why);
	DEBUG("%s: %s: entry size %zu from the relocation layout",
	      elf->path, sec->name, layout);
	return layout;
}

/* Where this kernel version keeps the fields the tool reads. */
static void find_fields(struct elf_file *elf, struct special *sp)
{
	const struct special_desc *d = sp->desc;
	size_t k = sp->nr ? sp->first_reloc[1] : 0;

	sp->key_off = sp->line_off = sp->replen_off = NO_FIELD;
	if (d->has_key && k)
		sp->key_off = (int)sp->relocs[k - 1].offset;
	/* bug_entry: addr, file (, format); line follows the last pointer */
	if (d->has_line && k >= 2) {
		struct reloc *r = &sp->relocs[k - 1];
		unsigned int w = reloc_width(r->type);

		if (r->offset + (w ? w : 4) + 2 <= sp->entsize)
			sp->line_off = (int)(r->offset + (w ? w : 4));
	}
	if (d->altinstr) {
		sp->replen_off = arch_alt_replen_off(sp->entsize);
		if (sp->replen_off < 0)
			die_code(EXIT_BAD_INPUT,
				 "%s: %s: entries of %zu bytes: not a struct %s the tool knows (%s), so its replacement length is unknown",
				 elf->path, sp->sec->name, sp->entsize,
				 d->struct_name, arch_alt_sizes());
		if (special_entry_len(sp, sp->nr - 1) <= (size_t)sp->replen_off)
			die_code(EXIT_BAD_INPUT,
				 "%s: %s: the last entry (%zu bytes) has no replacement length",
				 elf->path, sp->sec->name,
				 special_entry_len(sp, sp->nr - 1));
	}
}

static struct func *owner_at(struct elf_file *elf, struct section *sec,
			     uint64_t off)
{
	struct reloc *r = elf_find_reloc(sec, off, 4);
	struct target t;

	if (!r || r->offset != off)
		return NULL;
	reloc_target(elf, sec, r, &t);
	if (t.kind != T_SYM)
		return NULL;
	return func_of(t.sym);
}

/*
 * Every function's entries, in one array: parse_one() counted them in
 * entries.nr; each function gets its slice, filled in the order of the
 * specials and of their entries.
 */
static void own_entries(struct cdo *c)
{
	size_t total = 0, i, j;

	for (i = 0; i < c->nr_funcs; i++)
		total += c->funcs[i].entries.nr;
	if (total > UINT32_MAX)
		die_code(EXIT_BAD_INPUT, "%s, %s: %zu special-section entries, more than the tool indexes",
			 c->orig->path, c->patched->path, total);
	c->entry_refs = xcalloc(total + 1, sizeof(*c->entry_refs));
	for (i = 0, total = 0; i < c->nr_funcs; i++) {
		c->funcs[i].entries.first = total;
		total += c->funcs[i].entries.nr;
		c->funcs[i].entries.nr = 0;
	}
	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];

		if (sp->desc->owner_off == NO_OWNER_FIELD)
			continue;	/* owners taken from the parallel */
		for (j = 0; j < sp->nr; j++) {
			struct func *f = entry_owner(c, sp, j);
			struct entry_ref *e;

			if (!f)
				continue;
			e = func_entry(c, f, f->entries.nr++);
			e->spi = i;
			e->idx = j;
		}
	}
}

static void parse_one(struct cdo *c, struct elf_file *elf,
		      struct special *sp)
{
	struct section *sec = sp->sec;
	size_t i, r = 0;

	sp->relocs = sec->rela ? elf_sorted_relocs(sec, &sp->nr_relocs) : NULL;
	if (!sp->relocs)
		sp->nr_relocs = 0;
	sp->entsize = lookup_entsize(c, sp, elf);
	/* the last entry may lack its tail padding, never more */
	sp->nr = (sec->sh.sh_size + sp->entsize - 1) / sp->entsize;
	sp->owner = xmalloc((sp->nr + 1) * sizeof(*sp->owner));
	for (i = 0; i <= sp->nr; i++)
		sp->owner[i] = NO_FUNC;
	sp->first_reloc = xcalloc(sp->nr + 1, sizeof(*sp->first_reloc));
	sp->include = xcalloc(sp->nr + 1, sizeof(*sp->include));
	for (i = 0; i <= sp->nr; i++) {
		while (r < sp->nr_relocs &&
		       sp->relocs[r].offset < i * sp->entsize)
			r++;
		sp->first_reloc[i] = r;
	}
	find_fields(elf, sp);
	if (sp->desc->owner_off == NO_OWNER_FIELD)
		return;		/* filled from the parallel section */
	for (i = 0; i < sp->nr; i++) {
		struct func *f = owner_at(elf, sec,
					  i * sp->entsize + sp->desc->owner_off);

		sp->owner[i] = func_index(c, f);
		if (!f)
			continue;
		if (f->entries.nr == UINT32_MAX)
			die_code(EXIT_BAD_INPUT, "%s: %s owns more special-section entries than the tool indexes",
				 elf->path, f->sym->name);
		f->entries.nr++;	/* own_entries() */
	}
}

size_t special_entry_len(const struct special *sp, size_t idx)
{
	size_t off = idx * sp->entsize;

	if (off >= sp->sec->sh.sh_size)
		return 0;
	return sp->sec->sh.sh_size - off < sp->entsize ?
	       sp->sec->sh.sh_size - off : sp->entsize;
}

void special_entry_relocs(struct special *sp, size_t idx,
			  struct reloc **first, size_t *nr)
{
	*nr = sp->first_reloc[idx + 1] - sp->first_reloc[idx];
	/* No relocations: no pointer arithmetic on NULL either. */
	*first = *nr ? sp->relocs + sp->first_reloc[idx] : NULL;
}

/* Replacement bytes of .altinstructions entry @idx: section, offset, len. */
static bool alt_repl(struct special *sp, size_t idx, struct section **sec,
		     uint64_t *off, uint64_t *len)
{
	uint64_t eoff = idx * sp->entsize;
	struct reloc *r = elf_find_reloc(sp->sec, eoff + PIECE_FIELD, 4);
	struct symbol *to = r ? elf_reloc_sym(sp->elf, r) : NULL;

	if (!r || r->offset != eoff + PIECE_FIELD || to->type != STT_SECTION ||
	    !to->sec || r->addend < 0)
		return false;
	*sec = to->sec;
	*off = r->addend;
	if (sp->replen_off == NO_FIELD ||
	    special_entry_len(sp, idx) <= (size_t)sp->replen_off)
		return false;
	*len = ((unsigned char *)sp->sec->data)[eoff + sp->replen_off];
	return *off + *len <= (*sec)->sh.sh_size && (*sec)->data;
}

bool special_piece(struct special *sp, size_t idx, struct section **sec,
		   uint64_t *off, uint64_t *len)
{
	return sp->desc->altinstr && alt_repl(sp, idx, sec, off, len);
}

/*
 * The special of  among c->specials[first..]: those of one file, in
 * section index order, so a binary search (no per-section pointer).
 */
static struct special *special_of(struct cdo *c, size_t first,
				  const struct section *sec)
{
	size_t lo = first, hi = c->nr_specials;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct special *sp = &c->specials[mid];

		if (sp->sec == sec)
			return sp;
		if (sp->sec->index < sec->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void special_parse(struct cdo *c)
{
	struct elf_file *files[2] = { c->orig, c->patched };
	size_t n = 0, i, k, j;

	for (k = 0; k < 2; k++)
		for (i = 0; i < files[k]->nr_secs; i++)
			if (special_desc(files[k]->secs[i]->name) &&
			    files[k]->secs[i]->sh.sh_size)
				n++;
	c->specials = xcalloc(n + 1, sizeof(*c->specials));
	for (k = 0; k < 2; k++) {
		struct elf_file *elf = files[k];
		size_t first = c->nr_specials;

		for (i = 0; i < elf->nr_secs; i++) {
			struct section *sec = elf->secs[i];
			struct special *sp;

			if (!special_desc(sec->name) || !sec->sh.sh_size)
				continue;
			if (sec->sh.sh_type == SHT_NOBITS)
				die_code(EXIT_BAD_INPUT, "%s: %s has no contents",
					 elf->path, sec->name);
			sp = &c->specials[c->nr_specials++];
			sp->desc = special_desc(sec->name);
			sp->sec = sec;
			sp->elf = elf;
			sp->is_patched = k == 1;
			parse_one(c, elf, sp);
		}
		/* index-parallel pairs (.orc_unwind_ip / .orc_unwind) */
		for (i = first; i < c->nr_specials; i++) {
			struct special *sp = &c->specials[i];
			struct section *ps;

			if (!sp->desc->parallel)
				continue;
			ps = elf_find_section(elf, sp->desc->parallel);
			sp->parallel = ps ? special_of(c, first, ps) : NULL;
			if (!sp->parallel)
				continue;
			if (sp->parallel->nr != sp->nr)
				die_code(EXIT_BAD_INPUT,
					 "%s: %s has %zu entries but %s has %zu",
					 elf->path, sp->sec->name, sp->nr,
					 ps->name, sp->parallel->nr);
			if (sp->desc->owner_off == NO_OWNER_FIELD)
				for (j = 0; j < sp->nr; j++)
					sp->owner[j] = sp->parallel->owner[j];
		}
	}
	own_entries(c);
}

/* Mark the entries of included functions; refuse unknown special sections. */
void special_include_entries(struct cdo *c)
{
	struct elf_file *p = c->patched;
	size_t i, j;

	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];

		if (!sp->is_patched)
			continue;
		sp->nr_included = 0;
		for (j = 0; j < sp->nr; j++) {
			struct func *f = entry_owner(c, sp, j);

			sp->include[j] = f && f->is_patched &&
				(f->sym->sec->include || f->sym->include);
			sp->nr_included += sp->include[j];
		}
	}
	/* sections with relocations into included code the tool cannot split */
	for (i = 0; i < p->nr_secs; i++) {
		struct section *rs = p->secs[i];

		if (!is_rela_section(rs) || !rs->base ||
		    !is_special_candidate(rs->base) ||
		    kpatch_section_ignored(c, rs->base))
			continue;
		for (j = 0; j < rs->nr_relocs; j++) {
			struct target t;
			struct func *f;

			reloc_target(p, rs->base, &rs->relocs[j], &t);
			f = t.kind == T_SYM ? func_of(t.sym) : NULL;
			if (f && f->is_patched &&
			    (f->sym->sec->include || f->sym->include)) {
				refuse(c, "unknown special section %s holds an entry (at +0x%llx) of included function %s",
				       rs->base->name,
				       (unsigned long long)rs->relocs[j].offset,
				       f->sym->name);
				break;
			}
		}
	}
}
