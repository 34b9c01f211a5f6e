# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Callbacks declared in kernel source with <linux/klpgen-patch.h>, through
# create-diff-object and klpgen module: order on enable and disable.
. ./guest-lib.sh

cb_order() {
	dmesg_new | grep -oE "klpgen-callbacks: (pre|post)_(un)?patch" |
		sed 's/.*: //' | tr '\n' ' '
}
orig=$(cat /proc/version)
dmesg_mark
ok "insmod klp_cdo_callbacks.ko" insmod ./klp_cdo_callbacks.ko
wait_for 20 "transition done" klp_transition_done klp_cdo_callbacks
wait_dmesg 10 "klpgen-callbacks: post_patch" "post_patch ran"
is "$(cb_order)" "pre_patch post_patch " "enable: pre_patch, then post_patch"
is "$(cat /proc/version)" "$orig
(with callbacks)" "/proc/version patched"
dmesg_mark
ok "disable" sh -c "echo 0 > $KLP_SYSFS/klp_cdo_callbacks/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_cdo_callbacks
wait_dmesg 10 "klpgen-callbacks: post_unpatch" "post_unpatch ran"
is "$(cb_order)" "pre_unpatch post_unpatch " "disable: pre_unpatch, then post_unpatch"
is "$(cat /proc/version)" "$orig" "/proc/version restored"
ok "rmmod" rmmod klp_cdo_callbacks
done_testing
