// SPDX-License-Identifier: GPL-2.0
/*
 * After the patched build: create-diff-object on each rebuilt object,
 * the merged explain report, and `klpgen module`.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "klpgen.h"
#include "module.h"

static bool same_contents(const char *a, const char *b)
{
	size_t la, lb;
	char *ta = fs_read_text(a, &la), *tb = fs_read_text(b, &lb);
	bool same = ta && tb && la == lb && !memcmp(ta, tb, la);

	free(ta);
	free(tb);
	return same;
}

static void show_log(const char *path, const char *prefix)
{
	char *t = fs_read_text(path, NULL), *line, *save = NULL;

	if (!t)
		return;
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "%s%s\n", prefix, line);
	free(t);
}

static char *flat_name(const char *obj)
{
	char *f = xstrdup(obj), *c;

	for (c = f; *c; c++)
		if (*c == '/')
			*c = '#';
	return f;
}

/* Returns 0 changed, EXIT_NO_CHANGE, or the failure code. */
static int diff_one(struct build *b, const char *obj, char **cdo)
{
	char *orig = xasprintf("%s/%s", b->orig, obj);
	char *patched = xasprintf("%s/%s", b->patched, obj);
	char *flat = flat_name(obj), *ko = NULL, *objname = NULL;
	char *out = xasprintf("%s/%s", b->work, flat);
	char *json = xasprintf("%s/%s.json", b->work, flat);
	char *log = xasprintf("%s/%s.log", b->work, flat);
	char *argv[16];
	int n = 0, rc, fd;

	if (access(orig, R_OK)) {
		phase_warn("%s is new (no original object): adding whole "
			   "objects is not supported", obj);
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	if (same_contents(orig, patched)) {
		DEBUG("%s: identical after the rebuild", obj);
		rc = EXIT_NO_CHANGE;
		goto out;
	}
	objname = kbuild_owner(b, obj, &ko);
	argv[n++] = *cdo;
	argv[n++] = "-n";
	argv[n++] = objname;
	argv[n++] = "-s";
	argv[n++] = ko ? ko : b->vmlinux;
	argv[n++] = "-S";
	argv[n++] = b->symvers;
	argv[n++] = "--explain";
	argv[n++] = json;
	if (debug_level)
		argv[n++] = "--debug";
	argv[n++] = orig;
	argv[n++] = patched;
	argv[n++] = out;
	argv[n] = NULL;

	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = spawn_run(argv, fd);
	if (fd >= 0)
		close(fd);
	if (debug_level || (rc && rc != EXIT_NO_CHANGE &&
			    rc != EXIT_INTERRUPTED)) {
		phase_warn("%s (%s):", obj, objname);
		show_log(log, "    ");
	}
	if (!rc)
		sl_add_own(&b->diffs, xasprintf("%s=%s", objname, out));
	if (!access(json, R_OK))
		sl_add_own(&b->explains,
			   xasprintf("%s\t%s\t%s", obj, objname, json));
out:
	free(orig);
	free(patched);
	free(flat);
	free(ko);
	free(objname);
	free(out);
	free(json);
	free(log);
	return rc;
}

int kb_diff_objects(struct build *b)
{
	char *cdo = klpgen_sibling_tool("create-diff-object");
	int worst = 0;
	size_t i;

	for (i = 0; i < b->objects.n; i++) {
		int rc = diff_one(b, b->objects.v[i], &cdo);

		if (rc == EXIT_INTERRUPTED) {
			worst = rc;
			break;
		}
		if (rc && rc != EXIT_NO_CHANGE && !worst)
			worst = rc == EXIT_UNSAFE || rc == EXIT_BAD_INPUT ?
				rc : EXIT_INTERNAL;
	}
	free(cdo);
	if (!worst && !b->diffs.n)
		worst = EXIT_NO_CHANGE;
	return worst;
}

/* NAME.explain.json: {"patch":..., "objects":[{..., "report":{cdo's}}]} */
int kb_explain_write(struct build *b)
{
	char *path = xasprintf("%s/%s.explain.json", b->outdir, b->name);
	struct strbuf sb;
	size_t i;
	int ret;

	strbuf_init(&sb);
	strbuf_addf(&sb, "{\n\"patch\": \"%s\",\n\"replace\": %s,\n"
		    "\"objects\": [", b->name, b->replace ? "true" : "false");
	for (i = 0; i < b->explains.n; i++) {
		char *rec = xstrdup(b->explains.v[i]);
		char *obj = rec, *objname = strchr(obj, '\t') + 1;
		char *json = strchr(objname, '\t') + 1;
		char *report;
		size_t len;

		objname[-1] = json[-1] = '\0';
		report = fs_read_text(json, &len);
		while (report && len && (report[len - 1] == '\n' ||
					 report[len - 1] == ' '))
			report[--len] = '\0';
		strbuf_addf(&sb, "%s\n{\"object\": \"%s\", \"objname\": \"%s\", "
			    "\"report\": %s}", i ? "," : "", obj, objname,
			    report && *report ? report : "null");
		free(report);
		free(rec);
	}
	strbuf_addf(&sb, "\n]\n}\n");
	ret = write_file_atomic(path, sb.buf, sb.len, 0644);
	strbuf_free(&sb);
	free(path);
	return ret;
}

int kb_make_module(struct build *b)
{
	struct module_opts o = { 0 };
	struct module_input *mods = NULL, *diffs;
	struct strlist seen = { 0 };
	char *mwork = xasprintf("%s/module", b->work);
	size_t i, nr_mods = 0;
	int rc;

	diffs = xcalloc(b->diffs.n ? b->diffs.n : 1, sizeof(*diffs));
	for (i = 0; i < b->diffs.n; i++) {
		const char *eq = strchr(b->diffs.v[i], '=');

		diffs[i].obj = xstrndup(b->diffs.v[i], eq - b->diffs.v[i]);
		diffs[i].path = xstrdup(eq + 1);
	}
	for (i = 0; i < b->objects.n; i++) {
		char *ko = NULL, *on = kbuild_owner(b, b->objects.v[i], &ko);

		if (ko && !sl_has(&seen, on)) {
			sl_add(&seen, on);
			mods = xrealloc(mods, (nr_mods + 1) * sizeof(*mods));
			mods[nr_mods].obj = on;
			mods[nr_mods++].path = ko;
		} else {
			free(ko);
			free(on);
		}
	}
	o.name = b->name;
	o.kbuild = b->orig;
	o.outdir = b->outdir;
	o.replace = b->replace;
	o.vmlinux = b->vmlinux;
	o.symvers = b->symvers;
	o.mods = mods;
	o.nr_mods = nr_mods;
	o.diffs = diffs;
	o.nr_diffs = b->diffs.n;
	o.work = mwork;
	o.quiet = true;		/* build prints its own summary */
	rc = klpgen_make_module(&o);
	for (i = 0; i < nr_mods; i++) {
		free(mods[i].obj);
		free(mods[i].path);
	}
	for (i = 0; i < b->diffs.n; i++) {
		free(diffs[i].obj);
		free(diffs[i].path);
	}
	free(mods);
	free(diffs);
	sl_free(&seen);
	free(mwork);
	return rc;
}
