# shellcheck shell=sh
# examples/kpatch/printk.patch: reading /proc/cmdline logs through
# KPATCH_PRINTK from the livepatch module.
. ./guest-lib.sh
P=livepatch_printk
cmdline=$(cat /proc/cmdline)
ok "insmod livepatch-printk.ko" insmod ./livepatch-printk.ko
wait_for 30 "transition finishes" klp_transition_done $P
dmesg_mark
is "$(cat /proc/cmdline)" "$cmdline [kpatch-printk]" "/proc/cmdline patched"
wait_dmesg 10 'kpatch-printk: cmdline read by cat' "KPATCH_PRINTK's line is in the kernel log"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
dmesg_mark
cat /proc/cmdline >/dev/null
is "$(dmesg_new | grep -c kpatch-printk)" 0 "no line once disabled"
ok "rmmod" rmmod $P
done_testing
