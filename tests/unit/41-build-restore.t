#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build on a fake kernel tree: the user's tree is never written,
# the private source copy is restored on every exit path (error, no change,
# SIGINT, SIGTERM, and after SIGKILL on the next run), the original build is
# cached, and only stale objects are rebuilt.  In --full mode (the whole
# tree built once); tests/unit/44-build-targeted.t covers the default.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
echo "CONFIG_FAKE=y" >"$TMP/config"
echo 'int x;' | gcc -x c -c -o "$TMP/vmlinux" -
CACHE=$TMP/cache
KB=("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux"
    --cache "$CACHE" -o "$TMP/out" -j2 --skip-compiler-check --full)

# Identity of every file of the user's tree: path, inode, size, mtime, sum.
snapshot() {
	(cd "$SRC" && find . -type f -printf '%p %i %s %T@\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 md5sum)
}
# The private copy must be a pure hardlink farm again: same inodes.
farm_ok() {
	local farm f bad=0
	# the entry of the last run (the key changes with the tree)
	farm=$(ls -td "$CACHE"/builds/*/ | head -n 1)src
	[ -d "$farm" ] || return 1
	[ ! -e "$(dirname "$farm")/journal" ] || return 1
	while IFS= read -r f; do
		[ "$(stat -c %i "$SRC/$f")" = "$(stat -c %i "$farm/$f")" ] || bad=1
	done < <(cd "$SRC" && find . -type f)
	# nothing the patch added may remain
	[ ! -e "$farm/fs/new.c" ] || bad=1
	return $bad
}


before=$(snapshot)

# 1. usage
exit_is "--help exits 0" 0 "$BIN/klpgen" build --help
exit_is "no patch is bad usage" 2 "$BIN/klpgen" build -s "$SRC"

# 2. a patch that does not apply
cat >"$TMP/bad.patch" <<'P'
--- a/fs/a.c
+++ b/fs/a.c
@@ -1,3 +1,3 @@
 #include <h.h>
-int no_such_line(int x)
+int other(int x)
 {
P
out=$("${KB[@]}" "$TMP/bad.patch" 2>&1); rc=$?
is "$rc" 2 "a patch that does not apply exits 2"
like "$out" "bad.patch does not apply" "and says so"
is "$(snapshot)" "$before" "user tree untouched"
ok_desc "private copy restored" farm_ok
is "$(cat "$FAKE_LOG" 2>/dev/null | grep -c 'vmlinux$')" 0 "nothing was built: the patch is tried first"

# 3. a comment-only change: rebuilt, identical, nothing to patch
mkpatch comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* same *\//'
out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "a change that compiles to the same code exits 3"
like "$out" "original build .*built" "the original build ran"
is "$(grep -c 'vmlinux$' "$FAKE_LOG")" 1 "once"
like "$out" "finding objects .* 1 object," "one stale object"
is "$(snapshot)" "$before" "user tree untouched"
ok_desc "private copy restored" farm_ok

# 4. a header change rebuilds both objects that depend on it
mkpatch header include/h.h 's/41/41 \/* same *\//'
out=$("${KB[@]}" "$TMP/header.patch" 2>&1); rc=$?
is "$rc" 3 "header change with identical code exits 3"
like "$out" "original build .*cached" "the original build is cached"
is "$(grep -c 'vmlinux$' "$FAKE_LOG")" 1 "and not run again"
like "$out" "2 objects" "objects found through .cmd deps of the header"
ok_desc "private copy restored" farm_ok

# 5. SIGINT / SIGTERM during a slow patched build
mkpatch real fs/a.c 's/x + FAKE_VALUE/x - FAKE_VALUE/'
for sig in INT TERM; do
	: >"$TMP/err"
	FAKE_SLEEP=30 "${KB[@]}" "$TMP/real.patch" >/dev/null 2>"$TMP/err" &
	pid=$!
	wait_patched_build
	child=$(pgrep -P $pid | head -n 1)
	t0=$(date +%s)
	kill -$sig $pid
	wait $pid; rc=$?
	is "$rc" 130 "SIG$sig during the patched build exits 130"
	[ "$rc" = 130 ] || sed "s/^/# klpgen: /" "$TMP/err"
	ok_desc "it stops at once" test $(( $(date +%s) - t0 )) -lt 10
	like "$(cat "$TMP/err")" "interrupted" "and says it was interrupted"
	is "$(snapshot)" "$before" "user tree untouched after SIG$sig"
	ok_desc "private copy restored after SIG$sig" farm_ok
	ok_desc "its make (pid ${child:-none}) is gone" test -n "$child" -a ! -d "/proc/${child:-0}"
done

# 6. SIGKILL: the next run restores the copy from the journal first
FAKE_SLEEP=30 setsid "${KB[@]}" "$TMP/real.patch" >/dev/null 2>"$TMP/err" &
pid=$!
wait_patched_build
child=$(pgrep -P $pid | head -n 1)
kill -KILL $pid; wait $pid 2>/dev/null
# make runs in its own process group (pgid = its pid): end it by that id
[ -n "$child" ] && kill -KILL -- -"$child" 2>/dev/null
ok_desc "after SIGKILL a journal remains" test -e "$(ls -td "$CACHE"/builds/*/ | head -n 1)journal"
out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
like "$out" "earlier run was killed: restoring" "the next run restores first"
is "$rc" 3 "and then works"
ok_desc "private copy restored after SIGKILL" farm_ok
is "$(snapshot)" "$before" "user tree untouched"

# 7. a patch adding a file: removed again from the copy
cat >"$TMP/add.patch" <<'P'
--- /dev/null
+++ b/fs/new.c
@@ -0,0 +1 @@
+int fake_new;
P
out=$("${KB[@]}" "$TMP/add.patch" 2>&1); rc=$?
is "$rc" 3 "a new file that nothing builds: nothing to patch"
ok_desc "added file removed from the copy" farm_ok

# 8. a patch through a symbolic link is refused (GNU patch will not patch a
#    symbolic link), whether it stays in the tree or leads out of it
ln -s a.c "$SRC/fs/link.c"
ln -s "$TMP/outside.c" "$SRC/fs/out.c"
echo 'int outside;' >"$TMP/outside.c"
before=$(snapshot)
mkpatch vialink fs/link.c 's/x + FAKE_VALUE/x - FAKE_VALUE/'
out=$("${KB[@]}" "$TMP/vialink.patch" 2>&1); rc=$?
is "$rc" 2 "a patch through an in-tree link does not apply (exit 2)"
like "$out" "vialink.patch does not apply" "... naming the patch"
like "$out" "fs/link.c is not a regular file" "... and why"
is "$(snapshot)" "$before" "user tree untouched by a patch through a link"
ok_desc "private copy restored" farm_ok
mkpatch viaout fs/out.c 's/outside/inside/'
out=$("${KB[@]}" "$TMP/viaout.patch" 2>&1); rc=$?
is "$rc" 2 "a link leading out of the tree is refused"
like "$out" "leading out of the source tree" "and says why"
is "$(cat "$TMP/outside.c")" "int outside;" "the file outside is untouched"
rm "$SRC/fs/link.c" "$SRC/fs/out.c"

# 9. the cache key follows the tree
touch -d '2001-01-01' "$SRC/README"
before=$(snapshot)
"${KB[@]}" "$TMP/comment.patch" >/dev/null 2>&1
is "$(ls "$CACHE/builds" | wc -l)" 3 "a changed mtime in the tree gives a new cache entry"
is "$(snapshot)" "$before" "user tree untouched"

done_testing
