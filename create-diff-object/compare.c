// SPDX-License-Identifier: GPL-2.0
/*
 * Per-function verdicts.
 *
 * A function is changed when its bytes differ outside relocation fields,
 * when a relocation moved, changed type or now targets something else
 * (compared symbolically, see target.c), or when one of its special-section
 * entries differs.  When the only difference is the line field of its
 * __bug_table entries (x86 keeps WARN/BUG line numbers there, not in the
 * code), the verdict is ignored-line-only.
 *
 * Clones: a changed .cold part changes its parent (it jumps back into it);
 * every clone of a changed function comes with it.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_NONE:
		return "removed";
	case V_UNCHANGED:
		return "unchanged";
	case V_CHANGED:
		return "changed";
	case V_NEW:
		return "new";
	case V_IGNORED_LINE:
		return "ignored-line-only";
	case V_REFUSED:
		return "refused";
	case V_CLONE:
		return "clone-of-changed";
	case V_IGNORED:
		return "ignored";
	}
	return "?";
}

struct cmp_opts {
	uint64_t ign_lo, ign_hi;	/* relative bytes to ignore */
	const unsigned char *ign;	/* per byte: ignore, or NULL */
	int64_t skip_reloc;		/* relative reloc whose target is
					 * compared by the caller; -1 none */
	size_t *line_strs;		/* count strings embedding their user's
					 * __LINE__ as equal, or NULL */
};

/* Bytes of [ooff, +len) of @os and [poff, +len) of @ps that relocations
 * write: compared symbolically, not as bytes.  Valid until the next call. */
static unsigned char *reloc_mask(struct section *os, uint64_t ooff,
				 struct section *ps, uint64_t poff,
				 uint64_t len, struct reloc **ro, size_t *nro,
				 struct reloc **rp, size_t *nrp)
{
	static unsigned char *mask;
	static size_t mask_cap;
	size_t i, j, k;

	*ro = elf_range_relocs(os, ooff, len, nro);
	*rp = elf_range_relocs(ps, poff, len, nrp);
	if (len + 1 > mask_cap) {
		mask_cap = len * 2 + 1;
		free(mask);
		mask = xmalloc(mask_cap);
	}
	memset(mask, 0, len + 1);
	for (k = 0; k < 2; k++) {
		struct reloc *v = k ? *rp : *ro;
		size_t n = k ? *nrp : *nro;
		uint64_t base = k ? poff : ooff;

		for (i = 0; i < n; i++) {
			uint64_t at = v[i].offset - base;
			unsigned int w = reloc_width(v[i].type);

			if (!w)
				w = 4;
			for (j = 0; j < w && at + j < len; j++)
				mask[at + j] = 1;
		}
	}
	return mask;
}

static char *compare_ex(struct cdo *c, struct section *os, uint64_t ooff,
			struct section *ps, uint64_t poff, uint64_t len,
			const struct cmp_opts *opt, uint64_t *diff_at)
{
	const unsigned char *a, *b, *mask;
	struct reloc *ro, *rp;
	size_t nro, nrp, i, j;
	char *why = NULL;

	if (!os->data || !ps->data)
		return (!os->data && !ps->data) ? NULL :
			xstrdup("section type changed");
	if (ooff + len > os->sh.sh_size || poff + len > ps->sh.sh_size)
		return xstrdup("out of section bounds");
	mask = reloc_mask(os, ooff, ps, poff, len, &ro, &nro, &rp, &nrp);
	a = (const unsigned char *)os->data + ooff;
	b = (const unsigned char *)ps->data + poff;
	for (i = 0; i < len; i++) {
		if (mask[i] || a[i] == b[i] ||
		    (i >= opt->ign_lo && i < opt->ign_hi) ||
		    (opt->ign && opt->ign[i]))
			continue;
		*diff_at = i;
		return xasprintf("bytes differ at +0x%zx", i);
	}
	/* relocations, paired by their offset from the start */
	for (i = j = 0; i < nro || j < nrp;) {
		uint64_t oa = i < nro ? ro[i].offset - ooff : UINT64_MAX;
		uint64_t pa = j < nrp ? rp[j].offset - poff : UINT64_MAX;
		struct target to, tp;

		if (oa != pa) {
			*diff_at = oa < pa ? oa : pa;
			return xasprintf("relocation at +0x%llx %s",
					 (unsigned long long)*diff_at,
					 oa < pa ? "removed" : "added");
		}
		if (ro[i].type != rp[j].type) {
			*diff_at = oa;
			return xasprintf("relocation at +0x%llx changed type %s -> %s",
					 (unsigned long long)oa,
					 reloc_type_name(ro[i].type),
					 reloc_type_name(rp[j].type));
		}
		if ((int64_t)oa != opt->skip_reloc) {
			reloc_target(c->orig, os, &ro[i], &to);
			reloc_target(c->patched, ps, &rp[j], &tp);
			if (!targets_equal(c, &to, &tp) &&
			    !(opt->line_strs &&
			      line_string(c, os, ro[i].offset, &to, ps,
					  rp[j].offset, &tp) &&
			      ++*opt->line_strs)) {
				char *d = target_desc(&tp);

				*diff_at = oa;
				why = xasprintf("relocation at +0x%llx now targets %s",
						(unsigned long long)oa, d);
				free(d);
				return why;
			}
		}
		i++;
		j++;
	}
	return NULL;
}

char *compare_range(struct cdo *c, struct section *os, uint64_t ooff,
		    struct section *ps, uint64_t poff, uint64_t len,
		    uint64_t *diff_at)
{
	struct cmp_opts opt = { 0, 0, NULL, -1, NULL };

	return compare_ex(c, os, ooff, ps, poff, len, &opt, diff_at);
}

char *compare_range_ign(struct cdo *c, struct section *os, uint64_t ooff,
			struct section *ps, uint64_t poff, uint64_t len,
			uint64_t ign_lo, uint64_t ign_hi, uint64_t *diff_at)
{
	struct cmp_opts opt = { ign_lo, ign_hi, NULL, -1, NULL };

	return compare_ex(c, os, ooff, ps, poff, len, &opt, diff_at);
}

char *compare_targets(struct cdo *c, struct section *os, uint64_t ooff,
		      struct section *ps, uint64_t poff, uint64_t len,
		      uint64_t *diff_at)
{
	struct cmp_opts opt = { 0, len, NULL, -1, NULL };

	return compare_ex(c, os, ooff, ps, poff, len, &opt, diff_at);
}

/*
 * The code of @o and @p (same size) differs: in its bytes or in what a
 * relocation refers to.  Equal but for __LINE__ immediates and strings that
 * embed their user's line (line.c)?  Then NULL and *what says which.
 */
static char *compare_lines(struct cdo *c, struct symbol *o, struct symbol *p,
			   char *why, char **what)
{
	struct reloc *ro, *rp;
	size_t nro, nrp, strs = 0;
	struct cmp_opts opt = { 0, 0, NULL, -1, &strs };
	unsigned char *ign = NULL;
	char *imms = NULL, *again;
	uint64_t at;

	if (!o->sec->data || !p->sec->data ||
	    o->sym.st_value + o->sym.st_size > o->sec->sh.sh_size ||
	    p->sym.st_value + p->sym.st_size > p->sec->sh.sh_size)
		return why;
	if (str_starts_with(why, "bytes differ")) {
		ign = line_immediates(c, o, p,
				      reloc_mask(o->sec, o->sym.st_value,
						 p->sec, p->sym.st_value,
						 p->sym.st_size, &ro, &nro,
						 &rp, &nrp), &imms);
		if (!ign)
			return why;
	}
	opt.ign = ign;
	again = compare_ex(c, o->sec, o->sym.st_value, p->sec,
			   p->sym.st_value, p->sym.st_size, &opt, &at);
	free(ign);
	if (again || (!imms && !strs)) {
		free(imms);
		free(again);
		return why;
	}
	if (!strs)
		*what = imms;
	else {
		*what = imms ? xasprintf("%s, and %zu string(s) with their user's __LINE__",
					 imms, strs) :
			 xasprintf("only strings with their user's __LINE__ differ (%zu)",
				   strs);
		free(imms);
	}
	free(why);
	return NULL;
}

/* The replacements of two .altinstructions entries. */
static char *compare_pieces(struct cdo *c, const struct entry_ref *eo,
			    const struct entry_ref *ep)
{
	struct special *so = entry_special(c, eo), *sp = entry_special(c, ep);
	struct section *rs_o, *rs_p;
	uint64_t off_o, off_p, len_o, len_p, at;
	bool po = special_piece(so, eo->idx, &rs_o, &off_o, &len_o);
	bool pp = special_piece(sp, ep->idx, &rs_p, &off_p, &len_p);

	if (!so->desc->altinstr)
		return NULL;
	if (!po || !pp)
		return xstrdup("unreadable replacement");
	if (len_o != len_p)
		return xstrdup("replacement length differs");
	return compare_range(c, rs_o, off_o, rs_p, off_p, len_o, &at);
}

/* One entry of ORIG against its twin; *line_only: only the bug line differs. */
static char *compare_entry(struct cdo *c, const struct entry_ref *eo,
			   const struct entry_ref *ep, bool *line_only)
{
	struct special *so = entry_special(c, eo), *sp = entry_special(c, ep);
	struct cmp_opts opt = { 0, 0, NULL, -1, NULL };
	int line = sp->line_off;
	uint64_t at;
	size_t len, lo, lp;
	char *why;

	if (so->entsize != sp->entsize)
		return xstrdup("entry size changed");
	/* the replacement's address is compared by its content */
	if (sp->desc->altinstr)
		opt.skip_reloc = PIECE_FIELD;
	/* a last entry may lack its tail padding */
	lo = special_entry_len(so, eo->idx);
	lp = special_entry_len(sp, ep->idx);
	len = lo < lp ? lo : lp;
	why = compare_ex(c, so->sec, eo->idx * so->entsize,
			 sp->sec, ep->idx * sp->entsize, len, &opt, &at);
	if (why && line != NO_FIELD && line == so->line_off &&
	    at >= (uint64_t)line && at < (uint64_t)line + 2) {
		free(why);
		opt.ign_lo = line;
		opt.ign_hi = line + 2;
		why = compare_ex(c, so->sec, eo->idx * so->entsize,
				 sp->sec, ep->idx * sp->entsize, len,
				 &opt, &at);
		if (!why)
			*line_only = true;
	}
	return why ? why : compare_pieces(c, eo, ep);
}

/* The special section of entry @i of @f. */
static const char *entry_sec(const struct cdo *c, const struct func *f,
			     size_t i)
{
	return entry_special(c, func_entry(c, f, i))->sec->name;
}

/*
 * Compare the special-section entries of @o (ORIG) and @p (PATCHED).
 * Returns a reason or NULL; *line_only is set when only __bug_table lines
 * differ.
 */
static char *compare_entries(struct cdo *c, struct func *o, struct func *p,
			     bool *line_only)
{
	size_t i, j, k;

	*line_only = false;
	if (o->entries.nr != p->entries.nr && !p->entries.nr)
		return xasprintf("%s entries removed",
				 entry_sec(c, o, 0));
	for (i = 0; i < p->entries.nr || i < o->entries.nr;) {
		struct special *sp;
		size_t no = 0, np = 0;

		sp = i < p->entries.nr ? entry_special(c, func_entry(c, p, i)) :
					 entry_special(c, func_entry(c, o, i));
		/* entries of one section are contiguous in each list */
		for (j = 0; j < o->entries.nr; j++)
			if (!strcmp(entry_sec(c, o, j), sp->sec->name))
				break;
		for (k = j; k < o->entries.nr &&
		     !strcmp(entry_sec(c, o, k), sp->sec->name); k++)
			no++;
		for (k = i; k < p->entries.nr &&
		     entry_special(c, func_entry(c, p, k)) == sp; k++)
			np++;
		if (i >= p->entries.nr) {
			/* only ORIG has entries left */
			return xasprintf("%s entries removed",
					 entry_sec(c, o, i));
		}
		if (no != np)
			return xasprintf("%zu %s entries, were %zu", np,
					 sp->sec->name, no);
		for (k = 0; k < np && sp->desc->compare; k++) {
			char *why = compare_entry(c, func_entry(c, o, j + k),
						  func_entry(c, p, i + k),
						  line_only);

			if (why) {
				char *r = xasprintf("%s entry %zu differs: %s",
						    sp->sec->name, k, why);

				free(why);
				*line_only = false;
				return r;
			}
		}
		i += np;
	}
	if (o->entries.nr != p->entries.nr)
		return xasprintf("%u special-section entries, were %u",
				 p->entries.nr, o->entries.nr);
	return NULL;
}

static void set_verdict(struct func *f, enum verdict v, char *reason)
{
	f->verdict = v;
	free(f->reason);
	f->reason = reason;
	if (v != V_UNCHANGED)
		DEBUG("%s: %s%s%s", f->sym->name, verdict_name(v),
		      reason ? ": " : "", reason ? reason : "");
}

static void compare_one(struct cdo *c, struct func *p)
{
	struct func *o = p->twin;
	struct symbol *ps = p->sym, *os;
	char *why, *lines = NULL;
	bool line_only;
	uint64_t at;

	if (!o) {
		set_verdict(p, V_NEW, NULL);
		return;
	}
	os = o->sym;
	if (os->sym.st_size != ps->sym.st_size)
		why = xasprintf("size changed from 0x%llx to 0x%llx",
				(unsigned long long)os->sym.st_size,
				(unsigned long long)ps->sym.st_size);
	else
		why = compare_range(c, os->sec, os->sym.st_value, ps->sec,
				    ps->sym.st_value, ps->sym.st_size, &at);
	if (why && (str_starts_with(why, "bytes differ") ||
		    strstr(why, " now targets ")))
		why = compare_lines(c, os, ps, why, &lines);
	if (why) {
		set_verdict(p, V_CHANGED, why);
		return;
	}
	why = compare_entries(c, o, p, &line_only);
	if (why) {
		free(lines);
		set_verdict(p, V_CHANGED, why);
	} else if (lines) {
		set_verdict(p, V_IGNORED_LINE, lines);
	} else if (line_only)
		set_verdict(p, V_IGNORED_LINE,
			    xstrdup("only __bug_table line numbers differ"));
	else
		set_verdict(p, V_UNCHANGED, NULL);
}

static struct func *changed_ancestor(const struct cdo *c, struct func *f)
{
	int depth = 0;

	for (f = func_parent(c, f); f && depth < 16;
	     f = func_parent(c, f), depth++)
		if (f->verdict == V_CHANGED)
			return f;
	return NULL;
}

/*
 * A changed function of ORIG without an ftrace site at its start is
 * notrace: livepatch cannot redirect it (fentry.c says what counts).  One
 * that the patch makes notrace (noinstr, __cpuidle: a fix that takes it
 * out of instrumentation) cannot be fixed by a livepatch either: the
 * livepatch enters it through the original's ftrace site, which stays.
 */
static void check_fentry(struct cdo *c)
{
	enum fentry_kind kind = fentry_kind(c);
	size_t i;

	if (kind == FENTRY_NONE)
		return;
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];

		if (!f->is_patched || f->verdict != V_CHANGED || f->is_cold ||
		    sec_is_init(f->sym->sec))
			continue;
		if (kind == FENTRY_NOTRACE)
			refuse(c, "changed function %s (section %s) is notrace: its object is built without ftrace (no __mcount_loc, no %s call; its Makefile removes the ftrace flags), so livepatch cannot redirect it",
			       f->sym->name, f->sym->sec->name,
			       arch_fentry_symbol());
		else if (!func_is_traced(c, kind, f->twin))
			refuse(c, "changed function %s (section %s) has no ftrace site at its start in the original (notrace): livepatch cannot redirect it",
			       f->sym->name, f->sym->sec->name);
		else if (!func_is_traced(c, kind, f))
			refuse(c, "changed function %s (section %s) has no ftrace site in the patched version: the patch makes it notrace or noinstr, and a livepatch still enters it through the original's ftrace site",
			       f->sym->name, f->sym->sec->name);
		else
			continue;
		f->verdict = V_REFUSED;
	}
}

/*
 * Sections the kernel reads by vmlinux's address range (in_sched_functions,
 * cpu_in_idle, the kprobes blacklist, noinstr checks): code of a livepatch
 * is outside every one of them.
 */
static bool range_section(const char *name)
{
	static const char *const range[] = {
		".sched.text", ".cpuidle.text", ".spinlock.text", ".lock.text",
		".kprobes.text", ".noinstr.text", ".entry.text",
		".irqentry.text", ".softirqentry.text", NULL
	};
	size_t i;

	for (i = 0; range[i]; i++)
		if (!strcmp(name, range[i]))
			return true;
	return false;
}

/* @f's section without the -ffunction-sections suffix (".text.f" -> ".text"). */
static void placement(struct strbuf *sb, const struct func *f)
{
	const char *sec = f->sym->sec->name, *sym = f->sym->name;
	size_t n = strlen(sec), m = strlen(sym);

	if (n > m + 1 && sec[n - m - 1] == '.' && !strcmp(sec + n - m, sym))
		n -= m + 1;
	strbuf_add(sb, sec, n);
}

/*
 * A fix that moves a function into or out of such a section (a __cpuidle
 * added: NMI backtraces then skip CPUs idling in it) cannot be had by
 * patching: the patched copy is in neither range.
 */
static void check_placement(struct cdo *c)
{
	struct strbuf o, p;
	size_t i;

	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];

		if (!f->is_patched || f->verdict != V_CHANGED || !f->twin)
			continue;
		strbuf_init(&o);
		strbuf_init(&p);
		placement(&o, f->twin);
		placement(&p, f);
		if (strcmp(o.buf, p.buf) &&
		    (range_section(o.buf) || range_section(p.buf))) {
			refuse(c, "changed function %s moves from section %s to %s: the kernel tells those sections apart by vmlinux's address range, and a livepatch's code is outside it",
			       f->sym->name, o.buf, p.buf);
			f->verdict = V_REFUSED;
		}
		strbuf_free(&o);
		strbuf_free(&p);
	}
}

void compare_funcs(struct cdo *c)
{
	size_t i;

	for (i = 0; i < c->nr_funcs; i++)
		if (c->funcs[i].is_patched &&
		    c->funcs[i].verdict != V_IGNORED)
			compare_one(c, &c->funcs[i]);

	/* a changed .cold part changes its parent */
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i], *par = func_parent(c, f);

		if (!f->is_patched || f->verdict != V_CHANGED || !par)
			continue;
		if (f->is_cold && par->verdict != V_CHANGED &&
		    par->verdict != V_NEW) {
			set_verdict(par, V_CHANGED,
				    xasprintf("clone %s changed", f->sym->name));
		} else if (!f->is_cold && par->verdict != V_CHANGED) {
			free(par->note);
			par->note = xasprintf("clone %s changed", f->sym->name);
		}
	}
	/* clones of changed functions come with them */
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i], *anc;

		if (!f->is_patched || f->parent == NO_FUNC ||
		    (f->verdict != V_UNCHANGED && f->verdict != V_IGNORED_LINE))
			continue;
		anc = changed_ancestor(c, f);
		if (anc)
			set_verdict(f, V_CLONE, xasprintf("clone of changed %s",
							  anc->sym->name));
	}
	/* livepatch redirects through the fentry call: none, no patching */
	check_fentry(c);
	check_placement(c);
	/* __init/__exit code cannot be patched */
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];

		if (!f->is_patched || f->verdict != V_CHANGED ||
		    !sec_is_init(f->sym->sec))
			continue;
		refuse(c, "changed __init/__exit function %s (section %s): %s",
		       f->sym->name, f->sym->sec->name, f->reason);
		f->verdict = V_REFUSED;
	}
}
