// SPDX-License-Identifier: GPL-2.0
/*
 * The conversion: relocations against ".klp.sym.<obj>.<name>,<pos>"
 * symbols move into ".klp.rela.<obj>.<section>" sections and the symbols
 * become SHN_LIVEPATCH, as Documentation/livepatch/module-elf-format.rst
 * describes.  Running it again on its own output changes nothing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "klp-convert.h"
#include "symvers.h"
#include "util.h"

int conv_status;
/* The object being converted: every error names it. */
static const char *conv_path;

void conv_error(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", tool_name);
	if (conv_path)
		fprintf(stderr, "%s: ", conv_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* EXIT_UNSAFE outranks EXIT_BAD_INPUT. */
	if (code == EXIT_UNSAFE || !conv_status)
		conv_status = code;
}

struct ksym {
	struct klp_sym_name kn;
	bool valid;
};

static struct ksym *ksym_of(struct symbol *sym)
{
	return sym->priv;
}

/*
 * Symbols whose relocations move to another symbol: collected, then
 * applied in one pass over the relocations (not one pass per symbol).
 */
struct redirects {
	struct symbol **to;	/* by symbol index; NULL: stays */
	size_t nr;
	bool any;
};

static void redirects_init(struct redirects *rd, struct elf_file *elf)
{
	rd->nr = elf->nr_syms;
	rd->to = xcalloc(rd->nr + 1, sizeof(*rd->to));
	rd->any = false;
}

/* Every relocation against @from will point at @to. */
static void redirect(struct redirects *rd, struct symbol *from,
		     struct symbol *to)
{
	if (from->index >= rd->nr)
		DIE("redirect: symbol %s is not in the table", from->name);
	rd->to[from->index] = to;
	rd->any = true;
}

static void redirects_apply(struct redirects *rd, struct elf_file *elf)
{
	size_t i, j, hops;

	for (i = 0; rd->any && i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (!is_rela_section(sec) || sec->removed)
			continue;
		for (j = 0; j < sec->nr_relocs; j++) {
			struct reloc *r = &sec->relocs[j];
			struct symbol *s = elf_reloc_sym(elf, r);

			/* a target may have moved on too; never loop */
			for (hops = 0; s->index < rd->nr && rd->to[s->index] &&
			     hops < rd->nr; hops++)
				s = rd->to[s->index];
			elf_reloc_set_sym(elf, r, s);
		}
	}
	free(rd->to);
	rd->to = NULL;
}

static bool is_defined(const struct symbol *sym)
{
	return sym->sec || sym->shndx == SHN_ABS || sym->shndx == SHN_COMMON;
}

/* --sym NAME=OBJ[,POS]: plain undefined NAME becomes a klp symbol. */
static void apply_user_syms(struct conv_opts *o, struct elf_file *elf)
{
	struct redirects rd;
	size_t i;

	redirects_init(&rd, elf);
	for (i = 0; i < o->nr_syms; i++) {
		struct user_sym *us = &o->syms[i];
		struct symbol *sym, *klp, *next;
		unsigned long pos = us->pos;
		const char *why;
		bool seen = false;
		char *kname;

		if (!us->has_pos) {
			struct target *t = target_find(o, us->obj);
			long n = t ? target_count(t, us->name) : -1;

			if (n == 0) {
				conv_error(EXIT_BAD_INPUT, "symbol %s: not found in %s (%s)",
					   us->name, us->obj, t->path);
				continue;
			}
			if (n > 1) {
				conv_error(EXIT_BAD_INPUT, "symbol %s: %ld symbols of that name in %s; give a position: --sym %s=%s,POS",
					   us->name, n, us->obj, us->name, us->obj);
				continue;
			}
			pos = 0;
		}
		/* main.c checked the parts: --sym names always build */
		kname = klp_sym_name(us->obj, us->name, pos, &why);
		if (!kname)
			DIE("--sym %s: %s", us->name, why);
		for (sym = elf_find_symbol(elf, us->name); sym; sym = next) {
			next = elf_find_symbol_next(elf, sym);
			if (sym->removed)
				continue;
			if (is_defined(sym)) {
				conv_error(EXIT_BAD_INPUT, "symbol %s: --sym names a symbol that %s defines",
					   us->name, elf->path);
				break;
			}
			seen = true;
			klp = elf_find_symbol(elf, kname);
			if (klp && klp != sym) {
				redirect(&rd, sym, klp);
				sym->removed = true;
			} else {
				elf_rename_symbol(elf, sym, kname);
				sym->bind = STB_GLOBAL;
			}
			DEBUG("--sym: %s -> %s", us->name, kname);
		}
		if (!seen && !elf_find_symbol(elf, kname))
			WARN("warning: --sym %s: %s has no undefined symbol of that name",
			     us->name, elf->path);
		free(kname);
	}
	redirects_apply(&rd, elf);
}

/*
 * --symvers: a klp symbol of vmlinux that vmlinux exports (without a
 * namespace) becomes a plain reference again.  Not in a .ko that modpost
 * already versioned: the loader would refuse a reference without a CRC,
 * and the klp relocation works as well.
 */
static void apply_symvers(struct conv_opts *o, struct elf_file *elf,
			  struct symbol **ksyms, size_t nr)
{
	bool versioned = elf_find_section(elf, "__versions") != NULL;
	struct redirects rd;
	struct symvers *sv;
	size_t i;

	if (!o->symvers)
		return;
	sv = symvers_load(o->symvers);
	if (!sv) {	/* symvers_load() said why */
		if (!conv_status)
			conv_status = EXIT_BAD_INPUT;
		return;
	}
	redirects_init(&rd, elf);
	for (i = 0; i < nr; i++) {
		struct symbol *sym = ksyms[i], *plain;
		struct ksym *ks = ksym_of(sym);
		const struct symvers_entry *ex;

		if (!ks->valid || strcmp(ks->kn.obj, "vmlinux"))
			continue;
		ex = symvers_find(sv, ks->kn.name);
		if (!ex || strcmp(ex->module, "vmlinux"))
			continue;
		if (ex->namespace && ex->namespace[0]) {
			WARN("warning: %s is exported by vmlinux in namespace %s; keeping the klp relocation",
			     ks->kn.name, ex->namespace);
			continue;
		}
		if (versioned) {
			WARN("warning: %s is exported by vmlinux, but %s already has symbol versions; keeping the klp relocation",
			     ks->kn.name, elf->path);
			continue;
		}
		WARN("warning: %s is exported by vmlinux: using an ordinary relocation instead of %s",
		     ks->kn.name, sym->name);
		for (plain = elf_find_symbol(elf, ks->kn.name); plain;
		     plain = elf_find_symbol_next(elf, plain))
			if (!plain->removed && !is_defined(plain))
				break;
		if (plain) {
			redirect(&rd, sym, plain);
			sym->removed = true;
		} else {
			elf_rename_symbol(elf, sym, ks->kn.name);
			sym->sec = NULL;
			sym->shndx = SHN_UNDEF;
		}
		ks->valid = false;	/* no longer a klp symbol */
	}
	redirects_apply(&rd, elf);
	symvers_free(sv);
}

/* Check each klp symbol against the object it claims to come from. */
static void verify_ksyms(struct conv_opts *o, struct symbol **ksyms, size_t nr)
{
	size_t i, j;

	if (!o->nr_targets)
		return;
	for (i = 0; i < nr; i++) {
		struct ksym *ks = ksym_of(ksyms[i]);
		struct target *t;
		long n;

		if (!ks->valid)
			continue;
		t = target_find(o, ks->kn.obj);
		if (!t) {
			DEBUG("%s: no file for object %s given; not checked",
			      ksyms[i]->name, ks->kn.obj);
			continue;
		}
		n = target_count(t, ks->kn.name);
		if (!n) {
			const char *other = NULL;

			for (j = 0; j < o->nr_targets; j++)
				if (&o->targets[j] != t &&
				    target_count(&o->targets[j], ks->kn.name)) {
					other = o->targets[j].name;
					break;
				}
			if (other)
				conv_error(EXIT_BAD_INPUT, "symbol %s (%s): not in %s (%s) but found in %s",
					   ks->kn.name, ksyms[i]->name, t->name,
					   t->path, other);
			else
				conv_error(EXIT_BAD_INPUT, "symbol %s (%s): not found in %s (%s)",
					   ks->kn.name, ksyms[i]->name, t->name,
					   t->path);
		} else if (!ks->kn.pos && n > 1) {
			conv_error(EXIT_BAD_INPUT, "symbol %s (%s): ambiguous, %ld symbols of that name in %s and no position",
				   ks->kn.name, ksyms[i]->name, n, t->name);
		} else if (ks->kn.pos > (unsigned long)n) {
			conv_error(EXIT_BAD_INPUT, "symbol %s (%s): position %lu out of range, %s has %ld of that name",
				   ks->kn.name, ksyms[i]->name, ks->kn.pos,
				   t->name, n);
		} else if (ks->kn.pos && n == 1) {
			DEBUG("%s: unique in %s, position %lu could be 0",
			      ksyms[i]->name, t->name, ks->kn.pos);
		}
	}
}

/*
 * Read the targets' symbol tables once, counting only the names this
 * object can ask about: its klp symbols and the --sym names.  The names
 * are copied into *@names, which must outlive the targets' maps.
 */
static int load_targets(struct conv_opts *o, struct elf_file *elf,
			struct strbuf *names)
{
	struct hashmap wanted;
	size_t i, n = 0, off;
	int ret;

	if (!o->nr_targets)
		return 0;
	strbuf_init(names);
	for (i = 0; i < o->nr_syms; i++) {
		strbuf_add(names, o->syms[i].name, strlen(o->syms[i].name) + 1);
		n++;
	}
	for (i = 0; i < elf->nr_syms; i++) {
		struct klp_sym_name kn;
		const char *why;

		if (elf->syms[i]->type == STT_SECTION ||
		    klp_sym_name_parse(elf->syms[i]->name, &kn, &why))
			continue;
		strbuf_add(names, kn.name, strlen(kn.name) + 1);
		n++;
		klp_sym_name_free(&kn);
	}
	hash_init(&wanted, n * 2);
	for (off = 0; off < names->len; off += strlen(names->buf + off) + 1)
		hash_add(&wanted, names->buf + off, (void *)1);
	ret = targets_load(o, &wanted);
	hash_free(&wanted);
	return ret;
}

static struct section *klp_rela_for(struct elf_file *elf, const char *obj,
				    struct section *base)
{
	char *name = klp_rela_name(obj, base->name);
	struct section *sec = NULL;
	struct hash_entry *e;

	for (e = hash_first(&elf->sec_by_name, name); e;
	     e = hash_next(&elf->sec_by_name, e)) {
		struct section *s = e->val;

		if (is_rela_section(s) && s->base == base && !s->removed) {
			sec = s;
			break;
		}
	}
	if (!sec) {
		sec = elf_add_section(elf, name, SHT_RELA,
				      SHF_ALLOC | SHF_RELA_LIVEPATCH | SHF_INFO_LINK,
				      8, sizeof(Elf64_Rela), NULL, 0);
		sec->base = base;
		sec->sh.sh_info = base->index;
		if (elf->symtab)
			sec->sh.sh_link = elf->symtab->index;
	}
	free(name);
	return sec;
}

static bool field_is_zero(struct section *base, uint64_t off, uint32_t type)
{
	unsigned int w = reloc_width(type);
	const unsigned char *p;
	unsigned int i;

	if (!base->data || base->sh.sh_type == SHT_NOBITS)
		return true;
	if (off > base->sh.sh_size || w > base->sh.sh_size - off)
		return false;
	p = (const unsigned char *)base->data + off;
	for (i = 0; i < w; i++)
		if (p[i])
			return false;
	return true;
}

struct moved {
	struct section *dst;
	struct reloc r;
};

/*
 * Move relocations between ordinary and klp relocation sections so that
 * each one sits where its symbol says, then drop emptied sections.
 */
static void move_relocs(struct elf_file *elf)
{
	struct moved *mv = NULL;
	size_t nr_mv = 0, cap_mv = 0, nsecs = elf->nr_secs, i, j, k;

	for (i = 0; i < nsecs; i++) {
		struct section *rela = elf->secs[i], *base;
		bool in_klp;

		if (!is_rela_section(rela) || rela->removed || !rela->base)
			continue;
		base = rela->base;
		in_klp = is_klp_rela_name(rela->name);
		for (j = k = 0; j < rela->nr_relocs; j++) {
			struct reloc *r = &rela->relocs[j];
			struct symbol *sym = elf_reloc_sym(elf, r);
			struct ksym *ks = ksym_of(sym);
			struct section *dst = NULL;

			if (ks && !ks->valid)
				ks = NULL;
			if (ks && !(base->sh.sh_flags & SHF_ALLOC)) {
				/* The loader skips these (debug info). */
			} else if (ks) {
				if (!arch_reloc_klp_ok(r->type)) {
					conv_error(EXIT_UNSAFE, "symbol %s: relocation type %s at %s+0x%llx cannot be applied by the kernel's klp relocation code",
						   sym->name,
						   reloc_type_name(r->type),
						   base->name,
						   (unsigned long long)r->offset);
				} else if (arch_is_early_section(base->name) &&
					   strcmp(ks->kn.obj, "vmlinux")) {
					conv_error(EXIT_UNSAFE, "symbol %s: referenced from %s+0x%llx, which the kernel processes when the livepatch module loads; klp relocations against module %s are applied only when %s loads (only vmlinux ones are applied before)",
						   sym->name, base->name,
						   (unsigned long long)r->offset,
						   ks->kn.obj, ks->kn.obj);
				} else if (!field_is_zero(base, r->offset, r->type)) {
					conv_error(EXIT_UNSAFE, "symbol %s: the field at %s+0x%llx is not zero; the kernel refuses such klp relocations",
						   sym->name, base->name,
						   (unsigned long long)r->offset);
				}
				dst = klp_rela_for(elf, ks->kn.obj, base);
			} else if (in_klp) {
				dst = elf_rela_section(elf, base);
			}
			if (dst && dst != rela) {
				if (nr_mv == cap_mv) {
					cap_mv = cap_mv ? cap_mv * 2 : 64;
					mv = xrealloc(mv, cap_mv * sizeof(*mv));
				}
				mv[nr_mv].dst = dst;
				mv[nr_mv++].r = *r;
				continue;
			}
			if (k != j)
				rela->relocs[k] = *r;
			k++;
		}
		if (k != rela->nr_relocs) {
			rela->nr_relocs = k;
			elf_relocs_changed(rela);
		}
	}
	for (i = 0; i < nr_mv; i++)
		elf_add_reloc(elf, mv[i].dst, mv[i].r.offset, mv[i].r.type,
			      elf_reloc_sym(elf, &mv[i].r), mv[i].r.addend);
	free(mv);

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rela = elf->secs[i];

		if (!is_rela_section(rela) || rela->removed || rela->nr_relocs)
			continue;
		DEBUG("removing empty %s", rela->name);
		rela->removed = true;
		if (rela->base && rela->base->rela == rela)
			rela->base->rela = NULL;
		if (rela->group) {
			struct section *g = rela->group;

			for (j = k = 0; j < g->nr_members; j++)
				if (g->members[j] != rela)
					g->members[k++] = g->members[j];
			g->nr_members = k;
		}
	}
}

/*
 * A group's signature must stay a symbol of the output: not one that
 * --sym or --symvers folded into another, nor a klp symbol (which would
 * become SHN_LIVEPATCH).
 */
static void check_group_sigs(struct elf_file *elf)
{
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *g = elf->secs[i];
		struct symbol *sig = g->group_sig;

		if (g->sh.sh_type != SHT_GROUP || !sig)
			continue;
		/* --symvers renames the klp symbols it makes plain */
		if (sig->removed || is_klp_sym_name(sig->name))
			conv_error(EXIT_BAD_INPUT, "group section %s: its signature %s %s",
				   g->name, sig->name, sig->removed ?
				   "would be folded into another symbol" :
				   "is a klp symbol");
	}
}

/* Final check of every klp relocation section. */
static void check_klp_relas(struct elf_file *elf)
{
	size_t i, j;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rela = elf->secs[i];
		char *obj;

		if (rela->removed || !is_klp_rela_name(rela->name))
			continue;
		obj = klp_rela_name_obj(rela->name);
		if (!obj) {
			conv_error(EXIT_BAD_INPUT, "section %s: malformed klp relocation section name",
				   rela->name);
			free(obj);
			continue;
		}
		if (!is_rela_section(rela) || !(rela->sh.sh_flags & SHF_RELA_LIVEPATCH))
			conv_error(EXIT_BAD_INPUT, "section %s: not a SHF_RELA_LIVEPATCH relocation section",
				   rela->name);
		for (j = 0; j < rela->nr_relocs; j++) {
			struct symbol *sym = elf_reloc_sym(elf, &rela->relocs[j]);
			struct ksym *ks = ksym_of(sym);

			if (!ks || !ks->valid) {
				conv_error(EXIT_BAD_INPUT, "section %s: relocation against %s, which is not a klp symbol",
					   rela->name, sym->name);
				continue;
			}
			if (strcmp(obj, "vmlinux") && !strcmp(ks->kn.obj, "vmlinux"))
				conv_error(EXIT_UNSAFE, "symbol %s: module relocation section %s references vmlinux, which the kernel refuses",
					   sym->name, rela->name);
			else if (strcmp(obj, ks->kn.obj))
				conv_error(EXIT_UNSAFE, "symbol %s: of object %s, referenced from %s",
					   sym->name, ks->kn.obj, rela->name);
		}
		free(obj);
	}
}

int klp_convert(struct conv_opts *o, const char *in, const char *out)
{
	struct symbol **ksyms = NULL;
	struct ksym *kinfo = NULL;
	size_t nr = 0, i, nconv = 0;
	struct strbuf names = { NULL, 0, 0 };
	struct elf_file *elf;
	int ret;

	conv_path = in;
	elf = elf_open(in);
	if (!elf)
		return EXIT_BAD_INPUT;
	if (elf->ehdr.e_type != ET_REL || elf->ehdr.e_machine != arch_machine()) {
		WARN("%s: not an %s relocatable object or module", in,
		     arch_name());
		elf_close(elf);
		return EXIT_BAD_INPUT;
	}

	for (i = 0; i < elf->nr_syms; i++)
		elf->syms[i]->priv = NULL;
	if (load_targets(o, elf, &names)) {
		targets_free(o);
		strbuf_free(&names);
		elf_close(elf);
		return EXIT_BAD_INPUT;
	}
	apply_user_syms(o, elf);

	for (i = 0; i < elf->nr_syms; i++)
		if (!elf->syms[i]->removed && is_klp_sym_name(elf->syms[i]->name) &&
		    elf->syms[i]->type != STT_SECTION)
			nr++;
	ksyms = xcalloc(nr ? nr : 1, sizeof(*ksyms));
	kinfo = xcalloc(nr ? nr : 1, sizeof(*kinfo));
	nr = 0;
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];
		struct ksym *ks;
		const char *why;

		if (sym->removed || sym->type == STT_SECTION ||
		    !is_klp_sym_name(sym->name))
			continue;
		ks = &kinfo[nr];
		ksyms[nr++] = sym;
		sym->priv = ks;
		if (sym->sec) {
			conv_error(EXIT_BAD_INPUT, "symbol %s: a klp symbol must not be defined (in %s)",
				   sym->name, sym->sec->name);
			continue;
		}
		if (sym->shndx != SHN_UNDEF && sym->shndx != SHN_LIVEPATCH) {
			conv_error(EXIT_BAD_INPUT, "symbol %s: unexpected section index 0x%x",
				   sym->name, sym->shndx);
			continue;
		}
		if (klp_sym_name_parse(sym->name, &ks->kn, &why)) {
			conv_error(EXIT_UNSAFE, "symbol %s: %s", sym->name, why);
			continue;
		}
		ks->valid = true;
	}

	apply_symvers(o, elf, ksyms, nr);
	check_group_sigs(elf);
	verify_ksyms(o, ksyms, nr);
	if (!o->prelink) {
		move_relocs(elf);
		check_klp_relas(elf);
	}

	for (i = 0; i < nr && !o->prelink; i++) {
		struct symbol *sym = ksyms[i];

		if (!kinfo[i].valid)
			continue;
		if (sym->shndx != SHN_LIVEPATCH)
			nconv++;
		sym->sec = NULL;
		sym->shndx = SHN_LIVEPATCH;
	}

	ret = conv_status;
	if (!ret) {
		if (elf_write(elf, out)) {	/* it says why */
			ret = EXIT_INTERNAL;
		} else {
			DEBUG("%zu klp symbols (%zu newly converted)", nr, nconv);
		}
	}
	for (i = 0; i < elf->nr_syms; i++)
		elf->syms[i]->priv = NULL;
	for (i = 0; i < nr; i++)
		klp_sym_name_free(&kinfo[i].kn);
	free(kinfo);
	free(ksyms);
	targets_free(o);
	strbuf_free(&names);
	elf_close(elf);
	return ret;
}
