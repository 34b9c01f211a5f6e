/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .klpgen.meta section of a generated livepatch module: the one owner
 * of its format.  Text, one record a line, fields separated by one space,
 * numbers in decimal, NUL-terminated (trailing NULs are padding):
 *
 *	klpgen-meta 1                      first line, format version
 *	module NAME                        the module name
 *	replace 0|1                        klp_patch.replace
 *	object OBJ                         one per klp_object
 *	func OBJ NAME SYMPOS               one per klp_func
 *	callback OBJ KIND FUNCTION         KIND: pre_patch post_patch
 *	                                   pre_unpatch post_unpatch
 *	state ID VERSION block_disable=0|1 is_shadow=0|1
 *	shadow ID
 *	version VERSION                    the patch's own version (optional)
 *	kernel RELEASE                     the target kernel's uname -r (optional)
 *	patch NAME                         a source patch it was built from
 *	revert OBJ FUNC                    a function the patch stops patching
 *	                                   on purpose (KLPGEN_REVERT)
 *	shadow_state ID STATE              shadow id ID is tied to state STATE
 *	                                   (KLPGEN_SHADOW_ID_STATE)
 *	state_fields FIELD...              the fields of the target kernel's
 *	                                   struct klp_state besides id (6.1:
 *	                                   version data); at most once
 *
 * Readers ignore records with other keywords (kept in ->extra, so a
 * newer writer's records survive a read and re-format); a new incompatible
 * format gets a new version number.  man klp-convert(1) documents it.
 *
 * klpgen package installs a copy beside each module
 * (/usr/lib/klpgen/<kver>/<module>.klpgen-meta, version and kernel filled
 * in), whose replace and version records the boot-time loader
 * (templates/package/klpgen-load) reads with sed.
 */
#ifndef KLPGEN_META_H
#define KLPGEN_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KLPGEN_META_VERSION	1

struct meta_func {
	char *obj;
	char *name;
	unsigned long sympos;
};

struct meta_callback {
	char *obj;
	char *kind;		/* one of klp_cb_kinds[] (klpgen-abi.h) */
	char *func;
};

struct meta_state {
	uint64_t id;
	uint32_t version;
	bool block_disable;
	bool is_shadow;
};

/* revert OBJ FUNC */
struct meta_revert {
	char *obj;
	char *func;
};

/* shadow_state ID STATE */
struct meta_tie {
	uint64_t shadow;
	uint64_t state;
};

struct klpgen_meta {
	char *module;
	bool replace;
	char **objects;
	size_t nr_objects;
	struct meta_func *funcs;
	size_t nr_funcs;
	struct meta_callback *callbacks;
	size_t nr_callbacks;
	struct meta_state *states;
	size_t nr_states;
	uint64_t *shadows;
	size_t nr_shadows;
	char *version;		/* NULL when not recorded */
	char *kernel;		/* NULL when not recorded */
	char **patches;
	size_t nr_patches;
	struct meta_revert *reverts;
	size_t nr_reverts;
	struct meta_tie *ties;
	size_t nr_ties;
	char **state_fields;	/* NULL: not recorded (modules before it) */
	size_t nr_state_fields;
	char **extra;		/* records of unknown keywords, verbatim */
	size_t nr_extra;
};

/* A version, kernel or patch field: printable, no space, 1..255 bytes. */
bool meta_token_ok(const char *s);

/*
 * Parse @len bytes of section text.  0 on success; else -1 with *line
 * (1-based) and *why set, and @m cleared.
 */
int meta_parse(const char *text, size_t len, struct klpgen_meta *m,
	       unsigned long *line, const char **why);
/* The section text, NUL-terminated, malloc'd; *len counts the NUL. */
char *meta_format(const struct klpgen_meta *m, size_t *len);
/*
 * Read the .klpgen.meta of module @path.  0 on success; 1 if the module
 * has no such section (not built by klpgen); -1 after a message naming
 * the file (unreadable, malformed).
 */
int meta_read_module(const char *path, struct klpgen_meta *m);
void meta_free(struct klpgen_meta *m);

/* Building a record set: names are copied. */
void meta_add_object(struct klpgen_meta *m, const char *obj);
void meta_add_func(struct klpgen_meta *m, const char *obj, const char *name,
		   unsigned long sympos);
void meta_add_callback(struct klpgen_meta *m, const char *obj,
		       const char *kind, const char *func);
void meta_add_state(struct klpgen_meta *m, const struct meta_state *st);
void meta_add_shadow(struct klpgen_meta *m, uint64_t id);
void meta_add_patch(struct klpgen_meta *m, const char *name);
void meta_add_revert(struct klpgen_meta *m, const char *obj, const char *func);
void meta_add_tie(struct klpgen_meta *m, uint64_t shadow, uint64_t state);
/* Appends to the state_fields record (creating it). */
void meta_add_state_field(struct klpgen_meta *m, const char *field);
/* Does the state_fields record name @field?  false when not recorded. */
bool meta_has_state_field(const struct klpgen_meta *m, const char *field);

#endif
