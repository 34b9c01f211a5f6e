# shellcheck shell=sh
# examples/kpatch/syscall.patch: KPATCH_SYSCALL_DEFINE1(newuname) makes
# uname(2) report "Linux-kpatched".
. ./guest-lib.sh
P=test_syscall
release=$(uname -r)
is "$(uname -s)" "Linux" "before: uname -s is Linux"
ok "insmod test-syscall.ko (file name as kpatch-build writes it)" insmod ./test-syscall.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat $KLP_SYSFS/$P/vmlinux/patched)" 1 "vmlinux patched (module name test_syscall)"
is "$(uname -s)" "Linux-kpatched" "uname -s shows the patched system call"
is "$(uname -r)" "$release" "the rest of uname(2) is unchanged"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(uname -s)" "Linux" "after disabling: Linux again"
ok "rmmod" rmmod $P
done_testing
