// SPDX-License-Identifier: GPL-2.0
/*
 * elf_write(): check the model, drop removed entries, renumber, regenerate
 * every table (.shstrtab, .strtab, .symtab, .symtab_shndx, RELA, GROUP)
 * and write the object to a temporary file that is renamed over @path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf-internal.h"
#include "util.h"

struct wctx {
	struct elf_file *elf;
	bool *keep_sec;		/* by current index */
	bool *keep_sym;
	bool need_shndx;
};

static bool sym_indexed(const struct symbol *sym)
{
	return sym->type != STT_SECTION && sym->name[0];
}

static bool is_table(const struct elf_file *elf, const struct section *sec)
{
	return sec == elf->symtab || sec == elf->strtab ||
	       sec == elf->shstrtab;
}

/* Which sections survive: removed ones and RELA of removed bases go. */
static void mark_sections(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	size_t i, j;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (is_table(elf, sec))
			sec->removed = false;
		w->keep_sec[i] = !sec->removed;
		if (sec == elf->symtab_shndx)
			w->keep_sec[i] = false;	/* re-added when needed */
	}
	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (is_rela_section(sec) && sec->base &&
		    !w->keep_sec[sec->base->index])
			w->keep_sec[i] = false;
	}
	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];
		bool any = false;

		if (sec->sh.sh_type != SHT_GROUP || !w->keep_sec[i])
			continue;
		for (j = 0; j < sec->nr_members; j++)
			any |= w->keep_sec[sec->members[j]->index];
		w->keep_sec[i] = any;
	}
}

/* Symbols survive unless removed; section symbols follow their section. */
static int mark_symbols(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	size_t i;

	w->keep_sym[0] = true;
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];

		w->keep_sym[i] = !sym->removed;
		if (!w->keep_sym[i] || !sym->sec || w->keep_sec[sym->sec->index])
			continue;
		/* Section symbols and symbols inside a dropped group go with it. */
		if (sym->type != STT_SECTION &&
		    sym->sec->sh.sh_type != SHT_GROUP)
			return elf_err(elf, "symbol %s is defined in removed section %s",
				       sym->name[0] ? sym->name : "(unnamed)",
				       sym->sec->name);
		w->keep_sym[i] = false;
	}
	return 0;
}

static int check_relocs(struct wctx *w, struct section *rela)
{
	size_t i;

	for (i = 0; i < rela->nr_relocs; i++) {
		struct reloc *r = &rela->relocs[i];

		if (r->sym_index >= w->elf->nr_syms)
			return elf_err(w->elf, "section %s: relocation at offset %#lx has no valid symbol",
				       rela->name, (unsigned long)r->offset);
		if (!w->keep_sym[r->sym_index])
			return elf_err(w->elf, "section %s: relocation at offset %#lx refers to removed symbol %s",
				       rela->name, (unsigned long)r->offset,
				       elf_reloc_sym(w->elf, r)->name);
	}
	return 0;
}

static int check_sections(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	size_t i;

	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (!w->keep_sec[i])
			continue;
		if (sec->link && !w->keep_sec[sec->link->index])
			return elf_err(elf, "section %s: linked section %s is removed",
				       sec->name, sec->link->name);
		if (is_rela_section(sec) && sec->base && check_relocs(w, sec))
			return -1;
		if (sec->sh.sh_type == SHT_GROUP &&
		    (!sec->group_sig || !w->keep_sym[sec->group_sig->index]))
			return elf_err(elf, "group section %s: signature symbol %s is removed",
				       sec->name, sec->group_sig ?
				       sec->group_sig->name : "(none)");
	}
	return 0;
}

/* Symbols in sections past SHN_LORESERVE need .symtab_shndx. */
static bool needs_shndx(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	size_t i, n = 1;

	for (i = 1; i < elf->nr_secs; i++)
		n += w->keep_sec[i];
	/* +1: the .symtab_shndx itself; the last index is then n. */
	return n >= SHN_LORESERVE;
}

static void bury_section(struct elf_file *elf, struct section *sec)
{
	if (sec->name[0] && !sec->name_by_base)
		hash_remove(&elf->sec_by_name, sec->name, sec);
	if (elf->nr_dead_secs == elf->cap_dead_secs) {
		elf->cap_dead_secs = elf->cap_dead_secs ? elf->cap_dead_secs * 2 : 64;
		elf->dead_secs = xrealloc(elf->dead_secs, elf->cap_dead_secs *
					  sizeof(*elf->dead_secs));
	}
	elf->dead_secs[elf->nr_dead_secs++] = sec;
	sec->removed = true;
}

static void bury_symbol(struct elf_file *elf, struct symbol *sym)
{
	if (sym_indexed(sym))
		hash_remove(&elf->sym_by_name, sym->name, sym);
	sym->name_id = 0;
	if (elf->nr_dead_syms == elf->cap_dead_syms) {
		elf->cap_dead_syms = elf->cap_dead_syms ? elf->cap_dead_syms * 2 : 64;
		elf->dead_syms = xrealloc(elf->dead_syms, elf->cap_dead_syms *
					  sizeof(*elf->dead_syms));
	}
	elf->dead_syms[elf->nr_dead_syms++] = sym;
	sym->removed = true;
}

/*
 * Compact elf->secs, putting .symtab_shndx right after .symtab and every
 * group section before its first member (as gas does, elflint wants).
 */
static void renumber_sections(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	struct section **old = elf->secs, *shndx = elf->symtab_shndx;
	size_t i, n = elf->nr_secs;
	bool *placed = xcalloc(n + 1, sizeof(bool));

	if (w->need_shndx && !shndx) {
		shndx = elf_add_section(elf, ".symtab_shndx", SHT_SYMTAB_SHNDX,
					0, 4, 4, NULL, 0);
		old = elf->secs;	/* may have moved */
		n = elf->nr_secs - 1;	/* not in keep_sec[] */
	}
	elf->secs = xmalloc((n + 1) * sizeof(*elf->secs));
	elf->cap_secs = n + 1;
	elf->nr_secs = 0;
	elf_push_section(elf, old[0]);
	for (i = 1; i < n; i++) {
		struct section *sec = old[i];

		if (sec == shndx || placed[i])
			continue;
		if (!w->keep_sec[i]) {
			bury_section(elf, sec);
			continue;
		}
		if (sec->group && sec->group->index < n &&
		    old[sec->group->index] == sec->group &&
		    w->keep_sec[sec->group->index] &&
		    !placed[sec->group->index]) {
			placed[sec->group->index] = true;
			elf_push_section(elf, sec->group);
		}
		placed[i] = true;
		elf_push_section(elf, sec);
		if (sec == elf->symtab && w->need_shndx)
			elf_push_section(elf, shndx);
	}
	if (shndx && !w->need_shndx) {
		bury_section(elf, shndx);
		shndx = NULL;
	}
	elf->symtab_shndx = shndx;
	free(placed);
	free(old);
}

/* Relocations name symbols by index: from @old's order to the new one. */
static void renumber_reloc_syms(struct elf_file *elf, struct symbol **old)
{
	size_t i, j;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *rela = elf->secs[i];

		if (!is_rela_section(rela))
			continue;
		for (j = 0; j < rela->nr_relocs; j++) {
			struct reloc *r = &rela->relocs[j];

			r->sym_index = old[r->sym_index]->index;
		}
		elf_relocs_changed(rela);
	}
}

/* Null, locals, then globals; sh_info of .symtab = first global. */
static size_t renumber_symbols(struct wctx *w)
{
	struct elf_file *elf = w->elf;
	struct symbol **old = elf->syms;
	size_t i, n = elf->nr_syms, first_global = 1;
	int pass;

	elf->syms = xmalloc(n * sizeof(*elf->syms));
	elf->cap_syms = n;
	elf->nr_syms = 0;
	elf_push_symbol(elf, old[0]);
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			first_global = elf->nr_syms;
		for (i = 1; i < n; i++) {
			struct symbol *sym = old[i];

			if ((sym->bind == STB_LOCAL) != !pass)
				continue;
			if (w->keep_sym[i])
				elf_push_symbol(elf, sym);
			else
				bury_symbol(elf, sym);
		}
	}
	renumber_reloc_syms(elf, old);
	free(old);
	return first_global;
}

/* Section members, section symbols, first FUNC/OBJECT: after renumbering. */
static void fix_pointers(struct elf_file *elf)
{
	size_t i, j, k;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (sec->rela && sec->rela->removed)
			sec->rela = NULL;
		if (sec->group && sec->group->removed)
			sec->group = NULL;
		sec->sym = NULL;
		sec->func = NULL;
		if (sec->sh.sh_type != SHT_GROUP)
			continue;
		for (j = k = 0; j < sec->nr_members; j++)
			if (!sec->members[j]->removed)
				sec->members[k++] = sec->members[j];
		sec->nr_members = k;
	}
	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];
		struct section *sec = sym->sec;

		if (!sec)
			continue;
		if (sym->type == STT_SECTION && !sec->sym)
			sec->sym = sym;
		if ((sym->type == STT_FUNC || sym->type == STT_OBJECT) &&
		    !sec->func)
			sec->func = sym;
	}
}

/*
 * String table builder: collect every name, then lay them out sharing
 * tails like gas does (".rela.text.foo" holds ".text.foo").
 */
struct str_ent {
	const char *s;
	size_t len;
	uint32_t off;
};

struct strtab {
	struct hashmap map;	/* name -> struct str_ent */
	struct str_ent *ents;
	size_t nr, cap;
	struct strbuf sb;
};

static void strtab_init(struct strtab *t, size_t n)
{
	hash_init(&t->map, n);
	t->ents = NULL;
	t->nr = t->cap = 0;
	strbuf_init(&t->sb);
}

static void strtab_add(struct strtab *t, const char *s)
{
	if (!s[0] || hash_find(&t->map, s))
		return;
	if (t->nr == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->ents = xrealloc(t->ents, t->cap * sizeof(*t->ents));
	}
	t->ents[t->nr].s = s;
	t->ents[t->nr].len = strlen(s);
	/* Entries move on realloc: remember the index, not the address. */
	hash_add(&t->map, s, (void *)(uintptr_t)(t->nr + 1));
	t->nr++;
}

/* Compare from the last character: suffixes sort next to their owners. */
static int cmp_tail(const void *a, const void *b)
{
	const struct str_ent *x = *(struct str_ent *const *)a;
	const struct str_ent *y = *(struct str_ent *const *)b;
	size_t i = x->len, j = y->len;

	while (i && j) {
		unsigned char cx = x->s[--i], cy = y->s[--j];

		if (cx != cy)
			return cx < cy ? 1 : -1;
	}
	return i < j ? 1 : i > j ? -1 : 0;	/* longer first */
}

static void strtab_layout(struct strtab *t)
{
	struct str_ent **v = xmalloc((t->nr + 1) * sizeof(*v)), *prev = NULL;
	size_t i;

	for (i = 0; i < t->nr; i++)
		v[i] = &t->ents[i];
	qsort(v, t->nr, sizeof(*v), cmp_tail);
	strbuf_add(&t->sb, "", 1);
	for (i = 0; i < t->nr; i++) {
		struct str_ent *e = v[i];

		if (prev && prev->len >= e->len &&
		    !memcmp(prev->s + prev->len - e->len, e->s, e->len)) {
			e->off = prev->off + prev->len - e->len;
			continue;
		}
		e->off = t->sb.len;
		strbuf_add(&t->sb, e->s, e->len + 1);
		prev = e;
	}
	free(v);
}

static uint32_t strtab_off(struct strtab *t, const char *s)
{
	uintptr_t i = s[0] ? (uintptr_t)hash_find(&t->map, s) : 0;

	return i ? t->ents[i - 1].off : 0;
}

static void strtab_finish(struct strtab *t, struct section *sec)
{
	hash_free(&t->map);
	free(t->ents);
	if (sec->data_owned)
		free(sec->data);
	sec->data = t->sb.buf;
	sec->data_owned = true;
	sec->data_grown = false;
	sec->sh.sh_size = t->sb.len;
}

static void own_data(struct section *sec, void *data, size_t size)
{
	if (sec->data_owned)
		free(sec->data);
	sec->data = data;
	sec->data_owned = data != NULL;
	sec->data_grown = false;
	sec->sh.sh_size = size;
}

static void build_symtab(struct elf_file *elf, size_t first_global)
{
	size_t i, n = elf->nr_syms;
	Elf64_Sym *tab = xcalloc(n, sizeof(*tab));
	uint32_t *xtab = elf->symtab_shndx ? xcalloc(n, 4) : NULL;
	struct strtab st;

	strtab_init(&st, n);
	for (i = 1; i < n; i++)
		if (elf->syms[i]->type != STT_SECTION)
			strtab_add(&st, elf->syms[i]->name);
	strtab_layout(&st);
	for (i = 1; i < n; i++) {
		struct symbol *sym = elf->syms[i];
		Elf64_Sym *es = &tab[i];

		es->st_name = sym->type == STT_SECTION ? 0 :
			      strtab_off(&st, sym->name);
		es->st_info = GELF_ST_INFO(sym->bind, sym->type);
		es->st_other = sym->other;
		es->st_value = sym->sym.st_value;
		es->st_size = sym->sym.st_size;
		if (sym->sec && sym->sec->index >= SHN_LORESERVE) {
			es->st_shndx = SHN_XINDEX;
			xtab[i] = sym->sec->index;
		} else if (sym->sec) {
			es->st_shndx = sym->sec->index;
		} else {
			es->st_shndx = sym->shndx == SHN_XINDEX ? SHN_UNDEF :
				       sym->shndx;
		}
	}
	strtab_finish(&st, elf->strtab);
	own_data(elf->symtab, tab, n * sizeof(*tab));
	elf->symtab->sh.sh_type = SHT_SYMTAB;
	elf->symtab->sh.sh_entsize = sizeof(*tab);
	elf->symtab->sh.sh_link = elf->strtab->index;
	elf->symtab->sh.sh_info = first_global;
	if (!elf->symtab->sh.sh_addralign)
		elf->symtab->sh.sh_addralign = 8;
	if (xtab) {
		own_data(elf->symtab_shndx, xtab, n * 4);
		elf->symtab_shndx->sh.sh_link = elf->symtab->index;
	}
}

static void build_rela(struct elf_file *elf, struct section *sec)
{
	Elf64_Rela *tab = sec->nr_relocs ?
			  xmalloc(sec->nr_relocs * sizeof(*tab)) : NULL;
	size_t i;

	for (i = 0; i < sec->nr_relocs; i++) {
		struct reloc *r = &sec->relocs[i];

		tab[i].r_offset = r->offset;
		tab[i].r_info = ELF64_R_INFO(r->sym_index, r->type);
		tab[i].r_addend = r->addend;
	}
	own_data(sec, tab, sec->nr_relocs * sizeof(*tab));
	sec->sh.sh_entsize = sizeof(*tab);
	sec->sh.sh_link = elf->symtab->index;
	sec->sh.sh_info = sec->base->index;
	if (!sec->sh.sh_addralign)
		sec->sh.sh_addralign = 8;
}

static void build_group(struct elf_file *elf, struct section *sec)
{
	uint32_t *w = xmalloc((sec->nr_members + 1) * 4);
	size_t i;

	w[0] = sec->group_flags;
	for (i = 0; i < sec->nr_members; i++)
		w[i + 1] = sec->members[i]->index;
	own_data(sec, w, (sec->nr_members + 1) * 4);
	sec->sh.sh_entsize = 4;
	sec->sh.sh_link = elf->symtab->index;
	sec->sh.sh_info = sec->group_sig->index;
}

/* @names: each section's sh_name, which the model does not keep. */
static void build_tables(struct elf_file *elf, size_t first_global,
			 uint32_t *names)
{
	struct strtab st;
	size_t i;

	build_symtab(elf, first_global);
	strtab_init(&st, elf->nr_secs);
	for (i = 0; i < elf->nr_secs; i++)
		strtab_add(&st, elf->secs[i]->name);
	strtab_layout(&st);
	for (i = 1; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		names[i] = strtab_off(&st, sec->name);
		if (is_rela_section(sec) && sec->base)
			build_rela(elf, sec);
		else if (sec->sh.sh_type == SHT_GROUP)
			build_group(elf, sec);
		else if (sec != elf->symtab && sec != elf->symtab_shndx)
			sec->sh.sh_link = sec->link ? sec->link->index : 0;
	}
	strtab_finish(&st, elf->shstrtab);
}

/* The model's header in the file's width, with its name and offset. */
static void file_shdr(Elf64_Shdr *to, const struct elf_shdr *from,
		      uint32_t name, uint64_t offset)
{
	to->sh_name = name;
	to->sh_type = from->sh_type;
	to->sh_flags = from->sh_flags;
	to->sh_addr = from->sh_addr;
	to->sh_offset = offset;
	to->sh_size = from->sh_size;
	to->sh_link = from->sh_link;
	to->sh_info = from->sh_info;
	to->sh_addralign = from->sh_addralign;
	to->sh_entsize = from->sh_entsize;
}

static int write_zeros(FILE *f, size_t n)
{
	static const char zeros[4096];

	while (n) {
		size_t k = n < sizeof(zeros) ? n : sizeof(zeros);

		if (fwrite(zeros, 1, k, f) != k)
			return -1;
		n -= k;
	}
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/*
 * File offsets are aligned as gas aligns them, but to a page at most: the
 * alignment of a section in memory is no reason for padding in the file,
 * and a hostile sh_addralign must not turn a small object into gigabytes
 * of zeros.  Sections without file contents take no room at all.
 */
#define FILE_ALIGN_MAX	4096

static uint64_t file_align(const struct section *sec)
{
	uint64_t a = sec->sh.sh_addralign;

	return a < FILE_ALIGN_MAX ? a : FILE_ALIGN_MAX;
}

/* File offsets of the sections' data (@off) and of the header table. */
static uint64_t layout(const struct elf_file *elf, uint64_t *off)
{
	uint64_t at = sizeof(Elf64_Ehdr);
	size_t i;

	off[0] = 0;
	for (i = 1; i < elf->nr_secs; i++) {
		const struct section *sec = elf->secs[i];

		if (sec->sh.sh_type == SHT_NOBITS || !sec->sh.sh_size) {
			off[i] = at;
			continue;
		}
		at = align_up(at, file_align(sec));
		off[i] = at;
		at += sec->sh.sh_size;
	}
	return align_up(at, 8);
}

static int emit(struct elf_file *elf, FILE *f, const uint32_t *names)
{
	Elf64_Ehdr eh = elf->ehdr;
	size_t i, n = elf->nr_secs;
	uint64_t *offs = xmalloc(n * sizeof(*offs)), off;
	Elf64_Shdr *shdrs = NULL;
	int ret = -1;

	eh.e_shoff = layout(elf, offs);
	eh.e_phoff = 0;
	eh.e_phnum = 0;
	eh.e_phentsize = 0;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = n < SHN_LORESERVE ? n : 0;
	eh.e_shstrndx = elf->shstrtab->index < SHN_LORESERVE ?
			elf->shstrtab->index : SHN_XINDEX;
	memset(&elf->secs[0]->sh, 0, sizeof(elf->secs[0]->sh));
	if (n >= SHN_LORESERVE)
		elf->secs[0]->sh.sh_size = n;
	if (eh.e_shstrndx == SHN_XINDEX)
		elf->secs[0]->sh.sh_link = elf->shstrtab->index;

	if (fwrite(&eh, sizeof(eh), 1, f) != 1)
		goto out;
	off = sizeof(eh);
	for (i = 1; i < n; i++) {
		struct section *sec = elf->secs[i];

		if (sec->sh.sh_type == SHT_NOBITS || !sec->sh.sh_size)
			continue;
		if (offs[i] < off) {	/* never: laid out above */
			elf_err(elf, "section %s: overlapping file layout",
				sec->name);
			goto out;
		}
		if (write_zeros(f, offs[i] - off) ||
		    fwrite(sec->data, 1, sec->sh.sh_size, f) != sec->sh.sh_size)
			goto out;
		off = offs[i] + sec->sh.sh_size;
	}
	if (write_zeros(f, eh.e_shoff - off))
		goto out;
	shdrs = xmalloc(n * sizeof(*shdrs));
	for (i = 0; i < n; i++)
		file_shdr(&shdrs[i], &elf->secs[i]->sh, names[i], offs[i]);
	if (fwrite(shdrs, sizeof(*shdrs), n, f) == n)
		ret = 0;
	elf->ehdr = eh;
out:
	free(shdrs);
	free(offs);
	return ret;
}

static int write_out(struct elf_file *elf, const char *path,
		     const uint32_t *names)
{
	char *tmp;
	int fd = open_temp_beside(path, &tmp);
	FILE *f;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		abort_temp(fd, tmp);
		WARN("%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	if (emit(elf, f, names) || fflush(f) ||
	    fchmod(fd, 0644 & ~current_umask())) {
		int e = errno;

		fclose(f);
		abort_temp(-1, tmp);
		WARN("%s: cannot write: %s", path, strerror(e));
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		int e = errno;

		abort_temp(-1, tmp);
		WARN("%s: cannot write: %s", path, strerror(e));
		return -1;
	}
	free(tmp);
	return 0;
}

static void ensure_tables(struct elf_file *elf)
{
	if (!elf->shstrtab)
		elf->shstrtab = elf_add_section(elf, ".shstrtab", SHT_STRTAB,
						0, 1, 0, NULL, 0);
	if (!elf->strtab)
		elf->strtab = elf_add_section(elf, ".strtab", SHT_STRTAB, 0,
					      1, 0, NULL, 0);
	if (!elf->symtab)
		elf->symtab = elf_add_section(elf, ".symtab", SHT_SYMTAB, 0,
					      8, sizeof(Elf64_Sym), NULL, 0);
}

int elf_write(struct elf_file *elf, const char *path)
{
	struct wctx w = { .elf = elf };
	uint32_t *names = NULL;
	size_t first_global;
	int ret = -1;

	if (elf->ehdr.e_type != ET_REL)
		return elf_err(elf, "only ET_REL objects can be written");
	if (elf->skipped_debug_relocs)
		return elf_err(elf, "opened without its debug relocations: cannot be written");
	ensure_tables(elf);
	w.keep_sec = xcalloc(elf->nr_secs + 1, sizeof(bool));
	w.keep_sym = xcalloc(elf->nr_syms, sizeof(bool));
	mark_sections(&w);
	if (mark_symbols(&w) || check_sections(&w))
		goto out;
	w.need_shndx = needs_shndx(&w);
	renumber_sections(&w);
	first_global = renumber_symbols(&w);
	fix_pointers(elf);
	names = xcalloc(elf->nr_secs, sizeof(*names));
	build_tables(elf, first_global, names);
	elf->sym_gen++;
	ret = write_out(elf, path, names);
out:
	free(names);
	free(w.keep_sec);
	free(w.keep_sym);
	return ret;
}
