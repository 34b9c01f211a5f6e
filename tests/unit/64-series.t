#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen series build on a fake kernel tree: the series file format and
# its errors (naming file and line), module names, options it refuses, a
# step that fails stops the series with that step's status, and SIGTERM or
# SIGKILL of the series leaves the private copy restored.  Full series
# (modules, checks) are built in the kernel lab: tests/lab/tests/klpgen-series*.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir

export FAKE_LOG=$TMP/make.log
SRC=$TMP/linux
make_fake_tree "$SRC"
echo "CONFIG_FAKE=y" >"$TMP/config"
echo 'int x;' | gcc -x c -c -o "$TMP/vmlinux" -
CACHE=$TMP/cache
# --full: this fake tree has no Module.symvers for a targeted build
KS=("$BIN/klpgen" series build -s "$SRC" -c "$TMP/config" -v "$TMP/vmlinux"
    --cache "$CACHE" -o "$TMP/out" -j2 --skip-compiler-check --full)

mkpatch comment fs/a.c 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//'
mkpatch real fs/a.c 's/x + FAKE_VALUE/x - FAKE_VALUE/'
run() {	# run DESC WANT_RC ARGS...: output in $out
	local desc=$1 want=$2 rc=0; shift 2
	out=$("${KS[@]}" "$@" 2>&1) || rc=$?
	is "$rc" "$want" "$desc: exit $want"
}

exit_is "series build --help" 0 "$BIN/klpgen" series build --help
like "$("$BIN/klpgen" series build --help)" 'usage: klpgen series build \[build options\]' "its own usage"
exit_is "series without build" 2 "$BIN/klpgen" series
exit_is "series frobnicate" 2 "$BIN/klpgen" series frobnicate

# The series file: comments, blank lines, versions, paths beside it.
mkdir -p "$TMP/s/patches"
cp "$TMP/comment.patch" "$TMP/real.patch" "$TMP/s/patches/"
printf '# the fix series\n\npatches/comment.patch 2.1-rc1  # first\npatches/real.patch\n' >"$TMP/s/series"
run "a step that changes nothing stops the series" 3 -n fix "$TMP/s/series"
like "$out" 'series step 1/2: fix_v2_1_rc1 \(patches 1\.\.1, last comment\.patch\)' "version 2.1-rc1 names module fix_v2_1_rc1"
like "$out" 'series stopped at step 1 \(fix_v2_1_rc1\), exit 3' "says where it stopped"
unlike "$out" 'step 2/2' "step 2 not run"
ok_desc "no module written" test ! -e "$TMP/out/fix_v2_1_rc1.ko"

bad() {	# bad DESC SERIES-TEXT REGEX
	printf '%b' "$2" >"$TMP/s/bad"
	run "$1" 2 -n fix "$TMP/s/bad"
	like "$out" "$3" "$1: message"
	unlike "$out" 'series step 1' "$1: nothing built"
}
bad "three fields" 'patches/real.patch 1 x\n' 'bad:1: want .PATCH \[VERSION\]., found more'
bad "a bad version" '\npatches/real.patch 1/2\n' "bad:2: bad version '1/2'"
bad "a version of 21 characters" 'patches/real.patch 123456789012345678901\n' "bad:1: bad version"
bad "a missing patch" 'patches/real.patch\npatches/nope.patch\n' 'bad:2: patch patches/nope.patch: No such file or directory'
bad "a directory as patch" 'patches\n' 'bad:1: patch patches: not a regular file'
bad "no patch at all" '# nothing\n\n' 'bad: names no patch'
bad "NUL bytes" 'patches/real.patch\n\0\n' 'contains NUL bytes'
bad "two steps, one name" 'patches/comment.patch 3\npatches/real.patch 3\n' 'steps 1 and 2 would both be module fix_v3'
bad "an overlong line" "$(printf 'x%.0s' $(seq 5000))\n" 'bad:1: line longer than 4096 bytes'
head -c 2000000 /dev/zero | tr '\0' '#' >"$TMP/s/huge"
run "a 2 MB series file" 2 -n fix "$TMP/s/huge"
like "$out" 'too big for a series file' "... is refused at once"
yes patches/real.patch | head -n 1000 | awk '{ print $0, NR }' >"$TMP/s/many"
run "1000 patches" 2 -n fix "$TMP/s/many"
like "$out" 'many:1000: more than 999 patches' "... the limit is named"

# Patches given directly: versions 1..n, default base from the first.
run "patches given directly" 3 "$TMP/comment.patch" "$TMP/real.patch"
like "$out" 'series step 1/2: klp_comment_v1 ' "default base klp_<first patch>"
run "a series file among patches" 2 "$TMP/comment.patch" "$TMP/s/series"
like "$out" 'series is no patch .*: give one series file or the patches themselves' "is refused, naming it"
run "-R" 2 -R "$TMP/real.patch"
like "$out" 'a series is cumulative: its modules replace each other, so -R does not apply' "says why"
run "--prev" 2 --prev "$TMP/vmlinux" "$TMP/real.patch"
like "$out" 'series build checks each module against the one before' "says why"
run "--version" 2 --version 3 "$TMP/real.patch"
like "$out" 'each module of a series has the version of its step .*--version does not apply' "says why"
run "a prefix of --version" 2 --vers=3 "$TMP/real.patch"
printf 'patches/comment.patch 1.0\npatches/real.patch 2-rc\n' >"$TMP/s/pkg"
run "--package with a version no package can have" 2 --package rpm -n fix "$TMP/s/pkg"
like "$out" "step 2: version '2-rc' cannot be a package version" "names the step and the version"
run "a base too long for its versions" 2 -n "$(printf 'a%.0s' $(seq 54))" "$TMP/real.patch"
like "$out" "bad module name 'a+_v1' for step 1" "names the step"
run "klpgen build's own checks still apply" 2 --prev "$TMP/nonexistent.ko" "$TMP/real.patch"
like "$out" 'nonexistent\.ko' "a missing --prev module is named"

# SIGTERM while step 1 builds: the step's copy is restored, the series stops.
farm_clean() { [ ! -e "$(ls -td "$CACHE"/builds/*/ | head -n 1)journal" ]; }
: >"$TMP/err"
FAKE_SLEEP=30 "${KS[@]}" "$TMP/real.patch" "$TMP/comment.patch" >/dev/null 2>"$TMP/err" &
pid=$!
wait_patched_build
t0=$(date +%s)
kill -TERM $pid
wait $pid; rc=$?
is "$rc" 130 "SIGTERM during step 1 exits 130"
ok_desc "at once" test $(( $(date +%s) - t0 )) -lt 10
like "$(cat "$TMP/err")" 'interrupted' "the step says it was interrupted"
ok_desc "the private copy is restored" farm_clean
unlike "$(cat "$TMP/err")" 'step 2/2' "step 2 never starts"

# SIGKILL of the series: its step dies with it (SIGTERM), and cleans up.
: >"$TMP/err"
FAKE_SLEEP=30 setsid "${KS[@]}" "$TMP/real.patch" >/dev/null 2>"$TMP/err" &
pid=$!
wait_patched_build
step=$(pgrep -P $pid | head -n 1)
kill -KILL $pid; wait $pid 2>/dev/null
for _ in $(seq 100); do [ -d "/proc/${step:-0}" ] || break; sleep 0.1; done
ok_desc "the step (pid ${step:-none}) is gone within 10 s" test -n "$step" -a ! -d "/proc/${step:-0}"
ok_desc "and restored the private copy first" farm_clean
like "$(cat "$TMP/err")" 'interrupted \(SIGTERM\)' "it was told by SIGTERM"
done_testing
