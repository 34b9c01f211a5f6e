# shellcheck shell=sh
# examples/warn.patch: a WARN_ONCE in a patched function reports through the
# module's own __bug_table entry (file and line), and the kernel goes on.
. ./guest-lib.sh
P=klp_warn
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
dmesg_mark
like "$(cat /proc/cmdline)" '\[warned\]$' "the read returns (no oops)"
wait_dmesg 10 'klpgen: warn example: /proc/cmdline was read' "WARN message printed"
like "$(dmesg_new)" 'WARNING: .* at fs/proc/cmdline.c:[0-9]+ cmdline_proc_show' "WARNING names file, line and function"
like "$(dmesg_new)" 'cmdline_proc_show.*\[klp_warn\]' "the warning comes from the module's code"
dmesg_mark
like "$(cat /proc/cmdline)" '\[warned\]$' "second read"
unlike "$(dmesg_new)" 'WARNING' "WARN_ONCE warns once (bug entry flags work)"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
ok "rmmod" rmmod $P
done_testing
