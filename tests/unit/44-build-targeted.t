#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build in targeted mode (the default without a full original
# build) on a fake kernel tree: the tree is prepared once, only the
# affected objects are built, a header reaches its objects through the
# dependency index that `klpgen depcc` makes, kbuild's lists decide what
# is part of the config, -DMODULE decides the owner, KERNELRELEASE comes
# from the vmlinux, a config that olddefconfig changes is refused, --full
# switches the entry to a full build, and progress lines are printed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
# b.c is in the tree but not in kbuild's lists: not built by this config.
printf 'int fake_b(int x)\n{\n\treturn x;\n}\n' >"$SRC/fs/b.c"
echo "CONFIG_FAKE=y" >"$TMP/config"
fake_vmlinux "$TMP/vmlinux" "Linux version 6.1.0-fake (x@y) (gcc) #1 SMP"
: >"$TMP/Module.symvers"
# The running kernel's copy of module fake_mod, found through modules.order.
mkdir -p "$TMP/drivers"
echo drivers/fake-mod.ko >"$TMP/modules.order"
printf 'const char v[] __attribute__((section(".modinfo"))) = "vermagic=6.1.0-fake SMP";\n' |
	gcc -x c -c -o "$TMP/drivers/fake-mod.ko" -
CACHE=$TMP/cache
KB=("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux"
    --cache "$CACHE" -o "$TMP/out" -j2 --skip-compiler-check --explain)
mkpatch() {	# mkpatch NAME FILE SED-EXPR
	local name=$1 f=$2 expr=$3
	mkdir -p "$TMP/p/a/$(dirname "$f")" "$TMP/p/b/$(dirname "$f")"
	cp "$SRC/$f" "$TMP/p/a/$f"
	sed "$expr" "$SRC/$f" >"$TMP/p/b/$f"
	(cd "$TMP/p" && diff -u "a/$f" "b/$f") >"$TMP/$name.patch"
	rm -rf "$TMP/p"
}
count() { cat "$FAKE_LOG" 2>/dev/null | grep -c -- "$1"; }
entry() { ls -td "$CACHE"/builds/*/ | head -n 1; }

# 1. a .c change: prepared once, one object built, original and patched
mkpatch comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'
out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "a comment-only change: nothing to patch (exit 3)"
like "$out" "targeted build: only the objects the patches affect" "targeted is the default"
like "$out" "preparing the tree .* olddefconfig prepare modules_prepare" "the tree is prepared"
is "$(count 'orig prepare')" 1 "prepare ran once"
is "$(count 'vmlinux$')" 0 "no whole-tree build"
like "$out" "finding objects .* 1 object," "one object"
like "$out" "original objects .* 1 built" "its original is built"
is "$(count 'orig fs/a.o')" 1 "fs/a.o built in the original directory"
is "$(count 'drivers/m.o')" 0 "drivers/m.o not built at all"
is "$(cat "$(entry)orig/include/generated/release")" "6.1.0-fake" \
	"KERNELRELEASE is the vmlinux's release"
like "$(cat "$(entry)key.txt")" "^release 6\.1\.0-fake$" "and part of the cache key"

out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "again: exit 3"
like "$out" "preparing the tree .* cached" "the prepared tree is cached"
like "$out" "original objects .* cached" "the original object too"
is "$(count 'orig prepare')" 1 "prepare did not run again"
is "$(count 'orig fs/a.o')" 1 "nor the original fs/a.o"

# 2. a .c file this config does not build
mkpatch bfile fs/b.c 's/return x;/return x + 1;/'
out=$("${KB[@]}" "$TMP/bfile.patch" 2>&1); rc=$?
is "$rc" 3 "a file of no object of this config: exit 3"
like "$out" "fs/b.c is not compiled with this config" "and says so"
like "$out" "fs/b.c is not compiled by itself: making the dependency index" \
	"a .c of no object may be #included elsewhere: the index is made"
is "$(count 'fs/b.o')" 0 "fs/b.o was not built"
cp "$(entry)build.log" "$TMP/index-run.log"

# 3. a header: the dependency index finds both objects
mkpatch header include/h.h 's/41/42/'
out=$("${KB[@]}" "$TMP/header.patch" 2>&1); rc=$?
unlike "$out" "making the dependency index" "a header uses the index made before"
like "$out" "finding objects .* 2 objects," "which finds both objects (rc=$rc)"
ok_desc "deps.idx written" test -s "$(entry)deps.idx"
like "$(head -n 1 "$(entry)deps.idx")" "^klpgen-deps 1$" "in its format"
like "$(grep '^F ' "$(entry)deps.idx")" "^F include/h\.h$" "paths relative to the tree"
like "$(grep 'O=.*/deps ' "$TMP/index-run.log")" "CC=\S*/klpgen depcc gcc" "made by a run whose CC is klpgen depcc"
ok_desc "the run is removed once read" test ! -e "$(entry)deps"
like "$(grep -A1 drivers/m.o "$TMP/out/klp_header.explain.json")" '"objname": "fake_mod"' \
	"drivers/m.o belongs to module fake_mod (-DMODULE)"
like "$(grep fs/a.o "$TMP/out/klp_header.explain.json")" '"objname": "vmlinux"' \
	"fs/a.o to vmlinux"
mv "$TMP/modules.order" "$TMP/modules.order.away"
out=$("${KB[@]}" "$TMP/header.patch" 2>&1); rc=$?
is "$rc" 2 "a module object whose .ko is not found: exit 2"
like "$out" "drivers/m.o goes into module fake_mod, but no fake_mod.ko of kernel 6.1.0-fake was found.*--modules" \
	"and says where it looked"
mv "$TMP/modules.order.away" "$TMP/modules.order"
# since 6.2 modules.order lists the modules' .o files
echo drivers/fake-mod.o >"$TMP/modules.order"
out=$("${KB[@]}" "$TMP/header.patch" 2>&1); rc=$?
is "$rc" 4 "modules.order of 6.2+ (.o lines): the .ko is found (the verdict of the .ko lines: exit 4, not 2)"
echo drivers/fake-mod.ko >"$TMP/modules.order"
# since 6.2 the .cmd files say savedcmd_<obj>: the owners are still found
FAKE_CMD_PREFIX=savedcmd_ "$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" \
	--cache "$TMP/cache62" -o "$TMP/out62" -j2 --skip-compiler-check --explain \
	"$TMP/header.patch" >"$TMP/62.out" 2>&1
like "$(grep -A1 drivers/m.o "$TMP/out62/klp_header.explain.json")" '"objname": "fake_mod"' \
	"savedcmd_ .cmd files (6.2+): drivers/m.o still belongs to module fake_mod"
n=$(count 'deps fs/a.o')
"${KB[@]}" "$TMP/header.patch" >/dev/null 2>&1
is "$(count 'deps fs/a.o')" "$n" "the index is not made again"

# klpgen depcc itself: the dependency file and an empty object; other
# compiler runs pass through
rc=0
"$BIN/klpgen" depcc gcc -Wp,-MMD,"$TMP/a.d" -I"$SRC/include" -O2 -c \
	-o "$TMP/a.o" "$SRC/fs/a.c" || rc=$?
is "$rc" 0 "depcc on an object compile exits 0"
like "$(tr '\n\\' '  ' <"$TMP/a.d")" "^$TMP/a.o: .*fs/a.c .*include/h.h" "it writes the -MMD file for the object"
is "$(readelf -h "$TMP/a.o" 2>/dev/null | sed -n 's/^ *Type: *\(\S*\).*/\1/p')" REL "and an ELF relocatable"
is "$(nm "$TMP/a.o" 2>/dev/null | wc -l)" 0 "with no symbols (nothing was compiled)"
like "$("$BIN/klpgen" depcc gcc --version | head -n 1)" "^gcc " "gcc --version passes through"
"$BIN/klpgen" depcc gcc -Wp,-MMD,"$TMP/m.d" -c -o "$TMP/m.o" "$TMP/missing.c" 2>/dev/null; rc=$?
ok_desc "a missing source fails (rc=$rc)" test "$rc" -ne 0

# 4. an option olddefconfig drops is an error that names it
printf 'CONFIG_FAKE=y\nCONFIG_DROPPED=y\n' >"$TMP/config2"
out=$("$BIN/klpgen" build -s "$SRC" -c "$TMP/config2" -v "$TMP/vmlinux" \
	--cache "$CACHE" -o "$TMP/out" --skip-compiler-check "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a config that olddefconfig changes: exit 2"
like "$out" "CONFIG_DROPPED=y -> unset" "the dropped option is named"
like "$out" "pahole" "with the usual cause"
like "$out" "do not build the running kernel's config; full log: " "one closing line names the log"
unlike "$out" "exit -2|last lines of the log" "no internal code, no unrelated make output"

# 5. no Module.symvers: targeted cannot version the module
out=$("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" \
	--symvers /nonexistent --cache "$CACHE" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a missing --symvers file: exit 2"
mkdir -p "$TMP/nosv"
cp "$TMP/vmlinux" "$TMP/nosv/vmlinux"
out=$("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/nosv/vmlinux" \
	--cache "$CACHE" --skip-compiler-check "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "targeted without any Module.symvers: exit 2"
like "$out" "no Module.symvers of kernel 6.1.0-fake found.*--full" "says what to do"

# 6. --full builds the whole tree in the same entry; then full is the default
out=$("${KB[@]}" --full "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "--full: exit 3"
like "$out" "full build: the whole tree is built once" "--full builds everything"
is "$(count 'orig vmlinux$')" 1 "vmlinux built once"
out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
like "$out" "full build: the whole tree" "a cached full build is the default after"
out=$("${KB[@]}" --targeted "$TMP/comment.patch" 2>&1); rc=$?
like "$out" "targeted build" "unless --targeted is given ($rc)"
exit_is "--full and --targeted together" 2 "${KB[@]}" --full --targeted "$TMP/comment.patch"

# an outer make (a packaging Makefile) must not redirect klpgen's makes
out=$(MAKEFLAGS="FAKE_POISON=1 O=$TMP/elsewhere" KBUILD_OUTPUT=$TMP/elsewhere \
	"${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "an outer make's MAKEFLAGS and KBUILD_OUTPUT do not reach Kbuild"
ok_desc "nothing built elsewhere" test ! -e "$TMP/elsewhere"

# 7. progress of a long make: a line per interval off a terminal
rm -rf "$CACHE"
out=$(FAKE_SLEEP=2 FAKE_SLEEP_IN='*orig' KLPGEN_PROGRESS_SECONDS=1 \
	"${KB[@]}" -j1 --full "$TMP/comment.patch" 2>&1); rc=$?
like "$out" "\[klpgen\]   original build: [0-2]/2 objects, 0:0[0-9]" \
	"the full build prints objects done of objects to build, elapsed"
if command -v script >/dev/null; then
	rm -rf "$CACHE"
	FAKE_SLEEP=2 FAKE_SLEEP_IN='*orig' script -qec \
		"$(printf '%q ' "${KB[@]}" -j1 --full "$TMP/comment.patch")" \
		/dev/null >"$TMP/tty.out" 2>&1
	like "$(tr '\r' '\n' <"$TMP/tty.out")" "original build +\.\.\. [01]/2 objects, 0:0" \
		"on a terminal the phase line is redrawn with the count"
else
	skip "no script(1) for a terminal"
fi

done_testing
