#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object on the object shapes of other kernels and compilers:
# ftrace sites as NOPs (gcc -mnop-mcount, objtool --mcount, a table made
# later from __fentry__ calls), special-section entries of other sizes
# (24-byte jump entries, paravirt entries without tail padding, 13/14-byte
# alternatives, 16-byte bug entries), entry sizes from the relocation
# layout, from --dwarf (a module's .ko lacks the structs), and sizes that
# do not fit.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n0x0\texported_key\tvmlinux\tEXPORT_SYMBOL\t\n0x0\tslow_exp\tvmlinux\tEXPORT_SYMBOL\t\n' \
	> "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"
run() {	# NAME [options]: create-diff-object without the 6.1 --entsize list
	local name=$1
	shift
	OUT=$TMP/$name.out.o JSON=$TMP/$name.json
	rm -f "$OUT" "$JSON"
	"$CDO" --explain "$JSON" "$@" "$TMP/orig/$name.o" "$TMP/patched/$name.o" \
		"$OUT" 2> "$TMP/$name.err"
	RC=$?
	ERR=$(cat "$TMP/$name.err")
}
entries() {	# SECTION ENTSIZE: entries of it in OUT
	"$ELFDUMP" -S "$OUT" | awk -v s="$1" -v e="$2" \
		'$1 == "section" && $2 == s { sub("size=", "", $5); print $5 / e }'
}
special() {	# SECTION: its special_entries line of the explain JSON
	grep -F "{\"section\": \"$1\", \"entsize\"" "$JSON"
}
relocs_of() {	# SECTION: the relocations OUT has for it
	"$ELFDUMP" -r "$OUT" | awk -v s="$1" '$1 == "relocs" { f = ($NF == s); next } f'
}

# --- ftrace sites as NOPs ---------------------------------------------------------
# An objtool --mcount function: the call became a 5-byte NOP keeping an
# R_X86_64_NONE relocation to __fentry__; __mcount_loc records it.
# asm_fn NAME IMM FORM [endbr]: FORM objtool | call | none (notrace) | late
# (mcount entry 5 bytes into the function, not at its start)
asm_fn() {
	local name=$1 imm=$2 form=$3 endbr=${4:-}
	printf '\t.section .text.%s,"ax",@progbits\n\t.globl %s\n\t.type %s, @function\n%s:\n' \
		"$name" "$name" "$name" "$name"
	[ -z "$endbr" ] || printf '\tendbr64\n'
	case $form in
	objtool) printf '1:\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t.reloc 1b+1, R_X86_64_NONE, __fentry__\n' ;;
	call)	printf '1:\tcall __fentry__\n' ;;
	late)	printf '\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n1:\tnop\n' ;;
	none)	printf '1:\n' ;;
	esac
	printf '\tleal %s(%%rdi), %%eax\n\tret\n\t.size %s, .-%s\n' "$imm" "$name" "$name"
	case $form in
	objtool|late) printf '\t.section __mcount_loc,"a",@progbits\n\t.quad 1b\n' ;;
	esac
}
asm_pair() {	# NAME 'ORIG ASM' 'PATCHED ASM'
	mkdir -p "$TMP/orig" "$TMP/patched"
	printf '%s\n' "$2" > "$TMP/orig/$1.s"
	printf '%s\n' "$3" > "$TMP/patched/$1.s"
	gcc -c -o "$TMP/orig/$1.o" "$TMP/orig/$1.s" &&
	gcc -c -o "$TMP/patched/$1.o" "$TMP/patched/$1.s"
}

for endbr in "" endbr; do
	tag=${endbr:+IBT: }
	asm_pair nop$endbr "$(asm_fn traced 1 objtool $endbr; asm_fn untraced 2 none $endbr; asm_fn late 3 late $endbr)" \
		"$(asm_fn traced 4 objtool $endbr; asm_fn untraced 2 none $endbr; asm_fn late 3 late $endbr)"
	run nop$endbr $SV
	is "$RC" 0 "${tag}objtool --mcount NOP'ed fentry: traced, exit 0"
	is "$(verdict nop$endbr traced)" changed "${tag}traced changed"
	is "$(entries __mcount_loc 8)" 1 "${tag}its __mcount_loc entry is kept"
	at=0x1; [ -z "$endbr" ] || at=0x5
	like "$(relocs_of .text.traced)" "^  $at R_X86_64_NONE __fentry__\\+0x0$" \
		"${tag}the NOP keeps its R_X86_64_NONE relocation"
	ok_desc "${tag}objtool NOP output links" check_out "$OUT" __fentry__
	asm_pair nopu$endbr "$(asm_fn traced 1 objtool $endbr; asm_fn untraced 2 none $endbr)" \
		"$(asm_fn traced 1 objtool $endbr; asm_fn untraced 5 none $endbr)"
	run nopu$endbr $SV
	is "$RC" 4 "${tag}changed function without an __mcount_loc entry: refused"
	like "$ERR" "untraced \(section \.text\.untraced\) has no ftrace site at its start" \
		"${tag}the refusal names the function and why"
	asm_pair late$endbr "$(asm_fn traced 1 objtool $endbr; asm_fn late 3 late $endbr)" \
		"$(asm_fn traced 1 objtool $endbr; asm_fn late 6 late $endbr)"
	run late$endbr $SV
	is "$RC" 4 "${tag}an __mcount_loc entry inside the function, not at its start: refused"
	like "$ERR" "late .*no ftrace site at its start" "${tag}... naming it"
done

# gcc -mrecord-mcount -mnop-mcount: a NOP and no relocation at all
FT='int traced(int a) { return a + 1; }
__attribute__((no_instrument_function)) int untraced(int a) { return a + 2; }'
NOPF="-pg -mfentry -mrecord-mcount -mnop-mcount"
cdo_pair gnop "$FT" "${FT/a + 1/a + 4}" $NOPF
is "$(objdump -d "$TMP/orig/gnop.o" | grep -c 'call.*__fentry__')" 0 "gcc -mnop-mcount: no call __fentry__ in the object"
run gnop $SV
is "$RC" 0 "gcc -mnop-mcount: traced function changed, exit 0"
is "$(entries __mcount_loc 8)" 1 "its __mcount_loc entry is kept"
cdo_pair gnop2 "$FT" "${FT/a + 2/a + 5}" $NOPF
run gnop2 $SV
is "$RC" 4 "gcc -mnop-mcount: changed notrace function refused"
like "$ERR" "untraced.*no ftrace site" "... with the reason"

# No table in the object (objtool --mcount runs on vmlinux.o: IBT or LTO
# kernels), but calls to __fentry__: the call at the start decides.
asm_pair late2 "$(asm_fn traced 1 call; asm_fn untraced 2 none)" \
	"$(asm_fn traced 7 call; asm_fn untraced 2 none)"
run late2 $SV
is "$RC" 0 "no fentry table, call __fentry__ at the start: traced, exit 0"
asm_pair late3 "$(asm_fn traced 1 call; asm_fn untraced 2 none)" \
	"$(asm_fn traced 1 call; asm_fn untraced 8 none)"
run late3 $SV
is "$RC" 4 "no fentry table, no call __fentry__: refused"
like "$ERR" "untraced.*no ftrace site" "... with the reason"
if command -v clang-16 >/dev/null; then
	CL_FLAGS=${KCC_FLAGS/-Wno-builtin-declaration-mismatch/}
	mkdir -p "$TMP/orig" "$TMP/patched"
	printf '%s\n' "$FT" > "$TMP/orig/cl.c"
	printf '%s\n' "${FT/a + 1/a + 4}" > "$TMP/patched/cl.c"
	for d in orig patched; do
		(cd "$TMP/$d" && clang-16 $CL_FLAGS -pg -mfentry -c -o cl.o cl.c) ||
			bail "clang-16 failed"
	done
	run cl $SV
	is "$RC" 0 "clang-16 -pg -mfentry (no __mcount_loc): traced function, exit 0"
	printf '%s\n' "${FT/a + 2/a + 5}" > "$TMP/patched/cl.c"
	(cd "$TMP/patched" && clang-16 $CL_FLAGS -pg -mfentry -c -o cl.o cl.c)
	run cl $SV
	is "$RC" 4 "clang-16: changed notrace function refused"
else
	skip "no clang-16 (scripts/install-deps installs it)"
	skip "no clang-16"
fi

# --- special-section entries of other kernel versions ----------------------------
OK_FLAGS="-include other-kernels.h"
SH='extern struct static_key_false exported_key;
DEFINE_STATIC_KEY_FALSE(local_key);
int j1(int a) { if (JUMP_ABS(&exported_key)) return a + 1; return a; }
int j2(int a) { if (JUMP_ABS(&local_key)) return a + 2; return a; }
int j3(int a) { return a + 3; }'
cdo_pair jabs "$SH" "${SH/a + 2/a + 7}" $OK_FLAGS
run jabs $SV
is "$RC" 0 "24-byte (absolute) jump entries: exit 0"
like "$(special __jump_table)" '"entsize": 24, "entries": 2, "included": 1' \
	"entry size 24 from the relocations, j2's entry kept"
is "$(verdict jabs j2)/$(verdict jabs j1)/$(verdict jabs j3)" "changed/unchanged/unchanged" "only j2 changed"
like "$(relocs_of __jump_table)" '^  0x0 R_X86_64_64 \.text\.j2' "the entry points at the new j2"
like "$(relocs_of __jump_table)" '^  0x10 R_X86_64_64 \.klp\.sym\.vmlinux\.local_key,0' \
	"its key (at +16 in this layout) is the vmlinux klp symbol"
ok_desc "24-byte jump entries: output links" check_out "$OUT"
run jabs $SV -n jmod
is "$RC" 4 "24-byte jump entry on a key of the patched module: refused (the key is found at +16)"
like "$ERR" "j2: __jump_table entry key local_key" "... naming function, section and key"

PV='int p1(int a) { PV_SITE(3); return a + 1; }
int p2(int a) { PV_SITE(4); return a + 2; }
int p3(int a) { PV_SITE(5); return a + 3; }'
cdo_pair pvs "$PV" "${PV/a + 3/a + 9}" $OK_FLAGS
is "$("$ELFDUMP" -S "$TMP/orig/pvs.o" | awk '$2 == ".parainstructions" { print $5 }')" size=42 \
	"fixture: .parainstructions is 42 bytes (16 + 16 + a 10-byte last entry)"
run pvs $SV
is "$RC" 0 ".parainstructions with a short last entry: exit 0"
like "$(special .parainstructions)" '"entsize": 16, "entries": 3, "included": 1' "3 entries of 16 bytes"
is "$(verdict pvs p3)/$(verdict pvs p2)" changed/unchanged "p3 (owning the short entry) changed, p2 not"
is "$(entries .parainstructions 16)" 1 "one whole 16-byte entry in OUT"
ok_desc "short paravirt entry: output links" check_out "$OUT"
run pvs $SV --entsize .parainstructions=16
is "$RC" 0 "--entsize .parainstructions=16 fits a section of 42 bytes"
cdo_pair pvs1 "int p3(int a) { PV_SITE(5); return a + 3; }" \
	"int p3(int a) { PV_SITE(5); return a + 9; }" $OK_FLAGS
run pvs1 $SV
like "$(special .parainstructions)" '"entsize": 16, "entries": 1' "a single 10-byte entry is one of 16 (the known size)"
PVC='int p1(int a) { PV_SITE_CLOB(3); return a + 1; }
int p2(int a) { PV_SITE_CLOB(4); return a + 2; }'
cdo_pair pvc "$PVC" "${PVC/PV_SITE_CLOB(4)/PV_SITE_CLOB(6)}" $OK_FLAGS
run pvc $SV
is "$RC" 0 "4.18 paravirt entries (12 bytes with clobbers, short last): exit 0"
is "$(verdict pvc p2)" changed "a changed type in the short last entry changes p2"
like "$(reason pvc p2)" '\.parainstructions entry 0 differs' "... reason names the entry"

for n in 13 14; do
	AL="void slow_exp(void);
int a1(int a) { ALT${n}_CALL(slow_exp, printk, 5); return a + 1; }
int a2(int a) { ALT${n}_CALL(slow_exp, printk, 6); return a + 2; }"
	cdo_pair alt$n "$AL" "${AL/a + 2/a + 8}" $OK_FLAGS
	run alt$n $SV
	is "$RC" 0 "$n-byte alt_instr: exit 0"
	like "$(special .altinstructions)" "\"entsize\": $n, \"entries\": 2, \"included\": 1" \
		"$n-byte entries from the relocations"
	is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".altinstr_replacement" {print $5}')" "size=5" \
		"$n: the 5-byte replacement (length read at the right field) is copied"
	ok_desc "$n-byte alternatives: output links" check_out "$OUT" printk slow_exp
	cdo_pair altr$n "$AL" "${AL/printk, 6/slow_exp, 6}" $OK_FLAGS
	run altr$n $SV
	like "$(reason altr$n a2)" '\.altinstructions entry 0 differs' "$n: a changed replacement changes a2"
done
AL15='void slow_exp(void);
int a1(int a) { ALT15_CALL(slow_exp, printk, 5); return a + 1; }
int a2(int a) { ALT15_CALL(slow_exp, printk, 6); return a + 2; }'
cdo_pair alt15 "$AL15" "${AL15/a + 2/a + 8}" $OK_FLAGS
run alt15 $SV
is "$RC" 2 "an alt_instr size no kernel has (15): exit 2"
like "$ERR" "alt15\.o: \.altinstructions: entries of 15 bytes: not a struct alt_instr the tool knows \(12, 13 or 14 bytes\)" \
	"... naming file, section and the sizes"

WF='int w1(int a) { WARN_FMT(a > 3); return a + 1; }
int w2(int a) { WARN_FMT(a > 4); return a + 2; }'
cdo_pair wfmt "$WF" "$WF
int w3(int a) { return a; }" $OK_FLAGS
cdo_pair wfmt "$WF" "
$WF" $OK_FLAGS
run wfmt $SV
is "$RC" 3 "16-byte bug entries, lines moved: nothing changed (exit 3)"
is "$(verdict wfmt w1)" ignored-line-only "w1 ignored-line-only (the line field is at +12 here)"
cdo_pair wfmt2 "$WF" "${WF/a + 2/a + 6}" $OK_FLAGS
run wfmt2 $SV
is "$RC/$(special __bug_table | grep -o '"entsize": [0-9]*')" '0/"entsize": 16' "16-byte bug entries: exit 0"

# --- x86 .fixup (before 5.17): split per __ex_table entry ----------------------------
FX='int ex1(int *u) { int v; if (get_user_fixup(&v, u, -14)) return -1; return v + 1; }
int ex2(int *u) { int v; if (get_user_fixup(&v, u, -14)) return -1; return v + 2; }
int ex3(int *u) { int v; if (get_user_fixup(&v, u, -22)) return -1; return v + 3; }
int ex4(int *u) { int a, b; if (get_user2_fixup(&a, &b, u)) return -1; return a + b; }'
# ex1 gains a second access (its piece grows, every later piece moves)
FX2=${FX/int v; if (get_user_fixup(&v, u, -14)) return -1; return v + 1;/int v, w; if (get_user_fixup(\&v, u, -14) || get_user_fixup(\&w, u + 1, -14)) return -1; return v + w + 1;}
printf '0x0\tex_handler_default\tvmlinux\tEXPORT_SYMBOL\t\n' >> "$TMP/Module.symvers"
cdo_pair fix "$FX" "${FX2/v + 2/v + 5}" $OK_FLAGS
run fix $SV
is "$RC" 0 ".fixup: exit 0 (no refusal for code pointing into .fixup)"
is "$(verdict fix ex1)/$(verdict fix ex2)/$(verdict fix ex3)/$(verdict fix ex4)" \
	changed/changed/unchanged/unchanged "ex1, ex2 changed; ex3, ex4 unchanged though their pieces moved"
like "$(special __ex_table)" '"entsize": 12, "entries": 6, "included": 3' "3 of 6 entries kept"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".fixup" { print $5 }')" size=36 \
	"OUT .fixup holds the 3 pieces of ex1 and ex2 (12 bytes each)"
like "$(relocs_of __ex_table | awk '$1 == "0x10" || $1 == "0x1c"' | tr "\n" " ")" '\.fixup\+0xc.*\.fixup\+0x18' \
	"the entries point at their pieces in OUT .fixup"
like "$(relocs_of .fixup)" '^  0x20 R_X86_64_PC32 \.text\.ex2' "ex2's piece jumps back into the new ex2"
ok_desc ".fixup output links" check_out "$OUT" ex_handler_default
cdo_pair fix2 "$FX" "${FX/-22/-5}" $OK_FLAGS
run fix2 $SV
is "$(verdict fix2 ex3)" changed "a changed fixup piece changes its function"
like "$(reason fix2 ex3)" '__ex_table entry 0 differs: relocation at \+0x4 now targets \.fixup' "... reason: its entry's piece"
is "$(verdict fix2 ex1)/$(verdict fix2 ex4)" unchanged/unchanged "the others unchanged"
cdo_pair fix3 "$FX" "${FX/return a + b;/return a - b;}" $OK_FLAGS
run fix3 $SV
is "$RC/$(verdict fix3 ex4)" 0/changed "two entries sharing one piece: exit 0, ex4 changed"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".fixup" { print $5 }')" size=14 "the shared piece (14 bytes) is copied once"
like "$(relocs_of __ex_table | awk '{ print $3 }' | grep -c '^\.fixup+0x0$')" '^2$' "both entries point at it"
ok_desc "shared piece output links" check_out "$OUT" ex_handler_default
NRT='int nr(int a) { FIXUP_NO_RETURN(); return a + 1; }'
cdo_pair fix4 "$NRT" "${NRT/a + 1/a + 2}" $OK_FLAGS
run fix4 $SV
is "$RC" 0 "fixup code that does not jump back (ud2): exit 0"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".fixup" { print $5 }')" size=2 "its piece (to the end of .fixup) is copied"

# --- .altinstr_aux (static_cpu_has): references compared and copied per piece -----
AX='int ax1(int a) { if (static_cpu_has_aux(5)) return a + 1; return a; }
int ax2(int a) { if (static_cpu_has_aux(9)) return a * 2; return a; }
int ax3(int a) { if (static_cpu_has_aux(12)) return a - 3; return a; }'
cdo_pair aux "$AX" "${AX/return a + 1; return a;/return a + 1; return a * a * 7;}"
run aux $SV
is "$RC" 0 ".altinstr_aux: exit 0"
is "$(verdict aux ax1)/$(verdict aux ax2)/$(verdict aux ax3)" changed/unchanged/unchanged \
	"ax1 changed; ax2, ax3 unchanged though their pieces jump back into moved code"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".altinstr_aux" { print $5 }')" \
	"size=$(objdump -d -j .altinstr_aux "$TMP/patched/aux.o" | grep -c '^ ' | awk '{ print "?" }' >/dev/null; \
	"$ELFDUMP" -S "$TMP/patched/aux.o" | awk '$2 == ".altinstr_aux" { sub("size=", "", $5); print $5 / 3 }')" \
	"OUT .altinstr_aux holds only ax1's piece (a third of the section)"
unlike "$(relocs_of .altinstr_aux)" 'ax2|ax3' "no jump into ax2 or ax3 copied"
like "$(relocs_of .text.ax1)" '\.altinstr_aux' "ax1 points at its piece in OUT"
ok_desc ".altinstr_aux output links" check_out "$OUT" boot_cpu_data

# --- a real module object of Debian's 6.1 cloud kernel (tests/fixtures/cdo/debian) --
# fs/xfs/libxfs/xfs_ialloc.o of xfs.ko: hweight64() is an alternative; the
# .ko's DWARF has no struct alt_instr (here: no DWARF at all)
DEB=$FIXTURES/cdo/debian
mkdir -p "$TMP/orig" "$TMP/patched"
xz -dc "$DEB/xfs_ialloc.orig.o.xz" > "$TMP/orig/xfs_ialloc.o"
xz -dc "$DEB/xfs_ialloc.patched.o.xz" > "$TMP/patched/xfs_ialloc.o"
run xfs_ialloc -n xfs -S "$DEB/Module.symvers"
is "$RC" 0 "Debian xfs_ialloc.o (module, .altinstructions, no DWARF): exit 0"
is "$(grep -c '"verdict": "changed"' "$JSON")" 1 "one function changed"
is "$(verdict xfs_ialloc xfs_inobt_get_rec)" changed "xfs_inobt_get_rec changed (its warning)"
like "$(special .altinstructions)" '"entsize": 12, "entries": 1, "included": 1' \
	"its 12-byte alternative entry (size from the relocations) kept"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".altinstr_replacement" {print $5}')" "size=5" \
	"with its 5-byte replacement (popcnt)"
mapfile -t UNDEF < <(out_symbols "$OUT" | awk '$4 == "UND" && $1 !~ /^\.klp/ { print $1 }')
ok_desc "Debian xfs_ialloc diff links" check_out "$OUT" "${UNDEF[@]}"

# --- a given size is checked against the relocations ------------------------------
run alt13 $SV --entsize .altinstructions=12
is "$RC" 2 "--entsize 12 for 13-byte alternatives: exit 2"
like "$ERR" "alt13\.o: \.altinstructions: entry size 12 \(--entsize\) does not fit its relocations \(.*\); they show entries of 13 bytes" \
	"... naming file, section and both sizes"
DW='struct alt_instr { int a, b; unsigned short f; unsigned char l, r; } __attribute__((packed));
struct alt_instr dwarf_anchor;'
printf '%s\n' "$DW" > "$TMP/vml.c"
kcc "$TMP/vml.o" "$TMP/vml.c" -g
printf 'int a1(int a) { return a; }\nint a2(int a) { return a; }\n' > "$TMP/mod.c"
kcc "$TMP/mod.o" "$TMP/mod.c" -g
run alt13 $SV -s "$TMP/vml.o"
is "$RC" 2 "DWARF of another kernel (alt_instr of 12) for 13-byte entries: exit 2"
like "$ERR" "\.altinstructions: entry size 12 \(struct alt_instr in the DWARF of .*vml\.o\) does not fit .*entries of 13 bytes" \
	"... naming the DWARF file and both sizes"

# --- module objects: the .ko's DWARF lacks struct alt_instr; --dwarf has it -------
AL12='void slow_exp(void);
int a1(int a) { ALTERNATIVE_CALL(slow_exp, printk, 5); return a + 1; }
int a2(int a) { ALTERNATIVE_CALL(slow_exp, printk, 6); return a + 2; }'
cdo_pair amod "$AL12" "${AL12/a + 2/a + 8}"
run amod $SV -n amod -s "$TMP/mod.o" --debug
is "$RC" 0 "module object, no struct alt_instr in its DWARF: exit 0 (size from the relocations)"
like "$ERR" "amod\.o: \.altinstructions: entry size 12 from the relocation layout" "--debug says where the size came from"
run amod $SV -n amod -s "$TMP/mod.o" --dwarf "$TMP/vml.o" --debug
is "$RC" 0 "module object with --dwarf (vmlinux): exit 0"
like "$ERR" "DWARF of .*vml\.o: struct alt_instr is 12 bytes" "the size comes from --dwarf"
is "$(entries .altinstructions 12)" 1 "a2's entry kept"

done_testing
