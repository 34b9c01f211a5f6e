/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names that create-diff-object, klp-convert and the klpgen driver agree on.
 *
 * The diff object (create-diff-object's output) says everything the later
 * stages need through symbol and section names, so diff objects of several
 * kernel objects can be merged with `ld -r` without losing anything:
 *
 *  - A reference to an original kernel symbol that the module cannot link
 *    against (not exported, or static) is an undefined GLOBAL symbol named
 *    ".klp.sym.<objname>.<symname>,<sympos>" (the kernel's own klp symbol
 *    name; <sympos> is 0 when the name is unique in <objname>).  Equal
 *    references from several diff objects merge into one symbol.
 *    klp-convert later moves relocations against such symbols into
 *    ".klp.rela.<objname>.<section>" and marks the symbols SHN_LIVEPATCH.
 *  - A reference to an exported symbol stays a plain undefined symbol.
 *  - Every changed (patched) function F of object O gets a GLOBAL FUNC alias
 *    named "__klpgen_new.<O>.<F>.<sympos>" at the new code; the module
 *    generator turns each into one struct klp_func.
 *  - Patch authors declare callbacks, states and shadow ids with the macros
 *    of templates/klpgen-patch.h; they reach the diff object as new
 *    symbols / sections with the prefixes below.
 */
#ifndef KLPGEN_ABI_H
#define KLPGEN_ABI_H

#define KLP_SYM_PREFIX		".klp.sym."
#define KLP_RELA_PREFIX		".klp.rela."
#define KLP_OBJNAME_MAX		55	/* kernel's sscanf limits */
#define KLP_SYMNAME_MAX		511

#define KLPGEN_NEW_PREFIX	"__klpgen_new."

/* Callback aliases: "__klpgen_cb_<kind>_<function>", kind as below. */
#define KLPGEN_CB_PREFIX	"__klpgen_cb_"

/* Sections whose whole contents are patch metadata (no relocations). */
#define KLPGEN_STATES_SEC	".klpgen.states"	/* struct klpgen_state_decl[] */
#define KLPGEN_SHADOW_SEC	".klpgen.shadow_ids"	/* struct klpgen_shadow_decl[] */
#define KLPGEN_REVERTS_SEC	".klpgen.reverts"	/* NUL-terminated function names */
#define KLPGEN_META_SEC		".klpgen.meta"		/* text, see man klp-convert */
#define KLPGEN_SEC_PREFIX	".klpgen."

#endif
