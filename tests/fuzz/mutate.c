// SPDX-License-Identifier: GPL-2.0
/*
 * The mutator: most mutations hit a field of the ELF structures (the ELF
 * header, a section header, a symbol, a relocation, a group member word)
 * with a value chosen to break an assumption (0, all ones, an index just
 * out of range, a power of two, another entry's value); the rest change
 * raw bytes, cut the file or copy one entry over another.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* A field of @width bytes at @off in the buffer. */
struct field {
	size_t off;
	unsigned int width;
};

/* The tables of a (possibly already broken) ELF file, read tolerantly. */
struct layout {
	uint64_t shoff;
	size_t shnum;
	struct { size_t off, size; uint32_t type; } secs[FUZZ_MAX_SECS];
	size_t nsecs;
	size_t nsyms;
};

static uint64_t rng_state;

void fuzz_seed(uint64_t seed)
{
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t fuzz_rand(void)
{
	/* xorshift64*: fast, and the same sequence for the same seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
	return n ? fuzz_rand() % n : 0;
}

static uint64_t get(const struct buf *b, size_t off, unsigned int w)
{
	uint64_t v = 0;

	if (off + w > b->len)
		return 0;
	memcpy(&v, b->data + off, w);	/* little-endian host and files */
	return v;
}

static void put(struct buf *b, size_t off, unsigned int w, uint64_t v)
{
	if (off + w <= b->len)
		memcpy(b->data + off, &v, w);
}

static void read_layout(const struct buf *b, struct layout *l)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	if (b->len < 64 || memcmp(b->data, "\177ELF", 4))
		return;
	l->shoff = get(b, 40, 8);
	l->shnum = get(b, 60, 2);
	if (l->shoff >= b->len)
		return;
	for (i = 0; i < l->shnum && l->nsecs < FUZZ_MAX_SECS; i++) {
		size_t h = l->shoff + i * 64;

		if (h + 64 > b->len)
			break;
		l->secs[l->nsecs].type = get(b, h + 4, 4);
		l->secs[l->nsecs].off = get(b, h + 24, 8);
		l->secs[l->nsecs].size = get(b, h + 32, 8);
		if (l->secs[l->nsecs].type == 2)	/* SHT_SYMTAB */
			l->nsyms = l->secs[l->nsecs].size / 24;
		l->nsecs++;
	}
}

/* A value meant to hit an edge, for a field that held @old. */
static uint64_t edge_value(const struct layout *l, const struct buf *b,
			   uint64_t old, unsigned int w)
{
	uint64_t mask = w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
	static const uint64_t special[] = {
		0xff00, 0xff20, 0xfff1, 0xfff2, 0xffff,	/* SHN_* */
		0x7fffffff, 0x80000000, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0x10000000, 0x40000000,
	};

	switch (below(14)) {
	case 0: return 0;
	case 1: return mask;
	case 2: return 1;
	case 3: return (old + 1 + below(16)) & mask;
	case 4: return (old - 1 - below(16)) & mask;
	case 5: return (1ull << below(8 * w)) & mask;
	case 6: return special[below(sizeof(special) / sizeof(special[0]))] & mask;
	case 7: return l->shnum + below(3) - 1;		/* section index edges */
	case 8: return below(l->shnum + 1);		/* another section */
	case 9: return l->nsyms + below(3) - 1;		/* symbol index edges */
	case 10: return (b->len + below(64) - 32) & mask;	/* file size */
	case 11: return (old ^ (1ull << below(8 * w))) & mask;
	case 12: return (old * 2) & mask;
	default: return fuzz_rand() & mask;
	}
}

static const struct field ehdr_fields[] = {
	{ 4, 1 }, { 5, 1 }, { 16, 2 }, { 18, 2 }, { 24, 8 }, { 32, 8 },
	{ 40, 8 }, { 52, 2 }, { 54, 2 }, { 56, 2 }, { 58, 2 }, { 60, 2 },
	{ 62, 2 },
};
static const struct field shdr_fields[] = {
	{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 8 }, { 24, 8 }, { 32, 8 },
	{ 40, 4 }, { 44, 4 }, { 48, 8 }, { 56, 8 },
};
static const struct field sym_fields[] = {
	{ 0, 4 }, { 4, 1 }, { 5, 1 }, { 6, 2 }, { 8, 8 }, { 16, 8 },
};
static const struct field rela_fields[] = {
	{ 0, 8 }, { 8, 4 }, { 12, 4 }, { 16, 8 },
};

#define NFIELDS(a)	(sizeof(a) / sizeof(a[0]))

/* A section of type @type (any when 0), or -1. */
static long pick_section(const struct layout *l, uint32_t type)
{
	size_t i, n = 0, k;

	for (i = 0; i < l->nsecs; i++)
		n += !type || l->secs[i].type == type;
	if (!n)
		return -1;
	k = below(n);
	for (i = 0; i < l->nsecs; i++)
		if ((!type || l->secs[i].type == type) && !k--)
			return i;
	return -1;
}

/* An entry of @entsize in a section of @type: its file offset, or false. */
static bool pick_entry(const struct layout *l, const struct buf *b,
		       uint32_t type, size_t entsize, size_t *off)
{
	long s = pick_section(l, type);
	size_t n;

	if (s < 0)
		return false;
	n = l->secs[s].size / entsize;
	if (!n || l->secs[s].off >= b->len)
		return false;
	*off = l->secs[s].off + below(n) * entsize;
	return *off + entsize <= b->len;
}

static bool mutate_field(struct buf *b, const struct layout *l)
{
	const struct field *f;
	size_t base;

	switch (below(10)) {
	case 0:
		f = &ehdr_fields[below(NFIELDS(ehdr_fields))];
		base = 0;
		break;
	case 1: case 2: case 3:
		if (!l->nsecs)
			return false;
		f = &shdr_fields[below(NFIELDS(shdr_fields))];
		base = l->shoff + below(l->nsecs) * 64;
		break;
	case 4: case 5:
		f = &sym_fields[below(NFIELDS(sym_fields))];
		if (!pick_entry(l, b, 2, 24, &base))
			return false;
		break;
	case 6: case 7:
		f = &rela_fields[below(NFIELDS(rela_fields))];
		if (!pick_entry(l, b, 4, 24, &base))
			return false;
		break;
	default: {
		static const struct field word = { 0, 4 };

		f = &word;
		if (!pick_entry(l, b, below(2) ? 17 : 18, 4, &base))
			return false;	/* SHT_GROUP, SHT_SYMTAB_SHNDX */
	}
	}
	put(b, base + f->off, f->width,
	    edge_value(l, b, get(b, base + f->off, f->width), f->width));
	return true;
}

/* Copy one section header, symbol or relocation over another. */
static bool mutate_copy(struct buf *b, const struct layout *l)
{
	size_t from, to, size = below(2) ? 64 : 24;

	if (size == 64) {
		if (l->nsecs < 2)
			return false;
		from = l->shoff + below(l->nsecs) * 64;
		to = l->shoff + below(l->nsecs) * 64;
	} else if (!pick_entry(l, b, below(2) ? 2 : 4, 24, &from) ||
		   !pick_entry(l, b, 0, 24, &to)) {
		return false;
	}
	if (from + size > b->len || to + size > b->len)
		return false;
	memmove(b->data + to, b->data + from, size);
	return true;
}

static void mutate_bytes(struct buf *b)
{
	size_t n = 1 + below(4), i;

	if (!b->len)
		return;
	for (i = 0; i < n; i++) {
		size_t off = below(b->len);

		switch (below(4)) {
		case 0: b->data[off] = 0; break;
		case 1: b->data[off] = 0xff; break;
		case 2: b->data[off] ^= 1 << below(8); break;
		default: b->data[off] = fuzz_rand(); break;
		}
	}
}

static void mutate_size(struct buf *b)
{
	size_t cut;

	if (below(3) || b->len + 256 > b->cap) {
		if (b->len)
			b->len = below(b->len);		/* truncate */
		return;
	}
	cut = below(256) + 1;				/* append garbage */
	while (cut--)
		b->data[b->len++] = fuzz_rand();
}

void fuzz_mutate(struct buf *b)
{
	struct layout l;
	int n = 1 + below(3), i;

	for (i = 0; i < n; i++) {
		unsigned int r = below(100);

		read_layout(b, &l);	/* earlier mutations may move tables */
		if (r < 70) {
			if (!mutate_field(b, &l))
				mutate_bytes(b);
		} else if (r < 80) {
			if (!mutate_copy(b, &l))
				mutate_bytes(b);
		} else if (r < 97) {
			mutate_bytes(b);
		} else {
			mutate_size(b);
		}
	}
}
