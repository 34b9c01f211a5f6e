// SPDX-License-Identifier: GPL-2.0
/*
 * Correlation: find the twin in ORIG of every section and symbol of PATCHED.
 *
 * Names carry gcc's numbering (".part.3", ".isra.0", ".constprop.1", static
 * locals "count.2"), which changes between builds.  Every symbol gets a key:
 * its kind plus its name with each ".<digits>" replaced by ".#"; static
 * locals with a number also get the (smallest) name of the function that
 * references them, so "count.0 of foo" and "count.1 of bar" keep apart even
 * when their numbers swap.  Symbols with the same key are grouped; a group of
 * one on each side is a pair, larger groups pair exact names first and then
 * a single leftover on each side.  Sections follow their symbols, then their
 * names.  All of it is hash look-ups: linear in the number of symbols.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

static const char *const clone_marks[] = {
	".cold", ".part.", ".isra.", ".constprop.", ".lto_priv.", ".localalias",
};

/* The last clone suffix of @name, or NULL. */
const char *clone_suffix(const char *name)
{
	const char *best = NULL, *p;
	size_t i;

	for (i = 0; i < sizeof(clone_marks) / sizeof(clone_marks[0]); i++) {
		p = name;
		while ((p = strstr(p, clone_marks[i]))) {
			if (p != name && (!best || p > best))
				best = p;
			p++;
		}
	}
	return best;
}

char *clone_parent_name(const char *name)
{
	const char *s = clone_suffix(name);

	return s ? xstrndup(name, s - name) : NULL;
}

bool is_func_sym(const struct symbol *sym)
{
	return sym->type == STT_FUNC && sym->sec && is_text_section(sym->sec) &&
	       !str_starts_with(sym->name, "__pfx_") &&
	       !str_starts_with(sym->name, "__cfi_") &&
	       !is_klpgen_cb_name(sym->name);
}

static void collect_file(struct cdo *c, struct elf_file *elf, bool patched)
{
	size_t i;

	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];
		struct func *f;

		sym->priv = NULL;
		sym->twin = NULL;
		if (!is_func_sym(sym))
			continue;
		f = &c->funcs[c->nr_funcs++];
		f->sym = sym;
		f->parent = NO_FUNC;
		f->is_patched = patched;
		f->is_cold = strstr(sym->name, ".cold") != NULL;
		sym->priv = f;
	}
	/* Parents of clones: strip the last clone suffix until one exists. */
	for (i = 0; i < elf->nr_syms; i++) {
		struct func *f = func_of(elf->syms[i]);
		char *name;

		if (!f)
			continue;
		name = clone_parent_name(f->sym->name);
		while (name) {
			struct symbol *p = elf_find_symbol(elf, name);
			char *up;

			while (p && !func_of(p))
				p = elf_find_symbol_next(elf, p);
			if (p) {
				f->parent = func_index(c, func_of(p));
				break;
			}
			up = clone_parent_name(name);
			free(name);
			name = up;
		}
		free(name);
	}
}

void collect_funcs(struct cdo *c)
{
	size_t n = 0, i;

	for (i = 0; i < c->orig->nr_syms; i++)
		n += is_func_sym(c->orig->syms[i]);
	for (i = 0; i < c->patched->nr_syms; i++)
		n += is_func_sym(c->patched->syms[i]);
	if (n >= NO_FUNC)
		die_code(EXIT_BAD_INPUT, "%s, %s: %zu functions, more than the tool indexes",
			 c->orig->path, c->patched->path, n);
	c->funcs = xcalloc(n ? n : 1, sizeof(*c->funcs));
	collect_file(c, c->orig, false);
	collect_file(c, c->patched, true);
	for (i = 0; i < c->orig->nr_secs; i++)
		c->orig->secs[i]->twin = NULL;
	for (i = 0; i < c->patched->nr_secs; i++)
		c->patched->secs[i]->twin = NULL;
}

/*
 * Names that end in a compile-time counter: __UNIQUE_ID(p) pastes
 * __COUNTER__, and BTF_ID() (include/linux/btf_ids.h) pastes __COUNTER__
 * and __LINE__, so both shift whenever the patch adds one above or moves
 * lines.
 */
static bool counter_named(const char *name)
{
	return str_starts_with(name, "__UNIQUE_ID_") ||
	       str_starts_with(name, "__BTF_ID__");
}

/*
 * @name with every ".<digits>" component replaced by ".#"; in
 * counter_named() names digits before a '.' or the end become "#" too.
 */
void norm_name(struct strbuf *sb, const char *name)
{
	const char *p = name;
	bool unique = counter_named(name);

	while (*p) {
		if (unique && *p >= '0' && *p <= '9') {
			const char *q = p;

			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == '.' || !*q) {
				strbuf_add(sb, "#", 1);
				p = q;
				continue;
			}
		}
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			const char *q = p + 1;

			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == '.' || !*q) {
				strbuf_add(sb, ".#", 2);
				p = q;
				continue;
			}
		}
		strbuf_add(sb, p, 1);
		p++;
	}
}

bool has_number(const char *name)
{
	const char *p;

	if (counter_named(name))
		return true;
	for (p = name; (p = strchr(p, '.')); p++)
		if (p[1] >= '0' && p[1] <= '9')
			return true;
	return false;
}

/*
 * For every local, numbered data symbol: the smallest name of a function
 * whose relocations reference it.  One pass over the relocations.
 */
static const char **referrers(struct elf_file *elf)
{
	const char **ref = xcalloc(elf->nr_syms ? elf->nr_syms : 1,
				   sizeof(*ref));
	size_t i, j;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rs = elf->secs[i];

		if (!is_rela_section(rs) || !rs->base ||
		    !is_text_section(rs->base))
			continue;
		for (j = 0; j < rs->nr_relocs; j++) {
			struct reloc *r = &rs->relocs[j];
			struct symbol *t = elf_reloc_sym(elf, r), *fn;

			if (t->type == STT_SECTION && t->sec) {
				struct target tg;

				reloc_target(elf, rs->base, r, &tg);
				if (tg.kind != T_SYM)
					continue;
				t = tg.sym;
			}
			if (t->bind != STB_LOCAL || t->type == STT_FUNC ||
			    !has_number(t->name))
				continue;
			fn = sym_at(elf, rs->base, r->offset);
			if (!fn)
				continue;
			if (!ref[t->index] || strcmp(fn->name, ref[t->index]) < 0)
				ref[t->index] = fn->name;
		}
	}
	return ref;
}

/*
 * Symbols of ORIG (0) and PATCHED (1) sharing a key; mostly one each.  One
 * allocation with its key: an object has a group per symbol name.
 */
struct group {
	struct symbol **v[2];	/* &one[k] until a second symbol comes */
	struct symbol *one[2];
	uint32_t n[2], cap[2];	/* <= a file's symbols: 32-bit indexes */
	char key[];
};

static void group_add(struct group *g, int k, struct symbol *sym)
{
	if (!g->cap[k]) {
		g->v[k] = &g->one[k];
		g->cap[k] = 1;
	} else if (g->n[k] == g->cap[k]) {
		struct symbol **v = xmalloc(2 * g->cap[k] * sizeof(*v));

		memcpy(v, g->v[k], g->n[k] * sizeof(*v));
		if (g->v[k] != &g->one[k])
			free(g->v[k]);
		g->v[k] = v;
		g->cap[k] *= 2;
	}
	g->v[k][g->n[k]++] = sym;
}

static void group_free(struct group *g)
{
	int k;

	for (k = 0; k < 2; k++)
		if (g->v[k] != &g->one[k])
			free(g->v[k]);
	free(g);
}

static bool correlatable(const struct symbol *sym)
{
	return sym->name && *sym->name && sym->type != STT_SECTION &&
	       sym->type != STT_FILE && sym->index != 0;
}

static void sym_key(struct strbuf *sb, const struct symbol *sym,
		    const char *referrer, bool use_referrer)
{
	char kind;

	sb->len = 0;
	if (sym_is_undefined(sym))
		kind = 'U';
	else if (sym->type == STT_FUNC)
		kind = 'F';
	else if (sym->type == STT_OBJECT || sym->type == STT_TLS)
		kind = 'O';
	else
		kind = 'N';
	strbuf_add(sb, &kind, 1);
	norm_name(sb, sym->name);
	if (use_referrer && sym->bind == STB_LOCAL && kind != 'F' &&
	    has_number(sym->name)) {
		strbuf_add(sb, "@", 1);
		if (referrer)
			norm_name(sb, referrer);
	}
	strbuf_add(sb, "", 1);
}

void correlate_pair(struct symbol *o, struct symbol *p)
{
	o->twin = p;
	p->twin = o;
	if (func_of(o) && func_of(p)) {
		func_of(o)->twin = func_of(p);
		func_of(p)->twin = func_of(o);
	}
	DEBUG2("correlate: %s <-> %s", o->name, p->name);
}

/*
 * Round 1: every symbol, numbered static locals keyed by their user too.
 * Round 2: numbered static locals still alone, by name only (their user
 * changed, e.g. a new caller of the inline function holding them).
 */
static bool in_round(const struct symbol *sym, int round)
{
	if (!correlatable(sym))
		return false;
	if (round == 1)
		return true;
	return !sym->twin && sym->bind == STB_LOCAL && sym->type != STT_FUNC &&
	       !sym_is_undefined(sym) && has_number(sym->name);
}

/* More than one on a side of numbered, local data symbols (statics.c). */
static bool is_statics_group(const struct group *g)
{
	const struct symbol *s;

	if (!g->n[0] || !g->n[1] || (g->n[0] == 1 && g->n[1] == 1))
		return false;
	s = g->v[0][0];
	return s->bind == STB_LOCAL && s->type == STT_OBJECT &&
	       has_number(s->name);
}

static void correlate_round(struct cdo *c, int round)
{
	struct elf_file *files[2] = { c->orig, c->patched };
	struct hashmap groups;
	struct strbuf sb;
	struct group **all = NULL;
	size_t nr_all = 0, cap_all = 0, i, k, j;

	/* about one group per ORIG/PATCHED pair; the map grows if not */
	hash_init(&groups, (c->orig->nr_syms + c->patched->nr_syms) / 2);
	strbuf_init(&sb);
	for (k = 0; k < 2; k++) {
		struct elf_file *elf = files[k];
		const char **ref = round == 1 ? referrers(elf) : NULL;

		for (i = 0; i < elf->nr_syms; i++) {
			struct symbol *sym = elf->syms[i];
			struct group *g;

			if (!in_round(sym, round))
				continue;
			sym_key(&sb, sym, ref ? ref[sym->index] : NULL,
				round == 1);
			g = hash_find(&groups, sb.buf);
			if (!g) {
				g = xcalloc(1, sizeof(*g) + strlen(sb.buf) + 1);
				strcpy(g->key, sb.buf);
				hash_add(&groups, g->key, g);
				if (nr_all == cap_all) {
					cap_all = cap_all ? cap_all * 2 : 256;
					all = xrealloc(all, cap_all * sizeof(*all));
				}
				all[nr_all++] = g;
			}
			group_add(g, k, sym);
		}
		free(ref);
	}

	/* numbered statics of one user: by content before names */
	for (k = 0; k < STATICS_PASSES; k++)
		for (i = 0; i < nr_all; i++)
			if (is_statics_group(all[i]))
				pair_by_content(c, all[i]->v[0], all[i]->n[0],
						all[i]->v[1], all[i]->n[1], k);
	for (i = 0; i < nr_all; i++) {
		struct group *g = all[i];
		struct symbol *lo = NULL, *lp = NULL;
		size_t no = 0, np = 0;

		if (g->n[0] == 1 && g->n[1] == 1) {
			correlate_pair(g->v[0][0], g->v[1][0]);
		} else if (g->n[0] && g->n[1] && round == 1) {
			/* exact names first: mark the group (->in_group) */
			for (j = 0; j < g->n[0]; j++)
				g->v[0][j]->in_group = true;
			for (j = 0; j < g->n[1]; j++) {
				struct symbol *p = g->v[1][j], *o;

				if (p->twin)
					continue;
				for (o = elf_find_symbol(c->orig, p->name); o;
				     o = elf_find_symbol_next(c->orig, o))
					if (o->in_group && !o->twin)
						break;
				if (o)
					correlate_pair(o, p);
			}
			for (j = 0; j < g->n[0]; j++) {
				g->v[0][j]->in_group = false;
				if (!g->v[0][j]->twin) {
					lo = g->v[0][j];
					no++;
				}
			}
			for (j = 0; j < g->n[1]; j++)
				if (!g->v[1][j]->twin) {
					lp = g->v[1][j];
					np++;
				}
			if (no == 1 && np == 1)
				correlate_pair(lo, lp);
			else if (no || np)
				DEBUG("correlate: %zu/%zu symbols like %s stay unpaired",
				      no, np, (lo ? lo : lp)->name);
		}
		group_free(g);
	}
	free(all);
	hash_free(&groups);
	strbuf_free(&sb);
}

static void pair_secs(struct section *o, struct section *p)
{
	o->twin = p;
	p->twin = o;
	if (o->sym && p->sym) {
		o->sym->twin = p->sym;
		p->sym->twin = o->sym;
	}
}

static bool norm_equal(const char *a, const char *b)
{
	struct strbuf x, y;
	bool eq;

	strbuf_init(&x);
	strbuf_init(&y);
	norm_name(&x, a);
	norm_name(&y, b);
	strbuf_add(&x, "", 1);
	strbuf_add(&y, "", 1);
	eq = !strcmp(x.buf, y.buf);
	strbuf_free(&x);
	strbuf_free(&y);
	return eq;
}

static void correlate_sections(struct cdo *c)
{
	struct elf_file *o = c->orig, *p = c->patched;
	struct hashmap norm;
	struct strbuf sb;
	size_t i;

	/* 1. sections follow the symbol they were made for */
	for (i = 0; i < p->nr_secs; i++) {
		struct section *ps = p->secs[i], *os;

		if (is_rela_section(ps) || !ps->func || !ps->func->twin)
			continue;
		os = ps->func->twin->sec;
		if (os && !os->twin && os->func == ps->func->twin &&
		    norm_equal(os->name, ps->name))
			pair_secs(os, ps);
	}
	/* 2. exact names, then names with numbers normalized */
	hash_init(&norm, o->nr_secs);
	strbuf_init(&sb);
	for (i = 0; i < o->nr_secs; i++) {
		struct section *os = o->secs[i];

		if (os->twin || is_rela_section(os) || !has_number(os->name))
			continue;
		sb.len = 0;
		norm_name(&sb, os->name);
		strbuf_add(&sb, "", 1);
		hash_add(&norm, cdo_own(c, xstrdup(sb.buf)), os);
	}
	for (i = 1; i < p->nr_secs; i++) {
		struct section *ps = p->secs[i], *os;
		struct hash_entry *e;

		if (ps->twin || is_rela_section(ps))
			continue;
		os = elf_find_section(o, ps->name);
		if (os && !os->twin && !is_rela_section(os) &&
		    os->sh.sh_type == ps->sh.sh_type) {
			pair_secs(os, ps);
			continue;
		}
		if (!has_number(ps->name))
			continue;
		sb.len = 0;
		norm_name(&sb, ps->name);
		strbuf_add(&sb, "", 1);
		e = hash_first(&norm, sb.buf);
		if (e && !hash_next(&norm, e) && !((struct section *)e->val)->twin)
			pair_secs(e->val, ps);
	}
	hash_free(&norm);
	strbuf_free(&sb);
	/* 3. relocation sections follow their base */
	for (i = 0; i < p->nr_secs; i++) {
		struct section *ps = p->secs[i];

		if (ps->rela && ps->twin && ps->twin->rela) {
			ps->rela->twin = ps->twin->rela;
			ps->twin->rela->twin = ps->rela;
		}
	}
	if (debug_level)
		for (i = 1; i < p->nr_secs; i++)
			if (!p->secs[i]->twin && !is_rela_section(p->secs[i]))
				DEBUG2("correlate: section %s is new",
				      p->secs[i]->name);
}

void correlate(struct cdo *c)
{
	correlate_round(c, 1);
	correlate_round(c, 2);
	statics_free(c);	/* users are looked up in the rounds only */
	correlate_sections(c);
}
