/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen build: the driver from source patches to a livepatch module.
 * One concern per file:
 *   build.c    options, the phases in order
 *   kpatch-build.c  kpatch-build's command line onto the same phases
 *   oot.c      an out-of-tree module instead of the kernel tree
 *   run.c      phase progress lines, the exit path (tools are spawned by
 *              lib/spawn.c: own process group, signals)
 *   cache.c    the cache key (kernel version, config, compiler, flags,
 *              tree fingerprint) and stamp files
 *   tree.c     hardlink farm, journal, restore, build-directory mirror
 *   patch.c    files named by a diff, dry run, apply
 *   kbuild.c   make invocations, .cmd dependency scan, .mod ownership
 *   diff.c     create-diff-object per changed object, explain merge,
 *              the module (klpgen_make_module(), in-process)
 *   summary.c  the one-screen summary read back from the diff objects
 *   build-publish.c  --prev checks, then the module into the output dir
 *   package.c  --package: the packages of the module written
 *   toolchain.c  the kernel's compiler, passed to every make (klpgen.h)
 */
#ifndef KLPGEN_BUILD_H
#define KLPGEN_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fs.h"
#include "klpgen-abi.h"
#include "klpgen.h"
#include "spawn.h"
#include "strlist.h"
#include "util.h"

/* Module names: klpgen build's, and kpatch-build's file names (the
 * kernel turns their '-' into '_'); checked by klp_modname_ok(). */
#define KLPGEN_NAME_CHARS	KLPGEN_MODNAME_CHARS
#define KPATCH_NAME_CHARS	KLP_MODFILE_CHARS

struct build {
	/* Options. */
	char *srcdir;		/* absolute, the user's tree: never written */
	char *config;
	char *vmlinux;		/* the running kernel's */
	char *symvers;
	char *name;
	char *outdir;
	char *cache;
	char *launcher;
	int jobs;
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
double kb_now(void);
double phase_elapsed(void);
/* The last @lines lines of the log file @log, on stderr. */
void kb_log_tail(const char *log, int lines);
/* Leave cleanly: restore the farm, drop the work dir, exit with @code. */
void build_exit(struct build *b, int code) __attribute__((noreturn));

/* cache.c */
char *tree_fingerprint(const char *dir);
int cache_key(struct build *b);
int stamp_ok(const char *path, const char *want);
int stamp_write(const char *path, const char *val);
char *kb_compiler_version(const char *cc);	/* `cc --version`, line 1 */

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
bool kbuild_orig_cached(struct build *b);
int kbuild_orig(struct build *b);
int kbuild_objects_for(struct build *b);
int kbuild_patched(struct build *b);
char *kbuild_owner(struct build *b, const char *obj, char **ko);

/* build.c: what klpgen series build reuses */
/* klpgen build's command line into @b (after build_init()); exits if bad. */
void build_options(struct build *b, int argc, char **argv);
/* Module names are [a-z0-9_]: lower case, - . and space to _. */
void normalize_name(char *name);
/* klp_<name of @patch without its extension>: the default module name. */
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
