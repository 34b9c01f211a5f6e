/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen build: the driver from source patches to a livepatch module.
 * One concern per file:
 *   build.c     options, the phases in order
 *   kpatch-build.c  kpatch-build's command line onto the same phases
 *   oot.c       an out-of-tree module instead of the kernel tree
 *   inputs.c    finding the inputs (--kernel, --root, defaults) and
 *               checking that they belong to one kernel
 *   vmlinux.c   what the vmlinux says: banner, release, compiler, CRCs
 *   kconfig.c   reading .config files, what olddefconfig changed
 *   source.c    tarballs unpacked into the cache, tree states
 *   run.c       phase progress lines, the exit path (tools are spawned
 *               by lib/spawn.c: own process group, signals)
 *   progress.c  objects done of objects to build, while make runs
 *   cache.c     the cache key (kernel version and release, config,
 *               compiler, flags, tree fingerprint) and stamp files
 *   tree.c      hardlink farm, journal, restore, build-directory mirror
 *   patch.c     files named by a diff, dry run, apply
 *   kbuild.c    make invocations: full, prepared, targeted and patched
 *               builds, kbuild's object lists, the module's tree
 *   objects.c   which objects the patches affect, and their owners
 *   depindex.c  the dependency index (.cmd files; preprocessor-only run)
 *   depcc.c     `klpgen depcc`: the compiler of that run
 *   sign.c      module signing, warnings about enforced signatures
 *   diff.c      create-diff-object per changed object, explain merge,
 *               the module (klpgen_make_module(), in-process)
 *   summary.c   the one-screen summary read back from the diff objects
 *   build-publish.c  --prev checks, then the module into the output dir
 *   package.c   --package: the packages of the module written
 *   toolchain.c the kernel's compiler, passed to every make (klpgen.h)
 */
#ifndef KLPGEN_BUILD_H
#define KLPGEN_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fs.h"
#include "hash.h"
#include "klpgen-abi.h"
#include "klpgen.h"
#include "spawn.h"
#include "strlist.h"
#include "util.h"

/* Module names: klpgen build's, and kpatch-build's file names (the
 * kernel turns their '-' into '_'); checked by klp_modname_ok(). */
#define KLPGEN_NAME_CHARS	KLPGEN_MODNAME_CHARS
#define KPATCH_NAME_CHARS	KLP_MODFILE_CHARS

enum build_mode { MODE_AUTO, MODE_TARGETED, MODE_FULL };

enum tree_state { TREE_PRISTINE, TREE_CONFIGURED, TREE_BUILT };

/* What a vmlinux says about itself (vmlinux.c). */
struct kernel_id {
	char *banner;		/* linux_banner without its newline, or NULL */
	char *release;		/* its uname -r, from the banner */
	struct strlist compilers;	/* .comment "GCC: X" (as X), "... clang version ..." */
	bool has_btf;
};

/* A kernel .config (kconfig.c): "NAME=value" without CONFIG_, sorted. */
struct kconfig {
	struct strlist opts;
	char *version;		/* "6.1.192" from the header comment */
};

/* Progress of a make run (progress.c). */
struct progress {
	const char *what;	/* "objects" */
	struct strlist names;	/* the objects that count, when has_set */
	struct hashmap set;	/* name -> index + 1 */
	bool *counted;
	bool has_set;
	size_t total, done;
	double start, last_line, last_draw;
	int interval;		/* seconds between lines off a terminal */
};

struct build {
	/* Options. */
	char *srcdir;		/* absolute, the user's tree: never written
				 * (an unpacked tarball lives in the cache) */
	char *config;
	char *vmlinux;		/* the running kernel's */
	char *symvers;
	char *modules;		/* its modules: lib/modules/KVER */
	char *kver;		/* --kernel, uname -r, or the vmlinux's */
	char *root;		/* --root: "" or a sysroot, no trailing '/' */
	char *sign_key, *sign_cert;
	char *name;
	char *outdir;
	char *cache;
	char *launcher;
	int jobs;
	enum build_mode mode;
	bool replace;
	bool explain;
	bool keep_work;
	bool skip_cc_check;
	struct strlist patches;	/* absolute paths */
	struct strlist prevs;	/* --prev modules, absolute, in load order */
	bool no_check;		/* --no-check */
	struct strlist targets;	/* make targets of the original build; none:
				 * vmlinux modules (kpatch-build -t) */
	bool kpatch;		/* kpatch-build: kpatch's module file names */
	char *oot_ko;		/* kpatch-build --oot-module: the running module
				 * (oot.c); NULL: the kernel tree */
	char *kbuild;		/* kernel build dir the module builds against;
				 * NULL: the original build */
	const char *package;	/* --package rpm|deb, or NULL */
	char *version;		/* --version, else pkg_default_version() */
	const char *release;	/* --release (packages) */

	/* Derived. */
	char *source_given;	/* the tree or tarball as found */
	enum tree_state tree_state;
	char *tree_version;	/* "6.1.192" from the tree's Makefile */
	char *kernel_desc;	/* the vmlinux's release and versions, for messages */
	struct kernel_id kid;
	const char *krelease;	/* kid.release: KERNELRELEASE of the builds */
	char *vmdir;		/* the vmlinux's directory */
	char *dbg_modules;	/* usr/lib/debug/lib/modules/KVER (-dbg) */
	bool targeted;
	char *kcflags;
	struct kb_toolchain tc;	/* the kernel's compiler (toolchain.c) */
	char *key;
	char *keydir;		/* <cache>/builds/<key> */
	char *farm;		/* <keydir>/src */
	char *orig;		/* <keydir>/orig */
	char *patched;		/* <keydir>/patched */
	char *journal;		/* <keydir>/journal */
	char *log;		/* <keydir>/build.log */
	char *work;		/* per run, removed unless --keep-work */
	int logfd;
	int lockfd;

	struct strlist touched;	/* files the patches touch, relative */
	struct strlist objects;	/* rebuilt objects, relative to the build */
	struct strlist module_objs;	/* of those kbuild lists, module ones */
	struct strlist diffs;	/* "objname=path" of diff objects */
	struct strlist explains;	/* per-object explain reports */
	double orig_seconds;	/* recorded duration of the original build */
	double post_cc_seconds;	/* diff + module generation */
};

/* build.c: zeroed options; the phases, returning only on success. */
void build_init(struct build *b);
void build_run(struct build *b);
int build_jobs(const char *arg);	/* -j: 1 to 4096, else exit 2 */

/* oot.c: the phases of kpatch-build --oot-module (see the file). */
void oot_inputs(struct build *b, const char *kbuild);
void oot_resolve(struct build *b);
int oot_farm_prepare(struct build *b);
int oot_build_orig(struct build *b);
int oot_build_patched(struct build *b);
char *oot_owner(struct build *b, char **ko);

/* run.c */
void phase_begin(const char *what);
void phase_end(const char *note);
void phase_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void phase_progress(const char *text, bool minute_line);
double kb_now(void);
double phase_elapsed(void);
/* The last @lines lines of the log file @log, on stderr. */
void kb_log_tail(const char *log, int lines);
/* Leave cleanly: restore the farm, drop the work dir, exit with @code. */
void build_exit(struct build *b, int code) __attribute__((noreturn));

/* progress.c */
void progress_set_objects(struct progress *p, const struct strlist *objs);
void progress_free(struct progress *p);
int progress_run(char *const argv[], int logfd, struct progress *p);

/* cache.c */
char *tree_fingerprint(const char *dir);
int cache_key(struct build *b);
int stamp_ok(const char *path, const char *want);
int stamp_write(const char *path, const char *val);
char *kb_compiler_version(const char *cc);	/* `cc --version`, line 1 */
char *kb_tree_version(const char *srcdir);
char *kb_hash_hex(const void *data, size_t len);

/* inputs.c */
void inputs_resolve(struct build *b);
void inputs_make_outdir(struct build *b);
char *need_path(const char *given, const char *what, mode_t type);

/* vmlinux.c */
int vmlinux_identify(const char *path, struct kernel_id *id);
void kernel_id_free(struct kernel_id *id);
/* The compilers of any ELF file's .comment (a module's), as above. */
int elf_compilers(const char *path, struct strlist *out);
int parse_version(const char *s, int v[3]);
bool banner_matches(const struct kernel_id *id, const char *tree);
char *banner_describe(const struct kernel_id *id);
int vmlinux_check_symvers(const char *vmlinux, const char *symvers, char **why);

/* kconfig.c */
int kconfig_read(const char *path, struct kconfig *kc);
void kconfig_free(struct kconfig *kc);
const char *kconfig_get(const struct kconfig *kc, const char *name);
bool kconfig_enabled(const struct kconfig *kc, const char *name);
char *kconfig_string(const struct kconfig *kc, const char *name);
void kconfig_diff(const struct kconfig *want, const struct kconfig *got,
		  struct strlist *lost, struct strlist *added);

/* source.c */
bool source_is_tarball(const char *path);
bool source_is_tree(const char *dir);
enum tree_state source_state(const char *dir);
const char *tree_state_name(enum tree_state s);
char *source_unpack(struct build *b, const char *tarball);

/* tree.c */
int farm_prepare(struct build *b);
int journal_write(struct build *b);
int farm_resolve_links(struct build *b);
int farm_break_links(struct build *b);
int farm_restore(struct build *b);
int mirror_sync(const char *from, const char *to);

/* patch.c */
int patch_files(const char *patch, struct strlist *files);
int patch_apply(struct build *b, bool dry_run);

/* kbuild.c */
int kmake(struct build *b, const char *outdir, char *const targets[],
	  size_t nr, struct progress *p);
int kmake_cc(struct build *b, const char *outdir, const char *cc,
	     char *const args[], struct progress *p);
/* kbuild_configure() and the builds after it: olddefconfig changed the config */
#define KBUILD_CONFIG_CHANGED	(-2)
int kbuild_configure(struct build *b, const char *outdir, const char *cc);
bool kbuild_orig_cached(struct build *b);
bool kbuild_prepared(struct build *b);
int kbuild_orig(struct build *b);
int kbuild_prepare(struct build *b);
int kbuild_orig_objects(struct build *b, size_t *built);
int kbuild_patched(struct build *b);
int kbuild_list_objects(struct build *b, struct strlist *objs);
int kbuild_list_dirs(struct build *b, const struct strlist *objs,
		     struct strlist *members, struct strlist *mods);
char *kbuild_module_tree(struct build *b);

/* depindex.c */
char *cmdline_owner(const char *cmdline, size_t len);
const char *depindex_available(struct build *b);
int depindex_lookup(struct build *b, const struct strlist *files,
		    struct strlist *objs, bool build);

/* objects.c */
int objects_for(struct build *b);
char *kbuild_owner(struct build *b, const char *obj, char **ko);

/* sign.c */
void sign_check_options(struct build *b);
int sign_module(struct build *b, const char *ko);
void sign_warn_unsigned(struct build *b);

/* What klpgen series build reuses */
/* build.c: klpgen build's command line into @b (after build_init()); exits if bad. */
void build_options(struct build *b, int argc, char **argv);
/* inputs.c: module names are [a-z0-9_]: lower case, - . and space to _. */
void normalize_name(char *name);
/* inputs.c: klp_<name of @patch without its extension>, the default name. */
char *build_default_name(const char *patch);
/* build-publish.c: check against --prev, then write OUTDIR/NAME.ko */
void kb_publish_module(struct build *b);

/* diff.c */
int kb_diff_objects(struct build *b);
int kb_explain_write(struct build *b);
int kb_make_module(struct build *b);
/* summary.c */
void kb_print_summary(struct build *b);

/* package.c: check --package, --version, --release (exit 2 if bad). */
void kb_package_check(struct build *b);
/* package.c: the packages of --package, from the module written. */
int kb_package(struct build *b);

#endif
