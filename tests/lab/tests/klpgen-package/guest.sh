# shellcheck shell=sh
# klpgen-package: the guest booted with klpgen-loader's and v1's payloads in
# its root, and /init ran klpgen-patch.service's ExecStart before this
# script (see setup).  Then v2 is installed the way rpm upgrades a package.
. ./guest-lib.sh
V1=klp_series_v1
V2=klp_series_v2
LOAD=/usr/lib/klpgen/klpgen-load
kver=$(uname -r)

# Boot: the loader ran, nothing was loaded by hand.
is "$(cat /lab/boot.rc 2>/dev/null)" 0 "the boot-time loader exited 0"
like "$(cat /lab/boot.log)" "^klpgen-load: $V1: enabled, transition complete" \
	"boot log: v1 enabled, transition complete"
ok "v1's module is where the package put it" test -f /usr/lib/klpgen/$kver/$V1.ko
is "$(cat $KLP_SYSFS/$V1/enabled 2>/dev/null)" 1 "v1 enabled after boot"
is "$(cat $KLP_SYSFS/$V1/transition 2>/dev/null)" 0 "v1 transition done"
like "$(cat /proc/cmdline)" ' \[livepatched by klpgen\]$' "v1's fix: /proc/cmdline banner"
unlike "$(cat /proc/version)" 'new function' "/proc/version not patched yet"

# Loading again is a no-op.
out=$($LOAD 2>&1); rc=$?
is "$rc" 0 "loader run again: exit 0"
like "$out" "$V1: already enabled" "... says v1 is already enabled"

# Upgrade to v2 as rpm -U does: new files, new %post (2 = installed after
# it: v1 and v2), old files v2 does not have, old %preun (1: an upgrade).
ok "v2's files installed" cp -a /lab/v2/root/. /
out=$(sh /lab/v2/post 2 2>&1); rc=$?
is "$rc" 0 "v2 %post: exit 0"
like "$out" "$V2: enabled, transition complete" "v2 %post: v2 enabled"
like "$out" "$V1: replaced; module removed" "v2 %post: v1 replaced, its module removed"
for f in $(cat /lab/v2/v1-files); do
	[ -e "/lab/v2/root$f" ] || rm -f "$f"
done
out=$(sh /lab/v2/v1-preun 1 2>&1); rc=$?
is "$rc" 0 "v1 %preun on upgrade: exit 0"
is "$out" "" "v1 %preun on upgrade: says nothing"
is "$(ls $KLP_SYSFS)" "$V2" "only v2 under $KLP_SYSFS (atomic replace)"
is "$(cat $KLP_SYSFS/$V2/enabled)" 1 "v2 enabled"
fails "v1's module is gone" grep -q "^$V1 " /proc/modules
like "$(cat /proc/cmdline)" ' \[livepatched by klpgen\]$' "v1's fix carried by v2"
like "$(cat /proc/version)" 'klpgen: this line comes from a new function' \
	"v2's own fix: /proc/version"
ok "v1's module file removed by the upgrade" test ! -e /usr/lib/klpgen/$kver/$V1.ko

# The Debian package's scripts: configure loads nothing new; remove says
# what stays loaded.
out=$(sh /lab/v2/deb/postinst configure 1-1 2>&1); rc=$?
is "$rc" 0 "deb postinst configure: exit 0"
like "$out" "$V2: already enabled" "deb postinst: v2 already enabled"

# klpgen.enable=0 on the kernel command line: the loader does nothing.
echo "console=ttyS0 klpgen.enable=0" >/tmp/cmdline
if mount --bind /tmp/cmdline /proc/cmdline 2>/dev/null; then
	out=$($LOAD 2>&1); rc=$?
	umount /proc/cmdline
	is "$rc" 0 "klpgen.enable=0: exit 0"
	like "$out" 'klpgen.enable=0 on the kernel command line: nothing loaded' \
		"klpgen.enable=0: says so"
else
	fail "bind-mount a command line with klpgen.enable=0"
fi

# Removal (rpm -e: %preun 0; dpkg -r: prerm remove) leaves v2 loaded.
out=$(sh /lab/v2/preun 0 2>&1); rc=$?
is "$rc" 0 "v2 %preun on removal: exit 0"
like "$out" "$V2 stays loaded: removing its package does not unload" \
	"v2 %preun: v2 stays loaded, and says so"
like "$out" "echo 0 > $KLP_SYSFS/$V2/enabled" "... and how to disable it"
out=$(sh /lab/v2/deb/prerm remove 2>&1)
like "$out" "$V2 stays loaded" "deb prerm remove: the same"
is "$(cat $KLP_SYSFS/$V2/enabled)" 1 "v2 still enabled after removal scripts"

# The admin disables it.
ok "disable v2" sh -c "echo 0 > $KLP_SYSFS/$V2/enabled"
wait_for 30 "v2 unpatched" klp_gone $V2
unlike "$(cat /proc/cmdline)" 'livepatched' "/proc/cmdline restored"
ok "rmmod v2" rmmod $V2
done_testing
