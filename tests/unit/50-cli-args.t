#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad command lines: every tool answers with one clear line on stderr and an
# exit status between 1 and 127 (never a crash or a sanitizer report).
# No kernel build is started: klpgen build stops at its input checks.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir

CDO=$BIN/create-diff-object
KC=$BIN/klp-convert
KG=$BIN/klpgen
cd "$TMP" || bail "cd $TMP"
export KLPGEN_CACHE=$TMP/cache HOME=$TMP/home

: >empty.o
echo "not an object" >text.txt
mkdir dir
printf 'int f(int a) { return a + 1; }\n' >a.c
printf 'int f(int a) { return a + 2; }\n' >b.c
kcc a.o a.c && kcc b.o b.c || bail "cannot compile test objects"
# a "vmlinux" whose .comment names the gcc in PATH: passes the compiler check
echo 'int x;' | gcc -x c -c -o vm.tmp -
printf '%s\0' "GCC: $(gcc --version | head -n 1 | cut -d' ' -f2-)" >comment
objcopy --remove-section .comment --add-section .comment=comment \
	--set-section-flags .comment=noload,readonly vm.tmp vm-same
echo 'diff -u a/x.c b/x.c' >p.patch

# one_line DESC WANT_RC CMD... : exit status WANT_RC,
# exactly one line on stderr, no sanitizer report.
one_line() {
	local d=$1 want=$2 rc err n; shift 2
	err=$("$@" 2>&1 >/dev/null); rc=$?
	n=$(printf '%s' "$err" | grep -c .)
	[ $rc -eq "$want" ] && [ "$n" -eq 1 ] && ! printf '%s' "$err" | grep -q 'Sanitizer\|runtime error'
	local r=$?
	[ $r -ne 0 ] && printf '# rc=%s, %s lines:\n%s\n' "$rc" "$n" "$(printf '%s' "$err" | sed 's/^/#   /' | head -n 20)"
	_tap_result $r "$d (rc=$rc)"
}
# usage_only DESC CMD... : no arguments at all print the usage, exit 2
usage_only() {
	local d=$1 rc err; shift
	err=$("$@" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 2 ] && printf '%s\n' "$err" | head -n 1 | grep -q '^usage: '
	_tap_result $? "$d (rc=$rc)"
}

# create-diff-object
usage_only "cdo: no arguments" "$CDO"
one_line "cdo: unknown option" 2 "$CDO" --frobnicate a.o b.o x.o
like "$("$CDO" --frobnicate a.o b.o x.o 2>&1)" "^create-diff-object: unrecognized option" "cdo: getopt's message names the tool"
one_line "cdo: missing option argument" 2 "$CDO" a.o b.o x.o -n
one_line "cdo: missing --explain argument" 2 "$CDO" a.o b.o x.o --explain
one_line "cdo: two file arguments" 2 "$CDO" a.o b.o
one_line "cdo: nonexistent input" 2 "$CDO" nope.o b.o x.o
one_line "cdo: directory as input" 2 "$CDO" dir b.o x.o
one_line "cdo: empty input" 2 "$CDO" a.o empty.o x.o
one_line "cdo: text file as input" 2 "$CDO" text.txt b.o x.o
one_line "cdo: nonexistent --symbols" 2 "$CDO" -s nope a.o b.o x.o
one_line "cdo: directory as --symvers" 2 "$CDO" -S dir a.o b.o x.o
one_line "cdo: nonexistent --symvers" 2 "$CDO" -S nope a.o b.o x.o
one_line "cdo: --entsize without a size" 2 "$CDO" --entsize __bug_table= a.o b.o x.o
one_line "cdo: --entsize of a word" 2 "$CDO" --entsize __bug_table=abc a.o b.o x.o
one_line "cdo: --entsize with junk after it" 2 "$CDO" --entsize __bug_table=12x a.o b.o x.o
one_line "cdo: --entsize 0" 2 "$CDO" --entsize __bug_table=0 a.o b.o x.o
one_line "cdo: --entsize over 4096" 2 "$CDO" --entsize __bug_table=0x1001 a.o b.o x.o
one_line "cdo: output in a nonexistent directory" 1 "$CDO" a.o b.o no/dir/x.o
like "$("$CDO" a.o b.o no/dir/x.o 2>&1)" "no/dir/x.o" "cdo: the message names the output"
one_line "cdo: output is a directory" 1 "$CDO" a.o b.o dir

# klp-convert
usage_only "klp-convert: no arguments" "$KC"
one_line "klp-convert: unknown option" 2 "$KC" --frobnicate a.o x.o
one_line "klp-convert: missing option argument" 2 "$KC" a.o x.o --vmlinux
one_line "klp-convert: one file argument" 2 "$KC" a.o
one_line "klp-convert: nonexistent input" 2 "$KC" nope.o x.o
one_line "klp-convert: directory as input" 2 "$KC" dir x.o
one_line "klp-convert: empty input" 2 "$KC" empty.o x.o
one_line "klp-convert: text file as input" 2 "$KC" text.txt x.o
one_line "klp-convert: bad --module" 2 "$KC" --module foo a.o x.o
one_line "klp-convert: bad --sym position" 2 "$KC" --sym f=vmlinux,abc a.o x.o
one_line "klp-convert: --sym position with junk after it" 2 "$KC" --sym f=vmlinux,1x a.o x.o
one_line "klp-convert: --sym position with a sign" 2 "$KC" --sym f=vmlinux,+1 a.o x.o
one_line "klp-convert: directory as --symvers" 2 "$KC" --symvers dir a.o x.o
one_line "klp-convert: output in a nonexistent directory" 1 "$KC" a.o no/dir/x.o
one_line "klp-convert: output is a directory" 1 "$KC" a.o dir
one_line "klp-convert: --show-meta of a nonexistent file" 2 "$KC" --show-meta nope.ko
one_line "klp-convert: --show-meta of a directory" 2 "$KC" --show-meta dir
one_line "klp-convert: --show-meta of an empty file" 2 "$KC" --show-meta empty.o
one_line "klp-convert: --show-meta with extra arguments" 2 "$KC" --show-meta a.o b.o

# klpgen
usage_only "klpgen: no arguments" "$KG"
one_line "klpgen: unknown command" 2 "$KG" frobnicate
one_line "klpgen: unknown option instead of a command" 2 "$KG" --frobnicate

# klpgen build: stops at the input checks, before any build
usage_only "build: no arguments" "$KG" build
kb() { "$KG" build --cache "$TMP/cache" "$@"; }
one_line "build: unknown option" 2 kb --frobnicate p.patch
like "$(kb --frobnicate p.patch 2>&1)" "^klpgen build: unrecognized option" "build: getopt's message names the subcommand"
one_line "build: missing option argument" 2 kb p.patch -s
one_line "build: options but no patch" 2 kb -s dir
one_line "build: nonexistent patch" 2 kb -s dir -c text.txt -v vm-same nope.patch
one_line "build: directory as patch" 2 kb -s dir -c text.txt -v vm-same dir
one_line "build: nonexistent -s" 2 kb -s nope -c text.txt -v vm-same p.patch
one_line "build: file as -s" 2 kb -s text.txt -c text.txt -v vm-same p.patch
one_line "build: nonexistent -c" 2 kb -s dir -c nope -v vm-same p.patch
one_line "build: directory as -c" 2 kb -s dir -c dir -v vm-same p.patch
one_line "build: nonexistent -v" 2 kb -s dir -c text.txt -v nope p.patch
one_line "build: -v is a text file" 2 kb -s dir -c text.txt -v text.txt p.patch
one_line "build: -v is empty" 2 kb -s dir -c text.txt -v empty.o p.patch
one_line "build: -v is a text file, --skip-compiler-check" 2 kb --skip-compiler-check -s dir -c text.txt -v text.txt p.patch
one_line "build: -v is a directory" 2 kb -s dir -c text.txt -v dir p.patch
one_line "build: -j 0" 2 kb -j 0 p.patch
one_line "build: -j abc" 2 kb -j abc p.patch
one_line "build: -j -3" 2 kb -j -3 p.patch
one_line "build: -j too big" 2 kb -j 99999999999999999999 p.patch
one_line "build: -n with a slash" 2 kb -s dir -c text.txt -v vm-same -n 'a/b' p.patch
one_line "build: -n with non-ASCII" 2 kb -s dir -c text.txt -v vm-same -n 'modül' p.patch
one_line "build: empty -n" 2 kb -s dir -c text.txt -v vm-same -n '' p.patch
one_line "build: too long -n" 2 kb -s dir -c text.txt -v vm-same -n "$(printf 'm%.0s' {1..60})" p.patch
one_line "build: -o is a file" 2 kb -s dir -c text.txt -v vm-same -o text.txt p.patch
one_line "build: --package zip" 2 kb --package zip -s dir -c text.txt -v vm-same p.patch
one_line "build: --version with a dash" 2 kb --version 1-2 -s dir -c text.txt -v vm-same p.patch
one_line "build: --release without --package" 2 kb --release 2 -s dir -c text.txt -v vm-same p.patch
one_line "build: bad SOURCE_DATE_EPOCH" 2 env SOURCE_DATE_EPOCH=x "$KG" build --cache "$TMP/cache" -s dir -c text.txt -v vm-same p.patch
one_line "build: failed input check, -o in a missing directory" 2 kb -s dir -c text.txt -v text.txt -o out/new p.patch
ok_desc "build: which is not created then" test ! -e out
ok_desc "build: nothing was built" test ! -e "$TMP/cache/builds"

# klpgen series build: the build checks, then its own
usage_only "series: no arguments" "$KG" series
usage_only "series build: no arguments" "$KG" series build
one_line "series: unknown command" 2 "$KG" series frobnicate
ks() { "$KG" series build --cache "$TMP/cache" "$@"; }
one_line "series build: unknown option" 2 ks --frobnicate p.patch
one_line "series build: nonexistent series" 2 ks -s dir -c text.txt -v vm-same nope.series
one_line "series build: -R" 2 ks -R p.patch
one_line "series build: text file as series (no patch in it)" 2 ks -s dir -c text.txt -v vm-same text.txt
one_line "series build: a C file as series" 2 ks -s dir -c text.txt -v vm-same a.c
one_line "series build: too long a base for its names" 2 ks -n "$(printf 'm%.0s' {1..54})" p.patch

# klpgen check
usage_only "check: no arguments" "$KG" check
one_line "check: one module" 2 "$KG" check a.o
one_line "check: unknown option" 2 "$KG" check --frobnicate a.o b.o
one_line "check: nonexistent module" 2 "$KG" check a.o nope.ko
one_line "check: directory as module" 2 "$KG" check dir a.o
one_line "check: empty module" 2 "$KG" check empty.o a.o
one_line "check: text file as module" 2 "$KG" check text.txt a.o
one_line "check: objects without livepatch data" 2 "$KG" check a.o b.o

# klpgen module
usage_only "module: no arguments" "$KG" module
one_line "module: unknown option" 2 "$KG" module --frobnicate
one_line "module: missing option argument" 2 "$KG" module vmlinux=a.o -n
one_line "module: no -n" 2 "$KG" module vmlinux=a.o
one_line "module: no diff objects" 2 "$KG" module -n x
one_line "module: bad module name" 2 "$KG" module -n 'A/b' vmlinux=a.o
one_line "module: diff object without OBJNAME=" 2 "$KG" module -n x a.o
one_line "module: nonexistent diff object" 2 "$KG" module -n x vmlinux=nope.o
one_line "module: directory as diff object" 2 "$KG" module -n x vmlinux=dir
one_line "module: empty diff object" 2 "$KG" module -n x vmlinux=empty.o
one_line "module: text file as diff object" 2 "$KG" module -n x vmlinux=text.txt
one_line "module: nonexistent -k" 2 "$KG" module -n x -k nope vmlinux=a.o
one_line "module: --version with a space" 2 "$KG" module -n x --version '1 2' vmlinux=a.o
one_line "module: empty --patch" 2 "$KG" module -n x --patch '' vmlinux=a.o

# klpgen package
usage_only "package: no arguments" "$KG" package
one_line "package: unknown option" 2 "$KG" package --frobnicate a.o
one_line "package: no --format" 2 "$KG" package a.o
one_line "package: --format zip" 2 "$KG" package --format zip a.o
one_line "package: no module" 2 "$KG" package --format rpm
one_line "package: nonexistent module" 2 "$KG" package --format rpm nope.ko
one_line "package: text file as module" 2 "$KG" package --format deb text.txt
one_line "package: object that is no livepatch" 2 "$KG" package --format rpm a.o

# -h and --help of every command: the usage on stdout, nothing on stderr, exit 0
help_ok() {
	local d=$1 rc out; shift
	out=$("$@" 2>"$TMP/help.err"); rc=$?
	[ $rc -eq 0 ] && printf '%s\n' "$out" | head -n 1 | grep -q '^usage: ' &&
		[ ! -s "$TMP/help.err" ]
	_tap_result $? "$d (rc=$rc)"
}
for h in -h --help; do
	help_ok "cdo $h" "$CDO" "$h"
	help_ok "klp-convert $h" "$KC" "$h"
	for c in build kpatch-build module check package; do
		help_ok "$c $h" "$KG" "$c" "$h"
	done
done
# getopt stops at the first bad option: exit 2, even with --help after it
for c in build kpatch-build module check package; do
	one_line "$c: a bad option before --help" 2 "$KG" "$c" --frobnicate --help
done

done_testing
