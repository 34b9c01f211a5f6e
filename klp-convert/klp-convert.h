/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KLP_CONVERT_H
#define KLP_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "hash.h"
#include "klpgen-abi.h"

struct elf_file;
struct symbol;

/* "NAME=OBJ[,POS]" given with --sym. */
struct user_sym {
	char *name;
	char *obj;
	unsigned long pos;
	bool has_pos;
};

/*
 * An object whose symbols are checked: vmlinux or a module .ko.  Only the
 * symbol names the conversion asks about are counted (see verify.c).
 */
struct target {
	char *name;		/* "vmlinux" or the module name */
	char *path;
	struct hashmap counts;	/* wanted name -> (count + 1) as pointer */
	bool loaded;
};

struct conv_opts {
	struct target *targets;	/* [0] is vmlinux when given */
	size_t nr_targets;
	const char *symvers;
	struct user_sym *syms;
	size_t nr_syms;
	/* Apply --sym/--symvers and check, but convert nothing. */
	bool prelink;
};

/* Exit code of the worst error seen so far (0 if none). */
extern int conv_status;
void conv_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* verify.c */
struct target *target_find(struct conv_opts *o, const char *obj);
/* Symbols named @name in @t as kallsyms would count them; -1 on error. */
long target_count(struct target *t, const char *name);
/*
 * Count the names in @wanted (hash of name -> anything) in each target,
 * reading each file once.  0 on success.
 */
int targets_load(struct conv_opts *o, struct hashmap *wanted);
void targets_free(struct conv_opts *o);


/* convert.c */
int klp_convert(struct conv_opts *o, const char *in, const char *out);

/* meta.c */
int meta_show(const char *path);

#endif
