#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klp-convert against target objects: --vmlinux/--module checks of each
# klp symbol and its position, --sym, --symvers, --prelink.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
KC=$BIN/klp-convert
# Stand-in vmlinux: two static foo (sympos 1 and 2), one bar.
kcc "$TMP/a.o" "$F/target-a.c" && kcc "$TMP/b.o" "$F/target-b.c" &&
	ld -r -o "$TMP/vmlinux" "$TMP/a.o" "$TMP/b.o" &&
	kcc "$TMP/ext4.ko" "$F/target-mod.c" || bail "cannot build the targets"
T="--vmlinux $TMP/vmlinux --module ext4=$TMP/ext4.ko"

conv() {	# SYMBOL [options]: klp-convert an object referencing SYMBOL
	local sym=$1; shift
	kcc "$TMP/in.o" "$F/conv-verify.c" "-DSYM=\"$sym\"" || return 99
	# shellcheck disable=SC2086
	"$KC" $T "$@" "$TMP/in.o" "$TMP/out.o" >"$TMP/err" 2>&1
}
err() { cat "$TMP/err"; }

conv .klp.sym.vmlinux.foo,1; is "$?" 0 "foo,1 accepted (two static foo)"
conv .klp.sym.vmlinux.foo,2; is "$?" 0 "foo,2 accepted"
conv .klp.sym.vmlinux.foo,0; is "$?" 2 "foo,0 refused: ambiguous"
like "$(err)" 'foo.*ambiguous.*2 symbols' "... the message names the symbol and the count"
conv .klp.sym.vmlinux.foo,3; is "$?" 2 "foo,3 refused: out of range"
like "$(err)" 'foo.*position 3 out of range' "... message"
conv .klp.sym.vmlinux.bar,0; is "$?" 0 "unique bar,0 accepted"
conv .klp.sym.vmlinux.nosuch,0; is "$?" 2 "unknown symbol refused"
like "$(err)" 'nosuch.*not found in vmlinux' "... not found in vmlinux"
conv .klp.sym.vmlinux.baz,0; is "$?" 2 "module symbol claimed for vmlinux refused"
like "$(err)" 'baz.*not in vmlinux.*found in ext4' "... found only in ext4"
conv .klp.sym.ext4.baz,0; is "$?" 0 "baz of ext4 accepted"
conv .klp.sym.ext4.ext4_init_only,0; is "$?" 2 "__init symbol of a module is not in its kallsyms"
conv .klp.sym.ext4.foo,0; is "$?" 2 "vmlinux symbol claimed for ext4 refused"
like "$(err)" 'found in vmlinux' "... found only in vmlinux"
conv .klp.sym.xfs.anything,0; is "$?" 0 "objects without a file are not checked"
T=
conv .klp.sym.vmlinux.nosuch,0; is "$?" 0 "without --vmlinux nothing is checked"
T="--vmlinux $TMP/vmlinux --module ext4=$TMP/ext4.ko"

# --sym: plain undefined symbols become klp symbols.
kcc "$TMP/user.o" "$F/conv-usersym.c"
"$KC" --sym foo=vmlinux,2 --sym bar=vmlinux "$TMP/user.o" "$TMP/user-out.o" 2>"$TMP/err"
is "$?" 0 "--sym foo=vmlinux,2 --sym bar=vmlinux"
syms=$(readelf -sW "$TMP/user-out.o")
like "$syms" 'OS \[0xff20\] \.klp\.sym\.vmlinux\.foo,2$' "foo became .klp.sym.vmlinux.foo,2"
like "$syms" 'OS \[0xff20\] \.klp\.sym\.vmlinux\.bar,0$' "bar became .klp.sym.vmlinux.bar,0"
like "$syms" 'UND printk$' "printk untouched"
like "$(readelf -rW "$TMP/user-out.o")" "\.klp\.rela\.vmlinux\.\.text\.caller" "relocations moved"
# shellcheck disable=SC2086
"$KC" $T --sym foo=vmlinux "$TMP/user.o" "$TMP/user-out.o" >"$TMP/err" 2>&1
is "$?" 2 "--sym foo=vmlinux without a position refused when foo is ambiguous"
like "$(err)" 'foo.*2 symbols.*--sym foo=vmlinux,POS' "... message suggests a position"
# shellcheck disable=SC2086
"$KC" $T --sym bar=vmlinux --sym foo=vmlinux,1 "$TMP/user.o" "$TMP/user-out.o" 2>"$TMP/err"
is "$?" 0 "--sym bar=vmlinux resolves the unique bar with --vmlinux"
"$KC" --sym caller=vmlinux "$TMP/user.o" "$TMP/x.o" >"$TMP/err" 2>&1
is "$?" 2 "--sym of a symbol the object defines is refused"

# --symvers: exported vmlinux symbols stay ordinary relocations.
printf '0x12345678\tbar\tvmlinux\tEXPORT_SYMBOL\t\n0x1\tfoo\tvmlinux\tEXPORT_SYMBOL_GPL\tMY_NS\n0x2\tbaz\text4\tEXPORT_SYMBOL\t\n' >"$TMP/Module.symvers"
kcc "$TMP/sv.o" "$F/conv-basic.c"
"$KC" --symvers "$TMP/Module.symvers" "$TMP/sv.o" "$TMP/sv-out.o" 2>"$TMP/err"
is "$?" 0 "--symvers"
syms=$(readelf -sW "$TMP/sv-out.o")
like "$syms" 'UND bar$' "exported bar became a plain undefined symbol"
unlike "$syms" 'klp\.sym\.vmlinux\.bar' "no klp symbol for bar left"
like "$syms" '0xff20\] \.klp\.sym\.vmlinux\.foo,0$' "foo exported in a namespace stays a klp symbol"
like "$(err)" 'bar is exported by vmlinux' "a warning names bar"
like "$(readelf -rW "$TMP/sv-out.o" | sed -n "/'.rela.text.patched'/,/^$/p")" ' bar - 4' \
	"the call to bar is an ordinary relocation"

# --prelink: checks and renames only; klp symbols stay undefined.
kcc "$TMP/pl.o" "$F/conv-basic.c"
"$KC" --prelink --symvers "$TMP/Module.symvers" "$TMP/pl.o" "$TMP/pl-out.o" 2>/dev/null
is "$?" 0 "--prelink"
syms=$(readelf -sW "$TMP/pl-out.o")
like "$syms" 'UND \.klp\.sym\.vmlinux\.foo,0$' "klp symbols stay undefined"
like "$syms" 'UND bar$' "exports are applied"
unlike "$(readelf -SW "$TMP/pl-out.o")" '\.klp\.rela' "no .klp.rela sections"
done_testing
