# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# create-diff-object + klpgen module on examples/cmdline-banner.patch.
. ./guest-lib.sh

orig=$(cat /proc/cmdline)
ok "insmod klp_cdo_cmdline.ko" insmod ./klp_cdo_cmdline.ko
wait_for 20 "transition done" klp_transition_done klp_cdo_cmdline
ok "enabled" klp_enabled klp_cdo_cmdline
is "$(cat /proc/cmdline)" "$orig [livepatched by klpgen]" "/proc/cmdline shows the banner"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/klp_cdo_cmdline/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_cdo_cmdline
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline restored"
ok "rmmod" rmmod klp_cdo_cmdline
done_testing
