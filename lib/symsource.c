// SPDX-License-Identifier: GPL-2.0
/* Livepatch symbol positions (sympos) in vmlinux, modules and objects. */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "symsource.h"
#include "util.h"

bool symsource_listed(const struct symsource *ss, const struct symbol *sym)
{
	if (!sym->sec || !sym->name[0] || sym->removed)
		return false;
	if (!(sym->sec->sh.sh_flags & SHF_ALLOC))
		return false;
	/* a module's kallsyms drops them once its init has run */
	if (!ss->is_vmlinux && str_starts_with(sym->sec->name, ".init"))
		return false;
	return sym->type == STT_FUNC || sym->type == STT_OBJECT ||
	       sym->type == STT_NOTYPE;
}

/*
 * One symbol of the target as the rules read it: from the model
 * (symsource_of()) or from the compact table (symsource_open()).
 */
static void view(const struct symsource *ss, size_t i, struct ss_sym *v)
{
	const struct symbol *sym;
	const Elf64_Sym *es;
	const struct section *strtab;

	if (ss->next) {
		es = (const Elf64_Sym *)ss->elf->symtab->data + i;
		strtab = ss->elf->strtab;
		/* st_name was checked by elf_scan_symbols() */
		v->name = strtab->sh.sh_size ? (const char *)strtab->data +
			  es->st_name : "";
		v->value = es->st_value;
		v->bind = GELF_ST_BIND(es->st_info);
		v->type = GELF_ST_TYPE(es->st_info);
		v->listed = ss->listed[i];
		return;
	}
	sym = ss->elf->syms[i];
	v->name = sym->name;
	v->value = sym->sym.st_value;
	v->bind = sym->bind;
	v->type = sym->type;
	v->listed = symsource_listed(ss, sym);
}

/* Index of the next symbol named like symbol @i after it; 0 if none. */
static size_t next_named(const struct symsource *ss, size_t i)
{
	const struct symbol *s;
	struct ss_sym me, v;
	size_t j;

	if (!ss->next) {
		s = elf_find_symbol_next(ss->elf, ss->elf->syms[i]);
		return s ? s->index : 0;
	}
	view(ss, i, &me);
	for (j = ss->next[i]; j; j = ss->next[j]) {
		view(ss, j, &v);
		if (!strcmp(v.name, me.name))
			return j;
	}
	return 0;
}

/* Index of the first symbol named @name, in table order; 0 if none. */
static size_t first_named(const struct symsource *ss, const char *name)
{
	const struct symbol *s;
	struct ss_sym v;
	size_t j;

	if (!ss->next) {
		s = elf_find_symbol(ss->elf, name);
		return s ? s->index : 0;
	}
	for (j = ss->buckets[hash_str(name) & (ss->nbuckets - 1)]; j;
	     j = ss->next[j]) {
		view(ss, j, &v);
		if (!strcmp(v.name, name))
			return j;
	}
	return 0;
}

long symsource_count(const struct symsource *ss, const char *name)
{
	struct ss_sym v;
	size_t i;
	long n = 0;

	for (i = first_named(ss, name); i; i = next_named(ss, i)) {
		view(ss, i, &v);
		n += v.listed;
	}
	return n;
}

/*
 * STT_FILE blocks, as the symbols go by in table order: a block starts
 * after its STT_FILE symbol and ends at the next one or at the first
 * global.
 */
static void block_step(struct symsource *ss, size_t i, unsigned char type,
		       unsigned char bind, const char *name, bool *open)
{
	struct symsource_file *f;

	if (type != STT_FILE) {
		if (bind != STB_LOCAL && *open) {
			ss->files[ss->nr_files - 1].end = i;
			*open = false;
		}
		return;
	}
	if (*open)
		ss->files[ss->nr_files - 1].end = i;
	if (ss->nr_files == ss->cap_files) {
		ss->cap_files = ss->cap_files ? ss->cap_files * 2 : 64;
		ss->files = xrealloc(ss->files,
				     ss->cap_files * sizeof(*ss->files));
	}
	f = &ss->files[ss->nr_files++];
	f->name = name;
	f->first = i + 1;
	*open = true;
}

static void blocks_end(struct symsource *ss, size_t n, bool open)
{
	if (open)
		ss->files[ss->nr_files - 1].end = n;
	ss->whole.name = "";
	ss->whole.first = 1;
	ss->whole.end = n;
}

static void find_files(struct symsource *ss)
{
	struct elf_file *elf = ss->elf;
	bool open = false;
	size_t i;

	for (i = 1; i < elf->nr_syms; i++)
		block_step(ss, i, elf->syms[i]->type, elf->syms[i]->bind,
			   elf->syms[i]->name, &open);
	blocks_end(ss, elf->nr_syms, open);
}

struct symsource *symsource_of(struct elf_file *elf, bool is_vmlinux)
{
	struct symsource *ss = xcalloc(1, sizeof(*ss));

	ss->elf = elf;
	ss->is_vmlinux = is_vmlinux;
	find_files(ss);
	return ss;
}

struct table_build {
	struct symsource *ss;
	uint32_t *tails;	/* per bucket: its last symbol */
	bool open;		/* in an STT_FILE block */
};

/* One symbol of the file into the index, chained in table order. */
static int add_to_table(void *arg, const struct symbol *sym)
{
	struct table_build *b = arg;
	struct symsource *ss = b->ss;
	size_t k;

	ss->listed[sym->index] = symsource_listed(ss, sym);
	block_step(ss, sym->index, sym->type, sym->bind, sym->name, &b->open);
	/* named like the model's sym_by_name: no section symbols */
	if (sym->type == STT_SECTION || !sym->name[0])
		return 0;
	k = hash_str(sym->name) & (ss->nbuckets - 1);
	if (b->tails[k])
		ss->next[b->tails[k]] = sym->index;
	else
		ss->buckets[k] = sym->index;
	b->tails[k] = sym->index;
	return 0;
}

static int build_table(struct symsource *ss)
{
	const struct section *symtab = ss->elf->symtab;
	size_t n = symtab ? symtab->sh.sh_size / sizeof(Elf64_Sym) : 0;
	struct table_build b = { .ss = ss };
	int ret;

	if (n > UINT32_MAX)
		return -1;	/* past what a file can hold */
	ss->nr_tab = n ? n : 1;
	ss->next = xcalloc(ss->nr_tab, sizeof(*ss->next));
	ss->listed = xcalloc(ss->nr_tab, sizeof(*ss->listed));
	/* chains of two on average: few look-ups, many symbols */
	for (ss->nbuckets = 16; ss->nbuckets < n / 2; ss->nbuckets *= 2)
		;
	ss->buckets = xcalloc(ss->nbuckets, sizeof(*ss->buckets));
	b.tails = xcalloc(ss->nbuckets, sizeof(*b.tails));
	ret = elf_scan_symbols(ss->elf, add_to_table, &b);
	free(b.tails);
	blocks_end(ss, ss->nr_tab, b.open);
	return ret;
}

struct symsource *symsource_open(const char *path, bool is_vmlinux)
{
	struct elf_file *elf = elf_open_flags(path, ELF_OPEN_SCAN_SYMBOLS);
	struct symsource *ss;

	if (!elf)
		return NULL;
	ss = xcalloc(1, sizeof(*ss));
	ss->elf = elf;
	ss->is_vmlinux = is_vmlinux;
	ss->owns_elf = true;
	if (build_table(ss)) {
		symsource_close(ss);
		return NULL;
	}
	return ss;
}

void symsource_close(struct symsource *ss)
{
	if (!ss)
		return;
	if (ss->owns_elf)
		elf_close(ss->elf);
	free(ss->files);
	free(ss->next);
	free(ss->listed);
	free(ss->buckets);
	free(ss);
}

static bool kallsyms_before(const struct symsource *ss,
			    const struct ss_sym *a, size_t ai,
			    const struct ss_sym *b, size_t bi)
{
	if (ss->is_vmlinux && a->value != b->value)
		return a->value < b->value;
	return ai < bi;
}

/* The sympos of listed symbol @idx of the target. */
static long pos_of(const struct symsource *ss, size_t idx)
{
	struct ss_sym me, v;
	long n = 0, rank = 1;
	size_t i;

	view(ss, idx, &me);
	for (i = first_named(ss, me.name); i; i = next_named(ss, i)) {
		view(ss, i, &v);
		if (!v.listed)
			continue;
		n++;
		if (i != idx && kallsyms_before(ss, &v, i, &me, idx))
			rank++;
	}
	return n > 1 ? rank : 0;
}

long symsource_pos(const struct symsource *ss, const struct symbol *sym)
{
	if (!symsource_listed(ss, sym))
		return SYMPOS_NONE;
	return pos_of(ss, sym->index);
}

long symsource_global_pos(const struct symsource *ss, const char *name)
{
	bool found = false;
	struct ss_sym v;
	long n = 0;
	size_t i;

	for (i = first_named(ss, name); i; i = next_named(ss, i)) {
		view(ss, i, &v);
		if (!v.listed)
			continue;
		n++;
		if (v.bind != STB_LOCAL)
			found = true;
	}
	if (!found)
		return SYMPOS_NONE;
	return n > 1 ? SYMPOS_AMBIGUOUS : 0;
}

static bool named_local(unsigned char bind, unsigned char type,
			const char *name)
{
	return bind == STB_LOCAL && name[0] &&
	       (type == STT_FUNC || type == STT_OBJECT);
}

static bool is_named_local(const struct symbol *sym)
{
	return named_local(sym->bind, sym->type, sym->name);
}

static const char *obj_file_name(const struct elf_file *obj, char **owned)
{
	const char *base;
	size_t i;

	*owned = NULL;
	for (i = 1; i < obj->nr_syms; i++)
		if (obj->syms[i]->type == STT_FILE)
			return obj->syms[i]->name;
	base = strrchr(obj->path, '/');
	base = base ? base + 1 : obj->path;
	if (str_ends_with(base, ".o")) {
		*owned = xasprintf("%.*s.c", (int)(strlen(base) - 2), base);
		return *owned;
	}
	return base;
}

static bool same_basename(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');

	return !strcmp(sa ? sa + 1 : a, sb ? sb + 1 : b);
}

static size_t score(const struct symsource *ss, const struct symsource_file *f,
		    const struct hashmap *names)
{
	struct ss_sym v;
	size_t i, n = 0;

	for (i = f->first; i < f->end; i++) {
		view(ss, i, &v);
		if (named_local(v.bind, v.type, v.name) &&
		    hash_find(names, v.name))
			n++;
	}
	return n;
}

const struct symsource_file *symsource_match_file(const struct symsource *ss,
						  const struct elf_file *obj)
{
	const struct symsource_file *best = NULL;
	size_t i, best_score = 0;
	struct hashmap names;
	char *owned;
	const char *fname;

	if (!ss->nr_files)
		return &ss->whole;
	fname = obj_file_name(obj, &owned);
	hash_init(&names, obj->nr_syms);
	for (i = 1; i < obj->nr_syms; i++)
		if (is_named_local(obj->syms[i]))
			hash_add(&names, obj->syms[i]->name, obj->syms[i]);
	for (i = 0; i < ss->nr_files; i++) {
		const struct symsource_file *f = &ss->files[i];
		size_t sc;

		if (!same_basename(f->name, fname))
			continue;
		sc = score(ss, f, &names);
		if (!best || sc > best_score) {
			best = f;
			best_score = sc;
		}
	}
	hash_free(&names);
	free(owned);
	return best;
}

long symsource_local_pos(const struct symsource *ss,
			 const struct symsource_file *file, const char *name)
{
	struct ss_sym v;
	size_t i;

	if (!file)
		return SYMPOS_NONE;
	for (i = first_named(ss, name); i; i = next_named(ss, i)) {
		view(ss, i, &v);
		if (i >= file->first && i < file->end && v.listed &&
		    (v.bind == STB_LOCAL || file == &ss->whole))
			return pos_of(ss, i);
	}
	return SYMPOS_NONE;
}
