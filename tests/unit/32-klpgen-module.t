#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen module --no-build: the work directory and klpgen-generated.h for
# given diff objects; the template compiles against a fake livepatch API;
# .klpgen.meta read back with klp-convert --show-meta; error cases.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
K=$BIN/klpgen
for f in diff-vmlinux diff-mod diff-dup-state diff-block diff-cb-only \
	 diff-two-pre diff-empty; do
	kcc "$TMP/$f.o" "$F/$f.c" || bail "cannot compile $f.c"
done
export KLPGEN_DATADIR=$KLPGEN_SRC

W=$TMP/work
out=$("$K" module -n test_lp --no-build --work "$W" \
	vmlinux="$TMP/diff-vmlinux.o" ext4="$TMP/diff-mod.o" 2>"$TMP/err")
is "$?" 0 "klpgen module --no-build"
like "$out" 'module test_lp: objects vmlinux \(1\), ext4 \(1\); 2 funcs, 3 callbacks, 2 states, 2 shadow ids, replace' \
	"summary line"
for f in Kbuild livepatch-main.c klpgen-generated.h klpgen-patch.o.prebuilt; do
	ok_desc "work dir has $f" test -s "$W/$f"
done
like "$(cat "$W/Kbuild")" '^obj-m := test_lp\.o$' "Kbuild: obj-m"
like "$(cat "$W/Kbuild")" '^test_lp-y := livepatch-main\.o klpgen-patch\.o$' "Kbuild: objects"
like "$(cat "$W/Kbuild")" 'klpgen-patch\.o: \$\(src\)/klpgen-patch\.o\.prebuilt' "Kbuild: explicit copy rule"

H=$(cat "$W/klpgen-generated.h")
like "$H" '#define KLPGEN_REPLACE true' "replace by default"
like "$H" 'X\(0, NULL\) \\' "object 0 is vmlinux (name NULL)"
like "$H" 'X\(1, "ext4"\) \\' "object 1 is ext4"
like "$H" 'X\(0, 0, "cmdline_proc_show", "__klpgen_new\.vmlinux\.cmdline_proc_show\.0", 0\)' \
	"vmlinux function cmdline_proc_show, sympos 0"
like "$H" 'X\(1, 0, "foo\.isra\.0", "__klpgen_new\.ext4\.foo\.isra\.0\.2", 2\)' \
	"ext4 function foo.isra.0, sympos 2"
like "$H" '#define KLPGEN_CB_0_pre_patch __klpgen_cb_pre_patch_my_pre' "vmlinux pre_patch callback"
like "$H" '#define KLPGEN_CB_0_post_unpatch __klpgen_cb_post_unpatch_my_post' "vmlinux post_unpatch callback"
like "$H" '#define KLPGEN_CB_0_post_patch NULL' "no vmlinux post_patch callback"
like "$H" '#define KLPGEN_CB_1_post_patch __klpgen_cb_post_patch_ext4_post' "ext4 post_patch callback"
like "$H" 'X\(int, __klpgen_cb_pre_patch_my_pre\)' "pre_patch declared returning int"
like "$H" 'X\(void, __klpgen_cb_post_patch_ext4_post\)' "post_patch declared returning void"
like "$H" '#define KLPGEN_NR_STATES 2' "two states"
like "$H" 'X\(1UL, 2, 0, 0\) \\' "state 1 version 2"
like "$H" 'X\(3UL, 1, 0, 1\) \\' "state 3 version 1 is_shadow"
like "$H" '#define KLPGEN_STATE_HAS_VERSION 1' "6.1 fields assumed without a kernel: version"
like "$H" '#define KLPGEN_STATE_HAS_BLOCK_DISABLE 0' "... no block_disable"
like "$(cat "$TMP/err")" 'state 3: is_shadow is not supported' "warning: is_shadow unsupported"

meta=$(cat "$W/klpgen-meta.txt")
want='klpgen-meta 1
module test_lp
replace 1
object vmlinux
object ext4
func vmlinux cmdline_proc_show 0
callback vmlinux pre_patch my_pre
callback vmlinux post_unpatch my_post
func ext4 foo.isra.0 2
callback ext4 post_patch ext4_post
state_fields version data
state 1 2 block_disable=0 is_shadow=0
state 3 1 block_disable=0 is_shadow=1
shadow 7
shadow 8'
is "$meta" "$want" "meta text (shadow 7 declared twice, listed once)"

# The template compiles against the 6.1 API, and the meta section is
# what klp-convert --show-meta reads back.
FI=$F/fake-include
gcc -c -O2 -Wall -Wextra -Werror -Wno-unused-parameter -nostdinc -I "$FI" \
	-I "$W" -D'KBUILD_MODNAME="test_lp"' -o "$TMP/main.o" "$W/livepatch-main.c" 2>"$TMP/cc.err"
is "$?" 0 "livepatch-main.c compiles with the generated header"
[ -s "$TMP/cc.err" ] && diag "$(cat "$TMP/cc.err")"
shown=$("$BIN/klp-convert" --show-meta "$TMP/main.o" 2>&1)
is "$shown" "$want" "klp-convert --show-meta reads .klpgen.meta back"
ok_desc "the module object links with the patch object" \
	ld -r -o "$TMP/mod.o" "$TMP/main.o" "$W/klpgen-patch.o.prebuilt"
undef=$(nm -u "$TMP/mod.o" | awk '{ print $2 }' | sort | tr '\n' ' ')
like "$undef" '^\.klp\.sym\.vmlinux\.version_proc_show,0 __this_module klp_enable_patch $' \
	"only the klp symbol and the kernel API stay undefined"

# -R and the proposed struct klp_state.
W2=$TMP/work2
"$K" module -n lp2 -R --no-build --work "$W2" \
	--livepatch-h "$F/livepatch-new-state.h" vmlinux="$TMP/diff-vmlinux.o" >/dev/null 2>"$TMP/err"
is "$?" 0 "--livepatch-h with block_disable/is_shadow, -R"
H=$(cat "$W2/klpgen-generated.h")
like "$H" '#define KLPGEN_REPLACE false' "-R: no replace"
like "$H" '#define KLPGEN_STATE_HAS_VERSION 0' "detected: no version"
like "$H" '#define KLPGEN_STATE_HAS_BLOCK_DISABLE 1' "detected: block_disable"
like "$H" '#define KLPGEN_STATE_HAS_IS_SHADOW 1' "detected: is_shadow"
like "$(cat "$W2/klpgen-meta.txt")" '^replace 0$' "meta: replace 0"
gcc -c -O2 -Wall -Wextra -Werror -Wno-unused-parameter -nostdinc -I "$FI" \
	-DFAKE_NEW_STATE -I "$W2" -D'KBUILD_MODNAME="lp2"' \
	-o "$TMP/main2.o" "$W2/livepatch-main.c" 2>"$TMP/cc.err"
is "$?" 0 "livepatch-main.c compiles against the proposed struct klp_state"
"$K" module -n lp3 --no-build --work "$TMP/w3" --livepatch-h "$F/livepatch-new-state.h" \
	vmlinux="$TMP/diff-block.o" >/dev/null 2>&1
is "$?" 0 "block_disable accepted where the kernel has it"

# A callback-only object.
"$K" module -n lp4 --no-build --work "$TMP/w4" vmlinux="$TMP/diff-vmlinux.o" \
	xfs="$TMP/diff-cb-only.o" >/dev/null 2>&1
is "$?" 0 "an object with callbacks and no functions"
like "$(cat "$TMP/w4/klpgen-generated.h")" '#define KLPGEN_FUNCS_1\(X\) \\
	/\* end \*/' "... has an empty function list"

# Reverts and shadow ids tied to states reach the meta text.
kcc "$TMP/diff-revert.o" "$F/diff-revert.c" || bail "cannot compile diff-revert.c"
"$K" module -n lp5 --no-build --work "$TMP/w5" vmlinux="$TMP/diff-revert.o" >/dev/null 2>&1
is "$?" 0 "KLPGEN_REVERT and KLPGEN_SHADOW_ID_STATE"
like "$(cat "$TMP/w5/klpgen-meta.txt")" $'revert vmlinux old_fix\nrevert vmlinux another_fix\nstate_fields version data\nstate 5 1 block_disable=0 is_shadow=0\nshadow 9\nshadow_state 9 5$' \
	"meta: each revert once, the tie once"
kcc "$TMP/diff-tie2.o" "$F/diff-revert.c" -DTIE_CONFLICT
"$K" module -n lp6 --no-build --work "$TMP/w6" vmlinux="$TMP/diff-tie2.o" >"$TMP/out" 2>&1
is "$?" 2 "one shadow id tied to two states"
like "$(cat "$TMP/out")" 'shadow id 9 is tied to state (5 and to state 6|6 and to state 5)' "... message"
kcc "$TMP/diff-revp.o" "$F/diff-revert.c" -DREVERT_PATCHED
"$K" module -n lp7 --no-build --work "$TMP/w7" vmlinux="$TMP/diff-revp.o" >"$TMP/out" 2>&1
is "$?" 2 "a revert of a function the patch changes"
like "$(cat "$TMP/out")" 'KLPGEN_REVERT\(other\) in vmlinux, but the patch changes other' "... message"

# Errors.
em() { "$K" module --no-build --work "$TMP/werr" "$@" >"$TMP/out" 2>&1; }
em -n lp vmlinux="$TMP/diff-vmlinux.o" vmlinux="$TMP/diff-dup-state.o"
is "$?" 2 "state 1 declared twice"
like "$(cat "$TMP/out")" 'state id 1 is declared twice' "... message"
em -n lp vmlinux="$TMP/diff-block.o"
is "$?" 4 "block_disable on a kernel without it is refused"
em -n lp vmlinux="$TMP/diff-vmlinux.o" vmlinux="$TMP/diff-two-pre.o"
is "$?" 2 "two pre_patch callbacks for one object"
like "$(cat "$TMP/out")" 'two pre_patch callbacks' "... message"
em -n lp ext4="$TMP/diff-vmlinux.o"
is "$?" 2 "functions of vmlinux given as ext4"
em -n lp vmlinux="$TMP/diff-empty.o"
is "$?" 3 "nothing to patch: exit 3"
em -n Bad.Name vmlinux="$TMP/diff-vmlinux.o"
is "$?" 2 "invalid module name (a dot)"
W3=$TMP/work-dash
out=$("$K" module -n livepatch-Fix-1 --no-build --work "$W3" vmlinux="$TMP/diff-vmlinux.o" 2>"$TMP/err")
is "$?" 0 "a kbuild file name with '-' and capitals (kpatch-build's names)"
like "$(cat "$W3/Kbuild")" '^obj-m := livepatch-Fix-1\.o$' "Kbuild builds livepatch-Fix-1.ko"
like "$(cat "$W3/klpgen-meta.txt")" '^module livepatch_Fix_1$' ".klpgen.meta has the kernel's module name"
em -n "$(printf 'a%.0s' $(seq 56))" vmlinux="$TMP/diff-vmlinux.o"
is "$?" 2 "module name longer than 55"
em vmlinux="$TMP/diff-vmlinux.o"
is "$?" 2 "no module name"
em -n lp vmlinux
is "$?" 2 "OBJNAME without =FILE"
em -n lp vmlinux="$TMP/nonexistent.o"
is "$?" 2 "missing diff object"
em -n lp 'bad.obj'="$TMP/diff-vmlinux.o"
is "$?" 2 "object name with a dot"
"$K" module -n lp vmlinux="$TMP/diff-vmlinux.o" >"$TMP/out" 2>&1
is "$?" 2 "building without -k is refused"
"$K" module -n lp -k "$TMP/nonexistent" vmlinux="$TMP/diff-vmlinux.o" >"$TMP/out" 2>&1
is "$?" 2 "-k without a kernel Makefile is refused early"
"$K" module --help >/dev/null
is "$?" 0 "klpgen module --help"

# --version, --patch and the kernel release of -k go into .klpgen.meta.
mkdir -p "$TMP/kb/include/config"
: >"$TMP/kb/Makefile"
echo 6.1.192-test >"$TMP/kb/include/config/kernel.release"
"$K" module -n lp4 --no-build --work "$TMP/w4" -k "$TMP/kb" --version 2.1 \
	--patch a.patch --patch b.patch vmlinux="$TMP/diff-vmlinux.o" >/dev/null 2>&1
is "$?" 0 "--version and --patch"
like "$(cat "$TMP/w4/klpgen-meta.txt")" $'\nversion 2\\.1\nkernel 6\\.1\\.192-test\npatch a\\.patch\npatch b\\.patch$' \
	"meta: version, kernel (from -k), patches"
unlike "$(cat "$W/klpgen-meta.txt")" '^(version|kernel|patch) ' "without them and -k: no such records"

# --show-meta on files without or with a broken section.
exit_is "--show-meta without a .klpgen.meta section" 2 "$BIN/klp-convert" --show-meta "$TMP/diff-empty.o"
printf 'klpgen-meta 1\nfunc vmlinux\n' >"$TMP/bad.meta"
objcopy --add-section .klpgen.meta="$TMP/bad.meta" "$TMP/diff-empty.o" "$TMP/badmeta.o"
exit_is "--show-meta with a malformed line" 2 "$BIN/klp-convert" --show-meta "$TMP/badmeta.o"
printf 'something else\n' >"$TMP/bad.meta"
objcopy --add-section .klpgen.meta="$TMP/bad.meta" "$TMP/diff-empty.o" "$TMP/badmeta2.o"
exit_is "--show-meta without the klpgen-meta 1 line" 2 "$BIN/klp-convert" --show-meta "$TMP/badmeta2.o"
printf 'klpgen-meta 1\nmodule m\nfuture-keyword whatever\nshadow 5\n' >"$TMP/ok.meta"
objcopy --add-section .klpgen.meta="$TMP/ok.meta" "$TMP/diff-empty.o" "$TMP/okmeta.o"
exit_is "--show-meta ignores unknown keywords" 0 "$BIN/klp-convert" --show-meta "$TMP/okmeta.o"
done_testing
