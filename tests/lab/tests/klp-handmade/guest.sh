# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# A klpgen module from a hand-made diff object: load, check /proc/cmdline,
# disable, unload.
. ./guest-lib.sh

orig=$(cat /proc/cmdline)
banner=$(cat /proc/version)
ok "insmod klp_handmade.ko" insmod ./klp_handmade.ko
ok "module listed" module_loaded klp_handmade
wait_for 20 "transition done" klp_transition_done klp_handmade
ok "enabled is 1" klp_enabled klp_handmade
ok "vmlinux object patched" [ "$(cat $KLP_SYSFS/klp_handmade/vmlinux/patched)" = 1 ]
is "$(cat /proc/cmdline)" "klpgen-handmade: $banner" \
	"/proc/cmdline calls the static version_proc_show (klp relocation applied)"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/klp_handmade/enabled"
wait_for 20 "patch gone from sysfs" klp_gone klp_handmade
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline restored"
ok "rmmod" rmmod klp_handmade
fails "module gone" module_loaded klp_handmade
done_testing
