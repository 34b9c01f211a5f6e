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
	# klpgen finds the kernel's compiler itself (LLVM=-16 for the clang
	# kernel): not from the lab's environment
	env -u LLVM "$KLPGEN" build -v "$KLAB_BUILD/vmlinux" -s "$KLAB_SRC" -o "$KLAB_OUT" \
		-n "$name" --explain "$@" "$path" \
		>>"$KLAB_OUT/klpgen.out" 2>&1 || rc=$?
	cat "$KLAB_OUT/klpgen.out"
	return $rc
}

# klpgen_refusal PATCH NAME REGEX: the build must be refused (exit 4) with
# a reason matching REGEX, and write no module.  The verdict becomes a
# guest.sh that reports it as TAP, so a refusal counts as a real lab test.
klpgen_refusal() {
	local patch=$1 name=$2 re=$3 rc=0 out
	klpgen_example "$patch" "$name" || rc=$?
	out=$(cat "$KLAB_OUT/klpgen.out")
	{
		echo '. ./guest-lib.sh'
		echo "is $rc 4 'klpgen build $patch exits 4 (refused as unsafe)'"
		if grep -Eq -- "$re" <<<"$out"; then
			echo "pass 'the reason names $re'"
		else
			echo "fail 'the reason names $re'"
			sed "s/^/# /; s/'//g" "$KLAB_OUT/klpgen.out" | tail -n 20 |
				sed "s/^/echo '/; s/\$/'/"
		fi
		if [ -e "$KLAB_OUT/$name.ko" ]; then
			echo "fail 'no module written'"
		else
			echo "pass 'no module written'"
		fi
		if grep -Eq -- "$re" "$KLAB_OUT/$name.explain.json" 2>/dev/null; then
			echo "pass 'the explain report names it too'"
		else
			echo "fail 'the explain report names it too'"
		fi
		echo 'done_testing'
	} >"$KLAB_OUT/guest.sh"
	rm -f "$KLAB_OUT"/*.ko
	return 0
}
