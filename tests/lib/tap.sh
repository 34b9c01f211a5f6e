# shellcheck shell=bash disable=SC2034 # variables for the files sourcing this one
# SPDX-License-Identifier: GPL-2.0
# Minimal TAP helpers for klpgen's shell tests.  Source this file; call
# plan N (or done_testing at the end), then ok/is/like/... per assertion.
#
# Environment (set by the Makefile): KLPGEN_BUILD (build dir with bin/ and
# tests/), KLPGEN_SRC (the source tree).

: "${KLPGEN_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${KLPGEN_BUILD:=$KLPGEN_SRC/build}"
BIN=$KLPGEN_BUILD/bin
TOOLS=$KLPGEN_BUILD/tests
FIXTURES=$KLPGEN_SRC/tests/fixtures

_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; }

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
	exit $?
}

_tap_result() {	# status description
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

# ok CMD... : passes when the command succeeds; description is the command.
ok() { "$@" >/dev/null 2>&1; _tap_result $? "$*"; }
# ok_desc DESC CMD...
ok_desc() { local d=$1; shift; "$@" >/dev/null 2>&1; _tap_result $? "$d"; }
# fails DESC CMD... : passes when the command fails (non-zero, no signal).
fails() {
	local d=$1 rc; shift
	"$@" >/dev/null 2>&1; rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 128 ]; _tap_result $? "$d (rc=$rc)"
}
# exit_is DESC EXPECTED CMD...
exit_is() {
	local d=$1 want=$2 rc; shift 2
	"$@" >/dev/null 2>&1; rc=$?
	[ "$rc" -eq "$want" ]; _tap_result $? "$d (rc=$rc, want $want)"
}
# is GOT WANT DESC
is() {
	[ "$1" = "$2" ]; local r=$?
	[ $r -ne 0 ] && printf '# got:  %s\n# want: %s\n' "$1" "$2"
	_tap_result $r "$3"
}
# like STRING REGEX DESC  (grep -E)
like() {
	printf '%s\n' "$1" | grep -Eq -- "$2"; local r=$?
	[ $r -ne 0 ] && printf '# %s\n# does not match: %s\n' "$(printf '%s' "$1" | head -c 2000)" "$2"
	_tap_result $r "$3"
}
unlike() {
	printf '%s\n' "$1" | grep -Eq -- "$2"; local r=$((! $?))
	[ $r -ne 0 ] && printf '# unexpectedly matches: %s\n' "$2"
	_tap_result $r "$3"
}
diag() { printf '# %s\n' "$*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
bail() { echo "Bail out! $*"; exit 255; }

# Kernel-like compile of a small C file into an object.
KCC_FLAGS="-O2 -fno-pic -mcmodel=kernel -fno-asynchronous-unwind-tables \
-ffunction-sections -fdata-sections -fno-common -mno-red-zone -nostdinc \
-fno-stack-protector -Wno-builtin-declaration-mismatch"
kcc() {	# kcc OUT.o SRC.c [extra flags]
	local out=$1 src=$2; shift 2
	gcc $KCC_FLAGS "$@" -c -o "$out" "$src"
}

# A scratch directory removed at exit.
mk_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/klpgen-test.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
}
