// SPDX-License-Identifier: GPL-2.0
/*
 * Kbuild: every make run of klpgen build.
 *
 * All of them run `make -C <key>/src O=<dir>` with the same variables
 * (KCFLAGS, CC, KERNELRELEASE = the vmlinux's release, so that
 * utsrelease.h and the module's vermagic say what `uname -r` says), so
 * their recorded command lines are identical and later builds are
 * incremental.  Two ways to get the original objects:
 *   full      `olddefconfig`, then `vmlinux modules`: the whole tree with
 *             function sections (orig.done records its duration);
 *   targeted  `olddefconfig`, then `prepare modules_prepare` (generated
 *             headers, objtool, modpost: prepared.done), then only the
 *             objects the patches affect, as single targets.
 * Either way the config that olddefconfig leaves must still be the one
 * given: an option it drops or changes is an error (the objects would not
 * be the running kernel's).  Kbuild's own lists say which objects a
 * directory builds: real-obj-y, real-obj-m and lib-y, printed by a rule
 * added with make --eval (kbuild_list_objects()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"

#define PREPARED "prepared.done"

/* make -C FARM O=OUTDIR KCFLAGS= -jN CC= [KERNELRELEASE=] */
static void make_base(struct build *b, struct strlist *a, const char *outdir,
		      const char *cc)
{
	sl_add(a, "make");
	sl_add(a, "-C");
	sl_add(a, b->farm);
	sl_add_own(a, xasprintf("O=%s", outdir));
	sl_add_own(a, xasprintf("KCFLAGS=%s", b->kcflags));
	sl_add_own(a, xasprintf("-j%d", b->jobs));
	if (b->tc.llvm[0])	/* a clang kernel: LLVM=-16 (toolchain.c) */
		sl_add(a, b->tc.llvm);
	if (cc)
		sl_add_own(a, xasprintf("CC=%s", cc));
	else if (b->launcher)
		sl_add_own(a, xasprintf("CC=%s %s", b->launcher, b->tc.cc));
	else
		sl_add_own(a, xasprintf("CC=%s", b->tc.cc));
	if (b->krelease)
		sl_add_own(a, xasprintf("KERNELRELEASE=%s", b->krelease));
}

static void log_argv(struct build *b, char *const argv[])
{
	size_t i;

	dprintf(b->logfd, "===");
	for (i = 0; argv[i]; i++)
		dprintf(b->logfd, " %s", argv[i]);
	dprintf(b->logfd, "\n");
}

/* Run a make; @p: show progress (NULL: none). */
static int kmake_run(struct build *b, struct strlist *a, struct progress *p)
{
	int rc;

	log_argv(b, a->v);
	rc = p ? progress_run(a->v, b->logfd, p) : spawn_run(a->v, b->logfd);
	sl_free(a);
	return rc;
}

int kmake(struct build *b, const char *outdir, char *const targets[],
	  size_t nr, struct progress *p)
{
	struct strlist a = { 0 };
	size_t i;

	make_base(b, &a, outdir, NULL);
	for (i = 0; i < nr; i++)
		sl_add(&a, targets[i]);
	return kmake_run(b, &a, p);
}

/* The same make with a compiler stand-in (the dependency index). */
int kmake_cc(struct build *b, const char *outdir, const char *cc,
	     char *const args[], struct progress *p)
{
	struct strlist a = { 0 };
	size_t i;

	make_base(b, &a, outdir, cc);
	for (i = 0; args[i]; i++)
		sl_add(&a, args[i]);
	return kmake_run(b, &a, p);
}

bool kbuild_orig_cached(struct build *b)
{
	char *done = xasprintf("%s/orig.done", b->keydir);
	bool ret = !access(done, F_OK);

	free(done);
	return ret;
}

bool kbuild_prepared(struct build *b)
{
	char *done = xasprintf("%s/" PREPARED, b->keydir);
	bool ret = !access(done, F_OK);

	free(done);
	return ret || kbuild_orig_cached(b);
}

/*
 * Configure @outdir from the given config.  Every option the config sets
 * must survive olddefconfig: a dropped one (a missing tool: pahole for
 * DEBUG_INFO_BTF) would build objects that are not the running kernel's.
 */
int kbuild_configure(struct build *b, const char *outdir, const char *cc)
{
	char *cfg = xasprintf("%s/.config", outdir);
	char *const olddef[] = { "olddefconfig", NULL };
	struct kconfig want, got;
	struct strlist lost = { 0 }, added = { 0 };
	size_t i;
	int rc;

	rc = fs_mkdir_p(outdir) < 0 || fs_copy_file(b->config, cfg) < 0 ? -1 : 0;
	if (!rc)
		rc = kmake_cc(b, outdir, cc, olddef, NULL);
	if (rc) {
		free(cfg);
		return rc;
	}
	if (kconfig_read(b->config, &want) < 0 || kconfig_read(cfg, &got) < 0) {
		free(cfg);
		return -1;
	}
	kconfig_diff(&want, &got, &lost, &added);
	for (i = 0; i < added.n && i < 5; i++)
		DEBUG("olddefconfig added %s", added.v[i]);
	if (added.n)
		dprintf(b->logfd, "olddefconfig added %zu options the config "
			"does not set (defaults)\n", added.n);
	if (lost.n) {
		phase_warn("make olddefconfig changed %zu option%s of %s:",
			   lost.n, lost.n == 1 ? "" : "s", b->config);
		for (i = 0; i < lost.n && i < 10; i++)
			fprintf(stderr, "    %s\n", lost.v[i]);
		if (lost.n > 10)
			fprintf(stderr, "    ... (%zu more)\n", lost.n - 10);
		fprintf(stderr, "    Objects built so would not be the running "
			"kernel's.  A missing tool is the usual cause (pahole "
			"from dwarves for DEBUG_INFO_BTF, a compiler feature); "
			"or the config is for another tree.\n");
		rc = KBUILD_CONFIG_CHANGED;
	}
	sl_free(&lost);
	sl_free(&added);
	kconfig_free(&want);
	kconfig_free(&got);
	free(cfg);
	return rc;
}

int kbuild_orig(struct build *b)
{
	char *done = xasprintf("%s/orig.done", b->keydir);
	char *const all[] = { "vmlinux", "modules" };
	struct progress p = { .what = "objects" };
	struct strlist objs = { 0 };
	char *s, secs[32];
	double start = kb_now();
	int rc = 0;

	if (b->oot_ko) {
		free(done);
		return oot_build_orig(b);
	}
	s = fs_read_text(done, NULL);
	if (s) {
		b->orig_seconds = strtod(s, NULL);
		free(s);
		free(done);
		return 0;
	}
	/* Configured and prepared first: kbuild's lists need both. */
	rc = kbuild_prepare(b);
	if (rc == 1)
		rc = 0;
	/* The denominator of the progress line: what kbuild will compile. */
	if (!rc && kbuild_list_objects(b, &objs) == 0)
		progress_set_objects(&p, &objs);
	/* kpatch-build -t: its targets instead of the whole tree */
	if (!rc)
		rc = b->targets.n ?
			kmake(b, b->orig, b->targets.v, b->targets.n, &p) :
			kmake(b, b->orig, all, 2, &p);
	progress_free(&p);
	sl_free(&objs);
	if (!rc) {
		b->orig_seconds = kb_now() - start;
		snprintf(secs, sizeof(secs), "%.1f", b->orig_seconds);
		rc = stamp_write(done, secs);
	}
	free(done);
	return rc ? rc : 1;	/* 1: built now, not cached */
}

/* Targeted mode: config, generated headers, objtool, modpost; once a key. */
int kbuild_prepare(struct build *b)
{
	char *done = xasprintf("%s/" PREPARED, b->keydir);
	char *const prep[] = { "prepare", "modules_prepare" };
	int rc;

	if (kbuild_prepared(b)) {
		free(done);
		return 0;
	}
	rc = kbuild_configure(b, b->orig, NULL);
	if (!rc)
		rc = kmake(b, b->orig, prep, 2, NULL);
	if (!rc)
		rc = stamp_write(done, "olddefconfig prepare modules_prepare");
	free(done);
	return rc ? rc : 1;
}

static bool object_built(const char *dir, const char *obj)
{
	char *copy = xstrdup(obj), *slash = strrchr(copy, '/');
	char *o = xasprintf("%s/%s", dir, obj), *cmd;
	bool ret;

	if (slash) {
		*slash = '\0';
		cmd = xasprintf("%s/%s/.%s.cmd", dir, copy, slash + 1);
	} else {
		cmd = xasprintf("%s/.%s.cmd", dir, copy);
	}
	/* Kbuild writes the .cmd file last: with it the object is whole. */
	ret = !access(o, R_OK) && !access(cmd, R_OK);
	free(copy);
	free(o);
	free(cmd);
	return ret;
}

/* Targeted mode: the original objects (a no-op when all are there). */
int kbuild_orig_objects(struct build *b, size_t *built)
{
	struct strlist need = { 0 };
	struct progress p = { .what = "objects" };
	size_t i;
	int rc = 0;

	for (i = 0; i < b->objects.n; i++)
		if (!object_built(b->orig, b->objects.v[i]))
			sl_add(&need, b->objects.v[i]);
	*built = need.n;
	if (need.n) {
		progress_set_objects(&p, &need);
		rc = kmake(b, b->orig, need.v, need.n, need.n > 1 ? &p : NULL);
		progress_free(&p);
	}
	sl_free(&need);
	return rc;
}

static int kmake_patched(struct build *b, struct progress *p);

int kbuild_patched(struct build *b)
{
	struct progress p = { .what = "objects" };
	double t;
	int rc;

	if (b->oot_ko)
		return oot_build_patched(b);
	t = kb_now();
	rc = mirror_sync(b->orig, b->patched);

	DEBUG("mirror of the original build refreshed in %.2f s", kb_now() - t);
	if (rc) {
		WARN("cannot mirror %s to %s", b->orig, b->patched);
		return -1;
	}
	progress_set_objects(&p, &b->objects);
	rc = kmake_patched(b, &p);
	progress_free(&p);
	return rc;
}

/*
 * The patched build: single objects in the mirror, whose objtool binary is
 * the original build's (mirror_sync()).  Explicit rules make the tool
 * targets of `prepare` up to date (they beat kbuild's tools/% pattern);
 * .DEFAULT_GOAL is reset after them so that they are nobody's default goal.
 */
static int kmake_patched(struct build *b, struct progress *p)
{
	struct strlist a = { 0 };
	size_t i;

	make_base(b, &a, b->patched, NULL);
	sl_add(&a, "--eval=tools/objtool tools/bpf/resolve_btfids: ; @:");
	sl_add(&a, "--eval=.DEFAULT_GOAL :=");
	for (i = 0; i < b->objects.n; i++)
		sl_add(&a, b->objects.v[i]);
	return kmake_run(b, &a, b->objects.n > 1 ? p : NULL);
}

/*
 * Kbuild's own object lists.  A rule added with --eval writes, for each
 * directory make visits, <key>/kbuild-lists/d-<dir> ('/' as '%'):
 * "KLPGEN-OBJS <dir> y <real-obj-y> m <real-obj-m> l <lib-y>"; objects
 * of y and l are built into vmlinux, those of m into a module.  One file
 * a directory: parallel makes cannot mix their lines.  Two ways to visit:
 *   all   make -n of the descent to modules.order (compiles and links
 *         nothing; marker "all");
 *   dirs  single targets <dir>/klpgen-query.o, one per directory asked
 *         for (marker q-<dir>); a directory kbuild does not enter for this
 *         config writes nothing.
 * A directory's lists are printed by its Makefile.build run: on that
 * run's default goal for "all" ($(obj)/ in 6.1, __build in 5.10); on the
 * query target for "dirs", which 6.1 hands to that run as a goal, while
 * 5.10 names it in KBUILD_SINGLE_TARGETS, builds the run's __build and
 * passes a target it has no rule for to `make -f /dev/null`, where obj is
 * still set but no list is: that run must not write.
 * --eval runs before the makefiles are read and the first target defined
 * becomes the default goal, so .DEFAULT_GOAL is reset after the hooks.
 * The lists belong to the config and the tree's Makefiles,
 * both in the cache key: they are kept.
 */
#define LIST_RULE ".klpgen-objs: ; +@$(if $(filter-out /dev/null,$(MAKEFILE_LIST))," \
	"printf 'KLPGEN-OBJS %s y %s m %s l %s\\n' " \
	"'$(obj)' '$(real-obj-y)' '$(real-obj-m)' '$(lib-y)' " \
	"> '$(KLPGEN_OBJS)/d-$(subst /,%,$(obj))',:)"
/* 5.10's single targets: the directory's run builds __build. */
#define LIST_SINGLE_HOOK "$(if $(filter $(obj)/klpgen-query.o," \
	"$(KBUILD_SINGLE_TARGETS)),__build: .klpgen-objs)"

static char *lists_dir(struct build *b)
{
	char *d = xasprintf("%s/kbuild-lists", b->keydir);

	fs_mkdir_p(d);
	return d;
}

static char *flat_dir(const char *prefix, const char *dir)
{
	char *f = xasprintf("%s%s", prefix, dir), *c;

	for (c = f; *c; c++)
		if (*c == '/')
			*c = '%';
	return f;
}

static void parse_list(const char *text, struct strlist *objs,
		       struct strlist *mods)
{
	const char *p = text;
	char section = 0;

	if (!str_starts_with(text, "KLPGEN-OBJS "))
		return;
	p += strlen("KLPGEN-OBJS ");
	p += strcspn(p, " ");	/* the directory */
	while (*p) {
		size_t len;

		p += strspn(p, " \n");
		len = strcspn(p, " \n");
		if (len == 1 && strchr("yml", *p)) {
			section = *p;
		} else if (len > 2 && !strncmp(p + len - 2, ".o", 2) && section) {
			char *o = xstrndup(p, len);

			if (section == 'm' && mods && !sl_has(mods, o))
				sl_add(mods, o);
			if (sl_has(objs, o))
				free(o);
			else
				sl_add_own(objs, o);
		}
		p += len;
	}
}

/* Every d-* file of the lists directory. */
static void read_lists(const char *dir, struct strlist *objs,
		       struct strlist *mods)
{
	struct strlist names = { 0 };
	size_t i;

	fs_list_dir(dir, &names);
	for (i = 0; i < names.n; i++) {
		char *p, *t;

		if (!str_starts_with(names.v[i], "d-"))
			continue;
		p = xasprintf("%s/%s", dir, names.v[i]);
		t = fs_read_text(p, NULL);
		if (t)
			parse_list(t, objs, mods);
		free(t);
		free(p);
	}
	sl_free(&names);
}

/* How many directories have a list: none means kbuild printed nothing. */
static size_t count_lists(const char *dir)
{
	struct strlist names = { 0 };
	size_t i, n = 0;

	fs_list_dir(dir, &names);
	for (i = 0; i < names.n; i++)
		n += str_starts_with(names.v[i], "d-");
	sl_free(&names);
	return n;
}

static int list_make(struct build *b, const char *dir, bool all,
		     const struct strlist *goals)
{
	struct strlist a = { 0 };
	size_t i;
	int rc, out = b->logfd;

	make_base(b, &a, b->orig, NULL);
	if (all) {
		sl_add(&a, "-n");
		sl_add(&a, "KBUILD_MODULES=1");
	}
	sl_add_own(&a, xasprintf("KLPGEN_OBJS=%s", dir));
	sl_add(&a, "--eval=" LIST_RULE);
	if (all) {
		sl_add(&a, "--eval=$(if $(obj),$(obj)/ __build: .klpgen-objs)");
	} else {
		sl_add(&a, "--eval=%/klpgen-query.o: .klpgen-objs ; @:");
		sl_add(&a, "--eval=" LIST_SINGLE_HOOK);
	}
	sl_add(&a, "--eval=.DEFAULT_GOAL :=");
	if (all)
		sl_add(&a, "modules.order");
	for (i = 0; goals && i < goals->n; i++)
		sl_add(&a, goals->v[i]);
	log_argv(b, a.v);
	/* make -n prints every command it would run: not for the log. */
	if (all)
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	rc = spawn_run(a.v, out);
	if (all && out >= 0)
		close(out);
	sl_free(&a);
	return rc;
}

/* Every object this config builds (the progress lines' denominator). */
int kbuild_list_objects(struct build *b, struct strlist *objs)
{
	char *dir = lists_dir(b), *mark = xasprintf("%s/all", dir);
	int rc = 0;

	if (access(mark, F_OK)) {
		rc = list_make(b, dir, true, NULL);
		if (rc && rc != EXIT_INTERRUPTED)
			dprintf(b->logfd, "make -n listing the objects exited "
				"%d\n", rc);
		if (!rc && count_lists(dir))
			rc = stamp_write(mark, "make -n modules.order");
	}
	if (!rc)
		read_lists(dir, objs, NULL);
	free(dir);
	free(mark);
	return rc || !objs->n ? -1 : 0;
}

/*
 * Which of @objs kbuild builds for this config: into @members, the
 * module ones also into @mods.
 */
int kbuild_list_dirs(struct build *b, const struct strlist *objs,
		     struct strlist *members, struct strlist *mods)
{
	char *dir = lists_dir(b), *all = xasprintf("%s/all", dir);
	struct strlist goals = { 0 }, marks = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; access(all, F_OK) && i < objs->n; i++) {
		const char *o = objs->v[i], *slash = strrchr(o, '/');
		char *d = slash ? xstrndup(o, slash - o) : xstrdup(".");
		char *mark = flat_dir("q-", d), *mp = xasprintf("%s/%s", dir, mark);

		if (access(mp, F_OK) && !sl_has(&marks, mp)) {
			sl_add_own(&goals, xasprintf("%s/klpgen-query.o", d));
			sl_add(&marks, mp);
		}
		free(mp);
		free(mark);
		free(d);
	}
	if (goals.n) {
		/* kernel/ is in every config: its list shows the rule works. */
		if (!sl_has(&goals, "kernel/klpgen-query.o"))
			sl_add(&goals, "kernel/klpgen-query.o");
		rc = list_make(b, dir, false, &goals);
	}
	for (i = 0; !rc && i < marks.n; i++)
		rc = stamp_write(marks.v[i], "asked");
	if (!rc && !count_lists(dir)) {
		/* A kbuild without these variables: trust the compile. */
		phase_warn("note: this tree's kbuild printed no object lists; "
			   "every object it compiles is taken as part of the "
			   "kernel");
		for (i = 0; i < objs->n; i++)
			sl_add(members, objs->v[i]);
	} else if (!rc) {
		read_lists(dir, members, mods);
	}
	sl_free(&goals);
	sl_free(&marks);
	free(dir);
	free(all);
	return rc;
}

/*
 * The tree `klpgen module` builds the livepatch module against: the
 * original build seen through symbolic links, but with the running
 * kernel's vmlinux (module BTF is split BTF on top of its .BTF: Kbuild
 * runs pahole --btf_base vmlinux) and the Module.symvers whose CRCs the
 * module must carry.  An external module build never writes its kernel
 * tree (distributions ship it read-only), so the links are safe.
 */
char *kbuild_module_tree(struct build *b)
{
	char *tree = xasprintf("%s/modtree", b->keydir);
	struct strlist names = { 0 };
	size_t i;
	int ret = 0;

	fs_remove_tree(tree);
	if (fs_mkdir_p(tree) < 0 || fs_list_dir(b->orig, &names) < 0)
		ret = -1;
	for (i = 0; !ret && i < names.n; i++) {
		const char *n = names.v[i];
		char *from, *to = xasprintf("%s/%s", tree, n);

		if (!strcmp(n, "vmlinux") ||
		    (!strcmp(n, "Module.symvers") && b->symvers))
			from = NULL;
		else
			from = xasprintf("%s/%s", b->orig, n);
		if (from && symlink(from, to) < 0)
			ret = -1;
		free(from);
		free(to);
	}
	sl_free(&names);
	if (!ret) {
		char *vm = xasprintf("%s/vmlinux", tree);
		char *sv = xasprintf("%s/Module.symvers", tree);

		if (symlink(b->vmlinux, vm) < 0 ||
		    (b->symvers && symlink(b->symvers, sv) < 0))
			ret = -1;
		free(vm);
		free(sv);
	}
	if (ret) {
		WARN("cannot make %s: %s", tree, strerror(errno));
		free(tree);
		return NULL;
	}
	return tree;
}
