# shellcheck shell=sh
# examples/new-function.patch: version_proc_show() calls a function that
# only the livepatch module has.
. ./guest-lib.sh
P=klp_new_function
orig=$(cat /proc/version)
unlike "$orig" 'klpgen' "before: /proc/version is the original"
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
like "$(cat /proc/version)" '^Linux version' "after loading: banner still there"
is "$(sed -n 2p /proc/version)" "klpgen: this line comes from a new function" \
	"after loading: the new function's line"
like "$(cat /proc/kallsyms)" 'klpgen_version_note.*\[klp_new_function\]' \
	"the new function lives in the module"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/version)" "$orig" "after disabling: original again"
ok "rmmod" rmmod $P
done_testing
