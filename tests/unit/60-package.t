#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen package: RPMs and .debs of small fake livepatch modules (an object
# with .modinfo and .klpgen.meta, as tests/unit/09-meta.t makes them),
# read back with rpm and dpkg-deb, installed into scratch roots, built
# twice for byte-identical output, linted; then the loader script against a
# fake /proc and /sys, under sh and busybox sh.  The lab test
# klpgen-package does the same with real modules in a real kernel.
. "$(dirname "$0")/../lib/tap.sh"
mk_tmpdir
K=$BIN/klpgen
export SOURCE_DATE_EPOCH=1700000000 DEBFULLNAME="Test Packager" DEBEMAIL=test@example.org
unset KLPGEN_DATADIR
cd "$TMP" || bail "cd $TMP"
for t in rpmbuild rpm rpm2cpio dpkg-deb dpkg; do
	command -v $t >/dev/null || bail "$t missing: run scripts/install-deps"
done

# fake_ko FILE NAME KVER REPLACE [META-EXTRA] [MODINFO-EXTRA]
fake_ko() {
	local f=$1 name=$2 kver=$3 replace=$4 extra=${5:-} modinfo=${6-livepatch=Y}
	{
		printf 'static const char __attribute__((used, section(".modinfo"))) v[] = "vermagic=%s SMP preempt mod_unload modversions ";\n' "$kver"
		printf 'static const char __attribute__((used, section(".modinfo"))) n[] = "name=%s";\n' "$name"
		[ -z "$modinfo" ] || printf 'static const char __attribute__((used, section(".modinfo"))) l[] = "%s";\n' "$modinfo"
		echo 'int init_module(void) { return 0; }'
	} >"$f.c"
	gcc -c -o "$f.o" "$f.c" || return 1
	printf 'klpgen-meta 1\nmodule %s\nreplace %s\nobject vmlinux\nfunc vmlinux cmdline_proc_show 0\nfunc vmlinux version_proc_show 2\nstate 1 1 block_disable=0 is_shadow=0\nshadow 7\n%s' \
		"$name" "$replace" "$extra" >"$f.meta"
	objcopy --add-section .klpgen.meta="$f.meta" "$f.o" "$f"
}
fake_ko v1.ko klp_v1 6.1.192 1 $'version 1\nkernel 6.1.192\npatch fix-a.patch\n' || bail "cannot make a fake module"
fake_ko v2.ko klp_v2 6.1.192 1 $'version 2\npatch fix-a.patch\npatch fix-b.patch\n'
fake_ko stack.ko klp_stack 6.1.192 0 ''
fake_ko other.ko klp_other 6.1.0-57-cloud-amd64 1 ''
fake_ko nolp.ko klp_nolp 6.1.192 1 '' ''
fake_ko badk.ko klp_badk 6.1.192 1 $'kernel 6.2.0\n'
cp v1.ko.o nometa.ko

# --- RPM -----------------------------------------------------------------
out=$("$K" package --format rpm -o rpm v1.ko 2>err); rc=$?
is "$rc" 0 "rpm: klpgen package exits 0"
P=rpm/klpgen-patch-6_1_192-1-1.x86_64.rpm
L=rpm/klpgen-loader-1-1.noarch.rpm
is "$out" "wrote $TMP/$P
wrote $TMP/$L" "rpm: names the two packages written"
info=$(rpm -qip "$P" 2>&1)
like "$info" '^Name +: klpgen-patch-6_1_192$' "rpm -qip: name, kver with . and - as _"
like "$info" '^Version +: 1$' "rpm -qip: version from the version record"
like "$info" '^Release +: 1$' "rpm -qip: release 1 by default"
like "$info" '^Architecture: x86_64$' "rpm -qip: architecture of the module"
like "$info" '^License +: GPL-2.0-only$' "rpm -qip: license"
like "$info" '^Build Host +: klpgen$' "rpm -qip: build host is not this machine's"
like "$info" '^Build Date +: .* 2023' "rpm -qip: build date from SOURCE_DATE_EPOCH"
like "$info" '^Packager +: Test Packager <test@example.org>$' "rpm -qip: packager from DEBFULLNAME/DEBEMAIL"
like "$info" '^Summary +: Livepatch for Linux 6\.1\.192, built by klpgen$' "rpm -qip: summary"
like "$info" '^Module klp_v1$' "description: the module"
like "$info" '^  Replace: yes \(cumulative' "description: replace"
like "$info" '^  Patches: fix-a\.patch$' "description: patches"
like "$info" '^  Functions: vmlinux:cmdline_proc_show, vmlinux:version_proc_show,2$' "description: functions, sympos"
like "$info" '^  States: id 1 version 1$' "description: states"
like "$info" '^  Shadow variable ids: 7$' "description: shadow ids"
unlike "$info" '.{80}' "description: no line over 79 columns"
is "$(rpm -qpl "$P")" "/usr/lib/klpgen/6.1.192
/usr/lib/klpgen/6.1.192/klp_v1.klpgen-meta
/usr/lib/klpgen/6.1.192/klp_v1.ko" "rpm -qpl: the module under /usr/lib/klpgen/<kver>/"
req=$(rpm -qpR "$P")
like "$req" '^kernel-uname-r = 6\.1\.192$' "rpm -qpR: kernel-uname-r = kver"
like "$req" '^klpgen-loader >= 1$' "rpm -qpR: the loader"
unlike "$req" '^(lib|ld-linux)' "rpm -qpR: nothing generated from the module"
scripts=$(rpm -qp --scripts "$P")
like "$scripts" "/usr/lib/klpgen/klpgen-load --installed '6\.1\.192' \|\| :" "--scripts: %post loads, never fails"
like "$scripts" 'if \[ "\$1" -eq 0 \]; then' "--scripts: %preun acts on removal only"
like "$scripts" 'klpgen-load --removing klp_v1 \|\| :' "--scripts: %preun says what stays loaded"
unlike "$scripts" 'rmmod|enabled' "--scripts: nothing unloads or disables"
is "$(rpm -qpl "$L")" "/usr/lib/klpgen
/usr/lib/klpgen/klpgen-load
/usr/lib/systemd/system/klpgen-patch.service" "loader rpm -qpl: script and unit"
like "$(rpm -qp --qf '%{ARCH}' "$L")" '^noarch$' "loader: noarch"
like "$(rpm -qp --scripts "$L")" 'systemctl --quiet enable klpgen-patch\.service' "loader %post enables the unit"

# Installed into a scratch root: the bytes of the module, the modes.
mkdir -p root
rpm --root "$TMP/root" --dbpath "$TMP/root/db" --nodeps --noscripts -i "$P" "$L" >rpm.out 2>&1
is "$?" 0 "rpm --root --nodeps -i of both packages"
ok_desc "installed module is the module given" cmp v1.ko root/usr/lib/klpgen/6.1.192/klp_v1.ko
is "$(stat -c %a root/usr/lib/klpgen/6.1.192/klp_v1.ko root/usr/lib/klpgen/klpgen-load | tr '\n' ' ')" \
	"644 755 " "modes: module 644, loader 755"
meta=$(cat root/usr/lib/klpgen/6.1.192/klp_v1.klpgen-meta)
like "$meta" $'^klpgen-meta 1\nmodule klp_v1\nreplace 1' "installed meta: the .klpgen.meta format"
like "$meta" $'version 1\nkernel 6\\.1\\.192\npatch fix-a\\.patch' "installed meta: version, kernel, patch"
unit=root/usr/lib/systemd/system/klpgen-patch.service
like "$(cat "$unit")" '^Before=network-pre\.target' "unit: before network-pre.target"
like "$(cat "$unit")" '^Wants=network-pre\.target' "unit: pulls network-pre.target in"
like "$(cat "$unit")" '^Type=oneshot$' "unit: oneshot"
like "$(cat "$unit")" '^ConditionKernelCommandLine=!klpgen\.enable=0$' "unit: skipped with klpgen.enable=0"
like "$(cat "$unit")" '^ExecStart=/usr/lib/klpgen/klpgen-load --wait [0-9]+$' "unit: runs the loader, bounded wait"
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no --root="$TMP/root" klpgen-patch.service 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify: the unit is clean"
else
	skip "systemd-analyze not installed"
fi

# --- Reproducible --------------------------------------------------------
mkdir -p t1 t2
TMPDIR=$TMP/t1 "$K" package -f rpm -o r1 v1.ko >/dev/null 2>&1
sleep 1
TMPDIR=$TMP/t2 "$K" package -f rpm -o r2 v1.ko >/dev/null 2>&1
ok_desc "rpm: same inputs and SOURCE_DATE_EPOCH, byte-identical package" cmp r1/${P#rpm/} r2/${P#rpm/}
ok_desc "rpm: ... and loader" cmp r1/${L#rpm/} r2/${L#rpm/}
SOURCE_DATE_EPOCH=1700000001 "$K" package -f rpm -o r3 v1.ko >/dev/null 2>&1
fails "rpm: another SOURCE_DATE_EPOCH, other bytes" cmp r1/${P#rpm/} r3/${P#rpm/}
ok_desc "rpm: the loader package does not depend on the patch's date" cmp r1/${L#rpm/} r3/${L#rpm/}
is "$(find t1 t2 -name 'klpgen-package.*' | wc -l)" 0 "no work directory left in TMPDIR"

# --- deb -----------------------------------------------------------------
out=$("$K" package --format deb -o deb v1.ko 2>err); rc=$?
is "$rc" 0 "deb: klpgen package exits 0"
D=deb/klpgen-patch-6.1.192_1-1_amd64.deb
DL=deb/klpgen-loader_1_all.deb
is "$out" "wrote $TMP/$D
wrote $TMP/$DL" "deb: names the two packages written"
info=$(dpkg-deb -I "$D")
like "$info" '^ Package: klpgen-patch-6\.1\.192$' "dpkg-deb -I: name (dpkg forbids _: kver kept)"
like "$info" '^ Version: 1-1$' "dpkg-deb -I: version-release"
like "$info" '^ Architecture: amd64$' "dpkg-deb -I: architecture"
like "$info" '^ Depends: linux-image-6\.1\.192, klpgen-loader \(>= 1\)$' "dpkg-deb -I: depends on linux-image-<kver> and the loader"
like "$info" '^ Maintainer: Test Packager <test@example.org>$' "dpkg-deb -I: maintainer"
like "$info" '^ Description: Livepatch for Linux 6\.1\.192, built by klpgen$' "dpkg-deb -I: synopsis"
like "$info" '^    Replace: yes' "dpkg-deb -I: description rendered"
like "$info" '^  \.$' "dpkg-deb -I: blank description lines as ' .'"
like "$info" 'postinst +#!/bin/sh' "dpkg-deb -I: postinst"
like "$info" 'prerm +#!/bin/sh' "dpkg-deb -I: prerm"
list=$(dpkg-deb -c "$D" | awk '{ print $1, $2, $6 }')
like "$list" '^-rw-r--r-- root/root \./usr/lib/klpgen/6\.1\.192/klp_v1\.ko$' "dpkg-deb -c: module, root-owned, 644"
like "$list" 'usr/share/doc/klpgen-patch-6\.1\.192/copyright' "dpkg-deb -c: copyright"
like "$list" 'usr/share/doc/klpgen-patch-6\.1\.192/changelog\.Debian\.gz' "dpkg-deb -c: changelog"
like "$(dpkg-deb -c "$DL")" '\./lib/systemd/system/klpgen-patch\.service' "loader deb: the unit where bookworm wants it"
dpkg-deb -e "$D" ctl
like "$(cat ctl/postinst)" "klpgen-load --installed '6\.1\.192' \|\| true" "postinst: loads on configure, never fails"
like "$(cat ctl/prerm)" '"\$1" = remove' "prerm: on removal only"
like "$(cat ctl/prerm)" 'klpgen-load --removing klp_v1' "prerm: says what stays loaded"
ok_desc "md5sums check out" sh -c "mkdir x && dpkg-deb -x '$D' x && cd x && md5sum -c --quiet ../ctl/md5sums"
ok_desc "dpkg -x: the module is the module given" cmp v1.ko x/usr/lib/klpgen/6.1.192/klp_v1.ko
TMPDIR=$TMP/t1 "$K" package -f deb -o d1 v1.ko >/dev/null 2>&1
sleep 1
TMPDIR=$TMP/t2 "$K" package -f deb -o d2 v1.ko >/dev/null 2>&1
ok_desc "deb: same inputs and SOURCE_DATE_EPOCH, byte-identical package" cmp d1/${D#deb/} d2/${D#deb/}
ok_desc "deb: ... and loader" cmp d1/${DL#deb/} d2/${DL#deb/}
if command -v shellcheck >/dev/null; then
	ok_desc "the maintainer scripts pass shellcheck" shellcheck -S warning -s sh ctl/postinst ctl/prerm
else
	skip "shellcheck not installed"
fi

# --- Options and the choices made without them ---------------------------
"$K" package -f rpm -o opt --version 3.1 --release 2.el9 --name my-fix \
	--maintainer "A B <a@b.example>" v1.ko stack.ko >out 2>&1
is "$?" 0 "--version --release --name --maintainer, two modules"
O=opt/my-fix-3.1-2.el9.x86_64.rpm
like "$(rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{PACKAGER}' "$O")" '^my-fix 3\.1 2\.el9 A B <a@b\.example>$' "... all taken"
like "$(rpm -qpi "$O")" '^  Replace: no \(it stacks' "... the stacked module described"
like "$(rpm -qp --scripts "$O")" 'removing klp_v1 klp_stack' "... both modules named at removal"
rpm2cpio "$O" | cpio -i --to-stdout --quiet ./usr/lib/klpgen/6.1.192/klp_stack.klpgen-meta >m 2>/dev/null
like "$(cat m)" '^version 3\.1$' "installed meta: the package version"
"$K" package -f deb -o nover stack.ko >out 2>&1
is "$?" 0 "a module without a version record"
like "$(cat out)" 'no --version and none recorded in the module: version 0\.20231114221320' \
	"... version 0.<UTC date of SOURCE_DATE_EPOCH>, said"
ok_desc "... in the file name" test -f nover/klpgen-patch-6.1.192_0.20231114221320-1_amd64.deb
"$K" package -f rpm -o o2 v2.ko other.ko >out 2>&1
is "$?" 2 "modules of two kernels: exit 2"
like "$(cat out)" 'one package is for one kernel' "... says why"
"$K" package -f rpm -o o2 v1.ko v2.ko >out 2>&1
is "$?" 2 "two cumulative modules: exit 2"
like "$(cat out)" 'a package carries one cumulative module' "... says why"
"$K" package -f deb -o o2 other.ko >/dev/null 2>&1
ok_desc "deb of a Debian kernel release" test -f o2/klpgen-patch-6.1.0-57-cloud-amd64_0.20231114221320-1_amd64.deb
"$K" package -f rpm -o o2 other.ko >/dev/null 2>&1
ok_desc "rpm of it: . and - as _" test -f o2/klpgen-patch-6_1_0_57_cloud_amd64-0.20231114221320-1.x86_64.rpm
like "$(rpm -qpR o2/klpgen-patch-6_1_0_57_cloud_amd64-*.rpm)" '^kernel-uname-r = 6\.1\.0-57-cloud-amd64$' \
	"... requires that release though RPM wants one dash in a version"

bad() {	# bad DESC REGEX ARGS...
	local d=$1 re=$2 out rc
	shift 2
	out=$("$K" package "$@" 2>&1); rc=$?
	is "$rc" 2 "$d: exit 2"
	like "$out" "$re" "$d: says why"
}
bad "no module" 'no module given' -f rpm -o bad
bad "no --format" 'no --format' -o bad v1.ko
bad "--format zip" '--format zip: rpm or deb' -f zip -o bad v1.ko
bad "missing module" 'nope\.ko: No such file' -f rpm -o bad nope.ko
bad "no .klpgen.meta" 'nometa\.ko: no \.klpgen\.meta section' -f rpm -o bad nometa.ko
bad "no livepatch=Y" 'nolp\.ko: not a livepatch module' -f rpm -o bad nolp.ko
bad "meta kernel is not vermagic" 'badk\.ko: \.klpgen\.meta says kernel 6\.2\.0, its vermagic 6\.1\.192' -f rpm -o bad badk.ko
bad "version with a dash" "version '1-2'" -f rpm -o bad --version 1-2 v1.ko
bad "version not starting with a digit" "version 'v1'" -f deb -o bad --version v1 v1.ko
bad "release with a dash" "release 'a-b'" -f rpm -o bad --release a-b v1.ko
bad "deb name with _" "package name 'my_fix'" -f deb -o bad --name my_fix v1.ko
bad "name with a slash" "package name 'a/b'" -f rpm -o bad --name a/b v1.ko
bad "maintainer without address" "maintainer 'nobody'" -f rpm -o bad --maintainer nobody v1.ko
out=$(SOURCE_DATE_EPOCH=yesterday "$K" package -f rpm -o bad v1.ko 2>&1)
is "$?" 2 "SOURCE_DATE_EPOCH=yesterday: exit 2"
like "$out" "SOURCE_DATE_EPOCH='yesterday' is not a number" "... says why"
ok_desc "nothing written by the failures" test ! -e bad -o -z "$(ls bad 2>/dev/null)"

# --- Interrupted and killed runs leave nothing behind ----------------------
# A slow rpmbuild stands in for the real one.
mkdir -p slow t3
printf '#!/bin/sh\necho $$ >"$SLOW_PID"\nexec sleep 30\n' >slow/rpmbuild
export SLOW_PID=$TMP/slow.pid
chmod +x slow/rpmbuild
PATH=$TMP/slow:$PATH TMPDIR=$TMP/t3 "$K" package -f rpm -o sig v1.ko >sig.out 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$SLOW_PID" ] && break; sleep 0.1; done
sleep 0.5
kill -TERM $pid
wait $pid
is "$?" 130 "SIGTERM during rpmbuild: exit 130"
is "$(ls t3)" "" "... its work directory removed"
ok_desc "... nothing written" test ! -e sig/klpgen-patch-6_1_192-1-1.x86_64.rpm
rm -f "$SLOW_PID"
PATH=$TMP/slow:$PATH TMPDIR=$TMP/t3 "$K" package -f rpm -o sig v1.ko >sig.out 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$SLOW_PID" ] && break; sleep 0.1; done
sleep 0.5
kill -KILL $pid
{ wait $pid; } 2>/dev/null
kill "$(cat "$SLOW_PID")" 2>/dev/null
is "$(ls t3 | wc -l)" 1 "SIGKILL: the work directory stays behind"
TMPDIR=$TMP/t3 "$K" package -f rpm -o sig v1.ko >/dev/null 2>&1
is "$?:$(ls t3)" "0:" "... and the next run removes it"

# --- rpmlint and lintian: what they flag is known (see klpgen-package(1)) -
tags() { sed -n "$1" | sort -u | tr '\n' ' '; }
if command -v rpmlint >/dev/null; then
	got=$(rpmlint "$P" "$L" 2>/dev/null | tags 's/^klpgen-[a-z0-9_.-]*: [WE]: \([a-zA-Z0-9_-]*\).*/\1/p')
	is "$got" "invalid-license missing-PT_GNU_STACK-section no-documentation no-signature no-url-tag only-non-binary-in-usr-lib statically-linked-binary unstripped-binary-or-object " \
		"rpmlint: only the findings the man page explains"
else
	skip "rpmlint not installed"
fi
if command -v lintian >/dev/null; then
	got=$(lintian -I "$D" "$DL" 2>/dev/null | tags 's/^[WEI]: [a-z0-9.+-]*: \([a-z0-9.-]*\).*/\1/p')
	is "$got" "initial-upload-closes-no-bugs package-supports-alternative-init-but-no-init.d-script " \
		"lintian: only the findings the man page explains"
else
	skip "lintian not installed"
fi

# --- The loader, against a fake root (KLPGEN_SYSROOT: /proc, /sys, bin/) --
# insmod makes the module's sysfs entries (a replace module removes the
# other livepatches, as the kernel does after the transition); $STUCK keeps
# the transition going; $FAIL makes insmod fail.  Calls go to $CALLS.
F=$TMP/fake
mkdir -p "$F/bin"
cat >"$F/bin/insmod" <<'EOF'
#!/bin/sh
n=${1##*/}; n=${n%.ko}
echo "insmod $n" >>"$CALLS"
[ -z "$FAIL" ] || { echo "insmod: ERROR: could not insert module: Invalid parameters"; exit 1; }
meta=${1%.ko}.klpgen-meta
if grep -q '^replace 1$' "$meta"; then
	for p in "$SYSROOT"/sys/kernel/livepatch/*; do [ -d "$p" ] && rm -r "$p"; done
fi
mkdir -p "$SYSROOT/sys/module/$n" "$SYSROOT/sys/kernel/livepatch/$n"
echo 1 >"$SYSROOT/sys/kernel/livepatch/$n/enabled"
if [ -n "$STUCK" ]; then t=1; else t=0; fi
echo $t >"$SYSROOT/sys/kernel/livepatch/$n/transition"
EOF
cat >"$F/bin/rmmod" <<'EOF'
#!/bin/sh
echo "rmmod $1" >>"$CALLS"
rmdir "$SYSROOT/sys/module/$1"
EOF
chmod +x "$F/bin/"*
I=$TMP/inst/usr/lib/klpgen
mkdir -p "$I/6.1.192"
cp "$KLPGEN_SRC/templates/package/klpgen-load" "$I/"
meta_file() {	# meta_file NAME REPLACE VERSION
	printf 'klpgen-meta 1\nmodule %s\nreplace %s\nversion %s\n' "$1" "$2" "$3" >"$I/6.1.192/$1.klpgen-meta"
	: >"$I/6.1.192/$1.ko"
}
meta_file klp_a 1 2
meta_file klp_b 1 10
meta_file klp_c 1 9.5
meta_file klp_s 0 1
: >"$I/6.1.192/stray.ko"

fresh() {
	SYSROOT=$TMP/sysroot
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT/proc/1" "$SYSROOT/proc/sys/kernel" \
		 "$SYSROOT/sys/kernel/livepatch" "$SYSROOT/sys/module"
	cp -r "$F/bin" "$SYSROOT/"
	echo 6.1.192 >"$SYSROOT/proc/sys/kernel/osrelease"
	echo "console=ttyS0 ${1:-}" >"$SYSROOT/proc/cmdline"
	echo 0 >"$SYSROOT/proc/1/patch_state"
	CALLS=$TMP/calls
	: >"$CALLS"
	export SYSROOT CALLS KLPGEN_SYSROOT=$SYSROOT
}
for SH in sh "busybox sh"; do
	if [ "$SH" = "busybox sh" ] && ! command -v busybox >/dev/null; then
		skip "busybox not installed"
		continue
	fi
	run() { out=$($SH "$I/klpgen-load" "$@" 2>&1); rc=$?; }
	fresh; run
	is "$rc" 0 "$SH: loads for the running kernel"
	is "$(tr '\n' ' ' <"$CALLS")" "insmod klp_b insmod klp_s " "$SH: the newest cumulative (sort -V: 10 > 9.5 > 2), then the stacked one"
	like "$out" 'klp_b: enabled, transition complete' "$SH: says the transition completed"
	run
	is "$rc:$(tr '\n' ' ' <"$CALLS")" "0:insmod klp_b insmod klp_s " "$SH: again: nothing loaded twice"
	like "$out" 'klp_b: already enabled' "$SH: ... says so"
	# An older cumulative patch is loaded: the newest replaces it, its module goes.
	fresh; mkdir -p "$SYSROOT/sys/kernel/livepatch/klp_a" "$SYSROOT/sys/module/klp_a"
	echo 1 >"$SYSROOT/sys/kernel/livepatch/klp_a/enabled"; echo 0 >"$SYSROOT/sys/kernel/livepatch/klp_a/transition"
	run
	is "$rc:$(tr '\n' ' ' <"$CALLS")" "0:insmod klp_b rmmod klp_a insmod klp_s " "$SH: upgrade: new module loaded over the old, then the old removed"
	like "$out" 'klp_a: replaced; module removed' "$SH: ... says so"
	fresh; STUCK=1 run --wait 1
	is "$rc" 1 "$SH: transition not done in time: exit 1"
	like "$out" 'klp_b: transition not complete after 1 s \(1 tasks still run unpatched code\)' "$SH: ... a clear line, with the stuck tasks"
	fresh; FAIL=1 run
	is "$rc" 1 "$SH: insmod fails: exit 1"
	like "$out" 'klp_b: insmod .*klp_b\.ko failed: insmod: ERROR' "$SH: ... with insmod's message"
	fresh; FAIL=1 run --installed 6.1.192
	is "$rc" 0 "$SH: --installed: a failure to load does not fail the install"
	like "$out" 'could not be loaded now \(see above\); the package stays installed' "$SH: ... and says so"
	fresh; run --installed 6.2.0
	is "$rc:$(cat "$CALLS")" "0:" "$SH: --installed for another kernel: nothing loaded"
	like "$out" 'installed for kernel 6\.2\.0; 6\.1\.192 runs: loaded when 6\.2\.0 boots' "$SH: ... says when it will be"
	fresh klpgen.enable=0; run
	is "$rc:$(cat "$CALLS")" "0:" "$SH: klpgen.enable=0: nothing loaded"
	like "$out" 'klpgen\.enable=0 on the kernel command line' "$SH: ... says why"
	fresh; echo 5.0 >"$SYSROOT/proc/sys/kernel/osrelease"; run
	like "$rc:$out" '^0:klpgen-load: no livepatch installed for 5\.0' "$SH: no modules for this kernel: exit 0, said"
	fresh; rmdir "$SYSROOT/sys/kernel/livepatch"; run
	like "$rc:$out" '^1:.*6\.1\.192 has no livepatch support' "$SH: no livepatch support: exit 1, said"
	fresh; mkdir -p "$SYSROOT/sys/kernel/livepatch/klp_a"
	run --removing klp_a klp_b
	like "$rc:$out" '^0:klpgen-load: klp_a stays loaded: removing its package does not unload a livepatch' "$SH: --removing: a loaded patch stays, said"
	unlike "$out" 'klp_b' "$SH: --removing: a patch not loaded is not mentioned"
	run --wait x
	is "$rc" 2 "$SH: --wait x: usage, exit 2"
	run --frob
	is "$rc" 2 "$SH: unknown option: exit 2"
done
if command -v shellcheck >/dev/null; then
	ok_desc "templates/package shell scripts pass shellcheck" shellcheck -S warning -s sh \
		"$KLPGEN_SRC"/templates/package/{klpgen-load,loader-postinst,loader-postrm,deb-postinst.in,deb-prerm.in}
else
	skip "shellcheck not installed"
fi
done_testing
