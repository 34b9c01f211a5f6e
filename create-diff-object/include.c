// SPDX-License-Identifier: GPL-2.0
/*
 * What the diff object holds.
 *
 * Roots: changed, new and clone-of-changed functions, new global data,
 * .klpgen.* sections and __klpgen_cb_* aliases.  Then a worklist over the
 * relocations of included sections: new symbols and anonymous local data
 * (jump tables, strings, constants) are copied; existing functions and
 * variables are not (reference.c names them).  Each section enters the
 * worklist once: linear in the number of relocations.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

bool sec_is_init(const struct section *sec)
{
	return sec && (str_starts_with(sec->name, ".init.") ||
		       str_starts_with(sec->name, ".exit.") ||
		       !strcmp(sec->name, ".init") ||
		       !strcmp(sec->name, ".exit"));
}

struct work {
	struct section **v;
	size_t nr, cap;
	struct cdo *c;
	bool *has_existing;	/* per PATCHED section index */
	unsigned int *nr_funcs;	/* functions per PATCHED section index */
	struct section *from;	/* section whose relocs are being walked */
	size_t done;
	struct symbol **ext;	/* objects copied out of shared sections */
	size_t nr_ext, cap_ext, done_ext;
	/* splittable(): function starts grouped by section, each sorted */
	uint64_t *starts;
	size_t *first_start;	/* per PATCHED section index, into starts */
};

static void include_sec(struct work *w, struct section *sec, const char *why)
{
	if (!sec || sec->include || is_rela_section(sec))
		return;
	if (sec_is_init(sec)) {
		refuse(w->c, "included %s references __init/__exit section %s (%s)",
		       w->from ? w->from->name : "code", sec->name, why);
		return;
	}
	if (special_desc(sec->name) || arch_is_alt_repl_section(sec->name))
		return;		/* split per entry by special.c */
	if (!is_text_section(sec) && w->has_existing[sec->index]) {
		refuse(w->c, "new data %s shares section %s with existing variables: build with -fdata-sections",
		       why, sec->name);
		return;
	}
	sec->include = true;
	DEBUG("include: section %s (%s)", sec->name, why);
	if (w->nr == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->nr++] = sec;
}

static bool is_included_func(const struct func *f)
{
	return f->verdict == V_CHANGED || f->verdict == V_NEW ||
	       f->verdict == V_CLONE;
}

/* Read-only compiler-generated locals are copied, never referenced. */
static bool copy_instead(const struct symbol *sym)
{
	static const char *const names[] = {
		"__func__.", "__FUNCTION__.", "__PRETTY_FUNCTION__.", "CSWTCH.",
	};
	size_t i;

	if (sym->bind != STB_LOCAL || !sym->sec ||
	    (sym->sec->sh.sh_flags & SHF_WRITE) ||
	    is_text_section(sym->sec))
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (str_starts_with(sym->name, names[i]))
			return true;
	return false;
}

/*
 * A new (or copyable) object in a section shared with existing variables
 * (__dyndbg, .data..percpu, objects without -fdata-sections): copy just the
 * object, output.c gives it a section of the same name.
 */
static void extract_sym(struct work *w, struct symbol *sym)
{
	if (sym->include)
		return;
	if ((sym->type != STT_OBJECT && sym->type != STT_FUNC) ||
	    !sym->sym.st_size ||
	    sym->sym.st_value + sym->sym.st_size > sym->sec->sh.sh_size) {
		refuse(w->c, "new data %s shares section %s with existing variables and cannot be split out",
		       sym->name, sym->sec->name);
		return;
	}
	sym->include = true;
	DEBUG("include: %s out of shared section %s", sym->name,
	      sym->sec->name);
	if (w->nr_ext == w->cap_ext) {
		w->cap_ext = w->cap_ext ? w->cap_ext * 2 : 16;
		w->ext = xrealloc(w->ext, w->cap_ext * sizeof(*w->ext));
	}
	w->ext[w->nr_ext++] = sym;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One pass over the functions: their starts, per section, sorted. */
static void build_starts(struct work *w)
{
	size_t *fill, i, n = w->c->patched->nr_secs;

	w->first_start = xcalloc(n + 1, sizeof(*w->first_start));
	for (i = 0; i < n; i++)
		w->first_start[i + 1] = w->first_start[i] + w->nr_funcs[i];
	w->starts = xmalloc((w->first_start[n] + 1) * sizeof(*w->starts));
	fill = xmalloc((n + 1) * sizeof(*fill));
	memcpy(fill, w->first_start, (n + 1) * sizeof(*fill));
	for (i = 0; i < w->c->nr_funcs; i++) {
		struct symbol *s = w->c->funcs[i].sym;

		if (w->c->funcs[i].is_patched && s->sec->index < n)
			w->starts[fill[s->sec->index]++] = s->sym.st_value;
	}
	for (i = 0; i < n; i++)
		if (w->nr_funcs[i] > 1)
			qsort(w->starts + w->first_start[i], w->nr_funcs[i],
			      sizeof(*w->starts), cmp_u64);
	free(fill);
}

/*
 * Can @sym be copied alone out of a text section it shares with other
 * functions (.sched.text, .noinstr.text ...)?  Not if its code reaches
 * another function of the section without a relocation: the assembler
 * resolves calls and jumps to local symbols of the same section itself.
 * Every 4 bytes not covered by a relocation are read as a rel32 (ending
 * its instruction any of arch_pcrel_tails() bytes later); one that lands
 * on the start of another function of the section means no.
 * Conservative: a false hit only keeps the whole section.
 */
static bool splittable(struct work *w, struct symbol *sym)
{
	struct section *sec = sym->sec;
	uint64_t lo = sym->sym.st_value, hi = lo + sym->sym.st_size, i;
	uint64_t from = lo >= 8 ? lo - 8 : 0, *starts;
	size_t n, k, nr, j, nr_tails;
	const unsigned int *tails = arch_pcrel_tails(&nr_tails);
	unsigned char *covered;
	struct reloc *rv;
	bool ok = true;

	if (!sec->data || !sym->sym.st_size || hi > sec->sh.sh_size)
		return false;
	if (!w->starts)
		build_starts(w);
	/* its own start is among them: inside [lo, hi), never a hit */
	starts = w->starts + w->first_start[sec->index];
	n = w->nr_funcs[sec->index];
	covered = xcalloc(1, sym->sym.st_size + 8);
	/* relocations starting up to 8 bytes before it may reach in */
	rv = elf_range_relocs(sec, from, hi - from, &nr);
	for (j = 0; j < nr; j++) {
		unsigned int wd = reloc_width(rv[j].type);

		for (k = 0; k < (wd ? wd : 4); k++)
			if (rv[j].offset + k >= lo && rv[j].offset + k < hi)
				covered[rv[j].offset + k - lo] = 1;
	}
	for (i = lo; ok && i + 4 <= hi; i++) {
		const unsigned char *b = (const unsigned char *)sec->data + i;
		int32_t rel = (int32_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 |
					(uint32_t)b[2] << 16 |
					(uint32_t)b[3] << 24);

		if (covered[i - lo] || covered[i - lo + 1] ||
		    covered[i - lo + 2] || covered[i - lo + 3])
			continue;
		for (k = 0; k < nr_tails; k++) {
			int64_t t = (int64_t)i + tails[k] + rel;
			uint64_t key = (uint64_t)t;

			if (t >= (int64_t)lo && t < (int64_t)hi)
				continue;
			if (t >= 0 && bsearch(&key, starts, n, sizeof(*starts),
					      cmp_u64)) {
				ok = false;
				DEBUG("include: %s reaches into %s+0x%llx without a relocation: copying the whole section",
				      sym->name, sec->name,
				      (unsigned long long)t);
				break;
			}
		}
	}
	free(covered);
	return ok;
}

/* An included function: its section, or just itself out of a shared one. */
static void include_func(struct work *w, struct func *f)
{
	struct symbol *sym = f->sym;

	if (sym->include || sym->sec->include)
		return;
	if (w->nr_funcs[sym->sec->index] > 1 && !sec_is_init(sym->sec) &&
	    splittable(w, sym))
		extract_sym(w, sym);
	else
		include_sec(w, sym->sec, sym->name);
}

static void visit_sym(struct work *w, struct symbol *sym)
{
	struct func *f = func_of(sym);

	if (sym_is_undefined(sym) || !sym->sec || sym->sec->include ||
	    sym->include)
		return;
	if (f) {
		if (is_included_func(f))
			include_func(w, f);
		else if (sym->bind == STB_LOCAL && sym->twin &&
			 kernel_sympos(w->c, sym->twin) < 0 &&
			 !sec_is_init(sym->sec)) {
			/* not in the running kernel (inlined there): copy */
			free(f->note);
			f->note = xasprintf("copied: %s is not in %s",
					    sym->name, w->c->symbols_path);
			include_sec(w, sym->sec, sym->name);
		}
		return;
	}
	if (is_mergeable(sym->sec))
		include_sec(w, sym->sec, sym->name);
	else if (!sym->twin || copy_instead(sym)) {
		if (!is_text_section(sym->sec) && w->has_existing[sym->sec->index] &&
		    !sec_is_init(sym->sec))
			extract_sym(w, sym);
		else
			include_sec(w, sym->sec, sym->name);
	}
}

static void visit_reloc(struct work *w, const struct section *base,
			struct reloc *r);

static void visit_piece_reloc(void *w, const struct section *base,
			      struct reloc *r)
{
	visit_reloc(w, base, r);
}

/* Relocation @r of PATCHED's @base. */
static void visit_reloc(struct work *w, const struct section *base,
			struct reloc *r)
{
	struct symbol *sym = elf_reloc_sym(w->c->patched, r);
	struct target t;
	uint64_t start;

	if (sym->type != STT_SECTION && !(sym->sec && is_mergeable(sym->sec))) {
		visit_sym(w, sym);
		return;
	}
	if (!sym->sec || sym->sec->include)
		return;
	reloc_target(w->c->patched, base, r, &t);
	if (t.kind == T_SYM) {
		visit_sym(w, t.sym);
		return;
	}
	/* out-of-line code (.altinstr_aux): the piece, copied by output.c */
	if (pieces_target(w->c, base, r, &t, &start)) {
		pieces_visit(w->c, sym->sec, start, visit_piece_reloc, w);
		return;
	}
	/* mergeable or anonymous section: copy it */
	include_sec(w, sym->sec, t.kind == T_STR ? "strings" : "anonymous");
}

static void drain(struct work *w)
{
	struct reloc *rv;
	size_t j, n;

	while (w->done < w->nr || w->done_ext < w->nr_ext) {
		for (; w->done < w->nr; w->done++) {
			struct section *sec = w->v[w->done];

			w->from = sec;
			if (!sec->rela)
				continue;
			for (j = 0; j < sec->rela->nr_relocs; j++)
				visit_reloc(w, sec, &sec->rela->relocs[j]);
		}
		for (; w->done_ext < w->nr_ext; w->done_ext++) {
			struct symbol *sym = w->ext[w->done_ext];
			uint64_t lo = sym->sym.st_value;
			uint64_t hi = lo + sym->sym.st_size;

			w->from = sym->sec;
			rv = elf_range_relocs(sym->sec, lo, hi - lo, &n);
			for (j = 0; j < n; j++)
				visit_reloc(w, sym->sec, &rv[j]);
		}
	}
}

void include_all(struct cdo *c)
{
	struct elf_file *p = c->patched;
	struct work w = { 0 };
	size_t i, j;

	w.c = c;
	w.has_existing = xcalloc(p->nr_secs + 1, sizeof(bool));
	w.nr_funcs = xcalloc(p->nr_secs + 1, sizeof(*w.nr_funcs));
	for (i = 0; i < c->nr_funcs; i++)
		if (c->funcs[i].is_patched &&
		    c->funcs[i].sym->sec->index < p->nr_secs)
			w.nr_funcs[c->funcs[i].sym->sec->index]++;
	/*
	 * Sections of existing variables are not copied, except a constant
	 * pool (SHF_MERGE: clang puts a 16-byte static const array in
	 * .rodata.cst16): the linker may merge its entries, so no one can
	 * rely on their addresses, and a copy is the same constant.
	 */
	for (i = 0; i < p->nr_syms; i++) {
		struct symbol *s = p->syms[i];

		if (s->sec && s->twin && s->sec->index < p->nr_secs &&
		    !is_mergeable(s->sec) &&
		    (s->type == STT_OBJECT || s->type == STT_FUNC ||
		     s->type == STT_TLS) && !copy_instead(s))
			w.has_existing[s->sec->index] = true;
	}

	/* roots */
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];

		if (!f->is_patched)
			continue;
		if (f->verdict == V_NEW && sec_is_init(f->sym->sec))
			continue;	/* only reachable from init code */
		if (!is_included_func(f))
			continue;
		if (f->verdict == V_CHANGED)
			c->nr_changed++;
		else if (f->verdict == V_NEW)
			c->nr_new++;
		include_func(&w, f);
	}
	for (i = 0; i < p->nr_syms; i++) {
		struct symbol *s = p->syms[i];

		if (s->twin || !s->sec || sym_is_undefined(s))
			continue;
		if (is_klpgen_cb_name(s->name)) {
			c->has_klpgen = true;
			include_sec(&w, s->sec, s->name);
		} else if (s->type == STT_OBJECT && s->bind != STB_LOCAL &&
			   !sec_is_init(s->sec) &&
			   !str_starts_with(s->sec->name, "___ksymtab") &&
			   !str_starts_with(s->sec->name, "__ksymtab") &&
			   !str_starts_with(s->sec->name, ".discard") &&
			   !str_starts_with(s->sec->name, KPATCH_SEC_PREFIX) &&
			   strcmp(s->sec->name, ".modinfo")) {
			c->nr_new++;
			visit_sym(&w, s);
		}
	}
	for (i = 0; i < p->nr_secs; i++)
		if (str_starts_with(p->secs[i]->name, KLPGEN_SEC_PREFIX) &&
		    !is_rela_section(p->secs[i])) {
			c->has_klpgen = true;
			include_sec(&w, p->secs[i], "klpgen metadata");
		}

	drain(&w);
	/* entries of included functions may pull in data too */
	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];
		struct section *rsec;
		uint64_t roff, rlen;
		size_t k, n;
		struct reloc *rv;

		if (!sp->is_patched)
			continue;
		for (j = 0; j < sp->nr; j++) {
			struct func *f = entry_owner(c, sp, j);

			if (!f || (!f->sym->sec->include && !f->sym->include))
				continue;
			special_entry_relocs(sp, j, &rv, &n);
			w.from = sp->sec;
			for (k = 0; k < n; k++)
				if (!is_text_section(elf_reloc_sym(sp->elf,
								   &rv[k])->sec))
					visit_reloc(&w, sp->sec, &rv[k]);
			if (!special_piece(sp, j, &rsec, &roff, &rlen) ||
			    !rsec->rela)
				continue;
			w.from = rsec;
			rv = elf_range_relocs(rsec, roff, rlen, &n);
			for (k = 0; k < n; k++)
				visit_reloc(&w, rsec, &rv[k]);
		}
	}
	drain(&w);
	/* unchanged functions that come along with a shared text section */
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];

		if (!f->is_patched || is_included_func(f) || f->note ||
		    !f->sym->sec->include)
			continue;
		f->note = xasprintf("copied: shares section %s with included code",
				    f->sym->sec->name);
		DEBUG("include: %s (%s)", f->sym->name, f->note);
	}
	free(w.v);
	free(w.ext);
	free(w.starts);
	free(w.first_start);
	free(w.nr_funcs);
	free(w.has_existing);
}
