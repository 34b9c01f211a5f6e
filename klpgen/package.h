/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen package: livepatch modules -> an RPM or a Debian package, plus
 * the package of the boot-time loader they depend on.  One concern per file:
 *   package.c        the command line, the run (work directory, outputs)
 *   package-info.c   what the modules say: .klpgen.meta, vermagic, arch;
 *                    name, version, release; the rendered description
 *   package-stage.c  the payload trees (fixed modes and times)
 *   package-rpm.c    the specs, rpmbuild
 *   package-deb.c    control files, maintainer scripts, dpkg-deb
 * The templates are in templates/package/; man klpgen-package(1).
 */
#ifndef KLPGEN_PACKAGE_H
#define KLPGEN_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "klpgen-meta.h"
#include "strlist.h"

enum pkg_format { PKG_RPM, PKG_DEB };

struct pkg_opts {
	enum pkg_format format;
	const char *version;	/* NULL: the modules' version record */
	const char *release;	/* NULL: "1" */
	const char *name;	/* NULL: klpgen-patch-<kver> */
	const char *outdir;	/* NULL: "." */
	const char *maintainer;	/* NULL: $DEBFULLNAME <$DEBEMAIL>, else ours */
	char **modules;
	size_t nr_modules;
	struct strlist *written;	/* the paths written go here; NULL: printed */
};

/* "rpm" or "deb" into *f; false for anything else. */
bool pkg_format_parse(const char *s, enum pkg_format *f);
/* Build the packages of @o into its outdir; an exit code of util.h. */
int pkg_build(const struct pkg_opts *o);
/*
 * The version of a module nobody gave one: 0.YYYYMMDDHHMMSS (UTC) of
 * $SOURCE_DATE_EPOCH, else of now, so that later builds sort later;
 * NULL after a message when SOURCE_DATE_EPOCH is malformed.
 */
char *pkg_default_version(void);
/* A version (@release false) or release that RPM and dpkg both accept? */
bool pkg_version_ok(const char *v, bool release);

/*
 * The loader package (klpgen-load + klpgen-patch.service), shared by
 * every livepatch package.  Its version and date are fixed so that it is
 * the same package whichever patch it was built with: bump both when
 * templates/package/klpgen-load, klpgen-patch.service or klpgen-loader.*
 * change.
 */
#define PKG_LOADER_NAME		"klpgen-loader"
#define PKG_LOADER_VERSION	"1"
#define PKG_LOADER_EPOCH	1767225600LL	/* 2026-01-01 00:00:00 UTC */
/* Where packages put modules (PKG_LIBDIR/<kver>/) and klpgen-load. */
#define PKG_LIBDIR		"/usr/lib/klpgen"

/* Internals shared by the package-*.c files. */
struct pkg_module {
	char *path;		/* as given */
	char *kver;		/* the release of its vermagic */
	struct klpgen_meta meta;
};

struct pkg_files {
	char *root;		/* the payload tree, in the work directory */
	char **paths;		/* absolute in the package; dirs end in '/' */
	size_t nr;
};

struct pkg {
	const struct pkg_opts *o;
	struct pkg_module *mods;
	size_t nr_mods;
	char *kver;
	char *name, *version, *release;
	const char *rpm_arch, *deb_arch;
	char *maintainer;
	long long epoch;	/* SOURCE_DATE_EPOCH, else now */
	char *work;		/* per run, removed at exit */
	char *outdir;		/* absolute */
	struct pkg_files patch, loader;
	char *modules_list;	/* "klp_a klp_b" */
	char *summary;		/* one line */
	char *description;	/* lines, none over 79 columns */
	char *log;		/* the tools' output, in work */
	int logfd;
};

/* package-info.c */
int pkg_read_modules(struct pkg *p);
void pkg_describe(struct pkg *p);
/* @s with the characters of @from replaced by @to (malloc'd). */
char *pkg_subst(const char *s, const char *from, char to);

/* package-stage.c */
/* The payload trees of both packages; @unit_dir: where systemd units go. */
int pkg_stage(struct pkg *p, const char *unit_dir);
/* Add @path (absolute in the package) with @len bytes of @data, mode @mode. */
int pkg_put(struct pkg_files *f, const char *path, const void *data,
	    size_t len, unsigned mode);
/* Every directory 0755 and every mtime @epoch under @f's root. */
int pkg_clamp_times(const struct pkg_files *f, long long epoch);
/* @epoch as an RPM %changelog date (@rpm) or RFC 2822 (malloc'd). */
char *pkg_date(long long epoch, bool rpm);

/* package-rpm.c / package-deb.c: build both packages into p->work. */
int pkg_build_rpm(struct pkg *p);
int pkg_build_deb(struct pkg *p);
/* package.c: move @file of the work directory to the output directory. */
int pkg_output(struct pkg *p, const char *file);
/* package.c: run @argv with its output in the log; 0 or after a message. */
int pkg_run(struct pkg *p, char *const argv[], const char *what);

#endif
