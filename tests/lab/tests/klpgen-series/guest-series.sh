# shellcheck shell=sh
# The guest side of klpgen-series: v1, v2 replacing it, v3 refused.
. ./guest-lib.sh
V1=klp_series_v1 V2=klp_series_v2 V3=klp_series_v3
serial() { grep KlpgenSerial "/proc/$1/status" | cut -f2; }
fix2() { grep -c 'klpgen series: fix 2' /proc/version; }

unlike "$(cat /proc/self/status)" KlpgenSerial "before v1: no KlpgenSerial"
ok "insmod $V1" insmod ./$V1.ko
wait_for 30 "$V1 transition done" klp_transition_done $V1
sleep 600 & t1=$!
s1=$(serial $t1)
like "$s1" '^[0-9]+$' "v1: a task forked now has serial '$s1' (fix 1)"
is "$(fix2)" 0 "v1: fix 2 not there yet"

dmesg_mark
ok "insmod $V2 (replaces $V1)" insmod ./$V2.ko
wait_for 30 "$V1 replaced: its sysfs directory is gone" klp_gone $V1
wait_for 30 "$V2 transition done" klp_transition_done $V2
is "$(ls $KLP_SYSFS)" "$V2" "only $V2 under $KLP_SYSFS"
like "$(dmesg_new)" "klpgen-series: taking over state 1 version 1, counter at [0-9]+" \
	"v2's pre_patch callback took over state 1 version 1 (klp_get_prev_state)"
c=$(dmesg_new | sed -n 's/.*klpgen-series: taking over .*counter at \([0-9]*\).*/\1/p')
ok "... with v1's counter, at $c (>= $s1)" test "${c:-0}" -ge "$s1"
is "$(dmesg_new | grep -c 'shadow variables freed')" 0 "v1's post_unpatch callback did not run"
ok "rmmod $V1 (replaced)" rmmod $V1
unlike "$(cat /proc/modules)" "^$V1 " "$V1 unloaded"
is "$(serial $t1)" "$s1" "task $t1 still has serial $s1: shadow data made under v1 is there"
is "$(fix2)" 1 "v2: fix 2 visible in /proc/version"
sleep 600 & t2=$!
s2=$(serial $t2)
ok "v2: fix 1 visible, numbering goes on: a new task has serial $s2 > $c" test "${s2:-0}" -gt "${c:-0}"

dmesg_mark
fails "insmod $V3 (drops state 1) fails" insmod ./$V3.ko
like "$(dmesg_new)" "Livepatch patch \($V3\) is not compatible with the already installed livepatches" \
	"dmesg: $V3 is not compatible"
is "$(ls $KLP_SYSFS)" "$V2" "$V2 is still the one patch"
is "$(serial $t1)" "$s1" "... and task $t1 keeps its serial"
kill $t1 $t2

dmesg_mark
ok "disable $V2" sh -c "echo 0 > $KLP_SYSFS/$V2/enabled"
wait_for 30 "$V2 gone" klp_gone $V2
wait_dmesg 10 'klpgen-series: shadow variables freed' "v2's post_unpatch callback freed the shadow variables"
ok "rmmod $V2" rmmod $V2
done_testing
