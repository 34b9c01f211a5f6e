// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line code without symbols that functions jump into and back
 * from: .altinstr_aux of x86 static_cpu_has() (the slow path testing
 * boot_cpu_data), .fixup reached from code.  Every function appends its
 * pieces to the one section of the object, so a reference into it is
 * compared by the piece it points at, not by its offset or the whole
 * section: a piece runs from where a relocation points to the next place
 * one points at.  Otherwise one function's changed piece, or pieces that
 * moved, would change every other function using the section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

struct starts {
	uint64_t *v;
	size_t n;
};

bool is_piece_section(const struct section *s)
{
	return is_text_section(s) && !s->func && s->data &&
	       !special_desc(s->name) && !arch_is_alt_repl_section(s->name);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Where in its section a relocation aims: its offset less the bias (a
 * pc-relative -4 ...); false when that is negative or does not fit (a
 * hostile addend near INT64_MAX).
 */
static bool aim_of(const struct target *t, uint64_t *at)
{
	int64_t v;

	if (__builtin_sub_overflow(t->off, t->bias, &v) || v < 0)
		return false;
	*at = (uint64_t)v;
	return true;
}

/* Sorted offsets of @s that relocations of @elf point at; cached. */
static struct starts *starts_of(struct cdo *c, struct elf_file *elf,
				struct section *s)
{
	struct starts *st;
	char key[32];
	size_t i, j, k, cap = 0;

	if (!c->piece_starts.buckets)
		hash_init(&c->piece_starts, 16);
	snprintf(key, sizeof(key), "%p", (void *)s);
	st = hash_find(&c->piece_starts, key);
	if (st)
		return st;
	st = xcalloc(1, sizeof(*st));
	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rs = elf->secs[i];

		if (!is_rela_section(rs) || !rs->base)
			continue;
		for (j = 0; j < rs->nr_relocs; j++) {
			struct reloc *r = &rs->relocs[j];
			struct target t;
			uint64_t at;

			if (elf_reloc_sym(elf, r)->sec != s)
				continue;
			reloc_target(elf, rs->base, r, &t);
			if (t.kind != T_SEC || !aim_of(&t, &at))
				continue;
			if (st->n == cap) {
				cap = cap ? 2 * cap : 16;
				st->v = xrealloc(st->v, cap * sizeof(*st->v));
			}
			st->v[st->n++] = at;
		}
	}
	qsort(st->v, st->n, sizeof(*st->v), cmp_u64);
	for (i = k = 0; i < st->n; i++)
		if (!k || st->v[k - 1] != st->v[i])
			st->v[k++] = st->v[i];
	st->n = k;
	hash_add(&c->piece_starts, cdo_own(c, xstrdup(key)), st);
	return st;
}

/* Length of the piece at @off: to the next start, or the section's end. */
static uint64_t piece_len(struct cdo *c, struct elf_file *elf,
			  struct section *s, uint64_t off)
{
	struct starts *st = starts_of(c, elf, s);
	size_t lo = 0, hi = st->n;

	/* callers refuse offsets past the end */
	if (off >= s->sh.sh_size)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->v[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < st->n ? st->v[lo] : s->sh.sh_size) - off;
}

bool pieces_equal(struct cdo *c, const struct target *o,
		  const struct target *p)
{
	uint64_t oo, po, lo, lp, at;
	struct hash_entry *e;
	char key[96], *why;
	void *v;

	if (!aim_of(o, &oo) || !aim_of(p, &po) || oo >= o->sec->sh.sh_size ||
	    po >= p->sec->sh.sh_size)
		return false;
	lo = piece_len(c, c->orig, o->sec, oo);
	lp = piece_len(c, c->patched, p->sec, po);
	if (lo != lp)
		return false;
	if (!c->private_memo.buckets)
		hash_init(&c->private_memo, 64);
	snprintf(key, sizeof(key), "%p+%llx:%p+%llx", (void *)o->sec,
		 (unsigned long long)oo, (void *)p->sec, (unsigned long long)po);
	v = hash_find(&c->private_memo, key);
	if (v)
		return v == (void *)1;
	/* in progress counts as equal: pieces jumping into each other */
	e = hash_insert(&c->private_memo, cdo_own(c, xstrdup(key)), (void *)1);
	why = compare_range(c, o->sec, oo, p->sec, po, lo, &at);
	if (why)
		e->val = (void *)2;
	free(why);
	return e->val == (void *)1;
}

void pieces_free(struct cdo *c)
{
	struct hash_entry *e;
	size_t pos = 0;

	if (!c->piece_starts.buckets)
		return;
	while ((e = hash_each(&c->piece_starts, &pos))) {
		struct starts *st = e->val;

		free(st->v);
		free(st);
	}
	hash_free(&c->piece_starts);
}

uint64_t pieces_len(struct cdo *c, struct section *s, uint64_t off)
{
	return piece_len(c, c->patched, s, off);
}

bool pieces_target(struct cdo *c, const struct section *base,
		   const struct reloc *r, const struct target *t,
		   uint64_t *start)
{
	if (t->kind != T_SEC || !is_piece_section(t->sec) || !aim_of(t, start))
		return false;
	if (*start > t->sec->sh.sh_size)
		die_code(EXIT_BAD_INPUT, "%s: section %s: relocation at +0x%llx points past the end of %s",
			 c->patched_path, base->name,
			 (unsigned long long)r->offset, t->sec->name);
	return true;
}

/* Once per piece of PATCHED: its relocations, for @fn. */
void pieces_visit(struct cdo *c, struct section *s, uint64_t off,
		  void (*fn)(void *arg, const struct section *base,
			     struct reloc *r),
		  void *arg)
{
	uint64_t len = piece_len(c, c->patched, s, off);
	struct reloc *rv;
	char key[64];
	size_t i, n;

	if (!c->private_memo.buckets)
		hash_init(&c->private_memo, 64);
	snprintf(key, sizeof(key), "visit:%p+%llx", (void *)s,
		 (unsigned long long)off);
	if (hash_find(&c->private_memo, key))
		return;
	hash_add(&c->private_memo, cdo_own(c, xstrdup(key)), (void *)1);
	rv = elf_range_relocs(s, off, len, &n);
	for (i = 0; i < n; i++)
		fn(arg, s, &rv[i]);
}
