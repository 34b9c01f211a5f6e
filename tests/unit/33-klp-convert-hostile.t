#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input: truncated, garbage and byte-flipped objects never crash
# klp-convert (conversion, --show-meta, target files) or klpgen module.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
KC=$BIN/klp-convert
kcc "$TMP/good.o" "$F/conv-basic.c" || bail "cannot compile"
kcc "$TMP/diff.o" "$F/diff-vmlinux.c" || bail "cannot compile"
"$KC" "$TMP/good.o" "$TMP/conv.o" || bail "cannot convert"
export KLPGEN_DATADIR=$KLPGEN_SRC

# survives DESC CMD...: no signal, no sanitizer report, exit < 128.
survives() {
	local d=$1 rc; shift
	"$@" >/dev/null 2>"$TMP/stderr"; rc=$?
	if [ $rc -ge 128 ] || grep -Eq 'Sanitizer|runtime error' "$TMP/stderr"; then
		diag "rc=$rc: $*"
		head -n 5 "$TMP/stderr" | while read -r l; do diag "$l"; done
		_tap_result 1 "$d"
	else
		_tap_result 0 "$d"
	fi
}

size=$(stat -c %s "$TMP/good.o")
: >"$TMP/empty"
survives "empty file" "$KC" "$TMP/empty" "$TMP/o"
head -c 64 "$TMP/good.o" >"$TMP/hdr"
survives "ELF header only" "$KC" "$TMP/hdr" "$TMP/o"
head -c $((size / 2)) "$TMP/good.o" >"$TMP/half"
survives "truncated object" "$KC" "$TMP/half" "$TMP/o"
survives "truncated --vmlinux" "$KC" --vmlinux "$TMP/half" "$TMP/good.o" "$TMP/o"
survives "truncated --show-meta" "$KC" --show-meta "$TMP/half"
head -c 4096 /dev/urandom >"$TMP/random"
survives "random bytes" "$KC" "$TMP/random" "$TMP/o"
survives "random --module" "$KC" --module ext4="$TMP/random" "$TMP/good.o" "$TMP/o"
survives "klpgen module on random bytes" "$BIN/klpgen" module -n x --no-build \
	--work "$TMP/w" vmlinux="$TMP/random"
survives "directory as input" "$KC" "$TMP" "$TMP/o"
printf 'garbage\n\t\t\t\n0x1\tfoo\n' >"$TMP/symvers"
survives "malformed Module.symvers" "$KC" --symvers "$TMP/symvers" "$TMP/good.o" "$TMP/o"

# Flip bytes in the section headers, symbol table and relocations.
flip() {	# IN OUT OFFSET BYTE
	cp "$1" "$2"
	printf "\\x$(printf %02x "$4")" | dd of="$2" bs=1 seek="$3" conv=notrunc status=none
}
RANDOM=4242
n=0 bad=0
for src in good.o conv.o diff.o; do
	s=$(stat -c %s "$TMP/$src")
	for i in $(seq 60); do
		off=$((RANDOM % s)) byte=$((RANDOM % 256))
		flip "$TMP/$src" "$TMP/f.o" $off $byte
		n=$((n + 1))
		for cmd in conv meta module; do
			case $cmd in
			conv)	"$KC" --vmlinux "$TMP/f.o" "$TMP/f.o" "$TMP/o" ;;
			meta)	"$KC" --show-meta "$TMP/f.o" ;;
			module)	"$BIN/klpgen" module -n x --no-build --work "$TMP/w" \
					vmlinux="$TMP/f.o" ;;
			esac >/dev/null 2>"$TMP/stderr"
			rc=$?
			if [ $rc -ge 128 ] || grep -Eq 'Sanitizer|runtime error' "$TMP/stderr"; then
				bad=$((bad + 1))
				diag "$cmd crashed (rc=$rc) on $src with byte $byte at $off"
				cp "$TMP/f.o" "$TMP/crash-$bad.o"
			fi
		done
	done
done
is "$bad" 0 "$n byte-flipped objects, 3 commands each: no crash"
done_testing
