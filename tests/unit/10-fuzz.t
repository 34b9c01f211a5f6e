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
for f in "$TMP"/findings/*.txt; do
	[ -f "$f" ] && head -n 2 "$f" | sed 's/^/# /'
done
done_testing
