// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64 instruction encodings the differ reads around a relocation or an
 * immediate: only the few bytes before a field, never a full decode
 * (lib/arch.h).
 */
#include "arch.h"

/*
 * Bytes from a RIP-relative disp32 at @off to the end of its instruction:
 * 4, plus the immediate that follows it.  Only the bytes before the
 * displacement are read: ModRM (mod 00, r/m 101), the opcode before it,
 * 0x0f / 0x0f 0x3a escapes and a 0x66 operand-size prefix.
 */
unsigned int arch_pcrel_tail(const unsigned char *b, size_t len, uint64_t off)
{
	unsigned char modrm, op, reg;
	bool esc, esc3a, opsize;
	int64_t k;

	if (!b || off < 2 || off + 4 > len)
		return 4;
	modrm = b[off - 1];
	op = b[off - 2];
	if ((modrm & 0xc7) != 0x05)
		return 4;		/* call/jmp/jcc rel32 and the like */
	reg = (modrm >> 3) & 7;
	esc = off >= 3 && b[off - 3] == 0x0f;
	esc3a = off >= 4 && b[off - 4] == 0x0f && b[off - 3] == 0x3a;
	if (esc3a)
		return 5;		/* 0f 3a xx: all take an imm8 */
	if (esc) {
		switch (op) {
		case 0x70: case 0x71: case 0x72: case 0x73:
		case 0xa4: case 0xac: case 0xba:
		case 0xc2: case 0xc4: case 0xc5: case 0xc6:
			return 5;
		}
		return 4;
	}
	/* operand-size prefix before the opcode, maybe with a REX between */
	k = (int64_t)off - 3;
	if (k >= 0 && b[k] >= 0x40 && b[k] <= 0x4f)
		k--;
	opsize = k >= 0 && b[k] == 0x66;
	switch (op) {
	case 0x80: case 0x82: case 0x83: case 0xc0: case 0xc1:
	case 0xc6: case 0x6b:
		return 5;
	case 0x81: case 0xc7: case 0x69:
		return opsize ? 6 : 8;
	case 0xf6:
		return reg <= 1 ? 5 : 4;
	case 0xf7:
		return reg <= 1 ? (opsize ? 6 : 8) : 4;
	}
	return 4;
}

/* What arch_pcrel_tail() can return: rel32, with an imm8, imm16 or imm32. */
static const unsigned int tails[] = { 4, 5, 6, 8 };

const unsigned int *arch_pcrel_tails(size_t *n)
{
	*n = sizeof(tails) / sizeof(tails[0]);
	return tails;
}

/* mov $imm32, r/m32 (C7 /0): opcode, ModRM, [SIB], [disp8|disp32] */
static int64_t mov_imm32_rm(const unsigned char *b, uint64_t lo, uint64_t k)
{
	unsigned char modrm;
	int64_t m;

	for (m = (int64_t)k - 1; m >= (int64_t)k - 6 && m > (int64_t)lo; m--) {
		uint64_t need;

		modrm = b[m];
		if (b[m - 1] != 0xc7 || (modrm & 0x38))
			continue;
		need = 1;				/* ModRM */
		if ((modrm & 0xc0) != 0xc0 && (modrm & 7) == 4)
			need++;				/* SIB */
		if ((modrm & 0xc0) == 0x40)
			need += 1;
		else if ((modrm & 0xc0) == 0x80 ||
			 ((modrm & 0xc0) == 0 && (modrm & 7) == 5))
			need += 4;
		if ((uint64_t)m + need == k)
			return m - 1;
	}
	return -1;
}

int64_t arch_imm_insn(const unsigned char *b, uint64_t lo, uint64_t k,
		      unsigned int width)
{
	if (width == 1)		/* push $imm8 */
		return k >= lo + 1 && b[k - 1] == 0x6a ? (int64_t)k - 1 : -1;
	if (width != 4)
		return -1;
	if (k >= lo + 1 && ((b[k - 1] >= 0xb8 && b[k - 1] <= 0xbf) ||
			    b[k - 1] == 0x68))
		return k - 1;	/* mov $imm32, %r32 (REX.B allowed); push */
	return mov_imm32_rm(b, lo, k);
}
