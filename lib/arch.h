/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What klpgen knows of the machine it patches, behind one interface: the
 * ELF machine and pointer size, the kernel tree's arch folder, relocation
 * types, instruction encodings (at a function's start, around a
 * relocation or an immediate), the special sections the kernel gives a
 * module, and the layout of the kernel's livepatch structs.  Each
 * architecture is one folder, lib/arch/<arch>/, chosen by the Makefile's
 * KLPGEN_ARCH (x86 is the only one).  Nothing outside lib/arch/ names an x86
 * relocation type or encoding: it asks these.
 *
 * In lib, not beside it: the ELF layer itself needs the relocation
 * widths and the machine, and lib uses nothing outside lib.
 */
#ifndef KLPGEN_ARCH_H
#define KLPGEN_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ELF machine and its name in messages ("x86_64"). */
uint16_t arch_machine(void);
const char *arch_name(void);
/* Bytes of a pointer and of a long (8: LP64). */
unsigned int arch_ptr_size(void);
/* Its name in package metadata: rpm's ("x86_64") and dpkg's ("amd64"). */
const char *arch_rpm_name(void);
const char *arch_deb_name(void);

/* ---- the kernel tree ---- */

/* Its folder in a kernel tree: arch/<this>/ ("x86", the kernel's SRCARCH). */
const char *arch_kernel_dir(void);
/*
 * Folders of a kernel tree, relative to its top, built apart from vmlinux
 * and modules (boot code, real-mode trampolines): no patch reaches them.
 * NULL-ended.
 */
const char *const *arch_tree_skip_dirs(void);

/* ---- relocations ---- */

/* Bytes of the field a relocation of @type writes; 0 if unknown. */
unsigned int arch_reloc_width(uint32_t type);
/* "R_X86_64_PC32"; unknown types as "R_X86_64_<n>" (a static buffer). */
const char *arch_reloc_name(uint32_t type);
/* The field holds target - place (addend included). */
bool arch_reloc_is_pcrel(uint32_t type);
/* The 64-bit absolute address of the target: a pointer in data. */
bool arch_reloc_is_abs64(uint32_t type);
/* A type the kernel's apply_relocate_add() can apply (klp relocations). */
bool arch_reloc_klp_ok(uint32_t type);

/* ---- function entry ---- */

/*
 * Offset of the ftrace site from the start of a function whose first
 * bytes are @code (@len of them): past the instructions that come before
 * it (x86: an endbr64 where IBT put one).
 */
size_t arch_fentry_site(const unsigned char *code, size_t len);
/* Offset from the site of the relocation of its call (or NOP'ed call). */
size_t arch_fentry_reloc_off(void);
/* The function that call calls ("__fentry__"). */
const char *arch_fentry_symbol(void);

/* ---- instructions around a relocation or an immediate ---- */

/*
 * Bytes from the PC-relative field at @off of the code @b (@len bytes) to
 * the end of its instruction: the field's value is target - (place +
 * this).  Read from the bytes before the field; 4 where they say nothing.
 */
unsigned int arch_pcrel_tail(const unsigned char *b, size_t len, uint64_t off);
/* Every value arch_pcrel_tail() can return (*@n of them). */
const unsigned int *arch_pcrel_tails(size_t *n);
/*
 * Start of the instruction whose immediate of @width bytes (4 or 1) is at
 * @k of @b, if it is one that moves or pushes its immediate (an argument
 * being passed); -1 otherwise.  No byte before @lo is read.
 */
int64_t arch_imm_insn(const unsigned char *b, uint64_t lo, uint64_t k,
		      unsigned int width);

/* ---- special sections: arrays of entries describing code ---- */

/* Where an entry size comes from besides sh_entsize and --entsize. */
enum entsize_src {
	ES_DWARF,		/* struct size from DWARF (--symbols, --dwarf) */
	ES_S32,			/* array of s32 (4) */
	ES_PTR,			/* array of pointers (arch_ptr_size()) */
};

/* owner_off of a section whose entries point at no code themselves. */
#define NO_OWNER_FIELD	(~0u)

/* A special section as this architecture's kernels lay it out. */
struct special_desc {
	const char *name;
	enum entsize_src src;
	const char *struct_name;	/* ES_DWARF */
	unsigned int owner_off;		/* field pointing at the code */
	bool has_key;			/* last relocated field: a key the loader
					 * resolves (see reference.c) */
	const char *parallel;		/* index-parallel companion section */
	bool compare;			/* entries compared between builds */
	bool altinstr;			/* alternatives: a replacement */
	const unsigned int *known;	/* entry sizes of kernel versions, 0-ended */
	bool has_line;			/* a u16 source line after the last
					 * relocated field (bug_entry) */
};

/* The description of special section @name, or NULL. */
const struct special_desc *arch_special_desc(const char *name);
/* The section of the alternatives' replacements, split with their entries. */
bool arch_is_alt_repl_section(const char *name);
/* Alternatives: the field at which an entry points at its replacement. */
unsigned int arch_alt_repl_field(void);
/* The u8 replacement length in an entry of @entsize bytes; -1: unknown. */
int arch_alt_replen_off(size_t entsize);
/* The sizes arch_alt_replen_off() knows, for messages ("12, 13 or 14"). */
const char *arch_alt_sizes(void);

/* ---- the kernel's livepatch structs (include/linux/livepatch.h) ---- */

/*
 * Offsets of the external fields (the ones a module fills in) of struct
 * klp_patch, klp_object, klp_func and klp_state, and the bytes they take:
 * pointers and longs are arch_ptr_size() bytes, little-endian as the ELF
 * layer requires.  The internal fields after them differ between kernels and
 * configs; klp_state has none.
 */
struct arch_klp_layout {
	/* klp_patch: mod, objs, states (pointers), replace (bool) */
	unsigned int patch_mod, patch_objs, patch_states, patch_replace;
	/* klp_object: name, funcs, then one callback pointer a kind */
	unsigned int obj_name, obj_funcs, obj_callbacks, obj_ext;
	/* klp_func: old_name, new_func (pointers), old_sympos (long) */
	unsigned int func_old_name, func_new_func, func_old_sympos, func_ext;
	/* klp_state: id (long), version (u32), data (pointer) */
	unsigned int state_id, state_version, state_size;
};

const struct arch_klp_layout *arch_klp_layout(void);

/* ---- sections the kernel processes while a module loads ---- */

/*
 * The loader reads these (module_finalize(), jump-label and static-call
 * notifiers) before a klp relocation against another module is applied.
 */
bool arch_is_early_section(const char *name);

#endif
