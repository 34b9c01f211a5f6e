# shellcheck shell=sh
# Debian's own kernel, booted as shipped (KREL and PKGVER are set by setup):
# it comes up untainted, modprobe loads the image's own (signed) modules,
# and an unsigned out-of-tree livepatch loads with the taints the kernel
# announces.
. ./guest-lib.sh

# contains STRING SUBSTRING DESC (no regex: versions have dots and pluses)
contains() {
	case $1 in
	*"$2"*) pass "$3" ;;
	*) diag "got: $1"; fail "$3" ;;
	esac
}

is "$(uname -r)" "$KREL" "uname -r is the image's release"
contains "$(cat /proc/version)" "Debian $PKGVER " "/proc/version names the package version"
is "$(cat /proc/sys/kernel/tainted)" 0 "untainted after boot"
ok "/sys/kernel/livepatch exists" test -d /sys/kernel/livepatch
ok "the guest has a modules.dep" test -s "/lib/modules/$KREL/modules.dep"

dmesg_mark
ok "modprobe binfmt_misc (a module of the image)" modprobe binfmt_misc
ok "binfmt_misc loaded" module_loaded binfmt_misc
is "$(cat /proc/sys/kernel/tainted)" 0 "still untainted: Debian signed it"
unlike "$(dmesg_new)" 'verification failed|taint' "no signature complaint"
ok "modprobe -r binfmt_misc" modprobe -r binfmt_misc
fails "binfmt_misc gone" module_loaded binfmt_misc

P=livepatch_sample
orig=$(cat /proc/cmdline)
dmesg_mark
ok "insmod livepatch-sample.ko (unsigned, no BTF)" insmod ./livepatch-sample.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "this has been live patched" "/proc/cmdline patched"
like "$(dmesg_new)" "$P: loading out-of-tree module taints kernel" "the kernel says: out-of-tree"
like "$(dmesg_new)" "$P: tainting kernel with TAINT_LIVEPATCH" "the kernel says: livepatch"
like "$(dmesg_new)" "$P: module verification failed: signature and/or required key missing - tainting kernel" \
	"the kernel says: unsigned"
is "$(cat /sys/module/$P/taint)" OEK "module taint OEK (out-of-tree, unsigned, livepatch)"
is "$(cat /proc/sys/kernel/tainted)" 45056 "kernel taint 45056 = O 4096 + E 8192 + K 32768"
fails "no BTF for it in /sys/kernel/btf" test -e /sys/kernel/btf/$P
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline restored"
ok "rmmod" rmmod $P

dmesg_mark
ok "insmod livepatch-sample-btf.ko (BTF from the -dbg vmlinux)" insmod ./livepatch-sample-btf.ko
wait_for 30 "transition finishes" klp_transition_done $P
ok "its BTF is in /sys/kernel/btf" test -e /sys/kernel/btf/$P
unlike "$(dmesg_new)" 'BTF' "no BTF complaint"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
ok "rmmod" rmmod $P
done_testing
