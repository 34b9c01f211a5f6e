#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: gcc clones (.cold, .constprop, .isra) and renumbered
# static locals.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

# --- .cold split: change only the cold path ----------------------------------
COLD='extern void slowpath(int) __cold;
extern int compute(int);
int arr[100];
int coldy(int a, int b)
{
	int r = compute(a);
	if (r < 0) {
		slowpath(r);
		printk("error %d %d\n", a, b);
		r = compute(b) + compute(a + b);
		arr[b] = r;
		return r * 17;
	}
	r += compute(r);
	return arr[r] * 3;
}'
cdo_pair cold "$COLD" "${COLD/r \* 17/r * 19}"
nm "$TMP/orig/cold.o" | grep -q 'coldy\.cold' || bail "gcc made no .cold clone"
cdo_run cold
is "$RC" 0 "cold change: exit 0"
is "$(verdict cold coldy.cold)" changed "coldy.cold changed"
is "$(verdict cold coldy)" changed "parent of a changed .cold is changed"
like "$(reason cold coldy)" "coldy\.cold" "parent's reason names the clone"
secs=$(out_sections "$OUT")
like "$secs" "^\.text\.coldy$" "coldy included"
like "$secs" "^\.text\.unlikely\.coldy$" "coldy.cold included"
syms=$(out_symbols "$OUT")
like "$syms" "^__klpgen_new\.vmlinux\.coldy\.0 " "alias of coldy"
unlike "$syms" "__klpgen_new\.vmlinux\.coldy\.cold" "no alias for the .cold part (no fentry)"
ok_desc "cold output links" check_out "$OUT" printk compute slowpath

# --- change in the hot part: the .cold comes along -------------------------------
cdo_pair hot "$COLD" "${COLD/arr\[r\] \* 3/arr[r] * 5}"
cdo_run hot
is "$(verdict hot coldy)" changed "hot part changed"
like "$(verdict hot coldy.cold)" "^(changed|clone-of-changed)$" ".cold comes with its parent"
like "$(out_sections "$OUT")" "^\.text\.unlikely\.coldy$" ".cold section included"

# --- constprop clone ----------------------------------------------------------
CP='int g;
static noinline int cp(int a, int mode)
{
	if (mode == 3)
		return a * 7 + g;
	return a - g;
}
int cpuser(int a) { return cp(a, 3) + cp(a + 1, 3); }'
cdo_pair cp "$CP" "${CP/a \* 7/a * 9}"
nm "$TMP/orig/cp.o" | grep -q 'cp\.constprop\.0' || bail "gcc made no constprop clone"
cdo_run cp
is "$RC" 0 "constprop change: exit 0"
is "$(verdict cp cp.constprop.0)" changed "cp.constprop.0 changed"
is "$(verdict cp cpuser)" unchanged "its caller is unchanged"
like "$(out_symbols "$OUT")" "^__klpgen_new\.vmlinux\.cp\.constprop\.0\.0 GLOBAL FUNC" \
	"alias carries the clone name"

# --- isra clone --------------------------------------------------------------
IS='struct big { int a, b, c, d, e, f; };
static noinline int isr(struct big *b) { return b->a * 5 + b->c; }
int isruser(struct big *b) { return isr(b) + isr(b + 1); }'
cdo_pair isra "$IS" "${IS/b->a \* 5/b->a * 6}"
nm "$TMP/orig/isra.o" | grep -q 'isr\.isra\.0' || bail "gcc made no isra clone"
cdo_run isra
is "$(verdict isra isr.isra.0)" changed "isr.isra.0 changed"
is "$(verdict isra isruser)" unchanged "isra caller unchanged"

# --- renumbered clones: a new constprop before the old one ---------------------
RN2='int g;
static noinline int zz(int a, int mode) { return mode == 2 ? a * 3 + g : a; }
int zzuser(int a) { return zz(a, 2); }
static noinline int cp(int a, int mode)
{
	if (mode == 3)
		return a * 7 + g;
	return a - g;
}
int cpuser(int a) { return cp(a, 3) + cp(a + 1, 3); }'
cdo_pair renum "$CP" "$RN2"
cdo_run renum
is "$(verdict renum cpuser)" unchanged "cpuser unchanged despite renumbered clones"
like "$(grep -o '"name": "cp\.constprop\.[0-9]*", [^}]*' "$JSON")" '"verdict": "unchanged"' \
	"cp clone correlated across renumbering"

# --- static locals renumbered between builds ---------------------------------
SL='int a1(void) { static int cnt; return ++cnt; }
int a2(void) { static int cnt; return cnt += 2; }'
SL2='int a0(void) { static int cnt; return cnt += 5; }
int a1(void) { static int cnt; return ++cnt; }
int a2(void) { static int cnt; return cnt += 3; }'
cdo_pair slocal "$SL" "$SL2"
cdo_run slocal
is "$RC" 0 "static locals: exit 0"
is "$(verdict slocal a1)" unchanged "a1 unchanged (its cnt renumbered)"
is "$(verdict slocal a2)" changed "a2 changed"
is "$(verdict slocal a0)" new "a0 new"
syms=$(out_symbols "$OUT")
a2cnt=$("$ELFDUMP" -r "$OUT" | awk '/relocs .* for \.text\.a2/ {f=1; next} /^relocs/ {f=0} f {print $3}' | sed 's/[+-]0x.*//' | sort -u)
like "$a2cnt" '^\.klp\.sym\.vmlinux\.cnt\.[0-9]+,0$' "a2's counter is referenced, not copied"
orig_a2=$("$ELFDUMP" -r "$TMP/orig/slocal.o" | awk '/relocs .* for \.text\.a2/ {f=1; next} /^relocs/ {f=0} f {print $3}' | sed 's/[+-]0x.*//; s/^\.bss\.//' | sort -u)
is "$a2cnt" ".klp.sym.vmlinux.$orig_a2,0" "klp symbol uses the ORIG name of a2's counter"
like "$syms" "^cnt\.[0-9]+ LOCAL OBJECT \.bss\.cnt\.[0-9]+$" "a0's new counter is copied"
ok_desc "static locals output links" check_out "$OUT"

# --- a static local whose user changes (new caller of its inline function) -----
SI='static inline int bump(void) { static int calls; return ++calls; }
int user(int a) { return a + bump(); }'
SI2='static inline int bump(void) { static int calls; return ++calls; }
int aaa(int a) { return a * bump(); }
int user(int a) { return a - bump(); }'
cdo_pair suser "$SI" "$SI2"
cdo_run suser
is "$RC" 0 "static local with a new user: exit 0"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.calls\.[0-9]+,0 GLOBAL OBJECT UND$' \
	"the existing static local is referenced, not duplicated"
unlike "$(out_symbols "$OUT")" '^calls\.[0-9]+ LOCAL' "no copy of it"

# --- __UNIQUE_ID_<counter> objects: the counter shifts when one is added above --
DD='#define __PASTE2(a, b) a##b
#define __PASTE(a, b) __PASTE2(a, b)
#define __UNIQUE_ID(p) __PASTE(__UNIQUE_ID_, __PASTE(p, __COUNTER__))
struct ddebug { const char *fmt; int line; };
extern void dbg_emit(struct ddebug *);
#define __pr_dbg(id, f) do { static struct ddebug id __attribute__((used, section("__dyndbg"))) = { f, __LINE__ }; dbg_emit(&id); } while (0)
#define pr_dbg(f) __pr_dbg(__UNIQUE_ID(ddebug), f)'
cdo_pair uid "$DD
int d1(int a) { pr_dbg(\"one\"); return a + 1; }
int d2(int a) { pr_dbg(\"two\"); return a + 2; }" "$DD
int d0(int a) { pr_dbg(\"zero\"); return a; }

int d1(int a) { pr_dbg(\"one\"); return a + 1; }
int d2(int a) { pr_dbg(\"two\"); return a + 5; }"
cdo_run uid
is "$RC" 0 "shifted __UNIQUE_ID counters and lines in __dyndbg: exit 0"
is "$(verdict uid d1)" unchanged "d1 unchanged (its descriptor renumbered)"
is "$(verdict uid d2)" changed "d2 changed"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.__UNIQUE_ID_ddebug[0-9.]+,0 ' \
	"d2 keeps using its original descriptor"
ref=$(out_symbols "$OUT" | awk '/^\.klp\.sym\.vmlinux\.__UNIQUE_ID_ddebug/ { print $1 }')
off=$("$ELFDUMP" -r "$TMP/orig/uid.o" | awk '/relocs .* for \.text\.d2$/ {f=1; next} /^relocs/ {f=0} f && /__dyndbg/ {print $3}' | sed 's/.*+//')
orig_d2=$("$ELFDUMP" -s "$TMP/orig/uid.o" | awk -v v="value=$off" '$4 == "OBJECT" && $5 == "__dyndbg" && $6 == v { print $2 }')
is "$ref" ".klp.sym.vmlinux.$orig_d2,0" "named after d2's descriptor in ORIG ($orig_d2)"

done_testing
