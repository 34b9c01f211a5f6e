// SPDX-License-Identifier: GPL-2.0
/*
 * create-diff-object: compare the original and the patched build of one
 * kernel object and write an object holding only what the livepatch needs.
 *
 * main() parses options and runs the phases in order; every phase lives in
 * its own file (see cdo.h).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cdo.h"
#include "cmdline.h"
#include "fs.h"
#include "klpgen-abi.h"

static void usage(FILE *out)
{
	fprintf(out,
"usage: create-diff-object [options] ORIG.o PATCHED.o OUT.o\n"
"\n"
"  -n, --objname NAME     object the code lives in: vmlinux (default) or a\n"
"                         module name\n"
"  -s, --symbols FILE     vmlinux or module .ko of the running kernel (any ELF\n"
"                         with a symbol table; default: ORIG.o)\n"
"  -S, --symvers FILE     Module.symvers: exported symbols stay plain\n"
"      --dwarf FILE       DWARF for struct sizes when --symbols lacks them\n"
"                         (vmlinux, for a module)\n"
"      --explain FILE     write every verdict as JSON\n"
"      --crcs FILE        export CRCs of the patched build (Module.symvers\n"
"                         format); referenced exports whose CRC changed are\n"
"                         refused\n"
"      --patch-symbols FILE  globals the patch defines in its other objects\n"
"                         (one a line): references to them stay plain\n"
"      --entsize SEC=N    entry size of special section SEC (repeatable)\n"
"      --debug            print decisions (twice: also every correlation)\n"
"  -h, --help             this text\n"
"\n"
"exit: 0 written, 3 no changed functions, 4 refused as unsafe,\n"
"      2 bad input or usage, 1 internal error\n");
}

char *cdo_own(struct cdo *c, char *s)
{
	if (c->nr_owned == c->cap_owned) {
		c->cap_owned = c->cap_owned ? c->cap_owned * 2 : 64;
		c->owned = xrealloc(c->owned, c->cap_owned * sizeof(*c->owned));
	}
	c->owned[c->nr_owned++] = s;
	return s;
}

void refuse(struct cdo *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		DIE("out of memory");
	va_end(ap);
	if (kpatch_forgive(c, msg)) {	/* KPATCH_FORCE_UNSAFE */
		free(msg);
		return;
	}
	if (!c->refusal_set.buckets)
		hash_init(&c->refusal_set, 64);
	if (hash_find(&c->refusal_set, msg)) {
		free(msg);
		return;
	}
	hash_add(&c->refusal_set, msg, msg);
	if (c->nr_refusals == c->cap_refusals) {
		c->cap_refusals = c->cap_refusals ? c->cap_refusals * 2 : 16;
		c->refusals = xrealloc(c->refusals, c->cap_refusals *
				       sizeof(*c->refusals));
	}
	c->refusals[c->nr_refusals++].msg = msg;
}

static void parse_entsize(struct cdo *c, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	unsigned long n;

	if (!eq || eq == arg || !eq[1])
		die_code(EXIT_BAD_INPUT, "--entsize wants SECTION=SIZE, got '%s'",
			 arg);
	if (!cmd_ulong(eq + 1, 0, &n) || n == 0 || n > 4096)
		die_code(EXIT_BAD_INPUT, "--entsize %s: bad size", arg);
	c->entsizes = xrealloc(c->entsizes,
			       (c->nr_entsizes + 1) * sizeof(*c->entsizes));
	c->entsizes[c->nr_entsizes].sec = xstrndup(arg, eq - arg);
	c->entsizes[c->nr_entsizes].size = n;
	c->nr_entsizes++;
}

/*
 * OUT.o never replaces an input: the original objects are what the next
 * run compares against, and a half-finished patch must not destroy them.
 */
static void check_out_path(const struct cdo *c)
{
	const char *inputs[] = { c->orig_path, c->patched_path,
				 c->symbols_path, c->symvers_path,
				 c->explain_path };
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (inputs[i] && fs_same_file(c->out_path, inputs[i]))
			die_code(EXIT_BAD_INPUT,
				 "%s: OUT.o is the same file as %s; refusing to overwrite an input",
				 c->out_path, inputs[i]);
}

static void parse_args(struct cdo *c, int argc, char **argv)
{
	enum { OPT_EXPLAIN = 256, OPT_DEBUG, OPT_ENTSIZE, OPT_DWARF, OPT_CRCS,
	       OPT_PATCH_SYMBOLS };
	static const struct option longopts[] = {
		{ "objname", required_argument, NULL, 'n' },
		{ "symbols", required_argument, NULL, 's' },
		{ "symvers", required_argument, NULL, 'S' },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "crcs", required_argument, NULL, OPT_CRCS },
		{ "patch-symbols", required_argument, NULL, OPT_PATCH_SYMBOLS },
		{ "entsize", required_argument, NULL, OPT_ENTSIZE },
		{ "dwarf", required_argument, NULL, OPT_DWARF },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	c->objname = "vmlinux";
	argv[0] = (char *)tool_name;	/* getopt's messages name the tool */
	while ((opt = cmd_getopt(argc, argv, "n:s:S:h", longopts, usage)) != -1) {
		switch (opt) {
		case 'n':
			c->objname = optarg;
			break;
		case 's':
			c->symbols_path = optarg;
			break;
		case 'S':
			c->symvers_path = optarg;
			break;
		case OPT_EXPLAIN:
			c->explain_path = optarg;
			break;
		case OPT_CRCS:
			c->crcs_path = optarg;
			break;
		case OPT_PATCH_SYMBOLS:
			c->patch_symbols_path = optarg;
			break;
		case OPT_ENTSIZE:
			parse_entsize(c, optarg);
			break;
		case OPT_DWARF:
			c->dwarf_path = optarg;
			break;
		case OPT_DEBUG:
			debug_level++;
			break;
		}
	}
	if (argc - optind != 3)
		die_code(EXIT_BAD_INPUT,
			 "expected ORIG.o PATCHED.o OUT.o, got %d arguments (see --help)",
			 argc - optind);
	c->orig_path = argv[optind];
	c->patched_path = argv[optind + 1];
	c->out_path = argv[optind + 2];
	if (!c->symbols_path)
		c->symbols_path = c->orig_path;
	/* the kernel's name of the object: '-' is '_' */
	c->objname = cdo_own(c, klp_objname_dup(c->objname,
						 strlen(c->objname)));
	if (!klp_objname_ok(c->objname))
		die_code(EXIT_BAD_INPUT,
			 "bad object name '%s' (vmlinux or a module name: [A-Za-z0-9_-], at most %d characters)",
			 c->objname, KLP_OBJNAME_MAX);
	c->is_vmlinux = !strcmp(c->objname, "vmlinux");
	check_out_path(c);
}

/* Read-only inputs: their debug relocations are never looked at. */
static struct elf_file *open_rel(const char *path)
{
	struct elf_file *elf = elf_open_flags(path, ELF_OPEN_NO_DEBUG_RELOCS);

	if (!elf)
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	if (elf->ehdr.e_type != ET_REL || elf->ehdr.e_machine != arch_machine()) {
		elf_close(elf);
		die_code(EXIT_BAD_INPUT,
			 "%s: not an %s relocatable object", path, arch_name());
	}
	if (!elf->symtab) {
		elf_close(elf);
		die_code(EXIT_BAD_INPUT, "%s: no symbol table", path);
	}
	return elf;
}

/* --debug: elapsed time and peak RSS after each phase */
static void phase(const char *name)
{
	static struct timespec t0;
	struct timespec t;
	struct rusage ru;

	if (!debug_level)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec && !t0.tv_nsec)
		t0 = t;
	getrusage(RUSAGE_SELF, &ru);
	DEBUG("phase %-10s %7.3f s  peak RSS %ld KB", name,
	      (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9,
	      ru.ru_maxrss);
}

static void cleanup(struct cdo *c)
{
	size_t i;

	for (i = 0; i < c->nr_funcs; i++) {
		free(c->funcs[i].reason);
		free(c->funcs[i].note);
	}
	free(c->funcs);
	free(c->entry_refs);
	for (i = 0; i < c->nr_specials; i++) {
		free(c->specials[i].owner);
		free(c->specials[i].first_reloc);
		free(c->specials[i].include);
	}
	free(c->specials);
	if (c->refusal_set.buckets)
		hash_free(&c->refusal_set);
	if (c->private_memo.buckets)
		hash_free(&c->private_memo);
	pieces_free(c);
	if (c->patch_syms.buckets)
		hash_free(&c->patch_syms);
	for (i = 0; i < c->nr_refusals; i++)
		free(c->refusals[i].msg);
	free(c->refusals);
	for (i = 0; i < c->nr_owned; i++)
		free(c->owned[i]);
	free(c->owned);
	for (i = 0; i < c->nr_entsizes; i++)
		free(c->entsizes[i].sec);
	free(c->entsizes);
	crc_close(c);
	statics_free(c);
	kpatch_free(c);
	kernel_close(c);
	if (c->out)
		elf_close(c->out);
	elf_close(c->patched);
	elf_close(c->orig);
}

int main(int argc, char **argv)
{
	struct cdo c = { 0 };
	int ret = EXIT_OK;
	size_t i;

	tool_name = "create-diff-object";
	parse_args(&c, argc, argv);

	phase("start");
	c.orig = open_rel(c.orig_path);
	c.patched = open_rel(c.patched_path);
	if (kernel_open(&c))
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	phase("read");
	collect_funcs(&c);
	correlate(&c);
	phase("correlate");
	kpatch_read(&c);
	special_parse(&c);
	phase("special");
	compare_funcs(&c);
	phase("compare");
	refuse_unsafe(&c);
	crc_check_exports(&c);
	include_all(&c);
	special_include_entries(&c);
	kpatch_end_forcing(&c);
	check_hazards(&c);
	/* ORIG is compared and read no more: the output is built in its room */
	elf_release_relocs(c.orig);
	phase("include");

	if (!c.nr_refusals && (c.nr_changed || c.nr_new || c.has_klpgen))
		ret = write_output(&c);
	else if (!c.nr_refusals)
		ret = EXIT_NO_CHANGE;
	if (c.nr_refusals) {
		for (i = 0; i < c.nr_refusals; i++)
			WARN("refused: %s", c.refusals[i].msg);
		ret = EXIT_UNSAFE;
	} else if (ret == EXIT_NO_CHANGE) {
		WARN("no changed functions");
	}
	phase("output");
	if (c.explain_path && write_explain(&c) && ret == EXIT_OK)
		ret = EXIT_INTERNAL;
	cleanup(&c);
	return ret;
}
