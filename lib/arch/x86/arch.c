// SPDX-License-Identifier: GPL-2.0
/* x86_64: the machine, its relocations and function entry (lib/arch.h). */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"

uint16_t arch_machine(void)
{
	return EM_X86_64;
}

const char *arch_name(void)
{
	return "x86_64";
}

unsigned int arch_ptr_size(void)
{
	return 8;
}

const char *arch_rpm_name(void)
{
	return "x86_64";
}

const char *arch_deb_name(void)
{
	return "amd64";
}

const char *arch_kernel_dir(void)
{
	return "x86";
}

const char *const *arch_tree_skip_dirs(void)
{
	static const char *const skip[] = {
		"arch/x86/boot", "arch/x86/realmode", NULL,
	};

	return skip;
}

static const struct {
	const char *name;
	unsigned int width;
} relocs[] = {
#define R(t, w) [R_X86_64_##t] = { "R_X86_64_" #t, w }
	R(NONE, 0), R(64, 8), R(PC32, 4), R(GOT32, 4), R(PLT32, 4),
	R(COPY, 0), R(GLOB_DAT, 8), R(JUMP_SLOT, 8), R(RELATIVE, 8),
	R(GOTPCREL, 4), R(32, 4), R(32S, 4), R(16, 2), R(PC16, 2), R(8, 1),
	R(PC8, 1), R(DTPMOD64, 8), R(DTPOFF64, 8), R(TPOFF64, 8),
	R(TLSGD, 4), R(TLSLD, 4), R(DTPOFF32, 4), R(GOTTPOFF, 4),
	R(TPOFF32, 4), R(PC64, 8), R(GOTOFF64, 8), R(GOTPC32, 4),
	R(GOT64, 8), R(GOTPCREL64, 8), R(GOTPC64, 8), R(GOTPLT64, 8),
	R(PLTOFF64, 8), R(SIZE32, 4), R(SIZE64, 8), R(GOTPC32_TLSDESC, 4),
	R(TLSDESC_CALL, 0), R(TLSDESC, 16), R(IRELATIVE, 8),
	R(RELATIVE64, 8), [41] = { "R_X86_64_GOTPCRELX", 4 },
	[42] = { "R_X86_64_REX_GOTPCRELX", 4 },
#undef R
};

unsigned int arch_reloc_width(uint32_t type)
{
	if (type >= sizeof(relocs) / sizeof(relocs[0]))
		return 0;
	return relocs[type].width;
}

const char *arch_reloc_name(uint32_t type)
{
	static __thread char buf[32];

	if (type < sizeof(relocs) / sizeof(relocs[0]) && relocs[type].name)
		return relocs[type].name;
	snprintf(buf, sizeof(buf), "R_X86_64_<%u>", type);
	return buf;
}

bool arch_reloc_is_pcrel(uint32_t type)
{
	switch (type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
	case R_X86_64_PC16:
	case R_X86_64_PC8:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return true;
	}
	return false;
}

bool arch_reloc_is_abs64(uint32_t type)
{
	return type == R_X86_64_64;
}

/* arch/x86/kernel/module.c: __write_relocate_add() */
bool arch_reloc_klp_ok(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
	case R_X86_64_64:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
		return true;
	}
	return false;
}

static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

size_t arch_fentry_site(const unsigned char *code, size_t len)
{
	return len >= 4 && !memcmp(code, endbr64, 4) ? 4 : 0;
}

/* call rel32 (e8 xx xx xx xx), or the 5-byte NOP that replaced it */
size_t arch_fentry_reloc_off(void)
{
	return 1;
}

/* -mfentry (gcc, clang) */
const char *arch_fentry_symbol(void)
{
	return "__fentry__";
}

/*
 * module_finalize() (alternatives, paravirt, locks, retpoline, return and
 * call sites, IBT seal, ORC), the jump-label and static-call notifiers,
 * and the tables the loader and ftrace read at load.
 */
static const char *const early_sections[] = {
	"__jump_table", ".static_call_sites", ".altinstructions",
	".altinstr_replacement", ".parainstructions", ".smp_locks",
	".retpoline_sites", ".return_sites", ".call_sites", ".ibt_endbr_seal",
	"__mcount_loc", ".orc_unwind_ip", "__ex_table", "__bug_table",
};

bool arch_is_early_section(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(early_sections) / sizeof(early_sections[0]); i++)
		if (!strcmp(name, early_sections[i]))
			return true;
	return false;
}
