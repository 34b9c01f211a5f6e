// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of klpgen check, over the .klpgen.meta records of the modules.
 *
 * States follow the target kernel's klp_is_patch_compatible()
 * (kernel/livepatch/state.c):
 *   6.1 .. 6.12 (struct klp_state has version): every state of an
 *     installed patch must be in NEXT with a version at least as high; a
 *     non-replace NEXT may leave a state out.
 *   the proposed rework (block_disable, no version): a non-replace NEXT is
 *     always compatible; a replace NEXT must keep every installed state
 *     that has block_disable.
 * The rest is klpgen's own: functions a replace would revert, shadow ids
 * and the state they belong to, version changes without a callback to
 * take them over, functions stacked non-replace patches share.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

void check_finding(struct check_report *r, const char *level,
		   const char *fmt, ...)
{
	va_list ap;

	if (!strcmp(level, "error"))
		r->errors++;
	else if (!strcmp(level, "warning"))
		r->warnings++;
	else
		r->notes++;
	fprintf(r->out, "%s: ", level);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

static const struct meta_state *find_state(const struct klpgen_meta *m,
					   uint64_t id)
{
	size_t i;

	for (i = 0; i < m->nr_states; i++)
		if (m->states[i].id == id)
			return &m->states[i];
	return NULL;
}

/* Rework kernels: block_disable instead of version. */
static bool rework_rule(const struct klpgen_meta *m)
{
	return meta_has_state_field(m, "block_disable") &&
	       !meta_has_state_field(m, "version");
}

static bool same_func(const struct meta_func *a, const struct meta_func *b)
{
	return !strcmp(a->obj, b->obj) && !strcmp(a->name, b->name) &&
	       a->sympos == b->sympos;
}

static bool patches(const struct klpgen_meta *m, const struct meta_func *f)
{
	size_t i;

	for (i = 0; i < m->nr_funcs; i++)
		if (same_func(&m->funcs[i], f))
			return true;
	return false;
}

/* KLPGEN_REVERT(fn) covers fn and its clones (fn.isra.0, fn.cold). */
static bool reverts(const struct klpgen_meta *m, const struct meta_func *f)
{
	size_t i, n;

	for (i = 0; i < m->nr_reverts; i++) {
		n = strlen(m->reverts[i].func);
		if (!strcmp(m->reverts[i].obj, f->obj) &&
		    !strncmp(m->reverts[i].func, f->name, n) &&
		    (!f->name[n] || f->name[n] == '.'))
			return true;
	}
	return false;
}

static bool has_patch_callback(const struct klpgen_meta *m)
{
	size_t i;

	for (i = 0; i < m->nr_callbacks; i++)
		if (!strcmp(m->callbacks[i].kind, "pre_patch") ||
		    !strcmp(m->callbacks[i].kind, "post_patch"))
			return true;
	return false;
}

/* "vmlinux:foo" or "ext4:foo,2" */
static char *func_label(const struct meta_func *f)
{
	return f->sympos ? xasprintf("%s:%s,%lu", f->obj, f->name, f->sympos) :
		xasprintf("%s:%s", f->obj, f->name);
}

static void check_states_61(const struct check_module *p,
			    const struct check_module *next,
			    struct check_report *r)
{
	const struct klpgen_meta *nm = &next->meta;
	size_t i;

	for (i = 0; i < p->meta.nr_states; i++) {
		const struct meta_state *s = &p->meta.states[i];
		const struct meta_state *t = find_state(nm, s->id);
		unsigned long long id = s->id;

		if (!t && nm->replace)
			check_finding(r, "error", "state %llu: %s has it (version %u), %s does not; a replace patch must carry every state of the patches it replaces, so the kernel refuses to enable %s",
				      id, p->name, s->version, next->name,
				      next->name);
		else if (t && t->version < s->version)
			check_finding(r, "error", "state %llu: version %u in %s, %u in %s; the kernel refuses a state version lower than an installed one",
				      id, s->version, p->name, t->version,
				      next->name);
		else if (t && t->version > s->version && !has_patch_callback(nm))
			check_finding(r, "warning", "state %llu: version %u in %s, %u in %s, which has no pre_patch or post_patch callback to take the state over (klp_get_prev_state())",
				      id, s->version, p->name, t->version,
				      next->name);
	}
}

static void check_states_rework(const struct check_module *p,
				const struct check_module *next,
				struct check_report *r)
{
	size_t i;

	if (!next->meta.replace)
		return;	/* non-cumulative patches are always compatible */
	for (i = 0; i < p->meta.nr_states; i++) {
		const struct meta_state *s = &p->meta.states[i];

		if (s->block_disable && !find_state(&next->meta, s->id))
			check_finding(r, "error", "state %llu: %s has it with block_disable, %s does not; the kernel refuses to replace a patch whose state cannot be disabled",
				      (unsigned long long)s->id, p->name,
				      next->name);
	}
}

/* The functions a replace NEXT stops patching: reverted to the original. */
static void check_reverted(const struct check_module *p,
			   const struct check_module *next,
			   struct check_report *r, struct klpgen_meta *seen)
{
	size_t i;

	for (i = 0; i < p->meta.nr_funcs; i++) {
		const struct meta_func *f = &p->meta.funcs[i];
		char *label;

		if (patches(&next->meta, f) || patches(seen, f))
			continue;
		meta_add_func(seen, f->obj, f->name, f->sympos);
		label = func_label(f);
		if (reverts(&next->meta, f))
			check_finding(r, "note", "function %s: patched by %s, reverted by %s as it declares (KLPGEN_REVERT)",
				      label, p->name, next->name);
		else
			check_finding(r, "error", "function %s: patched by %s, not by %s; the replace reverts it to the original (patch it again, or declare KLPGEN_REVERT(%.*s) if that is meant)",
				      label, p->name, next->name,
				      (int)strcspn(f->name, "."), f->name);
		free(label);
	}
}

static bool uses_shadow(const struct klpgen_meta *m, uint64_t id)
{
	size_t i;

	for (i = 0; i < m->nr_shadows; i++)
		if (m->shadows[i] == id)
			return true;
	for (i = 0; i < m->nr_ties; i++)
		if (m->ties[i].shadow == id)
			return true;
	return false;
}

/*
 * The state shadow id @id belongs to in @m: the one KLPGEN_SHADOW_ID_STATE
 * names, else a state of the same id (the rework's is_shadow pairing), else 0.
 */
static uint64_t tied_state(const struct klpgen_meta *m, uint64_t id)
{
	size_t i;

	for (i = 0; i < m->nr_ties; i++)
		if (m->ties[i].shadow == id)
			return m->ties[i].state;
	return find_state(m, id) ? id : 0;
}

static void check_shadow_id(const struct check_module *p,
			    const struct check_module *next, uint64_t id,
			    struct check_report *r)
{
	const struct klpgen_meta *nm = &next->meta;
	uint64_t a = tied_state(&p->meta, id), b;
	const struct meta_state *s;

	if (uses_shadow(nm, id)) {
		b = tied_state(nm, id);
		if (a && b && a != b)
			check_finding(r, "error", "shadow id %llu: tied to state %llu in %s and to state %llu in %s; one id must mean one state",
				      (unsigned long long)id,
				      (unsigned long long)a, p->name,
				      (unsigned long long)b, next->name);
		return;
	}
	if (!nm->replace)
		return;	/* p stays installed, its data with it */
	/* The rework frees an is_shadow state's variables with the state. */
	s = a ? find_state(&p->meta, a) : NULL;
	if (rework_rule(nm) && s && s->is_shadow && s->id == id &&
	    !find_state(nm, a))
		return;
	check_finding(r, "warning", "shadow id %llu: used by %s, not by %s; shadow variables %s attached may still exist after the replace, and %s neither uses nor frees them",
		      (unsigned long long)id, p->name, next->name, p->name,
		      next->name);
}

static void check_shadows(const struct check_module *p,
			  const struct check_module *next,
			  struct check_report *r)
{
	size_t i;

	for (i = 0; i < p->meta.nr_shadows; i++)
		check_shadow_id(p, next, p->meta.shadows[i], r);
	/* Ids only a shadow_state record names (hand-written meta). */
	for (i = 0; i < p->meta.nr_ties; i++) {
		uint64_t id = p->meta.ties[i].shadow;
		size_t j;

		for (j = 0; j < p->meta.nr_shadows; j++)
			if (p->meta.shadows[j] == id)
				break;
		if (j == p->meta.nr_shadows)
			check_shadow_id(p, next, id, r);
	}
}

/* Stacked non-replace patches: the one enabled last runs, per function. */
static void list_shared(const struct check_module *a,
			const struct check_module *b, struct check_report *r)
{
	size_t i;

	for (i = 0; i < a->meta.nr_funcs; i++) {
		char *label;

		if (!patches(&b->meta, &a->meta.funcs[i]))
			continue;
		label = func_label(&a->meta.funcs[i]);
		check_finding(r, "note", "function %s: patched by both %s and %s; the one enabled last runs, and disabling it brings the other's version back",
			      label, a->name, b->name);
		free(label);
	}
}

void check_rules(const struct check_module *prev, size_t n,
		 const struct check_module *next, struct check_report *r)
{
	struct klpgen_meta seen = { 0 };
	size_t i, j;

	for (i = 0; i < n; i++)
		if (!strcmp(prev[i].name, next->name))
			check_finding(r, "error", "module name %s: %s has it too; insmod of %s fails while %s is loaded",
				      next->name, prev[i].path, next->path,
				      prev[i].name);
	for (i = 0; i < n; i++) {
		if (rework_rule(&next->meta))
			check_states_rework(&prev[i], next, r);
		else
			check_states_61(&prev[i], next, r);
		if (next->meta.replace)
			check_reverted(&prev[i], next, r, &seen);
		check_shadows(&prev[i], next, r);
	}
	meta_free(&seen);
	if (next->meta.replace)
		return;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			list_shared(&prev[i], &prev[j], r);
		list_shared(&prev[i], next, r);
	}
}
