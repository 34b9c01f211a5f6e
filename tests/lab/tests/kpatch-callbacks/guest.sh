# shellcheck shell=sh
# examples/kpatch/callbacks.patch: kpatch callbacks of vmlinux and of
# binfmt_misc.ko run in order, the patch loaded before and after the module.
. ./guest-lib.sh
P=livepatch_callbacks
mkdir -p /mnt/binfmt
# the callbacks' log lines since the last dmesg_mark, on one line
calls() { dmesg_new | sed -n 's/.*kpatch-callbacks: //p' | tr '\n' ',' | sed 's/,$//'; }
calls_are() { [ "$(calls)" = "$1" ]; }
wait_calls() {	# SECS WANT DESC: until the log shows exactly WANT, in order
	wait_for "$1" "$3" calls_are "$2" || diag "callbacks logged: $(calls)"
}

# 1. the livepatch first, then the module
dmesg_mark
ok "insmod livepatch-callbacks.ko (binfmt_misc not loaded)" insmod ./livepatch-callbacks.ko
wait_for 30 "transition finishes" klp_transition_done $P
wait_calls 10 "pre_patch vmlinux,post_patch vmlinux" "enable: vmlinux callbacks"
like "$(cat /proc/version)" '\(kpatch callbacks\)' "/proc/version patched"
dmesg_mark
ok "insmod binfmt_misc.ko" insmod ./binfmt_misc.ko
wait_calls 10 "pre_patch binfmt_misc,post_patch binfmt_misc" "module load: its callbacks"
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat /mnt/binfmt/status)" "enabled (kpatched)" "module function patched"
ok "umount" umount /mnt/binfmt
dmesg_mark
ok "rmmod binfmt_misc" rmmod binfmt_misc
wait_calls 10 "pre_unpatch binfmt_misc,post_unpatch binfmt_misc" "module unload: its unpatch callbacks"
dmesg_mark
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
wait_calls 10 "pre_unpatch vmlinux,post_unpatch vmlinux" "disable: vmlinux unpatch callbacks"
ok "rmmod $P" rmmod $P

# 2. the module first, then the livepatch
ok "insmod binfmt_misc.ko" insmod ./binfmt_misc.ko
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat /mnt/binfmt/status)" "enabled" "status original"
dmesg_mark
ok "insmod livepatch-callbacks.ko (binfmt_misc loaded)" insmod ./livepatch-callbacks.ko
wait_for 30 "transition finishes" klp_transition_done $P
wait_calls 10 "pre_patch vmlinux,pre_patch binfmt_misc,post_patch vmlinux,post_patch binfmt_misc" \
	"enable: both objects' callbacks"
is "$(cat /mnt/binfmt/status)" "enabled (kpatched)" "status patched (module loaded first)"
dmesg_mark
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
wait_calls 10 "pre_unpatch vmlinux,pre_unpatch binfmt_misc,post_unpatch vmlinux,post_unpatch binfmt_misc" \
	"disable: both objects' unpatch callbacks"
is "$(cat /mnt/binfmt/status)" "enabled" "status original again"
unlike "$(cat /proc/version)" 'kpatch callbacks' "/proc/version original"
ok "rmmod $P" rmmod $P
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
done_testing
