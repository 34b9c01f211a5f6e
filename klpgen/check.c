// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen check PREV.ko... NEXT.ko: read each module's .klpgen.meta (or,
 * for modules klpgen did not build, its klp_patch data), apply the rules
 * of check-rules.c and give the verdict.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmdline.h"
#include "elf.h"
#include "klp-data.h"
#include "klpgen.h"
#include "util.h"

/* .modinfo vermagic=, the kernel a module was built for; NULL if none. */
static char *modinfo_vermagic(const char *path)
{
	struct elf_file *elf = elf_open(path);
	struct section *sec;
	const char *p, *end;
	char *v = NULL;

	if (!elf)
		return NULL;
	sec = elf_find_section(elf, ".modinfo");
	if (sec && sec->data && sec->sh.sh_type != SHT_NOBITS) {
		p = sec->data;
		end = p + sec->sh.sh_size;
		for (; p < end && !v; p += strnlen(p, end - p) + 1)
			if (!strncmp(p, "vermagic=", 9) &&
			    strnlen(p, end - p) < (size_t)(end - p))
				v = xstrdup(p + 9);
	}
	elf_close(elf);
	return v;
}

/* 0, or EXIT_BAD_INPUT after a message naming @path. */
static int load_module(struct check_module *cm, const char *path, FILE *out)
{
	const char *why;
	int rc;

	memset(cm, 0, sizeof(*cm));
	cm->path = xstrdup(path);
	rc = meta_read_module(path, &cm->meta);
	if (rc < 0)
		return EXIT_BAD_INPUT;	/* meta_read_module() said why */
	cm->from_meta = !rc;
	if (rc) {
		rc = klp_data_read_module(path, &cm->meta, &why);
		if (rc < 0)
			return EXIT_BAD_INPUT;
		if (rc) {
			WARN("%s: no livepatch metadata: no .klpgen.meta section (not built by klpgen), and %s",
			     path, why);
			return EXIT_BAD_INPUT;
		}
		fprintf(out, "note: %s (%s): no .klpgen.meta (not built by klpgen); read from its klp_patch data, so its shadow ids and reverts are not known\n",
			path, cm->meta.module);
	}
	cm->name = cm->meta.module;
	cm->vermagic = modinfo_vermagic(path);
	return 0;
}

static void free_module(struct check_module *cm)
{
	free(cm->path);
	free(cm->vermagic);
	meta_free(&cm->meta);
}

static bool same_fields(const struct klpgen_meta *a, const struct klpgen_meta *b)
{
	size_t i;

	if (!a->state_fields || !b->state_fields)
		return true;	/* not recorded: nothing to compare */
	if (a->nr_state_fields != b->nr_state_fields)
		return false;
	for (i = 0; i < a->nr_state_fields; i++)
		if (!meta_has_state_field(b, a->state_fields[i]))
			return false;
	return true;
}

/* Modules of one kernel only: 0 or EXIT_BAD_INPUT. */
static int same_kernel(const struct check_module *m, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		const struct check_module *a = &m[i], *b = &m[n - 1];

		if (a->vermagic && b->vermagic && strcmp(a->vermagic, b->vermagic)) {
			WARN("%s and %s are built for different kernels (vermagic '%s' and '%s'): check modules of one kernel",
			     a->path, b->path, a->vermagic, b->vermagic);
			return EXIT_BAD_INPUT;
		}
		if (a->from_meta && b->from_meta && !same_fields(&a->meta, &b->meta)) {
			WARN("%s and %s are built for kernels with different struct klp_state fields: check modules of one kernel",
			     a->path, b->path);
			return EXIT_BAD_INPUT;
		}
	}
	return 0;
}

static const char *rule_name(const struct klpgen_meta *m)
{
	if (meta_has_state_field(m, "block_disable") &&
	    !meta_has_state_field(m, "version"))
		return "struct klp_state with block_disable (the proposed rework)";
	if (!m->state_fields)
		return "struct klp_state with version (6.1 .. 6.12; not recorded, assumed)";
	return "struct klp_state with version (6.1 .. 6.12)";
}

static void print_names(FILE *out, const struct check_module *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", m[i].name);
}

int check_modules(char *const *paths, size_t n, FILE *out)
{
	struct check_module *mods = xcalloc(n, sizeof(*mods));
	struct check_report r = { .out = out };
	const struct check_module *next;
	size_t i, first = 0;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = load_module(&mods[i], paths[i], out);
	if (!ret)
		ret = same_kernel(mods, n);
	if (ret)
		goto out;
	next = &mods[n - 1];
	/* A replace patch loaded after others leaves only itself installed. */
	for (i = 0; i + 1 < n; i++)
		if (mods[i].meta.replace)
			first = i;
	for (i = 0; i < first; i++)
		fprintf(out, "note: %s is replaced by %s (loaded after it, a replace patch): not installed when %s is enabled, not checked\n",
			mods[i].name, mods[first].name, next->name);
	fprintf(out, "checking %s after ", next->name);
	print_names(out, mods + first, n - 1 - first);
	fprintf(out, " (%s patch; state rule: %s)\n",
		next->meta.replace ? "replace" : "non-replace",
		rule_name(&next->meta));
	check_rules(mods + first, n - 1 - first, next, &r);
	fprintf(out, "%s after ", next->name);
	print_names(out, mods + first, n - 1 - first);
	fprintf(out, ": %s (%zu error%s, %zu warning%s)\n",
		r.errors ? "incompatible" : "compatible", r.errors,
		r.errors == 1 ? "" : "s", r.warnings,
		r.warnings == 1 ? "" : "s");
	ret = r.errors ? EXIT_UNSAFE : EXIT_OK;
out:
	for (i = 0; i < n; i++)
		free_module(&mods[i]);
	free(mods);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen check PREV.ko... NEXT.ko\n"
"\n"
"May livepatch NEXT be enabled while PREV... are (loaded in that order)?\n"
"Reports states the kernel would refuse, functions a replace reverts,\n"
"shadow ids that change state or are left behind, state versions raised\n"
"without a callback, and functions stacked non-replace patches share.\n"
"\n"
"  -h, --help   this text\n"
"\n"
"exit: 0 compatible (warnings allowed), 4 incompatible, 2 bad input.\n"
"See klpgen-check(1).\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	tool_name = "klpgen check";
	while (cmd_getopt(argc, argv, "h", longopts, usage) != -1)
		;	/* --help is the only option */
	if (argc - optind < 2) {
		WARN("give at least two modules: PREV.ko... NEXT.ko (see klpgen check --help)");
		return EXIT_BAD_INPUT;
	}
	return check_modules(argv + optind, argc - optind, stdout);
}
