// SPDX-License-Identifier: GPL-2.0
/* Livepatch symbol positions (sympos) in vmlinux, modules and objects. */
#include <stdlib.h>
#include <string.h>

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

long symsource_count(const struct symsource *ss, const char *name)
{
	struct symbol *s;
	long n = 0;

	for (s = elf_find_symbol(ss->elf, name); s;
	     s = elf_find_symbol_next(ss->elf, s))
		if (symsource_listed(ss, s))
			n++;
	return n;
}

/* Split the locals into blocks, one per STT_FILE symbol. */
static void find_files(struct symsource *ss)
{
	struct elf_file *elf = ss->elf;
	size_t i, cap = 0;

	for (i = 1; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];

		if (sym->type != STT_FILE)
			continue;
		if (ss->nr_files == cap) {
			cap = cap ? cap * 2 : 64;
			ss->files = xrealloc(ss->files, cap * sizeof(*ss->files));
		}
		if (ss->nr_files)
			ss->files[ss->nr_files - 1].end = i;
		ss->files[ss->nr_files].name = sym->name;
		ss->files[ss->nr_files].first = i + 1;
		ss->files[ss->nr_files].end = elf->nr_syms;
		ss->nr_files++;
	}
	/* A block ends at the first global. */
	for (i = 0; i < ss->nr_files; i++) {
		struct symsource_file *f = &ss->files[i];
		size_t j;

		for (j = f->first; j < f->end; j++)
			if (elf->syms[j]->bind != STB_LOCAL)
				break;
		f->end = j;
	}
	ss->whole.name = "";
	ss->whole.first = 1;
	ss->whole.end = elf->nr_syms;
}

struct symsource *symsource_of(struct elf_file *elf, bool is_vmlinux)
{
	struct symsource *ss = xcalloc(1, sizeof(*ss));

	ss->elf = elf;
	ss->is_vmlinux = is_vmlinux;
	find_files(ss);
	return ss;
}

struct symsource *symsource_open(const char *path, bool is_vmlinux)
{
	struct elf_file *elf = elf_open_flags(path, ELF_OPEN_NO_DEBUG_RELOCS);
	struct symsource *ss;

	if (!elf)
		return NULL;
	ss = symsource_of(elf, is_vmlinux);
	ss->owns_elf = true;
	return ss;
}

void symsource_close(struct symsource *ss)
{
	if (!ss)
		return;
	if (ss->owns_elf)
		elf_close(ss->elf);
	free(ss->files);
	free(ss);
}

/* Does @a come before @b in kallsyms order? */
static bool kallsyms_before(const struct symsource *ss,
			    const struct symbol *a, const struct symbol *b)
{
	if (ss->is_vmlinux && a->sym.st_value != b->sym.st_value)
		return a->sym.st_value < b->sym.st_value;
	return a->index < b->index;
}

long symsource_pos(const struct symsource *ss, const struct symbol *sym)
{
	struct symbol *s;
	long n = 0, rank = 1;

	if (!symsource_listed(ss, sym))
		return SYMPOS_NONE;
	for (s = elf_find_symbol(ss->elf, sym->name); s;
	     s = elf_find_symbol_next(ss->elf, s)) {
		if (!symsource_listed(ss, s))
			continue;
		n++;
		if (s != sym && kallsyms_before(ss, s, sym))
			rank++;
	}
	return n > 1 ? rank : 0;
}

long symsource_global_pos(const struct symsource *ss, const char *name)
{
	struct symbol *s, *found = NULL;
	long n = 0;

	for (s = elf_find_symbol(ss->elf, name); s;
	     s = elf_find_symbol_next(ss->elf, s)) {
		if (!symsource_listed(ss, s))
			continue;
		n++;
		if (s->bind != STB_LOCAL)
			found = s;
	}
	if (!found)
		return SYMPOS_NONE;
	return n > 1 ? SYMPOS_AMBIGUOUS : 0;
}

static bool is_named_local(const struct symbol *sym)
{
	return sym->bind == STB_LOCAL && sym->name[0] &&
	       (sym->type == STT_FUNC || sym->type == STT_OBJECT);
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
	size_t i, n = 0;

	for (i = f->first; i < f->end; i++) {
		const struct symbol *sym = ss->elf->syms[i];

		if (is_named_local(sym) && hash_find(names, sym->name))
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
	struct symbol *s;

	if (!file)
		return SYMPOS_NONE;
	for (s = elf_find_symbol(ss->elf, name); s;
	     s = elf_find_symbol_next(ss->elf, s)) {
		if (s->index >= file->first && s->index < file->end &&
		    symsource_listed(ss, s) &&
		    (s->bind == STB_LOCAL || file == &ss->whole))
			return symsource_pos(ss, s);
	}
	return SYMPOS_NONE;
}
