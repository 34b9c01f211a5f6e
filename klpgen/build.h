/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen build: the driver from source patches to a livepatch module.
 * One concern per file:
 *   build.c     options, the phases in order, the summary
 *   inputs.c    finding the inputs (--kernel, --root, defaults) and
 *               checking that they belong to one kernel
 *   vmlinux.c   what the vmlinux says: banner, release, compiler, CRCs
 *   kconfig.c   reading .config files, what olddefconfig changed
 *   source.c    tarballs unpacked into the cache, tree states
 *   run.c       spawning tools (fork/execvp, own process group, logs),
 *               phase progress lines, the exit path
 *   progress.c  objects done of objects to build, while make runs
 *   signals.c   SIGINT/SIGTERM: kill the running tool's group, then clean up
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
 *               klpgen module
 *   summary.c   the one-screen summary read back from the diff objects
 */
#ifndef KLPGEN_BUILD_H
#define KLPGEN_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "hash.h"
#include "util.h"

#define EXIT_INTERRUPTED 130

struct strlist {
	char **v;
	size_t n;
	size_t cap;
};

void sl_add(struct strlist *l, const char *s);
void sl_add_own(struct strlist *l, char *s);
bool sl_has(const struct strlist *l, const char *s);
void sl_free(struct strlist *l);

enum build_mode { MODE_AUTO, MODE_TARGETED, MODE_FULL };

enum tree_state { TREE_PRISTINE, TREE_CONFIGURED, TREE_BUILT };

/* What a vmlinux says about itself (vmlinux.c). */
struct kernel_id {
	char *banner;		/* linux_banner without its newline, or NULL */
	char *release;		/* its uname -r, from the banner */
	struct strlist compilers;	/* .comment "GCC: " entries */
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

	/* Derived. */
	char *source_given;	/* the tree or tarball as found */
	enum tree_state tree_state;
	char *tree_version;	/* "6.1.192" from the tree's Makefile */
	struct kernel_id kid;
	const char *release;	/* kid.release: KERNELRELEASE of the builds */
	char *vmdir;		/* the vmlinux's directory */
	char *dbg_modules;	/* usr/lib/debug/lib/modules/KVER (-dbg) */
	char *cc;		/* compiler command: gcc-12, gcc */
	bool targeted;
	char *kcflags;
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

/* signals.c */
extern volatile sig_atomic_t klp_interrupted;
void kb_signals_install(void);
void kb_signals_child(pid_t pgid);
void kb_signals_reset(void);

/* run.c */
/*
 * Run @argv in its own process group, stdin from /dev/null, stdout and
 * stderr to @logfd (inherited when -1).  Returns the exit status, 128+sig
 * when killed, or -1 if it could not be started.  When SIGINT/SIGTERM
 * arrives the child's group is killed and EXIT_INTERRUPTED is returned.
 */
int kb_run(char *const argv[], int logfd);
/* The same, output through @p (progress lines) to @logfd. */
int kb_run_progress(char *const argv[], int logfd, struct progress *p);
int kb_capture(char *const argv[], char **out);	/* stdout into *out */
bool kb_in_path(const char *cmd);
int kb_null_fd(void);
void phase_begin(const char *what);
void phase_end(const char *note);
void phase_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void phase_progress(const char *text, bool minute_line);
double kb_now(void);
double phase_elapsed(void);
/* Leave cleanly: restore the farm, drop the work dir, exit with @code. */
void build_exit(struct build *b, int code) __attribute__((noreturn));

/* progress.c */
void progress_set_objects(struct progress *p, const struct strlist *objs);
void progress_free(struct progress *p);
void progress_start(struct progress *p);
void progress_line(struct progress *p, const char *line, size_t len);
void progress_tick(struct progress *p);

/* cache.c */
char *tree_fingerprint(const char *dir);
int cache_key(struct build *b);
int stamp_ok(const char *path, const char *want);
int stamp_write(const char *path, const char *val);
char *kb_read_text(const char *path, size_t *len);
char *kb_compiler_version(const char *cc);
char *kb_tree_version(const char *srcdir);
char *kb_hash_hex(const void *data, size_t len);

/* inputs.c */
void inputs_resolve(struct build *b);
void make_outdir(struct build *b);
char *need_path(const char *given, const char *what, mode_t type);

/* vmlinux.c */
int vmlinux_identify(const char *path, struct kernel_id *id);
void kernel_id_free(struct kernel_id *id);
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
int kb_remove_tree(const char *path);
int kb_mkdir_p(const char *path);
int kb_copy_file(const char *from, const char *to);
/* Sorted names of a directory's entries, without . and ..; 0 or -1. */
int kb_list_dir(const char *path, struct strlist *names);
/* The same for an open directory, read from its current position. */
int kb_list_dirfd(int dirfd, struct strlist *names);
char *kb_find_datafile(const char *rel);

/* patch.c */
int patch_files(const char *patch, struct strlist *files);
int patch_apply(struct build *b, bool dry_run);

/* kbuild.c */
int kmake(struct build *b, const char *outdir, char *const targets[],
	  size_t nr, struct progress *p);
int kmake_cc(struct build *b, const char *outdir, const char *cc,
	     char *const args[], struct progress *p);
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

/* diff.c */
int kb_diff_objects(struct build *b);
int kb_explain_write(struct build *b);
int kb_make_module(struct build *b);
void kb_print_summary(struct build *b);

#endif
