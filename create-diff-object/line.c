// SPDX-License-Identifier: GPL-2.0
/*
 * __LINE__ as an immediate in code: might_sleep(), lockdep annotations,
 * WARN variants and filesystem error macros pass the line number of their
 * caller as an argument, so a patch that only moves lines changes the
 * code of every function using them further down the file.
 *
 * Such a difference is ignored only when all of this holds for each one:
 * the bytes that differ are inside the immediate of an instruction that
 * passes it (arch_imm_insn(); x86: `mov $imm32, %r32`, `movl $imm32, m32`,
 * `push $imm32` or `push $imm8`, a 7th argument) whose other bytes are
 * equal; in ORIG the immediate is the source line of that very
 * instruction in ORIG's DWARF line table or a few lines after it (clang
 * gives a call's argument set-up the line the call starts on), and in
 * PATCHED it lies the same number of lines after the instruction's line
 * in PATCHED's.  The shift is then the one the patch made at that spot,
 * and a constant that changed is not hidden (it would have to follow its
 * own line number by the same distance on both sides).  Without
 * DWARF line tables nothing is ignored.  A string literal that embeds the
 * line of its user (line_string) moves the same way and is ignored by the
 * same test.
 */
#include <stdlib.h>
#include <string.h>

#include "cdo.h"
#include "dwarf.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Whether the DWARF line of @off in section @sec of @path is @want. */
static bool line_at_is(const char *path, const struct section *sec,
		       uint64_t off, unsigned long want)
{
	long line = dwarf_line_at(path, sec->index, off);

	return line > 0 && (unsigned long)line == want;
}

/*
 * How many lines @want (an immediate) lies after the DWARF line of the
 * instruction at @at of @s, or -1: gcc gives the instruction the line of
 * __LINE__ itself, clang that of the statement it is an argument of, a
 * few lines up when the call spans lines.
 */
#define LINE_SPAN 8
static int line_delta(const char *path, const struct symbol *s, uint64_t at,
		      uint32_t want)
{
	long line = dwarf_line_at(path, s->sec->index, s->sym.st_value + at);

	if (line <= 0 || want < (unsigned long)line ||
	    want - (unsigned long)line > LINE_SPAN)
		return -1;
	return (int)(want - (unsigned long)line);
}

/* @o's immediate @io and @p's @ip lie as many lines after their lines. */
static bool lines_match(struct cdo *c, const struct symbol *o,
			const struct symbol *p, uint64_t at, uint32_t io,
			uint32_t ip)
{
	int d = line_delta(c->orig_path, o, at, io);

	return d >= 0 && d == line_delta(c->patched_path, p, at, ip);
}

/*
 * A mask of the bytes of @o/@p (same size) to ignore, set when every byte
 * that differs (outside relocation fields, given in @rmask) is part of a
 * __LINE__ immediate; NULL otherwise.  *what gets a description.
 */
unsigned char *line_immediates(struct cdo *c, const struct symbol *o,
			       const struct symbol *p, const unsigned char *rmask,
			       char **what)
{
	const unsigned char *a = (const unsigned char *)o->sec->data +
				 o->sym.st_value;
	const unsigned char *b = (const unsigned char *)p->sec->data +
				 p->sym.st_value;
	uint64_t len = p->sym.st_size, i, done = 0, k;
	unsigned char *ign = xcalloc(1, len + 1);
	struct strbuf sb;
	size_t n = 0;

	strbuf_init(&sb);
	for (i = 0; i < len; i++) {
		bool found = false;
		int64_t at;

		if (rmask[i] || a[i] == b[i] || ign[i])
			continue;
		for (k = i >= 3 ? i - 3 : 0; k <= i && !found; k++) {
			uint32_t lo_, lp;
			int64_t insn;

			if (k < done || k + 4 > len || rmask[k] || rmask[k + 1] ||
			    rmask[k + 2] || rmask[k + 3])
				continue;
			insn = arch_imm_insn(a, done, k, 4);
			if (insn < 0 || memcmp(a + insn, b + insn, k - insn))
				continue;
			lo_ = le32(a + k);
			lp = le32(b + k);
			if (lo_ == lp || !lo_ || !lp || lo_ > 1u << 22 ||
			    lp > 1u << 22 ||
			    !lines_match(c, o, p, insn, lo_, lp))
				continue;
			memset(ign + k, 1, 4);
			done = k + 4;
			found = true;
			if (n++ < 3)
				strbuf_addf(&sb, "%s+0x%llx: %u -> %u",
					    n > 1 ? ", " : "",
					    (unsigned long long)k, lo_, lp);
		}
		/* an imm8 (x86 push $imm8): lines below 128, a 7th argument */
		at = found ? -1 : arch_imm_insn(a, done, i, 1);
		if (at >= 0 &&
		    a[i] > 0 && a[i] < 0x80 && b[i] > 0 && b[i] < 0x80 &&
		    lines_match(c, o, p, at, a[i], b[i])) {
			ign[i] = 1;
			done = i + 1;
			found = true;
			if (n++ < 3)
				strbuf_addf(&sb, "%s+0x%llx: %u -> %u",
					    n > 1 ? ", " : "",
					    (unsigned long long)i, a[i], b[i]);
		}
		if (!found) {
			free(ign);
			strbuf_free(&sb);
			return NULL;
		}
	}
	if (!n) {
		free(ign);
		strbuf_free(&sb);
		return NULL;
	}
	if (n > 3)
		strbuf_addf(&sb, ", ...");
	*what = xasprintf("only __LINE__ immediates differ (%zu: %s)", n,
			  sb.buf);
	strbuf_free(&sb);
	return ign;
}

/* The decimal number at @s (at most @n bytes), its length in *len. */
static unsigned long decimal_at(const char *s, size_t n, size_t *len)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < n && i < 8 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	*len = i;
	return v;
}

/*
 * FORTIFY's field-spanning memcpy() warning names its caller as
 * "field \"p\" at " __FILE__ ":" __stringify(__LINE__): a string literal
 * that moves with the code.  Equal strings but for one decimal number that
 * reads, on each side, the source line of the instruction referring to it.
 */
bool line_string(struct cdo *c, const struct section *os, uint64_t oat,
		 const struct target *to, const struct section *ps,
		 uint64_t pat, const struct target *tp)
{
	size_t i = 0, lo_len, lp_len;
	unsigned long lo, lp;

	if (to->kind != T_STR || tp->kind != T_STR || !to->str || !tp->str ||
	    to->bias != tp->bias)
		return false;
	while (i < to->len && i < tp->len && to->str[i] == tp->str[i])
		i++;
	while (i > 0 && to->str[i - 1] >= '0' && to->str[i - 1] <= '9')
		i--;
	lo = decimal_at(to->str + i, to->len - i, &lo_len);
	lp = decimal_at(tp->str + i, tp->len - i, &lp_len);
	if (!lo_len || !lp_len || lo == lp ||
	    to->len - lo_len != tp->len - lp_len ||
	    memcmp(to->str + i + lo_len, tp->str + i + lp_len,
		   to->len - i - lo_len))
		return false;
	return line_at_is(c->orig_path, os, oat, lo) &&
	       line_at_is(c->patched_path, ps, pat, lp);
}
