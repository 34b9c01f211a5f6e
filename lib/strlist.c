// SPDX-License-Identifier: GPL-2.0
/* struct strlist: see strlist.h. */
#include <stdlib.h>
#include <string.h>

#include "strlist.h"
#include "util.h"

void sl_add_own(struct strlist *l, char *s)
{
	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(char *));
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

void sl_add(struct strlist *l, const char *s)
{
	sl_add_own(l, s ? xstrdup(s) : NULL);
}

bool sl_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] && !strcmp(l->v[i], s))
			return true;
	return false;
}

void sl_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl_sort(struct strlist *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(char *), cmp_str);
}

bool sl_sorted_has(const struct strlist *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(char *), cmp_str);
}
