# shellcheck shell=sh
# The livepatch built by klpgen build from a tree configured and built in
# place (setup): it loads and patches like the one from the pristine tree.
. ./guest-lib.sh
P=klp_in_place
orig=$(cat /proc/cmdline)
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "$orig [livepatched by klpgen]" "patched"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "original again"
ok "rmmod" rmmod $P
done_testing
