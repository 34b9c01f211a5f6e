# shellcheck shell=sh
# A forced transition: v2 replaces v1 while a task sleeps in v1's
# pipe_read(), so the transition cannot finish; writing 1 to force ends it,
# and v1's module can then never be unloaded (the kernel keeps its
# reference: the sleeping task may still run v1's code).
. ./guest-lib.sh
V1=klp_force_v1 V2=klp_force_v2
ok "insmod $V1" insmod ./$V1.ko
wait_for 30 "$V1 transition done" klp_transition_done $V1
like "$(cat /proc/cmdline)" '\[force-v1\]$' "v1 runs"
(sleep 600 | cat) &
sleeper() { pid=$(pidof cat) && grep -q pipe_read "/proc/$pid/stack"; }
wait_for 10 "a task (cat) sleeps in pipe_read" sleeper
diag "cat $(pidof cat): $(tr '\n' ' ' <"/proc/$(pidof cat)/stack")"

dmesg_mark
ok "insmod $V2 (replaces $V1)" insmod ./$V2.ko
sleep 2
is "$(cat $KLP_SYSFS/$V2/transition)" 1 "2 s later v2's transition still waits for the task in pipe_read"
ok "$V1 is still listed" test -d $KLP_SYSFS/$V1
ok "echo 1 > $V2/force" sh -c "echo 1 > $KLP_SYSFS/$V2/force"
wait_for 10 "the transition completes" klp_transition_done $V2
wait_for 10 "$V1 is replaced (its sysfs directory is gone)" klp_gone $V1
like "$(dmesg_new)" 'forcing remaining tasks to the patched state' "dmesg: the kernel forced it"
like "$(cat /proc/cmdline)" '\[force-v2\]$' "v2 runs"
fails "rmmod $V1 is refused" rmmod $V1
like "$(cat /proc/modules)" "^$V1 " "$V1 stays loaded: the kernel keeps its reference"
{ for p in $(pidof cat) $(pidof sleep); do kill "$p"; done; wait; } 2>/dev/null
fails "... even after the sleeping task is gone" rmmod $V1
ok "disable $V2" sh -c "echo 0 > $KLP_SYSFS/$V2/enabled"
wait_for 30 "$V2 gone" klp_gone $V2
ok "rmmod $V2 (not forced itself)" rmmod $V2
fails "rmmod $V1 still refused" rmmod $V1
done_testing
