#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object on real 6.1 kernel objects: the committed
# fs/proc/cmdline.o pair (tests/fixtures/cdo/lab, debug info stripped), and
# kernel/sched/core.o rebuilt from the kernel lab when it exists.
. "$(dirname "$0")/../lib/tap.sh"
. "$FIXTURES/cdo/lib.sh"
mk_tmpdir
LABF=$FIXTURES/cdo/lab

# --- fs/proc/cmdline.o: seq_puts(m, " klpgen") added -----------------------------
"$CDO" -S "$LABF/Module.symvers" --explain "$TMP/cmd.json" \
	"$LABF/cmdline.orig.o" "$LABF/cmdline.patched.o" "$TMP/cmd.o" 2> "$TMP/err"
is "$?" 0 "cmdline.o: exit 0"
J=$(cat "$TMP/cmd.json")
like "$J" '"name": "cmdline_proc_show", [^}]*"verdict": "changed"' "cmdline_proc_show changed"
like "$J" '"name": "proc_cmdline_init", [^}]*"verdict": "unchanged"' "__init function unchanged"
syms=$(out_symbols "$TMP/cmd.o")
like "$syms" '^\.klp\.sym\.vmlinux\.saved_command_line,0 GLOBAL NOTYPE UND$' \
	"saved_command_line (not exported in 6.1) becomes a klp symbol"
like "$syms" '^seq_puts GLOBAL NOTYPE UND$' "seq_puts stays plain (exported)"
like "$syms" '^__klpgen_new\.vmlinux\.cmdline_proc_show\.0 GLOBAL FUNC' "alias"
secs=$(out_sections "$TMP/cmd.o")
like "$secs" '^__mcount_loc$' "__mcount_loc entry kept"
like "$secs" '^\.orc_unwind_ip$' ".orc_unwind_ip kept"
orc=$("$ELFDUMP" -S "$TMP/cmd.o" | awk '$2 == ".orc_unwind" || $2 == ".orc_unwind_ip" { sub("size=", "", $5); print $5 }' | tr '\n' ' ')
set -- $orc
is "$(( $1 / 6 ))" "$(( $2 / 4 ))" ".orc_unwind and .orc_unwind_ip stay index-parallel ($orc)"
unlike "$secs" 'init' "no __init code"
ok_desc "cmdline diff links, relocations resolve" check_out "$TMP/cmd.o" seq_puts seq_putc __fentry__

# --- kernel/sched/core.o from the lab --------------------------------------------
LAB=${KLPGEN_CACHE:-$HOME/.cache/klpgen}/lab/linux-6.1
FS=${CDO_LAB_BUILD:-/tmp/cdo-lab/b}
if [ ! -f "$LAB/build/vmlinux" ] || [ ! -f "$FS/kernel/sched/core.o" ] ||
   [ ! -f "$FS/kernel/sched/.core.o.cmd" ]; then
	skip "no function-sections lab build of kernel/sched/core.o in $FS"
	done_testing
fi
"$FIXTURES/cdo/lab-pair" "$FS" "$LAB/src" kernel/sched/core.o "$LABF/core.patch" "$TMP/pair" >/dev/null ||
	bail "lab-pair failed"
"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" --explain "$TMP/core.json" \
	"$TMP/pair/core.orig.o" "$TMP/pair/core.patched.o" "$TMP/core.o" 2> "$TMP/err"
is "$?" 0 "core.o: exit 0"
J=$(cat "$TMP/core.json")
is "$(grep -c '"verdict": "changed"' "$TMP/core.json")" 1 "exactly one function changed"
like "$J" '"name": "task_prio", [^}]*"verdict": "changed"' "task_prio changed"
like "$(grep -c '"verdict": "ignored-line-only"' "$TMP/core.json")" '^[1-9]' \
	"functions with only moved WARN lines are ignored-line-only"
like "$J" '"section": "__bug_table", "entsize": 12, [^}]*"included": 1' \
	"__bug_table entry size from vmlinux DWARF, one entry kept"
ok_desc "core diff links, relocations resolve" check_out "$TMP/core.o" __fentry__
missing=0
for s in $(out_symbols "$TMP/core.o" | awk '$1 ~ /^\.klp\.sym\.vmlinux\./ { print $1 }'); do
	n=${s#.klp.sym.vmlinux.}; n=${n%,*}
	nm "$LAB/build/vmlinux" | grep -q " $n\$" || { diag "missing $n"; missing=1; }
done
is "$missing" 0 "every klp symbol exists in vmlinux"

done_testing
