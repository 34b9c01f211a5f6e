#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build on a fake kernel tree: compiler check against the vmlinux's
# .comment, a patch that does not compile, patch series, the cache key
# text, default module names.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
echo "CONFIG_FAKE=y" >"$TMP/config"
CACHE=$TMP/cache

# A "vmlinux" whose .comment names a given compiler.
vmlinux_built_by() {	# OUT COMMENT
	echo 'int x;' | gcc -x c -c -o "$1.tmp" -
	printf '%s\0' "$2" >"$TMP/comment"
	objcopy --remove-section .comment --add-section .comment="$TMP/comment" \
		--set-section-flags .comment=noload,readonly "$1.tmp" "$1"
	rm -f "$1.tmp"
}
vmlinux_built_by "$TMP/vm-other" "GCC: (Imaginary 1.0) 1.0.0"
vmlinux_built_by "$TMP/vm-same" "GCC: $(gcc --version | head -n 1 | cut -d' ' -f2-)"
: >"$TMP/Module.symvers"

kb() {	# kb VMLINUX [options] PATCH...
	local vm=$1; shift
	"$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$vm" \
		--cache "$CACHE" -o "$TMP/out" -j2 "$@"
}
mkpatch comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'

# compiler check
out=$(kb "$TMP/vm-other" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a vmlinux built by another gcc is refused (exit 2)"
like "$out" "built by \(Imaginary 1.0\) 1.0.0" "the message names the vmlinux's compiler"
like "$out" "skip-compiler-check" "and the way out"
ok_desc "nothing was built" test ! -e "$FAKE_LOG"
out=$(kb "$TMP/vm-other" --skip-compiler-check "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "--skip-compiler-check goes on (to 'nothing to patch')"
out=$(kb "$TMP/vm-same" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "the same gcc passes the check"

# the cache key is documented in key.txt
key=$(echo "$CACHE"/builds/*/key.txt)
for f in kernel release config compiler launcher kcflags source fingerprint; do
	like "$(cat "$key")" "^$f " "key.txt names the $f"
done
like "$(cat "$key")" "^kernel 6\.1\.0-fake$" "kernel version read from the Makefile"
like "$(cat "$key")" "^kcflags -ffunction-sections -fdata-sections$" "KCFLAGS recorded"

# the launcher is part of the key (env(1) as a do-nothing launcher)
n=$(ls "$CACHE/builds" | wc -l)
out=$(kb "$TMP/vm-same" --launcher env "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "--launcher env builds"
is "$(ls "$CACHE/builds" | wc -l)" $((n + 1)) "in a cache entry of its own"
like "$(cat "$CACHE"/builds/*/key.txt)" "^launcher env$" "key.txt names the launcher"
like "$(cat "$(dirname "$(grep -l '^launcher env$' "$CACHE"/builds/*/key.txt)")/build.log")" \
	"CC=env gcc" "make ran with CC=\"env gcc\""

# a clang kernel (CONFIG_CC_IS_CLANG): klpgen builds with LLVM=-<major>
if command -v clang-16 >/dev/null; then
	printf 'CONFIG_FAKE=y\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=160006\n' >"$TMP/config-clang"
	vmlinux_built_by "$TMP/vm-clang" "$(clang-16 --version | head -n 1)"
	vmlinux_built_by "$TMP/vm-clang-other" "Debian clang version 16.0.0 (imaginary)"
	out=$("$BIN/klpgen" build -s "$SRC" -c "$TMP/config-clang" -v "$TMP/vm-clang-other" \
		--cache "$CACHE" -o "$TMP/out" -j2 "$TMP/comment.patch" 2>&1); rc=$?
	is "$rc" 2 "a vmlinux built by another clang is refused (exit 2)"
	like "$out" "built by Debian clang version 16\.0\.0 \(imaginary\)" "... naming its clang"
	like "$out" "this machine has $(clang-16 --version | head -n 1 | sed 's/[().~]/./g')" "... and ours"
	out=$(env -u LLVM "$BIN/klpgen" build -s "$SRC" -c "$TMP/config-clang" -v "$TMP/vm-clang" \
		--cache "$CACHE" -o "$TMP/out" -j2 "$TMP/comment.patch" 2>&1); rc=$?
	is "$rc" 3 "the same clang-16 passes the check"
	log=$(dirname "$(grep -l '^compiler .*clang version 16' "$CACHE"/builds/*/key.txt)")/build.log
	like "$(cat "$log")" "^=== make .* LLVM=-16( |$)" "every make runs with LLVM=-16"
	unlike "$(grep '^=== make' "$log" | grep -v 'LLVM=-16')" . "... all of them"
else
	skip "no clang-16 (scripts/install-deps installs it)"
fi

# a patch that does not compile
mkpatch broken fs/a.c 's/return x + FAKE_VALUE;/return x +;/'
out=$(kb "$TMP/vm-same" "$TMP/broken.patch" 2>&1); rc=$?
is "$rc" 2 "a patch that does not compile exits 2"
like "$out" "patched build failed" "says the patched build failed"
like "$out" "error: expected expression" "shows the compiler's error"
like "$out" "full log: .*/build.log" "and where the full log is"
is "$(readlink -f "$SRC/fs/a.c")" "$SRC/fs/a.c" "user tree not replaced"
key=$(sed -n 's/.*cache key *\.\.\. \([0-9a-f]*\),.*/\1/p' <<<"$out")
ok_desc "private copy relinked to the user's file" \
	test "$(stat -c %i "$SRC/fs/a.c")" = "$(stat -c %i "$CACHE/builds/$key/src/fs/a.c")"

# a series: the second patch applies on top of the first
mkpatch p1 fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE + 0;/'
sed 's/return x + FAKE_VALUE;/return x + FAKE_VALUE + 0;/' "$SRC/fs/a.c" >"$TMP/a1.c"
mkdir -p "$TMP/q/a/fs" "$TMP/q/b/fs"
cp "$TMP/a1.c" "$TMP/q/a/fs/a.c"
sed 's/FAKE_VALUE + 0;/FAKE_VALUE;/' "$TMP/a1.c" >"$TMP/q/b/fs/a.c"
(cd "$TMP/q" && diff -u a/fs/a.c b/fs/a.c) >"$TMP/p2.patch"
out=$(kb "$TMP/vm-same" "$TMP/p1.patch" "$TMP/p2.patch" 2>&1); rc=$?
is "$rc" 3 "a two-patch series applies in order (and cancels out)"
out=$(kb "$TMP/vm-same" "$TMP/p2.patch" "$TMP/p1.patch" 2>&1); rc=$?
is "$rc" 2 "the same series in the wrong order does not apply"
like "$out" "p2.patch does not apply" "and names the patch"

# names and options
exit_is "a bad module name is refused" 2 kb "$TMP/vm-same" -n 'bad/name' "$TMP/comment.patch"
out=$(kb "$TMP/vm-same" -n My-Fix "$TMP/nonexistent.patch" 2>&1); rc=$?
is "$rc" 2 "a missing patch file is bad input"
exit_is "-j must be a number" 2 kb "$TMP/vm-same" -j x "$TMP/comment.patch"
out=$(kb "$TMP/vm-same" --cache "$SRC/cache" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a cache inside the source tree is refused"
like "$out" "cache .*/cache is inside the source tree" "... saying so"
ok_desc "... before creating it there" test ! -e "$SRC/cache"
out=$(kb "$TMP/vm-same" --cache "$SRC/fs/../new/deeper" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a new cache dir below the tree, named through '..', is refused"
ok_desc "... and nothing is created" test ! -e "$SRC/new"
(cd "$SRC/fs" && kb "$TMP/vm-same" --cache rel-cache "$TMP/comment.patch") >/dev/null 2>&1
is "$?" 2 "a relative cache inside the tree (from a subdirectory) is refused"
ok_desc "... and not created" test ! -e "$SRC/fs/rel-cache"
rm -rf "$SRC/cache"

# a patch whose file names leave the tree
printf -- '--- a/../outside.c\n+++ b/../outside.c\n@@ -1 +1 @@\n-a\n+b\n' >"$TMP/escape.patch"
out=$(kb "$TMP/vm-same" "$TMP/escape.patch" 2>&1); rc=$?
is "$rc" 2 "a patch of ../outside.c is refused"
like "$out" "escape.patch: file a/\.\./outside\.c leaves the source tree" \
	"... as leaving the tree, not as 'not a unified diff'"

done_testing
