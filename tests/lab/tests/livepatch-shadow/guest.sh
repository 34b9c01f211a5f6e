# shellcheck shell=sh
# samples/livepatch/livepatch-shadow-{mod,fix1,fix2}: a module that leaks
# memory, a fix that tracks the leak with a shadow variable (SV_LEAK), a second
# fix that adds a counter shadow variable (SV_COUNTER).  The module allocates
# a dummy every 1 s; a dummy expires after 12 s and is freed by a cleanup
# pass every 3 s, so "prevented leak" needs ~15 s after fix1 is loaded.
. ./guest-lib.sh

dmesg_mark
ok "insmod livepatch-shadow-mod.ko" insmod ./livepatch-shadow-mod.ko
# livepatch-shadow-mod.c has no pr_fmt: its lines carry no module prefix.
wait_dmesg 10 '(^|\] )dummy_alloc: dummy @ .*, expires @' "module allocates dummies"

dmesg_mark
ok "insmod livepatch-shadow-fix1.ko" insmod ./livepatch-shadow-fix1.ko
wait_for 30 "fix1 transition finishes" klp_transition_done livepatch_shadow_fix1
wait_dmesg 10 'livepatch_shadow_fix1: livepatch_fix1_dummy_alloc: dummy @ .*, expires @' \
	"fix1 replaces dummy_alloc"
wait_dmesg 30 'livepatch_shadow_fix1: livepatch_fix1_dummy_leak_dtor: dummy @ .*, prevented leak @' \
	"fix1 frees the leak through its shadow variable"

dmesg_mark
ok "insmod livepatch-shadow-fix2.ko" insmod ./livepatch-shadow-fix2.ko
wait_for 30 "fix2 transition finishes" klp_transition_done livepatch_shadow_fix2
wait_dmesg 20 'livepatch_shadow_fix2: livepatch_fix2_dummy_free: dummy @ .*, check counter = [0-9]+' \
	"fix2 counts checks in a second shadow variable"
unlike "$(dmesg_new)" 'fix2_dummy_free: .* leaked!' "fix2 sees no leak for fix1's dummies"

ok "disable fix2" sh -c "echo 0 > $KLP_SYSFS/livepatch_shadow_fix2/enabled"
wait_for 30 "fix2 unpatched" klp_gone livepatch_shadow_fix2
ok "rmmod fix2" rmmod livepatch_shadow_fix2
ok "disable fix1" sh -c "echo 0 > $KLP_SYSFS/livepatch_shadow_fix1/enabled"
wait_for 30 "fix1 unpatched" klp_gone livepatch_shadow_fix1
ok "rmmod fix1" rmmod livepatch_shadow_fix1
dmesg_mark
ok "rmmod livepatch-shadow-mod" rmmod livepatch_shadow_mod
fails "no shadow module left" grep -q shadow /proc/modules
done_testing
