// SPDX-License-Identifier: GPL-2.0
/*
 * The model's lifetime, look-ups and small helpers.  Reading is in
 * elf-read.c, editing in elf-edit.c, writing in elf-write.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf-internal.h"
#include "util.h"

static bool in_block(const void *p, const void *block, size_t n, size_t sz)
{
	const char *c = p, *b = block;

	return block && c >= b && c < b + n * sz;
}

void elf_push_section(struct elf_file *elf, struct section *sec)
{
	if (elf->nr_secs == elf->cap_secs) {
		elf->cap_secs = elf->cap_secs ? elf->cap_secs * 2 : 16;
		elf->secs = xrealloc(elf->secs,
				     elf->cap_secs * sizeof(*elf->secs));
	}
	sec->index = elf->nr_secs;
	elf->secs[elf->nr_secs++] = sec;
}

void elf_push_symbol(struct elf_file *elf, struct symbol *sym)
{
	if (elf->nr_syms >= ELF_MAX_SYMS)
		DIE("%s: more than %u symbols", elf->path, ELF_MAX_SYMS);
	if (elf->nr_syms == elf->cap_syms) {
		elf->cap_syms = elf->cap_syms ? elf->cap_syms * 2 : 16;
		elf->syms = xrealloc(elf->syms,
				     elf->cap_syms * sizeof(*elf->syms));
	}
	sym->index = elf->nr_syms;
	elf->syms[elf->nr_syms++] = sym;
	elf->sym_gen++;
}

void elf_free_section(struct elf_file *elf, struct section *sec)
{
	if (sec->name_owned)
		free(sec->name);
	if (sec->data_owned)
		free(sec->data);
	if (is_rela_section(sec)) {
		free(sec->relocs);
		free(sec->sorted_relocs);
	} else if (sec->sh.sh_type == SHT_GROUP) {
		free(sec->members);
	}
	if (!in_block(sec, elf->sec_block, elf->nr_sec_block, sizeof(*sec)))
		free(sec);
}

void elf_free_symbol(struct elf_file *elf, struct symbol *sym)
{
	if (sym->name_owned)
		free(sym->name);
	if (!in_block(sym, elf->sym_block, elf->nr_sym_block, sizeof(*sym)))
		free(sym);
}

void elf_close(struct elf_file *elf)
{
	size_t i;

	if (!elf)
		return;
	if (elf->elf)
		elf_end(elf->elf);
	for (i = 0; i < elf->nr_secs; i++)
		elf_free_section(elf, elf->secs[i]);
	for (i = 0; i < elf->nr_dead_secs; i++)
		elf_free_section(elf, elf->dead_secs[i]);
	for (i = 0; i < elf->nr_syms; i++)
		elf_free_symbol(elf, elf->syms[i]);
	for (i = 0; i < elf->nr_dead_syms; i++)
		elf_free_symbol(elf, elf->dead_syms[i]);
	hash_free(&elf->sec_by_name);
	hash_free(&elf->sym_by_name);
	free(elf->secs);
	free(elf->syms);
	free(elf->dead_secs);
	free(elf->dead_syms);
	free(elf->sec_block);
	free(elf->sym_block);
	free(elf->sorted_syms);
	free(elf->sorted_first);
	if (elf->map)
		munmap(elf->map, elf->map_size);
	if (elf->fd >= 0)
		close(elf->fd);
	free(elf->path);
	free(elf);
}

/* ".rela" + a base name: the base's ->rela, when it is named by its base. */
static struct section *find_rela_by_base(const struct elf_file *elf,
					  const char *name)
{
	struct section *base;

	if (strncmp(name, ".rela", 5))
		return NULL;
	base = hash_find(&elf->sec_by_name, name + 5);
	return base && base->rela && base->rela->name_by_base ?
	       base->rela : NULL;
}

struct section *elf_find_section(const struct elf_file *elf, const char *name)
{
	struct section *sec = find_rela_by_base(elf, name);

	return sec ? sec : hash_find(&elf->sec_by_name, name);
}

struct section *elf_section_at(const struct elf_file *elf, size_t index)
{
	return index < elf->nr_secs ? elf->secs[index] : NULL;
}

struct symbol *elf_find_symbol(const struct elf_file *elf, const char *name)
{
	return hash_find(&elf->sym_by_name, name);
}

struct symbol *elf_symbol_at(const struct elf_file *elf, size_t index)
{
	return index < elf->nr_syms ? elf->syms[index] : NULL;
}

struct symbol *elf_find_symbol_next(const struct elf_file *elf,
				    const struct symbol *prev)
{
	struct hash_entry *e = hash_at(&elf->sym_by_name, prev->name_id);

	/* O(1) through the symbol's own entry; a scan if it has none. */
	if (e && e->key && e->val == prev) {
		e = hash_next(&elf->sym_by_name, e);
		return e ? e->val : NULL;
	}
	for (e = hash_first(&elf->sym_by_name, prev->name); e;
	     e = hash_next(&elf->sym_by_name, e)) {
		if (e->val == prev) {
			e = hash_next(&elf->sym_by_name, e);
			return e ? e->val : NULL;
		}
	}
	return NULL;
}

size_t elf_count_symbols(const struct elf_file *elf, const char *name)
{
	return hash_count(&elf->sym_by_name, name);
}

/* ---- relocations sorted by offset ---- */

/* Indexes into relocation array @base: by offset, then index. */
static int cmp_reloc_index(const void *a, const void *b, void *base)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct reloc *x = (struct reloc *)base + i;
	const struct reloc *y = (struct reloc *)base + j;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return i < j ? -1 : i > j;	/* file order breaks ties */
}

static bool relocs_in_order(const struct reloc *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i].offset < v[i - 1].offset)
			return false;
	return true;
}

/* A copy of @rela's relocs sorted by offset, ties in file order. */
static struct reloc *sorted_copy(const struct section *rela)
{
	size_t n = rela->nr_relocs, i;
	uint32_t *idx = xmalloc((n + 1) * sizeof(*idx));
	struct reloc *v = xmalloc((n + 1) * sizeof(*v));

	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_reloc_index, rela->relocs);
	for (i = 0; i < n; i++)
		v[i] = rela->relocs[idx[i]];
	free(idx);
	return v;
}

void elf_relocs_changed(struct section *rela)
{
	rela->sorted_ok = false;
}

struct reloc *elf_sorted_relocs(struct section *sec, size_t *nr)
{
	struct section *rela = is_rela_section(sec) ? sec : sec->rela;

	*nr = 0;
	if (!rela)
		return NULL;
	if (rela->relocs_released)
		DIE("%s: relocations asked for after they were released",
		    rela->name);
	if (!rela->sorted_ok) {
		free(rela->sorted_relocs);
		rela->sorted_relocs = NULL;
		/* compilers and assemblers write them in order: no copy */
		if (!relocs_in_order(rela->relocs, rela->nr_relocs))
			rela->sorted_relocs = sorted_copy(rela);
		rela->sorted_ok = true;
	}
	*nr = rela->nr_relocs;
	return rela->sorted_relocs ? rela->sorted_relocs : rela->relocs;
}

/* Index of the first reloc with offset >= @off. */
static size_t lower_bound(const struct reloc *v, size_t n, uint64_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct reloc *elf_find_reloc(struct section *sec, uint64_t offset,
			     uint64_t len)
{
	size_t n, i;
	struct reloc *v = elf_sorted_relocs(sec, &n);
	struct reloc *r;

	if (!n)
		return NULL;
	i = lower_bound(v, n, offset);
	if (i < n && v[i].offset - offset < (len ? len : 1))
		return &v[i];
	/* A field that starts before @offset but reaches into the range. */
	if (i > 0) {
		r = &v[i - 1];
		if (r->offset + reloc_width(r->type) > offset)
			return r;
	}
	return NULL;
}

struct reloc *elf_range_relocs(struct section *sec, uint64_t off,
			       uint64_t len, size_t *nr)
{
	struct reloc *v;
	size_t n, start, end;

	*nr = 0;
	if (!sec->rela)
		return NULL;
	v = elf_sorted_relocs(sec, &n);
	if (!v)
		return NULL;
	start = end = lower_bound(v, n, off);
	while (end < n && v[end].offset < off + len)
		end++;
	*nr = end - start;
	return v + start;
}

/* ---- symbols by address inside their section ---- */

void elf_symbols_changed(struct elf_file *elf)
{
	elf->sym_gen++;
}

static bool is_addr_sym(const struct symbol *sym)
{
	return sym->sec && !sym->removed &&
	       (sym->type == STT_FUNC || sym->type == STT_OBJECT);
}

static uint64_t sym_off(const struct symbol *sym)
{
	/* In linked files st_value is an address. */
	return sym->sym.st_value - (sym->sec->sh.sh_addr <= sym->sym.st_value ?
				    sym->sec->sh.sh_addr : 0);
}

static int cmp_sym(const void *a, const void *b)
{
	const struct symbol *x = *(struct symbol *const *)a;
	const struct symbol *y = *(struct symbol *const *)b;
	uint64_t ox = sym_off(x), oy = sym_off(y);

	if (ox != oy)
		return ox < oy ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool in_table(const struct elf_file *elf, const struct section *sec)
{
	return sec->index < elf->nr_secs && elf->secs[sec->index] == sec;
}

/*
 * One pass over all symbols fills one array, grouped by section (counting
 * sort on the section index) and sorted by value inside each section;
 * sorted_first[i] is where section i's run starts (the model keeps no
 * per-section fields for it).
 */
static void build_sym_index(struct elf_file *elf)
{
	uint32_t *first = xcalloc(elf->nr_secs + 1, sizeof(*first));
	size_t i;

	for (i = 0; i < elf->nr_syms; i++)
		if (is_addr_sym(elf->syms[i]) &&
		    in_table(elf, elf->syms[i]->sec))
			first[elf->syms[i]->sec->index + 1]++;
	for (i = 0; i < elf->nr_secs; i++)
		first[i + 1] += first[i];
	free(elf->sorted_syms);
	elf->sorted_syms = xmalloc((first[elf->nr_secs] + 1) *
				   sizeof(struct symbol *));
	/* first[i] walks to the end of run i, the start of run i + 1 */
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *sym = elf->syms[i];

		if (is_addr_sym(sym) && in_table(elf, sym->sec))
			elf->sorted_syms[first[sym->sec->index]++] = sym;
	}
	for (i = elf->nr_secs; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;
	for (i = 0; i < elf->nr_secs; i++)
		if (first[i + 1] - first[i] > 1)
			qsort(elf->sorted_syms + first[i],
			      first[i + 1] - first[i],
			      sizeof(struct symbol *), cmp_sym);
	free(elf->sorted_first);
	elf->sorted_first = first;
	elf->sorted_syms_gen = elf->sym_gen + 1;
	elf->sorted_syms_nr_secs = elf->nr_secs;
}

/* How far back to look for a big symbol enclosing smaller ones. */
#define CONTAINING_LOOKBACK	64

static bool better(const struct symbol *a, const struct symbol *best)
{
	if (!best)
		return true;
	if (a->type != best->type)
		return a->type == STT_FUNC;
	return a->sym.st_size < best->sym.st_size;
}

struct symbol *elf_symbol_containing(const struct elf_file *elf,
				     struct section *sec, uint64_t off)
{
	struct symbol **v, *best = NULL;
	size_t lo = 0, hi, k;

	if (!sec)
		return NULL;
	if (elf->sorted_syms_gen != elf->sym_gen + 1 ||
	    elf->sorted_syms_nr_secs != elf->nr_secs)
		build_sym_index((struct elf_file *)elf);
	/* A section not in the table (removed by elf_write()) has none. */
	if (!in_table(elf, sec))
		return NULL;
	v = elf->sorted_syms + elf->sorted_first[sec->index];
	hi = elf->sorted_first[sec->index + 1] -
	     elf->sorted_first[sec->index];
	while (lo < hi) {	/* first symbol starting after @off */
		size_t mid = lo + (hi - lo) / 2;

		if (sym_off(v[mid]) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = 0; k < CONTAINING_LOOKBACK && lo > k; k++) {
		struct symbol *s = v[lo - 1 - k];
		uint64_t start = sym_off(s), size = s->sym.st_size;

		if ((off - start < size || (!size && off == start)) &&
		    better(s, best))
			best = s;
	}
	return best;
}

/* ---- helpers ---- */

bool is_text_section(const struct section *sec)
{
	return sec && (sec->sh.sh_flags & SHF_EXECINSTR);
}

bool is_rela_section(const struct section *sec)
{
	return sec && sec->sh.sh_type == SHT_RELA;
}

bool is_debug_section(const struct section *sec)
{
	return sec && (str_starts_with(sec->name, ".debug_") ||
		       str_starts_with(sec->name, ".rela.debug_") ||
		       str_starts_with(sec->name, ".zdebug_"));
}

bool sym_is_undefined(const struct symbol *sym)
{
	return !sym->sec && sym->shndx == SHN_UNDEF;
}

unsigned int reloc_width(uint32_t type)
{
	return arch_reloc_width(type);
}

const char *reloc_type_name(uint32_t type)
{
	return arch_reloc_name(type);
}

void elf_release_relocs(struct elf_file *elf)
{
	size_t i;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *sec = elf->secs[i];

		if (!is_rela_section(sec))
			continue;
		free(sec->relocs);
		free(sec->sorted_relocs);
		sec->relocs = sec->sorted_relocs = NULL;
		sec->nr_relocs = sec->cap_relocs = 0;
		sec->sorted_ok = false;
		sec->relocs_released = true;
	}
}
