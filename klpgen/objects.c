// SPDX-License-Identifier: GPL-2.0
/*
 * Which objects the patches affect, and where each one goes.
 *
 * A changed .c or .S file is its object; any other changed file (a
 * header, a .c that another file #includes) reaches the objects that the
 * compiler read it for, from the dependency index (depindex.c; in
 * targeted mode it is only made when such a file is changed).  Of these,
 * only objects that Kbuild's own lists for this config build into vmlinux
 * or a module count (kbuild_list_dirs()): a .c file of a driver this
 * config leaves out, or the vDSO's user-space objects, are not.
 *
 * Where an object goes is what kbuild compiled it for: -DMODULE and
 * KBUILD_MODNAME in its recorded command line (the original build's
 * .cmd), which must agree with the list it came from (real-obj-m).
 * Symbol positions then come from the running kernel's copy of that
 * module: found through modules.order beside the vmlinux (an O= build),
 * in the -dbg package (with symbols), or installed, and only when its
 * vermagic names the vmlinux's release; else, with a note, the original
 * build's own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "elf.h"
#include "modinfo.h"

/* Files a livepatch cannot carry: the build system, documentation. */
static bool build_file(const char *rel)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	return !strcmp(base, "Makefile") || !strcmp(base, "Kbuild") ||
	       str_starts_with(base, "Kconfig") ||
	       str_starts_with(rel, "Documentation/") ||
	       str_starts_with(rel, "scripts/") || str_starts_with(rel, "tools/");
}

static bool compiled_source(const char *rel)
{
	return (str_ends_with(rel, ".c") && !str_ends_with(rel, ".mod.c")) ||
	       str_ends_with(rel, ".S");
}

static char *object_of(const char *rel)
{
	return xasprintf("%.*s.o", (int)strlen(rel) - 2, rel);
}

/* Keep the candidates kbuild builds for this config; say why others go. */
static int keep_members(struct build *b, struct strlist *cands, bool direct)
{
	struct strlist members = { 0 }, outside = { 0 };
	size_t i;
	int rc;

	if (!cands->n)
		return 0;
	rc = kbuild_list_dirs(b, cands, &members, &b->module_objs);
	if (rc) {
		sl_free(&members);
		return rc;
	}
	for (i = 0; i < cands->n; i++) {
		const char *o = cands->v[i];

		if (sl_has(&members, o)) {
			if (!sl_has(&b->objects, o))
				sl_add(&b->objects, o);
		} else if (direct) {
			phase_warn("note: %.*s.c is not compiled with this "
				   "config", (int)strlen(o) - 2, o);
		} else {
			sl_add(&outside, o);
		}
	}
	/* The vDSO, the real-mode trampoline, the EFI stub: not patchable. */
	if (outside.n)
		phase_warn("note: the change also reaches %zu object%s that "
			   "%s not part of vmlinux or a module (code that runs "
			   "outside the kernel cannot be livepatched): %s%s%s%s",
			   outside.n, outside.n == 1 ? "" : "s",
			   outside.n == 1 ? "is" : "are", outside.v[0],
			   outside.n > 1 ? ", " : "",
			   outside.n > 1 ? outside.v[1] : "",
			   outside.n > 2 ? ", ..." : "");
	sl_free(&outside);
	sl_free(&members);
	return 0;
}

/*
 * Fill b->objects.  Returns 0, -1 when nothing is compiled from the
 * patched files, or an exit code.
 */
int objects_for(struct build *b)
{
	struct strlist direct = { 0 }, rest = { 0 }, found = { 0 };
	const char *have = depindex_available(b);
	size_t i;
	int rc = 0;

	for (i = 0; i < b->touched.n; i++) {
		const char *t = b->touched.v[i];

		if (build_file(t))
			phase_warn("note: %s is not part of any object; its "
				   "change is not in the livepatch", t);
		else if (compiled_source(t))
			sl_add_own(&direct, object_of(t));
	}
	/* An out-of-tree module: its own build's .cmd files say it all. */
	if (!b->oot_ko)
		rc = keep_members(b, &direct, true);
	/* What the direct objects do not cover needs the index. */
	for (i = 0; !rc && i < b->touched.n; i++) {
		const char *t = b->touched.v[i];
		char *o;

		if (build_file(t))
			continue;
		o = compiled_source(t) ? object_of(t) : NULL;
		if (have || !o || !sl_has(&b->objects, o))
			sl_add(&rest, t);
		free(o);
	}
	if (!rc && rest.n) {
		if (!have)
			phase_warn("note: %s is not compiled by itself: making "
				   "the dependency index of this config (once "
				   "per cache entry; minutes)", rest.v[0]);
		rc = depindex_lookup(b, &rest, &found, true);
		for (i = 0; !rc && b->oot_ko && i < found.n; i++)
			if (!sl_has(&b->objects, found.v[i]))
				sl_add(&b->objects, found.v[i]);
		if (!rc && !b->oot_ko)
			rc = keep_members(b, &found, false);
	}
	sl_free(&direct);
	sl_free(&rest);
	sl_free(&found);
	if (rc)
		return rc;
	return b->objects.n ? 0 : -1;
}

/* The command line the original build recorded for @obj, or NULL. */
static char *cmd_file_text(struct build *b, const char *obj)
{
	const char *slash = strrchr(obj, '/');
	char *path = slash ?
		xasprintf("%s/%.*s/.%s.cmd", b->orig, (int)(slash - obj), obj,
			  slash + 1) :
		xasprintf("%s/.%s.cmd", b->orig, obj);
	char *text = fs_read_text(path, NULL);

	free(path);
	return text;
}

/* The release in a .ko's vermagic, or NULL. */
static char *ko_release(const char *ko)
{
	struct elf_file *elf = elf_open(ko);
	char *vermagic = elf ? modinfo_get(elf, "vermagic") : NULL;
	char *ret = vermagic ? modinfo_vermagic_release(vermagic) : NULL;

	free(vermagic);
	elf_close(elf);
	return ret;
}

/*
 * The line of @dir/modules.order naming module @name ("-" and "_" alike),
 * as a path to its .ko: the file lists .ko files up to 6.1 and the
 * modules' .o files since 6.2.
 */
static char *order_entry(const char *dir, const char *name)
{
	char *path = xasprintf("%s/modules.order", dir);
	char *text = fs_read_text(path, NULL), *line, *save = NULL, *ret = NULL;

	free(path);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *base = strrchr(line, '/');
		size_t i, len, stem;

		base = base ? base + 1 : line;
		len = strlen(base);
		if (len > 3 && !strcmp(base + len - 3, ".ko"))
			stem = len - 3;
		else if (len > 2 && !strcmp(base + len - 2, ".o"))
			stem = len - 2;
		else
			continue;
		if (stem != strlen(name))
			continue;
		for (i = 0; i < stem; i++)
			if (base[i] != name[i] && !((base[i] == '-' ||
			    base[i] == '_') && name[i] == '_'))
				break;
		if (i == stem)
			ret = xasprintf("%.*s.ko", (int)(base - line + stem),
					line);
	}
	free(text);
	return ret;
}

static char *usable_ko(struct build *b, const char *dir, const char *rel)
{
	char *ko = xasprintf("%s/%s", dir, rel), *rel_of;

	if (access(ko, R_OK)) {
		free(ko);
		return NULL;
	}
	rel_of = ko_release(ko);
	if (b->krelease && (!rel_of || strcmp(rel_of, b->krelease))) {
		phase_warn("note: %s is for kernel %s, not %s: not used", ko,
			   rel_of ? rel_of : "(no vermagic)", b->krelease);
		free(ko);
		ko = NULL;
	}
	free(rel_of);
	return ko;
}

/* The running kernel's copy of module @name; else the original build's. */
static char *running_ko(struct build *b, const char *name)
{
	char *rel, *ko = NULL;

	rel = order_entry(b->vmdir, name);
	if (rel)
		ko = usable_ko(b, b->vmdir, rel);
	free(rel);
	rel = b->modules ? order_entry(b->modules, name) : NULL;
	if (rel && !ko && b->dbg_modules)
		ko = usable_ko(b, b->dbg_modules, rel);
	if (rel && !ko)
		ko = usable_ko(b, b->modules, rel);
	free(rel);
	if (ko)
		return ko;
	rel = order_entry(b->orig, name);
	if (rel && !b->targeted) {
		ko = xasprintf("%s/%s", b->orig, rel);
		phase_warn("note: no %s.ko of the running kernel found; "
			   "symbol positions taken from %s", name, ko);
	}
	free(rel);
	return ko;
}

struct owner {
	char *obj, *name, *ko;
};
static struct owner *owners;
static size_t nr_owners;

/* "vmlinux" or the module owning @obj; *ko: the running kernel's .ko. */
char *kbuild_owner(struct build *b, const char *obj, char **ko)
{
	struct owner *o;
	char *text, *name;
	const char *cl = NULL;
	size_t i, len = 0;

	if (b->oot_ko)
		return oot_owner(b, ko);
	for (i = 0; i < nr_owners; i++)
		if (!strcmp(owners[i].obj, obj)) {
			*ko = owners[i].ko ? xstrdup(owners[i].ko) : NULL;
			return xstrdup(owners[i].name);
		}
	text = cmd_file_text(b, obj);
	if (text && (cl = strstr(text, " := ")))
		len = strcspn(cl += 4, "\n");
	name = cl ? cmdline_owner(cl, len) : xstrdup("vmlinux");
	free(text);
	if (b->module_objs.n && sl_has(&b->module_objs, obj) !=
	    (strcmp(name, "vmlinux") != 0))
		phase_warn("note: kbuild lists %s as %s, but compiled it for "
			   "%s", obj, sl_has(&b->module_objs, obj) ?
			   "a module object" : "built in", name);
	owners = xrealloc(owners, (nr_owners + 1) * sizeof(*owners));
	o = &owners[nr_owners++];
	o->obj = xstrdup(obj);
	o->name = name;
	o->ko = strcmp(name, "vmlinux") ? running_ko(b, name) : NULL;
	if (!strcmp(name, "?"))
		phase_warn("note: %s is a module object without "
			   "KBUILD_MODNAME", obj);
	*ko = o->ko ? xstrdup(o->ko) : NULL;
	return xstrdup(o->name);
}
