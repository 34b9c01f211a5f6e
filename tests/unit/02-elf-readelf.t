#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ELF layer sees the same sections, symbols and relocations as
# eu-readelf, on kernel-like objects, ld -r output and a .ko.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
FIX=$FIXTURES/lib

same_as_readelf() {	# OBJ DESC
	eu-readelf -S -s -r "$1" | perl "$FIX/canon.pl" readelf | sort >"$TMP/r"
	"$TOOLS/elfdump" "$1" | perl "$FIX/canon.pl" elfdump | sort >"$TMP/e"
	diff "$TMP/r" "$TMP/e" >"$TMP/d" && [ -s "$TMP/r" ]
	local rc=$?
	[ $rc -ne 0 ] && head -20 "$TMP/d" | sed 's/^/# /'
	_tap_result $rc "$2"
}

kcc "$TMP/plain.o" "$FIX/kernelish.c" || bail "cannot compile"
kcc "$TMP/debug.o" "$FIX/kernelish.c" -g -fpatchable-function-entry=2
kcc "$TMP/ko.o" "$FIX/fake-ko.c"
kcc "$TMP/klp.o" "$FIXTURES/klp-convert/conv-basic.c"
ld -r -o "$TMP/fake.ko" "$TMP/ko.o"
ld -r -o "$TMP/linked.o" "$TMP/plain.o" "$TMP/ko.o"

same_as_readelf "$TMP/plain.o" "kernel-like object"
same_as_readelf "$TMP/debug.o" "-g -fpatchable-function-entry object (debug relocs, SHF_LINK_ORDER)"
same_as_readelf "$TMP/fake.ko" ".ko (.modinfo, __versions, .gnu.linkonce.this_module)"
same_as_readelf "$TMP/linked.o" "ld -r output"

for o in plain debug linked; do
	ok_desc "every look-up agrees with the tables ($o.o)" \
		"$TOOLS/elfcheck" "$TMP/$o.o"
done

# Look-ups by address and offset.
is "$("$TOOLS/libquery" containing "$TMP/plain.o" .text.switchy 5)" switchy \
	"elf_symbol_containing finds the function"
is "$("$TOOLS/libquery" containing "$TMP/plain.o" .text.switchy 100000)" - \
	"nothing contains an offset past the function"
first=$(eu-readelf -r "$TMP/plain.o" | awk '/rela.text.switchy/{f=1;next} f&&/X86_64/{print $1; exit}')
r=$("$TOOLS/libquery" reloc "$TMP/plain.o" .text.switchy "$first" 1)
like "$r" "^$(printf '0x%x' "$first") R_X86_64_" "elf_find_reloc finds the first reloc of .text.switchy"
r=$("$TOOLS/libquery" reloc "$TMP/plain.o" .text.switchy $((first + 2)) 1)
like "$r" "^$(printf '0x%x' "$first") " "elf_find_reloc: an offset inside a reloc's field finds it"
is "$("$TOOLS/libquery" reloc "$TMP/plain.o" .text.switchy 0 1)" - \
	"elf_find_reloc: no reloc at offset 0"
out=$("$TOOLS/libquery" released "$TMP/plain.o" .text.switchy "$first" 1 2>&1)
is "$?" 1 "a look-up after elf_release_relocs() is an internal error (exit 1)..."
like "$out" "rela.text.switchy: relocations asked for after they were released" \
	"... naming the section"
out=$("$TOOLS/libquery" foreign "$TMP/plain.o" .text.switchy 2>&1)
is "$?" 1 "a relocation aimed at another file's symbol is an internal error (exit 1)..."
like "$out" "plain\.o: a relocation aimed at .*, not a symbol of this file" \
	"... naming the file"

# Relocations out of offset order (.reloc keeps the order it is given):
# looked up sorted, ties in file order, written back in file order.
printf '\t.data\nd:\t.quad 0, 0, 0, 0\n\t.reloc 24, R_X86_64_64, a\n\t.reloc 8, R_X86_64_64, b\n\t.reloc 16, R_X86_64_64, c\n\t.reloc 8, R_X86_64_64, e\n' \
	>"$TMP/unsorted.s"
as -o "$TMP/unsorted.o" "$TMP/unsorted.s" || bail "cannot assemble"
is "$("$TOOLS/libquery" reloc "$TMP/unsorted.o" .data 8 1)" "0x8 R_X86_64_64 b" \
	"relocs out of order: the first of two at one offset, in file order"
is "$("$TOOLS/libquery" reloc "$TMP/unsorted.o" .data 16 1)" "0x10 R_X86_64_64 c" \
	"... one after them in offset, before them in the file"
is "$("$TOOLS/libquery" reloc "$TMP/unsorted.o" .data 24 1)" "0x18 R_X86_64_64 a" \
	"... and the first in the file, last in offset"
ok_desc "... every look-up agrees with the table, and a write succeeds" \
	"$TOOLS/elfcheck" -o "$TMP/unsorted-w.o" "$TMP/unsorted.o"
is "$(eu-readelf -r "$TMP/unsorted-w.o" | awk '/X86_64/{print $1 $NF}' | tr '\n' ' ')" \
	"$(eu-readelf -r "$TMP/unsorted.o" | awk '/X86_64/{print $1 $NF}' | tr '\n' ' ')" \
	"... which keeps the file order"

# A livepatch module, on purpose: klp-convert's SHN_LIVEPATCH symbols
# (eu-readelf says LOOS+0) and .klp.rela sections.
ld -r -o "$TMP/lp.o" "$TMP/ko.o" "$TMP/klp.o"
"$BIN/klp-convert" "$TMP/lp.o" "$TMP/livepatch.ko" || bail "klp-convert failed"
same_as_readelf "$TMP/livepatch.ko" "livepatch module (SHN_LIVEPATCH symbols, .klp.rela sections)"
ok_desc "every look-up agrees with the tables (livepatch module)" \
	"$TOOLS/elfcheck" "$TMP/livepatch.ko"

# Named modules of the lab kernel, when the lab has built it: a plain
# module and the kernel's own livepatch sample (never whatever else the
# lab's results hold).
LAB=${KLPGEN_LAB_BUILD:-$HOME/.cache/klpgen/lab/linux-6.1/build}
for ko in fs/binfmt_misc.ko samples/livepatch/livepatch-sample.ko; do
	if [ -f "$LAB/$ko" ]; then
		same_as_readelf "$LAB/$ko" "lab kernel module $ko"
	else
		skip "lab kernel module $ko not built"
	fi
done
if [ -f "$LAB/vmlinux" ]; then
	ok_desc "vmlinux (ET_EXEC) opens and indexes" "$TOOLS/elfcheck" "$LAB/vmlinux"
else
	skip "no lab vmlinux built"
fi
done_testing
