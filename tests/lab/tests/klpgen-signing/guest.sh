# shellcheck shell=sh
# Booted with module.sig_enforce=1 (file append): the lab kernel trusts
# only the key of its own build.  The livepatch signed with it by klpgen
# build --sign-key loads; the same module unsigned is refused.
. ./guest-lib.sh
is "$(cat /sys/module/module/parameters/sig_enforce)" Y "signatures are enforced"
dmesg_mark
fails "the unsigned livepatch is refused" insmod ./klp_unsigned.ko
wait_dmesg 5 "Loading of unsigned module is rejected" "the kernel says why"
ok "klp_unsigned is not loaded" sh -c "! grep -q '^klp_unsigned ' /proc/modules"

orig=$(cat /proc/cmdline)
dmesg_mark
ok "the signed livepatch loads" insmod ./klp_signed.ko
wait_for 30 "transition finishes" klp_transition_done klp_signed
is "$(cat /proc/cmdline)" "$orig [livepatched by klpgen]" "and patches"
unlike "$(dmesg_new)" "verification failed" "its signature verified (no taint message)"
ok "disable" sh -c "echo 0 > $KLP_SYSFS/klp_signed/enabled"
wait_for 30 "unpatched" klp_gone klp_signed
is "$(cat /proc/cmdline)" "$orig" "original again"
ok "rmmod" rmmod klp_signed
done_testing
