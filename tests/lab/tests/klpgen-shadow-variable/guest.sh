# shellcheck shell=sh
# examples/shadow-variable.patch: tasks forked while the patch is enabled
# get a shadow variable shown in /proc/<pid>/status; it is freed on
# disable by the post-unpatch callback.
. ./guest-lib.sh
P=klp_shadow_variable
unlike "$(cat /proc/self/status)" 'KlpgenSerial' "before: no KlpgenSerial field"
dmesg_mark
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
unlike "$(cat /proc/1/status)" 'KlpgenSerial' "init (forked before) has no field"
a=$(grep KlpgenSerial /proc/self/status | cut -f2)
b=$(grep KlpgenSerial /proc/self/status | cut -f2)
like "$a" '^[0-9]+$' "a new task has KlpgenSerial ($a)"
ok_ser() { [ "$b" -gt "$a" ]; }
ok "the next task has a larger serial ($b)" ok_ser
sleep 30 & bg=$!
like "$(grep KlpgenSerial /proc/$bg/status)" 'KlpgenSerial' "a running task keeps its field"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
wait_dmesg 10 'klpgen-shadow: all shadow variables freed' "post-unpatch callback freed the shadow variables"
unlike "$(cat /proc/$bg/status)" 'KlpgenSerial' "after disabling: no field"
kill $bg
ok "rmmod" rmmod $P
done_testing
