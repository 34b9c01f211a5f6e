#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: line numbers that only moved.  __LINE__ immediates
# in code (might_sleep, lockdep, fs error macros) are ignored when each
# equals the DWARF line of its instruction on both sides; a constant that
# really changed never is.  Dynamic-debug descriptors (__dyndbg, the older
# __verbose) that differ in their line are not changed data.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__might_sleep\tvmlinux\tEXPORT_SYMBOL\t\n0x0\tuse\tvmlinux\tEXPORT_SYMBOL\t\n0x0\t__dynamic_pr_debug\tvmlinux\tEXPORT_SYMBOL\t\n0x0\tuse7\tvmlinux\tEXPORT_SYMBOL\t\n' \
	> "$TMP/Module.symvers"
SV="-S $TMP/Module.symvers"

L='extern void __might_sleep(const char *file, int line);
extern void use(int v);
extern void use7(int a, int b, int c, int d, int e, int f, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
int f1(int a) { might_sleep(); return a + 1; }
int f2(int a)
{
	use(8);
	return a + 2;
}
int f3(int a) { use7(a, 2, 3, 4, 5, 6, __LINE__); return a; }
int f4(int a)
{
	might_sleep();
	might_sleep();
	return a * 4;
}'
# --- only moved: every __LINE__ immediate ignored ------------------------------
cdo_pair mv "$L" "/* one more line */
$L" -g
cdo_run mv $SV
is "$RC" 3 "lines moved, nothing else: exit 3"
is "$(verdict mv f1)" ignored-line-only "f1 (might_sleep: mov \$line, %esi) ignored-line-only"
like "$(reason mv f1)" '^only __LINE__ immediates differ \(1: \+0x[0-9a-f]+: 5 -> 6\)$' \
	"reason names the immediate and both lines"
is "$(verdict mv f2)" unchanged "f2 (a constant, not a line) unchanged"
is "$(verdict mv f3)" ignored-line-only "f3 (line as the 7th argument: movl \$line, (%rsp) or push) ignored-line-only"
is "$(verdict mv f4)" ignored-line-only "f4 (two might_sleep) ignored-line-only"
like "$(reason mv f4)" '\(2: .*14 -> 15, .*15 -> 16\)' "... both immediates named"

# without line tables nothing is ignored
cdo_pair mvnog "$L" "/* one more line */
$L"
cdo_run mvnog $SV
is "$(verdict mvnog f1)" changed "no DWARF line table: the moved line is a change"

# --- a real change next to moved lines --------------------------------------------
cdo_pair mvc "$L" "/* one more line */
${L/a + 1; \}/a + 9; \}}" -g
cdo_run mvc $SV
is "$RC" 0 "moved lines plus a real change: exit 0"
is "$(verdict mvc f1)" changed "f1 changed (a + 9)"
like "$(reason mvc f1)" "bytes differ" "... by its bytes, not hidden"
is "$(verdict mvc f4)" ignored-line-only "f4 still ignored-line-only"
like "$(out_sections "$OUT" | grep '^\.text' | tr '\n' ' ')" '^\.text\.f1 $' "only f1 included"

# --- constants that are not line numbers, or not the instruction's line ------------
# use(8) sits on line 8; after the shift it is line 9.  Changed to use(9)
# it would equal its line on both sides; changed to anything else it is a
# change, shifted or not.
cdo_pair cst "$L" "/* one more line */
${L/use(8)/use(12)}" -g
cdo_run cst $SV
is "$(verdict cst f2)" changed "constant 8 -> 12 with the lines moved by one: changed"
cdo_pair cst2 "$L" "${L/use(8)/use(9)}" -g
cdo_run cst2 $SV
is "$(verdict cst2 f2)" changed "constant 8 -> 9, lines not moved: changed"
cdo_pair cst3 "$L" "${L/__LINE__); return a; \}/__LINE__ + 1); return a; \}}" -g
cdo_run cst3 $SV
is "$(verdict cst3 f3)" changed "__LINE__ + 1 in place of __LINE__ (not the instruction's line): changed"

# --- dynamic-debug descriptors -------------------------------------------------------
D='int d1(int a) { VERBOSE_DESC("d1 %d\n"); return a + 1; }
int d2(int a) { VERBOSE_DESC("d2 %d\n"); return a + 2; }'
cdo_pair dd "$D" "
$D" -include other-kernels.h
cdo_run dd $SV
is "$RC" 3 "__verbose descriptors whose line moved: not changed data (exit 3)"
unlike "$ERR" "descriptor" "no refusal about the descriptors"
cdo_pair dd2 "$D" "
${D/a + 2/a + 5}" -include other-kernels.h
cdo_run dd2 $SV
is "$RC" 0 "a changed function using a __verbose descriptor: exit 0"
is "$(verdict dd2 d2)" changed "d2 changed"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.descriptor\.[0-9]+,0 GLOBAL OBJECT UND$' \
	"the original descriptor is referenced (its key is the one the control file switches)"
unlike "$(out_sections "$OUT")" '^__verbose$' "no descriptor copied"
DY='struct _ddebug6 { const char *modname, *function, *filename, *format;
	unsigned int lineno:18, class_id:6, flags:8; int key; } __attribute__((aligned(8)));
extern void __dynamic_pr_debug(struct _ddebug6 *d, const char *fmt, ...);
#define pr_debug(fmt) do { static struct _ddebug6 __attribute__((used, aligned(8), section("__dyndbg"))) __UNIQUE_ID_ddebug = { "m", __func__, __FILE__, fmt, __LINE__ }; __dynamic_pr_debug(&__UNIQUE_ID_ddebug, fmt); } while (0)
int e1(int a) { pr_debug("e1\n"); return a + 1; }'
cdo_pair dy "$DY" "
$DY"
cdo_run dy $SV
is "$RC" 3 "__dyndbg descriptors whose line moved: exit 3"

# --- strings that embed their user's __LINE__ (FORTIFY's memcpy field warning) ---
printf '0x0\twarn_field\tvmlinux\tEXPORT_SYMBOL\t\n' >> "$TMP/Module.symvers"
FS='#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
extern void warn_field(const char *what);
extern void __might_sleep(const char *file, int line);
#define field_warn(p) warn_field("field \"" #p "\" at " __FILE__ ":" __stringify(__LINE__))
int s1(int a) { field_warn(a); return a + 1; }
int s2(int a) { warn_field("at 7"); return a + 2; }
int s3(int a) { __might_sleep(__FILE__, __LINE__); field_warn(a); return a; }'
cdo_pair fs "$FS" "/* one more line */
$FS" -g
cdo_run fs $SV
is "$RC" 3 "strings with their user's line, lines moved: exit 3"
is "$(verdict fs s1)" ignored-line-only "s1 (\"field \\\"a\\\" at FILE:6\" -> :7) ignored-line-only"
is "$(reason fs s1)" "only strings with their user's __LINE__ differ (1)" "... and says so"
is "$(verdict fs s2)" unchanged "s2 (a constant string) unchanged"
is "$(verdict fs s3)" ignored-line-only "s3 (an immediate and a string) ignored-line-only"
like "$(reason fs s3)" '^only __LINE__ immediates differ \(1: .*8 -> 9\), and 1 string\(s\) with their user'"'"'s __LINE__$' \
	"... both named"
cdo_pair fs2 "$FS" "${FS/at 7/at 8}" -g
cdo_run fs2 $SV
is "$(verdict fs2 s2)" changed "a number in a string that is not its user's line (7 on line 7 -> 8, lines not moved): changed"
cdo_pair fs3 "$FS" "/* one more line */
${FS/at 7/at 9}" -g
cdo_run fs3 $SV
is "$(verdict fs3 s2)" changed "... nor with the lines moved by one (7 -> 9, its line 7 -> 8): changed"

done_testing
