#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cdo-build.sh FILE.c OBJNAME PATCH NAME: the real path for one kernel
# source file, shared by the klp-cdo-* lab tests (run from their setup with
# the lab environment).  FILE.c (relative to the kernel tree) is built
# orig and patched with -ffunction-sections -fdata-sections in a
# single-object build directory of the lab config (cached beside the lab
# build), then create-diff-object -> klpgen module -> $KLAB_OUT/NAME.ko.
# OBJNAME is vmlinux or the module FILE.c is built into (its .ko must be
# in the lab build).
set -euo pipefail
src=$1 objname=$2 patch=$3 name=$4
# examples/$KLAB_VER/X.patch replaces examples/X.patch on a kernel whose
# source moved too far for it (see klpgen-lib.sh).
if [ -f "${patch%/*}/${KLAB_VER:-6.1}/${patch##*/}" ]; then
	patch=${patch%/*}/${KLAB_VER:-6.1}/${patch##*/}
fi
echo "patch: $patch"
obj=${src%.c}.o
cdo=$KLPGEN_BUILD/bin/create-diff-object
[ -x "$cdo" ] || { echo "create-diff-object is not built"; exit 77; }
fs=${KLAB_BUILD%/*}/klp-fsections
mkdir -p "$fs"
if ! cmp -s "$KLAB_BUILD/.config" "$fs/.config.lab"; then
	cp "$KLAB_BUILD/.config" "$fs/.config"
	make -C "$KLAB_SRC" O="$fs" ARCH=x86_64 olddefconfig
	cp "$KLAB_BUILD/.config" "$fs/.config.lab"
fi
make -C "$KLAB_SRC" O="$fs" ARCH=x86_64 -j"$(nproc)" \
	KCFLAGS="-ffunction-sections -fdata-sections" "$obj"

work=$KLAB_OUT/work
rm -rf "$work"
mkdir -p "$work/a/$(dirname "$src")" "$work/inc/linux"
cp "$fs/$obj" "$work/orig.o"
cp "$KLAB_SRC/$src" "$work/a/$src"
cp "$KLPGEN_SRC/templates/klpgen-patch.h" "$work/inc/linux/"
(cd "$work/a" && patch -p1 <"$patch")
# The recorded compile command, on the patched copy; klpgen-patch.h is
# found through an extra -I (klpgen build copies it into its tree).
dotcmd=$fs/$(dirname "$obj")/.$(basename "$obj").cmd
cmd=$(sed -n -E "s|^(saved)?cmd_$obj := ||p" "$dotcmd")  # savedcmd_ since 6.3
cmd=${cmd//"$KLAB_SRC/$src"/"$work/a/$src"}
cmd=${cmd//"$obj"/"$work/patched.o"}
cmd=${cmd//"$(dirname "$obj")/.$(basename "$obj").d"/"$work/patched.o.d"}
cmd="${cmd%% *} -I$work/inc ${cmd#* }"	# after the compiler (gcc, clang-16)
(cd "$fs" && eval "$cmd")

targs=(--vmlinux "$KLAB_BUILD/vmlinux")
symbols=$KLAB_BUILD/vmlinux
if [ "$objname" != vmlinux ]; then
	symbols=$KLAB_BUILD/$(dirname "$obj")/$objname.ko
	targs+=(--module "$objname=$symbols")
fi
"$cdo" -n "$objname" -s "$symbols" -S "$KLAB_BUILD/Module.symvers" \
	"$work/orig.o" "$work/patched.o" "$work/diff.o"
"$KLPGEN_BUILD/bin/klpgen" module -n "$name" -k "$KLAB_BUILD" -o "$KLAB_OUT" \
	"${targs[@]}" --work "$work/module" "$objname=$work/diff.o"
"$KLPGEN_BUILD/bin/klp-convert" --show-meta "$KLAB_OUT/$name.ko"
readelf -SW "$KLAB_OUT/$name.ko" | grep -F .klp.rela. || true
