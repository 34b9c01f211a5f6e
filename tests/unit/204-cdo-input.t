#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: usage errors and hostile input never crash (exit 2).
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

cdo_pair ok 'int f(int a) { WARN_ON(a); return a + 1; }' 'int f(int a) { WARN_ON(a); return a + 2; }'
O=$TMP/orig/ok.o
P=$TMP/patched/ok.o

exit_is "no arguments" 2 "$CDO"
exit_is "two arguments" 2 "$CDO" "$O" "$P"
exit_is "--help" 0 "$CDO" --help
like "$("$CDO" --help)" "ORIG.o PATCHED.o OUT.o" "help shows the synopsis"
exit_is "unknown option" 2 "$CDO" --frobnicate "$O" "$P" "$TMP/x.o"
exit_is "bad --entsize" 2 "$CDO" --entsize __bug_table "$O" "$P" "$TMP/x.o"
exit_is "zero --entsize" 2 "$CDO" --entsize __bug_table=0 "$O" "$P" "$TMP/x.o"
exit_is "object name with a dot" 2 "$CDO" -n bad.name "$O" "$P" "$TMP/x.o"
exit_is "too long object name" 2 "$CDO" -n "$(printf 'm%.0s' {1..60})" "$O" "$P" "$TMP/x.o"
exit_is "missing ORIG" 2 "$CDO" "$TMP/nope.o" "$P" "$TMP/x.o"
echo "not an elf file" > "$TMP/text.o"
exit_is "text file as ORIG" 2 "$CDO" "$TMP/text.o" "$P" "$TMP/x.o"
head -c 200 "$O" > "$TMP/trunc.o"
exit_is "truncated ORIG" 2 "$CDO" "$TMP/trunc.o" "$P" "$TMP/x.o"
exit_is "an executable as PATCHED" 2 "$CDO" "$O" /bin/true "$TMP/x.o"
printf 'int f(int a) { return a; }\n' > "$TMP/m32.c"
if gcc -m32 -c -o "$TMP/m32.o" "$TMP/m32.c" 2>/dev/null; then
	exit_is "32-bit object" 2 "$CDO" "$O" "$TMP/m32.o" "$TMP/x.o"
else
	skip "no -m32 compiler"
fi
exit_is "missing --symbols file" 2 "$CDO" -s "$TMP/nope" --entsize __bug_table=12 "$O" "$P" "$TMP/x.o"
printf 'garbage\n' > "$TMP/bad.symvers"
exit_is "malformed Module.symvers" 2 "$CDO" -S "$TMP/bad.symvers" --entsize __bug_table=12 "$O" "$P" "$TMP/x.o"
exit_is "entry size not dividing the section" 2 "$CDO" --entsize __bug_table=5 "$O" "$P" "$TMP/x.o"
exit_is "valid pair" 0 "$CDO" --entsize __bug_table=12 "$O" "$P" "$TMP/x.o"
exit_is "output into a missing directory" 1 "$CDO" --entsize __bug_table=12 "$O" "$P" "$TMP/no/dir/x.o"

# hostile input: random byte corruption never crashes
RANDOM=4242
size=$(stat -c %s "$P")
crashed=0
codes=""
for i in $(seq 1 150); do
	cp "$P" "$TMP/fuzz.o"
	for j in 1 2 3 4; do
		off=$(( (RANDOM * 32768 + RANDOM) % size ))
		printf "\\x$(printf %02x $((RANDOM % 256)))" |
			dd of="$TMP/fuzz.o" bs=1 seek="$off" conv=notrunc 2>/dev/null
	done
	if [ $((i % 2)) = 0 ]; then a=$O b=$TMP/fuzz.o; else a=$TMP/fuzz.o b=$O; fi
	timeout 20 "$CDO" --entsize __bug_table=12 "$a" "$b" "$TMP/fz.o" >/dev/null 2>&1
	rc=$?
	case $rc in
	0|2|3|4) ;;
	*) crashed=$((crashed + 1)); cp "$TMP/fuzz.o" "$TMP/crash-$i.o"
	   diag "iteration $i: exit $rc" ;;
	esac
	codes="$codes $rc"
done
is "$crashed" 0 "150 corrupted objects: no crash, exit in {0,2,3,4}"

done_testing
