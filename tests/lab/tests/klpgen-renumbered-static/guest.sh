# shellcheck shell=sh
# examples/renumbered-static.patch: dup_mm_exe_file() calls a new inline
# helper with its own __func__; its pr_info_once() shows the patched
# fork path ran.
. ./guest-lib.sh
P=klp_renumbered_static
unlike "$(dmesg)" 'klpgen patched the fork path' "before: no klpgen line"
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
ok "a fork runs the patched dup_mmap" sh -c 'sh -c true'
like "$(dmesg)" 'klpgen_exe_note: klpgen patched the fork path' \
	"after loading: the new helper's line, with its own __func__"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
ok "rmmod" rmmod $P
done_testing
