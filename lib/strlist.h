/* SPDX-License-Identifier: GPL-2.0 */
/* A growable, NULL-terminated list of owned strings (usable as an argv). */
#ifndef KLPGEN_STRLIST_H
#define KLPGEN_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;	/* v[n] == NULL once anything was added */
	size_t n;
	size_t cap;
};

void sl_add(struct strlist *l, const char *s);	/* copies @s */
void sl_add_own(struct strlist *l, char *s);	/* takes @s */
bool sl_has(const struct strlist *l, const char *s);	/* linear */
void sl_sort(struct strlist *l);
/* Binary search in a list sorted by sl_sort(). */
bool sl_sorted_has(const struct strlist *l, const char *s);
void sl_free(struct strlist *l);

#endif
