#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kbuild's object lists through single targets as kbuild 5.10 builds them
# (Debian 11; the directory's Makefile.build is told the target in
# KBUILD_SINGLE_TARGETS and passes one it has no rule for to
# `make -f /dev/null`): klpgen build still finds a changed .c file's
# object in its directory's list, and still leaves out a file the config
# does not build.  Before, the /dev/null run wrote every list empty and no
# .c change of a 5.10 tree was patchable.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir

export FAKE_LOG=$TMP/make.log FAKE_SINGLE=5.10
SRC=$TMP/linux
make_fake_tree "$SRC"
sed -i 's/^VERSION = 6$/VERSION = 5/; s/^PATCHLEVEL = 1$/PATCHLEVEL = 10/' "$SRC/Makefile"
printf 'int fake_b(int x)\n{\n\treturn x;\n}\n' >"$SRC/fs/b.c"
echo "CONFIG_FAKE=y" >"$TMP/config"
fake_vmlinux "$TMP/vmlinux" "Linux version 5.10.0-fake (x@y) (gcc) #1 SMP"
: >"$TMP/Module.symvers"
CACHE=$TMP/cache
KB=("$BIN/klpgen" build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux"
    --symvers "$TMP/Module.symvers" --cache "$CACHE" -o "$TMP/out" -j2
    --skip-compiler-check)
entry() { ls -td "$CACHE"/builds/*/ | head -n 1; }

mkpatch comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'
out=$("${KB[@]}" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "a comment-only change of a listed file: nothing to patch (exit 3)"
like "$out" "finding objects .* 1 object," "its object is found"
unlike "$out" "not compiled with this config" "in its directory's list"
unlike "$out" "making the dependency index" "without the dependency index"
like "$(cat "$(entry)kbuild-lists/d-fs")" "^KLPGEN-OBJS fs y fs/a\.o m" \
	"the list is the directory's Makefile.build's, not the /dev/null run's"
grep -q 'make -f /dev/null' "$(entry)build.log"
is "$?" 0 "the fake kbuild did run make -f /dev/null"

mkpatch bfile fs/b.c 's/return x;/return x + 1;/'
out=$("${KB[@]}" "$TMP/bfile.patch" 2>&1); rc=$?
is "$rc" 3 "a file of no object of this config: exit 3"
like "$out" "fs/b.c is not compiled with this config" "and says so"
done_testing
