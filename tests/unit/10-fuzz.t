#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A short klpfuzz run of each tool (tests/fuzz/run) on the tools of this
# build: no crash, no sanitizer report (with SANITIZE=1), no timeout, no
# runaway output, only documented exit codes.  KLPGEN_FUZZ_RUNS runs per
# tool (default 300); make fuzz does long runs.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
RUNS=${KLPGEN_FUZZ_RUNS:-300}
for tool in create-diff-object klp-convert klpgen; do
	[ -x "$TOOLS/fuzz-$tool" ] || bail "no $TOOLS/fuzz-$tool: run make"
	out=$(KLPGEN_BUILD=$KLPGEN_BUILD "$KLPGEN_SRC/tests/fuzz/run" -n "$RUNS" -j 2 \
		-o "$TMP/findings" "$tool" 2>&1); rc=$?
	printf '%s\n' "$out" | grep '^klpfuzz' | sed 's/^/# /'
	_tap_result $rc "$tool: $RUNS fuzzed runs, no findings"
done
# A time slot instead of a run count: -T stops each configuration after its
# seconds and the summary says how many runs were made (fewer than asked).
out=$(KLPGEN_BUILD=$KLPGEN_BUILD "$KLPGEN_SRC/tests/fuzz/run" -n 100000000 -T 1 \
	-o "$TMP/findings" klp-convert 2>&1); rc=$?
_tap_result $rc "-T 1: stops in time, no findings"
n=$(printf '%s\n' "$out" | sed -n 's/^fuzz: klp-convert: \([0-9]*\) runs$/\1/p')
ok_desc "the summary counts the runs made (${n:-none}), fewer than asked" \
	test "${n:-0}" -gt 0 -a "${n:-0}" -lt 100000000
# The verdicts, through the fork server: a program that crashes, spins,
# writes without end, exits 1 or exits 2 (bad input: fine) on one seed.
verdict() {	# WANT SH-COMMAND
	local out rc
	out=$("$TOOLS/fuzz-create-diff-object" -R -t 1 -w "$TMP/vw" \
		-f "$TMP/vf-$1" -c "$KLPGEN_SRC/tests/fixtures/cdo/lab/cmdline.orig.o" \
		-- /bin/sh -c "$2" sh @OUT@ 2>&1); rc=$?
	printf '%s\n' "$out" | tail -n 1 | sed 's/^/# /'
	if [ "$1" = ok ]; then
		ok_desc "verdict ok: $2" test $rc -eq 0 -a -n \
			"$(printf '%s\n' "$out" | grep ': ok 1 ')"
	else
		ok_desc "verdict $1: $2" test $rc -eq 1 -a -n \
			"$(printf '%s\n' "$out" | grep " $1 1[ ;]")" -a \
			-n "$(ls "$TMP/vf-$1"/"$1"-*.txt 2>/dev/null)"
	fi
}
verdict crash 'kill -SEGV $$'
verdict timeout 'while :; do :; done'
verdict runaway 'exec head -c 50000000 /dev/zero > "$1"'
verdict exit 'exit 1'
verdict ok 'exit 2'
for f in "$TMP"/findings/*.txt; do
	[ -f "$f" ] && head -n 2 "$f" | sed 's/^/# /'
done
done_testing
