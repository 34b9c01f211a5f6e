# shellcheck shell=sh
# examples/header-inline.patch, built by klpgen build: timens_add_boottime()
# in include/linux/time_namespace.h adds 10000 days, and both of its users
# show it: /proc/uptime (fs/proc/uptime.c) and sysinfo(2) (kernel/sys.c,
# what busybox uptime prints).
. ./guest-lib.sh
P=klp_header_inline
secs() { cut -d. -f1 /proc/uptime; }
DAYS=864000000

[ "$(secs)" -lt 100000 ]; is $? 0 "before: /proc/uptime is the real one ($(secs) s)"
unlike "$(uptime)" 'up 10000 days' "before: uptime is the real one"

ok "insmod $P.ko" insmod ./$P.ko
wait_for 30 "transition finishes" klp_transition_done $P
is "$(cat $KLP_SYSFS/$P/vmlinux/patched)" 1 "vmlinux patched"
[ "$(secs)" -ge $DAYS ] && [ "$(secs)" -lt $((DAYS + 100000)) ]
is $? 0 "/proc/uptime is 10000 days later ($(secs) s): fs/proc/uptime.c patched"
like "$(uptime)" 'up 10000 days' "uptime says up 10000 days: kernel/sys.c patched"

ok "disable" sh -c "echo 0 > $KLP_SYSFS/$P/enabled"
wait_for 30 "unpatched" klp_gone $P
[ "$(secs)" -lt 100000 ]; is $? 0 "after disabling: /proc/uptime is the real one again"
unlike "$(uptime)" 'up 10000 days' "after disabling: uptime is the real one again"
ok "rmmod" rmmod $P
done_testing
