/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klpgen check: may livepatch NEXT be enabled after PREV...?
 *   check.c        the command, reading the modules, the verdict
 *   check-rules.c  the rules, each finding naming the function, state or id
 * `klpgen build --prev` and `klpgen series build` call check_modules().
 */
#ifndef KLPGEN_CHECK_H
#define KLPGEN_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "klpgen-meta.h"

struct check_module {
	char *path;
	const char *name;	/* meta.module */
	struct klpgen_meta meta;
	bool from_meta;		/* else read from its klp_patch data */
	char *vermagic;		/* .modinfo vermagic=, or NULL */
};

struct check_report {
	FILE *out;
	size_t errors, warnings, notes;
};

/* One finding; @level is "error", "warning" or "note". */
void check_finding(struct check_report *r, const char *level,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The rules for enabling @next while @prev[0..n) are installed (loaded
 * in that order), by the rule of the kernel @next was built for.
 */
void check_rules(const struct check_module *prev, size_t n,
		 const struct check_module *next, struct check_report *r);

/*
 * Check @paths[n-1] (NEXT) against @paths[0..n-1) (PREV...), reporting to
 * @out.  Returns EXIT_OK (compatible, warnings allowed), EXIT_UNSAFE (4:
 * incompatible) or EXIT_BAD_INPUT (a module unreadable or without
 * livepatch data, modules of different kernels).
 */
int check_modules(char *const *paths, size_t n, FILE *out);

#endif
