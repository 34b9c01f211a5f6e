# shellcheck shell=sh
# examples/kpatch/oot-module.patch: the out-of-tree module kp_oot patched,
# the livepatch loaded after and before it.
. ./guest-lib.sh
P=livepatch_oot_module
ok "insmod kp_oot.ko" insmod ./kp_oot.ko
is "$(cat /proc/kp_oot)" "kp_oot: original" "kp_oot original"
ok "insmod livepatch-oot-module.ko (kp_oot loaded)" insmod ./livepatch-oot-module.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat $KLP_SYSFS/$P/kp_oot/patched)" 1 "object kp_oot patched"
is "$(cat /proc/kp_oot)" "kp_oot: patched (kpatch-build --oot-module)" "kp_oot_show patched"
ok "rmmod kp_oot" rmmod kp_oot
ok "insmod kp_oot.ko again (livepatch loaded first)" insmod ./kp_oot.ko
is "$(cat /proc/kp_oot)" "kp_oot: patched (kpatch-build --oot-module)" "patched on load"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/kp_oot)" "kp_oot: original" "original again"
ok "rmmod $P" rmmod $P
ok "rmmod kp_oot" rmmod kp_oot
done_testing
