# shellcheck shell=sh
# The guest side of klpgen-stack: two -R patches of cmdline_proc_show().
. ./guest-lib.sh
A=klp_stack_a B=klp_stack_b
orig=$(cat /proc/cmdline)
ok "insmod $A" insmod ./$A.ko
wait_for 30 "$A transition done" klp_transition_done $A
like "$(cat /proc/cmdline)" '\[stack-a\]$' "a runs"
ok "insmod $B (stacks on $A)" insmod ./$B.ko
wait_for 30 "$B transition done" klp_transition_done $B
ok "$A still enabled" klp_enabled $A
ok "$B enabled" klp_enabled $B
like "$(cat /proc/cmdline)" '\[stack-b\]$' "b, enabled last, runs"
ok "disable $B" sh -c "echo 0 > $KLP_SYSFS/$B/enabled"
wait_for 30 "$B gone" klp_gone $B
like "$(cat /proc/cmdline)" '\[stack-a\]$' "a's version is back"
ok "rmmod $B" rmmod $B
ok "disable $A" sh -c "echo 0 > $KLP_SYSFS/$A/enabled"
wait_for 30 "$A gone" klp_gone $A
is "$(cat /proc/cmdline)" "$orig" "the original is back"
ok "rmmod $A" rmmod $A
done_testing
