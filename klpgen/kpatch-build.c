// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen kpatch-build: kpatch-build's command line, run by klpgen build's
 * phases in this process (--oot-module: the builds are oot.c's).  Installed
 * as a `kpatch-build` link too (make install KPATCH_COMPAT=1), so scripts
 * keep calling it by that name.
 *
 * What differs from `klpgen build` is only the mapping below: kpatch's
 * option letters, CACHEDIR, and kpatch's module file names
 * (livepatch-<patch>.ko; -n keeps '-' and case; the kernel's module name
 * turns each '-' into '_').  Options klpgen has no use for are accepted
 * with a one-line note.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cmdline.h"
#include "klpgen.h"

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen kpatch-build [options] PATCH...\n"
"\n"
"kpatch-build's command line for klpgen build (see klpgen(1), COMING FROM\n"
"KPATCH).  Writes livepatch-<patch>.ko, or NAME.ko with -n.\n"
"\n"
"  -s, --sourcedir DIR     kernel source tree (never modified); with\n"
"                          --oot-module: the kernel build directory\n"
"  -c, --config FILE       kernel .config\n"
"  -v, --vmlinux FILE      vmlinux of the running kernel (default with -s:\n"
"                          DIR/vmlinux when it exists)\n"
"  -a, --archversion VER   kernel release whose vmlinux and config to use\n"
"                          (/usr/lib/debug/..., /boot/config-VER)\n"
"  -j, --jobs N            parallel make jobs\n"
"  -t, --target TARGET     make targets of the original build (repeatable;\n"
"                          default vmlinux modules)\n"
"  -n, --name NAME         module file NAME.ko\n"
"  -o, --output DIR        where the module goes (default: .)\n"
"  -R, --non-replace       do not replace earlier livepatches\n"
"  -d, --debug             show every command, keep the work directory\n"
"      --skip-cleanup      keep the work directory\n"
"      --skip-compiler-check  build even if gcc differs from the vmlinux's\n"
"  -e, --oot-module FILE   the running out-of-tree module to patch\n"
"      --oot-module-src DIR  its source (never modified)\n"
"  -r, --sourcerpm RPM     accepted, not used (give -s)\n"
"  klpgen's own: --explain, --cache DIR, --launcher CMD, --keep-work\n"
"  -h, --help              this text\n"
"\n"
"CACHEDIR (kpatch's cache variable) is klpgen's cache unless KLPGEN_CACHE\n"
"or --cache is given.  Exit codes are klpgen build's.\n");
}

enum {
	OPT_OOT_SRC = 256, OPT_SKIP_CLEANUP, OPT_SKIPCC, OPT_SKIPGCC,
	OPT_EXPLAIN, OPT_CACHE, OPT_LAUNCHER, OPT_KEEP,
};

struct kpatch_opts {
	const char *archversion;
	const char *oot_module;
	const char *oot_src;
};

static void note(const char *fmt, const char *arg)
{
	fprintf(stderr, "[klpgen] note: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* kpatch's rule: [A-Za-z0-9_-] kept, anything else '-', 48 at most. */
static char *kpatch_name(const char *s)
{
	char *n = xstrndup(s, 48), *c;

	for (c = n; *c; c++)
		if (!strchr(KPATCH_NAME_CHARS, *c))
			*c = '-';
	return n;
}

/* livepatch-<patch without .patch/.diff>, or livepatch-patch for several. */
static char *default_name(const struct strlist *patches)
{
	char *copy, *base, *name, *dot;

	if (patches->n != 1)
		return kpatch_name("livepatch-patch");
	copy = xstrdup(patches->v[0]);
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot && (!strcmp(dot, ".patch") || !strcmp(dot, ".diff")))
		*dot = '\0';
	name = xasprintf("livepatch-%s", base);
	free(copy);
	copy = kpatch_name(name);
	free(name);
	return copy;
}

static void add_targets(struct strlist *l, const char *arg)
{
	char *copy = xstrdup(arg), *t, *save = NULL;

	for (t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		sl_add(l, t);
	free(copy);
}

static char *first_readable(char *a, char *b)
{
	char *ret = !access(a, R_OK) ? a : !access(b, R_OK) ? b : NULL;

	if (ret != a)
		free(a);
	if (ret != b)
		free(b);
	return ret;
}

/* kpatch's defaults for the files of the kernel to patch. */
static void kernel_defaults(struct build *b, const struct kpatch_opts *k)
{
	if (k->archversion && b->vmlinux) {
		note("-a %s: the vmlinux given with -v is used", k->archversion);
	} else if (k->archversion) {
		b->vmlinux = first_readable(
			xasprintf("/usr/lib/debug/boot/vmlinux-%s", k->archversion),
			xasprintf("/usr/lib/debug/lib/modules/%s/vmlinux",
				  k->archversion));
		if (!b->vmlinux)
			die_code(EXIT_BAD_INPUT, "no vmlinux of %s found (install its debug symbols or give -v VMLINUX)",
				 k->archversion);
	} else if (!b->vmlinux && b->srcdir) {
		/* kpatch-build -s: the tree's own vmlinux, when there is one */
		char *tree_vmlinux = xasprintf("%s/vmlinux", b->srcdir);

		if (!access(tree_vmlinux, R_OK))
			b->vmlinux = tree_vmlinux;
		else
			free(tree_vmlinux);
	}
	if (k->archversion && !b->config) {
		char *cfg = xasprintf("/boot/config-%s", k->archversion);

		if (!access(cfg, R_OK))
			b->config = cfg;
		else
			free(cfg);
	}
}

static void parse_options(struct build *b, struct kpatch_opts *k, int argc,
			  char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "archversion", required_argument, NULL, 'a' },
		{ "sourcerpm", required_argument, NULL, 'r' },
		{ "sourcedir", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "target", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "debug", no_argument, NULL, 'd' },
		{ "oot-module", required_argument, NULL, 'e' },
		{ "oot-module-src", required_argument, NULL, OPT_OOT_SRC },
		{ "non-replace", no_argument, NULL, 'R' },
		{ "skip-cleanup", no_argument, NULL, OPT_SKIP_CLEANUP },
		{ "skip-compiler-check", no_argument, NULL, OPT_SKIPCC },
		{ "skip-gcc-check", no_argument, NULL, OPT_SKIPGCC },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "launcher", required_argument, NULL, OPT_LAUNCHER },
		{ "keep-work", no_argument, NULL, OPT_KEEP },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = cmd_getopt(argc, argv, "ha:r:s:c:v:j:t:n:o:de:R",
				 longopts, usage)) != -1) {
		switch (opt) {
		case 'a': k->archversion = optarg; break;
		case 'r':
			note("-r %s: klpgen does not unpack source RPMs; the tree comes from -s", optarg);
			break;
		case 's': b->srcdir = optarg; break;
		case 'c': b->config = optarg; break;
		case 'v': b->vmlinux = optarg; break;
		case 't': add_targets(&b->targets, optarg); break;
		case 'n': free(b->name); b->name = kpatch_name(optarg); break;
		case 'o': b->outdir = optarg; break;
		case 'd': debug_level++; b->keep_work = true; break;
		case 'e': k->oot_module = optarg; break;
		case OPT_OOT_SRC: k->oot_src = optarg; break;
		case 'R': b->replace = false; break;
		case OPT_SKIP_CLEANUP: b->keep_work = true; break;
		case OPT_SKIPGCC:
			note("%s: deprecated in kpatch; taken as --skip-compiler-check",
			     "--skip-gcc-check");
			/* fall through */
		case OPT_SKIPCC: b->skip_cc_check = true; break;
		case OPT_EXPLAIN: b->explain = true; break;
		case OPT_CACHE: b->cache = optarg; break;
		case OPT_LAUNCHER: b->launcher = optarg; break;
		case OPT_KEEP: b->keep_work = true; break;
		case 'j': b->jobs = build_jobs(optarg); break;
		}
	}
	if (optind >= argc)
		die_code(EXIT_BAD_INPUT, "no patch given (see klpgen kpatch-build --help)");
	for (; optind < argc; optind++) {
		char *p = realpath(argv[optind], NULL);

		if (!p || access(p, R_OK))
			die_code(EXIT_BAD_INPUT, "patch file '%s' not found",
				 argv[optind]);
		sl_add_own(&b->patches, p);
	}
	if (k->oot_module && !k->oot_src)
		die_code(EXIT_BAD_INPUT, "--oot-module requires --oot-module-src");
	if (k->oot_src && !k->oot_module)
		die_code(EXIT_BAD_INPUT, "--oot-module-src requires --oot-module");
}

int cmd_kpatch_build(int argc, char **argv)
{
	struct kpatch_opts k = { 0 };
	struct build b;
	const char *cachedir = getenv("CACHEDIR");
	const char *klpgen_cache = getenv("KLPGEN_CACHE");

	build_init(&b);
	b.kpatch = true;
	parse_options(&b, &k, argc, argv);
	if (!b.cache && !(klpgen_cache && *klpgen_cache) && cachedir &&
	    *cachedir)
		b.cache = (char *)cachedir;	/* resolve_inputs() copies it */
	if (!b.name)
		b.name = default_name(&b.patches);
	kernel_defaults(&b, &k);
	if (k.oot_module) {	/* -s is the kernel build dir, oot.c */
		const char *kbuild = b.srcdir;

		b.oot_ko = (char *)k.oot_module;
		b.srcdir = (char *)k.oot_src;
		oot_inputs(&b, kbuild);
	}
	build_run(&b);
	printf("SUCCESS\n");
	fflush(stdout);
	build_exit(&b, EXIT_OK);
}
