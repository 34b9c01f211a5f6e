// SPDX-License-Identifier: GPL-2.0
/*
 * The Debian packages: the payload trees get their documentation
 * (copyright, a one-entry changelog, gzip -9n), DEBIAN/ gets control,
 * md5sums and the maintainer scripts from templates/package/, and
 * dpkg-deb --root-owner-group builds each tree.  SOURCE_DATE_EPOCH sets
 * the ar and tar times, and every file time is the package's date, so the
 * same inputs give the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "build.h"
#include "package.h"
#include "template.h"

/* The bytes of "gzip -9n": no name, no time (zlib's default header). */
static char *gzip_text(const char *text, size_t *out_len)
{
	size_t len = strlen(text), cap = compressBound(len) + 64;
	char *out = xmalloc(cap);
	z_stream zs = { 0 };

	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		DIE("zlib: deflateInit2 failed");
	zs.next_in = (unsigned char *)text;
	zs.avail_in = len;
	zs.next_out = (unsigned char *)out;
	zs.avail_out = cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		DIE("zlib: deflate failed");
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* The description as control wants it: " " before each line, " ." blank. */
static char *control_description(const char *text)
{
	struct strbuf sb;
	const char *p = text, *nl;

	strbuf_init(&sb);
	while (*p) {
		nl = strchrnul(p, '\n');
		if (nl == p)
			strbuf_add(&sb, " .", 2);
		else
			strbuf_addf(&sb, " %.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		if (*p || *nl)
			strbuf_add(&sb, "\n", 1);
	}
	strbuf_add(&sb, "", 1);
	return sb.buf;
}

/* /usr/share/doc/NAME/{copyright,changelog[.Debian].gz} */
static int add_docs(struct pkg *p, struct pkg_files *f, const char *name,
		    const char *fullversion, const char *what,
		    const char *changelog, long long epoch)
{
	char *date = pkg_date(epoch, false), *copyright, *log, *gz, *path;
	char year[8];
	const char *const vars[] = {
		"NAME", name, "FULLVERSION", fullversion, "WHAT", what,
		"MAINTAINER", p->maintainer, "DATE", date, "YEAR", year, NULL,
	};
	size_t len;
	int ret = -1;

	snprintf(year, sizeof(year), "%.4s", date + 12);
	copyright = template_load("package/deb-copyright.in", vars);
	log = template_load("package/deb-changelog.in", vars);
	if (copyright && log) {
		path = xasprintf("/usr/share/doc/%s/copyright", name);
		ret = pkg_put(f, path, copyright, strlen(copyright), 0644);
		free(path);
	}
	if (!ret) {
		gz = gzip_text(log, &len);
		path = xasprintf("/usr/share/doc/%s/%s", name, changelog);
		ret = pkg_put(f, path, gz, len, 0644);
		free(path);
		free(gz);
	}
	free(copyright);
	free(log);
	free(date);
	return ret;
}

/* DEBIAN/@name: not part of the payload list. */
static int put_control(const struct pkg_files *f, const char *name,
		       const char *text, unsigned mode)
{
	char *dir = xasprintf("%s/DEBIAN", f->root);
	char *path = xasprintf("%s/%s", dir, name);
	int ret = fs_mkdir_p(dir);

	if (!ret)
		ret = write_file_atomic(path, text, strlen(text), mode);
	if (!ret && chmod(path, mode) < 0)
		ret = -1;
	if (ret)
		WARN("%s: %s", path, strerror(errno));
	free(dir);
	free(path);
	return ret;
}

static int put_template(const struct pkg_files *f, const char *name,
			const char *tmpl, const char *const *vars,
			unsigned mode)
{
	char *text = template_load(tmpl, vars);
	int ret = text ? put_control(f, name, text, mode) : -1;

	free(text);
	return ret;
}

/* DEBIAN/md5sums, by md5sum(1), and the Installed-Size in KiB. */
static int md5sums(const struct pkg_files *f, char **size)
{
	struct strlist argv = { 0 };
	struct strbuf sums;
	unsigned long kib = 0;
	char *out, *line, *next, *prefix = xasprintf("%s/", f->root);
	size_t i;
	int rc;

	sl_add(&argv, "md5sum");
	sl_add(&argv, "--");
	for (i = 0; i < f->nr; i++) {
		struct stat st;
		char *full = xasprintf("%s%s", f->root, f->paths[i]);

		if (!stat(full, &st))
			kib += (st.st_size + 1023) / 1024;
		sl_add_own(&argv, full);
	}
	rc = spawn_capture(argv.v, &out);
	sl_free(&argv);
	if (rc) {
		WARN("md5sum failed (exit %d)", rc);
		free(out);
		free(prefix);
		return rc == EXIT_INTERRUPTED ? rc : -1;
	}
	/* "HASH  ROOT/usr/..." -> "HASH  usr/..." */
	strbuf_init(&sums);
	for (line = out; *line; line = next) {
		char *path = strstr(line, "  ");

		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (!path || !str_starts_with(path + 2, prefix))
			continue;
		strbuf_addf(&sums, "%.*s  %s\n", (int)(path - line), line,
			    path + 2 + strlen(prefix));
	}
	strbuf_add(&sums, "", 1);
	rc = put_control(f, "md5sums", sums.buf, 0644);
	strbuf_free(&sums);
	free(out);
	free(prefix);
	*size = xasprintf("%lu", kib);
	return rc;
}

static int dpkg_deb(struct pkg *p, const struct pkg_files *f,
		    const char *file, long long epoch)
{
	struct strlist argv = { 0 };
	char *outdir = xasprintf("%s/out", p->work);
	int ret = fs_mkdir_p(outdir);

	sl_add(&argv, "env");
	sl_add_own(&argv, xasprintf("SOURCE_DATE_EPOCH=%lld", epoch));
	sl_add(&argv, "LC_ALL=C");
	sl_add(&argv, "dpkg-deb");
	sl_add(&argv, "--root-owner-group");
	sl_add(&argv, "-Zxz");
	sl_add(&argv, "--build");
	sl_add(&argv, f->root);
	sl_add_own(&argv, xasprintf("%s/%s", outdir, file));
	if (!ret && pkg_clamp_times(f, epoch) < 0)
		ret = -1;
	if (!ret)
		ret = pkg_run(p, argv.v, "dpkg-deb");
	if (!ret)
		ret = pkg_output(p, file);
	sl_free(&argv);
	free(outdir);
	return ret;
}

static int build_patch(struct pkg *p)
{
	char *full = xasprintf("%s-%s", p->version, p->release);
	char *what = xasprintf("Livepatch %s for Linux %s", p->modules_list,
			       p->kver);
	char *desc = control_description(p->description), *size = NULL;
	char *file = xasprintf("%s_%s_%s.deb", p->name, full, p->deb_arch);
	int ret = add_docs(p, &p->patch, p->name, full, what,
			   "changelog.Debian.gz", p->epoch);

	if (!ret)
		ret = md5sums(&p->patch, &size);
	if (!ret) {
		const char *const vars[] = {
			"NAME", p->name, "VERSION", p->version, "RELEASE",
			p->release, "ARCH", p->deb_arch, "MAINTAINER",
			p->maintainer, "SIZE", size, "KVER", p->kver,
			"LOADER", PKG_LOADER_NAME, "LOADER_VERSION",
			PKG_LOADER_VERSION, "SUMMARY", p->summary,
			"DESCRIPTION", desc, "MODULES", p->modules_list, NULL,
		};

		ret = put_template(&p->patch, "control",
				   "package/deb-control.in", vars, 0644);
		if (!ret)
			ret = put_template(&p->patch, "postinst",
					   "package/deb-postinst.in", vars, 0755);
		if (!ret)
			ret = put_template(&p->patch, "prerm",
					   "package/deb-prerm.in", vars, 0755);
	}
	if (!ret)
		ret = dpkg_deb(p, &p->patch, file, p->epoch);
	free(full);
	free(what);
	free(desc);
	free(size);
	free(file);
	return ret;
}

static int build_loader(struct pkg *p)
{
	char *size = NULL;
	char *file = xasprintf("%s_%s_all.deb", PKG_LOADER_NAME,
			       PKG_LOADER_VERSION);
	int ret = add_docs(p, &p->loader, PKG_LOADER_NAME, PKG_LOADER_VERSION,
			   "The boot-time loader of klpgen livepatches",
			   "changelog.gz", PKG_LOADER_EPOCH);

	if (!ret)
		ret = md5sums(&p->loader, &size);
	if (!ret) {
		const char *const vars[] = {
			"LOADER", PKG_LOADER_NAME, "LOADER_VERSION",
			PKG_LOADER_VERSION, "MAINTAINER", p->maintainer,
			"SIZE", size, NULL,
		};

		ret = put_template(&p->loader, "control",
				   "package/loader-control.in", vars, 0644);
		if (!ret)
			ret = put_template(&p->loader, "postinst",
					   "package/loader-postinst", vars, 0755);
		if (!ret)
			ret = put_template(&p->loader, "postrm",
					   "package/loader-postrm", vars, 0755);
	}
	if (!ret)
		ret = dpkg_deb(p, &p->loader, file, PKG_LOADER_EPOCH);
	free(size);
	free(file);
	return ret;
}

int pkg_build_deb(struct pkg *p)
{
	int ret = build_patch(p);

	if (!ret)
		ret = build_loader(p);
	return ret;
}
