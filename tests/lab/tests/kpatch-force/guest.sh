# shellcheck shell=sh
# examples/kpatch/force.patch: the forced patch loads and patches
# /proc/cmdline; the __init change stayed out.
. ./guest-lib.sh
P=livepatch_force
cmdline=$(cat /proc/cmdline)
ok "insmod livepatch-force.ko" insmod ./livepatch-force.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "$cmdline [kpatch-force]" "/proc/cmdline patched"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$cmdline" "/proc/cmdline original again"
ok "rmmod" rmmod $P
done_testing
