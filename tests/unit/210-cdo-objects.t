#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: several objects in one patch (issue 10, item 9).  A
# new global function defined in one changed object and called from
# another resolves within the livepatch module (--patch-symbols), instead
# of being refused as neither exported nor in vmlinux.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"

# cmdline.o gains klpgen_note(); meminfo.o calls it.
CM='int cmdline_show(int a) { return a + 1; }'
MI='int meminfo_show(int a) { return a * 2; }'
cdo_pair cmdline "$CM" "$CM
int klpgen_note(int a) { printk(\"note %d\\n\", a); return a; }"
cdo_pair meminfo "$MI" 'extern int klpgen_note(int);
int meminfo_show(int a) { return klpgen_note(a) * 2; }'
ld -e 0 -o "$TMP/vmlinux" "$TMP/orig/cmdline.o" "$TMP/orig/meminfo.o" \
	--unresolved-symbols=ignore-all 2>/dev/null || bail "cannot link a fake vmlinux"

cdo_run meminfo -s "$TMP/vmlinux" $SV
is "$RC" 4 "without --patch-symbols: refused"
like "$ERR" "klpgen_note is neither exported .* nor defined in" "as neither exported nor in vmlinux"

echo klpgen_note > "$TMP/patch-symbols"
cdo_run meminfo -s "$TMP/vmlinux" $SV --patch-symbols "$TMP/patch-symbols"
is "$RC" 0 "with --patch-symbols: exit 0"
is "$(verdict meminfo meminfo_show)" changed "meminfo_show changed"
like "$(out_symbols "$OUT")" '^klpgen_note GLOBAL NOTYPE UND$' "klpgen_note stays a plain reference"
unlike "$(out_symbols "$OUT")" 'klp\.sym\.[^ ]*klpgen_note' "no klp symbol for it"
cp "$OUT" "$TMP/meminfo.diff.o"

cdo_run cmdline -s "$TMP/vmlinux" $SV --patch-symbols "$TMP/patch-symbols"
is "$RC" 0 "cmdline.o: exit 0"
is "$(verdict cmdline klpgen_note)" new "klpgen_note is new"
like "$(out_symbols "$OUT")" '^klpgen_note GLOBAL FUNC \.text\.klpgen_note$' "and defined in cmdline's diff object"

# the two diff objects linked as klpgen module does: resolved
ld -r -o "$TMP/both.o" "$OUT" "$TMP/meminfo.diff.o" || bail "ld -r failed"
like "$("$ELFDUMP" -s "$TMP/both.o" | awk '$1 == "symbol" && $2 == "klpgen_note"')" \
	'GLOBAL FUNC \.text\.klpgen_note' "linked together: klpgen_note defined once, no undefined reference"

done_testing
