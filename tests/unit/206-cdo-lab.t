#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# create-diff-object on real 6.1 kernel objects: the committed
# fs/proc/cmdline.o pairs of 6.1 and 6.12 (IBT) (tests/fixtures/cdo/lab,
# debug info stripped), and
# kernel/sched/core.o rebuilt from the kernel lab when it exists.
# The lab part needs a function-sections build of the lab tree in
# $CDO_LAB_BUILD (default: the original build klpgen build cached for the
# lab tree, which the lab tests create; else /tmp/cdo-lab/b), e.g.
#   cp $LAB/build/.config $B/ && make -C $LAB/src O=$B olddefconfig prepare &&
#   make -C $LAB/src O=$B KCFLAGS="-ffunction-sections -fdata-sections" \
#        kernel/ mm/ fs/proc/
# and is skipped without it.
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

# --- the same change on 6.12 (X86_KERNEL_IBT): endbr64 at +0, __fentry__ at +4, -----
# and no .orc_unwind in a built-in object (objtool runs on vmlinux.o).  The pair
# is lab-pair on the 6.12 lab tree's function-sections build, debug info stripped.
"$CDO" -S "$LABF/Module-6.12.symvers" --explain "$TMP/c612.json" \
	"$LABF/cmdline-6.12.orig.o" "$LABF/cmdline-6.12.patched.o" "$TMP/c612.o" 2> "$TMP/err"
is "$?" 0 "6.12 cmdline.o: exit 0"
J=$(cat "$TMP/c612.json")
like "$J" '"name": "cmdline_proc_show", [^}]*"verdict": "changed"' "6.12: cmdline_proc_show changed"
like "$J" '"name": "proc_cmdline_init", [^}]*"verdict": "unchanged"' "6.12: __init function unchanged"
unlike "$(out_sections "$LABF/cmdline-6.12.orig.o")" 'orc' "6.12 input has no ORC sections"
secs=$(out_sections "$TMP/c612.o")
unlike "$secs" 'orc' "6.12: none made up in the output"
like "$secs" '^__mcount_loc$' "6.12: __mcount_loc entry kept"
like "$("$ELFDUMP" -r "$TMP/c612.o" | awk '/for __mcount_loc/ {f=1; next} /^relocs/ {f=0} f')" \
	'^  0x0 R_X86_64_64 \.text\.cmdline_proc_show\+0x4$' "6.12: the entry points after endbr64"
syms=$(out_symbols "$TMP/c612.o")
like "$syms" '^\.klp\.sym\.vmlinux\.saved_command_line,0 GLOBAL NOTYPE UND$' \
	"6.12: saved_command_line becomes a klp symbol"
like "$syms" '^__seq_puts GLOBAL NOTYPE UND$' "6.12: __seq_puts (seq_puts is inline in 6.12) stays plain"
unlike "$(out_sections "$TMP/c612.o")" 'init' "6.12: no __init code"
ok_desc "6.12 cmdline diff links, relocations resolve" check_out "$TMP/c612.o" __seq_puts seq_write seq_putc __fentry__

# --- kernel/sched/core.o from the lab --------------------------------------------
LAB=${KLPGEN_CACHE:-$HOME/.cache/klpgen}/lab/linux-6.1
fsections_build "$LAB"
if [ ! -f "$LAB/build/vmlinux" ] || [ ! -f "$FS/kernel/sched/core.o" ] ||
   [ ! -f "$FS/kernel/sched/.core.o.cmd" ]; then
	skip "no function-sections lab build of kernel/sched/core.o in $FS"
	done_testing
fi
"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" kernel/sched/core.o "$LABF/core.patch" "$TMP/pair" >/dev/null ||
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

# --- kernel/sched/core.o, io_schedule(): a __sched function shares .sched.text ---
"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" kernel/sched/core.o "$LABF/sched.patch" "$TMP/sched" >/dev/null
"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" --explain "$TMP/sched.json" \
	"$TMP/sched/core.orig.o" "$TMP/sched/core.patched.o" "$TMP/sched.o" 2> "$TMP/err"
is "$?" 0 "io_schedule: exit 0"
like "$(cat "$TMP/sched.json")" '"\.sched\.text\(io_schedule\)"' "io_schedule copied alone out of .sched.text"
syms=$(out_symbols "$TMP/sched.o")
like "$syms" '^__klpgen_new\.vmlinux\.io_schedule\.0 GLOBAL FUNC \.sched\.text$' "alias at the split-out copy"
unlike "$syms" '^(__schedule|yield) ' "no other .sched.text function copied"
like "$syms" '^schedule GLOBAL FUNC UND$' "schedule() (exported) stays a plain reference"
ok_desc "io_schedule diff links" check_out "$TMP/sched.o" __fentry__ current_task schedule jiffies

# --- a comment line at the top of a file: nothing changes, WARN lines move -----
for rel in kernel/signal mm/page_alloc kernel/workqueue; do
	if [ ! -f "$FS/$rel.o" ]; then
		skip "no $rel.o in $FS"
		continue
	fi
	mkdir -p "$TMP/shift/a/$(dirname $rel)" "$TMP/shift/b/$(dirname $rel)"
	cp "$LAB/src/$rel.c" "$TMP/shift/a/$rel.c"
	awk 'NR == 2 { print "/* klpgen: shift lines */" } { print }' "$LAB/src/$rel.c" > "$TMP/shift/b/$rel.c"
	(cd "$TMP/shift" && diff -u "a/$rel.c" "b/$rel.c" > "$TMP/shift.patch")
	"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" "$rel.o" "$TMP/shift.patch" "$TMP/shift/o" >/dev/null
	b=$(basename $rel)
	"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" --explain "$TMP/shift.json" \
		"$TMP/shift/o/$b.orig.o" "$TMP/shift/o/$b.patched.o" "$TMP/shift.o" 2>/dev/null
	rc=$?
	is "$rc/$(grep -c '"verdict": "changed"' "$TMP/shift.json")" "3/0" \
		"$rel.o with every line moved: no change ($(grep -c ignored-line "$TMP/shift.json") ignored-line-only)"
done

# --- kernel/fork.o: a pr_warn_once string in dup_mmap's .cold part ----------------
if [ -f "$FS/kernel/.fork.o.cmd" ]; then
	"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" kernel/fork.o "$LABF/fork.patch" "$TMP/pair" >/dev/null
	"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" --explain "$TMP/fork.json" \
		"$TMP/pair/fork.orig.o" "$TMP/pair/fork.patched.o" "$TMP/fork.o" 2> "$TMP/err"
	is "$?" 0 "fork.o: exit 0"
	J=$(cat "$TMP/fork.json")
	like "$J" '"name": "dup_mmap.cold", [^}]*"verdict": "changed", "reason": "relocation at \+0x[0-9a-f]+ now targets [^}]*klpgen: exe_file' \
		"dup_mmap.cold changed by its string"
	like "$J" '"name": "dup_mmap", [^}]*"reason": "clone dup_mmap.cold changed"' "dup_mmap follows its .cold"
	syms=$(out_symbols "$TMP/fork.o")
	like "$syms" '^\.klp\.sym\.vmlinux\.__already_done\.[0-9]+,[1-9][0-9]* GLOBAL OBJECT UND$' \
		"pr_warn_once state referenced with its sympos in vmlinux"
	like "$syms" '^__func__\.[0-9]+ LOCAL OBJECT' "__func__ copied"
	like "$(out_sections "$TMP/fork.o")" '^__jump_table$' "jump labels on exported tracepoint keys kept"
	mapfile -t und < <(out_symbols "$TMP/fork.o" | awk '$4 == "UND" && $1 !~ /^\.klp/ { print $1 }')
	ok_desc "fork diff links" check_out "$TMP/fork.o" "${und[@]}"
	n=${syms#*.klp.sym.vmlinux.__already_done.}
	sympos=${n%% *}; sympos=${sympos#*,}
	name=__already_done.${n%%,*}
	is "$(nm -n "$LAB/build/vmlinux" | awk -v s="$name" '$3 == s' | wc -l | awk -v p="$sympos" '{ print ($1 >= p) }')" 1 \
		"$name,$sympos is a valid position in vmlinux"
else
	skip "no kernel/fork.o in $FS"
fi

# --- kernel/fork.o: a WARN added to free_task; its file name string is .LC2 ----
# in .rodata.__mmdrop.str1.1 (the first user's section): copied, never a klp symbol
if [ -f "$FS/kernel/.fork.o.cmd" ]; then
	"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" kernel/fork.o "$LABF/fork-free-task.patch" "$TMP/pair2" >/dev/null
	"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" \
		"$TMP/pair2/fork.orig.o" "$TMP/pair2/fork.patched.o" "$TMP/ft.o" 2> "$TMP/err"
	is "$?" 0 "fork.o free_task: exit 0"
	unlike "$(cat "$TMP/err")" '\.LC' "no complaint about an assembler label"
	syms=$(out_symbols "$TMP/ft.o")
	like "$syms" '^\.LC[0-9]+ LOCAL NOTYPE \.rodata\.[a-z_]+\.str1\.1$' ".LC label copied with its string section"
	unlike "$syms" '\.klp\.sym\.[^ ]*\.LC' "no klp symbol for a .LC label"
	mapfile -t und < <(out_symbols "$TMP/ft.o" | awk '$4 == "UND" && $1 !~ /^\.klp/ { print $1 }')
	ok_desc "free_task diff links" check_out "$TMP/ft.o" "${und[@]}"
else
	skip "no kernel/fork.o in $FS"
fi

# --- kernel/sched/fair.o: update_curr has a tracepoint on a non-exported key ------
if [ -f "$FS/kernel/sched/.fair.o.cmd" ]; then
	"$FIXTURES/cdo/lab-pair" "$FS" "$FSSRC" kernel/sched/fair.o "$LABF/fair.patch" "$TMP/pair" >/dev/null
	"$CDO" -s "$LAB/build/vmlinux" -S "$LAB/build/Module.symvers" \
		"$TMP/pair/fair.orig.o" "$TMP/pair/fair.patched.o" "$TMP/fair.o" 2> "$TMP/err"
	is "$?" 0 "fair.o: exit 0 (vmlinux klp relocations are applied before jump labels)"
	like "$(out_symbols "$TMP/fair.o")" '^\.klp\.sym\.vmlinux\.__tracepoint_sched_stat_runtime,[0-9]+ GLOBAL [A-Z]+ UND$' \
		"the tracepoint key is a vmlinux klp symbol"
	like "$("$ELFDUMP" -r "$TMP/fair.o" | awk '/for __jump_table/ {f=1; next} /^relocs/ {f=0} f')" \
		'\.klp\.sym\.vmlinux\.__tracepoint_sched_stat_runtime,' "update_curr's __jump_table entry keeps its key"
else
	skip "no kernel/sched/fair.o in $FS"
fi

done_testing
