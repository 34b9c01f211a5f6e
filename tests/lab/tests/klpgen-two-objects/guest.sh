# shellcheck shell=sh
# examples/two-objects.patch: meminfo_proc_show() (meminfo.o) calls
# klpgen_meminfo_note(), a new global function of cmdline.o.
. ./guest-lib.sh
P=klp_two_objects
unlike "$(cat /proc/meminfo)" 'KlpgenNote' "before: no KlpgenNote line"
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
like "$(cat /proc/meminfo)" '^MemTotal:' "after loading: meminfo still there"
is "$(grep KlpgenNote /proc/meminfo)" "KlpgenNote:     defined in cmdline.o" \
	"after loading: the line from the other object's new function"
like "$(cat /proc/kallsyms)" 'klpgen_meminfo_note.*\[klp_two_objects\]' \
	"the new function lives in the module"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
unlike "$(cat /proc/meminfo)" 'KlpgenNote' "after disabling: no KlpgenNote line"
ok "rmmod" rmmod $P
done_testing
