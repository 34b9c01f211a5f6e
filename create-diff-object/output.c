// SPDX-License-Identifier: GPL-2.0
/*
 * The diff object: included sections and their symbols copied from
 * PATCHED, special sections rebuilt from the entries of included functions
 * (.altinstr_replacement and .fixup from their out-of-line code),
 * references to the original kernel as undefined symbols (reference.c), and a
 * "__klpgen_new.<obj>.<func>.<sympos>" alias for every changed function.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

struct out {
	struct cdo *c;
	struct elf_file *e;
	struct section **secmap;	/* PATCHED section index -> OUT */
	struct symbol **symmap;		/* PATCHED symbol index -> OUT */
	struct hashmap refs;		/* reference name -> OUT symbol */
	/* out-of-line code of entries: .altinstr_replacement, .fixup */
	struct section *piece_src[4], *piece_dst[4];
	struct hashmap pieces;		/* "<dst>:<src off>" -> OUT offset + 1 */
	bool failed;
};

/* Alignment worth copying: a power of two up to 64 KiB. */
static uint64_t sane_align(struct out *o, const struct section *s)
{
	uint64_t a = s->sh.sh_addralign;

	if (a > 65536 || (a & (a - 1)))
		die_code(EXIT_BAD_INPUT, "%s: section %s: bad alignment %llu",
			 o->c->patched_path, s->name, (unsigned long long)a);
	return a ? a : 1;
}

static struct section *copy_sec(struct out *o, struct section *s)
{
	struct section *n;

	n = elf_add_section(o->e, s->name, s->sh.sh_type,
			    s->sh.sh_flags & ~(uint64_t)SHF_GROUP,
			    sane_align(o, s), s->sh.sh_entsize,
			    s->data, s->sh.sh_size);
	o->secmap[s->index] = n;
	return n;
}

static struct symbol *ref_sym(struct out *o, struct symbol *psym,
			      struct section *base, const struct reloc *r)
{
	struct symbol *s;
	char *name;
	bool klp;

	name = reference_name(o->c, psym, &klp);
	if (!name) {
		o->failed = true;
		return NULL;
	}
	s = hash_find(&o->refs, name);
	if (!s) {
		unsigned char type = psym->type == STT_SECTION ||
				     psym->type == STT_FILE ? STT_NOTYPE :
							      psym->type;

		s = elf_add_symbol(o->e, name, STB_GLOBAL, type, NULL, 0, 0);
		if (!klp)	/* resolved by name, checked by CRC */
			crc_check_reference(o->c, name, base, r);
		hash_add(&o->refs, s->name, s);
		DEBUG("reference: %s -> %s", psym->name, name);
	}
	free(name);
	return s;
}

static void copy_piece_at(struct out *o, struct section *rs, uint64_t off,
			  uint64_t len, struct section **dst, uint64_t *new_off);

/* OUT symbol and addend for PATCHED relocation @r of @base. */
static struct symbol *map_target(struct out *o, struct section *base,
				 const struct reloc *r, int64_t *addend)
{
	struct symbol *sym = elf_reloc_sym(o->c->patched, r);
	struct target t;
	uint64_t start;

	*addend = r->addend;
	if (sym->type != STT_SECTION) {
		if ((sym->sec && sym->sec->include) || sym->include)
			return o->symmap[sym->index];
		return ref_sym(o, sym, base, r);
	}
	if (sym->sec && sym->sec->include)
		return elf_section_symbol(o->e, o->secmap[sym->sec->index]);
	reloc_target(o->c->patched, base, r, &t);
	if (t.kind == T_SYM) {
		*addend = t.off;
		if ((t.sym->sec && t.sym->sec->include) || t.sym->include)
			return o->symmap[t.sym->index];
		return ref_sym(o, t.sym, base, r);
	}
	/* out-of-line code (.altinstr_aux): just the piece it points at */
	if (pieces_target(o->c, base, r, &t, &start)) {
		uint64_t nstart;
		struct section *d;

		copy_piece_at(o, t.sec, start, pieces_len(o->c, t.sec, start),
			      &d, &nstart);
		*addend = (int64_t)nstart + t.bias;
		return elf_section_symbol(o->e, d);
	}
	refuse(o->c, "relocation at %s+0x%llx points into %s, which is not included",
	       base->name, (unsigned long long)r->offset,
	       sym->sec ? sym->sec->name : "?");
	o->failed = true;
	return NULL;
}

/* Relocation @r of PATCHED's @base, into @dst at @off. */
static void copy_reloc(struct out *o, struct section *dst, uint64_t off,
		       struct section *base, const struct reloc *r)
{
	struct symbol *s;
	int64_t addend;

	s = map_target(o, base, r, &addend);
	if (s)
		elf_add_reloc(o->e, dst, off, r->type, s, addend);
}

static void copy_relocs(struct out *o, struct section *ps)
{
	struct section *dst = o->secmap[ps->index];
	size_t i;

	if (!ps->rela)
		return;
	for (i = 0; i < ps->rela->nr_relocs; i++)
		copy_reloc(o, dst, ps->rela->relocs[i].offset, ps,
			   &ps->rela->relocs[i]);
}

/* The OUT section collecting the pieces cut out of PATCHED's @rs. */
static struct section *piece_dst(struct out *o, struct section *rs)
{
	size_t i;

	for (i = 0; i < 4 && o->piece_src[i]; i++)
		if (o->piece_src[i] == rs)
			return o->piece_dst[i];
	if (i == 4)
		DIE("more than 4 kinds of out-of-line code");
	o->piece_src[i] = rs;
	o->piece_dst[i] = elf_add_section(o->e, rs->name, rs->sh.sh_type,
					  rs->sh.sh_flags & ~(uint64_t)SHF_GROUP,
					  sane_align(o, rs), 0, NULL, 0);
	return o->piece_dst[i];
}

/*
 * The out-of-line code of entry @idx (an alternative's replacement, a
 * .fixup piece) into OUT, once per piece: *dst and *new_off say where.
 */
static void copy_piece_at(struct out *o, struct section *rs, uint64_t off,
			  uint64_t len, struct section **dst, uint64_t *new_off)
{
	struct reloc *rv;
	struct section *d;
	uint64_t base;
	char *key;
	void *v;
	size_t i, n;

	*dst = d = piece_dst(o, rs);
	key = xasprintf("%p:%llx", (void *)d, (unsigned long long)off);
	v = hash_find(&o->pieces, key);
	if (v) {
		*new_off = (uintptr_t)v - 1;
		free(key);
		return;
	}
	base = elf_append_data(d, (unsigned char *)rs->data + off, len, 1);
	/* known before its relocations: pieces may jump into each other */
	hash_add(&o->pieces, cdo_own(o->c, key), (void *)(uintptr_t)(base + 1));
	*new_off = base;
	rv = elf_range_relocs(rs, off, len, &n);
	for (i = 0; i < n; i++)
		copy_reloc(o, d, base + rv[i].offset - off, rs, &rv[i]);
}

static bool copy_piece(struct out *o, struct special *sp, size_t idx,
		       struct section **dst, uint64_t *new_off)
{
	struct section *rs;
	uint64_t off, len;

	if (!special_piece(sp, idx, &rs, &off, &len)) {
		refuse(o->c, "%s entry %zu: unreadable replacement",
		       sp->sec->name, idx);
		return false;
	}
	copy_piece_at(o, rs, off, len, dst, new_off);
	return true;
}

static void copy_special(struct out *o, struct special *sp)
{
	struct section *dst;
	unsigned char *buf;
	size_t j, k, n, nr = sp->nr_included, es = sp->entsize;
	struct reloc *rv;
	uint64_t align;

	if (!nr)
		return;
	align = sane_align(o, sp->sec);	/* may exit: before allocating */
	/* whole entries: a last one without tail padding gets zeros */
	buf = xcalloc(nr, es);
	for (j = 0, n = 0; j < sp->nr; j++)
		if (sp->include[j])
			memcpy(buf + es * n++,
			       (unsigned char *)sp->sec->data + j * es,
			       special_entry_len(sp, j));
	dst = elf_add_section(o->e, sp->sec->name, sp->sec->sh.sh_type,
			      sp->sec->sh.sh_flags & ~(uint64_t)SHF_GROUP,
			      align, sp->sec->sh.sh_entsize, buf, nr * es);
	free(buf);
	o->secmap[sp->sec->index] = dst;
	if (sp->sec->link && sp->sec->link->include)
		dst->link = o->secmap[sp->sec->link->index];
	/* SHF_LINK_ORDER: link to the code of the (first) kept entry */
	for (j = 0; !dst->link && (dst->sh.sh_flags & SHF_LINK_ORDER) &&
	     j < sp->nr; j++)
		if (sp->include[j])
			dst->link = o->secmap[entry_owner(o->c, sp, j)->sym->sec->index];
	for (j = 0, n = 0; j < sp->nr; j++) {
		if (!sp->include[j])
			continue;
		special_entry_relocs(sp, j, &rv, &k);
		for (size_t i = 0; i < k; i++) {
			uint64_t rel = rv[i].offset - j * es, poff;
			struct section *pd;

			if (rel == PIECE_FIELD && sp->desc->altinstr) {
				if (copy_piece(o, sp, j, &pd, &poff))
					elf_add_reloc(o->e, dst, n * es + rel,
						      rv[i].type,
						      elf_section_symbol(o->e, pd),
						      (int64_t)poff);
				continue;
			}
			copy_reloc(o, dst, n * es + rel, sp->sec, &rv[i]);
		}
		n++;
	}
	DEBUG("special: %s: %zu of %zu entries", sp->sec->name, nr, sp->nr);
}

/* Objects copied out of shared sections, into sections of the same name. */
static void extract_objects(struct out *o)
{
	struct elf_file *p = o->c->patched;
	struct section **split = xcalloc(p->nr_secs + 1, sizeof(*split));
	struct reloc *rv;
	size_t i, j, n;

	for (i = 1; i < p->nr_syms; i++) {
		struct symbol *s = p->syms[i];
		struct section *ps = s->sec, *d;
		uint64_t off;

		if (!s->include || !ps || ps->include)
			continue;
		d = split[ps->index];
		if (!d)
			d = split[ps->index] = elf_add_section(o->e, ps->name,
				ps->sh.sh_type, ps->sh.sh_flags & ~(uint64_t)SHF_GROUP,
				sane_align(o, ps), ps->sh.sh_entsize, NULL, 0);
		off = elf_append_data(d, ps->data ? (unsigned char *)ps->data +
				      s->sym.st_value : NULL,
				      s->sym.st_size, sane_align(o, ps));
		o->symmap[i] = elf_add_symbol(o->e, s->name, s->bind, s->type,
					      d, off, s->sym.st_size);
	}
	for (i = 1; i < p->nr_syms; i++) {
		struct symbol *s = p->syms[i];
		struct section *ps = s->sec;

		if (!s->include || !ps || ps->include)
			continue;
		rv = elf_range_relocs(ps, s->sym.st_value, s->sym.st_size, &n);
		for (j = 0; j < n; j++)
			copy_reloc(o, split[ps->index], rv[j].offset -
				   s->sym.st_value + o->symmap[i]->sym.st_value,
				   ps, &rv[j]);
	}
	free(split);
}

static void add_aliases(struct out *o)
{
	struct cdo *c = o->c;
	size_t i;

	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];
		struct symbol *ps = f->sym, *ns;
		const char *why;
		char *name;
		long pos;

		/* .cold parts have no fentry: they come with their parent */
		if (!f->is_patched || f->verdict != V_CHANGED || f->is_cold)
			continue;
		pos = kernel_sympos(c, f->twin->sym);
		if (pos < 0) {
			refuse(c, "changed function %s (section %s) %s in %s",
			       ps->name, ps->sec->name,
			       pos == SYMPOS_AMBIGUOUS ? "is ambiguous" : "is not found",
			       c->symbols_path);
			o->failed = true;
			continue;
		}
		/* named after the function of the running kernel */
		name = klpgen_new_name(c->objname, f->twin->sym->name, pos,
				       &why);
		if (!name) {
			refuse(c, "changed function %.64s (section %s): %s",
			       ps->name, ps->sec->name, why);
			o->failed = true;
			continue;
		}
		/* at the copy: its section, or where it was split out to */
		ns = elf_add_symbol(o->e, name, STB_GLOBAL, STT_FUNC,
				    o->symmap[ps->index]->sec,
				    o->symmap[ps->index]->sym.st_value,
				    ps->sym.st_size);
		(void)ns;
		free(name);
	}
}

int write_output(struct cdo *c)
{
	struct elf_file *p = c->patched;
	struct out o = { 0 };
	size_t i;
	int ret = EXIT_OK;

	o.c = c;
	o.e = elf_create(c->out_path);
	c->out = o.e;
	o.secmap = xcalloc(p->nr_secs + 1, sizeof(*o.secmap));
	o.symmap = xcalloc(p->nr_syms + 1, sizeof(*o.symmap));
	hash_init(&o.refs, 256);
	hash_init(&o.pieces, 64);

	for (i = 0; i < p->nr_secs; i++)
		if (p->secs[i]->include)
			copy_sec(&o, p->secs[i]);
	for (i = 0; i < p->nr_secs; i++) {
		struct section *s = p->secs[i];

		if (s->include && s->link && s->link->include)
			o.secmap[i]->link = o.secmap[s->link->index];
	}
	for (i = 1; i < p->nr_syms; i++) {
		struct symbol *s = p->syms[i];

		if (!s->sec || !s->sec->include || s->type == STT_SECTION ||
		    s->type == STT_FILE || !s->name[0])
			continue;
		o.symmap[i] = elf_add_symbol(o.e, s->name, s->bind, s->type,
					     o.secmap[s->sec->index],
					     s->sym.st_value, s->sym.st_size);
		o.symmap[i]->other = s->other;
	}
	extract_objects(&o);
	for (i = 0; i < p->nr_secs; i++)
		if (p->secs[i]->include)
			copy_relocs(&o, p->secs[i]);
	for (i = 0; i < c->nr_specials; i++)
		if (c->specials[i].is_patched)
			copy_special(&o, &c->specials[i]);
	add_aliases(&o);
	elf_add_section(o.e, ".note.GNU-stack", SHT_PROGBITS, 0, 1, 0, NULL, 0);

	if (o.failed || c->nr_refusals) {
		ret = EXIT_UNSAFE;
	} else if (elf_write(o.e, c->out_path)) {	/* it says why */
		ret = EXIT_INTERNAL;
	}
	hash_free(&o.refs);
	hash_free(&o.pieces);
	free(o.secmap);
	free(o.symmap);
	return ret;
}
