// SPDX-License-Identifier: GPL-2.0
/*
 * elfcheck: open an object with the klpgen ELF layer, cross-check every
 * look-up, and optionally write it back.  For tests and benchmarks.
 *
 *   elfcheck [-t] [-b] [-R SYM]... [-X SEC]... [-o OUT] FILE
 *   -o OUT   write the (edited) object to OUT
 *   -R SYM   mark every symbol named SYM removed before writing
 *   -X SEC   mark section SEC removed before writing
 *   -t       print timings and peak RSS
 *   -b       benchmark: instead of cross-checking every look-up, only
 *            build the lazy indexes (sorted relocs, symbols by address)
 *
 * Exit: 0 ok, 2 bad input (elf_open failed), 1 inconsistent look-ups or
 * failed write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "elf.h"
#include "util.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int check_sections(struct elf_file *elf)
{
	size_t i, j;

	for (i = 0; i < elf->nr_secs; i++) {
		struct section *s = elf->secs[i], *f;

		if (s->index != i || elf_section_at(elf, i) != s)
			return WARN("section %s: bad index", s->name), 1;
		if (!s->name[0])
			continue;
		f = elf_find_section(elf, s->name);
		if (!f || strcmp(f->name, s->name))
			return WARN("section %s: not found by name", s->name), 1;
		/* elf_find_reloc() searches the base's first RELA section only
		 * (not the .klp.rela sections of a livepatch module) */
		if (!is_rela_section(s) || !s->base || s->base->rela != s)
			continue;
		for (j = 0; j < s->nr_relocs; j++) {
			struct reloc *r = elf_find_reloc(s->base,
							 s->relocs[j].offset, 1);

			if (!r || r->offset != s->relocs[j].offset)
				return WARN("%s: reloc at %#lx not found",
					    s->name,
					    (unsigned long)s->relocs[j].offset), 1;
		}
	}
	return 0;
}

static int check_symbols(struct elf_file *elf, size_t *nrel)
{
	size_t i;

	*nrel = 0;
	for (i = 0; i < elf->nr_secs; i++)
		if (is_rela_section(elf->secs[i]))
			*nrel += elf->secs[i]->nr_relocs;
	for (i = 0; i < elf->nr_syms; i++) {
		struct symbol *s = elf->syms[i], *f;
		bool found = false;

		if (s->index != i || elf_symbol_at(elf, i) != s)
			return WARN("symbol %s: bad index", s->name), 1;
		if (s->type == STT_SECTION || !s->name[0])
			continue;
		for (f = elf_find_symbol(elf, s->name); f;
		     f = elf_find_symbol_next(elf, f))
			found |= f == s;
		if (!found)
			return WARN("symbol %s: not found by name", s->name), 1;
		if (s->sec && s->type == STT_FUNC && s->sym.st_size &&
		    elf->ehdr.e_type == ET_REL &&
		    !elf_symbol_containing(elf, s->sec, s->sym.st_value))
			return WARN("symbol %s: not found by address", s->name), 1;
	}
	return 0;
}

/* Force the lazily built indexes, as a tool's first look-ups would. */
static int build_indexes(struct elf_file *elf, size_t *nrel)
{
	size_t i, n;

	*nrel = 0;
	for (i = 0; i < elf->nr_secs; i++) {
		if (!is_rela_section(elf->secs[i]))
			continue;
		if (elf->secs[i]->base)
			elf_sorted_relocs(elf->secs[i]->base, &n);
		*nrel += elf->secs[i]->nr_relocs;
	}
	if (elf->nr_secs > 1)
		elf_symbol_containing(elf, elf->secs[1], 0);
	return 0;
}

static void remove_symbols(struct elf_file *elf, const char *name)
{
	struct symbol *s;

	for (s = elf_find_symbol(elf, name); s; s = elf_find_symbol_next(elf, s))
		s->removed = true;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *rm_syms[16], *rm_secs[16];
	int nrs = 0, nrx = 0, c, i, ret;
	bool timing = false, bench = false;
	struct elf_file *elf;
	double t0, t1, t2;
	long rss_open;
	size_t nrel = 0;

	tool_name = "elfcheck";
	while ((c = getopt(argc, argv, "o:R:X:tb")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'R': if (nrs < 16) rm_syms[nrs++] = optarg; break;
		case 'X': if (nrx < 16) rm_secs[nrx++] = optarg; break;
		case 't': timing = true; break;
		case 'b': bench = true; break;
		default: return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: elfcheck [-t] [-R SYM] [-X SEC] [-o OUT] FILE\n");
		return EXIT_BAD_INPUT;
	}
	t0 = now();
	elf = elf_open(argv[optind]);
	if (!elf)
		return EXIT_BAD_INPUT;
	if (bench)
		ret = build_indexes(elf, &nrel);
	else
		ret = check_sections(elf) || check_symbols(elf, &nrel);
	t1 = now();
	rss_open = peak_rss_kb();
	for (i = 0; i < nrs; i++)
		remove_symbols(elf, rm_syms[i]);
	for (i = 0; i < nrx; i++) {
		struct section *s = elf_find_section(elf, rm_secs[i]);

		if (s)
			s->removed = true;
	}
	if (!ret && out && elf_write(elf, out))
		ret = 1;
	t2 = now();
	if (timing) {
		printf("open+index: %.3f s, peak RSS %ld KiB (%zu sections, %zu symbols, %zu relocs)\n",
		       t1 - t0, rss_open, elf->nr_secs, elf->nr_syms, nrel);
		if (out)
			printf("write:      %.3f s, peak RSS %ld KiB\n",
			       t2 - t1, peak_rss_kb());
	} else if (!ret) {
		printf("ok: %zu sections, %zu symbols, %zu relocs\n",
		       elf->nr_secs, elf->nr_syms, nrel);
	}
	elf_close(elf);
	return ret;
}
