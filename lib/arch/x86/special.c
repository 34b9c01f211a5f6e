// SPDX-License-Identifier: GPL-2.0
/*
 * x86's special sections: the kernel structs of their entries, the entry
 * sizes of the kernel versions klpgen knows, where the fields it reads are
 * (lib/arch.h; create-diff-object/special.c reads them).
 */
#include <string.h>

#include "arch.h"

/* 6.1: 12; with a format string: 16; no BUGVERBOSE: 8; absolute: 24 */
static const unsigned int bug_sizes[] = { 12, 16, 8, 24, 0 };
/* relative (4.15+ x86): 16; absolute: 24 */
static const unsigned int jump_sizes[] = { 16, 24, 0 };
/* with padlen (4.18 and other older kernels): 13; 6.1: 12; ft_flags (6.3+): 14 */
static const unsigned int alt_sizes[] = { 12, 13, 14, 0 };
/* insn, fixup, handler or data: 12; insn, fixup: 8 */
static const unsigned int ex_sizes[] = { 12, 8, 0 };
static const unsigned int sc_sizes[] = { 8, 0 };
/* u8 *instr; u8 type; u8 len (+ u16 clobbers before 6.0), padded */
static const unsigned int pv_sizes[] = { 16, 0 };
static const unsigned int orc_sizes[] = { 6, 0 };

static const struct special_desc descs[] = {
	{ "__bug_table", ES_DWARF, "bug_entry", 0, false, NULL, true, false,
	  bug_sizes, true },
	{ "__jump_table", ES_DWARF, "jump_entry", 0, true, NULL, true, false,
	  jump_sizes },
	{ ".altinstructions", ES_DWARF, "alt_instr", 0, false, NULL, true, true,
	  alt_sizes },
	{ "__ex_table", ES_DWARF, "exception_table_entry", 0, false, NULL,
	  true, false, ex_sizes },
	{ ".static_call_sites", ES_DWARF, "static_call_site", 0, true, NULL,
	  true, false, sc_sizes },
	{ ".parainstructions", ES_DWARF, "paravirt_patch_site", 0, false, NULL,
	  true, false, pv_sizes },
	{ "__mcount_loc", ES_PTR, NULL, 0, false, NULL, false, false, NULL },
	{ "__patchable_function_entries", ES_PTR, NULL, 0, false, NULL,
	  false, false, NULL },
	{ ".orc_unwind_ip", ES_S32, NULL, 0, false, ".orc_unwind", false, false,
	  NULL },
	{ ".orc_unwind", ES_DWARF, "orc_entry", NO_OWNER_FIELD, false,
	  ".orc_unwind_ip", false, false, orc_sizes },
	{ ".smp_locks", ES_S32, NULL, 0, false, NULL, false, false, NULL },
	{ ".retpoline_sites", ES_S32, NULL, 0, false, NULL, false, false, NULL },
	{ ".return_sites", ES_S32, NULL, 0, false, NULL, false, false, NULL },
	{ ".call_sites", ES_S32, NULL, 0, false, NULL, false, false, NULL },
	{ ".ibt_endbr_seal", ES_S32, NULL, 0, false, NULL, false, false, NULL },
};

const struct special_desc *arch_special_desc(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
		if (!strcmp(descs[i].name, name))
			return &descs[i];
	return NULL;
}

bool arch_is_alt_repl_section(const char *name)
{
	return !strcmp(name, ".altinstr_replacement");
}

/* struct alt_instr { s32 instr_offset; s32 repl_offset; ... } */
unsigned int arch_alt_repl_field(void)
{
	return 4;
}

/* u8 replacementlen: after instrlen, before padlen (13) */
int arch_alt_replen_off(size_t entsize)
{
	switch (entsize) {
	case 12: case 13:
		return 11;
	case 14:
		return 13;
	}
	return -1;
}

const char *arch_alt_sizes(void)
{
	return "12, 13 or 14 bytes";
}
