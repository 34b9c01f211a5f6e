#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: numbered static locals renumbered by the patch pair
# by content and by their users, not by number (issue 10, items 10, 11).
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir; [ -n "$KEEP" ] && trap - EXIT && echo "# $TMP"

# --- a new __func__ in a function that has one (FORTIFY's strcat()) ----------
# The inline function's "__func__" takes the number xfun's had: by name the
# old "xfun" string would pair with the new "my_strcat" one and look like
# changed initial data.
F='extern void panic_on(const char *);
static inline __always_inline char *my_strcat(char *p, const char *q)
{
	if (!q)
		panic_on(__func__);
	return p;
}
int xfun(char *a)
{
	@
	printk("%s: %s\n", __func__, a);
	return 0;
}
int yfun(char *a)
{
	printk("%s: %s\n", __func__, a);
	return 1;
}'
cdo_pair func "${F/@/}" "${F/@/my_strcat(a, *a ? a : 0);}"
o=$(nm "$TMP/orig/func.o" | awk '$3 ~ /^__func__\./ { print $3 }' | sort | tr '\n' ' ')
p=$(nm "$TMP/patched/func.o" | awk '$3 ~ /^__func__\./ { print $3 }' | sort | tr '\n' ' ')
diag "__func__ objects: orig $o, patched $p"
# the shape this test needs: a number of ORIG is taken by another string
n=$(for s in $o; do
	[ -n "$(nm "$TMP/patched/func.o" | awk -v s="$s" '$3 == s')" ] || continue
	a=$(objcopy -O binary -j ".rodata.$s" "$TMP/orig/func.o" "$TMP/sec.bin" && tr -d "\0" <"$TMP/sec.bin")
	b=$(objcopy -O binary -j ".rodata.$s" "$TMP/patched/func.o" "$TMP/sec.bin" && tr -d "\0" <"$TMP/sec.bin")
	[ "$a" != "$b" ] && echo "$s"
done)
[ -n "$n" ] || bail "gcc did not renumber __func__ into another string ($o / $p)"
cdo_run func
is "$RC" 0 "renumbered __func__ ($n now holds another string): exit 0, no refusal"
unlike "$ERR" "initial data" "no 'initial data changed'"
is "$(verdict func xfun)" changed "xfun changed"
is "$(verdict func yfun)" unchanged "yfun unchanged"
ok_desc "output links" check_out "$OUT" printk panic_on

# --- __UNIQUE_ID_ddebug descriptors renumbered by a pr_debug added above --------
# f has two descriptors; both numbers shift, and by name the first of
# ORIG pairs with the second of PATCHED: f would look changed.
DD='#define __PASTE2(a, b) a##b
#define __PASTE(a, b) __PASTE2(a, b)
#define __UNIQUE_ID(p) __PASTE(__UNIQUE_ID_, __PASTE(p, __COUNTER__))
struct ddebug { const char *fmt; const char *func; int line; };
extern void dbg_emit(struct ddebug *);
#define __pr_dbg(id, f) do { static struct ddebug id __attribute__((used, section("__dyndbg"), aligned(8))) = { f, __func__, __LINE__ }; dbg_emit(&id); } while (0)
#define pr_dbg(f) __pr_dbg(__UNIQUE_ID(ddebug), f)'
FN='int f(int a) { pr_dbg("one"); if (a) pr_dbg("two"); return a + 2; }'
cdo_pair dd "$DD
int e(int a) { return a + 1; }
$FN" "$DD
int e(int a) { pr_dbg(\"zero\"); return a + 1; }
$FN"
cdo_run dd
is "$RC" 0 "renumbered descriptors: exit 0"
is "$(verdict dd e)" changed "e (new pr_debug) changed"
is "$(verdict dd f)" unchanged "f unchanged: its descriptors paired by content"

# --- the same with f's lines moved: the descriptors' line fields differ --------
cdo_pair ddl "$DD
int e(int a) { return a + 1; }
$FN" "$DD
int e(int a) { pr_dbg(\"zero\"); return a + 1; }

$FN"
cdo_run ddl
is "$RC" 0 "renumbered descriptors with moved lines: exit 0"
is "$(verdict ddl f)" unchanged "f unchanged: paired by what they point at"
unlike "$(out_sections "$OUT")" '^\.text\.f$' "f not in the output"

# --- content alone never pairs ambiguous ones: equal .bss counters stay by name --
SL='int a1(void) { static int cnt, cnt2; cnt2++; return ++cnt; }'
cdo_pair zero "$SL" "${SL/++cnt;/cnt += 2;}"
cdo_run zero
is "$RC" 0 "two zero counters of one function: exit 0"
is "$(verdict zero a1)" changed "a1 changed"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.cnt\.[0-9]+,0 ' "its counter is referenced, not copied"
like "$(out_symbols "$OUT")" '^\.klp\.sym\.vmlinux\.cnt2\.[0-9]+,0 ' "and the other one too"

# --- WARN_ONCE flags renumbered by a new one below (issue 10, item 11) --------
# All "__already_done.N" are one zero byte; helper()'s flag is shared by
# every function it was inlined into.  e() gains a flag and the numbers of
# fa's and fb's shift: paired by name, fa and fb look changed.  Paired by
# their users (fa, fb / fa) in the order fa refers to them, they do not.
ONCE='#define ONCE(x) ({ static bool __already_done __attribute__((section(".data.once"))); if (!__already_done) { __already_done = 1; printk(x); } })
static inline __always_inline void helper(int a) { if (a > 100) ONCE("helper\n"); }
int fa(int a) { helper(a); if (a < 0) ONCE("fa1\n"); if (a == 7) ONCE("fa2\n"); return a; }
int fb(int a) { helper(a); if (a < 3) ONCE("fb\n"); return a * 2; }'
cdo_pair once "$ONCE
int e(int a) { return a + 1; }" "$ONCE
int e(int a) { if (a == 5) ONCE(\"e\\n\"); return a + 1; }"
[ "$(nm "$TMP/patched/once.o" | grep -c __already_done)" = 5 ] || bail "expected 5 flags"
cdo_run once
is "$RC" 0 "renumbered once-flags: exit 0"
is "$(verdict once e)" changed "e changed"
is "$(verdict once fa)" unchanged "fa unchanged: its flags paired by their users"
is "$(verdict once fb)" unchanged "fb unchanged: helper's shared flag paired by its users"
like "$(out_symbols "$OUT")" '^__already_done\.[0-9]+ LOCAL OBJECT \.data\.once$' "e's new flag is copied"
is "$(out_symbols "$OUT" | grep -c '^\.klp\.sym\..*__already_done')" 0 "no old flag referenced by e"

# --- BTF_ID() symbols renumbered (kernel/bpf/hashtab.c, 6.1.190 -> .192) ---------
# include/linux/btf_ids.h names each id __BTF_ID__<kind>__<name>__ followed
# by __COUNTER__ and __LINE__; a patch that moves lines renumbers it, and a
# map ops struct that points at the id looked like changed initial data.
BT='#define __PASTE2(a, b) a##b
#define __PASTE(a, b) __PASTE2(a, b)
#define __ID(p) __PASTE(__PASTE(p, __COUNTER__), __LINE__)
#define ____BTF_ID(s) asm(".pushsection .BTF_ids,\"a\"\n.local " #s "\n.type " #s ", STT_OBJECT\n.size " #s ", 4\n" #s ":\n.zero 4\n.popsection")
#define __BTF_ID(s) ____BTF_ID(s)
#define BTF_ID_LIST_SINGLE(list, kind, name) asm(".pushsection .BTF_ids,\"a\"\n.local " #list "\n" #list ":\n.popsection"); __BTF_ID(__ID(__BTF_ID__##kind##__##name##__)); extern unsigned int list[];
struct map_ops { int (*op)(int); unsigned int *btf_id; };'
BF='static int htab_op(int a) { return a + 1; }
BTF_ID_LIST_SINGLE(htab_ids, struct, bpf_htab)
const struct map_ops htab_ops = { htab_op, &htab_ids[0] };
int htab_use(int a) { return htab_ops.op(a) + (int)htab_ids[0]; }'
cdo_pair btf "$BT
int g(int a) { return a * 2; }
$BF" "$BT
int g(int a)
{
	return a * 3;
}
$BF"
cdo_run btf
is "$RC" 0 "renumbered BTF ids: exit 0"
unlike "$ERR" "initial data" "no 'initial data changed' for the ops pointing at the id"
is "$(verdict btf g)" changed "g changed"
is "$(verdict btf htab_use)" unchanged "htab_use unchanged"

done_testing
