// SPDX-License-Identifier: GPL-2.0
/*
 * Numbered static locals paired by content.
 *
 * gcc numbers static locals per object ("__func__.12", "__already_done.3")
 * and __COUNTER__ numbers "__UNIQUE_ID_ddebug123": a patch that adds one
 * (FORTIFY's strcat() brings a "__func__" of its own, a new pr_debug()
 * brings a descriptor) shifts every later number.  correlate.c groups
 * such symbols by their name without the number and by their user; when
 * a group holds more than one on a side, names would pair the wrong ones
 * (the new "__func__.13" with the old "__func__.13").  So before names,
 * symbols pair by what they hold:
 *   pass 0  equal bytes, objects without relocations (strings);
 *   pass 1  equal bytes and relocation targets (targets compare through
 *           the twins pass 0 found: a descriptor's __func__);
 *   pass 2  equal relocation targets only (a descriptor whose line moved);
 *   pass 3  the same users, in the same order (WARN_ONCE flags, below).
 * A pair is made only when it is the one candidate both ways.  Groups are
 * small (one user's statics); larger ones than MAX_GROUP are left to names.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

#define MAX_GROUP	64

static bool has_relocs(struct symbol *s)
{
	size_t n;

	elf_range_relocs(s->sec, s->sym.st_value, s->sym.st_size, &n);
	return n != 0;
}

static bool comparable(struct symbol *s)
{
	return !s->twin && s->sec && (s->type == STT_OBJECT) &&
	       s->sym.st_size &&
	       s->sym.st_value + s->sym.st_size <= s->sec->sh.sh_size &&
	       !is_text_section(s->sec);
}

static bool alike(struct cdo *c, struct symbol *o, struct symbol *p, int pass)
{
	uint64_t at;
	char *why;

	if (!comparable(o) || !comparable(p) ||
	    o->sym.st_size != p->sym.st_size || !o->sec->data != !p->sec->data)
		return false;
	if (pass == 0 && (has_relocs(o) || has_relocs(p)))
		return false;
	if (pass == 2) {
		if (!has_relocs(o) || !has_relocs(p))
			return false;
		why = compare_targets(c, o->sec, o->sym.st_value, p->sec,
				      p->sym.st_value, p->sym.st_size, &at);
	} else {
		why = compare_range(c, o->sec, o->sym.st_value, p->sec,
				    p->sym.st_value, p->sym.st_size, &at);
	}
	free(why);
	return !why;
}

/*
 * Pass 3, by their users.  WARN_ONCE()/pr_*_once() flags
 * ("__already_done.N", one zero byte each) are all alike; a new static
 * anywhere above shifts all their numbers.  Each one has users: the
 * functions whose code refers to it (all of them: an inline function's
 * flag is shared by every caller it was inlined into), and a place in the
 * first of them.  Symbols pair when their users are the same (by name,
 * numbers left out) and they come in the same order in that first user.
 */
struct user_ref {
	size_t sym;		/* symbol index */
	const struct symbol *fn;
	uint64_t at;		/* offset in fn */
};

struct users {
	char **sig;		/* per symbol index: users, or NULL */
	uint64_t *pos;		/* per symbol index: place in the first user */
	size_t nr;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct user_ref *x = a, *y = b;
	int d;

	if (x->sym != y->sym)
		return x->sym < y->sym ? -1 : 1;
	d = strcmp(x->fn->name, y->fn->name);
	if (d)
		return d;
	return x->at < y->at ? -1 : x->at > y->at;
}

static bool numbered_local(const struct symbol *s)
{
	return s->bind == STB_LOCAL && s->type == STT_OBJECT &&
	       has_number(s->name);
}

/* One pass over the code's relocations, then a sort. */
static struct users *users_of(struct elf_file *elf)
{
	struct users *u = xcalloc(1, sizeof(*u));
	struct user_ref *v = NULL;
	size_t n = 0, cap = 0, i, j, k;
	struct strbuf sb;

	u->nr = elf->nr_syms;
	u->sig = xcalloc(u->nr + 1, sizeof(*u->sig));
	u->pos = xcalloc(u->nr + 1, sizeof(*u->pos));
	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rs = elf->secs[i];

		if (!is_rela_section(rs) || !rs->base ||
		    !is_text_section(rs->base))
			continue;
		for (j = 0; j < rs->nr_relocs; j++) {
			struct reloc *r = &rs->relocs[j];
			struct symbol *fn;
			struct target t;

			reloc_target(elf, rs->base, r, &t);
			if (t.kind != T_SYM || !numbered_local(t.sym))
				continue;
			fn = sym_at(elf, rs->base, r->offset);
			if (!fn)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n].sym = t.sym->index;
			v[n].fn = fn;
			v[n++].at = r->offset - fn->sym.st_value;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_ref);
	strbuf_init(&sb);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && v[j].sym == v[i].sym; j++)
			;
		sb.len = 0;
		for (k = i; k < j; k++) {
			if (k > i && v[k].fn == v[k - 1].fn)
				continue;
			norm_name(&sb, v[k].fn->name);
			strbuf_add(&sb, " ", 1);
		}
		u->sig[v[i].sym] = xstrndup(sb.buf, sb.len);
		u->pos[v[i].sym] = v[i].at;	/* first user, first place */
	}
	strbuf_free(&sb);
	free(v);
	return u;
}

static void users_free(struct users *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nr; i++)
		free(u->sig[i]);
	free(u->sig);
	free(u->pos);
	free(u);
}

void statics_free(struct cdo *c)
{
	users_free(c->statics_users[0]);
	users_free(c->statics_users[1]);
	c->statics_users[0] = c->statics_users[1] = NULL;
}

static const char *sig_of(struct users *u, const struct symbol *s)
{
	return s->index < u->nr && u->sig[s->index] ? u->sig[s->index] : "";
}

/* Nth unpaired symbol of @v with users @sig, by place; NULL if none. */
static struct symbol *nth_user(struct users *u, struct symbol **v, size_t n,
			       const char *sig, size_t nth, size_t *count)
{
	struct symbol *best = NULL;
	size_t i, j, rank;

	*count = 0;
	for (i = 0; i < n; i++) {
		if (v[i]->twin || strcmp(sig_of(u, v[i]), sig))
			continue;
		(*count)++;
		for (j = 0, rank = 0; j < n; j++)
			if (j != i && !v[j]->twin &&
			    !strcmp(sig_of(u, v[j]), sig) &&
			    (u->pos[v[j]->index] < u->pos[v[i]->index] ||
			     (u->pos[v[j]->index] == u->pos[v[i]->index] &&
			      j < i)))
				rank++;
		if (rank == nth)
			best = v[i];
	}
	return best;
}

static void pair_by_users(struct cdo *c, struct symbol **o, size_t no,
			  struct symbol **p, size_t np)
{
	struct users *uo, *up;
	size_t j, nth, co, cp;

	if (!c->statics_users[0]) {
		c->statics_users[0] = users_of(c->orig);
		c->statics_users[1] = users_of(c->patched);
	}
	uo = c->statics_users[0];
	up = c->statics_users[1];
	for (j = 0; j < np; j++) {
		struct symbol *ps = p[j], *os;
		const char *sig = sig_of(up, ps);

		if (ps->twin || !*sig || !comparable(ps))
			continue;
		/* ps's rank among the unpaired of its users on its side */
		for (nth = 0; nth < np; nth++)
			if (nth_user(up, p, np, sig, nth, &cp) == ps)
				break;
		os = nth_user(uo, o, no, sig, nth, &co);
		if (!os || co != cp || !comparable(os) ||
		    os->sym.st_size != ps->sym.st_size)
			continue;
		DEBUG2("correlate: %s <-> %s by users (%s)", os->name, ps->name,
		       sig);
		correlate_pair(os, ps);
	}
}

void pair_by_content(struct cdo *c, struct symbol **o, size_t no,
		     struct symbol **p, size_t np, int pass)
{
	size_t i, j, k, hits, at;

	if (no > MAX_GROUP || np > MAX_GROUP || no + np < 3)
		return;
	if (pass == 3) {
		pair_by_users(c, o, no, p, np);
		return;
	}
	for (j = 0; j < np; j++) {
		if (p[j]->twin)
			continue;
		for (i = 0, hits = 0, at = 0; i < no && hits < 2; i++)
			if (!o[i]->twin && alike(c, o[i], p[j], pass)) {
				hits++;
				at = i;
			}
		if (hits != 1)
			continue;
		/* and p[j] is the only one of its side like o[at] */
		for (k = 0; k < np && hits == 1; k++)
			if (k != j && !p[k]->twin && alike(c, o[at], p[k], pass))
				hits++;
		if (hits == 1) {
			DEBUG2("correlate: %s <-> %s by content", o[at]->name,
			       p[j]->name);
			correlate_pair(o[at], p[j]);
		}
	}
}
