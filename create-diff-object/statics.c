// SPDX-License-Identifier: GPL-2.0
/*
 * Numbered static locals paired by content.
 *
 * gcc numbers static locals per object ("__func__.12", "__already_done.3")
 * and __COUNTER__ numbers "__UNIQUE_ID_ddebug123": a patch that adds one
 * (FORTIFY's strcat() brings a "__func__" of its own, a new pr_debug()
 * brings a descriptor) shifts every later number.  correlate.c groups
 * such symbols by their name without the number and by their user; when
 * a group holds more than one on a side, names would pair the wrong ones
 * (the new "__func__.13" with the old "__func__.13").  So before names,
 * symbols pair by what they hold:
 *   pass 0  equal bytes, objects without relocations (strings);
 *   pass 1  equal bytes and relocation targets (targets compare through
 *           the twins pass 0 found: a descriptor's __func__);
 *   pass 2  equal relocation targets only (a descriptor whose line moved).
 * A pair is made only when it is the one candidate both ways.  Groups are
 * small (one user's statics); larger ones than MAX_GROUP are left to names.
 */
#include <stdlib.h>

#include "cdo.h"

#define MAX_GROUP	64

static bool has_relocs(struct symbol *s)
{
	size_t n;

	elf_range_relocs(s->sec, s->sym.st_value, s->sym.st_size, &n);
	return n != 0;
}

static bool comparable(struct symbol *s)
{
	return !s->twin && s->sec && (s->type == STT_OBJECT) &&
	       s->sym.st_size && s->sym.st_value + s->sym.st_size <= s->sec->size &&
	       !is_text_section(s->sec);
}

static bool alike(struct cdo *c, struct symbol *o, struct symbol *p, int pass)
{
	uint64_t at;
	char *why;

	if (!comparable(o) || !comparable(p) ||
	    o->sym.st_size != p->sym.st_size || !o->sec->data != !p->sec->data)
		return false;
	if (pass == 0 && (has_relocs(o) || has_relocs(p)))
		return false;
	if (pass == 2) {
		if (!has_relocs(o) || !has_relocs(p))
			return false;
		why = compare_targets(c, o->sec, o->sym.st_value, p->sec,
				      p->sym.st_value, p->sym.st_size, &at);
	} else {
		why = compare_range(c, o->sec, o->sym.st_value, p->sec,
				    p->sym.st_value, p->sym.st_size, &at);
	}
	free(why);
	return !why;
}

void pair_by_content(struct cdo *c, struct symbol **o, size_t no,
		     struct symbol **p, size_t np, int pass)
{
	size_t i, j, k, hits, at;

	if (no > MAX_GROUP || np > MAX_GROUP || no + np < 3)
		return;
	for (j = 0; j < np; j++) {
		if (p[j]->twin)
			continue;
		for (i = 0, hits = 0, at = 0; i < no && hits < 2; i++)
			if (!o[i]->twin && alike(c, o[i], p[j], pass)) {
				hits++;
				at = i;
			}
		if (hits != 1)
			continue;
		/* and p[j] is the only one of its side like o[at] */
		for (k = 0; k < np && hits == 1; k++)
			if (k != j && !p[k]->twin && alike(c, o[at], p[k], pass))
				hits++;
		if (hits == 1) {
			DEBUG2("correlate: %s <-> %s by content", o[at]->name,
			       p[j]->name);
			correlate_pair(o[at], p[j]);
		}
	}
}
