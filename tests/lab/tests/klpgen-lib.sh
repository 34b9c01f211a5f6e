# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Host-side helpers for the klpgen-* lab tests (sourced by their setup).
# Each test builds one patch of examples/ with `klpgen build` against the
# lab kernel, exactly as a user would, into $KLAB_OUT.

KLPGEN=$KLPGEN_BUILD/bin/klpgen
[ -x "$KLPGEN" ] || { echo "no $KLPGEN: run make"; exit 1; }

# example_patch PATCH: the path of examples/PATCH for the lab kernel:
# examples/$KLAB_VER/PATCH when the kernel's source moved too far for the
# main one to apply (same change, same test, rewritten context), else
# examples/PATCH.
example_patch() {
	local p=$KLPGEN_SRC/examples/${KLAB_VER:-6.1}/$1
	[ -f "$p" ] || p=$KLPGEN_SRC/examples/$1
	echo "$p"
}

# klpgen_example PATCH NAME [options]: build examples/PATCH (or its
# examples/$KLAB_VER/ variant) as NAME.ko; klpgen's output goes to stdout
# (setup.log) and $KLAB_OUT/klpgen.out.
klpgen_example() {
	local patch=$1 name=$2 rc=0 path
	shift 2
	path=$(example_patch "$patch")
	echo "patch: ${path#"$KLPGEN_SRC"/}" >"$KLAB_OUT/klpgen.out"
	"$KLPGEN" build -v "$KLAB_BUILD/vmlinux" -s "$KLAB_SRC" -o "$KLAB_OUT" \
		-n "$name" --explain "$@" "$path" \
		>>"$KLAB_OUT/klpgen.out" 2>&1 || rc=$?
	cat "$KLAB_OUT/klpgen.out"
	return $rc
}

# klpgen_refusal PATCH NAME REGEX: the build must be refused (exit 4) with
# a reason matching REGEX, and write no module.  For host-test: prints TAP
# (klpgen's output is in $KLAB_OUT/klpgen.out) and fails if any check does.
# Nothing is booted: a refusal happens on the host.
klpgen_refusal() {
	local patch=$1 name=$2 re=$3 rc=0 n=0 failed=0
	klpgen_example "$patch" "$name" >/dev/null || rc=$?
	_check() {	# STATUS DESC
		n=$((n + 1))
		if [ "$1" -eq 0 ]; then
			echo "ok $n - $2"
		else
			echo "not ok $n - $2"
			failed=$((failed + 1))
		fi
	}
	[ "$rc" -eq 4 ]
	_check $? "klpgen build $patch exits 4, refused as unsafe (rc=$rc)"
	grep -Eq -- "$re" "$KLAB_OUT/klpgen.out"
	_check $? "the reason names $re"
	[ ! -e "$KLAB_OUT/$name.ko" ]
	_check $? "no module written"
	grep -Eq -- "$re" "$KLAB_OUT/$name.explain.json" 2>/dev/null
	_check $? "the explain report names it too"
	[ "$failed" -eq 0 ] || tail -n 20 "$KLAB_OUT/klpgen.out" | sed 's/^/# /'
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
