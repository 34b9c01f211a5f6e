# shellcheck shell=bash disable=SC2034 # variables for the files sourcing this one
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kernel lab scripts (bash; sourced, not run).
#
# lab_load_kernel VERSION reads kernels/VERSION.conf and sets:
#   KLAB_VER    the version name ("6.1")
#   KLAB_ROOT   ${KLPGEN_CACHE:-~/.cache/klpgen}/lab/linux-VERSION
#   KLAB_SRC    pristine source tree (never built in: Kbuild wants it clean)
#   KLAB_BUILD  make O= output: objects, vmlinux, Module.symvers, System.map
#   KLAB_LOG    full log of the last prepare-kernel run

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KLPGEN_CACHE=${KLPGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/klpgen}
# Kernel descriptions (VERSION.conf + fragment); overridable for experiments.
KLAB_KERNELS=${KLAB_KERNELS:-$LAB_DIR/kernels}

lab_info() { echo "[lab] $*" >&2; }
lab_die()  { echo "[lab] error: $*" >&2; exit 1; }

lab_load_kernel() {
	local ver=$1 conf=$KLAB_KERNELS/$1.conf
	[ -f "$conf" ] || lab_die "no kernel description $conf (known: $(lab_known_versions))"
	KVER_PACKAGE='' KVER_TARBALL='' KVER_TARDIR='' KVER_FRAGMENT='' KVER_BASECONFIG=tinyconfig
	KVER_ARCH=x86_64 KVER_TARGETS="bzImage modules" KVER_NEED_MB=3000 KVER_CI_TESTS=
	KVER_MAKEVARS=
	# shellcheck disable=SC1090
	. "$conf"
	KVER_CONF=$conf
	KVER_FRAGMENT=$KLAB_KERNELS/$KVER_FRAGMENT
	KLAB_VER=$ver
	KLAB_ROOT=$KLPGEN_CACHE/lab/linux-$ver
	KLAB_SRC=$KLAB_ROOT/src
	KLAB_BUILD=$KLAB_ROOT/build
	KLAB_LOG=$KLAB_ROOT/prepare.log
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
