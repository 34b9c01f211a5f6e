// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen build: options, the phases in order, and the result.
 *
 *   inputs -> cache key -> source copy -> patches read
 *   full:     original build of the whole tree (cached) -> objects
 *   targeted: tree prepared (cached) -> objects -> their original builds
 *   -> patches applied -> patched build of those objects -> restore
 *   -> create-diff-object per object -> klpgen module -> summary
 *
 * Targeted is the default unless a full original build is cached.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "cmdline.h"
#include "klpgen.h"


static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen build [options] PATCH...\n"
"\n"
"Build a livepatch module from kernel source patches (-p1 unified diffs).\n"
"\n"
"The kernel (default: the running one, uname -r):\n"
"      --kernel KVER       the kernel release the module is for; its files\n"
"                          are found where its Debian packages install them\n"
"      --root DIR          look those package paths up under DIR (packages\n"
"                          unpacked with dpkg-deb -x)\n"
"  -v, --vmlinux FILE      its vmlinux with symbols (default:\n"
"                          /usr/lib/debug/boot/vmlinux-KVER, then\n"
"                          /usr/lib/debug/lib/modules/KVER/vmlinux, then\n"
"                          the -s tree's own)\n"
"  -s, --sourcedir DIR|TAR its source tree or tarball, never modified\n"
"                          (default: the 'source' link beside the vmlinux,\n"
"                          /usr/src/linux-source-X.Y, then\n"
"                          /usr/src/linux-source-X.Y.tar.xz)\n"
"  -c, --config FILE       its .config (default: .config beside the vmlinux,\n"
"                          then in the tree, then /boot/config-KVER)\n"
"      --symvers FILE      its Module.symvers (default: beside the vmlinux,\n"
"                          then /usr/src/linux-headers-KVER/Module.symvers)\n"
"      --modules DIR       its modules (default: /lib/modules/KVER)\n"
"\n"
"The build:\n"
"      --targeted          build only the objects the patches affect (the\n"
"                          default unless a full original build is cached)\n"
"      --full              build the whole tree once (cached), then compare\n"
"  -j, --jobs N            parallel make jobs, 1-4096 (default: number of CPUs)\n"
"      --cache DIR         build cache (default: $KLPGEN_CACHE, else\n"
"                          $XDG_CACHE_HOME/klpgen, else ~/.cache/klpgen)\n"
"      --launcher CMD      compiler launcher: ccache, distcc, icecc (CC=\"CMD gcc\")\n"
"      --skip-compiler-check  build even if gcc differs from the one that\n"
"                          built the vmlinux\n"
"\n"
"The module:\n"
"  -n, --name NAME         module name (default: klp_<first patch name>)\n"
"  -o, --output DIR        where NAME.ko goes (default: .)\n"
"  -R, --non-replace       do not replace earlier livepatches (no atomic replace;\n"
"                          --no-replace works too)\n"
"      --sign-key KEY      sign the module with KEY (PEM private key) and\n"
"      --sign-cert CERT    CERT (its X.509 certificate), by the tree's sign-file\n"
"      --explain           write NAME.explain.json: why each function was\n"
"                          patched, included or refused\n"
"      --debug             show every command and create-diff-object's reasoning\n"
"      --keep-work         keep the work directory and print its path\n"
"      --prev PREV.ko      check the module against PREV (repeatable, in load\n"
"                          order) before writing it, as klpgen check does\n"
"      --no-check          write the module even if it is incompatible\n"
"      --package rpm|deb   also package the module (klpgen package)\n"
"      --version V         the module's (and package's) version (default:\n"
"                          0.YYYYMMDDHHMMSS of $SOURCE_DATE_EPOCH or now)\n"
"      --release R         the package's release (default: 1)\n"
"  -h, --help              this text\n"
"\n"
"exit: 0 module written, 2 bad input (patch does not apply or compile,\n"
"      inputs of different kernels), 3 nothing patchable changed, 4 refused\n"
"      as unsafe or incompatible with --prev, 130 interrupted, 1 other\n"
"      errors.  See klpgen(1).\n");
}

enum {
	OPT_CACHE = 256, OPT_LAUNCHER, OPT_EXPLAIN, OPT_DEBUG, OPT_KEEP,
	OPT_SKIPCC, OPT_ROOT, OPT_SYMVERS, OPT_MODULES, OPT_FULL,
	OPT_TARGETED, OPT_SIGN_KEY, OPT_SIGN_CERT, OPT_KERNEL,
	OPT_PREV, OPT_NO_CHECK, OPT_PACKAGE, OPT_VERSION, OPT_RELEASE,
};

/* -j N of both command lines: 1 to 4096. */
int build_jobs(const char *arg)
{
	unsigned long n;

	if (!cmd_ulong(arg, 10, &n) || n < 1 || n > 4096)
		die_code(EXIT_BAD_INPUT, "bad -j '%s'", arg);
	return n;
}

static void parse_options(struct build *b, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "sourcedir", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "symvers", required_argument, NULL, OPT_SYMVERS },
		{ "modules", required_argument, NULL, OPT_MODULES },
		{ "full", no_argument, NULL, OPT_FULL },
		{ "targeted", no_argument, NULL, OPT_TARGETED },
		{ "jobs", required_argument, NULL, 'j' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "non-replace", no_argument, NULL, 'R' },
		{ "no-replace", no_argument, NULL, 'R' },	/* klpgen module spelling */
		{ "sign-key", required_argument, NULL, OPT_SIGN_KEY },
		{ "sign-cert", required_argument, NULL, OPT_SIGN_CERT },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "launcher", required_argument, NULL, OPT_LAUNCHER },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "keep-work", no_argument, NULL, OPT_KEEP },
		{ "skip-compiler-check", no_argument, NULL, OPT_SKIPCC },
		{ "prev", required_argument, NULL, OPT_PREV },
		{ "no-check", no_argument, NULL, OPT_NO_CHECK },
		{ "package", required_argument, NULL, OPT_PACKAGE },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	b->replace = true;
	while ((opt = cmd_getopt(argc, argv, "s:c:v:j:n:o:Rh", longopts,
				 usage)) != -1) {
		switch (opt) {
		case OPT_KERNEL: b->kver = optarg; break;
		case 's': b->srcdir = optarg; break;
		case 'c': b->config = optarg; break;
		case 'v': b->vmlinux = optarg; break;
		case 'n': b->name = xstrdup(optarg); break;
		case 'o': b->outdir = optarg; break;
		case 'R': b->replace = false; break;
		case OPT_ROOT: b->root = optarg; break;
		case OPT_SYMVERS: b->symvers = optarg; break;
		case OPT_MODULES: b->modules = optarg; break;
		case OPT_SIGN_KEY: b->sign_key = optarg; break;
		case OPT_SIGN_CERT: b->sign_cert = optarg; break;
		case OPT_FULL:
		case OPT_TARGETED:
			if (b->mode != MODE_AUTO)
				die_code(EXIT_BAD_INPUT, "--full and --targeted "
					 "exclude each other");
			b->mode = opt == OPT_FULL ? MODE_FULL : MODE_TARGETED;
			break;
		case OPT_CACHE: b->cache = optarg; break;
		case OPT_LAUNCHER: b->launcher = optarg; break;
		case OPT_EXPLAIN: b->explain = true; break;
		case OPT_DEBUG: debug_level++; b->keep_work = true; break;
		case OPT_KEEP: b->keep_work = true; break;
		case OPT_SKIPCC: b->skip_cc_check = true; break;
		case OPT_PREV:
			sl_add_own(&b->prevs, need_path(optarg, "--prev module",
							S_IFREG));
			break;
		case OPT_NO_CHECK: b->no_check = true; break;
		case OPT_PACKAGE: b->package = optarg; break;
		case OPT_VERSION: b->version = xstrdup(optarg); break;
		case OPT_RELEASE: b->release = optarg; break;
		case 'j': b->jobs = build_jobs(optarg); break;
		}
	}
	if (optind >= argc)
		die_code(EXIT_BAD_INPUT, "no patch given (see klpgen build --help)");
	for (; optind < argc; optind++)
		sl_add_own(&b->patches, need_path(argv[optind], "patch",
						  S_IFREG));
	kb_package_check(b);
}

/* Work directories of killed runs (those kept on request have KEEP). */
static void remove_stale_work(struct build *b)
{
	struct strlist names = { 0 };
	size_t i;

	fs_list_dir(b->keydir, &names);
	for (i = 0; i < names.n; i++) {
		char *w, *keep;

		if (!str_starts_with(names.v[i], "work."))
			continue;
		w = xasprintf("%s/%s", b->keydir, names.v[i]);
		keep = xasprintf("%s/KEEP", w);
		if (access(keep, F_OK))
			fs_remove_tree(w);
		free(w);
		free(keep);
	}
	sl_free(&names);
}

static void open_cache_entry(struct build *b)
{
	char *lock = xasprintf("%s/lock", b->keydir);
	char *tmpl;

	b->farm = xasprintf("%s/src", b->keydir);
	b->orig = xasprintf("%s/orig", b->keydir);
	b->patched = xasprintf("%s/patched", b->keydir);
	b->journal = xasprintf("%s/journal", b->keydir);
	b->log = xasprintf("%s/build.log", b->keydir);
	b->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (b->lockfd < 0)
		die_code(EXIT_INTERNAL, "%s: %s", b->keydir, strerror(errno));
	if (flock(b->lockfd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "[klpgen] waiting for another klpgen build "
			"using %s\n", b->keydir);
		while (flock(b->lockfd, LOCK_EX) < 0)
			if (errno != EINTR || spawn_interrupted)
				exit(EXIT_INTERRUPTED);
	}
	/* Only now may we touch the journal: the entry is ours. */
	if (!access(b->journal, F_OK)) {
		fprintf(stderr, "[klpgen] an earlier run was killed: "
			"restoring the source copy\n");
		if (farm_restore(b) < 0)
			die_code(EXIT_INTERNAL, "cannot restore %s; remove %s",
				 b->farm, b->keydir);
	}
	b->logfd = open(b->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);
	if (b->logfd < 0)
		die_code(EXIT_INTERNAL, "%s: %s", b->log, strerror(errno));
	remove_stale_work(b);
	tmpl = xasprintf("%s/work.XXXXXX", b->keydir);
	if (!mkdtemp(tmpl))
		die_code(EXIT_INTERNAL, "%s: %s", tmpl, strerror(errno));
	b->work = tmpl;
}

/* End a failed phase: the log's tail, its path, the exit. */
static void fail(struct build *b, int rc, int code, const char *what)
{
	if (rc == EXIT_INTERRUPTED)
		build_exit(b, EXIT_INTERRUPTED);
	phase_end(NULL);
	if (rc == KBUILD_CONFIG_CHANGED) {
		/* kbuild_configure() said which options and why */
		fprintf(stderr, "[klpgen] error: %s: this compiler and tree do not build the running kernel's config; full log: %s\n",
			what, b->log);
		build_exit(b, code);
	}
	fprintf(stderr, "[klpgen] error: %s (exit %d); last lines of the log:\n",
		what, rc);
	kb_log_tail(b->log, 20);
	fprintf(stderr, "[klpgen] full log: %s\n", b->log);
	b->keep_work = b->keep_work || debug_level;
	build_exit(b, code);
}

/* The patches applied to the copy (@take_back: and the copy restored). */
static void apply_to_copy(struct build *b, bool take_back)
{
	int rc;

	if (journal_write(b) < 0 || farm_break_links(b) < 0)
		build_exit(b, EXIT_INTERNAL);
	rc = patch_apply(b, false);
	if (take_back && farm_restore(b) < 0)
		build_exit(b, EXIT_INTERNAL);
	if (rc == EXIT_INTERRUPTED)
		build_exit(b, rc);
	if (rc)
		build_exit(b, EXIT_BAD_INPUT);
}

/*
 * The files the patches touch (links inside the tree followed), and
 * whether the series applies: applied to the copy and taken back at once,
 * so a patch that does not apply stops klpgen before anything is built.
 */
static void read_patches(struct build *b)
{
	char note[32];
	size_t i;

	phase_begin("reading patches");
	for (i = 0; i < b->patches.n; i++)
		if (patch_files(b->patches.v[i], &b->touched) < 0)
			build_exit(b, EXIT_BAD_INPUT);
	if (farm_resolve_links(b) < 0)
		build_exit(b, EXIT_BAD_INPUT);
	apply_to_copy(b, true);
	snprintf(note, sizeof(note), "%zu file%s", b->touched.n,
		 b->touched.n == 1 ? "" : "s");
	phase_end(note);
}

static void apply_patches(struct build *b)
{
	phase_begin("applying patches");
	apply_to_copy(b, false);
	phase_end(NULL);
}

static void find_objects(struct build *b)
{
	char note[64];
	int rc;

	phase_begin("finding objects");
	rc = objects_for(b);
	if (rc == -1) {
		phase_end(NULL);
		WARN("no object of this build is compiled from the patched "
		     "files: nothing to patch");
		build_exit(b, EXIT_NO_CHANGE);
	}
	if (rc)
		fail(b, rc, EXIT_INTERNAL, "finding the objects failed");
	snprintf(note, sizeof(note), "%zu object%s", b->objects.n,
		 b->objects.n == 1 ? "" : "s");
	phase_end(note);
}

static void patched_build(struct build *b)
{
	int rc;

	phase_begin("patched build");
	rc = kbuild_patched(b);
	if (rc)
		fail(b, rc, EXIT_BAD_INPUT, "the patched build failed");
	phase_end(NULL);
	/* The sources are no longer needed: give the copy back now. */
	if (farm_restore(b) < 0)
		build_exit(b, EXIT_INTERNAL);
}

static int config_failure(int rc)
{
	return rc == KBUILD_CONFIG_CHANGED ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}

static void original_build(struct build *b)
{
	char note[64];
	int rc;

	if (!kbuild_orig_cached(b))
		fprintf(stderr, "[klpgen] building the %s once for this cache "
			"entry%s; output in %s\n",
			b->oot_ko ? "module" : "whole kernel",
			b->oot_ko ? "" : " (--full: minutes to hours)", b->log);
	phase_begin("original build");
	rc = kbuild_orig(b);
	if (rc < 0 || rc > 1)
		fail(b, rc, config_failure(rc), "the original build failed");
	snprintf(note, sizeof(note), rc ? "built" : "cached, built in %.0f s",
		 b->orig_seconds);
	phase_end(note);
	if (!b->symvers) {
		b->symvers = xasprintf("%s/Module.symvers", b->orig);
		WARN("note: no Module.symvers beside %s; using %s", b->vmlinux,
		     b->symvers);
	}
}

/* Targeted: the tree prepared once, then only the affected objects. */
static void prepare_tree(struct build *b)
{
	int rc;

	phase_begin("preparing the tree");
	rc = kbuild_prepare(b);
	if (rc < 0 || rc > 1)
		fail(b, rc, config_failure(rc), "preparing the tree failed");
	phase_end(rc ? "olddefconfig prepare modules_prepare" : "cached");
}

static void original_objects(struct build *b)
{
	char note[64];
	size_t built;
	int rc;

	phase_begin("original objects");
	rc = kbuild_orig_objects(b, &built);
	if (rc)
		fail(b, rc, EXIT_INTERNAL, "building the original objects "
		     "failed");
	if (built)
		snprintf(note, sizeof(note), "%zu built", built);
	else
		snprintf(note, sizeof(note), "cached");
	phase_end(note);
}

/*
 * Targeted unless asked otherwise or a full original build is cached.
 * kpatch-build -t names targets of a full build; an out-of-tree module
 * has builds of its own (oot.c).
 */
static void choose_mode(struct build *b)
{
	enum build_mode mode = b->mode;

	if (mode == MODE_AUTO && (b->targets.n || b->oot_ko))
		mode = MODE_FULL;
	b->targeted = mode == MODE_TARGETED ||
		      (mode == MODE_AUTO && !kbuild_orig_cached(b));
	if (b->targeted && b->oot_ko)
		die_code(EXIT_BAD_INPUT, "an out-of-tree module is always "
			 "built whole: no targeted build");
	if (b->targeted && !b->symvers)
		die_code(EXIT_BAD_INPUT, "no Module.symvers of kernel %s found "
			 "(install linux-headers-%s, give --symvers FILE, or "
			 "build the whole tree with --full)",
			 b->kver ? b->kver : "?", b->kver ? b->kver : "KVER");
	if (!b->oot_ko)
		fprintf(stderr, "[klpgen] %s\n", b->targeted ?
			"targeted build: only the objects the patches affect "
			"(--full builds the whole tree)" :
			"full build: the whole tree is built once and cached");
}

static void generate(struct build *b)
{
	double start = kb_now();
	int rc;

	phase_begin("comparing objects");
	rc = kb_diff_objects(b);
	if (rc == EXIT_NO_CHANGE) {
		phase_end(NULL);
		fprintf(stderr, "[klpgen] the patches change no function that "
			"can be patched: nothing to do\n");
	}
	if (rc == EXIT_UNSAFE) {
		phase_end(NULL);
		fprintf(stderr, "[klpgen] refused: the change is not safe to "
			"apply to a running kernel (reasons above)\n");
	}
	if (b->explain && rc != EXIT_INTERRUPTED && !kb_explain_write(b) &&
	    rc)
		fprintf(stderr, "[klpgen] explain report: %s/%s.explain.json\n",
			b->outdir, b->name);
	if (rc)
		build_exit(b, rc);
	phase_end(NULL);
	phase_begin("module generation");
	rc = kb_make_module(b);
	if (rc == EXIT_INTERRUPTED)
		build_exit(b, rc);
	if (rc) {
		phase_end(NULL);
		fprintf(stderr, "[klpgen] error: module generation failed "
			"(exit %d; reasons above)\n", rc);
		b->keep_work = true;	/* the module's build.log is there */
		build_exit(b, rc == EXIT_UNSAFE ? rc : EXIT_INTERNAL);
	}
	phase_end(b->sign_key ? "signed" : NULL);
	b->post_cc_seconds = kb_now() - start;
}

/*
 * Run from another make (a packaging Makefile, make integration), klpgen
 * would hand that make's MAKEFLAGS to every kernel make it starts: its
 * command-line variables (O=, M=, V=) would redirect Kbuild.  KBUILD_OUTPUT
 * does the same from the environment.  klpgen's makes get what they need
 * on their own command lines.
 */
static void clean_environment(void)
{
	static const char *const vars[] = {
		"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKEFILES",
		"KBUILD_OUTPUT", "KBUILD_EXTMOD",
	};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

/* klpgen build's command line into @b (klpgen series build's steps). */
void build_options(struct build *b, int argc, char **argv)
{
	parse_options(b, argc, argv);
}

void build_init(struct build *b)
{
	memset(b, 0, sizeof(*b));
	b->logfd = -1;
	b->lockfd = -1;
	b->replace = true;
	/* progress lines reach a pipe or a log as they are printed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	clean_environment();
}

void build_run(struct build *b)
{
	double start;

	spawn_signals_install();
	start = kb_now();
	inputs_resolve(b);
	if (b->oot_ko)
		oot_resolve(b);
	sign_check_options(b);
	sign_warn_unsigned(b);	/* before the build: there is time to stop */
	inputs_make_outdir(b);
	phase_begin("cache key");
	if (cache_key(b) < 0)
		exit(EXIT_BAD_INPUT);
	phase_end(b->key);
	open_cache_entry(b);
	choose_mode(b);
	phase_begin("source copy");
	if (farm_prepare(b) < 0)
		fail(b, -1, EXIT_INTERNAL, "cannot copy the source tree");
	read_patches(b);
	if (b->targeted) {
		prepare_tree(b);
		find_objects(b);
		original_objects(b);
	} else {
		original_build(b);
		find_objects(b);
	}
	apply_patches(b);
	patched_build(b);
	generate(b);
	kb_publish_module(b);
	if (b->package && kb_package(b))
		build_exit(b, spawn_interrupted ? EXIT_INTERRUPTED : EXIT_INTERNAL);
	kb_print_summary(b);
	printf("  %-20s%s\n", "build", b->oot_ko ? "out-of-tree module" :
	       b->targeted ? "targeted (only the affected objects)" :
	       "full original build");
	printf("  %-20s%.1f s (diff and module: %.1f s)\n", "total time",
	       kb_now() - start, b->post_cc_seconds);
	if (b->explain)
		printf("  %-20s%s/%s.explain.json\n", "explain report",
		       b->outdir, b->name);
	fflush(stdout);
	sign_warn_unsigned(b);
}

int cmd_build(int argc, char **argv)
{
	struct build b;

	build_init(&b);
	parse_options(&b, argc, argv);
	build_run(&b);
	build_exit(&b, EXIT_OK);
}
