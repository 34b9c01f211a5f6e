#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object: --symbols (sympos in a linked vmlinux), modules,
# Module.symvers.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir

# --- a "vmlinux" with two static helper() from two files -----------------------
mkdir -p "$TMP/v"
printf 'static __attribute__((noinline)) int helper(int a) { return a * 3; }\nint first(int a) { return helper(a); }\n' > "$TMP/v/first.c"
(cd "$TMP/v" && kcc first.o first.c)
ORIG='static noinline int helper(int a) { return a + 7; }
static int state;
int second(int a) { state++; return helper(a) + 1; }
int hidden_global(int a) { return a; }'
cdo_pair second "$ORIG" "${ORIG/helper(a) + 1/helper(a) + 2}"
ld -e 0 -o "$TMP/vmlinux" "$TMP/v/first.o" "$TMP/orig/second.o" --unresolved-symbols=ignore-all 2>/dev/null ||
	bail "cannot link a fake vmlinux"
printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' > "$TMP/Module.symvers"
cdo_run second -s "$TMP/vmlinux" -S "$TMP/Module.symvers"
is "$RC" 0 "against a linked vmlinux: exit 0"
syms=$(out_symbols "$OUT")
like "$syms" "^\.klp\.sym\.vmlinux\.helper,2 GLOBAL FUNC UND$" "second file's static helper has sympos 2"
like "$syms" "^\.klp\.sym\.vmlinux\.state,0 GLOBAL OBJECT UND$" "unique static has sympos 0"
like "$syms" "^__klpgen_new\.vmlinux\.second\.0 GLOBAL FUNC" "alias with sympos 0"

# an undefined, unexported symbol missing from vmlinux is refused
cdo_pair miss "$ORIG" "${ORIG/state++;/state++; extern int nowhere; a += nowhere;}"
ld -e 0 -o "$TMP/vmlinux2" "$TMP/v/first.o" "$TMP/orig/miss.o" --unresolved-symbols=ignore-all 2>/dev/null
cdo_run miss -s "$TMP/vmlinux2" -S "$TMP/Module.symvers"
is "$RC" 4 "reference to a symbol that is neither exported nor in vmlinux: refused"
like "$ERR" "nowhere.*neither exported" "refusal names it"

# --- module ------------------------------------------------------------------------
MA='int mod_shared;
int mod_exported(int a) { return a + mod_shared; }
EXPORT_SYMBOL(mod_exported);'
mkdir -p "$TMP/m"
printf '%s\n' "$MA" > "$TMP/m/other.c"
(cd "$TMP/m" && kcc other.o other.c -I"$CDO_INC" -include fake-kernel.h)
MB='extern int mod_shared;
extern int mod_exported(int);
extern int vm_hidden;
static int local_count;
int mod_func(int a) { local_count++; return mod_exported(a) + mod_shared + vm_hidden; }'
cdo_pair modb "$MB" "${MB/local_count++/local_count += 2}"
ld -r -o "$TMP/mymod.ko" "$TMP/m/other.o" "$TMP/orig/modb.o"
printf '0x0\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x0\tmod_exported\tdrivers/misc/mymod\tEXPORT_SYMBOL\t\n' > "$TMP/Module.symvers"
cdo_run modb -n mymod -s "$TMP/mymod.ko" -S "$TMP/Module.symvers"
is "$RC" 0 "module object: exit 0"
syms=$(out_symbols "$OUT")
like "$syms" "^\.klp\.sym\.mymod\.local_count,0 " "module static: klp symbol of the module"
like "$syms" "^\.klp\.sym\.mymod\.mod_shared,0 " "module global from another file: klp symbol of the module"
like "$syms" "^\.klp\.sym\.mymod\.mod_exported,0 " "module's own export: still a klp symbol (module may load later)"
like "$syms" "^\.klp\.sym\.vmlinux\.vm_hidden,0 " "unexported vmlinux symbol: klp symbol of vmlinux"
like "$syms" "^__klpgen_new\.mymod\.mod_func\.0 GLOBAL FUNC" "alias names the module"
ok_desc "module output links" check_out "$OUT"

# --- without Module.symvers undefined symbols stay plain --------------------------
cdo_run modb -n mymod -s "$TMP/mymod.ko"
like "$(out_symbols "$OUT")" "^vm_hidden GLOBAL NOTYPE UND$" "no symvers: undefined stays plain"

# --- exported vmlinux global defined in the object stays plain ----------------------
EG='int exp_var;
int user(int a) { return a + exp_var; }'
cdo_pair expg "$EG" "${EG/a + exp_var/a - exp_var}"
printf '0x0\texp_var\tvmlinux\tEXPORT_SYMBOL\t\n' > "$TMP/ev.symvers"
cdo_run expg -S "$TMP/ev.symvers"
like "$(out_symbols "$OUT")" "^exp_var GLOBAL OBJECT UND$" "exported global of vmlinux: plain reference"

# --- unchanged static function missing from --symbols (inlined there): copied -----------
CP='static noinline int tiny(int a) { return a ^ 5; }
int big(int a) { return tiny(a) * 2; }'
cdo_pair cpy "$CP" "${CP/\* 2/* 3}"
printf 'int big(int a) { return a; }\n' > "$TMP/v/nosyms.c"
(cd "$TMP/v" && kcc nosyms.o nosyms.c)
cdo_run cpy -s "$TMP/v/nosyms.o"
is "$RC" 0 "callee not in --symbols: exit 0"
like "$(out_sections "$OUT")" "^\.text\.tiny$" "callee copied instead of referenced"
like "$(cat "$JSON")" "copied: tiny is not in" "explain says why"

# --- .LC labels: a string shared with an earlier function lives in that ------
# function's mergeable section; the assembler keeps the .LC label for it.
# It is copied and compared by content, never looked up in --symbols
# (kernel/fork.c: free_task's WARN file name is .LC2 in .rodata.__mmdrop.str1.1).
LC='int lc_first(int a) { WARN_ON(a > 5); return a + 1; }
int lc_user(int a) { return a * 3; }'
cdo_pair lc "$LC" "${LC/return a \* 3;/WARN_ON(a < 0); return a * 3;}" -fdata-sections
printf 'int lc_first(int a) { return a; }\nint lc_user(int a) { return a; }\n' > "$TMP/lcsyms.c"
kcc "$TMP/lcsyms.o" "$TMP/lcsyms.c"
cdo_run lc -s "$TMP/lcsyms.o"
is "$RC" 0 "WARN in lc_user, file string in .rodata.lc_first.str1.1: exit 0"
unlike "$ERR" '\.LC' "no complaint about the .LC label"
like "$(out_symbols "$OUT")" '^\.LC[0-9]+ LOCAL NOTYPE \.rodata\.lc_first\.str1\.1$' \
	".LC label copied with lc_first's string section"
unlike "$(out_symbols "$OUT")" '\.klp\.sym' "no klp symbol"
ok_desc ".LC output links" check_out "$OUT"

done_testing
