// SPDX-License-Identifier: GPL-2.0
/*
 * Is a function traced?  Livepatch redirects a function through its ftrace
 * site, so a changed function without one (notrace) cannot be patched.
 *
 * The site is what the fentry table records at the function's start
 * (after an endbr64 where IBT put one): an __mcount_loc or
 * __patchable_function_entries entry there.  The instruction at the site
 * does not matter: a `call __fentry__` (gcc -mrecord-mcount), a 5-byte NOP
 * without a relocation (gcc -mnop-mcount), or a NOP with an R_X86_64_NONE
 * relocation to __fentry__ left on it (objtool --mcount, clang kernels).
 * An entry elsewhere in the function (CALL_PADDING's entries point at the
 * padding before it) does not make it traced.
 *
 * Objects without a fentry table that still reference __fentry__ get
 * their table later (objtool --mcount on vmlinux.o: IBT or LTO kernels):
 * then the call, or its NOP relocation, at the site decides.  Objects
 * with neither were built without ftrace: of a kernel with ftrace (its
 * symbols define __fentry__), they are notrace; else nothing to decide.
 */
#include <string.h>

#include "cdo.h"

bool is_fentry_table(const struct special *sp)
{
	return !strcmp(sp->desc->name, "__mcount_loc") ||
	       !strcmp(sp->desc->name, "__patchable_function_entries");
}

/* Offset of the ftrace site in @sym (x86: 0, or 4 after an endbr64). */
static uint64_t site_of(const struct symbol *sym)
{
	const struct section *sec = sym->sec;
	uint64_t at = sym->sym.st_value;

	if (!sec->data || at >= sec->sh.sh_size)
		return 0;
	return arch_fentry_site((const unsigned char *)sec->data + at,
				sec->sh.sh_size - at);
}

/* A fentry table entry that @a owns records the site of @f, at @at. */
static bool owns_site(struct cdo *c, const struct func *a, const struct func *f,
		      uint64_t at)
{
	size_t i, n;

	for (i = 0; i < a->entries.nr; i++) {
		const struct entry_ref *e = func_entry(c, a, i);
		struct special *sp = entry_special(c, e);
		struct reloc *rv;
		struct target t;

		if (!is_fentry_table(sp))
			continue;
		special_entry_relocs(sp, e->idx, &rv, &n);
		if (!n)
			continue;
		reloc_target(sp->elf, sp->sec, &rv[0], &t);
		if (t.kind == T_SYM && t.sym->sec == f->sym->sec &&
		    t.sym->sym.st_value + t.off == at)
			return true;
	}
	return false;
}

/*
 * A fentry table entry of @f's file records the site of @f; it may belong
 * to an alias at the same address (SYSCALL_DEFINE0's stubs).
 */
static bool table_has_site(struct cdo *c, const struct func *f)
{
	uint64_t at = f->sym->sym.st_value + site_of(f->sym);
	size_t i;

	if (owns_site(c, f, f, at))
		return true;
	for (i = 0; i < c->nr_funcs; i++) {
		const struct func *a = &c->funcs[i];

		if (a->is_patched == f->is_patched && a != f &&
		    a->sym->sec == f->sym->sec &&
		    a->sym->sym.st_value == f->sym->sym.st_value &&
		    owns_site(c, a, f, at))
			return true;
	}
	return false;
}

/* A relocation to __fentry__ (call, or NOP'ed to R_X86_64_NONE) there. */
static bool calls_fentry(const struct cdo *c, const struct func *f)
{
	const struct elf_file *elf = f->is_patched ? c->patched : c->orig;
	uint64_t at = f->sym->sym.st_value + site_of(f->sym) +
		      arch_fentry_reloc_off();
	struct reloc *r = elf_find_reloc(f->sym->sec, at, 4);

	return r && r->offset == at &&
	       !strcmp(elf_reloc_sym(elf, r)->name, arch_fentry_symbol());
}

enum fentry_kind fentry_kind(struct cdo *c)
{
	size_t i;

	for (i = 0; i < c->nr_specials; i++)
		if (!c->specials[i].is_patched &&
		    is_fentry_table(&c->specials[i]))
			return FENTRY_TABLE;
	if (elf_find_symbol(c->orig, arch_fentry_symbol()))
		return FENTRY_CALL;
	/*
	 * Neither, in a kernel built with ftrace (as every livepatchable
	 * one is): the object's Makefile removed the ftrace flags
	 * (kernel/trace/, CFLAGS_REMOVE_x.o), so none of it is traced.
	 */
	if (kernel_defines(c, arch_fentry_symbol()))
		return FENTRY_NOTRACE;
	return FENTRY_NONE;
}

bool func_is_traced(struct cdo *c, enum fentry_kind kind, const struct func *f)
{
	switch (kind) {
	case FENTRY_TABLE:
		return table_has_site(c, f);
	case FENTRY_CALL:
		return calls_fentry(c, f);
	case FENTRY_NOTRACE:
		return false;
	case FENTRY_NONE:
		break;
	}
	return true;
}
