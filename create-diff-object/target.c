// SPDX-License-Identifier: GPL-2.0
/*
 * The symbolic identity of a relocation target.
 *
 * Offsets move between builds; identities do not.  A relocation points at
 *  - a symbol + offset (section symbols of data/text sections resolve to
 *    the object or function containing the address),
 *  - the content of a mergeable string or constant section (compared by
 *    content, never by offset),
 *  - or an anonymous section + offset (jump tables, .altinstr_replacement).
 * In code, a PC-relative field is relative to the end of its instruction,
 * so the address is addend + 4 ("bias" -4), more with an immediate after
 * the field (arch_pcrel_tail()); in data ".long x - ." has no bias.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

bool is_mergeable(const struct section *sec)
{
	return (sec->sh.sh_flags & SHF_MERGE) && sec->data;
}

struct symbol *sym_at(const struct elf_file *elf, struct section *sec,
		      int64_t off)
{
	struct symbol *s;

	if (off >= 0 && (uint64_t)off < sec->sh.sh_size) {
		s = elf_symbol_containing(elf, sec, off);
		if (s)
			return s;
	}
	/* one symbol covering the whole section (function/data sections) */
	s = sec->func;
	if (s && s->sym.st_value == 0 && s->sym.st_size >= sec->sh.sh_size &&
	    off >= -16 && off <= (int64_t)sec->sh.sh_size + 16)
		return s;
	return NULL;
}

/* Addresses wrap modulo 2^64, as the linker computes them. */
static int64_t wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wrap_sub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

void reloc_target(const struct elf_file *elf, const struct section *base,
		  const struct reloc *r, struct target *t)
{
	struct symbol *sym = elf_reloc_sym(elf, r);
	int64_t bias = 0, addr;

	memset(t, 0, sizeof(*t));
	if (base && is_text_section(base) && arch_reloc_is_pcrel(r->type))
		bias = -(int64_t)arch_pcrel_tail(base->data, base->sh.sh_size,
						 r->offset);
	t->bias = bias;
	/* labels in mergeable sections (.LC0 kept by the assembler) are
	 * strings too; named objects there keep their identity */
	if (sym->sec && sym->type == STT_NOTYPE && sym->bind == STB_LOCAL &&
	    is_mergeable(sym->sec)) {
		addr = wrap_sub(wrap_add((int64_t)sym->sym.st_value, r->addend),
			       bias);
	} else if (sym->type != STT_SECTION || !sym->sec) {
		t->kind = T_SYM;
		t->sym = sym;
		t->off = r->addend;
		return;
	} else {
		addr = wrap_sub(r->addend, bias);
	}
	if (is_mergeable(sym->sec)) {
		struct section *s = sym->sec;

		t->kind = T_STR;
		t->sec = s;
		t->off = addr;
		if (addr < 0 || (uint64_t)addr >= s->sh.sh_size) {
			t->str = NULL;
			t->len = 0;
		} else if (s->sh.sh_flags & SHF_STRINGS) {
			t->str = (const char *)s->data + addr;
			t->len = strnlen(t->str, s->sh.sh_size - addr);
		} else {
			size_t es = s->sh.sh_entsize ? s->sh.sh_entsize : 1;

			t->str = (const char *)s->data + addr;
			t->len = s->sh.sh_size - addr < es ?
				 s->sh.sh_size - addr : es;
		}
		return;
	}
	t->sym = sym_at(elf, sym->sec, addr);
	if (t->sym) {
		t->kind = T_SYM;
		t->off = wrap_sub(r->addend, (int64_t)t->sym->sym.st_value);
		return;
	}
	t->kind = T_SEC;
	t->sec = sym->sec;
	t->off = r->addend;
}

static bool sym_same(const struct symbol *o, const struct symbol *p)
{
	if (o->twin)
		return o->twin == p;
	if (sym_is_undefined(o) && sym_is_undefined(p))
		return !strcmp(o->name, p->name);
	return false;
}

/*
 * Data of assembler-local objects, one section each with -fdata-sections:
 * gcc's UBSAN data ".data..Lubsan_data<N>", clang's ".data..L__unnamed_<N>".
 * They have no symbol, and their numbers follow the order of the checks in
 * the file: one check added renumbers every later one, so they are paired
 * by content (name with the number left out), never by name.
 */
static bool is_private_data(const struct section *s)
{
	return strstr(s->name, "..L") && !s->func && !is_text_section(s) &&
	       s->data;
}

static size_t private_base_len(const char *name)
{
	size_t n = strlen(name);

	while (n && name[n - 1] >= '0' && name[n - 1] <= '9')
		n--;
	return n;
}

/*
 * UBSAN data starts with a struct source_location { const char *file;
 * u32 line, column; }: where the check is, not what it checks.  A moved
 * line is no change (the running kernel's copy reports the old line).
 */
static bool is_source_location(const struct elf_file *elf,
			       const struct section *s)
{
	struct reloc *r = elf_find_reloc((struct section *)s, 0,
					 arch_ptr_size());
	struct symbol *to = r ? elf_reloc_sym(elf, r) : NULL;

	return s->sh.sh_size >= arch_ptr_size() + 8 && r && r->offset == 0 &&
	       arch_reloc_is_abs64(r->type) &&
	       to->sec && is_mergeable(to->sec) &&
	       (strstr(s->name, "ubsan") || strstr(s->name, "L__unnamed"));
}

static bool private_equal(struct cdo *c, struct section *os,
			  struct section *ps)
{
	struct hash_entry *e;
	size_t lo = private_base_len(os->name), lp = private_base_len(ps->name);
	char key[64];
	uint64_t at;
	void *v;
	char *why;
	bool eq;

	if (lo != lp || strncmp(os->name, ps->name, lo) ||
	    os->sh.sh_size != ps->sh.sh_size)
		return false;
	if (!c->private_memo.buckets)
		hash_init(&c->private_memo, 64);
	snprintf(key, sizeof(key), "%p:%p", (void *)os, (void *)ps);
	v = hash_find(&c->private_memo, key);
	if (v)
		return v == (void *)1;
	e = hash_insert(&c->private_memo, cdo_own(c, xstrdup(key)), (void *)1);
	if (is_source_location(c->orig, os) &&
	    is_source_location(c->patched, ps))
		why = compare_range_ign(c, os, 0, ps, 0, os->sh.sh_size,
					8, 16, &at);
	else
		why = compare_range(c, os, 0, ps, 0, os->sh.sh_size, &at);
	eq = !why;
	free(why);
	if (!eq)
		e->val = (void *)2;
	return eq;
}

/* Anonymous sections (jump tables...) compare by content, memoized. */
static bool anon_equal(struct cdo *c, struct section *os, struct section *ps)
{
	if (is_private_data(os) && is_private_data(ps))
		return private_equal(c, os, ps);
	uint64_t at;
	char *why;

	if (os->twin != ps)
		return false;
	if (ps->twin_cmp != TWIN_CMP_UNKNOWN)
		return ps->twin_cmp == TWIN_CMP_EQUAL;
	ps->twin_cmp = TWIN_CMP_EQUAL;	/* while comparing: a cycle is equal */
	if (os->sh.sh_size != ps->sh.sh_size) {
		ps->twin_cmp = TWIN_CMP_DIFFERENT;
		return false;
	}
	why = compare_range(c, os, 0, ps, 0, os->sh.sh_size, &at);
	if (why) {
		ps->twin_cmp = TWIN_CMP_DIFFERENT;
		free(why);
	}
	return ps->twin_cmp == TWIN_CMP_EQUAL;
}

bool targets_equal(struct cdo *c, const struct target *o,
		   const struct target *p)
{
	if (o->kind != p->kind || o->bias != p->bias)
		return false;
	switch (o->kind) {
	case T_SYM:
		return o->off == p->off && sym_same(o->sym, p->sym);
	case T_STR:
		if (!o->str || !p->str)
			return false;
		return o->len == p->len && !memcmp(o->str, p->str, o->len) &&
		       o->sec->sh.sh_entsize == p->sec->sh.sh_entsize &&
		       !!(o->sec->sh.sh_flags & SHF_STRINGS) ==
		       !!(p->sec->sh.sh_flags & SHF_STRINGS);
	case T_SEC:
		if (is_piece_section(o->sec) && is_piece_section(p->sec))
			return pieces_equal(c, o, p);
		return o->off == p->off && anon_equal(c, o->sec, p->sec);
	}
	return false;
}

char *target_desc(const struct target *t)
{
	struct strbuf sb;
	size_t i;

	switch (t->kind) {
	case T_SYM:
		if (t->off == t->bias)
			return xstrdup(t->sym->name);
		return xasprintf("%s%+lld", t->sym->name,
				 (long long)wrap_sub(t->off, t->bias));
	case T_STR:
		if (!t->str)
			return xasprintf("%s%+lld", t->sec->name,
					 (long long)t->off);
		strbuf_init(&sb);
		strbuf_add(&sb, "\"", 1);
		for (i = 0; i < t->len && i < 60; i++) {
			unsigned char ch = t->str[i];

			if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
				strbuf_add(&sb, &ch, 1);
			else
				strbuf_addf(&sb, "\\x%02x", ch);
		}
		strbuf_add(&sb, i < t->len ? "...\"" : "\"",
			   i < t->len ? 5 : 2);
		return sb.buf;
	case T_SEC:
		return xasprintf("%s%+lld", t->sec->name, (long long)t->off);
	}
	return xstrdup("?");
}
