#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# templates/kpatch-macros.h: the sections each macro emits, and what
# create-diff-object does with them (callbacks, ignored functions and
# sections, forced refusals, KPATCH_PRINTK), with exit codes; malformed
# .kpatch.* sections exit 2 naming the file and section.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "${KEEP:-}" ] && trap - EXIT && echo "# $TMP"

# The private copy's layout: include/kpatch-macros.h, include/linux/klpgen-patch.h.
INC=$TMP/inc
mkdir -p "$INC/linux"
cp "$KLPGEN_SRC"/templates/kpatch-macros.h "$KLPGEN_SRC"/templates/kpatch-syscall.h "$INC/"
cp "$KLPGEN_SRC"/templates/klpgen-patch.h "$INC/linux/"
KINC="-I$INC -I$FIXTURES/kpatch/include"
printf '0x00000000\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"
H='#include "kpatch-macros.h"'

sections() { out_sections "$TMP/patched/$1.o"; }
err_lines() { grep -c . "$TMP/$1.err"; }

# --- what the header emits ----------------------------------------------------
B='noinline int add(int a) { return a + 1; }
noinline int mul(int a) { return a * 3; }'
ALL="$H
$B
static int pre(patch_object *obj) { (void)obj; return 0; }
static void post(patch_object *obj) { (void)obj; }
KPATCH_PRE_PATCH_CALLBACK(pre);
KPATCH_POST_PATCH_CALLBACK(post);
KPATCH_PRE_UNPATCH_CALLBACK(post)
KPATCH_POST_UNPATCH_CALLBACK(post);
KPATCH_IGNORE_FUNCTION(mul);
KPATCH_IGNORE_SECTION(\".text.unused\");
KPATCH_FORCE_UNSAFE(add)"
cdo_pair emit "$B" "$ALL" $KINC || bail "kpatch-macros.h does not compile"
secs=$(sections emit)
like "$secs" '^\.kpatch\.ignore\.functions$' "KPATCH_IGNORE_FUNCTION: .kpatch.ignore.functions"
like "$secs" '^\.kpatch\.ignore\.sections$' "KPATCH_IGNORE_SECTION: .kpatch.ignore.sections"
like "$secs" '^\.kpatch\.force$' "KPATCH_FORCE_UNSAFE: .kpatch.force"
unlike "$secs" '^\.kpatch\.callbacks' "callbacks make no .kpatch.callbacks section"
is "$("$ELFDUMP" -S "$TMP/patched/emit.o" | awk '$2 ~ /^\.kpatch\./ { print $2, $5 }' | sort | tr '\n' ' ')" \
	".kpatch.force size=8 .kpatch.ignore.functions size=8 .kpatch.ignore.sections size=8 " \
	"one pointer per annotation"
rel=$("$ELFDUMP" -r "$TMP/patched/emit.o")
like "$(awk '/for \.kpatch\.ignore\.functions/ {f=1; next} /^relocs/ {f=0} f' <<<"$rel")" \
	'R_X86_64_64 (mul|\.text\.mul)' "the ignore record points at mul"
like "$(awk '/for \.kpatch\.force/ {f=1; next} /^relocs/ {f=0} f' <<<"$rel")" \
	'R_X86_64_64 (add|\.text\.add)' "the force record points at add"
syms=$(out_symbols "$TMP/patched/emit.o")
for k in pre_patch_pre post_patch_post pre_unpatch_post post_unpatch_post; do
	like "$syms" "^__klpgen_cb_${k} GLOBAL FUNC" "callback alias __klpgen_cb_$k (klpgen's own mechanism)"
done
cdo_pair badcb "$B" "$H
$B
static void pre(patch_object *obj) { (void)obj; }
KPATCH_PRE_PATCH_CALLBACK(pre);" $KINC 2>"$TMP/badcb.cc"
is "$?" 1 "a pre-patch callback returning void does not compile"
like "$(cat "$TMP/badcb.cc")" "pre_patch callback pre must be int pre" "and the compiler says why"

# --- callbacks through create-diff-object -------------------------------------
cdo_run emit $SV
is "$RC" 0 "all annotations, nothing changed but callbacks: exit 0"
osecs=$(out_sections "$OUT")
unlike "$osecs" '^\.kpatch' "no .kpatch.* section is copied"
unlike "$osecs" 'unused' "nothing of the ignored section name either"
like "$(out_symbols "$OUT")" '^__klpgen_cb_pre_patch_pre GLOBAL FUNC \.text\.pre$' "callback alias in the diff object"
is "$(verdict emit mul)" ignored "ignored function: verdict ignored"
like "$(reason emit mul)" '^KPATCH_IGNORE_FUNCTION\(mul\): left out of the comparison, not patched$' \
	"an unchanged ignored function: the reason says so, no difference named"
ok_desc "callbacks output links" check_out "$OUT"

# kpatch's own record layout { fn, objname } in .kpatch.callbacks.<kind>
KP="$B
struct klp_object;
struct kp_cb { int (*fn)(struct klp_object *); char *objname; };
static int kp_pre(struct klp_object *o) { (void)o; return 0; }
static struct kp_cb kp_rec __attribute__((used, section(\".kpatch.callbacks.pre_patch\"))) = { kp_pre, 0 };"
cdo_pair kpcb "$B" "$KP"
cdo_run kpcb $SV
is "$RC" 0 "a kpatch-built .kpatch.callbacks.pre_patch record: exit 0"
like "$(out_symbols "$OUT")" '^__klpgen_cb_pre_patch_kp_pre GLOBAL FUNC \.text\.kp_pre$' \
	"becomes the same callback alias"
unlike "$(out_sections "$OUT")" '^\.kpatch' "and the record itself is not copied"
ok_desc "kpatch record output links" check_out "$OUT"

# --- KPATCH_IGNORE_FUNCTION ---------------------------------------------------
C='noinline int mul(int a) { return a * 3; }
noinline int add(int a) { return a + 1; }
int use(int a) { return add(a) + mul(a); }'
C2="$H
${C/a + 1/a + 2}"
C2=${C2/a \* 3/a * 5}
cdo_pair ign "$C" "$C2
KPATCH_IGNORE_FUNCTION(mul);" $KINC
cdo_run ign $SV
is "$RC" 0 "add and mul changed, mul ignored: exit 0"
is "$(verdict ign add)" changed "add changed"
is "$(verdict ign mul)" ignored "mul ignored"
like "$(reason ign mul)" 'KPATCH_IGNORE_FUNCTION\(mul\): left out of the comparison, not patched \(bytes differ' \
	"explain says why and that it differs"
like "$ERR" 'note: KPATCH_IGNORE_FUNCTION\(mul\): mul differs from the original .*; not patched' \
	"a one-line note names it"
is "$(out_sections "$OUT" | grep '^\.text' | tr '\n' ' ')" ".text.add " "only add is in the diff object"
unlike "$(out_symbols "$OUT")" '__klpgen_new\.vmlinux\.mul' "no klp_func for mul"
cdo_pair ign1 "$C" "$H
${C/a \* 3/a * 5}
KPATCH_IGNORE_FUNCTION(mul);" $KINC
cdo_run ign1 $SV
is "$RC" 3 "only the ignored function changed: exit 3"
like "$(cat "$JSON")" '"result": "no-change"' "explain: no-change"
C3="${C/a + 1/mul(a) + 1}"
cdo_pair ignref "$C" "$H
${C3/a \* 3/a * 5}
KPATCH_IGNORE_FUNCTION(mul);" $KINC
cdo_run ignref $SV
is "$RC" 0 "a changed caller of an ignored changed function: exit 0"
like "$(out_symbols "$OUT")" '^mul GLOBAL NOTYPE UND$|^\.klp\.sym\.vmlinux\.mul,0 ' \
	"it calls the running kernel's mul"
unlike "$(out_sections "$OUT")" '^\.text\.mul$' "mul is not copied"

# clones: the .cold part of an ignored function is ignored with it
CL='noinline int big(int x)
{
	if (unlikely(x > 1000)) {
		printk("big %d\n", x);
		printk("bigger %d\n", x * 2);
		return -1;
	}
	return x + 1;
}'
cdo_pair clone "$CL" "$H
${CL/bigger/BIGGER}
KPATCH_IGNORE_FUNCTION(big);" $KINC
if out_symbols "$TMP/patched/clone.o" | grep -q '^big\.cold '; then
	cdo_run clone $SV
	is "$RC" 3 "ignored function whose .cold part changed: exit 3"
	is "$(verdict clone big.cold)" ignored "big.cold ignored with big"
	like "$(reason clone big.cold)" 'clone of big, KPATCH_IGNORE_FUNCTION\(big\)' "reason names the parent"
else
	skip "gcc made no big.cold here"
	skip "gcc made no big.cold here"
	skip "gcc made no big.cold here"
fi

# --- KPATCH_IGNORE_SECTION ----------------------------------------------------
# kpatch's dummy syscall metadata: a pointer in __syscalls_metadata, NULL now
MD='struct meta { const char *name; };
static struct meta m = { "sys_x" };
static struct meta *__p_m __attribute__((used, section("__syscalls_metadata"))) = &m;
noinline int f(int a) { return a + 1; }'
MD2="${MD/= &m/= 0}"
cdo_pair md "$MD" "${MD2/a + 1/a + 2}"
cdo_run md $SV
is "$RC" 4 "a dummied __syscalls_metadata pointer without ignore: refused"
like "$ERR" 'initial data of __p_m \(section __syscalls_metadata\) changed' "reason names it"
cdo_pair mdi "$MD" "$H
${MD2/a + 1/a + 2}
KPATCH_IGNORE_SECTION(\"__syscalls_metadata\");" $KINC
cdo_run mdi $SV
is "$RC" 0 "with KPATCH_IGNORE_SECTION(\"__syscalls_metadata\"): exit 0"
unlike "$(out_sections "$OUT")" 'syscalls_metadata' "the section is not copied"
is "$(verdict mdi f)" changed "the real change is patched"
# a function's own section
cdo_pair igs "$C" "$H
${C/a \* 3/a * 5}
KPATCH_IGNORE_SECTION(\".text.mul\");" $KINC
cdo_run igs $SV
is "$RC" 3 "the only changed function's section ignored: exit 3"
like "$(reason igs mul)" 'KPATCH_IGNORE_SECTION\(\\"\.text\.mul\\"\)' "reason names the section"
# an unknown special section holding an entry of an included function
T='noinline int f(int a) { return a + 1; }
asm(".pushsection __my_table, \"aw\"\n.quad f\n.popsection");'
cdo_pair tab "$T" "${T/a + 1/a + 2}"
cdo_run tab $SV
is "$RC" 4 "an unknown section with an entry of a changed function: refused"
like "$ERR" 'unknown special section __my_table' "reason names it"
cdo_pair tabi "$T" "$H
${T/a + 1/a + 2}
KPATCH_IGNORE_SECTION(\"__my_table\");" $KINC
cdo_run tabi $SV
is "$RC" 0 "ignored: exit 0"
unlike "$(out_sections "$OUT")" '__my_table' "and not copied"
# special sections the tool splits cannot be ignored
cdo_pair igbug "$C" "$H
${C/a + 1/a + 2}
KPATCH_IGNORE_SECTION(\"__bug_table\");" $KINC
cdo_run igbug $SV
is "$RC" 0 "KPATCH_IGNORE_SECTION(\"__bug_table\"): still builds"
like "$ERR" 'warning: KPATCH_IGNORE_SECTION\("__bug_table"\) has no effect' "with a warning saying it does nothing"

# --- KPATCH_FORCE_UNSAFE ------------------------------------------------------
I='int f(int a) { return a + 1; }
static int __init setup(void) { return f(1); }
int (*initp)(void) = setup;'
I2="${I/f(1)/f(2)}"
cdo_pair init "$I" "$H
${I2/a + 1/a + 3}" $KINC
cdo_run init $SV
is "$RC" 4 "changed __init function: refused"
cdo_pair initf "$I" "$H
${I2/a + 1/a + 3}
KPATCH_FORCE_UNSAFE(setup);" $KINC
cdo_run initf $SV
is "$RC" 0 "KPATCH_FORCE_UNSAFE(setup): exit 0"
like "$ERR" 'warning: KPATCH_FORCE_UNSAFE\(setup\): not refused, on the patch author.s word: changed __init/__exit function setup' \
	"the refusal became a warning naming the function"
is "$(grep -c 'refused:' "$TMP/initf.err")" 0 "no refusal left"
like "$(_jfunc initf setup)" '"note": "KPATCH_FORCE_UNSAFE: not refused: changed __init' "explain notes it on the function"
like "$(cat "$JSON")" '"refusals": \[
  \]' "explain lists no refusal"
is "$(verdict initf f)" changed "the rest of the patch is built"
unlike "$(out_sections "$OUT")" 'init' "the __init code stays out"
cdo_pair inito "$I" "$H
${I2/a + 1/a + 3}
KPATCH_FORCE_UNSAFE(f);" $KINC
cdo_run inito $SV
is "$RC" 4 "forcing another function does not forgive setup's refusal"
# a new export of a new function
E='int f(int a) { return a + 1; }'
cdo_pair exp "$E" "$H
int helper(int a) { return a * 7; }
EXPORT_SYMBOL(helper);
int f(int a) { return helper(a) + 1; }" $KINC
cdo_run exp $SV
is "$RC" 4 "a new export: refused"
cdo_pair expf "$E" "$H
int helper(int a) { return a * 7; }
EXPORT_SYMBOL(helper);
KPATCH_FORCE_UNSAFE(helper);
int f(int a) { return helper(a) + 1; }" $KINC
cdo_run expf $SV
is "$RC" 0 "forced: exit 0"
like "$ERR" 'KPATCH_FORCE_UNSAFE\(helper\): not refused.*new export helper' "warning names the export"
unlike "$(out_sections "$OUT")" 'ksymtab' "the export stays out"
like "$(out_sections "$OUT")" '^\.text\.helper$' "the new function is in"
ok_desc "forced output links" check_out "$OUT"
# loader-order hazards cannot be forced: the module would not work
JL='DEFINE_STATIC_KEY_FALSE(local_key);
int jl_loc(int a) { if (static_branch_unlikely(&local_key)) return a + 2; return a; }'
cdo_pair jlf "$JL" "$H
${JL/a + 2/a + 4}
KPATCH_FORCE_UNSAFE(jl_loc);" $KINC
cdo_run jlf $SV -n jlmod
is "$RC" 4 "a jump label needing a late module klp relocation stays refused"
like "$ERR" 'refused: function jl_loc: __jump_table' "with its reason"

# --- KPATCH_PRINTK --------------------------------------------------------------
PR='void g(int);
int f(int x)
{
	PRINT("f %d\n", x);
	g(x);
	return x + 1;
}
static int helper(int x) { g(x); g(x + 1); return x * 3; }
int h(int x)
{
	if (x > 10) {
		PRINT("h %d\n", x);
		return helper(x);
	}
	return x;
}'
cdo_pair printk "#define PRINT printk
$PR" "$H
#define PRINT printk
$PR" $KINC
cdo_pair kprintk "#define PRINT printk
$PR" "$H
#define PRINT KPATCH_PRINTK
$PR" $KINC
secs=$(sections printk)
like "$secs" '^\.text\.unlikely\.f$' "with printk (__cold), all of f moves to .text.unlikely"
secs=$(sections kprintk)
like "$secs" '^\.text\.f$' "with KPATCH_PRINTK, f stays in .text.f"
like "$(out_symbols "$TMP/patched/kprintk.o")" '^f\.cold ' "and only the call is on the cold part"
calls() {	# OBJ FUNC-SECTION: calls to g there
	"$ELFDUMP" -r "$1" | awk -v s="$2" '$0 ~ "for " s "$" {f=1; next} /^relocs/ {f=0} f && / g[-+]/' | wc -l
}
is "$(calls "$TMP/patched/kprintk.o" '\\.text\\.h')" 2 "helper's calls stay in h's hot path with KPATCH_PRINTK"
is "$(calls "$TMP/patched/printk.o" '\\.text\\.h')" 0 "(with printk they move to the cold part)"
cdo_run kprintk $SV
is "$RC" 0 "KPATCH_PRINTK in place of a plain call: create-diff-object builds it"

# --- aliases at one address (KPATCH_SYSCALL_DEFINE0's stubs) -----------------------
# One __mcount_loc entry serves every name of the function: none of them is notrace.
AL='long body(void) { return 1; }
long stub_a(void) __attribute__((alias("body")));
long stub_b(void) __attribute__((alias("body")));'
cdo_pair alias "$AL" "${AL/return 1/return 2}" -pg -mrecord-mcount -mfentry
cdo_run alias $SV
is "$RC" 0 "three names of one changed traced function: exit 0"
is "$(verdict alias stub_a)$(verdict alias stub_b)$(verdict alias body)" changedchangedchanged \
	"all changed, none refused as notrace"

# --- malformed annotations: exit 2, naming the file and section -------------------
hostile() {	# NAME C REGEX DESC
	cdo_pair "$1" "$B" "$B
$2"
	cdo_run "$1" $SV
	is "$RC" 2 "$4: exit 2"
	like "$ERR" "$TMP/patched/$1.o: .*$3" "$4: message names the file and the problem"
	is "$(err_lines "$1")" 1 "$4: one line"
}
hostile short 'asm(".pushsection .kpatch.force,\"aw\"\n.long 0\n.popsection");' \
	'section \.kpatch\.force: size 4 is not a multiple of 8' "a 4-byte .kpatch.force"
hostile null 'static void *x __attribute__((used, section(".kpatch.force"))) = 0;' \
	'section \.kpatch\.force: entry 0 is not a pointer' "a NULL record"
hostile data 'static int v; static void *x __attribute__((used, section(".kpatch.ignore.functions"))) = &v;' \
	'section \.kpatch\.ignore\.functions: entry 0 does not point at a function' "a record pointing at data"
hostile extern 'static void *x __attribute__((used, section(".kpatch.ignore.functions"))) = (void *)printk;' \
	'entry 0 names printk, which this object does not define' "a record naming an undefined function"
hostile name 'static const char *x __attribute__((used, section(".kpatch.ignore.sections"))) = (const char *)add;' \
	'section \.kpatch\.ignore\.sections: entry 0 does not point at a section name' "a section name pointing at code"
hostile kind 'static void *x[2] __attribute__((used, section(".kpatch.callbacks.frob"))) = { (void *)add, 0 };' \
	"section \\.kpatch\\.callbacks\\.frob: unknown callback kind 'frob'" "an unknown callback kind"
hostile other 'static int x __attribute__((used, section(".kpatch.frob"))) = 1;' \
	'unknown kpatch section \.kpatch\.frob' "an unknown .kpatch section"

done_testing
