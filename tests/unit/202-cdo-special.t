#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: special sections split per function, line-only WARN
# changes, switch jump tables, loader-order hazards (module keys only).
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x0\texported_key\tvmlinux\tEXPORT_SYMBOL_GPL\t\n0x0\t__SCK__exp_call\tvmlinux\tEXPORT_SYMBOL_GPL\t\n' \
	> "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"
entries() {	# SECTION: number of entries in OUT (size / entsize)
	"$ELFDUMP" -S "$OUT" | awk -v s="$1" -v e="$2" \
		'$1 == "section" && $2 == s { sub("size=", "", $5); print $5 / e }'
}

# --- WARN: line-only change is ignored, real change carries its entries ------
W='int w1(int a) { WARN_ON(a > 5); return a + 1; }
int w2(int a) { WARN_ON(a < 0); return a * 2; }
int w3(int a) { WARN_ON(a == 7); return a - 3; }'
W2='int w1(int a) { WARN_ON(a > 5); return a + 1; }


int w2(int a) { WARN_ON(a < 0); return a * 4; }
int w3(int a) { WARN_ON(a == 7); return a - 3; }'
cdo_pair warn "$W" "$W2"
cdo_run warn $SV
is "$RC" 0 "WARN pair: exit 0"
is "$(verdict warn w1)" unchanged "w1 before the change: unchanged"
is "$(verdict warn w2)" changed "w2 changed"
is "$(verdict warn w3)" ignored-line-only "w3 only moved: ignored-line-only"
is "$(entries __bug_table 12)" 1 "one __bug_table entry (w2's) in OUT"
unlike "$ERR" "DWARF" "no DWARF in ORIG.o, but --entsize gives the size: no DWARF message"
ok_desc "WARN output links" check_out "$OUT"
like "$("$ELFDUMP" -r "$OUT" | awk '/for __bug_table/ {f=1; next} /^relocs/ {f=0} f')" \
	"R_X86_64_PC32 \.text\.w2" "bug entry points at the new w2"

cdo_pair warnonly "$W" "
$W"
cdo_run warnonly $SV
is "$RC" 3 "only line numbers moved: exit 3"
is "$(verdict warnonly w1)" ignored-line-only "w1 ignored-line-only"

# --- entry size from the relocation layout; a given size is checked ---------------
cdo_pair warnsz "$W" "$W2"
"$CDO" --explain "$TMP/sz.json" "$TMP/orig/warnsz.o" "$TMP/patched/warnsz.o" "$TMP/x.o" 2> "$TMP/err"
is "$?" 0 "no sh_entsize, DWARF or --entsize: the size comes from the relocations"
like "$(cat "$TMP/sz.json")" '"section": "__bug_table", "entsize": 12, "entries": 3, "included": 1' \
	"__bug_table: 3 entries of 12 bytes"
"$CDO" --entsize __bug_table=16 "$TMP/orig/warnsz.o" "$TMP/patched/warnsz.o" "$TMP/x.o" 2> "$TMP/err"
is "$?" 2 "--entsize that does not fit the relocations: exit 2"
like "$(cat "$TMP/err")" "warnsz\.o: __bug_table: entry size 16 \(--entsize\) does not fit its relocations .*entries of 12 bytes" \
	"message names file, section and both sizes"
is "$(grep -c . "$TMP/err")" 1 "one message line"
# no relocations to go by and no DWARF: the size is unknown
NR='int nr(int a) { asm volatile(".pushsection __bug_table,\"aw\"\n.long 0, 0, 0\n.popsection"); return a + 1; }'
cdo_pair norel "$NR" "${NR/a + 1/a + 2}"
"$CDO" "$TMP/orig/norel.o" "$TMP/patched/norel.o" "$TMP/x.o" 2> "$TMP/err"
is "$?" 2 "entries without relocations and no DWARF: exit 2"
like "$(cat "$TMP/err")" "norel\.o: entry size of __bug_table unknown: .*no DWARF 'struct bug_entry' in .*norel\.o \(.*no DWARF debug info.*\), and it has no relocations; pass --entsize __bug_table=N" \
	"message names file, section, why DWARF and the layout did not help"

# --- entry size from DWARF of --symbols -------------------------------------------
DW='struct bug_entry { int a; int f; unsigned short line, flags; };
struct bug_entry dwarf_anchor;'
cdo_pair warndw "$W
$DW" "$W2
$DW" -g
"$CDO" -s "$TMP/orig/warndw.o" --explain "$TMP/dw.json" "$TMP/orig/warndw.o" "$TMP/patched/warndw.o" "$TMP/dw.o" 2> "$TMP/err"
is "$?" 0 "bug_entry size found in DWARF"
like "$(cat "$TMP/dw.json")" '"section": "__bug_table", "entsize": 12' "DWARF says 12"

# --- switch jump table -------------------------------------------------------------
SW='int sw(int a, int b)
{
	switch (a) {
	case 0: return b + 11;
	case 1: return b * 13;
	case 2: return b - 17;
	case 3: return b ^ 19;
	case 4: return b / 23;
	case 5: return b << 3;
	case 6: return b % 29;
	default: return 0;
	}
}'
cdo_pair sw "$SW" "${SW/b \* 13/b * 14}"
cdo_run sw $SV
is "$RC" 0 "switch: exit 0"
is "$(verdict sw sw)" changed "sw changed"
like "$(out_sections "$OUT")" "^\.rodata\.sw$" "jump table .rodata.sw copied"
like "$("$ELFDUMP" -r "$OUT")" "for \.rodata\.sw" "jump table keeps its relocations"
ok_desc "switch output links" check_out "$OUT"

# --- jump labels ---------------------------------------------------------------------
JL='extern struct static_key_false exported_key;
DEFINE_STATIC_KEY_FALSE(local_key);
int jl_exp(int a) { if (static_branch_unlikely(&exported_key)) return a + 1; return a; }
int jl_loc(int a) { if (static_branch_unlikely(&local_key)) return a + 2; return a; }
int jl_other(int a) { return a * 5; }'
cdo_pair jl "$JL" "${JL/a + 1/a + 3}"
cdo_run jl $SV
is "$RC" 0 "jump label on an exported key: exit 0"
is "$(entries __jump_table 16)" 1 "one __jump_table entry"
like "$(out_symbols "$OUT")" "^exported_key GLOBAL NOTYPE UND$" "exported key stays plain"
ok_desc "jump label output links" check_out "$OUT" exported_key

# A vmlinux klp relocation is applied by the module loader before it
# registers jump labels (Linux 5.8+): fine.  One against a module's symbol
# is applied only when that module loads: too late, refused.
cdo_pair jl2 "$JL" "${JL/a + 2/a + 4}"
cdo_run jl2 $SV
is "$RC" 0 "jump label on a non-exported vmlinux key: exit 0"
is "$(entries __jump_table 16)" 1 "its __jump_table entry is kept"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.local_key,0 GLOBAL [A-Z]+ UND$' \
	"the key is a vmlinux klp symbol"
like "$("$ELFDUMP" -r "$OUT" | awk '/for __jump_table/ {f=1; next} /^relocs/ {f=0} f')" \
	'\.klp\.sym\.vmlinux\.local_key,0' "the entry's key relocation targets it"
ok_desc "vmlinux key output links" check_out "$OUT" exported_key
cdo_run jl2 $SV -n jlmod
is "$RC" 4 "jump label on a key of the patched module: refused"
like "$ERR" "jl_loc.*__jump_table.*local_key.*module jlmod.*only when jlmod loads" \
	"refusal names function, section, key and why"
like "$(cat "$JSON")" '"refusals": \[' "explain lists the refusal"

NK='DEFINE_STATIC_KEY_FALSE(local_key);
int jl_loc(int a) { return a; }'
NK2='DEFINE_STATIC_KEY_FALSE(local_key);
DEFINE_STATIC_KEY_FALSE(new_key);
int jl_loc(int a) { if (static_branch_unlikely(&new_key)) return a + 2; return a; }'
cdo_pair jl3 "$NK" "$NK2"
cdo_run jl3 $SV
is "$RC" 0 "jump label on a key defined in the diff object: exit 0"
like "$(out_symbols "$OUT")" "^new_key GLOBAL OBJECT " "new key included"

# --- exception table ----------------------------------------------------------------
EX='int ex1(int *u) { int v; if (get_user_int(&v, u)) return -14; return v + 1; }
int ex2(int *u) { int v; if (get_user_int(&v, u)) return -14; return v + 2; }'
cdo_pair ex "$EX" "${EX/v + 2/v + 5}"
cdo_run ex $SV
is "$RC" 0 "exception table: exit 0"
is "$(verdict ex ex2)" changed "ex2 changed"
is "$(verdict ex ex1)" unchanged "ex1 unchanged"
is "$(entries __ex_table 12)" 1 "one __ex_table entry (ex2's)"
ok_desc "ex_table output links" check_out "$OUT"

# --- alternatives ---------------------------------------------------------------------
AL='void fast_exp(void); void slow_exp(void);
static noinline void fast_loc(void) { asm volatile(""); }
int al1(int a) { ALTERNATIVE_CALL(slow_exp, printk, 5); return a + 1; }
int al2(int a) { ALTERNATIVE_CALL(slow_exp, fast_loc, 6); return a + 2; }
int al3(int a) { fast_loc(); return a; }'
printf '0x0\tslow_exp\tvmlinux\tEXPORT_SYMBOL\t\n' >> "$TMP/Module.symvers"
cdo_pair alt "$AL" "${AL/a + 1/a + 7}"
cdo_run alt $SV
is "$RC" 0 "alternative with an exported replacement target: exit 0"
is "$(entries .altinstructions 12)" 1 "one .altinstructions entry"
like "$(out_sections "$OUT")" "^\.altinstr_replacement$" "its replacement is copied"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".altinstr_replacement" {print $5}')" "size=5" \
	"only al1's 5-byte replacement"
ok_desc "alternatives output links" check_out "$OUT" printk slow_exp
cdo_pair alt2 "$AL" "${AL/a + 2/a + 8}"
cdo_run alt2 $SV
is "$RC" 0 "replacement calling a static vmlinux function: exit 0"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.fast_loc,[0-9]+ GLOBAL [A-Z]+ UND$' \
	"the replacement's target is a vmlinux klp symbol"
cdo_run alt2 $SV -n almod
is "$RC" 4 "replacement calling a static function of the patched module: refused"
like "$ERR" "al2.*\.altinstructions.*fast_loc.*module almod" "refusal names function, section and symbol"

# --- static calls -------------------------------------------------------------------------
SC='int sc1(int a) { STATIC_CALL_SITE(exp_call); return a + 1; }
int sc2(int a) { STATIC_CALL_SITE(loc_call); return a + 2; }'
cdo_pair sc "$SC" "${SC/a + 1/a + 3}"
cdo_run sc $SV
is "$RC" 0 "static call with an exported key: exit 0"
is "$(entries .static_call_sites 8)" 1 "one .static_call_sites entry"
cdo_pair sc2 "$SC" "${SC/a + 2/a + 3}"
cdo_run sc2 $SV
is "$RC" 0 "static call with a non-exported vmlinux key: exit 0"
is "$(entries .static_call_sites 8)" 1 "its .static_call_sites entry is kept"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.__SCK__loc_call,0 GLOBAL [A-Z]+ UND$' \
	"the key is a vmlinux klp symbol"
# the module (its --symbols file) defines the key
printf 'int sc1(int a) { return a; }\nint sc2(int a) { return a; }\nint __SCK__loc_call;\n' > "$TMP/scmod.c"
kcc "$TMP/scmod.o" "$TMP/scmod.c"
cdo_run sc2 $SV -n scmod -s "$TMP/scmod.o"
is "$RC" 4 "static call with a key of the patched module: refused"
like "$ERR" "sc2.*\.static_call_sites.*__SCK__loc_call.*module scmod" "refusal names the key"

# --- ftrace: __mcount_loc follows the function; notrace cannot be patched ----------
FT='int traced(int a) { return a + 1; }
__attribute__((no_instrument_function)) int untraced(int a) { return a + 2; }
int other(int a) { return a + 3; }'
cdo_pair ft "$FT" "${FT/a + 1/a + 4}" -pg -mfentry -mrecord-mcount
printf '0x0\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n' >> "$TMP/Module.symvers"
cdo_run ft $SV
is "$RC" 0 "traced function: exit 0"
is "$(entries __mcount_loc 8)" 1 "one __mcount_loc entry"
ok_desc "mcount output links" check_out "$OUT" __fentry__
cdo_pair ft2 "$FT" "${FT/a + 2/a + 5}" -pg -mfentry -mrecord-mcount
cdo_run ft2 $SV
is "$RC" 4 "changed notrace function: refused"
like "$ERR" "untraced.*no ftrace site at its start" "refusal says why"

# --- a patch that makes a traced function notrace, or moves it into a ---------
# section the kernel reads by address range (6.1.192's __cpuidle on
# acpi_idle_lpi_enter): a livepatch cannot give either.
cdo_pair ft3 "$FT" "${FT/int traced(int a)/__attribute__((no_instrument_function)) int traced(int a)}" -pg -mfentry -mrecord-mcount
cdo_run ft3 $SV
is "$RC" 4 "function made notrace by the patch: refused"
like "$ERR" "traced.*no ftrace site in the patched version" "refusal says why"
FT4=${FT/a + 1/a + 4}
cdo_pair ft4 "$FT" "${FT4/int traced(int a)/__attribute__((section(\".cpuidle.text\"))) int traced(int a)}" -pg -mfentry -mrecord-mcount
cdo_run ft4 $SV
is "$RC" 4 "function moved into .cpuidle.text: refused"
like "$ERR" "traced moves from section \.text to \.cpuidle\.text" "refusal names both sections"
cdo_pair ft5 "$FT" "${FT4/int traced(int a)/__attribute__((section(\".ref.text\"))) int traced(int a)}" -pg -mfentry -mrecord-mcount
cdo_run ft5 $SV
is "$RC" 0 "function moved into .ref.text (no address-range meaning): exit 0"

# --- the same with IBT (6.12: X86_KERNEL_IBT): endbr64 at +0, __fentry__ at +4 --------
cdo_pair ibt "$FT" "${FT/a + 1/a + 4}" -pg -mfentry -mrecord-mcount -fcf-protection=branch
cdo_run ibt $SV
is "$RC" 0 "IBT: traced function: exit 0"
is "$(verdict ibt traced)" changed "IBT: traced changed"
is "$(verdict ibt other)" unchanged "IBT: other unchanged (endbr64 is not a change)"
is "$(entries __mcount_loc 8)" 1 "IBT: one __mcount_loc entry"
like "$("$ELFDUMP" -r "$OUT" | awk '/for __mcount_loc/ {f=1; next} /^relocs/ {f=0} f')" \
	"R_X86_64_64 \.text\.traced\+0x4$" "IBT: it points at the fentry call, after endbr64"
like "$("$ELFDUMP" -r "$OUT" | awk '/for \.text\.traced/ {f=1; next} /^relocs/ {f=0} f')" \
	"^  0x5 R_X86_64_PLT32 __fentry__-0x4$" "IBT: the call's relocation stays at +5"
ok_desc "IBT output links" check_out "$OUT" __fentry__
cdo_pair ibt2 "$FT" "${FT/a + 2/a + 5}" -pg -mfentry -mrecord-mcount -fcf-protection=branch
cdo_run ibt2 $SV
is "$RC" 4 "IBT: changed notrace function: refused"
like "$ERR" "untraced.*no ftrace site at its start" "IBT: refusal says why"

# --- .parainstructions (pointer field) and .smp_locks (s32) --------------------------
PV='#define PVOP(t) asm volatile("771: nop; nop\n.pushsection .parainstructions,\"a\"\n.balign 8\n.quad 771b\n.byte " #t "\n.byte 2\n.balign 8\n.popsection")
#define LOCKED_INC(p) asm volatile(".pushsection .smp_locks,\"a\"\n.balign 4\n.long 671f - .\n.popsection\n671:\n\tlock; incl %0" : "+m"(*(p)))
int pv1(int *p) { PVOP(3); LOCKED_INC(p); return 1; }
int pv2(int *p) { PVOP(4); LOCKED_INC(p); return 2; }'
cdo_pair pv "$PV" "${PV/return 2;/return 5;}"
cdo_run pv $SV --entsize .parainstructions=16
is "$RC" 0 ".parainstructions/.smp_locks: exit 0"
is "$(entries .parainstructions 16)" 1 "one .parainstructions entry"
is "$(entries .smp_locks 4)" 1 "one .smp_locks entry"
like "$("$ELFDUMP" -r "$OUT" | awk '/for \.parainstructions/ {f=1; next} /^relocs/ {f=0} f')" \
	"R_X86_64_64 \.text\.pv2" "paravirt entry points at pv2"
ok_desc "paravirt output links" check_out "$OUT"
cdo_pair pv3 "$PV" "${PV/PVOP(4)/PVOP(6)}"
cdo_run pv3 $SV --entsize .parainstructions=16
is "$(verdict pv3 pv2)" changed "a changed entry alone changes its function"
like "$(reason pv3 pv2)" "\.parainstructions entry 0 differs" "reason names the entry"

# --- __patchable_function_entries (one SHF_LINK_ORDER section per function) ------
PF='int pf1(int a) { return a + 1; }
int pf2(int a) { return a + 2; }'
cdo_pair pfe "$PF" "${PF/a + 2/a + 9}" -fpatchable-function-entry=5
cdo_run pfe $SV
is "$RC" 0 "__patchable_function_entries: exit 0"
is "$(out_sections "$OUT" | grep -c '^__patchable_function_entries$')" 1 "one entry section (pf2's)"
like "$("$ELFDUMP" -S "$OUT" | awk '$2 == "__patchable_function_entries"')" "link=\.text\.pf2" \
	"SHF_LINK_ORDER section linked to the kept function"
ok_desc "patchable entries output links" check_out "$OUT"

# --- functions sharing one text section (__sched) ------------------------------------
ST='#define __sched __attribute__((section(".sched.text")))
static noinline __sched int helper(int a) { return a * 7; }
noinline __sched int sa(int a) { return helper(a) + 1; }
noinline __sched int sb(int a) { return a - 2; }
noinline __sched int sc(int a) { return a ^ 3; }'
cdo_pair st "$ST" "${ST/a - 2/a - 5}"
cdo_run st $SV
is "$RC" 0 "changed function in a shared text section: exit 0"
like "$(cat "$JSON")" '"\.sched\.text\(sb\)"' "sb copied alone out of .sched.text"
syms=$(out_symbols "$OUT")
unlike "$syms" '^(sa|sc|helper) ' "its neighbours are not copied"
like "$syms" '^__klpgen_new\.vmlinux\.sb\.0 GLOBAL FUNC \.sched\.text$' "alias at the copy"
ok_desc "split-out function links" check_out "$OUT"
cdo_pair st2 "$ST" "${ST/helper(a) + 1/helper(a) + 4}"
cdo_run st2 $SV
is "$RC" 0 "function calling a static neighbour without a relocation: exit 0"
like "$(out_sections "$OUT")" '^\.sched\.text$' ".sched.text copied whole"
like "$(cat "$JSON")" '"name": "helper", [^}]*"note": "copied: shares section' "explain says why helper is there"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".sched.text" { print $5 }')" \
	"$("$ELFDUMP" -S "$TMP/patched/st2.o" | awk '$2 == ".sched.text" { print $5 }')" "the whole section"

# --- unknown special section -----------------------------------------------------------
UN='int un(int a) { asm volatile("1: nop\n.pushsection .my_sites,\"a\"\n.long 1b - .\n.popsection"); return a; }'
cdo_pair unk "$UN" "${UN/return a;/return a + 1;}"
cdo_run unk $SV
is "$RC" 4 "unknown special section with an entry of an included function: refused"
like "$ERR" "unknown special section \.my_sites.*un" "error names the section"

done_testing
