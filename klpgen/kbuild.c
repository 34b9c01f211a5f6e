// SPDX-License-Identifier: GPL-2.0
/*
 * Kbuild: the original build, the patched build of just the stale objects,
 * and what the original build's bookkeeping says about objects:
 *   .<obj>.cmd   source_<obj> and deps_<obj> name every file an object was
 *                compiled from, so a changed .c or header maps to the
 *                objects to rebuild;
 *   <mod>.mod    lists the objects linked into module <mod> (6.1 and
 *                later); any other object belongs to vmlinux.
 * Both builds run `make -C <key>/src O=<dir>` with the same variables, so
 * their recorded command lines are identical and the patched build is
 * incremental.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "build.h"

struct kmod {
	char *name;	/* as the kernel knows it: '-' -> '_' */
	char *rel;	/* <dir>/<file> without .mod, relative to the build */
	char *objs;	/* the .mod file: one object per line */
};

static struct kmod *mods;
static size_t nr_mods;

static char **make_argv(struct build *b, const char *outdir,
			char *const targets[], size_t nr)
{
	char **argv = xcalloc(nr + 12, sizeof(char *));
	size_t n = 0, i;

	argv[n++] = "make";
	argv[n++] = "-C";
	argv[n++] = b->farm;
	argv[n++] = xasprintf("O=%s", outdir);
	argv[n++] = xasprintf("KCFLAGS=%s", b->kcflags);
	argv[n++] = xasprintf("-j%d", b->jobs);
	if (b->tc.llvm[0])
		argv[n++] = xstrdup(b->tc.llvm);
	if (b->launcher)
		argv[n++] = xasprintf("CC=%s %s", b->launcher, b->tc.cc);
	for (i = 0; i < nr; i++)
		argv[n++] = targets[i];
	return argv;
}

static void free_make_argv(char **argv)
{
	int i;

	for (i = 3; argv[i] && (str_starts_with(argv[i], "O=") ||
				str_starts_with(argv[i], "KCFLAGS=") ||
				str_starts_with(argv[i], "-j") ||
				str_starts_with(argv[i], "LLVM=") ||
				str_starts_with(argv[i], "CC=")); i++)
		free(argv[i]);
	free(argv);
}

static int kmake(struct build *b, const char *outdir, char *const targets[],
		 size_t nr)
{
	char **argv = make_argv(b, outdir, targets, nr);
	size_t i;
	int rc;

	dprintf(b->logfd, "===");
	for (i = 0; argv[i]; i++)
		dprintf(b->logfd, " %s", argv[i]);
	dprintf(b->logfd, "\n");
	rc = spawn_run(argv, b->logfd);
	free_make_argv(argv);
	return rc;
}

bool kbuild_orig_cached(struct build *b)
{
	char *done = xasprintf("%s/orig.done", b->keydir);
	bool ret = !access(done, F_OK);

	free(done);
	return ret;
}

int kbuild_orig(struct build *b)
{
	char *done = xasprintf("%s/orig.done", b->keydir);
	char *cfg = xasprintf("%s/.config", b->orig);
	char *const olddef[] = { "olddefconfig" };
	char *const all[] = { "vmlinux", "modules" };
	char *s, secs[32];
	double start = kb_now();
	int rc;

	if (b->oot_ko) {
		free(done);
		free(cfg);
		return oot_build_orig(b);
	}
	s = fs_read_text(done, NULL);
	if (s) {
		b->orig_seconds = strtod(s, NULL);
		free(s);
		free(done);
		free(cfg);
		return 0;
	}
	rc = fs_mkdir_p(b->orig) < 0 || fs_copy_file(b->config, cfg) < 0 ? -1 : 0;
	if (!rc)
		rc = kmake(b, b->orig, olddef, 1);
	if (!rc)
		rc = b->targets.n ? kmake(b, b->orig, b->targets.v, b->targets.n) :
			kmake(b, b->orig, all, 2);
	if (!rc) {
		b->orig_seconds = kb_now() - start;
		snprintf(secs, sizeof(secs), "%.1f", b->orig_seconds);
		rc = stamp_write(done, secs);
	}
	free(done);
	free(cfg);
	return rc ? rc : 1;	/* 1: built now, not cached */
}

static bool skipped_dir(const char *rel)
{
	static const char *const skip[] = {
		"scripts", "tools", "usr", "arch/x86/boot", "arch/x86/realmode",
		"Documentation", "source", ".tmp_versions",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(rel, skip[i]))
			return true;
	return false;
}

/* Does this .cmd file name one of the touched files (absolute paths)? */
static bool cmd_mentions(struct build *b, const char *text)
{
	size_t flen = strlen(b->farm);
	const char *p = text;

	while ((p = strstr(p, b->farm))) {
		const char *q = p + flen;
		size_t len;
		char *path;
		bool hit;

		p = q;
		if (*q != '/')
			continue;
		q++;
		len = strcspn(q, " \t\n\\'\"):;");
		path = xstrndup(q, len);
		hit = sl_has(&b->touched, path);
		free(path);
		if (hit)
			return true;
	}
	return false;
}

static void scan_cmd(struct build *b, const char *dir, const char *rel,
		     const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = fs_read_text(path, NULL);
	char *obj;

	free(path);
	if (!text)
		return;
	obj = xasprintf("%s%s%.*s", rel, *rel ? "/" : "",
			(int)(strlen(name) - 5), name + 1);	/* .x.o.cmd */
	if (strstr(text, "\nsource_") && !str_ends_with(obj, ".mod.o") &&
	    cmd_mentions(b, text))
		sl_add(&b->objects, obj);
	free(obj);
	free(text);
}

static void scan_mod(const char *dir, const char *rel, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = fs_read_text(path, NULL);
	struct kmod *m;
	char *c;

	free(path);
	if (!text)
		return;
	mods = xrealloc(mods, (nr_mods + 1) * sizeof(*mods));
	m = &mods[nr_mods++];
	m->name = xstrndup(name, strlen(name) - 4);
	for (c = m->name; *c; c++)
		if (*c == '-')
			*c = '_';
	m->rel = xasprintf("%s%s%.*s", rel, *rel ? "/" : "",
			   (int)(strlen(name) - 4), name);
	m->objs = text;
}

static void scan_build(struct build *b, const char *rel)
{
	char *dir = xasprintf("%s%s%s", b->orig, *rel ? "/" : "", rel);
	struct strlist names = { 0 };
	size_t i;

	fs_list_dir(dir, &names);
	for (i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		char *sub = xasprintf("%s%s%s", rel, *rel ? "/" : "", n);
		char *full = xasprintf("%s/%s", dir, n);
		struct stat st;

		if (lstat(full, &st) < 0 || S_ISLNK(st.st_mode)) {
			/* skip */
		} else if (S_ISDIR(st.st_mode)) {
			if (!skipped_dir(sub))
				scan_build(b, sub);
		} else if (n[0] == '.' && str_ends_with(n, ".o.cmd")) {
			scan_cmd(b, dir, rel, n);
		} else if (str_ends_with(n, ".mod") && n[0] != '.') {
			scan_mod(dir, rel, n);
		}
		free(sub);
		free(full);
	}
	sl_free(&names);
	free(dir);
}

int kbuild_objects_for(struct build *b)
{
	size_t i;

	scan_build(b, "");
	for (i = 0; i < b->touched.n; i++) {
		const char *t = b->touched.v[i];

		if (str_ends_with(t, ".c") && !str_ends_with(t, ".mod.c")) {
			char *o = xasprintf("%.*s.o", (int)strlen(t) - 2, t);

			if (!sl_has(&b->objects, o))
				phase_warn("note: %s is not compiled with this config",
				     t);
			free(o);
		}
	}
	return b->objects.n ? 0 : -1;
}

int kbuild_patched(struct build *b)
{
	if (b->oot_ko)
		return oot_build_patched(b);
	double t = kb_now();
	int rc = mirror_sync(b->orig, b->patched);

	DEBUG("mirror of the original build refreshed in %.2f s", kb_now() - t);
	if (rc) {
		WARN("cannot mirror %s to %s", b->orig, b->patched);
		return -1;
	}
	return kmake(b, b->patched, b->objects.v, b->objects.n);
}

/*
 * The running kernel's copy of module @rel ("fs/binfmt_misc"): beside the
 * vmlinux (an O= build directory), in Debian's -dbg layout, or installed;
 * else the original build's own, whose symbol positions match when the
 * config and compiler do.
 */
static char *running_ko(struct build *b, const char *rel)
{
	char *vm = xstrdup(b->vmlinux), *vmdir = dirname(vm), *ko;
	struct utsname u;
	char *cands[3];
	size_t i;

	uname(&u);
	cands[0] = xasprintf("%s/%s.ko", vmdir, rel);
	cands[1] = xasprintf("/usr/lib/debug/lib/modules/%s/kernel/%s.ko",
			     u.release, rel);
	cands[2] = xasprintf("/lib/modules/%s/kernel/%s.ko", u.release, rel);
	ko = NULL;
	for (i = 0; i < 3; i++) {
		/* Installed modules only go with the running kernel's
		 * vmlinux (Debian: /usr/lib/debug/boot/vmlinux-<release>). */
		bool usable = !i || strstr(b->vmlinux, u.release);

		if (!ko && usable && !access(cands[i], R_OK))
			ko = cands[i];
		else
			free(cands[i]);
	}
	free(vm);
	if (ko)
		return ko;
	ko = xasprintf("%s/%s.ko", b->orig, rel);
	phase_warn("note: no %s.ko of the running kernel found beside %s; "
		   "symbol positions taken from %s", rel, b->vmlinux, ko);
	return ko;
}

/* "vmlinux" or the module owning @obj; *ko: the running kernel's .ko. */
char *kbuild_owner(struct build *b, const char *obj, char **ko)
{
	size_t i, ol = strlen(obj);

	*ko = NULL;
	if (b->oot_ko)
		return oot_owner(b, ko);
	for (i = 0; i < nr_mods; i++) {
		const char *p = mods[i].objs;

		while ((p = strstr(p, obj))) {
			if ((p == mods[i].objs || p[-1] == '\n') &&
			    (p[ol] == '\n' || !p[ol])) {
				*ko = running_ko(b, mods[i].rel);
				return xstrdup(mods[i].name);
			}
			p += ol;
		}
	}
	return xstrdup("vmlinux");
}
