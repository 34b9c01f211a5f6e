# shellcheck shell=bash disable=SC2034 # variables for the files sourcing this one
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kernel lab scripts (bash; sourced, not run).
#
# A lab profile is kernels/NAME.conf.  Two kinds (KVER_KIND):
#   built    (6.1, 6.12) the lab builds a small kernel from linux-source-*
#   shipped  (debian) a distribution's own kernel packages, unpacked as
#            shipped into a sysroot (prepare-shipped); nothing is built
#
# lab_load_kernel NAME reads kernels/NAME.conf and sets:
#   KLAB_VER     the profile name ("6.1", "debian")
#   KLAB_KIND    built | shipped
#   KLAB_ROOT    the profile's cache directory under $KLPGEN_CACHE/lab
#   KLAB_SRC     pristine source tree (never built in: Kbuild wants it clean)
#   KLAB_BUILD   built: make O= output (objects, vmlinux, Module.symvers);
#                shipped: empty
#   KLAB_IMAGE   the kernel image QEMU boots
#   KLAB_MODULES shipped: the image's /lib/modules/RELEASE tree; built: empty
#   KLAB_LOG     full log of the last prepare run
# and for a shipped profile also (see lab_load_shipped):
#   KLAB_KREL KLAB_ABI KLAB_PKGVER KLAB_SYSROOT KLAB_VMLINUX KLAB_HEADERS

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KLPGEN_CACHE=${KLPGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/klpgen}
# Kernel descriptions (VERSION.conf + fragment); overridable for experiments.
KLAB_KERNELS=${KLAB_KERNELS:-$LAB_DIR/kernels}

lab_info() { echo "[lab] $*" >&2; }
lab_die()  { echo "[lab] error: $*" >&2; exit 1; }

# KVER_FRAGMENT names one or more fragments under kernels/, applied in
# order (a later line for the same option wins, as in merge_config.sh):
# KVER_FRAGMENTS gets their paths.
lab_fragment_paths() {
	local f
	KVER_FRAGMENTS=()
	for f in $KVER_FRAGMENT; do
		KVER_FRAGMENTS+=("$KLAB_KERNELS/$f")
	done
	[ ${#KVER_FRAGMENTS[@]} -gt 0 ] || lab_die "$KVER_CONF: no KVER_FRAGMENT"
}

lab_load_kernel() {
	local ver=$1 conf=$KLAB_KERNELS/$1.conf
	[ -f "$conf" ] || lab_die "no kernel description $conf (known: $(lab_known_versions))"
	KVER_KIND=built KVER_PACKAGE='' KVER_TARBALL='' KVER_TARDIR='' KVER_FRAGMENT='' KVER_BASECONFIG=tinyconfig
	KVER_ARCH=x86_64 KVER_TARGETS="bzImage modules" KVER_NEED_MB=3000 KVER_CI_TESTS=
	KVER_SERIES='' KVER_FLAVOUR='' KVER_MEM=''
	KVER_MAKEVARS=
	# shellcheck disable=SC1090
	. "$conf"
	KVER_CONF=$conf
	KLAB_VER=$ver
	KLAB_KIND=$KVER_KIND
	KLAB_MODULES=
	case $KVER_KIND in
	built)
		lab_fragment_paths
		KLAB_ROOT=$KLPGEN_CACHE/lab/linux-$ver
		KLAB_SRC=$KLAB_ROOT/src
		KLAB_BUILD=$KLAB_ROOT/build
		KLAB_IMAGE=$KLAB_BUILD/arch/x86/boot/bzImage
		KLAB_LOG=$KLAB_ROOT/prepare.log ;;
	shipped)
		lab_load_shipped ;;
	*)
		lab_die "$conf: unknown KVER_KIND=$KVER_KIND (built or shipped)" ;;
	esac
}

# A shipped profile is named by the packages apt has for the installed
# source package: the image whose version equals linux-source-SERIES's.
#   KLAB_PKGVER  that version (6.1.192-3)    KLAB_ABI  6.1.0-57
#   KLAB_KREL    uname -r of the image (6.1.0-57-cloud-amd64)
#   KLAB_SYSROOT the packages unpacked (dpkg-deb -x), /boot, /lib/modules,
#                /usr/lib/debug, /usr/src/linux-headers-*
#   KLAB_VMLINUX the -dbg package's vmlinux    KLAB_HEADERS its headers
lab_load_shipped() {
	KLAB_PKGVER=$(dpkg-query -W -f='${Version}' "$KVER_PACKAGE" 2>/dev/null) ||
		lab_die "$KVER_PACKAGE is not installed (scripts/install-deps)"
	KLAB_ABI=$(lab_shipped_abi)
	KLAB_KREL=$KLAB_ABI-$KVER_FLAVOUR
	KLAB_ROOT=$KLPGEN_CACHE/lab/debian-$KLAB_KREL
	KLAB_SRC=$KLAB_ROOT/src
	KLAB_BUILD=
	KLAB_SYSROOT=$KLAB_ROOT/root
	KLAB_IMAGE=$KLAB_SYSROOT/boot/vmlinuz-$KLAB_KREL
	KLAB_MODULES=$KLAB_SYSROOT/lib/modules/$KLAB_KREL
	KLAB_VMLINUX=$KLAB_SYSROOT/usr/lib/debug/boot/vmlinux-$KLAB_KREL
	KLAB_HEADERS=$KLAB_SYSROOT/usr/src/linux-headers-$KLAB_KREL
	KLAB_LOG=$KLAB_ROOT/prepare.log
	# run-guest builds initramfs images with it (prepare-shipped compiles it)
	KLAB_GEN_INIT_CPIO=$KLAB_ROOT/bin/gen_init_cpio
}

# The ABI of the image package whose version is KLAB_PKGVER.  Asking apt
# takes a second or two, and the answer for one source version never
# changes, so it is kept in the cache.
lab_shipped_abi() {
	local cache=$KLPGEN_CACHE/lab/debian-$KVER_FLAVOUR.abi-$KLAB_PKGVER abi
	if [ -s "$cache" ]; then
		cat "$cache"
		return
	fi
	abi=$(lab_apt_find_abi) || exit 1
	mkdir -p "${cache%/*}"
	echo "$abi" >"$cache.$$" && mv "$cache.$$" "$cache"
	echo "$abi"
}

# apt-cache search for linux-image-SERIES.*-FLAVOUR (the ABI moves with every
# security update), then the one whose version is the source's.
lab_apt_find_abi() {
	local re pkgs found known
	re="^linux-image-${KVER_SERIES//./\\.}\\..*-$KVER_FLAVOUR\$"
	pkgs=$(apt-cache search --names-only "$re" | cut -d' ' -f1)
	[ -n "$pkgs" ] ||
		lab_die "apt knows no package matching $re (run apt-get update)"
	# shellcheck disable=SC2086 # a list of package names
	found=$(apt-cache madison $pkgs | awk -F' *[|] *' -v v="$KLAB_PKGVER" '
		$2 == v { sub(/^ */, "", $1); print $1 }' | sort -u)
	if [ -z "$found" ]; then
		# shellcheck disable=SC2086
		known=$(apt-cache madison $pkgs | awk -F' *[|] *' '{ print $2 }' | sort -uV | tr '\n' ' ')
		lab_die "$KVER_PACKAGE is $KLAB_PKGVER but no linux-image-*-$KVER_FLAVOUR has that version (apt has: ${known% }); upgrade $KVER_PACKAGE or run apt-get update"
	fi
	[ "$(echo "$found" | wc -l)" -eq 1 ] ||
		lab_die "several images have version $KLAB_PKGVER: $(echo "$found" | tr '\n' ' ')"
	found=${found#linux-image-}
	echo "${found%-"$KVER_FLAVOUR"}"
}

# lab_guest_args: run-guest's options that boot this profile's kernel.
lab_guest_args() {
	if [ "${KLAB_KIND:-built}" = shipped ]; then
		printf '%s\n' --image "$KLAB_IMAGE" --modules "$KLAB_MODULES"
	else
		printf '%s\n' --kernel "$KLAB_BUILD"
	fi
}

# The compiler a kernel description builds with: clang-N for LLVM=-N,
# clang for LLVM=1, else gcc.  Its --version line goes into the build stamp.
lab_cc() {
	local v
	for v in $KVER_MAKEVARS; do
		case $v in
		LLVM=-*) echo "clang${v#LLVM=}"; return ;;
		LLVM=?*) echo clang; return ;;
		esac
	done
	echo gcc
}

lab_known_versions() {
	local f out=
	for f in "$KLAB_KERNELS"/*.conf; do
		f=${f##*/}; out="$out ${f%.conf}"
	done
	echo "${out# }"
}

# lab_step DESCRIPTION CMD... : one progress line, the command's output to
# $KLAB_LOG; on failure the log's tail and path are printed and we exit.
lab_step() {
	local desc=$1 start rc=0; shift
	start=$(date +%s)
	printf '[lab] %s ... ' "$desc" >&2
	echo "=== $desc: $*" >>"$KLAB_LOG"
	"$@" >>"$KLAB_LOG" 2>&1 </dev/null || rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAILED (rc=$rc) after $(( $(date +%s) - start )) s" >&2
		tail -n 25 "$KLAB_LOG" | sed 's/^/[lab]   /' >&2
		lab_die "$desc failed; full log: $KLAB_LOG"
	fi
	echo "done in $(( $(date +%s) - start )) s" >&2
}

# lab_unpack_source: the pristine tree of KVER_TARBALL in KLAB_SRC, once
# (src.stamp names the tarball's size and mtime).  Removes KLAB_BUILD when
# it unpacks: objects of another tree are stale.
lab_unpack_source() {
	local stamp
	stamp=$(stat -c '%n %s %Y' "$KVER_TARBALL")
	if [ -f "$KLAB_ROOT/src.stamp" ] && [ "$(cat "$KLAB_ROOT/src.stamp")" = "$stamp" ] &&
	   [ -f "$KLAB_SRC/Makefile" ]; then
		return 0
	fi
	lab_need_space "$KLAB_ROOT" "$KVER_NEED_MB" "unpacking and building linux-$KLAB_VER"
	rm -rf "$KLAB_SRC" "$KLAB_SRC.tmp" "$KLAB_ROOT/src.stamp" ${KLAB_BUILD:+"$KLAB_BUILD"}
	mkdir -p "$KLAB_SRC.tmp"
	lab_step "unpacking $KVER_TARBALL" \
		tar -C "$KLAB_SRC.tmp" --strip-components=1 -xf "$KVER_TARBALL" "$KVER_TARDIR"
	mv "$KLAB_SRC.tmp" "$KLAB_SRC"
	echo "$stamp" >"$KLAB_ROOT/src.stamp"
}

# lab_need_space DIR MB WHAT: fail early rather than half-way through a build.
lab_need_space() {
	local dir=$1 need=$2 what=$3 avail
	mkdir -p "$dir"
	avail=$(df -Pm "$dir" | awk 'NR == 2 { print $4 }')
	[ "$avail" -ge "$need" ] ||
		lab_die "no space left for $what: $dir has $avail MB free, need $need MB (set KLPGEN_CACHE elsewhere)"
}

lab_need_qemu() {
	command -v qemu-system-x86_64 >/dev/null ||
		lab_die "qemu-system-x86_64 not found: install qemu-system-x86 (scripts/install-deps)"
}
