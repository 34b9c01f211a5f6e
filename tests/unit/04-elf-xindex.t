#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# More than 65,280 sections: e_shnum/e_shstrndx escapes, SHN_XINDEX and
# .symtab_shndx, read and written back.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
FIX=$FIXTURES/lib

# 22,000 functions + 22,000 data objects, each in its own section.
"$FIX/gen-many-funcs" 22000 data >"$TMP/many.s"
as -o "$TMP/many.o" "$TMP/many.s" || bail "cannot assemble"
hdr=$(eu-readelf -h "$TMP/many.o")
like "$hdr" "Number of section headers entries: 0 \(66[0-9]{3} in \[0\]" \
	"input uses the e_shnum escape"

out=$("$TOOLS/elfcheck" "$TMP/many.o" 2>&1)
like "$out" "^ok: 66[0-9]{3} sections" "opens and every look-up agrees"

# eu-readelf cannot name section symbols past SHN_LORESERVE in its reloc
# listing, so compare sections and symbols with it, relocs by round trip.
eu-readelf -S -s "$TMP/many.o" | perl "$FIX/canon.pl" readelf | sort >"$TMP/r"
"$TOOLS/elfdump" -S -s "$TMP/many.o" | perl "$FIX/canon.pl" elfdump | sort >"$TMP/e"
ok_desc "sections and symbols match eu-readelf" cmp "$TMP/r" "$TMP/e"
d=$("$TOOLS/elfdump" -s "$TMP/many.o" | grep -E '^symbol (d21999|f21999) ')
like "$d" "symbol d21999 LOCAL OBJECT \.data\.d21999 " "SHN_XINDEX local resolved"
like "$d" "symbol f21999 GLOBAL FUNC \.text\.f21999 " "SHN_XINDEX global resolved"

ok_desc "round trip writes" "$TOOLS/elfcheck" -o "$TMP/out.o" "$TMP/many.o"
"$TOOLS/elfdump" -d "$TMP/many.o" >"$TMP/a"
"$TOOLS/elfdump" -d "$TMP/out.o" >"$TMP/b"
ok_desc "round trip: elfdump identical" cmp "$TMP/a" "$TMP/b"
hdr=$(eu-readelf -h "$TMP/out.o")
like "$hdr" "Number of section headers entries: 0 \(66[0-9]{3} in \[0\]" \
	"output uses the e_shnum escape"
like "$hdr" "Section header string table index: XINDEX" \
	"output uses the e_shstrndx escape"
like "$(eu-readelf -S "$TMP/out.o" | grep SYMTAB_SHNDX)" "\.symtab_shndx" \
	"output has .symtab_shndx"
ok_desc "ld -r accepts the output" ld -r -o "$TMP/ld.o" "$TMP/out.o"
r=$(readelf -rW "$TMP/out.o" | grep -A3 "'.rela.text.f21999'" | grep PC32)
like "$r" "\.data\.d21999 - 4" "binutils readelf names the XINDEX section symbol"

# A small object does not get a .symtab_shndx.
"$FIX/gen-many-funcs" 100 data >"$TMP/few.s"
as -o "$TMP/few.o" "$TMP/few.s"
"$TOOLS/elfcheck" -o "$TMP/few2.o" "$TMP/few.o" >/dev/null
unlike "$(eu-readelf -S "$TMP/few2.o")" "SYMTAB_SHNDX" "no .symtab_shndx when not needed"
done_testing
