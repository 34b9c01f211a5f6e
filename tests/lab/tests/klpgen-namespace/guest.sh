# shellcheck shell=sh
# examples/namespace.patch: cmdline_proc_show() uses
# insert_resource_expand_to_fit(), exported in namespace CXL; the module
# imports CXL (import_ns=CXL), or the kernel would refuse to load it.
. ./guest-lib.sh
P=klp_namespace
orig=$(cat /proc/cmdline)
unlike "$orig" 'klpgen-ns' "before: /proc/cmdline is the original"
ok "insmod $P.ko (it imports namespace CXL)" insmod ./$P.ko
unlike "$(dmesg)" 'does not import' "no namespace complaint from the loader"
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat /proc/cmdline)" "$orig klpgen-ns" "after loading: the patched cmdline_proc_show"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(cat /proc/cmdline)" "$orig" "after disabling: original again"
ok "rmmod" rmmod $P
done_testing
