# shellcheck shell=sh
# examples/static-local.patch: a changed function keeps a count in a static
# local variable; the count persists from one call to the next.
. ./guest-lib.sh
P=klp_static_local
orig=$(cat /proc/cmdline)
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "$orig [read 1 times]" "first read counts 1"
is "$(cat /proc/cmdline)" "$orig [read 2 times]" "second read counts 2"
is "$(cat /proc/cmdline)" "$orig [read 3 times]" "third read counts 3"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "after disabling: original again"
ok "rmmod" rmmod $P
done_testing
