# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Host-side helpers for the klpgen-* lab tests (sourced by their setup or
# host-test).  Each test builds one patch of examples/ with `klpgen build`
# against the lab kernel, exactly as a user would, into $KLAB_OUT: a lab
# build (-v vmlinux -s source), or a shipped kernel from its packages
# unpacked in a sysroot (--root SYSROOT --kernel RELEASE -s source:
# klpgen finds config, vmlinux, Module.symvers and modules there and
# builds only the objects the patch touches).

KLPGEN=$KLPGEN_BUILD/bin/klpgen
[ -x "$KLPGEN" ] || { echo "no $KLPGEN: run make"; exit 1; }

# example_patch PATCH: the path of examples/PATCH for the lab kernel:
# examples/$KLAB_VER/PATCH when the kernel's source moved too far for the
# main one to apply (same change, same test, rewritten context), or the
# change needs another file on this kernel, else examples/PATCH.
example_patch() {
	local p=$KLPGEN_SRC/examples/${KLAB_VER:-6.1}/$1
	[ -f "$p" ] || p=$KLPGEN_SRC/examples/$1
	echo "$p"
}

# klab_config: the .config of the lab kernel.
klab_config() {
	if [ "${KLAB_KIND:-built}" = shipped ]; then
		echo "$KLAB_SYSROOT/boot/config-$KLAB_KREL"
	else
		echo "$KLAB_BUILD/.config"
	fi
}

# need_config CONFIG_X=y|m...: skip (exit 77) unless the kernel has them.
need_config() {
	local opt
	for opt in "$@"; do
		grep -qx -- "$opt" "$(klab_config)" ||
			{ echo "this kernel's config does not have $opt"; exit 77; }
	done
}

# The klpgen build options that name the lab kernel.
klpgen_kernel_args() {
	if [ "${KLAB_KIND:-built}" = shipped ]; then
		printf '%s\n' --targeted --root "$KLAB_SYSROOT" --kernel "$KLAB_KREL" -s "$KLAB_SRC"
	else
		printf '%s\n' -v "$KLAB_BUILD/vmlinux" -s "$KLAB_SRC"
	fi
}

# klpgen_example PATCH NAME [options]: build examples/PATCH (or its
# examples/$KLAB_VER/ variant) as NAME.ko; klpgen's output goes to stdout
# (setup.log) and $KLAB_OUT/klpgen.out.
klpgen_example() {
	local patch=$1 name=$2 rc=0 path kargs
	shift 2
	path=$(example_patch "$patch")
	mapfile -t kargs < <(klpgen_kernel_args)
	echo "patch: ${path#"$KLPGEN_SRC"/}" >"$KLAB_OUT/klpgen.out"
	# klpgen finds the kernel's compiler itself (LLVM=-16 for the clang
	# kernel): not from the lab's environment
	env -u LLVM "$KLPGEN" build "${kargs[@]}" -o "$KLAB_OUT" \
		-n "$name" --explain "$@" "$path" \
		>>"$KLAB_OUT/klpgen.out" 2>&1 || rc=$?
	cat "$KLAB_OUT/klpgen.out"
	# A shipped kernel has no build: the module must come from a targeted one.
	if [ $rc -eq 0 ] && [ "${KLAB_KIND:-built}" = shipped ] &&
	   ! grep -Eq '^ +build +targeted' "$KLAB_OUT/klpgen.out"; then
		echo "klpgen build did not say it made a targeted build"
		rc=1
	fi
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

# kpatch_example PATCH [kpatch-build options]: build examples/PATCH (or its
# examples/$KLAB_VER/ variant) with `klpgen kpatch-build`, kpatch-build's
# command line, into $KLAB_OUT; output as for klpgen_example.
kpatch_example() {
	local patch=$1 rc=0 path
	shift
	path=$(example_patch "$patch")
	echo "patch: ${path#"$KLPGEN_SRC"/}" >"$KLAB_OUT/klpgen.out"
	(cd "$KLAB_OUT" && "$KLPGEN" kpatch-build -v "$KLAB_BUILD/vmlinux" \
		-s "$KLAB_SRC" --explain "$@" "$path") \
		>>"$KLAB_OUT/klpgen.out" 2>&1 || rc=$?
	cat "$KLAB_OUT/klpgen.out"
	return $rc
}

# host_check DESC CMD...: a check of the build on the host, reported as a
# TAP line by the guest (host_checks_first puts them in front of guest.sh).
host_check() {
	local d=$1 r=fail
	shift
	"$@" >/dev/null 2>&1 && r=pass
	printf "%s '%s'\n" "$r" "${d//\'/}" >>"$KLAB_OUT/host-checks"
}
host_checks_first() {
	{
		echo '. ./guest-lib.sh'
		cat "$KLAB_OUT/host-checks"
		grep -v '^\. \./guest-lib\.sh$' "$KLAB_OUT/guest.sh"
	} >"$KLAB_OUT/guest.sh.new"
	mv "$KLAB_OUT/guest.sh.new" "$KLAB_OUT/guest.sh"
}
# explain_func NAME FUNC: FUNC's entry in the explain report NAME.explain.json
explain_func() {
	grep -o "{\"name\": \"$2\", [^}]*}" "$KLAB_OUT/$1.explain.json"
}

# series_example: the path of examples/series/series for the lab kernel
# (examples/$KLAB_VER/series/series when the kernel needs its own variant).
series_example() {
	local s=$KLPGEN_SRC/examples/${KLAB_VER:-6.1}/series/series
	[ -f "$s" ] || s=$KLPGEN_SRC/examples/series/series
	echo "$s"
}

# For host-tests that boot a guest themselves (tests/lib/tap.sh sourced):
# lab_guest DESC DIR boots DIR (its guest.sh and *.ko) with run-guest and
# gives one TAP result for the whole guest, its own TAP lines below as
# comments (and run-guest's reasons when it fails).
lab_guest() {
	local desc=$1 dir=$2 rc=0
	"$KLPGEN_SRC/tests/lab/run-guest" --kernel "$KLAB_BUILD" "$dir" \
		>"$dir/run-guest.out" 2>"$dir/run-guest.err" || rc=$?
	sed 's/^/#   /' "$dir/run-guest.out"
	[ $rc -eq 0 ] || sed 's/^/#   /' "$dir/run-guest.err" | tail -n 20
	_tap_result $rc "$desc"
}

# run_klpgen LOG WANT_RC DESC ARGS...: klpgen ARGS with stdout and stderr
# in LOG; a TAP result for its exit status (the log's tail when it is wrong).
run_klpgen() {
	local log=$1 want=$2 desc=$3 rc=0
	shift 3
	"$KLPGEN" "$@" >"$log" 2>&1 || rc=$?
	[ $rc -eq "$want" ] || tail -n 25 "$log" | sed 's/^/# /'
	is "$rc" "$want" "$desc (exit $want)"
}
