# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# A module whose klp_patch.states comes from KLPGEN_STATE in kernel source
# (checked on the host); here: it loads, patches and unloads.
. ./guest-lib.sh

orig=$(cat /proc/cmdline)
ok "insmod klp_cdo_states.ko" insmod ./klp_cdo_states.ko
wait_for 20 "transition done" klp_transition_done klp_cdo_states
is "$(cat /proc/cmdline)" "$orig [klpgen state 0x42]" "/proc/cmdline patched"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/klp_cdo_states/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_cdo_states
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline restored"
ok "rmmod" rmmod klp_cdo_states
done_testing
