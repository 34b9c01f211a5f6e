# shellcheck shell=sh
# examples/tracepoint.patch: __set_oom_adj() keeps its tracepoint on the
# non-exported key __tracepoint_oom_score_adj_update.  The module's jump
# label is registered against the vmlinux key (klp relocation applied by the
# loader before jump_label_add_module), so enabling the event patches the
# module's copy of the function too.  (setup checked the relocations.)
. ./guest-lib.sh
P=klp_tracepoint
T=/sys/kernel/tracing
adj() {	# VALUE: write it to the oom_score_adj of a fresh shell, print the result
	sh -c "echo $1 > /proc/\$\$/oom_score_adj && cat /proc/\$\$/oom_score_adj"
}
is "$(adj 123)" 123 "before: 123 is stored as 123"
ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
dmesg_mark
is "$(adj 123)" 124 "patched: 123 is stored as 124"
is "$(adj 77)" 77 "patched: other values unchanged"
ok "mount tracefs" mount -t tracefs nodev $T
ok "enable oom_score_adj_update event" sh -c "echo 1 > $T/events/oom/oom_score_adj_update/enable"
ok "clear trace" sh -c "echo > $T/trace"
is "$(adj 123)" 124 "patched with the event on"
like "$(cat $T/trace)" 'oom_score_adj_update: pid=[0-9]+ comm=sh oom_score_adj=124' \
	"the tracepoint fires from the patched function (jump label enabled in the module)"
ok "disable event" sh -c "echo 0 > $T/events/oom/oom_score_adj_update/enable"
ok "clear trace again" sh -c "echo > $T/trace"
is "$(adj 123)" 124 "patched with the event off"
unlike "$(cat $T/trace)" 'oom_score_adj_update:' "no event once disabled (jump label disabled again)"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
is "$(adj 123)" 123 "after disable: 123 is stored as 123"
ok "rmmod" rmmod $P
ok "event on after rmmod" sh -c "echo 1 > $T/events/oom/oom_score_adj_update/enable"
is "$(adj 123)" 123 "original function with the event on"
like "$(cat $T/trace)" 'oom_score_adj=123' "the original tracepoint still fires"
ok "event off" sh -c "echo 0 > $T/events/oom/oom_score_adj_update/enable"
unlike "$(dmesg_new)" 'Oops|BUG:|WARNING:|general protection' "no oops, BUG or warning"
done_testing
