#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed input: a clear error naming the file (and the section or
# symbol), exit 2, never a crash or a sanitizer report.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
FIX=$FIXTURES/lib
P="perl $FIX/patch.pl"

cat >"$TMP/base.c" <<'C'
static int counter;
extern int ext(int);
__attribute__((noinline)) int foo(int x) { return ext(x) + counter++; }
int bar(int x) { return foo(x) * 2; }
C
kcc "$TMP/base.o" "$TMP/base.c" || bail "cannot compile"
kcc "$TMP/group.o" "$FIX/kernelish.c"

bad() {	# DESC FILE REGEX: elfcheck fails with exit 2 and a matching message
	local out rc r=1
	out=$("$TOOLS/elfcheck" "$2" 2>&1); rc=$?
	if [ $rc -eq 2 ] && ! grep -Eq 'Sanitizer|runtime error' <<<"$out" &&
	   grep -Fq -- "$2" <<<"$out" && grep -Eq -- "$3" <<<"$out"; then
		r=0
	else
		printf '# rc=%s: %s\n' "$rc" "$(head -c 600 <<<"$out")"
	fi
	_tap_result $r "$1"
}

mk() { cp "$TMP/${2:-base}.o" "$TMP/$1.o"; echo "$TMP/$1.o"; }
shdr() { $P shdr "$1" "$($P secidx "$1" "$2")"; }

ok_desc "the untouched object is fine" "$TOOLS/elfcheck" "$TMP/base.o"

echo "just some text, not an object" >"$TMP/text.o"
bad "not an ELF file" "$TMP/text.o" "not an ELF file"
: >"$TMP/empty.o"
bad "empty file" "$TMP/empty.o" "not an ELF file \(empty\)"
head -c 12 "$TMP/base.o" >"$TMP/tiny.o"
bad "truncated inside e_ident" "$TMP/tiny.o" "truncated ELF header"
head -c 40 "$TMP/base.o" >"$TMP/short.o"
bad "truncated ELF header" "$TMP/short.o" "truncated ELF header"
size=$(stat -c %s "$TMP/base.o")
head -c $(($($P get "$TMP/base.o" 40 8) + 30)) "$TMP/base.o" >"$TMP/half.o"
bad "truncated file (section headers cut off)" "$TMP/half.o" \
	"section header table offset .* past the end of the file"
head -c $((size - 100)) "$TMP/base.o" >"$TMP/cut.o"
bad "truncated file (last section headers cut off)" "$TMP/cut.o" \
	"section header table .* extends past the end of the file"

f=$(mk class32); $P set "$f" 4 1 1
bad "32-bit object (EI_CLASS patched)" "$f" "ELF class 1 \(32-bit\) is not supported"
f=$(mk bigendian); $P set "$f" 5 1 2
bad "big-endian object" "$f" "not a little-endian ELF file"
f=$(mk aarch64); $P set "$f" 18 2 183
bad "foreign machine (e_machine = EM_AARCH64)" "$f" "machine 183 is not x86_64"
f=$(mk shoff); $P set "$f" 40 8 0x7fffffff
bad "section header offset past the end" "$f" \
	"section header table offset 0x7fffffff is past the end"
f=$(mk shstrndx); $P set "$f" 62 2 5000
bad "e_shstrndx out of range" "$f" "section name table index 5000 out of range"
f=$(mk secdata); $P set "$f" $(($(shdr "$f" .text.foo) + 24)) 8 0x10000000
bad "section data past the end of the file" "$f" \
	"section \.text\.foo \(index [0-9]+\): data at 0x10000000 .* past the end"
f=$(mk shlink); $P set "$f" $(($(shdr "$f" .rela.text.foo) + 40)) 4 9999
bad "sh_link out of range" "$f" "section \.rela\.text\.foo \(index [0-9]+\): sh_link 9999 out of range"
f=$(mk shinfo); $P set "$f" $(($(shdr "$f" .rela.text.foo) + 44)) 4 9999
bad "RELA sh_info out of range" "$f" "section \.rela\.text\.foo .*sh_info 9999 is not a valid section index"
f=$(mk entsize); $P set "$f" $(($(shdr "$f" .rela.text.foo) + 56)) 8 16
bad "RELA sh_entsize wrong" "$f" "section \.rela\.text\.foo .*sh_entsize 16, expected 24"
f=$(mk align); $P set "$f" $(($(shdr "$f" .text.foo) + 48)) 8 3
bad "sh_addralign not a power of two" "$f" "section \.text\.foo .*bad sh_addralign 0x3"
f=$(mk strlink); $P set "$f" $(($(shdr "$f" .symtab) + 40)) 4 "$($P secidx "$f" .text.foo)"
bad ".symtab sh_link not a string table" "$f" "section \.symtab .*not a NUL-terminated string table"
f=$(mk shndx); $P set "$f" $(($($P symoff "$f" counter) + 6)) 2 0x7000
bad "symbol st_shndx out of range" "$f" "symbol counter \(index [0-9]+\): section index 28672 out of range"
f=$(mk xindex); $P set "$f" $(($($P symoff "$f" counter) + 6)) 2 0xffff
bad "SHN_XINDEX without .symtab_shndx" "$f" "symbol counter .*SHN_XINDEX but no \.symtab_shndx"
f=$(mk stname); $P set "$f" "$($P symoff "$f" counter)" 4 0xffffff
bad "st_name past the string table" "$f" "symbol [0-9]+ in \.symtab: name offset 16777215 past the end of \.strtab"
f=$(mk relsym); $P set "$f" $(($($P secoff "$f" "$($P secidx "$f" .rela.text.foo)") + 12)) 4 0xffffff
bad "relocation symbol index out of range" "$f" \
	"section \.rela\.text\.foo: relocation 0 \(offset 0x[0-9a-f]+\) refers to symbol index 16777215, out of range"
f=$(mk reltype); $P set "$f" $(($($P secoff "$f" "$($P secidx "$f" .rela.text.foo)") + 8)) 4 0x1ff
bad "relocation type past the 8 bits a relocation keeps" "$f" \
	"section \.rela\.text\.foo: relocation 0 \(offset 0x[0-9a-f]+\) has type 511, past the 256 types"
# 2^24 + 1 symbols: a sparse file (a hole, no disk blocks) whose .symtab
# claims them; refused before any is read.
f=$(mk manysyms); n=$(( (1 << 24) + 1 ))
$P set "$f" $(($(shdr "$f" .symtab) + 32)) 8 $((n * 24))
truncate -s $(($($P secoff "$f" "$($P secidx "$f" .symtab)") + n * 24)) "$f"
bad "more symbols than a relocation can index" "$f" "$n symbols, more than the 16777216 this tool indexes"
f=$(mk grpmember group); $P set "$f" $(($($P secoff "$f" "$($P secidx "$f" .group)") + 4)) 4 9999
bad "group member out of range" "$f" "group section \.group \(index [0-9]+\): member section index 9999 out of range"
f=$(mk grpsig group); $P set "$f" $(($(shdr "$f" .group) + 44)) 4 9999
bad "group signature symbol out of range" "$f" "group section \.group .*signature symbol index 9999 out of range"

# The shapes of the inputs that crashed the tools or misled them (issue 15).
f=$(mk sec0group); $P set "$f" $(($($P shdr "$f" 0) + 4)) 4 17
bad "section 0 of type SHT_GROUP (klp-convert segfaulted)" "$f" \
	"section 0: sh_type 17, expected SHT_NULL"
grp=$($P secidx "$TMP/group.o" .group)
f=$(mk grpself group); $P set "$f" $(($($P secoff "$f" "$grp") + 4)) 4 "$grp"
bad "group listing itself (wrote zeros until the disk was full)" "$f" \
	"group section \.group \(index $grp\): member $grp \(\.group\) is a group section"
f=$(mk grptwice group)
m1=$($P get "$f" $(($($P secoff "$f" "$grp") + 4)) 4)
$P set "$f" $(($($P secoff "$f" "$grp") + 8)) 4 "$m1"
bad "group listing a member twice" "$f" "member $m1 \(.*\) is already a member of group \.group"
f=$(mk grpnosig group); $P set "$f" $(($(shdr "$f" .group) + 44)) 4 0
bad "group without a signature symbol" "$f" "group section \.group .*no signature symbol"
strndx=$($P get "$TMP/base.o" 62 2)
f=$(mk strnobits); $P set "$f" $(($($P shdr "$f" "$strndx") + 4)) 4 8
$P set "$f" $(($($P shdr "$f" "$strndx") + 24)) 8 0x7fffffffffff0000
bad "section name table NOBITS at a wild offset (pointer overflow)" "$f" \
	"section name table \(index $strndx\) is not a non-empty SHT_STRTAB"
f=$(mk strempty); $P set "$f" $(($($P shdr "$f" "$strndx") + 32)) 8 0
$P set "$f" $(($($P shdr "$f" "$strndx") + 24)) 8 0x7fffffffffff0000
bad "empty section name table at a wild offset" "$f" "section name table .* is not a non-empty"
ri=$($P secidx "$TMP/base.o" .rela.text.foo)
f=$(mk relaself); $P set "$f" $(($(shdr "$f" .rela.text.foo) + 44)) 4 "$ri"
bad "relocation section relocating itself (changed function lost its relocations)" "$f" \
	"section \.rela\.text\.foo \(index $ri\): sh_info $ri names section \.rela\.text\.foo, which cannot be relocated"
f=$(mk relasymtab); $P set "$f" $(($(shdr "$f" .rela.text.foo) + 44)) 4 "$($P secidx "$f" .symtab)"
bad "relocation section relocating the symbol table" "$f" "names section \.symtab, which cannot be relocated"
roff=$($P secoff "$TMP/base.o" "$ri")
f=$(mk relpast); $P set "$f" "$roff" 8 0x10000
bad "relocation past its section's end (was copied to the output)" "$f" \
	"section \.rela\.text\.foo: relocation 0 \(offset 0x10000, R_X86_64_[A-Z0-9]+\) lies past the end of \.text\.foo"
tsize=$($P get "$TMP/base.o" $(($(shdr "$TMP/base.o" .text.foo) + 32)) 8)
f=$(mk relstraddle); $P set "$f" "$roff" 8 $((tsize - 2))
bad "relocation field reaching past its section's end" "$f" "relocation 0 .* lies past the end of \.text\.foo"
f=$(mk symvalue); $P set "$f" $(($($P symoff "$f" counter) + 8)) 8 0x100000
bad "symbol value outside its section (was a refusal, exit 4)" "$f" \
	"symbol counter \(index [0-9]+\): value 0x100000 size 0x4 lies outside its section \.bss\.counter"
f=$(mk symsize); $P set "$f" $(($($P symoff "$f" foo) + 16)) 8 0xffffffffffff
bad "symbol size past its section's end" "$f" "symbol foo .*size 0xffffffffffff lies outside its section \.text\.foo"

f=$(mk linkorder); s=$(shdr "$f" .text.foo)
$P set "$f" $((s + 8)) 8 0x86; $P set "$f" $((s + 40)) 4 "$ri"	# AX + SHF_LINK_ORDER
bad "SHF_LINK_ORDER linked to a relocation section" "$f" \
	"section \.text\.foo \(index [0-9]+\): SHF_LINK_ORDER link $ri names section \.rela\.text\.foo, which has no contents"
f=$(mk straylink); $P set "$f" $(($(shdr "$f" .text.foo) + 40)) 4 "$ri"
ok_desc "a stray sh_link without SHF_LINK_ORDER is ignored" "$TOOLS/elfcheck" -o "$TMP/stray-out.o" "$f"

f=$(mk symrela); $P set "$f" $(($($P symoff "$f" counter) + 6)) 2 "$ri"
$P set "$f" $(($($P symoff "$f" counter) + 8)) 8 0
bad "symbol defined in a relocation section (klp-convert exit 1, empty name)" "$f" \
	"symbol counter \(index [0-9]+\): defined in section \.rela\.text\.foo, which holds no code or data"

# Random corruption: any outcome but a crash or a sanitizer report.
N=${KLPGEN_FUZZ_N:-150}
mkdir "$TMP/fuzz"
perl "$FIX/fuzz.pl" "$TMP/group.o" "$TMP/fuzz" "$N" 42
crashes=0 accepted=0
for f in "$TMP"/fuzz/*.o; do
	out=$("$TOOLS/elfcheck" -o "$TMP/fuzz/out.tmp" "$f" 2>&1); rc=$?
	# elfcheck: 0 written, 2 bad input; 1 (a write failing after a
	# successful read, or look-ups disagreeing) is a bug too.
	if { [ $rc -ne 0 ] && [ $rc -ne 2 ]; } || grep -Eq 'Sanitizer|runtime error' <<<"$out"; then
		crashes=$((crashes + 1))
		diag "rc=$rc on $(basename "$f"): $(head -c 300 <<<"$out")"
		cp "$f" "${KLPGEN_FUZZ_KEEP:-/dev/null}" 2>/dev/null
	fi
	[ $rc -eq 0 ] && accepted=$((accepted + 1))
done
diag "fuzz: $N inputs, $accepted accepted (and written), $crashes crashes"
is "$crashes" 0 "$N randomly corrupted objects: exit 0 or 2, no sanitizer report (open, index, write)"
done_testing
