// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen module: diff objects -> livepatch module.
 *
 *  1. read the diff objects (module-gen.c),
 *  2. `ld -r` them into one object, apply --symvers to it (klp-convert
 *     --prelink) so modpost versions the exported symbols,
 *  3. write the work directory: Kbuild, livepatch-main.c from the
 *     templates, klpgen-generated.h, the prebuilt object,
 *  4. make -C KBUILD M=WORK KBUILD_MODPOST_WARN=1 modules (log in
 *     WORK/build.log),
 *  5. klp-convert the .ko into OUTDIR/NAME.ko.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmdline.h"
#include "klpgen.h"
#include "klpgen-abi.h"
#include "klpgen-meta.h"
#include "module-gen.h"
#include "module.h"
#include "fs.h"
#include "spawn.h"
#include "template.h"
#include "util.h"

/* --templates DIR, else the templates/ that klpgen_datafile() finds. */
static char *find_templates(const struct module_opts *o)
{
	char *main_c, *slash;

	if (o->templates)
		return xstrdup(o->templates);
	main_c = klpgen_datafile("templates/livepatch-main.c");
	if (!main_c)	/* the error then names the installed place */
		return xstrdup(KLPGEN_DATADIR "/templates");
	slash = strrchr(main_c, '/');
	*slash = '\0';
	return main_c;
}

/* Run @argv, output appended to @log or inherited; spawn_run()'s codes. */
static int run(char *const argv[], const char *log)
{
	int fd = -1, rc;

	if (log) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			WARN("%s: %s", log, strerror(errno));
			return -1;
		}
	}
	rc = spawn_run(argv, fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* A failed step's exit code: an interrupt stays one. */
static int step_failed(int rc)
{
	return rc == EXIT_INTERRUPTED ? rc : EXIT_INTERNAL;
}

static int copy_file(const char *from, const char *to)
{
	if (!fs_copy_file(from, to))
		return 0;
	WARN("cannot copy %s to %s: %s", from, to, strerror(errno));
	return -1;
}

static int write_text(const char *path, const char *text)
{
	/* write_file_atomic() says why it failed */
	return write_file_atomic(path, text, strlen(text), 0644) ? -1 : 0;
}

/* Kbuild from the template, @NAME@ replaced. */
static int write_kbuild(const char *tdir, const char *work, const char *name)
{
	const char *const vars[] = { "NAME", name, NULL };
	char *in = xasprintf("%s/Kbuild.in", tdir), *out, *filled;
	char *text = fs_read_text(in, NULL);
	int ret;

	if (!text) {
		WARN("%s: %s", in, strerror(errno));
		free(in);
		return -1;
	}
	free(in);
	filled = template_fill(text, vars);
	out = xasprintf("%s/Kbuild", work);
	ret = write_text(out, filled);
	free(out);
	free(filled);
	free(text);
	return ret;
}

static void add_arg(char ***argv, size_t *n, const char *arg)
{
	*argv = xrealloc(*argv, (*n + 2) * sizeof(**argv));
	(*argv)[(*n)++] = xstrdup(arg);
	(*argv)[*n] = NULL;
}

static void free_args(char **argv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
}

/* klp-convert with the target checks of @o. */
static int klp_convert(const struct module_opts *o, const char *symvers,
		       bool prelink, const char *in, const char *out)
{
	char **argv = NULL, *exe = klpgen_sibling_tool("klp-convert"), *arg;
	size_t n = 0, i;
	int ret;

	add_arg(&argv, &n, exe);
	if (prelink)
		add_arg(&argv, &n, "--prelink");
	if (debug_level)
		add_arg(&argv, &n, "--debug");
	if (o->vmlinux) {
		add_arg(&argv, &n, "--vmlinux");
		add_arg(&argv, &n, o->vmlinux);
	}
	if (symvers) {
		add_arg(&argv, &n, "--symvers");
		add_arg(&argv, &n, symvers);
	}
	for (i = 0; i < o->nr_mods; i++) {
		arg = xasprintf("%s=%s", o->mods[i].obj, o->mods[i].path);
		add_arg(&argv, &n, "--module");
		add_arg(&argv, &n, arg);
		free(arg);
	}
	add_arg(&argv, &n, in);
	add_arg(&argv, &n, out);
	ret = run(argv, NULL);
	if (ret)
		WARN("klp-convert %s failed (exit %d)", in, ret);
	free_args(argv, n);
	free(exe);
	return ret < 0 ? EXIT_INTERNAL : ret;
}

static void summary(const struct module_opts *o, const struct patch_desc *pd,
		    const char *ko)
{
	size_t i;

	if (o->quiet)
		return;
	printf("module %s:", o->name);
	for (i = 0; i < pd->nr_objs; i++)
		printf("%s%s (%zu)", i ? ", " : " objects ", pd->objs[i].name,
		       pd->objs[i].nr_funcs);
	printf("; %zu funcs, %zu callbacks, %zu states, %zu shadow ids, %s\n",
	       pd->nr_funcs, pd->nr_cbs, pd->nr_states, pd->nr_shadows,
	       pd->replace ? "replace" : "no replace");
	if (ko)
		printf("wrote %s\n", ko);
}

int klpgen_make_module(const struct module_opts *o)
{
	struct patch_desc pd;
	char *tdir = NULL, *work = NULL, *path = NULL, *text = NULL;
	char *symvers = NULL, *ko = NULL, *built = NULL, *log = NULL;
	char **argv = NULL;
	size_t nargs = 0, i;
	bool keep = o->work != NULL;
	int ret, rc;

	memset(&pd, 0, sizeof(pd));
	if (o->kbuild) {
		path = xasprintf("%s/Makefile", o->kbuild);
		if (access(path, R_OK)) {
			WARN("%s: not a kernel build directory (no Makefile)",
			     o->kbuild);
			ret = EXIT_BAD_INPUT;
			goto out;
		}
		free(path);
		path = NULL;
	}
	ret = patch_read(o, &pd);
	if (ret)
		goto out;
	ret = detect_state_fields(o, &pd.fields);
	if (ret)
		goto out;
	ret = check_states(&pd);
	if (ret)
		goto out;
	ret = patch_namespaces(o, &pd);
	if (ret)
		goto out;

	tdir = find_templates(o);
	if (o->work) {
		work = xstrdup(o->work);
		if (mkdir(work, 0755) && errno != EEXIST) {
			WARN("%s: %s", work, strerror(errno));
			ret = EXIT_BAD_INPUT;
			goto out;
		}
	} else {
		const char *tmp = getenv("TMPDIR");

		work = xasprintf("%s/klpgen-module.XXXXXX",
				 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(work)) {
			WARN("mkdtemp %s: %s", work, strerror(errno));
			ret = EXIT_INTERNAL;
			goto out;
		}
	}
	ret = EXIT_INTERNAL;
	/* Absolute, for make -C. */
	path = realpath(work, NULL);
	if (!path) {
		WARN("%s: %s", work, strerror(errno));
		goto out;
	}
	free(work);
	work = path;
	path = NULL;

	/* The template sources and the generated header. */
	path = xasprintf("%s/livepatch-main.c", tdir);
	text = xasprintf("%s/livepatch-main.c", work);
	if (copy_file(path, text))
		goto out;
	free(path);
	free(text);
	if (write_kbuild(tdir, work, o->name))
		goto out;
	text = patch_header(o, &pd);
	path = xasprintf("%s/klpgen-generated.h", work);
	if (write_text(path, text))
		goto out;
	free(path);
	free(text);
	text = patch_meta(o, &pd);
	path = xasprintf("%s/klpgen-meta.txt", work);
	if (write_text(path, text))
		goto out;
	free(path);
	free(text);
	path = text = NULL;

	/* One object with all new code. */
	built = xasprintf("%s/klpgen-patch.o.prebuilt", work);
	add_arg(&argv, &nargs, "ld");
	add_arg(&argv, &nargs, "-r");
	add_arg(&argv, &nargs, "-o");
	add_arg(&argv, &nargs, built);
	for (i = 0; i < o->nr_diffs; i++)
		add_arg(&argv, &nargs, o->diffs[i].path);
	rc = run(argv, NULL);
	if (rc) {
		WARN("ld -r of the diff objects failed");
		/* They were read already: ld rejecting one is bad input. */
		ret = rc > 0 && rc < 126 ? EXIT_BAD_INPUT : step_failed(rc);
		goto out;
	}
	if (o->symvers)
		symvers = xstrdup(o->symvers);
	else if (o->kbuild) {
		symvers = xasprintf("%s/Module.symvers", o->kbuild);
		if (access(symvers, R_OK)) {
			free(symvers);
			symvers = NULL;
		}
	}
	ret = klp_convert(o, symvers, true, built, built);
	if (ret)
		goto out;

	if (o->no_build) {
		if (!o->quiet)
			printf("work directory %s\n", work);
		summary(o, &pd, NULL);
		keep = true;
		ret = 0;
		goto out;
	}
	ret = EXIT_INTERNAL;
	if (!o->kbuild) {
		WARN("no kernel build directory (-k)");
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	free_args(argv, nargs);
	argv = NULL;
	nargs = 0;
	log = xasprintf("%s/build.log", work);
	unlink(log);
	add_arg(&argv, &nargs, getenv("MAKE") && *getenv("MAKE") ?
		getenv("MAKE") : "make");
	add_arg(&argv, &nargs, "-C");
	add_arg(&argv, &nargs, o->kbuild);
	path = xasprintf("M=%s", work);
	add_arg(&argv, &nargs, path);
	free(path);
	path = NULL;
	add_arg(&argv, &nargs, "KBUILD_MODPOST_WARN=1");
	{	/* the kernel's compiler: LLVM=-16 for a clang-16 kernel */
		struct kb_toolchain tc;

		path = xasprintf("%s/.config", o->kbuild);
		if (!kb_toolchain(path, &tc) && tc.llvm[0])
			add_arg(&argv, &nargs, tc.llvm);
		free(path);
		path = NULL;
	}
	add_arg(&argv, &nargs, "modules");
	rc = run(argv, log);
	if (rc) {
		if (rc != EXIT_INTERRUPTED)
			WARN("building the module failed; see %s", log);
		ret = step_failed(rc);
		keep = rc != EXIT_INTERRUPTED;
		goto out;
	}

	free(built);
	built = xasprintf("%s/%s.ko", work, o->name);
	ko = xasprintf("%s/%s.ko", o->outdir ? o->outdir : ".", o->name);
	ret = klp_convert(o, symvers, false, built, ko);
	if (ret) {
		keep = true;
		goto out;
	}
	summary(o, &pd, ko);
out:
	if (work && !keep)
		fs_remove_tree(work);
	else if (work && ret && !o->work)
		WARN("work directory kept: %s", work);
	free_args(argv, nargs);
	free(tdir);
	free(work);
	free(path);
	free(text);
	free(symvers);
	free(ko);
	free(built);
	free(log);
	patch_free(&pd);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen module [options] OBJNAME=DIFF.o ...\n"
"\n"
"Generates a livepatch module from create-diff-object output.  OBJNAME is\n"
"vmlinux or the name of the module the diff object patches.\n"
"\n"
"  -n, --name NAME        NAME.ko ([A-Za-z0-9_-], at most 55 characters;\n"
"                         the module name has '_' for each '-')\n"
"  -k, --kbuild DIR       kernel build directory to build against\n"
"  -o, --output DIR       where NAME.ko goes (default: .)\n"
"  -R, --no-replace       not a cumulative (atomic replace) patch\n"
"                         (--non-replace works too)\n"
"      --vmlinux FILE     check vmlinux symbols against FILE\n"
"      --symvers FILE     Module.symvers (default: KBUILD/Module.symvers)\n"
"      --module NAME=KO   check symbols of module NAME against KO\n"
"      --work DIR         build in DIR and keep it\n"
"      --templates DIR    module templates (default: templates/ under $KLPGEN_DATADIR,\n"
"                         the source tree, " KLPGEN_DATADIR "/templates)\n"
"      --livepatch-h FILE struct klp_state from FILE (default: the\n"
"                         kernel tree of -k)\n"
"      --version V        record V as the module's version (.klpgen.meta)\n"
"      --patch NAME       record a source patch it is built from (repeatable)\n"
"      --no-build         stop after writing the work directory\n"
"      --debug            say more\n"
"  -h, --help             this help\n");
}

static char *objname(const char *s, size_t len)
{
	char *name = klp_objname_dup(s, len);

	if (!klp_objname_ok(name))
		die_code(EXIT_BAD_INPUT, "invalid object name '%s'", name);
	return name;
}

static void add_input(struct module_input **v, size_t *n, const char *arg,
		      const char *what)
{
	const char *eq = strchr(arg, '=');
	struct module_input *in;

	if (!eq || eq == arg || !eq[1])
		die_code(EXIT_BAD_INPUT, "%s wants OBJNAME=FILE, not '%s'", what,
			 arg);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	in = &(*v)[(*n)++];
	in->obj = objname(arg, eq - arg);
	in->path = xstrdup(eq + 1);
}

void module_inputs_free(struct module_input *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].obj);
		free(v[i].path);
	}
	free(v);
}

int cmd_module(int argc, char **argv)
{
	enum { OPT_VMLINUX = 256, OPT_SYMVERS, OPT_MODULE, OPT_WORK,
	       OPT_TEMPLATES, OPT_NO_BUILD, OPT_DEBUG, OPT_LIVEPATCH_H,
	       OPT_VERSION, OPT_PATCH };
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "kbuild", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-replace", no_argument, NULL, 'R' },
		{ "non-replace", no_argument, NULL, 'R' },	/* kpatch-build spelling */
		{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
		{ "symvers", required_argument, NULL, OPT_SYMVERS },
		{ "module", required_argument, NULL, OPT_MODULE },
		{ "work", required_argument, NULL, OPT_WORK },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "livepatch-h", required_argument, NULL, OPT_LIVEPATCH_H },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "patch", required_argument, NULL, OPT_PATCH },
		{ "no-build", no_argument, NULL, OPT_NO_BUILD },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct module_opts o = { .replace = true };
	size_t i;
	int c, ret;

	tool_name = "klpgen module";
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "n:k:o:Rh", longopts, usage)) != -1) {
		switch (c) {
		case 'n':
			o.name = optarg;
			break;
		case 'k':
			o.kbuild = optarg;
			break;
		case 'o':
			o.outdir = optarg;
			break;
		case 'R':
			o.replace = false;
			break;
		case OPT_VMLINUX:
			o.vmlinux = optarg;
			break;
		case OPT_SYMVERS:
			o.symvers = optarg;
			break;
		case OPT_MODULE:
			add_input(&o.mods, &o.nr_mods, optarg, "--module");
			break;
		case OPT_WORK:
			o.work = optarg;
			break;
		case OPT_TEMPLATES:
			o.templates = optarg;
			break;
		case OPT_LIVEPATCH_H:
			o.livepatch_h = optarg;
			break;
		case OPT_VERSION:
			if (!meta_token_ok(optarg))
				die_code(EXIT_BAD_INPUT, "--version '%s': printable, "
					 "no space, at most 255 bytes", optarg);
			o.version = optarg;
			break;
		case OPT_PATCH:
			if (!meta_token_ok(optarg))
				die_code(EXIT_BAD_INPUT, "--patch '%s': printable, "
					 "no space, at most 255 bytes", optarg);
			o.patches = xrealloc(o.patches, (o.nr_patches + 1) *
					     sizeof(*o.patches));
			o.patches[o.nr_patches++] = optarg;
			break;
		case OPT_NO_BUILD:
			o.no_build = true;
			break;
		case OPT_DEBUG:
			debug_level++;
			break;
		}
	}
	for (i = optind; i < (size_t)argc; i++)
		add_input(&o.diffs, &o.nr_diffs, argv[i], "a diff object");
	if (!o.nr_diffs || !o.name) {
		WARN("%s (see klpgen module --help)",
		     !o.name ? "no module name (-n)" : "no diff objects");
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	if (!klp_modname_ok(o.name, KLP_MODFILE_CHARS)) {
		WARN("invalid module name '%s': [A-Za-z0-9_-], at most %d characters",
		     o.name, KLP_OBJNAME_MAX);
		ret = EXIT_BAD_INPUT;
		goto out;
	}
	spawn_signals_install();	/* Ctrl-C: the work dir goes too */
	ret = klpgen_make_module(&o);
out:
	module_inputs_free(o.diffs, o.nr_diffs);
	module_inputs_free(o.mods, o.nr_mods);
	free(o.patches);
	return ret;
}
