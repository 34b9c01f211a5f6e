# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# States, shadow ids and callbacks of klpgen modules; atomic replace.
. ./guest-lib.sh

S=$KLP_SYSFS
cb_order() {	# the callbacks module $1 logged since the mark, in order
	dmesg_new | grep -oE "$1: (pre|post)_(un)?patch" | sed 's/.*: //' |
		tr '\n' ' '
}

dmesg_mark
ok "insmod klp_states1.ko" insmod ./klp_states1.ko
wait_for 20 "klp_states1 transition done" klp_transition_done klp_states1
wait_dmesg 10 "klp_states1: post_patch" "klp_states1 post_patch ran"
is "$(cb_order klp_states1)" "pre_patch post_patch " "enable: pre_patch, then post_patch"
like "$(dmesg_new)" "klp_states1: pre_patch prev_state=0 shadow=0" "no previous state"
like "$(dmesg_new)" "klp_states1: post_patch shadow=41" "shadow variable attached"
is "$(cat /proc/cmdline)" "klp-states-1" "klp_states1 patches /proc/cmdline"

dmesg_mark
ok "insmod klp_states2.ko (replace)" insmod ./klp_states2.ko
wait_for 20 "klp_states1 replaced: sysfs dir gone" klp_gone klp_states1
wait_for 20 "klp_states2 transition done" klp_transition_done klp_states2
ok "klp_states2 enabled" klp_enabled klp_states2
like "$(dmesg_new)" "klp_states2: pre_patch prev_state=1 shadow=41" \
	"klp_states2 sees the previous state 1 and the shadow variable"
is "$(cb_order klp_states2)" "pre_patch post_patch " "klp_states2: pre_patch, post_patch"
is "$(cb_order klp_states1)" "" "replaced klp_states1 runs no unpatch callbacks"
is "$(cat /proc/cmdline)" "klp-states-2" "klp_states2 patches /proc/cmdline"
ok "rmmod replaced klp_states1" rmmod klp_states1

dmesg_mark
ok "disable klp_states2" sh -c "echo 0 > $S/klp_states2/enabled"
wait_for 20 "klp_states2 gone" klp_gone klp_states2
wait_dmesg 10 "klp_states2: post_unpatch" "klp_states2 post_unpatch ran"
is "$(cb_order klp_states2)" "pre_unpatch post_unpatch " "disable: pre_unpatch, then post_unpatch"
isnt "$(cat /proc/cmdline)" "klp-states-2" "/proc/cmdline restored"
ok "rmmod klp_states2" rmmod klp_states2
done_testing
