/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen module: diff objects -> livepatch module.  The build driver calls
 * klpgen_make_module() directly.
 */
#ifndef KLPGEN_MODULE_H
#define KLPGEN_MODULE_H

#include <stdbool.h>
#include <stddef.h>

/* OBJNAME=FILE: a diff object of one kernel object, or a module .ko. */
struct module_input {
	char *obj;	/* "vmlinux" or a module name ('-' turned into '_') */
	char *path;
};

/* Free @n inputs (both strings of each) and the array. */
void module_inputs_free(struct module_input *v, size_t n);

struct module_opts {
	const char *name;		/* NAME.ko: klp_modname_ok(KLP_MODFILE_CHARS) */
	const char *kbuild;		/* kernel build dir (-k) */
	const char *outdir;		/* -o; default "." */
	bool replace;			/* default true */
	const char *vmlinux;		/* --vmlinux */
	const char *symvers;		/* --symvers; default KBUILD/Module.symvers */
	struct module_input *mods;	/* --module NAME=FILE.ko */
	size_t nr_mods;
	struct module_input *diffs;	/* OBJNAME=DIFF.o */
	size_t nr_diffs;
	const char *work;		/* --work: keep the work dir there */
	const char *templates;		/* --templates; NULL: default search */
	const char *livepatch_h;	/* --livepatch-h: struct klp_state source */
	const char *version;		/* --version: .klpgen.meta version */
	char **patches;			/* --patch: source patches, by name */
	size_t nr_patches;
	bool no_build;			/* --no-build: stop after the work dir */
	bool quiet;			/* no summary on stdout */
};

/*
 * Generate, build and convert the module; writes OUTDIR/NAME.ko.
 * Returns an exit code of lib/util.h (0 on success); messages go to stderr.
 */
int klpgen_make_module(const struct module_opts *o);

#endif
