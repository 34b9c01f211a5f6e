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
#include "elf.h"
#include "klpgen.h"
#include "module.h"
#include "objcrcs.h"

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

/*
 * create-diff-object's warnings and notes of a successful run (forced
 * refusals, ignored functions that differ), under one header line.
 */
static void show_notes(const char *path, const char *obj, const char *objname)
{
	char *t = fs_read_text(path, NULL), *line, *save = NULL;
	bool header = false;

	if (!t)
		return;
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, ": warning: ") && !strstr(line, ": note: "))
			continue;
		if (!header)
			phase_warn("%s (%s):", obj, objname);
		header = true;
		fprintf(stderr, "    %s\n", line);
	}
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


static bool defines_global(const struct elf_file *elf, const char *name)
{
	const struct symbol *s;

	for (s = elf ? elf_find_symbol(elf, name) : NULL; s;
	     s = elf_find_symbol_next(elf, s))
		if (s->sec && s->bind != STB_LOCAL)
			return true;
	return false;
}

/* Globals  (patched) defines and  (original) did not. */
static size_t new_globals(const struct elf_file *oe,
			  const struct elf_file *pe, struct strbuf *sb)
{
	size_t i, n = 0;

	for (i = 1; pe && i < pe->nr_syms; i++) {
		const struct symbol *s = pe->syms[i];

		if (!s->sec || s->bind == STB_LOCAL || !s->name[0] ||
		    (s->type != STT_FUNC && s->type != STT_OBJECT &&
		     s->type != STT_NOTYPE) || defines_global(oe, s->name))
			continue;
		strbuf_addf(sb, "%s\n", s->name);
		n++;
	}
	return n;
}

static char *write_list(struct build *b, const char *name,
			struct strbuf *sb, size_t n)
{
	char *path = xasprintf("%s/%s", b->work, name);

	if (n && !write_file_atomic(path, sb->buf, sb->len, 0644)) {
		DEBUG("%zu entries: %s", n, path);
		return path;
	}
	free(path);
	return NULL;
}

/*
 * One pass over the rebuilt objects, for create-diff-object:
 *  - export CRCs the patch changes (an exporter the patched build did not
 *    rebuild kept its CRCs): <work>/crcs.symvers for --crcs;
 *  - globals the patch adds (a new function of cmdline.o that meminfo.o
 *    calls): <work>/patch-symbols for --patch-symbols.
 * Each path is NULL when its list is empty.
 */
static void scan_rebuilt(struct build *b, char **crcs, char **syms,
			 struct strlist *crc_objs)
{
	struct strbuf sb, gl;
	size_t i, j, n = 0, ng = 0;

	strbuf_init(&sb);
	strbuf_init(&gl);
	for (i = 0; i < b->objects.n; i++) {
		char *o = xasprintf("%s/%s", b->orig, b->objects.v[i]);
		char *p = xasprintf("%s/%s", b->patched, b->objects.v[i]);
		struct elf_file *oe = access(o, R_OK) ? NULL :
			elf_open_flags(o, ELF_OPEN_NO_DEBUG_RELOCS);
		struct elf_file *pe = access(p, R_OK) ? NULL :
			elf_open_flags(p, ELF_OPEN_NO_DEBUG_RELOCS);
		struct objcrcs *oc = objcrcs_read(o, oe);
		struct objcrcs *pc = objcrcs_read(p, pe);

		for (j = 0; j < pc->nr; j++) {
			uint32_t crc;

			if (objcrcs_find(oc, pc->v[j].name, &crc) &&
			    crc == pc->v[j].crc)
				continue;
			strbuf_addf(&sb, "0x%08x\t%s\t%s\tEXPORT_SYMBOL\t\n",
				    pc->v[j].crc, pc->v[j].name,
				    b->objects.v[i]);
			n++;
			if (!sl_has(crc_objs, b->objects.v[i]))
				sl_add(crc_objs, b->objects.v[i]);
		}
		DEBUG("%s: %zu export CRCs, %zu in the original", p, pc->nr,
		      oc->nr);
		ng += new_globals(oe, pe, &gl);
		objcrcs_free(oc);
		objcrcs_free(pc);
		elf_close(oe);
		elf_close(pe);
		free(o);
		free(p);
	}
	*crcs = write_list(b, "crcs.symvers", &sb, n);
	*syms = write_list(b, "patch-symbols", &gl, ng);
	strbuf_free(&sb);
	strbuf_free(&gl);
}

/* Returns 0 changed, EXIT_NO_CHANGE, or the failure code. */
static int diff_one(struct build *b, const char *obj, char **cdo,
		    const char *crcs, const char *syms,
		    const struct strlist *crc_objs)
{
	char *orig = xasprintf("%s/%s", b->orig, obj);
	char *patched = xasprintf("%s/%s", b->patched, obj);
	char *flat = flat_name(obj), *ko = NULL, *objname = NULL;
	char *out = xasprintf("%s/%s", b->work, flat);
	char *json = xasprintf("%s/%s.json", b->work, flat);
	char *log = xasprintf("%s/%s.log", b->work, flat);
	char *argv[24];
	int n = 0, rc, fd;

	if (access(orig, R_OK)) {
		phase_warn("%s is new (no original object): adding whole "
			   "objects is not supported", obj);
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	/* identical code, yet an export's CRC changed: cdo refuses that */
	if (same_contents(orig, patched) && !sl_has(crc_objs, obj)) {
		DEBUG("%s: identical after the rebuild", obj);
		rc = EXIT_NO_CHANGE;
		goto out;
	}
	objname = kbuild_owner(b, obj, &ko);
	if (strcmp(objname, "vmlinux") && !ko) {
		/* Its symbol positions are the module's, not the vmlinux's. */
		phase_warn("%s goes into module %s, but no %s.ko of kernel %s "
			   "was found (modules.order beside the vmlinux, in %s, "
			   "in %s): give --modules DIR", obj, objname, objname,
			   b->krelease ? b->krelease : "?",
			   b->dbg_modules ? b->dbg_modules : "the -dbg package",
			   b->modules ? b->modules : "/lib/modules");
		rc = EXIT_BAD_INPUT;
		goto out;
	}
	argv[n++] = *cdo;
	argv[n++] = "-n";
	argv[n++] = objname;
	argv[n++] = "-s";
	argv[n++] = ko ? ko : b->vmlinux;
	argv[n++] = "-S";
	argv[n++] = b->symvers;
	if (ko) {	/* the .ko lacks structs only vmlinux code uses */
		argv[n++] = "--dwarf";
		argv[n++] = b->vmlinux;
	}
	argv[n++] = "--explain";
	argv[n++] = json;
	if (crcs) {
		argv[n++] = "--crcs";
		argv[n++] = (char *)crcs;
	}
	if (syms) {
		argv[n++] = "--patch-symbols";
		argv[n++] = (char *)syms;
	}
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
	} else if (rc == 0 || rc == EXIT_NO_CHANGE) {
		show_notes(log, obj, objname);
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
	struct strlist crc_objs = { 0 };
	char *crcs, *syms;
	int worst = 0;
	size_t i;

	scan_rebuilt(b, &crcs, &syms, &crc_objs);
	for (i = 0; i < b->objects.n; i++) {
		int rc = diff_one(b, b->objects.v[i], &cdo, crcs, syms,
				  &crc_objs);

		if (rc == EXIT_INTERRUPTED) {
			worst = rc;
			break;
		}
		if (rc && rc != EXIT_NO_CHANGE && !worst)
			worst = rc == EXIT_UNSAFE || rc == EXIT_BAD_INPUT ?
				rc : EXIT_INTERNAL;
	}
	free(cdo);
	free(crcs);
	free(syms);
	sl_free(&crc_objs);
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

/* A patch as .klpgen.meta names it: its file name, one printable token. */
static char *patch_record(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *name = xstrndup(slash ? slash + 1 : path, 255), *c;

	for (c = name; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			*c = '_';
	return name;
}

/* The modules the objects go into, with the running kernel's .ko each. */
static size_t module_inputs(struct build *b, struct module_input **out)
{
	struct module_input *mods = NULL;
	struct strlist seen = { 0 };
	size_t i, nr = 0;

	for (i = 0; i < b->objects.n; i++) {
		char *ko = NULL, *on = kbuild_owner(b, b->objects.v[i], &ko);

		if (ko && !sl_has(&seen, on)) {
			sl_add(&seen, on);
			mods = xrealloc(mods, (nr + 1) * sizeof(*mods));
			mods[nr].obj = on;
			mods[nr++].path = ko;
		} else {
			free(ko);
			free(on);
		}
	}
	sl_free(&seen);
	*out = mods;
	return nr;
}

/*
 * The module (klpgen_make_module(), in-process) against the module tree
 * (kbuild_module_tree()), into the work directory, and signed there when
 * asked: kb_publish_module() then writes it to the output directory in one
 * rename, so no unsigned or partial NAME.ko is ever there.
 */
int kb_make_module(struct build *b)
{
	struct module_opts o = { 0 };
	struct module_input *mods = NULL, *diffs;
	struct strlist patches = { 0 };
	char *mwork = xasprintf("%s/module", b->work);
	char *built = xasprintf("%s/%s.ko", b->work, b->name);
	char *tree = b->kbuild ? NULL : kbuild_module_tree(b);
	size_t i, nr_mods;
	int rc = b->kbuild || tree ? 0 : EXIT_INTERNAL;

	diffs = xcalloc(b->diffs.n ? b->diffs.n : 1, sizeof(*diffs));
	for (i = 0; i < b->diffs.n; i++) {
		const char *eq = strchr(b->diffs.v[i], '=');

		diffs[i].obj = xstrndup(b->diffs.v[i], eq - b->diffs.v[i]);
		diffs[i].path = xstrdup(eq + 1);
	}
	nr_mods = module_inputs(b, &mods);
	o.name = b->name;
	o.kbuild = b->kbuild ? b->kbuild : tree;
	o.outdir = b->work;	/* kb_publish_module() writes OUTDIR/NAME.ko */
	o.replace = b->replace;
	o.vmlinux = b->vmlinux;
	o.symvers = b->symvers;
	o.mods = mods;
	o.nr_mods = nr_mods;
	o.diffs = diffs;
	o.nr_diffs = b->diffs.n;
	o.work = mwork;
	o.quiet = true;		/* build prints its own summary */
	o.version = b->version;
	for (i = 0; i < b->patches.n; i++)
		sl_add_own(&patches, patch_record(b->patches.v[i]));
	o.patches = patches.v;
	o.nr_patches = patches.n;
	if (!rc)
		rc = klpgen_make_module(&o);
	if (!rc && b->sign_key)
		rc = sign_module(b, built);
	module_inputs_free(mods, nr_mods);
	module_inputs_free(diffs, b->diffs.n);
	sl_free(&patches);
	free(mwork);
	free(built);
	free(tree);
	return rc;
}
