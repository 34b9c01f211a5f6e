# shellcheck shell=sh
# examples/callbacks.patch: the four callbacks print in order.
. ./guest-lib.sh
P=klp_callbacks
dmesg_mark
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
like "$(cat /proc/version)" '\(with callbacks\)' "patched /proc/version"
wait_dmesg 10 'klpgen-callbacks: post_patch' "post_patch ran"
like "$(dmesg_new | grep klpgen-callbacks | tr '\n' ' ')" 'pre_patch.*post_patch' "pre_patch before post_patch"
dmesg_mark
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
wait_dmesg 10 'klpgen-callbacks: post_unpatch' "post_unpatch ran"
like "$(dmesg_new | grep klpgen-callbacks | tr '\n' ' ')" 'pre_unpatch.*post_unpatch' "pre_unpatch before post_unpatch"
unlike "$(cat /proc/version)" 'with callbacks' "original /proc/version"
ok "rmmod" rmmod $P
done_testing
