#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build with the cache on another file system than the source tree
# (no hardlinks possible): the private copy is a real copy, patched files
# are copied back on restore, and the user's tree is still never written.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT

other=/dev/shm
if [ ! -d "$other" ] || [ ! -w "$other" ] ||
   [ "$(stat -c %d "$other")" = "$(stat -c %d "$TMP")" ]; then
	echo "1..0 # SKIP no writable second file system at $other"
	exit 0
fi
CACHE=$(mktemp -d "$other/klpgen-test-cache.XXXXXX")
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$TMP" "$CACHE"' EXIT

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
echo "CONFIG_FAKE=y" >"$TMP/config"
echo 'int x;' | gcc -x c -c -o "$TMP/vmlinux" -
: >"$TMP/Module.symvers"
KB=("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux"
    --cache "$CACHE" -o "$TMP/out" -j2 --skip-compiler-check)
snapshot() {
	(cd "$SRC" && find . -type f -printf '%p %i %s %T@\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 md5sum)
}
copy_ok() {	# the copy has the user's contents again, and no journal
	local farm
	farm=$(echo "$CACHE"/builds/*/src)
	[ ! -e "$(dirname "$farm")/journal" ] && diff -r "$SRC" "$farm" -x klpgen-patch.h -x linux -x "kpatch-*.h" >/dev/null
}
mkdir -p "$TMP/p/a/fs" "$TMP/p/b/fs"
cp "$SRC/fs/a.c" "$TMP/p/a/fs/"
sed 's/x + FAKE_VALUE/x - FAKE_VALUE/' "$SRC/fs/a.c" >"$TMP/p/b/fs/a.c"
(cd "$TMP/p" && diff -u a/fs/a.c b/fs/a.c) >"$TMP/real.patch"
before=$(snapshot)

out=$("${KB[@]}" "$TMP/real.patch" 2>&1); rc=$?
like "$out" "copying it instead" "falls back to a real copy"
like "$out" "source copy .*copied" "and says so on the progress line"
like "$out" "patched build" "goes on to the patched build"
# The fake vmlinux has no fake_a: the run ends in that documented refusal.
is "$rc" 4 "and ends refusing the change (exit 4)"
like "$out" "changed function fake_a .* is not found in .*/vmlinux" "... because vmlinux has no fake_a"
is "$(snapshot)" "$before" "user tree untouched"
ok_desc "copy restored to the user's contents" copy_ok

FAKE_SLEEP=30 "${KB[@]}" "$TMP/real.patch" >/dev/null 2>"$TMP/err" &
pid=$!
wait_patched_build
kill -INT $pid
wait $pid; rc=$?
is "$rc" 130 "SIGINT exits 130"
is "$(snapshot)" "$before" "user tree untouched after SIGINT"
ok_desc "copy restored after SIGINT" copy_ok
done_testing
