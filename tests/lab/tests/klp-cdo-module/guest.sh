# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# A klpgen module for a function of binfmt_misc.ko, loaded before the
# module: the kernel patches binfmt_misc when it loads.
. ./guest-lib.sh

ok "insmod klp_cdo_module.ko (binfmt_misc not loaded)" insmod ./klp_cdo_module.ko
wait_for 20 "transition done" klp_transition_done klp_cdo_module
is "$(cat $KLP_SYSFS/klp_cdo_module/binfmt_misc/patched 2>/dev/null)" "0" \
	"binfmt_misc object not patched yet"
ok "insmod binfmt_misc.ko" insmod ./binfmt_misc.ko
is "$(cat $KLP_SYSFS/klp_cdo_module/binfmt_misc/patched 2>/dev/null)" "1" \
	"binfmt_misc object patched on load"
mkdir -p /mnt/binfmt
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat /mnt/binfmt/status)" "enabled (livepatched)" "status reads the patched text"
ok "disable binfmt_misc" sh -c "echo 0 > /mnt/binfmt/status"
is "$(cat /mnt/binfmt/status)" "disabled (livepatched)" \
	"the new code reads the module's static 'enabled' (klp relocation)"
ok "enable binfmt_misc" sh -c "echo 1 > /mnt/binfmt/status"
ok "disable the patch" sh -c "echo 0 > $KLP_SYSFS/klp_cdo_module/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_cdo_module
is "$(cat /mnt/binfmt/status)" "enabled" "status restored"
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
ok "rmmod klp_cdo_module" rmmod klp_cdo_module
done_testing
