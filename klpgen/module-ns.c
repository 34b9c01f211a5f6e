// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol namespaces: an export in a namespace (EXPORT_SYMBOL_NS, the
 * fifth column of Module.symvers) may only be used by a module that
 * imports the namespace (.modinfo "import_ns=", MODULE_IMPORT_NS());
 * otherwise modpost warns and the kernel refuses to load the module
 * ("uses symbol ... from namespace ..., but does not import it").  The
 * diff objects reference exports by name; the namespaces of those that
 * have one become import_ns entries of the generated module.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "klpgen-abi.h"
#include "module-gen.h"
#include "symvers.h"
#include "util.h"

static void add_ns(struct patch_desc *pd, const char *ns)
{
	size_t i;

	for (i = 0; i < pd->nr_ns; i++)
		if (!strcmp(pd->ns[i], ns))
			return;
	pd->ns = xrealloc(pd->ns, (pd->nr_ns + 1) * sizeof(*pd->ns));
	pd->ns[pd->nr_ns++] = xstrdup(ns);
}

int patch_namespaces(const struct module_opts *o, struct patch_desc *pd)
{
	struct symvers *sv;
	char *path;
	size_t i, j;

	if (o->symvers)
		path = xstrdup(o->symvers);
	else if (o->kbuild)
		path = xasprintf("%s/Module.symvers", o->kbuild);
	else
		return 0;
	if (!o->symvers && access(path, R_OK)) {
		free(path);
		return 0;
	}
	sv = symvers_load(path);
	free(path);
	if (!sv)		/* symvers_load() said why */
		return EXIT_BAD_INPUT;
	for (i = 0; i < o->nr_diffs; i++) {
		struct elf_file *elf = elf_open_flags(o->diffs[i].path,
						      ELF_OPEN_NO_DEBUG_RELOCS);

		if (!elf) {
			symvers_free(sv);
			return EXIT_BAD_INPUT;
		}
		for (j = 1; j < elf->nr_syms; j++) {
			const struct symbol *s = elf->syms[j];
			const struct symvers_entry *e;

			if (!sym_is_undefined(s) || s->type == STT_SECTION ||
			    !s->name[0] || is_klp_sym_name(s->name))
				continue;
			e = symvers_find(sv, s->name);
			if (e && e->namespace && e->namespace[0]) {
				DEBUG("%s uses %s of namespace %s",
				      o->diffs[i].path, s->name, e->namespace);
				add_ns(pd, e->namespace);
			}
		}
		elf_close(elf);
	}
	symvers_free(sv);
	return 0;
}
