#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build on the three source trees users have: pristine, configured
# in place, configured and built in place.  Kbuild (like the fake tree)
# refuses an O= build from the last two; klpgen cleans its private copy
# with the tree's own make mrproper, never the user's tree, and a tree
# built in place with the same config is its own dependency index.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT

export FAKE_LOG=$TMP/make.log
fake_vmlinux "$TMP/vmlinux" "Linux version 6.1.0-fake (x@y) (gcc) #1 SMP"
: >"$TMP/Module.symvers"
snapshot() {	# path, inode, size, mtime and sum of every file of tree $1
	(cd "$1" && find . -printf '%p %y %i %s %T@\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 md5sum)
}
mkpatch() {	# mkpatch TREE NAME FILE SED-EXPR
	local t=$1 name=$2 f=$3 expr=$4
	mkdir -p "$TMP/p/a/$(dirname "$f")" "$TMP/p/b/$(dirname "$f")"
	cp "$t/$f" "$TMP/p/a/$f"
	sed "$expr" "$t/$f" >"$TMP/p/b/$f"
	(cd "$TMP/p" && diff -u "a/$f" "b/$f") >"$TMP/$name.patch"
	rm -rf "$TMP/p"
}
kb() {	# kb TREE [options] PATCH
	local t=$1; shift
	"$BIN/klpgen" build -s "$t" -v "$TMP/vmlinux" --symvers "$TMP/Module.symvers" \
		--cache "$TMP/cache-${t##*/}" -o "$TMP/out" -j2 \
		--skip-compiler-check "$@"
}
farm_of() {	# farm_of TREE OUTPUT: the private copy of that run
	echo "$TMP/cache-${1##*/}/builds/$(sed -n 's/.*cache key *\.\.\. \([0-9a-f]*\),.*/\1/p' <<<"$2")/src"
}

for layout in pristine configured built; do
	T=$TMP/$layout
	make_fake_tree "$T"
	cp "$T/.config.in" "$T/.config"
	case $layout in
	# make check O=DIR exports O and MAKEFLAGS: they must not reach it
	configured) env -u MAKEFLAGS -u MFLAGS -u O make -s -C "$T" olddefconfig prepare >/dev/null ;;
	built) env -u MAKEFLAGS -u MFLAGS -u O make -s -C "$T" olddefconfig prepare vmlinux modules >/dev/null ;;
	pristine) rm "$T/.config" ;;
	esac
	[ "$layout" = pristine ] && cfg=(-c "$T/.config.in") || cfg=()
	mkpatch "$T" comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'
	before=$(snapshot "$T")
	: >"$FAKE_LOG"
	out=$(kb "$T" "${cfg[@]}" "$TMP/comment.patch" 2>&1); rc=$?
	is "$rc" 3 "$layout tree: builds (a comment change: exit 3)"
	unlike "$out" "not clean" "$layout tree: no 'source tree is not clean'"
	is "$(snapshot "$T")" "$before" "$layout tree: not written"
	farm=$(farm_of "$T" "$out")
	if [ "$layout" = pristine ]; then
		is "$(grep -c mrproper "$FAKE_LOG")" 0 "pristine tree: no mrproper"
	else
		is "$(grep -c mrproper "$FAKE_LOG")" 1 "$layout tree: the copy was cleaned once"
		like "$out" "source copy .* created, cleaned with make mrproper" \
			"$layout tree: and the progress line says so"
		ok_desc "$layout tree: the copy has no .config" test ! -e "$farm/.config"
		is "$(cat "$farm/../orig/.config")" "$(cat "$T/.config")" \
			"$layout tree: its .config is the default config"
		like "$(cat "$farm/../key.txt")" "^source $T$" "$layout tree: keyed by the user's tree"
	fi
	if [ "$layout" = built ]; then
		ok_desc "built tree: the copy has no objects" test ! -e "$farm/fs/a.o"
		ok_desc "built tree: the user's objects stay" test -e "$T/fs/a.o"
		# A header change: the tree's own .cmd files are the index.
		mkpatch "$T" header include/h.h 's/41/41 \/* c *\//'
		out=$(kb "$T" -v "$T/vmlinux" "$TMP/header.patch" 2>&1); rc=$?
		like "$out" "finding objects .* 2 objects" "built tree: a header finds its 2 objects ($rc)"
		unlike "$out" "making the dependency index" "from the tree's own .cmd files"
		ok_desc "built tree: no index run" test ! -e "$(farm_of "$T" "$out")/../deps"
		is "$(snapshot "$T")" "$before" "built tree: still not written"
	fi
done

done_testing
