# shellcheck shell=sh
# Debian's own kernel, as shipped, booted with module.sig_enforce=1 (file
# append): its own modules, signed by Debian, still load untainted; the
# unsigned livepatch klpgen built is refused, and the kernel says why.
. ./guest-lib.sh
is "$(cat /sys/module/module/parameters/sig_enforce)" Y "signatures are enforced"
dmesg_mark
ok "modprobe binfmt_misc (signed by Debian) loads" modprobe binfmt_misc
is "$(cat /proc/sys/kernel/tainted)" 0 "untainted: its signature verified"
ok "modprobe -r binfmt_misc" modprobe -r binfmt_misc

orig=$(cat /proc/cmdline)
dmesg_mark
fails "the unsigned livepatch is refused" insmod ./klp_unsigned.ko
wait_dmesg 5 "Loading of unsigned module is rejected" "the kernel says why"
ok "klp_unsigned is not loaded" sh -c "! grep -q '^klp_unsigned ' /proc/modules"
ok "nothing was patched" test ! -e /sys/kernel/livepatch/klp_unsigned
is "$(cat /proc/cmdline)" "$orig" "/proc/cmdline unchanged"
is "$(cat /proc/sys/kernel/tainted)" 0 "still untainted"
done_testing
