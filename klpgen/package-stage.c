// SPDX-License-Identifier: GPL-2.0
/*
 * The payload trees, one per package, in the work directory: every file
 * with its mode set exactly (whatever the umask), directories 0755, every
 * mtime the package's date, so that the same inputs give the same bytes.
 *
 *   patch:  /usr/lib/klpgen/<kver>/<module>.ko
 *           /usr/lib/klpgen/<kver>/<module>.klpgen-meta
 *   loader: /usr/lib/klpgen/klpgen-load
 *           <unit_dir>/klpgen-patch.service
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "package.h"
#include "template.h"

static int add_path(struct pkg_files *f, char *path)
{
	f->paths = xrealloc(f->paths, (f->nr + 1) * sizeof(*f->paths));
	f->paths[f->nr++] = path;
	return 0;
}

/* Make the directories leading to @path under @f's root. */
static int make_parents(struct pkg_files *f, const char *path)
{
	char *full = xasprintf("%s%s", f->root, path), *slash;
	int ret;

	slash = strrchr(full, '/');
	*slash = '\0';
	ret = fs_mkdir_p(full);
	if (ret < 0)
		WARN("%s: %s", full, strerror(errno));
	free(full);
	return ret;
}

int pkg_put(struct pkg_files *f, const char *path, const void *data,
	    size_t len, unsigned mode)
{
	char *full = xasprintf("%s%s", f->root, path);
	int ret = make_parents(f, path);

	if (!ret)
		ret = write_file_atomic(full, data, len, mode);
	if (!ret && chmod(full, mode) < 0) {
		WARN("%s: %s", full, strerror(errno));
		ret = -1;
	}
	free(full);
	if (!ret)
		add_path(f, xstrdup(path));
	return ret;
}

static long long clamp_epoch;

static int clamp_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	struct timespec t[2] = {
		{ .tv_sec = clamp_epoch }, { .tv_sec = clamp_epoch },
	};

	(void)ftw;
	if (flag == FTW_DP && chmod(path, 0755) < 0)
		return -1;
	if (!S_ISLNK(st->st_mode) &&
	    utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return 0;
}

int pkg_clamp_times(const struct pkg_files *f, long long epoch)
{
	clamp_epoch = epoch;
	if (nftw(f->root, clamp_one, 16, FTW_DEPTH | FTW_PHYS) < 0) {
		WARN("%s: cannot set modes and times: %s", f->root,
		     strerror(errno));
		return -1;
	}
	return 0;
}

char *pkg_date(long long epoch, bool rpm)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec",
	};
	time_t t = epoch;
	struct tm tm;

	/* Not strftime(): %a and %b follow the locale. */
	gmtime_r(&t, &tm);
	if (rpm)
		return xasprintf("%s %s %02d %04d", days[tm.tm_wday],
				 months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
	return xasprintf("%s, %02d %s %04d %02d:%02d:%02d +0000",
			 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
			 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The module's .klpgen.meta as installed: version and kernel filled in. */
static char *installed_meta(const struct pkg *p, const struct pkg_module *m)
{
	struct klpgen_meta copy = m->meta;
	size_t len;

	/* Shallow: only the two pointers differ, and they are not freed. */
	copy.version = p->version;
	copy.kernel = p->kver;
	return meta_format(&copy, &len);
}

static int stage_patch(struct pkg *p)
{
	size_t i, len;

	for (i = 0; i < p->nr_mods; i++) {
		const struct pkg_module *m = &p->mods[i];
		char *ko = fs_read_text(m->path, &len), *meta, *path;
		int ret;

		if (!ko) {
			WARN("%s: %s", m->path, strerror(errno));
			return -1;
		}
		path = xasprintf(PKG_LIBDIR "/%s/%s.ko", p->kver, m->meta.module);
		ret = pkg_put(&p->patch, path, ko, len, 0644);
		free(path);
		free(ko);
		if (ret)
			return -1;
		meta = installed_meta(p, m);
		path = xasprintf(PKG_LIBDIR "/%s/%s.klpgen-meta", p->kver,
				 m->meta.module);
		ret = pkg_put(&p->patch, path, meta, strlen(meta), 0644);
		free(path);
		free(meta);
		if (ret)
			return -1;
	}
	return 0;
}

static int stage_template(struct pkg_files *f, const char *tmpl,
			  const char *path, unsigned mode)
{
	static const char *const none[] = { NULL };
	char *text = template_load(tmpl, none);
	int ret;

	if (!text)
		return -1;
	ret = pkg_put(f, path, text, strlen(text), mode);
	free(text);
	return ret;
}

int pkg_stage(struct pkg *p, const char *unit_dir)
{
	char *unit = xasprintf("%s/klpgen-patch.service", unit_dir);
	int ret;

	p->patch.root = xasprintf("%s/patch-root", p->work);
	p->loader.root = xasprintf("%s/loader-root", p->work);
	ret = stage_patch(p);
	if (!ret)
		ret = stage_template(&p->loader, "package/klpgen-load",
				     PKG_LIBDIR "/klpgen-load", 0755);
	if (!ret)
		ret = stage_template(&p->loader, "package/klpgen-patch.service",
				     unit, 0644);
	free(unit);
	return ret;
}
