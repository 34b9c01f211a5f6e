// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen series build [build options] [-n BASE] [-o DIR] SERIES...
 *
 * Module k of a series is built from patches 1..k applied together, as
 * an atomic-replace module named BASE_v<version k>, and checked against
 * module k-1 before it is written (klpgen build --prev).  Each step is
 * klpgen build's own code path, run in a forked copy of this process
 * (build.c exits when it is done); all steps share one kernel, so after
 * the first the cache is warm and a step costs a patched build of the
 * touched objects and the module.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "klpgen.h"
#include "package.h"
#include "series.h"

struct step {
	struct build *b;
	const struct series *s;
	char **names;
	const char *outdir;
	size_t k;		/* 0-based */
};

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen series build [build options] [-n BASE] [-o DIR] SERIES\n"
"       klpgen series build [build options] [-n BASE] [-o DIR] PATCH...\n"
"\n"
"Build the cumulative atomic-replace modules of a patch series against one\n"
"kernel: module k from patches 1..k, named BASE_v<k> (or BASE_v<VERSION>\n"
"as the series file says), each checked against module k-1 (klpgen check)\n"
"before it is written.  SERIES is a file of 'PATCH [VERSION]' lines.\n"
"\n"
"  -n, --name BASE       module name base (default: klp_<series file name>)\n"
"  -o, --output DIR      where the modules go (default: .)\n"
"      --no-check        write a module even if it is incompatible with\n"
"                        the one before (the findings are still printed)\n"
"  build options         -s -c -v -j --cache --launcher --explain --debug\n"
"                        --keep-work --skip-compiler-check --package\n"
"                        --release, as klpgen build (each step has its own\n"
"                        version: the series file's, else k)\n"
"  -h, --help            this text\n"
"\n"
"exit: 0 every module written; else the first failing step's klpgen build\n"
"      status (2 bad input, 3 nothing to patch, 4 refused or incompatible,\n"
"      130 interrupted); the modules before it stay.  See klpgen-series(1).\n");
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

/* --version (or a prefix getopt accepts): the series gives each step its own. */
static bool gives_version(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		size_t n = strcspn(argv[i], "=");

		if (n >= 5 && !strncmp(argv[i], "--version", n))
			return true;
	}
	return false;
}

static void read_series(const struct build *b, struct series *s)
{
	size_t i;

	for (i = 0; i < b->patches.n; i++)
		if (!series_is_patch(b->patches.v[i]))
			break;
	if (i == b->patches.n) {
		series_from_patches(b->patches.v, b->patches.n, s);
		return;
	}
	if (b->patches.n > 1)
		die_code(EXIT_BAD_INPUT, "%s is no patch (no '--- '/'+++ ' lines): give one series file or the patches themselves",
			 b->patches.v[i]);
	if (series_read(b->patches.v[0], s))
		exit(EXIT_BAD_INPUT);
}

/* BASE_v<version>: checked here, so that no step fails on its name. */
static char **module_names(const char *base, const struct series *s)
{
	char **names = xcalloc(s->n, sizeof(*names));
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		names[i] = xasprintf("%s_v%s", base, s->steps[i].version);
		normalize_name(names[i]);
		if (!klp_modname_ok(names[i], KLPGEN_MODNAME_CHARS))
			die_code(EXIT_BAD_INPUT, "bad module name '%s' for step %zu (letters, digits and '_', at most 55)",
				 names[i], i + 1);
		for (j = 0; j < i; j++)
			if (!strcmp(names[i], names[j]))
				die_code(EXIT_BAD_INPUT, "steps %zu and %zu would both be module %s: give them different versions",
					 j + 1, i + 1, names[i]);
	}
	return names;
}

/* In the forked child: klpgen build of patches 1..k, --prev module k-1. */
static int run_step(void *arg)
{
	struct step *st = arg;
	struct build *b = st->b;
	size_t i;

	sl_free(&b->patches);
	for (i = 0; i <= st->k; i++)
		sl_add(&b->patches, st->s->steps[i].patch);
	free(b->name);
	b->name = xstrdup(st->names[st->k]);
	free(b->version);	/* .klpgen.meta version, package version */
	b->version = xstrdup(st->s->steps[st->k].version);
	b->outdir = (char *)st->outdir;	/* the parent's, freed by it */
	if (st->k)
		sl_add_own(&b->prevs, xasprintf("%s/%s.ko", st->outdir,
						 st->names[st->k - 1]));
	build_run(b);
	build_exit(b, EXIT_OK);
}

static char *absolute_outdir(const char *dir)
{
	char buf[PATH_MAX];

	if (fs_mkdir_p(dir) < 0 || !realpath(dir, buf))
		die_code(EXIT_BAD_INPUT, "output directory %s: %s", dir,
			 strerror(errno));
	return xstrdup(buf);
}

/* One line per step that ran; the total, or where the series stopped. */
static void report(char **names, const double *secs, size_t ran, int rc,
		   const char *outdir)
{
	double total = 0;
	size_t i;

	printf("\nklpgen series: %s\n", outdir);
	for (i = 0; i < ran; i++) {
		bool failed = rc && i + 1 == ran;

		total += secs[i];
		printf("  %-3zu %-34s %7.1f s  %s\n", i + 1, names[i], secs[i],
		       failed ? "not written" : i ?
		       "written, compatible with the one before" : "written");
	}
	printf("  %-38s %7.1f s\n", "total", total);
	fflush(stdout);
	if (rc)
		fprintf(stderr, "[klpgen] series stopped at step %zu (%s), exit %d; the modules before it are in %s\n",
			ran, names[ran - 1], rc, outdir);
}

static int series_build(int argc, char **argv)
{
	struct build b = { 0 };
	struct series s;
	struct step st;
	double *secs, start;
	char *base, *outdir, **names;
	size_t k, i;
	int rc = 0;

	if (wants_help(argc, argv)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc == 1) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	build_init(&b);
	build_options(&b, argc, argv);
	if (!b.replace)
		die_code(EXIT_BAD_INPUT, "a series is cumulative: its modules replace each other, so -R does not apply");
	if (b.prevs.n)
		die_code(EXIT_BAD_INPUT, "--prev is klpgen build's: series build checks each module against the one before");
	if (gives_version(argc, argv))
		die_code(EXIT_BAD_INPUT, "each module of a series has the version of its step (the series file's VERSION, else k): --version does not apply");
	read_series(&b, &s);
	base = b.name ? b.name : build_default_name(b.patches.v[0]);
	names = module_names(base, &s);
	for (k = 0; b.package && k < s.n; k++)
		if (!pkg_version_ok(s.steps[k].version, false))
			die_code(EXIT_BAD_INPUT, "step %zu: version '%s' cannot be a package version (a digit first, then letters, digits, '.', '+' and '~')",
				 k + 1, s.steps[k].version);
	outdir = absolute_outdir(b.outdir ? b.outdir : ".");
	secs = xcalloc(s.n, sizeof(*secs));
	spawn_signals_install();
	for (k = 0; k < s.n && !rc; k++) {
		fprintf(stderr, "[klpgen] series step %zu/%zu: %s (patches 1..%zu, last %s)\n",
			k + 1, s.n, names[k], k + 1,
			basename(s.steps[k].patch));
		st = (struct step){ &b, &s, names, outdir, k };
		start = kb_now();
		rc = spawn_fn(run_step, &st);
		secs[k] = kb_now() - start;
	}
	report(names, secs, k, rc, outdir);
	for (i = 0; i < s.n; i++)
		free(names[i]);
	free(names);
	free(secs);
	free(outdir);
	if (base != b.name)
		free(base);
	free(b.name);
	sl_free(&b.patches);
	free(b.version);
	series_free(&s);
	return rc < 0 ? EXIT_INTERNAL : rc;
}

int cmd_series(int argc, char **argv)
{
	tool_name = "klpgen series";
	if (argc >= 2 && !strcmp(argv[1], "build")) {
		static char prog[] = "klpgen series build";

		argv[1] = prog;
		return series_build(argc - 1, argv + 1);
	}
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		usage(stderr);
	else
		WARN("unknown series command '%s' (klpgen series build is the one)",
		     argv[1]);
	return EXIT_BAD_INPUT;
}
