// SPDX-License-Identifier: GPL-2.0
/*
 * Changes a livepatch cannot carry: new initial values of existing
 * variables (the running kernel's copy keeps the old ones), __init data,
 * and exports (added, removed or changed).  Changed __init/__exit code is
 * refused by compare.c.  Each refusal names the symbol, the section and
 * what changed.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "klpgen-abi.h"

static bool ignored_data_section(const struct section *sec)
{
	static const char *const skip[] = {
		".modinfo", ".discard", ".comment", ".note", ".debug",
		KLPGEN_SEC_PREFIX, "___ksymtab", "__ksymtab", "__kcrctab",
		".gnu.", ".BTF",
		/* dynamic-debug descriptors (__verbose on older kernels): metadata.
		 * The patched code keeps using the original descriptor (its
		 * key is what the control file switches), whatever changed in
		 * it: the line number when lines moved, the format */
		"__dyndbg", "__verbose",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (str_starts_with(sec->name, skip[i]))
			return true;
	return is_text_section(sec) || is_mergeable(sec);
}

/* SIZE bytes at OFF of SEC are zero and no relocation writes there. */
static bool range_is_zero(struct section *sec, uint64_t off,
			  uint64_t size)
{
	const unsigned char *d = sec->data;
	size_t i;

	if (off > sec->sh.sh_size || size > sec->sh.sh_size - off)
		return false;
	for (i = 0; i < size; i++)
		if (d[off + i])
			return false;
	elf_range_relocs(sec, off, size, &i);
	return i == 0;
}

static void check_data(struct cdo *c)
{
	struct elf_file *p = c->patched;
	size_t i;

	for (i = 0; i < p->nr_syms; i++) {
		struct symbol *ps = p->syms[i], *os = ps->twin;
		uint64_t at;
		char *why;
		const char *kind;

		if (!os || !ps->sec || !os->sec ||
		    (ps->type != STT_OBJECT && ps->type != STT_TLS) ||
		    ignored_data_section(ps->sec) ||
		    kpatch_section_ignored(c, ps->sec))
			continue;
		kind = sec_is_init(ps->sec) ? "__init data" : "initial data";
		if (ps->sym.st_size != os->sym.st_size) {
			refuse(c, "%s of %s (section %s): size changed from %llu to %llu",
			       kind, ps->name, ps->sec->name,
			       (unsigned long long)os->sym.st_size,
			       (unsigned long long)ps->sym.st_size);
			continue;
		}
		if (!ps->sec->data && !os->sec->data)
			continue;	/* .bss on both sides: only the size matters */
		if (!ps->sec->data || !os->sec->data) {
			/* moved between .bss and .data: zero on the .bss side */
			struct symbol *ds = ps->sec->data ? ps : os;

			if (range_is_zero(ds->sec, ds->sym.st_value,
					  ds->sym.st_size))
				continue;
			refuse(c, "%s of %s moved from section %s to %s: initial value changed (%s)",
			       kind, ps->name, os->sec->name, ps->sec->name,
			       ds == ps ? "was zero" : "is now zero");
			continue;
		}
		why = compare_range(c, os->sec, os->sym.st_value, ps->sec,
				    ps->sym.st_value, ps->sym.st_size, &at);
		if (why) {
			refuse(c, "%s of %s (section %s) changed: %s", kind,
			       ps->name, ps->sec->name, why);
			free(why);
		}
	}
}

static const char *export_name(const char *sec)
{
	const char *plus = strchr(sec, '+');

	return plus ? plus + 1 : sec;
}

static void check_exports(struct cdo *c)
{
	size_t i;
	uint64_t at;

	for (i = 0; i < c->orig->nr_secs; i++) {
		struct section *os = c->orig->secs[i];

		if (str_starts_with(os->name, "___ksymtab") && !os->twin)
			refuse(c, "export %s removed (section %s)",
			       export_name(os->name), os->name);
	}
	for (i = 0; i < c->patched->nr_secs; i++) {
		struct section *ps = c->patched->secs[i];
		char *why;

		if (!str_starts_with(ps->name, "___ksymtab"))
			continue;
		if (!ps->twin) {
			refuse(c, "new export %s (section %s): a livepatch cannot add exports",
			       export_name(ps->name), ps->name);
			continue;
		}
		if (ps->sh.sh_size != ps->twin->sh.sh_size)
			why = xstrdup("entry size changed");
		else
			why = compare_range(c, ps->twin, 0, ps, 0,
					    ps->sh.sh_size, &at);
		if (why) {
			refuse(c, "export %s changed (section %s): %s",
			       export_name(ps->name), ps->name, why);
			free(why);
		}
	}
	/* export strings: compared per __kstrtab_* symbol */
	for (i = 0; i < c->patched->nr_syms; i++) {
		struct symbol *ps = c->patched->syms[i], *os = ps->twin;
		const char *a, *b;

		if (!os || !ps->sec || !os->sec || !ps->sec->data ||
		    !os->sec->data || strcmp(ps->sec->name, "__ksymtab_strings") ||
		    ps->sym.st_value >= ps->sec->sh.sh_size ||
		    os->sym.st_value >= os->sec->sh.sh_size)
			continue;
		a = (const char *)os->sec->data + os->sym.st_value;
		b = (const char *)ps->sec->data + ps->sym.st_value;
		if (strncmp(a, b, os->sec->sh.sh_size - os->sym.st_value) ||
		    strnlen(b, ps->sec->sh.sh_size - ps->sym.st_value) !=
		    strnlen(a, os->sec->sh.sh_size - os->sym.st_value))
			refuse(c, "export string %s changed (section __ksymtab_strings)",
			       ps->name);
	}
}

void refuse_unsafe(struct cdo *c)
{
	check_data(c);
	check_exports(c);
}
