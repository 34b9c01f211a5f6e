#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# open -> write gives an equivalent object that ld -r accepts; edits,
# removals and failed writes behave.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
FIX=$FIXTURES/lib

roundtrip() {	# OBJ DESC
	local in=$1 out=$TMP/rt.o rc
	rm -f "$out" "$out.2"
	"$TOOLS/elfcheck" -o "$out" "$in" >/dev/null 2>"$TMP/err"
	_tap_result $? "$2: written"
	"$TOOLS/elfdump" -d "$in" >"$TMP/a"
	"$TOOLS/elfdump" -d "$out" >"$TMP/b"
	diff "$TMP/a" "$TMP/b" >"$TMP/d"; rc=$?
	[ $rc -ne 0 ] && head -20 "$TMP/d" | sed 's/^/# /'
	_tap_result $rc "$2: sections, symbols, relocations, contents unchanged"
	ld -r -o "$TMP/ld.o" "$out" 2>"$TMP/err"; rc=$?
	[ $rc -ne 0 ] && sed 's/^/# /' "$TMP/err"
	_tap_result $rc "$2: ld -r accepts it"
	if eu-elflint -q --gnu-ld "$in" >/dev/null 2>&1; then
		ok_desc "$2: eu-elflint finds no error" eu-elflint -q --gnu-ld "$out"
	else
		skip "$2: eu-elflint rejects the input already"
	fi
	"$TOOLS/elfcheck" -o "$out.2" "$out" >/dev/null 2>&1
	ok_desc "$2: writing again is byte-identical" cmp "$out" "$out.2"
}

kcc "$TMP/plain.o" "$FIX/kernelish.c" || bail "cannot compile"
kcc "$TMP/debug.o" "$FIX/kernelish.c" -g -fpatchable-function-entry=2
kcc "$TMP/ko.o" "$FIX/fake-ko.c"
ld -r -o "$TMP/fake.ko" "$TMP/ko.o"

roundtrip "$TMP/plain.o" "kernel-like object"
roundtrip "$TMP/debug.o" "-g object with patchable entries"
roundtrip "$TMP/fake.ko" ".ko"
# gcc -g3 signs its .debug_macro groups with symbols defined in the group
# sections themselves (wm4.*): read and written like any object.
kcc "$TMP/g3.o" "$FIX/kernelish.c" -g3
roundtrip "$TMP/g3.o" "-g3 object (symbols defined in .group sections)"
kcc "$TMP/klp.o" "$FIXTURES/klp-convert/conv-basic.c"
ld -r -o "$TMP/lp.o" "$TMP/ko.o" "$TMP/klp.o"
"$BIN/klp-convert" "$TMP/lp.o" "$TMP/livepatch.ko" || bail "klp-convert failed"
roundtrip "$TMP/livepatch.ko" "livepatch module"
# A named module of the lab kernel (never whatever else the lab holds).
LAB=${KLPGEN_LAB_BUILD:-$HOME/.cache/klpgen/lab/linux-6.1/build}
if [ -f "$LAB/fs/binfmt_misc.ko" ]; then
	roundtrip "$LAB/fs/binfmt_misc.ko" "lab module fs/binfmt_misc.ko"
else
	for _ in 1 2 3 4 5; do skip "lab module fs/binfmt_misc.ko not built"; done
fi

# In place: the output replaces the input it was read from.
cp "$TMP/plain.o" "$TMP/inplace.o"
ok_desc "write over the file that was read" \
	"$TOOLS/elfcheck" -o "$TMP/inplace.o" "$TMP/inplace.o"
"$TOOLS/elfdump" -d "$TMP/plain.o" >"$TMP/a"
"$TOOLS/elfdump" -d "$TMP/inplace.o" >"$TMP/b"
ok_desc "... and it is still the same object" cmp "$TMP/a" "$TMP/b"

# Removing a section nobody refers to.
"$TOOLS/elfcheck" -X .comment -o "$TMP/nocomment.o" "$TMP/plain.o" >/dev/null
out=$("$TOOLS/elfdump" -S "$TMP/nocomment.o")
unlike "$out" "section \.comment " "removed section is gone"
ok_desc "... and ld -r accepts the result" ld -r -o "$TMP/ld.o" "$TMP/nocomment.o"

# Failed writes leave neither output nor temporary files.
mkdir "$TMP/fail"
out=$("$TOOLS/elfcheck" -R global_flag -o "$TMP/fail/out.o" "$TMP/plain.o" 2>&1)
is "$?" 1 "reloc to a removed symbol fails the write"
like "$out" "section \.rela\.text\.switchy: relocation at offset .* refers to removed symbol global_flag" \
	"... naming the relocation section and symbol"
is "$(ls -A "$TMP/fail")" "" "... and leaves no output and no temp file"
out=$("$TOOLS/elfcheck" -X .text.helper -o "$TMP/fail/out.o" "$TMP/plain.o" 2>&1)
like "$out" "symbol helper is defined in removed section \.text\.helper" \
	"a symbol in a removed section is an error"
is "$(ls -A "$TMP/fail")" "" "... and leaves nothing behind"
fails "write into a missing directory fails" \
	"$TOOLS/elfcheck" -o "$TMP/nodir/out.o" "$TMP/plain.o"

# Building from scratch and editing.
ok_desc "elf_create + add sections/symbols/relocs/group writes" \
	"$TOOLS/elfbuild" new "$TMP/new.o"
ok_desc "... ld -r accepts it" ld -r -o "$TMP/ld.o" "$TMP/new.o"
ok_desc "... eu-elflint finds no error" eu-elflint -q --gnu-ld "$TMP/new.o"
d=$("$TOOLS/elfdump" "$TMP/new.o")
like "$d" "relocs .rela.data.made_ptr for .data.made_ptr" "new RELA section for .data"
like "$d" "0x8 R_X86_64_64 \.klp\.sym\.vmlinux\.saved_command_line,0\+0x0" \
	"reloc to an undefined .klp.sym symbol"
like "$d" "group .group sig=grouped flags=0x1 members=.text.grouped" "group written"
like "$d" "section __patchable_function_entries .* link=\.text\.made_func" \
	"SHF_LINK_ORDER link written"
first_global=$("$TOOLS/elfdump" -s "$TMP/new.o" | grep -n GLOBAL | head -1 | cut -d: -f1)
last_local=$("$TOOLS/elfdump" -s "$TMP/new.o" | grep -n LOCAL | tail -1 | cut -d: -f1)
ok_desc "locals precede globals" test "$last_local" -lt "$first_global"
like "$d" "section \.symtab .* info=$first_global" ".symtab sh_info is the first global"

cat >"$TMP/t.c" <<'C'
__attribute__((noinline)) int foo(int x) { return x + 1; }
int bar(int x) { return foo(x) * 2; }
C
kcc "$TMP/t.o" "$TMP/t.c"
ok_desc "open, rename, add, remove, write" "$TOOLS/elfbuild" edit "$TMP/t.o" "$TMP/e.o"
d=$("$TOOLS/elfdump" "$TMP/e.o")
like "$d" "symbol foo_v2 GLOBAL FUNC" "renamed symbol"
like "$d" "R_X86_64_PLT32 foo_v2-0x4" "relocations follow the rename"
like "$d" "symbol late_local LOCAL OBJECT \.klpgen\.test" "late local moved before globals"
ok_desc "... ld -r accepts it" ld -r -o "$TMP/ld.o" "$TMP/e.o"
# Padding is bounded by what the input justifies: a file offset is aligned
# to a page at most, and sections without contents take no room (a 2 KB
# object with sh_addralign 2^28 made hundreds of MB).
cat >"$TMP/al.c" <<'C'
char big[64] __attribute__((aligned(8192))) = { 1 };
char huge_bss[64] __attribute__((aligned(1 << 21)));
int use(void) { return big[0] + huge_bss[1]; }
C
kcc "$TMP/al.o" "$TMP/al.c"
P="perl $FIX/patch.pl"
$P set "$TMP/al.o" $(($($P shdr "$TMP/al.o" "$($P secidx "$TMP/al.o" .text.use)") + 48)) 8 0x10000000
ok_desc "sections aligned to 2^28, 8 KiB and 2 MiB (NOBITS) are written" \
	"$TOOLS/elfcheck" -o "$TMP/al2.o" "$TMP/al.o"
size=$(stat -c %s "$TMP/al2.o")
ok_desc "... in a small file ($size bytes, under 16 KiB)" test "$size" -lt 16384
ok_desc "... that ld -r accepts" ld -r -o "$TMP/ld.o" "$TMP/al2.o"
ok_desc "... and eu-elflint too" eu-elflint -q --gnu-ld "$TMP/al2.o"
like "$("$TOOLS/elfdump" -S "$TMP/al2.o")" "section \.text\.use .*align=268435456" \
	"... with the alignments kept"

# Temporaries of killed writers: removed by the next write to the same
# target when surely ours and stale, never otherwise.
mkdir "$TMP/stale"
# A PID no process can have (above the largest pid_max, 2^22): a real dead
# child's PID can be reused by the time the writer checks it.
dead=$((4194304 + 1000))
t=$TMP/stale
: >"$t/.out.o.klpgen$dead-AbC123"		# dead writer, old: removed
touch -d '-2 min' "$t/.out.o.klpgen$dead-AbC123"
: >"$t/.out.o.klpgen$dead-XyZ789"		# dead writer, just written: kept
: >"$t/.out.o.klpgen$$-QwE456"			# live writer (this shell): kept
touch -d '-2 min' "$t/.out.o.klpgen$$-QwE456"
: >"$t/.other.o.klpgen$dead-AsD123"		# another target: kept
touch -d '-2 min' "$t/.other.o.klpgen$dead-AsD123"
: >"$t/.out.o.QwErTy"				# not our name: kept
touch -d '-2 min' "$t/.out.o.QwErTy"
mkdir "$t/.out.o.klpgen$dead-DiR123"		# not a regular file: kept
touch -d '-2 min' "$t/.out.o.klpgen$dead-DiR123"
ok_desc "a write beside stale temporaries succeeds" \
	"$TOOLS/elfcheck" -o "$t/out.o" "$TMP/plain.o"
# the same order both sides: where this shell's PID sorts depends on its digits
is "$(cd "$t" && ls -A | sort | tr '\n' ' ')" \
	"$(printf '%s\n' ".other.o.klpgen$dead-AsD123" .out.o.QwErTy ".out.o.klpgen$$-QwE456" \
		".out.o.klpgen$dead-DiR123" ".out.o.klpgen$dead-XyZ789" out.o | sort | tr '\n' ' ')" \
	"... and removes only the stale one of a dead writer for that target"



# elf_append_data(): geometric growth, alignment, old contents kept (the
# first append copies data that still lives in the mapped file).
like "$("$TOOLS/libquery" append "$TMP/plain.o" .text.switchy)" '^ok [0-9]+$' \
	"elf_append_data: 1000 aligned appends land where they should"

# ELF_OPEN_NO_DEBUG_RELOCS: .rela.debug_* left unparsed, writing refused.
n=$("$TOOLS/libquery" nodebug "$TMP/debug.o" "$TMP/nd.o")
like "$n" '^debug 0 other [1-9][0-9]* unparsed [1-9][0-9]* write refused$' \
	"debug relocations skipped, others parsed, the file is not writable ($n)"
ok_desc "... and nothing was written" test ! -e "$TMP/nd.o"
done_testing
