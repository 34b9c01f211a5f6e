// SPDX-License-Identifier: GPL-2.0
/*
 * The inputs of klpgen build, found and checked before anything is built.
 *
 * The kernel is named by -v VMLINUX, or by --kernel KVER, or it is the
 * running one (uname -r).  For a named kernel the defaults are the paths
 * of its installed (Debian) packages, each looked up under --root DIR when
 * given (packages unpacked with dpkg-deb -x):
 *   vmlinux        /usr/lib/debug/boot/vmlinux-KVER,
 *                  /usr/lib/debug/lib/modules/KVER/vmlinux
 *   source         `source` beside the vmlinux (an O= build directory),
 *                  /usr/src/linux-source-X.Y (a tree) or
 *                  /usr/src/linux-source-X.Y.tar.xz (unpacked into the cache)
 *   config         .config beside the vmlinux, in the tree, /boot/config-KVER
 *   Module.symvers beside the vmlinux, /usr/src/linux-headers-KVER/
 *   modules        /lib/modules/KVER (and the -dbg copies with symbols in
 *                  /usr/lib/debug/lib/modules/KVER)
 * Then they must belong to one kernel: the tree's Makefile version, the
 * config's header, the vmlinux's linux_banner and the CRCs of
 * Module.symvers against the vmlinux's own; a mismatch names both.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "build.h"

#define FSECTIONS "-ffunction-sections -fdata-sections"

static char *absolute(const char *path)
{
	char buf[PATH_MAX];

	if (realpath(path, buf))
		return xstrdup(buf);
	return NULL;
}

/* The absolute path of @given, which must be of @type (S_IFDIR, S_IFREG). */
char *need_path(const char *given, const char *what, mode_t type)
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

/* The first readable candidate, absolute; every candidate is freed. */
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

/*
 * Whether @path, which need not exist yet, is @tree (absolute, resolved)
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

/* ROOT/@rel for the package paths ("" root: the running system). */
static char *under_root(const struct build *b, const char *fmt, const char *kver)
{
	char *rel = xasprintf(fmt, kver), *p;

	p = xasprintf("%s%s", b->root, rel);
	free(rel);
	return p;
}

char *build_default_name(const char *patch)
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

/* The cache directory as given or by default; created later. */
static char *cache_path(const struct build *b)
{
	const char *env = getenv("KLPGEN_CACHE");

	if (b->cache)
		return xstrdup(b->cache);
	if (env && *env)
		return xstrdup(env);
	env = getenv("XDG_CACHE_HOME");
	return env && *env ? xasprintf("%s/klpgen", env) :
		xasprintf("%s/.cache/klpgen", getenv("HOME") ?: "/tmp");
}

/*
 * Checked before anything is created: the tree is never written, and a
 * cache inside it would be (and would change its fingerprint).
 */
static void resolve_cache(struct build *b, char *given)
{
	if (b->srcdir && in_tree(b->srcdir, given))
		die_code(EXIT_BAD_INPUT, "the cache %s is inside the source "
			 "tree: give --cache elsewhere", given);
	if (fs_mkdir_p(given) < 0)
		die_code(EXIT_BAD_INPUT, "cache %s: %s", given, strerror(errno));
	b->cache = need_path(given, "cache", S_IFDIR);
	free(given);
}

static void resolve_root(struct build *b)
{
	char *r;

	if (!b->root || !*b->root) {
		b->root = xstrdup("");
		return;
	}
	r = need_path(b->root, "root", S_IFDIR);
	b->root = strcmp(r, "/") ? r : (free(r), xstrdup(""));
}

static void resolve_vmlinux(struct build *b)
{
	char *cands[3];

	if (b->vmlinux) {
		b->vmlinux = need_path(b->vmlinux, "vmlinux", S_IFREG);
	} else {
		cands[0] = under_root(b, "/usr/lib/debug/boot/vmlinux-%s", b->kver);
		cands[1] = under_root(b, "/usr/lib/debug/lib/modules/%s/vmlinux",
				      b->kver);
		/* A tree built in place has its own (checked like any other). */
		cands[2] = b->srcdir ? xasprintf("%s/vmlinux", b->srcdir) : NULL;
		b->vmlinux = first_existing(cands, 3);
		if (!b->vmlinux)
			die_code(EXIT_BAD_INPUT, "no vmlinux of kernel %s found "
				 "under %s/usr/lib/debug (install "
				 "linux-image-%s-dbg or give -v VMLINUX)",
				 b->kver, b->root, b->kver);
	}
	if (vmlinux_identify(b->vmlinux, &b->kid) < 0)
		exit(EXIT_BAD_INPUT);	/* elf_open() said why */
	b->krelease = b->kid.release;
	if (b->kver && b->krelease && strcmp(b->kver, b->krelease))
		die_code(EXIT_BAD_INPUT, "the vmlinux %s is kernel %s, not %s",
			 b->vmlinux, b->krelease, b->kver);
	if (!b->kver && b->krelease)
		b->kver = xstrdup(b->krelease);
}

/* "6.1.0-57-cloud-amd64" -> "6.1", the linux-source-X.Y of Debian. */
static char *major_minor(const char *kver)
{
	int v[3];

	if (parse_version(kver, v) < 2)
		return NULL;
	return xasprintf("%d.%d", v[0], v[1]);
}

/* ROOT/usr/src/linux-source-X.Y, the tree or else the tarball, or NULL. */
static char *package_source(const char *root, const char *xy)
{
	char *tree = xasprintf("%s/usr/src/linux-source-%s", root, xy);
	char *tar = xasprintf("%s.tar.xz", tree), *ret = NULL;

	if (source_is_tree(tree))
		ret = absolute(tree);
	else if (!access(tar, R_OK))
		ret = absolute(tar);
	free(tree);
	free(tar);
	return ret;
}

/*
 * The source as given or found: a tree (b->srcdir set) or a tarball
 * (returned, unpacked once the cache exists).
 */
static char *resolve_source(struct build *b, const char *vmdir)
{
	char *xy, *given = NULL;
	struct stat st;

	if (b->srcdir) {
		given = absolute(b->srcdir);
		if (!given || stat(given, &st) < 0)
			die_code(EXIT_BAD_INPUT, "source %s: %s", b->srcdir,
				 strerror(errno));
	} else {
		char *c = xasprintf("%s/source", vmdir);

		if (source_is_tree(c))
			given = absolute(c);
		free(c);
		xy = b->kver ? major_minor(b->kver) : NULL;
		if (!given && xy)
			given = package_source(b->root, xy);
		/* linux-source is not version-bound: the host's may do. */
		if (!given && xy && *b->root)
			given = package_source("", xy);
		free(xy);
		if (!given)
			die_code(EXIT_BAD_INPUT, "no source tree: give -s DIR "
				 "(or install linux-source-X.Y)");
		stat(given, &st);
	}
	b->source_given = given;
	b->srcdir = NULL;
	if (S_ISREG(st.st_mode) && source_is_tarball(given))
		return given;
	if (!S_ISDIR(st.st_mode))
		die_code(EXIT_BAD_INPUT, "source %s: neither a directory nor "
			 "a tarball", given);
	b->srcdir = need_path(given, "source tree", S_IFDIR);
	/* kpatch-build --oot-module: the module's sources (oot.c) */
	if (!b->oot_ko && !source_is_tree(b->srcdir))
		die_code(EXIT_BAD_INPUT, "%s is not a kernel source tree "
			 "(no kernel/Makefile or scripts/Makefile.build)",
			 b->srcdir);
	return NULL;
}

static void resolve_config(struct build *b, const char *vmdir)
{
	char *cands[3];

	if (b->config) {
		b->config = need_path(b->config, "config", S_IFREG);
		return;
	}
	cands[0] = xasprintf("%s/.config", vmdir);
	cands[1] = xasprintf("%s/.config", b->srcdir);
	cands[2] = b->kver ? under_root(b, "/boot/config-%s", b->kver) : NULL;
	b->config = first_existing(cands, 3);
	if (!b->config)
		die_code(EXIT_BAD_INPUT, "no kernel config: give -c FILE");
}

static void resolve_symvers(struct build *b, const char *vmdir)
{
	char *cands[2];

	if (b->symvers) {
		b->symvers = need_path(b->symvers, "Module.symvers", S_IFREG);
		return;
	}
	cands[0] = xasprintf("%s/Module.symvers", vmdir);
	cands[1] = b->kver ? under_root(b,
		"/usr/src/linux-headers-%s/Module.symvers", b->kver) : NULL;
	b->symvers = first_existing(cands, 2);
}

static void resolve_modules(struct build *b)
{
	char *d;

	if (b->modules) {
		b->modules = need_path(b->modules, "modules directory", S_IFDIR);
	} else if (b->kver) {
		d = under_root(b, "/lib/modules/%s", b->kver);
		b->modules = access(d, R_OK) ? NULL : absolute(d);
		free(d);
	}
	if (b->kver) {
		d = under_root(b, "/usr/lib/debug/lib/modules/%s", b->kver);
		b->dbg_modules = access(d, R_OK) ? NULL : absolute(d);
		free(d);
	}
}

/*
 * Same kernel version everywhere, or a message naming both.  What the
 * messages use hangs off @b: nothing is lost (to LeakSanitizer either)
 * when die_code() exits.
 */
static void check_versions(struct build *b)
{
	char *why, msg[1024];
	struct kconfig kc;

	b->tree_version = kb_tree_version(b->srcdir);
	if (!b->tree_version)
		die_code(EXIT_BAD_INPUT, "%s: no kernel Makefile", b->srcdir);
	b->kernel_desc = banner_describe(&b->kid);
	if (!b->kid.banner)
		phase_warn("note: %s has no linux_banner: its version is not "
			   "checked against the source tree", b->vmlinux);
	else if (!banner_matches(&b->kid, b->tree_version))
		die_code(EXIT_BAD_INPUT, "the source %s is Linux %s, but the "
			 "vmlinux %s is %s", b->source_given, b->tree_version,
			 b->vmlinux, b->kernel_desc);
	if (kconfig_read(b->config, &kc) < 0)
		die_code(EXIT_BAD_INPUT, "config %s: %s", b->config,
			 strerror(errno));
	if (kc.version && strcmp(kc.version, b->tree_version))
		die_code(EXIT_BAD_INPUT, "the config %s is for Linux %s, but "
			 "the source %s is Linux %s", b->config, kc.version,
			 b->source_given, b->tree_version);
	kconfig_free(&kc);
	if (b->symvers && vmlinux_check_symvers(b->vmlinux, b->symvers, &why)) {
		snprintf(msg, sizeof(msg), "%s", why);
		free(why);
		die_code(EXIT_BAD_INPUT, "%s does not belong to the vmlinux %s "
			 "(%s): %s", b->symvers, b->vmlinux, b->kernel_desc, msg);
	}
}

/*
 * The compiler of the vmlinux (of the module, when patching an out-of-tree
 * one) == ours?  gcc: .comment "GCC: (Debian 12.2.0-14) 12.2.0" against
 * `gcc-12 --version` after its first word; clang: "Debian clang version
 * 16.0.6 (15~deb12u1)" against the whole first line of `clang-16
 * --version`.  The compiler is the config's (toolchain.c).
 */
static void check_compiler(struct build *b)
{
	const char *target = b->oot_ko ? b->oot_ko : b->vmlinux;
	bool clang = b->tc.llvm[0] != '\0';
	char *cc = kb_compiler_version(b->tc.cc), *want;
	struct strlist oot = { 0 };
	const struct strlist *built = &b->kid.compilers;
	size_t i, n = 0;
	bool same = false;

	if (!cc)
		die_code(EXIT_BAD_INPUT, "%s --version failed: is it installed?",
			 b->tc.cc);
	if (b->oot_ko) {
		if (elf_compilers(b->oot_ko, &oot) < 0)
			exit(EXIT_BAD_INPUT);	/* elf_open() said why */
		built = &oot;
	}
	want = clang ? cc : strchr(cc, ' ') ? strchr(cc, ' ') + 1 : cc;
	for (i = 0; i < built->n; i++) {
		bool by_clang = strstr(built->v[i], "clang version") != NULL;

		if (by_clang != clang)
			continue;	/* the other compiler's (a gcc-built .o) */
		n++;
		if (!strcmp(built->v[i], want))
			same = true;
		else
			fprintf(stderr, "[klpgen] %s was built by %s\n",
				target, built->v[i]);
	}
	if (!n)
		WARN("%s names no %s in .comment; compiler not checked",
		     target, clang ? "clang" : "GCC");
	else if (!same && !b->skip_cc_check)
		die_code(EXIT_BAD_INPUT, "the compiler differs: this machine "
			 "has %s.  Patched code built by another compiler may "
			 "not match the running kernel; install the same %s "
			 "or pass --skip-compiler-check", cc, b->tc.cc);
	else if (!same)
		WARN("compiler differs from the vmlinux's (%s); going on as "
		     "asked", cc);
	sl_free(&oot);
	free(cc);
}

/* Module names are [a-z0-9_] (kpatch-build's file names may have '-'). */
static void check_name(struct build *b)
{
	if (!b->name)
		b->name = build_default_name(b->patches.v[0]);
	/* kpatch-build names files as kpatch does (kpatch-build.c) */
	if (!b->kpatch)
		normalize_name(b->name);
	if (!klp_modname_ok(b->name, b->kpatch ? KPATCH_NAME_CHARS :
			    KLPGEN_NAME_CHARS))
		die_code(EXIT_BAD_INPUT, "bad module name '%s' (letters, "
			 "digits and '_'%s, at most 55)", b->name,
			 b->kpatch ? ", '-'" : "");
}

void inputs_resolve(struct build *b)
{
	struct utsname u;
	char *vmdir, *cache = cache_path(b), *tarball;
	const char *env;
	long ncpu;

	resolve_root(b);
	if (!b->kver && !b->vmlinux) {
		uname(&u);
		b->kver = xstrdup(u.release);
	} else if (b->kver) {
		b->kver = xstrdup(b->kver);
	}
	resolve_vmlinux(b);
	vmdir = xstrdup(b->vmlinux);
	dirname(vmdir);
	tarball = resolve_source(b, vmdir);
	resolve_cache(b, cache);
	if (tarball)
		b->srcdir = source_unpack(b, tarball);
	b->tree_state = b->oot_ko ? TREE_PRISTINE : source_state(b->srcdir);
	resolve_config(b, vmdir);
	resolve_symvers(b, vmdir);
	resolve_modules(b);
	b->vmdir = vmdir;
	if (!b->oot_ko)		/* the module's tree has no kernel version */
		check_versions(b);
	if (kb_toolchain(b->config, &b->tc))
		die_code(EXIT_BAD_INPUT, "cannot read %s", b->config);
	if (!b->skip_cc_check || debug_level)
		check_compiler(b);
	check_name(b);
	if (!b->jobs) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		b->jobs = ncpu > 0 ? ncpu : 1;
	}
	env = getenv("KCFLAGS");
	b->kcflags = env && *env ? xasprintf("%s %s", FSECTIONS, env) :
		xstrdup(FSECTIONS);
}

/* Made only once the inputs passed their checks. */
void inputs_make_outdir(struct build *b)
{
	if (!b->outdir)
		b->outdir = ".";
	if (fs_mkdir_p(b->outdir) < 0)
		die_code(EXIT_BAD_INPUT, "output directory %s: %s", b->outdir,
			 strerror(errno));
	b->outdir = need_path(b->outdir, "output directory", S_IFDIR);
}
