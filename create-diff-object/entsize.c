// SPDX-License-Identifier: GPL-2.0
/*
 * Entry sizes of special sections from their relocation layout.
 *
 * Every entry of a special section carries the same relocations at the
 * same offsets (code field, target, key, string ...), so the stride shows
 * in the relocations alone: a stride fits when each entry holds the same
 * relocation slots as the first one (offset in the entry, type, and
 * whether the target is code), every slot ends inside the entry, and the
 * section ends inside the last entry.  The last entry may lack its tail
 * padding (.parainstructions: 10 or 12 bytes of a 16-byte struct, the
 * assembler pads only between entries).
 *
 * A struct made of identical slots (three s32 code pointers) also fits
 * every multiple of one slot: the smallest fitting stride is the answer
 * only when the section's known sizes do not say otherwise (see
 * entsize_infer()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

/* Largest entry considered: kernel special-section structs are small. */
#define ENTSIZE_MAX	256

static bool targets_code(const struct elf_file *elf, const struct reloc *r)
{
	const struct symbol *s = elf_reloc_sym(elf, r);

	return s && s->sec && !sym_is_undefined(s) && is_text_section(s->sec);
}

static unsigned int width_of(const struct reloc *r)
{
	unsigned int w = reloc_width(r->type);

	return w ? w : 4;
}

/*
 * NULL if stride @s fits the sorted relocations @rv of @sec, else why not
 * (in @buf).  @owner_off: the entry's code field, which must be relocated
 * (NO_OWNER_FIELD: none).
 */
const char *entsize_check(const struct elf_file *elf,
			  const struct section *sec, struct reloc *rv,
			  size_t nr, size_t s, unsigned int owner_off,
			  char *buf, size_t len)
{
	size_t n, k, i, j, last;
	bool has_owner = owner_off == NO_OWNER_FIELD;

	if (!s || !nr)
		return "no relocations";
	n = (sec->sh.sh_size + s - 1) / s;
	if (nr % n) {
		snprintf(buf, len, "%zu relocations do not spread evenly over %zu entries",
			 nr, n);
		return buf;
	}
	k = nr / n;
	for (j = 0; j < k; j++) {
		uint64_t at = rv[j].offset;

		if (at + width_of(&rv[j]) > s) {
			snprintf(buf, len, "the relocation at +0x%llx crosses the entry's end",
				 (unsigned long long)at);
			return buf;
		}
		has_owner |= at == owner_off;
	}
	if (!has_owner) {
		snprintf(buf, len, "no relocation at the code field (+%u) of the first entry",
			 owner_off);
		return buf;
	}
	for (i = 1; i < n; i++) {
		for (j = 0; j < k; j++) {
			const struct reloc *a = &rv[j], *b = &rv[i * k + j];

			if (b->offset - i * s != a->offset || b->type != a->type ||
			    targets_code(elf, a) != targets_code(elf, b)) {
				snprintf(buf, len, "entry %zu (at +0x%zx) has relocations unlike the first entry's",
					 i, i * s);
				return buf;
			}
		}
	}
	last = sec->sh.sh_size - (n - 1) * s;
	if (rv[nr - 1].offset + width_of(&rv[nr - 1]) > sec->sh.sh_size ||
	    (last < s && rv[k - 1].offset + width_of(&rv[k - 1]) > last)) {
		snprintf(buf, len, "the last entry (%zu bytes) is too short for its relocations",
			 last);
		return buf;
	}
	return NULL;
}

/*
 * The entry size of @sec from its relocations: the smallest fitting
 * stride, unless that is none of the section's @known sizes (0-ended) and
 * one of them fits too: a multiple of it (a struct of identical slots,
 * e.g. the three s32 code pointers of an old __ex_table in the file that
 * defines its handlers), or, for a section of one entry, any size its
 * entry fits in (a .parainstructions entry without its tail padding).
 * 0 when nothing fits or several known sizes do: *why says which.
 */
size_t entsize_infer(const struct elf_file *elf,
		     const struct section *sec, struct reloc *rv, size_t nr,
		     unsigned int owner_off, const unsigned int *known,
		     char *why, size_t len)
{
	size_t s, best = 0, nk = 0, found = 0, max, n;
	char buf[160];

	*why = '\0';
	if (!nr) {
		snprintf(why, len, "it has no relocations");
		return 0;
	}
	max = sec->sh.sh_size < ENTSIZE_MAX ? sec->sh.sh_size : ENTSIZE_MAX;
	for (s = 1; s <= max && !best; s++)
		if (!entsize_check(elf, sec, rv, nr, s, owner_off, buf, sizeof(buf)))
			best = s;
	if (!best) {
		snprintf(why, len, "no stride up to %zu bytes fits its %zu relocations",
			 max, nr);
		return 0;
	}
	n = (sec->sh.sh_size + best - 1) / best;
	for (; known && *known; known++) {
		if (*known == best)
			return best;
		if ((n > 1 && *known % best) ||
		    entsize_check(elf, sec, rv, nr, *known, owner_off, buf,
				  sizeof(buf)))
			continue;
		if (!nk++ || *known < found)
			found = *known;
	}
	if (nk > 1 && n > 1) {
		snprintf(why, len, "its relocations fit %zu of the known entry sizes (the smallest stride is %zu)",
			 nk, best);
		return 0;
	}
	return nk ? found : best;
}
