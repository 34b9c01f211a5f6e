// SPDX-License-Identifier: GPL-2.0
/*
 * The private source copy and the build-directory mirror.
 *
 * <key>/src is a hardlink farm of the user's tree: creating it costs one
 * directory walk and no data.  Before the patches are applied, the files
 * they touch are written to <key>/journal, then each one's hardlink is
 * broken (copy + rename: the user's inode is never opened for writing),
 * and patch(1) works on the copies.  farm_restore() links every journalled
 * path back to the user's file (or removes it when the patch added it) and
 * deletes the journal; it runs on every exit path, and at start when a
 * journal shows that an earlier run was killed.
 *
 * <key>/patched mirrors <key>/orig (same relative layout, same mtimes), so
 * Kbuild there sees an up-to-date tree and rebuilds only what the patched
 * sources make stale.  mirror_sync() copies files whose type, size or mtime
 * differ and deletes extra ones.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "klpgen.h"

/* Copy @path to a temporary name beside it, then rename over it. */
static int break_link(const char *path)
{
	return fs_copy_over(path, path);
}

/*
 * The headers patch authors include, placed where the kernel's own include
 * path (-I$(srctree)/include) finds them in the private copy: no compiler
 * flag changes, so the cache key and the original build stay the same.
 */
static const char *const farm_headers[][2] = {
	{ "templates/klpgen-patch.h", "include/linux/klpgen-patch.h" },
	{ "templates/kpatch-macros.h", "include/kpatch-macros.h" },
	{ "templates/kpatch-syscall.h", "include/kpatch-syscall.h" },
};

/* One of farm_headers[] into the copy, rewritten only when it differs. */
static int farm_add_header(struct build *b, const char *from, const char *rel)
{
	char *tmpl = klpgen_datafile(from);
	char *dst = xasprintf("%s/%s", b->farm, rel);
	char *want, *have;
	size_t len;
	int ret = 0;

	if (!tmpl) {
		DEBUG("%s not found; not added", from);
		free(dst);
		return 0;
	}
	want = fs_read_text(tmpl, &len);
	have = fs_read_text(dst, NULL);
	if (want && (!have || strcmp(want, have))) {
		char *dir = xstrdup(dst);

		*strrchr(dir, '/') = '\0';

		ret = fs_mkdir_p(dir);
		if (!ret)
			ret = write_file_atomic(dst, want, len, 0644);
		free(dir);
	}
	free(want);
	free(have);
	free(tmpl);
	free(dst);
	return ret;
}

/*
 * A tree configured or built in place: Kbuild refuses to build O= from it
 * ("The source tree is not clean"), and its objects would be found
 * through VPATH.  Its own `make mrproper`, run in the copy, removes them:
 * only links are removed, and the user's files are not written.
 */
static int farm_clean(struct build *b, const char *copy, const char **how)
{
	char *const argv[] = { "make", "-C", (char *)copy, "mrproper", NULL };
	int ret;

	dprintf(b->logfd, "=== make -C %s mrproper (the tree is %s)\n", copy,
		tree_state_name(b->tree_state));
	ret = spawn_run(argv, b->logfd);
	if (ret && ret != EXIT_INTERRUPTED)
		phase_warn("make mrproper in the copy of %s failed (exit %d); "
			   "see %s", b->srcdir, ret, b->log);
	*how = "created, cleaned with make mrproper";
	return ret;
}

int farm_prepare(struct build *b)
{
	char *done = xasprintf("%s/src.done", b->keydir);
	char *tmp = xasprintf("%s.tmp", b->farm);
	struct stat st;
	size_t i;
	int ret = 0;

	if (b->oot_ko)
		return oot_farm_prepare(b);
	if (access(done, F_OK) || stat(b->farm, &st) < 0) {
		char *const cp[] = { "cp", "-al", "--", b->srcdir, tmp, NULL };
		char *const full[] = { "cp", "-a", "--reflink=auto", "--",
				       b->srcdir, tmp, NULL };
		const char *how = "created";

		fs_remove_tree(b->farm);
		fs_remove_tree(tmp);
		ret = spawn_run(cp, b->logfd);
		if (ret && ret != EXIT_INTERRUPTED) {
			/* Another file system, or protected_hardlinks and
			 * files we do not own: a real copy. */
			phase_warn("note: cannot hardlink %s into %s (see %s); "
				   "copying it instead", b->srcdir, b->farm,
				   b->log);
			fs_remove_tree(tmp);
			ret = spawn_run(full, b->logfd);
			how = "copied";
		}
		if (!ret && b->tree_state != TREE_PRISTINE)
			ret = farm_clean(b, tmp, &how);
		if (!ret && rename(tmp, b->farm) < 0)
			ret = -1;
		if (!ret)
			ret = stamp_write(done, "private copy of the source tree");
		if (!ret)
			phase_end(how);
	} else {
		phase_end("cached");
	}
	for (i = 0; !ret && i < sizeof(farm_headers) / sizeof(farm_headers[0]); i++)
		ret = farm_add_header(b, farm_headers[i][0], farm_headers[i][1]);
	free(done);
	free(tmp);
	return ret;
}

int journal_write(struct build *b)
{
	struct strbuf sb;
	size_t i;
	int ret;

	strbuf_init(&sb);
	strbuf_add(&sb, "", 0);
	for (i = 0; i < b->touched.n; i++)
		strbuf_addf(&sb, "%s\n", b->touched.v[i]);
	ret = write_file_atomic(b->journal, sb.buf, sb.len, 0644);
	strbuf_free(&sb);
	return ret;
}

/*
 * patch(1) may write through a symbolic link of the tree: journal and copy
 * its target too when it stays inside the tree, refuse when it leads out.
 */
int farm_resolve_links(struct build *b)
{
	size_t i, fl = strlen(b->farm);

	for (i = 0; i < b->touched.n; i++) {
		char *p = xasprintf("%s/%s", b->farm, b->touched.v[i]);
		char real[PATH_MAX];
		struct stat st;
		int ret = 0;

		if (!lstat(p, &st) && S_ISLNK(st.st_mode)) {
			if (!realpath(p, real) || strncmp(real, b->farm, fl) ||
			    real[fl] != '/') {
				WARN("%s is a symbolic link leading out of the "
				     "source tree: not patching through it",
				     b->touched.v[i]);
				ret = -1;
			} else if (!sl_has(&b->touched, real + fl + 1)) {
				sl_add(&b->touched, real + fl + 1);
			}
		}
		free(p);
		if (ret)
			return -1;
	}
	return 0;
}

int farm_break_links(struct build *b)
{
	size_t i;

	for (i = 0; i < b->touched.n; i++) {
		char *p = xasprintf("%s/%s", b->farm, b->touched.v[i]);
		struct stat st;
		int ret = 0;

		if (!lstat(p, &st) && S_ISREG(st.st_mode))
			ret = break_link(p);
		if (ret)
			WARN("%s: cannot copy: %s", p, strerror(errno));
		free(p);
		if (ret)
			return -1;
	}
	return 0;
}

static int restore_one(struct build *b, const char *rel)
{
	char *user = xasprintf("%s/%s", b->srcdir, rel);
	char *mine = xasprintf("%s/%s", b->farm, rel);
	char *tmp = xasprintf("%s.klpgen-tmp", mine);
	struct stat us, ms;
	int ret = 0;

	if (lstat(user, &us) < 0) {
		if (unlink(mine) < 0 && errno != ENOENT)
			ret = -1;
	} else if (lstat(mine, &ms) < 0 || ms.st_ino != us.st_ino ||
		   ms.st_dev != us.st_dev) {
		unlink(tmp);
		/* A copied (not hardlinked) farm gets a copy back. */
		if (linkat(AT_FDCWD, user, AT_FDCWD, tmp, 0) < 0 &&
		    (errno != EPERM && errno != EXDEV ? -1 :
		     fs_copy_file(user, tmp)) < 0)
			ret = -1;
		else if (rename(tmp, mine) < 0)
			ret = -1;
	}
	if (ret)
		WARN("cannot restore %s: %s", mine, strerror(errno));
	unlink(tmp);
	free(user);
	free(mine);
	free(tmp);
	return ret;
}

int farm_restore(struct build *b)
{
	char *j, *line, *save = NULL;
	int ret = 0;

	if (!b->journal)
		return 0;
	j = fs_read_text(b->journal, NULL);
	if (!j)
		return 0;
	for (line = strtok_r(j, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (*line && restore_one(b, line) < 0)
			ret = -1;
	free(j);
	if (!ret && unlink(b->journal) < 0)
		ret = -1;
	return ret;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT) &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int sync_link(const char *from, const char *to)
{
	char a[PATH_MAX], c[PATH_MAX];
	ssize_t n = readlink(from, a, sizeof(a) - 1), m;

	if (n < 0)
		return -1;
	a[n] = '\0';
	m = readlink(to, c, sizeof(c) - 1);
	if (m >= 0) {
		c[m] = '\0';
		if (!strcmp(a, c))
			return 0;
	}
	fs_remove_tree(to);
	return symlink(a, to);
}

static int sync_dir(const char *from, const char *to);

static int sync_entry(const char *from, const char *to)
{
	struct stat fs, ts;
	bool have = !lstat(to, &ts);

	if (lstat(from, &fs) < 0)
		return -1;
	if (S_ISDIR(fs.st_mode)) {
		if (have && !S_ISDIR(ts.st_mode))
			fs_remove_tree(to);
		return sync_dir(from, to);
	}
	if (S_ISLNK(fs.st_mode))
		return sync_link(from, to);
	if (!S_ISREG(fs.st_mode) || (have && same_file(&fs, &ts)))
		return 0;
	if (have && S_ISDIR(ts.st_mode))
		fs_remove_tree(to);
	return fs_copy_file(from, to);
}

/*
 * tools/ (objtool, resolve_btfids and its libbpf) records absolute paths
 * of its own build directory: mirrored, Kbuild would build it all again in
 * the mirror.  The patched build makes single objects, which need only the
 * objtool binary: that file alone is mirrored, and kbuild_patched() tells
 * make that the tool targets are up to date.
 */
static const char *mirror_top;
static const char *const mirrored_tools[] = { "tools/objtool/objtool" };

static bool mirror_own(const char *to, const char *name)
{
	return mirror_top && !strcmp(to, mirror_top) && !strcmp(name, "tools");
}

static int sync_tools(const char *from, const char *to)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < sizeof(mirrored_tools) / sizeof(char *); i++) {
		char *f = xasprintf("%s/%s", from, mirrored_tools[i]);
		char *t = xasprintf("%s/%s", to, mirrored_tools[i]);
		char *dir = xstrdup(t);

		*strrchr(dir, '/') = '\0';
		if (!access(f, X_OK))
			ret = fs_mkdir_p(dir) < 0 ? -1 : sync_entry(f, t);
		free(f);
		free(t);
		free(dir);
	}
	return ret;
}

static int sync_dir(const char *from, const char *to);

int mirror_sync(const char *from, const char *to)
{
	int ret;

	mirror_top = to;
	ret = sync_dir(from, to);
	if (!ret)
		ret = sync_tools(from, to);
	mirror_top = NULL;
	return ret;
}

static int sync_dir(const char *from, const char *to)
{
	struct strlist fn = { 0 }, tn = { 0 };
	size_t i;
	int ret = 0;

	if (mkdir(to, 0755) < 0 && errno != EEXIST)
		return -1;
	if (fs_list_dir(from, &fn) < 0 || fs_list_dir(to, &tn) < 0)
		ret = -1;
	for (i = 0; !ret && i < fn.n; i++) {
		char *f, *t;
		struct stat st;

		t = xasprintf("%s/%s", to, fn.v[i]);
		if (mirror_own(to, fn.v[i])) {	/* see sync_tools() */
			if (lstat(t, &st) < 0 && mkdir(t, 0755) < 0)
				ret = -1;
			free(t);
			continue;
		}
		f = xasprintf("%s/%s", from, fn.v[i]);
		ret = sync_entry(f, t);
		if (ret)
			WARN("cannot mirror %s: %s", f, strerror(errno));
		free(f);
		free(t);
	}
	for (i = 0; !ret && i < tn.n; i++) {
		char *t;

		if (sl_sorted_has(&fn, tn.v[i]))
			continue;
		t = xasprintf("%s/%s", to, tn.v[i]);
		ret = fs_remove_tree(t);
		free(t);
	}
	sl_free(&fn);
	sl_free(&tn);
	return ret;
}
