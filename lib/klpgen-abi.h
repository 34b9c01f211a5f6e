/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names that create-diff-object, klp-convert and the klpgen driver agree on,
 * and the one place that builds and parses each of them (klpgen-abi.c).
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
 *
 * Every builder checks what the parser checks (and the kernel's limits),
 * so a name that was built always parses back to the same parts.
 */
#ifndef KLPGEN_ABI_H
#define KLPGEN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KLP_SYM_PREFIX		".klp.sym."
#define KLP_RELA_PREFIX		".klp.rela."
/*
 * The kernel's sscanf limits: ".klp.sym.%55[^.].%511[^,],%lu" and
 * ".klp.rela.%55[^.]".  55 is also MODULE_NAME_LEN - 1 on 64-bit: the
 * longest module name, livepatch modules included.
 */
#define KLP_OBJNAME_MAX		55
#define KLP_SYMNAME_MAX		511
/* Digits of a sympos klpgen writes or accepts. */
#define KLP_SYMPOS_DIGITS	9

#define KLPGEN_NEW_PREFIX	"__klpgen_new."

/* Callback aliases: "__klpgen_cb_<kind>_<function>", kind as below. */
#define KLPGEN_CB_PREFIX	"__klpgen_cb_"

/* Sections whose whole contents are patch metadata (no relocations). */
#define KLPGEN_STATES_SEC	".klpgen.states"	/* struct klpgen_state_decl[] */
#define KLPGEN_SHADOW_SEC	".klpgen.shadow_ids"	/* struct klpgen_shadow_decl[] */
#define KLPGEN_REVERTS_SEC	".klpgen.reverts"	/* NUL-terminated function names */
#define KLPGEN_META_SEC		".klpgen.meta"		/* text, see man klp-convert */
#define KLPGEN_SEC_PREFIX	".klpgen."

/*
 * ---- records of .klpgen.states and .klpgen.shadow_ids ----
 * 16 bytes each, little-endian (templates/klpgen-patch.h): a state is
 * u64 id; u32 version; u8 block_disable; u8 is_shadow; u16 reserved (0);
 * a shadow id is u64 id; u64 state (0: tied to none).
 */
#define KLPGEN_RECORD_SIZE	16

struct klpgen_state_rec {
	uint64_t id;
	uint32_t version;
	bool block_disable;
	bool is_shadow;
};

struct klpgen_shadow_rec {
	uint64_t id;
	uint64_t state;
};

/* Record @i of @data: 0, or -1 if malformed (id 0, a flag not 0 or 1,
 * reserved bits set). */
int klpgen_state_rec(const void *data, size_t i, struct klpgen_state_rec *st);
void klpgen_shadow_rec(const void *data, size_t i,
		       struct klpgen_shadow_rec *sh);

struct strlist;
/*
 * The names of a .klpgen.reverts section (@size bytes at @data): each
 * NUL-terminated, empty ones being alignment padding; added to @names once
 * each.  0, or -1 if the section is not such a list.
 */
int klpgen_reverts_read(const void *data, size_t size, struct strlist *names);

/* ---- object and module names ---- */

/* Module names as the kernel keeps them (KBUILD_MODNAME: '-' is '_'). */
#define KLP_OBJNAME_CHARS	"abcdefghijklmnopqrstuvwxyz" \
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* The names klpgen build gives the modules it builds (normalized). */
#define KLPGEN_MODNAME_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789_"
/* File names of modules, before the kernel turns '-' into '_'. */
#define KLP_MODFILE_CHARS	KLP_OBJNAME_CHARS "-"

/* @name is 1..KLP_OBJNAME_MAX characters, each one of @chars. */
bool klp_modname_ok(const char *name, const char *chars);
/* "vmlinux" or a module name: klp_modname_ok(obj, KLP_OBJNAME_CHARS). */
bool klp_objname_ok(const char *obj);
/* @len bytes of @s with each '-' turned into '_', as the kernel does. */
char *klp_objname_dup(const char *s, size_t len);

/* A symbol name the kernel looks up (klp_func.old_name): 1..511 bytes. */
bool klp_symname_ok(const char *name);

/* ---- ".klp.sym.<obj>.<name>,<pos>" ---- */

struct klp_sym_name {
	char *obj;
	char *name;
	unsigned long pos;
};

bool is_klp_sym_name(const char *s);
/* The name, malloc'd; NULL and *why when the kernel could not parse it. */
char *klp_sym_name(const char *obj, const char *name, unsigned long pos,
		   const char **why);
/* 0 with @kn filled (free with klp_sym_name_free()); -1 and *why if not. */
int klp_sym_name_parse(const char *s, struct klp_sym_name *kn,
		       const char **why);
void klp_sym_name_free(struct klp_sym_name *kn);

/* ---- ".klp.rela.<obj>.<section>" ---- */

bool is_klp_rela_name(const char *s);
/* @obj must be klp_objname_ok(). */
char *klp_rela_name(const char *obj, const char *secname);
/* The object name it claims, malloc'd; NULL if none or not a valid one. */
char *klp_rela_name_obj(const char *s);

/* ---- "__klpgen_new.<obj>.<func>.<pos>" ---- */

struct klpgen_new_name {
	char *obj;
	char *func;		/* may have dots of its own: foo.isra.0 */
	unsigned long pos;
};

bool is_klpgen_new_name(const char *s);
/* The name, malloc'd; NULL and *why when it would not parse back. */
char *klpgen_new_name(const char *obj, const char *func, unsigned long pos,
		      const char **why);
/* 0 with @nn filled (free with klpgen_new_name_free()); -1 and *why. */
int klpgen_new_name_parse(const char *s, struct klpgen_new_name *nn,
			  const char **why);
void klpgen_new_name_free(struct klpgen_new_name *nn);

/* ---- callbacks: "__klpgen_cb_<kind>_<function>" ---- */

enum klp_cb_kind {
	KLP_CB_PRE_PATCH,
	KLP_CB_POST_PATCH,
	KLP_CB_PRE_UNPATCH,
	KLP_CB_POST_UNPATCH,
	NR_KLP_CB_KINDS
};

/* "pre_patch", ..., in enum order (struct klp_callbacks' field names). */
extern const char *const klp_cb_kinds[NR_KLP_CB_KINDS];

/* The kind named @s, or -1. */
int klp_cb_kind_of(const char *s);
/* Has the alias prefix (of a known kind or not). */
bool is_klpgen_cb_name(const char *s);
char *klpgen_cb_name(enum klp_cb_kind kind, const char *func);
/*
 * An alias of a known kind with a function name after it: 0, *kind and
 * *func (pointing into @s) set; -1 otherwise.
 */
int klpgen_cb_name_parse(const char *s, enum klp_cb_kind *kind,
			 const char **func);

#endif
