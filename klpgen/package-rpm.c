// SPDX-License-Identifier: GPL-2.0
/*
 * The RPMs: a spec per package from templates/package/ (*.spec.in), built by
 * rpmbuild -bb in the work directory with nothing of the host's own
 * configuration (~/.rpmmacros, build host name, time) in the result:
 * HOME is the work directory, the build host is "klpgen", the build time
 * and every file time are the package's date (SOURCE_DATE_EPOCH).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "package.h"
#include "template.h"

/* Text for a spec: '%' would start a macro. */
static char *spec_escape(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (; *s; s++) {
		if (*s == '%')
			strbuf_add(&sb, "%", 1);
		strbuf_add(&sb, s, 1);
	}
	strbuf_add(&sb, "", 1);
	return sb.buf;
}

/* The %files lines of @f: directories with %dir. */
static char *files_list(const struct pkg_files *f, const char *owned_dir)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%%dir %s\n", owned_dir);
	for (i = 0; i < f->nr; i++)
		strbuf_addf(&sb, "%s\n", f->paths[i]);
	strbuf_add(&sb, "", 1);
	return sb.buf;
}

/* Paths go into the spec unquoted by rpm's macro engine: keep them plain. */
static bool spec_path_ok(const char *path)
{
	return strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789/._+-") == strlen(path);
}

static int write_spec(const char *tmpl, const char *spec,
		      const char *const *vars)
{
	char *text = template_load(tmpl, vars);
	int ret;

	if (!text)
		return -1;
	ret = write_file_atomic(spec, text, strlen(text), 0644);
	free(text);
	return ret;
}

static int rpmbuild(struct pkg *p, const char *spec, long long epoch,
		    const char *target)
{
	struct strlist argv = { 0 };
	char *dir = xasprintf("%s/rpm/tmp", p->work);
	int ret = fs_mkdir_p(dir);

	sl_add(&argv, "env");
	sl_add_own(&argv, xasprintf("HOME=%s", p->work));
	sl_add_own(&argv, xasprintf("SOURCE_DATE_EPOCH=%lld", epoch));
	sl_add(&argv, "LC_ALL=C");
	sl_add(&argv, "TZ=UTC");
	sl_add(&argv, "rpmbuild");
	sl_add(&argv, "--quiet");
	sl_add(&argv, "--define");
	sl_add_own(&argv, xasprintf("_topdir %s/rpm", p->work));
	sl_add(&argv, "--define");
	sl_add_own(&argv, xasprintf("_tmppath %s", dir));
	sl_add(&argv, "--define");
	sl_add_own(&argv, xasprintf("_rpmdir %s/out", p->work));
	sl_add(&argv, "--define");
	sl_add(&argv, "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm");
	if (target) {
		sl_add(&argv, "--target");
		sl_add(&argv, target);
	}
	sl_add(&argv, "-bb");
	sl_add(&argv, spec);
	if (!ret)
		ret = pkg_run(p, argv.v, "rpmbuild");
	else
		WARN("%s: %s", dir, strerror(errno));
	sl_free(&argv);
	free(dir);
	return ret;
}

static int build_patch(struct pkg *p)
{
	char *spec = xasprintf("%s/%s.spec", p->work, p->name);
	char *desc = spec_escape(p->description);
	char *summary = spec_escape(p->summary);
	char *maint = spec_escape(p->maintainer);
	char *dir = xasprintf(PKG_LIBDIR "/%s", p->kver);
	char *files = files_list(&p->patch, dir);
	char *file = xasprintf("%s-%s-%s.%s.rpm", p->name, p->version,
			       p->release, p->rpm_arch);
	char *date = pkg_date(p->epoch, true);
	const char *const vars[] = {
		"NAME", p->name, "VERSION", p->version, "RELEASE", p->release,
		"SUMMARY", summary, "DESCRIPTION", desc, "MAINTAINER", maint,
		"ARCH", p->rpm_arch, "KVER", p->kver, "MODULES", p->modules_list,
		"LOADER", PKG_LOADER_NAME, "LOADER_VERSION", PKG_LOADER_VERSION,
		"STAGE", p->patch.root, "FILES", files, "CHANGELOG_DATE", date,
		NULL,
	};
	int ret = write_spec("package/klpgen-patch.spec.in", spec, vars);

	if (!ret)
		ret = rpmbuild(p, spec, p->epoch, p->rpm_arch);
	if (!ret)
		ret = pkg_output(p, file);
	free(spec);
	free(desc);
	free(summary);
	free(maint);
	free(dir);
	free(date);
	free(files);
	free(file);
	return ret;
}

static int build_loader(struct pkg *p)
{
	char *maint = spec_escape(p->maintainer);
	char *spec = xasprintf("%s/%s.spec", p->work, PKG_LOADER_NAME);
	char *files = files_list(&p->loader, PKG_LIBDIR);
	char *file = xasprintf("%s-%s-1.noarch.rpm", PKG_LOADER_NAME,
			       PKG_LOADER_VERSION);
	char *date = pkg_date(PKG_LOADER_EPOCH, true);
	const char *const vars[] = {
		"LOADER", PKG_LOADER_NAME, "LOADER_VERSION", PKG_LOADER_VERSION,
		"MAINTAINER", maint, "STAGE", p->loader.root, "FILES", files, 
		"CHANGELOG_DATE", date, NULL,
	};
	int ret = write_spec("package/klpgen-loader.spec.in", spec, vars);

	if (!ret)
		ret = rpmbuild(p, spec, PKG_LOADER_EPOCH, NULL);
	if (!ret)
		ret = pkg_output(p, file);
	free(maint);
	free(date);
	free(spec);
	free(files);
	free(file);
	return ret;
}

int pkg_build_rpm(struct pkg *p)
{
	int ret;

	if (!spec_path_ok(p->work)) {
		WARN("work directory %s: rpmbuild would read its characters as "
		     "macros; set TMPDIR to a plain path", p->work);
		return -1;
	}
	if (pkg_clamp_times(&p->patch, p->epoch) < 0 ||
	    pkg_clamp_times(&p->loader, PKG_LOADER_EPOCH) < 0)
		return -1;
	ret = build_patch(p);
	if (!ret)
		ret = build_loader(p);
	return ret;
}
