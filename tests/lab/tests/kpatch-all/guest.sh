# shellcheck shell=sh
# examples/kpatch/all.patch: callbacks of vmlinux and binfmt_misc in order,
# the system call, KPATCH_PRINTK, the ignored and the forced change.
. ./guest-lib.sh
P=livepatch_all
mkdir -p /mnt/binfmt
calls() { dmesg_new | sed -n 's/.*kpatch-callbacks: //p' | tr '\n' ',' | sed 's/,$//'; }
calls_are() { [ "$(calls)" = "$1" ]; }
wait_calls() {	# SECS WANT DESC
	wait_for "$1" "$3" calls_are "$2" || diag "callbacks logged: $(calls)"
}
cmdline=$(cat /proc/cmdline) version=$(cat /proc/version)

dmesg_mark
ok "insmod livepatch-all.ko" insmod ./livepatch-all.ko
wait_for 30 "transition finishes" klp_transition_done $P
wait_calls 10 "pre_patch vmlinux,post_patch vmlinux" "vmlinux callbacks on enable"
is "$(uname -s)" "Linux-kpatched" "KPATCH_SYSCALL_DEFINE1: uname -s patched"
dmesg_mark
is "$(cat /proc/cmdline)" "$cmdline [kpatch-all]" "/proc/cmdline patched (its __init change forced, left out)"
wait_dmesg 10 'kpatch-all: cmdline read by cat' "KPATCH_PRINTK's line"
is "$(cat /proc/version)" "$version" "KPATCH_IGNORE_FUNCTION: /proc/version not patched"
dmesg_mark
ok "insmod binfmt_misc.ko" insmod ./binfmt_misc.ko
wait_calls 10 "pre_patch binfmt_misc,post_patch binfmt_misc" "module callbacks on its load"
ok "mount binfmt_misc" mount -t binfmt_misc none /mnt/binfmt
is "$(cat /mnt/binfmt/status)" "enabled (kpatched)" "module function patched"
dmesg_mark
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
wait_calls 10 "pre_unpatch vmlinux,pre_unpatch binfmt_misc,post_unpatch vmlinux,post_unpatch binfmt_misc" \
	"unpatch callbacks of both objects on disable"
is "$(uname -s)" "Linux" "uname -s original"
is "$(cat /proc/cmdline)" "$cmdline" "/proc/cmdline original"
is "$(cat /mnt/binfmt/status)" "enabled" "module function original"
ok "rmmod $P" rmmod $P
ok "umount" umount /mnt/binfmt
ok "rmmod binfmt_misc" rmmod binfmt_misc
done_testing
