# shellcheck shell=sh
# samples/livepatch/livepatch-sample.c replaces cmdline_proc_show():
# /proc/cmdline reads "this has been live patched" while it is enabled.
. ./guest-lib.sh

P=livepatch_sample
orig=$(cat /proc/cmdline)
like "$orig" 'console=ttyS0' "original /proc/cmdline"

ok "insmod livepatch-sample.ko" insmod ./livepatch-sample.ko
ok "module listed" module_loaded $P
ok "sysfs directory exists" test -d $KLP_SYSFS/$P
is "$(cat $KLP_SYSFS/$P/enabled)" 1 "enabled reads 1"
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat $KLP_SYSFS/$P/transition)" 0 "transition reads 0"
is "$(cat $KLP_SYSFS/$P/vmlinux/patched)" 1 "vmlinux object patched"
is "$(cat /proc/cmdline)" "this has been live patched" "/proc/cmdline is patched"
fails "rmmod refused while enabled" rmmod $P

ok "disable: echo 0 > enabled" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "sysfs directory disappears" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline restored"
ok "rmmod" rmmod $P
fails "module gone" module_loaded $P

# Load again: a patch can be applied a second time after removal.
ok "insmod again" insmod ./livepatch-sample.ko
wait_for 30 "second transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "this has been live patched" "patched again"
ok "disable again" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched again" klp_gone $P
ok "rmmod again" rmmod $P
like "$(dmesg)" "livepatch: 'livepatch_sample': unpatching complete" "kernel log reports unpatching"
done_testing
