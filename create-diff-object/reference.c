// SPDX-License-Identifier: GPL-2.0
/*
 * References to the original kernel: which name an undefined symbol of the
 * diff object gets (lib/klpgen-abi.h).
 *
 *  - exported vmlinux symbols (Module.symvers) stay plain;
 *  - everything else existing becomes ".klp.sym.<obj>.<name>,<sympos>",
 *    sympos from the --symbols file;
 *  - undefined symbols of PATCHED that are not exported are non-exported
 *    vmlinux globals (or, for a module, the module's own globals);
 *  - a module's own symbols are always klp symbols of the module: it may
 *    load after the livepatch;
 *  - new globals the patch defines in another of its objects
 *    (--patch-symbols) stay plain: the livepatch module defines them.
 *
 * Also the loader-order hazards: __jump_table, .static_call_sites and
 * .altinstructions are applied while the livepatch module loads
 * (module_finalize(), then the MODULE_STATE_COMING notifiers).  Klp
 * relocations against vmlinux symbols are applied before that, inside the
 * loader's apply_relocations() (Linux 5.8, "livepatch: Apply
 * vmlinux-specific KLP relocations early"), so they are fine there.  Klp
 * relocations against a module's symbols are applied only when that module
 * loads, too late for these sections: those are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

/* "drivers/foo/bar-baz" names module "bar_baz". */
static bool module_is(const char *path, const char *objname)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && objname[i]; i++) {
		char a = base[i] == '-' ? '_' : base[i];
		char b = objname[i] == '-' ? '_' : objname[i];

		if (a != b)
			return false;
	}
	return !base[i] && !objname[i];
}

static char *klp_name(struct cdo *c, const char *obj, const char *name,
		      long pos)
{
	const char *why;
	char *s = klp_sym_name(obj, name, pos, &why);

	if (!s)
		refuse(c, "symbol %.64s%s: no klp symbol for it: the name %s",
		       name, strlen(name) > 64 ? "..." : "", why);
	return s;
}


/*
 * --patch-symbols FILE: global symbols the patch defines in its other
 * objects (klpgen build lists the new globals of every rebuilt object).
 * A reference to one stays plain: the diff objects are linked into one
 * livepatch module, which resolves it.
 */
static bool patch_defines(struct cdo *c, const char *name)
{
	char *line;
	size_t len;

	if (!c->patch_symbols_path)
		return false;
	if (!c->patch_syms.buckets) {
		FILE *f = fopen(c->patch_symbols_path, "r");
		size_t cap = 0;
		ssize_t n;

		if (!f)
			die_code(EXIT_BAD_INPUT, "%s: cannot read: %m",
				 c->patch_symbols_path);
		hash_init(&c->patch_syms, 64);
		line = NULL;
		while ((n = getline(&line, &cap, f)) > 0) {
			len = strcspn(line, " \t\r\n");
			if (len)
				hash_add(&c->patch_syms,
					 cdo_own(c, xstrndup(line, len)), c);
		}
		free(line);
		fclose(f);
	}
	return hash_find(&c->patch_syms, name) != NULL;
}

char *reference_name(struct cdo *c, struct symbol *psym, bool *is_klp)
{
	const char *mod = NULL;
	long pos;

	*is_klp = false;
	if (sym_is_undefined(psym)) {
		if (!kernel_has_symvers(c) || patch_defines(c, psym->name))
			return xstrdup(psym->name);
		if (kernel_exported(c, psym->name, &mod) &&
		    (c->is_vmlinux || !module_is(mod, c->objname)))
			return xstrdup(psym->name);
		*is_klp = true;
		if (!c->is_vmlinux && kernel_defines(c, psym->name))
			return klp_name(c, c->objname, psym->name, 0);
		if (c->is_vmlinux && kernel_symbols_is_vmlinux(c) &&
		    !kernel_defines(c, psym->name)) {
			refuse(c, "undefined symbol %s is neither exported (%s) nor defined in %s",
			       psym->name, c->symvers_path, c->symbols_path);
			return NULL;
		}
		return klp_name(c, "vmlinux", psym->name, 0);
	}
	if (c->is_vmlinux && psym->bind != STB_LOCAL && psym->twin &&
	    psym->twin->bind != STB_LOCAL &&
	    kernel_exported(c, psym->name, &mod) && !strcmp(mod, "vmlinux"))
		return xstrdup(psym->name);
	*is_klp = true;
	if (!psym->twin) {
		refuse(c, "cannot reference new symbol %s (section %s) that is not included",
		       psym->name, psym->sec ? psym->sec->name : "?");
		return NULL;
	}
	pos = kernel_sympos(c, psym->twin);
	if (pos < 0) {
		refuse(c, "%s %s (section %s) %s in %s",
		       psym->bind == STB_LOCAL ? "static" : "global",
		       psym->name, psym->sec ? psym->sec->name : "?",
		       pos == SYMPOS_AMBIGUOUS ? "is ambiguous" : "is not found",
		       c->symbols_path);
		return NULL;
	}
	/* the running kernel knows the original name (numbers may differ) */
	return klp_name(c, c->objname, psym->twin->name, pos);
}

static bool is_vmlinux_klp_sym(const char *name)
{
	struct klp_sym_name kn;
	const char *why;
	bool ret;

	if (klp_sym_name_parse(name, &kn, &why))
		return false;
	ret = !strcmp(kn.obj, "vmlinux");
	klp_sym_name_free(&kn);
	return ret;
}

static bool in_diff(const struct target *t)
{
	if (t->kind != T_SYM)
		return true;
	return (t->sym->sec && t->sym->sec->include) || t->sym->include;
}

static void hazard(struct cdo *c, struct special *sp, size_t idx,
		   const struct section *base, struct reloc *r,
		   const char *what)
{
	struct target t;
	char *name;
	bool klp;

	reloc_target(c->patched, base, r, &t);
	if (in_diff(&t))
		return;
	name = reference_name(c, t.sym, &klp);
	/* .klp.sym.vmlinux.*: applied by the loader before these sections */
	if (name && klp && !is_vmlinux_klp_sym(name)) {
		struct func *f = entry_owner(c, sp, idx);
		char *why = NULL;

		if (f->verdict != V_CHANGED && f->verdict != V_NEW &&
		    f->verdict != V_CLONE)
			why = xasprintf(" (%s is copied only because it shares section %s with included code)",
					f->sym->name, f->sym->sec->name);
		refuse(c, "function %s: %s entry %s %s needs a klp relocation against module %s (%s), but the kernel applies %s when the livepatch module loads and resolves klp relocations against %s only when %s loads (only vmlinux ones are applied before)%s",
		       f->sym->name, sp->sec->name, what, t.sym->name,
		       c->objname, name, sp->sec->name, c->objname,
		       c->objname, why ? why : "");
		free(why);
	}
	free(name);
}

void check_hazards(struct cdo *c)
{
	size_t i, j, k, n;

	for (i = 0; i < c->nr_specials; i++) {
		struct special *sp = &c->specials[i];
		struct reloc *rv;

		if (!sp->is_patched)
			continue;
		for (j = 0; j < sp->nr; j++) {
			if (!sp->include[j])
				continue;
			special_entry_relocs(sp, j, &rv, &n);
			if (sp->key_off != NO_FIELD)
				for (k = 0; k < n; k++)
					if (rv[k].offset == j * sp->entsize +
					    (uint64_t)sp->key_off)
						hazard(c, sp, j, sp->sec, &rv[k], "key");
			if (sp->desc->altinstr) {
				struct section *rs;
				uint64_t off, len;

				if (!special_piece(sp, j, &rs, &off, &len))
					continue;
				rv = elf_range_relocs(rs, off, len, &n);
				for (k = 0; k < n; k++)
					hazard(c, sp, j, rs, &rv[k],
					       "replacement target");
			}
		}
	}
}
