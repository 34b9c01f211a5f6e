// SPDX-License-Identifier: GPL-2.0
/*
 * x86 .fixup (kernels before 5.17, RHEL 8 and 9 among them): the fixup
 * field of an __ex_table entry points into one .fixup section that the
 * uaccess macros of the whole object append to:
 *
 *	1:	movl (%rsi), %eax		(in the function)
 *	2:
 *		.section .fixup, "ax"
 *	3:	mov $-EFAULT, %edx
 *		jmp 2b				(R_X86_64_PC32 back into it)
 *		.previous
 *		_ASM_EXTABLE(1b, 3b)
 *
 * .fixup is split per entry: a piece starts where an entry points and ends
 * with its first relocation into other code (the jump back), before the
 * next piece starts.  The piece follows its entry: compared by content,
 * copied with it (output.c), so a change in one function's fixup code, or
 * pieces that moved, change no other function.  A piece with no jump back
 * before the next one is not split: its entry keeps pointing into .fixup,
 * which is then refused as not included.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"

#define FIXUP_FIELD	4	/* insn, fixup, handler/data: s32 each */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Offset in .fixup that entry @idx's fixup field points at, or -1. */
static int64_t fixup_start(struct special *sp, size_t idx,
			   const struct section *fx)
{
	struct reloc **rv;
	size_t n, k;

	special_entry_relocs(sp, idx, &rv, &n);
	for (k = 0; k < n; k++) {
		const struct reloc *r = rv[k];

		if (r->offset != idx * sp->entsize + FIXUP_FIELD)
			continue;
		if (r->sym->sec != fx || r->addend < 0)
			return -1;
		return (int64_t)(r->sym->type == STT_SECTION ? 0 :
				 r->sym->sym.st_value) + r->addend;
	}
	return -1;
}

/* End of the piece at @start: after its jump back, before @limit. */
static uint64_t piece_end(const struct section *fx, struct reloc **rv,
			  size_t nr, uint64_t start, uint64_t limit)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rv[mid]->offset < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nr && rv[lo]->offset < limit; lo++) {
		const struct reloc *r = rv[lo];
		unsigned int w = reloc_width(r->type);

		if (r->sym->sec && r->sym->sec != fx &&
		    is_text_section(r->sym->sec) &&
		    r->offset + (w ? w : 4) <= limit)
			return r->offset + (w ? w : 4);
	}
	return 0;
}

void fixup_split(struct elf_file *elf, struct special *sp)
{
	struct section *fx = elf_find_section(elf, ".fixup");
	uint64_t *starts;
	struct reloc **rv;
	size_t i, n = 0, nr;

	if (!fx || !fx->data || !fx->rela || strcmp(sp->sec->name, "__ex_table"))
		return;
	rv = elf_sorted_relocs(fx, &nr);
	sp->piece_off = xcalloc(sp->nr + 1, sizeof(*sp->piece_off));
	sp->piece_len = xcalloc(sp->nr + 1, sizeof(*sp->piece_len));
	starts = xcalloc(sp->nr + 1, sizeof(*starts));
	for (i = 0; i < sp->nr; i++) {
		int64_t s = fixup_start(sp, i, fx);

		sp->piece_off[i] = s < 0 ? UINT64_MAX : (uint64_t)s;
		if (s >= 0 && (uint64_t)s < fx->size)
			starts[n++] = s;
	}
	qsort(starts, n, sizeof(*starts), cmp_u64);
	for (i = 0; i < sp->nr; i++) {
		uint64_t s = sp->piece_off[i], limit = fx->size, *next, end;

		if (s >= fx->size)
			continue;
		next = bsearch(&s, starts, n, sizeof(*starts), cmp_u64);
		while (next && next + 1 < starts + n && next[1] == s)
			next++;		/* entries sharing the piece */
		if (next && next + 1 < starts + n)
			limit = next[1];
		end = piece_end(fx, rv, nr, s, limit);
		if (end > s)
			sp->piece_len[i] = end - s;
		else
			DEBUG("%s: .fixup+0x%llx (__ex_table entry %zu) has no jump back before +0x%llx: not split",
			      elf->path, (unsigned long long)s, i,
			      (unsigned long long)limit);
	}
	sp->piece_sec = fx;
	free(starts);
}

bool fixup_piece(const struct special *sp, size_t idx, struct section **sec,
		 uint64_t *off, uint64_t *len)
{
	if (!sp->piece_sec || !sp->piece_len[idx])
		return false;
	*sec = sp->piece_sec;
	*off = sp->piece_off[idx];
	*len = sp->piece_len[idx];
	return true;
}
