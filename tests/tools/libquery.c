// SPDX-License-Identifier: GPL-2.0
/*
 * libquery: exercise the lib/ modules from shell tests.
 *
 *   libquery hash                          hash map self-test
 *   libquery symvers FILE NAME...          "name crc module type ns" | "name -"
 *   libquery global [-v] TARGET NAME...    "name pos" (-v: TARGET is vmlinux)
 *   libquery local [-v] TARGET OBJ NAME... "name pos" of OBJ's statics
 *   libquery structsize FILE NAME...       "name size"
 *   libquery containing FILE SEC OFF       symbol containing SEC+OFF | "-"
 *   libquery reloc FILE SEC OFF LEN        "offset type sym" | "-"
 *   libquery released FILE SEC OFF LEN     the same after elf_release_relocs(): dies
 *   libquery foreign FILE SEC              a reloc aimed at another file's symbol: dies
 *   libquery append FILE SEC               elf_append_data() self-test
 *   libquery nodebug FILE OUT              ELF_OPEN_NO_DEBUG_RELOCS counts
 *   libquery meta FILE                     .klpgen.meta (text, .o, .ko) re-formatted
 *   libquery klpdata FILE                  klp_patch data of a module, as meta text
 *   libquery abi WHAT ARGS...              build or parse a klpgen-abi.h name
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "elf.h"
#include "hash.h"
#include "klp-data.h"
#include "klpgen-abi.h"
#include "klpgen-meta.h"
#include "symsource.h"
#include "symvers.h"
#include "util.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "hash: check failed line %d: %s\n", __LINE__, #c); \
	return 1; } } while (0)

static int hash_selftest(void)
{
	enum { N = 20000, DUP = 500 };
	static char keys[N][16];
	struct hashmap h;
	struct hash_entry *e;
	size_t i, n, pos;
	uint32_t id;

	hash_init(&h, 0);
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		hash_add(&h, keys[i], &keys[i]);
	}
	/* Duplicates interleaved with growth keep insertion order. */
	for (i = 0; i < DUP; i++)
		hash_add(&h, "dup", (void *)(i + 1));
	CHECK(h.count == N + DUP);
	CHECK((h.nbuckets & (h.nbuckets - 1)) == 0 && h.nbuckets >= h.count);
	for (i = 0; i < N; i++)
		CHECK(hash_find(&h, keys[i]) == &keys[i]);
	CHECK(!hash_find(&h, "missing"));
	for (n = 0, e = hash_first(&h, "dup"); e; e = hash_next(&h, e))
		CHECK((size_t)e->val == ++n);
	CHECK(n == DUP && hash_count(&h, "dup") == DUP);
	/* Remove first, last and a middle duplicate; order stays. */
	CHECK(!hash_remove(&h, "dup", (void *)1));
	CHECK(!hash_remove(&h, "dup", (void *)(uintptr_t)DUP));
	CHECK(!hash_remove(&h, "dup", (void *)250));
	CHECK(hash_remove(&h, "dup", (void *)250) == -1);
	hash_add(&h, "dup", (void *)(uintptr_t)(DUP + 1));
	for (n = 1, e = hash_first(&h, "dup"); e; e = hash_next(&h, e)) {
		if (++n == 250)
			n++;
		if (n == DUP)
			n++;
		CHECK((size_t)e->val == n);
	}
	CHECK(hash_count(&h, "dup") == DUP - 2);
	for (i = 0; i < N; i += 2)
		CHECK(!hash_remove(&h, keys[i], &keys[i]));
	for (i = 0; i < N; i++)
		CHECK(!!hash_find(&h, keys[i]) == (i & 1));
	/* hash_each(): live entries only, in the order added. */
	pos = 0;
	for (i = 1; i < N; i += 2) {
		e = hash_each(&h, &pos);
		CHECK(e && e->val == &keys[i]);
	}
	for (n = 2; (e = hash_each(&h, &pos)); n++) {
		if (n == 250 || n == DUP)
			n++;
		CHECK(!strcmp(e->key, "dup") && (size_t)e->val == n);
	}
	CHECK(n == DUP + 2 && !hash_each(&h, &pos));
	/* ids: stable across growth, none for 0 or past the last */
	id = hash_add_id(&h, "late", &h);
	CHECK(id && hash_at(&h, id)->val == &h && !hash_at(&h, 0) &&
	      !hash_at(&h, id + 1));
	CHECK(hash_str("") == 2166136261u);
	hash_free(&h);
	printf("ok\n");
	return 0;
}

static int do_symvers(int argc, char **argv)
{
	struct symvers *sv = symvers_load(argv[0]);
	int i;

	if (!sv)
		return EXIT_BAD_INPUT;
	for (i = 1; i < argc; i++) {
		const struct symvers_entry *e = symvers_find(sv, argv[i]);

		if (e)
			printf("%s 0x%08x %s %s %s\n", e->name, e->crc,
			       e->module, e->export_type,
			       e->namespace[0] ? e->namespace : "-");
		else
			printf("%s -\n", argv[i]);
	}
	symvers_free(sv);
	return 0;
}

static int do_pos(int argc, char **argv, bool local)
{
	bool vmlinux = argc && !strcmp(argv[0], "-v");
	const struct symsource_file *file = NULL;
	struct elf_file *obj = NULL;
	struct symsource *ss;
	int i;

	if (vmlinux) {
		argv++;
		argc--;
	}
	if (argc < 1 + local)
		return EXIT_BAD_INPUT;
	ss = symsource_open(argv[0], vmlinux);
	if (!ss)
		return EXIT_BAD_INPUT;
	if (local) {
		obj = elf_open(argv[1]);
		if (!obj) {
			symsource_close(ss);
			return EXIT_BAD_INPUT;
		}
		file = symsource_match_file(ss, obj);
		printf("file %s\n", !file ? "-" : file->name[0] ?
		       file->name : "(whole)");
	}
	for (i = 1 + local; i < argc; i++)
		printf("%s %ld\n", argv[i], local ?
		       symsource_local_pos(ss, file, argv[i]) :
		       symsource_global_pos(ss, argv[i]));
	elf_close(obj);
	symsource_close(ss);
	return 0;
}

static int do_structsize(int argc, char **argv)
{
	long *sizes = xcalloc(argc, sizeof(*sizes));
	int i, ret;

	ret = dwarf_struct_sizes(argv[0], (const char **)argv + 1, sizes,
				 argc - 1);
	if (ret && dwarf_error(argv[0]))
		fprintf(stderr, "%s\n", dwarf_error(argv[0]));
	for (i = 1; !ret && i < argc; i++)
		printf("%s %ld\n", argv[i], sizes[i - 1]);
	/* The cached path answers again without a second scan. */
	if (!ret && argc > 1 && dwarf_struct_size(argv[0], argv[1]) != sizes[0])
		ret = 1;
	free(sizes);
	dwarf_cache_free();
	return ret ? EXIT_BAD_INPUT : 0;
}

static int do_elf(const char *cmd, int argc, char **argv)
{
	struct elf_file *elf;
	struct section *sec;
	uint64_t off;

	if (argc < 3)
		return EXIT_BAD_INPUT;
	elf = elf_open(argv[0]);
	if (!elf)
		return EXIT_BAD_INPUT;
	sec = elf_find_section(elf, argv[1]);
	off = strtoull(argv[2], NULL, 0);
	if (!strcmp(cmd, "containing")) {
		struct symbol *s = sec ? elf_symbol_containing(elf, sec, off) :
				   NULL;

		printf("%s\n", s ? s->name : "-");
	} else {
		struct reloc *r;

		if (!strcmp(cmd, "released"))
			elf_release_relocs(elf);
		r = sec ? elf_find_reloc(sec, off, argc > 3 ?
				   strtoull(argv[3], NULL, 0) : 1) : NULL;

		if (r)
			printf("0x%lx %s %s\n", (unsigned long)r->offset,
			       reloc_type_name(r->type),
			       elf_reloc_sym(elf, r)->name);
		else
			printf("-\n");
	}
	elf_close(elf);
	return 0;
}

/* elf_add_reloc() in FILE's SEC against a symbol of a second copy of FILE. */
static int foreign_reloc(char **argv)
{
	struct elf_file *elf = elf_open(argv[0]), *other = elf_open(argv[0]);
	struct section *sec = elf ? elf_find_section(elf, argv[1]) : NULL;

	if (!sec || !other || other->nr_syms < 2)
		return EXIT_BAD_INPUT;
	elf_add_reloc(elf, sec, 0, R_X86_64_64, other->syms[1], 0);
	printf("added\n");
	elf_close(other);
	elf_close(elf);
	return 0;
}

/*
 * append FILE SEC: elf_append_data() on SEC of FILE (data in the mapped
 * file at first), 1000 appends of 3 bytes at alignment 4, then the bytes
 * are checked; prints "ok SIZE".
 */
static int do_append(int argc, char **argv)
{
	struct elf_file *elf;
	struct section *sec;
	size_t i, base, at;
	unsigned char *orig;

	if (argc < 2 || !(elf = elf_open(argv[0])))
		return EXIT_BAD_INPUT;
	sec = elf_find_section(elf, argv[1]);
	if (!sec || !sec->data) {
		elf_close(elf);
		return EXIT_BAD_INPUT;
	}
	base = sec->sh.sh_size;
	orig = xmalloc(base + 1);
	memcpy(orig, sec->data, base);
	for (i = 0; i < 1000; i++) {
		unsigned char b[3] = { i & 0xff, 0xa5, (i >> 8) & 0xff };

		at = elf_append_data(sec, b, 3, 4);
		if (at != (base + 3) / 4 * 4 + i * 4) {
			printf("misaligned at %zu\n", at);
			return 1;
		}
	}
	if (memcmp(sec->data, orig, base)) {
		printf("old contents lost\n");
		return 1;
	}
	for (i = 0, at = (base + 3) / 4 * 4; i < 1000; i++, at += 4) {
		const unsigned char *p = (const unsigned char *)sec->data + at;

		if (p[0] != (i & 0xff) || p[1] != 0xa5 || p[2] != ((i >> 8) & 0xff) ||
		    (i < 999 && p[3])) {
			printf("bad bytes at %zu\n", at);
			return 1;
		}
	}
	printf("ok %zu\n", sec->sh.sh_size);
	free(orig);
	elf_close(elf);
	return 0;
}

/*
 * nodebug FILE OUT: open FILE with ELF_OPEN_NO_DEBUG_RELOCS; prints the
 * relocations parsed in debug and other sections and whether writing OUT
 * was refused.
 */
static int do_nodebug(int argc, char **argv)
{
	struct elf_file *elf;
	size_t i, dbg = 0, other = 0, unparsed = 0;
	int w;

	if (argc < 2 ||
	    !(elf = elf_open_flags(argv[0], ELF_OPEN_NO_DEBUG_RELOCS)))
		return EXIT_BAD_INPUT;
	for (i = 0; i < elf->nr_secs; i++) {
		struct section *s = elf->secs[i];

		if (!is_rela_section(s))
			continue;
		if (is_debug_section(s)) {
			dbg += s->nr_relocs;
			unparsed += !s->nr_relocs && s->sh.sh_size && s->base &&
				    s->base->rela;
		} else {
			other += s->nr_relocs;
		}
	}
	w = elf_write(elf, argv[1]);
	printf("debug %zu other %zu unparsed %zu write %s\n", dbg, other,
	       unparsed, w ? "refused" : "done");
	elf_close(elf);
	return 0;
}

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f) {
		fprintf(stderr, "libquery: %s: cannot read\n", path);
		return NULL;
	}
	do {
		buf = xrealloc(buf, cap += 4096);
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	fclose(f);
	return buf;
}

/* Parse a .klpgen.meta text file (or module) and print it re-formatted. */
static int do_meta(int argc, char **argv)
{
	struct klpgen_meta m;
	unsigned long line;
	const char *why;
	size_t len;
	char *text;
	int rc;

	if (argc != 1)
		return EXIT_BAD_INPUT;
	if (str_ends_with(argv[0], ".ko") || str_ends_with(argv[0], ".o")) {
		rc = meta_read_module(argv[0], &m);
		if (rc)
			return rc > 0 ? 3 : EXIT_BAD_INPUT;
	} else {
		text = read_whole(argv[0], &len);
		if (!text)
			return EXIT_BAD_INPUT;
		rc = meta_parse(text, len, &m, &line, &why);
		free(text);
		if (rc) {
			fprintf(stderr, "libquery: %s line %lu: %s\n", argv[0],
				line, why);
			return EXIT_BAD_INPUT;
		}
	}
	text = meta_format(&m, &len);
	fputs(text, stdout);
	printf("# %zu objects, %zu funcs, %zu callbacks, %zu states, %zu shadows, %zu other\n",
	       m.nr_objects, m.nr_funcs, m.nr_callbacks, m.nr_states,
	       m.nr_shadows, m.nr_extra);
	printf("# %zu reverts, %zu ties, %zu state fields\n", m.nr_reverts,
	       m.nr_ties, m.nr_state_fields);
	free(text);
	meta_free(&m);
	return 0;
}

/* The klp_patch data of a module, as .klpgen.meta text; 3: none found. */
static int do_klpdata(int argc, char **argv)
{
	struct klpgen_meta m;
	const char *why;
	char *text;
	int rc;

	if (argc != 1)
		return EXIT_BAD_INPUT;
	rc = klp_data_read_module(argv[0], &m, &why);
	if (rc) {
		if (rc > 0)
			fprintf(stderr, "libquery: %s: %s\n", argv[0], why);
		return rc > 0 ? 3 : EXIT_BAD_INPUT;
	}
	text = meta_format(&m, NULL);
	fputs(text, stdout);
	free(text);
	meta_free(&m);
	return 0;
}

/* The names of klpgen-abi.h: build or parse one, print the parts. */
static int abi_result(char *s, const char *why)
{
	if (!s) {
		printf("error: %s\n", why);
		return EXIT_BAD_INPUT;
	}
	printf("%s\n", s);
	free(s);
	return 0;
}

static int do_abi(int argc, char **argv)
{
	const char *w = argv[0], *why = NULL;
	unsigned long pos = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;

	if (!strcmp(w, "objname") && argc == 2) {
		printf("%s\n", klp_objname_ok(argv[1]) ? "ok" : "bad");
		return 0;
	}
	if (!strcmp(w, "records") && argc == 3) {
		/* FILE of 16-byte records, as states or as shadow ids */
		size_t len, i;
		char *data = read_whole(argv[2], &len);

		if (!data)
			return EXIT_BAD_INPUT;
		for (i = 0; i < len / KLPGEN_RECORD_SIZE; i++) {
			struct klpgen_state_rec st;
			struct klpgen_shadow_rec sh;

			if (!strcmp(argv[1], "shadow")) {
				klpgen_shadow_rec(data, i, &sh);
				printf("%llu %llu\n", (unsigned long long)sh.id,
				       (unsigned long long)sh.state);
			} else if (klpgen_state_rec(data, i, &st)) {
				printf("malformed\n");
			} else {
				printf("%llu %u %d %d\n",
				       (unsigned long long)st.id, st.version,
				       st.block_disable, st.is_shadow);
			}
		}
		free(data);
		return 0;
	}
	if (!strcmp(w, "symname") && argc == 2) {
		printf("%s\n", klp_symname_ok(argv[1]) ? "ok" : "bad");
		return 0;
	}
	if (!strcmp(w, "objname-dup") && argc == 2)
		return abi_result(klp_objname_dup(argv[1], strlen(argv[1])), NULL);
	if (!strcmp(w, "sym") && argc == 4) {
		char *s = klp_sym_name(argv[1], argv[2], pos, &why);

		return abi_result(s, why);
	}
	if (!strcmp(w, "sym-parse") && argc == 2) {
		struct klp_sym_name kn;

		if (klp_sym_name_parse(argv[1], &kn, &why))
			return abi_result(NULL, why);
		printf("%s %s %lu\n", kn.obj, kn.name, kn.pos);
		klp_sym_name_free(&kn);
		return 0;
	}
	if (!strcmp(w, "rela") && argc == 3)
		return abi_result(klp_rela_name(argv[1], argv[2]), NULL);
	if (!strcmp(w, "rela-obj") && argc == 2)
		return abi_result(klp_rela_name_obj(argv[1]), "no object name");
	if (!strcmp(w, "new") && argc == 4) {
		char *s = klpgen_new_name(argv[1], argv[2], pos, &why);

		return abi_result(s, why);
	}
	if (!strcmp(w, "new-parse") && argc == 2) {
		struct klpgen_new_name nn;

		if (klpgen_new_name_parse(argv[1], &nn, &why))
			return abi_result(NULL, why);
		printf("%s %s %lu\n", nn.obj, nn.func, nn.pos);
		klpgen_new_name_free(&nn);
		return 0;
	}
	if (!strcmp(w, "cb") && argc == 3) {
		int k = klp_cb_kind_of(argv[1]);

		if (k < 0)
			return abi_result(NULL, "unknown callback kind");
		return abi_result(klpgen_cb_name(k, argv[2]), NULL);
	}
	if (!strcmp(w, "cb-parse") && argc == 2) {
		enum klp_cb_kind k;
		const char *fn;

		if (klpgen_cb_name_parse(argv[1], &k, &fn))
			return abi_result(NULL, "not a callback alias");
		printf("%s %s\n", klp_cb_kinds[k], fn);
		return 0;
	}
	return EXIT_BAD_INPUT;
}

int main(int argc, char **argv)
{
	tool_name = "libquery";
	if (argc < 2)
		return EXIT_BAD_INPUT;
	if (!strcmp(argv[1], "hash"))
		return hash_selftest();
	if (argc < 3)
		return EXIT_BAD_INPUT;
	if (!strcmp(argv[1], "symvers"))
		return do_symvers(argc - 2, argv + 2);
	if (!strcmp(argv[1], "global"))
		return do_pos(argc - 2, argv + 2, false);
	if (!strcmp(argv[1], "local"))
		return do_pos(argc - 2, argv + 2, true);
	if (!strcmp(argv[1], "meta"))
		return do_meta(argc - 2, argv + 2);
	if (!strcmp(argv[1], "abi"))
		return do_abi(argc - 2, argv + 2);
	if (!strcmp(argv[1], "klpdata"))
		return do_klpdata(argc - 2, argv + 2);
	if (!strcmp(argv[1], "structsize"))
		return do_structsize(argc - 2, argv + 2);
	if (!strcmp(argv[1], "foreign") && argc == 4)
		return foreign_reloc(argv + 2);
	if (!strcmp(argv[1], "append"))
		return do_append(argc - 2, argv + 2);
	if (!strcmp(argv[1], "nodebug"))
		return do_nodebug(argc - 2, argv + 2);
	if (!strcmp(argv[1], "containing") || !strcmp(argv[1], "reloc") ||
	    !strcmp(argv[1], "released"))
		return do_elf(argv[1], argc - 2, argv + 2);
	return EXIT_BAD_INPUT;
}
