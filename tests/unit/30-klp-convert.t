#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klp-convert: .klp.rela sections, SHN_LIVEPATCH symbols, ordinary
# relocations kept, refusals (relocation type, early sections, names).
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
KC=$BIN/klp-convert
kcc "$TMP/basic.o" "$F/conv-basic.c" || bail "cannot compile"

"$KC" "$TMP/basic.o" "$TMP/out.o" 2>"$TMP/err"
is "$?" 0 "converts conv-basic.o"
secs=$(readelf -SW "$TMP/out.o")
rela_line() { printf '%s\n' "$secs" | grep -F " $1 "; }
like "$(rela_line .klp.rela.vmlinux..text.patched)" ' RELA .* A[A-Z]*o ' \
	".klp.rela.vmlinux..text.patched: SHT_RELA, SHF_ALLOC|SHF_RELA_LIVEPATCH"
like "$(rela_line .klp.rela.vmlinux..data.ptr)" ' RELA .* A[A-Z]*o ' \
	".klp.rela.vmlinux..data.ptr for the data reference"
like "$(rela_line .klp.rela.ext4..text.patched)" ' RELA .* A[A-Z]*o ' \
	"module symbols get their own .klp.rela.ext4 section"
unlike "$secs" ' \.rela\.data\.ptr ' "emptied .rela.data.ptr is removed"
# sh_info names the patched section, sh_link the symbol table.
idx() { printf '%s\n' "$secs" | sed -n "s/^ *\[ *\([0-9]*\)\] $1 .*/\1/p"; }
info=$(readelf -SW "$TMP/out.o" | awk -v n=.klp.rela.vmlinux..text.patched '$2 == n { print $(NF-1) }')
is "$info" "$(idx .text.patched)" "sh_info is the index of .text.patched"
link=$(readelf -SW "$TMP/out.o" | awk -v n=.klp.rela.vmlinux..text.patched '$2 == n { print $(NF-2) }')
is "$link" "$(idx .symtab)" "sh_link is the index of .symtab"

syms=$(readelf -sW "$TMP/out.o")
like "$syms" 'OS \[0xff20\] \.klp\.sym\.vmlinux\.foo,0$' "foo is SHN_LIVEPATCH"
like "$syms" 'OS \[0xff20\] \.klp\.sym\.vmlinux\.bar,2$' "bar is SHN_LIVEPATCH"
like "$syms" 'OS \[0xff20\] \.klp\.sym\.ext4\.modfn,0$' "modfn is SHN_LIVEPATCH"
like "$syms" 'UND printk$' "printk stays undefined"

relocs=$(readelf -rW "$TMP/out.o")
ordinary=$(printf '%s\n' "$relocs" | sed -n "/'.rela.text.patched'/,/^$/p")
like "$ordinary" 'R_X86_64_PLT32 .* printk - 4' "call to printk stays an ordinary relocation"
like "$ordinary" 'plain_sym - 4' "plain_sym stays an ordinary relocation"
unlike "$ordinary" '\.klp\.sym' "no klp symbol left in .rela.text.patched"
klp=$(printf '%s\n' "$relocs" | sed -n "/'.klp.rela.vmlinux..text.patched'/,/^$/p")
like "$klp" 'R_X86_64_PLT32 .* \.klp\.sym\.vmlinux\.bar,2 - 4' "call to bar moved, addend kept"
like "$klp" 'R_X86_64_PC32 .* \.klp\.sym\.vmlinux\.foo,0 - 4' "load of foo moved"
klpmod=$(printf '%s\n' "$relocs" | sed -n "/'.klp.rela.ext4..text.patched'/,/^$/p")
like "$klpmod" 'modfn' "modfn relocation in the ext4 section"
unlike "$klpmod" 'vmlinux' "no vmlinux symbol in the ext4 section"

"$KC" "$TMP/out.o" "$TMP/again.o"
ok_desc "converting the output again changes nothing" cmp "$TMP/out.o" "$TMP/again.o"
cp "$TMP/basic.o" "$TMP/inplace.o"
"$KC" "$TMP/inplace.o" "$TMP/inplace.o"
ok_desc "OUT may equal IN" cmp "$TMP/out.o" "$TMP/inplace.o"
ok_desc "the output links (ld -r)" ld -r -o "$TMP/linked.o" "$TMP/out.o"

# Refusals: exit 4 and a message naming the symbol; no output written.
kcc "$TMP/got.o" "$F/conv-gotpcrel.c"
out=$("$KC" "$TMP/got.o" "$TMP/got-out.o" 2>&1); rc=$?
is "$rc" 4 "R_X86_64_GOTPCREL against a klp symbol is refused (exit 4)"
like "$out" '\.klp\.sym\.vmlinux\.foo,0.*R_X86_64_GOTPCREL' "the message names symbol and type"
ok_desc "no output after a refusal" test ! -e "$TMP/got-out.o"

# __jump_table: vmlinux klp relocations are applied by the module loader
# before jump labels are registered (5.8+); a module's only when it loads.
kcc "$TMP/jump.o" "$F/conv-jump.c"
out=$("$KC" "$TMP/jump.o" "$TMP/jump-out.o" 2>&1); rc=$?
is "$rc" 0 "vmlinux klp symbol referenced from __jump_table is accepted"
like "$(readelf -rW "$TMP/jump-out.o" | sed -n "/'.klp.rela.vmlinux.__jump_table'/,/^$/p")" \
	'R_X86_64_64 .* \.klp\.sym\.vmlinux\.some_key,0' "... in .klp.rela.vmlinux.__jump_table"
kcc "$TMP/jumpmod.o" "$F/conv-jump.c" '-DKEY_OBJ="ext4"'
out=$("$KC" "$TMP/jumpmod.o" "$TMP/jumpmod-out.o" 2>&1); rc=$?
is "$rc" 4 "module klp symbol referenced from __jump_table is refused"
like "$out" 'some_key.*__jump_table.*module ext4.*only when ext4 loads' \
	"the message names symbol, section and why"
ok_desc "no output after the refusal" test ! -e "$TMP/jumpmod-out.o"

long55=$(printf 'o%.0s' $(seq 55))
long56=$(printf 'o%.0s' $(seq 56))
long512=$(printf 's%.0s' $(seq 512))
name_rc() {	# NAME -> exit status of klp-convert on a reference to it
	kcc "$TMP/n.o" "$F/conv-names.c" "-DNAME=\"$1\"" || return 99
	"$KC" "$TMP/n.o" "$TMP/n-out.o" >"$TMP/n.err" 2>&1
}
name_rc ".klp.sym.$long55.foo,0"; is "$?" 0 "55-character object name accepted"
name_rc ".klp.sym.$long56.foo,0"; is "$?" 4 "56-character object name refused"
like "$(cat "$TMP/n.err")" "$long56" "... naming the symbol"
name_rc ".klp.sym.vmlinux.$long512,0"; is "$?" 4 "512-character symbol name refused"
name_rc ".klp.sym.vmlinux.foo"; is "$?" 4 "klp symbol without ,sympos refused"
name_rc ".klp.sym.vmlinux.foo,x1"; is "$?" 4 "non-numeric sympos refused"
name_rc ".klp.sym.vmlinux.foo.isra.0,1"; is "$?" 0 "symbol names with dots accepted"

# Usage errors.
exit_is "no arguments" 2 "$KC"
exit_is "missing input" 2 "$KC" "$TMP/nonexistent.o" "$TMP/x.o"
exit_is "--module without =" 2 "$KC" --module ext4 "$TMP/basic.o" "$TMP/x.o"
exit_is "--sym without object" 2 "$KC" --sym foo "$TMP/basic.o" "$TMP/x.o"
ok "$KC" --help
done_testing
