# shellcheck shell=sh
# examples/module-function.patch patches bm_status_read() in binfmt_misc.ko;
# the livepatch is loaded once before and once after the module.
. ./guest-lib.sh
P=klp_module_function
mkdir -p /mnt/binfmt
status() { cat /mnt/binfmt/status; }

# 1. livepatch first, then the module
ok "insmod $P.ko (binfmt_misc not loaded)" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
ok "load binfmt_misc" load_module binfmt_misc
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat $KLP_SYSFS/$P/binfmt_misc/patched)" 1 "binfmt_misc object patched on load"
is "$(status)" "enabled (livepatched)" "status patched (patch loaded first)"
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
ok "rmmod $P" rmmod $P

# 2. the module first, then the livepatch
ok "load binfmt_misc" load_module binfmt_misc
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(status)" "enabled" "status original"
ok "insmod $P.ko (binfmt_misc loaded)" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(status)" "enabled (livepatched)" "status patched (module loaded first)"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(status)" "enabled" "status original again"
ok "rmmod $P" rmmod $P
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
done_testing
