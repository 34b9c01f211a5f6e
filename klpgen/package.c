// SPDX-License-Identifier: GPL-2.0
/*
 * klpgen package: the command line and one run.
 *
 * A run reads the modules (package-info.c), stages the payloads
 * (package-stage.c), has rpmbuild or dpkg-deb build the livepatch package
 * and the loader package in a private work directory, then writes both to
 * the output directory atomically.  The work directory,
 * $TMPDIR/klpgen-package.XXXXXX, is removed on every exit path; one left
 * by a killed run (its lock is free) is removed by the next run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "build.h"
#include "cmdline.h"
#include "klpgen.h"
#include "package.h"

bool pkg_format_parse(const char *s, enum pkg_format *f)
{
	if (!strcmp(s, "rpm"))
		*f = PKG_RPM;
	else if (!strcmp(s, "deb"))
		*f = PKG_DEB;
	else
		return false;
	return true;
}

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/* Work directories of killed runs: their lock is free. */
static void remove_stale_work(void)
{
	struct strlist names = { 0 };
	size_t i;

	if (fs_list_dir(tmp_dir(), &names) < 0)
		return;
	for (i = 0; i < names.n; i++) {
		char *dir, *lock;
		int fd;

		if (!str_starts_with(names.v[i], "klpgen-package."))
			continue;
		dir = xasprintf("%s/%s", tmp_dir(), names.v[i]);
		lock = xasprintf("%s/lock", dir);
		fd = open(lock, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB))
			fs_remove_tree(dir);
		if (fd >= 0)
			close(fd);
		free(lock);
		free(dir);
	}
	sl_free(&names);
}

static int make_work(struct pkg *p)
{
	char *lock;
	int fd;

	remove_stale_work();
	p->work = xasprintf("%s/klpgen-package.XXXXXX", tmp_dir());
	if (!mkdtemp(p->work)) {
		WARN("%s: %s", p->work, strerror(errno));
		free(p->work);
		p->work = NULL;
		return -1;
	}
	/* Held until we exit, however we exit. */
	lock = xasprintf("%s/lock", p->work);
	fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		WARN("%s: %s", p->work, strerror(errno));
		return -1;
	}
	p->log = xasprintf("%s/tools.log", p->work);
	p->logfd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);
	if (p->logfd < 0) {
		WARN("%s: %s", p->log, strerror(errno));
		return -1;
	}
	return 0;
}

int pkg_run(struct pkg *p, char *const argv[], const char *what)
{
	int rc = spawn_run(argv, p->logfd);

	if (rc == EXIT_INTERRUPTED || !rc)
		return rc;
	if (rc == 127 || rc < 0)
		WARN("cannot run %s (is it installed? scripts/install-deps "
		     "installs it)", argv[0]);
	else
		WARN("%s failed (exit %d); last lines of its output:", what, rc);
	kb_log_tail(p->log, 20);
	return -1;
}

int pkg_output(struct pkg *p, const char *file)
{
	char *from = xasprintf("%s/out/%s", p->work, file);
	char *to = xasprintf("%s/%s", p->outdir, file);
	size_t len;
	char *data = fs_read_text(from, &len);
	int ret = -1;

	if (!data)
		WARN("%s: not written by the package tool", from);
	else
		ret = write_file_atomic(to, data, len, 0644);
	if (!ret && p->o->written)
		sl_add(p->o->written, to);
	else if (!ret)
		printf("wrote %s\n", to);
	free(data);
	free(from);
	free(to);
	return ret;
}

static int make_outdir(struct pkg *p)
{
	const char *dir = p->o->outdir ? p->o->outdir : ".";

	if (fs_mkdir_p(dir) < 0 || !(p->outdir = realpath(dir, NULL))) {
		WARN("output directory %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void pkg_free(struct pkg *p)
{
	size_t i;

	for (i = 0; i < p->nr_mods; i++) {
		free(p->mods[i].path);
		free(p->mods[i].kver);
		meta_free(&p->mods[i].meta);
	}
	free(p->mods);
	for (i = 0; i < p->patch.nr; i++)
		free(p->patch.paths[i]);
	for (i = 0; i < p->loader.nr; i++)
		free(p->loader.paths[i]);
	free(p->patch.paths);
	free(p->loader.paths);
	free(p->patch.root);
	free(p->loader.root);
	free(p->kver);
	free(p->name);
	free(p->version);
	free(p->release);
	free(p->maintainer);
	free(p->outdir);
	free(p->modules_list);
	free(p->summary);
	free(p->description);
	free(p->log);
	free(p->work);
}

int pkg_build(const struct pkg_opts *o)
{
	struct pkg p = { .o = o, .logfd = -1 };
	int ret = EXIT_BAD_INPUT;

	if (!o->nr_modules) {
		WARN("no module given (see klpgen package --help)");
		return EXIT_BAD_INPUT;
	}
	if (pkg_read_modules(&p) < 0 || make_outdir(&p) < 0)
		goto out;
	ret = EXIT_INTERNAL;
	if (make_work(&p) < 0)
		goto out;
	pkg_describe(&p);
	if (pkg_stage(&p, o->format == PKG_RPM ? "/usr/lib/systemd/system" :
		      "/lib/systemd/system") < 0)
		goto out;
	ret = o->format == PKG_RPM ? pkg_build_rpm(&p) : pkg_build_deb(&p);
	if (ret && ret != EXIT_INTERRUPTED)
		ret = EXIT_INTERNAL;
out:
	if (spawn_interrupted)
		ret = EXIT_INTERRUPTED;
	if (p.logfd >= 0)
		close(p.logfd);
	if (p.work)
		fs_remove_tree(p.work);
	pkg_free(&p);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: klpgen package --format rpm|deb [options] MODULE.ko...\n"
"\n"
"Package livepatch modules built by klpgen for one kernel, with the package\n"
"of the boot-time loader (klpgen-loader) they depend on.\n"
"\n"
"  -f, --format rpm|deb    an RPM (rpmbuild) or a Debian package (dpkg-deb)\n"
"      --version V         package version (default: the modules' version\n"
"                          record, else 0.YYYYMMDDHHMMSS of $SOURCE_DATE_EPOCH\n"
"                          or now)\n"
"      --release R         package release (default: 1)\n"
"  -n, --name N            package name (default: klpgen-patch-<kernel release>,\n"
"                          '.' and '-' as '_' for RPM)\n"
"  -o, --output DIR        where the packages go (default: .)\n"
"      --maintainer M      'Name <address>' (default: $DEBFULLNAME <$DEBEMAIL>)\n"
"  -h, --help              this text\n"
"\n"
"exit: 0 written, 2 bad input, 130 interrupted, 1 other errors.\n"
"See klpgen-package(1).\n");
}

int cmd_package(int argc, char **argv)
{
	enum { OPT_VERSION = 256, OPT_RELEASE, OPT_MAINTAINER };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "maintainer", required_argument, NULL, OPT_MAINTAINER },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pkg_opts o = { 0 };
	bool have_format = false;
	int c;

	while ((c = cmd_getopt(argc, argv, "f:n:o:h", longopts, usage)) != -1) {
		switch (c) {
		case 'f':
			if (!pkg_format_parse(optarg, &o.format))
				die_code(EXIT_BAD_INPUT, "--format %s: rpm or deb",
					 optarg);
			have_format = true;
			break;
		case OPT_VERSION: o.version = optarg; break;
		case OPT_RELEASE: o.release = optarg; break;
		case 'n': o.name = optarg; break;
		case 'o': o.outdir = optarg; break;
		case OPT_MAINTAINER: o.maintainer = optarg; break;
		}
	}
	if (!have_format)
		die_code(EXIT_BAD_INPUT, "no --format rpm|deb (see klpgen "
			 "package --help)");
	o.modules = argv + optind;
	o.nr_modules = argc - optind;
	spawn_signals_install();
	return pkg_build(&o);
}

void kb_package_check(struct build *b)
{
	enum pkg_format f;

	if (b->package && !pkg_format_parse(b->package, &f))
		die_code(EXIT_BAD_INPUT, "--package %s: rpm or deb", b->package);
	if (b->version && !pkg_version_ok(b->version, false))
		die_code(EXIT_BAD_INPUT, "--version '%s': it must start with a "
			 "digit and hold only letters, digits, '.', '+' and '~'",
			 b->version);
	if (b->release && !pkg_version_ok(b->release, true))
		die_code(EXIT_BAD_INPUT, "--release '%s': letters, digits, '.', "
			 "'+' and '~' only", b->release);
	if (b->release && !b->package)
		die_code(EXIT_BAD_INPUT, "--release goes with --package");
	if (!b->version && !(b->version = pkg_default_version()))
		exit(EXIT_BAD_INPUT);	/* pkg_default_version() said why */
}

int kb_package(struct build *b)
{
	struct strlist written = { 0 };
	char *ko = xasprintf("%s/%s.ko", b->outdir, b->name);
	struct pkg_opts o = {
		.version = b->version, .release = b->release,
		.outdir = b->outdir, .modules = &ko, .nr_modules = 1,
		.written = &written,
	};
	size_t i;
	int rc;

	pkg_format_parse(b->package, &o.format);
	phase_begin("packaging");
	rc = pkg_build(&o);
	if (rc) {
		phase_end(NULL);
		WARN("packaging %s failed; the module is written", ko);
	} else {
		phase_end(b->package);
		for (i = 0; i < written.n; i++)
			printf("  %-20s%s\n", i ? "" : "package", written.v[i]);
	}
	sl_free(&written);
	free(ko);
	return rc;
}
