#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: basic changes and what the diff object holds.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir

printf '0x00000000\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"

# --- one-line change -------------------------------------------------------
BASE='int counter;
static int hits;
noinline int add(int a) { hits++; return a + 1; }
noinline int mul(int a) { return a * 3; }
int use(int a) { printk("use %d\n", a); return add(a) + mul(a) + counter; }'
cdo_pair oneline "$BASE" "${BASE/a + 1;/a + 2;}"
cdo_run oneline $SV
is "$RC" 0 "one-line change: exit 0"
is "$(verdict oneline add)" changed "add is changed"
like "$(reason oneline add)" "bytes differ at \+0x" "reason names the byte offset"
is "$(verdict oneline mul)" unchanged "mul is unchanged"
is "$(verdict oneline use)" unchanged "use is unchanged (calls are symbolic)"
is "$(out_sections "$OUT" | grep '^\.text' | tr '\n' ' ')" ".text.add " "only .text.add is included"
syms=$(out_symbols "$OUT")
like "$syms" "^__klpgen_new\.vmlinux\.add\.0 GLOBAL FUNC \.text\.add$" "__klpgen_new alias of add"
like "$syms" "^\.klp\.sym\.vmlinux\.hits,0 GLOBAL OBJECT UND$" "static hits becomes a klp symbol"
unlike "$syms" "^(mul|use|counter) " "unchanged code/data not copied"
ok_desc "output links with ld -r, relocs resolve" check_out "$OUT"
is "$(out_sections "$OUT" | grep -c debug)" 0 "no debug sections"
like "$(out_sections "$OUT")" "\.note\.GNU-stack" "keeps .note.GNU-stack"

# --- nothing changed: exit 3, no output -------------------------------------
cdo_pair same "$BASE" "$BASE"
cdo_run same $SV
is "$RC" 3 "identical objects: exit 3"
ok_desc "no output written" test ! -e "$OUT"
like "$(cat "$JSON")" '"result": "no-change"' "explain says no-change"

# --- new function + new global, exported and unexported callees --------------
PATCHED='int counter;
static int hits;
int newglobal = 5;
extern char *saved_command_line;
noinline int helper(int a) { return a ^ newglobal ^ saved_command_line[0]; }
noinline int add(int a) { hits++; return helper(a) + 1; }
noinline int mul(int a) { return a * 3; }
int use(int a) { printk("use %d\n", a); return add(a) + mul(a) + counter; }'
cdo_pair newfn "$BASE" "$PATCHED"
cdo_run newfn $SV
is "$RC" 0 "new function: exit 0"
is "$(verdict newfn helper)" new "helper is new"
is "$(verdict newfn add)" changed "add is changed"
secs=$(out_sections "$OUT")
like "$secs" "^\.text\.helper$" "helper included"
like "$secs" "^\.data\.newglobal$" "new global included"
syms=$(out_symbols "$OUT")
unlike "$syms" "__klpgen_new\.vmlinux\.helper" "no alias for a new function"
like "$syms" "^\.klp\.sym\.vmlinux\.saved_command_line,0 GLOBAL NOTYPE UND$" \
	"unexported undefined symbol becomes .klp.sym.vmlinux.X,0"
like "$syms" "^newglobal GLOBAL OBJECT \.data\.newglobal$" "newglobal defined"
ok_desc "new function output links" check_out "$OUT"

# --- exported symbols stay plain; unknown ones refused against a vmlinux ---
P2="${BASE/hits++;/hits++; printk(\"x\");}"
cdo_pair plain "$BASE" "$P2"
cdo_run plain $SV
is "$RC" 0 "printk call added: exit 0"
like "$(out_symbols "$OUT")" "^printk GLOBAL NOTYPE UND$" "exported printk stays plain"
ok_desc "plain reference allowed" check_out "$OUT" printk

# --- string literal change ----------------------------------------------------
cdo_pair str "$BASE" "${BASE/use %d/USE %d}"
cdo_run str $SV
is "$RC" 0 "string change: exit 0"
is "$(verdict str use)" changed "use changed by its string"
like "$(reason str use)" 'now targets .*USE' "reason shows the new string"
is "$(verdict str add)" unchanged "add unchanged"
like "$(out_sections "$OUT")" "^\.rodata\..*str1\.1$" "string section copied"
ok_desc "string output links" check_out "$OUT" printk

# --- an added string elsewhere shifts offsets but changes nothing else -------
S1='int f1(void) { printk("aaaa\n"); return 1; }
int f2(void) { printk("bbbb\n"); return 2; }'
S2='int f0(void) { printk("zzzzzzzz\n"); return 0; }
int f1(void) { printk("aaaa\n"); return 1; }
int f2(void) { printk("bbbb\n"); return 2; }'
cdo_pair shift "$S1" "$S2"
cdo_run shift $SV
is "$(verdict shift f1)" unchanged "string offsets moved: f1 unchanged"
is "$(verdict shift f2)" unchanged "string offsets moved: f2 unchanged"
is "$(verdict shift f0)" new "f0 new"

# --- inline-only change alters the caller --------------------------------------
I1='static inline int sq(int x) { return x * x; }
int caller(int a) { return sq(a) + 1; }
int other(int a) { return a - 1; }'
cdo_pair inl "$I1" "${I1/x \* x/x * x + x}"
cdo_run inl $SV
is "$(verdict inl caller)" changed "caller of a changed inline is changed"
is "$(verdict inl other)" unchanged "other unchanged"

# --- per-CPU variables: existing ones referenced, a new one split out ----------
PC='#define DEFINE_PER_CPU(t, n) __attribute__((section(".data..percpu"))) t n
DEFINE_PER_CPU(int, pc_old);
DEFINE_PER_CPU(long, pc_other) = 7;
int pcuse(void) { int v; asm("movl %%gs:%1, %0" : "=r"(v) : "m"(pc_old)); return v; }'
PC2="${PC/DEFINE_PER_CPU(long, pc_other) = 7;/DEFINE_PER_CPU(long, pc_other) = 7;
DEFINE_PER_CPU(long, pc_new) = 9;}"
PC2="${PC2/return v; \}/return v + (int)pc_new; \}}"
cdo_pair percpu "$PC" "$PC2"
cdo_run percpu $SV
is "$RC" 0 "new per-CPU variable: exit 0"
like "$(out_symbols "$OUT")" "^\.klp\.sym\.vmlinux\.pc_old,0 GLOBAL OBJECT UND$" "existing per-CPU variable referenced"
like "$(out_symbols "$OUT")" "^pc_new GLOBAL OBJECT \.data\.\.percpu$" "new per-CPU variable copied"
ok_desc "explain lists the split-out object" grep -q '"\.data\.\.percpu(pc_new)"' "$JSON"
is "$("$ELFDUMP" -S "$OUT" | awk '$2 == ".data..percpu" { print $5 }')" "size=8" \
	"only the new variable is in OUT's .data..percpu"
ok_desc "per-CPU output links" check_out "$OUT"

# --- RIP-relative operands followed by an immediate, in shared sections ---------
SH='static _Bool __attribute__((section(".data..once"))) done1;
static _Bool __attribute__((section(".data..once"))) done2;
extern void warn(int);
int w1(int a) { if (!done1) { done1 = 1; warn(1); } return a; }
int w2(int a) { if (!done2) { done2 = 1; warn(2); } return a + 1; }
static int counter __attribute__((section(".data..shared")));
static int other __attribute__((section(".data..shared")));
int c1(void) { other = 3; return 0; }
int c2(void) { counter += 1000; return other; }'
SH2="${SH/a + 1;/a + 2;}"
SH2="${SH2/counter += 1000/counter += 1001}"
cdo_pair shared "$SH" "$SH2"
cdo_run shared
is "$RC" 0 "shared sections with cmpb/addl immediates: exit 0"
rel=$("$ELFDUMP" -r "$OUT")
like "$rel" "R_X86_64_PC32 \.klp\.sym\.vmlinux\.done2,0-0x5" "cmpb \$0, done2(%rip): done2 (imm8 after disp)"
unlike "$rel" "done1" "never confused with its neighbour done1"
like "$rel" "R_X86_64_PC32 \.klp\.sym\.vmlinux\.counter,0-0x8" "addl \$1000, counter(%rip): counter (imm32)"
like "$rel" "R_X86_64_PC32 \.klp\.sym\.vmlinux\.other,0-0x4" "plain load: other"

# --- explain lists references; diff objects of two objects merge with ld -r ----
ok_desc "explain lists the klp references" \
	grep -q '{"name": ".klp.sym.vmlinux.hits,0", "kind": "klp"}' "$TMP/oneline.json"
M='extern int counter;
int NAME(int a) { return a + counter; }'
cdo_pair m1 "${M/NAME/m1}" "${M/NAME(int a) { return a/m1(int a) { return a * 2}"
cdo_pair m2 "${M/NAME/m2}" "${M/NAME(int a) { return a/m2(int a) { return a * 3}"
cdo_run m1 $SV && cp "$OUT" "$TMP/m1.diff.o"
cdo_run m2 $SV && cp "$OUT" "$TMP/m2.diff.o"
ok_desc "two diff objects merge with ld -r" ld -r -o "$TMP/merged.o" "$TMP/m1.diff.o" "$TMP/m2.diff.o"
is "$(out_symbols "$TMP/merged.o" | grep -c '^\.klp\.sym\.vmlinux\.counter,0 ')" 1 \
	"equal klp references merge into one symbol"

done_testing
