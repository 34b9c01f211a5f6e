#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input: truncated, garbage and byte-flipped objects never crash
# klp-convert (conversion, --show-meta, target files) or klpgen module:
# malformed input is exit 2 with a message naming the file.
. "$(dirname "$0")/../lib/tap.sh"

mk_tmpdir
F=$FIXTURES/klp-convert
KC=$BIN/klp-convert
kcc "$TMP/good.o" "$F/conv-basic.c" || bail "cannot compile"
kcc "$TMP/diff.o" "$F/diff-vmlinux.c" || bail "cannot compile"
"$KC" "$TMP/good.o" "$TMP/conv.o" || bail "cannot convert"
export KLPGEN_DATADIR=$KLPGEN_SRC

# rejects DESC FILE CMD...: exit 2 (bad input, as documented), no
# sanitizer report, and a message naming FILE.
rejects() {
	local d=$1 file=$2 rc; shift 2
	"$@" >/dev/null 2>"$TMP/stderr"; rc=$?
	if [ $rc -eq 2 ] && ! grep -Eq 'Sanitizer|runtime error' "$TMP/stderr" &&
	   grep -Fq -- "$file" "$TMP/stderr"; then
		_tap_result 0 "$d"
	else
		diag "rc=$rc (want 2, naming $file): $*"
		head -n 5 "$TMP/stderr" | while read -r l; do diag "$l"; done
		_tap_result 1 "$d"
	fi
}

size=$(stat -c %s "$TMP/good.o")
: >"$TMP/empty"
rejects "empty file" "$TMP/empty" "$KC" "$TMP/empty" "$TMP/o"
head -c 64 "$TMP/good.o" >"$TMP/hdr"
rejects "ELF header only" "$TMP/hdr" "$KC" "$TMP/hdr" "$TMP/o"
head -c $((size / 2)) "$TMP/good.o" >"$TMP/half"
rejects "truncated object" "$TMP/half" "$KC" "$TMP/half" "$TMP/o"
rejects "truncated --vmlinux" "$TMP/half" "$KC" --vmlinux "$TMP/half" "$TMP/good.o" "$TMP/o"
rejects "truncated --show-meta" "$TMP/half" "$KC" --show-meta "$TMP/half"
head -c 4096 /dev/urandom >"$TMP/random"
rejects "random bytes" "$TMP/random" "$KC" "$TMP/random" "$TMP/o"
rejects "random --module" "$TMP/random" "$KC" --module ext4="$TMP/random" "$TMP/good.o" "$TMP/o"
rejects "klpgen module on random bytes" "$TMP/random" "$BIN/klpgen" module -n x --no-build \
	--work "$TMP/w" vmlinux="$TMP/random"
rejects "directory as input" "$TMP" "$KC" "$TMP" "$TMP/o"
printf 'garbage\n\t\t\t\n0x1\tfoo\n' >"$TMP/symvers"
rejects "malformed Module.symvers" "$TMP/symvers" "$KC" --symvers "$TMP/symvers" "$TMP/good.o" "$TMP/o"

# --vmlinux and --module files are read by the ELF layer like IN.
P="perl $FIXTURES/lib/patch.pl"
kcc "$TMP/target.o" "$F/target-a.c" || bail "cannot compile"
cp "$TMP/target.o" "$TMP/aarch64.o"; $P set "$TMP/aarch64.o" 18 2 183
rejects "--vmlinux: an aarch64 ELF" "$TMP/aarch64.o" "$KC" --vmlinux "$TMP/aarch64.o" "$TMP/good.o" "$TMP/o"
like "$(cat "$TMP/stderr")" "machine 183 is not x86_64" "... saying why"
rejects "--module: an aarch64 ELF" "$TMP/aarch64.o" "$KC" --module ext4="$TMP/aarch64.o" "$TMP/good.o" "$TMP/o"
cp "$TMP/target.o" "$TMP/be.o"; $P set "$TMP/be.o" 5 1 2
rejects "--vmlinux: a big-endian ELF" "$TMP/be.o" "$KC" --vmlinux "$TMP/be.o" "$TMP/good.o" "$TMP/o"
like "$(cat "$TMP/stderr")" "not a little-endian ELF file" "... saying so, not 'no symbol table'"
rejects "--vmlinux: a directory" "$TMP" "$KC" --vmlinux "$TMP" "$TMP/good.o" "$TMP/o"
like "$(cat "$TMP/stderr")" "not a regular file" "... saying so, not 'no symbol table'"
sym=$($P symoff "$TMP/target.o" bar)
cp "$TMP/target.o" "$TMP/shndx.o"; $P set "$TMP/shndx.o" $((sym + 6)) 2 0x7000
rejects "--vmlinux: a symbol's section index out of range" "$TMP/shndx.o" \
	"$KC" --vmlinux "$TMP/shndx.o" "$TMP/good.o" "$TMP/o"
cp "$TMP/target.o" "$TMP/xindex.o"; $P set "$TMP/xindex.o" $((sym + 6)) 2 0xffff
rejects "--module: SHN_XINDEX without .symtab_shndx" "$TMP/xindex.o" \
	"$KC" --module ext4="$TMP/xindex.o" "$TMP/good.o" "$TMP/o"

# The inputs that crashed klp-convert or made it write without bound
# (tests/fuzz/corpus, issue 15), under a file-size limit.
C=$KLPGEN_SRC/tests/fuzz/corpus
for f in "$C"/kc-build_group-nullsig-segv--*; do
	rm -f "$TMP/o"
	rejects "section 0 of type SHT_GROUP: $(basename "$f")" "$f" \
		"$KC" --prelink --symvers "$KLPGEN_SRC/tests/fuzz/kc.symvers" "$f" "$TMP/o"
	rejects "... converting too" "$f" "$KC" "$f" "$TMP/o"
done
mkdir "$TMP/self"
(ulimit -f 1024; "$KC" "$C/kc-group-member-self--input.o" "$TMP/self/o") >/dev/null 2>"$TMP/stderr"
is "$?" 2 "a group listing itself is bad input, not a disk filled with zeros"
is "$(ls -A "$TMP/self")" "" "... and leaves nothing behind"
for f in "$C"/kc-align-huge-output--*; do
	(ulimit -f 1024; "$KC" --symvers "$KLPGEN_SRC/tests/fuzz/kc.symvers" "$f" "$TMP/o") \
		>/dev/null 2>"$TMP/stderr"
	is "$?" 0 "sh_addralign 2^28 converts: $(basename "$f")"
	out=$(stat -c %s "$TMP/o")
	ok_desc "... into $out bytes, not hundreds of MB (input $(stat -c %s "$f"))" \
		test "$out" -lt $((4 * $(stat -c %s "$f") + 16384))
done
# A relocation section naming itself: the .klp.sym relocation stayed
# unconverted, with exit 0.
cp "$TMP/good.o" "$TMP/relaself.o"
ri=$($P secidx "$TMP/relaself.o" .rela.text.patched)
$P set "$TMP/relaself.o" $(($($P shdr "$TMP/relaself.o" "$ri") + 44)) 4 "$ri"
rejects "a relocation section relocating itself" "$TMP/relaself.o" "$KC" "$TMP/relaself.o" "$TMP/o"

# A stray sh_link to a relocation section that the conversion empties and
# drops: exit 1 ("linked section is removed") before; now ignored.
s=$($P shdr "$TMP/good.o" "$($P secidx "$TMP/good.o" .data.ptr)")
cp "$TMP/good.o" "$TMP/stray.o"
$P set "$TMP/stray.o" $((s + 40)) 4 "$($P secidx "$TMP/stray.o" .rela.data.ptr)"
exit_is "a stray sh_link to a relocation section it drops" 0 "$KC" "$TMP/stray.o" "$TMP/o"

# A group whose signature is a klp symbol: --symvers folded it into the
# plain printk and the write failed with exit 1; bad input, exit 2.
as -o "$TMP/gsig.o" "$F/group-klp-sig.s" || bail "cannot assemble"
printf '0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' >"$TMP/gsig.symvers"
rejects "a group signed by a klp symbol that --symvers folds away" "$TMP/gsig.o" \
	"$KC" --symvers "$TMP/gsig.symvers" "$TMP/gsig.o" "$TMP/o"
like "$(cat "$TMP/stderr")" "group section \.group: its signature \.klp\.sym\.vmlinux\.printk,0 would be folded" \
	"... naming the group and the symbol"
rejects "a group signed by a klp symbol" "$TMP/gsig.o" "$KC" "$TMP/gsig.o" "$TMP/o"

# klpgen module: a diff object aligned beyond a page made ld -r pad its
# output by the alignment (32 MB for 2^25; found by klpfuzz): bad input.
cp "$TMP/diff.o" "$TMP/bigalign.o"
t=$($P secidx "$TMP/bigalign.o" .text.__klpgen_new.vmlinux.cmdline_proc_show.0) ||
	bail "no patched function section in diff-vmlinux.o"
$P set "$TMP/bigalign.o" $(($($P shdr "$TMP/bigalign.o" "$t") + 48)) 8 0x2000000
(ulimit -f 4096; "$BIN/klpgen" module -n x --no-build --work "$TMP/wa" vmlinux="$TMP/bigalign.o") \
	>/dev/null 2>"$TMP/stderr"
is "$?" 2 "klpgen module: a diff object aligned to 32 MiB is bad input"
like "$(cat "$TMP/stderr")" "bigalign.o: section \.text\.__klpgen_new\.vmlinux\.cmdline_proc_show\.0: alignment 33554432 is more than a module can have" \
	"... naming the file and the section"

# A symbol defined in a relocation section the conversion empties and
# drops: "symbol  is defined in removed section", exit 1, before.
cp "$TMP/good.o" "$TMP/symrela.o"
so=$($P symoff "$TMP/symrela.o" plain_sym)
$P set "$TMP/symrela.o" "$so" 4 0
$P set "$TMP/symrela.o" $((so + 6)) 2 "$($P secidx "$TMP/symrela.o" .rela.data.ptr)"
rejects "an unnamed symbol defined in a relocation section" "$TMP/symrela.o" "$KC" "$TMP/symrela.o" "$TMP/o"
like "$(cat "$TMP/stderr")" "symbol \(unnamed\) .*defined in section \.rela\.data\.ptr" "... saying so, with a name for it"

# OUT may be IN (in place), never a file checked against.
cp "$TMP/good.o" "$TMP/inplace.o"
exit_is "OUT equal to IN converts in place" 0 "$KC" "$TMP/inplace.o" "$TMP/inplace.o"
cp "$TMP/target.o" "$TMP/t2.o"
exit_is "OUT equal to the --vmlinux file is refused" 2 \
	"$KC" --vmlinux "$TMP/t2.o" "$TMP/good.o" "$TMP/t2.o"
ok_desc "... and the file is untouched" cmp "$TMP/t2.o" "$TMP/target.o"
cp "$KLPGEN_SRC/tests/fuzz/kc.symvers" "$TMP/sv"
exit_is "OUT equal to the --symvers file is refused" 2 \
	"$KC" --symvers "$TMP/sv" "$TMP/good.o" "$TMP/sv"

# Flip bytes in the section headers, symbol table and relocations.
flip() {	# IN OUT OFFSET BYTE
	cp "$1" "$2"
	printf "\\x$(printf %02x "$4")" | dd of="$2" bs=1 seek="$3" conv=notrunc status=none
}
RANDOM=4242
n=0 bad=0
for src in good.o conv.o diff.o; do
	s=$(stat -c %s "$TMP/$src")
	for _ in $(seq 60); do
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
			case $cmd:$rc in *:0|*:2|*:4|module:3) ;; *) rc="$rc!" ;; esac
			if [ "${rc%!}" != "$rc" ] || grep -Eq 'Sanitizer|runtime error' "$TMP/stderr"; then
				bad=$((bad + 1))
				diag "$cmd: exit ${rc%!} on $src with byte $byte at $off: $(head -c 200 "$TMP/stderr")"
				cp "$TMP/f.o" "$TMP/crash-$bad.o"
			fi
		done
	done
done
is "$bad" 0 "$n byte-flipped objects, 3 commands each: documented exits (0, 2, 4; 3 from klpgen module), no sanitizer report"
done_testing
