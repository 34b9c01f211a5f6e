// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen build: options, the phases in order, and the result.
 *
 *   inputs -> cache key -> source copy -> original build (cached)
 *   -> apply patches -> patched build of the stale objects -> restore
 *   -> create-diff-object per object -> klpgen module -> summary
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "build.h"
#include "elf.h"
#include "klpgen.h"

#define FSECTIONS "-ffunction-sections -fdata-sections"

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen build [options] PATCH...\n"
"\n"
"Build a livepatch module from kernel source patches (-p1 unified diffs).\n"
"\n"
"  -s, --sourcedir DIR     kernel source tree (never modified; default: the\n"
"                          'source' link beside the vmlinux)\n"
"  -c, --config FILE       kernel .config (default: .config beside the\n"
"                          vmlinux, then in the tree, then /boot/config-`uname -r`)\n"
"  -v, --vmlinux FILE      vmlinux of the running kernel: symbol positions,\n"
"                          compiler check (default: /usr/lib/debug/boot/vmlinux-`uname -r`,\n"
"                          then /usr/lib/debug/lib/modules/`uname -r`/vmlinux)\n"
"  -j, --jobs N            parallel make jobs, 1-4096 (default: number of CPUs)\n"
"  -n, --name NAME         module name (default: klp_<first patch name>)\n"
"  -o, --output DIR        where NAME.ko goes (default: .)\n"
"  -R, --non-replace       do not replace earlier livepatches (no atomic replace;\n"
"                          --no-replace works too)\n"
"      --cache DIR         build cache (default: $KLPGEN_CACHE, else\n"
"                          $XDG_CACHE_HOME/klpgen, else ~/.cache/klpgen)\n"
"      --launcher CMD      compiler launcher: ccache, distcc, icecc (CC=\"CMD gcc\")\n"
"      --explain           write NAME.explain.json: why each function was\n"
"                          patched, included or refused\n"
"      --debug             show every command and create-diff-object's reasoning\n"
"      --keep-work         keep the work directory and print its path\n"
"      --skip-compiler-check  build even if gcc differs from the one that\n"
"                          built the vmlinux\n"
"      --prev PREV.ko      check the module against PREV (repeatable, in load\n"
"                          order) before writing it, as klpgen check does\n"
"      --no-check          write the module even if it is incompatible\n"
"      --package rpm|deb   also package the module (klpgen package)\n"
"      --version V         the module's (and package's) version (default:\n"
"                          0.YYYYMMDDHHMMSS of $SOURCE_DATE_EPOCH or now)\n"
"      --release R         the package's release (default: 1)\n"
"  -h, --help              this text\n"
"\n"
"exit: 0 module written, 2 bad input (patch does not apply or compile),\n"
"      3 nothing patchable changed, 4 refused as unsafe or incompatible\n"
"      with --prev, 130 interrupted,\n"
"      1 other errors.  See klpgen(1).\n");
}

enum {
	OPT_CACHE = 256, OPT_LAUNCHER, OPT_EXPLAIN, OPT_DEBUG, OPT_KEEP,
	OPT_SKIPCC, OPT_PREV, OPT_NO_CHECK, OPT_PACKAGE, OPT_VERSION, OPT_RELEASE,
};

static char *absolute(const char *path)
{
	char buf[PATH_MAX];

	if (realpath(path, buf))
		return xstrdup(buf);
	return NULL;
}

static char *need_path(const char *given, const char *what, mode_t type);

/* -j N of both command lines: 1 to 4096. */
int build_jobs(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*end || end == arg || n < 1 || n > 4096)
		die_code(EXIT_BAD_INPUT, "bad -j '%s'", arg);
	return n;
}

static void parse_options(struct build *b, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sourcedir", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "non-replace", no_argument, NULL, 'R' },
		{ "no-replace", no_argument, NULL, 'R' },	/* klpgen module spelling */
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
	while ((opt = getopt_long(argc, argv, "s:c:v:j:n:o:Rh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's': b->srcdir = optarg; break;
		case 'c': b->config = optarg; break;
		case 'v': b->vmlinux = optarg; break;
		case 'n': b->name = xstrdup(optarg); break;
		case 'o': b->outdir = optarg; break;
		case 'R': b->replace = false; break;
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
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			exit(EXIT_BAD_INPUT);	/* getopt_long() said why */
		}
	}
	if (argc == 1) {
		usage(stderr);
		exit(EXIT_BAD_INPUT);
	}
	if (optind >= argc)
		die_code(EXIT_BAD_INPUT, "no patch given (see klpgen build --help)");
	for (; optind < argc; optind++)
		sl_add_own(&b->patches, need_path(argv[optind], "patch",
						  S_IFREG));
	kb_package_check(b);
}

static char *first_existing(char **cands, size_t n)
{
	size_t i;
	char *ret = NULL;

	for (i = 0; i < n; i++) {
		if (!ret && cands[i] && !access(cands[i], R_OK))
			ret = absolute(cands[i]);
		free(cands[i]);
	}
	return ret;
}

/* The absolute path of @given, which must be of @type (S_IFDIR, S_IFREG). */
static char *need_path(const char *given, const char *what, mode_t type)
{
	char *p = absolute(given);
	struct stat st;

	if (!p || stat(p, &st) < 0)
		die_code(EXIT_BAD_INPUT, "%s %s: %s", what, given,
			 strerror(errno));
	if ((st.st_mode & S_IFMT) != type)
		die_code(EXIT_BAD_INPUT, "%s %s: %s", what, given,
			 type == S_IFDIR ? "not a directory" :
			 "not a regular file");
	if (access(p, type == S_IFDIR ? R_OK | X_OK : R_OK) < 0)
		die_code(EXIT_BAD_INPUT, "%s %s: %s", what, given,
			 strerror(errno));
	return p;
}

/*
 * Whether , which need not exist yet, is  (absolute, resolved)
 * or below it: its deepest existing ancestor is resolved, and the rest,
 * which does not exist, cannot be a symbolic link.
 */
static bool in_tree(const char *tree, const char *path)
{
	char *p = xstrdup(path), *cut, *real, *full;
	const char *rest;
	size_t n = strlen(tree);
	bool in, slash;

	while (!(real = absolute(*p ? p : "."))) {
		if (!*p) {		/* no working directory */
			real = xstrdup(".");
			break;
		}
		cut = strrchr(p, '/');
		if (!cut)
			*p = '\0';		/* relative: from "." */
		else
			cut[cut == p] = '\0';	/* "/x" leaves "/" */
	}
	rest = path + strlen(p);
	slash = *rest && *rest != '/' && real[strlen(real) - 1] != '/';
	full = xasprintf("%s%s%s", real, slash ? "/" : "", rest);
	in = str_starts_with(full, tree) && (!full[n] || full[n] == '/');
	free(full);
	free(real);
	free(p);
	return in;
}

static char *default_name(const char *patch)
{
	char *copy = xstrdup(patch), *base = basename(copy), *c, *name;

	c = strrchr(base, '.');
	if (c && c != base)
		*c = '\0';
	name = xasprintf("klp_%.50s", base);
	free(copy);
	return name;
}

/* Module names are [a-z0-9_]: the kernel turns '-' into '_' anyway. */
void normalize_name(char *name)
{
	char *c;

	for (c = name; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c += 'a' - 'A';
		else if (*c == '-' || *c == '.' || *c == ' ')
			*c = '_';
	}
}

static void resolve_inputs(struct build *b)
{
	struct utsname u;
	char *vmdir, *cands[3];
	const char *env;
	long ncpu;

	uname(&u);
	if (b->vmlinux) {
		b->vmlinux = need_path(b->vmlinux, "vmlinux", S_IFREG);
	} else {
		cands[0] = xasprintf("/usr/lib/debug/boot/vmlinux-%s", u.release);
		cands[1] = xasprintf("/usr/lib/debug/lib/modules/%s/vmlinux",
				     u.release);
		b->vmlinux = first_existing(cands, 2);
		if (!b->vmlinux)
			die_code(EXIT_BAD_INPUT, "no vmlinux of the running "
				 "kernel found (install its debug symbols or "
				 "give -v VMLINUX)");
	}
	vmdir = xstrdup(b->vmlinux);
	dirname(vmdir);
	if (b->srcdir) {
		b->srcdir = need_path(b->srcdir, "source tree", S_IFDIR);
	} else {
		cands[0] = xasprintf("%s/source", vmdir);
		b->srcdir = first_existing(cands, 1);
		if (!b->srcdir)
			die_code(EXIT_BAD_INPUT, "no source tree: give -s DIR");
	}
	if (b->config) {
		b->config = need_path(b->config, "config", S_IFREG);
	} else {
		cands[0] = xasprintf("%s/.config", vmdir);
		cands[1] = xasprintf("%s/.config", b->srcdir);
		cands[2] = xasprintf("/boot/config-%s", u.release);
		b->config = first_existing(cands, 3);
		if (!b->config)
			die_code(EXIT_BAD_INPUT, "no kernel config: give -c FILE");
	}
	if (!b->symvers) {	/* kpatch-build --oot-module gives the kernel's */
		cands[0] = xasprintf("%s/Module.symvers", vmdir);
		b->symvers = first_existing(cands, 1);
	}
	free(vmdir);

	if (!b->name)
		b->name = default_name(b->patches.v[0]);
	/* kpatch-build names files as kpatch does (kpatch-build.c) */
	if (!b->kpatch)
		normalize_name(b->name);
	if (!klp_modname_ok(b->name, b->kpatch ? KPATCH_NAME_CHARS :
			    KLPGEN_NAME_CHARS))
		die_code(EXIT_BAD_INPUT, "bad module name '%s' (letters, "
			 "digits and '_'%s, at most 55)", b->name,
			 b->kpatch ? ", '-'" : "");
	if (!b->jobs) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		b->jobs = ncpu > 0 ? ncpu : 1;
	}
	env = getenv("KLPGEN_CACHE");
	if (!b->cache && env && *env) {
		b->cache = xstrdup(env);
	} else if (!b->cache) {
		env = getenv("XDG_CACHE_HOME");
		b->cache = env && *env ? xasprintf("%s/klpgen", env) :
			xasprintf("%s/.cache/klpgen", getenv("HOME") ?: "/tmp");
	} else {
		b->cache = xstrdup(b->cache);
	}
	/* Checked before anything is created: the tree is never written. */
	if (in_tree(b->srcdir, b->cache))
		die_code(EXIT_BAD_INPUT, "the cache %s is inside the source "
			 "tree: give --cache elsewhere", b->cache);
	if (fs_mkdir_p(b->cache) < 0)
		die_code(EXIT_BAD_INPUT, "cache %s: %s", b->cache,
			 strerror(errno));
	{
		char *given = b->cache;

		b->cache = need_path(given, "cache", S_IFDIR);
		free(given);
	}
	env = getenv("KCFLAGS");
	b->kcflags = env && *env ? xasprintf("%s %s", FSECTIONS, env) :
		xstrdup(FSECTIONS);
}

/* Made only once the inputs passed their checks. */
static void make_outdir(struct build *b)
{
	if (!b->outdir)
		b->outdir = ".";
	if (fs_mkdir_p(b->outdir) < 0)
		die_code(EXIT_BAD_INPUT, "output directory %s: %s", b->outdir,
			 strerror(errno));
	b->outdir = need_path(b->outdir, "output directory", S_IFDIR);
}

/*
 * The compiler of the vmlinux (of the module, when patching an out-of-tree
 * one) == ours?  gcc: .comment "GCC: (Debian 12.2.0-14) 12.2.0" against
 * `gcc --version` after its first word; clang: .comment "Debian clang
 * version 16.0.6 (15~deb12u1)" against the whole first line of
 * `clang-16 --version`.
 */
static void check_compiler(struct build *b)
{
	const char *target = b->oot_ko ? b->oot_ko : b->vmlinux;
	bool clang = b->tc.llvm[0] != '\0';
	const char *tag = clang ? "" : "GCC: ";
	struct elf_file *elf;
	struct section *sec;
	char *cc = kb_compiler_version(b->tc.cc), *want;
	const char *p, *end;
	bool found = false, same = false;

	if (!cc)
		die_code(EXIT_BAD_INPUT, "%s --version failed: is %s installed?",
			 b->tc.cc, b->tc.cc);
	want = clang ? cc : strchr(cc, ' ') ? strchr(cc, ' ') + 1 : cc;
	elf = elf_open(target);
	if (!elf)
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	sec = elf_find_section(elf, ".comment");
	if (sec && sec->data) {
		p = sec->data;
		end = p + sec->size;
		for (; p < end; p += strnlen(p, end - p) + 1) {
			size_t t = strlen(tag);

			if (clang ? !strstr(p, "clang version") :
				    !str_starts_with(p, tag))
				continue;
			found = true;
			if (!strncmp(p + t, want, end - p - t))
				same = true;
			else if (!same)
				fprintf(stderr, "[klpgen] %s was built by %.*s\n",
					target, (int)strnlen(p + t, end - p - t),
					p + t);
		}
	}
	elf_close(elf);
	if (!found)
		WARN("%s names no %s in .comment; compiler not checked",
		     target, clang ? "clang" : "GCC");
	else if (!same && !b->skip_cc_check)
		die_code(EXIT_BAD_INPUT, "the compiler differs: this machine "
			 "has %s.  Patched code built by another compiler may "
			 "not match the running kernel; install the same gcc "
			 "or pass --skip-compiler-check", cc);
	else if (!same)
		WARN("compiler differs from the vmlinux's (%s); going on as "
		     "asked", cc);
	free(cc);
}

/* Without the compiler check: still no build for a vmlinux that is no ELF. */
static void check_vmlinux(const struct build *b)
{
	struct elf_file *elf = elf_open(b->vmlinux);

	if (!elf)
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	elf_close(elf);
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
	fprintf(stderr, "[klpgen] error: %s (exit %d); last lines of the log:\n",
		what, rc);
	kb_log_tail(b->log, 20);
	fprintf(stderr, "[klpgen] full log: %s\n", b->log);
	b->keep_work = b->keep_work || debug_level;
	build_exit(b, code);
}

static void apply_patches(struct build *b)
{
	size_t i;
	int rc;

	phase_begin("applying patches");
	for (i = 0; i < b->patches.n; i++)
		if (patch_files(b->patches.v[i], &b->touched) < 0)
			build_exit(b, EXIT_BAD_INPUT);
	if (farm_resolve_links(b) < 0)
		build_exit(b, EXIT_BAD_INPUT);
	if (journal_write(b) < 0 || farm_break_links(b) < 0)
		build_exit(b, EXIT_INTERNAL);
	rc = patch_apply(b, false);
	if (rc == EXIT_INTERRUPTED)
		build_exit(b, rc);
	if (rc)
		build_exit(b, EXIT_BAD_INPUT);
	phase_end(NULL);
}

static void patched_build(struct build *b)
{
	char note[64];
	int rc;

	phase_begin("finding stale objects");
	if (kbuild_objects_for(b) < 0) {
		phase_end(NULL);
		WARN("no object of this build is compiled from the patched "
		     "files: nothing to patch");
		build_exit(b, EXIT_NO_CHANGE);
	}
	snprintf(note, sizeof(note), "%zu object%s", b->objects.n,
		 b->objects.n == 1 ? "" : "s");
	phase_end(note);
	phase_begin("patched build");
	rc = kbuild_patched(b);
	if (rc)
		fail(b, rc, EXIT_BAD_INPUT, "the patched build failed");
	phase_end(NULL);
	/* The sources are no longer needed: give the copy back now. */
	if (farm_restore(b) < 0)
		build_exit(b, EXIT_INTERNAL);
}

static void original_build(struct build *b)
{
	char note[64];
	int rc;

	if (!kbuild_orig_cached(b))
		fprintf(stderr, "[klpgen] building the %s once for this cache "
			"entry%s; output in %s\n", b->oot_ko ? "module" : "kernel",
			b->oot_ko ? "" : " (minutes)", b->log);
	phase_begin("original build");
	rc = kbuild_orig(b);
	if (rc < 0 || rc > 1)
		fail(b, rc, EXIT_INTERNAL, "the original build failed");
	snprintf(note, sizeof(note), rc ? "built" : "cached, built in %.0f s",
		 b->orig_seconds);
	phase_end(note);
	if (!b->symvers) {
		b->symvers = xasprintf("%s/Module.symvers", b->orig);
		WARN("note: no Module.symvers beside %s; using %s", b->vmlinux,
		     b->symvers);
	}
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
	phase_end(NULL);
	b->post_cc_seconds = kb_now() - start;
}

void build_options(struct build *b, int argc, char **argv)
{
	parse_options(b, argc, argv);
}

char *build_default_name(const char *patch)
{
	return default_name(patch);
}

void build_init(struct build *b)
{
	memset(b, 0, sizeof(*b));
	b->logfd = -1;
	b->lockfd = -1;
	b->replace = true;
}

void build_run(struct build *b)
{
	double start;

	spawn_signals_install();
	start = kb_now();
	resolve_inputs(b);
	if (b->oot_ko)
		oot_resolve(b);
	if (kb_toolchain(b->config, &b->tc))
		die_code(EXIT_BAD_INPUT, "cannot read %s", b->config);
	if (!b->skip_cc_check || debug_level)
		check_compiler(b);
	else
		check_vmlinux(b);
	make_outdir(b);
	phase_begin("cache key");
	if (cache_key(b) < 0)
		exit(EXIT_BAD_INPUT);
	phase_end(b->key);
	open_cache_entry(b);
	phase_begin("source copy");
	if (farm_prepare(b) < 0)
		fail(b, -1, EXIT_INTERNAL, "cannot copy the source tree");
	original_build(b);
	apply_patches(b);
	patched_build(b);
	generate(b);
	kb_publish_module(b);
	if (b->package && kb_package(b))
		build_exit(b, spawn_interrupted ? EXIT_INTERRUPTED : EXIT_INTERNAL);
	kb_print_summary(b);
	printf("  %-20s%.1f s (diff and module: %.1f s)\n", "total time",
	       kb_now() - start, b->post_cc_seconds);
	if (b->explain)
		printf("  %-20s%s/%s.explain.json\n", "explain report",
		       b->outdir, b->name);
	fflush(stdout);
}

int cmd_build(int argc, char **argv)
{
	struct build b;

	build_init(&b);
	parse_options(&b, argc, argv);
	build_run(&b);
	build_exit(&b, EXIT_OK);
}
