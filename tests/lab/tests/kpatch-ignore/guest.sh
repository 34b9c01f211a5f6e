# shellcheck shell=sh
# examples/kpatch/ignore.patch: /proc/cmdline is patched, the ignored
# change to /proc/version is not.
. ./guest-lib.sh
P=livepatch_ignore
cmdline=$(cat /proc/cmdline) version=$(cat /proc/version)
ok "insmod livepatch-ignore.ko" insmod ./livepatch-ignore.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "$cmdline [kpatch-ignore]" "/proc/cmdline patched"
is "$(cat /proc/version)" "$version" "/proc/version unchanged: its change was ignored"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$cmdline" "/proc/cmdline original again"
ok "rmmod" rmmod $P
done_testing
