#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: changes a livepatch cannot carry are refused (exit 4)
# with a reason naming symbol, section and what changed.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir

refused() {	# NAME ORIG PATCHED REGEX DESC
	cdo_pair "$1" "$2" "$3"
	cdo_run "$1"
	is "$RC" 4 "$5: exit 4"
	like "$ERR" "$4" "$5: reason"
	like "$(cat "$JSON")" '"result": "refused"' "$5: explain says refused"
	ok_desc "$5: no output" test ! -e "$OUT"
}

B='int f(int a) { return a + 1; }'

refused init "$B
static int __init setup(void) { return f(1); }
int (*initp)(void) = setup;" "$B
static int __init setup(void) { return f(2); }
int (*initp)(void) = setup;" "__init.*setup.*\.init\.text" "changed __init function"

refused initdata "$B
static int tab[4] __initdata = { 1, 2, 3, 4 };
int *tabp = tab;" "$B
static int tab[4] __initdata = { 1, 2, 3, 5 };
int *tabp = tab;" "__init data of tab .*\.init\.data" "changed __init data"

refused data "int limit = 10;
int f(int a) { return a + limit; }" "int limit = 11;
int f(int a) { return a + limit; }" "initial data of limit \(section \.data\.limit\) changed: bytes differ at \+0x0" \
	"changed initial value"

refused rodata "static const int tbl[3] = { 1, 2, 3 };
int f(int a) { return tbl[a]; }" "static const int tbl[3] = { 1, 2, 4 };
int f(int a) { return tbl[a]; }" "initial data of tbl \(section \.rodata\.tbl\) changed" \
	"changed const table"

refused bss "int buf[4];
int f(int a) { return buf[a]; }" "int buf[8];
int f(int a) { return buf[a]; }" "buf \(section \.bss\.buf\): size changed from 16 to 32" \
	".bss size change"

# panic_timeout = CONFIG_PANIC_TIMEOUT (0) -> 30: .bss to .data, no code change
refused bss2data "int tmo = 0;
int f(int a) { return a + tmo; }" "int tmo = 30;
int f(int a) { return a + tmo; }" \
	"initial data of tmo moved from section \.bss\.tmo to \.data\.tmo: initial value changed" \
	"global from 0 (.bss) to 30 (.data)"

refused data2bss "int tmo = 30;
int f(int a) { return a + tmo; }" "int tmo = 0;
int f(int a) { return a + tmo; }" \
	"initial data of tmo moved from section \.data\.tmo to \.bss\.tmo: initial value changed" \
	"global from 30 (.data) to 0 (.bss)"

refused sbss2data "static int stmo;
void set(int v) { stmo = v; }
int f(int a) { return a + stmo; }" "static int stmo = 30;
void set(int v) { stmo = v; }
int f(int a) { return a + stmo; }" \
	"initial data of stmo moved from section \.bss\.stmo to \.data\.stmo: initial value changed" \
	"static from 0 (.bss) to 30 (.data)"

refused sdata2bss "static int stmo = 30;
void set(int v) { stmo = v; }
int f(int a) { return a + stmo; }" "static int stmo;
void set(int v) { stmo = v; }
int f(int a) { return a + stmo; }" \
	"initial data of stmo moved from section \.data\.stmo to \.bss\.stmo: initial value changed" \
	"static from 30 (.data) to 0 (.bss)"

refused dataptr "int f(int a) { return a + 1; }
int g(int a) { return a + 2; }
int (*hook)(int) = f;" "int f(int a) { return a + 1; }
int g(int a) { return a + 2; }
int (*hook)(int) = g;" "initial data of hook .*relocation at \+0x0 now targets g" \
	"changed function pointer initializer"

refused expdel "int e1(int a) { return a + 1; }
EXPORT_SYMBOL(e1);
int e2(int a) { return a + 2; }
EXPORT_SYMBOL(e2);" "int e1(int a) { return a + 1; }
EXPORT_SYMBOL(e1);
int e2(int a) { return a + 3; }" "export e2 removed \(section ___ksymtab\+e2\)" "removed export"

refused expnew "int e1(int a) { return a + 1; }" "int e1(int a) { return a + 1; }
EXPORT_SYMBOL(e1);" "new export e1" "added export"

# an export that stays is fine
cdo_pair expok "int e1(int a) { return a + 1; }
EXPORT_SYMBOL(e1);" "int e1(int a) { return a + 2; }
EXPORT_SYMBOL(e1);"
cdo_run expok
is "$RC" 0 "function with an unchanged export changes fine"
unlike "$(out_sections "$OUT")" "ksymtab" "no ksymtab in the diff object"

# unchanged data with a changed function: fine, data referenced
cdo_pair dataok "int limit = 10;
int f(int a) { return a + limit; }" "int limit = 10;
int f(int a) { return a - limit; }"
cdo_run dataok
is "$RC" 0 "changed user of unchanged data: exit 0"
like "$(out_symbols "$OUT")" "^\.klp\.sym\.vmlinux\.limit,0 GLOBAL OBJECT UND$" \
	"non-exported global referenced through a klp symbol"

# a new __init function only reachable from init code is left alone
cdo_pair newinit "$B" "$B
static int __init setup2(void) { return f(3); }
static int (*__initcall_setup2)(void) __attribute__((used, section(\".initcall6.init\"))) = setup2;"
cdo_run newinit
is "$RC" 3 "new __init function and initcall only: nothing to patch (exit 3)"
is "$(verdict newinit setup2)" new "setup2 is new"

# a new global pointing at __init code would dangle
cdo_pair initptr "$B" "$B
static int __init setup3(void) { return f(3); }
int (*initp3)(void) = setup3;"
cdo_run initptr
is "$RC" 4 "new data referencing __init code: refused"
like "$ERR" "initp3.*\.init\.text.*setup3" "reason names data, section and symbol"

done_testing
