// SPDX-License-Identifier: GPL-2.0
/*
 * Special sections: arrays of fixed-size entries that describe code (bug
 * table, jump labels, alternatives, exception table ...).  Each is split
 * into entries; each entry belongs to the function its code field points
 * at, and follows it: compared with it, copied with it.
 *
 * Entry sizes: sh_entsize if set, else the size of the kernel struct from
 * the DWARF of --symbols, else the ABI (arrays of s32 or pointers), else
 * --entsize, else an error naming what is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "dwarf.h"

#define NO_OWNER_FIELD	(~0u)

static const struct special_desc descs[] = {
	{ "__bug_table", ES_DWARF, "bug_entry", 0, -1, NULL, true, false },
	{ "__jump_table", ES_DWARF, "jump_entry", 0, 8, NULL, true, false },
	{ ".altinstructions", ES_DWARF, "alt_instr", 0, -1, NULL, true, true },
	{ "__ex_table", ES_DWARF, "exception_table_entry", 0, -1, NULL,
	  true, false },
	{ ".static_call_sites", ES_DWARF, "static_call_site", 0, 4, NULL,
	  true, false },
	{ ".parainstructions", ES_DWARF, "paravirt_patch_site", 0, -1, NULL,
	  true, false },
	{ "__mcount_loc", ES_PTR, NULL, 0, -1, NULL, false, false },
	{ "__patchable_function_entries", ES_PTR, NULL, 0, -1, NULL,
	  false, false },
	{ ".orc_unwind_ip", ES_S32, NULL, 0, -1, ".orc_unwind", false, false },
	{ ".orc_unwind", ES_DWARF, "orc_entry", NO_OWNER_FIELD, -1,
	  ".orc_unwind_ip", false, false },
	{ ".smp_locks", ES_S32, NULL, 0, -1, NULL, false, false },
	{ ".retpoline_sites", ES_S32, NULL, 0, -1, NULL, false, false },
	{ ".return_sites", ES_S32, NULL, 0, -1, NULL, false, false },
	{ ".call_sites", ES_S32, NULL, 0, -1, NULL, false, false },
	{ ".ibt_endbr_seal", ES_S32, NULL, 0, -1, NULL, false, false },
};

const struct special_desc *special_desc(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
		if (!strcmp(descs[i].name, name))
			return &descs[i];
	return NULL;
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
		"__modver", ".klpgen.", ".gnu.", ".altinstr_replacement",
		".rela", ".symtab", ".strtab", ".shstrtab", "__tracepoints",
		"_ftrace_events", "_ftrace_eval_map", "__bpf_raw_tp_map",
		".ref.data", ".meminit.", ".export_symbol", ".BTF",
		".llvm", ".group", "__kstrtab",
		KPATCH_SEC_PREFIX,	/* kpatch-macros.h annotations */
		"_error_injection_whitelist",	/* names the original function */
	};
	size_t i;

	if (is_text_section(sec) || sec->func || special_desc(sec->name) ||
	    sec->sh.sh_type == SHT_GROUP || sec->sh.sh_type == SHT_SYMTAB ||
	    sec->sh.sh_type == SHT_STRTAB)
		return false;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (str_starts_with(sec->name, known[i]))
			return false;
	return true;
}

static size_t lookup_entsize(struct cdo *c, const struct special_desc *d,
			     struct section *sec, struct elf_file *elf)
{
	struct section *par;
	const char *why;
	size_t i, s;

	if (sec->sh.sh_entsize && !(sec->size % sec->sh.sh_entsize))
		return sec->sh.sh_entsize;
	switch (d->src) {
	case ES_S32:
		return 4;
	case ES_PTR:
		return 8;
	case ES_DWARF:
		s = kernel_struct_size(c, d->struct_name);
		if (s)
			return s;
		break;
	}
	/* .orc_unwind is index-parallel to .orc_unwind_ip (s32) */
	if (d->parallel && d->owner_off == NO_OWNER_FIELD &&
	    (par = elf_find_section(elf, d->parallel)) && par->size >= 4 &&
	    !(sec->size % (par->size / 4)))
		return sec->size / (par->size / 4);
	for (i = 0; i < c->nr_entsizes; i++)
		if (!strcmp(c->entsizes[i].sec, sec->name))
			return c->entsizes[i].size;
	why = d->src == ES_DWARF ? dwarf_error(c->symbols_path) : NULL;
	die_code(EXIT_BAD_INPUT,
		 "entry size of %s unknown: no sh_entsize, no DWARF 'struct %s' in %s%s%s%s; pass --entsize %s=N",
		 sec->name, d->struct_name ? d->struct_name : "?",
		 c->symbols_path, why ? " (" : "", why ? why : "",
		 why ? ")" : "", sec->name);
}

static struct func *owner_at(struct elf_file *elf, struct section *sec,
			     uint64_t off)
{
	struct reloc *r = elf_find_reloc(sec, off, 4);
	struct target t;

	if (!r || r->offset != off)
		return NULL;
	reloc_target(elf, r, &t);
	if (t.kind != T_SYM)
		return NULL;
	return func_of(t.sym);
}

static void add_entry(struct func *f, struct special *sp, size_t idx)
{
	struct entry_list *l = &f->entries;

	if (l->nr == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->nr].sp = sp;
	l->v[l->nr].idx = idx;
	l->nr++;
}

static void parse_one(struct cdo *c, struct elf_file *elf,
		      struct special *sp)
{
	struct section *sec = sp->sec;
	size_t i, r = 0;

	sp->entsize = lookup_entsize(c, sp->desc, sec, elf);
	if (sec->size % sp->entsize)
		die_code(EXIT_BAD_INPUT,
			 "%s: %s: size %zu is not a multiple of its entry size %zu",
			 elf->path, sec->name, sec->size, sp->entsize);
	sp->nr = sec->size / sp->entsize;
	sp->owner = xcalloc(sp->nr + 1, sizeof(*sp->owner));
	sp->first_reloc = xcalloc(sp->nr + 1, sizeof(*sp->first_reloc));
	sp->include = xcalloc(sp->nr + 1, sizeof(*sp->include));
	sp->relocs = sec->rela ? elf_sorted_relocs(sec, &sp->nr_relocs) : NULL;
	if (!sp->relocs)
		sp->nr_relocs = 0;
	for (i = 0; i <= sp->nr; i++) {
		while (r < sp->nr_relocs &&
		       sp->relocs[r]->offset < i * sp->entsize)
			r++;
		sp->first_reloc[i] = r;
	}
	if (sp->desc->owner_off == NO_OWNER_FIELD)
		return;		/* filled from the parallel section */
	for (i = 0; i < sp->nr; i++) {
		sp->owner[i] = owner_at(elf, sec,
					i * sp->entsize + sp->desc->owner_off);
		if (sp->owner[i])
			add_entry(sp->owner[i], sp, i);
	}
}

void special_entry_relocs(struct special *sp, size_t idx,
			  struct reloc ***first, size_t *nr)
{
	*nr = sp->first_reloc[idx + 1] - sp->first_reloc[idx];
	/* No relocations: no pointer arithmetic on NULL either. */
	*first = *nr ? sp->relocs + sp->first_reloc[idx] : NULL;
}

/* Replacement bytes of .altinstructions entry @idx: section, offset, len. */
bool special_alt_repl(struct special *sp, size_t idx, struct section **sec,
		      uint64_t *off, uint64_t *len)
{
	uint64_t eoff = idx * sp->entsize;
	struct reloc *r = elf_find_reloc(sp->sec, eoff + 4, 4);

	if (!r || r->offset != eoff + 4 || r->sym->type != STT_SECTION ||
	    !r->sym->sec || r->addend < 0)
		return false;
	*sec = r->sym->sec;
	*off = r->addend;
	*len = ((unsigned char *)sp->sec->data)[eoff + sp->entsize - 1];
	return *off + *len <= (*sec)->size && (*sec)->data;
}

void special_parse(struct cdo *c)
{
	struct elf_file *files[2] = { c->orig, c->patched };
	size_t n = 0, i, k, j;

	for (k = 0; k < 2; k++)
		for (i = 0; i < files[k]->nr_secs; i++)
			if (special_desc(files[k]->secs[i]->name) &&
			    files[k]->secs[i]->size)
				n++;
	c->specials = xcalloc(n + 1, sizeof(*c->specials));
	for (k = 0; k < 2; k++) {
		struct elf_file *elf = files[k];
		size_t first = c->nr_specials;

		for (i = 0; i < elf->nr_secs; i++) {
			struct section *sec = elf->secs[i];
			struct special *sp;

			if (!special_desc(sec->name) || !sec->size)
				continue;
			if (sec->sh.sh_type == SHT_NOBITS)
				die_code(EXIT_BAD_INPUT, "%s: %s has no contents",
					 elf->path, sec->name);
			sp = &c->specials[c->nr_specials++];
			sp->desc = special_desc(sec->name);
			sp->sec = sec;
			sp->is_patched = k == 1;
			sec->priv = sp;
			parse_one(c, elf, sp);
		}
		/* index-parallel pairs (.orc_unwind_ip / .orc_unwind) */
		for (i = first; i < c->nr_specials; i++) {
			struct special *sp = &c->specials[i];
			struct section *ps;

			if (!sp->desc->parallel)
				continue;
			ps = elf_find_section(elf, sp->desc->parallel);
			if (!ps || !ps->priv || !special_desc(ps->name))
				continue;
			sp->parallel = ps->priv;
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
			sp->include[j] = sp->owner[j] &&
				sp->owner[j]->is_patched &&
				(sp->owner[j]->sym->sec->include ||
				 sp->owner[j]->sym->include);
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

			reloc_target(p, &rs->relocs[j], &t);
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
