# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# A klpgen module for a function of an out-of-tree module, loaded after it.
. ./guest-lib.sh

ok "insmod oot.ko" insmod ./oot.ko
is "$(cat /proc/oot)" "oot 1" "unpatched: /proc/oot counts"
ok "insmod klp_cdo_oot.ko" insmod ./klp_cdo_oot.ko
wait_for 20 "transition done" klp_transition_done klp_cdo_oot
is "$(cat $KLP_SYSFS/klp_cdo_oot/oot/patched 2>/dev/null)" "1" "oot object patched"
is "$(cat /proc/oot)" "oot (livepatched) 2" \
	"patched text, and the module's own counter (klp relocation)"
ok "disable the patch" sh -c "echo 0 > $KLP_SYSFS/klp_cdo_oot/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_cdo_oot
is "$(cat /proc/oot)" "oot 3" "unpatched again"
ok "rmmod klp_cdo_oot" rmmod klp_cdo_oot
ok "rmmod oot" rmmod oot
done_testing
