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
exit_is "object name with a character no module name has" 2 "$CDO" -n 'a@b' "$O" "$P" "$TMP/x.o"
# a module file name: its klp symbols carry the kernel's name (- is _)
"$CDO" -n nf-nat "$O" "$P" "$TMP/nfnat.o" 2>/dev/null
is "$?" 0 "object name with a '-' accepted"
like "$(nm "$TMP/nfnat.o")" '__klpgen_new\.nf_nat\.f\.0' "... and named as the kernel names the module"
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
	for _ in 1 2 3 4; do
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

# The inputs that crashed create-diff-object or misled it (tests/fuzz/corpus,
# issue 15), with their documented exit codes and no sanitizer report.
C=$KLPGEN_SRC/tests/fuzz/corpus
L=$FIXTURES/cdo/lab
LABARGS="-n vmlinux -s $L/cmdline.orig.o -S $L/Module.symvers"
clean_exit() {	# DESC WANT CMD...: exit WANT, no sanitizer report
	local d=$1 want=$2 rc; shift 2
	"$@" >/dev/null 2>"$TMP/stderr"; rc=$?
	if [ "$rc" -eq "$want" ] && ! grep -Eq 'Sanitizer|runtime error' "$TMP/stderr"; then
		_tap_result 0 "$d"
	else
		diag "rc=$rc, want $want: $(head -c 400 "$TMP/stderr")"
		_tap_result 1 "$d"
	fi
}
# shellcheck disable=SC2086 # LABARGS is a list of words
clean_exit "addend near INT64_MIN (signed overflow in target_desc): a refusal naming it" 4 \
	"$CDO" $LABARGS "$L/cmdline.orig.o" "$C/cdo-target228-overflow--input" "$TMP/x.o"
like "$(cat "$TMP/stderr")" "now targets __fentry__-9223372036854775808" "... with the wrapped addend"
# afl2 also lost the symbol of cmdline_proc_show's __mcount_loc entry: the
# patched function has no ftrace site, a refusal.
for f in afl2:4 afl4:0; do
	# shellcheck disable=SC2086
	clean_exit "large addends (signed overflow in reloc_target): ${f%:*}" "${f#*:}" \
		"$CDO" $LABARGS "$L/cmdline.orig.o" "$C/cdo-target228-overflow--input-${f%:*}" "$TMP/x.o"
done
for f in cdo-target132-overflow--input1.o cdo-target132-overflow--input3.o; do
	clean_exit "large addends as ORIG and --symbols: $f" 0 \
		"$CDO" -n vmlinux -s "$C/$f" "$C/$f" "$L/cmdline.patched.o" "$TMP/x.o"
done
clean_exit "large addends found by klpfuzz (as ORIG)" 2 \
	"$CDO" -n vmlinux -S "$L/Module.symvers" --entsize __bug_table=12 \
	"$C/cdo-target-overflow--klpfuzz-orig.o" "$L/cmdline.patched.o" "$TMP/x.o"
# shellcheck disable=SC2086
clean_exit "section aligned to 128 KiB: bad input, and no leak" 2 \
	"$CDO" $LABARGS "$L/cmdline.orig.o" "$C/cdo-leak-copy_special--input.o" "$TMP/x.o"
like "$(cat "$TMP/stderr")" "cdo-leak-copy_special--input.o: section __mcount_loc: bad alignment 131072" \
	"... naming the file and the section"
clean_exit "section name table past the file (pointer overflow) as --symbols" 2 \
	"$CDO" -n vmlinux -s "$C/cdo-elfread225-ptroverflow--input1.o" "$L/cmdline.orig.o" \
	"$L/cmdline.patched.o" "$TMP/x.o"
# A relocation into out-of-line code past its section's end: the piece's
# length wrapped and elf_append_data doubled its buffer forever (a hang).
# shellcheck disable=SC2086
clean_exit "relocation into a piece past the section's end: bad input, no hang" 2 \
	timeout 60 "$CDO" $LABARGS --entsize __bug_table=12 "$L/cmdline.orig.o" \
	"$C/cdo-piece-past-end-hang--klpfuzz-patched.o" "$TMP/x.o"
like "$(cat "$TMP/stderr")" "cdo-piece-past-end-hang--klpfuzz-patched.o: section .*: relocation at \+0x[0-9a-f]+ points past the end of" \
	"... naming the file and the sections"
# An addend near INT64_MAX into out-of-line code: where it aims (the offset
# less the -4 bias) overflowed in pieces.c (UBSan, klpfuzz's long run).
# shellcheck disable=SC2086
clean_exit "relocation aiming past INT64_MAX into a piece: no overflow" 0 \
	"$CDO" $LABARGS --entsize __bug_table=12 "$L/cmdline.orig.o" \
	"$C/cdo-piece-aim-overflow--klpfuzz-patched.o" "$TMP/x.o"
# The lab pair itself: clang's UBSan saw a zero offset added to NULL here.
# shellcheck disable=SC2086
clean_exit "the lab cmdline pair (valid input)" 0 \
	"$CDO" $LABARGS --entsize __bug_table=12 "$L/cmdline.orig.o" "$L/cmdline.patched.o" "$TMP/x.o"

# A symbol outside its section and a relocation past its section's end:
# bad input naming the file, not a refusal (exit 4) or a copy.
PP="perl $FIXTURES/lib/patch.pl"
cp "$P" "$TMP/symout.o"
$PP set "$TMP/symout.o" $(($($PP symoff "$TMP/symout.o" f) + 8)) 8 0x100000
exit_is "symbol outside its section" 2 "$CDO" --entsize __bug_table=12 "$O" "$TMP/symout.o" "$TMP/x.o"
like "$("$CDO" --entsize __bug_table=12 "$O" "$TMP/symout.o" "$TMP/x.o" 2>&1)" \
	"symout.o: symbol f \(index [0-9]+\): value 0x100000 .* lies outside its section" "... naming file and symbol"
cp "$P" "$TMP/relpast.o"
ri=$($PP secidx "$TMP/relpast.o" .rela__bug_table) || bail "no .rela__bug_table"
$PP set "$TMP/relpast.o" "$($PP secoff "$TMP/relpast.o" "$ri")" 8 0x100000
exit_is "relocation past its section's end" 2 "$CDO" --entsize __bug_table=12 "$O" "$TMP/relpast.o" "$TMP/x.o"
cp "$P" "$TMP/relself.o"
$PP set "$TMP/relself.o" $(($($PP shdr "$TMP/relself.o" "$ri") + 44)) 4 "$ri"
exit_is "relocation section relocating itself" 2 "$CDO" --entsize __bug_table=12 "$O" "$TMP/relself.o" "$TMP/x.o"

# OUT.o never overwrites an input.
cp "$O" "$TMP/o-copy.o"
exit_is "OUT.o equal to ORIG.o is refused" 2 "$CDO" --entsize __bug_table=12 "$TMP/o-copy.o" "$P" "$TMP/o-copy.o"
ok_desc "... and ORIG.o is untouched" cmp "$O" "$TMP/o-copy.o"
exit_is "OUT.o equal to PATCHED.o (another path) is refused" 2 \
	"$CDO" --entsize __bug_table=12 "$O" "$P" "$TMP/patched/../patched/ok.o"
exit_is "OUT.o equal to --explain is refused" 2 \
	"$CDO" --entsize __bug_table=12 --explain "$TMP/e.json" "$O" "$P" "$TMP/e.json"

done_testing
