// SPDX-License-Identifier: GPL-2.0
/*
 * The annotations of kpatch-macros.h, read from PATCHED.
 *
 *   .kpatch.ignore.functions  pointers to functions: left out of the
 *                             comparison (verdict "ignored", never patched),
 *                             with their .cold/.part clones
 *   .kpatch.ignore.sections   pointers to section names: every function in
 *                             such a section is ignored the same way, and
 *                             data in it is not checked (refuse.c) nor
 *                             refused as an unknown special section
 *   .kpatch.force             pointers to functions: a refusal whose
 *                             message names one becomes a warning; what it
 *                             refused stays out of the diff object
 *   .kpatch.callbacks.<kind>  { fn, objname } records of kpatch's own
 *                             header: each becomes the callback alias
 *                             klpgen-patch.h makes ("__klpgen_cb_<kind>_<fn>"),
 *                             so one mechanism carries both
 *
 * None of these sections is ever copied to the output.  Forcing ends before
 * the loader-order hazards and the output are checked: a module with a
 * klp relocation the kernel applies too late, or a reference to a symbol
 * the running kernel lacks, cannot work whatever the author says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"
#include "klpgen-meta.h"

struct kpatch {
	struct func **ignored;		/* named by KPATCH_IGNORE_FUNCTION */
	size_t nr_ignored;
	const char **ignored_secs;		/* named by KPATCH_IGNORE_SECTION */
	size_t nr_ignored_secs;
	struct func **forced;		/* named by KPATCH_FORCE_UNSAFE */
	size_t nr_forced;
	char **forgiven;		/* refusals turned into warnings */
	size_t nr_forgiven;
	bool forcing;
};

static struct kpatch *K(struct cdo *c)
{
	return c->kpatch;
}

static void push(void *vec, size_t *nr, void *item)
{
	void ***v = vec;

	*v = xrealloc(*v, (*nr + 1) * sizeof(**v));
	(*v)[(*nr)++] = item;
}

static void bad_entry(struct cdo *c, const struct section *sec, size_t idx,
		      const char *why)
{
	die_code(EXIT_BAD_INPUT, "%s: section %s: entry %zu %s", c->patched_path,
		 sec->name, idx, why);
}

/* What the pointer at @off of @sec points at. */
static void record_target(struct cdo *c, struct section *sec, size_t idx,
			  uint64_t off, struct target *t)
{
	struct reloc *r = elf_find_reloc(sec, off, arch_ptr_size());

	if (!r || r->offset != off || !arch_reloc_is_abs64(r->type))
		bad_entry(c, sec, idx, "is not a pointer (no 64-bit absolute relocation)");
	reloc_target(c->patched, sec, r, t);
}

static struct func *record_func(struct cdo *c, struct section *sec,
				size_t idx, uint64_t off)
{
	struct target t;
	struct func *f;

	record_target(c, sec, idx, off, &t);
	if (t.kind == T_SYM && sym_is_undefined(t.sym))
		die_code(EXIT_BAD_INPUT, "%s: section %s: entry %zu names %s, which this object does not define",
			 c->patched_path, sec->name, idx, t.sym->name);
	f = t.kind == T_SYM && !t.off ? func_of(t.sym) : NULL;
	if (!f)
		bad_entry(c, sec, idx, "does not point at a function");
	return f;
}

/* A NUL-terminated name at @off of @s, or NULL. */
static const char *string_at(const struct section *s, int64_t off)
{
	const char *p;

	if (!s->data || off < 0 || (uint64_t)off >= s->sh.sh_size)
		return NULL;
	p = (const char *)s->data + off;
	return memchr(p, '\0', s->sh.sh_size - off) ? p : NULL;
}

static const char *record_name(struct cdo *c, struct section *sec,
			       size_t idx, uint64_t off)
{
	const char *name = NULL;
	struct target t;

	record_target(c, sec, idx, off, &t);
	if (t.kind == T_STR && t.str)
		name = string_at(t.sec, t.off);
	else if (t.kind == T_SYM && t.sym->sec && !is_text_section(t.sym->sec) &&
		 t.sym->type != STT_FUNC)
		name = string_at(t.sym->sec, t.sym->sym.st_value + t.off);
	else if (t.kind == T_SEC && !is_text_section(t.sec))
		name = string_at(t.sec, t.off);
	if (!name || !*name)
		bad_entry(c, sec, idx, "does not point at a section name");
	return name;
}

static size_t nr_records(struct cdo *c, struct section *sec, size_t size)
{
	if (!sec->data || sec->sh.sh_size % size)
		die_code(EXIT_BAD_INPUT, "%s: section %s: size %zu is not a multiple of %zu",
			 c->patched_path, sec->name, sec->sh.sh_size, size);
	return sec->sh.sh_size / size;
}

/* kpatch's struct kpatch_<kind>_callback { fn; objname; }: an alias. */
static void read_callbacks(struct cdo *c, struct section *sec)
{
	const char *kind = sec->name + strlen(KPATCH_SEC_PREFIX "callbacks.");
	size_t rec = 2 * arch_ptr_size(), i, n = nr_records(c, sec, rec);
	int k = klp_cb_kind_of(kind);

	if (k < 0)
		die_code(EXIT_BAD_INPUT, "%s: section %s: unknown callback kind '%s'",
			 c->patched_path, sec->name, kind);
	for (i = 0; i < n; i++) {
		struct symbol *fn = record_func(c, sec, i, i * rec)->sym;
		char *alias = klpgen_cb_name(k, fn->name);

		if (!elf_find_symbol(c->patched, alias)) {
			elf_add_symbol(c->patched, alias, STB_GLOBAL, STT_FUNC,
				       fn->sec, fn->sym.st_value,
				       fn->sym.st_size);
			DEBUG("kpatch: %s callback %s", kind, fn->name);
		}
		free(alias);
	}
}

static void read_sections(struct cdo *c)
{
	struct kpatch *k = K(c);
	size_t ptr = arch_ptr_size(), i, j, n;

	for (i = 0; i < c->patched->nr_secs; i++) {
		struct section *sec = c->patched->secs[i];

		if (!str_starts_with(sec->name, KPATCH_SEC_PREFIX) ||
		    is_rela_section(sec))
			continue;
		if (!strcmp(sec->name, KPATCH_SEC_PREFIX "ignore.functions")) {
			n = nr_records(c, sec, ptr);
			for (j = 0; j < n; j++)
				push(&k->ignored, &k->nr_ignored,
				     record_func(c, sec, j, j * ptr));
		} else if (!strcmp(sec->name, KPATCH_SEC_PREFIX "ignore.sections")) {
			n = nr_records(c, sec, ptr);
			for (j = 0; j < n; j++)
				push(&k->ignored_secs, &k->nr_ignored_secs,
				     (void *)(uintptr_t)record_name(c, sec, j, j * ptr));
		} else if (!strcmp(sec->name, KPATCH_SEC_PREFIX "force")) {
			n = nr_records(c, sec, ptr);
			for (j = 0; j < n; j++)
				push(&k->forced, &k->nr_forced,
				     record_func(c, sec, j, j * ptr));
		} else if (str_starts_with(sec->name, KPATCH_SEC_PREFIX "callbacks.")) {
			read_callbacks(c, sec);
		} else {
			die_code(EXIT_BAD_INPUT, "%s: unknown kpatch section %s (kpatch-macros.h makes .kpatch.ignore.functions, .kpatch.ignore.sections, .kpatch.force, .kpatch.callbacks.*)",
				 c->patched_path, sec->name);
		}
	}
}

bool kpatch_section_ignored(struct cdo *c, const struct section *sec)
{
	struct kpatch *k = K(c);
	size_t i;

	for (i = 0; k && sec && i < k->nr_ignored_secs; i++)
		if (!strcmp(sec->name, k->ignored_secs[i]))
			return true;
	return false;
}

/* Why @f is ignored ("KPATCH_IGNORE_FUNCTION(foo)"), or NULL. */
static char *ignored_by(struct cdo *c, struct func *f)
{
	struct kpatch *k = K(c);
	struct func *a = f;
	size_t i;
	int depth;

	for (depth = 0; a && depth < 16; a = func_parent(c, a), depth++) {
		for (i = 0; i < k->nr_ignored; i++)
			if (k->ignored[i] == a)
				return a == f ?
					xasprintf("KPATCH_IGNORE_FUNCTION(%s)", a->sym->name) :
					xasprintf("clone of %s, KPATCH_IGNORE_FUNCTION(%s)",
						  a->sym->name, a->sym->name);
		if (kpatch_section_ignored(c, a->sym->sec))
			return xasprintf("KPATCH_IGNORE_SECTION(\"%s\")",
					 a->sym->sec->name);
	}
	return NULL;
}

/* Left out of the comparison; say whether it would have been patched. */
static void ignore(struct cdo *c, struct func *f, char *why)
{
	struct func *o = f->twin;
	char *diff = NULL;
	uint64_t at;

	if (!o)
		diff = xstrdup("new");
	else if (o->sym->sym.st_size != f->sym->sym.st_size)
		diff = xstrdup("size changed");
	else
		diff = compare_range(c, o->sym->sec, o->sym->sym.st_value,
				     f->sym->sec, f->sym->sym.st_value,
				     f->sym->sym.st_size, &at);
	f->verdict = V_IGNORED;
	f->reason = xasprintf("%s: left out of the comparison, not patched%s%s%s",
			      why, diff ? " (" : "", diff ? diff : "",
			      diff ? ")" : "");
	if (diff)
		WARN("note: %s: %s differs from the original (%s); not patched",
		     why, f->sym->name, diff);
	else
		DEBUG("%s: %s is the same as the original", why, f->sym->name);
	free(diff);
	free(why);
}

static void check_sections_exist(struct cdo *c)
{
	struct kpatch *k = K(c);
	size_t i;

	for (i = 0; i < k->nr_ignored_secs; i++) {
		const char *n = k->ignored_secs[i];

		if (special_desc(n) || arch_is_alt_repl_section(n))
			WARN("warning: KPATCH_IGNORE_SECTION(\"%s\") has no effect: the entries of %s go with their functions",
			     n, n);
		else if (!elf_find_section(c->patched, n) &&
			 !elf_find_section(c->orig, n))
			DEBUG("KPATCH_IGNORE_SECTION(\"%s\"): no such section", n);
	}
}

void kpatch_read(struct cdo *c)
{
	struct kpatch *k = xcalloc(1, sizeof(*k));
	size_t i;

	c->kpatch = k;
	read_sections(c);
	check_sections_exist(c);
	for (i = 0; i < c->nr_funcs; i++) {
		struct func *f = &c->funcs[i];
		char *why;

		if (!f->is_patched)
			continue;
		why = ignored_by(c, f);
		if (why)
			ignore(c, f, why);
	}
	k->forcing = k->nr_forced > 0;
}

/* @name appears in @msg as a whole symbol name (".cold" etc. may follow). */
static bool names(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(msg, name); p; p = strstr(p + 1, name)) {
		char before = p == msg ? ' ' : p[-1], after = p[n];

		if (!(before == '_' || (before >= '0' && before <= '9') ||
		      (before >= 'a' && before <= 'z') ||
		      (before >= 'A' && before <= 'Z')) &&
		    !(after == '_' || (after >= '0' && after <= '9') ||
		      (after >= 'a' && after <= 'z') ||
		      (after >= 'A' && after <= 'Z')))
			return true;
	}
	return false;
}

bool kpatch_forgive(struct cdo *c, const char *msg)
{
	struct kpatch *k = K(c);
	struct func *f = NULL;
	size_t i;

	if (!k || !k->forcing)
		return false;
	for (i = 0; i < k->nr_forced && !f; i++)
		if (names(msg, k->forced[i]->sym->name))
			f = k->forced[i];
	if (!f)
		return false;
	for (i = 0; i < k->nr_forgiven; i++)
		if (!strcmp(k->forgiven[i], msg))
			return true;
	push(&k->forgiven, &k->nr_forgiven, xstrdup(msg));
	WARN("warning: KPATCH_FORCE_UNSAFE(%s): not refused, on the patch author's word: %s",
	     f->sym->name, msg);
	{
		char *note = xasprintf("%s%sKPATCH_FORCE_UNSAFE: not refused: %s",
				       f->note ? f->note : "",
				       f->note ? "; " : "", msg);

		free(f->note);
		f->note = note;
	}
	return true;
}

void kpatch_end_forcing(struct cdo *c)
{
	struct kpatch *k = K(c);

	if (k)
		k->forcing = false;
}

void kpatch_free(struct cdo *c)
{
	struct kpatch *k = K(c);
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nr_forgiven; i++)
		free(k->forgiven[i]);
	free(k->forgiven);
	free(k->ignored);
	free(k->ignored_secs);	/* names point into PATCHED */
	free(k->forced);
	free(k);
	c->kpatch = NULL;
}
