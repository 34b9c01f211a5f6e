#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen kpatch-build on a fake kernel tree: kpatch-build's command line,
# CACHEDIR, kpatch's module names, -t; and the proof that putting
# kpatch-macros.h on the include path changes neither the cache key nor the
# original build (a patch including it reuses the entry klpgen build made,
# where KCFLAGS=-I... would make a new key and a second original build).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT && echo "# $TMP"

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
# what kpatch-macros.h includes, as a kernel tree has it
mkdir -p "$SRC/include/linux"
cp "$FIXTURES"/kpatch/include/linux/*.h "$SRC/include/linux/"
echo "CONFIG_FAKE=y" >"$TMP/config"
echo 'int x;' | gcc -x c -c -o "$TMP/vm.tmp" -
printf '%s\0' "GCC: $(gcc --version | head -n 1 | cut -d' ' -f2-)" >"$TMP/comment"
objcopy --remove-section .comment --add-section .comment="$TMP/comment" \
	--set-section-flags .comment=noload,readonly "$TMP/vm.tmp" "$TMP/vmlinux"
unset CACHEDIR KCFLAGS
export KLPGEN_CACHE=$TMP/cache
KP=("$BIN/klpgen" kpatch-build)

mkpatch() {	# mkpatch NAME FILE PERL-EXPR
	local name=$1 f=$2 expr=$3
	rm -rf "$TMP/p"
	mkdir -p "$TMP/p/a/$(dirname "$f")" "$TMP/p/b/$(dirname "$f")"
	cp "$SRC/$f" "$TMP/p/a/$f"
	cp "$SRC/$f" "$TMP/p/b/$f"
	perl -0pi -e "$expr" "$TMP/p/b/$f"
	(cd "$TMP/p" && diff -u "a/$f" "b/$f") >"$TMP/$name.patch"
}
key_of() { sed -n 's/.*cache key *\.\.\. \([0-9a-f]*\),.*/\1/p' <<<"$1"; }
orig_builds() { grep -c "^make $KLPGEN_CACHE/builds/[0-9a-f]*/orig vmlinux$" "$FAKE_LOG"; }

# --- the command line --------------------------------------------------------
out=$("${KP[@]}" --help); rc=$?
is "$rc" 0 "--help: exit 0"
like "$out" '^usage: klpgen kpatch-build \[options\] PATCH\.\.\.' "--help prints the usage"
for o in -s -c -v -a -j -t -n -o -R -d -e --skip-cleanup --skip-compiler-check \
	 --oot-module-src -r; do
	like "$out" "(^| )${o}[ ,]" "--help names $o"
done
exit_is "no arguments: exit 2" 2 "${KP[@]}"
exit_is "unknown option: exit 2" 2 "${KP[@]}" --frob x.patch
err=$("${KP[@]}" "$TMP/none.patch" 2>&1); rc=$?
is "$rc" 2 "a patch that does not exist: exit 2"
like "$err" "patch file '$TMP/none.patch' not found" "... kpatch's words, naming it"
: >"$TMP/empty.patch"
err=$("${KP[@]}" --oot-module "$TMP/vmlinux" "$TMP/empty.patch" 2>&1); rc=$?
is "$rc" 2 "--oot-module without --oot-module-src: exit 2"
like "$err" "requires --oot-module-src" "... and says so"
exit_is "bad -j: exit 2" 2 "${KP[@]}" -j 0 "$TMP/empty.patch"
err=$("${KP[@]}" --oot-module "$TMP/vmlinux" --oot-module-src "$SRC" "$TMP/empty.patch" 2>&1); rc=$?
is "$rc" 2 "--oot-module with no vermagic and no -s: exit 2"
like "$err" "has no vermagic: give -s KERNEL_BUILD_DIR" "... naming the way out"
err=$("${KP[@]}" -s "$TMP" --oot-module "$TMP/vmlinux" --oot-module-src "$SRC" "$TMP/empty.patch" 2>&1); rc=$?
is "$rc" 2 "--oot-module, -s not a kernel build directory: exit 2"
like "$err" "$TMP: not a configured kernel build directory" "... naming it"

# --- the cache key: klpgen build first, then a kpatch patch ------------------
# (klpgen build --full: kpatch-build then finds the full original build
# cached and uses it, as klpgen build does; this fake tree has no
# Module.symvers for a targeted build)
mkpatch plain fs/a.c 's/return x \+ FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'
out=$("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" \
	-o "$TMP/out" -j2 --full "$TMP/plain.patch" 2>&1); rc=$?
is "$rc" 3 "klpgen build of a comment change: nothing to patch (exit 3)"
key=$(key_of "$out")
like "$key" '^[0-9a-f]{20}$' "klpgen build's cache key: $key"
is "$(orig_builds)" 1 "one original build"
mkpatch kp fs/a.c 's|(#include <h.h>\n)|$1#include "kpatch-macros.h"\n|; s/x \+ FAKE_VALUE/x - FAKE_VALUE/; s/$/\nKPATCH_IGNORE_FUNCTION(fake_a);\n/'
: >"$FAKE_LOG.before"; cp "$FAKE_LOG" "$FAKE_LOG.before"
out=$(cd "$TMP" && "${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" \
	-o "$TMP/out" -j 2 --explain "$TMP/kp.patch" 2>&1); rc=$?
is "$rc" 3 "kpatch-build of a kpatch patch whose one change is ignored: exit 3"
is "$(key_of "$out")" "$key" "the same cache key as klpgen build's"
like "$out" 'original build +\.\.\. cached' "the original build is cached"
is "$(orig_builds)" 1 "no second original build"
like "$(diff "$FAKE_LOG.before" "$FAKE_LOG")" "> make $KLPGEN_CACHE/builds/$key/patched fs/a.o" \
	"only fs/a.o was rebuilt, in the patched mirror"
like "$out" 'note: KPATCH_IGNORE_FUNCTION\(fake_a\): fake_a differs from the original' \
	"#include \"kpatch-macros.h\" compiled: its annotation reached create-diff-object"
ok_desc "the default name is kpatch's: livepatch-kp" test -f "$TMP/out/livepatch-kp.explain.json"
like "$(cat "$TMP/out/livepatch-kp.explain.json")" '"verdict": "ignored"' "and its explain report says ignored"
ok_desc "kpatch-macros.h is in the private copy's include/" \
	test -f "$KLPGEN_CACHE/builds/$key/src/include/kpatch-macros.h"
ok_desc "... and not in the user's tree" test ! -e "$SRC/include/kpatch-macros.h"
out=$(KCFLAGS=-I"$KLPGEN_SRC/templates" "$BIN/klpgen" build -s "$SRC" -c "$TMP/config" \
	-v "$TMP/vmlinux" -o "$TMP/out" -j2 --full "$TMP/plain.patch" 2>&1)
isnt_key=$(key_of "$out")
[ "$isnt_key" != "$key" ]; _tap_result $? "(KCFLAGS=-I... instead would be another key: $isnt_key)"
is "$(orig_builds)" 2 "(and cost a second original build)"

# --- names ----------------------------------------------------------------------
out=$("${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" -o "$TMP/out" \
	--explain -n 'test.foo' "$TMP/kp.patch" 2>&1)
ok_desc "-n test.foo is named test-foo, as kpatch-build names it" test -f "$TMP/out/test-foo.explain.json"
mkpatch other drivers/m.c 's/(return x \* 3)/$1 \/* c *\//'
out=$("${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" -o "$TMP/out" \
	--explain "$TMP/kp.patch" "$TMP/other.patch" 2>&1)
ok_desc "two patches: livepatch-patch" test -f "$TMP/out/livepatch-patch.explain.json"
cp "$TMP/kp.patch" "$TMP/fix.diff"
out=$("${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" -o "$TMP/out" \
	--explain "$TMP/fix.diff" 2>&1)
ok_desc "fix.diff: livepatch-fix" test -f "$TMP/out/livepatch-fix.explain.json"

# --- notes for what klpgen has no use for ------------------------------------------
out=$("${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" -o "$TMP/out" \
	-r kernel.src.rpm --skip-gcc-check "$TMP/plain.patch" 2>&1); rc=$?
is "$rc" 3 "-r and --skip-gcc-check accepted"
is "$(grep -c '^\[klpgen\] note: ' <<<"$out")" 2 "one note line each"
like "$out" 'note: -r kernel.src.rpm: klpgen does not unpack source RPMs' "-r says what it does not do"

# --- CACHEDIR ----------------------------------------------------------------------
out=$(env -u KLPGEN_CACHE CACHEDIR="$TMP/kcache" "${KP[@]}" -s "$SRC" -c "$TMP/config" \
	-v "$TMP/vmlinux" -o "$TMP/out" "$TMP/plain.patch" 2>&1)
ok_desc "CACHEDIR is the cache when KLPGEN_CACHE is not set" test -d "$TMP/kcache/builds/$key"
out=$(CACHEDIR="$TMP/kcache2" "${KP[@]}" -s "$SRC" -c "$TMP/config" \
	-v "$TMP/vmlinux" -o "$TMP/out" "$TMP/plain.patch" 2>&1)
ok_desc "KLPGEN_CACHE wins over CACHEDIR" test ! -e "$TMP/kcache2"

# --- -t: original-build targets, an entry of their own ---------------------------------
out=$("${KP[@]}" -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux" -o "$TMP/out" \
	-t vmlinux "$TMP/plain.patch" 2>&1)
tkey=$(key_of "$out")
[ -n "$tkey" ] && [ "$tkey" != "$key" ]; _tap_result $? "-t vmlinux: another cache key ($tkey)"
like "$(cat "$KLPGEN_CACHE/builds/$tkey/key.txt")" '^targets vmlinux$' "key.txt names the targets"
unlike "$(cat "$KLPGEN_CACHE/builds/$key/key.txt")" '^targets' "the default entry's key.txt does not"
ok_desc "the entry built vmlinux only (no modules target)" \
	sh -c "grep -q 'builds/$tkey/orig vmlinux' '$FAKE_LOG' && test ! -e '$KLPGEN_CACHE/builds/$tkey/orig/Module.symvers'"

# --- make install KPATCH_COMPAT=1: a kpatch-build link ------------------------------
make -s -C "$KLPGEN_SRC" O="$KLPGEN_BUILD" install PREFIX=/usr DESTDIR="$TMP/inst" \
	KPATCH_COMPAT=1 >/dev/null 2>&1
is "$(readlink "$TMP/inst/usr/bin/kpatch-build")" klpgen "KPATCH_COMPAT=1 installs kpatch-build -> klpgen"
like "$("$TMP/inst/usr/bin/kpatch-build" --help)" '^usage: klpgen kpatch-build' "called kpatch-build, it is klpgen kpatch-build"
ok_desc "and its man page" test -f "$TMP/inst/usr/share/man/man1/kpatch-build.1"
ok_desc "the headers are installed" test -f "$TMP/inst/usr/share/klpgen/templates/kpatch-macros.h"
make -s -C "$KLPGEN_SRC" O="$KLPGEN_BUILD" install PREFIX=/usr DESTDIR="$TMP/inst2" >/dev/null 2>&1
ok_desc "without it, no link" test ! -e "$TMP/inst2/usr/bin/kpatch-build"

done_testing
