# shellcheck shell=sh
# examples/cmdline-banner.patch, built by klpgen build: /proc/cmdline gains
# a banner while the livepatch is enabled.
. ./guest-lib.sh
P=klp_cmdline_banner
orig=$(cat /proc/cmdline)
unlike "$orig" 'livepatched' "before: /proc/cmdline is the original"

ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat $KLP_SYSFS/$P/enabled)" 1 "enabled"
is "$(cat $KLP_SYSFS/$P/vmlinux/patched)" 1 "vmlinux patched"
is "$(cat /proc/cmdline)" "$orig [livepatched by klpgen]" "after loading: banner shown"

ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "after disabling: original again"
ok "rmmod" rmmod $P
done_testing
