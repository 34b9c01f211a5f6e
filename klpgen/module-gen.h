/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of klpgen module shared by klpgen/module*.c. */
#ifndef KLPGEN_MODULE_GEN_H
#define KLPGEN_MODULE_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "klpgen-abi.h"
#include "klpgen-meta.h"
#include "module.h"

struct pfunc {
	char *old_name;
	char *sym;		/* __klpgen_new.<obj>.<func>.<pos> */
	unsigned long pos;
};

struct pobj {
	char *name;		/* "vmlinux" or a module */
	struct pfunc *funcs;
	size_t nr_funcs;
	char *cb[NR_KLP_CB_KINDS];	/* alias symbols by kind, or NULL */
};

struct pstate {
	uint64_t id;
	uint32_t version;
	bool block_disable;
	bool is_shadow;
	const char *from;	/* diff object that declared it */
};

struct prevert {
	char *obj;		/* the diff object's OBJNAME */
	char *func;
};

struct ptie {
	uint64_t shadow, state;
};

struct state_fields {
	bool version, data, block_disable, is_shadow;
	bool known;		/* read from a livepatch.h */
};

struct patch_desc {
	struct pobj *objs;
	size_t nr_objs;
	struct pstate *states;
	size_t nr_states;
	uint64_t *shadows;
	size_t nr_shadows;
	struct ptie *ties;	/* KLPGEN_SHADOW_ID_STATE */
	size_t nr_ties;
	struct prevert *reverts;	/* KLPGEN_REVERT */
	size_t nr_reverts;
	size_t nr_funcs, nr_cbs;
	char **ns;		/* namespaces to import (module-ns.c) */
	size_t nr_ns;
	bool replace;
	struct state_fields fields;
};

/* Read every diff object of @o into @pd; 0 or an exit code. */
int patch_read(const struct module_opts *o, struct patch_desc *pd);
void patch_free(struct patch_desc *pd);
/* struct klp_state fields of the target; 0 or an exit code. */
int detect_state_fields(const struct module_opts *o, struct state_fields *f);
/* Check states against the detected fields; 0 or an exit code. */
int check_states(const struct patch_desc *pd);
/* The .klpgen.meta text and klpgen-generated.h contents (malloc'd). */
char *patch_meta(const struct module_opts *o, const struct patch_desc *pd);
char *patch_header(const struct module_opts *o, const struct patch_desc *pd);
/* The namespaces of the exports the diff objects use; 0 or an exit code. */
int patch_namespaces(const struct module_opts *o, struct patch_desc *pd);

#endif
