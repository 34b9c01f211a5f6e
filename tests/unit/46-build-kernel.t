#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# klpgen build finds a kernel's inputs from --kernel KVER under --root DIR
# (a sysroot laid out like installed Debian packages: the -dbg vmlinux,
# /boot/config-KVER, the headers' Module.symvers, /lib/modules/KVER, the
# linux-source tarball, unpacked once into the cache), and refuses inputs
# of different kernels with a message naming both versions: the tree's
# Makefile, the vmlinux's linux_banner (Debian's release 6.1.0-57-... is
# built from "Debian 6.1.192-3"), the config's header, the CRCs of
# Module.symvers, and --kernel against the banner.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/40-faketree.sh"
mk_tmpdir; [ -n "${KEEP_TMP:-}" ] && trap - EXIT

export FAKE_LOG=$TMP/make.log
K=6.1.0-57-fake-amd64
BANNER="Linux version $K (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)"
SRC=$TMP/linux-source-6.1
make_fake_tree "$SRC" 192
R=$TMP/root
mkdir -p "$R/usr/lib/debug/boot" "$R/boot" "$R/usr/src/linux-headers-$K" \
	"$R/lib/modules/$K/kernel"
fake_vmlinux "$R/usr/lib/debug/boot/vmlinux-$K" "$BANNER" _printk 0x92997ed8
printf '# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.192-fake Kernel Configuration\nCONFIG_FAKE=y\n' \
	>"$R/boot/config-$K"
printf '0x92997ed8\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n' \
	>"$R/usr/src/linux-headers-$K/Module.symvers"
tar -C "$TMP" -cJf "$R/usr/src/linux-source-6.1.tar.xz" linux-source-6.1
CACHE=$TMP/cache
mkdir -p "$TMP/p/a/fs" "$TMP/p/b/fs"
cp "$SRC/fs/a.c" "$TMP/p/a/fs/"
sed 's/return x + FAKE_VALUE;/return x + FAKE_VALUE; \/* c *\//' "$SRC/fs/a.c" >"$TMP/p/b/fs/a.c"
(cd "$TMP/p" && diff -u a/fs/a.c b/fs/a.c) >"$TMP/comment.patch"
KB=("$BIN/klpgen" build --cache "$CACHE" -o "$TMP/out" -j2 --skip-compiler-check)

# 1. everything from --kernel and --root
out=$("${KB[@]}" --kernel "$K" --root "$R" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "--kernel KVER --root DIR finds every input (exit 3: a comment)"
like "$out" "unpacking the source .* $CACHE/sources/linux-source-6.1-[0-9a-f]{12}," \
	"the tarball is unpacked into the cache"
key=$(sed -n 's/.*cache key *\.\.\. \([0-9a-f]*\),.*/\1/p' <<<"$out")
like "$(cat "$CACHE/builds/$key/key.txt")" "^source $CACHE/sources/linux-source-6.1-[0-9a-f]*/linux-source-6.1$" \
	"the unpacked tree is the source"
like "$(cat "$CACHE/builds/$key/key.txt")" "^release $K$" "the release is the banner's"
is "$(cat "$CACHE/builds/$key/orig/include/generated/release")" "$K" \
	"the builds get KERNELRELEASE=$K"
is "$(readlink "$CACHE/builds/$key/modtree/Module.symvers" 2>/dev/null || echo none)" none \
	"(no module built: the module tree is made only then)"
out=$("${KB[@]}" --kernel "$K" --root "$R" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "again"
unlike "$out" "unpacking" "the tarball is unpacked once"
is "$(find "$CACHE/sources" -maxdepth 1 -name '*.done' | wc -l)" 1 "one unpacked tree"

# 2. the release of the vmlinux names the kernel when -v is given
out=$("${KB[@]}" -v "$R/usr/lib/debug/boot/vmlinux-$K" --root "$R" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 3 "-v alone: the other inputs from the vmlinux's release"
out=$("${KB[@]}" --kernel 6.1.0-56-fake-amd64 --root "$R" \
	-v "$R/usr/lib/debug/boot/vmlinux-$K" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "--kernel and a vmlinux of another release: exit 2"
like "$out" "is kernel $K, not 6.1.0-56-fake-amd64" "naming both"
out=$("${KB[@]}" --kernel 6.1.0-99-none --root "$R" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "no vmlinux for --kernel: exit 2"
like "$out" "no vmlinux of kernel 6.1.0-99-none found under $R/usr/lib/debug.*linux-image-6.1.0-99-none-dbg" \
	"says where it looked and which package has it"

# 3. a source tree of another version
OTHER=$TMP/linux-6.1.191
make_fake_tree "$OTHER" 191
out=$("${KB[@]}" --kernel "$K" --root "$R" -s "$OTHER" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a tree of 6.1.191 for a 6.1.192 kernel: exit 2"
like "$out" "the source $OTHER is Linux 6.1.191-fake, but the vmlinux .* is $K \(6\.1\.192-3\)" \
	"naming the tree's version and the vmlinux's"
is "$(ls "$CACHE/builds" | wc -l)" 1 "nothing was built for it"

# 4. a config of another version
sed 's/6\.1\.192-fake/6.1.190-fake/' "$R/boot/config-$K" >"$TMP/config-190"
out=$("${KB[@]}" --kernel "$K" --root "$R" -c "$TMP/config-190" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a config of 6.1.190: exit 2"
like "$out" "the config $TMP/config-190 is for Linux 6.1.190-fake, but the source .* is Linux 6.1.192-fake" \
	"naming both"

# 5. a Module.symvers of another build
printf '0x12345678\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n' >"$TMP/other.symvers"
out=$("${KB[@]}" --kernel "$K" --root "$R" --symvers "$TMP/other.symvers" "$TMP/comment.patch" 2>&1); rc=$?
is "$rc" 2 "a Module.symvers whose CRCs differ from the vmlinux's: exit 2"
like "$out" "other.symvers does not belong to the vmlinux .* \($K \(6\.1\.192-3\)\): 1 of its 1 vmlinux CRCs differ.*_printk: 0x12345678 there, 0x92997ed8 in the vmlinux" \
	"naming the symbol and both CRCs"

done_testing
